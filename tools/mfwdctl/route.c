// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - "route": add, replace, delete, show and get (S,G)/(*,G) routes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

#define MAX_OIFS 1024 /* the kernel's VIF limit per netns */

enum { R_ADD, R_REPLACE, R_DEL, R_SHOW, R_GET, R_HELP };

static const struct keyword route_cmds[] = {
	{ "add", R_ADD }, { "replace", R_REPLACE }, { "delete", R_DEL },
	{ "del", R_DEL }, { "show", R_SHOW },	    { "list", R_SHOW },
	{ "ls", R_SHOW }, { "get", R_GET },	    { "help", R_HELP },
};

enum { K_GROUP, K_SOURCE, K_IIF, K_OIF, K_TTL, K_DEV };

static const struct keyword route_args[] = {
	{ "group", K_GROUP }, { "to", K_GROUP }, { "source", K_SOURCE },
	{ "from", K_SOURCE }, { "iif", K_IIF },	 { "oif", K_OIF },
	{ "ttl", K_TTL },     { "dev", K_DEV },
};

struct oif {
	uint32_t ifindex;
	int ttl; /* -1: the VIF's threshold */
	const char *arg;
};

struct route_args {
	bool has_group, has_source, has_iif, has_dev;
	uint32_t group, source, iif, dev;
	int noifs;
	struct oif oifs[MAX_OIFS];
};

static int parse_oif(const char *arg, struct oif *o)
{
	char name[IF_NAMESIZE + 8];
	const char *slash = strchr(arg, '/');
	uint32_t ttl;
	size_t len;

	o->ttl = -1;
	o->arg = arg;
	len = slash ? (size_t)(slash - arg) : strlen(arg);
	if (!len || len >= sizeof(name))
		return usage_err("route", "invalid oif \"%s\"", arg);
	memcpy(name, arg, len);
	name[len] = 0;
	if (slash) {
		if (parse_u32(slash + 1, 255, &ttl) || !ttl)
			return usage_err(
				"route",
				"invalid TTL threshold in oif \"%s\" (1-255)",
				arg);
		o->ttl = ttl;
	}
	return dev_arg(name, &o->ifindex);
}

/*
 * Parse "group G source S iif IF oif IF[/TTL] [ttl N] dev IF" in any order;
 * @allowed is a bit mask of the keywords the command takes.
 */
static int parse_route_args(int argc, char **argv, unsigned int allowed,
			    struct route_args *r)
{
	int i, kw, ret;
	uint32_t v;

	/* oifs[] is large and filled as parsed: clear only the head */
	memset(r, 0, offsetof(struct route_args, oifs));
	for (i = 0; i < argc; i++) {
		const char *key = argv[i];
		const char *val;

		kw = match_keyword(key, route_args, ARRAY_SIZE(route_args));
		if (kw < 0 || !(allowed & (1U << kw)))
			return keyword_err("route", "argument", key, route_args,
					   ARRAY_SIZE(route_args),
					   kw == KW_AMBIGUOUS ? kw : KW_NONE);
		if (++i >= argc)
			return usage_err("route", "missing value after \"%s\"",
					 key);
		val = argv[i];
		switch (kw) {
		case K_GROUP:
			if (r->has_group)
				return usage_err("route", "group given twice");
			ret = parse_group(val, &r->group);
			if (ret)
				return ret;
			r->has_group = true;
			break;
		case K_SOURCE:
			if (r->has_source)
				return usage_err("route", "source given twice");
			ret = parse_source(val, &r->source);
			if (ret)
				return ret;
			r->has_source = true;
			break;
		case K_IIF:
			if (r->has_iif)
				return usage_err("route", "iif given twice");
			ret = dev_arg(val, &r->iif);
			if (ret)
				return ret;
			r->has_iif = true;
			break;
		case K_DEV:
			if (r->has_dev)
				return usage_err("route", "dev given twice");
			ret = dev_arg(val, &r->dev);
			if (ret)
				return ret;
			r->has_dev = true;
			break;
		case K_OIF:
			if (r->noifs >= MAX_OIFS)
				return usage_err("route",
						 "too many oifs (at most %d)",
						 MAX_OIFS);
			ret = parse_oif(val, &r->oifs[r->noifs]);
			if (ret)
				return ret;
			for (int j = 0; j < r->noifs; j++) {
				if (r->oifs[j].ifindex ==
				    r->oifs[r->noifs].ifindex)
					return usage_err(
						"route",
						"oif \"%s\" given twice", val);
			}
			r->noifs++;
			break;
		case K_TTL:
			if (!r->noifs)
				return usage_err(
					"route",
					"\"ttl\" must follow an \"oif\"");
			if (r->oifs[r->noifs - 1].ttl >= 0)
				return usage_err(
					"route",
					"TTL of oif \"%s\" given twice",
					r->oifs[r->noifs - 1].arg);
			if (parse_u32(val, 255, &v) || !v)
				return usage_err(
					"route",
					"invalid TTL threshold \"%s\" (1-255)",
					val);
			r->oifs[r->noifs - 1].ttl = v;
			break;
		}
	}
	return 0;
}

static int route_add(int argc, char **argv, bool replace)
{
	struct route_args r;
	struct nlmsghdr *nlh;
	int ret, i;

	ret = parse_route_args(argc, argv,
			       1U << K_GROUP | 1U << K_SOURCE | 1U << K_IIF |
				       1U << K_OIF | 1U << K_TTL,
			       &r);
	if (ret)
		return ret;
	if (!r.has_group)
		return usage_err("route", "missing \"group G\"");
	if (!r.has_iif)
		return usage_err("route", "missing \"iif IF\"");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_ROUTE_ADD, 0);
	if (replace)
		nl_put_flag(nlh, MFWD_A_REPLACE);
	nl_put_u32(nlh, MFWD_A_GROUP, r.group);
	if (r.source)
		nl_put_u32(nlh, MFWD_A_SOURCE, r.source);
	nl_put_u32(nlh, MFWD_A_IIF, r.iif);
	for (i = 0; i < r.noifs; i++) {
		struct nlattr *nest = nl_nest_start(nlh, MFWD_A_OIF);

		nl_put_u32(nlh, MFWD_OIF_A_IFINDEX, r.oifs[i].ifindex);
		if (r.oifs[i].ttl >= 0)
			nl_put_u8(nlh, MFWD_OIF_A_TTL, r.oifs[i].ttl);
		nl_nest_end(nlh, nest);
	}
	return nl_request(nlh);
}

static int route_del(int argc, char **argv)
{
	struct route_args r;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_route_args(argc, argv, 1U << K_GROUP | 1U << K_SOURCE, &r);
	if (ret)
		return ret;
	if (!r.has_group)
		return usage_err("route", "missing \"group G\"");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_ROUTE_DEL, 0);
	nl_put_u32(nlh, MFWD_A_GROUP, r.group);
	if (r.source)
		nl_put_u32(nlh, MFWD_A_SOURCE, r.source);
	return nl_request(nlh);
}

/* ---- printing ---- */

static void route_counters(const struct nlattr **tb, uint64_t *c)
{
	c[0] = nl_get_uint(tb[MFWD_A_PACKETS]);
	c[1] = nl_get_uint(tb[MFWD_A_BYTES]);
	c[2] = nl_get_uint(tb[MFWD_A_WRONG_IF]);
	c[3] = nl_get_uint(tb[MFWD_A_IDLE_MS]);
}

/* the OIF nests of a route message, one by one */
static const struct nlattr *next_oif(const struct nlmsghdr *nlh,
				     const struct nlattr *prev,
				     uint32_t *ifindex, int *ttl)
{
	const struct nlattr *a =
		prev ? mnl_attr_next(prev) :
		       mnl_nlmsg_get_payload_offset(nlh, nl_hdrlen());
	const void *tail = mnl_nlmsg_get_payload_tail(nlh);
	const struct nlattr *n;

	for (; mnl_attr_ok(a, (const char *)tail - (const char *)a);
	     a = mnl_attr_next(a)) {
		if (mnl_attr_get_type(a) != MFWD_A_OIF)
			continue;
		*ifindex = 0;
		*ttl = -1;
		mnl_attr_for_each_nested(n, a) {
			if (mnl_attr_get_type(n) == MFWD_OIF_A_IFINDEX)
				*ifindex = nl_get_uint(n);
			else if (mnl_attr_get_type(n) == MFWD_OIF_A_TTL)
				*ttl = nl_get_uint(n);
		}
		return a;
	}
	return NULL;
}

void print_route(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 const char *prefix)
{
	char src[INET_ADDRSTRLEN], grp[INET_ADDRSTRLEN], name[IFNAME_BUF];
	char idle[32];
	const struct nlattr *o = NULL;
	uint32_t ifindex;
	uint64_t c[4];
	int ttl;

	printf("%s(%s, %s)", prefix,
	       addr_str(nl_get_addr(tb[MFWD_A_SOURCE]), src),
	       addr_str(nl_get_addr(tb[MFWD_A_GROUP]), grp));
	if (tb[MFWD_A_IIF])
		printf("  iif %s", ifindex_name(nl_get_uint(tb[MFWD_A_IIF]),
						name, sizeof(name)));
	fputs("  oifs", stdout);
	while ((o = next_oif(nlh, o, &ifindex, &ttl))) {
		printf(" %s", ifindex_name(ifindex, name, sizeof(name)));
		if (ttl >= 0 && ttl != 1)
			printf("(ttl %d)", ttl);
	}
	putchar('\n');
	if (opts.stats) {
		route_counters(tb, c);
		print_idle(c[3], idle, sizeof(idle));
		printf("  packets %llu bytes %llu wrong_if %llu idle %s\n",
		       (unsigned long long)c[0], (unsigned long long)c[1],
		       (unsigned long long)c[2], idle);
	}
}

/* the route's fields into the currently open JSON object */
void json_route_fields(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	char src[INET_ADDRSTRLEN], grp[INET_ADDRSTRLEN], name[IFNAME_BUF];
	const struct nlattr *o = NULL;
	uint32_t ifindex;
	uint64_t c[4];
	int ttl;

	json_str("group", addr_str(nl_get_addr(tb[MFWD_A_GROUP]), grp));
	json_str("source", addr_str(nl_get_addr(tb[MFWD_A_SOURCE]), src));
	if (tb[MFWD_A_IIF])
		json_str("iif", ifindex_name(nl_get_uint(tb[MFWD_A_IIF]), name,
					     sizeof(name)));
	json_open_array("oifs");
	while ((o = next_oif(nlh, o, &ifindex, &ttl))) {
		json_open_object(NULL);
		json_str("dev", ifindex_name(ifindex, name, sizeof(name)));
		if (ttl >= 0)
			json_u64("ttl", ttl);
		json_close_object();
	}
	json_close_array();
	if (tb[MFWD_A_PACKETS] || tb[MFWD_A_BYTES] || tb[MFWD_A_IDLE_MS]) {
		route_counters(tb, c);
		json_u64("packets", c[0]);
		json_u64("bytes", c[1]);
		json_u64("wrong_if", c[2]);
		json_u64("idle_ms", c[3]);
	}
}

void json_route(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	json_open_object(NULL);
	json_route_fields(nlh, tb);
	json_close_object();
}

/* ---- show / get ---- */

static bool route_matches(const struct nlmsghdr *nlh, const struct nlattr **tb,
			  const struct route_args *f)
{
	const struct nlattr *o = NULL;
	uint32_t ifindex;
	int ttl;

	if (f->has_group && nl_get_addr(tb[MFWD_A_GROUP]) != f->group)
		return false;
	if (f->has_source && nl_get_addr(tb[MFWD_A_SOURCE]) != f->source)
		return false;
	if (f->has_iif && nl_get_uint(tb[MFWD_A_IIF]) != f->iif)
		return false;
	if (!f->has_dev || nl_get_uint(tb[MFWD_A_IIF]) == f->dev)
		return true;
	while ((o = next_oif(nlh, o, &ifindex, &ttl))) {
		if (ifindex == f->dev)
			return true;
	}
	return false;
}

static int route_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1];
	const struct route_args *f = data;

	if (nl_parse(nlh, tb) || !tb[MFWD_A_GROUP])
		return 0;
	if (f && !route_matches(nlh, tb, f))
		return 0;
	if (opts.json)
		json_route(nlh, tb);
	else
		print_route(nlh, tb, "");
	return 0;
}

static int route_show(int argc, char **argv)
{
	struct route_args f;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_route_args(
		argc, argv,
		1U << K_GROUP | 1U << K_SOURCE | 1U << K_IIF | 1U << K_DEV, &f);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	/*
	 * The kernel filters the dump by group, source (0.0.0.0: (*,G) only)
	 * and input; "dev" (input or output) is matched here, and so, again,
	 * is the rest, which costs nothing.
	 */
	nlh = nl_msg(MFWD_CMD_ROUTE_GET, NLM_F_DUMP);
	if (f.has_group)
		nl_put_u32(nlh, MFWD_A_GROUP, f.group);
	if (f.has_source)
		nl_put_u32(nlh, MFWD_A_SOURCE, f.source);
	if (f.has_iif)
		nl_put_u32(nlh, MFWD_A_IIF, f.iif);
	return nl_show(nlh, route_show_cb, &f);
}

static int route_get(int argc, char **argv)
{
	struct route_args r;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_route_args(argc, argv, 1U << K_GROUP | 1U << K_SOURCE, &r);
	if (ret)
		return ret;
	if (!r.has_group)
		return usage_err("route", "missing \"group G\"");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_ROUTE_GET, 0);
	nl_put_u32(nlh, MFWD_A_GROUP, r.group);
	if (r.source)
		nl_put_u32(nlh, MFWD_A_SOURCE, r.source);
	ret = nl_query(nlh, route_show_cb, NULL);
	if (opts.json && !ret)
		json_end();
	return ret;
}

int do_route(int argc, char **argv)
{
	int cmd;

	if (argc < 1) /* "mfwdctl route" lists, as "ip route" does */
		return route_show(0, argv);
	cmd = match_keyword(argv[0], route_cmds, ARRAY_SIZE(route_cmds));
	if (cmd < 0)
		return keyword_err("route", "command", argv[0], route_cmds,
				   ARRAY_SIZE(route_cmds), cmd);
	argc--;
	argv++;
	switch (cmd) {
	case R_ADD:
		return route_add(argc, argv, false);
	case R_REPLACE:
		return route_add(argc, argv, true);
	case R_DEL:
		return route_del(argc, argv);
	case R_SHOW:
		return route_show(argc, argv);
	case R_GET:
		return route_get(argc, argv);
	default:
		print_usage("route", false);
		return 0;
	}
}
