// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the route table.
 *
 * Routes live in an rhashtable per family keyed by (source, group), their
 * prefix lengths and their table's index for the fast path, and in one
 * xarray keyed by a route id for walks: dumps resume at an id, and flush
 * and VIF removal visit every route once. A packet's lookup probes its
 * exact (S,G), then each pair of prefix lengths in use, most specific
 * first (struct mfwd_plens): with only exact routes that is one probe,
 * with (*,G) routes two, as ipmr's (S,G)-then-(*,G).
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

/* Per-input routes hash their input's ifindex and the key behind it. */
static const struct rhashtable_params mfwd_iroute_params = {
	.head_offset = offsetof(struct mfwd_route, node),
	.key_offset = offsetof(struct mfwd_route, iif),
	.key_len = sizeof(u32) + MFWD_KEY4_LEN,
	.automatic_shrinking = true,
};

static const struct rhashtable_params mfwd_iroute6_params = {
	.head_offset = offsetof(struct mfwd_route, node),
	.key_offset = offsetof(struct mfwd_route, iif),
	.key_len = sizeof(u32) + MFWD_KEY6_LEN,
	.automatic_shrinking = true,
};

static struct mfwd_rtable *mfwd_rtable(struct mfwd_net *mn,
				       const struct mfwd_route *r)
{
	int fam = mfwd_fam(r->family);

	return r->iif ? &mn->iif_routes[fam] : &mn->routes[fam];
}

int mfwd_routes_init(struct mfwd_net *mn)
{
	int err;

	BUILD_BUG_ON(offsetof(struct mfwd_route, key) -
		     offsetof(struct mfwd_route, iif) !=
		     offsetof(struct mfwd_ikey, key));
	xa_init(&mn->routes[MFWD_V4].plen_refs);
	xa_init(&mn->routes[MFWD_V6].plen_refs);
	xa_init(&mn->iif_routes[MFWD_V4].plen_refs);
	xa_init(&mn->iif_routes[MFWD_V6].plen_refs);
	err = rhashtable_init(&mn->routes[MFWD_V4].ht, &mfwd_route_params);
	if (err)
		return err;
	err = rhashtable_init(&mn->routes[MFWD_V6].ht, &mfwd_route6_params);
	if (err)
		goto err4;
	err = rhashtable_init(&mn->iif_routes[MFWD_V4].ht, &mfwd_iroute_params);
	if (err)
		goto err6;
	err = rhashtable_init(&mn->iif_routes[MFWD_V6].ht,
			      &mfwd_iroute6_params);
	if (!err)
		return 0;
	rhashtable_destroy(&mn->iif_routes[MFWD_V4].ht);
err6:
	rhashtable_destroy(&mn->routes[MFWD_V6].ht);
err4:
	rhashtable_destroy(&mn->routes[MFWD_V4].ht);
	return err;
}

static void mfwd_rtable_destroy(struct mfwd_rtable *t)
{
	rhashtable_destroy(&t->ht);
	WARN_ON(!xa_empty(&t->plen_refs));
	xa_destroy(&t->plen_refs);
	kfree(rcu_dereference_protected(t->plens, true));
}

/* Context: after the last route's RCU callback (rcu_barrier). */
void mfwd_routes_destroy(struct mfwd_net *mn)
{
	int fam;

	for (fam = 0; fam < MFWD_NFAM; fam++) {
		mfwd_rtable_destroy(&mn->routes[fam]);
		mfwd_rtable_destroy(&mn->iif_routes[fam]);
	}
}

/* A forwarding set of @n_vifs outputs and further inputs. */
size_t mfwd_fwd_size(unsigned int n_vifs)
{
	struct mfwd_fwd *fwd;

	return struct_size(fwd, oif, n_vifs);
}

static size_t mfwd_fwd_bytes(const struct mfwd_fwd *fwd)
{
	return mfwd_fwd_size(fwd->n_oif + fwd->n_in);
}

/* A forwarding set of its own, after a replace; the first one lives in
 * the route and needs no RCU head.
 */
struct mfwd_fwd_rcu {
	struct rcu_head rcu;
	unsigned long fwd[];	/* a struct mfwd_fwd */
};

static struct mfwd_fwd *mfwd_fwd_dup(const struct mfwd_fwd *fwd)
{
	size_t n = mfwd_fwd_bytes(fwd);
	struct mfwd_fwd_rcu *f;

	f = kmalloc(struct_size(f, fwd, 0) + n, GFP_KERNEL_ACCOUNT);
	if (!f)
		return NULL;
	memcpy(f->fwd, fwd, n);
	return (struct mfwd_fwd *)f->fwd;
}

static struct mfwd_fwd_rcu *mfwd_fwd_rcu(struct mfwd_fwd *fwd)
{
	return (void *)((char *)fwd - offsetof(struct mfwd_fwd_rcu, fwd));
}

/**
 * mfwd_fwd_accepts() - whether a route takes packets from another VIF than
 *	its primary input
 * @fwd: the route's forwarding set
 * @in: the VIF a packet arrived on
 *
 * Context: RCU read side, or the netns mutex held.
 * Return: true if @fwd accepts from any VIF or lists @in among its further
 * inputs.
 */
bool mfwd_fwd_accepts(const struct mfwd_fwd *fwd, const struct mfwd_vif *in)
{
	const struct mfwd_oif *ins = mfwd_fwd_inputs(fwd);
	unsigned int i;

	if (fwd->any_iif)
		return true;
	for (i = 0; i < fwd->n_in; i++)
		if (READ_ONCE(ins[i].vif) == in)
			return true;
	return false;
}

/* Whether a route still has an input: it goes away with its last one. */
bool mfwd_fwd_has_input(const struct mfwd_fwd *fwd)
{
	const struct mfwd_oif *ins = mfwd_fwd_inputs(fwd);
	const struct mfwd_vif *vif = READ_ONCE(fwd->iif);
	unsigned int i;

	if (fwd->any_iif || (vif && !READ_ONCE(vif->dead)))
		return true;
	for (i = 0; i < fwd->n_in; i++) {
		vif = READ_ONCE(ins[i].vif);
		if (vif && !READ_ONCE(vif->dead))
			return true;
	}
	return false;
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

/*
 * Most routes have one or two VIFs besides their input: those come from
 * caches of exactly their size (per family, for 1 and 2 VIFs), not from
 * kmalloc, whose next size class would take up to 32 bytes more a route.
 */
#define MFWD_ROUTE_CACHES	2
static struct kmem_cache *mfwd_route_caches[MFWD_NFAM][MFWD_ROUTE_CACHES];

int __init mfwd_route_caches_init(void)
{
	static const char *const names[MFWD_NFAM][MFWD_ROUTE_CACHES] = {
		{ "mfwd_route4_1", "mfwd_route4_2" },
		{ "mfwd_route6_1", "mfwd_route6_2" },
	};
	static const u8 fams[MFWD_NFAM] = {
		[MFWD_V4] = AF_INET, [MFWD_V6] = AF_INET6,
	};
	int f, i;

	for (f = 0; f < MFWD_NFAM; f++) {
		for (i = 0; i < MFWD_ROUTE_CACHES; i++) {
			mfwd_route_caches[f][i] =
				kmem_cache_create(names[f][i],
						  mfwd_route_size(fams[f]) +
						  mfwd_fwd_size(i + 1),
						  __alignof__(struct mfwd_route),
						  SLAB_ACCOUNT, NULL);
			if (!mfwd_route_caches[f][i]) {
				mfwd_route_caches_exit();
				return -ENOMEM;
			}
		}
	}
	return 0;
}

/* Context: after the last route's RCU callback (rcu_barrier). */
void mfwd_route_caches_exit(void)
{
	int f, i;

	for (f = 0; f < MFWD_NFAM; f++)
		for (i = 0; i < MFWD_ROUTE_CACHES; i++)
			kmem_cache_destroy(mfwd_route_caches[f][i]);
}

/* A route and its first forwarding set of @n_vifs VIFs, @size bytes;
 * *@cache: what mfwd_route.cache must say.
 */
static struct mfwd_route *mfwd_route_alloc(u8 family, unsigned int n_vifs,
					   size_t size, u8 *cache)
{
	unsigned int i = n_vifs ? n_vifs - 1 : 0;

	if (i >= MFWD_ROUTE_CACHES) {
		*cache = 0;
		return kmalloc(size, GFP_KERNEL_ACCOUNT);
	}
	*cache = i + 1;
	return kmem_cache_alloc(mfwd_route_caches[mfwd_fam(family)][i],
				GFP_KERNEL);
}

static void mfwd_route_kfree(struct mfwd_route *r)
{
	if (r->cache)
		kmem_cache_free(mfwd_route_caches[mfwd_fam(r->family)]
						  [r->cache - 1], r);
	else
		kfree(r);
}

/* Exact match, for the control plane: @iif is a per-input route's input,
 * 0 for the other routes.
 */
struct mfwd_route *mfwd_route_find(struct mfwd_net *mn, u8 family, u32 iif,
				   const struct mfwd_key *key)
{
	int fam = mfwd_fam(family);
	struct mfwd_ikey ik = { .iif = iif };

	if (!iif) {
		if (family == AF_INET6)
			return rhashtable_lookup_fast(&mn->routes[fam].ht, key,
						      mfwd_route6_params);
		return rhashtable_lookup_fast(&mn->routes[fam].ht, key,
					      mfwd_route_params);
	}
	memcpy(&ik.key, key, mfwd_key_len(family));
	if (family == AF_INET6)
		return rhashtable_lookup_fast(&mn->iif_routes[fam].ht, &ik,
					      mfwd_iroute6_params);
	return rhashtable_lookup_fast(&mn->iif_routes[fam].ht, &ik,
				      mfwd_iroute_params);
}

/* @k: the packet key @pk cut to prefix lengths @glen and @slen. */
static __always_inline void mfwd_key_mask(struct mfwd_key *k,
					  const struct mfwd_key *pk, int fam,
					  u8 glen, u8 slen)
{
	k->grp_len = glen;
	k->src_len = slen;
	k->table = pk->table;
	if (fam == MFWD_V6) {
		ipv6_addr_prefix(&k->v6.grp, &pk->v6.grp, glen);
		ipv6_addr_prefix(&k->v6.src, &pk->v6.src, slen);
	} else {
		k->v4.grp = pk->v4.grp & inet_make_mask(glen);
		k->v4.src = pk->v4.src & inet_make_mask(slen);
	}
}

/* Probe @ht at each pair of prefix lengths of @pl, most specific first,
 * with @ik's key cut from @pk; @hkey is where @ht's key starts in @ik.
 */
static __always_inline struct mfwd_route *
mfwd_probe(struct rhashtable *ht, const struct mfwd_plens *pl,
	   struct mfwd_ikey *ik, const void *hkey, const struct mfwd_key *pk,
	   int fam, const struct rhashtable_params params)
{
	struct mfwd_route *r = NULL;
	unsigned int i;

	for (i = 0; !r && i < pl->n; i++) {
		mfwd_key_mask(&ik->key, pk, fam, pl->len[i].grp,
			      pl->len[i].src);
		r = rhashtable_lookup(ht, hkey, params);
	}
	return r;
}

/* The lookup of mfwd_route_lookup() for the packet key @pk of family @fam,
 * with the rhashtable parameters of its per-input (@iparams) and other
 * (@params) routes; inlined per family, so that they are constants.
 */
static __always_inline struct mfwd_route *
mfwd_lookup(struct mfwd_net *mn, const struct mfwd_vif *in,
	    const struct mfwd_key *pk, int fam,
	    const struct rhashtable_params iparams,
	    const struct rhashtable_params params)
{
	struct mfwd_rtable *t = &mn->iif_routes[fam];
	const struct mfwd_plens *pl;
	struct mfwd_ikey ik;
	struct mfwd_route *r;

	pl = rcu_dereference(t->plens);
	if (unlikely(pl)) {
		ik.iif = in->ifindex;
		r = mfwd_probe(&t->ht, pl, &ik, &ik, pk, fam, iparams);
		if (r)
			return r;
	}
	t = &mn->routes[fam];
	r = rhashtable_lookup(&t->ht, pk, params);
	pl = rcu_dereference(t->plens);
	if (!r && pl)
		r = mfwd_probe(&t->ht, pl, &ik, &ik.key, pk, fam, params);
	return r;
}

/**
 * mfwd_route_lookup() - the route a packet takes: the most specific match
 *	in the table of the VIF it arrived on
 * @mn: netns state
 * @in: the VIF it arrived on
 * @src: the packet's source
 * @grp: the packet's destination group
 *
 * The per-input routes of @in first, then the others; among each, exact
 * (S,G) first, then the longest group prefix, then within it the longest
 * source prefix ((*,G) is source prefix 0). Without per-input routes that
 * costs one pointer read more than the exact probe.
 *
 * Context: RCU read side.
 * Return: the route or NULL.
 */
struct mfwd_route *mfwd_route_lookup(struct mfwd_net *mn,
				     const struct mfwd_vif *in, __be32 src,
				     __be32 grp)
{
	struct mfwd_key pk;	/* only its first MFWD_KEY4_LEN bytes */

	mfwd_key_set4(&pk, in->table_idx, src, grp);
	return mfwd_lookup(mn, in, &pk, MFWD_V4, mfwd_iroute_params,
			   mfwd_route_params);
}

/**
 * mfwd_route_lookup6() - the route an IPv6 packet takes, as
 *	mfwd_route_lookup()
 * @mn: netns state
 * @in: the VIF it arrived on
 * @src: the packet's source
 * @grp: the packet's destination group
 *
 * Context: RCU read side.
 * Return: the route or NULL.
 */
struct mfwd_route *mfwd_route_lookup6(struct mfwd_net *mn,
				      const struct mfwd_vif *in,
				      const struct in6_addr *src,
				      const struct in6_addr *grp)
{
	struct mfwd_key pk;

	mfwd_key_set6(&pk, in->table_idx, src, grp);
	return mfwd_lookup(mn, in, &pk, MFWD_V6, mfwd_iroute6_params,
			   mfwd_route6_params);
}

/* mfwd_route_lookup() or mfwd_route_lookup6() for a packet's key (its
 * table is @in's).
 */
struct mfwd_route *mfwd_route_match(struct mfwd_net *mn, u8 family,
				    const struct mfwd_key *key,
				    const struct mfwd_vif *in)
{
	if (family == AF_INET6)
		return mfwd_route_lookup6(mn, in, &key->v6.src, &key->v6.grp);
	return mfwd_route_lookup(mn, in, key->v4.src, key->v4.grp);
}

static void mfwd_route_free_rcu(struct rcu_head *head)
{
	struct mfwd_route *r = container_of(head, struct mfwd_route, rcu);
	struct mfwd_fwd *fwd = rcu_dereference_raw(r->fwd);

	if (fwd != mfwd_route_fwd0(r))
		kfree(mfwd_fwd_rcu(fwd));
	mfwd_ctr_put(r);
	mfwd_route_kfree(r);
}

static int mfwd_route_hash(struct rhashtable *ht, struct mfwd_route *r)
{
	if (r->iif)
		return r->family == AF_INET6 ?
		       rhashtable_insert_fast(ht, &r->node,
					      mfwd_iroute6_params) :
		       rhashtable_insert_fast(ht, &r->node, mfwd_iroute_params);
	return r->family == AF_INET6 ?
	       rhashtable_insert_fast(ht, &r->node, mfwd_route6_params) :
	       rhashtable_insert_fast(ht, &r->node, mfwd_route_params);
}

static int mfwd_route_insert(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct rhashtable *ht = &mfwd_rtable(mn, r)->ht;
	int err, tries = 0;

	/* The table grows in a worker; a burst of inserts can get ahead of
	 * it, and then an insert fails until the worker has run.
	 */
	do {
		err = mfwd_route_hash(ht, r);
		if (err != -ENOMEM && err != -EBUSY)
			break;
		flush_work(&ht->run_work);
	} while (++tries < 3);
	return err;
}

static void mfwd_route_unhash(struct mfwd_net *mn, struct mfwd_route *r)
{
	struct rhashtable *ht = &mfwd_rtable(mn, r)->ht;

	if (r->iif && r->family == AF_INET6)
		rhashtable_remove_fast(ht, &r->node, mfwd_iroute6_params);
	else if (r->iif)
		rhashtable_remove_fast(ht, &r->node, mfwd_iroute_params);
	else if (r->family == AF_INET6)
		rhashtable_remove_fast(ht, &r->node, mfwd_route6_params);
	else
		rhashtable_remove_fast(ht, &r->node, mfwd_route_params);
}

/* Exact (S,G) routes that are not per-input are found by the first probe;
 * the others by a probe per pair of prefix lengths in use.
 */
static bool mfwd_plen_tracked(const struct mfwd_route *r)
{
	return r->iif || !mfwd_key_exact(&r->key, r->family);
}

static unsigned long mfwd_plen_index(const struct mfwd_key *key)
{
	return (unsigned long)key->grp_len << 8 | key->src_len;
}

/* Publish the pairs of @t's plen_refs, most specific first. */
static int mfwd_plens_publish(struct mfwd_net *mn, struct mfwd_rtable *t)
{
	struct mfwd_plens *pl = NULL;
	unsigned int n = 0;
	unsigned long idx;
	void *v;

	xa_for_each(&t->plen_refs, idx, v)
		n++;
	if (n) {
		pl = kmalloc(struct_size(pl, len, n), GFP_KERNEL_ACCOUNT);
		if (!pl)
			return -ENOMEM;
		pl->n = n;
		xa_for_each(&t->plen_refs, idx, v) {	/* ascending */
			n--;
			pl->len[n].grp = idx >> 8;
			pl->len[n].src = idx & 0xff;
		}
	}
	pl = rcu_replace_pointer(t->plens, pl, lockdep_is_held(&mn->lock));
	if (pl)
		kfree_rcu(pl, rcu);
	return 0;
}

/* Count @r's prefix lengths as in use. Context: mn->lock held. */
static int mfwd_plen_get(struct mfwd_net *mn, const struct mfwd_route *r)
{
	struct mfwd_rtable *t = mfwd_rtable(mn, r);
	unsigned long idx = mfwd_plen_index(&r->key);
	unsigned long n;
	int err;

	if (!mfwd_plen_tracked(r))
		return 0;
	n = xa_to_value(xa_load(&t->plen_refs, idx) ?: xa_mk_value(0));
	err = xa_err(xa_store(&t->plen_refs, idx, xa_mk_value(n + 1),
			      GFP_KERNEL_ACCOUNT));
	if (err || n)
		return err;
	err = mfwd_plens_publish(mn, t);
	if (err)
		xa_erase(&t->plen_refs, idx);
	return err;
}

/* Context: mn->lock held. */
static void mfwd_plen_put(struct mfwd_net *mn, const struct mfwd_route *r)
{
	struct mfwd_rtable *t = mfwd_rtable(mn, r);
	unsigned long idx = mfwd_plen_index(&r->key);
	unsigned long n;

	if (!mfwd_plen_tracked(r))
		return;
	n = xa_to_value(xa_load(&t->plen_refs, idx));
	if (n > 1) {
		/* The entry exists: replacing it allocates nothing. */
		xa_store(&t->plen_refs, idx, xa_mk_value(n - 1), GFP_KERNEL);
		return;
	}
	xa_erase(&t->plen_refs, idx);
	/* Without memory the old list stays: a pair no route uses costs a
	 * probe that finds nothing, until the next change.
	 */
	mfwd_plens_publish(mn, t);
}

static int mfwd_route_create(struct mfwd_net *mn, u8 family, u32 iif,
			     const struct mfwd_key *key,
			     const struct mfwd_fwd *fwd,
			     struct mfwd_route_idle *idle,
			     struct netlink_ext_ack *extack)
{
	size_t fwd_size = mfwd_fwd_bytes(fwd);
	struct mfwd_route *r;
	u8 cache;
	int err;

	if (mn->nr_routes >= mn->cfg.max_routes) {
		NL_SET_ERR_MSG(extack, "route table is full (max-routes)");
		return -ENOSPC;
	}
	/* One allocation: the route and its first forwarding set. */
	r = mfwd_route_alloc(family, fwd->n_oif + fwd->n_in,
			     mfwd_route_size(family) + fwd_size, &cache);
	if (!r)
		return -ENOMEM;
	memset(r, 0, offsetof(struct mfwd_route, key));
	r->cache = cache;
	r->family = family;
	r->iif = iif;
	memcpy(&r->key, key, mfwd_key_len(family));
	memcpy(mfwd_route_fwd0(r), fwd, fwd_size);
	r->lastuse = jiffies;
	r->heat = r->lastuse;
	r->resolving = true;		/* until its queued packets are out */
	RCU_INIT_POINTER(r->fwd, mfwd_route_fwd0(r));
	err = xa_alloc_cyclic(&mn->route_ids, &r->id, r, xa_limit_32b,
			      &mn->next_id, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto err_free;
	err = mfwd_plen_get(mn, r);
	if (err)
		goto err_id;
	err = mfwd_route_insert(mn, r);
	if (err)
		goto err_plen;
	mfwd_table_hold(mfwd_table_of(mn, key->table));
	mn->nr_routes++;
	mn->dump_seq++;
	mfwd_route_idle_set(mn, r, idle);
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
err_free:
	mfwd_route_kfree(r);
	return err;
}

/**
 * mfwd_route_add() - add or replace a route
 * @mn: netns state
 * @family: AF_INET or AF_INET6
 * @iif: the input of a per-input route, 0 for the other routes
 * @key: source and group with their prefix lengths, host bits 0
 * @fwd: forwarding set, copied; a per-input route's has @iif as its only
 *	input
 * @replace: replace an existing route instead of failing with -EEXIST
 * @idle: its idle timeout (mfwd_route_idle_set())
 * @extack: error report
 *
 * A replace swaps the forwarding set and the idle timeout, and keeps the
 * counters and meters.
 *
 * Context: @mn->lock held.
 * Return: 0, -EEXIST, -ENOSPC, -ENOMEM.
 */
int mfwd_route_add(struct mfwd_net *mn, u8 family, u32 iif,
		   const struct mfwd_key *key, const struct mfwd_fwd *fwd,
		   bool replace, struct mfwd_route_idle *idle,
		   struct netlink_ext_ack *extack)
{
	struct mfwd_fwd *old, *new;
	struct mfwd_route *r;

	lockdep_assert_held(&mn->lock);

	r = mfwd_route_find(mn, family, iif, key);
	if (!r)
		return mfwd_route_create(mn, family, iif, key, fwd, idle,
					 extack);
	if (!replace) {
		NL_SET_ERR_MSG(extack, "route exists");
		return -EEXIST;
	}
	new = mfwd_fwd_dup(fwd);
	if (!new)
		return -ENOMEM;
	old = rcu_replace_pointer(r->fwd, new, lockdep_is_held(&mn->lock));
	mn->dump_seq++;
	if (old != mfwd_route_fwd0(r))
		kfree_rcu(mfwd_fwd_rcu(old), rcu);
	mfwd_route_idle_set(mn, r, idle);
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
	mfwd_route_ext_free(mn, r);
	mfwd_nl_notify_route(mn, r, MFWD_CMD_ROUTE_DEL);
	mfwd_table_put(mn, mfwd_table_of(mn, r->key.table));
	call_rcu(&r->rcu, mfwd_route_free_rcu);
}

/* Delete the routes of @family (AF_UNSPEC: all) in table @t (NULL: all).
 * Context: @mn->lock held.
 */
void mfwd_routes_flush(struct mfwd_net *mn, u8 family,
		       const struct mfwd_table *t)
{
	struct mfwd_route *r;
	unsigned long id;

	lockdep_assert_held(&mn->lock);

	xa_for_each(&mn->route_ids, id, r) {
		if ((family == AF_UNSPEC || r->family == family) &&
		    (!t || r->key.table == t->idx))
			mfwd_route_del(mn, r);
		cond_resched();
	}
}

/* Clear @fwd's slots of dead VIFs in place; a dead primary input gives way
 * to the first live further input, which keeps its slot too: a reader that
 * saw the old primary then finds it there (mfwd_fwd_accepts()).
 * Return: whether anything changed.
 */
static bool mfwd_fwd_drop_dead(struct mfwd_fwd *fwd)
{
	struct mfwd_oif *ins = mfwd_fwd_inputs(fwd);
	unsigned int i, n = fwd->n_oif + fwd->n_in;
	bool changed = false;

	for (i = 0; i < n; i++) {
		if (fwd->oif[i].vif && fwd->oif[i].vif->dead) {
			WRITE_ONCE(fwd->oif[i].vif, NULL);
			changed = true;
		}
	}
	if (!fwd->iif || !fwd->iif->dead)
		return changed;
	for (i = 0; i < fwd->n_in; i++) {
		if (ins[i].vif) {
			WRITE_ONCE(fwd->iif, ins[i].vif);
			return true;
		}
	}
	return changed;
}

/**
 * mfwd_routes_drop_dead() - take the dead VIFs out of every route
 * @mn: netns state
 *
 * Routes left without an input are deleted (never those that accept from
 * any VIF). In the others dead slots are cleared in place, and a dead
 * primary input is replaced by a further input: readers skip empty slots,
 * and a VIF is freed only after a grace period, so no allocation (that
 * could fail) is needed.
 *
 * Context: @mn->lock held; not RTNL (it visits every route).
 */
void mfwd_routes_drop_dead(struct mfwd_net *mn)
{
	struct mfwd_route *r;
	struct mfwd_fwd *fwd;
	unsigned long id;

	lockdep_assert_held(&mn->lock);

	xa_for_each(&mn->route_ids, id, r) {
		fwd = rcu_dereference_protected(r->fwd,
						lockdep_is_held(&mn->lock));
		if (!mfwd_fwd_has_input(fwd)) {
			mfwd_route_del(mn, r);
			continue;
		}
		if (mfwd_fwd_drop_dead(fwd)) {
			mn->dump_seq++;
			mfwd_nl_notify_route(mn, r, MFWD_CMD_ROUTE_ADD);
		}
		cond_resched();
	}
}
