// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps. Filters: a ROUTE_GET dump with any of GROUP, SOURCE (0.0.0.0:
 * only (*,G) routes) and IIF returns exactly the routes matching all of
 * them, a VIF_GET dump with IFINDEX only that VIF; "mfwdctl route show"
 * with group/source/iif prints the same; an attribute a dump does not take
 * is refused (EINVAL "Unsupported attribute", nothing dumped), and IIF on a
 * ROUTE_GET do is refused too.
 * Size: in a netns with 1024 VIFs (dummy devices), a route with 1023
 * outputs (every other VIF, each with a TTL: a 20.6 KB message) dumps
 * complete, with routes before and after it, to a fresh socket (one that
 * never called recvmsg before the dump request, so the kernel has no
 * receive size to go by) read with a 64 KiB buffer; also as the first
 * route of a dump (filtered by its group), which ended in EMSGSIZE before
 * the dump reserved room for such a route; mfwdctl shows it too.
 * Consistency: a multi-part dump (3000 routes; 1024 VIFs) read one part at
 * a time, with a route added or deleted (a VIF added or deleted) from
 * another socket after the first part, marks a later message
 * NLM_F_DUMP_INTR, none of the messages built before the change, and ends
 * normally; mfwdctl, stalled on a full stdout pipe while the table
 * changes, prints "Dump was interrupted and may be inconsistent." on stderr
 * after the whole list and exits 0, as ip(8) does.
 * timeout: 900
 */
#include <sched.h>

#include "kselftest_harness.h"
#include "nl_lib.h"

#define G1 "239.54.0.1"
#define G2 "239.54.0.2"
#define G3 "239.54.0.3"
#define S1 "10.54.0.1"
#define S2 "10.54.0.2"

/* the lines of s (split at '\n' or ';', blanks trimmed) sorted, joined by ';' */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted(const char *s)
{
	char *copy = strdup(s ?: ""), *item[4096], *p, *save = NULL, *out;
	size_t n = 0, i, len = 1;

	for (p = strtok_r(copy, "\n;", &save); p && n < 4096;
	     p = strtok_r(NULL, "\n;", &save)) {
		char *e;

		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = 0;
		if (*p) {
			item[n++] = p;
			len += strlen(p) + 1;
		}
	}
	qsort(item, n, sizeof(item[0]), cmp_str);
	out = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, ";");
		strcat(out, item[i]);
	}
	free(copy);
	return out;
}

FIXTURE(filter) {
	struct nl nl;
};

FIXTURE_SETUP(filter)
{
	static const char *const setup[] = {
		"vif_add ifindex=d0", "vif_add ifindex=d1", "vif_add ifindex=d2",
		"vif_add ifindex=d3",
		"route_add group=" G1 " source=" S1 " iif=d0 oif=d1",
		"route_add group=" G1 " source=" S2 " iif=d1 oif=d0 oif=d2",
		"route_add group=" G1 " iif=d0 oif=d2",
		"route_add group=" G2 " source=" S1 " iif=d2 oif=d1",
		"route_add group=" G2 " iif=d1",
		"route_add group=" G3 " iif=d0 oif=d1 oif=d2 oif=d3",
	};
	char out[512];
	struct nlans a;
	size_t i;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, run_out(out, sizeof(out), "set -e; ip link set lo up\n"
			     "for i in 0 1 2 3 5; do ip link add d$i type dummy; "
			     "ip link set d$i up; done")) TH_LOG("%s", out);
	ASSERT_EQ(0, nl_open(&self->nl)) TH_LOG("no genetlink family mfwd");
	for (i = 0; i < ARRAY_SIZE(setup); i++) {
		nl_do(&self->nl, setup[i], &a);
		ASSERT_STREQ("ok", a.text) TH_LOG("%s", setup[i]);
	}
}

FIXTURE_TEARDOWN(filter)
{
	nl_close(&self->nl);
}

#define R1 "route " S1 " " G1 " iif=d0 oifs=1"
#define R2 "route " S2 " " G1 " iif=d1 oifs=2"
#define R3 "route 0.0.0.0 " G1 " iif=d0 oifs=1"
#define R4 "route " S1 " " G2 " iif=d2 oifs=1"
#define R5 "route 0.0.0.0 " G2 " iif=d1 oifs=0"
#define R6 "route 0.0.0.0 " G3 " iif=d0 oifs=3"
#define UNSUP "error EINVAL (Invalid argument) msg=\"Unsupported attribute\""

/* filters honoured, other attributes refused */
TEST_F_TIMEOUT(filter, dumps, 300)
{
	static const struct {
		const char *req, *lines, *answer;
	} cases[] = {
		{ "--dump route_get", R1 ";" R2 ";" R3 ";" R4 ";" R5 ";" R6, "ok" },
		{ "--dump route_get group=" G1, R1 ";" R2 ";" R3, "ok" },
		{ "--dump route_get group=" G3, R6, "ok" },
		{ "--dump route_get group=239.54.9.9", "", "ok" },
		{ "--dump route_get source=" S1, R1 ";" R4, "ok" },
		{ "--dump route_get source=0.0.0.0", R3 ";" R5 ";" R6, "ok" },
		{ "--dump route_get source=10.54.9.9", "", "ok" },
		{ "--dump route_get iif=d0", R1 ";" R3 ";" R6, "ok" },
		{ "--dump route_get iif=d1", R2 ";" R5, "ok" },
		{ "--dump route_get iif=d3", "", "ok" },
		{ "--dump route_get iif=d5", "", "ok" },
		{ "--dump route_get group=" G1 " source=0.0.0.0", R3, "ok" },
		{ "--dump route_get group=" G1 " iif=d0", R1 ";" R3, "ok" },
		{ "--dump route_get source=" S1 " iif=d2", R4, "ok" },
		{ "--dump route_get group=" G2 " source=" S1 " iif=d2", R4, "ok" },
		{ "--dump route_get group=" G2 " source=" S1 " iif=d0", "", "ok" },
		{ "--dump route_get group=" G1 " source=" S2 " iif=d1", R2, "ok" },
		{ "--dump vif_get", "vif d0;vif d1;vif d2;vif d3", "ok" },
		{ "--dump vif_get ifindex=d2", "vif d2", "ok" },
		{ "--dump vif_get ifindex=d5", "", "ok" },
		{ "--dump route_get oif=d1", "", UNSUP },
		{ "--dump route_get ifindex=d0", "", UNSUP },
		{ "--dump route_get packets=1", "", UNSUP },
		{ "--dump route_get replace", "", UNSUP },
		{ "--dump route_get group=" G1 " flush_vifs", "", UNSUP },
		{ "--dump vif_get iif=d0", "", UNSUP },
		{ "--dump vif_get group=" G1, "", UNSUP },
		{ "--dump vif_get ifindex=d0 threshold=2", "", UNSUP },
		{ "--dump vif_get ifindex=0", "",
		  "error ERANGE (Numerical result out of range) msg=\"integer out of range\"" },
		{ "route_get group=" G1 " source=" S1 " iif=d0", "",
		  "error EINVAL (Invalid argument) msg=\"iif filters dumps only\"" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nlans a;
		char *got, *want;

		nl_do(&self->nl, cases[i].req, &a);
		got = sorted(a.dump);
		want = sorted(cases[i].lines);
		EXPECT_STREQ(want, got) TH_LOG("%s: dumped", cases[i].req);
		EXPECT_STREQ(cases[i].answer, a.text) TH_LOG("%s: answer", cases[i].req);
		free(got);
		free(want);
		nl_ans_free(&a);
	}
}

/* "source group iif oifs" a route of "mfwdctl -j route show" */
static const char py_routes[] =
	"import json, sys\n"
	"for r in json.load(sys.stdin):\n"
	"    print(r[\"source\"], r[\"group\"], r[\"iif\"], len(r[\"oifs\"]))\n";

/* mfwdctl route show sends the same filters: the same routes */
TEST_F_TIMEOUT(filter, mfwdctl, 300)
{
	static const struct {
		const char *args, *want;
	} cases[] = {
		{ "group " G1 " source '*'", "* " G1 " d0 1" },
		{ "iif d1", "* " G2 " d1 0;" S2 " " G1 " d1 2" },
		{ "source " S1 " iif d2", S1 " " G2 " d2 1" },
		{ "group " G3 " dev d3", "* " G3 " d0 3" },
		{ "group 239.54.9.9", "" },
	};
	char out[4096], *got;
	size_t i;

	if (!need_mfwdctl(_metadata))
		return;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* "source group iif oifs" a route */
		EXPECT_EQ(0, run_out(out, sizeof(out), "$MFWDCTL -j route show %s | %s '%s'",
				     cases[i].args, "python3 -c", py_routes));
		got = sorted(out);
		EXPECT_STREQ(cases[i].want, got) TH_LOG("mfwdctl route show %s", cases[i].args);
		free(got);
	}
}

/* ---- 1024 VIFs ---------------------------------------------------------- */

FIXTURE(big) {
	struct nl nl;
};

FIXTURE_SETUP(big)
{
	char out[512], line[64];
	struct nlans a;
	int i;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, run_out(out, sizeof(out), "%s%s%s", "ip link set lo up && ",
			     "for i in $(seq 0 1023); do echo link add v$i type dummy; ",
			     "echo link set v$i up; done | ip -b -"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, nl_open(&self->nl)) TH_LOG("no genetlink family mfwd");
	for (i = 0; i < 1024; i++) {
		snprintf(line, sizeof(line), "vif_add ifindex=v%d flags=%d", i,
			 MFWD_VIF_F_NO_ALLMULTI);
		nl_do(&self->nl, line, &a);
		ASSERT_STREQ("ok", a.text) TH_LOG("%s", line);
	}
	ASSERT_EQ(1024, nl_config(&self->nl, MFWD_A_VIF_COUNT));
}

FIXTURE_TEARDOWN(big)
{
	nl_close(&self->nl);
}

struct fresh {
	int n;
	int big_oifs;
	char order[256];
};

static void fresh_cb(const struct nlmsghdr *h, void *arg)
{
	static struct nl_route rt;
	struct fresh *f = arg;
	char g[16];

	memset(&rt, 0, sizeof(rt));
	nl_route_cb(h, &rt);
	f->n++;
	inet_ntop(AF_INET, &rt.group, g, sizeof(g));
	if (!strcmp(g, "239.54.2.1"))
		f->big_oifs = rt.noifs;
	/* the third number of the group: 1, 2 or 3 */
	snprintf(f->order + strlen(f->order), sizeof(f->order) - strlen(f->order), "%s%c",
		 f->n > 1 ? " " : "", g[7]);
}

/*
 * fresh_dump: dump routes (FILTER attributes) on a socket that never
 * received, reading 64 KiB at a time: "N routes, big OIFS, ANSWER, ORDER"
 */
static const char *fresh_dump(struct nl *other, const char *filter)
{
	static char out[1024];
	struct fresh f = { 0, -1, "" };
	struct nlreq r = { 0 };
	struct nlans a;
	struct nl g;
	char line[128];

	snprintf(line, sizeof(line), "--dump route_get %s", filter);
	if (nl_sock(&g, 65536))
		return "socket failed";
	nlreq_parse(&r, other->fam, line);
	nl_req(&g, &r, &a, fresh_cb, &f);
	free(r.buf);
	nl_ans_free(&a);
	nl_close(&g);
	if (f.big_oifs < 0)
		snprintf(out, sizeof(out), "%d routes, big missing, %s, %s", f.n, a.text, f.order);
	else
		snprintf(out, sizeof(out), "%d routes, big %d, %s, %s", f.n, f.big_oifs, a.text,
			 f.order);
	return out;
}

/* the outputs of the 1023-output route that "mfwdctl -j route show" prints */
static const char py_big[] =
	"import json, sys\n"
	"r = json.load(sys.stdin)\n"
	"assert len(r) == 1, r\n"
	"o = r[0][\"oifs\"]\n"
	"assert [x[\"dev\"] for x in o] == [\"v%d\" % i for i in range(1, 1024)]\n"
	"assert [x[\"ttl\"] for x in o] == [i % 200 + 1 for i in range(1, 1024)]\n"
	"print(len(o))\n";

/* a route with 1023 outputs dumps whole to fresh sockets (64 KiB reads) */
TEST_F_TIMEOUT(big, fresh_socket, 600)
{
	static char line[64 + 1023 * 16];
	char out[65536];
	struct nlans a;
	int i;

	for (i = 1; i <= 5; i++) {
		snprintf(line, sizeof(line), "route_add group=239.54.1.%d iif=v%d oif=v0", i, i);
		nl_do(&self->nl, line, &a);
		ASSERT_STREQ("ok", a.text) TH_LOG("%s", line);
	}
	snprintf(line, sizeof(line), "route_add group=239.54.2.1 source=10.54.2.1 iif=v0");
	for (i = 1; i < 1024; i++)
		sprintf(line + strlen(line), " oif=v%d/%d", i, i % 200 + 1);
	nl_do(&self->nl, line, &a);
	ASSERT_STREQ("ok", a.text) TH_LOG("the 1023-output route");
	for (i = 1; i <= 5; i++) {
		snprintf(line, sizeof(line), "route_add group=239.54.3.%d iif=v%d oif=v0", i, i);
		nl_do(&self->nl, line, &a);
		ASSERT_STREQ("ok", a.text) TH_LOG("%s", line);
	}
	EXPECT_STREQ("11 routes, big 1023, ok, 1 1 1 1 1 2 3 3 3 3 3", fresh_dump(&self->nl, ""));
	EXPECT_STREQ("1 routes, big 1023, ok, 2", fresh_dump(&self->nl, "group=239.54.2.1"));
	EXPECT_STREQ("1 routes, big 1023, ok, 2", fresh_dump(&self->nl, "iif=v0"));
	if (!need_mfwdctl(_metadata))
		return;
	EXPECT_EQ(0, run_out(out, sizeof(out),
			     "$MFWDCTL -j route show group %s | python3 -c '%s'", "239.54.2.1",
			     py_big))
		TH_LOG("%s", out);
	EXPECT_STREQ("1023", out);
	EXPECT_EQ(0, run_out(out, sizeof(out), "$MFWDCTL route show | wc -l"));
	EXPECT_STREQ("11", out);
}

/*
 * intr_dump: dump cmd on a fresh socket: read one part, make the change
 * (a request line) on the other socket, read the rest.  "PARTS parts,
 * clean start, intr after the change, ANSWER" (PARTS "many" if > 3; "no
 * clean start" if part 1 or 2 was marked; "intr [LIST]" if no later part
 * was); the counts into info.
 */
static const char *intr_dump(struct nl *other, const char *cmd, const char *change,
			     char *info, size_t size)
{
	static char out[1024];
	char line[64], intr[256] = "", ans_text[512] = "";
	int part = 0, n = 0, early = 0, late = 0;
	bool done = false;
	struct nlreq r = { 0 };
	struct nlans a;
	struct nl g;

	if (nl_sock(&g, 65536))
		return "socket failed";
	snprintf(line, sizeof(line), "--dump %s", cmd);
	nlreq_parse(&r, other->fam, line);
	nl_send(&g, &r);
	free(r.buf);
	while (!done) {
		ssize_t len = nl_recv(&g);
		struct nlmsghdr *h;
		bool marked = false;

		if (len < 0)
			break;
		part++;
		for (h = (struct nlmsghdr *)g.rbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != g.seq)
				continue;
			if ((h->nlmsg_flags & NLM_F_DUMP_INTR) && !marked) {
				marked = true;
				snprintf(intr + strlen(intr), sizeof(intr) - strlen(intr),
					 "%s%d", intr[0] ? ", " : "", part);
				if (part <= 2)
					early++;
				else
					late++;
			}
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				memset(&a, 0, sizeof(a));
				a.miss_type = -1;
				nl_status(h, &a);
				nl_ans_text(&a);
				snprintf(ans_text, sizeof(ans_text), "%s", a.text);
				done = true;
				break;
			}
			n++;
		}
		if (part == 1) {
			nl_do(other, change, &a);
			nl_ans_free(&a);
			if (a.err) {
				nl_close(&g);
				snprintf(out, sizeof(out), "the change failed: %s", a.text);
				return out;
			}
		}
	}
	nl_close(&g);
	snprintf(info, size, "%d parts, %d messages, intr in [%s]", part, n, intr);
	if (part > 3)
		snprintf(out, sizeof(out), "many parts, %sclean start, ", early ? "no " : "");
	else
		snprintf(out, sizeof(out), "%d parts, %sclean start, ", part, early ? "no " : "");
	if (late && !early)
		strcat(out, "intr after the change, ");
	else
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "intr [%s], ", intr);
	strcat(out, ans_text);
	return out;
}

/* NLM_F_DUMP_INTR after changes, and mfwdctl's warning */
TEST_F_TIMEOUT(big, dump_intr, 800)
{
	const char *want = "many parts, clean start, intr after the change, ok";
	char line[128], info[512], out[4096], errf[] = "/tmp/mfwd54-err-XXXXXX";
	char outf[] = "/tmp/mfwd54-out-XXXXXX";
	struct nlans a;
	int i, pfd[2], efd, ofd, st;
	pid_t pid;

	for (i = 0; i < 3000; i++) {
		snprintf(line, sizeof(line),
			 "route_add group=239.55.%d.%d source=10.55.0.1 iif=v%d oif=v%d",
			 i / 250, i % 250 + 1, i % 8, i % 8 + 8);
		nl_do(&self->nl, line, &a);
		ASSERT_STREQ("ok", a.text) TH_LOG("%s", line);
	}
	EXPECT_STREQ(want, intr_dump(&self->nl, "route_get",
				     "route_add group=239.56.0.1 iif=v1 oif=v2", info,
				     sizeof(info)))
		TH_LOG("route dump, a route added after part 1 (%s)", info);
	TH_LOG("route add: %s", info);
	EXPECT_STREQ(want, intr_dump(&self->nl, "route_get",
				     "route_del group=239.55.11.249 source=10.55.0.1", info,
				     sizeof(info)))
		TH_LOG("route dump, a route deleted after part 1 (%s)", info);
	TH_LOG("route del: %s", info);
	EXPECT_STREQ(want, intr_dump(&self->nl, "vif_get", "vif_del ifindex=v1023", info,
				     sizeof(info)))
		TH_LOG("VIF dump, a VIF deleted after part 1 (%s)", info);
	TH_LOG("vif del: %s", info);
	ASSERT_EQ(0, run("ip link add w0 type dummy"));
	EXPECT_STREQ(want, intr_dump(&self->nl, "vif_get", "vif_add ifindex=w0", info,
				     sizeof(info)))
		TH_LOG("VIF dump, a VIF added after part 1 (%s)", info);
	TH_LOG("vif add: %s", info);
	/* and a dump that nothing disturbs has no mark */
	EXPECT_STREQ("many parts, clean start, intr [], ok",
		     intr_dump(&self->nl, "route_get", "config_get", info, sizeof(info)))
		TH_LOG("route dump with a read-only request after part 1 (%s)", info);

	/*
	 * mfwdctl: stalled writing to a full pipe in the middle of its dump,
	 * while a route is added; then the pipe is drained
	 */
	if (!need_mfwdctl(_metadata))
		return;
	efd = mkstemp(errf);
	ofd = mkstemp(outf);
	ASSERT_LE(0, efd);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(efd, 2);
		close(pfd[0]);
		execl(getenv("MFWDCTL"), "mfwdctl", "-j", "route", "show", NULL);
		_exit(127);
	}
	close(pfd[1]);
	snprintf(line, sizeof(line), "/proc/%d/syscall", pid);
	/* in write(2) (syscall 1), on the full pipe */
	EXPECT_TRUE(wait_until(run("[ \"$(cut -d' ' -f1 %s)\" = 1 ]", line) == 0, 60))
		TH_LOG("mfwdctl did not stall on its output");
	nl_do(&self->nl, "route_add group=239.56.0.2 iif=v1 oif=v3", &a);
	EXPECT_STREQ("ok", a.text);
	for (;;) {
		ssize_t n = read(pfd[0], out, sizeof(out));

		if (n <= 0)
			break;
		if (write(ofd, out, n) != n)
			break;
	}
	close(pfd[0]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("mfwdctl's exit status after an interrupted dump: %#x", st);
	run_out(out, sizeof(out), "cat %s", errf);
	EXPECT_STREQ("Dump was interrupted and may be inconsistent.", out);
	EXPECT_EQ(0, run_out(out, sizeof(out), "python3 -c '%s' %s",
			     "import json,sys; print(len(json.load(open(sys.argv[1]))))", outf))
		TH_LOG("mfwdctl's JSON output of the interrupted dump is not valid: %s", out);
	TH_LOG("mfwdctl: the warning after %s routes, exit 0", out);
	unlink(errf);
	unlink(outf);
	close(efd);
	close(ofd);
}

int main(int argc, char **argv)
{
	int ret = mfwd_setup();

	if (ret)
		return ret < 0 ? KSFT_FAIL : KSFT_SKIP;
	return test_harness_run(argc, argv);
}
