// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the route table.
 *
 * Routes live in an rhashtable per family keyed by (source, group) and
 * their prefix lengths for the fast path, and in one xarray keyed by a
 * route id for walks: dumps resume at an id, and flush and VIF removal
 * visit every route once. A packet's lookup probes its exact (S,G), then
 * each pair of prefix lengths in use, most specific first (struct
 * mfwd_plens): with only exact routes that is one probe, with (*,G)
 * routes two, as ipmr's (S,G)-then-(*,G).
 */
#include <linux/inetdevice.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "mfwd.h"

static const struct rhashtable_params mfwd_route_params = {
	.head_offset = offsetof(struct mfwd_route, node),
	.key_offset = offsetof(struct mfwd_route, key),
	.key_len = MFWD_KEY4_LEN,
	.automatic_shrinking = true,
};

static const struct rhashtable_params mfwd_route6_params = {
	.head_offset = offsetof(struct mfwd_route, node),
	.key_offset = offsetof(struct mfwd_route, key),
	.key_len = MFWD_KEY6_LEN,
	.automatic_shrinking = true,
};

int mfwd_routes_init(struct mfwd_net *mn)
{
	int err;

	spin_lock_init(&mn->ctrs.lock);
	INIT_LIST_HEAD(&mn->ctrs.partial);
	xa_init(&mn->plen_refs[MFWD_V4]);
	xa_init(&mn->plen_refs[MFWD_V6]);
	err = rhashtable_init(&mn->routes[MFWD_V4], &mfwd_route_params);
	if (err)
		return err;
	err = rhashtable_init(&mn->routes[MFWD_V6], &mfwd_route6_params);
	if (err)
		rhashtable_destroy(&mn->routes[MFWD_V4]);
	return err;
}

/* Context: after the last route's RCU callback (rcu_barrier). */
void mfwd_routes_destroy(struct mfwd_net *mn)
{
	int fam;

	for (fam = 0; fam < MFWD_NFAM; fam++) {
		rhashtable_destroy(&mn->routes[fam]);
		WARN_ON(!xa_empty(&mn->plen_refs[fam]));
		xa_destroy(&mn->plen_refs[fam]);
		kfree(rcu_dereference_protected(mn->plens[fam], true));
	}
	WARN_ON(!list_empty(&mn->ctrs.partial));
}

size_t mfwd_fwd_size(unsigned int n_oif)
{
	struct mfwd_fwd *fwd;

	return struct_size(fwd, oif, n_oif);
}

/* A route up to the end of its family's key, where its first forwarding
 * set begins.
 */
static size_t mfwd_route_size(u8 family)
{
	return ALIGN(offsetof(struct mfwd_route, key) + mfwd_key_len(family),
		     __alignof__(struct mfwd_fwd));
}

static struct mfwd_fwd *mfwd_route_fwd0(struct mfwd_route *r)
{
	return (struct mfwd_fwd *)((char *)r + mfwd_route_size(r->family));
}

/* Take a zeroed counter slot for @r. Context: process, mn->lock held. */
static int mfwd_ctr_get(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct mfwd_ctr_pool *p = &mn->ctrs;
	struct mfwd_ctr_block *b, *nb = NULL;
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
			r->ctr_slot = ffz(b->used);
			b->used |= BIT_ULL(r->ctr_slot);
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
	r->ctr_block = b;
	r->stats = b->pcpu + r->ctr_slot;
	for_each_possible_cpu(cpu) {
		struct mfwd_route_stats *s = per_cpu_ptr(r->stats, cpu);

		memset(s, 0, sizeof(*s));
		u64_stats_init(&s->syncp);
	}
	return 0;
}

/* Context: any; after readers of @r are done. */
static void mfwd_ctr_put(struct mfwd_route *r)
{
	struct mfwd_ctr_block *b = r->ctr_block;
	struct mfwd_ctr_pool *p = b->pool;
	bool empty;

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

void mfwd_route_stats_read(const struct mfwd_route *r,
			   struct mfwd_route_stats *sum)
{
	u64 p = 0, b = 0, w = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct mfwd_route_stats *s = per_cpu_ptr(r->stats, cpu);
		u64 sp, sb, sw;
		unsigned int start;

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

/* Exact match, for the control plane. */
struct mfwd_route *mfwd_route_find(struct mfwd_net *mn, u8 family,
				   const struct mfwd_key *key)
{
	if (family == AF_INET6)
		return rhashtable_lookup_fast(&mn->routes[MFWD_V6], key,
					      mfwd_route6_params);
	return rhashtable_lookup_fast(&mn->routes[MFWD_V4], key,
				      mfwd_route_params);
}

/**
 * mfwd_route_lookup() - the route a packet takes: the most specific match
 * @mn: netns state
 * @src: the packet's source
 * @grp: the packet's destination group
 *
 * Exact (S,G) first, then the longest group prefix, then within it the
 * longest source prefix ((*,G) is source prefix 0).
 *
 * Context: RCU read side.
 * Return: the route or NULL.
 */
struct mfwd_route *mfwd_route_lookup(struct mfwd_net *mn, __be32 src,
				     __be32 grp)
{
	struct rhashtable *ht = &mn->routes[MFWD_V4];
	const struct mfwd_plens *pl;
	struct mfwd_key key;	/* only its first MFWD_KEY4_LEN bytes */
	struct mfwd_route *r;
	unsigned int i;

	mfwd_key_set4(&key, src, grp);
	r = rhashtable_lookup(ht, &key, mfwd_route_params);
	pl = rcu_dereference(mn->plens[MFWD_V4]);
	for (i = 0; !r && pl && i < pl->n; i++) {
		key.grp_len = pl->len[i].grp;
		key.src_len = pl->len[i].src;
		key.v4.grp = grp & inet_make_mask(key.grp_len);
		key.v4.src = src & inet_make_mask(key.src_len);
		r = rhashtable_lookup(ht, &key, mfwd_route_params);
	}
	return r;
}

/**
 * mfwd_route_lookup6() - the route an IPv6 packet takes, as
 *	mfwd_route_lookup()
 * @mn: netns state
 * @src: the packet's source
 * @grp: the packet's destination group
 *
 * Context: RCU read side.
 * Return: the route or NULL.
 */
struct mfwd_route *mfwd_route_lookup6(struct mfwd_net *mn,
				      const struct in6_addr *src,
				      const struct in6_addr *grp)
{
	struct rhashtable *ht = &mn->routes[MFWD_V6];
	const struct mfwd_plens *pl;
	struct mfwd_key key;
	struct mfwd_route *r;
	unsigned int i;

	mfwd_key_set6(&key, src, grp);
	r = rhashtable_lookup(ht, &key, mfwd_route6_params);
	pl = rcu_dereference(mn->plens[MFWD_V6]);
	for (i = 0; !r && pl && i < pl->n; i++) {
		key.grp_len = pl->len[i].grp;
		key.src_len = pl->len[i].src;
		ipv6_addr_prefix(&key.v6.grp, grp, key.grp_len);
		ipv6_addr_prefix(&key.v6.src, src, key.src_len);
		r = rhashtable_lookup(ht, &key, mfwd_route6_params);
	}
	return r;
}

/* mfwd_route_lookup() or mfwd_route_lookup6() for a packet's key. */
struct mfwd_route *mfwd_route_match(struct mfwd_net *mn, u8 family,
				    const struct mfwd_key *key)
{
	if (family == AF_INET6)
		return mfwd_route_lookup6(mn, &key->v6.src, &key->v6.grp);
	return mfwd_route_lookup(mn, key->v4.src, key->v4.grp);
}

static void mfwd_route_free_rcu(struct rcu_head *head)
{
	struct mfwd_route *r = container_of(head, struct mfwd_route, rcu);
	struct mfwd_fwd *fwd = rcu_dereference_raw(r->fwd);

	if (fwd != mfwd_route_fwd0(r))
		kfree(fwd);
	mfwd_ctr_put(r);
	kfree(r);
}

static int mfwd_route_insert(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct rhashtable *ht = &mn->routes[mfwd_fam(r->family)];
	int err, tries = 0;

	/* The table grows in a worker; a burst of inserts can get ahead of
	 * it, and then an insert fails until the worker has run.
	 */
	do {
		if (r->family == AF_INET6)
			err = rhashtable_insert_fast(ht, &r->node,
						     mfwd_route6_params);
		else
			err = rhashtable_insert_fast(ht, &r->node,
						     mfwd_route_params);
		if (err != -ENOMEM && err != -EBUSY)
			break;
		flush_work(&ht->run_work);
	} while (++tries < 3);
	return err;
}

static void mfwd_route_unhash(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct rhashtable *ht = &mn->routes[mfwd_fam(r->family)];

	if (r->family == AF_INET6)
		rhashtable_remove_fast(ht, &r->node, mfwd_route6_params);
	else
		rhashtable_remove_fast(ht, &r->node, mfwd_route_params);
}

/* Exact (S,G) routes are found by the first probe; the others by a probe
 * per pair of prefix lengths in use.
 */
static bool mfwd_plen_tracked(const struct mfwd_route *r)
{
	return !mfwd_key_exact(&r->key, r->family);
}

static unsigned long mfwd_plen_index(const struct mfwd_key *key)
{
	return (unsigned long)key->grp_len << 8 | key->src_len;
}

/* Publish the pairs of @fam's mn->plen_refs, most specific first. */
static int mfwd_plens_publish(struct mfwd_net *mn, int fam)
{
	struct xarray *refs = &mn->plen_refs[fam];
	struct mfwd_plens *pl = NULL;
	unsigned int n = 0;
	unsigned long idx;
	void *v;

	xa_for_each(refs, idx, v)
		n++;
	if (n) {
		pl = kmalloc(struct_size(pl, len, n), GFP_KERNEL_ACCOUNT);
		if (!pl)
			return -ENOMEM;
		pl->n = n;
		xa_for_each(refs, idx, v) {	/* ascending: fill backwards */
			n--;
			pl->len[n].grp = idx >> 8;
			pl->len[n].src = idx & 0xff;
		}
	}
	pl = rcu_replace_pointer(mn->plens[fam], pl,
				 lockdep_is_held(&mn->lock));
	if (pl)
		kfree_rcu(pl, rcu);
	return 0;
}

/* Count @r's prefix lengths as in use. Context: mn->lock held. */
static int mfwd_plen_get(struct mfwd_net *mn, const struct mfwd_route *r)
{
	int fam = mfwd_fam(r->family);
	struct xarray *refs = &mn->plen_refs[fam];
	unsigned long idx = mfwd_plen_index(&r->key);
	unsigned long n;
	int err;

	if (!mfwd_plen_tracked(r))
		return 0;
	n = xa_to_value(xa_load(refs, idx) ?: xa_mk_value(0));
	err = xa_err(xa_store(refs, idx, xa_mk_value(n + 1),
			      GFP_KERNEL_ACCOUNT));
	if (err || n)
		return err;
	err = mfwd_plens_publish(mn, fam);
	if (err)
		xa_erase(refs, idx);
	return err;
}

/* Context: mn->lock held. */
static void mfwd_plen_put(struct mfwd_net *mn, const struct mfwd_route *r)
{
	int fam = mfwd_fam(r->family);
	struct xarray *refs = &mn->plen_refs[fam];
	unsigned long idx = mfwd_plen_index(&r->key);
	unsigned long n;

	if (!mfwd_plen_tracked(r))
		return;
	n = xa_to_value(xa_load(refs, idx));
	if (n > 1) {
		/* The entry exists: replacing it allocates nothing. */
		xa_store(refs, idx, xa_mk_value(n - 1), GFP_KERNEL);
		return;
	}
	xa_erase(refs, idx);
	/* Without memory the old list stays: a pair no route uses costs a
	 * probe that finds nothing, until the next change.
	 */
	mfwd_plens_publish(mn, fam);
}

static int mfwd_route_create(struct mfwd_net *mn, u8 family,
			     const struct mfwd_key *key,
			     const struct mfwd_fwd *fwd,
			     struct netlink_ext_ack *extack)
{
	size_t fwd_size = mfwd_fwd_size(fwd->n_oif);
	struct mfwd_route *r;
	int err;

	if (mn->nr_routes >= mn->cfg.max_routes) {
		NL_SET_ERR_MSG(extack, "route table is full (max-routes)");
		return -ENOSPC;
	}
	/* One allocation: the route and its first forwarding set. */
	r = kmalloc(mfwd_route_size(family) + fwd_size, GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	memset(r, 0, offsetof(struct mfwd_route, key));
	r->family = family;
	memcpy(&r->key, key, mfwd_key_len(family));
	memcpy(mfwd_route_fwd0(r), fwd, fwd_size);
	err = mfwd_ctr_get(mn, r);
	if (err)
		goto err_free;
	r->lastuse = jiffies;
	r->last_wrongvif = 0;		/* never */
	r->resolving = true;		/* until its queued packets are out */
	RCU_INIT_POINTER(r->fwd, mfwd_route_fwd0(r));
	err = xa_alloc_cyclic(&mn->route_ids, &r->id, r, xa_limit_32b,
			      &mn->next_id, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto err_ctr;
	err = mfwd_plen_get(mn, r);
	if (err)
		goto err_id;
	err = mfwd_route_insert(mn, r);
	if (err)
		goto err_plen;
	mn->nr_routes++;
	mn->dump_seq++;
	mfwd_nl_notify_route(mn, r, MFWD_CMD_ROUTE_ADD);
	mfwd_unres_resolve(mn, r);
	return 0;

err_plen:
	mfwd_plen_put(mn, r);
err_id:
	/* A dump may have found it by id: free it after a grace period. */
	xa_erase(&mn->route_ids, r->id);
	call_rcu(&r->rcu, mfwd_route_free_rcu);
	return err;
err_ctr:
	mfwd_ctr_put(r);
err_free:
	kfree(r);
	return err;
}

/**
 * mfwd_route_add() - add or replace a route
 * @mn: netns state
 * @family: AF_INET or AF_INET6
 * @key: source and group with their prefix lengths, host bits 0
 * @fwd: forwarding set, copied
 * @replace: replace an existing route instead of failing with -EEXIST
 * @extack: error report
 *
 * A replace swaps the forwarding set and keeps the counters.
 *
 * Context: @mn->lock held.
 * Return: 0, -EEXIST, -ENOSPC, -ENOMEM.
 */
int mfwd_route_add(struct mfwd_net *mn, u8 family, const struct mfwd_key *key,
		   const struct mfwd_fwd *fwd, bool replace,
		   struct netlink_ext_ack *extack)
{
	struct mfwd_fwd *old, *new;
	struct mfwd_route *r;

	lockdep_assert_held(&mn->lock);

	r = mfwd_route_find(mn, family, key);
	if (!r)
		return mfwd_route_create(mn, family, key, fwd, extack);
	if (!replace) {
		NL_SET_ERR_MSG(extack, "route exists");
		return -EEXIST;
	}
	new = kmemdup(fwd, mfwd_fwd_size(fwd->n_oif), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	old = rcu_replace_pointer(r->fwd, new, lockdep_is_held(&mn->lock));
	mn->dump_seq++;
	if (old != mfwd_route_fwd0(r))
		kfree_rcu(old, rcu);
	mfwd_nl_notify_route(mn, r, MFWD_CMD_ROUTE_ADD);
	return 0;
}

/**
 * mfwd_route_del() - delete a route; it is freed after readers are done
 * @mn: netns state
 * @r: the route
 *
 * Context: @mn->lock held.
 */
void mfwd_route_del(struct mfwd_net *mn, struct mfwd_route *r)
{
	lockdep_assert_held(&mn->lock);

	mfwd_route_unhash(mn, r);
	xa_erase(&mn->route_ids, r->id);
	mn->nr_routes--;
	mn->dump_seq++;
	mfwd_plen_put(mn, r);
	mfwd_nl_notify_route(mn, r, MFWD_CMD_ROUTE_DEL);
	call_rcu(&r->rcu, mfwd_route_free_rcu);
}

/* Delete the routes of @family (AF_UNSPEC: all). Context: @mn->lock held. */
void mfwd_routes_flush(struct mfwd_net *mn, u8 family)
{
	struct mfwd_route *r;
	unsigned long id;

	lockdep_assert_held(&mn->lock);

	xa_for_each(&mn->route_ids, id, r) {
		if (family == AF_UNSPEC || r->family == family)
			mfwd_route_del(mn, r);
		cond_resched();
	}
}

/**
 * mfwd_routes_drop_dead() - take the dead VIFs out of every route
 * @mn: netns state
 *
 * Routes whose input is dead are deleted. In the others dead output slots
 * are cleared in place: readers skip empty slots, and a VIF is freed only
 * after a grace period, so no allocation (that could fail) is needed.
 *
 * Context: @mn->lock held; not RTNL (it visits every route).
 */
void mfwd_routes_drop_dead(struct mfwd_net *mn)
{
	struct mfwd_route *r;
	struct mfwd_fwd *fwd;
	unsigned long id;
	unsigned int i;

	lockdep_assert_held(&mn->lock);

	xa_for_each(&mn->route_ids, id, r) {
		bool changed = false;

		fwd = rcu_dereference_protected(r->fwd,
						lockdep_is_held(&mn->lock));
		if (fwd->iif->dead) {
			mfwd_route_del(mn, r);
			continue;
		}
		for (i = 0; i < fwd->n_oif; i++) {
			if (fwd->oif[i].vif && fwd->oif[i].vif->dead) {
				WRITE_ONCE(fwd->oif[i].vif, NULL);
				changed = true;
			}
		}
		if (changed) {
			mn->dump_seq++;
			mfwd_nl_notify_route(mn, r, MFWD_CMD_ROUTE_ADD);
		}
		cond_resched();
	}
}
