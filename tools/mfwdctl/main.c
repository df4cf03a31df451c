// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - control the mfwd IPv4 and IPv6 multicast forwarding module.
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

/* ---- batch ---- */

#define MAX_ARGS 2048

/*
 * Run the commands of @name, one a line. Requests that change state are
 * queued and sent many to one write, consecutive route adds (deletes) as
 * batches of routes; their acks are mapped back to lines.
 */
static int do_batch(const char *name)
{
	static char *argv[MAX_ARGS];
	/* a file of 100,000 routes is some MB: fewer reads */
	static char fbuf[1 << 16];
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
	setvbuf(f, fbuf, _IOFBF, sizeof(fbuf));
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
	OPT_INET,
	OPT_INET6,
	OPT_TABLE,
};

static const struct keyword options[] = {
	{ "json", OPT_JSON },	     { "pretty", OPT_PRETTY },
	{ "statistics", OPT_STATS }, { "stats", OPT_STATS },
	{ "netns", OPT_NETNS },	     { "batch", OPT_BATCH },
	{ "force", OPT_FORCE },	     { "file", OPT_FILE },
	{ "Version", OPT_VERSION },  { "help", OPT_HELP },
	{ "table", OPT_TABLE },
};

/* single letter options: -f is the config file, -force must be spelled */
static const struct keyword short_options[] = {
	{ "j", OPT_JSON },    { "p", OPT_PRETTY }, { "s", OPT_STATS },
	{ "n", OPT_NETNS },   { "b", OPT_BATCH },  { "f", OPT_FILE },
	{ "V", OPT_VERSION }, { "h", OPT_HELP },   { "4", OPT_INET },
	{ "6", OPT_INET6 },   { "t", OPT_TABLE },
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
		if (o == OPT_NETNS || o == OPT_BATCH || o == OPT_FILE ||
		    o == OPT_TABLE) {
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
		case OPT_INET:
			opts.family = AF_INET;
			break;
		case OPT_INET6:
			opts.family = AF_INET6;
			break;
		case OPT_TABLE:
			/* every command that names a table takes this one */
			if (parse_table(NULL, argv[0], &opts.table))
				return EXIT_USAGE;
			opts.has_table = true;
			break;
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
