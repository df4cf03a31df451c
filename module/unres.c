// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the unresolved queue.
 *
 * A packet that matches no route is held in an (S,G) entry and the
 * controller gets a NOCACHE event, once per entry (and with a signal rate
 * set, at most that many a second for one (S,G)). Installing a route that
 * matches the entry forwards its packets in arrival order, and packets of
 * that (S,G) that arrive meanwhile go behind them. Entries expire; the
 * number of entries, the packets per entry and the bytes queued in all
 * namespaces are bounded, and every packet dropped or freed here is
 * counted. A new (S,G) that finds the table full evicts the oldest entry,
 * so that the controller still hears of new flows; at most
 * MFWD_UNRES_EVICT_RATE times a second, so that a flood of new (S,G)
 * costs an allocation and an event per packet only that often.
 */
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "mfwd.h"

#define MFWD_UNRES_BITS_MIN	6
#define MFWD_UNRES_BITS_MAX	16
#define MFWD_UNRES_EVICT_RATE	64
/* Packets one (S,G) may queue while its route is being released. */
#define MFWD_UNRES_RESOLVING_QLEN	1024
/* (S,G)s whose NOCACHE rate is remembered; a power of 2. */
#define MFWD_UNRES_SIG_SLOTS	1024

unsigned long mfwd_unres_bytes_max __read_mostly = 32UL << 20;
module_param_named(unres_bytes_max, mfwd_unres_bytes_max, ulong, 0644);
MODULE_PARM_DESC(unres_bytes_max,
		 "bytes (truesize) queued in unresolved entries, all namespaces");

static atomic_long_t mfwd_unres_bytes = ATOMIC_LONG_INIT(0);

/*
 * Packets of one (S,G) may arrive on several VIFs; each keeps its own input
 * device (skb->dev) for the RPF check when it is released, and is freed when
 * that device stops being a VIF.
 */
struct mfwd_unres_entry {
	struct hlist_node hnode;
	struct list_head list;	/* u->list by expiry, or a resolver's list */
	struct mfwd_key key;
	u8 family;
	unsigned long expires;
	bool resolving;
	struct sk_buff_head q;
};

/*
 * The NOCACHE rate limit of one (S,G) outlives its entries, which come and
 * go with the timeout, evictions and routes: it is kept in a slot chosen by
 * the (S,G)'s hash, which a newer (S,G) with the same slot takes over.
 */
struct mfwd_unres_sig {
	u32 hash;
	u64 state;	/* see mfwd_signal_allow() */
};

static u32 mfwd_unres_hash(const struct mfwd_unres *u, u8 family,
			   const struct mfwd_key *key)
{
	u32 h;

	if (family == AF_INET6)
		h = jhash2((const u32 *)&key->v6,
			   sizeof(key->v6) / sizeof(u32), u->seed);
	else
		h = jhash_2words((__force u32)key->v4.src,
				 (__force u32)key->v4.grp, u->seed);
	return hash_32(h, u->hash_bits);
}

static struct mfwd_unres_entry *mfwd_unres_find(struct mfwd_unres *u,
						u8 family,
						const struct mfwd_key *key)
{
	struct hlist_head *head = &u->hash[mfwd_unres_hash(u, family, key)];
	struct mfwd_unres_entry *e;

	hlist_for_each_entry(e, head, hnode)
		if (e->family == family &&
		    !memcmp(&e->key, key, mfwd_key_len(family)))
			return e;
	return NULL;
}

static void mfwd_unres_unqueue(struct mfwd_unres *u, struct sk_buff *skb)
{
	u->packets--;
	atomic_long_sub(skb->truesize, &mfwd_unres_bytes);
}

/* Move the packets of @e to @to. Context: u->lock held. */
static void mfwd_unres_take(struct mfwd_unres *u, struct mfwd_unres_entry *e,
			    struct sk_buff_head *to)
{
	struct sk_buff *skb;

	skb_queue_walk(&e->q, skb)
		mfwd_unres_unqueue(u, skb);
	skb_queue_splice_tail_init(&e->q, to);
}

/* Unhash @e, taking its packets to @to. Context: u->lock held. */
static void mfwd_unres_unlink(struct mfwd_unres *u, struct mfwd_unres_entry *e,
			      struct sk_buff_head *to)
{
	hlist_del(&e->hnode);
	if (!e->resolving)
		list_del(&e->list);
	u->entries--;
	mfwd_unres_take(u, e, to);
}

/* Keep the list in expiry order, which a lowered timeout would break if new
 * entries just went to the tail. Context: u->lock held.
 */
static void mfwd_unres_link(struct mfwd_unres *u, struct mfwd_unres_entry *e)
{
	struct mfwd_unres_entry *pos;

	list_for_each_entry_reverse(pos, &u->list, list) {
		if (!time_after(pos->expires, e->expires))
			break;
	}
	list_add(&e->list, &pos->list);
	hlist_add_head(&e->hnode,
		       &u->hash[mfwd_unres_hash(u, e->family, &e->key)]);
	u->entries++;
	if (!timer_pending(&u->timer) ||
	    time_before(e->expires, u->timer.expires))
		mod_timer(&u->timer, e->expires);
}

/* Free the packets of @q, counted as @why in the table of @vif, else of
 * their input VIF (table 0 when it is gone).
 * Context: BH disabled (per-CPU counters), RCU read side.
 */
static void mfwd_unres_purge(struct mfwd_net *mn, struct sk_buff_head *q,
			     enum mfwd_counter why,
			     const struct mfwd_vif *vif)
{
	const struct mfwd_vif *in;
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q))) {
		in = vif ?: mfwd_vif_find(mn, skb->dev->ifindex);
		mfwd_count(in ? in->table : mn->table0, why);
		kfree_skb(skb);
	}
}

static void mfwd_unres_free(struct list_head *gone)
{
	struct mfwd_unres_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, gone, list)
		kfree(e);
}

static void mfwd_unres_timer(struct timer_list *t)
{
	struct mfwd_unres *u = from_timer(u, t, timer);
	struct mfwd_net *mn = container_of(u, struct mfwd_net, unres);
	struct mfwd_unres_entry *e, *tmp;
	struct sk_buff_head dead;
	LIST_HEAD(gone);

	__skb_queue_head_init(&dead);
	spin_lock(&u->lock);
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		if (time_before(jiffies, e->expires)) {
			mod_timer(&u->timer, e->expires);
			break;
		}
		mfwd_unres_unlink(u, e, &dead);
		list_add(&e->list, &gone);
	}
	spin_unlock(&u->lock);

	mfwd_unres_purge(mn, &dead, MFWD_C_DROP_EXPIRED, NULL);
	mfwd_unres_free(&gone);
}

static u32 mfwd_unres_bits(u32 unres_max)
{
	u32 bits = order_base_2(max(unres_max, 1U));

	return clamp(bits, MFWD_UNRES_BITS_MIN, MFWD_UNRES_BITS_MAX);
}

int mfwd_unres_init(struct mfwd_net *mn)
{
	struct mfwd_unres *u = &mn->unres;

	u->hash_bits = mfwd_unres_bits(mn->cfg.unres_max);
	u->hash = kvcalloc(1U << u->hash_bits, sizeof(*u->hash),
			   GFP_KERNEL_ACCOUNT);
	if (!u->hash)
		return -ENOMEM;
	u->seed = get_random_u32();
	spin_lock_init(&u->lock);
	INIT_LIST_HEAD(&u->list);
	timer_setup(&u->timer, mfwd_unres_timer, 0);
	return 0;
}

/**
 * mfwd_unres_resize() - size the hash for a new unres-max
 * @mn: netns state
 * @unres_max: the new limit
 *
 * Context: @mn->lock held (so no entry is being released), process.
 * Return: 0 or -ENOMEM (the old hash stays).
 */
int mfwd_unres_resize(struct mfwd_net *mn, u32 unres_max)
{
	struct mfwd_unres *u = &mn->unres;
	u32 bits = mfwd_unres_bits(unres_max);
	struct hlist_head *new, *old;
	struct mfwd_unres_entry *e;

	lockdep_assert_held(&mn->lock);

	if (bits == u->hash_bits)
		return 0;
	new = kvcalloc(1U << bits, sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	spin_lock_bh(&u->lock);
	old = u->hash;
	u->hash = new;
	u->hash_bits = bits;
	list_for_each_entry(e, &u->list, list)
		hlist_add_head(&e->hnode,
			       &new[mfwd_unres_hash(u, e->family, &e->key)]);
	spin_unlock_bh(&u->lock);
	kvfree(old);
	return 0;
}

void mfwd_unres_destroy(struct mfwd_net *mn)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e, *tmp;
	struct sk_buff_head dead;

	__skb_queue_head_init(&dead);
	del_timer_sync(&u->timer);
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		mfwd_unres_unlink(u, e, &dead);
		kfree(e);
	}
	local_bh_disable();
	mfwd_unres_purge(mn, &dead, MFWD_C_DROP_EXPIRED, NULL);
	local_bh_enable();
	kvfree(u->hash);
	kvfree(u->sig);
}

/**
 * mfwd_unres_set_signal_rate() - prepare for a NOCACHE rate limit
 * @mn: netns state
 * @rate: the new limit, events per second and (S,G); 0 for none
 *
 * Context: @mn->lock held, process.
 * Return: 0 or -ENOMEM (nothing changed).
 */
int mfwd_unres_set_signal_rate(struct mfwd_net *mn, u32 rate)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_sig *sig;

	lockdep_assert_held(&mn->lock);

	if (!rate || u->sig)
		return 0;
	sig = kvcalloc(MFWD_UNRES_SIG_SLOTS, sizeof(*sig), GFP_KERNEL_ACCOUNT);
	if (!sig)
		return -ENOMEM;
	spin_lock_bh(&u->lock);
	u->sig = sig;
	spin_unlock_bh(&u->lock);
	return 0;
}

/* Whether a new entry for @key may send its NOCACHE event.
 * Context: u->lock held.
 */
static bool mfwd_unres_signal(struct mfwd_net *mn, u8 family,
			      const struct mfwd_key *key)
{
	u32 rate = READ_ONCE(mn->cfg.signal_rate);
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_sig *sig;
	u32 h;

	if (!rate || !u->sig)
		return true;
	h = jhash(key, mfwd_key_len(family), u->seed ^ family);
	sig = &u->sig[h & (MFWD_UNRES_SIG_SLOTS - 1)];
	if (sig->hash != h) {
		sig->hash = h;
		sig->state = 0;
	}
	return mfwd_signal_allow(&sig->state, rate, 0);
}

/* Make room for a new entry: the oldest waiting one goes, its packets
 * counted as dropped. Context: u->lock held.
 */
static bool mfwd_unres_evict(struct mfwd_unres *u, struct sk_buff_head *dead,
			     struct list_head *gone)
{
	struct mfwd_unres_entry *e;

	if (time_after(jiffies, u->evict_start + HZ)) {
		u->evict_start = jiffies;
		u->evicted = 0;
	}
	if (u->evicted >= MFWD_UNRES_EVICT_RATE)
		return false;
	e = list_first_entry_or_null(&u->list, struct mfwd_unres_entry, list);
	if (!e)
		return false;
	u->evicted++;
	mfwd_unres_unlink(u, e, dead);
	list_add(&e->list, gone);
	return true;
}

/* Context: u->lock held. Return: the new entry; NULL if the table is full,
 * ERR_PTR(-ENOMEM) if it could not be allocated.
 */
static struct mfwd_unres_entry *mfwd_unres_new(struct mfwd_net *mn,
					       u8 family,
					       const struct mfwd_key *key,
					       struct sk_buff_head *dead,
					       struct list_head *gone)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e;

	if (!READ_ONCE(mn->cfg.unres_max))
		return NULL;
	if (u->entries >= READ_ONCE(mn->cfg.unres_max) &&
	    !mfwd_unres_evict(u, dead, gone))
		return NULL;
	e = kzalloc(sizeof(*e), GFP_ATOMIC);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->key = *key;
	e->family = family;
	e->expires = jiffies +
		     msecs_to_jiffies(READ_ONCE(mn->cfg.unres_timeout_ms));
	__skb_queue_head_init(&e->q);
	mfwd_unres_link(u, e);
	return e;
}

/* Context: u->lock held. Return: whether @skb was queued on @e. */
static bool mfwd_unres_add(struct mfwd_net *mn, struct mfwd_unres_entry *e,
			   struct sk_buff *skb)
{
	u32 qlen = e->resolving ? MFWD_UNRES_RESOLVING_QLEN :
				  READ_ONCE(mn->cfg.unres_qlen);

	if (skb_queue_len(&e->q) >= qlen)
		return false;
	if (atomic_long_add_return(skb->truesize, &mfwd_unres_bytes) >
	    READ_ONCE(mfwd_unres_bytes_max)) {
		atomic_long_sub(skb->truesize, &mfwd_unres_bytes);
		return false;
	}
	__skb_queue_tail(&e->q, skb);
	mn->unres.packets++;
	return true;
}

/**
 * mfwd_unres_queue() - hold a packet that matched no route
 * @mn: netns state
 * @in: the VIF it arrived on
 * @skb: the packet
 * @keep: the stack keeps @skb (local delivery, bridging): queue a copy and
 *	let the original go on
 * @family: AF_INET or AF_INET6
 * @key: the packet's source and group
 *
 * Also takes the packets of a route whose queue is being released: those
 * of an (S,G) still queued go behind the queued ones.
 *
 * Context: the PRE_ROUTING hook, BH disabled.
 * Return: the hook's verdict for @skb.
 */
unsigned int mfwd_unres_queue(struct mfwd_net *mn, struct mfwd_vif *in,
			      struct sk_buff *skb, bool keep, u8 family,
			      const struct mfwd_key *key)
{
	unsigned int verdict = keep ? NF_ACCEPT : NF_DROP;
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e;
	struct sk_buff_head dead;
	enum mfwd_counter why;
	bool signal = false;
	struct mfwd_route *r;
	struct sk_buff *qskb;
	LIST_HEAD(gone);

	__skb_queue_head_init(&dead);
	spin_lock(&u->lock);
	why = MFWD_C_DROP_NO_VIF;
	if (READ_ONCE(in->dead))	/* its packets were purged already */
		goto drop;
	e = mfwd_unres_find(u, family, key);
	/* A route added since the caller's lookup: forward, unless packets
	 * of this (S,G) are queued and may be released by it (they go
	 * first): the entry is being released, or the route is releasing
	 * what it resolves. An entry left after that can only wait for a
	 * per-input route of another input.
	 */
	r = mfwd_route_match(mn, family, key, in);
	if (r && (!e || (!e->resolving && !READ_ONCE(r->resolving)))) {
		spin_unlock(&u->lock);
		mfwd_forward(mn, r, in, skb, keep);
		return keep ? NF_ACCEPT : NF_STOLEN;
	}
	why = MFWD_C_DROP_QUEUE_FULL;
	if (!e) {
		e = mfwd_unres_new(mn, family, key, &dead, &gone);
		if (IS_ERR_OR_NULL(e)) {
			if (e)
				why = MFWD_C_DROP_NOMEM;
			goto drop;
		}
		signal = mfwd_unres_signal(mn, family, key);
	}
	qskb = keep ? skb_clone(skb, GFP_ATOMIC) : skb;
	if (!qskb) {
		why = MFWD_C_DROP_NOMEM;
		goto drop;
	}
	if (!mfwd_unres_add(mn, e, qskb)) {
		if (keep)
			kfree_skb(qskb);
		goto drop;
	}
	verdict = keep ? NF_ACCEPT : NF_STOLEN;
	goto unlock;
drop:
	mfwd_count(in->table, why);
unlock:
	spin_unlock(&u->lock);
	mfwd_unres_purge(mn, &dead, MFWD_C_DROP_QUEUE_FULL, NULL);
	mfwd_unres_free(&gone);
	if (signal)
		mfwd_nl_event(mn, MFWD_CMD_NOCACHE, family, key, in, NULL,
			      NULL);
	return verdict;
}

/* Forward the released packets of @e, each checked against its own input
 * VIF. Those of another input than a per-input @r's take the route their
 * input selects, if any.
 * Context: @mn->lock held, so no VIF goes away meanwhile.
 */
static void mfwd_unres_release(struct mfwd_net *mn, struct mfwd_route *r,
			       const struct mfwd_unres_entry *e,
			       struct sk_buff_head *q)
{
	struct mfwd_route *rr;
	struct mfwd_vif *in;
	struct sk_buff *skb;

	local_bh_disable();
	rcu_read_lock();
	while ((skb = __skb_dequeue(q))) {
		in = mfwd_vif_find(mn, skb->dev->ifindex);
		if (!in || in->dev != skb->dev) {
			mfwd_count(mfwd_table_of(mn, e->key.table),
				   MFWD_C_DROP_NO_VIF);
			kfree_skb(skb);
			continue;
		}
		rr = r;
		if (r->iif && r->iif != in->ifindex)
			rr = mfwd_route_match(mn, e->family, &e->key, in);
		if (rr) {
			mfwd_forward(mn, rr, in, skb, false);
		} else {
			mfwd_count(in->table, MFWD_C_DROP_RPF);
			kfree_skb(skb);
		}
	}
	rcu_read_unlock();
	local_bh_enable();
}

/* Whether route key @rk covers the packet key @pk (of @rk's family). */
static bool mfwd_key_covers(const struct mfwd_key *rk, u8 family,
			    const struct mfwd_key *pk)
{
	struct in6_addr a;

	if (pk->table != rk->table)
		return false;
	if (family == AF_INET)
		return !((pk->v4.grp ^ rk->v4.grp) &
			 inet_make_mask(rk->grp_len)) &&
		       !((pk->v4.src ^ rk->v4.src) &
			 inet_make_mask(rk->src_len));
	ipv6_addr_prefix(&a, &pk->v6.grp, rk->grp_len);
	if (!ipv6_addr_equal(&a, &rk->v6.grp))
		return false;
	ipv6_addr_prefix(&a, &pk->v6.src, rk->src_len);
	return ipv6_addr_equal(&a, &rk->v6.src);
}

/* Whether @r resolves @e: it covers @e's (S,G) and, if per-input, some
 * packet of @e arrived on its input.
 */
static bool mfwd_unres_resolves(const struct mfwd_route *r,
				const struct mfwd_unres_entry *e)
{
	const struct sk_buff *skb;

	if (e->family != r->family ||
	    !mfwd_key_covers(&r->key, r->family, &e->key))
		return false;
	if (!r->iif)
		return true;
	skb_queue_walk(&e->q, skb)
		if (skb->dev->ifindex == r->iif)
			return true;
	return false;
}

/* Take the entries @r resolves off the expiry list, to @todo; they stay
 * hashed, so that packets of their (S,G) go behind the queued ones. An
 * entry queued now matched no route when it was created, nor since, so a
 * new route that covers it is its most specific match.
 * Context: u->lock held.
 */
static void mfwd_unres_claim(struct mfwd_unres *u, const struct mfwd_route *r,
			     struct list_head *todo)
{
	struct mfwd_unres_entry *e, *tmp;

	if (mfwd_key_exact(&r->key, r->family)) {
		e = mfwd_unres_find(u, r->family, &r->key);
		if (e && mfwd_unres_resolves(r, e)) {
			e->resolving = true;
			list_move_tail(&e->list, todo);
		}
		return;
	}
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		if (!mfwd_unres_resolves(r, e))
			continue;
		e->resolving = true;
		list_move_tail(&e->list, todo);
	}
}

/**
 * mfwd_unres_resolve() - forward the packets a new route resolves
 * @mn: netns state
 * @r: the new route, in the table with @r->resolving set; a (*,G) or
 *	prefix route resolves every (S,G) it covers
 *
 * Releases each entry until it stays empty, then unhashes it: from then on
 * its (S,G) takes the route directly. Clears @r->resolving at the end.
 *
 * Context: @mn->lock held, process context.
 */
void mfwd_unres_resolve(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e, *tmp;
	struct sk_buff_head batch;
	LIST_HEAD(todo);
	bool done;

	__skb_queue_head_init(&batch);
	spin_lock_bh(&u->lock);
	mfwd_unres_claim(u, r, &todo);
	spin_unlock_bh(&u->lock);

	list_for_each_entry_safe(e, tmp, &todo, list) {
		do {
			spin_lock_bh(&u->lock);
			mfwd_unres_take(u, e, &batch);
			done = skb_queue_empty(&batch);
			if (done) {
				hlist_del(&e->hnode);
				u->entries--;
			}
			spin_unlock_bh(&u->lock);
			mfwd_unres_release(mn, r, e, &batch);
		} while (!done);
		list_del(&e->list);
		kfree(e);
		cond_resched();
	}
	WRITE_ONCE(r->resolving, false);
}

/* Free the packets that arrived on @vif, and the entries left empty, and
 * mark @vif dead under the lock, so that none of its packets is queued
 * after this. Context: @mn->lock held.
 */
void mfwd_unres_drop_vif(struct mfwd_net *mn, struct mfwd_vif *vif)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e, *tmp;
	struct sk_buff *skb, *next;
	struct sk_buff_head dead;
	LIST_HEAD(gone);

	__skb_queue_head_init(&dead);
	spin_lock_bh(&u->lock);
	WRITE_ONCE(vif->dead, true);
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		skb_queue_walk_safe(&e->q, skb, next) {
			if (skb->dev != vif->dev)
				continue;
			__skb_unlink(skb, &e->q);
			mfwd_unres_unqueue(u, skb);
			__skb_queue_tail(&dead, skb);
		}
		if (skb_queue_empty(&e->q)) {
			mfwd_unres_unlink(u, e, &dead);
			list_add(&e->list, &gone);
		}
	}
	spin_unlock_bh(&u->lock);

	mfwd_unres_free(&gone);
	local_bh_disable();
	mfwd_unres_purge(mn, &dead, MFWD_C_DROP_NO_VIF, vif);
	local_bh_enable();
}
