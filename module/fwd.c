// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the fast path, a netfilter PRE_ROUTING hook.
 *
 * Per packet: a VIF lookup by ifindex, one or two hash lookups, RPF and TTL
 * checks. Per copy: one copy of the linear data (so each copy owns the
 * header it changes and the headroom its link-layer header goes into), the
 * FORWARD hook, and the VIF's prebuilt output route: no route lookup and
 * no dst allocation, which is where ipmr spends its time per copy.
 */
#include <linux/inetdevice.h>
#include <linux/igmp.h>
#include <linux/ip.h>
#include <linux/netfilter_ipv4.h>
#include <net/dst.h>
#include <net/ip.h>

#include "mfwd.h"

static void mfwd_vif_count(struct mfwd_vif *vif, unsigned int len, bool out)
{
	struct mfwd_vif_stats *s = this_cpu_ptr(vif->stats);

	u64_stats_update_begin(&s->syncp);
	if (out) {
		u64_stats_inc(&s->pkts_out);
		u64_stats_add(&s->bytes_out, len);
	} else {
		u64_stats_inc(&s->pkts_in);
		u64_stats_add(&s->bytes_in, len);
	}
	u64_stats_update_end(&s->syncp);
}

static void mfwd_route_count(struct mfwd_route *r, unsigned int len)
{
	struct mfwd_route_stats *s = this_cpu_ptr(r->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->pkts);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end(&s->syncp);
	/* Write only when it changes: the line stays shared across CPUs. */
	if (time_after(jiffies, READ_ONCE(r->lastuse)))
		WRITE_ONCE(r->lastuse, jiffies);
}

static void mfwd_wrong_if(struct mfwd_net *mn, struct mfwd_route *r,
			  const struct mfwd_vif *in, const struct sk_buff *skb)
{
	struct mfwd_route_stats *s = this_cpu_ptr(r->stats);
	unsigned long last = READ_ONCE(r->last_wrongvif);
	unsigned long now = jiffies;
	u32 ms = READ_ONCE(mn->cfg.wrongvif_interval_ms);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->wrong_if);
	u64_stats_update_end(&s->syncp);
	mfwd_count(mn, MFWD_C_DROP_RPF);

	/* At most one event per interval and route, from one CPU. */
	if (time_before(now, last + msecs_to_jiffies(ms)))
		return;
	if (cmpxchg(&r->last_wrongvif, last, now) != last)
		return;
	mfwd_nl_event(mn, MFWD_CMD_WRONGVIF, ip_hdr(skb)->saddr,
		      ip_hdr(skb)->daddr, in, r, NULL);
}

/* Whether a socket here may want the packet: the group is joined on the
 * input device. Source filters are left to the stack, which delivers or
 * drops the original; this only decides that the original must be kept.
 */
static bool mfwd_local_member(const struct net_device *dev, __be32 grp)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct ip_mc_list *im;

	if (!in_dev)
		return false;
	for (im = rcu_dereference(in_dev->mc_list); im;
	     im = rcu_dereference(im->next_rcu))
		if (im->multiaddr == grp)
			return true;
	return false;
}

static int mfwd_xmit_finish(struct net *net, struct sock *sk,
			    struct sk_buff *skb)
{
	return dst_output(net, sk, skb);
}

/* Send @skb, or a copy of it if @copy, out of @out. Consumes @skb unless
 * @copy.
 */
static void mfwd_xmit(struct mfwd_net *mn, const struct mfwd_vif *in,
		      struct mfwd_vif *out, struct sk_buff *skb, bool copy)
{
	struct net_device *dev = out->dev;
	unsigned int hroom = LL_RESERVED_SPACE(dev);
	struct sk_buff *nskb = skb;

	if (unlikely(out->flags & MFWD_VIF_F_REGISTER)) {
		mfwd_nl_event(mn, MFWD_CMD_WHOLEPKT, ip_hdr(skb)->saddr,
			      ip_hdr(skb)->daddr, in, NULL, skb);
		mfwd_vif_count(out, skb->len, true);
		goto consume;
	}
	if (unlikely(skb->len > READ_ONCE(dev->mtu) &&
		     (ip_hdr(skb)->frag_off & htons(IP_DF)) &&
		     !skb_is_gso(skb))) {
		mfwd_count(mn, MFWD_C_DROP_MTU);
		goto consume;
	}
	if (copy) {
		nskb = __pskb_copy(skb, hroom, GFP_ATOMIC);
	} else if (skb_cow(skb, hroom)) {
		kfree_skb(skb);
		nskb = NULL;
	}
	if (unlikely(!nskb)) {
		mfwd_count(mn, MFWD_C_DROP_NOMEM);
		return;
	}

	ip_decrease_ttl(ip_hdr(nskb));
	mfwd_vif_count(out, nskb->len, true);
	mfwd_count(mn, MFWD_C_COPIES);
	nskb->dev = dev;
	skb_dst_drop(nskb);
	skb_dst_set_noref(nskb, &out->rt->dst);
	IPCB(nskb)->flags |= IPSKB_FORWARDED;
	skb_clear_tstamp(nskb);
	NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, dev_net(dev), NULL, nskb,
		in->dev, dev, mfwd_xmit_finish);
	return;

consume:
	if (!copy)
		consume_skb(skb);
}

/**
 * mfwd_forward() - forward a packet along a route
 * @mn: netns state
 * @r: the route the packet matched
 * @in: the VIF it arrived on
 * @skb: the packet, network header at skb->data
 * @keep: the caller keeps @skb (local delivery); send only copies
 *
 * Checks RPF and the TTL thresholds and sends a copy out of every output.
 * Unless @keep, @skb is consumed: the last output gets it.
 *
 * Context: RCU read side, BH disabled.
 */
void mfwd_forward(struct mfwd_net *mn, struct mfwd_route *r,
		  struct mfwd_vif *in, struct sk_buff *skb, bool keep)
{
	const struct mfwd_fwd *fwd = rcu_dereference(r->fwd);
	struct mfwd_vif *prev = NULL, *vif;
	u8 ttl = ip_hdr(skb)->ttl;
	unsigned int i;

	if (unlikely(fwd->iif != in)) {
		mfwd_wrong_if(mn, r, in, skb);
		goto out;
	}
	mfwd_route_count(r, skb->len);
	mfwd_count(mn, MFWD_C_FORWARDED);

	for (i = 0; i < fwd->n_oif; i++) {
		vif = READ_ONCE(fwd->oif[i].vif);
		if (!vif || vif == in)
			continue;
		if (ttl <= fwd->oif[i].ttl) {
			mfwd_count(mn, MFWD_C_DROP_TTL);
			continue;
		}
		if (prev)
			mfwd_xmit(mn, in, prev, skb, true);
		prev = vif;
	}
	if (prev) {
		mfwd_xmit(mn, in, prev, skb, keep);
		return;
	}
out:
	if (!keep)
		kfree_skb(skb);
}

/**
 * mfwd_hook() - PRE_ROUTING hook: forward multicast arriving on a VIF
 * @priv: the netns state
 * @skb: the packet
 * @state: hook state
 *
 * Link-local groups, IGMP and anything not multicast, or not arriving on a
 * VIF, pass untouched. The original goes on up the stack only when a socket
 * on the input device may want it.
 *
 * Return: NF_ACCEPT, or NF_STOLEN when the packet was consumed here.
 */
unsigned int mfwd_hook(void *priv, struct sk_buff *skb,
		       const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct mfwd_net *mn = priv;
	struct mfwd_route *r;
	struct mfwd_vif *in;
	bool local;

	if (!ipv4_is_multicast(iph->daddr) ||
	    ipv4_is_local_multicast(iph->daddr) ||
	    iph->protocol == IPPROTO_IGMP)
		return NF_ACCEPT;
	in = mfwd_vif_find(mn, state->in->ifindex);
	if (!in)
		return NF_ACCEPT;
	mfwd_vif_count(in, skb->len, false);

	local = mfwd_local_member(state->in, iph->daddr);
	r = mfwd_route_lookup(mn, iph->saddr, iph->daddr);
	if (!r)
		return mfwd_unres_queue(mn, in, skb, local);
	mfwd_forward(mn, r, in, skb, local);
	return local ? NF_ACCEPT : NF_STOLEN;
}
