// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: meters and idle timeouts, the signals a controller would otherwise
 * poll route counters for.
 *
 * Nothing here runs per packet: one delayed work per netns wakes every
 * MFWD_METER_TICK_MS while there is a meter or an idle timeout, reads the
 * counters the fast path keeps anyway (a route's packets, bytes and time of
 * last use) and sends THRESHOLD and IDLE events. Its cost grows with the
 * number of meters and idle timeouts (and possible CPUs, the counters'
 * width), not with the packet rate. It runs under the netns mutex, which
 * keeps routes and meters from going away under it.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "mfwd.h"

#define MFWD_METER_TICK	msecs_to_jiffies(MFWD_METER_TICK_MS)

/**
 * struct mfwd_meter - a threshold on a route's packet or byte count
 * @node: in mfwd_net.meters
 * @rnode: in mfwd_route_ext.meters
 * @r: the route
 * @value: the threshold
 * @base: the route's count when the current interval began
 * @start: jiffies when the current interval began
 * @interval: its length in jiffies
 * @interval_ms: as requested
 * @unit: MFWD_METER_PACKETS or MFWD_METER_BYTES
 * @op: MFWD_METER_GE or MFWD_METER_LE
 * @fired: a GE meter signalled in the current interval
 */
struct mfwd_meter {
	struct list_head node;
	struct list_head rnode;
	struct mfwd_route *r;
	u64 value;
	u64 base;
	unsigned long start;
	unsigned long interval;
	u32 interval_ms;
	u8 unit;
	u8 op;
	bool fired;
};

static void mfwd_meter_kick(struct mfwd_net *mn)
{
	if (!list_empty(&mn->meters) || !list_empty(&mn->idle_routes))
		schedule_delayed_work(&mn->meter_work, MFWD_METER_TICK);
}

static u64 mfwd_meter_count(const struct mfwd_meter *m)
{
	struct mfwd_route_stats st;

	mfwd_route_stats_read(m->r, &st);
	return u64_stats_read(m->unit == MFWD_METER_BYTES ? &st.bytes :
							     &st.pkts);
}

static struct mfwd_route_ext *mfwd_ext(struct mfwd_net *mn,
				       const struct mfwd_route *r)
{
	return rcu_dereference_protected(r->ext, lockdep_is_held(&mn->lock));
}

/* @r's extension; a new one is @spare if given (taken then), else
 * allocated. Context: @mn->lock held.
 */
static struct mfwd_route_ext *mfwd_route_ext(struct mfwd_net *mn,
					     struct mfwd_route *r,
					     struct mfwd_route_ext **spare)
{
	struct mfwd_route_ext *ext = mfwd_ext(mn, r);

	if (ext)
		return ext;
	if (spare && *spare) {
		ext = *spare;
		*spare = NULL;
	} else {
		ext = kzalloc(sizeof(*ext), GFP_KERNEL_ACCOUNT);
		if (!ext)
			return NULL;
	}
	INIT_LIST_HEAD(&ext->meters);
	INIT_LIST_HEAD(&ext->idle_node);
	ext->r = r;
	rcu_assign_pointer(r->ext, ext);
	return ext;
}

/* Free @r's extension once it holds nothing. Context: @mn->lock held. */
static void mfwd_route_ext_trim(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct mfwd_route_ext *ext = mfwd_ext(mn, r);

	if (ext && list_empty(&ext->meters) && !ext->idle_ms) {
		RCU_INIT_POINTER(r->ext, NULL);
		kfree_rcu(ext, rcu);
	}
}

static bool mfwd_meter_same(const struct mfwd_meter *m,
			    const struct mfwd_meter_spec *spec)
{
	return m->unit == spec->unit && m->op == spec->op &&
	       m->value == spec->value && m->interval_ms == spec->interval_ms;
}

/**
 * mfwd_meter_add() - add a meter to a route
 * @mn: netns state
 * @r: the route
 * @spec: the meter
 * @extack: for error messages
 *
 * Context: @mn->lock held.
 * Return: 0, -EEXIST, -ENOSPC or -ENOMEM.
 */
int mfwd_meter_add(struct mfwd_net *mn, struct mfwd_route *r,
		   const struct mfwd_meter_spec *spec,
		   struct netlink_ext_ack *extack)
{
	struct mfwd_route_ext *ext = mfwd_ext(mn, r);
	struct mfwd_meter *m;

	lockdep_assert_held(&mn->lock);

	if (ext) {
		list_for_each_entry(m, &ext->meters, rnode) {
			if (mfwd_meter_same(m, spec)) {
				NL_SET_ERR_MSG(extack, "the route has this meter");
				return -EEXIST;
			}
		}
		if (ext->n_meters >= MFWD_METERS_PER_ROUTE) {
			NL_SET_ERR_MSG(extack, "too many meters on this route");
			return -ENOSPC;
		}
	}
	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	ext = mfwd_route_ext(mn, r, NULL);
	if (!ext) {
		kfree(m);
		return -ENOMEM;
	}
	m->r = r;
	m->unit = spec->unit;
	m->op = spec->op;
	m->value = spec->value;
	m->interval_ms = spec->interval_ms;
	m->interval = max(msecs_to_jiffies(spec->interval_ms), 1UL);
	m->start = jiffies;
	m->base = mfwd_meter_count(m);
	list_add_tail(&m->rnode, &ext->meters);
	list_add_tail(&m->node, &mn->meters);
	ext->n_meters++;
	mn->nr_meters++;
	mn->dump_seq++;
	mfwd_meter_kick(mn);
	return 0;
}

static void mfwd_meter_free(struct mfwd_net *mn, struct mfwd_route_ext *ext,
			    struct mfwd_meter *m)
{
	list_del(&m->node);
	list_del(&m->rnode);
	ext->n_meters--;
	mn->nr_meters--;
	mn->dump_seq++;
	kfree(m);
}

/**
 * mfwd_meter_del() - delete a route's meters that match a pattern
 * @mn: netns state
 * @r: the route
 * @spec: the pattern
 * @match: MFWD_METER_M_* bits: the fields of @spec that must match
 *
 * Context: @mn->lock held.
 * Return: the number of meters deleted.
 */
unsigned int mfwd_meter_del(struct mfwd_net *mn, struct mfwd_route *r,
			    const struct mfwd_meter_spec *spec,
			    unsigned int match)
{
	struct mfwd_route_ext *ext = mfwd_ext(mn, r);
	struct mfwd_meter *m, *tmp;
	unsigned int n = 0;

	lockdep_assert_held(&mn->lock);

	if (!ext)
		return 0;
	list_for_each_entry_safe(m, tmp, &ext->meters, rnode) {
		if (((match & MFWD_METER_M_UNIT) && m->unit != spec->unit) ||
		    ((match & MFWD_METER_M_OP) && m->op != spec->op) ||
		    ((match & MFWD_METER_M_VALUE) && m->value != spec->value) ||
		    ((match & MFWD_METER_M_INTERVAL) &&
		     m->interval_ms != spec->interval_ms))
			continue;
		mfwd_meter_free(mn, ext, m);
		n++;
	}
	mfwd_route_ext_trim(mn, r);
	return n;
}

/**
 * mfwd_route_idle_set() - set or clear a route's idle timeout
 * @mn: netns state
 * @r: the route
 * @idle: the timeout (0 for none), and a preallocated extension for a
 *	route that has none yet, taken if needed
 *
 * Context: @mn->lock held.
 */
void mfwd_route_idle_set(struct mfwd_net *mn, struct mfwd_route *r,
			 struct mfwd_route_idle *idle)
{
	struct mfwd_route_ext *ext = mfwd_ext(mn, r);

	lockdep_assert_held(&mn->lock);

	if (!idle->ms) {
		if (ext && ext->idle_ms) {
			list_del_init(&ext->idle_node);
			WRITE_ONCE(ext->idle_ms, 0);
			WRITE_ONCE(ext->expire, false);
			mfwd_route_ext_trim(mn, r);
		}
		return;
	}
	ext = mfwd_route_ext(mn, r, &idle->spare);
	if (WARN_ON_ONCE(!ext))		/* the caller gave a spare */
		return;
	if (!ext->idle_ms)
		list_add_tail(&ext->idle_node, &mn->idle_routes);
	WRITE_ONCE(ext->idle_ms, idle->ms);
	WRITE_ONCE(ext->expire, idle->expire);
	ext->idle_sent = false;
	mfwd_meter_kick(mn);
}

/**
 * mfwd_route_ext_free() - free what a deleted route had here
 * @mn: netns state
 * @r: the route, unlinked
 *
 * Context: @mn->lock held.
 */
void mfwd_route_ext_free(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct mfwd_route_ext *ext = mfwd_ext(mn, r);
	struct mfwd_meter *m, *tmp;

	if (!ext)
		return;
	list_for_each_entry_safe(m, tmp, &ext->meters, rnode)
		mfwd_meter_free(mn, ext, m);
	list_del(&ext->idle_node);
	RCU_INIT_POINTER(r->ext, NULL);
	kfree_rcu(ext, rcu);
}

static void mfwd_meter_signal(struct mfwd_net *mn, const struct mfwd_meter *m,
			      u64 count)
{
	mfwd_nl_meter_event(mn, MFWD_CMD_THRESHOLD, m->r, m->unit, m->op,
			    m->value, m->interval_ms, count);
}

/* Read a meter at @now: signal a GE meter whose count reached its value,
 * and at the end of an interval an LE meter whose count stayed at or below
 * it; then start the next interval.
 */
static void mfwd_meter_tick(struct mfwd_net *mn, struct mfwd_meter *m,
			    unsigned long now)
{
	u64 c = mfwd_meter_count(m), count = c - m->base;
	bool over = time_after_eq(now, m->start + m->interval);

	if (m->op == MFWD_METER_GE && !m->fired && count >= m->value) {
		m->fired = true;
		mfwd_meter_signal(mn, m, count);
	}
	if (!over)
		return;
	if (m->op == MFWD_METER_LE && count <= m->value)
		mfwd_meter_signal(mn, m, count);
	/* Intervals stay aligned to the meter's start. */
	m->start += (now - m->start) / m->interval * m->interval;
	m->base = c;
	m->fired = false;
}

/* Signal an idle route once per idle period, and delete it if it expires.
 * Return: whether it was deleted.
 */
static bool mfwd_idle_tick(struct mfwd_net *mn, struct mfwd_route_ext *ext,
			   unsigned long now)
{
	struct mfwd_route *r = ext->r;
	unsigned long last = READ_ONCE(r->lastuse);

	if (ext->idle_sent && ext->idle_last != last)
		ext->idle_sent = false;		/* it forwarded again */
	/* The fast path may have used it since @now was read: then @last is
	 * after @now, and it is not idle.
	 */
	if (ext->idle_sent ||
	    time_before(now, last + msecs_to_jiffies(ext->idle_ms)))
		return false;
	ext->idle_sent = true;
	ext->idle_last = last;
	mfwd_nl_idle_event(mn, MFWD_CMD_IDLE, r, ext->idle_ms, ext->expire,
			   jiffies_to_msecs(now - last));
	if (!ext->expire)
		return false;
	mfwd_route_del(mn, r);
	return true;
}

void mfwd_meter_work(struct work_struct *work)
{
	struct mfwd_net *mn = container_of(to_delayed_work(work),
					   struct mfwd_net, meter_work);
	struct mfwd_route_ext *ext, *etmp;
	unsigned long now = jiffies;
	struct mfwd_meter *m;

	mutex_lock(&mn->lock);
	list_for_each_entry(m, &mn->meters, node)
		mfwd_meter_tick(mn, m, now);
	/* An expired route takes its meters and extension with it; only
	 * the current entry goes, so the walk stays valid.
	 */
	list_for_each_entry_safe(ext, etmp, &mn->idle_routes, idle_node)
		mfwd_idle_tick(mn, ext, now);
	mfwd_meter_kick(mn);
	mutex_unlock(&mn->lock);
}

void mfwd_meters_init(struct mfwd_net *mn)
{
	INIT_LIST_HEAD(&mn->meters);
	INIT_LIST_HEAD(&mn->idle_routes);
	INIT_DELAYED_WORK(&mn->meter_work, mfwd_meter_work);
}

/* Context: the routes are gone, so the work does not re-arm. */
void mfwd_meters_destroy(struct mfwd_net *mn)
{
	cancel_delayed_work_sync(&mn->meter_work);
	WARN_ON(!list_empty(&mn->meters) || !list_empty(&mn->idle_routes));
}

/**
 * mfwd_meter_dump() - the meters from the @pos'th on, for a dump
 * @mn: netns state
 * @pos: in: the first to fill; out: the next one
 * @fill: puts one meter in the dump; nonzero when the message is full
 * @arg: for @fill
 *
 * Context: @mn->lock held.
 * Return: what @fill returned last, 0 when every meter is in.
 */
int mfwd_meter_dump(struct mfwd_net *mn, unsigned long *pos,
		    int (*fill)(void *arg, const struct mfwd_route *r,
				const struct mfwd_meter_spec *spec, u64 count),
		    void *arg)
{
	struct mfwd_meter_spec spec;
	struct mfwd_meter *m;
	unsigned long i = 0;
	int err;

	list_for_each_entry(m, &mn->meters, node) {
		if (i++ < *pos)
			continue;
		spec.unit = m->unit;
		spec.op = m->op;
		spec.value = m->value;
		spec.interval_ms = m->interval_ms;
		err = fill(arg, m->r, &spec, mfwd_meter_count(m) - m->base);
		if (err)
			return err;
		(*pos)++;
	}
	return 0;
}
