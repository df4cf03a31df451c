// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - "meter": add, delete and show the meters of routes, which
 * signal THRESHOLD events when a route's packets or bytes in an interval
 * reach (ge) or stay at or below (le) a value.
 */
#include <stdio.h>
#include <string.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

enum { C_ADD, C_DEL, C_SHOW, C_HELP };

static const struct keyword meter_cmds[] = {
	{ "add", C_ADD },   { "delete", C_DEL }, { "del", C_DEL },
	{ "show", C_SHOW }, { "list", C_SHOW },	 { "ls", C_SHOW },
	{ "help", C_HELP },
};

/* the meter's own words, among the route's key words */
enum { W_PACKETS, W_BYTES, W_GE, W_LE, W_INTERVAL };

static const struct keyword meter_words[] = {
	{ "packets", W_PACKETS }, { "bytes", W_BYTES },	      { "ge", W_GE },
	{ "le", W_LE },		  { "interval", W_INTERVAL },
};

struct meter_args {
	bool del; /* meter del: every field optional, the value after ge|le */
	const char *unit_word, *op_word; /* as given; NULL: not given */
	uint8_t unit, op;
	bool has_value;
	uint64_t value;
	uint32_t interval; /* ms; 0: not given */
};

/* the words "meter add" takes, for what a meter counts and when it signals */
static const char *unit_name(uint64_t unit)
{
	return unit == MFWD_METER_BYTES	  ? "bytes" :
	       unit == MFWD_METER_PACKETS ? "packets" :
					    "unit?";
}

static const char *op_name(uint64_t op)
{
	return op == MFWD_METER_LE ? "le" : op == MFWD_METER_GE ? "ge" : "op?";
}

/* a meter's value is a number, and a number is no keyword */
static bool is_number(const char *s)
{
	return *s >= '0' && *s <= '9';
}

/* "packets", "bytes", "ge N", "le N", "interval DURATION" */
static int meter_word(int id, int argc, char **argv, int *i, void *data)
{
	struct meter_args *m = data;
	const char *word = argv[*i];
	uint8_t unit, op;

	switch (id) {
	case W_PACKETS:
	case W_BYTES:
		unit = id == W_BYTES ? MFWD_METER_BYTES : MFWD_METER_PACKETS;
		if (m->unit_word && m->unit == unit)
			return usage_err("meter", "%s given twice",
					 unit_name(unit));
		if (m->unit_word)
			return usage_err(
				"meter",
				"packets and bytes exclude each other");
		m->unit_word = word;
		m->unit = unit;
		return 0;
	case W_GE:
	case W_LE:
		op = id == W_LE ? MFWD_METER_LE : MFWD_METER_GE;
		if (m->op_word && m->op == op)
			return usage_err("meter", "%s given twice",
					 op_name(op));
		if (m->op_word)
			return usage_err("meter",
					 "ge and le exclude each other");
		m->op_word = word;
		m->op = op;
		/* the value always follows; meter del may leave it out */
		if (*i + 1 >= argc || !is_number(argv[*i + 1])) {
			if (m->del)
				return 0;
			return usage_err("meter", "missing value after \"%s\"",
					 word);
		}
		++*i;
		if (parse_u64(argv[*i], &m->value))
			return usage_err(
				"meter",
				"invalid value \"%s\" (0-18446744073709551615)",
				argv[*i]);
		m->has_value = true;
		return 0;
	case W_INTERVAL:
		if (m->interval)
			return usage_err("meter", "interval given twice");
		if (++*i >= argc)
			return usage_err("meter", "missing value after \"%s\"",
					 word);
		if (parse_duration_ms(argv[*i], PERIOD_MIN_MS, PERIOD_MAX_MS,
				      &m->interval))
			return usage_err("meter",
					 "invalid interval \"%s\" (100ms-24h)",
					 argv[*i]);
		return 0;
	default: /* KW_NONE: no keyword */
		if (is_number(word))
			return usage_err("meter",
					 "value \"%s\" must follow ge or le",
					 word);
		return 0;
	}
}

/* the route's key and the meter's words of "meter add" or "meter del" */
static int meter_parse(int argc, char **argv, bool del, struct route_key *k,
		       struct meter_args *m)
{
	const struct key_words own = {
		meter_words,
		ARRAY_SIZE(meter_words),
		meter_word,
		m,
	};

	memset(m, 0, sizeof(*m));
	m->del = del;
	return parse_route_key("meter", argc, argv, false, &own, k);
}

/* the meter's fields a request carries: all for add, those given for del */
static void put_meter(struct nlmsghdr *nlh, const struct meter_args *m)
{
	if (m->unit_word)
		nl_put_u8(nlh, MFWD_A_METER_UNIT, m->unit);
	if (m->op_word)
		nl_put_u8(nlh, MFWD_A_METER_OP, m->op);
	if (m->has_value)
		nl_put_u64(nlh, MFWD_A_METER_VALUE, m->value);
	if (m->interval)
		nl_put_u32(nlh, MFWD_A_INTERVAL_MS, m->interval);
}

static int meter_add(int argc, char **argv)
{
	struct meter_args m;
	struct nlmsghdr *nlh;
	struct route_key k;
	int ret;

	ret = meter_parse(argc, argv, false, &k, &m);
	if (ret)
		return ret;
	if (!m.unit_word)
		return usage_err("meter", "missing \"packets\" or \"bytes\"");
	if (!m.op_word)
		return usage_err("meter", "missing \"ge N\" or \"le N\"");
	if (!m.interval)
		return usage_err("meter", "missing \"interval DURATION\"");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_METER_ADD, 0);
	nl_put_route_key(nlh, &k);
	put_meter(nlh, &m);
	return nl_request(nlh);
}

/* the route's meters that match every field given (all without any) */
static int meter_del(int argc, char **argv)
{
	struct meter_args m;
	struct nlmsghdr *nlh;
	struct route_key k;
	int ret;

	ret = meter_parse(argc, argv, true, &k, &m);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_METER_DEL, 0);
	nl_put_route_key(nlh, &k);
	put_meter(nlh, &m);
	return nl_request(nlh);
}

/*
 * "(S, G)[ table N][ iif X per-iif] packets ge 100 interval 1s
 * measured 37": a meter as "meter add" takes it, and its count
 */
void print_meter(const struct nlattr **tb)
{
	char d[DURATION_BUF];

	print_route_key(tb, true);
	printf(" %s %s %llu interval %s measured %llu",
	       unit_name(nl_get_uint(tb[MFWD_A_METER_UNIT])),
	       op_name(nl_get_uint(tb[MFWD_A_METER_OP])),
	       (unsigned long long)nl_get_uint(tb[MFWD_A_METER_VALUE]),
	       duration_str(nl_get_uint(tb[MFWD_A_INTERVAL_MS]), d, sizeof(d)),
	       (unsigned long long)nl_get_uint(tb[MFWD_A_MEASURED]));
}

/* a meter's fields into the currently open JSON object, "table" last */
void json_meter_fields(const struct nlattr **tb)
{
	json_route_key(tb);
	json_str("unit", unit_name(nl_get_uint(tb[MFWD_A_METER_UNIT])));
	json_str("op", op_name(nl_get_uint(tb[MFWD_A_METER_OP])));
	json_u64("value", nl_get_uint(tb[MFWD_A_METER_VALUE]));
	json_u64("interval_ms", nl_get_uint(tb[MFWD_A_INTERVAL_MS]));
	json_u64("measured", nl_get_uint(tb[MFWD_A_MEASURED]));
	json_u64("table", nl_get_table(tb));
}

static int meter_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1];
	const struct route_key *f = data;
	struct inet_addr s, g;
	int family;

	if (nl_parse(nlh, tb))
		return 0;
	family = nl_get_sg(tb, &s, &g);
	/* the kernel filters by family and table; checking again is free */
	if (!family || (f->family && family != f->family) ||
	    !table_matches(&f->table, tb))
		return 0;
	if (opts.json) {
		json_open_object(NULL);
		json_meter_fields(tb);
		json_close_object();
	} else {
		print_meter(tb);
		putchar('\n');
	}
	return 0;
}

/* "[family F] [table ID]": the meters of all routes, or of those */
static int meter_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct route_key f;
	int ret;

	ret = parse_route_key("meter", argc, argv, true, NULL, &f);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_METER_GET, NLM_F_DUMP);
	nl_put_route_key(nlh, &f);
	return nl_show(nlh, meter_show_cb, &f);
}

int do_meter(int argc, char **argv)
{
	int cmd;

	if (argc < 1)
		return meter_show(0, argv);
	cmd = match_keyword(argv[0], meter_cmds, ARRAY_SIZE(meter_cmds));
	if (cmd < 0)
		return keyword_err("meter", "command", argv[0], meter_cmds,
				   ARRAY_SIZE(meter_cmds), cmd);
	argc--;
	argv++;
	switch (cmd) {
	case C_ADD:
		return meter_add(argc, argv);
	case C_DEL:
		return meter_del(argc, argv);
	case C_SHOW:
		return meter_show(argc, argv);
	default:
		print_usage("meter", false);
		return 0;
	}
}
