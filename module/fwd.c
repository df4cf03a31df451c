// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the fast path, a netfilter PRE_ROUTING hook.
 *
 * Per packet: a VIF lookup by ifindex, one or two hash lookups, RPF and TTL
 * checks. Per copy: a clone whose header is made private and given the
 * output's headroom (skb_cow, as ipmr does), the FORWARD hook, and the VIF's
 * prebuilt output route: no route lookup and no dst allocation, which is
 * where ipmr spends its time per copy.
 */
#include <linux/if_ether.h>
#include <linux/inetdevice.h>
#include <linux/igmp.h>
#include <linux/ip.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <net/dst.h>
#ifdef MFWD_HAVE_NET_GSO_H	/* Linux 6.5 */
#include <net/gso.h>
#endif
#include <net/ip.h>

#include "mfwd.h"

void mfwd_vif_count(struct mfwd_vif *vif, unsigned int len, bool out)
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

static void mfwd_route_count(struct mfwd_net *mn, struct mfwd_route *r,
			     unsigned int len)
{
	mfwd_ctr_count(mn, r, len);
	/* Write only when it changes: the line stays shared across CPUs. */
	if (time_after(jiffies, READ_ONCE(r->lastuse)))
		WRITE_ONCE(r->lastuse, jiffies);
}

/* The (S,G) of a packet that arrived on @in: its source and group. */
static void mfwd_skb_key(const struct sk_buff *skb, u8 family,
			 const struct mfwd_vif *in, struct mfwd_key *key)
{
	if (family == AF_INET6)
		mfwd_key_set6(key, in->table_idx, &ipv6_hdr(skb)->saddr,
			      &ipv6_hdr(skb)->daddr);
	else
		mfwd_key_set4(key, in->table_idx, ip_hdr(skb)->saddr,
			      ip_hdr(skb)->daddr);
}

/* The events a limiter's state counts, and where the start of its
 * current period sits: jiffies_64 (far below 2^44) above them.
 */
#define MFWD_SIGNAL_SHIFT	20
#define MFWD_SIGNAL_COUNT	((1ULL << MFWD_SIGNAL_SHIFT) - 1)

/**
 * mfwd_signal_allow() - whether an event may be sent now
 * @state: the limiter: 0 for "never signalled", else the 64-bit jiffies at
 *	which its period began, shifted by MFWD_SIGNAL_SHIFT, plus the
 *	events sent in it
 * @rate: at most this many events a second (below 2^MFWD_SIGNAL_SHIFT);
 *	0 for one per @interval_ms
 * @interval_ms: with @rate 0, the least time between two events (0: no
 *	limit)
 *
 * Lock-free: of CPUs racing for the last event of a period, one wins.
 *
 * Return: true if the caller may send the event, which is then counted.
 */
bool mfwd_signal_allow(u64 *state, u32 rate, u32 interval_ms)
{
	unsigned long period = rate ? HZ : msecs_to_jiffies(interval_ms);
	u32 most = rate ?: 1;
	u64 now = get_jiffies_64();
	u64 old, new;

	do {
		old = READ_ONCE(*state);
		if (!old || now - (old >> MFWD_SIGNAL_SHIFT) >= period)
			new = (now << MFWD_SIGNAL_SHIFT) | 1;
		else if ((old & MFWD_SIGNAL_COUNT) < most)
			new = old + 1;
		else
			return false;
	} while (cmpxchg64(state, old, new) != old);
	return true;
}

static void mfwd_wrong_if(struct mfwd_net *mn, struct mfwd_route *r,
			  const struct mfwd_fwd *fwd,
			  const struct mfwd_vif *in, const struct sk_buff *skb)
{
	struct mfwd_key key;

	mfwd_ctr_wrong_if(r);
	mfwd_count(in->table, MFWD_C_DROP_RPF);

	if ((fwd->flags & MFWD_ROUTE_F_NO_WRONGVIF) ||
	    (in->flags & MFWD_VIF_F_SINGLE_IF) ||
	    !mfwd_signal_allow(&r->signal, fwd->signal_rate,
			       READ_ONCE(mn->cfg.wrongvif_interval_ms)))
		return;
	mfwd_skb_key(skb, r->family, in, &key);
	mfwd_nl_event(mn, MFWD_CMD_WRONGVIF, r->family, &key, in, r, NULL);
}

/**
 * mfwd_joined() - whether a socket on this host joined @grp on @dev
 * @dev: the device
 * @grp: the group
 *
 * The group membership the stack keeps, hashed as the stack's own
 * ip_check_mc_rcu() walks it (that is not exported). Source filters are
 * left to the stack, which delivers or drops what it is given.
 *
 * Context: RCU read side.
 * Return: true if some socket joined @grp on @dev.
 */
static bool mfwd_joined(const struct net_device *dev, __be32 grp)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	struct ip_mc_list __rcu **mc_hash;
	const struct ip_mc_list *im;

	if (!in_dev)
		return false;
	mc_hash = rcu_dereference(in_dev->mc_hash);
	if (mc_hash) {
		u32 h = hash_32((__force u32)grp, MC_HASH_SZ_LOG);

		for (im = rcu_dereference(mc_hash[h]); im;
		     im = rcu_dereference(im->next_hash))
			if (im->multiaddr == grp)
				return true;
		return false;
	}
	for (im = rcu_dereference(in_dev->mc_list); im;
	     im = rcu_dereference(im->next_rcu))
		if (im->multiaddr == grp)
			return true;
	return false;
}

int mfwd_xmit_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct mfwd_net *mn = mfwd_pernet(net);
	struct mfwd_vif *vif = mfwd_vif_find(mn, skb->dev->ifindex);

	/* Counted once the FORWARD hook let the copy go; in the table of
	 * its VIF, which is its route's.
	 */
	if (vif)
		mfwd_vif_count(vif, skb->len, true);
	mfwd_count(vif ? vif->table : mn->table0, MFWD_C_COPIES);
	return dst_output(net, sk, skb);
}

/* As ip_forward() decides it; the MTU of the output device only. */
static bool mfwd_too_big(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu || !(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (IPCB(skb)->frag_max_size > mtu)
		return true;
	if (skb->ignore_df)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

/* A copy leaving on @out is also for the sockets that joined its group
 * there, as ipmr's output through ip_mc_output() gives it to them. The
 * looped-back packet comes through the hook again, on @out, where it is
 * not forwarded (RPF) and goes to ip_local_deliver() through local_rt.
 */
static void mfwd_loop_local(const struct mfwd_vif *out, struct sk_buff *skb)
{
	struct sk_buff *lskb;

	if (!mfwd_joined(out->dev, ip_hdr(skb)->daddr))
		return;
	lskb = skb_clone(skb, GFP_ATOMIC);
	if (!lskb) {
		mfwd_count(out->table, MFWD_C_DROP_NOMEM);
		return;
	}
	lskb->dev = out->dev;
	skb_dst_drop(lskb);
	skb_dst_set_noref(lskb, &out->local_rt->dst);
	dev_loopback_xmit(dev_net(out->dev), NULL, lskb);
}

/* Send @skb, or a copy of it if @copy, out of @out. Consumes @skb unless
 * @copy.
 */
static void mfwd_xmit(struct mfwd_net *mn, const struct mfwd_vif *in,
		      struct mfwd_vif *out, struct sk_buff *skb, bool copy)
{
	struct net_device *dev = out->dev;
	struct sk_buff *nskb;

	/* ipmr's route lookup fails for a device that is down. */
	if (unlikely(!(READ_ONCE(dev->flags) & IFF_UP)))
		goto consume;
	if (unlikely(mfwd_too_big(skb, READ_ONCE(dev->mtu)))) {
		mfwd_count(in->table, MFWD_C_DROP_MTU);
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
	ip_decrease_ttl(ip_hdr(nskb));
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	/* The input bridge's state is not this copy's. */
	skb_ext_del(nskb, SKB_EXT_BRIDGE_NF);
#endif
	mfwd_loop_local(out, nskb);
	nskb->dev = dev;
	skb_dst_drop(nskb);
	skb_dst_set_noref(nskb, &out->rt->dst);
	IPCB(nskb)->flags |= IPSKB_FORWARDED;
	skb_clear_tstamp(nskb);
	NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, dev_net(dev), NULL, nskb,
		in->dev, dev, mfwd_xmit_finish);
	return;

nomem:
	mfwd_count(in->table, MFWD_C_DROP_NOMEM);
	return;
consume:
	if (!copy)
		consume_skb(skb);
}

/* A PIM-SM register VIF: the packet goes whole to the controller. */
static void mfwd_register(struct mfwd_net *mn, const struct mfwd_route *r,
			  const struct mfwd_vif *in, struct mfwd_vif *out,
			  struct sk_buff *skb, bool copy)
{
	struct mfwd_key key;

	mfwd_skb_key(skb, r->family, in, &key);
	mfwd_nl_event(mn, MFWD_CMD_WHOLEPKT, r->family, &key, in, NULL, skb);
	mfwd_vif_count(out, skb->len, true);
	if (!copy)
		consume_skb(skb);
}

static void mfwd_send(struct mfwd_net *mn, const struct mfwd_route *r,
		      const struct mfwd_vif *in, struct mfwd_vif *out,
		      struct sk_buff *skb, bool copy)
{
	/* What leaves a single-interface VIF comes back from neighbours
	 * that forward it too; what arrived there is known already.
	 */
	if (unlikely(out->dup) && out != in)
		mfwd_dup_seen(out, skb, r->family);
	if (unlikely(out->flags & MFWD_VIF_F_REGISTER))
		mfwd_register(mn, r, in, out, skb, copy);
	else if (r->family == AF_INET6)
		mfwd_xmit6(mn, in, out, skb, copy);
	else
		mfwd_xmit(mn, in, out, skb, copy);
}

/* TTL, or hop limit */
static u8 mfwd_ttl(const struct sk_buff *skb, u8 family)
{
	return family == AF_INET6 ? ipv6_hdr(skb)->hop_limit :
				    ip_hdr(skb)->ttl;
}

/* A copy may leave where the packet arrived: on a single-interface VIF,
 * unless this host sent it (its packet left there already).
 */
static bool mfwd_back_out(const struct mfwd_vif *in,
			  const struct sk_buff *skb)
{
	return (in->flags & MFWD_VIF_F_SINGLE_IF) &&
	       skb->pkt_type != PACKET_LOOPBACK;
}

/**
 * mfwd_forward() - forward a packet along a route
 * @mn: netns state
 * @r: the route the packet matched
 * @in: the VIF it arrived on
 * @skb: the packet, network header at skb->data
 * @keep: the caller keeps @skb (local delivery, bridging); send only copies
 *
 * Checks RPF (@in must be one of the route's inputs) and the TTL (hop
 * limit) thresholds and sends a copy out of every output but @in (a
 * single-interface @in too, for packets this host did not send).
 * Unless @keep, @skb is consumed: the last output gets it. A packet this
 * host sent itself (looped back) that fails RPF is not counted and raises
 * no event, as in ipmr.
 *
 * Context: RCU read side, BH disabled.
 */
void mfwd_forward(struct mfwd_net *mn, struct mfwd_route *r,
		  struct mfwd_vif *in, struct sk_buff *skb, bool keep)
{
	const struct mfwd_fwd *fwd = rcu_dereference(r->fwd);
	struct mfwd_vif *prev = NULL, *vif;
	u8 ttl = mfwd_ttl(skb, r->family);
	unsigned int i;

	if (unlikely(READ_ONCE(fwd->iif) != in) &&
	    !mfwd_fwd_accepts(fwd, in)) {
		/* No event for a route going away with its inputs. */
		if (skb->pkt_type != PACKET_LOOPBACK &&
		    mfwd_fwd_has_input(fwd))
			mfwd_wrong_if(mn, r, fwd, in, skb);
		goto out;
	}
	if (skb->pkt_type == PACKET_LOOPBACK)
		mfwd_vif_count(in, skb->len, false);
	mfwd_route_count(mn, r, skb->len);
	mfwd_count(in->table, MFWD_C_FORWARDED);

	for (i = 0; i < fwd->n_oif; i++) {
		vif = READ_ONCE(fwd->oif[i].vif);
		if (!vif || READ_ONCE(vif->dead) ||
		    (vif == in && !mfwd_back_out(in, skb)))
			continue;
		if (ttl <= fwd->oif[i].ttl) {
			mfwd_count(in->table, MFWD_C_DROP_TTL);
			continue;
		}
		if (prev)
			mfwd_send(mn, r, in, prev, skb, true);
		prev = vif;
	}
	if (prev) {
		mfwd_send(mn, r, in, prev, skb, keep);
		return;
	}
out:
	if (!keep)
		kfree_skb(skb);
}

/* Multicast sources are martians to the stack too (ip_mc_validate_source):
 * left to it, they are dropped there and never queued or announced.
 */
static bool mfwd_martian(__be32 saddr)
{
	return ipv4_is_zeronet(saddr) || ipv4_is_multicast(saddr) ||
	       ipv4_is_lbcast(saddr) || ipv4_is_loopback(saddr);
}

/* br_netfilter runs the IPv4 hooks (and the IPv6 ones, with
 * bridge-nf-call-ip6tables) on frames the bridge is forwarding
 * (in_prerouting), and the frame passed up to the bridge device skips
 * them (ip_sabotage_in) unless the bridge is an L3 slave. Route in the
 * first pass, never take the frame from the bridge, and let the second
 * pass go.
 */
int mfwd_bridged(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	const struct nf_bridge_info *nb = nf_bridge_info_get(skb);

	if (nb)
		return nb->in_prerouting ? 1 : -1;
#endif
	return 0;
}

static unsigned int mfwd_input(struct mfwd_net *mn, struct sk_buff *skb,
			       const struct net_device *dev)
{
	const struct iphdr *iph = ip_hdr(skb);
	bool loop = skb->pkt_type == PACKET_LOOPBACK;
	struct mfwd_route *r;
	struct mfwd_vif *in;
	int bridged;
	bool keep;

	bridged = mfwd_bridged(skb);
	if (bridged < 0)
		return NF_ACCEPT;
	in = mfwd_vif_find(mn, dev->ifindex);
	if (!in)
		return NF_ACCEPT;
	if (iph->protocol == IPPROTO_IGMP) {
		/* Reports for routable groups are for the controller's raw
		 * socket, which the stack gives only what it routes locally.
		 */
		if (!bridged && !skb_dst(skb))
			skb_dst_set_noref(skb, &in->local_rt->dst);
		return NF_ACCEPT;
	}
	/* Options (Router Alert included) go to the stack: with mc_forwarding
	 * on, ip_mr_input() handles them as without mfwd.
	 */
	if (iph->ihl > 5 || mfwd_martian(iph->saddr))
		return NF_ACCEPT;
	if (!loop)
		mfwd_vif_count(in, skb->len, false);
	if (unlikely(in->dup) && mfwd_dup_seen(in, skb, AF_INET) && !loop) {
		mfwd_count(in->table, MFWD_C_DROP_DUPLICATE);
		return bridged ? NF_ACCEPT : NF_DROP;
	}
	keep = bridged || loop || mfwd_joined(dev, iph->daddr);
	r = mfwd_route_lookup(mn, in, iph->saddr, iph->daddr);
	if (!r || unlikely(READ_ONCE(r->resolving))) {
		struct mfwd_key key;

		mfwd_key_set4(&key, in->table_idx, iph->saddr, iph->daddr);
		return mfwd_unres_queue(mn, in, skb, keep, AF_INET, &key);
	}
	mfwd_forward(mn, r, in, skb, keep);
	return keep ? NF_ACCEPT : NF_STOLEN;
}

/**
 * mfwd_hook() - PRE_ROUTING hook: forward multicast arriving on a VIF
 * @priv: the netns state
 * @skb: the packet
 * @state: hook state
 *
 * Link-local groups, IGMP, packets with IP options or a martian source, and
 * anything not multicast or not arriving on a VIF pass untouched. The
 * original goes on up the stack when a socket on the input device may want
 * it, when the bridge is forwarding it, or when this host sent it.
 *
 * Context: softirq, or process context when NFQUEUE reinjects; BH is
 * disabled here for the per-CPU counters and the queue's lock.
 * Return: NF_ACCEPT, or NF_STOLEN when the packet was consumed here.
 */
unsigned int mfwd_hook(void *priv, struct sk_buff *skb,
		       const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int verdict;

	if (!ipv4_is_multicast(iph->daddr) ||
	    ipv4_is_local_multicast(iph->daddr))
		return NF_ACCEPT;
	local_bh_disable();
	verdict = mfwd_input(priv, skb, state->in);
	local_bh_enable();
	return verdict;
}
