// SPDX-License-Identifier: GPL-2.0
/*
 * failnth - run one mfwd request with /proc/thread-self/fail-nth set to
 * 1, 2, 3, ... until it succeeds without the fault being consumed, and check
 * that every attempt that failed changed nothing visible (selftests/71).
 *
 * usage: failnth [options] REQUEST
 *   -f           every attempt (and the reference run) in a fresh network
 *                namespace (unshare), with the dummy devices of -d
 *   -d N         fresh netns: create dummy devices d0 .. d(N-1) (up)
 *   -s REQUEST   run before every attempt (fresh netns: after the dummies),
 *                without faults; repeatable
 *   -u REQUEST   undo the request (run after a successful attempt, without
 *                faults, must bring the state back; also at the end, so that
 *                the state is left as it was found); repeatable
 *   -c           the request changes the state (else it must not)
 *   -e ERRNOS    errors a failed attempt may return (default ENOMEM,ENOBUFS)
 *   -m MAX       give up after MAX attempts (default 5000)
 *   -N NAME      name printed in the result line
 *   -S           print the state snapshot and exit (no request)
 *   -0           no fault injection at all (kernels without fail-nth): the
 *                reference run and its undo only
 *   -v           print every attempt
 *
 * REQUEST: a command and its attributes, one word each:
 *   vif-add ifindex=DEV [flags=N] [threshold=N] [table=N] [dup-window=N]
 *   vif-del ifindex=DEV
 *   vif-get ifindex=DEV     vif-dump [ifindex=DEV]
 *   route-add group=A [source=A] iif=DEV [oif=DEV[/TTL]]... [oifs=PFX:LO-HI]
 *             [replace] [table=N] [route-flags=N] [signal-rate=N]
 *             [idle-timeout=N [expire]]
 *   meter-add group=A [source=A] unit=N op=N value=N interval=N
 *   meter-del group=A [source=A] [unit=N] [op=N] [value=N] [interval=N]
 *   route-del group=A [source=A]    route-get group=A [source=A]
 *   route-dump [group=A] [source=A] [iif=DEV]
 *   flush [vifs]    stats-get    config-get
 *   config-set [unres-max=N] [unres-qlen=N] [unres-timeout=N]
 *              [wrongvif-interval=N] [max-routes=N]
 * DEV is a device name (or a number); oifs=o:1-64 means o1 .. o64.
 *
 * Every attempt: a new genetlink socket; then, in this thread, write N to
 * fail-nth, send the request and read the whole answer (a dump to its
 * NLMSG_DONE), read fail-nth back (0: the fault was injected) and write 0.
 * The state (route and VIF dumps, CONFIG_GET, STATS_GET, the ALLMULTI count
 * and mc_forwarding of the devices a VIF request names, all/mc_forwarding)
 * is compared before and after: a failed attempt must leave it as it was;
 * a successful one must leave it as the reference run did.
 *
 * Output: one line per request,
 *   RESULT NAME points=P failed=F ok_with_fault=K lost_reply=L errs=E:n,...
 * where P is the number of fault points (the attempt that succeeded without
 * the fault consumed was P+1).  Exit 0, or 1 with "BUG: ..." lines.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/mfwd.h"

#define BUFSZ	(1 << 20)
#define MAXREQ	16

static int family;
static bool verbose;
static char *rbuf;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "failnth: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* ---- growing strings ---- */

struct str {
	char *s;
	size_t len, cap;
};

static void sadd(struct str *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if ((size_t)n < room) {
			b->len += n;
			return;
		}
		b->cap = (b->cap + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			die("out of memory");
	}
}

static void sfree(struct str *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/* ---- netlink messages ---- */

struct msg {
	char buf[65536];
	struct nlmsghdr *nlh;
};

static void msg_init(struct msg *m, int type, int cmd, int flags)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, sizeof(struct nlmsghdr) + sizeof(*g));
	m->nlh = (struct nlmsghdr *)m->buf;
	m->nlh->nlmsg_len = NLMSG_LENGTH(0);
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh->nlmsg_seq = 1;
	if (cmd < 0)
		return;
	g = (struct genlmsghdr *)NLMSG_DATA(m->nlh);
	g->cmd = cmd;
	g->version = cmd == CTRL_CMD_GETFAMILY && type == GENL_ID_CTRL ? 1 :
		     MFWD_GENL_VERSION;
	m->nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
}

static struct nlattr *put(struct msg *m, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + NLMSG_ALIGN(m->nlh->nlmsg_len));

	if (NLMSG_ALIGN(m->nlh->nlmsg_len) + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf))
		die("request too large");
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	m->nlh->nlmsg_len = NLMSG_ALIGN(m->nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void put_u32(struct msg *m, int type, uint32_t v) { put(m, type, &v, 4); }
static void put_u8(struct msg *m, int type, uint8_t v) { put(m, type, &v, 1); }

static struct nlattr *nest_start(struct msg *m, int type)
{
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, struct nlattr *a)
{
	a->nla_len = m->buf + m->nlh->nlmsg_len - (char *)a;
}

static int nl_open(int proto)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd, sz = BUFSZ;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		die("socket: %m");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind: %m");
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return fd;
}

/*
 * The answer to a request: the messages (for a GET or a dump), the error
 * (0, -errno from the ack, the dump's NLMSG_DONE, or the socket), and where
 * it came from.
 */
enum where { W_NONE, W_SEND, W_ACK, W_DONE, W_SOCK };
static const char *const where_name[] = { "ok", "send", "ack", "done", "socket" };

struct answer {
	int err;
	enum where where;
	int nmsg;
	bool intr;
};

typedef void (*msg_cb)(const struct nlmsghdr *nlh, void *arg);

/* Send @m on @fd and read the whole answer. No allocation in user space
 * between the send and the last read (the buffer is allocated already).
 */
static void transact(int fd, struct msg *m, bool dump, struct answer *a,
		     msg_cb cb, void *arg)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	memset(a, 0, sizeof(*a));
	if (sendto(fd, m->buf, m->nlh->nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		a->err = -errno;
		a->where = W_SEND;
		return;
	}
	for (;;) {
		struct nlmsghdr *nlh;

		n = recv(fd, rbuf, BUFSZ, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			a->err = -errno;
			a->where = W_SOCK;
			return;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				a->intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				a->err = e->error;
				a->where = e->error ? W_ACK : W_NONE;
				return;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				a->err = *(int *)NLMSG_DATA(nlh);
				a->where = a->err ? W_DONE : W_NONE;
				return;
			}
			a->nmsg++;
			if (cb)
				cb(nlh, arg);
			if (!dump && !(m->nlh->nlmsg_flags & NLM_F_ACK))
				return;
		}
	}
}

/* ---- attributes of an answer ---- */

#define for_each_attr(a, start, len) \
	for (a = (struct nlattr *)(start); \
	     (len) >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= (len); \
	     len -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))

static void *nla_data(const struct nlattr *a) { return (char *)a + NLA_HDRLEN; }
static int nla_len(const struct nlattr *a) { return a->nla_len - NLA_HDRLEN; }

static uint64_t nla_uint(const struct nlattr *a)
{
	switch (nla_len(a)) {
	case 1: return *(uint8_t *)nla_data(a);
	case 2: return *(uint16_t *)nla_data(a);
	case 4: return *(uint32_t *)nla_data(a);
	case 8: { uint64_t v; memcpy(&v, nla_data(a), 8); return v; }
	}
	return ~0ULL;
}

static void family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a;
	int len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len)
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			*(int *)arg = *(uint16_t *)nla_data(a);
}

static int resolve_family(void)
{
	struct answer a;
	struct msg *m = calloc(1, sizeof(*m));
	int fd = nl_open(NETLINK_GENERIC), id = 0;

	msg_init(m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	put(m, CTRL_ATTR_FAMILY_NAME, MFWD_GENL_NAME, sizeof(MFWD_GENL_NAME));
	transact(fd, m, false, &a, family_cb, &id);
	close(fd);
	free(m);
	if (a.err || !id)
		die("genetlink family %s not found (%s)", MFWD_GENL_NAME, strerror(-a.err));
	return id;
}

/* ---- requests ---- */

struct req {
	const char *text;
	struct msg m;
	bool dump;
	int cmd;
	int dev;	/* VIF requests: the device, for the snapshot */
};

static uint32_t devidx(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	unsigned int i;

	if (*s && !*end)
		return v;
	i = if_nametoindex(s);
	if (!i)
		die("no device %s", s);
	return i;
}

static uint32_t addr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("bad address %s", s);
	return a.s_addr;
}

static const struct { const char *name; int cmd; bool dump; } cmds[] = {
	{ "vif-add", MFWD_CMD_VIF_ADD, false },
	{ "vif-del", MFWD_CMD_VIF_DEL, false },
	{ "vif-get", MFWD_CMD_VIF_GET, false },
	{ "vif-dump", MFWD_CMD_VIF_GET, true },
	{ "route-add", MFWD_CMD_ROUTE_ADD, false },
	{ "route-del", MFWD_CMD_ROUTE_DEL, false },
	{ "route-get", MFWD_CMD_ROUTE_GET, false },
	{ "route-dump", MFWD_CMD_ROUTE_GET, true },
	{ "flush", MFWD_CMD_FLUSH, false },
	{ "stats-get", MFWD_CMD_STATS_GET, false },
	{ "config-get", MFWD_CMD_CONFIG_GET, false },
	{ "config-set", MFWD_CMD_CONFIG_SET, false },
	{ "meter-add", MFWD_CMD_METER_ADD, false },
	{ "meter-del", MFWD_CMD_METER_DEL, false },
};

static const struct { const char *name; int attr; } u32s[] = {
	{ "ifindex", MFWD_A_IFINDEX }, { "flags", MFWD_A_VIF_FLAGS },
	{ "iif", MFWD_A_IIF }, { "unres-max", MFWD_A_UNRES_MAX },
	{ "unres-qlen", MFWD_A_UNRES_QLEN },
	{ "unres-timeout", MFWD_A_UNRES_TIMEOUT_MS },
	{ "wrongvif-interval", MFWD_A_WRONGVIF_INTERVAL_MS },
	{ "max-routes", MFWD_A_MAX_ROUTES }, { "table", MFWD_A_TABLE },
	{ "interval", MFWD_A_INTERVAL_MS },
	{ "idle-timeout", MFWD_A_IDLE_TIMEOUT_MS },
	{ "dup-window", MFWD_A_DUP_WINDOW_MS },
	{ "signal-rate", MFWD_A_SIGNAL_RATE },
	{ "route-flags", MFWD_A_ROUTE_FLAGS },
};

static void put_oif(struct msg *m, uint32_t ifindex, int ttl)
{
	struct nlattr *n = nest_start(m, MFWD_A_OIF);

	put_u32(m, MFWD_OIF_A_IFINDEX, ifindex);
	if (ttl > 0)
		put_u8(m, MFWD_OIF_A_TTL, ttl);
	nest_end(m, n);
}

/* Build the request; device names are resolved now (in the current netns). */
static void req_build(struct req *r)
{
	char *text = strdup(r->text), *save, *w, *v;
	unsigned int i;

	w = strtok_r(text, " ", &save);
	if (!w)
		die("empty request");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(w, cmds[i].name))
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0]))
		die("unknown command %s", w);
	r->cmd = cmds[i].cmd;
	r->dump = cmds[i].dump;
	r->dev = 0;
	msg_init(&r->m, family, r->cmd, r->dump ? NLM_F_DUMP : NLM_F_ACK);
	while ((w = strtok_r(NULL, " ", &save))) {
		v = strchr(w, '=');
		if (v)
			*v++ = 0;
		if (!strcmp(w, "replace")) {
			put(&r->m, MFWD_A_REPLACE, NULL, 0);
			continue;
		}
		if (!strcmp(w, "vifs")) {
			put(&r->m, MFWD_A_FLUSH_VIFS, NULL, 0);
			continue;
		}
		if (!strcmp(w, "expire")) {
			put(&r->m, MFWD_A_EXPIRE, NULL, 0);
			continue;
		}
		if (!strcmp(w, "iif_any") || !strcmp(w, "per_iif")) {
			put(&r->m, w[4] == 'a' ? MFWD_A_IIF_ANY : MFWD_A_PER_IIF,
			    NULL, 0);
			continue;
		}
		if (!v)
			die("%s needs a value", w);
		if (!strcmp(w, "source")) {
			put_u32(&r->m, MFWD_A_SOURCE, addr(v));
		} else if (!strcmp(w, "group")) {
			put_u32(&r->m, MFWD_A_GROUP, addr(v));
		} else if (!strcmp(w, "threshold")) {
			put_u8(&r->m, MFWD_A_VIF_THRESHOLD, atoi(v));
		} else if (!strcmp(w, "unit") || !strcmp(w, "op")) {
			put_u8(&r->m, w[0] == 'u' ? MFWD_A_METER_UNIT :
				   MFWD_A_METER_OP, atoi(v));
		} else if (!strcmp(w, "value")) {
			uint64_t x = strtoull(v, NULL, 0);

			put(&r->m, MFWD_A_METER_VALUE, &x, sizeof(x));
		} else if (!strcmp(w, "oif")) {
			char *t = strchr(v, '/');

			if (t)
				*t++ = 0;
			put_oif(&r->m, devidx(v), t ? atoi(t) : 0);
		} else if (!strcmp(w, "oifs")) {
			char name[IFNAMSIZ + 16], *c = strchr(v, ':');
			int lo, hi, k;

			if (!c || sscanf(c + 1, "%d-%d", &lo, &hi) != 2)
				die("oifs=PFX:LO-HI");
			*c = 0;
			for (k = lo; k <= hi; k++) {
				snprintf(name, sizeof(name), "%s%d", v, k);
				put_oif(&r->m, devidx(name), 0);
			}
		} else {
			for (i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++)
				if (!strcmp(w, u32s[i].name))
					break;
			if (i == sizeof(u32s) / sizeof(u32s[0]))
				die("unknown attribute %s", w);
			put_u32(&r->m, u32s[i].attr,
				u32s[i].attr == MFWD_A_IFINDEX || u32s[i].attr == MFWD_A_IIF ?
				devidx(v) : strtoul(v, NULL, 0));
			if (u32s[i].attr == MFWD_A_IFINDEX &&
			    (r->cmd == MFWD_CMD_VIF_ADD || r->cmd == MFWD_CMD_VIF_DEL))
				r->dev = devidx(v);
		}
	}
	free(text);
}

/* ---- the state ---- */

struct snapctx {
	struct str *out;
	struct str *lines;	/* route lines, sorted afterwards */
	int n;
};

static const char *const attr_names[] = {
	[MFWD_A_IFINDEX] = "ifindex", [MFWD_A_IFNAME] = "ifname",
	[MFWD_A_VIF_FLAGS] = "flags", [MFWD_A_VIF_THRESHOLD] = "threshold",
	[MFWD_A_SOURCE] = "source", [MFWD_A_GROUP] = "group",
	[MFWD_A_IIF] = "iif", [MFWD_A_OIF] = "oif",
	[MFWD_A_PACKETS] = "packets", [MFWD_A_BYTES] = "bytes",
	[MFWD_A_WRONG_IF] = "wrong_if", [MFWD_A_IDLE_MS] = "idle_ms",
	[MFWD_A_PKTS_IN] = "pkts_in", [MFWD_A_BYTES_IN] = "bytes_in",
	[MFWD_A_PKTS_OUT] = "pkts_out", [MFWD_A_BYTES_OUT] = "bytes_out",
	[MFWD_A_STATS] = "stats", [MFWD_A_UNRES_MAX] = "unres_max",
	[MFWD_A_UNRES_QLEN] = "unres_qlen",
	[MFWD_A_UNRES_TIMEOUT_MS] = "unres_timeout_ms",
	[MFWD_A_WRONGVIF_INTERVAL_MS] = "wrongvif_interval_ms",
	[MFWD_A_MAX_ROUTES] = "max_routes", [MFWD_A_VIF_COUNT] = "vif_count",
	[MFWD_A_ROUTE_COUNT] = "route_count", [MFWD_A_IIF_ANY] = "iif_any",
	[MFWD_A_PER_IIF] = "per_iif", [MFWD_A_TABLE] = "table",
};

static void fmt_attrs(struct str *o, const void *start, int len, int depth)
{
	const struct nlattr *a;

	for_each_attr(a, start, len) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (depth == 0 && (t == MFWD_A_PAD || t == MFWD_A_IDLE_MS ||
				   t == MFWD_A_MEASURED))
			continue;
		if (depth == 1 && t == MFWD_STATS_A_PAD)
			continue;
		if (depth == 0 && (t == MFWD_A_OIF || t == MFWD_A_STATS)) {
			/* depth 1: the stats nest, 2: an output */
			sadd(o, " %s{", t == MFWD_A_OIF ? "oif" : "stats");
			fmt_attrs(o, nla_data(a), nla_len(a), t == MFWD_A_OIF ? 2 : 1);
			sadd(o, " }");
			continue;
		}
		if (depth == 0 && t == MFWD_A_IFNAME) {
			sadd(o, " ifname=%.*s", nla_len(a), (char *)nla_data(a));
			continue;
		}
		if (depth == 0 && (t == MFWD_A_SOURCE || t == MFWD_A_GROUP)) {
			char b[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, nla_data(a), b, sizeof(b));
			sadd(o, " %s=%s", attr_names[t], b);
			continue;
		}
		if (depth == 0 && t < (int)(sizeof(attr_names) / sizeof(attr_names[0])) &&
		    attr_names[t])
			sadd(o, " %s=%llu", attr_names[t], (unsigned long long)nla_uint(a));
		else
			sadd(o, " %d=%llu", t, (unsigned long long)nla_uint(a));
	}
}

static void snap_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct snapctx *c = arg;
	struct str *o = c->lines ? &c->lines[c->n++] : c->out;

	if (c->lines && c->n > 65536)
		die("too many routes");
	fmt_attrs(o, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		  nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), 0);
	sadd(o, "\n");
}

static int strp_cmp(const void *a, const void *b)
{
	const struct str *x = a, *y = b;

	return strcmp(x->s ? x->s : "", y->s ? y->s : "");
}

static void snap_get(int fd, struct str *o, int cmd, bool dump, bool sort_lines)
{
	struct snapctx c = { .out = o };
	struct answer a;
	struct msg *m = calloc(1, sizeof(*m));
	int i;

	if (sort_lines)
		c.lines = calloc(65537, sizeof(struct str));
	msg_init(m, family, cmd, dump ? NLM_F_DUMP : NLM_F_ACK);
	transact(fd, m, dump, &a, snap_cb, &c);
	if (a.err)
		die("state: command %d failed: %s", cmd, strerror(-a.err));
	if (a.intr)
		sadd(o, "(dump interrupted)\n");
	if (sort_lines) {
		qsort(c.lines, c.n, sizeof(struct str), strp_cmp);
		for (i = 0; i < c.n; i++) {
			sadd(o, "%s", c.lines[i].s);
			sfree(&c.lines[i]);
		}
		free(c.lines);
	}
	free(m);
}

static void link_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nlh);
	const struct nlattr *a;
	int len = nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));

	(void)ifi;
	for_each_attr(a, (char *)ifi + NLMSG_ALIGN(sizeof(*ifi)), len)
		if ((a->nla_type & NLA_TYPE_MASK) == IFLA_ALLMULTI)
			sadd(arg, " allmulti=%u", *(uint32_t *)nla_data(a));
}

static void read_sysctl(struct str *o, const char *dev)
{
	char path[128], v[32] = "?";
	int fd, n;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/mc_forwarding", dev);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, v, sizeof(v) - 1);
		v[n > 0 ? n : 0] = 0;
		v[strcspn(v, "\n")] = 0;
		close(fd);
	}
	sadd(o, " mc_forwarding=%s", v);
}

/* The state a request may change, as text. */
static void snapshot(struct str *o, int dev)
{
	int fd = nl_open(NETLINK_GENERIC);

	sadd(o, "routes:\n");
	snap_get(fd, o, MFWD_CMD_ROUTE_GET, true, true);
	sadd(o, "vifs:\n");
	snap_get(fd, o, MFWD_CMD_VIF_GET, true, false);
	sadd(o, "meters:\n");
	snap_get(fd, o, MFWD_CMD_METER_GET, true, true);
	sadd(o, "config:");
	snap_get(fd, o, MFWD_CMD_CONFIG_GET, false, false);
	sadd(o, "stats:");
	snap_get(fd, o, MFWD_CMD_STATS_GET, false, false);
	close(fd);
	sadd(o, "all:");
	read_sysctl(o, "all");
	sadd(o, "\n");
	if (dev) {
		char name[IF_NAMESIZE] = "?";
		struct msg *m = calloc(1, sizeof(*m));
		struct ifinfomsg *ifi;
		struct answer a;

		fd = nl_open(NETLINK_ROUTE);
		msg_init(m, RTM_GETLINK, -1, NLM_F_ACK);
		ifi = NLMSG_DATA(m->nlh);
		memset(ifi, 0, sizeof(*ifi));
		ifi->ifi_index = dev;
		m->nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
		if_indextoname(dev, name);
		sadd(o, "dev %s:", name);
		transact(fd, m, false, &a, link_cb, o);
		if (a.err)
			die("RTM_GETLINK %d: %s", dev, strerror(-a.err));
		read_sysctl(o, name);
		sadd(o, "\n");
		close(fd);
		free(m);
	}
}

/* Is the line at @l (up to its newline) a line of @text? */
static bool has_line(const char *text, const char *l)
{
	size_t n = strcspn(l, "\n");
	const char *p;

	for (p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0))
		if (strcspn(p, "\n") == n && !strncmp(p, l, n))
			return true;
	return false;
}

/* The lines only one of the two states has ("-" expected, "+" found). */
static void print_diff(const char *what, const char *want, const char *got)
{
	const char *p;

	printf("# %s: state difference (-expected +found):\n", what);
	for (p = want; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0))
		if (!has_line(got, p))
			printf("# -%.*s\n", (int)strcspn(p, "\n"), p);
	for (p = got; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0))
		if (!has_line(want, p))
			printf("# +%.*s\n", (int)strcspn(p, "\n"), p);
}

/* ---- fresh network namespaces ---- */

static void add_dummy(int fd, const char *name)
{
	struct msg *m = calloc(1, sizeof(*m));
	struct nlattr *li;
	struct ifinfomsg *ifi;
	struct answer a;

	msg_init(m, RTM_NEWLINK, -1, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	ifi = NLMSG_DATA(m->nlh);
	memset(ifi, 0, sizeof(*ifi));
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	m->nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	put(m, IFLA_IFNAME, name, strlen(name) + 1);
	li = nest_start(m, IFLA_LINKINFO);
	put(m, IFLA_INFO_KIND, "dummy", 6);
	nest_end(m, li);
	transact(fd, m, false, &a, NULL, NULL);
	if (a.err)
		die("creating dummy %s: %s", name, strerror(-a.err));
	free(m);
}

static void fresh_netns(int ndummy)
{
	char name[IFNAMSIZ];
	int fd, i;

	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET): %m");
	fd = nl_open(NETLINK_ROUTE);
	for (i = 0; i < ndummy; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		add_dummy(fd, name);
	}
	close(fd);
}

/* ---- fail-nth ---- */

static int nth_fd = -1;

static void nth_write(unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(nth_fd, b, len, 0) != len)
		die("write fail-nth: %m");
}

static int nth_read(void)
{
	char b[16] = "";

	if (pread(nth_fd, b, sizeof(b) - 1, 0) <= 0)
		die("read fail-nth: %m");
	return atoi(b);
}

/* Run @r once, with fault N (0: none). Return whether the fault was
 * consumed.
 */
static bool attempt(struct req *r, unsigned int n, struct answer *a)
{
	int fd = nl_open(NETLINK_GENERIC);
	bool consumed = false;

	memset(rbuf, 0, BUFSZ);	/* no page faults in the window */
	if (n)
		nth_write(n);
	transact(fd, &r->m, r->dump, a, NULL, NULL);
	if (n) {
		consumed = nth_read() == 0;
		nth_write(0);
	}
	close(fd);
	return consumed;
}

static void run_plain(struct req *r, const char *what)
{
	struct answer a;

	attempt(r, 0, &a);
	if (a.err)
		die("%s '%s' failed without a fault: %s (%s)", what, r->text,
		    strerror(-a.err), where_name[a.where]);
}

/* ---- main ---- */

static bool errno_ok(const char *list, int err)
{
	char *l = strdup(list), *save, *w;
	bool ok = false;

	for (w = strtok_r(l, ",", &save); w; w = strtok_r(NULL, ",", &save))
		if ((!strcmp(w, "ENOMEM") && err == ENOMEM) ||
		    (!strcmp(w, "ENOBUFS") && err == ENOBUFS) ||
		    (!strcmp(w, "EMSGSIZE") && err == EMSGSIZE) ||
		    atoi(w) == err)
			ok = true;
	free(l);
	return ok;
}

int main(int argc, char **argv)
{
	const char *setup[MAXREQ], *undo[MAXREQ], *errs = "ENOMEM,ENOBUFS";
	const char *name = NULL;
	int nsetup = 0, nundo = 0, ndummy = 0, opt, bugs = 0, i;
	bool fresh = false, changes = false, snap_only = false, nofault = false;
	unsigned int max = 5000, n, failed = 0, okf = 0, lost = 0, points = 0;
	unsigned int errcount[256] = { 0 };
	struct str s0 = { 0 }, s1 = { 0 }, cur = { 0 };
	struct req *req, *sreq, *ureq;
	struct answer a;

	while ((opt = getopt(argc, argv, "fd:s:u:ce:m:N:S0v")) != -1) {
		switch (opt) {
		case 'f': fresh = true; break;
		case 'd': ndummy = atoi(optarg); break;
		case 's': if (nsetup == MAXREQ) die("-s"); setup[nsetup++] = optarg; break;
		case 'u': if (nundo == MAXREQ) die("-u"); undo[nundo++] = optarg; break;
		case 'c': changes = true; break;
		case 'e': errs = optarg; break;
		case 'm': max = atoi(optarg); break;
		case 'N': name = optarg; break;
		case 'S': snap_only = true; break;
		case '0': nofault = true; break;
		case 'v': verbose = true; break;
		default: die("bad option (see the comment at the top of failnth.c)");
		}
	}
	rbuf = malloc(BUFSZ);
	if (!rbuf)
		die("out of memory");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fresh)
		fresh_netns(ndummy);
	family = resolve_family();
	if (snap_only) {
		snapshot(&cur, 0);
		printf("%s", cur.s);
		return 0;
	}
	if (optind != argc - 1)
		die("one REQUEST expected");
	if (!name)
		name = argv[optind];
	req = calloc(1, sizeof(*req));
	sreq = calloc(MAXREQ, sizeof(*sreq));
	ureq = calloc(MAXREQ, sizeof(*ureq));
	req->text = argv[optind];
	for (i = 0; i < nsetup; i++)
		sreq[i].text = setup[i];
	for (i = 0; i < nundo; i++)
		ureq[i].text = undo[i];
	if (!nofault) {
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		if (nth_fd < 0)
			die("/proc/thread-self/fail-nth: %m (CONFIG_FAULT_INJECTION?)");
	}

	/* The reference run: the state before and after a plain success. */
	for (i = 0; i < nsetup; i++) {
		req_build(&sreq[i]);
		run_plain(&sreq[i], "setup");
	}
	req_build(req);
	snapshot(&s0, req->dev);
	run_plain(req, "request");
	snapshot(&s1, req->dev);
	if (changes != (strcmp(s0.s, s1.s) != 0)) {
		printf("BUG: %s: the request %s the state\n", name,
		       changes ? "did not change" : "changed");
		print_diff(name, s0.s, s1.s);
		return 1;
	}
	if (!fresh && nundo) {
		for (i = 0; i < nundo; i++) {
			req_build(&ureq[i]);
			run_plain(&ureq[i], "undo");
		}
		snapshot(&cur, req->dev);
		if (strcmp(cur.s, s0.s)) {
			printf("BUG: %s: the undo requests do not restore the state\n", name);
			print_diff(name, s0.s, cur.s);
			return 1;
		}
		sfree(&cur);
	} else if (!fresh && changes) {
		die("%s changes the state: give -u or -f", name);
	}
	if (nofault) {
		printf("RESULT %s points=? (no fault injection) reference run ok\n", name);
		return 0;
	}

	for (n = 1; n <= max; n++) {
		bool consumed;

		if (fresh) {
			fresh_netns(ndummy);
			family = resolve_family();
			for (i = 0; i < nsetup; i++) {
				req_build(&sreq[i]);
				run_plain(&sreq[i], "setup");
			}
		}
		req_build(req);
		if (fresh) {
			snapshot(&cur, req->dev);
			if (strcmp(cur.s, s0.s)) {
				printf("BUG: %s: a fresh netns differs from the first one\n", name);
				print_diff(name, s0.s, cur.s);
				return 1;
			}
			sfree(&cur);
		}
		consumed = attempt(req, n, &a);
		snapshot(&cur, req->dev);
		if (verbose)
			printf("# %s nth=%u consumed=%d err=%d (%s)\n", name, n,
			       consumed, a.err, where_name[a.where]);
		if (!consumed) {
			if (a.err) {
				printf("BUG: %s: no fault injected (nth=%u), but the request failed: %s (%s)\n",
				       name, n, strerror(-a.err), where_name[a.where]);
				bugs++;
			} else if (strcmp(cur.s, s1.s)) {
				printf("BUG: %s: the final successful run left another state than the reference run\n",
				       name);
				print_diff(name, s1.s, cur.s);
				bugs++;
			}
			points = n - 1;
			break;
		}
		if (a.err && a.where == W_SOCK) {
			/* The answer was lost (the kernel could not allocate
			 * the ack or the reply): either outcome is possible.
			 */
			lost++;
			if (strcmp(cur.s, s0.s) && strcmp(cur.s, s1.s)) {
				printf("BUG: %s: nth=%u: answer lost (%s) and the state is neither the old nor the new one\n",
				       name, n, strerror(-a.err));
				print_diff(name, s1.s, cur.s);
				bugs++;
			}
		} else if (a.err) {
			failed++;
			if (-a.err < 256)
				errcount[-a.err]++;
			if (!errno_ok(errs, -a.err)) {
				printf("BUG: %s: nth=%u: failed with %s (%s), not one of %s\n",
				       name, n, strerror(-a.err), where_name[a.where], errs);
				bugs++;
			}
			if (strcmp(cur.s, s0.s)) {
				printf("BUG: %s: nth=%u: failed (%s) but changed the state\n",
				       name, n, strerror(-a.err));
				print_diff(name, s0.s, cur.s);
				bugs++;
			}
		} else {
			okf++;
			if (strcmp(cur.s, s1.s)) {
				printf("BUG: %s: nth=%u: the fault was injected, the request succeeded, but the state is not the reference run's\n",
				       name, n);
				print_diff(name, s1.s, cur.s);
				bugs++;
			}
		}
		if (!fresh && strcmp(cur.s, s0.s)) {
			for (i = 0; i < nundo; i++) {
				req_build(&ureq[i]);
				run_plain(&ureq[i], "undo");
			}
			sfree(&cur);
			snapshot(&cur, req->dev);
			if (strcmp(cur.s, s0.s)) {
				printf("BUG: %s: nth=%u: the undo requests did not restore the state\n",
				       name, n);
				print_diff(name, s0.s, cur.s);
				return 1;
			}
		}
		sfree(&cur);
		if (bugs > 5)
			break;
	}
	if (n > max) {
		printf("BUG: %s: still consuming faults after %u attempts\n", name, max);
		bugs++;
	}
	/* Leave the state as it was before the request, for the next one. */
	if (!fresh && !bugs && strcmp(cur.s ? cur.s : s0.s, s0.s)) {
		for (i = 0; i < nundo; i++) {
			req_build(&ureq[i]);
			run_plain(&ureq[i], "undo");
		}
	}
	printf("RESULT %s points=%u failed=%u ok_with_fault=%u lost_reply=%u errs=",
	       name, points, failed, okf, lost);
	for (i = 0, opt = 0; i < 256; i++)
		if (errcount[i])
			printf("%s%s:%u", opt++ ? "," : "", strerrorname_np(i) ?: "?", errcount[i]);
	printf("%s\n", opt ? "" : "-");
	return bugs ? 1 : 0;
}
