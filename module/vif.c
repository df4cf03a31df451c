// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: VIFs, the devices enabled for forwarding.
 */
#include <linux/netdevice.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
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

/* The hook is registered while the netns has a VIF, so a netns that does
 * not use mfwd pays nothing per packet.
 */
static int mfwd_hook_update(struct mfwd_net *mn, bool want)
{
	int err;

	if (want == mn->hook_on)
		return 0;
	if (want) {
		mn->hook = (struct nf_hook_ops) {
			.hook = mfwd_hook,
			.priv = mn,
			.pf = NFPROTO_IPV4,
			.hooknum = NF_INET_PRE_ROUTING,
			/* After conntrack, mangle and DNAT: decide where
			 * the packet goes as routing would, last.
			 */
			.priority = NF_IP_PRI_LAST - 1,
		};
		err = nf_register_net_hook(mn->net, &mn->hook);
		if (err)
			return err;
	} else {
		nf_unregister_net_hook(mn->net, &mn->hook);
	}
	mn->hook_on = want;
	return 0;
}

static void mfwd_vif_free_rcu(struct rcu_head *head)
{
	struct mfwd_vif *vif = container_of(head, struct mfwd_vif, rcu);

	dst_release(&vif->rt->dst);
	netdev_put(vif->dev, &vif->dev_tracker);
	free_percpu(vif->stats);
	kfree(vif);
}

/**
 * mfwd_vif_add() - enable a device for forwarding
 * @mn: the device's netns state
 * @dev: the device
 * @flags: MFWD_VIF_F_*
 * @threshold: default TTL threshold of outputs on it
 * @extack: error report
 *
 * Context: RTNL and @mn->lock held.
 * Return: 0, -EEXIST if @dev is a VIF already, -ENOSPC, -ENOMEM.
 */
int mfwd_vif_add(struct mfwd_net *mn, struct net_device *dev, u32 flags,
		 u8 threshold, struct netlink_ext_ack *extack)
{
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
	vif = kzalloc(sizeof(*vif), GFP_KERNEL);
	if (!vif)
		return -ENOMEM;
	vif->stats = netdev_alloc_pcpu_stats(struct mfwd_vif_stats);
	if (!vif->stats)
		goto err_free;
	/* One multicast output route for all copies sent here. Not
	 * RTCF_LOCAL: forwarded copies are not looped back to the router.
	 */
	vif->rt = rt_dst_alloc(dev, RTCF_MULTICAST, RTN_MULTICAST, true);
	if (!vif->rt)
		goto err_stats;
	vif->dev = dev;
	vif->flags = flags;
	vif->threshold = threshold;
	netdev_hold(dev, &vif->dev_tracker, GFP_KERNEL);

	if (!(flags & MFWD_VIF_F_NO_ALLMULTI)) {
		err = dev_set_allmulti(dev, 1);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot turn ALLMULTI on");
			goto err_dev;
		}
	}
	err = mfwd_hook_update(mn, true);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hook");
		goto err_allmulti;
	}
	err = xa_err(xa_store(&mn->vifs, dev->ifindex, vif, GFP_KERNEL));
	if (err)
		goto err_hook;
	mn->nr_vifs++;
	mfwd_nl_notify_vif(mn, vif, MFWD_CMD_VIF_ADD);
	return 0;

err_hook:
	mfwd_hook_update(mn, mn->nr_vifs > 0);
err_allmulti:
	if (!(flags & MFWD_VIF_F_NO_ALLMULTI))
		dev_set_allmulti(dev, -1);
err_dev:
	netdev_put(dev, &vif->dev_tracker);
	dst_release(&vif->rt->dst);
err_stats:
	free_percpu(vif->stats);
err_free:
	kfree(vif);
	return err ? err : -ENOMEM;
}

/**
 * mfwd_vif_del() - remove a VIF from its netns and from every route
 * @mn: netns state
 * @vif: the VIF
 *
 * Routes whose input it was are deleted; queued packets that arrived on it
 * are freed. The VIF itself is freed after an RCU grace period.
 *
 * Context: RTNL and @mn->lock held.
 */
void mfwd_vif_del(struct mfwd_net *mn, struct mfwd_vif *vif)
{
	ASSERT_RTNL();
	lockdep_assert_held(&mn->lock);

	xa_erase(&mn->vifs, vif->dev->ifindex);
	mn->nr_vifs--;
	mfwd_routes_drop_vif(mn, vif);
	mfwd_unres_drop_vif(mn, vif);
	mfwd_nl_notify_vif(mn, vif, MFWD_CMD_VIF_DEL);
	if (!(vif->flags & MFWD_VIF_F_NO_ALLMULTI))
		dev_set_allmulti(vif->dev, -1);
	mfwd_hook_update(mn, mn->nr_vifs > 0);
	call_rcu(&vif->rcu, mfwd_vif_free_rcu);
}

static int mfwd_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mfwd_net *mn;
	struct mfwd_vif *vif;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	mn = mfwd_pernet(dev_net(dev));
	mutex_lock(&mn->lock);
	vif = mfwd_vif_find(mn, dev->ifindex);
	if (vif && vif->dev == dev)
		mfwd_vif_del(mn, vif);
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
