// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the generic-netlink family "mfwd", the whole control plane.
 *
 * Every command has its own policy over the shared attribute space, so an
 * attribute a command does not take is rejected, not ignored. Writers take
 * mfwd_net.lock (and RTNL first for VIF changes); dumps read under RCU.
 */
#include <linux/inetdevice.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "mfwd.h"

#ifndef GENL_MCAST_CAP_NET_ADMIN
/* Without it anyone could join "events" and read WHOLEPKT packets. */
#error "mfwd needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.7 or a backport)"
#endif

enum { MFWD_MCGRP_EVENTS_IDX };

static const struct genl_multicast_group mfwd_mcgrps[] = {
	[MFWD_MCGRP_EVENTS_IDX] = {
		.name = MFWD_MCGRP_EVENTS,
		/* WHOLEPKT events carry other hosts' packets. */
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* ---- replies and notifications ---- */

/* Cleared (then a grace period) before the family is unregistered. */
bool mfwd_genl_live __read_mostly;

static int mfwd_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, MFWD_A_PAD);
}

/* TABLE, which messages carry when it is not 0. */
static int mfwd_put_table(struct sk_buff *skb, u32 id)
{
	return id ? nla_put_u32(skb, MFWD_A_TABLE, id) : 0;
}

static size_t mfwd_vif_msg_size(void)
{
	/* IFINDEX, FLAGS, TABLE, DUP_WINDOW_MS */
	return nla_total_size(sizeof(u32)) * 4 +
	       nla_total_size(IFNAMSIZ) +
	       nla_total_size(sizeof(u8)) +
	       nla_total_size_64bit(sizeof(u64)) * 4;
}

static int mfwd_fill_vif(struct sk_buff *skb, const struct mfwd_vif *vif,
			 u32 portid, u32 seq, int flags, u8 cmd)
{
	struct mfwd_vif_stats st;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mfwd_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	ASSERT_RTNL();	/* for the name */
	mfwd_vif_stats_read(vif, &st);
	if (nla_put_u32(skb, MFWD_A_IFINDEX, vif->ifindex) ||
	    nla_put_string(skb, MFWD_A_IFNAME, vif->dev->name) ||
	    nla_put_u32(skb, MFWD_A_VIF_FLAGS, vif->flags) ||
	    nla_put_u8(skb, MFWD_A_VIF_THRESHOLD, vif->threshold) ||
	    mfwd_put_table(skb, vif->table->id) ||
	    (vif->dup && nla_put_u32(skb, MFWD_A_DUP_WINDOW_MS,
				     vif->dup_window_ms)) ||
	    mfwd_put_u64(skb, MFWD_A_PKTS_IN, u64_stats_read(&st.pkts_in)) ||
	    mfwd_put_u64(skb, MFWD_A_BYTES_IN, u64_stats_read(&st.bytes_in)) ||
	    mfwd_put_u64(skb, MFWD_A_PKTS_OUT, u64_stats_read(&st.pkts_out)) ||
	    mfwd_put_u64(skb, MFWD_A_BYTES_OUT, u64_stats_read(&st.bytes_out))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A route message with @n_oif outputs and @n_iif inputs. */
static size_t mfwd_route_msg_bytes(unsigned int n_oif, unsigned int n_iif)
{
	size_t oif = nla_total_size(nla_total_size(sizeof(u32)) +
				    nla_total_size(sizeof(u8)));

	return nla_total_size(sizeof(struct in6_addr)) * 2 +
	       nla_total_size(sizeof(u8)) * 3 +
	       /* + TABLE, ROUTE_FLAGS, SIGNAL_RATE, IDLE_TIMEOUT_MS */
	       nla_total_size(sizeof(u32)) * (n_iif + 4) +
	       nla_total_size(0) * 3 +	/* IIF_ANY, PER_IIF, EXPIRE */
	       oif * n_oif +
	       nla_total_size_64bit(sizeof(u64)) * 4;
}

static size_t mfwd_route_msg_size(const struct mfwd_fwd *fwd)
{
	return mfwd_route_msg_bytes(fwd->n_oif, 1 + fwd->n_in);
}

static int mfwd_put_oifs(struct sk_buff *skb, const struct mfwd_fwd *fwd)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < fwd->n_oif; i++) {
		const struct mfwd_vif *vif = READ_ONCE(fwd->oif[i].vif);

		if (!vif || READ_ONCE(vif->dead))
			continue;
		nest = nla_nest_start(skb, MFWD_A_OIF);
		if (!nest ||
		    nla_put_u32(skb, MFWD_OIF_A_IFINDEX, vif->ifindex) ||
		    nla_put_u8(skb, MFWD_OIF_A_TTL, fwd->oif[i].ttl))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int mfwd_put_iif(struct sk_buff *skb, const struct mfwd_vif *vif)
{
	return vif ? nla_put_u32(skb, MFWD_A_IIF, vif->ifindex) : 0;
}

/* A route's inputs: every IIF, primary first, or IIF_ANY; PER_IIF. A dead
 * input is listed until mfwd_routes_drop_dead() clears it, so that the
 * ROUTE_DEL of a route that lost its last input names its inputs.
 */
static int mfwd_put_iifs(struct sk_buff *skb, const struct mfwd_route *r,
			 const struct mfwd_fwd *fwd)
{
	const struct mfwd_oif *ins = mfwd_fwd_inputs(fwd);
	const struct mfwd_vif *iif = READ_ONCE(fwd->iif), *vif;
	unsigned int i;

	if (fwd->any_iif)
		return nla_put_flag(skb, MFWD_A_IIF_ANY);
	if ((r->iif && nla_put_flag(skb, MFWD_A_PER_IIF)) ||
	    mfwd_put_iif(skb, iif))
		return -EMSGSIZE;
	for (i = 0; i < fwd->n_in; i++) {
		vif = READ_ONCE(ins[i].vif);
		/* a further input that took a dead primary's place */
		if (vif != iif && mfwd_put_iif(skb, vif))
			return -EMSGSIZE;
	}
	return 0;
}

/* A route's prefix lengths that are not the default (full, or 0 for any
 * source).
 */
static int mfwd_put_plen(struct sk_buff *skb, u8 family,
			 const struct mfwd_key *key)
{
	u8 bits = mfwd_addr_bits(family);

	if ((key->grp_len != bits &&
	     nla_put_u8(skb, MFWD_A_GROUP_PREFIX_LEN, key->grp_len)) ||
	    (key->src_len && key->src_len != bits &&
	     nla_put_u8(skb, MFWD_A_SOURCE_PREFIX_LEN, key->src_len)))
		return -EMSGSIZE;
	return 0;
}

/* FAMILY and the addresses of a route or a packet. */
static int mfwd_put_key(struct sk_buff *skb, u8 family,
			const struct mfwd_key *key)
{
	if (nla_put_u8(skb, MFWD_A_FAMILY, family))
		return -EMSGSIZE;
	if (family == AF_INET6)
		return nla_put_in6_addr(skb, MFWD_A_SOURCE6, &key->v6.src) ?:
		       nla_put_in6_addr(skb, MFWD_A_GROUP6, &key->v6.grp);
	return nla_put_in_addr(skb, MFWD_A_SOURCE, key->v4.src) ?:
	       nla_put_in_addr(skb, MFWD_A_GROUP, key->v4.grp);
}

/* A route's idle timeout, if it has one. */
static int mfwd_put_idle(struct sk_buff *skb, const struct mfwd_route_ext *ext)
{
	u32 ms = ext ? READ_ONCE(ext->idle_ms) : 0;

	if (!ms)
		return 0;
	if (nla_put_u32(skb, MFWD_A_IDLE_TIMEOUT_MS, ms) ||
	    (READ_ONCE(ext->expire) && nla_put_flag(skb, MFWD_A_EXPIRE)))
		return -EMSGSIZE;
	return 0;
}

static int mfwd_fill_route(struct sk_buff *skb, struct mfwd_net *mn,
			   const struct mfwd_route *r,
			   const struct mfwd_fwd *fwd, u32 portid, u32 seq,
			   int flags, u8 cmd)
{
	unsigned long now = jiffies, last = READ_ONCE(r->lastuse);
	/* The fast path may have used it since @now was read. */
	unsigned long idle = time_after(now, last) ? now - last : 0;
	const struct mfwd_route_ext *ext;
	struct mfwd_route_stats st;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mfwd_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	mfwd_route_stats_read(r, &st);
	/* Dumps read it under RCU, notifications under the netns mutex. */
	ext = rcu_dereference_check(r->ext, lockdep_is_held(&mn->lock));
	if (mfwd_put_key(skb, r->family, &r->key) ||
	    mfwd_put_plen(skb, r->family, &r->key) ||
	    mfwd_put_table(skb, mfwd_table_id(mn, r->key.table)) ||
	    mfwd_put_iifs(skb, r, fwd) ||
	    mfwd_put_oifs(skb, fwd) ||
	    (fwd->flags &&
	     nla_put_u32(skb, MFWD_A_ROUTE_FLAGS, fwd->flags)) ||
	    (fwd->signal_rate &&
	     nla_put_u32(skb, MFWD_A_SIGNAL_RATE, fwd->signal_rate)) ||
	    mfwd_put_idle(skb, ext) ||
	    mfwd_put_u64(skb, MFWD_A_PACKETS, u64_stats_read(&st.pkts)) ||
	    mfwd_put_u64(skb, MFWD_A_BYTES, u64_stats_read(&st.bytes)) ||
	    mfwd_put_u64(skb, MFWD_A_WRONG_IF, u64_stats_read(&st.wrong_if)) ||
	    mfwd_put_u64(skb, MFWD_A_IDLE_MS, jiffies64_to_msecs(idle))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static void mfwd_count_bh(struct mfwd_table *t, enum mfwd_counter c)
{
	local_bh_disable();
	mfwd_count(t, c);
	local_bh_enable();
}

/* Send @msg, an event or notification about table @t. */
static void mfwd_multicast(struct mfwd_net *mn, struct mfwd_table *t,
			   struct sk_buff *msg, gfp_t gfp)
{
	int err;

	err = genlmsg_multicast_netns(&mfwd_genl_family, mn->net, msg, 0,
				      MFWD_MCGRP_EVENTS_IDX, gfp);
	if (err && err != -ESRCH)
		mfwd_count_bh(t, MFWD_C_EVENTS_DROPPED);
	else if (!err)
		mfwd_count_bh(t, MFWD_C_EVENTS_SENT);
}

static bool mfwd_listened(struct mfwd_net *mn)
{
	return READ_ONCE(mfwd_genl_live) &&
	       genl_has_listeners(&mfwd_genl_family, mn->net,
				  MFWD_MCGRP_EVENTS_IDX);
}

/* Context: process, @mn->lock held. */
void mfwd_nl_notify_vif(struct mfwd_net *mn, struct mfwd_vif *vif, u8 cmd)
{
	struct sk_buff *msg;

	if (!mfwd_listened(mn))
		return;
	msg = genlmsg_new(mfwd_vif_msg_size(), GFP_KERNEL);
	if (!msg || mfwd_fill_vif(msg, vif, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		mfwd_count_bh(vif->table, MFWD_C_EVENTS_DROPPED);
		return;
	}
	mfwd_multicast(mn, vif->table, msg, GFP_KERNEL);
}

/* Context: process, @mn->lock held. */
void mfwd_nl_notify_route(struct mfwd_net *mn, struct mfwd_route *r, u8 cmd)
{
	struct mfwd_table *t = mfwd_table_of(mn, r->key.table);
	const struct mfwd_fwd *fwd;
	struct sk_buff *msg;

	if (!mfwd_listened(mn))
		return;
	fwd = rcu_dereference_protected(r->fwd, lockdep_is_held(&mn->lock));
	msg = genlmsg_new(mfwd_route_msg_size(fwd), GFP_KERNEL);
	if (!msg || mfwd_fill_route(msg, mn, r, fwd, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		mfwd_count_bh(t, MFWD_C_EVENTS_DROPPED);
		return;
	}
	mfwd_multicast(mn, t, msg, GFP_KERNEL);
}

static int mfwd_fill_event(struct sk_buff *msg, u8 cmd, u8 family,
			   const struct mfwd_key *key,
			   const struct mfwd_vif *in,
			   const struct mfwd_route *r,
			   const struct sk_buff *skb)
{
	const struct mfwd_vif *iif;
	struct nlattr *pkt;
	void *hdr;

	hdr = genlmsg_put(msg, 0, 0, &mfwd_genl_family, 0, cmd);
	if (!hdr ||
	    mfwd_put_key(msg, family, key) ||
	    mfwd_put_table(msg, in->table->id) ||
	    nla_put_u32(msg, MFWD_A_IIF, in->ifindex))
		return -EMSGSIZE;
	if (r) {
		iif = READ_ONCE(rcu_dereference(r->fwd)->iif);
		if ((iif &&
		     nla_put_u32(msg, MFWD_A_EXPECTED_IIF, iif->ifindex)) ||
		    (mfwd_key_wildcard(&r->key) &&
		     nla_put_flag(msg, MFWD_A_WILDCARD)))
			return -EMSGSIZE;
	}
	if (skb) {
		pkt = nla_reserve(msg, MFWD_A_PACKET, skb->len);
		if (!pkt || skb_copy_bits(skb, 0, nla_data(pkt), skb->len))
			return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/**
 * mfwd_nl_event() - tell the controller about a packet
 * @mn: netns state
 * @cmd: MFWD_CMD_NOCACHE, MFWD_CMD_WRONGVIF or MFWD_CMD_WHOLEPKT
 * @family: AF_INET or AF_INET6
 * @key: the packet's source and group
 * @in: the VIF it arrived on
 * @r: WRONGVIF: the route it matched
 * @skb: WHOLEPKT: the packet, sent whole
 *
 * Context: RCU read side, any context; allocates atomically.
 */
void mfwd_nl_event(struct mfwd_net *mn, u8 cmd, u8 family,
		   const struct mfwd_key *key, const struct mfwd_vif *in,
		   const struct mfwd_route *r, const struct sk_buff *skb)
{
	size_t size = NLMSG_GOODSIZE;
	struct sk_buff *msg;

	if (!mfwd_listened(mn))
		return;
	if (skb) {
		/* An aggregate is not a packet, and may not fit nla_len. */
		if (skb_is_gso(skb) || skb->len > U16_MAX - NLA_HDRLEN) {
			mfwd_count(in->table, MFWD_C_EVENTS_DROPPED);
			return;
		}
		size = nla_total_size(skb->len) + 128;
	}
	msg = genlmsg_new(size, GFP_ATOMIC);
	if (!msg || mfwd_fill_event(msg, cmd, family, key, in, r, skb)) {
		nlmsg_free(msg);
		mfwd_count_bh(in->table, MFWD_C_EVENTS_DROPPED);
		return;
	}
	mfwd_multicast(mn, in->table, msg, GFP_ATOMIC);
}

/* The key of route @r, as replies and route events carry it. */
static int mfwd_put_route_key(struct sk_buff *msg, struct mfwd_net *mn,
			      const struct mfwd_route *r)
{
	if (mfwd_put_key(msg, r->family, &r->key) ||
	    mfwd_put_plen(msg, r->family, &r->key) ||
	    mfwd_put_table(msg, mfwd_table_id(mn, r->key.table)) ||
	    (r->iif && (nla_put_u32(msg, MFWD_A_IIF, r->iif) ||
			nla_put_flag(msg, MFWD_A_PER_IIF))))
		return -EMSGSIZE;
	return 0;
}

static int mfwd_fill_meter(struct sk_buff *msg, struct mfwd_net *mn,
			   const struct mfwd_route *r,
			   const struct mfwd_meter_spec *spec, u64 count,
			   u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr = genlmsg_put(msg, portid, seq, &mfwd_genl_family, flags,
				cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (mfwd_put_route_key(msg, mn, r) ||
	    nla_put_u8(msg, MFWD_A_METER_UNIT, spec->unit) ||
	    nla_put_u8(msg, MFWD_A_METER_OP, spec->op) ||
	    mfwd_put_u64(msg, MFWD_A_METER_VALUE, spec->value) ||
	    nla_put_u32(msg, MFWD_A_INTERVAL_MS, spec->interval_ms) ||
	    mfwd_put_u64(msg, MFWD_A_MEASURED, count)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/**
 * mfwd_nl_meter_event() - a THRESHOLD event: a meter's condition held
 * @mn: netns state
 * @cmd: MFWD_CMD_THRESHOLD
 * @r: the meter's route
 * @unit: the meter's MFWD_METER_PACKETS or MFWD_METER_BYTES
 * @op: its MFWD_METER_GE or MFWD_METER_LE
 * @value: its threshold
 * @interval_ms: its interval
 * @count: the count that met it
 *
 * Context: process, @mn->lock held.
 */
void mfwd_nl_meter_event(struct mfwd_net *mn, u8 cmd,
			 const struct mfwd_route *r, u8 unit, u8 op, u64 value,
			 u32 interval_ms, u64 count)
{
	struct mfwd_table *t = mfwd_table_of(mn, r->key.table);
	struct mfwd_meter_spec spec = {
		.unit = unit, .op = op, .value = value,
		.interval_ms = interval_ms,
	};
	struct sk_buff *msg;

	if (!mfwd_listened(mn))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg || mfwd_fill_meter(msg, mn, r, &spec, count, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		mfwd_count_bh(t, MFWD_C_EVENTS_DROPPED);
		return;
	}
	mfwd_multicast(mn, t, msg, GFP_KERNEL);
}

/**
 * mfwd_nl_idle_event() - an IDLE event: a route forwarded nothing for its
 *	idle timeout
 * @mn: netns state
 * @cmd: MFWD_CMD_IDLE
 * @r: the route
 * @idle_ms: its idle timeout
 * @expire: it is deleted now
 * @idle: milliseconds since it last forwarded
 *
 * Context: process, @mn->lock held.
 */
void mfwd_nl_idle_event(struct mfwd_net *mn, u8 cmd,
			const struct mfwd_route *r, u32 idle_ms, bool expire,
			u32 idle)
{
	struct mfwd_table *t = mfwd_table_of(mn, r->key.table);
	struct sk_buff *msg;
	void *hdr;

	if (!mfwd_listened(mn))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	hdr = msg ? genlmsg_put(msg, 0, 0, &mfwd_genl_family, 0, cmd) : NULL;
	if (!hdr || mfwd_put_route_key(msg, mn, r) ||
	    nla_put_u32(msg, MFWD_A_INTERVAL_MS, idle_ms) ||
	    mfwd_put_u64(msg, MFWD_A_MEASURED, idle) ||
	    (expire && nla_put_flag(msg, MFWD_A_EXPIRE))) {
		nlmsg_free(msg);
		mfwd_count_bh(t, MFWD_C_EVENTS_DROPPED);
		return;
	}
	genlmsg_end(msg, hdr);
	mfwd_multicast(mn, t, msg, GFP_KERNEL);
}

/* ---- request parsing ---- */

static struct net_device *mfwd_dev_rcu(struct net *net, u32 ifindex)
{
	return dev_get_by_index_rcu(net, ifindex);
}

/* The VIF of @attr's ifindex, or an error and a message naming @attr. */
static struct mfwd_vif *mfwd_nl_vif(struct mfwd_net *mn,
				    const struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	u32 ifindex = nla_get_u32(attr);
	struct mfwd_vif *vif;
	bool exists;

	vif = mfwd_vif_find(mn, ifindex);
	if (vif)
		return vif;
	rcu_read_lock();
	exists = mfwd_dev_rcu(mn->net, ifindex);
	rcu_read_unlock();
	if (!exists) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "unknown interface");
		return ERR_PTR(-ENODEV);
	}
	NL_SET_ERR_MSG_ATTR(extack, attr, "interface is not a VIF");
	return ERR_PTR(-ENOENT);
}

/* The VIF of @attr, which must be in table @t. */
static struct mfwd_vif *mfwd_nl_table_vif(struct mfwd_net *mn,
					  const struct nlattr *attr,
					  const struct mfwd_table *t,
					  struct netlink_ext_ack *extack)
{
	struct mfwd_vif *vif = mfwd_nl_vif(mn, attr, extack);

	if (!IS_ERR(vif) && vif->table != t) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "VIF is in another table");
		return ERR_PTR(-EINVAL);
	}
	return vif;
}

/* The table a request names (TABLE, default 0). Context: mn->lock held. */
static struct mfwd_table *mfwd_nl_table(struct mfwd_net *mn,
					const struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	struct mfwd_table *t;

	t = mfwd_table_find(mn, attr ? nla_get_u32(attr) : 0);
	if (t)
		return t;
	NL_SET_ERR_MSG_ATTR(extack, attr, "no such table");
	return ERR_PTR(-ENOENT);
}

/* FAMILY, where a request has one: AF_INET or AF_INET6 (the policy
 * bounds it to [AF_INET, AF_INET6]), else AF_UNSPEC.
 */
static int mfwd_nl_family(struct nlattr **tb, struct netlink_ext_ack *extack,
			  u8 *family)
{
	struct nlattr *attr = tb[MFWD_A_FAMILY];

	*family = attr ? nla_get_u8(attr) : AF_UNSPEC;
	if (attr && *family != AF_INET && *family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "family is not AF_INET or AF_INET6");
		return -EINVAL;
	}
	return 0;
}

/* The prefix lengths of a route request: GROUP_PREFIX_LEN, default the
 * full length; SOURCE_PREFIX_LEN, default full for a source and 0 for
 * none (any source). Their addresses must have no bit set beyond them.
 */
static int mfwd_nl_plen(struct genl_info *info, u8 family, bool src_set,
			struct mfwd_key *key)
{
	struct nlattr *glen = info->attrs[MFWD_A_GROUP_PREFIX_LEN];
	struct nlattr *slen = info->attrs[MFWD_A_SOURCE_PREFIX_LEN];
	u8 bits = mfwd_addr_bits(family);

	key->grp_len = glen ? nla_get_u8(glen) : bits;
	key->src_len = slen ? nla_get_u8(slen) : src_set ? bits : 0;
	if (key->grp_len > bits || key->src_len > bits) {
		NL_SET_ERR_MSG_ATTR(info->extack, key->grp_len > bits ?
				    glen : slen,
				    "prefix length longer than the address");
		return -ERANGE;
	}
	return 0;
}

/*
 * The attributes of a route request: its message's, or, for a route of a
 * batch, its ROUTE nest's, which mfwd_nl_batch() leaves in user_ptr[0].
 */
static const struct nlattr *mfwd_nl_nest(const struct genl_info *info)
{
	return info->user_ptr[0];
}

static struct nlattr *mfwd_nl_head(const struct genl_info *info)
{
	const struct nlattr *nest = mfwd_nl_nest(info);

	return nest ? nla_data(nest) : nlmsg_attrdata(info->nlhdr, GENL_HDRLEN);
}

static int mfwd_nl_len(const struct genl_info *info)
{
	const struct nlattr *nest = mfwd_nl_nest(info);

	return nest ? nla_len(nest) : nlmsg_attrlen(info->nlhdr, GENL_HDRLEN);
}

/* GENL_REQ_ATTR_CHECK() that names a batch route's nest as the missing
 * attribute's: true, and reported, if @attr is missing.
 */
static bool mfwd_nl_missing(const struct genl_info *info, u32 attr)
{
	return NL_REQ_ATTR_CHECK(info->extack, mfwd_nl_nest(info), info->attrs,
				 attr);
}

static int mfwd_nl_key6(struct genl_info *info, struct mfwd_key *key)
{
	struct nlattr *src = info->attrs[MFWD_A_SOURCE6];
	struct nlattr *grp = info->attrs[MFWD_A_GROUP6];
	struct in6_addr a;
	int err;

	if (mfwd_nl_missing(info, MFWD_A_GROUP6))
		return -EINVAL;
	key->v6.grp = nla_get_in6_addr(grp);
	key->v6.src = src ? nla_get_in6_addr(src) : in6addr_any;
	err = mfwd_nl_plen(info, AF_INET6, !ipv6_addr_any(&key->v6.src), key);
	if (err)
		return err;
	/* A group prefix shorter than 16 bits spans scopes that are never
	 * forwarded; the fast path leaves their packets to the stack.
	 */
	if (key->grp_len < 8 || !ipv6_addr_is_multicast(&key->v6.grp) ||
	    (key->grp_len >= 16 && !mfwd_group6_routable(&key->v6.grp))) {
		NL_SET_ERR_MSG_ATTR(info->extack, grp,
				    "group is not a routable multicast address");
		return -EINVAL;
	}
	ipv6_addr_prefix(&a, &key->v6.grp, key->grp_len);
	if (!ipv6_addr_equal(&a, &key->v6.grp)) {
		NL_SET_ERR_MSG_ATTR(info->extack, grp,
				    "group has bits set beyond its prefix length");
		return -EINVAL;
	}
	ipv6_addr_prefix(&a, &key->v6.src, key->src_len);
	if (!ipv6_addr_equal(&a, &key->v6.src)) {
		NL_SET_ERR_MSG_ATTR(info->extack, src,
				    "source has bits set beyond its prefix length");
		return -EINVAL;
	}
	if (ipv6_addr_is_multicast(&key->v6.src)) {
		NL_SET_ERR_MSG_ATTR(info->extack, src,
				    "source is not a unicast address");
		return -EINVAL;
	}
	return 0;
}

static int mfwd_nl_key4(struct genl_info *info, struct mfwd_key *key)
{
	struct nlattr *src = info->attrs[MFWD_A_SOURCE];
	struct nlattr *grp = info->attrs[MFWD_A_GROUP];
	int err;

	if (mfwd_nl_missing(info, MFWD_A_GROUP))
		return -EINVAL;
	key->v4.grp = nla_get_in_addr(grp);
	key->v4.src = src ? nla_get_in_addr(src) : 0;
	err = mfwd_nl_plen(info, AF_INET, key->v4.src, key);
	if (err)
		return err;
	/* 224.0.0.0/24 is never forwarded: a prefix may span it (the fast
	 * path leaves its packets to the stack), a route may not be in it.
	 */
	if (key->grp_len < 4 || !ipv4_is_multicast(key->v4.grp) ||
	    (key->grp_len >= 24 && ipv4_is_local_multicast(key->v4.grp))) {
		NL_SET_ERR_MSG_ATTR(info->extack, grp,
				    "group is not a routable multicast address");
		return -EINVAL;
	}
	if (key->v4.grp & ~inet_make_mask(key->grp_len)) {
		NL_SET_ERR_MSG_ATTR(info->extack, grp,
				    "group has bits set beyond its prefix length");
		return -EINVAL;
	}
	if (key->v4.src & ~inet_make_mask(key->src_len)) {
		NL_SET_ERR_MSG_ATTR(info->extack, src,
				    "source has bits set beyond its prefix length");
		return -EINVAL;
	}
	if (ipv4_is_multicast(key->v4.src) || ipv4_is_lbcast(key->v4.src)) {
		NL_SET_ERR_MSG_ATTR(info->extack, src,
				    "source is not a unicast address");
		return -EINVAL;
	}
	return 0;
}

/* The family and (S,G) of a route request, with their prefix lengths. Its
 * address attributes are of one family, which FAMILY, if present, names
 * too.
 */
static int mfwd_nl_key(struct genl_info *info, u8 *family,
		       struct mfwd_key *key)
{
	struct nlattr **tb = info->attrs;
	bool v4 = tb[MFWD_A_SOURCE] || tb[MFWD_A_GROUP];
	bool v6 = tb[MFWD_A_SOURCE6] || tb[MFWD_A_GROUP6];
	u8 want;
	int err;

	err = mfwd_nl_family(tb, info->extack, &want);
	if (err)
		return err;
	if (v4 && v6) {
		NL_SET_ERR_MSG(info->extack,
			       "IPv4 and IPv6 addresses in one request");
		return -EINVAL;
	}
	*family = v6 || (!v4 && want == AF_INET6) ? AF_INET6 : AF_INET;
	if (want != AF_UNSPEC && want != *family) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MFWD_A_FAMILY],
				    "family does not match the addresses");
		return -EINVAL;
	}
	if (*family == AF_INET6 && !IS_ENABLED(CONFIG_IPV6)) {
		NL_SET_ERR_MSG(info->extack, "kernel without IPv6");
		return -EAFNOSUPPORT;
	}
	memset(key, 0, sizeof(*key));
	return *family == AF_INET6 ? mfwd_nl_key6(info, key) :
				     mfwd_nl_key4(info, key);
}

static int mfwd_cmp_ptr(const void *a, const void *b)
{
	const struct mfwd_oif *x = a, *y = b;

	if (x->vif == y->vif)
		return 0;
	return x->vif < y->vif ? -1 : 1;
}

/* No VIF twice among @n entries of @vifs; sorting a scratch copy keeps it
 * n log n for routes with hundreds of outputs.
 */
static int mfwd_nl_check_dups(const struct mfwd_oif *vifs, unsigned int n,
			      bool inputs, struct netlink_ext_ack *extack)
{
	struct mfwd_oif *tmp;
	unsigned int i;
	int err = 0;

	if (n < 2)
		return 0;
	tmp = kmemdup(vifs, n * sizeof(*tmp), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	sort(tmp, n, sizeof(*tmp), mfwd_cmp_ptr, NULL);
	for (i = 1; i < n; i++) {
		if (tmp[i].vif == tmp[i - 1].vif) {
			if (inputs)
				NL_SET_ERR_MSG(extack,
					       "an input VIF is listed twice");
			else
				NL_SET_ERR_MSG(extack,
					       "an output VIF is listed twice");
			err = -EINVAL;
			break;
		}
	}
	kfree(tmp);
	return err;
}

static const struct nla_policy mfwd_oif_policy[MFWD_OIF_A_MAX + 1] = {
	[MFWD_OIF_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MFWD_OIF_A_TTL] = NLA_POLICY_MIN(NLA_U8, 1),
};

static int mfwd_nl_oif(struct mfwd_net *mn, const struct mfwd_table *t,
		       struct nlattr *nest, struct mfwd_fwd *fwd,
		       struct mfwd_oif *oif, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MFWD_OIF_A_MAX + 1];
	struct mfwd_vif *vif;
	int err;

	err = nla_parse_nested(tb, MFWD_OIF_A_MAX, nest, mfwd_oif_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, MFWD_OIF_A_IFINDEX))
		return -EINVAL;
	vif = mfwd_nl_table_vif(mn, tb[MFWD_OIF_A_IFINDEX], t, extack);
	if (IS_ERR(vif))
		return PTR_ERR(vif);
	/* With one input, an output on it could never be used, unless it
	 * forwards back out where packets arrived.
	 */
	if (vif == fwd->iif && !fwd->n_in &&
	    !(vif->flags & MFWD_VIF_F_SINGLE_IF)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MFWD_OIF_A_IFINDEX],
				    "input VIF listed as output");
		return -EINVAL;
	}
	oif->vif = vif;
	oif->ttl = tb[MFWD_OIF_A_TTL] ? nla_get_u8(tb[MFWD_OIF_A_TTL]) :
					vif->threshold;
	return 0;
}

/* The inputs of a request: IIF_ANY, or the IIFs (the first is the primary
 * one, the others go after the @fwd->n_oif outputs). PER_IIF needs exactly
 * one IIF.
 */
static int mfwd_nl_iifs(struct mfwd_net *mn, const struct mfwd_table *t,
			struct genl_info *info, struct mfwd_fwd *fwd,
			unsigned int n_iif)
{
	struct mfwd_oif *ins = mfwd_fwd_inputs(fwd);
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct mfwd_vif *vif;
	struct nlattr *nla;
	unsigned int n = 0;
	int rem;

	fwd->any_iif = nla_get_flag(tb[MFWD_A_IIF_ANY]);
	if (fwd->any_iif && n_iif) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MFWD_A_IIF_ANY],
				    "iif any excludes other inputs");
		return -EINVAL;
	}
	if (tb[MFWD_A_PER_IIF] && n_iif != 1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MFWD_A_PER_IIF],
				    "a per-input route has exactly one input");
		return -EINVAL;
	}
	if (fwd->any_iif)
		return 0;
	if (!n_iif && mfwd_nl_missing(info, MFWD_A_IIF))
		return -EINVAL;
	nla_for_each_attr(nla, mfwd_nl_head(info), mfwd_nl_len(info), rem) {
		if (nla_type(nla) != MFWD_A_IIF)
			continue;
		vif = mfwd_nl_table_vif(mn, nla, t, extack);
		if (IS_ERR(vif))
			return PTR_ERR(vif);
		if (!n++)
			fwd->iif = vif;
		else
			ins[n - 2].vif = vif;
	}
	/* The scratch set has room for the primary input after the others,
	 * to check them all at once; a route copies only up to n_in.
	 */
	ins[fwd->n_in].vif = fwd->iif;
	return mfwd_nl_check_dups(ins, fwd->n_in + 1, true, extack);
}

/*
 * Build a forwarding set from the inputs and the OIF nests, all VIFs of
 * table @t, in mn->scratch: the route copies it, so a route install costs
 * one allocation.
 * Context: mn->lock held.
 */
static struct mfwd_fwd *mfwd_nl_fwd(struct mfwd_net *mn,
				    const struct mfwd_table *t,
				    struct genl_info *info)
{
	unsigned int n = 0, n_iif = 0;
	struct mfwd_fwd *fwd;
	struct nlattr *nla;
	int rem, err;

	nla_for_each_attr(nla, mfwd_nl_head(info), mfwd_nl_len(info), rem) {
		n += nla_type(nla) == MFWD_A_OIF;
		n_iif += nla_type(nla) == MFWD_A_IIF;
	}
	if (n > MFWD_VIFS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many outputs");
		return ERR_PTR(-E2BIG);
	}
	if (n_iif > MFWD_VIFS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many inputs");
		return ERR_PTR(-E2BIG);
	}
	if (!mn->scratch) {
		/* Room for one more entry, see mfwd_nl_iifs(). */
		mn->scratch = kvmalloc(mfwd_fwd_size(2 * MFWD_VIFS_MAX + 1),
				       GFP_KERNEL);
		if (!mn->scratch)
			return ERR_PTR(-ENOMEM);
	}
	fwd = mn->scratch;
	memset(fwd, 0, mfwd_fwd_size(n + n_iif + 1));
	fwd->n_oif = n;
	fwd->n_in = n_iif ? n_iif - 1 : 0;
	if (info->attrs[MFWD_A_ROUTE_FLAGS])
		fwd->flags = nla_get_u32(info->attrs[MFWD_A_ROUTE_FLAGS]);
	if (info->attrs[MFWD_A_SIGNAL_RATE])
		fwd->signal_rate = nla_get_u32(info->attrs[MFWD_A_SIGNAL_RATE]);
	err = mfwd_nl_iifs(mn, t, info, fwd, n_iif);
	if (err)
		return ERR_PTR(err);
	n = 0;
	nla_for_each_attr(nla, mfwd_nl_head(info), mfwd_nl_len(info), rem) {
		if (nla_type(nla) != MFWD_A_OIF)
			continue;
		err = mfwd_nl_oif(mn, t, nla, fwd, &fwd->oif[n++],
				  info->extack);
		if (err)
			return ERR_PTR(err);
	}
	err = mfwd_nl_check_dups(fwd->oif, fwd->n_oif, false, info->extack);
	return err ? ERR_PTR(err) : fwd;
}

/* ---- VIF commands ---- */

static int mfwd_nl_vif_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct mfwd_net *mn = mfwd_pernet(net);
	struct nlattr **tb = info->attrs;
	struct net_device *dev;
	u32 dup_ms = MFWD_DUP_WINDOW_MS;
	u8 threshold = 1;
	u32 flags = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MFWD_A_IFINDEX))
		return -EINVAL;
	if (tb[MFWD_A_VIF_FLAGS])
		flags = nla_get_u32(tb[MFWD_A_VIF_FLAGS]);
	if ((flags & MFWD_VIF_F_SINGLE_IF) && (flags & MFWD_VIF_F_REGISTER)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MFWD_A_VIF_FLAGS],
				    "a register VIF cannot be single-interface");
		return -EINVAL;
	}
	if (tb[MFWD_A_DUP_WINDOW_MS]) {
		if (!(flags & MFWD_VIF_F_SINGLE_IF)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[MFWD_A_DUP_WINDOW_MS],
					    "a duplicate window needs a single-interface VIF");
			return -EINVAL;
		}
		dup_ms = nla_get_u32(tb[MFWD_A_DUP_WINDOW_MS]);
	}
	if (tb[MFWD_A_VIF_THRESHOLD])
		threshold = nla_get_u8(tb[MFWD_A_VIF_THRESHOLD]);

	rtnl_lock();
	mutex_lock(&mn->lock);
	dev = __dev_get_by_index(net, nla_get_u32(tb[MFWD_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MFWD_A_IFINDEX],
				    "unknown interface");
		err = -ENODEV;
	} else if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MFWD_A_IFINDEX],
				    "loopback cannot be a VIF");
		err = -EINVAL;
	} else {
		err = mfwd_vif_add(mn, dev, flags, threshold, dup_ms,
				   tb[MFWD_A_TABLE] ?
				   nla_get_u32(tb[MFWD_A_TABLE]) : 0,
				   tb[MFWD_A_TABLE], info->extack);
	}
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	return err;
}

static int mfwd_nl_vif_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	struct mfwd_vif *vif;

	if (GENL_REQ_ATTR_CHECK(info, MFWD_A_IFINDEX))
		return -EINVAL;
	rtnl_lock();
	mutex_lock(&mn->lock);
	vif = mfwd_nl_vif(mn, info->attrs[MFWD_A_IFINDEX], info->extack);
	if (!IS_ERR(vif))
		mfwd_vif_del(mn, vif);
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	mfwd_vif_gc_sync(mn);	/* the routes, without RTNL, before the reply */
	return PTR_ERR_OR_ZERO(vif);
}

static int mfwd_nl_vif_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	struct mfwd_vif *vif;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MFWD_A_IFINDEX))
		return -EINVAL;
	msg = genlmsg_new(mfwd_vif_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	vif = mfwd_nl_vif(mn, info->attrs[MFWD_A_IFINDEX], info->extack);
	if (!IS_ERR(vif) && info->attrs[MFWD_A_TABLE] &&
	    nla_get_u32(info->attrs[MFWD_A_TABLE]) != vif->table->id) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MFWD_A_TABLE],
				    "the VIF is in another table");
		vif = ERR_PTR(-ENOENT);
	}
	err = IS_ERR(vif) ? PTR_ERR(vif) :
	      mfwd_fill_vif(msg, vif, info->snd_portid, info->snd_seq, 0,
			    MFWD_CMD_VIF_GET);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dumps: the filters a request carries (parsed by the op's policy) and where
 * the dump stands, kept in cb->ctx.
 */
struct mfwd_dump_ctx {
	u32 pos;
	u32 ifindex;
	struct mfwd_key key;
	u8 family;
	u16 has_src:1;
	u16 has_grp:1;
	u16 has_src_len:1;
	u16 has_grp_len:1;
	u16 has_ifindex:1;
	u16 has_table:1;	/* its index in key.table */
	u16 per_iif:1;
	u16 none:1;
	u16 done:1;
};

static struct mfwd_dump_ctx *mfwd_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct mfwd_dump_ctx) > sizeof(cb->ctx));
	return (struct mfwd_dump_ctx *)cb->ctx;
}

/* What dumps filter on; the core validated the request with the op's
 * policy already.
 */
static const struct nla_policy mfwd_dump_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_IFINDEX] = { .type = NLA_U32 },
	[MFWD_A_SOURCE] = { .type = NLA_BE32 },
	[MFWD_A_GROUP] = { .type = NLA_BE32 },
	[MFWD_A_IIF] = { .type = NLA_U32 },
	[MFWD_A_FAMILY] = { .type = NLA_U8 },
	[MFWD_A_SOURCE6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MFWD_A_GROUP6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MFWD_A_GROUP_PREFIX_LEN] = { .type = NLA_U8 },
	[MFWD_A_SOURCE_PREFIX_LEN] = { .type = NLA_U8 },
	[MFWD_A_PER_IIF] = { .type = NLA_FLAG },
	[MFWD_A_TABLE] = { .type = NLA_U32 },
};

/* The table filter of a dump: a table that does not exist gives an empty
 * dump.
 */
static void mfwd_dump_table(struct mfwd_dump_ctx *ctx, struct mfwd_net *mn,
			    const struct nlattr *attr)
{
	const struct mfwd_table *t;

	if (!attr)
		return;
	rcu_read_lock();
	t = mfwd_table_find(mn, nla_get_u32(attr));
	ctx->has_table = 1;
	ctx->key.table = t ? t->idx : 0;
	ctx->none |= !t;
	rcu_read_unlock();
}

/* The family and address filters of a route dump. Filters that no route
 * can match (addresses of both families, FAMILY naming another family than
 * the addresses', or neither AF_INET nor AF_INET6) give an empty dump, not
 * an error: before Linux 6.2 a dump's start callback has no extack.
 */
static void mfwd_dump_keys(struct mfwd_dump_ctx *ctx, struct nlattr **tb)
{
	bool v4 = tb[MFWD_A_SOURCE] || tb[MFWD_A_GROUP];
	bool v6 = tb[MFWD_A_SOURCE6] || tb[MFWD_A_GROUP6];

	if (tb[MFWD_A_FAMILY])
		ctx->family = nla_get_u8(tb[MFWD_A_FAMILY]);
	if ((ctx->family && ctx->family != AF_INET &&
	     ctx->family != AF_INET6) || (v4 && v6) ||
	    (v4 && ctx->family == AF_INET6) ||
	    (v6 && ctx->family == AF_INET)) {
		ctx->none = 1;
		return;
	}
	if (v4) {
		ctx->family = AF_INET;
		ctx->has_src = !!tb[MFWD_A_SOURCE];
		ctx->has_grp = !!tb[MFWD_A_GROUP];
		if (ctx->has_src)
			ctx->key.v4.src = nla_get_in_addr(tb[MFWD_A_SOURCE]);
		if (ctx->has_grp)
			ctx->key.v4.grp = nla_get_in_addr(tb[MFWD_A_GROUP]);
	} else if (v6) {
		ctx->family = AF_INET6;
		ctx->has_src = !!tb[MFWD_A_SOURCE6];
		ctx->has_grp = !!tb[MFWD_A_GROUP6];
		if (ctx->has_src)
			ctx->key.v6.src = nla_get_in6_addr(tb[MFWD_A_SOURCE6]);
		if (ctx->has_grp)
			ctx->key.v6.grp = nla_get_in6_addr(tb[MFWD_A_GROUP6]);
	}
	ctx->has_grp_len = !!tb[MFWD_A_GROUP_PREFIX_LEN];
	ctx->has_src_len = !!tb[MFWD_A_SOURCE_PREFIX_LEN];
	if (ctx->has_grp_len)
		ctx->key.grp_len = nla_get_u8(tb[MFWD_A_GROUP_PREFIX_LEN]);
	if (ctx->has_src_len)
		ctx->key.src_len = nla_get_u8(tb[MFWD_A_SOURCE_PREFIX_LEN]);
}

static int mfwd_nl_dump_start(struct netlink_callback *cb)
{
	struct mfwd_dump_ctx *ctx = mfwd_dump_ctx(cb);
	struct nlattr *tb[MFWD_A_MAX + 1];
	int err;

	err = nlmsg_parse_deprecated(cb->nlh, GENL_HDRLEN, tb, MFWD_A_MAX,
				     mfwd_dump_policy, cb->extack);
	if (err)
		return err;
	memset(ctx, 0, sizeof(*ctx));
	mfwd_dump_keys(ctx, tb);
	mfwd_dump_table(ctx, mfwd_pernet(sock_net(cb->skb->sk)),
			tb[MFWD_A_TABLE]);
	if (tb[MFWD_A_IIF] || tb[MFWD_A_IFINDEX]) {
		ctx->ifindex = nla_get_u32(tb[MFWD_A_IIF] ?: tb[MFWD_A_IFINDEX]);
		ctx->has_ifindex = 1;
	}
	ctx->per_iif = nla_get_flag(tb[MFWD_A_PER_IIF]);
	/* A route with every VIF as an output fits in one message: the
	 * dump must not end in -EMSGSIZE on a socket that has not yet read
	 * anything (whose first buffer is NLMSG_GOODSIZE).
	 */
	cb->min_dump_alloc = NLMSG_HDRLEN + GENL_HDRLEN +
			     mfwd_route_msg_bytes(MFWD_VIFS_MAX, MFWD_VIFS_MAX);
	return 0;
}

static int mfwd_nl_vif_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mfwd_net *mn = mfwd_pernet(sock_net(skb->sk));
	struct mfwd_dump_ctx *ctx = mfwd_dump_ctx(cb);
	struct mfwd_vif *vif;
	unsigned long idx;
	int err = 0;

	if (ctx->done)
		return 0;
	rtnl_lock();	/* for the names; VIFs change under RTNL */
	cb->seq = mn->dump_seq;
	xa_for_each_start(&mn->vifs, idx, vif, ctx->pos) {
		unsigned int at = skb->len;

		if (ctx->none ||
		    (ctx->has_ifindex && vif->ifindex != ctx->ifindex) ||
		    (ctx->has_table && vif->table_idx != ctx->key.table))
			continue;
		err = mfwd_fill_vif(skb, vif, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    MFWD_CMD_VIF_GET);
		if (err)
			break;
		nl_dump_check_consistent(cb, (struct nlmsghdr *)(skb->data + at));
	}
	rtnl_unlock();
	ctx->pos = idx;		/* an ifindex: fits */
	ctx->done = !err;
	return err && !skb->len ? err : skb->len;
}

/* ---- route commands ---- */

/* The idle timeout of a ROUTE_ADD, with an extension for a route that has
 * none yet (freed by the caller if left).
 */
static int mfwd_nl_idle(struct genl_info *info, struct mfwd_route_idle *idle)
{
	struct nlattr **tb = info->attrs;

	memset(idle, 0, sizeof(*idle));
	if (tb[MFWD_A_EXPIRE] && !tb[MFWD_A_IDLE_TIMEOUT_MS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MFWD_A_EXPIRE],
				    "expire needs an idle timeout");
		return -EINVAL;
	}
	if (!tb[MFWD_A_IDLE_TIMEOUT_MS])
		return 0;
	idle->ms = nla_get_u32(tb[MFWD_A_IDLE_TIMEOUT_MS]);
	idle->expire = nla_get_flag(tb[MFWD_A_EXPIRE]);
	idle->spare = kzalloc(sizeof(*idle->spare), GFP_KERNEL_ACCOUNT);
	return idle->spare ? 0 : -ENOMEM;
}

/* One route of a ROUTE_ADD. Context: mn->lock held. */
static int mfwd_nl_route_add_one(struct mfwd_net *mn, struct genl_info *info)
{
	bool replace = nla_get_flag(info->attrs[MFWD_A_REPLACE]);
	struct mfwd_route_idle idle;
	struct mfwd_table *t;
	struct mfwd_key key;
	struct mfwd_fwd *fwd;
	u8 family;
	int err;

	err = mfwd_nl_key(info, &family, &key) ?: mfwd_nl_idle(info, &idle);
	if (err)
		return err;
	t = mfwd_nl_table(mn, info->attrs[MFWD_A_TABLE], info->extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out;
	}
	key.table = t->idx;
	fwd = mfwd_nl_fwd(mn, t, info);
	err = IS_ERR(fwd) ? PTR_ERR(fwd) :
	      mfwd_route_add(mn, family,
			     info->attrs[MFWD_A_PER_IIF] ? fwd->iif->ifindex : 0,
			     &key, fwd, replace, &idle, info->extack);
out:
	kfree(idle.spare);
	return err;
}

static int mfwd_nl_route_del_one(struct mfwd_net *mn, struct genl_info *info);

/*
 * A batch: every ROUTE nest as a request of its own (@add: ROUTE_ADD, else
 * ROUTE_DEL), in order, under one lock, until one fails (MFWD_A_ROUTE).
 * The policy has checked them all.
 */
static int mfwd_nl_batch(struct mfwd_net *mn, struct genl_info *info, bool add)
{
	struct netlink_ext_ack *extack = info->extack;
	struct genl_info ri = *info;
	struct nlattr *nla, **tb;
	int rem, err = 0;
	u32 i = 0;

	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nla) != MFWD_A_ROUTE) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "a batch carries only ROUTE nests");
			return -EINVAL;
		}
	}
	tb = kmalloc_array(MFWD_A_MAX + 1, sizeof(*tb), GFP_KERNEL_ACCOUNT);
	if (!tb)
		return -ENOMEM;
	ri.attrs = tb;
	mutex_lock(&mn->lock);
	if (add)
		mfwd_ctr_owner(mn);
	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		nla_parse_nested_deprecated(tb, MFWD_A_MAX, nla, NULL, NULL);
		ri.user_ptr[0] = nla;
		if (tb[MFWD_A_ROUTE]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MFWD_A_ROUTE],
					    "the routes of a batch do not nest");
			err = -EINVAL;
		} else {
			err = add ? mfwd_nl_route_add_one(mn, &ri) :
				    mfwd_nl_route_del_one(mn, &ri);
		}
		if (err) {
			if (!extack->bad_attr)
				extack->bad_attr = nla;
			memcpy(extack->cookie, &i, sizeof(i));
			extack->cookie_len = sizeof(i);
			break;
		}
		i++;
		cond_resched();
	}
	mutex_unlock(&mn->lock);
	kfree(tb);
	return err;
}

static int mfwd_nl_route_add(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	int err;

	if (info->attrs[MFWD_A_ROUTE])
		return mfwd_nl_batch(mn, info, true);
	mutex_lock(&mn->lock);
	mfwd_ctr_owner(mn);
	err = mfwd_nl_route_add_one(mn, info);
	mutex_unlock(&mn->lock);
	return err;
}

static struct mfwd_route *mfwd_nl_route(struct mfwd_net *mn,
					struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct mfwd_table *t;
	struct mfwd_key key;
	struct mfwd_route *r;
	u32 iif = 0;
	u8 family;
	int err;

	err = mfwd_nl_key(info, &family, &key);
	if (err)
		return ERR_PTR(err);
	t = mfwd_nl_table(mn, tb[MFWD_A_TABLE], info->extack);
	if (IS_ERR(t))
		return ERR_CAST(t);
	key.table = t->idx;
	if (tb[MFWD_A_PER_IIF]) {
		/* A per-input route's input is part of its key. */
		if (mfwd_nl_missing(info, MFWD_A_IIF))
			return ERR_PTR(-EINVAL);
		iif = nla_get_u32(tb[MFWD_A_IIF]);
	} else if (tb[MFWD_A_IIF]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MFWD_A_IIF],
				    "iif filters dumps only");
		return ERR_PTR(-EINVAL);
	}
	r = mfwd_route_find(mn, family, iif, &key);
	if (!r) {
		NL_SET_ERR_MSG(info->extack, "no such route");
		return ERR_PTR(-ENOENT);
	}
	return r;
}

/* One route of a ROUTE_DEL. Context: mn->lock held. */
static int mfwd_nl_route_del_one(struct mfwd_net *mn, struct genl_info *info)
{
	struct mfwd_route *r = mfwd_nl_route(mn, info);

	if (IS_ERR(r))
		return PTR_ERR(r);
	mfwd_route_del(mn, r);
	return 0;
}

static int mfwd_nl_route_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	int err;

	if (info->attrs[MFWD_A_ROUTE])
		return mfwd_nl_batch(mn, info, false);
	mutex_lock(&mn->lock);
	err = mfwd_nl_route_del_one(mn, info);
	mutex_unlock(&mn->lock);
	return err;
}

static int mfwd_nl_route_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	const struct mfwd_fwd *fwd;
	struct sk_buff *msg = NULL;
	struct mfwd_route *r;
	int err;

	mutex_lock(&mn->lock);
	r = mfwd_nl_route(mn, info);
	if (IS_ERR(r)) {
		err = PTR_ERR(r);
		goto unlock;
	}
	fwd = rcu_dereference_protected(r->fwd, lockdep_is_held(&mn->lock));
	msg = genlmsg_new(mfwd_route_msg_size(fwd), GFP_KERNEL);
	err = msg ? mfwd_fill_route(msg, mn, r, fwd, info->snd_portid,
				    info->snd_seq, 0, MFWD_CMD_ROUTE_GET) :
		    -ENOMEM;
unlock:
	mutex_unlock(&mn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static bool mfwd_dump_match(struct mfwd_net *mn,
			    const struct mfwd_dump_ctx *ctx,
			    const struct mfwd_route *r,
			    const struct mfwd_fwd *fwd)
{
	const struct mfwd_key *k = &r->key, *f = &ctx->key;
	const struct mfwd_vif *iif = READ_ONCE(fwd->iif);

	if (ctx->none || (ctx->family && r->family != ctx->family) ||
	    (ctx->per_iif && !r->iif) ||
	    (ctx->has_table && k->table != f->table) ||
	    (ctx->has_grp_len && k->grp_len != f->grp_len) ||
	    (ctx->has_src_len && k->src_len != f->src_len))
		return false;
	if (r->family == AF_INET6) {
		if ((ctx->has_grp && !ipv6_addr_equal(&k->v6.grp, &f->v6.grp)) ||
		    (ctx->has_src && !ipv6_addr_equal(&k->v6.src, &f->v6.src)))
			return false;
	} else if ((ctx->has_grp && k->v4.grp != f->v4.grp) ||
		   (ctx->has_src && k->v4.src != f->v4.src)) {
		return false;
	}
	if (!ctx->has_ifindex || (iif && iif->ifindex == ctx->ifindex))
		return true;
	iif = mfwd_vif_find(mn, ctx->ifindex);
	return iif && mfwd_fwd_accepts(fwd, iif);
}

static int mfwd_nl_route_dump(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	struct mfwd_net *mn = mfwd_pernet(sock_net(skb->sk));
	struct mfwd_dump_ctx *ctx = mfwd_dump_ctx(cb);
	const struct mfwd_fwd *fwd;
	struct mfwd_route *r;
	unsigned long id;
	int err = 0;

	if (ctx->done)
		return 0;
	rcu_read_lock();
	cb->seq = READ_ONCE(mn->dump_seq);
	xa_for_each_start(&mn->route_ids, id, r, ctx->pos) {
		unsigned int at = skb->len;

		fwd = rcu_dereference(r->fwd);
		/* Going away with its input VIFs (mfwd_vif_gc()). */
		if (!mfwd_fwd_has_input(fwd) ||
		    !mfwd_dump_match(mn, ctx, r, fwd))
			continue;
		err = mfwd_fill_route(skb, mn, r, fwd,
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      MFWD_CMD_ROUTE_GET);
		if (err)
			break;
		nl_dump_check_consistent(cb, (struct nlmsghdr *)(skb->data + at));
	}
	rcu_read_unlock();
	ctx->pos = id;		/* route ids are 32-bit */
	ctx->done = !err;
	return err && !skb->len ? err : skb->len;
}

/* ---- meters ---- */

/* The meter fields a request carries, in @spec; the MFWD_METER_M_* bits of
 * those it has.
 */
static unsigned int mfwd_nl_meter_spec(struct nlattr **tb,
				       struct mfwd_meter_spec *spec)
{
	unsigned int match = 0;

	memset(spec, 0, sizeof(*spec));
	if (tb[MFWD_A_METER_UNIT]) {
		spec->unit = nla_get_u8(tb[MFWD_A_METER_UNIT]);
		match |= MFWD_METER_M_UNIT;
	}
	if (tb[MFWD_A_METER_OP]) {
		spec->op = nla_get_u8(tb[MFWD_A_METER_OP]);
		match |= MFWD_METER_M_OP;
	}
	if (tb[MFWD_A_METER_VALUE]) {
		spec->value = nla_get_u64(tb[MFWD_A_METER_VALUE]);
		match |= MFWD_METER_M_VALUE;
	}
	if (tb[MFWD_A_INTERVAL_MS]) {
		spec->interval_ms = nla_get_u32(tb[MFWD_A_INTERVAL_MS]);
		match |= MFWD_METER_M_INTERVAL;
	}
	return match;
}

static int mfwd_nl_meter_add(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	struct mfwd_meter_spec spec;
	struct mfwd_route *r;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MFWD_A_METER_UNIT) ||
	    GENL_REQ_ATTR_CHECK(info, MFWD_A_METER_OP) ||
	    GENL_REQ_ATTR_CHECK(info, MFWD_A_METER_VALUE) ||
	    GENL_REQ_ATTR_CHECK(info, MFWD_A_INTERVAL_MS))
		return -EINVAL;
	mfwd_nl_meter_spec(info->attrs, &spec);
	mutex_lock(&mn->lock);
	r = mfwd_nl_route(mn, info);
	err = IS_ERR(r) ? PTR_ERR(r) :
	      mfwd_meter_add(mn, r, &spec, info->extack);
	mutex_unlock(&mn->lock);
	return err;
}

static int mfwd_nl_meter_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	struct mfwd_meter_spec spec;
	struct mfwd_route *r;
	unsigned int match;
	int err = 0;

	match = mfwd_nl_meter_spec(info->attrs, &spec);
	mutex_lock(&mn->lock);
	r = mfwd_nl_route(mn, info);
	if (IS_ERR(r)) {
		err = PTR_ERR(r);
	} else if (!mfwd_meter_del(mn, r, &spec, match)) {
		NL_SET_ERR_MSG(info->extack, "no such meter");
		err = -ENOENT;
	}
	mutex_unlock(&mn->lock);
	return err;
}

struct mfwd_meter_dump_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct mfwd_net *mn;
};

static int mfwd_meter_dump_one(void *arg, const struct mfwd_route *r,
			       const struct mfwd_meter_spec *spec, u64 count)
{
	struct mfwd_meter_dump_arg *a = arg;
	struct mfwd_dump_ctx *ctx = mfwd_dump_ctx(a->cb);
	unsigned int at = a->skb->len;
	int err;

	if (ctx->none || (ctx->family && r->family != ctx->family) ||
	    (ctx->has_table && r->key.table != ctx->key.table))
		return 0;
	err = mfwd_fill_meter(a->skb, a->mn, r, spec, count,
			      NETLINK_CB(a->cb->skb).portid,
			      a->cb->nlh->nlmsg_seq, NLM_F_MULTI,
			      MFWD_CMD_METER_GET);
	if (!err)
		nl_dump_check_consistent(a->cb, (struct nlmsghdr *)
					 (a->skb->data + at));
	return err;
}

static int mfwd_nl_meter_dump(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	struct mfwd_net *mn = mfwd_pernet(sock_net(skb->sk));
	struct mfwd_dump_ctx *ctx = mfwd_dump_ctx(cb);
	struct mfwd_meter_dump_arg arg = { skb, cb, mn };
	unsigned long pos = ctx->pos;
	int err;

	if (ctx->done)
		return 0;
	mutex_lock(&mn->lock);
	cb->seq = mn->dump_seq;
	err = mfwd_meter_dump(mn, &pos, mfwd_meter_dump_one, &arg);
	mutex_unlock(&mn->lock);
	ctx->pos = pos;
	ctx->done = !err;
	return err && !skb->len ? err : skb->len;
}

/* ---- flush, stats, config ---- */

static int mfwd_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	struct nlattr *table = info->attrs[MFWD_A_TABLE];
	u32 id = table ? nla_get_u32(table) : 0;
	struct mfwd_table *t;
	u8 family;
	int err;

	err = mfwd_nl_family(info->attrs, info->extack, &family);
	if (err)
		return err;
	/* Routes never need RTNL; nor does what removing VIFs does to them.
	 * A table that does not exist has nothing to flush.
	 */
	mutex_lock(&mn->lock);
	t = table ? mfwd_table_find(mn, id) : NULL;
	if (!table || t)
		mfwd_routes_flush(mn, family, t);
	mutex_unlock(&mn->lock);
	if (nla_get_flag(info->attrs[MFWD_A_FLUSH_VIFS]))
		mfwd_vifs_flush(mn, !table, id);
	return 0;
}

static const u8 mfwd_stats_attr[MFWD_C_MAX] = {
	[MFWD_C_FORWARDED] = MFWD_STATS_A_FORWARDED,
	[MFWD_C_COPIES] = MFWD_STATS_A_COPIES,
	[MFWD_C_DROP_QUEUE_FULL] = MFWD_STATS_A_DROP_QUEUE_FULL,
	[MFWD_C_DROP_EXPIRED] = MFWD_STATS_A_DROP_EXPIRED,
	[MFWD_C_DROP_NO_VIF] = MFWD_STATS_A_DROP_NO_VIF,
	[MFWD_C_DROP_RPF] = MFWD_STATS_A_DROP_RPF,
	[MFWD_C_DROP_TTL] = MFWD_STATS_A_DROP_TTL,
	[MFWD_C_DROP_MTU] = MFWD_STATS_A_DROP_MTU,
	[MFWD_C_DROP_NOMEM] = MFWD_STATS_A_DROP_NOMEM,
	[MFWD_C_EVENTS_SENT] = MFWD_STATS_A_EVENTS_SENT,
	[MFWD_C_EVENTS_DROPPED] = MFWD_STATS_A_EVENTS_DROPPED,
	[MFWD_C_DROP_DUPLICATE] = MFWD_STATS_A_DROP_DUPLICATE,
};

/* The netns's statistics, or with TABLE those of one table (its counters;
 * the unresolved queue is the netns's).
 */
static int mfwd_fill_stats(struct sk_buff *msg, struct mfwd_net *mn,
			   struct genl_info *info)
{
	struct nlattr *table = info->attrs[MFWD_A_TABLE];
	struct mfwd_unres *u = &mn->unres;
	struct mfwd_table *t = NULL;
	u64 c[MFWD_C_MAX];
	struct nlattr *nest;
	int i;

	if (table) {
		t = mfwd_nl_table(mn, table, info->extack);
		if (IS_ERR(t))
			return PTR_ERR(t);
		mfwd_table_stats_read(t, c);
	} else {
		mfwd_net_stats_read(mn, c);
	}
	nest = nla_nest_start(msg, MFWD_A_STATS);
	if (!nest ||
	    (!t &&
	     (nla_put_u32(msg, MFWD_STATS_A_UNRES_ENTRIES,
			  READ_ONCE(u->entries)) ||
	      nla_put_u32(msg, MFWD_STATS_A_UNRES_PACKETS,
			  READ_ONCE(u->packets)))))
		return -EMSGSIZE;
	for (i = 0; i < MFWD_C_MAX; i++)
		if (nla_put_u64_64bit(msg, mfwd_stats_attr[i], c[i],
				      MFWD_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int mfwd_fill_config(struct sk_buff *msg, struct mfwd_net *mn,
			    struct genl_info *info)
{
	const struct mfwd_config *cfg = &mn->cfg;

	if (nla_put_u32(msg, MFWD_A_UNRES_MAX, cfg->unres_max) ||
	    nla_put_u32(msg, MFWD_A_UNRES_QLEN, cfg->unres_qlen) ||
	    nla_put_u32(msg, MFWD_A_UNRES_TIMEOUT_MS, cfg->unres_timeout_ms) ||
	    nla_put_u32(msg, MFWD_A_WRONGVIF_INTERVAL_MS,
			cfg->wrongvif_interval_ms) ||
	    nla_put_u32(msg, MFWD_A_MAX_ROUTES, cfg->max_routes) ||
	    nla_put_u32(msg, MFWD_A_SIGNAL_RATE, cfg->signal_rate) ||
	    nla_put_u32(msg, MFWD_A_VIF_COUNT, mn->nr_vifs) ||
	    nla_put_u32(msg, MFWD_A_ROUTE_COUNT, mn->nr_routes))
		return -EMSGSIZE;
	return 0;
}

static int mfwd_nl_reply(struct genl_info *info, u8 cmd,
			 int (*fill)(struct sk_buff *, struct mfwd_net *,
				     struct genl_info *))
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mfwd_genl_family, 0, cmd);
	mutex_lock(&mn->lock);
	err = hdr ? fill(msg, mn, info) : -EMSGSIZE;
	mutex_unlock(&mn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int mfwd_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	return mfwd_nl_reply(info, MFWD_CMD_STATS_GET, mfwd_fill_stats);
}

static int mfwd_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	return mfwd_nl_reply(info, MFWD_CMD_CONFIG_GET, mfwd_fill_config);
}

static void mfwd_set_u32(u32 *dst, const struct nlattr *attr)
{
	if (attr)
		WRITE_ONCE(*dst, nla_get_u32(attr));
}

/* Limits that protect the host: above their defaults only for the host's
 * administrator, as namespaced sysctls are.
 */
static const struct {
	u16 attr;
	u32 dflt;
	size_t offset;
} mfwd_limits[] = {
	{ MFWD_A_UNRES_MAX, MFWD_UNRES_MAX_DEFAULT,
	  offsetof(struct mfwd_config, unres_max) },
	{ MFWD_A_UNRES_QLEN, MFWD_UNRES_QLEN_DEFAULT,
	  offsetof(struct mfwd_config, unres_qlen) },
	{ MFWD_A_UNRES_TIMEOUT_MS, MFWD_UNRES_TIMEOUT_MS,
	  offsetof(struct mfwd_config, unres_timeout_ms) },
	{ MFWD_A_MAX_ROUTES, MFWD_ROUTES_DEFAULT,
	  offsetof(struct mfwd_config, max_routes) },
};

/* Lowering is anyone's, also from a value the host's administrator set. */
static int mfwd_nl_check_limits(struct sk_buff *skb, struct genl_info *info,
				const struct mfwd_config *cfg)
{
	const struct nlattr *attr;
	unsigned int i;
	u32 cur;

	if (netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	for (i = 0; i < ARRAY_SIZE(mfwd_limits); i++) {
		attr = info->attrs[mfwd_limits[i].attr];
		cur = *(const u32 *)((const char *)cfg + mfwd_limits[i].offset);
		if (attr && nla_get_u32(attr) > max(mfwd_limits[i].dflt, cur)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "raising a limit above its default needs CAP_NET_ADMIN in the initial user namespace");
			return -EPERM;
		}
	}
	return 0;
}

static int mfwd_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct mfwd_net *mn = mfwd_pernet(genl_info_net(info));
	struct mfwd_config *cfg = &mn->cfg;
	struct nlattr **tb = info->attrs;
	int err;

	mutex_lock(&mn->lock);
	err = mfwd_nl_check_limits(skb, info, cfg);
	if (!err && tb[MFWD_A_SIGNAL_RATE])
		err = mfwd_unres_set_signal_rate(mn,
						 nla_get_u32(tb[MFWD_A_SIGNAL_RATE]));
	if (!err && tb[MFWD_A_UNRES_MAX])
		err = mfwd_unres_resize(mn, nla_get_u32(tb[MFWD_A_UNRES_MAX]));
	if (err) {
		mutex_unlock(&mn->lock);
		return err;
	}
	mfwd_set_u32(&cfg->unres_max, tb[MFWD_A_UNRES_MAX]);
	mfwd_set_u32(&cfg->unres_qlen, tb[MFWD_A_UNRES_QLEN]);
	mfwd_set_u32(&cfg->unres_timeout_ms, tb[MFWD_A_UNRES_TIMEOUT_MS]);
	mfwd_set_u32(&cfg->wrongvif_interval_ms,
		     tb[MFWD_A_WRONGVIF_INTERVAL_MS]);
	mfwd_set_u32(&cfg->max_routes, tb[MFWD_A_MAX_ROUTES]);
	mfwd_set_u32(&cfg->signal_rate, tb[MFWD_A_SIGNAL_RATE]);
	mutex_unlock(&mn->lock);
	return 0;
}

/* ---- policies and the family ---- */

static struct netlink_range_validation mfwd_unres_max_range = {
	.min = 0, .max = 1U << 20,
};

static struct netlink_range_validation mfwd_qlen_range = {
	.min = 0, .max = 1024,
};

static struct netlink_range_validation mfwd_timeout_range = {
	.min = 100, .max = 3600 * 1000,
};

static struct netlink_range_validation mfwd_interval_range = {
	.min = 0, .max = 3600 * 1000,
};

static struct netlink_range_validation mfwd_max_routes_range = {
	.min = 1, .max = U32_MAX,
};

static struct netlink_range_validation mfwd_signal_rate_range = {
	.min = 0, .max = 1000000,
};

static struct netlink_range_validation mfwd_period_range = {
	.min = MFWD_METER_TICK_MS, .max = 86400000,
};

static struct netlink_range_validation mfwd_dup_window_range = {
	.min = 10, .max = 10000,
};

static const struct nla_policy mfwd_vif_add_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MFWD_A_VIF_FLAGS] = NLA_POLICY_MASK(NLA_U32, MFWD_VIF_F_ALL),
	[MFWD_A_VIF_THRESHOLD] = NLA_POLICY_MIN(NLA_U8, 1),
	[MFWD_A_TABLE] = { .type = NLA_U32 },
	[MFWD_A_DUP_WINDOW_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_dup_window_range),
};

static const struct nla_policy mfwd_vif_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy mfwd_vif_get_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MFWD_A_TABLE] = { .type = NLA_U32 },
};

#define MFWD_POLICY_FAMILY	NLA_POLICY_RANGE(NLA_U8, AF_INET, AF_INET6)
#define MFWD_POLICY_IN6		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr))
#define MFWD_POLICY_PLEN	NLA_POLICY_MAX(NLA_U8, 128)

static const struct nla_policy mfwd_route_add_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_FAMILY] = MFWD_POLICY_FAMILY,
	[MFWD_A_SOURCE] = { .type = NLA_BE32 },
	[MFWD_A_GROUP] = { .type = NLA_BE32 },
	[MFWD_A_SOURCE6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_SOURCE_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_IIF] = NLA_POLICY_MIN(NLA_U32, 1),
	[MFWD_A_OIF] = NLA_POLICY_NESTED(mfwd_oif_policy),
	[MFWD_A_REPLACE] = { .type = NLA_FLAG },
	[MFWD_A_IIF_ANY] = { .type = NLA_FLAG },
	[MFWD_A_PER_IIF] = { .type = NLA_FLAG },
	[MFWD_A_TABLE] = { .type = NLA_U32 },
	[MFWD_A_ROUTE_FLAGS] = NLA_POLICY_MASK(NLA_U32, MFWD_ROUTE_F_ALL),
	[MFWD_A_SIGNAL_RATE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_signal_rate_range),
	[MFWD_A_IDLE_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_period_range),
	[MFWD_A_EXPIRE] = { .type = NLA_FLAG },
	[MFWD_A_ROUTE] = NLA_POLICY_NESTED(mfwd_route_add_policy),
};

/* ROUTE_DEL: a route named as in ROUTE_GET, or a batch of them. */
static const struct nla_policy mfwd_route_del_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_FAMILY] = MFWD_POLICY_FAMILY,
	[MFWD_A_SOURCE] = { .type = NLA_BE32 },
	[MFWD_A_GROUP] = { .type = NLA_BE32 },
	[MFWD_A_SOURCE6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_SOURCE_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_IIF] = NLA_POLICY_MIN(NLA_U32, 1),
	[MFWD_A_PER_IIF] = { .type = NLA_FLAG },
	[MFWD_A_TABLE] = { .type = NLA_U32 },
	[MFWD_A_ROUTE] = NLA_POLICY_NESTED(mfwd_route_del_policy),
};

/* ROUTE_GET: IIF only with PER_IIF, as part of a per-input route's key,
 * but a dump takes both as filters.
 */
static const struct nla_policy mfwd_route_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_FAMILY] = MFWD_POLICY_FAMILY,
	[MFWD_A_SOURCE] = { .type = NLA_BE32 },
	[MFWD_A_GROUP] = { .type = NLA_BE32 },
	[MFWD_A_SOURCE6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_SOURCE_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_IIF] = NLA_POLICY_MIN(NLA_U32, 1),
	[MFWD_A_PER_IIF] = { .type = NLA_FLAG },
	[MFWD_A_TABLE] = { .type = NLA_U32 },
};

/* METER_ADD and METER_DEL: a route named as in ROUTE_DEL, and a meter. */
static const struct nla_policy mfwd_meter_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_FAMILY] = MFWD_POLICY_FAMILY,
	[MFWD_A_SOURCE] = { .type = NLA_BE32 },
	[MFWD_A_GROUP] = { .type = NLA_BE32 },
	[MFWD_A_SOURCE6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP6] = MFWD_POLICY_IN6,
	[MFWD_A_GROUP_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_SOURCE_PREFIX_LEN] = MFWD_POLICY_PLEN,
	[MFWD_A_IIF] = NLA_POLICY_MIN(NLA_U32, 1),
	[MFWD_A_PER_IIF] = { .type = NLA_FLAG },
	[MFWD_A_TABLE] = { .type = NLA_U32 },
	[MFWD_A_METER_UNIT] = NLA_POLICY_MAX(NLA_U8, MFWD_METER_BYTES),
	[MFWD_A_METER_OP] = NLA_POLICY_MAX(NLA_U8, MFWD_METER_LE),
	[MFWD_A_METER_VALUE] = { .type = NLA_U64 },
	[MFWD_A_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_period_range),
};

static const struct nla_policy mfwd_meter_get_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_FAMILY] = MFWD_POLICY_FAMILY,
	[MFWD_A_TABLE] = { .type = NLA_U32 },
};

static const struct nla_policy mfwd_flush_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_FLUSH_VIFS] = { .type = NLA_FLAG },
	[MFWD_A_FAMILY] = MFWD_POLICY_FAMILY,
	[MFWD_A_TABLE] = { .type = NLA_U32 },
};

static const struct nla_policy mfwd_none_policy[MFWD_A_MAX + 1] = {
};

static const struct nla_policy mfwd_stats_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_TABLE] = { .type = NLA_U32 },
};

static const struct nla_policy mfwd_config_policy[MFWD_A_MAX + 1] = {
	[MFWD_A_UNRES_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_unres_max_range),
	[MFWD_A_UNRES_QLEN] = NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_qlen_range),
	[MFWD_A_UNRES_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_timeout_range),
	[MFWD_A_WRONGVIF_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_interval_range),
	[MFWD_A_MAX_ROUTES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_max_routes_range),
	[MFWD_A_SIGNAL_RATE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &mfwd_signal_rate_range),
};

#define MFWD_OP(_cmd, _doit, _dumpit, _policy, _flags) {	\
	.cmd = _cmd,						\
	.doit = _doit,						\
	.dumpit = _dumpit,					\
	.policy = _policy,					\
	.maxattr = MFWD_A_MAX,					\
	.flags = _flags,					\
}

#define MFWD_DUMP_OP(_cmd, _doit, _dumpit, _policy) {		\
	.cmd = _cmd,						\
	.doit = _doit,						\
	.start = mfwd_nl_dump_start,				\
	.dumpit = _dumpit,					\
	.policy = _policy,					\
	.maxattr = MFWD_A_MAX,					\
}

static const struct genl_ops mfwd_genl_ops[] = {
	MFWD_OP(MFWD_CMD_VIF_ADD, mfwd_nl_vif_add, NULL, mfwd_vif_add_policy,
		GENL_UNS_ADMIN_PERM),
	MFWD_OP(MFWD_CMD_VIF_DEL, mfwd_nl_vif_del, NULL, mfwd_vif_policy,
		GENL_UNS_ADMIN_PERM),
	MFWD_DUMP_OP(MFWD_CMD_VIF_GET, mfwd_nl_vif_get, mfwd_nl_vif_dump,
		     mfwd_vif_get_policy),
	MFWD_OP(MFWD_CMD_ROUTE_ADD, mfwd_nl_route_add, NULL,
		mfwd_route_add_policy, GENL_UNS_ADMIN_PERM),
	MFWD_OP(MFWD_CMD_ROUTE_DEL, mfwd_nl_route_del, NULL,
		mfwd_route_del_policy, GENL_UNS_ADMIN_PERM),
	MFWD_DUMP_OP(MFWD_CMD_ROUTE_GET, mfwd_nl_route_get, mfwd_nl_route_dump,
		     mfwd_route_policy),
	MFWD_OP(MFWD_CMD_FLUSH, mfwd_nl_flush, NULL, mfwd_flush_policy,
		GENL_UNS_ADMIN_PERM),
	MFWD_OP(MFWD_CMD_STATS_GET, mfwd_nl_stats_get, NULL,
		mfwd_stats_policy, 0),
	MFWD_OP(MFWD_CMD_CONFIG_GET, mfwd_nl_config_get, NULL,
		mfwd_none_policy, 0),
	MFWD_OP(MFWD_CMD_CONFIG_SET, mfwd_nl_config_set, NULL,
		mfwd_config_policy, GENL_UNS_ADMIN_PERM),
	MFWD_OP(MFWD_CMD_METER_ADD, mfwd_nl_meter_add, NULL,
		mfwd_meter_policy, GENL_UNS_ADMIN_PERM),
	MFWD_OP(MFWD_CMD_METER_DEL, mfwd_nl_meter_del, NULL,
		mfwd_meter_policy, GENL_UNS_ADMIN_PERM),
	MFWD_DUMP_OP(MFWD_CMD_METER_GET, NULL, mfwd_nl_meter_dump,
		     mfwd_meter_get_policy),
};

struct genl_family mfwd_genl_family __ro_after_init = {
	.name = MFWD_GENL_NAME,
	.version = MFWD_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = mfwd_genl_ops,
	.n_ops = ARRAY_SIZE(mfwd_genl_ops),
	.resv_start_op = 0,	/* strict header checks for every command */
	.mcgrps = mfwd_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mfwd_mcgrps),
};

int mfwd_genl_init(void)
{
	int err = genl_register_family(&mfwd_genl_family);

	if (!err)
		WRITE_ONCE(mfwd_genl_live, true);
	return err;
}

void mfwd_genl_exit(void)
{
	/* Nothing may use the family's group ids once it is gone. */
	WRITE_ONCE(mfwd_genl_live, false);
	synchronize_rcu();
	genl_unregister_family(&mfwd_genl_family);
}
