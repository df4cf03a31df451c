// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - "flush", "stats" and "config".
 */
#include <stdio.h>
#include <string.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

/* ---- flush ---- */

enum { F_ROUTES, F_ALL, F_FAMILY, F_TABLE, F_HELP };

static const struct keyword flush_args[] = {
	{ "routes", F_ROUTES }, { "all", F_ALL },   { "family", F_FAMILY },
	{ "table", F_TABLE },	{ "help", F_HELP },
};

/*
 * "[routes | all] [family F] [table ID]": F_ROUTES, F_ALL, F_HELP or
 * -EXIT_USAGE
 */
static int flush_parse(int argc, char **argv, int *family,
		       struct table_arg *table)
{
	int i, k, what = -1;

	*family = opts.family;
	table_init(table);
	for (i = 0; i < argc; i++) {
		k = match_keyword(argv[i], flush_args, ARRAY_SIZE(flush_args));
		if (k < 0)
			return -keyword_err("flush", "argument", argv[i],
					    flush_args, ARRAY_SIZE(flush_args),
					    k);
		if (k == F_HELP)
			return F_HELP;
		if (k == F_FAMILY || k == F_TABLE) {
			if (++i >= argc)
				return -usage_err("flush",
						  "missing value after \"%s\"",
						  argv[i - 1]);
			if (k == F_FAMILY ?
				    parse_family("flush", argv[i], family) :
				    table_arg("flush", argv[i], table))
				return -EXIT_USAGE;
			continue;
		}
		if (what >= 0)
			return -usage_err("flush", "unexpected argument \"%s\"",
					  argv[i]);
		what = k;
	}
	return what < 0 ? F_ROUTES : what;
}

int do_flush(int argc, char **argv)
{
	struct table_arg table;
	struct nlmsghdr *nlh;
	int what, family, ret;

	what = flush_parse(argc, argv, &family, &table);
	if (what < 0)
		return -what;
	if (what == F_HELP) {
		print_usage("flush", false);
		return 0;
	}
	if (what == F_ALL && family)
		return usage_err("flush",
				 "\"all\" takes no family (VIFs serve both)");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_FLUSH, 0);
	if (what == F_ALL)
		nl_put_flag(nlh, MFWD_A_FLUSH_VIFS);
	if (family)
		nl_put_u8(nlh, MFWD_A_FAMILY, family);
	/* with "all", the VIFs of that table too */
	nl_put_table(nlh, &table);
	return nl_request(nlh);
}

/* ---- stats ---- */

static const char *const stats_names[] = {
	[MFWD_STATS_A_UNRES_ENTRIES] = "unres_entries",
	[MFWD_STATS_A_UNRES_PACKETS] = "unres_packets",
	[MFWD_STATS_A_FORWARDED] = "forwarded",
	[MFWD_STATS_A_COPIES] = "copies",
	[MFWD_STATS_A_DROP_QUEUE_FULL] = "drop_queue_full",
	[MFWD_STATS_A_DROP_EXPIRED] = "drop_expired",
	[MFWD_STATS_A_DROP_NO_VIF] = "drop_no_vif",
	[MFWD_STATS_A_DROP_RPF] = "drop_rpf",
	[MFWD_STATS_A_DROP_TTL] = "drop_ttl",
	[MFWD_STATS_A_DROP_MTU] = "drop_mtu",
	[MFWD_STATS_A_DROP_NOMEM] = "drop_nomem",
	[MFWD_STATS_A_EVENTS_SENT] = "events_sent",
	[MFWD_STATS_A_EVENTS_DROPPED] = "events_dropped",
	[MFWD_STATS_A_DROP_DUPLICATE] = "drop_duplicate",
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1];
	const struct nlattr *st[MFWD_STATS_A_MAX + 1] = { 0 };
	const struct nlattr *a;
	unsigned int i;

	(void)data;
	if (nl_parse(nlh, tb) || !tb[MFWD_A_STATS])
		return 0;
	mnl_attr_for_each_nested(a, tb[MFWD_A_STATS]) {
		if (mnl_attr_get_type(a) <= MFWD_STATS_A_MAX)
			st[mnl_attr_get_type(a)] = a;
	}
	if (opts.json)
		json_open_object(NULL);
	for (i = 0; i < ARRAY_SIZE(stats_names); i++) {
		/* a table's have no unresolved-queue gauges */
		if (!stats_names[i] ||
		    (!st[i] && (i == MFWD_STATS_A_UNRES_ENTRIES ||
				i == MFWD_STATS_A_UNRES_PACKETS)))
			continue;
		if (opts.json)
			json_u64(stats_names[i], nl_get_uint(st[i]));
		else
			printf("%-16s %llu\n", stats_names[i],
			       (unsigned long long)nl_get_uint(st[i]));
	}
	if (opts.json) {
		json_close_object();
		json_end();
	}
	return 0;
}

/* "stats [show] [table ID]": the netns's, or one table's (-t too) */
int do_stats(int argc, char **argv)
{
	static const struct keyword kw[] = {
		{ "show", 0 }, { "list", 0 }, { "table", 2 }, { "help", 1 }
	};
	struct table_arg table;
	struct nlmsghdr *nlh;
	int i, k, ret;

	table_init(&table);
	for (i = 0; i < argc; i++) {
		k = match_keyword(argv[i], kw, ARRAY_SIZE(kw));
		if (k < 0 || (k == 0 && i > 0))
			return usage_err("stats", "unexpected argument \"%s\"",
					 argv[i]);
		if (k == 1) {
			print_usage("stats", false);
			return 0;
		}
		if (k == 2 && table_word("stats", argc, argv, &i, &table))
			return EXIT_USAGE;
	}
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_STATS_GET, 0);
	nl_put_table(nlh, &table);
	return nl_query(nlh, stats_cb, NULL);
}

/* ---- config ---- */

struct config_item {
	const char *word; /* command line and text output */
	const char *json;
	int attr;
	bool settable;
	uint32_t max; /* of a settable one */
};

static const struct config_item config_items[] = {
	{ "unres-max", "unres_max", MFWD_A_UNRES_MAX, true, UINT32_MAX },
	{ "unres-qlen", "unres_qlen", MFWD_A_UNRES_QLEN, true, UINT32_MAX },
	{ "unres-timeout", "unres_timeout_ms", MFWD_A_UNRES_TIMEOUT_MS, true,
	  UINT32_MAX },
	{ "wrongvif-interval", "wrongvif_interval_ms",
	  MFWD_A_WRONGVIF_INTERVAL_MS, true, UINT32_MAX },
	{ "max-routes", "max_routes", MFWD_A_MAX_ROUTES, true, UINT32_MAX },
	/* NOCACHE events per second of one unresolved (S,G); 0: no limit */
	{ "signal-rate", "signal_rate", MFWD_A_SIGNAL_RATE, true, 1000000 },
	{ "vif-count", "vif_count", MFWD_A_VIF_COUNT, false, 0 },
	{ "route-count", "route_count", MFWD_A_ROUTE_COUNT, false, 0 },
};

static const struct keyword config_set_args[] = {
	{ "unres-max", 0 },	    { "unres-qlen", 1 }, { "unres-timeout", 2 },
	{ "wrongvif-interval", 3 }, { "max-routes", 4 }, { "signal-rate", 5 },
};

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1];
	unsigned int i;

	(void)data;
	if (nl_parse(nlh, tb))
		return 0;
	if (opts.json)
		json_open_object(NULL);
	for (i = 0; i < ARRAY_SIZE(config_items); i++) {
		const struct config_item *c = &config_items[i];

		if (!tb[c->attr])
			continue;
		if (opts.json)
			json_u64(c->json, nl_get_uint(tb[c->attr]));
		else
			printf("%s %llu\n", c->word,
			       (unsigned long long)nl_get_uint(tb[c->attr]));
	}
	if (opts.json) {
		json_close_object();
		json_end();
	}
	return 0;
}

static int config_set(int argc, char **argv)
{
	bool given[ARRAY_SIZE(config_set_args)] = { 0 };
	uint32_t val[ARRAY_SIZE(config_set_args)];
	struct nlmsghdr *nlh;
	int i, k, ret;

	if (!argc)
		return usage_err("config", "nothing to set");
	for (i = 0; i < argc; i++) {
		k = match_keyword(argv[i], config_set_args,
				  ARRAY_SIZE(config_set_args));
		if (k < 0)
			return keyword_err("config", "setting", argv[i],
					   config_set_args,
					   ARRAY_SIZE(config_set_args), k);
		if (given[k])
			return usage_err("config", "\"%s\" given twice",
					 config_items[k].word);
		if (++i >= argc)
			return usage_err("config", "missing value after \"%s\"",
					 argv[i - 1]);
		if (parse_u32(argv[i], config_items[k].max, &val[k]))
			return usage_err(
				"config",
				"invalid value \"%s\" for \"%s\" (0-%u)",
				argv[i], config_items[k].word,
				config_items[k].max);
		given[k] = true;
	}
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_CONFIG_SET, 0);
	for (k = 0; k < (int)ARRAY_SIZE(config_set_args); k++) {
		if (given[k])
			nl_put_u32(nlh, config_items[k].attr, val[k]);
	}
	return nl_request(nlh);
}

enum { C_SHOW, C_SET, C_HELP };

static const struct keyword config_cmds[] = {
	{ "show", C_SHOW }, { "list", C_SHOW }, { "ls", C_SHOW },
	{ "set", C_SET },   { "help", C_HELP },
};

int do_config(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int cmd = C_SHOW;
	int ret;

	if (argc > 0) {
		cmd = match_keyword(argv[0], config_cmds,
				    ARRAY_SIZE(config_cmds));
		if (cmd < 0)
			return keyword_err("config", "command", argv[0],
					   config_cmds, ARRAY_SIZE(config_cmds),
					   cmd);
		argc--;
		argv++;
	}
	switch (cmd) {
	case C_SET:
		return config_set(argc, argv);
	case C_HELP:
		print_usage("config", false);
		return 0;
	}
	if (argc)
		return usage_err("config", "unexpected argument \"%s\"",
				 argv[0]);
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_CONFIG_GET, 0);
	return nl_query(nlh, config_cb, NULL);
}
