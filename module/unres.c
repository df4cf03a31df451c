// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the unresolved queue.
 *
 * A packet that matches no route is held in an (S,G) entry and the
 * controller gets a NOCACHE event, once per entry. Installing a route that
 * matches the entry forwards its packets in arrival order. Entries expire;
 * both the number of entries and the packets per entry are bounded, and
 * every packet dropped or freed here is counted.
 */
#include <linux/hash.h>
#include <linux/ip.h>
#include <linux/slab.h>

#include "mfwd.h"

#define MFWD_UNRES_HASH_BITS	8

/*
 * Packets of one (S,G) may arrive on several VIFs; each keeps its own input
 * device (skb->dev) for the RPF check when it is released, and is freed when
 * that device stops being a VIF.
 */
struct mfwd_unres_entry {
	struct hlist_node hnode;
	struct list_head list;	/* by expiry */
	struct mfwd_key key;
	unsigned long expires;
	struct sk_buff_head q;
};

static u32 mfwd_unres_hash(__be32 src, __be32 grp)
{
	return hash_64(((u64)(__force u32)src << 32) | (__force u32)grp,
		       MFWD_UNRES_HASH_BITS);
}

static struct mfwd_unres_entry *mfwd_unres_find(struct mfwd_unres *u,
						__be32 src, __be32 grp)
{
	struct mfwd_unres_entry *e;

	hlist_for_each_entry(e, &u->hash[mfwd_unres_hash(src, grp)], hnode)
		if (e->key.src == src && e->key.grp == grp)
			return e;
	return NULL;
}

/* Unlink @e; its packets are the caller's. Context: u->lock held. */
static void mfwd_unres_unlink(struct mfwd_unres *u, struct mfwd_unres_entry *e)
{
	hlist_del(&e->hnode);
	list_del(&e->list);
	u->entries--;
	u->packets -= skb_queue_len(&e->q);
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
	hlist_add_head(&e->hnode, &u->hash[mfwd_unres_hash(e->key.src,
							   e->key.grp)]);
	u->entries++;
	if (!timer_pending(&u->timer) ||
	    time_before(e->expires, u->timer.expires))
		mod_timer(&u->timer, e->expires);
}

static void mfwd_unres_free(struct mfwd_net *mn, struct mfwd_unres_entry *e,
			    enum mfwd_counter why)
{
	struct sk_buff *skb;

	local_bh_disable();	/* per-CPU counters */
	while ((skb = __skb_dequeue(&e->q))) {
		mfwd_count(mn, why);
		kfree_skb(skb);
	}
	local_bh_enable();
	kfree(e);
}

static void mfwd_unres_timer(struct timer_list *t)
{
	struct mfwd_unres *u = from_timer(u, t, timer);
	struct mfwd_net *mn = container_of(u, struct mfwd_net, unres);
	struct mfwd_unres_entry *e, *tmp;
	LIST_HEAD(dead);

	spin_lock(&u->lock);
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		if (time_before(jiffies, e->expires)) {
			mod_timer(&u->timer, e->expires);
			break;
		}
		mfwd_unres_unlink(u, e);
		list_add(&e->list, &dead);
	}
	spin_unlock(&u->lock);

	list_for_each_entry_safe(e, tmp, &dead, list)
		mfwd_unres_free(mn, e, MFWD_C_DROP_EXPIRED);
}

int mfwd_unres_init(struct mfwd_net *mn)
{
	struct mfwd_unres *u = &mn->unres;

	u->hash = kcalloc(1 << MFWD_UNRES_HASH_BITS, sizeof(*u->hash),
			  GFP_KERNEL);
	if (!u->hash)
		return -ENOMEM;
	spin_lock_init(&u->lock);
	INIT_LIST_HEAD(&u->list);
	timer_setup(&u->timer, mfwd_unres_timer, 0);
	return 0;
}

void mfwd_unres_destroy(struct mfwd_net *mn)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e, *tmp;

	del_timer_sync(&u->timer);
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		mfwd_unres_unlink(u, e);
		mfwd_unres_free(mn, e, MFWD_C_DROP_EXPIRED);
	}
	kfree(u->hash);
}

/**
 * mfwd_unres_queue() - hold a packet that matched no route
 * @mn: netns state
 * @in: the VIF it arrived on
 * @skb: the packet
 * @local: a local socket may want @skb: queue a copy and let it go on
 *
 * Context: the PRE_ROUTING hook.
 * Return: the hook's verdict for @skb.
 */
unsigned int mfwd_unres_queue(struct mfwd_net *mn, struct mfwd_vif *in,
			      struct sk_buff *skb, bool local)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct mfwd_key key = { .src = iph->saddr, .grp = iph->daddr };
	unsigned int verdict = local ? NF_ACCEPT : NF_DROP;
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e;
	bool created = false;
	struct mfwd_route *r;

	spin_lock(&u->lock);
	/* A route added since the caller's lookup has released the queue
	 * under this lock already: take it rather than queue behind it.
	 */
	r = mfwd_route_lookup(mn, key.src, key.grp);
	if (unlikely(r)) {
		spin_unlock(&u->lock);
		mfwd_forward(mn, r, in, skb, local);
		return local ? NF_ACCEPT : NF_STOLEN;
	}
	e = mfwd_unres_find(u, key.src, key.grp);
	if (!e) {
		if (u->entries >= READ_ONCE(mn->cfg.unres_max))
			goto full;
		e = kzalloc(sizeof(*e), GFP_ATOMIC);
		if (!e)
			goto full;
		e->key = key;
		e->expires = jiffies +
			msecs_to_jiffies(READ_ONCE(mn->cfg.unres_timeout_ms));
		__skb_queue_head_init(&e->q);
		mfwd_unres_link(u, e);
		created = true;
	}
	if (skb_queue_len(&e->q) >= READ_ONCE(mn->cfg.unres_qlen))
		goto full;
	if (local) {
		skb = skb_clone(skb, GFP_ATOMIC);
		if (!skb)
			goto full;
	}
	__skb_queue_tail(&e->q, skb);
	u->packets++;
	verdict = local ? NF_ACCEPT : NF_STOLEN;
	goto unlock;
full:
	mfwd_count(mn, MFWD_C_DROP_QUEUE_FULL);
unlock:
	spin_unlock(&u->lock);
	if (created)
		mfwd_nl_event(mn, MFWD_CMD_NOCACHE, key.src, key.grp, in, NULL,
			      NULL);
	return verdict;
}

static bool mfwd_unres_match(const struct mfwd_unres_entry *e,
			     const struct mfwd_route *r)
{
	return e->key.grp == r->key.grp &&
	       (!r->key.src || e->key.src == r->key.src);
}

/**
 * mfwd_unres_resolve() - forward the packets a new route resolves
 * @mn: netns state
 * @r: the new route; (*,G) resolves every source of G
 *
 * Context: @mn->lock held, process context.
 */
void mfwd_unres_resolve(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e, *tmp;
	struct sk_buff *skb;
	LIST_HEAD(done);

	spin_lock_bh(&u->lock);
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		if (!mfwd_unres_match(e, r))
			continue;
		mfwd_unres_unlink(u, e);
		list_add_tail(&e->list, &done);
	}
	spin_unlock_bh(&u->lock);

	list_for_each_entry_safe(e, tmp, &done, list) {
		local_bh_disable();
		rcu_read_lock();
		while ((skb = __skb_dequeue(&e->q))) {
			struct mfwd_vif *in = mfwd_vif_find(mn,
							    skb->dev->ifindex);

			if (in && in->dev == skb->dev) {
				mfwd_forward(mn, r, in, skb, false);
			} else {
				mfwd_count(mn, MFWD_C_DROP_NO_VIF);
				kfree_skb(skb);
			}
		}
		rcu_read_unlock();
		local_bh_enable();
		kfree(e);
	}
}

/* Free the packets that arrived on @vif, and the entries left empty.
 * Context: @mn->lock held.
 */
void mfwd_unres_drop_vif(struct mfwd_net *mn, struct mfwd_vif *vif)
{
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_unres_entry *e, *tmp;
	struct sk_buff *skb, *next;
	struct sk_buff_head dead;
	LIST_HEAD(empty);

	__skb_queue_head_init(&dead);
	spin_lock_bh(&u->lock);
	list_for_each_entry_safe(e, tmp, &u->list, list) {
		skb_queue_walk_safe(&e->q, skb, next) {
			if (skb->dev != vif->dev)
				continue;
			__skb_unlink(skb, &e->q);
			__skb_queue_tail(&dead, skb);
			u->packets--;
		}
		if (skb_queue_empty(&e->q)) {
			mfwd_unres_unlink(u, e);
			list_add(&e->list, &empty);
		}
	}
	spin_unlock_bh(&u->lock);

	list_for_each_entry_safe(e, tmp, &empty, list)
		kfree(e);
	local_bh_disable();	/* per-CPU counters */
	while ((skb = __skb_dequeue(&dead))) {
		mfwd_count(mn, MFWD_C_DROP_NO_VIF);
		kfree_skb(skb);
	}
	local_bh_enable();
}
