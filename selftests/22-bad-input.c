// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input: every invalid request gets the documented errno and extack
 * message, and changes nothing (route and VIF dumps, config identical
 * before and after).  Checked twice: with raw generic-netlink requests
 * (also what mfwdctl refuses to send) and, where mfwdctl passes the request
 * on, with mfwdctl ("Error: MSG (strerror)").  The limits: max-routes
 * (ENOSPC), more than 1024 outputs (E2BIG).  Unprivileged users (uid 65534
 * without capabilities, also as "root" of a user namespace that does not
 * own the netns) get EPERM for every write and can still read everything;
 * the user namespace's root may use mfwd in a netns it owns.
 *
 * Each test runs in a netns of its own (unshare) with r0, r1, r2 (veths) as
 * VIFs and d0 (a dummy) as a device that is not a VIF; the routes
 * (10.0.0.2, 239.1.11.1) r0 -> r1/4 and (*, 239.1.11.2) r0 -> r1 r2.
 */
#include <sched.h>

#include "kselftest_harness.h"
#include "nl_lib.h"

#define G "239.1.11.1"
#define G2 "239.1.11.2"
#define S "10.0.0.2"
#define RT " group=" G2 " source=10.9.9.9"

FIXTURE(bad) {
	struct nl nl;
	char src_ns[64];
	char *before;
};

FIXTURE_SETUP(bad)
{
	static const char *const setup[] = {
		"vif_add ifindex=r0", "vif_add ifindex=r1", "vif_add ifindex=r2",
		"route_add group=" G " source=" S " iif=r0 oif=r1/4",
		"route_add group=" G2 " iif=r0 oif=r1 oif=r2",
	};
	char out[512];
	struct nlans a;
	size_t i;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	snprintf(self->src_ns, sizeof(self->src_ns), "mfwd22-src-%d", getpid());
	ASSERT_EQ(0, nl_topo(self->src_ns, out, sizeof(out))) TH_LOG("topology: %s", out);
	ASSERT_EQ(0, nl_open(&self->nl)) TH_LOG("no genetlink family mfwd");
	for (i = 0; i < ARRAY_SIZE(setup); i++) {
		nl_do(&self->nl, setup[i], &a);
		ASSERT_STREQ("ok", a.text) TH_LOG("%s", setup[i]);
	}
	self->before = nl_snapshot(&self->nl);
}

FIXTURE_TEARDOWN(bad)
{
	free(self->before);
	nl_close(&self->nl);
	run("ip netns del %s 2>/dev/null", self->src_ns);
}

#define EXPECT_UNCHANGED(what) do {					\
	char *__now = nl_snapshot(&self->nl);				\
	EXPECT_STREQ(self->before, __now) TH_LOG("tables after %s", what); \
	free(__now);							\
} while (0)

#define A_ENODEV "error ENODEV (No such device) msg=\"unknown interface\""
#define ENOENT_VIF "error ENOENT (No such file or directory) msg=\"interface is not a VIF\""
#define A_EINVAL "error EINVAL (Invalid argument)"
#define BADGRP A_EINVAL " msg=\"group is not a routable multicast address\""
#define BADSRC A_EINVAL " msg=\"source is not a unicast address\""
#define UNSUP A_EINVAL " msg=\"Unsupported attribute\""
#define RANGE "error ERANGE (Numerical result out of range) msg=\"integer out of range\""
#define NOROUTE "error ENOENT (No such file or directory) msg=\"no such route\""
#define EXISTS "error EEXIST (File exists) msg=\"route exists\""
#define TWICE A_EINVAL " msg=\"an output VIF is listed twice\""
#define IIF_OUT A_EINVAL " msg=\"input VIF listed as output\""

/* raw requests: the documented errno and extack each, nothing changed */
TEST_F_TIMEOUT(bad, raw, 300)
{
	static const struct nl_case cases[] = {
		{ "vif_add ifindex=99999", A_ENODEV },
		{ "vif_del ifindex=99999", A_ENODEV },
		{ "vif_get ifindex=99999", A_ENODEV },
		{ "route_add" RT " iif=99999 oif=r1", A_ENODEV },
		{ "route_add" RT " iif=r0 oif=99999", A_ENODEV },
		{ "route_add" RT " iif=r0 oif=r1 oif=99999", A_ENODEV },
		{ "vif_del ifindex=d0", ENOENT_VIF },
		{ "vif_get ifindex=d0", ENOENT_VIF },
		{ "route_add" RT " iif=d0 oif=r1", ENOENT_VIF },
		{ "route_add" RT " iif=r0 oif=r1 oif=d0", ENOENT_VIF },
		{ "--replace route_add group=" G " source=" S " iif=r0 oif=d0", ENOENT_VIF },
		{ "--replace route_add group=" G " source=" S " iif=d0 oif=r1", ENOENT_VIF },
		{ "route_add group=10.1.1.1 iif=r0 oif=r1", BADGRP },
		{ "route_add group=224.0.0.5 iif=r0 oif=r1", BADGRP },
		{ "route_add group=224.0.0.255 iif=r0 oif=r1", BADGRP },
		{ "route_add group=255.255.255.255 iif=r0 oif=r1", BADGRP },
		{ "route_add group=0.0.0.0 iif=r0 oif=r1", BADGRP },
		{ "route_del group=10.1.1.1", BADGRP },
		{ "route_add group=" G2 " source=239.9.9.9 iif=r0 oif=r1", BADSRC },
		{ "route_add group=" G2 " source=224.0.0.1 iif=r0 oif=r1", BADSRC },
		{ "route_add group=" G2 " source=255.255.255.255 iif=r0 oif=r1", BADSRC },
		{ "route_add group=" G " source=" S " iif=r0 oif=r1", EXISTS },
		{ "route_add group=" G2 " iif=r0 oif=r2", EXISTS },
		{ "vif_add ifindex=r0",
		  "error EEXIST (File exists) msg=\"interface is a VIF already\"" },
		{ "route_add" RT " oif=r1", A_EINVAL " miss_type=8" },
		{ "route_add source=10.9.9.9 iif=r0 oif=r1", A_EINVAL " miss_type=7" },
		{ "route_del source=" S, A_EINVAL " miss_type=7" },
		{ "vif_add", A_EINVAL " miss_type=2" },
		{ "vif_del", A_EINVAL " miss_type=2" },
		{ "route_add" RT " iif=r0 oif=", A_EINVAL " miss_type=1" },
		{ "route_add" RT " iif=r0 oif=/5", A_EINVAL " miss_type=1" },
		{ "route_add" RT " iif=r0 oif=r0", IIF_OUT },
		{ "route_add" RT " iif=r0 oif=r1 oif=r2 oif=r0", IIF_OUT },
		{ "route_add" RT " iif=r0 oif=r1 oif=r1", TWICE },
		{ "route_add" RT " iif=r0 oif=r1 oif=r2 oif=r1/9", TWICE },
		{ "--replace route_add group=" G " source=" S " iif=r0 oif=r2 oif=r2", TWICE },
		{ "route_del group=239.9.9.9", NOROUTE },
		{ "route_del group=" G, NOROUTE },
		{ "route_del group=" G2 " source=" S, NOROUTE },
		{ "route_get group=239.9.9.9 source=" S, NOROUTE },
		{ "vif_add ifindex=lo", A_EINVAL " msg=\"loopback cannot be a VIF\"" },
		{ "vif_add ifindex=d0 group=" G, UNSUP },
		{ "vif_add ifindex=d0 iif=r0", UNSUP },
		{ "vif_del ifindex=r2 oif=r1", UNSUP },
		{ "route_add" RT " iif=r0 oif=r1 ifindex=r1", UNSUP },
		{ "route_add" RT " iif=r0 oif=r1 threshold=3", UNSUP },
		{ "route_del group=" G " source=" S " iif=r0",
		  A_EINVAL " msg=\"iif filters dumps only\"" },
		{ "route_del group=" G " source=" S " oif=r1", UNSUP },
		{ "route_get group=" G " source=" S " flush_vifs", UNSUP },
		{ "flush group=" G, UNSUP },
		{ "stats_get ifindex=r0", UNSUP },
		{ "config_get max_routes=5", UNSUP },
		{ "config_set ifindex=r0", UNSUP },
		{ "config_set unres_qlen=2 group=" G, UNSUP },
		{ "vif_add ifindex=d0 200:u32:1", A_EINVAL " msg=\"Unknown attribute type\"" },
		{ "route_add" RT " iif=r0 oif=r1 7:u16:1",
		  A_EINVAL " msg=\"invalid attribute length\"" },
		{ "vif_add ifindex=d0 flags=0x100", A_EINVAL " msg=\"reserved bit set\"" },
		{ "vif_add ifindex=d0 threshold=0", RANGE },
		{ "vif_add ifindex=0", RANGE },
		{ "route_add" RT " iif=r0 oif=r1/0", RANGE },
		{ "config_set unres_qlen=5000", RANGE },
		{ "config_set unres_timeout_ms=1 unres_qlen=2", RANGE },
		{ "config_set max_routes=0", RANGE },
	};

	ASSERT_EQ(7, MFWD_A_GROUP);
	ASSERT_EQ(8, MFWD_A_IIF);
	ASSERT_EQ(2, MFWD_A_IFINDEX);
	NL_EXPECT_CASES(&self->nl, cases, ARRAY_SIZE(cases));
	EXPECT_UNCHANGED("the failed raw requests");
	TH_LOG("%zu bad raw requests", ARRAY_SIZE(cases));
}

#define FULL "error ENOSPC (No space left on device) msg=\"route table is full (max-routes)\""

#define FULL_CTL "Error: route table is full (max-routes) (No space left on device)"

/* max-routes (ENOSPC), more than 1024 outputs (E2BIG) */
TEST_F_TIMEOUT(bad, limits, 300)
{
	static const struct nl_case cases[] = {
		{ "route_add group=239.1.11.9 iif=r0 oif=r1", FULL },
		{ "route_add group=239.1.11.9 source=" S " iif=r0 oif=r2", FULL },
	};
	long long maxr = nl_config(&self->nl, MFWD_A_MAX_ROUTES);
	char line[64 + 1025 * 8] = "route_add group=239.1.11.10 iif=r0", set[64], out[512];
	struct nlans a;
	int i;

	ASSERT_LT(0, maxr);
	nl_do(&self->nl, "config_set max_routes=2", &a);
	ASSERT_STREQ("ok", a.text);
	NL_EXPECT_CASES(&self->nl, cases, ARRAY_SIZE(cases));
	for (i = 0; i < 1025; i++)
		strcat(line, " oif=r1");
	nl_do(&self->nl, line, &a);
	EXPECT_STREQ("error E2BIG (Argument list too long) msg=\"too many outputs\"", a.text);
	if (have_mfwdctl()) {
		EXPECT_NE(0, run_out(out, sizeof(out),
				     "$MFWDCTL route add group 239.1.11.9 iif r0 oif r1"));
		EXPECT_EQ(0, strncmp(out, FULL_CTL, strlen(FULL_CTL))) TH_LOG("mfwdctl: %s", out);
	}
	snprintf(set, sizeof(set), "config_set max_routes=%lld", maxr);
	nl_do(&self->nl, set, &a);
	ASSERT_STREQ("ok", a.text);
	EXPECT_UNCHANGED("the limit checks");
}

/* the same through mfwdctl, where it reaches the kernel */
TEST_F_TIMEOUT(bad, mfwdctl, 300)
{
	static const struct nl_case cases[] = {
		{ "vif add dev if99999", "Error: unknown interface (No such device)" },
		{ "vif del dev if99999", "Error: unknown interface (No such device)" },
		{ "route add group " G2 " source 10.9.9.9 iif if99999 oif r1",
		  "Error: unknown interface (No such device)" },
		{ "route add group " G2 " source 10.9.9.9 iif r0 oif if99999",
		  "Error: unknown interface (No such device)" },
		{ "vif del dev d0", "Error: interface is not a VIF (No such file or directory)" },
		{ "route add group " G2 " source 10.9.9.9 iif d0 oif r1",
		  "Error: interface is not a VIF (No such file or directory)" },
		{ "route replace group " G " source " S " iif r0 oif r1 oif d0",
		  "Error: interface is not a VIF (No such file or directory)" },
		{ "route add group " G " source " S " iif r0 oif r2",
		  "Error: route exists (File exists)" },
		{ "route add group " G2 " iif r0 oif r2", "Error: route exists (File exists)" },
		{ "vif add dev r1", "Error: interface is a VIF already (File exists)" },
		{ "route add group " G2 " source 10.9.9.9 iif r0 oif r1 oif r0",
		  "Error: input VIF listed as output (Invalid argument)" },
		{ "route del group 239.9.9.9", "Error: no such route (No such file or directory)" },
		{ "route del group " G2 " source " S,
		  "Error: no such route (No such file or directory)" },
		{ "vif add dev lo", "Error: loopback cannot be a VIF (Invalid argument)" },
	};
	/* refused by mfwdctl itself: must fail all the same */
	static const char *const refused[] = {
		"route add group 224.0.0.5 iif r0 oif r1",
		"route add group 10.1.1.1 iif r0 oif r1",
		"route add group " G2 " source 239.9.9.9 iif r0 oif r1",
		"route add group " G2 " oif r1",
		"route add group " G2 " source 10.9.9.9 iif r0 oif r1 oif r1",
		"vif add dev nosuchdev",
	};
	char out[1024];
	size_t i;

	if (!need_mfwdctl(_metadata))
		return;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_NE(0, run_out(out, sizeof(out), "$MFWDCTL %s", cases[i].req))
			TH_LOG("mfwdctl %s succeeded", cases[i].req);
		EXPECT_EQ(0, strncmp(out, cases[i].want, strlen(cases[i].want)))
			TH_LOG("mfwdctl %s: expected '%s', got '%s'", cases[i].req,
			       cases[i].want, out);
	}
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		/* braces: EXPECT_*() TH_LOG() is two statements */
		EXPECT_NE(0, run_out(out, sizeof(out), "$MFWDCTL %s", refused[i]))
			TH_LOG("mfwdctl %s succeeded", refused[i]);
	}
	EXPECT_UNCHANGED("failed mfwdctl commands");
}

/* s without the digits of each "idle_ms":N (they differ from read to read) */
static char *no_idle(char *s)
{
	char *p = s, *q;

	while ((p = strstr(p, "\"idle_ms\":"))) {
		p += 10;
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		memmove(p, q, strlen(q) + 1);
	}
	return s;
}

/* uid 65534 without capabilities: EPERM for every write, reads work */
TEST_F_TIMEOUT(bad, unprivileged, 300)
{
	static const char *const writes[] = {
		"vif add dev d0", "vif add dev d0 ttl-threshold 3", "vif del dev r1",
		"vif del dev d0", "route add group 239.1.11.3 iif r0 oif r1",
		"route add group " G " source " S " iif r0 oif r2",
		"route replace group " G " source " S " iif r0 oif r2",
		"route del group " G " source " S, "route del group " G2,
		"route del group 239.9.9.9", "flush", "flush routes", "flush all",
		"config set unres-qlen 3", "config set max-routes 10",
	};
	static const char *const raw[] = {
		"vif_add ifindex=d0", "vif_del ifindex=r1", "vif_del ifindex=99999",
		"route_add group=239.1.11.3 iif=r0 oif=r1",
		"--replace route_add group=" G " source=" S " iif=r0 oif=r2",
		"route_add group=10.1.1.1 iif=r0",
		"route_del group=" G " source=" S, "route_del group=239.9.9.9",
		"flush", "flush flush_vifs", "config_set unres_qlen=3",
	};
	static const char *const reads[] = {
		"route show", "-j route show", "-s vif show", "-j vif show", "-j stats",
		"config show", "route get group " G " source " S, "route show group " G2,
	};
	char out[4096], want[4096], *p;
	size_t i;
	int n = 0;

	/* raw requests: one EPERM line each */
	ASSERT_EQ(0, nl_do_as_nobody(raw, ARRAY_SIZE(raw), out, sizeof(out)));
	for (p = strtok(out, "\n"); p; p = strtok(NULL, "\n"), n++) {
		EXPECT_STREQ("error EPERM (Operation not permitted)", p)
			TH_LOG("unprivileged %s", n < (int)ARRAY_SIZE(raw) ? raw[n] : "?");
	}
	EXPECT_EQ(ARRAY_SIZE(raw), n);
	EXPECT_UNCHANGED("unprivileged raw writes");
	if (!need_mfwdctl(_metadata))
		return;
	for (i = 0; i < ARRAY_SIZE(writes); i++) {
		EXPECT_NE(0, run_out(out, sizeof(out), NOBODY "$MFWDCTL %s", writes[i]))
			TH_LOG("unprivileged mfwdctl %s succeeded", writes[i]);
		EXPECT_TRUE(strstr(out, "Operation not permitted"))
			TH_LOG("unprivileged mfwdctl %s: %s", writes[i], out);
	}
	EXPECT_UNCHANGED("unprivileged writes");
	for (i = 0; i < ARRAY_SIZE(reads); i++) {
		EXPECT_EQ(0, run_out(out, sizeof(out), NOBODY "$MFWDCTL %s", reads[i]))
			TH_LOG("unprivileged mfwdctl %s: %s", reads[i], out);
		run_out(want, sizeof(want), "$MFWDCTL %s", reads[i]);
		EXPECT_STREQ(no_idle(want), no_idle(out))
			TH_LOG("unprivileged mfwdctl %s", reads[i]);
	}
}

/*
 * "root" in a user namespace that does not own the netns: EPERM; in the
 * netns it creates, mfwd works, separately.  User namespaces need the
 * test out of the VM's chroot: helpers/unchroot.sh, from a small script.
 */
TEST_F_TIMEOUT(bad, userns, 300)
{
	char script[] = "/tmp/mfwd22-userns-XXXXXX", out[2048];
	const char *dir = getenv("SELFTESTS") ?: SELFTESTS_DIR;
	FILE *f;
	int fd, rc;

	if (!need_mfwdctl(_metadata))
		return;
	fd = mkstemp(script);
	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	fprintf(f, ". '%s/helpers/unchroot.sh'\n", dir);
	fprintf(f, "N='%s'\n", NOBODY);
	fprintf(f, "$N unshare --user --map-root-user true 2>/dev/null || exit 4\n");
	fprintf(f, "out=$($N unshare --user --map-root-user \"$MFWDCTL\" %s 2>&1) &&\n",
		"route del group " G " source " S);
	fprintf(f, "echo \"deleted: $out\"\necho \"del: $out\"\n");
	fprintf(f, "$N unshare --user --map-root-user --net sh -c \"%s%s\" 2>&1 || %s\n",
		"ip link add d9 type dummy && '$MFWDCTL' vif add dev d9 && ",
		"'$MFWDCTL' -j config show", "echo own netns failed");
	fclose(f);
	chmod(script, 0755);
	/* the script runs in this netns: unchroot.sh moves only the mount ns */
	rc = run_out(out, sizeof(out), "bash %s", script);
	unlink(script);
	if (rc == 4)
		SKIP(return, "unprivileged user namespaces unavailable");
	ASSERT_EQ(0, rc) TH_LOG("%s", out);
	EXPECT_FALSE(strstr(out, "deleted")) TH_LOG("userns root deleted a route: %s", out);
	EXPECT_TRUE(strstr(out, "del: ") && strstr(out, "Operation not permitted"))
		TH_LOG("%s", out);
	EXPECT_TRUE(strstr(out, "\"vif_count\":1,") && strstr(out, "\"route_count\":0"))
		TH_LOG("config in the user-owned netns: %s", out);
	EXPECT_UNCHANGED("the userns attempts");
}

int main(int argc, char **argv)
{
	int ret = mfwd_setup();

	if (ret)
		return ret < 0 ? KSFT_FAIL : KSFT_SKIP;
	return test_harness_run(argc, argv);
}
