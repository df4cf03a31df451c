/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mfwd: an IPv4 and IPv6 multicast forwarding cache.
 *
 * Locking: every writer (VIF, route, config changes) holds mfwd_net.lock.
 * Adding and removing a VIF also holds RTNL, taken first (the netdevice
 * notifier runs under RTNL and takes mfwd_net.lock); what removal does to
 * the routes (a walk of all of them) runs after RTNL is dropped, see
 * mfwd_vif_gc(). Route changes never take RTNL. The fast path (fwd.c,
 * fwd6.c) only reads, under RCU with BH disabled: VIFs by ifindex from an
 * xarray, routes from an rhashtable per family, a route's forwarding set
 * from one RCU pointer.
 */
#ifndef _MFWD_H
#define _MFWD_H

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>
#include <net/ipv6.h>
#include <net/route.h>

#include <linux/mfwd.h>

#define MFWD_VIFS_MAX		1024	/* per netns (ipmr: 32); bounds a route dump */
#define MFWD_ROUTES_DEFAULT	(4U << 20)
#define MFWD_UNRES_MAX_DEFAULT	64
#define MFWD_UNRES_QLEN_DEFAULT	4
#define MFWD_UNRES_TIMEOUT_MS	10000
#define MFWD_WRONGVIF_MS	3000	/* like ipmr's MFC_ASSERT_THRESH */

struct mfwd_net;
struct mfwd_table;
struct mfwd_unres_sig;
struct mfwd_dup;

#define MFWD_DUP_WINDOW_MS	2000	/* default */

struct mfwd_vif_stats {
	u64_stats_t pkts_in;
	u64_stats_t bytes_in;
	u64_stats_t pkts_out;
	u64_stats_t bytes_out;
	struct u64_stats_sync syncp;
};

/**
 * struct mfwd_vif - a device enabled for multicast forwarding
 * @dev: the device, held for the VIF's lifetime
 * @dev_tracker: reference tracker for @dev
 * @rt: output route of copies leaving on @dev, built once at add time so
 *	that a copy costs no route lookup and no dst allocation
 * @local_rt: input route for local delivery on @dev: IGMP for the
 *	controller, copies looped back to sockets that joined the group
 * @rt6: IPv6 output route of copies leaving on @dev, as @rt; NULL if
 *	@dev had no IPv6 when it became a VIF
 * @stats: per-CPU counters
 * @ifindex: of @dev, readable after @dev is gone
 * @table: the table it is in, held
 * @flags: MFWD_VIF_F_*
 * @threshold: default TTL threshold of outputs on this VIF
 * @table_idx: @table's index, which the fast path puts in a packet's key
 * @mc_forwarding: this VIF turned mc_forwarding on for @dev
 * @idev6: the IPv6 device whose mc_forwarding this VIF turned on, held
 * @dup: duplicate filter of a single-interface VIF (dup.c), else NULL
 * @dup_window_ms: its window
 * @dead: removed; readers skip it, routes still point to it until
 *	mfwd_vif_gc() has run
 * @gc_node: in mfwd_net.dead_vifs while @dead
 * @rcu: frees the VIF after readers are done
 */
struct mfwd_vif {
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct rtable *rt;
	struct rtable *local_rt;
	struct dst_entry *rt6;
	struct mfwd_vif_stats __percpu *stats;
	int ifindex;
	struct mfwd_table *table;
	u32 flags;
	u8 threshold;
	u16 table_idx;
	bool mc_forwarding;
	struct inet6_dev *idev6;
	struct mfwd_dup *dup;
	u32 dup_window_ms;
	bool dead;
	struct list_head gc_node;
	struct rcu_head rcu;
};

/**
 * struct mfwd_key - the hash key of a route: (S/src_len, G/grp_len) in a
 *	table
 * @src_len: source prefix length; 0 for any source ((*,G))
 * @grp_len: group prefix length
 * @table: index of the route's table (struct mfwd_table.idx); a packet's
 *	is its input VIF's
 * @v4: IPv4 source and group, host bits 0
 * @v6: IPv6 source and group, host bits 0
 *
 * An exact (S,G) has full lengths, as has a packet's key. An IPv4 key is
 * the first MFWD_KEY4_LEN bytes, so the IPv4 table hashes 12 bytes.
 */
struct mfwd_key {
	u8 src_len;
	u8 grp_len;
	u16 table;
	union {
		struct {
			__be32 src;
			__be32 grp;
		} v4;
		struct {
			struct in6_addr src;
			struct in6_addr grp;
		} v6;
	};
};

#define MFWD_KEY4_LEN	(offsetof(struct mfwd_key, v4) + 2 * sizeof(__be32))
#define MFWD_KEY6_LEN	(offsetof(struct mfwd_key, v6) + \
			 2 * sizeof(struct in6_addr))

/* Index of per-family state: 0 IPv4, 1 IPv6. */
enum { MFWD_V4, MFWD_V6, MFWD_NFAM };

static inline int mfwd_fam(u8 family)
{
	return family == AF_INET6 ? MFWD_V6 : MFWD_V4;
}

/* An IPv6 group of a scope wider than link-local: one that is routed. */
static inline bool mfwd_group6_routable(const struct in6_addr *grp)
{
	return ipv6_addr_is_multicast(grp) &&
	       IPV6_ADDR_MC_SCOPE(grp) > IPV6_ADDR_SCOPE_LINKLOCAL;
}

static inline size_t mfwd_key_len(u8 family)
{
	return family == AF_INET6 ? MFWD_KEY6_LEN : MFWD_KEY4_LEN;
}

/* Bits in an address of @family: the full prefix length. */
static inline u8 mfwd_addr_bits(u8 family)
{
	return family == AF_INET6 ? 128 : 32;
}

/* An exact (S,G): full lengths, as a packet's key. */
static inline bool mfwd_key_exact(const struct mfwd_key *key, u8 family)
{
	u8 bits = mfwd_addr_bits(family);

	return key->src_len == bits && key->grp_len == bits;
}

/* Any source: (*,G) or (*,G/len). */
static inline bool mfwd_key_wildcard(const struct mfwd_key *key)
{
	return !key->src_len;
}

/* The key of a packet, or of an exact route. */
static inline void mfwd_key_set4(struct mfwd_key *key, u16 table, __be32 src,
				 __be32 grp)
{
	key->src_len = 32;
	key->grp_len = 32;
	key->table = table;
	key->v4.src = src;
	key->v4.grp = grp;
}

static inline void mfwd_key_set6(struct mfwd_key *key, u16 table,
				 const struct in6_addr *src,
				 const struct in6_addr *grp)
{
	key->src_len = 128;
	key->grp_len = 128;
	key->table = table;
	key->v6.src = *src;
	key->v6.grp = *grp;
}

struct mfwd_oif {
	struct mfwd_vif *vif;	/* NULL once the VIF is gone */
	u8 ttl;
};

/**
 * struct mfwd_fwd - what a route does with a packet, replaced as a whole
 * @iif: primary input VIF (RPF, EXPECTED_IIF of WRONGVIF events); NULL
 *	with @any_iif
 * @n_oif: number of outputs in @oif
 * @n_in: number of further accepted inputs, in @oif after the outputs
 *	(their TTLs unused); a slot is NULL once its VIF is gone
 * @any_iif: accepts packets from every VIF
 * @flags: MFWD_ROUTE_F_*
 * @signal_rate: most WRONGVIF events per second; 0: one per the netns's
 *	wrongvif_interval_ms
 * @oif: output VIFs with their TTL thresholds, then the further inputs
 *
 * Kept apart from the route so that a replace is one pointer swap that
 * readers see atomically.
 */
struct mfwd_fwd {
	struct mfwd_vif *iif;
	u16 n_oif;
	u16 n_in;
	bool any_iif;
	u8 flags;
	u32 signal_rate;
	struct mfwd_oif oif[];
};

/* The further accepted inputs of @fwd. */
static inline struct mfwd_oif *mfwd_fwd_inputs(const struct mfwd_fwd *fwd)
{
	return (struct mfwd_oif *)fwd->oif + fwd->n_oif;
}

struct mfwd_route_stats {
	u64_stats_t pkts;
	u64_stats_t bytes;
	u64_stats_t wrong_if;
	struct u64_stats_sync syncp;
};

#define MFWD_CTR_SLOTS	64
/* A route that forwards this many packets within a second is hot (ctr.c). */
#define MFWD_HOT_PKTS	1024
/* Hot routes waiting for their per-CPU counters, by route id. */
#define MFWD_HOT_SLOTS	16

struct mfwd_ctr_pool {
	spinlock_t lock;	/* slots are freed from RCU callbacks */
	struct list_head partial;
};

/**
 * struct mfwd_ctr_block - per-CPU counters for MFWD_CTR_SLOTS routes
 * @partial: in mfwd_ctr_pool.partial while a slot is free
 * @pool: the pool it belongs to
 * @pcpu: the counters
 * @used: bitmap of slots in use
 *
 * One per-CPU allocation per route would make the per-CPU allocator the
 * largest cost of a route install; blocks make it one per 64 routes.
 */
struct mfwd_ctr_block {
	struct list_head partial;
	struct mfwd_ctr_pool *pool;
	struct mfwd_route_stats __percpu *pcpu;
	u64 used;
};

/**
 * struct mfwd_route - one (S,G) or (*,G) entry
 * @node: in mfwd_net.routes
 * @fwd: forwarding set; first the one allocated with the route, after a
 *	replace one of its own
 * @ctr_block: per-CPU counters, once the route is hot (ctr.c); NULL before
 * @lastuse: jiffies of the last forwarded packet
 * @signal: rate limit of WRONGVIF events, see mfwd_signal_allow()
 * @ext: its meters and idle timeout, if it has any (meter.c)
 * @rcu: frees the route after readers are done
 * @c_pkts: packets counted before it had per-CPU counters
 * @c_bytes: their bytes
 * @c_wrong_if: packets from a wrong VIF, likewise
 * @id: index in mfwd_net.route_ids, which orders dumps and walks
 * @heat: jiffies (low 32 bits) when its last MFWD_HOT_PKTS packets began
 * @ctr_slot: its slot in @ctr_block
 * @family: AF_INET or AF_INET6
 * @resolving: the packets queued for it are being released: packets of a
 *	queued (S,G) go behind them (mfwd_unres_queue())
 * @cache: index + 1 of the route cache it came from, 0 for kmalloc
 *	(route.c)
 * @iif: a per-input route: the ifindex of its input, hashed with @key in
 *	mfwd_net.iif_routes; 0 for the others
 * @key: source (0 or :: for (*,G)) and group; last, and allocated only as
 *	long as its family's key (mfwd_route_size()): an IPv4 route does not
 *	pay for IPv6 addresses
 *
 * An IPv4 route with its first forwarding set of one output takes 160
 * bytes, of two 176 (mfwd_route_alloc()).
 */
struct mfwd_route {
	struct rhash_head node;
	struct mfwd_fwd __rcu *fwd;
	struct mfwd_ctr_block *ctr_block;
	unsigned long lastuse;
	u64 signal;
	struct mfwd_route_ext __rcu *ext;
	struct rcu_head rcu;
	atomic64_t c_pkts;
	atomic64_t c_bytes;
	atomic64_t c_wrong_if;
	u32 id;
	u32 heat;
	u8 ctr_slot;
	u8 family;
	bool resolving;
	u8 cache;
	u32 iif;
	struct mfwd_key key;
	/* the first forwarding set follows the key (mfwd_route_size()) */
};

/**
 * struct mfwd_route_ext - what only some routes have (meter.c)
 * @meters: its struct mfwd_meter
 * @idle_node: in mfwd_net.idle_routes while @idle_ms
 * @r: the route
 * @n_meters: entries in @meters
 * @idle_ms: idle timeout, 0 for none
 * @idle_last: the route's lastuse when IDLE was signalled
 * @expire: delete the route when idle
 * @idle_sent: IDLE was signalled and the route has not forwarded since
 * @rcu: frees it after readers (route dumps) are done
 */
struct mfwd_route_ext {
	struct list_head meters;
	struct list_head idle_node;
	struct mfwd_route *r;
	unsigned int n_meters;
	u32 idle_ms;
	unsigned long idle_last;
	bool expire;
	bool idle_sent;
	struct rcu_head rcu;
};

/* A route request's idle timeout (0: none); @spare is a preallocated
 * extension for a route that has none yet, so that setting it cannot fail
 * once the route is in.
 */
struct mfwd_route_idle {
	u32 ms;
	bool expire;
	struct mfwd_route_ext *spare;
};

/* A meter as requested, or a pattern of meters (MFWD_METER_M_*). */
struct mfwd_meter_spec {
	u64 value;
	u32 interval_ms;
	u8 unit;
	u8 op;
};

#define MFWD_METER_M_UNIT	BIT(0)
#define MFWD_METER_M_OP		BIT(1)
#define MFWD_METER_M_VALUE	BIT(2)
#define MFWD_METER_M_INTERVAL	BIT(3)

/* The key of a per-input route: @iif then @key, as in struct mfwd_route. */
struct mfwd_ikey {
	u32 iif;
	struct mfwd_key key;
};

enum mfwd_counter {
	MFWD_C_FORWARDED,
	MFWD_C_COPIES,
	MFWD_C_DROP_QUEUE_FULL,
	MFWD_C_DROP_EXPIRED,
	MFWD_C_DROP_NO_VIF,
	MFWD_C_DROP_RPF,
	MFWD_C_DROP_TTL,
	MFWD_C_DROP_MTU,
	MFWD_C_DROP_NOMEM,
	MFWD_C_EVENTS_SENT,
	MFWD_C_EVENTS_DROPPED,
	MFWD_C_DROP_DUPLICATE,
	MFWD_C_MAX
};

struct mfwd_net_stats {
	u64_stats_t c[MFWD_C_MAX];
	struct u64_stats_sync syncp;
};

/**
 * struct mfwd_table - a table of routes, with the VIFs in it
 * @id: its id (MFWD_A_TABLE): a VRF's FIB table, or the controller's
 * @idx: its index in mfwd_net.table_idx, which route keys carry
 * @refs: VIFs and routes in it, plus one for table 0 (under mfwd_net.lock)
 * @stats: per-CPU counters of the packets of its VIFs and routes
 * @rcu: frees it after readers are done
 */
struct mfwd_table {
	u32 id;
	u16 idx;
	u32 refs;
	struct mfwd_net_stats __percpu *stats;
	struct rcu_head rcu;
};

struct mfwd_config {
	u32 unres_max;
	u32 unres_qlen;
	u32 unres_timeout_ms;
	u32 wrongvif_interval_ms;
	u32 max_routes;
	u32 signal_rate;
};

/**
 * struct mfwd_unres - packets waiting for a route
 * @lock: protects everything here; taken in softirq and, with BH off, in
 *	process context
 * @list: entries waiting, in expiry order
 * @hash: entries by (S,G), waiting or being released
 * @hash_bits: log2 of the number of buckets in @hash
 * @seed: of the hash
 * @entries: number of entries
 * @packets: number of queued packets
 * @evict_start: jiffies when the current second of evictions began
 * @evicted: entries evicted in it
 * @timer: expires the oldest entries
 * @sig: NOCACHE rate limits of recently signalled (S,G)s, by hash;
 *	allocated when mfwd_config.signal_rate is first set
 */
struct mfwd_unres {
	spinlock_t lock;	/* softirq and process context */
	struct list_head list;
	struct hlist_head *hash;
	u32 hash_bits;
	u32 seed;
	u32 entries;
	u32 packets;
	unsigned long evict_start;
	u32 evicted;
	struct timer_list timer;
	struct mfwd_unres_sig *sig;
};

/**
 * struct mfwd_plens - prefix lengths in use, in lookup order
 * @rcu: frees it after readers are done
 * @n: entries in @len
 * @len: group and source prefix lengths, longest group first, then
 *	longest source
 */
struct mfwd_plens {
	struct rcu_head rcu;
	unsigned int n;
	struct {
		u8 grp;
		u8 src;
	} len[];
};

/**
 * struct mfwd_rtable - routes of one family and kind, and the prefix
 *	lengths they use
 * @ht: the routes by key
 * @plens: the (group, source) prefix lengths the fast path probes, most
 *	specific first
 * @plen_refs: routes per pair of prefix lengths in @plens, indexed by
 *	mfwd_plen_index()
 */
struct mfwd_rtable {
	struct rhashtable ht;
	struct mfwd_plens __rcu *plens;
	struct xarray plen_refs;
};

/**
 * struct mfwd_net - per network namespace state
 * @net: the namespace
 * @lock: serializes all writers
 * @vifs: ifindex -> struct mfwd_vif
 * @nr_vifs: number of VIFs
 * @routes: key -> struct mfwd_route, one table per family (MFWD_V4,
 *	MFWD_V6); the exact (S,G) key is probed before the @plens of the
 *	table, which list only the others
 * @iif_routes: (input, key) -> per-input struct mfwd_route, per family;
 *	its @plens list every pair in use, exact included
 * @tables: table id -> struct mfwd_table
 * @table_idx: table index -> struct mfwd_table
 * @next_table_idx: next index to try for a new table
 * @route_ids: id -> struct mfwd_route, for ordered walks and dumps
 * @next_id: next id to try for a new route
 * @nr_routes: number of routes
 * @hooks: PRE_ROUTING hooks (IPv4, IPv6) and IPv6's LOCAL_OUT hook,
 *	registered while there is a VIF
 * @hook_on: @hooks are registered
 * @cfg: settings
 * @table0: table 0, which always exists
 * @retired: counters of the tables that are gone
 * @ctrs: per-CPU counters of hot routes
 * @hot: ids (+ 1) of routes found hot, for @hot_work; 0 if free
 * @hot_work: gives the routes in @hot per-CPU counters
 * @ctr_memcg: memory cgroup those are charged to (mfwd_ctr_owner())
 * @scratch: where a request's forwarding set is built (under @lock)
 * @unres: unresolved queue
 * @dead_vifs: removed VIFs that routes may still point to
 * @gc_work: runs mfwd_vif_gc() after a device went away
 * @dump_seq: changes with every route and VIF change, for NLM_F_DUMP_INTR
 * @hook_used: @hooks were registered at least once
 * @meters: every struct mfwd_meter, in the order they were added
 * @idle_routes: struct mfwd_route_ext of the routes with an idle timeout
 * @nr_meters: entries in @meters
 * @meter_work: reads meters and idle timeouts every MFWD_METER_TICK_MS
 *	while there are any
 */
struct mfwd_net {
	struct net *net;
	struct mutex lock;	/* all writers */
	struct xarray vifs;
	u32 nr_vifs;
	struct mfwd_rtable routes[MFWD_NFAM];
	struct mfwd_rtable iif_routes[MFWD_NFAM];
	struct xarray tables;
	struct xarray table_idx;
	u32 next_table_idx;
	struct xarray route_ids;
	u32 next_id;
	u32 nr_routes;
	struct nf_hook_ops hooks[MFWD_NFAM + 1];
	bool hook_on;
	struct mfwd_config cfg;
	struct mfwd_table *table0;
	u64 retired[MFWD_C_MAX];
	struct mfwd_ctr_pool ctrs;
	atomic64_t hot[MFWD_HOT_SLOTS];
	struct work_struct hot_work;
	struct mem_cgroup *ctr_memcg;
	struct mfwd_fwd *scratch;
	struct mfwd_unres unres;
	struct list_head dead_vifs;
	struct work_struct gc_work;
	unsigned int dump_seq;
	bool hook_used;
	struct list_head meters;
	struct list_head idle_routes;
	u32 nr_meters;
	struct delayed_work meter_work;
};

/* Exported by the netfilter core, declared only in its nf_internals.h. */
void nf_queue_nf_hook_drop(struct net *net);

extern unsigned int mfwd_net_id;
extern struct genl_family mfwd_genl_family;

static inline struct mfwd_net *mfwd_pernet(const struct net *net)
{
	return net_generic(net, mfwd_net_id);
}

/* Count an event of table @t. Context: BH disabled. */
static inline void mfwd_count(struct mfwd_table *t, enum mfwd_counter c)
{
	struct mfwd_net_stats *s = this_cpu_ptr(t->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[c]);
	u64_stats_update_end(&s->syncp);
}

/* ctr.c */
void mfwd_ctrs_init(struct mfwd_net *mn);
void mfwd_ctrs_destroy(struct mfwd_net *mn);
void mfwd_ctr_owner(struct mfwd_net *mn);
void mfwd_ctr_put(struct mfwd_route *r);
void mfwd_ctr_count(struct mfwd_net *mn, struct mfwd_route *r,
		    unsigned int len);
void mfwd_ctr_wrong_if(struct mfwd_route *r);
void mfwd_route_stats_read(const struct mfwd_route *r,
			   struct mfwd_route_stats *sum);

/* table.c */
int mfwd_tables_init(struct mfwd_net *mn);
void mfwd_tables_destroy(struct mfwd_net *mn);
struct mfwd_table *mfwd_table_find(struct mfwd_net *mn, u32 id);
u32 mfwd_table_id(struct mfwd_net *mn, u16 idx);
struct mfwd_table *mfwd_table_of(struct mfwd_net *mn, u16 idx);
struct mfwd_table *mfwd_table_get(struct mfwd_net *mn, u32 id);
void mfwd_table_hold(struct mfwd_table *t);
void mfwd_table_put(struct mfwd_net *mn, struct mfwd_table *t);
void mfwd_table_stats_read(const struct mfwd_table *t, u64 *c);
void mfwd_net_stats_read(struct mfwd_net *mn, u64 *c);

/* vif.c */
struct mfwd_vif *mfwd_vif_find(struct mfwd_net *mn, int ifindex);
int mfwd_vif_add(struct mfwd_net *mn, struct net_device *dev, u32 flags,
		 u8 threshold, u32 dup_window_ms, u32 table, bool table_set,
		 struct netlink_ext_ack *extack);
void mfwd_vif_del(struct mfwd_net *mn, struct mfwd_vif *vif);
void mfwd_vif_gc(struct mfwd_net *mn);
void mfwd_vif_gc_sync(struct mfwd_net *mn);
void mfwd_vif_gc_work(struct work_struct *work);
void mfwd_vifs_flush(struct mfwd_net *mn, bool all, u32 table);
void mfwd_vif_stats_read(const struct mfwd_vif *vif,
			 struct mfwd_vif_stats *sum);
int mfwd_vif_notifier_init(void);
void mfwd_vif_notifier_exit(void);

/* route.c */
int mfwd_route_caches_init(void);
void mfwd_route_caches_exit(void);
int mfwd_routes_init(struct mfwd_net *mn);
void mfwd_routes_destroy(struct mfwd_net *mn);
struct mfwd_route *mfwd_route_find(struct mfwd_net *mn, u8 family, u32 iif,
				   const struct mfwd_key *key);
struct mfwd_route *mfwd_route_lookup(struct mfwd_net *mn,
				     const struct mfwd_vif *in, __be32 src,
				     __be32 grp);
struct mfwd_route *mfwd_route_lookup6(struct mfwd_net *mn,
				      const struct mfwd_vif *in,
				      const struct in6_addr *src,
				      const struct in6_addr *grp);
struct mfwd_route *mfwd_route_match(struct mfwd_net *mn, u8 family,
				    const struct mfwd_key *key,
				    const struct mfwd_vif *in);
int mfwd_route_add(struct mfwd_net *mn, u8 family, u32 iif,
		   const struct mfwd_key *key, const struct mfwd_fwd *fwd,
		   bool replace, struct mfwd_route_idle *idle,
		   struct netlink_ext_ack *extack);
bool mfwd_fwd_accepts(const struct mfwd_fwd *fwd, const struct mfwd_vif *in);
bool mfwd_fwd_has_input(const struct mfwd_fwd *fwd);
void mfwd_route_del(struct mfwd_net *mn, struct mfwd_route *r);
void mfwd_routes_flush(struct mfwd_net *mn, u8 family,
		       const struct mfwd_table *t);
void mfwd_routes_drop_dead(struct mfwd_net *mn);
size_t mfwd_fwd_size(unsigned int n_vifs);

/* fwd.c */
unsigned int mfwd_hook(void *priv, struct sk_buff *skb,
		       const struct nf_hook_state *state);
void mfwd_forward(struct mfwd_net *mn, struct mfwd_route *r,
		  struct mfwd_vif *in, struct sk_buff *skb, bool keep);
void mfwd_vif_count(struct mfwd_vif *vif, unsigned int len, bool out);
int mfwd_bridged(const struct sk_buff *skb);
bool mfwd_signal_allow(u64 *state, u32 rate, u32 interval_ms);
int mfwd_xmit_finish(struct net *net, struct sock *sk, struct sk_buff *skb);

/* fwd6.c */
#if IS_ENABLED(CONFIG_IPV6)
unsigned int mfwd_hook6(void *priv, struct sk_buff *skb,
			const struct nf_hook_state *state);
unsigned int mfwd_hook6_local(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state);
void mfwd_xmit6(struct mfwd_net *mn, const struct mfwd_vif *in,
		struct mfwd_vif *out, struct sk_buff *skb, bool copy);
int mfwd_vif_rt6_init(struct mfwd_vif *vif);
void mfwd_vif_rt6_release(struct mfwd_vif *vif);
void mfwd_vif_mc_forwarding6(struct mfwd_net *mn, struct mfwd_vif *vif,
			     bool on);
#else
static inline void mfwd_xmit6(struct mfwd_net *mn, const struct mfwd_vif *in,
			      struct mfwd_vif *out, struct sk_buff *skb,
			      bool copy)
{
	if (!copy)
		kfree_skb(skb);
}

static inline int mfwd_vif_rt6_init(struct mfwd_vif *vif)
{
	return 0;
}

static inline void mfwd_vif_rt6_release(struct mfwd_vif *vif)
{
}

static inline void mfwd_vif_mc_forwarding6(struct mfwd_net *mn,
					   struct mfwd_vif *vif, bool on)
{
}
#endif

/* unres.c */
extern unsigned long mfwd_unres_bytes_max;

int mfwd_unres_init(struct mfwd_net *mn);
int mfwd_unres_resize(struct mfwd_net *mn, u32 unres_max);
void mfwd_unres_destroy(struct mfwd_net *mn);
unsigned int mfwd_unres_queue(struct mfwd_net *mn, struct mfwd_vif *in,
			      struct sk_buff *skb, bool keep, u8 family,
			      const struct mfwd_key *key);
void mfwd_unres_resolve(struct mfwd_net *mn, struct mfwd_route *r);
void mfwd_unres_drop_vif(struct mfwd_net *mn, struct mfwd_vif *vif);
int mfwd_unres_set_signal_rate(struct mfwd_net *mn, u32 rate);

/* dup.c */
int mfwd_dup_init(struct mfwd_vif *vif, u32 window_ms);
void mfwd_dup_free(struct mfwd_vif *vif);
bool mfwd_dup_seen(struct mfwd_vif *vif, const struct sk_buff *skb,
		   u8 family);

/* meter.c */
void mfwd_meters_init(struct mfwd_net *mn);
void mfwd_meters_destroy(struct mfwd_net *mn);
void mfwd_meter_work(struct work_struct *work);
int mfwd_meter_add(struct mfwd_net *mn, struct mfwd_route *r,
		   const struct mfwd_meter_spec *spec,
		   struct netlink_ext_ack *extack);
unsigned int mfwd_meter_del(struct mfwd_net *mn, struct mfwd_route *r,
			    const struct mfwd_meter_spec *spec,
			    unsigned int match);
void mfwd_route_idle_set(struct mfwd_net *mn, struct mfwd_route *r,
			 struct mfwd_route_idle *idle);
void mfwd_route_ext_free(struct mfwd_net *mn, struct mfwd_route *r);
int mfwd_meter_dump(struct mfwd_net *mn, unsigned long *pos,
		    int (*fill)(void *arg, const struct mfwd_route *r,
				const struct mfwd_meter_spec *spec, u64 count),
		    void *arg);

/* netlink.c */
extern bool mfwd_genl_live;

int mfwd_genl_init(void);
void mfwd_genl_exit(void);
void mfwd_nl_notify_vif(struct mfwd_net *mn, struct mfwd_vif *vif, u8 cmd);
void mfwd_nl_notify_route(struct mfwd_net *mn, struct mfwd_route *r, u8 cmd);
void mfwd_nl_meter_event(struct mfwd_net *mn, u8 cmd,
			 const struct mfwd_route *r, u8 unit, u8 op, u64 value,
			 u32 interval_ms, u64 count);
void mfwd_nl_idle_event(struct mfwd_net *mn, u8 cmd,
			const struct mfwd_route *r, u32 idle_ms, bool expire,
			u32 idle);
void mfwd_nl_event(struct mfwd_net *mn, u8 cmd, u8 family,
		   const struct mfwd_key *key, const struct mfwd_vif *in,
		   const struct mfwd_route *r, const struct sk_buff *skb);

#endif /* _MFWD_H */
