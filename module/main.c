// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: module and per-netns lifetime.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "mfwd.h"

unsigned int mfwd_net_id __read_mostly;

static int __net_init mfwd_net_init(struct net *net)
{
	struct mfwd_net *mn = mfwd_pernet(net);
	int err;

	mn->net = net;
	mutex_init(&mn->lock);
	xa_init(&mn->vifs);
	xa_init_flags(&mn->route_ids, XA_FLAGS_ALLOC);
	INIT_LIST_HEAD(&mn->dead_vifs);
	INIT_WORK(&mn->gc_work, mfwd_vif_gc_work);
	mfwd_meters_init(mn);
	mfwd_ctrs_init(mn);
	mn->cfg = (struct mfwd_config) {
		.unres_max = MFWD_UNRES_MAX_DEFAULT,
		.unres_qlen = MFWD_UNRES_QLEN_DEFAULT,
		.unres_timeout_ms = MFWD_UNRES_TIMEOUT_MS,
		.wrongvif_interval_ms = MFWD_WRONGVIF_MS,
		.max_routes = MFWD_ROUTES_DEFAULT,
	};
	err = mfwd_tables_init(mn);
	if (err)
		return err;
	err = mfwd_routes_init(mn);
	if (err)
		goto err_tables;
	err = mfwd_unres_init(mn);
	if (err)
		goto err_routes;
	return 0;

err_routes:
	mfwd_routes_destroy(mn);
err_tables:
	mfwd_tables_destroy(mn);
	return err;
}

/* Devices of a dying netns are gone by now, and their VIFs with them
 * (pernet device exits run first); so are VIFs of devices moved out. VIFs
 * are left only at module unload, added after the notifier went away.
 */
static void __net_exit mfwd_net_teardown(struct mfwd_net *mn)
{
	mutex_lock(&mn->lock);
	mfwd_routes_flush(mn, AF_UNSPEC, NULL);
	mutex_unlock(&mn->lock);
	mfwd_meters_destroy(mn);
	cancel_work_sync(&mn->gc_work);
	if (!xa_empty(&mn->vifs))
		mfwd_vifs_flush(mn, true, 0);
	mfwd_vif_gc_sync(mn);
	mfwd_unres_destroy(mn);
}

static void __net_exit mfwd_net_exit_batch(struct list_head *net_list)
{
	struct mfwd_net *mn;
	bool hooked = false;
	struct net *net;

	list_for_each_entry(net, net_list, exit_list) {
		mn = mfwd_pernet(net);
		mfwd_net_teardown(mn);
		hooked |= mn->hook_used;
	}
	/* A copy that NFQUEUE took in FORWARD holds mfwd_xmit_finish(); the
	 * hook's unregistration dropped those queued before it, drop those
	 * queued by hook runs that were still going on.
	 */
	if (hooked) {
		synchronize_net();
		list_for_each_entry(net, net_list, exit_list)
			if (mfwd_pernet(net)->hook_used)
				nf_queue_nf_hook_drop(net);
	}
	/* Route and VIF frees pending in RCU use mn->ctrs. */
	rcu_barrier();
	list_for_each_entry(net, net_list, exit_list) {
		mn = mfwd_pernet(net);
		xa_destroy(&mn->vifs);
		xa_destroy(&mn->route_ids);
		mfwd_routes_destroy(mn);
		mfwd_ctrs_destroy(mn);
		mfwd_tables_destroy(mn);
		kvfree(mn->scratch);
	}
}

static struct pernet_operations mfwd_net_ops = {
	.init = mfwd_net_init,
	.exit_batch = mfwd_net_exit_batch,
	.id = &mfwd_net_id,
	.size = sizeof(struct mfwd_net),
};

static int __init mfwd_init(void)
{
	int err;

	err = mfwd_route_caches_init();
	if (err)
		return err;
	err = register_pernet_subsys(&mfwd_net_ops);
	if (err)
		goto err_caches;
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
err_caches:
	rcu_barrier();
	mfwd_route_caches_exit();
	return err;
}

static void __exit mfwd_exit(void)
{
	/* Replays NETDEV_UNREGISTER for every device: removes all VIFs, and
	 * announces it while the family is still there.
	 */
	mfwd_vif_notifier_exit();
	mfwd_genl_exit();
	unregister_pernet_subsys(&mfwd_net_ops);
	rcu_barrier();
	mfwd_route_caches_exit();
}

module_init(mfwd_init);
module_exit(mfwd_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IPv4 and IPv6 multicast forwarding cache with a generic-netlink control plane");
MODULE_AUTHOR("mfwd developers");
MODULE_VERSION("0.1");
MODULE_ALIAS_GENL_FAMILY(MFWD_GENL_NAME);
