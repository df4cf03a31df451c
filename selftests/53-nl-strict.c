// SPDX-License-Identifier: GPL-2.0
/*
 * Strict genetlink headers (resv_start_op 0) and the REPLACE attribute.
 * Every request, do or dump, read or write, is refused with EINVAL and the
 * core's extack message when the genlmsghdr's reserved field is not 0, or
 * when nlmsg_flags has a bit other than REQUEST, ACK, ECHO and DUMP: the
 * old NLM_F_REPLACE / NLM_F_CREATE / NLM_F_EXCL of ROUTE_ADD and VIF_ADD are
 * refused ("ambiguous or reserved bits set in nlmsg_flags") and change
 * nothing, also together with the REPLACE attribute. ROUTE_ADD with the
 * REPLACE flag attribute replaces a route's input and outputs and keeps its
 * counters (traffic before and after is counted in one route), and creates
 * a route that does not exist; without it an existing route is EEXIST
 * "route exists"; REPLACE with a payload (ERANGE, as the core answers a
 * flag with a length) or on another command (EINVAL) is refused by the
 * policy. mfwdctl's "route replace" sends the attribute.
 *
 * Each test runs in a netns of its own (unshare) with r0, r1, r2 (veths to
 * a sender netns) as VIFs and d0 (a dummy) as a device that is not a VIF.
 */
#include <sched.h>
#include <netinet/in.h>

#include "kselftest_harness.h"
#include "nl_lib.h"

#define G "239.1.53.1"
#define G2 "239.1.53.2"
#define G3 "239.1.53.3"
#define S "10.0.0.2"
#define PORT 5353

FIXTURE(strict) {
	struct nl nl;
	char src_ns[64];
};

FIXTURE_SETUP(strict)
{
	char out[512];
	int i;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	snprintf(self->src_ns, sizeof(self->src_ns), "mfwd53-src-%d", getpid());
	ASSERT_EQ(0, nl_topo(self->src_ns, out, sizeof(out))) TH_LOG("topology: %s", out);
	ASSERT_EQ(0, nl_open(&self->nl)) TH_LOG("no genetlink family mfwd");
	{
		static const char *const setup[] = {
			"vif_add ifindex=r0", "vif_add ifindex=r1", "vif_add ifindex=r2",
			"route_add group=" G " source=" S " iif=r0 oif=r1",
			"route_add group=" G2 " iif=r0 oif=r1 oif=r2/4",
		};
		struct nlans a;

		for (i = 0; i < (int)ARRAY_SIZE(setup); i++) {
			nl_do(&self->nl, setup[i], &a);
			ASSERT_STREQ("ok", a.text) TH_LOG("%s", setup[i]);
		}
	}
}

FIXTURE_TEARDOWN(strict)
{
	nl_close(&self->nl);
	run("ip netns del %s 2>/dev/null", self->src_ns);
}

/* send COUNT UDP packets of 100 bytes to G from the sender netns, TTL 16 */
static int send_mcast(const char *ns, const char *group, int count)
{
	char path[128];
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	pid = fork();
	if (pid == 0) {
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
		struct in_addr ifa;
		char payload[100] = { 0 };
		int fd = open(path, O_RDONLY), s, ttl = 16;

		if (fd < 0 || setns(fd, CLONE_NEWNET))
			_exit(2);
		s = socket(AF_INET, SOCK_DGRAM, 0);
		inet_pton(AF_INET, S, &ifa);
		inet_pton(AF_INET, group, &to.sin_addr);
		if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof(ifa)) ||
		    setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)))
			_exit(3);
		while (count--)
			if (sendto(s, payload, sizeof(payload), 0,
				   (struct sockaddr *)&to, sizeof(to)) != sizeof(payload))
				_exit(4);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define RESV "error EINVAL (Invalid argument) msg=\"genlmsghdr.reserved field is not 0\""
#define FLAGS \
	"error EINVAL (Invalid argument) msg=\"ambiguous or reserved bits set in nlmsg_flags\""

#define ERANGE_POLICY \
	"error ERANGE (Numerical result out of range) msg=\"Attribute failed policy validation\""

/* header checks: refused whatever the command, nothing changed */
TEST_F_TIMEOUT(strict, header, 300)
{
	static const struct nl_case cases[] = {
		{ "--reserved=1 config_get", RESV },
		{ "--reserved=0x8000 stats_get", RESV },
		{ "--reserved=1 route_get group=" G " source=" S, RESV },
		{ "--reserved=1 route_add group=" G3 " iif=r0 oif=r1", RESV },
		{ "--reserved=1 --replace route_add group=" G " source=" S " iif=r0 oif=r2",
		  RESV },
		{ "--reserved=1 route_del group=" G " source=" S, RESV },
		{ "--reserved=1 vif_add ifindex=d0", RESV },
		{ "--reserved=2 vif_del ifindex=r2", RESV },
		{ "--reserved=1 flush flush_vifs", RESV },
		{ "--reserved=1 config_set unres_qlen=2", RESV },
		{ "--dump --reserved=1 route_get", RESV },
		{ "--dump --reserved=1 vif_get", RESV },
		{ "--flags=0x100 route_add group=" G3 " iif=r0 oif=r1", FLAGS },
		{ "--flags=0x400 route_add group=" G3 " iif=r0 oif=r1", FLAGS },
		{ "--flags=0x200 route_add group=" G3 " iif=r0 oif=r1", FLAGS },
		{ "--flags=0x600 route_add group=" G3 " iif=r0 oif=r1", FLAGS },
		{ "--flags=0x500 route_add group=" G3 " iif=r0 oif=r1", FLAGS },
		{ "--flags=0x800 route_add group=" G3 " iif=r0 oif=r1", FLAGS },
		{ "--flags=0x500 route_add group=" G " source=" S " iif=r0 oif=r2", FLAGS },
		{ "--flags=0x100 --replace route_add group=" G " source=" S " iif=r0 oif=r2",
		  FLAGS },
		{ "--flags=0x400 --replace route_add group=" G3 " iif=r0 oif=r1", FLAGS },
		{ "--flags=0x600 vif_add ifindex=d0", FLAGS },
		{ "--flags=0x100 route_del group=" G " source=" S, FLAGS },
		{ "--flags=0x100 route_get group=" G " source=" S, FLAGS },
		{ "--flags=0x20 config_get", FLAGS },
		{ "--flags=0x1000 config_set unres_qlen=2", FLAGS },
		{ "--flags=0x100 flush", FLAGS },
		{ "--dump --flags=0x800 route_get", FLAGS },
		{ "--dump --flags=0x400 vif_get", FLAGS },
		/* NLM_F_REPLACE|NLM_F_EXCL is NLM_F_DUMP: ROUTE_ADD has no dump */
		{ "--flags=0x300 route_add group=" G3 " iif=r0 oif=r1",
		  "error EOPNOTSUPP (Operation not supported)" },
		{ "--flags=0x8 route_get group=" G " source=" S, "ok" },
		{ "--flags=0x8 config_get", "ok" },
	};
	char *before = nl_snapshot(&self->nl), *after;

	NL_EXPECT_CASES(&self->nl, cases, ARRAY_SIZE(cases));
	after = nl_snapshot(&self->nl);
	EXPECT_STREQ(before, after) TH_LOG("tables changed by the refused headers");
	EXPECT_EQ(4, nl_config(&self->nl, MFWD_A_UNRES_QLEN));
	TH_LOG("%zu requests: reserved field and flags checked on every command",
	       ARRAY_SIZE(cases));
	free(before);
	free(after);
}

static bool packets_is(struct nl *nl, const char *group, const char *src, long long n)
{
	char line[128];

	snprintf(line, sizeof(line), "route_get group=%s source=%s", group, src);
	return nl_field(nl, line, MFWD_A_PACKETS) == n;
}

/* REPLACE: counters kept, outputs and input replaced, or a route created */
TEST_F_TIMEOUT(strict, replace, 300)
{
	static const struct nl_case cases[] = {
		{ "--replace route_add group=" G " source=" S " iif=r0 oif=r2/7", "ok" },
		{ "route_add group=" G " source=" S " iif=r0 oif=r1",
		  "error EEXIST (File exists) msg=\"route exists\"" },
		{ "route_add group=" G2 " iif=r0 oif=r1",
		  "error EEXIST (File exists) msg=\"route exists\"" },
		{ "--replace route_add group=" G3 " iif=r1 oif=r2", "ok" },
		{ "route_add group=" G3 " iif=r1 oif=r2",
		  "error EEXIST (File exists) msg=\"route exists\"" },
		{ "route_add group=" G3 " iif=r0 oif=r1 30:u32:1", /* MFWD_A_REPLACE */
		  ERANGE_POLICY },
		{ "route_del group=" G3 " replace",
		  "error EINVAL (Invalid argument) msg=\"Unsupported attribute\"" },
		{ "route_get group=" G3 " replace",
		  "error EINVAL (Invalid argument) msg=\"Unsupported attribute\"" },
		{ "vif_add ifindex=d0 replace",
		  "error EINVAL (Invalid argument) msg=\"Unsupported attribute\"" },
		{ "config_set unres_qlen=3 replace",
		  "error EINVAL (Invalid argument) msg=\"Unsupported attribute\"" },
	};
	static const struct nl_case repl2[] = {
		{ "--replace route_add group=" G " source=" S " iif=r1 oif=r0 oif=r2/3", "ok" },
	};
	struct nl *nl = &self->nl;
	char out[512];

	ASSERT_EQ(30, MFWD_A_REPLACE);
	ASSERT_EQ(0, send_mcast(self->src_ns, G, 5));
	EXPECT_TRUE(wait_until(packets_is(nl, G, S, 5), 20))
		TH_LOG("route (S, G) counted %s, sent 5", nl_route_str(nl, G, S));
	EXPECT_STREQ("iif=r0 oifs=r1/1 packets=5 bytes=640", nl_route_str(nl, G, S));

	NL_EXPECT_CASES(nl, cases, ARRAY_SIZE(cases));
	EXPECT_STREQ("iif=r0 oifs=r2/7 packets=5 bytes=640", nl_route_str(nl, G, S));
	EXPECT_STREQ("iif=r1 oifs=r2/1 packets=0 bytes=0", nl_route_str(nl, G3, NULL));
	EXPECT_STREQ("iif=r0 oifs=r1/1,r2/4 packets=0 bytes=0", nl_route_str(nl, G2, NULL));
	EXPECT_EQ(3, nl_config(nl, MFWD_A_ROUTE_COUNT));
	EXPECT_EQ(4, nl_config(nl, MFWD_A_UNRES_QLEN));

	/* the replaced route goes on counting where it was, on its new outputs */
	ASSERT_EQ(0, send_mcast(self->src_ns, G, 3));
	EXPECT_TRUE(wait_until(packets_is(nl, G, S, 8), 20))
		TH_LOG("route (S, G) counted %s after 5 + 3", nl_route_str(nl, G, S));
	EXPECT_EQ(5, nl_vif_field(nl, "r1", MFWD_A_PKTS_OUT));
	EXPECT_EQ(3, nl_vif_field(nl, "r2", MFWD_A_PKTS_OUT));

	/* input replaced too, and mfwdctl's "route replace" (the attribute) */
	NL_EXPECT_CASES(nl, repl2, 1);
	EXPECT_STREQ("iif=r1 oifs=r0/1,r2/3 packets=8 bytes=1024", nl_route_str(nl, G, S));
	if (!need_mfwdctl(_metadata))
		return;
	EXPECT_EQ(0, run_out(out, sizeof(out), "$MFWDCTL route replace group %s source %s %s",
			     G, S, "iif r0 oif r1/9")) TH_LOG("%s", out);
	EXPECT_STREQ("iif=r0 oifs=r1/9 packets=8 bytes=1024", nl_route_str(nl, G, S));
	EXPECT_EQ(0, run_out(out, sizeof(out), "$MFWDCTL route replace group %s source %s %s",
			     "239.1.53.4", S, "iif r0 oif r2")) TH_LOG("%s", out);
	EXPECT_STREQ("iif=r0 oifs=r2/1 packets=0 bytes=0",
		     nl_route_str(nl, "239.1.53.4", S));
	EXPECT_EQ(1, run_out(out, sizeof(out), "$MFWDCTL route add group %s source %s %s",
			     G, S, "iif r0 oif r2"));
	EXPECT_STREQ("Error: route exists (File exists)", out);
}

int main(int argc, char **argv)
{
	int ret = mfwd_setup();

	if (ret)
		return ret < 0 ? KSFT_FAIL : KSFT_SKIP;
	return test_harness_run(argc, argv);
}
