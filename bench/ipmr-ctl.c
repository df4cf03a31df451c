// SPDX-License-Identifier: GPL-2.0
/*
 * ipmr-ctl - drive the kernel's ipmr (MRT_* socket options) or ip6mr (MRT6_*)
 * for the mfwd benchmarks, so that both engines get the same routes in the
 * same way.
 *
 *   ipmr-ctl serve SOCKPATH
 *	Open a raw IGMP socket in the current netns, MRT_INIT it, listen on
 *	the unix stream socket SOCKPATH and detach once ready. The daemon
 *	holds the mroute socket (ipmr removes all VIFs and routes when it
 *	closes) until SIGTERM/SIGINT or "quit", and counts the upcalls
 *	(IGMPMSG_NOCACHE, ...) that arrive on it.
 *
 *   ipmr-ctl serve6 SOCKPATH
 *	The same for ip6mr: a raw ICMPv6 socket (ICMPv6 filtered out, so
 *	only upcalls arrive), MRT6_INIT, MIFs (MRT6_ADD_MIF with the
 *	ifindex), MRT6_ADD_MFC/MRT6_DEL_MFC, MRT6_DONE on exit. Same
 *	commands, with IPv6 addresses; a route's oif/TTL is ignored (an
 *	MRT6_ADD_MFC has an output set, not thresholds: the MIF's
 *	ttl-threshold applies). Counts MRT6MSG_NOCACHE, ... upcalls.
 *
 *   ipmr-ctl -s SOCKPATH COMMAND [ARG]...
 *	Send one command to the daemon and print its one-line answer;
 *	exit 1 if it starts with "err".
 *
 * Commands:
 *   vif add IFNAME [ttl-threshold N]   MRT_ADD_VIF, VIFF_USE_IFINDEX
 *   vif del IFNAME                     MRT_DEL_VIF
 *   route add|replace group G [source S] iif IF oif IF[/TTL]...
 *   route del group G [source S]       (the mfwdctl syntax)
 *   load FILE                          run a file of "route ..." lines (the
 *                                      same files "mfwdctl -b" takes), one
 *                                      setsockopt(MRT_ADD_MFC/MRT_DEL_MFC)
 *                                      per line: ipmr's only install API.
 *                                      Answers "ok lines=N failed=F ns=T"
 *   gen add|del COUNT GROUP0 SOURCE IIF OIF...
 *                                      COUNT routes, groups GROUP0, +1, ...
 *   stats                              upcall counters
 *   quit                               MRT_DONE and exit
 *
 * Routes name interfaces; a VIF must have been added for each. MAXVIFS is
 * 32 in ipmr, the input VIF included; MAXMIFS is 32 in ip6mr, the same.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <linux/mroute.h>
#include <linux/mroute6.h>

#define MAX_WORDS 128
#define REPLY_MAX 512

#if MAXVIFS != MAXMIFS
#error "one VIF table for both families assumes MAXVIFS == MAXMIFS"
#endif

static int mfd = -1;			/* the mroute socket */
static int v6;				/* serve6: ip6mr, not ipmr */
static char ifnames[MAXVIFS][IF_NAMESIZE];
static int vif_used[MAXVIFS];
static unsigned long long upcalls[8];	/* by igmpmsg type */
static unsigned long long upcall_bytes;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int reply(char *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, REPLY_MAX, fmt, ap);
	va_end(ap);
	return strncmp(out, "err", 3) ? 0 : -1;
}

static int vif_by_name(const char *name)
{
	int i;

	for (i = 0; i < MAXVIFS; i++)
		if (vif_used[i] && !strcmp(ifnames[i], name))
			return i;
	return -1;
}

static int cmd_vif(int argc, char **argv, char *out)
{
	struct vifctl vc;
	int i, v = -1, ifindex;

	if (argc < 2)
		return reply(out, "err usage: vif add|del IFNAME");
	if (!strcmp(argv[0], "del")) {
		v = vif_by_name(argv[1]);
		if (v < 0)
			return reply(out, "err no vif %s", argv[1]);
		if (v6) {
			mifi_t mifi = v;

			if (setsockopt(mfd, IPPROTO_IPV6, MRT6_DEL_MIF, &mifi,
				       sizeof(mifi)))
				return reply(out, "err MRT6_DEL_MIF %s: %s",
					     argv[1], strerror(errno));
			vif_used[v] = 0;
			return reply(out, "ok");
		}
		memset(&vc, 0, sizeof(vc));
		vc.vifc_vifi = v;
		if (setsockopt(mfd, IPPROTO_IP, MRT_DEL_VIF, &vc, sizeof(vc)))
			return reply(out, "err MRT_DEL_VIF %s: %s", argv[1],
				     strerror(errno));
		vif_used[v] = 0;
		return reply(out, "ok");
	}
	if (strcmp(argv[0], "add"))
		return reply(out, "err usage: vif add|del IFNAME");
	if (vif_by_name(argv[1]) >= 0)
		return reply(out, "err %s is a vif already", argv[1]);
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		return reply(out, "err no interface %s", argv[1]);
	for (i = 0; i < MAXVIFS; i++)
		if (!vif_used[i]) {
			v = i;
			break;
		}
	if (v < 0)
		return reply(out, "err MAXVIFS (%d) reached", MAXVIFS);
	if (v6) {
		struct mif6ctl mc6;

		memset(&mc6, 0, sizeof(mc6));
		mc6.mif6c_mifi = v;
		mc6.mif6c_pifi = ifindex;
		mc6.vifc_threshold = 1;
		if (argc >= 4 && !strcmp(argv[2], "ttl-threshold"))
			mc6.vifc_threshold = atoi(argv[3]);
		if (setsockopt(mfd, IPPROTO_IPV6, MRT6_ADD_MIF, &mc6,
			       sizeof(mc6)))
			return reply(out, "err MRT6_ADD_MIF %s: %s", argv[1],
				     strerror(errno));
		vif_used[v] = 1;
		snprintf(ifnames[v], IF_NAMESIZE, "%s", argv[1]);
		return reply(out, "ok mifi=%d", v);
	}
	memset(&vc, 0, sizeof(vc));
	vc.vifc_vifi = v;
	vc.vifc_flags = VIFF_USE_IFINDEX;
	vc.vifc_threshold = 1;
	vc.vifc_lcl_ifindex = ifindex;
	if (argc >= 4 && !strcmp(argv[2], "ttl-threshold"))
		vc.vifc_threshold = atoi(argv[3]);
	if (setsockopt(mfd, IPPROTO_IP, MRT_ADD_VIF, &vc, sizeof(vc)))
		return reply(out, "err MRT_ADD_VIF %s: %s", argv[1],
			     strerror(errno));
	vif_used[v] = 1;
	snprintf(ifnames[v], IF_NAMESIZE, "%s", argv[1]);
	return reply(out, "ok vifi=%d", v);
}

/* A route of either family (v6 decides), as the mfwdctl syntax gives it:
 * IPv4 addresses in the first 4 bytes of grp/src.
 */
struct route {
	struct in6_addr grp, src;
	int parent;
	unsigned char ttls[MAXVIFS];	/* ip6mr: only whether it is an oif */
};

static int parse_addr(const char *val, struct in6_addr *a)
{
	return inet_pton(v6 ? AF_INET6 : AF_INET, val, a) == 1 ? 0 : -1;
}

/* The group's last 32 bits: what "gen" counts up. */
static uint32_t *grp_tail(struct route *r)
{
	return &r->grp.s6_addr32[v6 ? 3 : 0];
}

/* Parse the mfwdctl route syntax into @r; *del tells which option. */
static int parse_route(int argc, char **argv, struct route *r, int *del,
		       char *out)
{
	int i, v, have_grp = 0, have_iif = 0;

	if (argc < 1)
		return reply(out, "err usage: route add|replace|del ...");
	memset(r, 0, sizeof(*r));
	if (!strcmp(argv[0], "add") || !strcmp(argv[0], "replace"))
		*del = 0;
	else if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		*del = 1;
	else
		return reply(out, "err unknown route command %s", argv[0]);
	for (i = 1; i < argc; i++) {
		const char *k = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			return reply(out, "err %s needs an argument", k);
		i++;
		if (!strcmp(k, "group") || !strcmp(k, "to")) {
			if (parse_addr(val, &r->grp))
				return reply(out, "err bad group %s", val);
			have_grp = 1;
		} else if (!strcmp(k, "source") || !strcmp(k, "from")) {
			if (strcmp(val, "*") && parse_addr(val, &r->src))
				return reply(out, "err bad source %s", val);
		} else if (!strcmp(k, "iif")) {
			v = vif_by_name(val);
			if (v < 0)
				return reply(out, "err iif %s is no vif", val);
			r->parent = v;
			have_iif = 1;
		} else if (!strcmp(k, "oif")) {
			char name[IF_NAMESIZE + 8], *slash;
			int ttl = 1;

			snprintf(name, sizeof(name), "%s", val);
			slash = strchr(name, '/');
			if (slash) {
				*slash = 0;
				ttl = atoi(slash + 1);
			}
			if (i + 2 < argc && !strcmp(argv[i + 1], "ttl")) {
				ttl = atoi(argv[i + 2]);
				i += 2;
			}
			v = vif_by_name(name);
			if (v < 0)
				return reply(out, "err oif %s is no vif", name);
			r->ttls[v] = ttl ? ttl : 1;
		} else {
			return reply(out, "err unknown word %s", k);
		}
	}
	if (!have_grp)
		return reply(out, "err route needs a group");
	if (!*del && !have_iif)
		return reply(out, "err route add needs iif");
	return 0;
}

/* MRT(6)_ADD_MFC / MRT(6)_DEL_MFC of @r: 0, or -1 with errno set. */
static int route_op(const struct route *r, int del)
{
	struct mf6cctl mc6;
	struct mfcctl mc;
	int v;

	if (!v6) {
		memset(&mc, 0, sizeof(mc));
		memcpy(&mc.mfcc_origin, &r->src, sizeof(mc.mfcc_origin));
		memcpy(&mc.mfcc_mcastgrp, &r->grp, sizeof(mc.mfcc_mcastgrp));
		mc.mfcc_parent = r->parent;
		memcpy(mc.mfcc_ttls, r->ttls, sizeof(mc.mfcc_ttls));
		return setsockopt(mfd, IPPROTO_IP,
				  del ? MRT_DEL_MFC : MRT_ADD_MFC, &mc, sizeof(mc));
	}
	memset(&mc6, 0, sizeof(mc6));
	mc6.mf6cc_origin.sin6_family = AF_INET6;
	mc6.mf6cc_origin.sin6_addr = r->src;
	mc6.mf6cc_mcastgrp.sin6_family = AF_INET6;
	mc6.mf6cc_mcastgrp.sin6_addr = r->grp;
	mc6.mf6cc_parent = r->parent;
	for (v = 0; v < MAXVIFS; v++)
		if (r->ttls[v])
			IF_SET(v, &mc6.mf6cc_ifset);
	return setsockopt(mfd, IPPROTO_IPV6, del ? MRT6_DEL_MFC : MRT6_ADD_MFC,
			  &mc6, sizeof(mc6));
}

/* One "route ..." command: 0, or -1 with @out set. */
static int route_words(int argc, char **argv, char *out)
{
	struct route r;
	int del = 0;

	if (parse_route(argc, argv, &r, &del, out))
		return -1;
	if (!route_op(&r, del))
		return 0;
	return reply(out, "err %s: %s",
		     v6 ? (del ? "MRT6_DEL_MFC" : "MRT6_ADD_MFC") :
			  (del ? "MRT_DEL_MFC" : "MRT_ADD_MFC"),
		     strerror(errno));
}

static int split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (*p)
			*p++ = 0;
	}
}

static int cmd_route(int argc, char **argv, char *out)
{
	if (route_words(argc, argv, out))
		return -1;
	return reply(out, "ok");
}

/* A file of "route ..." lines, one setsockopt each. */
static int cmd_load(int argc, char **argv, char *out)
{
	char *line = NULL, *words[MAX_WORDS], first[REPLY_MAX] = "";
	unsigned long lines = 0, failed = 0;
	size_t cap = 0;
	uint64_t t0 = now_ns();
	FILE *f;
	int n;

	if (argc < 1)
		return reply(out, "err usage: load FILE");
	f = fopen(argv[0], "r");
	if (!f)
		return reply(out, "err %s: %s", argv[0], strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		n = split(line, words, MAX_WORDS);
		if (n <= 0)
			continue;
		lines++;
		if (n < 2 || strcmp(words[0], "route"))
			reply(out, "not a route line");
		else if (!route_words(n - 1, words + 1, out))
			continue;
		if (!failed++)
			snprintf(first, sizeof(first), "line %lu: %.200s", lines,
				 out);
	}
	free(line);
	fclose(f);
	return reply(out, "%s lines=%lu failed=%lu ns=%llu%s%.200s",
		     failed ? "err" : "ok", lines, failed,
		     (unsigned long long)(now_ns() - t0), failed ? " first=" : "",
		     first);
}

/* gen add|del COUNT GROUP0 SOURCE IIF OIF...: groups GROUP0 + i in the
 * group's last 32 bits
 */
static int cmd_gen(int argc, char **argv, char *out)
{
	unsigned long i, count, failed = 0;
	struct route r;
	uint32_t g0;
	uint64_t t0;
	int del, v;

	if (argc < 5)
		return reply(out,
			     "err usage: gen add|del COUNT GROUP0 SOURCE IIF [OIF]...");
	del = !strcmp(argv[0], "del");
	count = strtoul(argv[1], NULL, 0);
	memset(&r, 0, sizeof(r));
	if (parse_addr(argv[2], &r.grp) || parse_addr(argv[3], &r.src))
		return reply(out, "err bad address");
	v = vif_by_name(argv[4]);
	if (v < 0)
		return reply(out, "err iif %s is no vif", argv[4]);
	r.parent = v;
	for (i = 5; i < (unsigned long)argc; i++) {
		v = vif_by_name(argv[i]);
		if (v < 0)
			return reply(out, "err oif %s is no vif", argv[i]);
		r.ttls[v] = 1;
	}
	g0 = ntohl(*grp_tail(&r));
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		*grp_tail(&r) = htonl(g0 + i);
		if (route_op(&r, del))
			failed++;
	}
	return reply(out, "%s routes=%lu failed=%lu ns=%llu",
		     failed ? "err" : "ok", count, failed,
		     (unsigned long long)(now_ns() - t0));
}

static int cmd_stats(char *out)
{
	return reply(out,
		     "ok nocache=%llu wrongvif=%llu wholepkt=%llu other=%llu bytes=%llu",
		     upcalls[IGMPMSG_NOCACHE], upcalls[IGMPMSG_WRONGVIF],
		     upcalls[IGMPMSG_WHOLEPKT],
		     upcalls[0] + upcalls[4] + upcalls[5] + upcalls[6] + upcalls[7],
		     upcall_bytes);
}

static int dispatch(int argc, char **argv, char *out)
{
	if (argc < 1)
		return reply(out, "err empty command");
	if (!strcmp(argv[0], "vif"))
		return cmd_vif(argc - 1, argv + 1, out);
	if (!strcmp(argv[0], "route"))
		return cmd_route(argc - 1, argv + 1, out);
	if (!strcmp(argv[0], "load"))
		return cmd_load(argc - 1, argv + 1, out);
	if (!strcmp(argv[0], "gen"))
		return cmd_gen(argc - 1, argv + 1, out);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats(out);
	if (!strcmp(argv[0], "quit")) {
		stop = 1;
		return reply(out, "ok");
	}
	return reply(out, "err unknown command %s", argv[0]);
}

/* Read and count every pending upcall. */
static void drain_upcalls(void)
{
	char buf[65536];
	ssize_t n;

	while ((n = recv(mfd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		const struct igmpmsg *m = (const struct igmpmsg *)buf;
		const struct mrt6msg *m6 = (const struct mrt6msg *)buf;

		/* ip6mr: a zero first byte where ICMPv6 has its type (the
		 * MRT6MSG_* numbers are the IGMPMSG_* ones)
		 */
		if (v6 && (size_t)n >= sizeof(*m6) && m6->im6_mbz == 0 &&
		    m6->im6_msgtype < 8)
			upcalls[m6->im6_msgtype]++;
		else if (v6)
			upcalls[0]++;
		/* Upcalls have a zero IP protocol byte where IGMP has 2. */
		else if ((size_t)n >= sizeof(*m) && m->im_mbz == 0 &&
		    m->im_msgtype < 8)
			upcalls[m->im_msgtype]++;
		else
			upcalls[0]++;
		upcall_bytes += n;
	}
}

static void serve_client(int lfd)
{
	char buf[4096], out[REPLY_MAX + 2], *argv[MAX_WORDS];
	size_t len = 0;
	ssize_t n;
	int cfd, argc;

	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	while (len < sizeof(buf) - 1) {
		n = read(cfd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = 0;
	argc = split(buf, argv, MAX_WORDS);
	if (argc < 0)
		reply(out, "err too many words");
	else
		dispatch(argc, argv, out);
	strcat(out, "\n");
	if (write(cfd, out, strlen(out)) < 0)
		perror("ipmr-ctl: write");
	close(cfd);
}

static int serve(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sigaction sa = { .sa_handler = on_signal };
	int one = 1, lfd, rcvbuf = 8 << 20, ready[2], devnull;
	char c = 0;
	pid_t pid;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "ipmr-ctl: socket path too long\n");
		return 1;
	}
	if (v6) {
		struct icmp6_filter filt;

		mfd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
		if (mfd < 0) {
			perror("ipmr-ctl: socket(IPPROTO_ICMPV6)");
			return 1;
		}
		/* upcalls bypass the filter; ICMPv6 (MLD, ...) does not */
		ICMP6_FILTER_SETBLOCKALL(&filt);
		if (setsockopt(mfd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
			       sizeof(filt)))
			perror("ipmr-ctl: ICMP6_FILTER");
		if (setsockopt(mfd, IPPROTO_IPV6, MRT6_INIT, &one, sizeof(one))) {
			perror("ipmr-ctl: MRT6_INIT");
			return 1;
		}
	} else {
		mfd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_IGMP);
		if (mfd < 0) {
			perror("ipmr-ctl: socket(IPPROTO_IGMP)");
			return 1;
		}
		if (setsockopt(mfd, IPPROTO_IP, MRT_INIT, &one, sizeof(one))) {
			perror("ipmr-ctl: MRT_INIT");
			return 1;
		}
	}
	if (setsockopt(mfd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		perror("ipmr-ctl: socket(AF_UNIX)");
		return 1;
	}
	strcpy(sun.sun_path, path);
	unlink(path);
	if (bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) || listen(lfd, 16)) {
		fprintf(stderr, "ipmr-ctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* Detach; the parent returns once the child serves. */
	if (pipe(ready))
		return 1;
	pid = fork();
	if (pid < 0) {
		perror("ipmr-ctl: fork");
		return 1;
	}
	if (pid > 0) {
		close(ready[1]);
		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, "ipmr-ctl: daemon did not start\n");
			return 1;
		}
		printf("%d\n", pid);
		return 0;
	}
	close(ready[0]);
	setsid();
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		close(devnull);
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (write(ready[1], &c, 1) != 1)
		return 1;
	close(ready[1]);

	while (!stop) {
		struct pollfd p[2] = {
			{ .fd = lfd, .events = POLLIN },
			{ .fd = mfd, .events = POLLIN },
		};

		if (poll(p, 2, 1000) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents & POLLIN)
			drain_upcalls();
		if (p[0].revents & POLLIN)
			serve_client(lfd);
	}
	if (v6)
		setsockopt(mfd, IPPROTO_IPV6, MRT6_DONE, &one, sizeof(one));
	else
		setsockopt(mfd, IPPROTO_IP, MRT_DONE, &one, sizeof(one));
	close(mfd);
	close(lfd);
	/* The path is left: a new daemon may have bound it already. */
	return 0;
}

static int client(const char *path, int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[4096], out[REPLY_MAX + 1];
	size_t len = 0, got = 0;
	ssize_t n;
	int fd, i;

	for (i = 0; i < argc; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? " " : "", argv[i]);
	if (len >= sizeof(buf) - 2) {
		fprintf(stderr, "ipmr-ctl: command too long\n");
		return 2;
	}
	buf[len++] = '\n';
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "ipmr-ctl: %s: %s\n", path, strerror(errno));
		return 2;
	}
	if (write(fd, buf, len) != (ssize_t)len) {
		perror("ipmr-ctl: write");
		return 2;
	}
	while (got < REPLY_MAX && (n = read(fd, out + got, REPLY_MAX - got)) > 0)
		got += n;
	out[got] = 0;
	close(fd);
	fputs(out, stdout);
	return strncmp(out, "ok", 2) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "serve6")) {
		v6 = 1;
		return serve(argv[2]);
	}
	if (argc >= 4 && !strcmp(argv[1], "-s"))
		return client(argv[2], argc - 3, argv + 3);
	fprintf(stderr,
		"usage: ipmr-ctl serve|serve6 SOCKPATH\n"
		"       ipmr-ctl -s SOCKPATH COMMAND [ARG]...\n");
	return 2;
}
