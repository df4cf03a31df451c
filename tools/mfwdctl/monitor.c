// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - "monitor": print notifications and events, one line each.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

enum {
	M_VIF,
	M_ROUTE,
	M_NOCACHE,
	M_WRONGVIF,
	M_WHOLEPKT,
	M_THRESHOLD,
	M_IDLE,
	M_ALL,
	M_TABLE,
	M_HELP
};

static const struct keyword monitor_args[] = {
	{ "vif", M_VIF },	    { "route", M_ROUTE },
	{ "nocache", M_NOCACHE },   { "wrongvif", M_WRONGVIF },
	{ "wholepkt", M_WHOLEPKT }, { "threshold", M_THRESHOLD },
	{ "idle", M_IDLE },	    { "all", M_ALL },
	{ "table", M_TABLE },	    { "help", M_HELP },
};

/* what to print: kinds of events (bits 1 << M_*), of one table or all */
struct monitor_filter {
	unsigned int mask;
	struct table_arg table;
};

struct event_kind {
	const char *text; /* text output, also the filter */
	const char *json;
	int kind;
};

static const struct event_kind events[] = {
	[MFWD_CMD_VIF_ADD] = { "vif add", "vif_add", M_VIF },
	[MFWD_CMD_VIF_DEL] = { "vif del", "vif_del", M_VIF },
	[MFWD_CMD_ROUTE_ADD] = { "route add", "route_add", M_ROUTE },
	[MFWD_CMD_ROUTE_DEL] = { "route del", "route_del", M_ROUTE },
	[MFWD_CMD_NOCACHE] = { "nocache", "nocache", M_NOCACHE },
	[MFWD_CMD_WRONGVIF] = { "wrongvif", "wrongvif", M_WRONGVIF },
	[MFWD_CMD_WHOLEPKT] = { "wholepkt", "wholepkt", M_WHOLEPKT },
	[MFWD_CMD_THRESHOLD] = { "threshold", "threshold", M_THRESHOLD },
	[MFWD_CMD_IDLE] = { "idle", "idle", M_IDLE },
};

static void print_packet_event(int cmd, const struct nlattr **tb)
{
	char src[ADDR_BUF], grp[ADDR_BUF], name[IFNAME_BUF];
	uint32_t iif = nl_get_uint(tb[MFWD_A_IIF]);
	struct inet_addr s, g;
	int family = nl_get_sg(tb, &s, &g);

	if (opts.json) {
		json_str("family", family_name(family));
		json_str("source", addr_str(&s, src));
		json_str("group", addr_str(&g, grp));
		json_str("iif", ifindex_name(iif, name, sizeof(name)));
	} else {
		printf("%s (%s, %s)", events[cmd].text, addr_str(&s, src),
		       addr_str(&g, grp));
		/* where "route show" has it */
		if (nl_get_table(tb))
			printf(" table %u", nl_get_table(tb));
		printf("  iif %s", ifindex_name(iif, name, sizeof(name)));
	}
	if (cmd == MFWD_CMD_WRONGVIF) {
		uint32_t exp = nl_get_uint(tb[MFWD_A_EXPECTED_IIF]);

		ifindex_name(exp, name, sizeof(name));
		if (opts.json) {
			json_str("expected_iif", name);
			json_bool("wildcard", tb[MFWD_A_WILDCARD]);
		} else {
			printf("  expected %s", name);
			if (tb[MFWD_A_WILDCARD])
				fputs("  wildcard", stdout);
		}
	} else if (cmd == MFWD_CMD_WHOLEPKT) {
		size_t len =
			tb[MFWD_A_PACKET] ?
				mnl_attr_get_payload_len(tb[MFWD_A_PACKET]) :
				0;

		if (opts.json)
			json_u64("len", len);
		else
			printf("  len %zu", len);
	}
	/* last, as in VIF and route objects */
	if (opts.json)
		json_u64("table", nl_get_table(tb));
	else
		putchar('\n');
}

/*
 * "idle (S, G)[ table N][ iif X per-iif] idle-timeout 5s idle 5100ms
 * [expire]": a route with an idle timeout forwarded nothing for that long
 * (and is deleted, with expire)
 */
static void print_idle_event(const struct nlattr **tb)
{
	uint64_t timeout = nl_get_uint(tb[MFWD_A_INTERVAL_MS]);
	uint64_t idle = nl_get_uint(tb[MFWD_A_MEASURED]);
	char d[DURATION_BUF], i[DURATION_BUF];

	if (opts.json) {
		json_route_key(tb);
		json_u64("idle_timeout_ms", timeout);
		json_u64("idle_ms", idle);
		json_bool("expire", tb[MFWD_A_EXPIRE]);
		json_u64("table", nl_get_table(tb));
		return;
	}
	fputs("idle ", stdout);
	print_route_key(tb, true);
	printf(" idle-timeout %s idle %s%s\n",
	       duration_str(timeout, d, sizeof(d)),
	       duration_str(idle, i, sizeof(i)),
	       tb[MFWD_A_EXPIRE] ? " expire" : "");
}

/* "threshold " and the meter as "meter show" prints it */
static void print_threshold_event(const struct nlattr **tb)
{
	if (opts.json) {
		json_meter_fields(tb);
		return;
	}
	fputs("threshold ", stdout);
	print_meter(tb);
	putchar('\n');
}

/* -4, -6: only routes and packets of that family (and every VIF event) */
static bool family_wanted(const struct nlattr **tb)
{
	struct inet_addr s, g;
	int family = nl_get_sg(tb, &s, &g);

	return !opts.family || !family || family == opts.family;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[MFWD_A_MAX + 1];
	const struct monitor_filter *f = data;
	int cmd = genl->cmd;

	if (cmd >= (int)ARRAY_SIZE(events) || !events[cmd].text ||
	    !(f->mask & (1U << events[cmd].kind)))
		return 0;
	if (nl_parse(nlh, tb) || !family_wanted(tb) ||
	    !table_matches(&f->table, tb))
		return 0;
	if (opts.json) {
		json_open_object(NULL);
		json_str("event", events[cmd].json);
	}
	switch (cmd) {
	case MFWD_CMD_VIF_ADD:
	case MFWD_CMD_VIF_DEL:
		if (opts.json) {
			json_vif_fields(tb);
		} else {
			printf("%s ", events[cmd].text);
			print_vif(tb, "");
		}
		break;
	case MFWD_CMD_ROUTE_ADD:
	case MFWD_CMD_ROUTE_DEL:
		if (opts.json) {
			json_route_fields(nlh, tb);
		} else {
			printf("%s ", events[cmd].text);
			print_route(nlh, tb, "");
		}
		break;
	case MFWD_CMD_THRESHOLD:
		print_threshold_event(tb);
		break;
	case MFWD_CMD_IDLE:
		print_idle_event(tb);
		break;
	default:
		print_packet_event(cmd, tb);
	}
	if (opts.json) {
		json_close_object();
		json_end();
	}
	if (fflush(stdout) == EOF)
		return -1;
	return 0;
}

/* "[KIND]... [table ID]" into @f: 0, EXIT_USAGE, or -1 for "help" */
static int monitor_parse(int argc, char **argv, struct monitor_filter *f)
{
	int i, k;

	f->mask = 0;
	table_init(&f->table);
	for (i = 0; i < argc; i++) {
		k = match_keyword(argv[i], monitor_args,
				  ARRAY_SIZE(monitor_args));
		if (k < 0)
			return keyword_err("monitor", "event kind", argv[i],
					   monitor_args,
					   ARRAY_SIZE(monitor_args), k);
		if (k == M_HELP)
			return -1;
		if (k == M_TABLE) {
			if (table_word("monitor", argc, argv, &i, &f->table))
				return EXIT_USAGE;
			continue;
		}
		f->mask |= k == M_ALL ? ~0U : 1U << k;
	}
	if (!f->mask)
		f->mask = ~0U;
	return 0;
}

int do_monitor(int argc, char **argv)
{
	struct monitor_filter f;
	int ret;

	ret = monitor_parse(argc, argv, &f);
	if (ret < 0) {
		print_usage("monitor", false);
		return 0;
	}
	if (ret)
		return ret;
	/* names of devices must be looked up anew: they come and go */
	ifcache_off = true;
	ret = nl_open();
	if (ret)
		return ret;
	ret = nl_batch_flush();
	if (ret)
		return ret;
	ret = nl_subscribe_events();
	if (ret)
		return ret;
	/* pretty JSON would span lines; monitor prints one event a line */
	json_set_pretty(false);
	return nl_monitor(monitor_cb, &f);
}
