// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - IPv4 and IPv6 addresses: parsing, checks, prefixes, printing.
 *
 * A struct inet_addr holds either family. An "any" source (of a (*,G)
 * route) is all zeros; its family is that of the group it goes with
 * (addr_set_family()), or 0 when no group is known yet.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "mfwdctl.h"

/* an IPv4 or IPv6 address, without a prefix length; 0 or -1 */
int addr_parse(const char *s, struct inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -1;
}

/* bytes of the address: 4 or 16 */
size_t addr_size(const struct inet_addr *a)
{
	return a->family == AF_INET6 ? sizeof(a->v6) : sizeof(a->v4);
}

/* bits of the address: 32 or 128 */
int addr_bits(const struct inet_addr *a)
{
	return addr_size(a) * 8;
}

bool addr_is_any(const struct inet_addr *a)
{
	static const struct in6_addr zero;

	return !memcmp(a->b, &zero, addr_size(a));
}

bool addr_is_multicast(const struct inet_addr *a)
{
	if (a->family == AF_INET6)
		return a->v6.s6_addr[0] == 0xff;
	return (ntohl(a->v4.s_addr) & 0xf0000000) == 0xe0000000;
}

/* groups of at most link-local scope, which are never forwarded */
static bool addr_is_local_group(const struct inet_addr *a)
{
	if (a->family == AF_INET6)
		return (a->v6.s6_addr[1] & 0x0f) <= 2;
	return (ntohl(a->v4.s_addr) & 0xffffff00) == 0xe0000000;
}

/* give an "any" address the family of the address it goes with */
void addr_set_family(struct inet_addr *a, int family)
{
	if (!a->family && addr_is_any(a))
		a->family = family;
}

bool addr_eq(const struct inet_addr *a, const struct inet_addr *b)
{
	return a->family == b->family && !memcmp(a->b, b->b, addr_size(a));
}

/* clear the bits of @a beyond the first @len */
void addr_mask(struct inet_addr *a, int len)
{
	int i, n = addr_size(a);

	for (i = 0; i < n; i++, len -= 8) {
		if (len <= 0)
			a->b[i] = 0;
		else if (len < 8)
			a->b[i] &= 0xff << (8 - len);
	}
}

/* is @a in @net/@len (and of its family)? */
bool addr_in_prefix(const struct inet_addr *a, const struct inet_addr *net,
		    int len)
{
	struct inet_addr m = *a;

	if (a->family != net->family)
		return false;
	addr_mask(&m, len);
	return addr_eq(&m, net);
}

const char *family_name(int family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

/* the address as text, or "*" when it is "any" */
const char *addr_str(const struct inet_addr *a, char *buf)
{
	if (!addr_is_any(a))
		return addr_ntop(a, buf);
	snprintf(buf, ADDR_BUF, "*");
	return buf;
}

/* the address as text, "any" ones too ("0.0.0.0", "::") */
const char *addr_ntop(const struct inet_addr *a, char *buf)
{
	return inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->b, buf,
			 ADDR_BUF);
}

/*
 * A routable multicast group: IPv4 224.0.0.0/4 but not 224.0.0.0/24, or
 * IPv6 ff00::/8 of a scope wider than link-local.
 */
int parse_group(const char *s, struct inet_addr *a)
{
	bool v6;

	if (addr_parse(s, a)) {
		err_msg("invalid group address \"%s\"", s);
		return EXIT_USAGE;
	}
	v6 = a->family == AF_INET6;
	if (!addr_is_multicast(a)) {
		err_msg("\"%s\" is not a multicast group address (%s)", s,
			v6 ? "ff00::/8" : "224.0.0.0/4");
		return EXIT_USAGE;
	}
	if (addr_is_local_group(a)) {
		err_msg("group \"%s\" is link-local (%s) and is never forwarded",
			s, v6 ? "scope ffX0::-ffX2::" : "224.0.0.0/24");
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * A unicast source, or "*", "any", 0.0.0.0, :: for any source (all zeros;
 * "*" and "any" of family 0: see addr_set_family()).
 */
int parse_source(const char *s, struct inet_addr *a)
{
	if (!strcmp(s, "*") || !strcmp(s, "any")) {
		memset(a, 0, sizeof(*a));
		return 0;
	}
	if (addr_parse(s, a)) {
		err_msg("invalid source address \"%s\"", s);
		return EXIT_USAGE;
	}
	if (addr_is_multicast(a) ||
	    (a->family == AF_INET && ntohl(a->v4.s_addr) >= 0xf0000000)) {
		err_msg("source \"%s\" is not a unicast address", s);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * Source @src and group @grp of one route: the same family (an "any"
 * source takes the group's). Reports a mix itself; EXIT_USAGE then.
 */
int addr_pair_check(struct inet_addr *src, const struct inet_addr *grp)
{
	addr_set_family(src, grp->family);
	if (src->family == grp->family)
		return 0;
	err_msg("source and group are of different address families (%s, %s)",
		family_name(src->family), family_name(grp->family));
	return EXIT_USAGE;
}

/*
 * "ADDRESS/LEN" or "ADDRESS" of a route's group (@group) or source: the
 * address as parse_group() or parse_source() take it, and LEN (-1 when
 * not given). A group prefix must lie in ff00::/8 or 224.0.0.0/4; bits
 * set beyond LEN are left for the kernel to refuse.
 */
int parse_prefix(const char *s, bool group, struct inet_addr *a, int *len)
{
	char buf[ADDR_BUF + 8];
	const char *what = group ? "group" : "source";
	char *slash;
	uint32_t l;

	*len = -1;
	if (!strchr(s, '/'))
		return group ? parse_group(s, a) : parse_source(s, a);
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	*slash = 0;
	if (addr_parse(buf, a)) {
		err_msg("invalid %s prefix \"%s\"", what, s);
		return EXIT_USAGE;
	}
	if (parse_u32(slash + 1, addr_bits(a), &l)) {
		err_msg("invalid prefix length in \"%s\" (0-%d)", s,
			addr_bits(a));
		return EXIT_USAGE;
	}
	if (group != addr_is_multicast(a)) {
		err_msg(group ? "\"%s\" is not a multicast group prefix" :
				"source \"%s\" is not a unicast prefix",
			s);
		return EXIT_USAGE;
	}
	*len = l;
	return 0;
}

/* an address, with "/LEN" when @len is not -1 ("*" for any source) */
const char *prefix_str(const struct inet_addr *a, int len, char *buf)
{
	char addr[ADDR_BUF];

	if (len < 0)
		snprintf(buf, PREFIX_BUF, "%s", addr_str(a, addr));
	else
		snprintf(buf, PREFIX_BUF, "%s/%d", addr_ntop(a, addr), len);
	return buf;
}

static const struct keyword families[] = {
	{ "inet", AF_INET },   { "ipv4", AF_INET },  { "4", AF_INET },
	{ "inet6", AF_INET6 }, { "ipv6", AF_INET6 }, { "6", AF_INET6 },
};

/* "family inet|inet6" of object @obj; EXIT_USAGE if unknown */
int parse_family(const char *obj, const char *s, int *family)
{
	int f = match_keyword(s, families, ARRAY_SIZE(families));

	if (f < 0)
		return keyword_err(obj, "family", s, families,
				   ARRAY_SIZE(families), f);
	if (opts.family && opts.family != f)
		return usage_err(obj, "family %s contradicts -%c", s,
				 opts.family == AF_INET6 ? '6' : '4');
	*family = f;
	return 0;
}
