// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - helpers: messages, keyword matching, interfaces, numbers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mfwdctl.h"

void (*msg_hook)(bool error, const char *msg);

static void vmsg(bool error, const char *fmt, va_list ap)
{
	char where[PATH_MAX + 32] = "";
	char text[1024];

	/* in batch mode, first the errors of the lines queued before */
	if (cur_line)
		nl_batch_flush();
	if (cur_file && cur_line)
		snprintf(where, sizeof(where), "%s:%d: ", cur_file, cur_line);
	else if (cur_line)
		snprintf(where, sizeof(where), "line %d: ", cur_line);
	vsnprintf(text, sizeof(text), fmt, ap);
	if (msg_hook) {
		char buf[sizeof(where) + sizeof(text)];

		snprintf(buf, sizeof(buf), "%s%s", where, text);
		msg_hook(error, buf);
		return;
	}
	fflush(stdout);
	if (*where)
		fprintf(stderr, "%s in %s%s\n", error ? "Error" : "Warning",
			where, text);
	else
		fprintf(stderr, "%s: %s\n", error ? "Error" : "Warning", text);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(true, fmt, ap);
	va_end(ap);
}

void warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(false, fmt, ap);
	va_end(ap);
}

/*
 * Report a usage error about object @obj and return EXIT_USAGE. Outside
 * batch mode, a hint about the object's help follows.
 */
int usage_err(const char *obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(true, fmt, ap);
	va_end(ap);
	if (!cur_line && !msg_hook)
		fprintf(stderr, "Try \"mfwdctl %s%shelp\".\n", obj ? obj : "",
			obj ? " " : "");
	return EXIT_USAGE;
}

/*
 * Find @arg in @kw (n entries) as an exact word or a prefix. Several words
 * may share an id (aliases); a prefix is ambiguous only if the words it
 * matches have different ids. Returns the id, KW_NONE or KW_AMBIGUOUS.
 */
int match_keyword(const char *arg, const struct keyword *kw, int n)
{
	size_t len = strlen(arg);
	int found = KW_NONE;
	int i;

	if (!len)
		return KW_NONE;
	for (i = 0; i < n; i++) {
		if (!strcmp(arg, kw[i].word))
			return kw[i].id;
	}
	for (i = 0; i < n; i++) {
		if (strncmp(arg, kw[i].word, len))
			continue;
		if (found != KW_NONE && found != kw[i].id)
			return KW_AMBIGUOUS;
		found = kw[i].id;
	}
	return found;
}

/* the words @arg is a prefix of, for an "ambiguous" message */
const char *keyword_candidates(const char *arg, const struct keyword *kw, int n)
{
	static char buf[256];
	size_t len = strlen(arg), pos = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < n && pos < sizeof(buf); i++) {
		if (strncmp(arg, kw[i].word, len))
			continue;
		pos += snprintf(buf + pos, sizeof(buf) - pos, "%s%s",
				pos ? ", " : "", kw[i].word);
	}
	return buf;
}

/* report an unknown or ambiguous keyword; returns EXIT_USAGE */
int keyword_err(const char *obj, const char *what, const char *arg,
		const struct keyword *kw, int n, int res)
{
	if (res == KW_AMBIGUOUS)
		return usage_err(obj, "ambiguous %s \"%s\" (%s)", what, arg,
				 keyword_candidates(arg, kw, n));
	return usage_err(obj, "unknown %s \"%s\"", what, arg);
}

/* name <-> index cache: batch files name the same devices over and over */
struct ifcache {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
};

#define IFCACHE_SIZE 256
static struct ifcache ifcache[IFCACHE_SIZE];
static int ifcache_n;
bool ifcache_off;

static void ifcache_add(uint32_t ifindex, const char *name)
{
	struct ifcache *c;

	if (ifcache_n < IFCACHE_SIZE)
		c = &ifcache[ifcache_n++];
	else
		c = &ifcache[ifindex % IFCACHE_SIZE];
	c->ifindex = ifindex;
	snprintf(c->name, sizeof(c->name), "%s", name);
}

/*
 * Resolve an interface name; "if<N>" names a device by index when no device
 * of that name exists. Returns 0, or -1 if there is no such device.
 */
int ifname_to_index(const char *name, uint32_t *ifindex)
{
	unsigned int idx;
	char *end;
	int i;

	for (i = 0; !ifcache_off && i < ifcache_n; i++) {
		if (!strcmp(ifcache[i].name, name)) {
			*ifindex = ifcache[i].ifindex;
			return 0;
		}
	}
	if (strlen(name) >= IF_NAMESIZE && strncmp(name, "if", 2))
		return -1;
	idx = if_nametoindex(name);
	if (idx) {
		ifcache_add(idx, name);
		*ifindex = idx;
		return 0;
	}
	if (!strncmp(name, "if", 2) && name[2] >= '1' && name[2] <= '9') {
		errno = 0;
		unsigned long v = strtoul(name + 2, &end, 10);

		if (!*end && !errno && v <= UINT32_MAX) {
			*ifindex = v;
			return 0;
		}
	}
	return -1;
}

/* name of @ifindex, or "if<N>" if the device is gone */
const char *ifindex_name(uint32_t ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE];
	int i;

	for (i = 0; !ifcache_off && i < ifcache_n; i++) {
		if (ifcache[i].ifindex == ifindex) {
			snprintf(buf, len, "%s", ifcache[i].name);
			return buf;
		}
	}
	if (ifindex && if_indextoname(ifindex, name)) {
		ifcache_add(ifindex, name);
		snprintf(buf, len, "%s", name);
	} else {
		snprintf(buf, len, "if%u", ifindex);
	}
	return buf;
}

/* resolve a device argument; reports the error itself */
int dev_arg(const char *name, uint32_t *ifindex)
{
	if (ifname_to_index(name, ifindex)) {
		err_msg("cannot find device \"%s\"", name);
		return EXIT_FAIL;
	}
	return 0;
}

/* decimal (or 0x hex) unsigned 64-bit number */
int parse_u64(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*val = v;
	return 0;
}

/* decimal (or 0x hex) unsigned number no larger than @max */
int parse_u32(const char *s, uint32_t max, uint32_t *val)
{
	uint64_t v;

	if (parse_u64(s, &v) || v > max)
		return -1;
	*val = v;
	return 0;
}

/*
 * A duration: a decimal number and a unit, "ms", "s", "m" or "h" ("250ms",
 * "1.5s", "2m", "1h"); without a unit, seconds. Fractions are allowed
 * with s, m and h (and without a unit) and must come to whole
 * milliseconds. Returns 0 with the milliseconds in *@ms if they are in
 * @min..@max, else -1.
 */
int parse_duration_ms(const char *s, uint32_t min, uint32_t max, uint32_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = {
		{ "ms", 1 },	{ "s", 1000 },	  { "", 1000 },
		{ "m", 60000 }, { "h", 3600000 },
	};
	uint64_t whole = 0, frac = 0, pow10 = 1, mult = 0, v;
	const char *p = s;
	unsigned int i;
	int nfrac = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > UINT32_MAX) /* far beyond any range; no overflow */
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			/* a finer fraction is not whole milliseconds */
			if (nfrac == 9 && *p != '0')
				return -1;
			if (nfrac < 9) {
				frac = frac * 10 + (*p - '0');
				pow10 *= 10;
				nfrac++;
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(p, units[i].unit)) {
			mult = units[i].ms;
			break;
		}
	}
	/* no fractions of milliseconds */
	if (!mult || (nfrac && mult == 1) || frac * mult % pow10)
		return -1;
	v = whole * mult + frac * mult / pow10;
	if (v < min || v > max)
		return -1;
	*ms = v;
	return 0;
}

/* a duration as parse_duration_ms() takes it: "5s" for whole seconds, else
 * "1500ms"
 */
const char *duration_str(uint64_t ms, char *buf, size_t len)
{
	if (ms % 1000)
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	else
		snprintf(buf, len, "%llus", (unsigned long long)(ms / 1000));
	return buf;
}

/* a table id: any u32 */
int parse_table(const char *obj, const char *s, uint32_t *id)
{
	if (parse_u32(s, UINT32_MAX, id))
		return usage_err(obj, "invalid table \"%s\" (0-4294967295)", s);
	return 0;
}

/* a command's table before its arguments: that of -t, if given */
void table_init(struct table_arg *t)
{
	t->given = false;
	t->set = opts.has_table;
	t->id = opts.table;
}

/* "table ID" of a command, which overrides -t */
int table_arg(const char *obj, const char *val, struct table_arg *t)
{
	if (t->given)
		return usage_err(obj, "table given twice");
	if (parse_table(obj, val, &t->id))
		return EXIT_USAGE;
	t->given = t->set = true;
	return 0;
}

/* "table ID" at argv[*i] of a command that parses its own words: the value
 * is the next word, after which *i is left
 */
int table_word(const char *obj, int argc, char **argv, int *i,
	       struct table_arg *t)
{
	if (++*i >= argc)
		return usage_err(obj, "missing value after \"%s\"",
				 argv[*i - 1]);
	return table_arg(obj, argv[*i], t) ? EXIT_USAGE : 0;
}

void print_idle(uint64_t ms, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%llus", (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000 / 100));
}
