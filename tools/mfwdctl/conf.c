// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - read smcroute.conf(5) files; apply one with "mfwdctl -f".
 *
 *	phyint IF enable [ttl-threshold N] [mrdisc]
 *	phyint IF disable
 *	mroute from IF [source S[/LEN]] group G[/LEN] to IF [IF...]
 *	mgroup from IF [source S[/LEN]] group G[/LEN]
 *	include FILE		(glob patterns; relative to the file's folder)
 *
 * S and G are IPv4 or IPv6 addresses, both of one family.
 *
 * sc_conf_read() parses a file and what it includes into a struct sc_conf,
 * reporting errors as "FILE:LINE: ..."; mfwd-smcrouted uses it too.
 *
 * "mfwdctl -f" installs what a one-shot command can: every interface named
 * by an enabled phyint or used by an mroute (and not disabled) becomes a
 * VIF (an existing VIF is fine); each mroute is applied with "route
 * replace", so the file can be applied again, a group or source range as a
 * kernel prefix route. mgroup joins (held by an open socket) need a
 * running daemon, mfwd-smcrouted. With "-t ID" all of it goes in table ID:
 * the lines are applied as mfwdctl commands, which take -t.
 */
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mfwdctl.h"

#define MAX_WORDS 1024
#define MAX_DEPTH 16

static int conf_err(const char *fmt, const char *arg)
{
	err_msg(fmt, arg);
	return EXIT_USAGE;
}

static void *grow(void *arr, int n, size_t size)
{
	void *p = realloc(arr, (n + 1) * size);

	if (!p) {
		fputs("mfwd: out of memory\n", stderr);
		exit(EXIT_FAIL);
	}
	memset((char *)p + n * size, 0, size);
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fputs("mfwd: out of memory\n", stderr);
		exit(EXIT_FAIL);
	}
	return p;
}

/* "/LEN" of @s (@slash), at least @min, at most the bits of @a */
static int prefix_len(const char *s, const char *slash,
		      const struct inet_addr *a, int min, int *len)
{
	uint32_t l;

	if (parse_u32(slash + 1, addr_bits(a), &l) || (int)l < min) {
		err_msg("invalid prefix length in \"%s\" (%d-%d)", s, min,
			addr_bits(a));
		return EXIT_USAGE;
	}
	*len = l;
	return 0;
}

/*
 * "ADDRESS[/LEN]", IPv4 or IPv6: a group (@group) or a source. A source
 * of 0.0.0.0, ::, "*" or "any" is any source (length 0; "*" and "any" of
 * no family yet, see addr_set_family()). Host bits beyond LEN are
 * cleared.
 */
int sc_parse_addr(const char *s, bool group, struct inet_addr *addr, int *len)
{
	char buf[INET6_ADDRSTRLEN + 4], *slash;
	int min;

	*len = 32;
	if (group && !strchr(s, '/')) {
		if (parse_group(s, addr))
			return EXIT_USAGE;
		*len = addr_bits(addr);
		return 0;
	}
	if (!group && (!strcmp(s, "*") || !strcmp(s, "any"))) {
		memset(addr, 0, sizeof(*addr));
		*len = 0;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	if (addr_parse(buf, addr)) {
		err_msg("invalid %s address \"%s\"", group ? "group" : "source",
			s);
		return EXIT_USAGE;
	}
	*len = addr_bits(addr);
	/* a group prefix within 224.0.0.0/4 or ff00::/8 */
	min = !group ? 0 : addr->family == AF_INET6 ? 8 : 4;
	if (slash && prefix_len(s, slash, addr, min, len))
		return EXIT_USAGE;
	addr_mask(addr, *len);
	if (group) {
		if (!addr_is_multicast(addr)) {
			err_msg("\"%s\" is not a multicast group address (%s)",
				s,
				addr->family == AF_INET6 ? "ff00::/8" :
							   "224.0.0.0/4");
			return EXIT_USAGE;
		}
		if (*len == addr_bits(addr))
			return parse_group(buf, addr);
		return 0;
	}
	if (addr_is_any(addr)) {
		*len = 0;
		return 0;
	}
	if (addr_is_multicast(addr) ||
	    (addr->family == AF_INET && ntohl(addr->v4.s_addr) >= 0xf0000000)) {
		err_msg("source \"%s\" is not a unicast address", s);
		return EXIT_USAGE;
	}
	return 0;
}

static struct sc_phyint *phyint_get(struct sc_conf *c, const char *name)
{
	int i;

	for (i = 0; i < c->nphyint; i++) {
		if (!strcmp(c->phyints[i].name, name))
			return &c->phyints[i];
	}
	c->phyints = grow(c->phyints, c->nphyint, sizeof(*c->phyints));
	c->phyints[c->nphyint].name = xstrdup(name);
	return &c->phyints[c->nphyint++];
}

static int parse_phyint(struct sc_conf *c, int argc, char **argv)
{
	struct sc_phyint *p;
	uint32_t v;
	int i;

	if (argc < 2)
		return conf_err("missing interface after \"%s\"", argv[0]);
	if (strlen(argv[1]) >= IF_NAMESIZE)
		return conf_err("invalid interface name \"%s\"", argv[1]);
	p = phyint_get(c, argv[1]);
	p->enable = true;
	p->file = cur_file;
	p->line = cur_line;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "enable")) {
			p->enable = true;
		} else if (!strcmp(argv[i], "disable")) {
			p->enable = false;
		} else if (!strcmp(argv[i], "mrdisc")) {
			/* multicast router discovery: not mfwd's business */
		} else if (!strcmp(argv[i], "ttl-threshold")) {
			if (i + 1 >= argc)
				return conf_err("missing value after \"%s\"",
						argv[i]);
			if (parse_u32(argv[++i], 255, &v) || !v)
				return conf_err(
					"invalid TTL threshold \"%s\" (1-255)",
					argv[i]);
			p->threshold = v;
		} else {
			return conf_err("unknown phyint argument \"%s\"",
					argv[i]);
		}
	}
	return 0;
}

/* mroute (@route) or mgroup: "from IF [source S] group G [to IF...]" */
static int parse_rule(struct sc_conf *c, int argc, char **argv, bool route)
{
	const char *iif = NULL, *group = NULL, *source = NULL;
	struct sc_rule r = { 0 };
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (route && !strcmp(argv[i], "to")) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			return conf_err("missing value after \"%s\"", argv[i]);
		if (!strcmp(argv[i], "from")) {
			iif = argv[++i];
		} else if (!strcmp(argv[i], "group")) {
			group = argv[++i];
		} else if (!strcmp(argv[i], "source")) {
			source = argv[++i];
		} else {
			return conf_err(
				route ? "unknown mroute argument \"%s\"" :
					"unknown mgroup argument \"%s\"",
				argv[i]);
		}
	}
	if (!iif)
		return conf_err("%s without \"from IF\"", argv[0]);
	if (!group)
		return conf_err("%s without \"group G\"", argv[0]);
	if (strlen(iif) >= IF_NAMESIZE)
		return conf_err("invalid interface name \"%s\"", iif);
	ret = sc_parse_addr(group, true, &r.grp, &r.glen);
	if (!ret && source)
		ret = sc_parse_addr(source, false, &r.src, &r.slen);
	if (!ret)
		ret = addr_pair_check(&r.src, &r.grp);
	if (ret)
		return ret;
	if (route && i >= argc)
		return conf_err("%s without \"to IF...\"", argv[0]);
	r.iif = xstrdup(iif);
	r.file = cur_file;
	r.line = cur_line;
	for (; route && i < argc; i++) {
		if (strlen(argv[i]) >= IF_NAMESIZE) {
			free(r.iif);
			return conf_err("invalid interface name \"%s\"",
					argv[i]);
		}
		r.oifs = grow(r.oifs, r.noifs, sizeof(*r.oifs));
		r.oifs[r.noifs++] = xstrdup(argv[i]);
	}
	if (route) {
		c->mroutes = grow(c->mroutes, c->nmroute, sizeof(r));
		c->mroutes[c->nmroute++] = r;
	} else {
		c->mgroups = grow(c->mgroups, c->nmgroup, sizeof(r));
		c->mgroups[c->nmgroup++] = r;
	}
	return 0;
}

static int read_file(struct sc_conf *c, const char *path, int depth);

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* "include PATTERN": relative to the folder of the including file */
static int parse_include(struct sc_conf *c, int argc, char **argv, int depth)
{
	char pat[PATH_MAX], dir[PATH_MAX];
	const char *file = cur_file;
	int line = cur_line, ret = 0, r;
	glob_t g;
	size_t i;

	if (argc != 2)
		return conf_err("usage: include FILE%s", "");
	if (argv[1][0] == '/' || !strcmp(file, "-")) {
		snprintf(pat, sizeof(pat), "%s", argv[1]);
	} else {
		snprintf(dir, sizeof(dir), "%s", file);
		snprintf(pat, sizeof(pat), "%s/%s", dirname(dir), argv[1]);
	}
	if (depth >= MAX_DEPTH)
		return conf_err("includes nested too deep at \"%s\"", argv[1]);
	if (!has_glob(pat)) {
		ret = read_file(c, pat, depth + 1);
	} else {
		r = glob(pat, 0, NULL, &g);
		if (r == GLOB_NOMATCH) {
			warn_msg("include \"%s\" matches no file", argv[1]);
			return 0;
		}
		if (r)
			return conf_err("include \"%s\": glob failed", argv[1]);
		for (i = 0; i < g.gl_pathc; i++) {
			ret = worse(ret,
				    read_file(c, g.gl_pathv[i], depth + 1));
			if (ret && !opts.force)
				break;
		}
		globfree(&g);
	}
	cur_file = file;
	cur_line = line;
	return ret;
}

/* the files being read, outermost first, to catch include loops */
static char *reading[MAX_DEPTH + 2];

static int read_file(struct sc_conf *c, const char *path, int depth)
{
	static char *words[MAX_WORDS];
	char real[PATH_MAX], *name, *line = NULL;
	int lineno = 0, ret = 0, r, argc, i;
	const char *outer_file = cur_file;
	int outer_line = cur_line;
	size_t cap = 0;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		err_msg("cannot open \"%s\": %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	if (f != stdin && realpath(path, real)) {
		for (i = 0; i < depth; i++) {
			if (reading[i] && !strcmp(reading[i], real)) {
				err_msg("include loop: \"%s\" includes itself",
					path);
				fclose(f);
				return EXIT_USAGE;
			}
		}
		reading[depth] = xstrdup(real);
	}
	/* file names live as long as the configuration: lines point to them */
	name = xstrdup(path);
	c->files = grow(c->files, c->nfiles, sizeof(*c->files));
	c->files[c->nfiles++] = name;
	cur_file = name;
	while (getline(&line, &cap, f) >= 0) {
		cur_line = ++lineno;
		argc = split_line(line, words, MAX_WORDS);
		if (argc < 0)
			r = EXIT_USAGE;
		else if (!argc)
			continue;
		else if (!strcmp(words[0], "phyint"))
			r = parse_phyint(c, argc, words);
		else if (!strcmp(words[0], "mroute"))
			r = parse_rule(c, argc, words, true);
		else if (!strcmp(words[0], "mgroup") ||
			 !strcmp(words[0], "ssmgroup"))
			r = parse_rule(c, argc, words, false);
		else if (!strcmp(words[0], "include"))
			r = parse_include(c, argc, words, depth);
		else
			r = conf_err("unknown directive \"%s\"", words[0]);
		if (r) {
			ret = worse(ret, r);
			c->errors++;
			if (!opts.force && !c->keep_going)
				break;
		}
	}
	if (ferror(f)) {
		cur_line = 0;
		err_msg("reading \"%s\": %s", path, strerror(errno));
		ret = worse(ret, EXIT_FAIL);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	free(reading[depth]);
	reading[depth] = NULL;
	cur_file = outer_file;
	cur_line = outer_line;
	return ret;
}

int sc_conf_read(const char *path, struct sc_conf *c)
{
	return read_file(c, path, 0);
}

static void free_rules(struct sc_rule *r, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		free(r[i].iif);
		for (j = 0; j < r[i].noifs; j++)
			free(r[i].oifs[j]);
		free(r[i].oifs);
	}
	free(r);
}

void sc_conf_free(struct sc_conf *c)
{
	int i;

	for (i = 0; i < c->nphyint; i++)
		free(c->phyints[i].name);
	free(c->phyints);
	free_rules(c->mroutes, c->nmroute);
	free_rules(c->mgroups, c->nmgroup);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	memset(c, 0, sizeof(*c));
}

const struct sc_phyint *sc_phyint_find(const struct sc_conf *c,
				       const char *name)
{
	int i;

	for (i = 0; i < c->nphyint; i++) {
		if (!strcmp(c->phyints[i].name, name))
			return &c->phyints[i];
	}
	return NULL;
}

/* an interface an mroute uses becomes a VIF (for "mfwdctl -f") */
struct used_if {
	const char *name;
	const char *file; /* of the first mroute that uses it */
	int line;
};

static int use_if(struct sc_conf *c, const char *name, struct used_if **used,
		  int *n)
{
	const struct sc_phyint *p = sc_phyint_find(c, name);
	int i;

	if (p && !p->enable) {
		err_msg("interface \"%s\" is disabled but used by an mroute",
			name);
		return EXIT_USAGE;
	}
	if (p)
		return 0;
	for (i = 0; i < *n; i++) {
		if (!strcmp((*used)[i].name, name))
			return 0;
	}
	*used = grow(*used, *n, sizeof(**used));
	(*used)[*n].name = name;
	(*used)[*n].file = cur_file;
	(*used)[*n].line = cur_line;
	(*n)++;
	return 0;
}

int do_conf_file(const char *file)
{
	struct sc_conf c = { 0 };
	struct used_if *used = NULL;
	int nused = 0, ret, r, i, j;
	char thr[8];

	ret = sc_conf_read(file, &c);
	if (ret && !opts.force)
		goto out;

	/* what only the daemon can do */
	for (i = 0; i < c.nmgroup; i++) {
		cur_file = c.mgroups[i].file;
		cur_line = c.mgroups[i].line;
		warn_msg(
			"mgroup ignored: joining a group needs mfwd-smcrouted, which holds it");
	}
	for (i = 0; i < c.nmroute; i++) {
		struct sc_rule *m = &c.mroutes[i];

		cur_file = m->file;
		cur_line = m->line;
		r = 0;
		r = use_if(&c, m->iif, &used, &nused);
		for (j = 0; !r && j < m->noifs; j++)
			r = use_if(&c, m->oifs[j], &used, &nused);
		if (r) {
			ret = worse(ret, r);
			if (!opts.force)
				goto out;
		}
	}

	/* VIFs (existing ones are fine), then routes */
	nl_batch_begin();
	nl_ignore_errno = EEXIST;
	for (i = 0; i < c.nphyint + nused; i++) {
		char *argv[6] = { "vif", "add", "dev" };
		int n = 4;

		if (i < c.nphyint) {
			struct sc_phyint *p = &c.phyints[i];

			if (!p->enable)
				continue;
			cur_file = p->file;
			cur_line = p->line;
			argv[3] = p->name;
			if (p->threshold) {
				snprintf(thr, sizeof(thr), "%d", p->threshold);
				argv[n++] = "ttl-threshold";
				argv[n++] = thr;
			}
		} else {
			argv[3] = (char *)used[i - c.nphyint].name;
			cur_file = used[i - c.nphyint].file;
			cur_line = used[i - c.nphyint].line;
		}
		r = run_command(n, argv);
		if (r) {
			ret = worse(ret, r);
			if (!opts.force)
				goto out;
		}
	}
	nl_ignore_errno = 0;
	for (i = 0; i < c.nmroute; i++) {
		struct sc_rule *m = &c.mroutes[i];
		char src[PREFIX_BUF], grp[PREFIX_BUF];
		char **argv;
		int n = 0;

		argv = calloc(8 + 2 * m->noifs, sizeof(*argv));
		if (!argv) {
			err_msg("out of memory");
			ret = EXIT_FAIL;
			goto out;
		}
		cur_file = m->file;
		cur_line = m->line;
		argv[n++] = "route";
		argv[n++] = "replace";
		argv[n++] = "group";
		/* a prefix is a kernel prefix route */
		argv[n++] = (char *)prefix_str(
			&m->grp, m->glen < addr_bits(&m->grp) ? m->glen : -1,
			grp);
		if (!addr_is_any(&m->src)) {
			argv[n++] = "source";
			argv[n++] = (char *)prefix_str(
				&m->src,
				m->slen < addr_bits(&m->src) ? m->slen : -1,
				src);
		}
		argv[n++] = "iif";
		argv[n++] = m->iif;
		for (j = 0; j < m->noifs; j++) {
			argv[n++] = "oif";
			argv[n++] = m->oifs[j];
		}
		r = run_command(n, argv);
		free(argv);
		if (r) {
			ret = worse(ret, r);
			if (!opts.force)
				goto out;
		}
	}
out:
	nl_ignore_errno = 0;
	ret = worse(ret, nl_batch_flush());
	cur_file = NULL;
	cur_line = 0;
	free(used);
	sc_conf_free(&c);
	return ret;
}
