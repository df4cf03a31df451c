// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - control the mfwd IPv4 multicast forwarding module.
 *
 * Command line parsing, dispatch and batch mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

struct opts opts;
int cur_line;

static const char usage_top[] =
	"Usage: mfwdctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
	"       mfwdctl [OPTIONS] -b FILE\n"
	"       mfwdctl [OPTIONS] -f SMCROUTE.CONF\n"
	"where  OBJECT := { vif | route | flush | stats | config | monitor | help }\n"
	"       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -n[etns] NAME |\n"
	"                    -b[atch] FILE | -force | -f[ile] FILE | -V[ersion] |\n"
	"                    -h[elp] }\n";

static const char usage_vif[] =
	"Usage: mfwdctl vif add dev IF [ttl-threshold N] [noallmulti] [register]\n"
	"       mfwdctl vif del dev IF\n"
	"       mfwdctl vif show [dev IF]\n";

static const char usage_route[] =
	"Usage: mfwdctl route { add | replace } group G [source S] iif IF\n"
	"                     [oif IF[/TTL] [ttl TTL]]...\n"
	"       mfwdctl route del group G [source S]\n"
	"       mfwdctl route show [group G] [source S] [iif IF] [dev IF]\n"
	"       mfwdctl route get group G [source S]\n"
	"where  G is a multicast group outside 224.0.0.0/24, S a unicast source\n"
	"       or \"*\" (any: a (*,G) route, also when source is left out);\n"
	"       \"to\" and \"from\" are aliases of \"group\" and \"source\".\n";

static const char usage_flush[] =
	"Usage: mfwdctl flush [ routes | all ]\n"
	"       (routes: all routes, the default; all: routes and VIFs)\n";

static const char usage_stats[] = "Usage: mfwdctl stats\n";

static const char usage_config[] =
	"Usage: mfwdctl config show\n"
	"       mfwdctl config set [unres-max N] [unres-qlen N] [unres-timeout MS]\n"
	"                          [wrongvif-interval MS] [max-routes N]\n";

static const char usage_monitor[] =
	"Usage: mfwdctl monitor [ all | vif | route | nocache | wrongvif | wholepkt ]...\n";

void print_usage(const char *obj, bool to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;

	if (!obj || !*obj) {
		fputs(usage_top, f);
		fputs(usage_vif, f);
		fputs(usage_route, f);
		fputs(usage_flush, f);
		fputs(usage_stats, f);
		fputs(usage_config, f);
		fputs(usage_monitor, f);
	} else if (!strcmp(obj, "vif")) {
		fputs(usage_vif, f);
	} else if (!strcmp(obj, "route")) {
		fputs(usage_route, f);
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

enum { O_VIF, O_ROUTE, O_FLUSH, O_STATS, O_CONFIG, O_MONITOR, O_HELP };

static const struct keyword objects[] = {
	{ "vif", O_VIF },	   { "route", O_ROUTE },
	{ "flush", O_FLUSH },	   { "stats", O_STATS },
	{ "statistics", O_STATS }, { "config", O_CONFIG },
	{ "monitor", O_MONITOR },  { "help", O_HELP },
};

static const char *const object_names[] = {
	[O_VIF] = "vif",     [O_ROUTE] = "route",   [O_FLUSH] = "flush",
	[O_STATS] = "stats", [O_CONFIG] = "config", [O_MONITOR] = "monitor",
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
	case O_FLUSH:
		return do_flush(argc, argv);
	case O_STATS:
		return do_stats(argc, argv);
	case O_CONFIG:
		return do_config(argc, argv);
	case O_MONITOR:
		return do_monitor(argc, argv);
	default:
		return do_help(argc, argv);
	}
}

/* ---- batch ---- */

#define MAX_ARGS 2048

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

/*
 * Run the commands of @name, one a line. Requests that change state are
 * queued and sent many to one write; their acks are mapped back to lines.
 */
static int do_batch(const char *name)
{
	static char *argv[MAX_ARGS];
	FILE *f = stdin;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret = 0, r, argc;

	if (strcmp(name, "-")) {
		f = fopen(name, "r");
		if (!f) {
			err_msg("cannot open \"%s\": %s", name,
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	nl_batch_begin();
	while (getline(&line, &cap, f) >= 0) {
		cur_line = ++lineno;
		argc = split_line(line, argv, MAX_ARGS);
		if (argc < 0)
			r = EXIT_USAGE;
		else if (!argc)
			continue;
		else
			r = run_command(argc, argv);
		if (r) {
			ret = worse(ret, r);
			if (!opts.force)
				break;
		}
	}
	if (ferror(f)) {
		err_msg("reading \"%s\": %s", name, strerror(errno));
		ret = worse(ret, EXIT_FAIL);
	}
	cur_line = 0;
	ret = worse(ret, nl_batch_flush());
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

/* ---- options ---- */

static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_msg("cannot open network namespace \"%s\": %s", name,
			strerror(errno));
		return EXIT_FAIL;
	}
	if (setns(fd, CLONE_NEWNET)) {
		err_msg("cannot enter network namespace \"%s\": %s", name,
			strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	return 0;
}

enum {
	OPT_JSON,
	OPT_PRETTY,
	OPT_STATS,
	OPT_NETNS,
	OPT_BATCH,
	OPT_FORCE,
	OPT_FILE,
	OPT_VERSION,
	OPT_HELP,
};

static const struct keyword options[] = {
	{ "json", OPT_JSON },	     { "pretty", OPT_PRETTY },
	{ "statistics", OPT_STATS }, { "stats", OPT_STATS },
	{ "netns", OPT_NETNS },	     { "batch", OPT_BATCH },
	{ "force", OPT_FORCE },	     { "file", OPT_FILE },
	{ "Version", OPT_VERSION },  { "help", OPT_HELP },
};

/* single letter options: -f is the config file, -force must be spelled */
static const struct keyword short_options[] = {
	{ "j", OPT_JSON },    { "p", OPT_PRETTY }, { "s", OPT_STATS },
	{ "n", OPT_NETNS },   { "b", OPT_BATCH },  { "f", OPT_FILE },
	{ "V", OPT_VERSION }, { "h", OPT_HELP },
};

int main(int argc, char **argv)
{
	int ret;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-' && argv[0][1]) {
		const char *opt = argv[0] + 1;
		int o;

		if (!strcmp(argv[0], "--")) {
			argc--;
			argv++;
			break;
		}
		if (*opt == '-')
			opt++;
		o = strlen(opt) == 1 ?
			    match_keyword(opt, short_options,
					  ARRAY_SIZE(short_options)) :
			    match_keyword(opt, options, ARRAY_SIZE(options));
		if (o < 0) {
			fprintf(stderr,
				"Option \"%s\" is unknown, try \"mfwdctl -help\".\n",
				argv[0]);
			return EXIT_USAGE;
		}
		if (o == OPT_NETNS || o == OPT_BATCH || o == OPT_FILE) {
			if (argc < 2) {
				fprintf(stderr,
					"Option \"%s\" needs an argument, try \"mfwdctl -help\".\n",
					argv[0]);
				return EXIT_USAGE;
			}
			argc--;
			argv++;
		}
		switch (o) {
		case OPT_JSON:
			opts.json = true;
			break;
		case OPT_PRETTY:
			opts.pretty = true;
			opts.json = true;
			break;
		case OPT_STATS:
			opts.stats++;
			break;
		case OPT_NETNS:
			opts.netns = argv[0];
			break;
		case OPT_BATCH:
			opts.batch = argv[0];
			break;
		case OPT_FORCE:
			opts.force = true;
			break;
		case OPT_FILE:
			opts.conf = argv[0];
			break;
		case OPT_VERSION:
			printf("mfwdctl %s (mfwd generic netlink version %d)\n",
			       MFWDCTL_VERSION, MFWD_GENL_VERSION);
			return 0;
		case OPT_HELP:
			print_usage(NULL, false);
			return 0;
		}
		argc--;
		argv++;
	}
	json_set_pretty(opts.pretty);

	if (opts.batch && opts.conf) {
		fputs("Options -b and -f exclude each other.\n", stderr);
		return EXIT_USAGE;
	}
	if ((opts.batch || opts.conf) && argc > 0) {
		fprintf(stderr, "Unexpected argument \"%s\" after -%c FILE.\n",
			argv[0], opts.batch ? 'b' : 'f');
		return EXIT_USAGE;
	}
	if (!opts.batch && !opts.conf && argc < 1) {
		print_usage(NULL, true);
		return EXIT_USAGE;
	}
	if (opts.netns) {
		ret = enter_netns(opts.netns);
		if (ret)
			return ret;
	}
	if (opts.batch)
		ret = do_batch(opts.batch);
	else if (opts.conf)
		ret = do_conf_file(opts.conf);
	else
		ret = run_command(argc, argv);
	nl_close();
	if (fflush(stdout) == EOF && !ret) {
		perror("mfwdctl: stdout");
		ret = EXIT_FAIL;
	}
	return ret;
}
