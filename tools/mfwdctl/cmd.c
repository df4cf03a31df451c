// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - usage texts, command dispatch and line splitting, shared by
 * mfwdctl and mfwd-smcrouted.
 */
#include <stdio.h>
#include <string.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

struct opts opts;
int cur_line;
const char *cur_file;

static const char usage_top[] =
	"Usage: mfwdctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
	"       mfwdctl [OPTIONS] -b FILE\n"
	"       mfwdctl [OPTIONS] { -f | apply } SMCROUTE.CONF\n"
	"where  OBJECT := { vif | route | meter | flush | stats | config |\n"
	"                   monitor | apply | help }\n"
	"       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -n[etns] NAME |\n"
	"                    -b[atch] FILE | -force | -f[ile] FILE | -4 | -6 |\n"
	"                    -t[able] ID | -V[ersion] | -h[elp] }\n"
	"       -t ID: the table of every command that takes \"table ID\" (a\n"
	"       command's own overrides it); ID is 0-4294967295; without either,\n"
	"       table 0, and show, flush and monitor cover all tables.\n"
	"       DURATION := NUMBER{ms|s|m|h} (\"250ms\", \"1.5s\", \"2m\"; no unit:\n"
	"       seconds; fractions must come to whole milliseconds).\n";

static const char usage_vif[] =
	"Usage: mfwdctl vif add dev IF [ttl-threshold N] [noallmulti] [register]\n"
	"                      [single-interface [dup-window DURATION]] [table ID]\n"
	"       mfwdctl vif del dev IF\n"
	"       mfwdctl vif show [dev IF] [table ID]\n"
	"       single-interface: the VIF may be a route's input and output (a\n"
	"       radio); copies of a packet seen on it within dup-window (10ms-10s,\n"
	"       default 2s) are dropped.\n";

static const char usage_route[] =
	"Usage: mfwdctl route { add | replace } group G [source S] INPUTS [per-iif]\n"
	"                     [oif IF[/TTL] [ttl TTL]]... [table ID]\n"
	"                     [no-wrongvif] [signal-rate N]\n"
	"                     [idle-timeout DURATION [expire]]\n"
	"       mfwdctl route del group G [source S] [per-iif iif IF] [table ID]\n"
	"       mfwdctl route show [group G] [source S] [iif IF] [per-iif] [dev IF]\n"
	"                          [family { inet | inet6 }] [table ID]\n"
	"       mfwdctl route get group G [source S] [per-iif iif IF] [table ID]\n"
	"       mfwdctl route flush [family { inet | inet6 }] [table ID]\n"
	"where  G is an IPv4 multicast group outside 224.0.0.0/24 or an IPv6 one\n"
	"       of a scope wider than link-local (not ffX0::-ffX2::), S a unicast\n"
	"       source of the same family or \"*\" (any: a (*,G) route, also when\n"
	"       source is left out); \"to\" and \"from\" are aliases of \"group\"\n"
	"       and \"source\"; -4 and -6 are \"family inet\" and \"family inet6\".\n"
	"       INPUTS := { iif IF [iif IF]... | iif any }: the VIFs the route\n"
	"       accepts packets from (the first is the primary input), or every\n"
	"       VIF. per-iif: a route of its one input only, which a packet\n"
	"       arriving there matches before any other route.\n"
	"       no-wrongvif: packets on another VIF raise no wrongvif event;\n"
	"       signal-rate N: at most N wrongvif events per second (1-1000000).\n"
	"       idle-timeout DURATION: an idle event when the route forwarded\n"
	"       nothing for that long (100ms-24h); expire: and it is deleted.\n"
	"       table ID: the route's table (default 0, or -t ID); for show and\n"
	"       flush, the routes of that table only (default all).\n";

static const char usage_meter[] =
	"Usage: mfwdctl meter add ROUTE { packets | bytes } { ge | le } N\n"
	"                         interval DURATION\n"
	"       mfwdctl meter del ROUTE [packets | bytes] [{ ge | le } [N]]\n"
	"                         [interval DURATION]\n"
	"       mfwdctl meter show [family { inet | inet6 }] [table ID]\n"
	"where  ROUTE := group G [source S] [per-iif iif IF] [table ID], as for\n"
	"       route del. A meter counts the route's packets or bytes in each\n"
	"       interval (100ms-24h) and raises a threshold event when the count\n"
	"       reaches N (ge) or, at the end of the interval, stayed at or below\n"
	"       N (le). del: the route's meters that match every field given.\n";

static const char usage_flush[] =
	"Usage: mfwdctl flush [ routes | all ] [family { inet | inet6 }] [table ID]\n"
	"       (routes: all routes, the default, or those of one family;\n"
	"       all: routes and VIFs; table ID, -t ID: of that table only)\n";

static const char usage_stats[] = "Usage: mfwdctl stats [show] [table ID]\n";

static const char usage_config[] =
	"Usage: mfwdctl config show\n"
	"       mfwdctl config set [unres-max N] [unres-qlen N] [unres-timeout MS]\n"
	"                          [wrongvif-interval MS] [max-routes N]\n"
	"                          [signal-rate N]\n"
	"       (signal-rate: the most nocache events per second of one\n"
	"       unresolved (S,G), 0-1000000, 0: no limit)\n";

static const char usage_monitor[] =
	"Usage: mfwdctl monitor [ all | vif | route | nocache | wrongvif | wholepkt |\n"
	"                         threshold | idle ]... [table ID]\n"
	"       (-4, -6: routes and packets of one family only)\n"
	"       (table ID, -t ID: events of that table only)\n";

void print_usage(const char *obj, bool to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;

	if (!obj || !*obj) {
		fputs(usage_top, f);
		fputs(usage_vif, f);
		fputs(usage_route, f);
		fputs(usage_meter, f);
		fputs(usage_flush, f);
		fputs(usage_stats, f);
		fputs(usage_config, f);
		fputs(usage_monitor, f);
	} else if (!strcmp(obj, "vif")) {
		fputs(usage_vif, f);
	} else if (!strcmp(obj, "route")) {
		fputs(usage_route, f);
	} else if (!strcmp(obj, "meter")) {
		fputs(usage_meter, f);
	} else if (!strcmp(obj, "flush")) {
		fputs(usage_flush, f);
	} else if (!strcmp(obj, "stats")) {
		fputs(usage_stats, f);
	} else if (!strcmp(obj, "config")) {
		fputs(usage_config, f);
	} else if (!strcmp(obj, "monitor")) {
		fputs(usage_monitor, f);
	}
}

enum {
	O_VIF,
	O_ROUTE,
	O_METER,
	O_FLUSH,
	O_STATS,
	O_CONFIG,
	O_MONITOR,
	O_APPLY,
	O_HELP
};

static const struct keyword objects[] = {
	{ "vif", O_VIF },	{ "route", O_ROUTE },
	{ "meter", O_METER },	{ "flush", O_FLUSH },
	{ "stats", O_STATS },	{ "statistics", O_STATS },
	{ "config", O_CONFIG }, { "monitor", O_MONITOR },
	{ "apply", O_APPLY },	{ "help", O_HELP },
};

/* "help apply": all of it */
static const char *const object_names[O_HELP + 1] = {
	[O_VIF] = "vif",	 [O_ROUTE] = "route", [O_METER] = "meter",
	[O_FLUSH] = "flush",	 [O_STATS] = "stats", [O_CONFIG] = "config",
	[O_MONITOR] = "monitor",
};

static int do_help(int argc, char **argv)
{
	int obj;

	if (argc < 1) {
		print_usage(NULL, false);
		return 0;
	}
	obj = match_keyword(argv[0], objects, ARRAY_SIZE(objects));
	if (obj < 0)
		return keyword_err(NULL, "object", argv[0], objects,
				   ARRAY_SIZE(objects), obj);
	print_usage(obj == O_HELP ? NULL : object_names[obj], false);
	return 0;
}

int run_command(int argc, char **argv)
{
	int obj = match_keyword(argv[0], objects, ARRAY_SIZE(objects));

	if (obj < 0)
		return keyword_err(NULL, "object", argv[0], objects,
				   ARRAY_SIZE(objects), obj);
	argc--;
	argv++;
	switch (obj) {
	case O_VIF:
		return do_vif(argc, argv);
	case O_ROUTE:
		return do_route(argc, argv);
	case O_METER:
		return do_meter(argc, argv);
	case O_FLUSH:
		return do_flush(argc, argv);
	case O_STATS:
		return do_stats(argc, argv);
	case O_CONFIG:
		return do_config(argc, argv);
	case O_MONITOR:
		return do_monitor(argc, argv);
	case O_APPLY:
		if (argc != 1)
			return usage_err(NULL, "usage: mfwdctl apply FILE");
		return do_conf_file(argv[0]);
	default:
		return do_help(argc, argv);
	}
}

/*
 * Split @line into words: blanks separate, "..." and '...' quote, a word
 * starting with '#' starts a comment. Returns the count, -1 on an error.
 */
int split_line(char *line, char **argv, int max)
{
	char *p = line, *out;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return argc;
		if (argc >= max) {
			err_msg("too many words");
			return -1;
		}
		argv[argc++] = out = p;
		while (*p) {
			if (quote) {
				if (*p == quote) {
					quote = 0;
					p++;
					continue;
				}
			} else if (*p == '"' || *p == '\'') {
				quote = *p++;
				continue;
			} else if (*p == ' ' || *p == '\t' || *p == '\n' ||
				   *p == '\r') {
				p++;
				break;
			}
			*out++ = *p++;
		}
		if (quote) {
			err_msg("unterminated quote");
			return -1;
		}
		*out = 0;
	}
}

int worse(int a, int b)
{
	return a == EXIT_USAGE || b == EXIT_USAGE ? EXIT_USAGE :
	       a || b				  ? EXIT_FAIL :
						    0;
}
