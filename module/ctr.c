// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: route counters.
 *
 * Per-CPU memory is allocated for every possible CPU: per-CPU counters
 * for every route would cost 24 bytes a route for each of them, 1.5 KiB
 * on a machine with 64. So a route counts in three shared atomics until
 * it is hot, and only a hot route gets per-CPU counters, which the fast
 * path then uses instead. Hot means MFWD_HOT_PKTS packets within a
 * second: the fast path checks that once every MFWD_HOT_PKTS packets and
 * asks mfwd_ctr_hot_work() for the counters; a request that finds its
 * slot taken, or an allocation that fails, is asked again MFWD_HOT_PKTS
 * packets later. A route never gives them back. A route's count is the
 * atomics' plus the per-CPU counters'.
 */
#include <linux/memcontrol.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "mfwd.h"

/* Take a zeroed counter slot for @r. Context: process, mn->lock held. */
static int mfwd_ctr_get(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct mfwd_ctr_pool *p = &mn->ctrs;
	struct mfwd_ctr_block *b, *nb = NULL;
	u8 slot = 0;
	int cpu;

	for (;;) {
		spin_lock_bh(&p->lock);
		b = list_first_entry_or_null(&p->partial,
					     struct mfwd_ctr_block, partial);
		if (!b && nb) {
			b = nb;
			list_add(&b->partial, &p->partial);
			nb = NULL;
		}
		if (b) {
			slot = ffz(b->used);
			b->used |= BIT_ULL(slot);
			if (b->used == U64_MAX)
				list_del_init(&b->partial);
		}
		spin_unlock_bh(&p->lock);
		if (b)
			break;
		nb = kzalloc(sizeof(*nb), GFP_KERNEL_ACCOUNT);
		if (!nb)
			return -ENOMEM;
		nb->pool = p;
		nb->pcpu = __alloc_percpu_gfp(sizeof(*nb->pcpu) * MFWD_CTR_SLOTS,
					      __alignof__(*nb->pcpu),
					      GFP_KERNEL_ACCOUNT);
		if (!nb->pcpu) {
			kfree(nb);
			return -ENOMEM;
		}
	}
	if (nb) {		/* lost a race for a fresh block: not used */
		free_percpu(nb->pcpu);
		kfree(nb);
	}
	for_each_possible_cpu(cpu) {
		struct mfwd_route_stats *s = per_cpu_ptr(b->pcpu + slot, cpu);

		memset(s, 0, sizeof(*s));
		u64_stats_init(&s->syncp);
	}
	r->ctr_slot = slot;
	/* The fast path reads the slot and the counters after the block. */
	smp_store_release(&r->ctr_block, b);
	return 0;
}

/**
 * mfwd_ctr_put() - give back a route's per-CPU counters, if it has any
 * @r: the route, after its readers are done
 */
void mfwd_ctr_put(struct mfwd_route *r)
{
	struct mfwd_ctr_block *b = r->ctr_block;
	struct mfwd_ctr_pool *p;
	bool empty;

	if (!b)
		return;
	p = b->pool;
	spin_lock_bh(&p->lock);
	if (b->used == U64_MAX)
		list_add(&b->partial, &p->partial);
	b->used &= ~BIT_ULL(r->ctr_slot);
	empty = !b->used;
	if (empty)
		list_del(&b->partial);
	spin_unlock_bh(&p->lock);
	if (empty) {
		free_percpu(b->pcpu);
		kfree(b);
	}
}

static struct mfwd_route_stats __percpu *
mfwd_ctr_pcpu(const struct mfwd_route *r)
{
	/* Pairs with the release in mfwd_ctr_get(): the slot's zeroed
	 * counters and r->ctr_slot are seen with the block.
	 */
	const struct mfwd_ctr_block *b = smp_load_acquire(&r->ctr_block);

	return b ? b->pcpu + r->ctr_slot : NULL;
}

/* Every MFWD_HOT_PKTS packets of a cold route: is it hot? */
static void mfwd_ctr_heat(struct mfwd_net *mn, struct mfwd_route *r)
{
	u32 now = jiffies;

	if (now - READ_ONCE(r->heat) > HZ) {
		WRITE_ONCE(r->heat, now);
		return;
	}
	if (!atomic64_cmpxchg(&mn->hot[r->id % MFWD_HOT_SLOTS], 0,
			      (s64)r->id + 1))
		schedule_work(&mn->hot_work);
}

/**
 * mfwd_ctr_count() - count a packet a route forwarded (or stopped)
 * @mn: netns state
 * @r: the route
 * @len: its length
 *
 * Context: BH disabled, RCU read side.
 */
void mfwd_ctr_count(struct mfwd_net *mn, struct mfwd_route *r,
		    unsigned int len)
{
	struct mfwd_route_stats __percpu *pc = mfwd_ctr_pcpu(r);
	struct mfwd_route_stats *s;

	if (likely(pc)) {
		s = this_cpu_ptr(pc);
		u64_stats_update_begin(&s->syncp);
		u64_stats_inc(&s->pkts);
		u64_stats_add(&s->bytes, len);
		u64_stats_update_end(&s->syncp);
		return;
	}
	atomic64_add(len, &r->c_bytes);
	if (unlikely(!(atomic64_inc_return(&r->c_pkts) & (MFWD_HOT_PKTS - 1))))
		mfwd_ctr_heat(mn, r);
}

/**
 * mfwd_ctr_wrong_if() - count a packet that arrived on a wrong VIF
 * @r: the route
 *
 * Context: BH disabled, RCU read side.
 */
void mfwd_ctr_wrong_if(struct mfwd_route *r)
{
	struct mfwd_route_stats __percpu *pc = mfwd_ctr_pcpu(r);
	struct mfwd_route_stats *s;

	if (!pc) {
		atomic64_inc(&r->c_wrong_if);
		return;
	}
	s = this_cpu_ptr(pc);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->wrong_if);
	u64_stats_update_end(&s->syncp);
}

/**
 * mfwd_route_stats_read() - a route's counters
 * @r: the route
 * @sum: out: its packets, bytes and wrong-VIF packets
 */
void mfwd_route_stats_read(const struct mfwd_route *r,
			   struct mfwd_route_stats *sum)
{
	struct mfwd_route_stats __percpu *pc = mfwd_ctr_pcpu(r);
	u64 p = atomic64_read(&r->c_pkts), b = atomic64_read(&r->c_bytes);
	u64 w = atomic64_read(&r->c_wrong_if);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct mfwd_route_stats *s;
		u64 sp, sb, sw;
		unsigned int start;

		if (!pc)
			break;
		s = per_cpu_ptr(pc, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			sp = u64_stats_read(&s->pkts);
			sb = u64_stats_read(&s->bytes);
			sw = u64_stats_read(&s->wrong_if);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		p += sp;
		b += sb;
		w += sw;
	}
	u64_stats_set(&sum->pkts, p);
	u64_stats_set(&sum->bytes, b);
	u64_stats_set(&sum->wrong_if, w);
}

/* Per-CPU counters for the routes the fast path found hot. */
static void mfwd_ctr_hot_work(struct work_struct *work)
{
	struct mfwd_net *mn = container_of(work, struct mfwd_net, hot_work);
	struct mem_cgroup *old;
	struct mfwd_route *r;
	unsigned int i;
	s64 id;

	mutex_lock(&mn->lock);
	old = set_active_memcg(mn->ctr_memcg);
	for (i = 0; i < MFWD_HOT_SLOTS; i++) {
		id = atomic64_xchg(&mn->hot[i], 0);
		if (!id)
			continue;
		/* Routes leave route_ids under mn->lock. */
		r = xa_load(&mn->route_ids, id - 1);
		if (r && !r->ctr_block)
			mfwd_ctr_get(mn, r);
	}
	set_active_memcg(old);
	mutex_unlock(&mn->lock);
}

/**
 * mfwd_ctr_owner() - charge later per-CPU counters to the caller
 * @mn: netns state
 *
 * A route turns hot without a request: its per-CPU counters are charged to
 * the memory cgroup of the last process that added routes to the netns.
 * Context: process, mn->lock held.
 */
void mfwd_ctr_owner(struct mfwd_net *mn)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(current->mm);

	if (memcg == mn->ctr_memcg) {
		mem_cgroup_put(memcg);
		return;
	}
	mem_cgroup_put(mn->ctr_memcg);
	mn->ctr_memcg = memcg;
}

void mfwd_ctrs_init(struct mfwd_net *mn)
{
	spin_lock_init(&mn->ctrs.lock);
	INIT_LIST_HEAD(&mn->ctrs.partial);
	INIT_WORK(&mn->hot_work, mfwd_ctr_hot_work);
}

/* Context: the fast path is done (no hook, no queued packet). */
void mfwd_ctrs_destroy(struct mfwd_net *mn)
{
	cancel_work_sync(&mn->hot_work);
	mem_cgroup_put(mn->ctr_memcg);
	mn->ctr_memcg = NULL;
	WARN_ON(!list_empty(&mn->ctrs.partial));
}
