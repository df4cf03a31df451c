// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: module and per-netns lifetime.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "mfwd.h"

unsigned int mfwd_net_id __read_mostly;

void mfwd_net_stats_read(struct mfwd_net *mn, u64 *c)
{
	int cpu, i;

	memset(c, 0, sizeof(u64) * MFWD_C_MAX);
	for_each_possible_cpu(cpu) {
		const struct mfwd_net_stats *s = per_cpu_ptr(mn->stats, cpu);
		u64 v[MFWD_C_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < MFWD_C_MAX; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < MFWD_C_MAX; i++)
			c[i] += v[i];
	}
}

static int __net_init mfwd_net_init(struct net *net)
{
	struct mfwd_net *mn = mfwd_pernet(net);
	int err;

	mn->net = net;
	mutex_init(&mn->lock);
	xa_init(&mn->vifs);
	xa_init_flags(&mn->route_ids, XA_FLAGS_ALLOC);
	mn->cfg = (struct mfwd_config) {
		.unres_max = MFWD_UNRES_MAX_DEFAULT,
		.unres_qlen = MFWD_UNRES_QLEN_DEFAULT,
		.unres_timeout_ms = MFWD_UNRES_TIMEOUT_MS,
		.wrongvif_interval_ms = MFWD_WRONGVIF_MS,
		.max_routes = MFWD_ROUTES_DEFAULT,
	};
	mn->stats = netdev_alloc_pcpu_stats(struct mfwd_net_stats);
	if (!mn->stats)
		return -ENOMEM;
	err = mfwd_routes_init(mn);
	if (err)
		goto err_stats;
	err = mfwd_unres_init(mn);
	if (err)
		goto err_routes;
	return 0;

err_routes:
	mfwd_routes_destroy(mn);
err_stats:
	free_percpu(mn->stats);
	return err;
}

/* Devices of a dying netns are gone by now, and their VIFs with them
 * (pernet device exits run first); VIFs of devices moved out are gone too.
 * What is left is routes and queued packets.
 */
static void __net_exit mfwd_net_exit(struct net *net)
{
	struct mfwd_net *mn = mfwd_pernet(net);
	struct mfwd_vif *vif;
	unsigned long i;

	rtnl_lock();
	mutex_lock(&mn->lock);
	xa_for_each(&mn->vifs, i, vif)
		mfwd_vif_del(mn, vif);
	mfwd_routes_flush(mn);
	mutex_unlock(&mn->lock);
	rtnl_unlock();

	mfwd_unres_destroy(mn);
	xa_destroy(&mn->vifs);
	xa_destroy(&mn->route_ids);
	/* Route and VIF frees pending in RCU use mn->ctrs and mn->stats. */
	rcu_barrier();
	mfwd_routes_destroy(mn);
	kvfree(mn->scratch);
	free_percpu(mn->stats);
}

static struct pernet_operations mfwd_net_ops = {
	.init = mfwd_net_init,
	.exit = mfwd_net_exit,
	.id = &mfwd_net_id,
	.size = sizeof(struct mfwd_net),
};

static int __init mfwd_init(void)
{
	int err;

	err = register_pernet_subsys(&mfwd_net_ops);
	if (err)
		return err;
	err = mfwd_vif_notifier_init();
	if (err)
		goto err_pernet;
	err = mfwd_genl_init();
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	mfwd_vif_notifier_exit();
err_pernet:
	unregister_pernet_subsys(&mfwd_net_ops);
	return err;
}

static void __exit mfwd_exit(void)
{
	mfwd_genl_exit();
	/* Replays NETDEV_UNREGISTER for every device: removes all VIFs. */
	mfwd_vif_notifier_exit();
	unregister_pernet_subsys(&mfwd_net_ops);
	rcu_barrier();
}

module_init(mfwd_init);
module_exit(mfwd_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IPv4 multicast forwarding cache with a generic-netlink control plane");
MODULE_AUTHOR("mfwd developers");
MODULE_VERSION("0.1");
MODULE_ALIAS_GENL_FAMILY(MFWD_GENL_NAME);
