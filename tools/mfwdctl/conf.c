// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - apply an smcroute.conf(5) style configuration file (-f).
 *
 *	phyint IF enable [ttl-threshold N] [mrdisc]
 *	phyint IF disable
 *	mroute from IF [source S] group G to IF [IF...]
 *	mgroup ...		(ignored: mfwdctl joins no groups)
 *
 * Every interface named by an enabled phyint or used by an mroute (and
 * not disabled) becomes a VIF (an existing VIF is fine); each mroute is
 * applied with "route replace", so the file can be applied again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mfwdctl.h"

#define MAX_WORDS 1024
#define MAX_PHYINT 1024

struct phyint {
	char name[IF_NAMESIZE];
	bool enabled; /* phyint ... enable */
	bool disabled; /* phyint ... disable */
	bool used; /* by an mroute */
	const char *threshold;
	int line;
};

static struct phyint phyints[MAX_PHYINT];
static int nphyint;

static struct phyint *phyint_get(const char *name, int line)
{
	int i;

	for (i = 0; i < nphyint; i++) {
		if (!strcmp(phyints[i].name, name))
			return &phyints[i];
	}
	if (nphyint >= MAX_PHYINT || strlen(name) >= IF_NAMESIZE)
		return NULL;
	snprintf(phyints[nphyint].name, IF_NAMESIZE, "%s", name);
	phyints[nphyint].line = line;
	return &phyints[nphyint++];
}

static int conf_err(const char *fmt, const char *arg)
{
	err_msg(fmt, arg);
	return EXIT_USAGE;
}

static int parse_phyint(int argc, char **argv, int line)
{
	struct phyint *p;
	int i;

	if (argc < 2)
		return conf_err("missing interface after \"%s\"", argv[0]);
	p = phyint_get(argv[1], line);
	if (!p)
		return conf_err("bad or too many interfaces: \"%s\"", argv[1]);
	p->enabled = true;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "enable")) {
			p->enabled = true;
			p->disabled = false;
		} else if (!strcmp(argv[i], "disable")) {
			p->disabled = true;
			p->enabled = false;
		} else if (!strcmp(argv[i], "mrdisc")) {
			/* multicast router discovery: not mfwd's business */
		} else if (!strcmp(argv[i], "ttl-threshold") && i + 1 < argc) {
			/* the words are reused for the next line */
			p->threshold = strdup(argv[++i]);
		} else {
			return conf_err("unknown phyint argument \"%s\"",
					argv[i]);
		}
	}
	return 0;
}

/* an smcroute address may carry a prefix length; only /32 is a route */
static int strip_len(char *addr)
{
	char *slash = strchr(addr, '/');

	if (!slash)
		return 0;
	if (strcmp(slash, "/32"))
		return conf_err("address ranges (\"%s\") are not supported",
				addr);
	*slash = 0;
	return 0;
}

/*
 * Turn an mroute line into "route replace ..." words in @out; mark the
 * interfaces used.
 */
static int parse_mroute(int argc, char **argv, int line, char **out, int *nout)
{
	const char *iif = NULL, *group = NULL, *source = NULL;
	int i, n = 0, ret;
	struct phyint *p;

	out[n++] = "route";
	out[n++] = "replace";
	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return conf_err("missing value after \"%s\"", argv[i]);
		if (!strcmp(argv[i], "from")) {
			iif = argv[++i];
		} else if (!strcmp(argv[i], "group")) {
			group = argv[++i];
		} else if (!strcmp(argv[i], "source")) {
			source = argv[++i];
		} else if (!strcmp(argv[i], "to")) {
			break;
		} else {
			return conf_err("unknown mroute argument \"%s\"",
					argv[i]);
		}
	}
	if (!iif)
		return conf_err("%smroute without \"from IF\"", "");
	if (!group)
		return conf_err("%smroute without \"group G\"", "");
	ret = strip_len((char *)group);
	if (!ret && source)
		ret = strip_len((char *)source);
	if (ret)
		return ret;
	out[n++] = "group";
	out[n++] = (char *)group;
	if (source) {
		out[n++] = "source";
		out[n++] = (char *)source;
	}
	out[n++] = "iif";
	out[n++] = (char *)iif;
	p = phyint_get(iif, line);
	if (p)
		p->used = true;
	for (i++; i < argc && n + 2 < MAX_WORDS; i++) {
		out[n++] = "oif";
		out[n++] = argv[i];
		p = phyint_get(argv[i], line);
		if (p)
			p->used = true;
	}
	*nout = n;
	return 0;
}

struct conf_line {
	int line;
	int argc;
	char **argv;
};

int do_conf_file(const char *file)
{
	static char *words[MAX_WORDS];
	struct conf_line *routes = NULL;
	int nroutes = 0, lineno = 0, ret = 0, r, argc, i;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		err_msg("cannot open \"%s\": %s", file, strerror(errno));
		return EXIT_FAIL;
	}
	/* pass 1: read; collect interfaces and routes */
	while (getline(&line, &cap, f) >= 0) {
		cur_line = ++lineno;
		argc = split_line(line, words, MAX_WORDS);
		r = 0;
		if (argc < 0) {
			r = EXIT_USAGE;
		} else if (!argc) {
			continue;
		} else if (!strcmp(words[0], "phyint")) {
			r = parse_phyint(argc, words, lineno);
		} else if (!strcmp(words[0], "mroute")) {
			char **out = calloc(MAX_WORDS, sizeof(*out));
			struct conf_line *c;

			c = realloc(routes, (nroutes + 1) * sizeof(*routes));
			if (!out || !c) {
				err_msg("out of memory");
				free(out);
				r = EXIT_FAIL;
				break;
			}
			routes = c;
			/* keep the words: they point into a line of our own */
			for (i = 0; i < argc; i++)
				words[i] = strdup(words[i]);
			r = parse_mroute(argc, words, lineno, out,
					 &routes[nroutes].argc);
			if (!r) {
				routes[nroutes].line = lineno;
				routes[nroutes].argv = out;
				nroutes++;
			} else {
				free(out);
			}
		} else if (!strcmp(words[0], "mgroup") ||
			   !strcmp(words[0], "ssmgroup")) {
			fprintf(stderr,
				"Warning: line %d: \"%s\" ignored, mfwdctl joins no groups\n",
				lineno, words[0]);
		} else {
			r = conf_err("unknown directive \"%s\"", words[0]);
		}
		if (r) {
			ret = worse(ret, r);
			if (!opts.force)
				goto out;
		}
	}
	if (ferror(f)) {
		cur_line = 0;
		err_msg("reading \"%s\": %s", file, strerror(errno));
		ret = worse(ret, EXIT_FAIL);
		goto out;
	}

	/* pass 2: VIFs (existing ones are fine), then routes */
	nl_batch_begin();
	for (i = 0; i < nphyint; i++) {
		struct phyint *p = &phyints[i];
		char *argv[6] = { "vif", "add", "dev", p->name };
		int n = 4;

		cur_line = p->line;
		if (p->disabled) {
			if (p->used) {
				err_msg("interface \"%s\" is disabled but used by an mroute",
					p->name);
				ret = worse(ret, EXIT_USAGE);
				if (!opts.force)
					goto out;
			}
			continue;
		}
		if (p->threshold) {
			argv[n++] = "ttl-threshold";
			argv[n++] = (char *)p->threshold;
		}
		nl_ignore_errno = EEXIST;
		r = run_command(n, argv);
		nl_ignore_errno = 0;
		if (r) {
			ret = worse(ret, r);
			if (!opts.force)
				goto out;
		}
	}
	for (i = 0; i < nroutes; i++) {
		cur_line = routes[i].line;
		r = run_command(routes[i].argc, routes[i].argv);
		if (r) {
			ret = worse(ret, r);
			if (!opts.force)
				goto out;
		}
	}
out:
	cur_line = 0;
	ret = worse(ret, nl_batch_flush());
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}
