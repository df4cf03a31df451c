// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz - a fuzzer for the mfwd generic-netlink family
 * (selftests/70-nl-fuzz.sh).
 *
 *   python3 fuzz_model.py -o DIR/fuzz_model.h
 *   cc -O2 -Wall -I DIR -I uapi -o nlfuzz nlfuzz.c
 *   nlfuzz [-s SEED] [-n MESSAGES | -d SECONDS] [-p PROCS] [-N NS,NS,...] [-k]
 *   nlfuzz -c            (consistency check of the current netns)
 *
 * The input model (commands, the attributes of their do and dump requests,
 * types, lengths, ranges, nests, multi-attrs, the address family of address
 * attributes: display-hint ipv4 / ipv6) and the errnos a reply may carry
 * come from fuzz_model.h, which fuzz_model.py generates from the YNL spec,
 * Documentation/mfwd.rst and uapi/linux/mfwd.h.
 *
 * Each request is about one address family, IPv4 or IPv6: valid requests
 * carry only that family's address attributes (the other family's are
 * left out) and a "family" attribute that agrees (AF_INET / AF_INET6);
 * boundary requests mostly do too, with odd addresses (scopes ffX0::,
 * ffX1::, ffX2::, non-multicast groups, multicast, link-local, loopback
 * and :: sources) and odd families; invalid ones mix the families' address
 * attributes, send addresses of the wrong length and any family value.
 *
 * PROCS worker processes (fork) send MESSAGES requests in all (or for
 * SECONDS), worker i in netns NS[i % n] (/run/netns/NS; "-" or no -N: the
 * current one): random commands, valid, boundary and invalid values, wrong
 * types and lengths, nests in nests, duplicated and unknown attributes, OIF
 * lists up to 2000, random nlmsg flags and genl header fields, short and
 * truncated messages, dumps abandoned after 0 or 1 parts (socket closed, or
 * left unread), and now and then a few requests from a fresh netns (unshare)
 * that is destroyed with its state. Worker i uses seed SEED + i.
 *
 * Checked for every request: the reply is an ACK / a reply, or an error
 * whose errno is documented (the errno table or mfwd.h: "doc"; an errno
 * mfwd.rst names only in prose is accepted and counted apart); every error
 * carries an extack message (NLMSGERR_ATTR_MSG), except those the genetlink
 * core gives before the family sees the request (a header too short for a
 * genlmsghdr, a command the family does not have for a do or a dump),
 * ENOMEM, and an EINVAL for a missing required attribute, which carries
 * NLMSGERR_ATTR_MISS_TYPE instead (counted apart); a reply comes within 60 s. A violation prints the request (hex)
 * and the reply and makes the exit status 1; the worker stops there, unless
 * -k (keep going: count them all, show the first 5 per worker).
 *
 * -c: dumps the VIFs and the routes of the current netns and reads
 * CONFIG_GET; every route has IIFs (with PER_IIF exactly one) or IIF_ANY,
 * its IIFs and OIFs must be VIFs of the dump, every route carries FAMILY
 * (AF_INET or AF_INET6), GROUP (AF_INET) or GROUP6 (AF_INET6) and no
 * address of the other family, no route key (table, family, addresses,
 * prefix lengths, a per-input route's IIF) is there twice, the counts equal
 * CONFIG_GET's vif-count and route-count. Retried
 * (interrupted dumps, VIF removals that finish asynchronously) for up to
 * 10 s; exit 1 if it never holds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/mfwd.h>

enum fz_type {
	FZ_PAD, FZ_FLAG, FZ_U8, FZ_U16, FZ_U32, FZ_U64, FZ_STRING, FZ_BINARY,
	FZ_NEST,
};

struct fz_attr {
	const char *name;
	int type;
	int len;
	int be;
	int has_min;
	long long min;
	int has_max;
	unsigned long long max;
	int has_mask;
	unsigned int mask;
	int nest;
	int multi;
	int fam;	/* 4 or 6: an address of that family (display-hint) */
};

struct fz_set {
	const char *name;
	const struct fz_attr *attrs;
	int max;
};

struct fz_cmd {
	const char *name;
	int value;
	int set;
	int admin;
	int has_do;
	int n_do;
	unsigned char do_attrs[24];	/* MAX_REQ_ATTRS of fuzz_model.py */
	int has_dump;
	int n_dump;
	unsigned char dump_attrs[16];
};

struct fz_errno {
	int err;
	const char *name;
};

#include "fuzz_model.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BUF_SIZE	(128 * 1024)
#define RCV_SIZE	(64 * 1024)
#define MAX_POOL	64
#define MAX_WORKERS	64
#define REPLY_TIMEOUT	60

struct counts {
	unsigned long sent, ok, errors, replies, dumps, dump_parts, dump_intr;
	unsigned long abandoned, unread, hops, enobufs, noext_core, prose;
	unsigned long miss_only;
	unsigned long added4, added6;	/* ROUTE_ADD that succeeded */
	unsigned long err[256];
	unsigned long violation;
};

static int keep_going;

static struct counts *shared;
static struct counts *cnt;

/* ---- PRNG: xorshift64* ---- */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(rnd64() >> 32) % n : 0;
}

static int chance(int percent)
{
	return rnd(1000) < (uint32_t)percent * 10;
}

/* ---- what the fuzzer knows of the netns ---- */
static uint32_t ifpool[MAX_POOL];
static int n_ifpool;
static uint32_t ifmax;

static void refresh_ifpool(void)
{
	struct if_nameindex *ni = if_nameindex(), *p;

	n_ifpool = 0;
	ifmax = 1;
	if (!ni)
		return;
	for (p = ni; p->if_index && n_ifpool < MAX_POOL; p++) {
		ifpool[n_ifpool++] = p->if_index;
		if (p->if_index > ifmax)
			ifmax = p->if_index;
	}
	if_freenameindex(ni);
}

static uint32_t pick_ifindex(void)
{
	if (n_ifpool && !chance(10))
		return ifpool[rnd(n_ifpool)];
	return 1 + rnd(ifmax + 5);
}

static uint32_t pick_group(void)
{
	static const uint32_t odd[] = {
		0xe0000001, 0xe00000fb, 0xe0000100, 0xefffffff, 0x0a000001,
		0xffffffff, 0, 0xdfffffff, 0xf0000000,
	};

	if (chance(90))
		return htonl(0xef010000 + rnd(16));	/* 239.1.0.0/28 */
	return htonl(odd[rnd(ARRAY_SIZE(odd))]);
}

static uint32_t pick_source(void)
{
	static const uint32_t odd[] = {
		0xe0000001, 0xffffffff, 0x7f000001, 0xefffffff,
	};

	if (chance(40))
		return 0;
	if (chance(90))
		return htonl(0x0a000002 + rnd(4));	/* 10.0.0.2-5 */
	return htonl(odd[rnd(ARRAY_SIZE(odd))]);
}

/* IPv6 addresses, as the 16 bytes of a struct in6_addr */
static void pick_group6(unsigned char *a)
{
	static const unsigned char odd[][16] = {
		{ 0xff, 0x02, [15] = 1 },		/* link-local scope */
		{ 0xff, 0x01, [15] = 1 },		/* interface-local */
		{ 0xff, 0x00, [15] = 1 },		/* reserved scope 0 */
		{ 0xff, 0x12, [15] = 1 },		/* transient, link */
		{ 0xff, 0x32, [15] = 1 },		/* SSM, link scope */
		{ 0xff, 0x03, [15] = 1 },		/* smallest routable */
		{ 0xff, 0x0f, [15] = 1 },		/* reserved scope 15 */
		{ 0xff, 0x3e, [15] = 1 },		/* SSM, global */
		{ 0xfe, 0x80, [15] = 1 },		/* not multicast */
		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		{ [15] = 1 },				/* ::1 */
		{ 0 },					/* :: */
		{ [10] = 0xff, [11] = 0xff, 0xef, 1, 0, 1 },	/* ::ffff:239.1.0.1 */
		{ 0xff, 0x0e },				/* ff0e:: */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};

	if (chance(90)) {
		/* ff0e::1:0-15 and ff05::1:0-15 */
		memset(a, 0, 16);
		a[0] = 0xff;
		a[1] = chance(70) ? 0x0e : 0x05;
		a[13] = 1;
		a[15] = rnd(16);
		return;
	}
	memcpy(a, odd[rnd(ARRAY_SIZE(odd))], 16);
}

static void pick_source6(unsigned char *a)
{
	static const unsigned char odd[][16] = {
		{ 0xfe, 0x80, [15] = 2 },		/* link-local */
		{ [15] = 1 },				/* ::1 */
		{ 0xff, 0x0e, [15] = 1 },		/* multicast */
		{ 0xff, 0x02, [15] = 1 },
		{ [10] = 0xff, [11] = 0xff, 10, 0, 0, 2 },	/* ::ffff:10.0.0.2 */
		{ 0xfc, 0x00, [15] = 2 },		/* unique local */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};

	memset(a, 0, 16);
	if (chance(40))
		return;					/* :: */
	if (chance(90)) {
		/* 2001:db8::2-5 */
		a[0] = 0x20;
		a[1] = 0x01;
		a[2] = 0x0d;
		a[3] = 0xb8;
		a[15] = 2 + rnd(4);
		return;
	}
	memcpy(a, odd[rnd(ARRAY_SIZE(odd))], 16);
}

/*
 * The address family of the request being built: 4 or 6. Valid requests
 * carry only the address attributes of this family, and a "family"
 * attribute that names it.
 */
static int msg_fam = 4;

static unsigned char pick_family(int mode)
{
	static const unsigned char odd[] = {
		0, 1, AF_INET, AF_INET6, 3, 9, 11, 0x7f, 0x80, 0xff,
		AF_UNSPEC, AF_PACKET, AF_NETLINK,
	};

	if (mode == 2 && chance(50))
		return rnd(256);
	if (mode >= 1 && chance(30))
		return odd[rnd(ARRAY_SIZE(odd))];
	if (mode >= 1 && chance(5))	/* the other family */
		return msg_fam == 6 ? AF_INET : AF_INET6;
	return msg_fam == 6 ? AF_INET6 : AF_INET;
}

/* ---- message building ---- */
struct msg {
	unsigned char *buf;
	size_t len;
	int core_noext;	/* the core refuses it before the family sees it */
};

static unsigned char sbuf[BUF_SIZE];
static unsigned char rbuf[RCV_SIZE];

static struct nlattr *put(struct msg *m, int type, const void *data, int len)
{
	struct nlattr *a;

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > BUF_SIZE - 64)
		return NULL;
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(a + 1, data, len);
	memset((unsigned char *)(a + 1) + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	return a;
}

static size_t nest_start(struct msg *m, int type)
{
	size_t at = m->len;

	if (!put(m, type | (chance(50) ? NLA_F_NESTED : 0), NULL, 0))
		return (size_t)-1;
	return at;
}

static void nest_end(struct msg *m, size_t at)
{
	if (at != (size_t)-1)
		((struct nlattr *)(m->buf + at))->nla_len = m->len - at;
}

static void put_random_bytes(struct msg *m, int type, int len)
{
	unsigned char b[64];
	int i;

	for (i = 0; i < len && i < (int)sizeof(b); i++)
		b[i] = rnd(256);
	put(m, type, b, len < (int)sizeof(b) ? len : (int)sizeof(b));
}

static void gen_set(struct msg *m, int set, int mode, int depth);

/* random garbage nests: nests in nests, random types and lengths */
static void gen_junk(struct msg *m, int depth)
{
	int n = rnd(4), i;

	while (n--) {
		int type = rnd(40);

		if (depth < 10 && chance(40)) {
			size_t at = nest_start(m, type);

			gen_junk(m, depth + 1);
			nest_end(m, at);
		} else {
			i = rnd(10);
			put_random_bytes(m, type, i == 9 ? 16 : i);
		}
	}
}

static unsigned long long in_range(const struct fz_attr *a)
{
	unsigned long long lo = a->has_min ? a->min : 0;
	unsigned long long hi = a->has_max ? a->max : lo + 300;

	return lo + rnd64() % (hi - lo + 1);
}

static unsigned long long boundary(const struct fz_attr *a)
{
	unsigned long long tmax = a->len == 1 ? 0xff : a->len == 2 ? 0xffff :
				  a->len == 4 ? 0xffffffffULL : ~0ULL;

	switch (rnd(9)) {
	case 0:
		return a->has_min ? (unsigned long long)a->min : 0;
	case 1:
		return a->has_min ? (unsigned long long)a->min - 1 : 0;
	case 2:
		return a->has_max ? a->max : tmax;
	case 3:
		return a->has_max ? a->max + 1 : tmax;
	case 4:
		return 0;
	case 5:
		return 1;
	case 6:
		return tmax;
	case 7:
		return a->has_mask ? a->mask : 1ULL << rnd(a->len * 8);
	default:
		return a->has_mask ? ~(unsigned long long)a->mask :
			tmax >> 1;
	}
}

static void gen_nest(struct msg *m, const struct fz_attr *a, int type,
		     int mode, int depth)
{
	size_t at = nest_start(m, type);

	if (a->nest >= 0 && depth < 10)
		gen_set(m, a->nest, mode, depth + 1);
	if (mode == 2 && chance(30))
		gen_junk(m, depth + 1);
	nest_end(m, at);
}

/* one attribute of set SET, type TYPE; mode 0 valid, 1 boundary, 2 invalid */
static void gen_attr(struct msg *m, int set, int type, int mode, int depth)
{
	const struct fz_attr *a = &fz_sets[set].attrs[type];
	unsigned long long v = 0;
	int wire = type;
	unsigned char b[8];
	int i;

	if (mode == 2 && chance(3))
		wire |= NLA_F_NET_BYTEORDER;
	if (mode == 2 && chance(15)) {		/* wrong length */
		i = rnd(10);
		put_random_bytes(m, wire, i == 9 ? 16 : i);
		return;
	}
	if (mode == 2 && a->type != FZ_NEST && chance(8)) {	/* wrong type */
		size_t at = nest_start(m, type);

		gen_junk(m, depth + 1);
		nest_end(m, at);
		return;
	}
	switch (a->type) {
	case FZ_PAD:
	case FZ_FLAG:
		if (mode == 2 && chance(50))
			put_random_bytes(m, wire, 1 + rnd(8));
		else
			put(m, wire, NULL, 0);
		return;
	case FZ_BINARY:
		if (a->fam == 6 && a->len == 16) {
			/* an IPv6 address: mostly well-formed, odd ones in
			 * boundary mode, wrong lengths when invalid */
			unsigned char a6[16];
			static const int badlen[] = { 15, 17, 4, 0, 32, 8 };

			if (strstr(a->name, "group"))
				pick_group6(a6);
			else
				pick_source6(a6);
			if (mode == 2 && chance(30)) {
				put_random_bytes(m, wire,
						 badlen[rnd(ARRAY_SIZE(badlen))]);
				return;
			}
			if (mode >= 1 && chance(10))
				memset(a6, rnd(2) ? 0xff : 0, 16);
			put(m, wire, a6, 16);
			return;
		}
		if (a->len) {		/* exact length: right, or off by one */
			i = a->len + (mode == 2 && chance(50) ?
				      (rnd(2) ? 1 : -1) : 0);
			put_random_bytes(m, wire, i);
			return;
		}
		put_random_bytes(m, wire, rnd(40));
		return;
	case FZ_STRING:
		put_random_bytes(m, wire, rnd(40));
		return;
	case FZ_NEST:
		gen_nest(m, a, type, mode, depth);
		return;
	default:
		break;
	}
	if (!strcmp(a->name, "ifindex") || !strcmp(a->name, "iif"))
		v = pick_ifindex();
	else if (!strcmp(a->name, "family")) {
		/* its own odd values: no boundary() on top */
		b[0] = pick_family(mode);
		put(m, wire, b, a->len);
		return;
	}
	else if (!strcmp(a->name, "group"))
		v = pick_group();
	else if (!strcmp(a->name, "source"))
		v = pick_source();
	else if (a->has_mask)
		v = rnd64() & a->mask;
	else if (a->has_min || a->has_max)
		v = in_range(a);
	else
		v = rnd(256);
	if (mode >= 1 && chance(mode == 1 ? 30 : 50))
		v = boundary(a);
	if (a->be && a->len == 4 && v > 0xffffffffULL)
		v = htonl((uint32_t)v);
	switch (a->len) {
	case 1:
		b[0] = v; break;
	case 2:
		*(uint16_t *)b = v; break;
	case 4:
		*(uint32_t *)b = v; break;
	default:
		memcpy(b, &v, 8); break;
	}
	put(m, wire, b, a->len);
}

/* the attributes of a nested set: each present with 80 % */
static void gen_set(struct msg *m, int set, int mode, int depth)
{
	int t;

	for (t = 1; t <= fz_sets[set].max; t++) {
		if (!fz_sets[set].attrs[t].name || !chance(80))
			continue;
		gen_attr(m, set, t, mode, depth);
		if (mode == 2 && chance(5))
			gen_attr(m, set, t, mode, depth);
	}
	if (mode == 2 && chance(10))
		put_random_bytes(m, fz_sets[set].max + 1 + rnd(3), 4);
}

static int set_attr(int set, const char *name)
{
	int t;

	for (t = 1; t <= fz_sets[set].max; t++)
		if (fz_sets[set].attrs[t].name &&
		    !strcmp(fz_sets[set].attrs[t].name, name))
			return t;
	return 0;
}

/* OIF nests: mostly a few, sometimes all the VIFs, sometimes ~1024 */
static void gen_oifs(struct msg *m, int set, int type, int mode)
{
	static const int huge[] = { 1023, 1024, 1025, 1100, 2000 };
	const struct fz_attr *a = &fz_sets[set].attrs[type];
	int n, i, start = rnd(MAX_POOL);

	if (chance(70))
		n = rnd(5);
	else if (chance(50))
		n = n_ifpool;
	else if (chance(70))
		n = huge[rnd(5)];
	else
		n = rnd(2001);
	for (i = 0; i < n; i++) {
		if (mode == 0 && a->nest >= 0 && n <= n_ifpool) {
			uint32_t ifi = ifpool[(start + i) % n_ifpool];
			size_t at = nest_start(m, type);
			unsigned char ttl = 1 + rnd(255);

			/* distinct pool ifindexes, a valid TTL now and then */
			put(m, set_attr(a->nest, "ifindex"), &ifi, 4);
			if (chance(30) && set_attr(a->nest, "ttl"))
				put(m, set_attr(a->nest, "ttl"), &ttl, 1);
			nest_end(m, at);
		} else {
			gen_attr(m, set, type, mode, 0);
		}
		if (m->len > BUF_SIZE - 256)
			break;
	}
}

static uint16_t family_id;

static const struct fz_cmd *find_cmd(int value)
{
	int i;

	for (i = 0; i < FZ_N_CMDS; i++)
		if (fz_cmds[i].value == value)
			return &fz_cmds[i];
	return NULL;
}

static void gen_msg(struct msg *m, uint32_t seq, int *is_dump)
{
	static const uint16_t fbits[] = {
		NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO,
		NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE,
		NLM_F_APPEND, 0x1000, 0x8000,
	};
	const struct fz_cmd *c = &fz_cmds[rnd(FZ_N_CMDS)];
	struct nlmsghdr *nlh = (struct nlmsghdr *)sbuf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	int mode = rnd(3), dump, i, n, cmd = c->value;
	const unsigned char *list;
	uint16_t flags;

	m->buf = sbuf;
	m->core_noext = 0;
	msg_fam = chance(50) ? 6 : 4;
	dump = c->has_dump && (!c->has_do || chance(40));
	flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	if (chance(10)) {
		flags = chance(50) ? flags : 0;
		n = rnd(4);
		for (i = 0; i < n; i++)
			flags ^= fbits[rnd(ARRAY_SIZE(fbits))];
	}
	if (chance(4))
		cmd = rnd(2) ? rnd(256) : rnd(FZ_MAX_CMD + 3);
	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	g->cmd = cmd;
	g->version = chance(3) ? rnd(256) : FZ_VERSION;
	g->reserved = chance(2) ? 1 + rnd(0xffff) : 0;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;

	*is_dump = (flags & NLM_F_REQUEST) &&
		   (flags & NLM_F_DUMP) == NLM_F_DUMP;
	/* what the core refuses without an extack message */
	c = find_cmd(cmd);
	if (!c || (*is_dump && !c->has_dump) || (!*is_dump && !c->has_do))
		m->core_noext = 1;

	if (chance(1)) {	/* too short for a genlmsghdr */
		m->len = NLMSG_HDRLEN + rnd(GENL_HDRLEN);
		m->core_noext = 1;
		goto out;
	}
	if (!c)
		c = &fz_cmds[rnd(FZ_N_CMDS)];
	list = *is_dump && c->has_dump ? c->dump_attrs : c->do_attrs;
	n = *is_dump && c->has_dump ? c->n_dump : c->n_do;
	for (i = 0; i < n; i++) {
		const struct fz_attr *a = &fz_sets[c->set].attrs[list[i]];

		/* the other family's addresses: only in invalid requests
		 * (and a few boundary ones), where they mix the two */
		if (a->fam && a->fam != msg_fam &&
		    (mode == 0 || (mode == 1 && !chance(5)) ||
		     (mode == 2 && !chance(40))))
			continue;
		if (a->multi) {
			gen_oifs(m, c->set, list[i], mode);
			continue;
		}
		if (!chance(mode == 0 ? 85 : 70))
			continue;
		gen_attr(m, c->set, list[i], mode, 0);
		if (mode == 2 && chance(8))	/* duplicated */
			gen_attr(m, c->set, list[i], mode, 0);
	}
	if (mode == 2) {
		n = rnd(3);
		for (i = 0; i < n; i++) {
			int t = rnd(fz_sets[c->set].max + 4);

			if (t >= 1 && t <= fz_sets[c->set].max && chance(70))
				gen_attr(m, c->set, t, mode, 0);
			else if (chance(50))
				gen_junk(m, 1);
			else
				put_random_bytes(m, t, rnd(12));
		}
		if (chance(5) && m->len > NLMSG_HDRLEN + GENL_HDRLEN) {
			/* the last attribute claims more than there is */
			m->len += rnd(4);
			((struct nlattr *)(sbuf + NLMSG_HDRLEN + GENL_HDRLEN))
				->nla_len += 4 + rnd(64);
		} else if (chance(3)) {
			m->len += 1 + rnd(3);	/* trailing bytes */
		}
	}
out:
	if (chance(1))	/* cut anywhere after the netlink header */
		m->len = NLMSG_HDRLEN + rnd(m->len - NLMSG_HDRLEN + 1);
	nlh->nlmsg_len = m->len;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		m->core_noext = 1;
}

/* ---- sockets ---- */
static int nl_open(void)
{
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT };
	int fd, one = 1, sz = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("nlfuzz: socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static uint16_t resolve_family(int fd)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} req = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *a;
	ssize_t len;
	int rem;

	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = 1;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	a = (struct nlattr *)req.attrs;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(FZ_FAMILY);
	memcpy(a + 1, FZ_FAMILY, sizeof(FZ_FAMILY));
	req.n.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return 0;
	len = recv(fd, rbuf, sizeof(rbuf), 0);
	nlh = (struct nlmsghdr *)rbuf;
	if (len < (ssize_t)NLMSG_HDRLEN || nlh->nlmsg_type == NLMSG_ERROR)
		return 0;
	a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)(a + 1);
		rem -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return 0;
}

/* ---- replies ---- */
static const char *errname(int e)
{
	static char b[24];
	int i;

	for (i = 0; i < FZ_N_ERRNOS_DOC; i++)
		if (fz_errnos_doc[i].err == e)
			return fz_errnos_doc[i].name;
	for (i = 0; fz_errnos_prose[i].name; i++)
		if (fz_errnos_prose[i].err == e)
			return fz_errnos_prose[i].name;
	snprintf(b, sizeof(b), "errno %d", e);
	return b;
}

static int errno_class(int e)	/* 2 doc, 1 prose, 0 undocumented */
{
	int i;

	for (i = 0; i < FZ_N_ERRNOS_DOC; i++)
		if (fz_errnos_doc[i].err == e)
			return 2;
	for (i = 0; fz_errnos_prose[i].name; i++)
		if (fz_errnos_prose[i].err == e)
			return 1;
	return 0;
}

static void hexdump(const char *what, const unsigned char *p, size_t len)
{
	size_t i;

	fprintf(stderr, "%s (%zu bytes):", what, len);
	for (i = 0; i < len && i < 4096; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n  ", p[i]);
	fprintf(stderr, "%s\n", len > 4096 ? "\n  ..." : "");
}

static int worker_id;
static unsigned long long worker_seed;

static void violation(const struct msg *m, const char *why,
		      const struct nlmsghdr *reply)
{
	if (++cnt->violation > 5) {
		if (cnt->violation == 6)
			fprintf(stderr, "nlfuzz: worker %d: more violations, not shown\n",
				worker_id);
		return;
	}
	fprintf(stderr,
		"nlfuzz: VIOLATION (worker %d, seed %llu, message %lu): %s\n",
		worker_id, worker_seed, cnt->sent, why);
	hexdump("request", m->buf, m->len);
	if (reply)
		hexdump("reply", (const unsigned char *)reply,
			reply->nlmsg_len);
}

/*
 * The extack message of an NLMSG_ERROR (or of a dump's NLMSG_DONE); *MISS
 * is set when it names a missing attribute (NLMSGERR_ATTR_MISS_TYPE).
 */
static const char *ext_msg(const struct nlmsghdr *nlh, size_t off, int *miss)
{
	const char *msg = NULL;

	const struct nlattr *a;
	int rem;

	*miss = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_ERROR && !(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(struct nlmsghdr);
	}
	a = (const struct nlattr *)((const char *)NLMSG_DATA(nlh) + off);
	rem = (int)nlh->nlmsg_len - (int)NLMSG_HDRLEN - (int)off;
	while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			msg = (const char *)(a + 1);
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MISS_TYPE)
			*miss = 1;
		rem -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
	return msg;
}

static void check_error(const struct msg *m, const struct nlmsghdr *nlh,
			int err, const char *ext, int miss)
{
	char why[256];
	int cls = errno_class(err);

	cnt->errors++;
	cnt->err[err & 0xff]++;
	if (!cls) {
		snprintf(why, sizeof(why), "undocumented errno %s (%s), extack \"%s\"",
			 errname(err), strerror(err), ext ? ext : "");
		violation(m, why, nlh);
		return;
	}
	if (cls == 1)
		cnt->prose++;
	if (!ext) {
		if (miss && err == EINVAL) {
			cnt->miss_only++;	/* "missing attribute" */
			return;
		}
		if (m->core_noext || err == ENOMEM) {
			cnt->noext_core++;
			return;
		}
		snprintf(why, sizeof(why), "%s without an extack message",
			 errname(err));
		violation(m, why, nlh);
	}
}

/*
 * Read until the answer to SEQ: an NLMSG_ERROR (error or ACK) or, for a
 * dump, NLMSG_DONE; with BARRIER, until the ACK of the NOOP sent after the
 * request (a request without NLM_F_ACK may get no answer at all).
 * ABANDON: stop after that many recv()s (-1: never).
 * Returns 1 when the answer came, 0 when abandoned, -1 on a socket error.
 */
static int collect(int sfd, const struct msg *m, uint32_t seq,
		   uint32_t barrier, int dump, int abandon)
{
	int parts = 0, answered = 0, miss;

	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t len;

		if (abandon >= 0 && parts >= abandon)
			return 0;
		len = recv(sfd, rbuf, sizeof(rbuf), 0);
		if (len < 0) {
			if (errno == ENOBUFS) {
				cnt->enobufs++;
				return -1;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				violation(m, "no answer within the timeout", NULL);
			else
				violation(m, strerror(errno), NULL);
			return -1;
		}
		parts++;
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (barrier && nlh->nlmsg_seq == barrier &&
			    nlh->nlmsg_type == NLMSG_ERROR) {
				if (!answered)
					cnt->ok++;	/* silent success */
				return 1;
			}
			if (nlh->nlmsg_seq != seq) {
				cnt->replies++;	/* stale */
				continue;
			}
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				cnt->dump_intr++;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				/* both payloads start with the error */
				int err = *(int *)NLMSG_DATA(nlh);
				size_t off = nlh->nlmsg_type == NLMSG_ERROR ?
					     sizeof(struct nlmsgerr) : sizeof(int);
				/* before reading miss: argument order is unspecified */
				const char *ext = ext_msg(nlh, off, &miss);

				if (err)
					check_error(m, nlh, -err, ext, miss);
				else
					cnt->ok++;
				answered = 1;
				if (!barrier)
					return 1;
				continue;
			}
			if (dump)
				cnt->dump_parts++;
			else
				cnt->replies++;
		}
	}
}

static int fd, stale_fd = -1;

static void reopen(void)
{
	close(fd);
	fd = nl_open();
}

static int send_msg(const struct msg *m)
{
	if (send(fd, m->buf, m->len, 0) < 0) {
		if (errno == ENOBUFS || errno == ENOMEM || errno == EMSGSIZE)
			return -1;
		violation(m, "send failed", NULL);
		return -1;
	}
	return 0;
}

/* A ROUTE_ADD with GROUP6 (6) or GROUP (4); 0: another request */
static int route_add_family(const struct msg *m)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)m->buf;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *a;
	int rem = (int)m->len - NLMSG_HDRLEN - GENL_HDRLEN, fam = 0;

	if (rem < 0 || g->cmd != MFWD_CMD_ROUTE_ADD)
		return 0;
	a = (const struct nlattr *)((const char *)g + GENL_HDRLEN);
	while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		if ((a->nla_type & NLA_TYPE_MASK) == MFWD_A_GROUP6)
			fam = 6;
		else if ((a->nla_type & NLA_TYPE_MASK) == MFWD_A_GROUP && !fam)
			fam = 4;
		rem -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
	return fam;
}

static void one_message(uint32_t *seq)
{
	struct nlmsghdr b = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	struct msg m;
	int dump, ack;
	uint16_t flags;
	unsigned long ok0;

	gen_msg(&m, ++*seq, &dump);
	flags = ((struct nlmsghdr *)m.buf)->nlmsg_flags;
	cnt->sent++;
	if (send_msg(&m))
		return;
	if (dump) {
		cnt->dumps++;
		if (chance(3)) {		/* abandoned: closed */
			cnt->abandoned++;
			collect(fd, &m, *seq, 0, 1, rnd(2));
			reopen();
			return;
		}
		if (chance(1)) {		/* abandoned: left unread */
			cnt->unread++;
			if (stale_fd >= 0)
				close(stale_fd);
			stale_fd = fd;
			fd = nl_open();
			return;
		}
		if (collect(fd, &m, *seq, 0, 1, -1) < 0)
			reopen();
		return;
	}
	ack = (flags & NLM_F_REQUEST) && (flags & NLM_F_ACK);
	if (!ack) {
		/* a NOOP with ACK after it: its ACK ends the answer */
		b.nlmsg_seq = ++*seq;
		if (send(fd, &b, sizeof(b), 0) < 0) {
			violation(&m, "barrier send failed", NULL);
			return;
		}
	}
	ok0 = cnt->ok;
	if (collect(fd, &m, ack ? *seq : *seq - 1, ack ? 0 : *seq, 0, -1) < 0)
		reopen();
	if (cnt->ok > ok0) {
		switch (route_add_family(&m)) {
		case 4:
			cnt->added4++;
			break;
		case 6:
			cnt->added6++;
			break;
		}
	}
}

static int hop_back_fd = -1;

static void netns_hop(uint32_t *seq)
{
	int n = 5 + rnd(20), saved = fd;

	if (unshare(CLONE_NEWNET) < 0)
		return;
	cnt->hops++;
	fd = nl_open();
	refresh_ifpool();
	while (n-- && (keep_going || !cnt->violation))
		one_message(seq);
	close(fd);
	if (stale_fd >= 0) {
		close(stale_fd);
		stale_fd = -1;
	}
	fd = saved;
	if (setns(hop_back_fd, CLONE_NEWNET) < 0) {
		perror("nlfuzz: setns back");
		exit(2);
	}
	refresh_ifpool();
}

static volatile sig_atomic_t stop;

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

static int worker(int id, unsigned long long seed, unsigned long n,
		  int duration, const char *ns)
{
	uint32_t seq = 1000;
	unsigned long i;

	worker_id = id;
	worker_seed = seed;
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	cnt = &shared[id];
	if (ns && strcmp(ns, "-")) {
		char path[256];
		int nfd;

		snprintf(path, sizeof(path), "/run/netns/%s", ns);
		nfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nfd < 0 || setns(nfd, CLONE_NEWNET) < 0) {
			fprintf(stderr, "nlfuzz: worker %d: netns %s: %s\n",
				id, ns, strerror(errno));
			return 2;
		}
		close(nfd);
	}
	hop_back_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	fd = nl_open();
	family_id = resolve_family(fd);
	if (!family_id) {
		fprintf(stderr, "nlfuzz: worker %d: no family %s\n", id,
			FZ_FAMILY);
		return 2;
	}
	if (duration) {
		signal(SIGALRM, on_alarm);
		alarm(duration);
	}
	for (i = 0; !stop && (keep_going || !cnt->violation) &&
	     (duration || i < n); i++) {
		if (i % 256 == 0)
			refresh_ifpool();
		if (chance(1) && rnd(5) == 0)
			netns_hop(&seq);
		else
			one_message(&seq);
	}
	return cnt->violation ? 1 : 0;
}

/* ---- -c: consistency of the dumps ---- */
struct route {
	int fam;			/* AF_INET or AF_INET6 */
	unsigned char src[16], grp[16];	/* IPv4: the first 4 bytes */
	int glen, slen;			/* prefix lengths; 0: absent */
	uint32_t piif;			/* a per-input route's input, else 0 */
	uint32_t table;			/* TABLE; absent: 0 */
};

static int dump(int sfd, int cmd, uint32_t seq,
		int (*cb)(const struct nlmsghdr *, void *), void *arg,
		int *intr)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} req = { 0 };

	req.n.nlmsg_len = sizeof(req);
	req.n.nlmsg_type = family_id;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			    (cmd == MFWD_CMD_CONFIG_GET ? 0 : NLM_F_DUMP);
	req.n.nlmsg_seq = seq;
	req.g.cmd = cmd;
	req.g.version = FZ_VERSION;
	if (send(sfd, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv(sfd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;

		if (len < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = 1;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return *(int *)NLMSG_DATA(nlh);
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int e = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

				if (e || cmd != MFWD_CMD_CONFIG_GET)
					return e;
				return 0;	/* the ACK after the reply */
			}
			if (cb(nlh, arg))
				return -EIO;
		}
	}
}

#define for_each_attr(a, start, len)					\
	for (a = (const struct nlattr *)(start);			\
	     (len) >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&		\
	     a->nla_len <= (len);					\
	     (len) -= NLA_ALIGN(a->nla_len),				\
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len)))

static uint32_t vifs[2048];
static int n_vifs;
static struct route routes[65536];
static int n_routes;
static uint32_t cfg_vifs, cfg_routes;
static char problem[4096];
static size_t plen;

#define __printf(a, b)	__attribute__((format(printf, a, b)))

static void __printf(1, 2) note(const char *fmt, ...)
{
	va_list ap;

	if (plen >= sizeof(problem) - 2)
		return;
	va_start(ap, fmt);
	plen += vsnprintf(problem + plen, sizeof(problem) - plen, fmt, ap);
	va_end(ap);
	if (plen >= sizeof(problem))
		plen = sizeof(problem) - 1;
}

static int is_vif(uint32_t ifi)
{
	int i;

	for (i = 0; i < n_vifs; i++)
		if (vifs[i] == ifi)
			return 1;
	return 0;
}

static int vif_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	(void)arg;
	for_each_attr(a, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len)
		if (a->nla_type == MFWD_A_IFINDEX && n_vifs < 2048)
			vifs[n_vifs++] = *(uint32_t *)(a + 1);
	return 0;
}

/* "(S, G)" of a route, for messages */
static const char *route_str(const struct route *r)
{
	static char b[2 * INET6_ADDRSTRLEN + 16];
	char s[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	int af = r->fam == AF_INET6 ? AF_INET6 : AF_INET;

	inet_ntop(af, r->src, s, sizeof(s));
	inet_ntop(af, r->grp, g, sizeof(g));
	snprintf(b, sizeof(b), "(%s, %s)", s, g);
	return b;
}

static int route_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a, *o;
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct route r = { 0 };
	uint32_t oifs[1100], iif = 0;
	int n_oif = 0, i, olen, fam = -1, has4 = 0, has6 = 0, grp = 0;
	int n_iif = 0, any = 0, per_iif = 0;

	(void)arg;
	for_each_attr(a, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len) {
		int alen = a->nla_len - NLA_HDRLEN;

		switch (a->nla_type & NLA_TYPE_MASK) {
		case MFWD_A_FAMILY:
			if (alen >= 1)
				fam = *(uint8_t *)(a + 1);
			break;
		case MFWD_A_SOURCE:
		case MFWD_A_GROUP:
			has4 = 1;
			if (alen != 4) {
				note("route attribute %d of %d bytes, not 4\n",
				     a->nla_type & NLA_TYPE_MASK, alen);
				break;
			}
			memcpy((a->nla_type & NLA_TYPE_MASK) == MFWD_A_GROUP ?
			       r.grp : r.src, a + 1, 4);
			grp |= (a->nla_type & NLA_TYPE_MASK) == MFWD_A_GROUP;
			break;
		case MFWD_A_SOURCE6:
		case MFWD_A_GROUP6:
			has6 = 1;
			if (alen != 16) {
				note("route attribute %d of %d bytes, not 16\n",
				     a->nla_type & NLA_TYPE_MASK, alen);
				break;
			}
			memcpy((a->nla_type & NLA_TYPE_MASK) == MFWD_A_GROUP6 ?
			       r.grp : r.src, a + 1, 16);
			grp |= (a->nla_type & NLA_TYPE_MASK) == MFWD_A_GROUP6;
			break;
		case MFWD_A_IIF:	/* repeated: the first is the primary */
			iif = *(uint32_t *)(a + 1);
			if (!n_iif++)
				r.piif = iif;
			if (!is_vif(iif))
				note("route: iif %u is not a VIF\n", iif);
			break;
		case MFWD_A_IIF_ANY:
			any = 1;
			break;
		case MFWD_A_PER_IIF:
			per_iif = 1;
			break;
		case MFWD_A_TABLE:
			if (alen == 4)
				r.table = *(uint32_t *)(a + 1);
			break;
		case MFWD_A_GROUP_PREFIX_LEN:
			r.glen = *(uint8_t *)(a + 1);
			break;
		case MFWD_A_SOURCE_PREFIX_LEN:
			r.slen = *(uint8_t *)(a + 1);
			break;
		case MFWD_A_OIF:
			olen = a->nla_len - NLA_HDRLEN;
			for_each_attr(o, a + 1, olen)
				if (o->nla_type == MFWD_OIF_A_IFINDEX &&
				    n_oif < 1100)
					oifs[n_oif++] = *(uint32_t *)(o + 1);
			break;
		}
	}
	r.fam = fam;
	if (fam != AF_INET && fam != AF_INET6)
		note("route %s: family %d, not AF_INET or AF_INET6\n",
		     route_str(&r), fam);
	else if (fam == AF_INET ? has6 || !grp : has4 || !grp)
		note("route %s: family %d but %s\n", route_str(&r), fam,
		     !grp ? "no group of that family" :
		     "addresses of the other family");
	if (any ? n_iif != 0 : n_iif == 0)
		note("route %s: %d inputs%s\n", route_str(&r), n_iif,
		     any ? " and iif any" : "");
	if (per_iif ? n_iif != 1 : 0)
		note("route %s: per-input with %d inputs\n", route_str(&r),
		     n_iif);
	if (!per_iif)
		r.piif = 0;
	for (i = 0; i < n_oif; i++)
		if (!is_vif(oifs[i]))
			note("route %s: oif %u is not a VIF\n", route_str(&r),
			     oifs[i]);
	for (i = 0; i < n_routes; i++)
		if (routes[i].fam == r.fam &&
		    !memcmp(routes[i].src, r.src, 16) &&
		    !memcmp(routes[i].grp, r.grp, 16) &&
		    routes[i].glen == r.glen && routes[i].slen == r.slen &&
		    routes[i].piif == r.piif && routes[i].table == r.table)
			note("route %s twice in the dump\n", route_str(&r));
	if (n_routes < 65536)
		routes[n_routes++] = r;
	return 0;
}

static int cfg_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	(void)arg;
	for_each_attr(a, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len) {
		if (a->nla_type == MFWD_A_VIF_COUNT)
			cfg_vifs = *(uint32_t *)(a + 1);
		if (a->nla_type == MFWD_A_ROUTE_COUNT)
			cfg_routes = *(uint32_t *)(a + 1);
	}
	return 0;
}

static int check_once(int sfd, uint32_t *seq)
{
	int intr = 0, e;

	n_vifs = 0;
	n_routes = 0;
	plen = 0;
	problem[0] = 0;
	cfg_vifs = ~0U;
	cfg_routes = ~0U;
	e = dump(sfd, MFWD_CMD_VIF_GET, ++*seq, vif_cb, NULL, &intr);
	if (!e)
		e = dump(sfd, MFWD_CMD_ROUTE_GET, ++*seq, route_cb, NULL, &intr);
	if (!e)
		e = dump(sfd, MFWD_CMD_CONFIG_GET, ++*seq, cfg_cb, NULL, &intr);
	if (e) {
		note("dump failed: %s\n", strerror(-e));
		return -1;
	}
	if (intr) {
		note("dump interrupted\n");
		return -1;
	}
	if (cfg_vifs != (uint32_t)n_vifs)
		note("config-get vif-count %u, the dump has %d VIFs\n",
		     cfg_vifs, n_vifs);
	if (cfg_routes != (uint32_t)n_routes)
		note("config-get route-count %u, the dump has %d routes\n",
		     cfg_routes, n_routes);
	return plen ? -1 : 0;
}

static int check(void)
{
	uint32_t seq = 1;
	int sfd = nl_open(), i;

	family_id = resolve_family(sfd);
	if (!family_id) {
		fprintf(stderr, "nlfuzz -c: no family %s\n", FZ_FAMILY);
		return 2;
	}
	for (i = 0; i < 100; i++) {
		if (!check_once(sfd, &seq)) {
			printf("nlfuzz: check: %d VIFs, %d routes, consistent\n",
			       n_vifs, n_routes);
			return 0;
		}
		usleep(100000);
	}
	fprintf(stderr, "nlfuzz: check: INCONSISTENT (%d VIFs, %d routes):\n%s",
		n_vifs, n_routes, problem);
	return 1;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec - t0->tv_sec + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Wait for worker @pid; meanwhile, every PROGRESS_S seconds, say how many
 * messages all @procs workers have sent (a slow kernel shows its rate).
 * Return: its wait status (exit 2 if waitpid() failed).
 */
#define PROGRESS_S 60
static int wait_worker(pid_t pid, int procs, const struct timespec *t0)
{
	unsigned long sent;
	int status, i;
	pid_t p;

	for (;;) {
		p = waitpid(pid, &status, WNOHANG);
		if (p == pid)
			return status;
		if (p < 0)
			return 2 << 8;
		sleep(1);
		if ((long)since(t0) % PROGRESS_S)
			continue;
		for (i = 0, sent = 0; i < procs; i++)
			sent += shared[i].sent;
		printf("# nlfuzz: %lu messages in %.0f s\n", sent, since(t0));
		fflush(stdout);
		sleep(1);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: nlfuzz [-s SEED] [-n MESSAGES | -d SECONDS] [-p PROCS] [-N NS,...] [-k]\n"
		"       nlfuzz -c\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long seed = 0;
	unsigned long n = 10000;
	int procs = 4, duration = 0, opt, i, n_ns = 0, rc = 0, status;
	char *ns[MAX_WORKERS], *nslist = NULL, *tok;
	struct counts sum = { 0 };
	struct timespec t0, t1;
	pid_t pids[MAX_WORKERS];

	while ((opt = getopt(argc, argv, "s:n:d:p:N:ck")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0); break;
		case 'n':
			n = strtoul(optarg, NULL, 0); break;
		case 'd':
			duration = atoi(optarg); break;
		case 'p':
			procs = atoi(optarg); break;
		case 'N':
			nslist = optarg; break;
		case 'c':
			return check();
		case 'k':
			keep_going = 1;
			break;
		default:
			usage();
		}
	}
	if (procs < 1 || procs > MAX_WORKERS)
		usage();
	if (!seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (ts.tv_sec ^ ts.tv_nsec ^ getpid()) & 0xffffffff;
	}
	for (tok = nslist ? strtok(nslist, ",") : NULL;
	     tok && n_ns < MAX_WORKERS; tok = strtok(NULL, ","))
		ns[n_ns++] = tok;
	printf("nlfuzz: seed %llu, %d processes, %s %lu, netns:", seed, procs,
	       duration ? "seconds" : "messages",
	       duration ? (unsigned long)duration : n);
	for (i = 0; i < n_ns; i++)
		printf(" %s", ns[i]);
	printf("%s\n", n_ns ? "" : " (current)");
	fflush(stdout);

	shared = mmap(NULL, sizeof(*shared) * procs, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("nlfuzz: mmap");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("nlfuzz: fork");
			return 2;
		}
		if (!pids[i])
			_exit(worker(i, seed + i, n / procs + (i < (int)(n % procs)),
				     duration, n_ns ? ns[i % n_ns] : NULL));
	}
	for (i = 0; i < procs; i++) {
		status = wait_worker(pids[i], procs, &t0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "nlfuzz: worker %d (seed %llu) %s %d\n",
				i, seed + i,
				WIFEXITED(status) ? "exited" : "killed by signal",
				WIFEXITED(status) ? WEXITSTATUS(status) :
				WTERMSIG(status));
			rc = 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < procs; i++) {
		int e;

		sum.sent += shared[i].sent;
		sum.ok += shared[i].ok;
		sum.errors += shared[i].errors;
		sum.replies += shared[i].replies;
		sum.dumps += shared[i].dumps;
		sum.dump_parts += shared[i].dump_parts;
		sum.dump_intr += shared[i].dump_intr;
		sum.abandoned += shared[i].abandoned;
		sum.unread += shared[i].unread;
		sum.hops += shared[i].hops;
		sum.enobufs += shared[i].enobufs;
		sum.noext_core += shared[i].noext_core;
		sum.prose += shared[i].prose;
		sum.miss_only += shared[i].miss_only;
		sum.added4 += shared[i].added4;
		sum.added6 += shared[i].added6;
		sum.violation += shared[i].violation;
		for (e = 0; e < 256; e++)
			sum.err[e] += shared[i].err[e];
	}
	printf("nlfuzz: %.1f s: sent %lu, ok %lu, errors %lu, other replies %lu, dumps %lu (%lu parts, %lu interrupted, %lu closed early, %lu left unread), netns hops %lu, ENOBUFS %lu\n",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       sum.sent, sum.ok, sum.errors, sum.replies, sum.dumps,
	       sum.dump_parts, sum.dump_intr, sum.abandoned, sum.unread,
	       sum.hops, sum.enobufs);
	printf("nlfuzz: errors:");
	for (i = 0; i < 256; i++)
		if (sum.err[i])
			printf(" %s %lu", errname(i), sum.err[i]);
	printf("\nnlfuzz: errors without extack from the genetlink core (short header, no such do/dump) or ENOMEM: %lu\n",
	       sum.noext_core);
	printf("nlfuzz: ROUTE_ADD that succeeded: IPv4 %lu, IPv6 %lu\n",
	       sum.added4, sum.added6);
	printf("nlfuzz: EINVAL naming a missing attribute (NLMSGERR_ATTR_MISS_TYPE) without a message: %lu\n",
	       sum.miss_only);
	if (sum.prose)
		printf("nlfuzz: %lu errors with an errno mfwd.rst names but its errno table lacks\n",
		       sum.prose);
	if (sum.violation)
		printf("nlfuzz: %lu violations\n", sum.violation);
	printf("nlfuzz: %s\n", rc ? "FAILED" : "ok");
	return rc;
}
