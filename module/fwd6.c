// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the IPv6 fast path, a netfilter PRE_ROUTING hook for NFPROTO_IPV6,
 * and what a VIF needs for it.
 *
 * The same design as IPv4 (fwd.c): one or two hash lookups per packet and,
 * per copy, a clone with a private header, the FORWARD hook and the VIF's
 * prebuilt output route. What ip6mr leaves to the stack is left to it here
 * too: groups of interface-local or link-local scope, MLD, anything with a
 * hop-by-hop Router Alert. The stack also loops copies back to
 * sockets that joined the group on an output (ip6_finish_output2()).
 */
#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/dst.h>
#ifdef MFWD_HAVE_NET_GSO_H	/* Linux 6.5 */
#include <net/gso.h>
#endif
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "mfwd.h"

/**
 * mfwd_vif_rt6_init() - build the IPv6 output route of a new VIF
 * @vif: the VIF, with @vif->dev set
 *
 * A route of no prefix that sends through ip6_output() on the device: the
 * neighbour (the group's MAC) is found from each packet's destination, and
 * the MTU is the device's IPv6 MTU. A device without IPv6 (disabled, or an
 * MTU below 1280) when it becomes a VIF gets none: IPv6 copies are not sent
 * there.
 *
 * Context: RTNL held.
 * Return: 0 or -ENOMEM.
 */
int mfwd_vif_rt6_init(struct mfwd_vif *vif)
{
	struct net_device *dev = vif->dev;
	struct inet6_dev *idev = in6_dev_get(dev);
	struct rt6_info *rt;

	vif->rt6 = NULL;
	if (!idev)
		return 0;
	rt = ip6_dst_alloc(dev_net(dev), dev, 0);
	if (!rt) {
		in6_dev_put(idev);
		return -ENOMEM;
	}
	rt->rt6i_idev = idev;	/* put by ip6_dst_destroy() */
	rt->dst.output = ip6_output;
	vif->rt6 = &rt->dst;
	return 0;
}

void mfwd_vif_rt6_release(struct mfwd_vif *vif)
{
	if (vif->rt6)
		dst_release(vif->rt6);
}

/**
 * mfwd_vif_mc_forwarding6() - IPv6 mc_forwarding, as ip6mr sets it
 * @mn: netns state
 * @vif: the VIF being added or removed
 * @on: added
 *
 * On the device, and "all" while the netns has a VIF. With "all" on, the
 * stack gives MLD messages carrying a Router Alert to local sockets (a
 * controller's raw socket) as it does for ip6mr. The device's count is
 * dropped on the inet6_dev it was raised on, even if the device got a new
 * one meanwhile.
 *
 * Context: RTNL and @mn->lock held.
 */
void mfwd_vif_mc_forwarding6(struct mfwd_net *mn, struct mfwd_vif *vif,
			     bool on)
{
	atomic_t *all = &mn->net->ipv6.devconf_all->mc_forwarding;

	if (on) {
		vif->idev6 = in6_dev_get(vif->dev);
		if (vif->idev6)
			atomic_inc(&vif->idev6->cnf.mc_forwarding);
		if (mn->nr_vifs == 1)
			atomic_inc(all);
		return;
	}
	if (vif->idev6) {
		atomic_dec(&vif->idev6->cnf.mc_forwarding);
		in6_dev_put(vif->idev6);
		vif->idev6 = NULL;
	}
	if (!mn->nr_vifs)
		atomic_dec(all);
}

/* As ip6_forward() decides it: IPv6 routers do not fragment. */
static bool mfwd_too_big6(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	/* reassembled by conntrack: sent as fragments of at most this */
	if (IP6CB(skb)->frag_max_size && IP6CB(skb)->frag_max_size > mtu)
		return true;
	if (skb->ignore_df)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

/**
 * mfwd_xmit6() - send an IPv6 packet, or a copy of it, out of a VIF
 * @mn: netns state
 * @in: the VIF it arrived on
 * @out: the output VIF
 * @skb: the packet, network header at skb->data
 * @copy: send a copy and leave @skb to the caller; else consume @skb
 *
 * A packet too big for @out is not sent; its sender gets a Packet Too Big
 * (rate-limited by the stack), as from ip6mr.
 *
 * Context: RCU read side, BH disabled.
 */
void mfwd_xmit6(struct mfwd_net *mn, const struct mfwd_vif *in,
		struct mfwd_vif *out, struct sk_buff *skb, bool copy)
{
	struct net_device *dev = out->dev;
	struct dst_entry *dst = out->rt6;
	struct sk_buff *nskb;
	unsigned int mtu;

	if (unlikely(!dst || !(READ_ONCE(dev->flags) & IFF_UP)))
		goto consume;
	mtu = dst_mtu(dst);
	if (unlikely(mfwd_too_big6(skb, mtu))) {
		mfwd_count(in->table, MFWD_C_DROP_MTU);
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		goto consume;
	}
	nskb = copy ? skb_clone(skb, GFP_ATOMIC) : skb;
	if (unlikely(!nskb))
		goto nomem;
	/* A private header, with correct offsets, in the headroom of @dev. */
	if (unlikely(skb_cow(nskb, LL_RESERVED_SPACE(dev)))) {
		kfree_skb(nskb);
		goto nomem;
	}
	ipv6_hdr(nskb)->hop_limit--;
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	skb_ext_del(nskb, SKB_EXT_BRIDGE_NF);
#endif
	nskb->dev = dev;
	skb_dst_drop(nskb);
	skb_dst_set_noref(nskb, dst);
	IP6CB(nskb)->flags |= IP6SKB_FORWARDED;
	skb_clear_tstamp(nskb);
	NF_HOOK(NFPROTO_IPV6, NF_INET_FORWARD, dev_net(dev), NULL, nskb,
		in->dev, dev, mfwd_xmit_finish);
	return;

nomem:
	mfwd_count(in->table, MFWD_C_DROP_NOMEM);
	return;
consume:
	if (!copy)
		consume_skb(skb);
}

/* Whether a socket on this host joined @grp on @dev: the membership list
 * the stack's ipv6_chk_mcast_addr() (not exported) walks. Source filters
 * are left to the stack. Context: RCU read side.
 */
static bool mfwd_joined6(const struct net_device *dev,
			 const struct in6_addr *grp)
{
	const struct inet6_dev *idev = __in6_dev_get(dev);
	const struct ifmcaddr6 *mc;

	if (!idev)
		return false;
	for (mc = rcu_dereference(idev->mc_list); mc;
	     mc = rcu_dereference(mc->next))
		if (ipv6_addr_equal(&mc->mca_addr, grp))
			return true;
	return false;
}

/* Sources the stack keeps to itself: never forwarded off the link. */
static bool mfwd_martian6(const struct in6_addr *saddr)
{
	int type = ipv6_addr_type(saddr);

	return type == IPV6_ADDR_ANY ||
	       type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_MULTICAST |
		       IPV6_ADDR_LINKLOCAL | IPV6_ADDR_MAPPED);
}

/* A hop-by-hop header with a Router Alert: for the stack, as ip6mr leaves
 * it (MLD, RSVP). Other hop-by-hop options are forwarded.
 */
static bool mfwd_router_alert6(const struct sk_buff *skb, u8 nexthdr)
{
	return nexthdr == NEXTHDR_HOP &&
	       ipv6_find_tlv(skb, sizeof(struct ipv6hdr),
			     IPV6_TLV_ROUTERALERT) >= 0;
}

/* MLD without a hop-by-hop header is still for the stack (a controller). */
static bool mfwd_mld(const struct sk_buff *skb, u8 nexthdr)
{
	u8 _type;
	const u8 *type;

	if (nexthdr != IPPROTO_ICMPV6)
		return false;
	type = skb_header_pointer(skb, sizeof(struct ipv6hdr), sizeof(_type),
				  &_type);
	if (!type)
		return true;	/* truncated: not ours to forward */
	switch (*type) {
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case ICMPV6_MLD2_REPORT:
		return true;
	}
	return false;
}

/* What the stack keeps to itself, wherever the packet comes from. */
static bool mfwd_stack_only6(const struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);

	return mfwd_router_alert6(skb, ip6h->nexthdr) ||
	       mfwd_mld(skb, ip6h->nexthdr) || mfwd_martian6(&ip6h->saddr);
}

/* Forward @skb along its route, or queue it while there is none.
 * Return: the verdict for @skb, as mfwd_unres_queue() gives it.
 */
static unsigned int mfwd_route6(struct mfwd_net *mn, struct mfwd_vif *in,
				struct sk_buff *skb, bool keep)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct mfwd_route *r;

	r = mfwd_route_lookup6(mn, in, &ip6h->saddr, &ip6h->daddr);
	if (!r || unlikely(READ_ONCE(r->resolving))) {
		struct mfwd_key key;

		mfwd_key_set6(&key, in->table_idx, &ip6h->saddr,
			      &ip6h->daddr);
		return mfwd_unres_queue(mn, in, skb, keep, AF_INET6, &key);
	}
	mfwd_forward(mn, r, in, skb, keep);
	return keep ? NF_ACCEPT : NF_STOLEN;
}

static unsigned int mfwd_input6(struct mfwd_net *mn, struct sk_buff *skb,
				const struct net_device *dev)
{
	bool loop = skb->pkt_type == PACKET_LOOPBACK;
	struct mfwd_vif *in;
	int bridged;
	bool keep;

	in = mfwd_vif_find(mn, dev->ifindex);
	if (!in)
		return NF_ACCEPT;
	/* This host's packets are forwarded where they leave (LOCAL_OUT),
	 * copies looped back to its sockets are for them only. A copy that
	 * ip6_output() looped back to sockets that joined the group on an
	 * output still has the output route, which has no input: let the
	 * stack route it as received.
	 */
	if (loop) {
		if (skb_dst(skb) == in->rt6)
			skb_dst_drop(skb);
		return NF_ACCEPT;
	}
	bridged = mfwd_bridged(skb);
	if (bridged < 0)
		return NF_ACCEPT;
	if (mfwd_stack_only6(skb))
		return NF_ACCEPT;
	mfwd_vif_count(in, skb->len, false);
	if (unlikely(in->dup) && mfwd_dup_seen(in, skb, AF_INET6)) {
		mfwd_count(in->table, MFWD_C_DROP_DUPLICATE);
		return bridged ? NF_ACCEPT : NF_DROP;
	}
	keep = bridged || mfwd_joined6(dev, &ipv6_hdr(skb)->daddr);
	return mfwd_route6(mn, in, skb, keep);
}

/**
 * mfwd_hook6() - PRE_ROUTING hook: forward IPv6 multicast arriving on a VIF
 * @priv: the netns state
 * @skb: the packet
 * @state: hook state
 *
 * Groups of interface-local or link-local scope (or the reserved scope 0),
 * packets with a hop-by-hop Router Alert, MLD, packets from an unspecified,
 * loopback, multicast, link-local or IPv4-mapped source, and anything not
 * multicast or not arriving on a VIF pass untouched, as do copies of this
 * host's own packets looped back to its sockets. The original goes on up
 * the stack when a socket on the input device joined the group, or when
 * the bridge is forwarding it.
 *
 * Context: softirq, or process context when NFQUEUE reinjects; BH is
 * disabled here for the per-CPU counters and the queue's lock.
 * Return: NF_ACCEPT, or NF_STOLEN when the packet was consumed here.
 */
unsigned int mfwd_hook6(void *priv, struct sk_buff *skb,
			const struct nf_hook_state *state)
{
	unsigned int verdict;

	if (!mfwd_group6_routable(&ipv6_hdr(skb)->daddr))
		return NF_ACCEPT;
	local_bh_disable();
	verdict = mfwd_input6(priv, skb, state->in);
	local_bh_enable();
	return verdict;
}

/**
 * mfwd_hook6_local() - LOCAL_OUT hook: forward IPv6 multicast this host sends
 * @priv: the netns state
 * @skb: the packet, leaving on state->out
 * @state: hook state
 *
 * As ipmr does for IPv4 (and ip6mr with its socket open), this host's own
 * packet is treated as if it arrived on the VIF it leaves by: a copy of it
 * is forwarded along the route that accepts that VIF, or queued while
 * there is none. The packet itself goes on unchanged.
 *
 * Context: process or softirq (BH is disabled here).
 * Return: NF_ACCEPT.
 */
unsigned int mfwd_hook6_local(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct mfwd_net *mn = priv;
	struct mfwd_vif *in;
	struct sk_buff *lskb;

	if (!mfwd_group6_routable(&ipv6_hdr(skb)->daddr) || !state->out ||
	    (IP6CB(skb)->flags & IP6SKB_FORWARDED))
		return NF_ACCEPT;
	local_bh_disable();
	in = mfwd_vif_find(mn, state->out->ifindex);
	if (!in || mfwd_stack_only6(skb))
		goto out;
	/* Its echo from neighbours forwarding it is a duplicate. */
	if (unlikely(in->dup))
		mfwd_dup_seen(in, skb, AF_INET6);
	lskb = skb_clone(skb, GFP_ATOMIC);
	if (!lskb) {
		mfwd_count(in->table, MFWD_C_DROP_NOMEM);
		goto out;
	}
	/* what the stack's loopback would have made of it */
	lskb->pkt_type = PACKET_LOOPBACK;
	lskb->dev = in->dev;
	if (mfwd_route6(mn, in, lskb, false) == NF_DROP)
		kfree_skb(lskb);
out:
	local_bh_enable();
	return NF_ACCEPT;
}
