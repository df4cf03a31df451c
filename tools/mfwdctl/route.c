// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - "route": add, replace, delete, show, get and flush (S,G)/(*,G)
 * routes, IPv4 and IPv6, with group and source prefixes, several inputs or
 * any, and per-input routes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

#define MAX_OIFS 1024 /* the kernel's VIF limit per netns */
#define MAX_IIFS MAX_OIFS

enum { R_ADD, R_REPLACE, R_DEL, R_SHOW, R_GET, R_FLUSH, R_HELP };

static const struct keyword route_cmds[] = {
	{ "add", R_ADD },   { "replace", R_REPLACE }, { "delete", R_DEL },
	{ "del", R_DEL },   { "show", R_SHOW },	      { "list", R_SHOW },
	{ "ls", R_SHOW },   { "get", R_GET },	      { "flush", R_FLUSH },
	{ "help", R_HELP },
};

enum {
	K_GROUP,
	K_SOURCE,
	K_IIF,
	K_OIF,
	K_TTL,
	K_DEV,
	K_FAMILY,
	K_PER_IIF,
	K_TABLE,
	K_NO_WRONGVIF,
	K_SIGNAL_RATE,
	K_IDLE_TIMEOUT,
	K_EXPIRE,
	K_OWN /* the words of another object (struct key_words) from here */
};

/* the keywords of route add and replace only: no key, no dump filter */
#define ADD_ONLY                                                            \
	(1U << K_NO_WRONGVIF | 1U << K_SIGNAL_RATE | 1U << K_IDLE_TIMEOUT | \
	 1U << K_EXPIRE)
/* the words of a route's key, all another object's commands may take */
#define KEY_WORDS                                                         \
	(1U << K_GROUP | 1U << K_SOURCE | 1U << K_IIF | 1U << K_PER_IIF | \
	 1U << K_FAMILY | 1U << K_TABLE)

static const struct keyword route_args[] = {
	{ "group", K_GROUP },
	{ "to", K_GROUP },
	{ "source", K_SOURCE },
	{ "from", K_SOURCE },
	{ "iif", K_IIF },
	{ "oif", K_OIF },
	{ "ttl", K_TTL },
	{ "dev", K_DEV },
	{ "family", K_FAMILY },
	{ "per-iif", K_PER_IIF },
	{ "table", K_TABLE },
	{ "no-wrongvif", K_NO_WRONGVIF },
	{ "signal-rate", K_SIGNAL_RATE },
	{ "idle-timeout", K_IDLE_TIMEOUT },
	{ "expire", K_EXPIRE },
};

struct oif {
	uint32_t ifindex;
	int ttl; /* -1: the VIF's threshold */
	const char *arg;
};

struct route_args {
	const char *obj; /* of the command, for messages: "route", "meter" */
	bool has_group, has_source, has_dev;
	bool iif_any, per_iif;
	bool no_wrongvif, expire;
	uint32_t signal_rate; /* WRONGVIF events per second; 0: not given */
	uint32_t idle_timeout; /* ms; 0: not given */
	struct inet_addr group, source;
	int group_len, source_len; /* "/LEN"; -1: not given */
	uint32_t dev;
	int family; /* "family", -4, -6; else that of the addresses; 0: any */
	struct table_arg table;
	int noifs, niifs;
	struct oif oifs[MAX_OIFS];
	uint32_t iifs[MAX_IIFS]; /* in the order given: the first is primary */
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

/* "iif IF", repeated for several inputs, or "iif any" */
static int parse_iif(const char *val, struct route_args *r)
{
	int ret;

	if (!strcmp(val, "any")) {
		if (r->iif_any)
			return usage_err(r->obj, "iif any given twice");
		if (r->niifs)
			return usage_err(r->obj,
					 "iif any excludes other inputs");
		r->iif_any = true;
		return 0;
	}
	if (r->iif_any)
		return usage_err(r->obj, "iif any excludes other inputs");
	if (r->niifs >= MAX_IIFS)
		return usage_err(r->obj, "too many iifs (at most %d)",
				 MAX_IIFS);
	ret = dev_arg(val, &r->iifs[r->niifs]);
	if (!ret)
		r->niifs++;
	return ret;
}

/* del, get and show take one input, and not "any" (nor do meters) */
static int one_iif(const struct route_args *r)
{
	if (r->niifs > 1)
		return usage_err(r->obj, "iif given twice");
	if (r->iif_any)
		return usage_err(r->obj,
				 "iif any is for %sadd and replace only",
				 strcmp(r->obj, "route") ? "route " : "");
	return 0;
}

static int family_err(const struct route_args *r, const char *what,
		      const struct inet_addr *a, int family)
{
	char buf[ADDR_BUF];

	return usage_err(r->obj, "%s %s is not an address of family %s", what,
			 addr_ntop(a, buf), family_name(family));
}

/*
 * One family for the route: that of "family", -4 or -6, of the group and
 * of the source (an "any" source takes the group's).
 */
static int route_family(struct route_args *r, int family)
{
	if (r->has_group && r->has_source &&
	    addr_pair_check(&r->source, &r->group))
		return EXIT_USAGE;
	if (!family)
		family = opts.family;
	if (family && r->has_group && r->group.family != family)
		return family_err(r, "group", &r->group, family);
	if (family && r->has_source && r->source.family &&
	    r->source.family != family)
		return family_err(r, "source", &r->source, family);
	if (!family && r->has_group)
		family = r->group.family;
	if (!family && r->has_source)
		family = r->source.family;
	addr_set_family(&r->source, family);
	r->family = family;
	return 0;
}

/* the first (canonical) word of route keyword @id */
static const char *route_word(int id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(route_args); i++) {
		if (route_args[i].id == id)
			return route_args[i].word;
	}
	return "?";
}

#define MAX_OWN_WORDS 16

/*
 * Find @key among the route words and @own's (ids from K_OWN on): its id,
 * KW_NONE, or KW_AMBIGUOUS, reported. A route command matches every route
 * word, so that abbreviations mean the same in all of them; another
 * object's only the key words and its own.
 */
static int match_route_word(const char *obj, const char *key,
			    const struct key_words *own)
{
	struct keyword kw[ARRAY_SIZE(route_args) + MAX_OWN_WORDS];
	bool route = !strcmp(obj, "route");
	int i, n = 0, res;

	/* a route command's words are route_args as they are (batch files) */
	if (route && !own) {
		res = match_keyword(key, route_args, ARRAY_SIZE(route_args));
		if (res == KW_AMBIGUOUS)
			keyword_err(obj, "argument", key, route_args,
				    ARRAY_SIZE(route_args), res);
		return res;
	}
	for (i = 0; i < (int)ARRAY_SIZE(route_args); i++) {
		if (route || (KEY_WORDS & (1U << route_args[i].id)))
			kw[n++] = route_args[i];
	}
	for (i = 0; own && i < own->n && i < MAX_OWN_WORDS; i++) {
		kw[n] = own->kw[i];
		kw[n++].id += K_OWN;
	}
	res = match_keyword(key, kw, n);
	if (res == KW_AMBIGUOUS) {
		keyword_err(obj, "argument", key, kw, n, res);
		return KW_AMBIGUOUS; /* reported */
	}
	return res;
}

/*
 * Parse "group G source S iif IF oif IF[/TTL] [ttl N] dev IF family F
 * per-iif no-wrongvif signal-rate N idle-timeout D expire" in any order;
 * @allowed is a bit mask of the keywords the command takes. @own, if not
 * NULL, are the words of another object's command (meter) among them.
 */
static int parse_route_args(const char *obj, int argc, char **argv,
			    unsigned int allowed, const struct key_words *own,
			    struct route_args *r)
{
	int i, kw, ret, family = 0;
	uint32_t v;

	/* oifs[] and iifs[] are large and filled as parsed: clear the head */
	memset(r, 0, offsetof(struct route_args, oifs));
	r->obj = obj;
	r->group_len = r->source_len = -1;
	table_init(&r->table);
	for (i = 0; i < argc; i++) {
		const char *key = argv[i];
		const char *val;

		kw = match_route_word(obj, key, own);
		if (kw == KW_AMBIGUOUS) /* reported */
			return EXIT_USAGE;
		if (kw >= K_OWN) {
			ret = own->parse(kw - K_OWN, argc, argv, &i, own->data);
			if (ret)
				return ret;
			continue;
		}
		if (kw >= 0 && !(allowed & (1U << kw)) &&
		    (ADD_ONLY & (1U << kw)))
			return usage_err(obj, "%s is for add and replace only",
					 route_word(kw));
		if (kw < 0 && own &&
		    own->parse(KW_NONE, argc, argv, &i, own->data) ==
			    EXIT_USAGE)
			return EXIT_USAGE;
		if (kw < 0 || !(allowed & (1U << kw)))
			return usage_err(obj, "unknown argument \"%s\"", key);
		if (kw == K_PER_IIF) { /* a flag: no value */
			if (r->per_iif)
				return usage_err(obj, "per-iif given twice");
			r->per_iif = true;
			continue;
		}
		if (kw == K_NO_WRONGVIF || kw == K_EXPIRE) { /* flags too */
			bool *flag = kw == K_EXPIRE ? &r->expire :
						      &r->no_wrongvif;

			if (*flag)
				return usage_err(obj, "%s given twice",
						 route_word(kw));
			*flag = true;
			continue;
		}
		if (++i >= argc)
			return usage_err(obj, "missing value after \"%s\"",
					 key);
		val = argv[i];
		switch (kw) {
		case K_GROUP:
			if (r->has_group)
				return usage_err(obj, "group given twice");
			ret = parse_prefix(val, true, &r->group, &r->group_len);
			if (ret)
				return ret;
			r->has_group = true;
			break;
		case K_SOURCE:
			if (r->has_source)
				return usage_err(obj, "source given twice");
			ret = parse_prefix(val, false, &r->source,
					   &r->source_len);
			if (ret)
				return ret;
			r->has_source = true;
			break;
		case K_IIF:
			ret = parse_iif(val, r);
			if (ret)
				return ret;
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
		case K_FAMILY:
			if (family)
				return usage_err(obj, "family given twice");
			ret = parse_family(obj, val, &family);
			if (ret)
				return ret;
			break;
		case K_TABLE:
			ret = table_arg(obj, val, &r->table);
			if (ret)
				return ret;
			break;
		case K_SIGNAL_RATE:
			if (r->signal_rate)
				return usage_err("route",
						 "signal-rate given twice");
			if (parse_u32(val, 1000000, &v) || !v)
				return usage_err(
					"route",
					"invalid signal-rate \"%s\" (1-1000000)",
					val);
			r->signal_rate = v;
			break;
		case K_IDLE_TIMEOUT:
			if (r->idle_timeout)
				return usage_err("route",
						 "idle-timeout given twice");
			if (parse_duration_ms(val, PERIOD_MIN_MS, PERIOD_MAX_MS,
					      &r->idle_timeout))
				return usage_err(
					"route",
					"invalid idle-timeout \"%s\" (100ms-24h)",
					val);
			break;
		}
	}
	if (r->expire && !r->idle_timeout)
		return usage_err(obj, "expire needs idle-timeout");
	return route_family(r, family);
}

/* the inputs: IIF repeated in the order given, or IIF_ANY; PER_IIF */
static void put_inputs(struct nlmsghdr *nlh, const struct route_args *r)
{
	int i;

	if (r->iif_any)
		nl_put_flag(nlh, MFWD_A_IIF_ANY);
	for (i = 0; i < r->niifs; i++)
		nl_put_u32(nlh, MFWD_A_IIF, r->iifs[i]);
	if (r->per_iif)
		nl_put_flag(nlh, MFWD_A_PER_IIF);
}

/*
 * A route's key as "route del" takes it, "group G [source S]
 * [per-iif iif IF] [table ID]" (group required), or with @filter "[family
 * F] [table ID]" of a dump or flush; @own: the words of another object's
 * command among them, or NULL.
 */
int parse_route_key(const char *obj, int argc, char **argv, bool filter,
		    const struct key_words *own, struct route_key *k)
{
	struct route_args r;
	int ret;

	ret = parse_route_args(obj, argc, argv,
			       filter ? 1U << K_FAMILY | 1U << K_TABLE :
					1U << K_GROUP | 1U << K_SOURCE |
						1U << K_IIF | 1U << K_PER_IIF |
						1U << K_TABLE,
			       own, &r);
	if (ret)
		return ret;
	if (!filter && !r.has_group)
		return usage_err(obj, "missing \"group G\"");
	ret = one_iif(&r);
	if (ret)
		return ret;
	memset(k, 0, sizeof(*k));
	k->has_group = r.has_group;
	k->group = r.group;
	k->source = r.source;
	k->group_len = r.group_len;
	k->source_len = r.source_len;
	k->has_iif = r.niifs;
	k->iif = r.niifs ? r.iifs[0] : 0;
	k->per_iif = r.per_iif;
	k->family = r.family;
	k->table = r.table;
	return 0;
}

/*
 * The key into a request: the route's addresses, prefix lengths, IIF and
 * PER_IIF, TABLE; of a filter, FAMILY and TABLE
 */
void nl_put_route_key(struct nlmsghdr *nlh, const struct route_key *k)
{
	if (k->has_group) {
		nl_put_sg(nlh, &k->source, &k->group);
		nl_put_plen(nlh, k->source_len, k->group_len);
	} else if (k->family) {
		nl_put_u8(nlh, MFWD_A_FAMILY, k->family);
	}
	if (k->has_iif)
		nl_put_u32(nlh, MFWD_A_IIF, k->iif);
	if (k->per_iif)
		nl_put_flag(nlh, MFWD_A_PER_IIF);
	nl_put_table(nlh, &k->table);
}

static int route_add(int argc, char **argv, bool replace)
{
	struct route_args r;
	struct nlmsghdr *nlh;
	int ret, i;

	ret = parse_route_args("route", argc, argv,
			       1U << K_GROUP | 1U << K_SOURCE | 1U << K_IIF |
				       1U << K_OIF | 1U << K_TTL |
				       1U << K_PER_IIF | 1U << K_TABLE |
				       ADD_ONLY,
			       NULL, &r);
	if (ret)
		return ret;
	if (!r.has_group)
		return usage_err("route", "missing \"group G\"");
	if (!r.niifs && !r.iif_any)
		return usage_err("route", "missing \"iif IF\"");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_route_msg(MFWD_CMD_ROUTE_ADD);
	if (replace)
		nl_put_flag(nlh, MFWD_A_REPLACE);
	nl_put_sg(nlh, &r.source, &r.group);
	nl_put_plen(nlh, r.source_len, r.group_len);
	put_inputs(nlh, &r);
	nl_put_table(nlh, &r.table);
	if (r.no_wrongvif)
		nl_put_u32(nlh, MFWD_A_ROUTE_FLAGS, MFWD_ROUTE_F_NO_WRONGVIF);
	if (r.signal_rate)
		nl_put_u32(nlh, MFWD_A_SIGNAL_RATE, r.signal_rate);
	if (r.idle_timeout)
		nl_put_u32(nlh, MFWD_A_IDLE_TIMEOUT_MS, r.idle_timeout);
	if (r.expire)
		nl_put_flag(nlh, MFWD_A_EXPIRE);
	for (i = 0; i < r.noifs; i++) {
		struct nlattr *nest = nl_nest_start(nlh, MFWD_A_OIF);

		nl_put_u32(nlh, MFWD_OIF_A_IFINDEX, r.oifs[i].ifindex);
		if (r.oifs[i].ttl >= 0)
			nl_put_u8(nlh, MFWD_OIF_A_TTL, r.oifs[i].ttl);
		nl_nest_end(nlh, nest);
	}
	return nl_route_request(nlh);
}

static int route_del(int argc, char **argv)
{
	struct route_key k;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_route_key("route", argc, argv, false, NULL, &k);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_route_msg(MFWD_CMD_ROUTE_DEL);
	nl_put_route_key(nlh, &k);
	return nl_route_request(nlh);
}

/* ---- printing ---- */

static void route_counters(const struct nlattr **tb, uint64_t *c)
{
	c[0] = nl_get_uint(tb[MFWD_A_PACKETS]);
	c[1] = nl_get_uint(tb[MFWD_A_BYTES]);
	c[2] = nl_get_uint(tb[MFWD_A_WRONG_IF]);
	c[3] = nl_get_uint(tb[MFWD_A_IDLE_MS]);
}

/* the attributes of type @type of a route message, one by one */
static const struct nlattr *next_attr(const struct nlmsghdr *nlh,
				      const struct nlattr *prev, uint16_t type)
{
	const struct nlattr *a =
		prev ? mnl_attr_next(prev) :
		       mnl_nlmsg_get_payload_offset(nlh, nl_hdrlen());
	const void *tail = mnl_nlmsg_get_payload_tail(nlh);

	for (; mnl_attr_ok(a, (const char *)tail - (const char *)a);
	     a = mnl_attr_next(a)) {
		if (mnl_attr_get_type(a) == type)
			return a;
	}
	return NULL;
}

/* the OIF nests of a route message, one by one */
static const struct nlattr *next_oif(const struct nlmsghdr *nlh,
				     const struct nlattr *prev,
				     uint32_t *ifindex, int *ttl)
{
	const struct nlattr *a = next_attr(nlh, prev, MFWD_A_OIF);
	const struct nlattr *n;

	if (!a)
		return NULL;
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

/* the route takes packets from VIF @ifindex: one of its IIFs, or IIF_ANY */
static bool route_accepts(const struct nlmsghdr *nlh, const struct nlattr **tb,
			  uint32_t ifindex)
{
	const struct nlattr *a = NULL;

	if (tb[MFWD_A_IIF_ANY])
		return true;
	while ((a = next_attr(nlh, a, MFWD_A_IIF))) {
		if (nl_get_uint(a) == ifindex)
			return true;
	}
	return false;
}

/* "  iif A iif B", "  iif any"; " per-iif" for a per-input route */
static void print_inputs(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	const struct nlattr *a = NULL;
	char name[IFNAME_BUF];
	const char *sep = "  ";

	if (tb[MFWD_A_IIF_ANY]) {
		fputs("  iif any", stdout);
		sep = " ";
	}
	while ((a = next_attr(nlh, a, MFWD_A_IIF))) {
		printf("%siif %s", sep,
		       ifindex_name(nl_get_uint(a), name, sizeof(name)));
		sep = " ";
	}
	if (tb[MFWD_A_PER_IIF])
		fputs(" per-iif", stdout);
}

/*
 * "iif": the primary input (the first IIF; tb[] holds the last) or "any";
 * "iifs": every input, in order, when there are several; "per_iif" when set
 */
static void json_inputs(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	const struct nlattr *first = next_attr(nlh, NULL, MFWD_A_IIF), *a;
	char name[IFNAME_BUF];
	int n = 0;

	if (tb[MFWD_A_IIF_ANY])
		json_str("iif", "any");
	else if (first)
		json_str("iif",
			 ifindex_name(nl_get_uint(first), name, sizeof(name)));
	for (a = first; a; a = next_attr(nlh, a, MFWD_A_IIF))
		n++;
	if (n > 1) {
		json_open_array("iifs");
		for (a = first; a; a = next_attr(nlh, a, MFWD_A_IIF))
			json_str(NULL, ifindex_name(nl_get_uint(a), name,
						    sizeof(name)));
		json_close_array();
	}
	if (tb[MFWD_A_PER_IIF])
		json_bool("per_iif", true);
}

/*
 * " no-wrongvif", " signal-rate N", " idle-timeout D", " expire": as route
 * add takes them, when set
 */
static void print_options(const struct nlattr **tb)
{
	char d[DURATION_BUF];

	if (nl_get_uint(tb[MFWD_A_ROUTE_FLAGS]) & MFWD_ROUTE_F_NO_WRONGVIF)
		fputs(" no-wrongvif", stdout);
	if (nl_get_uint(tb[MFWD_A_SIGNAL_RATE]))
		printf(" signal-rate %llu",
		       (unsigned long long)nl_get_uint(tb[MFWD_A_SIGNAL_RATE]));
	if (tb[MFWD_A_IDLE_TIMEOUT_MS])
		printf(" idle-timeout %s",
		       duration_str(nl_get_uint(tb[MFWD_A_IDLE_TIMEOUT_MS]), d,
				    sizeof(d)));
	if (tb[MFWD_A_EXPIRE])
		fputs(" expire", stdout);
}

/*
 * "no_wrongvif": true, "signal_rate": N, "idle_timeout_ms": N,
 * "expire": true, only when set
 */
static void json_options(const struct nlattr **tb)
{
	if (nl_get_uint(tb[MFWD_A_ROUTE_FLAGS]) & MFWD_ROUTE_F_NO_WRONGVIF)
		json_bool("no_wrongvif", true);
	if (nl_get_uint(tb[MFWD_A_SIGNAL_RATE]))
		json_u64("signal_rate", nl_get_uint(tb[MFWD_A_SIGNAL_RATE]));
	if (tb[MFWD_A_IDLE_TIMEOUT_MS])
		json_u64("idle_timeout_ms",
			 nl_get_uint(tb[MFWD_A_IDLE_TIMEOUT_MS]));
	if (tb[MFWD_A_EXPIRE])
		json_bool("expire", true);
}

/*
 * "(S, G)", "(*, G)" with prefixes as "/LEN", and " table N" when not 0:
 * the key of a route as route show prints it; with @iif, " iif X per-iif"
 * too for a per-input route (meters and events about a route)
 */
void print_route_key(const struct nlattr **tb, bool iif)
{
	char src[PREFIX_BUF], grp[PREFIX_BUF], name[IFNAME_BUF];
	struct inet_addr s, g;

	nl_get_sg(tb, &s, &g);
	printf("(%s, %s)", prefix_str(&s, nl_get_plen(tb, false), src),
	       prefix_str(&g, nl_get_plen(tb, true), grp));
	/* the table is part of the key, as the (S, G) */
	if (nl_get_table(tb))
		printf(" table %u", nl_get_table(tb));
	if (iif && tb[MFWD_A_PER_IIF])
		printf(" iif %s per-iif",
		       ifindex_name(nl_get_uint(tb[MFWD_A_IIF]), name,
				    sizeof(name)));
}

/*
 * "family", "source", "group" (as in route JSON: "*" for any source,
 * "ADDRESS/LEN" for a prefix) and for a per-input route "iif" and
 * "per_iif": the key of a route in meters and events about it ("table"
 * is for the caller to put last)
 */
void json_route_key(const struct nlattr **tb)
{
	char src[PREFIX_BUF], grp[PREFIX_BUF], name[IFNAME_BUF];
	struct inet_addr s, g;

	json_str("family", family_name(nl_get_sg(tb, &s, &g)));
	json_str("source", prefix_str(&s, nl_get_plen(tb, false), src));
	json_str("group", prefix_str(&g, nl_get_plen(tb, true), grp));
	if (tb[MFWD_A_PER_IIF]) {
		json_str("iif", ifindex_name(nl_get_uint(tb[MFWD_A_IIF]), name,
					     sizeof(name)));
		json_bool("per_iif", true);
	}
}

void print_route(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 const char *prefix)
{
	char name[IFNAME_BUF], idle[32];
	const struct nlattr *o = NULL;
	uint32_t ifindex;
	uint64_t c[4];
	int ttl;

	fputs(prefix, stdout);
	print_route_key(tb, false);
	print_inputs(nlh, tb);
	print_options(tb);
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
	char src[PREFIX_BUF], grp[PREFIX_BUF], name[IFNAME_BUF];
	const struct nlattr *o = NULL;
	struct inet_addr s, g;
	uint32_t ifindex;
	uint64_t c[4];
	int ttl;

	json_str("family", family_name(nl_get_sg(tb, &s, &g)));
	json_str("group", prefix_str(&g, nl_get_plen(tb, true), grp));
	json_str("source", prefix_str(&s, nl_get_plen(tb, false), src));
	json_inputs(nlh, tb);
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
	/* only when set: the objects of other routes keep their members */
	json_options(tb);
	/* last: scripts match the members before it as one string */
	json_u64("table", nl_get_table(tb));
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
	struct inet_addr s, g;
	uint32_t ifindex;
	int ttl, family = nl_get_sg(tb, &s, &g);

	if (f->family && family != f->family)
		return false;
	if (f->has_group && !addr_eq(&g, &f->group))
		return false;
	if (f->group_len >= 0 && nl_route_plen(tb, true, &g) != f->group_len)
		return false;
	/* "source *" without a family: (*,G) routes of both */
	if (f->has_source &&
	    !(f->source.family ? addr_eq(&s, &f->source) : addr_is_any(&s)))
		return false;
	if (f->source_len >= 0 && nl_route_plen(tb, false, &s) != f->source_len)
		return false;
	if (f->niifs && !route_accepts(nlh, tb, f->iifs[0]))
		return false;
	if (f->per_iif && !tb[MFWD_A_PER_IIF])
		return false;
	if (!table_matches(&f->table, tb))
		return false;
	if (!f->has_dev || route_accepts(nlh, tb, f->dev))
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
	struct inet_addr s, g;

	if (nl_parse(nlh, tb) || !nl_get_sg(tb, &s, &g))
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

	ret = parse_route_args("route", argc, argv,
			       1U << K_GROUP | 1U << K_SOURCE | 1U << K_IIF |
				       1U << K_DEV | 1U << K_FAMILY |
				       1U << K_PER_IIF | 1U << K_TABLE,
			       NULL, &f);
	if (ret)
		return ret;
	ret = one_iif(&f);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	/*
	 * The kernel filters the dump by family, group, source (0.0.0.0 or
	 * :: for (*,G) only), input (routes that accept packets from it),
	 * per-iif and table; "dev" (input or output) is matched here, and
	 * so, again, is the rest, which costs nothing.
	 */
	nlh = nl_msg(MFWD_CMD_ROUTE_GET, NLM_F_DUMP);
	if (f.has_group)
		nl_put_addr(nlh, true, &f.group);
	if (f.has_source && f.source.family)
		nl_put_addr(nlh, false, &f.source);
	else if (f.family && !f.has_group)
		nl_put_u8(nlh, MFWD_A_FAMILY, f.family);
	put_inputs(nlh, &f);
	nl_put_plen(nlh, f.source_len, f.group_len);
	nl_put_table(nlh, &f.table);
	return nl_show(nlh, route_show_cb, &f);
}

static int route_get(int argc, char **argv)
{
	struct route_key k;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_route_key("route", argc, argv, false, NULL, &k);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_ROUTE_GET, 0);
	nl_put_route_key(nlh, &k);
	ret = nl_query(nlh, route_show_cb, NULL);
	if (opts.json && !ret)
		json_end();
	return ret;
}

/* the routes of one family, or all; of one table, or all */
static int route_flush(int argc, char **argv)
{
	struct route_key f;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_route_key("route", argc, argv, true, NULL, &f);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_FLUSH, 0);
	nl_put_route_key(nlh, &f);
	return nl_request(nlh);
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
	case R_FLUSH:
		return route_flush(argc, argv);
	default:
		print_usage("route", false);
		return 0;
	}
}
