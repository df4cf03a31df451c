/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink for the mfwd C selftests (raw
 * sockets, no library): the family resolved through nlctrl, requests
 * written in the same words as helpers/mfwdnl.py ("--reserved=1 route_add
 * group=239.1.1.1 iif=r0 oif=r1/4"), acks with their extack, dumps, the
 * module loaded once per test program, and small process helpers (run a
 * command, read its output) for what is simpler with ip(8) or mfwdctl.
 *
 * Every function is static: each test is one translation unit.  Include
 * kselftest_harness.h first (ARRAY_SIZE, __printf, the EXPECT macros).
 */
#ifndef MFWD_NL_LIB_H
#define MFWD_NL_LIB_H

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/mfwd.h>

#ifndef NLM_F_DUMP_INTR
#define NLM_F_DUMP_INTR 0x10
#endif

#define NL_BUF_SIZE 131072

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct nl {
	int fd;
	__u32 seq;
	__u16 fam;
	__u32 grp_events;
	size_t recv_size;
	char *rbuf;
};

/* a request being built */
struct nlreq {
	char *buf;
	struct nlmsghdr *nlh;
	bool dump;
};

/* the answer to one request: errno (positive, 0 = ok), extack, messages */
struct nlans {
	int err;
	char msg[256];
	int miss_type;	/* -1: none */
	int offs;	/* -1: none */
	bool intr;	/* a message of the reply had NLM_F_DUMP_INTR */
	char text[512];	/* mfwdnl.py's line: ok / error EINVAL (...) msg=".." */
	char *dump;	/* malloc'ed; one line a dumped message (dump_line()) */
	size_t dump_len;
	int nmsgs;
};

static const struct {
	const char *name;
	int type;
	char kind; /* i: ifindex u32, a: IPv4, b: u8, f: flag, u: u32, o: oif */
} nl_attrs[] = {
	{ "ifindex", MFWD_A_IFINDEX, 'i' },
	{ "iif", MFWD_A_IIF, 'i' },
	{ "group", MFWD_A_GROUP, 'a' },
	{ "source", MFWD_A_SOURCE, 'a' },
	{ "threshold", MFWD_A_VIF_THRESHOLD, 'b' },
	{ "flags", MFWD_A_VIF_FLAGS, 'u' },
	{ "flush_vifs", MFWD_A_FLUSH_VIFS, 'f' },
	{ "replace", MFWD_A_REPLACE, 'f' },
	{ "wildcard", MFWD_A_WILDCARD, 'f' },
	{ "oif", MFWD_A_OIF, 'o' },
	{ "unres_max", MFWD_A_UNRES_MAX, 'u' },
	{ "unres_qlen", MFWD_A_UNRES_QLEN, 'u' },
	{ "unres_timeout_ms", MFWD_A_UNRES_TIMEOUT_MS, 'u' },
	{ "wrongvif_interval_ms", MFWD_A_WRONGVIF_INTERVAL_MS, 'u' },
	{ "max_routes", MFWD_A_MAX_ROUTES, 'u' },
	{ "packets", MFWD_A_PACKETS, 'u' },
	{ "bytes", MFWD_A_BYTES, 'u' },
};

static const char *const nl_cmds[] = {
	[MFWD_CMD_VIF_ADD] = "vif_add",
	[MFWD_CMD_VIF_DEL] = "vif_del",
	[MFWD_CMD_VIF_GET] = "vif_get",
	[MFWD_CMD_ROUTE_ADD] = "route_add",
	[MFWD_CMD_ROUTE_DEL] = "route_del",
	[MFWD_CMD_ROUTE_GET] = "route_get",
	[MFWD_CMD_FLUSH] = "flush",
	[MFWD_CMD_STATS_GET] = "stats_get",
	[MFWD_CMD_CONFIG_GET] = "config_get",
	[MFWD_CMD_CONFIG_SET] = "config_set",
};

static const char *const nl_errnames[] = {
	[EPERM] = "EPERM",	[ENOENT] = "ENOENT",	[E2BIG] = "E2BIG",
	[ENOMEM] = "ENOMEM",	[EBUSY] = "EBUSY",	[EEXIST] = "EEXIST",
	[ENODEV] = "ENODEV",	[EINVAL] = "EINVAL",	[ENOSPC] = "ENOSPC",
	[ERANGE] = "ERANGE",	[EMSGSIZE] = "EMSGSIZE",
	[EOPNOTSUPP] = "EOPNOTSUPP",
};

/* ------------------------------------------------------------ helpers --- */

/* run: a shell command line (printf format); its exit status, -1 if none */
static inline __printf(1, 2) int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/*
 * run_out: the same, its stdout and stderr into out (trailing newline
 * removed); its exit status
 */
static inline __printf(3, 4) int run_out(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	size_t n = 0, r;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	fflush(stdout);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n + 1 < size && (r = fread(out + n, 1, size - n - 1, p)) > 0)
		n += r;
	out[n] = 0;
	while (n && out[n - 1] == '\n')
		out[--n] = 0;
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static inline int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * nl_topo: topo.sh's "topo_init 2" in the calling process's netns (a fresh
 * one: unshare(CLONE_NEWNET)): r0 10.0.0.1/24 a veth to eth0 10.0.0.2/24 in
 * the netns src_ns (created here; "ip netns del" it after), r1 10.0.1.1/24
 * and r2 10.0.2.1/24 veths to x1 and x2 there, and d0, a dummy; all up,
 * rp_filter off.  The exit status of the commands, their output in out.
 */
static inline int nl_topo(const char *src_ns, char *out, size_t size)
{
	int ret;

	ret = run_out(out, size, "ip netns add %s", src_ns);
	if (ret)
		return ret;
	write_file("/proc/sys/net/ipv4/conf/all/rp_filter", "0");
	write_file("/proc/sys/net/ipv4/conf/default/rp_filter", "0");
	return run_out(out, size,
		       "set -e; ip link set lo up; S=%s; ip -n $S link set lo up\n"
		       "ip link add r0 type veth peer name eth0 netns $S\n"
		       "ip link add r1 type veth peer name x1 netns $S\n"
		       "ip link add r2 type veth peer name x2 netns $S\n"
		       "ip link add d0 type dummy\n"
		       "ip addr add 10.0.0.1/24 dev r0\n"
		       "ip addr add 10.0.1.1/24 dev r1\n"
		       "ip addr add 10.0.2.1/24 dev r2\n"
		       "for i in r0 r1 r2 d0; do ip link set $i up; done\n"
		       "ip -n $S addr add 10.0.0.2/24 dev eth0\n"
		       "for i in eth0 x1 x2; do ip -n $S link set $i up; done\n"
		       "ip -n $S route add default via 10.0.0.1",
		       src_ns);
}

/* ------------------------------------------------------------- module --- */

static pid_t mfwd_main_pid;
static bool mfwd_we_loaded;

static inline bool mfwd_loaded(void)
{
	struct stat st;

	return stat("/sys/module/mfwd", &st) == 0;
}

static inline void mfwd_unload(void)
{
	double end = now_s() + 30;

	if (getpid() != mfwd_main_pid || !mfwd_we_loaded)
		return;
	/* the tests' netns may still be going away: busy for a moment */
	while (syscall(SYS_delete_module, "mfwd", O_NONBLOCK) &&
	       (errno == EBUSY || errno == EAGAIN) && now_s() < end)
		sleep_ms(100);
	if (mfwd_loaded())
		fprintf(stderr, "# rmmod mfwd failed: %s\n", strerror(errno));
}

/*
 * mfwd_setup: load $MFWD_KO once for the whole program (unloaded at exit)
 * unless mfwd is loaded already; KSFT_SKIP if neither is possible, -1 on a
 * load error, else 0.
 */
static inline int mfwd_setup(void)
{
	const char *ko = getenv("MFWD_KO");
	int fd;

	mfwd_main_pid = getpid();
	if (mfwd_loaded())
		return 0;
	if (!ko || !*ko) {
		printf("# SKIP: mfwd is not loaded and MFWD_KO is not set\n");
		return 4;
	}
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("# open %s: %s\n", ko, strerror(errno));
		return -1;
	}
	if (syscall(SYS_finit_module, fd, "", 0)) {
		printf("# insmod %s: %s\n", ko, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	mfwd_we_loaded = true;
	atexit(mfwd_unload);
	return 0;
}

/* ------------------------------------------------------------ netlink --- */

static inline struct nlattr *nla_put(struct nlreq *r, int type, const void *data,
				     size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	r->nlh->nlmsg_len = NLMSG_ALIGN(r->nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static inline void nla_u32(struct nlreq *r, int type, __u32 v)
{
	nla_put(r, type, &v, 4);
}

static inline void nla_u8(struct nlreq *r, int type, __u8 v)
{
	nla_put(r, type, &v, 1);
}

static inline void nla_u16(struct nlreq *r, int type, __u16 v)
{
	nla_put(r, type, &v, 2);
}

static inline void nla_str(struct nlreq *r, int type, const char *s)
{
	nla_put(r, type, s, strlen(s) + 1);
}

static inline struct nlattr *nla_nest_start(struct nlreq *r, int type)
{
	return nla_put(r, type | NLA_F_NESTED, NULL, 0);
}

static inline void nla_nest_end(struct nlreq *r, struct nlattr *nest)
{
	nest->nla_len = r->buf + r->nlh->nlmsg_len - (char *)nest;
}

static inline void nlreq_init(struct nlreq *r, __u16 fam, __u8 cmd,
			      __u16 flags, __u8 version, __u16 reserved)
{
	struct genlmsghdr *g;

	if (!r->buf)
		r->buf = calloc(1, NL_BUF_SIZE);
	r->nlh = (struct nlmsghdr *)r->buf;
	memset(r->nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	r->nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	r->nlh->nlmsg_type = fam;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	g = NLMSG_DATA(r->nlh);
	g->cmd = cmd;
	g->version = version;
	g->reserved = reserved;
}

static inline int nl_ifindex(const char *v)
{
	char *end;
	long n = strtol(v, &end, 0);

	if (*v && !*end)
		return n;
	return if_nametoindex(v);
}

/*
 * nlreq_parse: build the request of one mfwdnl.py line ("[--dump]
 * [--replace] [--flags=N] [--reserved=N] [--version=N] CMD [ATTR...]"; see
 * helpers/mfwdnl.py); 0, or -1 if the line has a word it does not know
 */
static inline int nlreq_parse(struct nlreq *r, __u16 fam, const char *line)
{
	unsigned int flags = NLM_F_ACK, version = MFWD_GENL_VERSION, reserved = 0;
	bool replace = false;
	char *copy = strdup(line), *save = NULL, *w, *v;
	int cmd = -1, ret = 0;
	size_t i;

	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (cmd < 0 && !strncmp(w, "--", 2)) {
			if (!strcmp(w, "--dump"))
				flags = (flags & ~NLM_F_ACK) | NLM_F_DUMP;
			else if (!strcmp(w, "--replace"))
				replace = true;
			else if (!strncmp(w, "--flags=", 8))
				flags |= strtoul(w + 8, NULL, 0);
			else if (!strncmp(w, "--reserved=", 11))
				reserved = strtoul(w + 11, NULL, 0);
			else if (!strncmp(w, "--version=", 10))
				version = strtoul(w + 10, NULL, 0);
			else
				ret = -1;
			continue;
		}
		if (cmd < 0) {
			for (i = 0; i < ARRAY_SIZE(nl_cmds); i++)
				if (nl_cmds[i] && !strcmp(nl_cmds[i], w))
					cmd = i;
			if (cmd < 0)
				cmd = strtol(w, NULL, 0);
			nlreq_init(r, fam, cmd, flags, version, reserved);
			if (replace)
				nla_put(r, MFWD_A_REPLACE, NULL, 0);
			continue;
		}
		v = strchr(w, '=');
		if (!v && strchr(w, ':')) {
			/* TYPE:KIND[:VALUE]: any attribute, raw */
			int type = strtol(w, &v, 0);
			char *val = strchr(v + 1, ':');
			unsigned long n = val ? strtoul(val + 1, NULL, 0) : 0;

			if (!strncmp(v + 1, "flag", 4))
				nla_put(r, type, NULL, 0);
			else if (!strncmp(v + 1, "u8", 2))
				nla_u8(r, type, n);
			else if (!strncmp(v + 1, "u16", 3))
				nla_u16(r, type, n);
			else if (!strncmp(v + 1, "u32", 3))
				nla_u32(r, type, n);
			else
				ret = -1;
			continue;
		}
		if (v)
			*v++ = 0;
		for (i = 0; i < ARRAY_SIZE(nl_attrs); i++)
			if (!strcmp(nl_attrs[i].name, w))
				break;
		if (i == ARRAY_SIZE(nl_attrs)) {
			ret = -1;
			continue;
		}
		switch (nl_attrs[i].kind) {
		case 'i':
			nla_u32(r, nl_attrs[i].type, nl_ifindex(v));
			break;
		case 'a': {
			struct in_addr a;

			if (inet_pton(AF_INET, v, &a) != 1)
				ret = -1;
			nla_put(r, nl_attrs[i].type, &a, 4);
			break;
		}
		case 'b':
			nla_u8(r, nl_attrs[i].type, strtoul(v, NULL, 0));
			break;
		case 'u':
			nla_u32(r, nl_attrs[i].type, strtoul(v, NULL, 0));
			break;
		case 'f':
			nla_put(r, nl_attrs[i].type, NULL, 0);
			break;
		case 'o': {
			/* oif=IF[/TTL]: "oif=" an empty nest, "oif=/T" no ifindex */
			char *ttl = strchr(v, '/');
			struct nlattr *nest = nla_nest_start(r, MFWD_A_OIF);

			if (ttl)
				*ttl++ = 0;
			if (*v)
				nla_u32(r, MFWD_OIF_A_IFINDEX, nl_ifindex(v));
			if (ttl && *ttl)
				nla_u8(r, MFWD_OIF_A_TTL, strtoul(ttl, NULL, 0));
			nla_nest_end(r, nest);
			break;
		}
		}
	}
	free(copy);
	return cmd < 0 ? -1 : ret;
}

static inline int nl_sock(struct nl *nl, size_t recv_size)
{
	int one = 1;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	memset(nl, 0, sizeof(*nl));
	nl->recv_size = recv_size;
	nl->rbuf = malloc(NL_BUF_SIZE);
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	return 0;
}

static inline void nl_close(struct nl *nl)
{
	if (nl->fd > 0)
		close(nl->fd);
	free(nl->rbuf);
	nl->fd = -1;
	nl->rbuf = NULL;
}

static inline int nl_send(struct nl *nl, struct nlreq *r)
{
	r->nlh->nlmsg_seq = ++nl->seq;
	if (send(nl->fd, r->buf, r->nlh->nlmsg_len, 0) < 0)
		return -errno;
	return 0;
}

/* one recv(): its length, or -errno */
static inline ssize_t nl_recv(struct nl *nl)
{
	ssize_t n = recv(nl->fd, nl->rbuf, nl->recv_size, 0);

	return n < 0 ? -errno : n;
}

static inline char const *nl_attr_str(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static inline __u32 nl_attr_u32(const struct nlattr *a)
{
	__u32 v = 0;

	memcpy(&v, (const char *)a + NLA_HDRLEN,
	       a->nla_len - NLA_HDRLEN < 4 ? a->nla_len - NLA_HDRLEN : 4);
	return v;
}

static inline __u64 nl_attr_u64(const struct nlattr *a)
{
	__u64 v = 0;

	if (a->nla_len - NLA_HDRLEN == 8)
		memcpy(&v, (const char *)a + NLA_HDRLEN, 8);
	else
		v = nl_attr_u32(a);
	return v;
}

/* iterating: for (a = first; nla_ok(a, end); a = nla_next(a)) */
static inline bool nla_ok(const struct nlattr *a, const void *endp)
{
	const char *end = endp;

	return (const char *)a + NLA_HDRLEN <= end && a->nla_len >= NLA_HDRLEN &&
	       (const char *)a + a->nla_len <= end;
}

static inline void const *nlmsg_end(const struct nlmsghdr *h)
{
	return (const char *)h + h->nlmsg_len;
}

/* the attributes of a genetlink message */
static inline struct nlattr const *genl_attrs(const struct nlmsghdr *h)
{
	return (const void *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
}

static inline struct nlattr const *nest_first(const struct nlattr *a)
{
	return (const void *)((const char *)a + NLA_HDRLEN);
}

static inline void const *nest_end(const struct nlattr *a)
{
	return (const char *)a + a->nla_len;
}

static inline struct nlattr *nla_next(const struct nlattr *a)
{
	return (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
}

/* the status of an NLMSG_ERROR or NLMSG_DONE into ans */
static inline void nl_status(const struct nlmsghdr *h, struct nlans *ans)
{
	const char *p = NLMSG_DATA(h), *end = (const char *)h + h->nlmsg_len;
	const struct nlattr *a;
	int err;

	memcpy(&err, p, sizeof(err));
	ans->err = -err;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	p += 4;
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsghdr *req = (const void *)p;

		p += (h->nlmsg_flags & NLM_F_CAPPED) ? NLMSG_HDRLEN : req->nlmsg_len;
	}
	for (a = (const void *)p; nla_ok(a, end); a = nla_next(a)) {
		switch (a->nla_type) {
		case NLMSGERR_ATTR_MSG:
			snprintf(ans->msg, sizeof(ans->msg), "%s", nl_attr_str(a));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			ans->miss_type = nl_attr_u32(a);
			break;
		case NLMSGERR_ATTR_OFFS:
			ans->offs = nl_attr_u32(a);
			break;
		}
	}
}

static inline char const *nl_errname(int err)
{
	static char buf[16];

	if (err > 0 && err < (int)(ARRAY_SIZE(nl_errnames)) &&
	    nl_errnames[err])
		return nl_errnames[err];
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

/* ans->text: the answer as mfwdnl.py prints it (without offs=) */
static inline void nl_ans_text(struct nlans *ans)
{
	size_t n;

	if (!ans->err) {
		snprintf(ans->text, sizeof(ans->text), "ok");
		return;
	}
	n = snprintf(ans->text, sizeof(ans->text), "error %s (%s)",
		     nl_errname(ans->err), strerror(ans->err));
	if (ans->msg[0])
		n += snprintf(ans->text + n, sizeof(ans->text) - n, " msg=\"%s\"", ans->msg);
	if (ans->miss_type >= 0)
		snprintf(ans->text + n, sizeof(ans->text) - n, " miss_type=%d",
			 ans->miss_type);
}

static inline void ifname_of(__u32 idx, char *buf)
{
	if (!idx || !if_indextoname(idx, buf))
		sprintf(buf, "%u", idx);
}

/* a dumped message as mfwdnl.py prints it: "route S G iif=IF oifs=N" */
static inline void nl_dump_line(const struct nlmsghdr *h, char *line, size_t size)
{
	const struct nlattr *a, *o;
	char src[16] = "None", grp[16] = "", iif[IF_NAMESIZE + 12] = "0";
	char ifn[IF_NAMESIZE + 12] = "0";
	int noifs = 0;

	for (a = genl_attrs(h); nla_ok(a, nlmsg_end(h)); a = nla_next(a)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case MFWD_A_SOURCE:
			inet_ntop(AF_INET, nl_attr_str(a), src, sizeof(src));
			break;
		case MFWD_A_GROUP:
			inet_ntop(AF_INET, nl_attr_str(a), grp, sizeof(grp));
			break;
		case MFWD_A_IIF:
			ifname_of(nl_attr_u32(a), iif);
			break;
		case MFWD_A_IFINDEX:
			ifname_of(nl_attr_u32(a), ifn);
			break;
		case MFWD_A_OIF:
			for (o = nest_first(a); nla_ok(o, nest_end(a)); o = nla_next(o))
				if (o->nla_type == MFWD_OIF_A_IFINDEX)
					noifs++;
			break;
		}
	}
	if (grp[0])
		snprintf(line, size, "route %s %s iif=%s oifs=%d%s", src, grp, iif,
			 noifs, h->nlmsg_flags & NLM_F_DUMP_INTR ? " intr" : "");
	else
		snprintf(line, size, "vif %s%s", ifn,
			 h->nlmsg_flags & NLM_F_DUMP_INTR ? " intr" : "");
}

typedef void (*nl_msg_cb)(const struct nlmsghdr *h, void *arg);

/*
 * nl_wait: read the replies to the last request until its ack or
 * NLMSG_DONE; each reply message to cb (if any) and, for dumps, its line
 * into ans->dump.  0, or -errno of recv().
 */
static inline int nl_wait(struct nl *nl, struct nlans *ans, nl_msg_cb cb, void *arg)
{
	ssize_t n;

	memset(ans, 0, sizeof(*ans));
	ans->miss_type = -1;
	ans->offs = -1;
	for (;;) {
		struct nlmsghdr *h;

		n = nl_recv(nl);
		if (n < 0)
			return n;
		for (h = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			char line[128];
			size_t l;

			if (h->nlmsg_seq != nl->seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				ans->intr = true;
			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
				nl_status(h, ans);
				nl_ans_text(ans);
				return 0;
			}
			ans->nmsgs++;
			if (cb)
				cb(h, arg);
			nl_dump_line(h, line, sizeof(line));
			l = strlen(line);
			ans->dump = realloc(ans->dump, ans->dump_len + l + 2);
			memcpy(ans->dump + ans->dump_len, line, l);
			ans->dump_len += l + 1;
			ans->dump[ans->dump_len - 1] = '\n';
			ans->dump[ans->dump_len] = 0;
		}
	}
}

static inline void nl_ans_free(struct nlans *ans)
{
	free(ans->dump);
	ans->dump = NULL;
	ans->dump_len = 0;
}

/* nl_req: send r, wait for its answer */
static inline int nl_req(struct nl *nl, struct nlreq *r, struct nlans *ans,
			 nl_msg_cb cb, void *arg)
{
	int err = nl_send(nl, r);

	if (err) {
		memset(ans, 0, sizeof(*ans));
		ans->err = -err;
		nl_ans_text(ans);
		return err;
	}
	return nl_wait(nl, ans, cb, arg);
}

struct nl_fam_arg {
	__u16 id;
	__u32 grp;
};

static inline void nl_fam_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_fam_arg *f = arg;
	const struct nlattr *a, *g, *x;

	for (a = genl_attrs(h); nla_ok(a, nlmsg_end(h)); a = nla_next(a)) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			f->id = nl_attr_u32(a);
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		for (g = nest_first(a); nla_ok(g, nest_end(a)); g = nla_next(g)) {
			const char *name = NULL;
			__u32 id = 0;

			for (x = nest_first(g); nla_ok(x, nest_end(g)); x = nla_next(x)) {
				if (x->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					name = nl_attr_str(x);
				else if (x->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					id = nl_attr_u32(x);
			}
			if (name && !strcmp(name, MFWD_MCGRP_EVENTS))
				f->grp = id;
		}
	}
}

/* nl_open: a socket with extended acks, the "mfwd" family resolved */
static inline int nl_open(struct nl *nl)
{
	struct nl_fam_arg f = { 0 };
	struct nlreq r = { 0 };
	struct nlans ans;
	int err = nl_sock(nl, NL_BUF_SIZE);

	if (err)
		return err;
	nlreq_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK, 1, 0);
	nla_str(&r, CTRL_ATTR_FAMILY_NAME, MFWD_GENL_NAME);
	err = nl_req(nl, &r, &ans, nl_fam_cb, &f);
	free(r.buf);
	nl_ans_free(&ans);
	if (err)
		return err;
	if (ans.err)
		return -ans.err;
	nl->fam = f.id;
	nl->grp_events = f.grp;
	return 0;
}

/* nl_do: one mfwdnl.py line; its answer (ans->text, ans->dump) */
static inline int nl_do(struct nl *nl, const char *line, struct nlans *ans)
{
	struct nlreq r = { 0 };
	int err;

	if (nlreq_parse(&r, nl->fam, line)) {
		free(r.buf);
		memset(ans, 0, sizeof(*ans));
		snprintf(ans->text, sizeof(ans->text), "bad request line");
		return -EINVAL;
	}
	err = nl_req(nl, &r, ans, NULL, NULL);
	free(r.buf);
	return err;
}

/* ------------------------------------------------------------ decoding --- */

struct nl_route {
	__u32 group, source, iif;
	int noifs;
	__u32 oif[1100];
	__u8 ttl[1100];
	__u64 packets, bytes;
};

/* a ROUTE_GET reply into a struct nl_route */
static inline void nl_route_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_route *rt = arg;
	const struct nlattr *a, *o;

	for (a = genl_attrs(h); nla_ok(a, nlmsg_end(h)); a = nla_next(a)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case MFWD_A_GROUP:
			rt->group = nl_attr_u32(a);
			break;
		case MFWD_A_SOURCE:
			rt->source = nl_attr_u32(a);
			break;
		case MFWD_A_IIF:
			rt->iif = nl_attr_u32(a);
			break;
		case MFWD_A_PACKETS:
			rt->packets = nl_attr_u64(a);
			break;
		case MFWD_A_BYTES:
			rt->bytes = nl_attr_u64(a);
			break;
		case MFWD_A_OIF:
			if (rt->noifs >= 1100)
				break;
			rt->ttl[rt->noifs] = 0;
			for (o = nest_first(a); nla_ok(o, nest_end(a)); o = nla_next(o)) {
				if (o->nla_type == MFWD_OIF_A_IFINDEX)
					rt->oif[rt->noifs] = nl_attr_u32(o);
				else if (o->nla_type == MFWD_OIF_A_TTL)
					rt->ttl[rt->noifs] = *(const __u8 *)nl_attr_str(o);
			}
			rt->noifs++;
			break;
		}
	}
}

/*
 * nl_route_str: route (S, G) as "iif=IF oifs=IF/TTL,IF/TTL packets=N
 * bytes=N", or the answer if ROUTE_GET fails; S NULL for (*, G)
 */
static inline char const *nl_route_str(struct nl *nl, const char *group, const char *source)
{
	static char out[1024];
	static struct nl_route rt;
	char line[128], ifn[IF_NAMESIZE + 12];
	struct nlans ans;
	size_t n;
	int i;

	memset(&rt, 0, sizeof(rt));
	snprintf(line, sizeof(line), "route_get group=%s%s%s", group,
		 source ? " source=" : "", source ? source : "");
	{
		struct nlreq r = { 0 };

		nlreq_parse(&r, nl->fam, line);
		nl_req(nl, &r, &ans, nl_route_cb, &rt);
		free(r.buf);
	}
	nl_ans_free(&ans);
	if (ans.err)
		return snprintf(out, sizeof(out), "%s", ans.text), out;
	ifname_of(rt.iif, ifn);
	n = snprintf(out, sizeof(out), "iif=%s oifs=", ifn);
	for (i = 0; i < rt.noifs && n < sizeof(out) - 64; i++) {
		ifname_of(rt.oif[i], ifn);
		n += snprintf(out + n, sizeof(out) - n, "%s%s/%u", i ? "," : "", ifn,
			      rt.ttl[i]);
	}
	snprintf(out + n, sizeof(out) - n, " packets=%llu bytes=%llu",
		 (unsigned long long)rt.packets, (unsigned long long)rt.bytes);
	return out;
}

/* a u32/u64 attribute of the first message of a do request, or -1 */
struct nl_field_arg {
	int type;
	long long val;
};

static inline void nl_field_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_field_arg *f = arg;
	const struct nlattr *a;

	for (a = genl_attrs(h); nla_ok(a, nlmsg_end(h)); a = nla_next(a))
		if ((a->nla_type & NLA_TYPE_MASK) == f->type)
			f->val = nl_attr_u64(a);
}

static inline long long nl_field(struct nl *nl, const char *line, int type)
{
	struct nl_field_arg f = { type, -1 };
	struct nlreq r = { 0 };
	struct nlans ans;

	nlreq_parse(&r, nl->fam, line);
	nl_req(nl, &r, &ans, nl_field_cb, &f);
	free(r.buf);
	nl_ans_free(&ans);
	return ans.err ? -1 : f.val;
}

static inline long long nl_config(struct nl *nl, int type)
{
	return nl_field(nl, "config_get", type);
}

/* a VIF's u64 counter (MFWD_A_PKTS_OUT...), by device name */
static inline long long nl_vif_field(struct nl *nl, const char *dev, int type)
{
	char line[64];

	snprintf(line, sizeof(line), "vif_get ifindex=%s", dev);
	return nl_field(nl, line, type);
}

/* ------------------------------------------------------------ snapshot --- */

/* every attribute but IDLE_MS of a dumped message, as hex, into a string */
struct nl_snap {
	char *s;
	size_t len;
};

static inline void nl_snap_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_snap *sn = arg;
	const struct nlattr *a;
	int i;

	for (a = genl_attrs(h); nla_ok(a, nlmsg_end(h)); a = nla_next(a)) {
		if ((a->nla_type & NLA_TYPE_MASK) == MFWD_A_IDLE_MS)
			continue;
		sn->s = realloc(sn->s, sn->len + 2 * a->nla_len + 3);
		sn->len += sprintf(sn->s + sn->len, " %x:", a->nla_type);
		for (i = NLA_HDRLEN; i < a->nla_len; i++)
			sn->len += sprintf(sn->s + sn->len, "%02x",
					   (unsigned char)((const char *)a)[i]);
	}
	sn->s = realloc(sn->s, sn->len + 2);
	sn->s[sn->len++] = '\n';
	sn->s[sn->len] = 0;
}

/*
 * nl_snapshot: routes, VIFs and config (all but idle times) as one string
 * (malloc'ed), to compare before and after
 */
static inline char *nl_snapshot(struct nl *nl)
{
	static const char *const reqs[] = {
		"--dump route_get", "--dump vif_get", "config_get",
	};
	struct nl_snap sn = { calloc(1, 1), 0 };
	struct nlreq r = { 0 };
	struct nlans ans;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		nlreq_parse(&r, nl->fam, reqs[i]);
		nl_req(nl, &r, &ans, nl_snap_cb, &sn);
		nl_ans_free(&ans);
		sn.s = realloc(sn.s, sn.len + sizeof(ans.text) + 4);
		sn.len += sprintf(sn.s + sn.len, "= %s\n", ans.text);
	}
	free(r.buf);
	return sn.s;
}

/* ------------------------------------------------------- unprivileged --- */

#define NOBODY "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "

/*
 * nl_do_as_nobody: the requests lines[0..n-1], sent as uid/gid 65534
 * without capabilities (a child process), from the caller's netns; their
 * answers, one line each, into out.  0, or -1 if the child failed.
 */
static inline int nl_do_as_nobody(const char *const *lines, int n, char *out, size_t size)
{
	size_t len = 0;
	ssize_t r;
	int pfd[2], st, i;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct nl nl;
		FILE *f = fdopen(pfd[1], "w");

		close(pfd[0]);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534) || nl_open(&nl))
			_exit(1);
		for (i = 0; i < n; i++) {
			struct nlans a;

			nl_do(&nl, lines[i], &a);
			nl_ans_free(&a);
			fprintf(f, "%s\n", a.text);
		}
		fclose(f);
		_exit(0);
	}
	close(pfd[1]);
	while (len + 1 < size && (r = read(pfd[0], out + len, size - len - 1)) > 0)
		len += r;
	out[len] = 0;
	close(pfd[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return 0;
}

/* ---------------------------------------------------------- test glue --- */

/*
 * NL_EXPECT_CASES(sock, cases, n): each { request line, expected answer } of
 * the array cases is sent and its answer compared (EXPECT_STREQ); the
 * request is named on a mismatch.
 */
struct nl_case {
	const char *req;
	const char *want;
};

#define NL_EXPECT_CASES(sock, cases, n) do {				\
	const struct nl_case *__c = (cases);				\
	struct nl *__nl = (sock);					\
	size_t __i, __n = (n);						\
	for (__i = 0; __i < __n; __i++) {				\
		struct nlans __a;					\
		nl_do(__nl, __c[__i].req, &__a);			\
		nl_ans_free(&__a);					\
		EXPECT_STREQ(__c[__i].want, __a.text)			\
			TH_LOG("request: %s", __c[__i].req);		\
	}								\
} while (0)

static inline bool have_mfwdctl(void)
{
	return getenv("MFWDCTL") && !access(getenv("MFWDCTL"), X_OK);
}

/*
 * need_mfwdctl: true if $MFWDCTL is there; else the test is marked skipped
 * (unless something failed already: SKIP alone would turn a failure into
 * a skip) and the caller returns: if (!need_mfwdctl(_metadata)) return;
 */
static inline bool need_mfwdctl(struct __test_metadata *_metadata)
{
	if (have_mfwdctl())
		return true;
	if (_metadata->exit_code == KSFT_PASS)
		SKIP(return false, "MFWDCTL not set");
	return false;
}

/* wait_until(cond, secs): poll cond every 50 ms; true once it holds */
#define wait_until(cond, secs) ({					\
	double __end = now_s() + (secs);				\
	bool __ok;							\
	while (!(__ok = (cond)) && now_s() < __end)			\
		sleep_ms(50);						\
	__ok;								\
})

#endif /* MFWD_NL_LIB_H */
