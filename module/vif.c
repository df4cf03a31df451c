// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: VIFs, the devices enabled for forwarding.
 */
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rtnetlink.h>
#include <net/dst.h>
#include <net/l3mdev.h>
#include <net/route.h>

#include "mfwd.h"

struct mfwd_vif *mfwd_vif_find(struct mfwd_net *mn, int ifindex)
{
	return xa_load(&mn->vifs, ifindex);
}

void mfwd_vif_stats_read(const struct mfwd_vif *vif,
			 struct mfwd_vif_stats *sum)
{
	u64 pi = 0, bi = 0, po = 0, bo = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct mfwd_vif_stats *s = per_cpu_ptr(vif->stats, cpu);
		u64 a, b, c, d;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			a = u64_stats_read(&s->pkts_in);
			b = u64_stats_read(&s->bytes_in);
			c = u64_stats_read(&s->pkts_out);
			d = u64_stats_read(&s->bytes_out);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		pi += a;
		bi += b;
		po += c;
		bo += d;
	}
	u64_stats_set(&sum->pkts_in, pi);
	u64_stats_set(&sum->bytes_in, bi);
	u64_stats_set(&sum->pkts_out, po);
	u64_stats_set(&sum->bytes_out, bo);
}

/* The hooks are registered while the netns has a VIF, so a netns that does
 * not use mfwd pays nothing per packet. After conntrack, mangle and DNAT:
 * decide where the packet goes as routing would, last.
 */
static int mfwd_hook_update(struct mfwd_net *mn, bool want)
{
	unsigned int n = IS_ENABLED(CONFIG_IPV6) ? MFWD_NFAM + 1 : 1;
	int err;

	if (want == mn->hook_on)
		return 0;
	if (want) {
		mn->hooks[MFWD_V4] = (struct nf_hook_ops) {
			.hook = mfwd_hook,
			.priv = mn,
			.pf = NFPROTO_IPV4,
			.hooknum = NF_INET_PRE_ROUTING,
			.priority = NF_IP_PRI_LAST - 1,
		};
#if IS_ENABLED(CONFIG_IPV6)
		mn->hooks[MFWD_V6] = (struct nf_hook_ops) {
			.hook = mfwd_hook6,
			.priv = mn,
			.pf = NFPROTO_IPV6,
			.hooknum = NF_INET_PRE_ROUTING,
			.priority = NF_IP6_PRI_LAST - 1,
		};
		/* IPv6 does not loop this host's multicast back to
		 * PRE_ROUTING for a router as IPv4 does (only for an ip6mr
		 * socket): take it where it leaves.
		 */
		mn->hooks[MFWD_NFAM] = (struct nf_hook_ops) {
			.hook = mfwd_hook6_local,
			.priv = mn,
			.pf = NFPROTO_IPV6,
			.hooknum = NF_INET_LOCAL_OUT,
			.priority = NF_IP6_PRI_LAST - 1,
		};
#endif
		err = nf_register_net_hooks(mn->net, mn->hooks, n);
		if (err)
			return err;
		mn->hook_used = true;
	} else {
		nf_unregister_net_hooks(mn->net, mn->hooks, n);
	}
	mn->hook_on = want;
	return 0;
}

static void mfwd_vif_free_rcu(struct rcu_head *head)
{
	struct mfwd_vif *vif = container_of(head, struct mfwd_vif, rcu);

	dst_release(&vif->rt->dst);
	dst_release(&vif->local_rt->dst);
	mfwd_vif_rt6_release(vif);
	netdev_put(vif->dev, &vif->dev_tracker);
	free_percpu(vif->stats);
	mfwd_dup_free(vif);
	kfree(vif);
}

/* mc_forwarding on the device (and "all" while the netns has a VIF), as
 * ipmr sets it: the stack then loops this host's own multicast back to the
 * hook (ip_mc_output()) and hands what mfwd leaves to it, Router Alert
 * included, to ip_mr_input(). Routes cached before the change are flushed.
 */
static void mfwd_vif_mc_forwarding(struct mfwd_net *mn, struct mfwd_vif *vif,
				   bool on)
{
	struct in_device *in_dev = __in_dev_get_rtnl(vif->dev);
	struct net *net = mn->net;
	int d = on ? 1 : -1;

	if (on && in_dev)
		vif->mc_forwarding = true;
	if (vif->mc_forwarding && in_dev)
		WRITE_ONCE(IPV4_DEVCONF(in_dev->cnf, MC_FORWARDING),
			   IPV4_DEVCONF(in_dev->cnf, MC_FORWARDING) + d);
	if (mn->nr_vifs == (on ? 1 : 0))
		WRITE_ONCE(IPV4_DEVCONF_ALL(net, MC_FORWARDING),
			   IPV4_DEVCONF_ALL(net, MC_FORWARDING) + d);
	rt_genid_bump_ipv4(net);
	mfwd_vif_mc_forwarding6(mn, vif, on);
}

static struct mfwd_vif *mfwd_vif_alloc(struct net_device *dev, u32 flags,
				       u8 threshold, u32 dup_window_ms)
{
	struct mfwd_vif *vif;

	vif = kzalloc(sizeof(*vif), GFP_KERNEL_ACCOUNT);
	if (!vif)
		return NULL;
	vif->stats = __alloc_percpu_gfp(sizeof(*vif->stats),
					__alignof__(*vif->stats),
					GFP_KERNEL_ACCOUNT);
	if (!vif->stats)
		goto err_free;
	/* One multicast output route for all copies sent here. Not
	 * RTCF_LOCAL: copies reach local sockets through local_rt.
	 */
	vif->rt = rt_dst_alloc(dev, RTCF_MULTICAST, RTN_MULTICAST, true);
	if (!vif->rt)
		goto err_stats;
	vif->local_rt = rt_dst_alloc(dev, RTCF_MULTICAST | RTCF_LOCAL,
				     RTN_MULTICAST, false);
	if (!vif->local_rt)
		goto err_rt;
	vif->dev = dev;
	if ((flags & MFWD_VIF_F_SINGLE_IF) &&
	    mfwd_dup_init(vif, dup_window_ms))
		goto err_local;
	if (mfwd_vif_rt6_init(vif))
		goto err_dup;
	vif->ifindex = dev->ifindex;
	vif->flags = flags;
	vif->threshold = threshold;
	netdev_hold(dev, &vif->dev_tracker, GFP_KERNEL);
	return vif;

err_dup:
	mfwd_dup_free(vif);
err_local:
	dst_release(&vif->local_rt->dst);
err_rt:
	dst_release(&vif->rt->dst);
err_stats:
	free_percpu(vif->stats);
err_free:
	kfree(vif);
	return NULL;
}

/* The table of @dev: its VRF's, else @id. Context: RTNL held. */
static struct mfwd_table *mfwd_vif_table(struct mfwd_net *mn,
					 struct net_device *dev, u32 id,
					 bool id_set,
					 struct netlink_ext_ack *extack)
{
	u32 vrf = l3mdev_fib_table(dev);
	struct mfwd_table *t;

	if (vrf && id_set && id != vrf) {
		NL_SET_ERR_MSG(extack, "the device's VRF has another table");
		return ERR_PTR(-EINVAL);
	}
	t = mfwd_table_get(mn, vrf ?: id);
	if (IS_ERR(t) && PTR_ERR(t) == -ENOSPC)
		NL_SET_ERR_MSG(extack, "too many tables");
	return t;
}

/**
 * mfwd_vif_add() - enable a device for forwarding
 * @mn: the device's netns state
 * @dev: the device
 * @flags: MFWD_VIF_F_*
 * @threshold: default TTL threshold of outputs on it
 * @dup_window_ms: with MFWD_VIF_F_SINGLE_IF, the duplicate filter's window
 * @table: the id of the table it goes in, unless @dev is in a VRF, whose
 *	table it goes in
 * @table_set: @table was asked for: then a VRF's table must be @table
 * @extack: error report
 *
 * Context: RTNL and @mn->lock held.
 * Return: 0, -EEXIST if @dev is a VIF already, -EINVAL if its VRF's table
 * is not @table, -ENOSPC, -ENOMEM.
 */
int mfwd_vif_add(struct mfwd_net *mn, struct net_device *dev, u32 flags,
		 u8 threshold, u32 dup_window_ms, u32 table, bool table_set,
		 struct netlink_ext_ack *extack)
{
	struct mfwd_table *t;
	struct mfwd_vif *vif;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&mn->lock);

	if (mfwd_vif_find(mn, dev->ifindex)) {
		NL_SET_ERR_MSG(extack, "interface is a VIF already");
		return -EEXIST;
	}
	if (mn->nr_vifs >= MFWD_VIFS_MAX) {
		NL_SET_ERR_MSG(extack, "too many VIFs");
		return -ENOSPC;
	}
	t = mfwd_vif_table(mn, dev, table, table_set, extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	vif = mfwd_vif_alloc(dev, flags, threshold, dup_window_ms);
	if (!vif) {
		mfwd_table_put(mn, t);
		return -ENOMEM;
	}
	vif->table = t;
	vif->table_idx = t->idx;
	if (!(flags & MFWD_VIF_F_NO_ALLMULTI)) {
		err = dev_set_allmulti(dev, 1);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot turn ALLMULTI on");
			goto err_free;
		}
	}
	err = mfwd_hook_update(mn, true);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hook");
		goto err_allmulti;
	}
	err = xa_err(xa_store(&mn->vifs, dev->ifindex, vif,
			      GFP_KERNEL_ACCOUNT));
	if (err)
		goto err_hook;
	mn->nr_vifs++;
	mn->dump_seq++;
	mfwd_vif_mc_forwarding(mn, vif, true);
	mfwd_nl_notify_vif(mn, vif, MFWD_CMD_VIF_ADD);
	return 0;

err_hook:
	mfwd_hook_update(mn, mn->nr_vifs > 0);
err_allmulti:
	if (!(flags & MFWD_VIF_F_NO_ALLMULTI))
		dev_set_allmulti(dev, -1);
err_free:
	mfwd_table_put(mn, t);
	mfwd_vif_free_rcu(&vif->rcu);	/* never published */
	return err;
}

/**
 * mfwd_vif_del() - remove a VIF from its netns
 * @mn: netns state
 * @vif: the VIF
 *
 * The VIF stops being found and is marked dead, so readers skip it; the
 * packets queued from it are freed. What it means for the routes (routes
 * left without an input are deleted, its slots cleared) is mfwd_vif_gc()'s
 * work, which walks all routes and so must not run under RTNL: the caller
 * runs it after dropping RTNL, or leaves it to mn->gc_work.
 *
 * Context: RTNL and @mn->lock held.
 */
void mfwd_vif_del(struct mfwd_net *mn, struct mfwd_vif *vif)
{
	ASSERT_RTNL();
	lockdep_assert_held(&mn->lock);

	xa_erase(&mn->vifs, vif->ifindex);
	mn->nr_vifs--;
	mn->dump_seq++;
	mfwd_unres_drop_vif(mn, vif);	/* marks it dead */
	mfwd_nl_notify_vif(mn, vif, MFWD_CMD_VIF_DEL);
	mfwd_vif_mc_forwarding(mn, vif, false);
	if (!(vif->flags & MFWD_VIF_F_NO_ALLMULTI))
		dev_set_allmulti(vif->dev, -1);
	/* Copies in flight or queued below keep the routes, not the device. */
	dst_dev_put(&vif->rt->dst);
	dst_dev_put(&vif->local_rt->dst);
	if (vif->rt6)
		dst_dev_put(vif->rt6);
	mfwd_hook_update(mn, mn->nr_vifs > 0);
	list_add_tail(&vif->gc_node, &mn->dead_vifs);
}

/**
 * mfwd_vif_gc() - take removed VIFs out of every route, then free them
 * @mn: netns state
 *
 * Context: @mn->lock held, not RTNL.
 */
void mfwd_vif_gc(struct mfwd_net *mn)
{
	struct mfwd_vif *vif, *tmp;

	lockdep_assert_held(&mn->lock);

	if (list_empty(&mn->dead_vifs))
		return;
	mfwd_routes_drop_dead(mn);
	list_for_each_entry_safe(vif, tmp, &mn->dead_vifs, gc_node) {
		list_del(&vif->gc_node);
		mfwd_table_put(mn, vif->table);
		call_rcu(&vif->rcu, mfwd_vif_free_rcu);
	}
}

/* Context: process; takes @mn->lock, not RTNL. */
void mfwd_vif_gc_sync(struct mfwd_net *mn)
{
	mutex_lock(&mn->lock);
	mfwd_vif_gc(mn);
	mutex_unlock(&mn->lock);
}

void mfwd_vif_gc_work(struct work_struct *work)
{
	mfwd_vif_gc_sync(container_of(work, struct mfwd_net, gc_work));
}

/**
 * mfwd_vifs_flush() - remove the VIFs of a netns
 * @mn: netns state
 * @all: every VIF, else those of table @table
 * @table: a table id
 *
 * Context: process; takes RTNL and @mn->lock, then @mn->lock alone for the
 * routes.
 */
void mfwd_vifs_flush(struct mfwd_net *mn, bool all, u32 table)
{
	struct mfwd_vif *vif;
	unsigned long i;

	rtnl_lock();
	mutex_lock(&mn->lock);
	xa_for_each(&mn->vifs, i, vif)
		if (all || vif->table->id == table)
			mfwd_vif_del(mn, vif);
	mutex_unlock(&mn->lock);
	rtnl_unlock();
	mfwd_vif_gc_sync(mn);
}

/* Whether a VIF's device leaves the VIF's table: it joined or left a VRF
 * (@info) of another table. Its VIF is then removed: the VIF's table is
 * where its routes are, and they cannot follow.
 */
static bool mfwd_vif_moves(const struct mfwd_vif *vif,
			   const struct netdev_notifier_changeupper_info *info)
{
	struct net_device *upper = info->upper_dev;

	if (!netif_is_l3_master(upper))
		return false;
	return (info->linking ? l3mdev_fib_table(upper) : 0) != vif->table->id;
}

static int mfwd_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mfwd_net *mn;
	struct mfwd_vif *vif;

	if (event != NETDEV_UNREGISTER && event != NETDEV_CHANGEUPPER)
		return NOTIFY_DONE;
	mn = mfwd_pernet(dev_net(dev));
	mutex_lock(&mn->lock);
	vif = mfwd_vif_find(mn, dev->ifindex);
	if (vif && vif->dev == dev &&
	    (event == NETDEV_UNREGISTER || mfwd_vif_moves(vif, ptr))) {
		mfwd_vif_del(mn, vif);
		/* Under RTNL here: the routes are walked in a worker. */
		schedule_work(&mn->gc_work);
	}
	mutex_unlock(&mn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block mfwd_netdev_notifier = {
	.notifier_call = mfwd_netdev_event,
};

int mfwd_vif_notifier_init(void)
{
	return register_netdevice_notifier(&mfwd_netdev_notifier);
}

void mfwd_vif_notifier_exit(void)
{
	unregister_netdevice_notifier(&mfwd_netdev_notifier);
}
