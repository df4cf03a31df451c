// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - "vif": enable devices for multicast forwarding.
 */
#include <stdio.h>
#include <string.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

enum { V_ADD, V_DEL, V_SHOW, V_HELP };

static const struct keyword vif_cmds[] = {
	{ "add", V_ADD },   { "delete", V_DEL }, { "del", V_DEL },
	{ "show", V_SHOW }, { "list", V_SHOW },	 { "ls", V_SHOW },
	{ "help", V_HELP },
};

enum {
	K_DEV,
	K_THRESHOLD,
	K_NOALLMULTI,
	K_REGISTER,
	K_TABLE,
	K_SINGLE_IF,
	K_DUP_WINDOW
};

static const struct keyword vif_args[] = {
	{ "dev", K_DEV },
	{ "ttl-threshold", K_THRESHOLD },
	{ "threshold", K_THRESHOLD },
	{ "noallmulti", K_NOALLMULTI },
	{ "register", K_REGISTER },
	{ "table", K_TABLE },
	{ "single-interface", K_SINGLE_IF },
	{ "dup-window", K_DUP_WINDOW },
};

struct vif_args {
	const char *dev_name;
	uint32_t ifindex;
	bool has_threshold;
	uint32_t threshold;
	uint32_t flags;
	uint32_t dup_window; /* ms; 0: not given */
	struct table_arg table;
};

/* "dev IF" and the keywords of @allowed, a bit mask, in any order */
static int parse_vif_args(int argc, char **argv, unsigned int allowed,
			  struct vif_args *v)
{
	int i, kw;

	memset(v, 0, sizeof(*v));
	table_init(&v->table);
	for (i = 0; i < argc; i++) {
		kw = match_keyword(argv[i], vif_args, ARRAY_SIZE(vif_args));
		if (kw == KW_NONE && !v->dev_name) {
			/* "vif add eth0": the device without "dev" */
			v->dev_name = argv[i];
			continue;
		}
		if (kw < 0 || !(allowed & (1U << kw)))
			return keyword_err("vif", "argument", argv[i], vif_args,
					   ARRAY_SIZE(vif_args),
					   kw == KW_AMBIGUOUS ? kw : KW_NONE);
		switch (kw) {
		case K_DEV:
			if (v->dev_name)
				return usage_err("vif", "device given twice");
			if (++i >= argc)
				return usage_err(
					"vif", "missing device after \"dev\"");
			v->dev_name = argv[i];
			break;
		case K_THRESHOLD:
			if (++i >= argc)
				return usage_err("vif",
						 "missing value after \"%s\"",
						 argv[i - 1]);
			if (parse_u32(argv[i], 255, &v->threshold) ||
			    !v->threshold)
				return usage_err(
					"vif",
					"invalid TTL threshold \"%s\" (1-255)",
					argv[i]);
			v->has_threshold = true;
			break;
		case K_NOALLMULTI:
			v->flags |= MFWD_VIF_F_NO_ALLMULTI;
			break;
		case K_REGISTER:
			v->flags |= MFWD_VIF_F_REGISTER;
			break;
		case K_TABLE:
			if (table_word("vif", argc, argv, &i, &v->table))
				return EXIT_USAGE;
			break;
		case K_SINGLE_IF:
			v->flags |= MFWD_VIF_F_SINGLE_IF;
			break;
		case K_DUP_WINDOW:
			if (v->dup_window)
				return usage_err("vif",
						 "dup-window given twice");
			if (++i >= argc)
				return usage_err("vif",
						 "missing value after \"%s\"",
						 argv[i - 1]);
			if (parse_duration_ms(argv[i], DUP_WINDOW_MIN_MS,
					      DUP_WINDOW_MAX_MS,
					      &v->dup_window))
				return usage_err(
					"vif",
					"invalid dup-window \"%s\" (10ms-10s)",
					argv[i]);
			break;
		}
	}
	if (v->dup_window && !(v->flags & MFWD_VIF_F_SINGLE_IF))
		return usage_err("vif", "dup-window needs single-interface");
	if (v->dev_name)
		return dev_arg(v->dev_name, &v->ifindex);
	return 0;
}

static int vif_add(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct vif_args v;
	int ret;

	ret = parse_vif_args(argc, argv, ~0U, &v);
	if (ret)
		return ret;
	if (!v.dev_name)
		return usage_err("vif", "missing \"dev IF\"");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_VIF_ADD, 0);
	nl_put_u32(nlh, MFWD_A_IFINDEX, v.ifindex);
	if (v.flags)
		nl_put_u32(nlh, MFWD_A_VIF_FLAGS, v.flags);
	if (v.has_threshold)
		nl_put_u8(nlh, MFWD_A_VIF_THRESHOLD, v.threshold);
	if (v.dup_window)
		nl_put_u32(nlh, MFWD_A_DUP_WINDOW_MS, v.dup_window);
	/* none: the kernel's default, the VRF's table or 0 */
	nl_put_table(nlh, &v.table);
	return nl_request(nlh);
}

static int vif_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct vif_args v;
	int ret;

	/* a device is a VIF of one table: -t does not matter here */
	ret = parse_vif_args(argc, argv, 1U << K_DEV, &v);
	if (ret)
		return ret;
	if (!v.dev_name)
		return usage_err("vif", "missing \"dev IF\"");
	ret = nl_open();
	if (ret)
		return ret;
	nlh = nl_msg(MFWD_CMD_VIF_DEL, 0);
	nl_put_u32(nlh, MFWD_A_IFINDEX, v.ifindex);
	return nl_request(nlh);
}

static const char *vif_name(const struct nlattr **tb, char *buf, size_t len)
{
	if (tb[MFWD_A_IFNAME] &&
	    mnl_attr_validate(tb[MFWD_A_IFNAME], MNL_TYPE_NUL_STRING) >= 0) {
		snprintf(buf, len, "%s", mnl_attr_get_str(tb[MFWD_A_IFNAME]));
		return buf;
	}
	return ifindex_name(nl_get_uint(tb[MFWD_A_IFINDEX]), buf, len);
}

void print_vif(const struct nlattr **tb, const char *prefix)
{
	uint32_t flags = nl_get_uint(tb[MFWD_A_VIF_FLAGS]);
	char name[IFNAME_BUF], d[DURATION_BUF];

	printf("%sdev %s ifindex %u", prefix, vif_name(tb, name, sizeof(name)),
	       (unsigned int)nl_get_uint(tb[MFWD_A_IFINDEX]));
	if (nl_get_table(tb))
		printf(" table %u", nl_get_table(tb));
	if (tb[MFWD_A_VIF_THRESHOLD])
		printf(" ttl-threshold %u",
		       (unsigned int)nl_get_uint(tb[MFWD_A_VIF_THRESHOLD]));
	if (flags & MFWD_VIF_F_NO_ALLMULTI)
		fputs(" noallmulti", stdout);
	if (flags & MFWD_VIF_F_REGISTER)
		fputs(" register", stdout);
	if (flags & MFWD_VIF_F_SINGLE_IF)
		fputs(" single-interface", stdout);
	if (tb[MFWD_A_DUP_WINDOW_MS])
		printf(" dup-window %s",
		       duration_str(nl_get_uint(tb[MFWD_A_DUP_WINDOW_MS]), d,
				    sizeof(d)));
	if (flags & ~MFWD_VIF_F_ALL)
		printf(" flags 0x%x", flags & ~MFWD_VIF_F_ALL);
	putchar('\n');
	if (opts.stats)
		printf("    in: packets %llu bytes %llu  out: packets %llu bytes %llu\n",
		       (unsigned long long)nl_get_uint(tb[MFWD_A_PKTS_IN]),
		       (unsigned long long)nl_get_uint(tb[MFWD_A_BYTES_IN]),
		       (unsigned long long)nl_get_uint(tb[MFWD_A_PKTS_OUT]),
		       (unsigned long long)nl_get_uint(tb[MFWD_A_BYTES_OUT]));
}

void json_vif_fields(const struct nlattr **tb)
{
	uint32_t flags = nl_get_uint(tb[MFWD_A_VIF_FLAGS]);
	char name[IFNAME_BUF], hex[16];

	json_str("dev", vif_name(tb, name, sizeof(name)));
	json_u64("ifindex", nl_get_uint(tb[MFWD_A_IFINDEX]));
	json_open_array("flags");
	if (flags & MFWD_VIF_F_NO_ALLMULTI)
		json_str(NULL, "noallmulti");
	if (flags & MFWD_VIF_F_REGISTER)
		json_str(NULL, "register");
	if (flags & MFWD_VIF_F_SINGLE_IF)
		json_str(NULL, "single-interface");
	if (flags & ~MFWD_VIF_F_ALL) {
		snprintf(hex, sizeof(hex), "0x%x", flags & ~MFWD_VIF_F_ALL);
		json_str(NULL, hex);
	}
	json_close_array();
	json_u64("ttl_threshold",
		 tb[MFWD_A_VIF_THRESHOLD] ?
			 nl_get_uint(tb[MFWD_A_VIF_THRESHOLD]) :
			 1);
	json_u64("pkts_in", nl_get_uint(tb[MFWD_A_PKTS_IN]));
	json_u64("bytes_in", nl_get_uint(tb[MFWD_A_BYTES_IN]));
	json_u64("pkts_out", nl_get_uint(tb[MFWD_A_PKTS_OUT]));
	json_u64("bytes_out", nl_get_uint(tb[MFWD_A_BYTES_OUT]));
	/* only for a single-interface VIF: the others keep their members */
	if (tb[MFWD_A_DUP_WINDOW_MS])
		json_u64("dup_window_ms",
			 nl_get_uint(tb[MFWD_A_DUP_WINDOW_MS]));
	/* last: scripts match the members before it as one string */
	json_u64("table", nl_get_table(tb));
}

void json_vif(const struct nlattr **tb)
{
	json_open_object(NULL);
	json_vif_fields(tb);
	json_close_object();
}

static int vif_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1];
	const struct table_arg *t = data;

	if (nl_parse(nlh, tb) || !tb[MFWD_A_IFINDEX] || !table_matches(t, tb))
		return 0;
	if (opts.json)
		json_vif(tb);
	else
		print_vif(tb, "");
	return 0;
}

static int vif_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct vif_args v;
	int ret;

	ret = parse_vif_args(argc, argv, 1U << K_DEV | 1U << K_TABLE, &v);
	if (ret)
		return ret;
	ret = nl_open();
	if (ret)
		return ret;
	if (v.dev_name) {
		nlh = nl_msg(MFWD_CMD_VIF_GET, 0);
		nl_put_u32(nlh, MFWD_A_IFINDEX, v.ifindex);
	} else {
		nlh = nl_msg(MFWD_CMD_VIF_GET, NLM_F_DUMP);
	}
	/* the kernel filters by table; so does vif_show_cb(), for free */
	nl_put_table(nlh, &v.table);
	/* always an array in JSON, even for one VIF */
	return nl_show(nlh, vif_show_cb, &v.table);
}

int do_vif(int argc, char **argv)
{
	int cmd;

	if (argc < 1)
		return vif_show(0, argv);
	cmd = match_keyword(argv[0], vif_cmds, ARRAY_SIZE(vif_cmds));
	if (cmd < 0)
		return keyword_err("vif", "command", argv[0], vif_cmds,
				   ARRAY_SIZE(vif_cmds), cmd);
	argc--;
	argv++;
	switch (cmd) {
	case V_ADD:
		return vif_add(argc, argv);
	case V_DEL:
		return vif_del(argc, argv);
	case V_SHOW:
		return vif_show(argc, argv);
	default:
		print_usage("vif", false);
		return 0;
	}
}
