// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd-smcrouted - smcrouted(8) for mfwd: the same command line and
 * smcroute.conf(5), with mfwd's generic netlink family in place of ipmr.
 *
 * It makes VIFs (every multicast interface unless -N, plus the phyints of
 * the configuration), installs the mroutes, holds the mgroup joins with
 * sockets of its own, and answers mfwd-smcroutectl on a UNIX socket.
 * An exact (S,G) rule is an (S,G) route. A (*,G) rule and a prefix rule -
 * (*,G/LEN), (S/LEN,G) - are an mfwd route of that key, a prefix route,
 * where smcrouted installs one (S,G) per cache miss; the route gets the
 * outputs of every such rule from the same inbound interface that covers
 * it, as each (S,G) would from smcrouted. Rules with a wildcard inbound
 * interface ("eth+") are templates: (S,G) routes are installed on demand
 * when mfwd reports a packet that matched no route (NOCACHE events), as
 * smcrouted does with ipmr's upcalls; a packet no rule matches gets a stop
 * filter, an (S,G) route with no outputs. Its (S,G) routes are kept as
 * smcrouted 2.5's kernel MFC list (mroute.c): a rule added gives its
 * outputs to those it matches, one removed takes them away. All of this
 * for IPv4 and IPv6 alike: a rule, route or join is of the family of its
 * group.
 *
 * What it installed - VIFs, routes, joins - it removes when it exits
 * (SIGTERM, SIGINT, "kill"); VIFs and routes that were there before it are
 * left alone. SIGHUP or "reload" re-reads the configuration: rules and
 * joins added over IPC are dropped, as with smcrouted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"
#include "smcroute-ipc.h"

#define MAX_OIFS 256
/* "(S/LEN, G/LEN)" of IPv6 addresses */
#define SG_BUF (2 * (ADDR_BUF + 4) + 8)

static const char *prog = "mfwd-smcrouted";
static const char *ident = SMC_DEFAULT_IDENT;
static const char *conf_path;
static const char *pid_path;
static const char *sock_path;
static const char *script;
static bool foreground, no_vifs, use_syslog;
/* stderr is still the caller's: it sees what goes wrong at start */
static bool starting = true;
static int loglevel = LOG_NOTICE;
static unsigned int cache_timeout = 60;

/* ---- logging ---- */

static const struct {
	const char *name;
	int level;
} levels[] = {
	{ "none", -1 },
	{ "err", LOG_ERR },
	{ "error", LOG_ERR },
	{ "notice", LOG_NOTICE },
	{ "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
	{ "warning", LOG_WARNING },
};

/* replies to the client being served: its stdout and stderr */
struct buf {
	char *p;
	size_t len, cap;
};

static struct buf *reply_out, *reply_err;

static void buf_vadd(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p)
			return;
		b->p = p;
		b->cap = cap;
	}
	vsnprintf(b->p + b->len, n + 1, fmt, ap);
	b->len += n;
}

static void __attribute__((format(printf, 2, 3)))
buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vadd(b, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
logit(int level, const char *fmt, ...)
{
	va_list ap;

	if (level <= LOG_WARNING && reply_err) {
		va_start(ap, fmt);
		buf_vadd(reply_err, fmt, ap);
		va_end(ap);
		buf_add(reply_err, "\n");
	}
	if (level > loglevel)
		return;
	if (use_syslog && starting && level <= LOG_WARNING) {
		va_start(ap, fmt);
		fprintf(stderr, "%s: ", prog);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		fprintf(stderr, "%s[%d]: ", ident, (int)getpid());
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

/* messages of the shared code (netlink errors, configuration errors) */
static void lib_msg(bool error, const char *msg)
{
	logit(error ? LOG_ERR : LOG_WARNING, "%s", msg);
}

/* ---- kernel state we keep ---- */

struct vif {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
	bool ours;
	bool wanted; /* by the configuration being applied */
	bool seen; /* in the last dump */
	int threshold;
};

/* a static rule: from the configuration or added over IPC */
struct rule {
	unsigned int id;
	char iif[IF_NAMESIZE];
	struct inet_addr src, grp; /* src all zeros: any source */
	int slen, glen;
	char (*oifs)[IF_NAMESIZE];
	int noifs;
	bool installed; /* exact rules: the kernel route is ours */
	bool from_conf;
	bool unused; /* not (yet) in the configuration being reloaded */
};

/*
 * An (S,G) route of ours in the kernel, like an entry of smcrouted's
 * kernel MFC list: made for an exact (S,G) rule, or on a NOCACHE event
 * from the first (*,G) rule that matches - with no outputs, a stop
 * filter, when none does. Rules added later give it their outputs.
 */
struct kent {
	struct inet_addr src, grp;
	uint32_t iif;
	uint32_t *oifs;
	int noifs;
};

struct join {
	char iif[IF_NAMESIZE];
	struct inet_addr src, grp;
	int fd;
};

static struct vif *vifs;
static int nvif;
static struct rule *rules;
static int nrule;
static unsigned int next_rule_id = 1;
static struct kent *kents;
static int nkent;
static struct join *joins;
static int njoin;

static void *grow(void *arr, int n, size_t size)
{
	void *p = realloc(arr, (n + 1) * size);

	if (!p) {
		logit(LOG_ERR, "out of memory");
		exit(EXIT_FAIL);
	}
	memset((char *)p + n * size, 0, size);
	return p;
}

/* "(S, G)" or "(*, G/LEN)" as smcroutectl shows it */
static const char *sg_str(const struct inet_addr *src, int slen,
			  const struct inet_addr *grp, int glen, char *buf,
			  size_t len)
{
	char s[ADDR_BUF + 4], g[ADDR_BUF + 4], a[ADDR_BUF];

	if (addr_is_any(src))
		snprintf(s, sizeof(s), "*");
	else if (slen < addr_bits(src))
		snprintf(s, sizeof(s), "%s/%d", addr_ntop(src, a), slen);
	else
		snprintf(s, sizeof(s), "%s", addr_ntop(src, a));
	if (glen < addr_bits(grp))
		snprintf(g, sizeof(g), "%s/%d", addr_ntop(grp, a), glen);
	else
		snprintf(g, sizeof(g), "%s", addr_ntop(grp, a));
	snprintf(buf, len, "(%s, %s)", s, g);
	return buf;
}

static bool is_wildcard(const char *name)
{
	size_t l = strlen(name);

	return l && name[l - 1] == '+';
}

static bool if_match(const char *pattern, const char *name)
{
	if (is_wildcard(pattern))
		return !strncmp(pattern, name, strlen(pattern) - 1);
	return !strcmp(pattern, name);
}

static bool rule_has_src(const struct rule *r)
{
	return !addr_is_any(&r->src);
}

/* a rule installed on demand, for each (S,G) that arrives */
static bool rule_is_template(const struct rule *r)
{
	return is_wildcard(r->iif);
}

/* an exact (S,G) rule, installed as it is */
static bool rule_is_sg(const struct rule *r)
{
	return rule_has_src(r) && r->slen == addr_bits(&r->src) &&
	       r->glen == addr_bits(&r->grp) && !rule_is_template(r);
}

/* a (*,G) or prefix rule: an mfwd route of its key */
static bool rule_is_kroute(const struct rule *r)
{
	return !rule_is_sg(r) && !rule_is_template(r);
}

/* prefix lengths for the kernel: -1 for a full one, and for any source */
static int plen_arg(const struct inet_addr *a, int len)
{
	return addr_is_any(a) || len >= addr_bits(a) ? -1 : len;
}

/* ---- netlink requests, one at a time ---- */

/* -t: the mfwd table this daemon drives (0: the default one) */
static uint32_t table_id;

/* Requests name the daemon's table; 0 is the kernel's default, left out so
 * that a VIF on a VRF port goes in the VRF's table as with mfwdctl.
 */
static void put_table(struct nlmsghdr *nlh)
{
	if (table_id)
		nl_put_u32(nlh, MFWD_A_TABLE, table_id);
}

/* A dump of the daemon's table only, table 0 included. */
static struct nlmsghdr *dump_msg(uint8_t cmd)
{
	struct nlmsghdr *nlh = nl_msg(cmd, NLM_F_DUMP);

	nl_put_u32(nlh, MFWD_A_TABLE, table_id);
	return nlh;
}

static int k_vif_add(uint32_t ifindex, int threshold)
{
	struct nlmsghdr *nlh = nl_msg(MFWD_CMD_VIF_ADD, 0);

	nl_put_u32(nlh, MFWD_A_IFINDEX, ifindex);
	if (threshold)
		nl_put_u8(nlh, MFWD_A_VIF_THRESHOLD, threshold);
	put_table(nlh);
	nl_ignore_errno = EEXIST;
	nl_request(nlh);
	nl_ignore_errno = 0;
	return nl_last_errno;
}

static int k_vif_del(uint32_t ifindex)
{
	struct nlmsghdr *nlh = nl_msg(MFWD_CMD_VIF_DEL, 0);

	nl_put_u32(nlh, MFWD_A_IFINDEX, ifindex);
	nl_ignore_errno = ENOENT;
	nl_request(nlh);
	nl_ignore_errno = 0;
	return nl_last_errno;
}

static int k_route_set(const struct inet_addr *src, int slen,
		       const struct inet_addr *grp, int glen, uint32_t iif,
		       const uint32_t *oifs, int noifs)
{
	struct nlmsghdr *nlh = nl_msg(MFWD_CMD_ROUTE_ADD, 0);
	int i;

	nl_put_flag(nlh, MFWD_A_REPLACE);
	put_table(nlh);
	nl_put_sg(nlh, src, grp);
	nl_put_plen(nlh, plen_arg(src, slen), plen_arg(grp, glen));
	nl_put_u32(nlh, MFWD_A_IIF, iif);
	for (i = 0; i < noifs; i++) {
		struct nlattr *nest = nl_nest_start(nlh, MFWD_A_OIF);

		nl_put_u32(nlh, MFWD_OIF_A_IFINDEX, oifs[i]);
		nl_nest_end(nlh, nest);
	}
	nl_request(nlh);
	return nl_last_errno;
}

static int k_route_del2(const struct inet_addr *src, int slen,
			const struct inet_addr *grp, int glen, bool quiet)
{
	struct nlmsghdr *nlh = nl_msg(MFWD_CMD_ROUTE_DEL, 0);

	put_table(nlh);
	nl_put_sg(nlh, src, grp);
	nl_put_plen(nlh, plen_arg(src, slen), plen_arg(grp, glen));
	nl_ignore_errno = quiet ? ENOENT : 0;
	nl_request(nlh);
	nl_ignore_errno = 0;
	return nl_last_errno;
}

static int k_route_del(const struct inet_addr *src, const struct inet_addr *grp)
{
	return k_route_del2(src, -1, grp, -1, true);
}

/* ---- VIFs ---- */

static struct vif *vif_find(uint32_t ifindex)
{
	int i;

	for (i = 0; i < nvif; i++) {
		if (vifs[i].ifindex == ifindex)
			return &vifs[i];
	}
	return NULL;
}

/* the kernel's VIFs; those we do not know yet are not ours */
static int vif_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1];
	uint32_t ifindex;
	struct vif *v;

	(void)data;
	if (nl_parse(nlh, tb) || !tb[MFWD_A_IFINDEX])
		return 0;
	ifindex = nl_get_uint(tb[MFWD_A_IFINDEX]);
	v = vif_find(ifindex);
	if (!v) {
		vifs = grow(vifs, nvif, sizeof(*vifs));
		v = &vifs[nvif++];
		v->ifindex = ifindex;
	}
	if (tb[MFWD_A_IFNAME])
		snprintf(v->name, sizeof(v->name), "%s",
			 mnl_attr_get_str(tb[MFWD_A_IFNAME]));
	v->threshold = tb[MFWD_A_VIF_THRESHOLD] ?
			       nl_get_uint(tb[MFWD_A_VIF_THRESHOLD]) :
			       1;
	v->seen = true;
	return 0;
}

/* read the kernel's VIF table; VIFs that went away are forgotten */
static void vif_sync(void)
{
	int i;

	for (i = 0; i < nvif; i++)
		vifs[i].seen = false;
	if (nl_query(dump_msg(MFWD_CMD_VIF_GET), vif_dump_cb, NULL))
		return;
	for (i = nvif - 1; i >= 0; i--) {
		if (!vifs[i].seen)
			vifs[i] = vifs[--nvif];
	}
}

/*
 * Make @name a VIF with TTL threshold @threshold (0: any, 1 for a new VIF);
 * false if it cannot be.
 */
static bool vif_want(const char *name, int threshold)
{
	uint32_t ifindex = if_nametoindex(name);
	struct vif *v;
	int err;

	if (!ifindex) {
		logit(LOG_ERR, "interface %s does not exist, no VIF", name);
		return false;
	}
	v = vif_find(ifindex);
	if (v && v->ours && threshold && v->threshold != threshold) {
		/* ours with another threshold: make it anew */
		k_vif_del(ifindex);
		*v = vifs[--nvif];
		v = NULL;
	}
	if (v) {
		/* ours, or someone else's that we use as it is */
		v->wanted = true;
		return true;
	}
	err = k_vif_add(ifindex, threshold);
	if (err == EEXIST) {
		vif_sync();
		v = vif_find(ifindex);
		if (v)
			v->wanted = true;
		return v != NULL;
	}
	if (err)
		return false;
	if (!threshold)
		threshold = 1;
	logit(LOG_INFO, "VIF %s (ifindex %u) added, TTL threshold %d", name,
	      ifindex, threshold);
	vifs = grow(vifs, nvif, sizeof(*vifs));
	v = &vifs[nvif++];
	v->ifindex = ifindex;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->ours = true;
	v->wanted = true;
	v->seen = true;
	v->threshold = threshold;
	return true;
}

/* delete our VIFs that are not wanted (all of them when @all) */
static void vifs_prune(bool all)
{
	int i;

	for (i = nvif - 1; i >= 0; i--) {
		if (!vifs[i].ours || (!all && vifs[i].wanted))
			continue;
		logit(LOG_INFO, "VIF %s removed", vifs[i].name);
		k_vif_del(vifs[i].ifindex);
		vifs[i] = vifs[--nvif];
	}
}

/* ---- routes ---- */

/* kernel ifindexes of a rule's outputs (wildcards: matching VIFs) */
static int rule_oifs(const struct rule *r, uint32_t iif, uint32_t *out)
{
	int i, j, n = 0;

	for (i = 0; i < r->noifs; i++) {
		if (is_wildcard(r->oifs[i])) {
			for (j = 0; j < nvif && n < MAX_OIFS; j++) {
				if (vifs[j].ifindex != iif &&
				    if_match(r->oifs[i], vifs[j].name))
					out[n++] = vifs[j].ifindex;
			}
			continue;
		}
		uint32_t idx = if_nametoindex(r->oifs[i]);

		if (!idx) {
			logit(LOG_WARNING, "outbound interface %s not found",
			      r->oifs[i]);
			continue;
		}
		for (j = 0; j < n && out[j] != idx; j++)
			;
		if (j == n && n < MAX_OIFS)
			out[n++] = idx;
	}
	return n;
}

/* the interfaces a rule names become VIFs */
static bool rule_vifs(const struct rule *r, const struct sc_conf *c)
{
	const struct sc_phyint *p;
	bool ok = true;
	int i;

	for (i = -1; i < r->noifs; i++) {
		const char *name = i < 0 ? r->iif : r->oifs[i];

		if (is_wildcard(name))
			continue;
		p = c ? sc_phyint_find(c, name) : NULL;
		if (p && !p->enable) {
			logit(LOG_ERR, "interface %s is disabled (phyint)",
			      name);
			ok = false;
			continue;
		}
		if (!vif_want(name, p && p->threshold ? p->threshold : 0))
			ok = false;
	}
	return ok;
}

/* ---- kernel (S,G) entries ---- */

static bool kent_is(const struct kent *k, const struct inet_addr *src,
		    const struct inet_addr *grp)
{
	return addr_eq(&k->src, src) && addr_eq(&k->grp, grp);
}

static struct kent *kent_find(const struct inet_addr *src,
			      const struct inet_addr *grp)
{
	int i;

	for (i = 0; i < nkent; i++) {
		if (kent_is(&kents[i], src, grp))
			return &kents[i];
	}
	return NULL;
}

static struct kent *kent_new(const struct inet_addr *src,
			     const struct inet_addr *grp, uint32_t iif)
{
	struct kent *k;

	kents = grow(kents, nkent, sizeof(*kents));
	k = &kents[nkent++];
	k->src = *src;
	k->grp = *grp;
	k->iif = iif;
	return k;
}

/* true if @oif was not an output yet */
static bool kent_add_oif(struct kent *k, uint32_t oif)
{
	int i;

	for (i = 0; i < k->noifs; i++) {
		if (k->oifs[i] == oif)
			return false;
	}
	if (k->noifs >= MAX_OIFS)
		return false;
	k->oifs = grow(k->oifs, k->noifs, sizeof(*k->oifs));
	k->oifs[k->noifs++] = oif;
	return true;
}

static void kent_del_oif(struct kent *k, uint32_t oif)
{
	int i;

	for (i = 0; i < k->noifs; i++) {
		if (k->oifs[i] == oif) {
			k->oifs[i] = k->oifs[--k->noifs];
			return;
		}
	}
}

static int kent_sync(const struct kent *k)
{
	return k_route_set(&k->src, -1, &k->grp, -1, k->iif, k->oifs, k->noifs);
}

/* forget an entry (the kernel route is gone already) */
static void kent_free_at(int i)
{
	free(kents[i].oifs);
	kents[i] = kents[--nkent];
}

static void kent_remove_at(int i)
{
	k_route_del(&kents[i].src, &kents[i].grp);
	kent_free_at(i);
}

/* does rule @r cover (S,G) from @iif, as smcrouted's is_match() */
static bool rule_match(const struct rule *r, const struct inet_addr *src,
		       const struct inet_addr *grp, uint32_t iif)
{
	char name[IF_NAMESIZE];

	if (!addr_in_prefix(grp, &r->grp, r->glen) ||
	    (rule_has_src(r) && !addr_in_prefix(src, &r->src, r->slen)))
		return false;
	return if_indextoname(iif, name) && if_match(r->iif, name);
}

static bool rule_match_kent(const struct rule *r, const struct kent *k)
{
	return rule_match(r, &k->src, &k->grp, k->iif);
}

/* the exact (S,G) rules (but @skip) for @k give it their outputs */
static void kent_readd_sg(struct kent *k, const struct rule *skip)
{
	uint32_t oifs[MAX_OIFS];
	int i, j, n;

	for (i = 0; i < nrule; i++) {
		if (&rules[i] == skip || !rule_is_sg(&rules[i]) ||
		    !rule_match_kent(&rules[i], k))
			continue;
		n = rule_oifs(&rules[i], k->iif, oifs);
		for (j = 0; j < n; j++)
			kent_add_oif(k, oifs[j]);
	}
}

/* an entry that an exact (S,G) rule keeps: it does not expire */
static bool kent_has_rule(const struct kent *k)
{
	int i;

	for (i = 0; i < nrule; i++) {
		if (rule_is_sg(&rules[i]) && rule_match_kent(&rules[i], k))
			return true;
	}
	return false;
}

/* does (*,G) or prefix rule @q cover the key of @r? */
static bool rule_covers(const struct rule *q, const struct rule *r)
{
	if (q->glen > r->glen || !addr_in_prefix(&r->grp, &q->grp, q->glen))
		return false;
	if (!rule_has_src(q))
		return true;
	return rule_has_src(r) && q->slen <= r->slen &&
	       addr_in_prefix(&r->src, &q->src, q->slen);
}

/*
 * A (*,G) or prefix rule is an mfwd route of its key, with its outputs and
 * those of the other such rules from @iif that cover it (and are in): a
 * packet takes the most specific route, and gets what each rule that
 * matches it gives, as an (S,G) route of smcrouted's would.
 */
static int kroute_set(struct rule *r, uint32_t iif)
{
	uint32_t oifs[MAX_OIFS], more[MAX_OIFS];
	int i, j, l, n, noifs = 0;

	for (i = 0; i < nrule; i++) {
		struct rule *q = &rules[i];

		if ((q != r && !q->installed) || !rule_is_kroute(q) ||
		    strcmp(q->iif, r->iif) || !rule_covers(q, r))
			continue;
		n = rule_oifs(q, iif, more);
		for (j = 0; j < n; j++) {
			for (l = 0; l < noifs && oifs[l] != more[j]; l++)
				;
			if (l == noifs && noifs < MAX_OIFS)
				oifs[noifs++] = more[j];
		}
	}
	return k_route_set(&r->src, r->slen, &r->grp, r->glen, iif, oifs,
			   noifs);
}

/* after @r came or went: the routes of the rules it covers, again */
static void kroute_resync_covered(const struct rule *r)
{
	uint32_t iif = if_nametoindex(r->iif);
	int i;

	for (i = 0; iif && i < nrule; i++) {
		if (&rules[i] != r && rules[i].installed &&
		    rule_is_kroute(&rules[i]) &&
		    !strcmp(rules[i].iif, r->iif) && rule_covers(r, &rules[i]))
			kroute_set(&rules[i], iif);
	}
}

/*
 * Install a rule, as smcrouted's mfc_install(): an exact (S,G) rule gets
 * its route, or adds its outputs to ours for that (S,G) and inbound
 * interface; a (*,G) or prefix rule gets an mfwd route of its key. A
 * (*,G) or prefix rule and a template give their outputs to every (S,G)
 * route of ours they match - dynamic routes of other rules and stop
 * filters included - so that such a route does not hide them.
 */
static int rule_install(struct rule *r)
{
	char sg[SG_BUF], s[ADDR_BUF], g[ADDR_BUF];
	uint32_t oifs[MAX_OIFS], iif;
	bool changed, fresh = false;
	struct kent *k;
	int i, j, n, err;

	sg_str(&r->src, r->slen, &r->grp, r->glen, sg, sizeof(sg));
	if (!rule_is_template(r)) {
		iif = if_nametoindex(r->iif);
		if (!iif) {
			logit(LOG_ERR, "inbound interface %s not found",
			      r->iif);
			return ENODEV;
		}
		if (rule_is_sg(r)) {
			k = kent_find(&r->src, &r->grp);
			if (k && k->iif != iif) {
				/* one (S,G) route: the rule's inbound wins */
				k->iif = iif;
				k->noifs = 0;
			}
			if (!k) {
				k = kent_new(&r->src, &r->grp, iif);
				fresh = true;
			}
			n = rule_oifs(r, iif, oifs);
			for (j = 0; j < n; j++)
				kent_add_oif(k, oifs[j]);
			err = kent_sync(k);
			if (err && fresh)
				kent_free_at(k - kents);
		} else {
			err = kroute_set(r, iif);
		}
		if (err) {
			logit(LOG_ERR, "cannot add route %s from %s: %s", sg,
			      r->iif, strerror(err));
			return err;
		}
		if (!r->installed)
			logit(LOG_INFO, "route %s from %s installed", sg,
			      r->iif);
		r->installed = true;
		if (rule_is_sg(r))
			return 0;
		kroute_resync_covered(r);
	}
	for (i = 0; i < nkent; i++) {
		k = &kents[i];
		if (!rule_match_kent(r, k))
			continue;
		n = rule_oifs(r, k->iif, oifs);
		changed = false;
		for (j = 0; j < n; j++)
			changed |= kent_add_oif(k, oifs[j]);
		if (changed && !kent_sync(k))
			logit(LOG_INFO, "route (%s, %s) gets the outputs of %s",
			      addr_ntop(&k->src, s), addr_ntop(&k->grp, g), sg);
	}
	return 0;
}

/*
 * Take a rule's outputs off the routes it matches, as smcrouted's
 * mfc_uninstall(): all of them when the rule goes (@del NULL), else the
 * @ndel in @del. The outputs of exact (S,G) rules for a route stay; a
 * route a going rule leaves with no output is removed (the next packet
 * makes a new one), one that loses some outputs keeps the others, none
 * maybe. A rule a reload drops (@purge) takes the routes it matches with
 * it.
 */
static void rule_uninstall(struct rule *r, const uint32_t *del, int ndel,
			   bool purge)
{
	bool removal = !del, kroute = rule_is_kroute(r) && r->installed;
	uint32_t iif;
	struct kent *k;
	int i, j;

	if (kroute) {
		iif = if_nametoindex(r->iif);
		if (removal || !iif)
			k_route_del2(&r->src, r->slen, &r->grp, r->glen, true);
		else
			kroute_set(r, iif);
	}
	if (removal)
		r->installed = false;
	if (kroute) /* after the flag: a rule gone gives no outputs */
		kroute_resync_covered(r);
	for (i = nkent - 1; i >= 0; i--) {
		k = &kents[i];
		if (!rule_match_kent(r, k))
			continue;
		if (purge) {
			kent_remove_at(i);
			continue;
		}
		if (removal)
			k->noifs = 0;
		for (j = 0; j < ndel; j++)
			kent_del_oif(k, del[j]);
		kent_readd_sg(k, removal ? r : NULL);
		if (k->noifs || !removal)
			kent_sync(k);
		else
			kent_remove_at(i);
	}
}

static struct rule *rule_find(const char *iif, const struct inet_addr *src,
			      int slen, const struct inet_addr *grp, int glen)
{
	int i;

	if (addr_is_any(src))
		slen = 0; /* "0.0.0.0 GROUP" is (*,G), as rule_new() has it */
	for (i = 0; i < nrule; i++) {
		struct rule *r = &rules[i];

		if (addr_eq(&r->src, src) && r->slen == slen &&
		    addr_eq(&r->grp, grp) && r->glen == glen &&
		    (!iif || !strcmp(r->iif, iif)))
			return r;
	}
	return NULL;
}

static void rule_free_at(int i)
{
	free(rules[i].oifs);
	memmove(&rules[i], &rules[i + 1], (nrule - i - 1) * sizeof(*rules));
	nrule--;
}

static struct rule *rule_new(const char *iif, const struct inet_addr *src,
			     int slen, const struct inet_addr *grp, int glen)
{
	struct rule *r;

	rules = grow(rules, nrule, sizeof(*rules));
	r = &rules[nrule++];
	r->id = next_rule_id++;
	snprintf(r->iif, sizeof(r->iif), "%s", iif);
	r->src = *src;
	r->slen = addr_is_any(src) ? 0 : slen;
	r->grp = *grp;
	r->glen = glen;
	return r;
}

static void rule_add_oif(struct rule *r, const char *name)
{
	int i;

	for (i = 0; i < r->noifs; i++) {
		if (!strcmp(r->oifs[i], name))
			return;
	}
	r->oifs = grow(r->oifs, r->noifs, sizeof(*r->oifs));
	snprintf(r->oifs[r->noifs++], IF_NAMESIZE, "%s", name);
}

/* ---- templates: NOCACHE events ---- */

/* @src and @grp: the route installed, NULL for a reload */
static void run_script(const char *what, const struct inet_addr *src,
		       const struct inet_addr *grp)
{
	char s[ADDR_BUF], g[ADDR_BUF];
	pid_t pid;

	if (!script)
		return;
	pid = fork();
	if (pid)
		return;
	sigprocmask(SIG_SETMASK, &(sigset_t){ 0 }, NULL);
	if (src && grp) {
		setenv("source", addr_ntop(src, s), 1);
		setenv("group", addr_ntop(grp, g), 1);
	}
	execl(script, script, what, (char *)NULL);
	_exit(127);
}

static int nocache_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[MFWD_A_MAX + 1];
	char name[IF_NAMESIZE], a[ADDR_BUF], b[ADDR_BUF];
	uint32_t iif, oifs[MAX_OIFS];
	struct inet_addr src, grp;
	struct rule *r = NULL;
	struct kent *k;
	int i, n;

	(void)data;
	if (genl->cmd != MFWD_CMD_NOCACHE || nl_parse(nlh, tb) ||
	    !nl_get_sg(tb, &src, &grp))
		return 0;
	/* another table's: another controller's (absent: table 0) */
	if (nl_get_uint(tb[MFWD_A_TABLE]) != table_id)
		return 0;
	iif = nl_get_uint(tb[MFWD_A_IIF]);
	if (!if_indextoname(iif, name))
		return 0;
	/* made before, but the kernel lost it (its VIF went away): anew */
	for (i = nkent - 1; i >= 0; i--) {
		if (kent_is(&kents[i], &src, &grp))
			kent_free_at(i);
	}
	/* the first (*,G) rule or template that matches */
	for (i = 0; i < nrule && !r; i++) {
		if (!rule_is_sg(&rules[i]) &&
		    rule_match(&rules[i], &src, &grp, iif))
			r = &rules[i];
	}
	/*
	 * None: a route with no outputs all the same, a stop filter, as
	 * smcrouted does - the packets queued for it are dropped, and the
	 * next ones raise no event, until the route expires (-c).
	 */
	k = kent_new(&src, &grp, iif);
	n = r ? rule_oifs(r, iif, oifs) : 0;
	for (i = 0; i < n; i++)
		kent_add_oif(k, oifs[i]);
	if (kent_sync(k)) {
		kent_free_at(k - kents);
		return 0;
	}
	if (!r) {
		logit(LOG_INFO,
		      "Multicast from %s, group %s, on %s does not match any (*,G) rule, stop filter installed",
		      addr_ntop(&src, a), addr_ntop(&grp, b), name);
		return 0;
	}
	logit(LOG_INFO, "route (%s, %s) from %s installed for a template",
	      addr_ntop(&src, a), addr_ntop(&grp, b), name);
	run_script("install", &src, &grp);
	return 0;
}

/* an idle dynamic route: IDLE_MS of its kernel route */
static int idle_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1];

	if (!nl_parse(nlh, tb))
		*(uint64_t *)data = nl_get_uint(tb[MFWD_A_IDLE_MS]);
	return 0;
}

/*
 * -c SEC: remove the dynamic routes and stop filters unused for SEC
 * seconds (all of them when @all: "flush"); not those of (S,G) rules
 */
static void expire_dyns(bool all)
{
	uint64_t idle;
	int i;

	for (i = nkent - 1; i >= 0; i--) {
		struct nlmsghdr *nlh;

		if (kent_has_rule(&kents[i]))
			continue;
		if (all) {
			kent_remove_at(i);
			continue;
		}
		nlh = nl_msg(MFWD_CMD_ROUTE_GET, 0);
		put_table(nlh);
		nl_put_sg(nlh, &kents[i].src, &kents[i].grp);
		idle = UINT64_MAX;
		nl_ignore_errno = ENOENT;
		nl_query(nlh, idle_cb, &idle);
		nl_ignore_errno = 0;
		if (idle >= (uint64_t)cache_timeout * 1000)
			kent_remove_at(i);
	}
}

/* ---- group joins ---- */

static bool join_is(const struct join *j, const char *iif,
		    const struct inet_addr *src, const struct inet_addr *grp)
{
	return !strcmp(j->iif, iif) && addr_eq(&j->src, src) &&
	       addr_eq(&j->grp, grp);
}

/* @a as an address of a group_source_req */
static void join_sockaddr(const struct inet_addr *a,
			  struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	if (a->family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->v6;
	} else {
		sin->sin_family = AF_INET;
		sin->sin_addr = a->v4;
	}
}

/*
 * Join (S,G) or (*,G) on @iif with a socket of the group's family, held
 * until the leave: MCAST_JOIN_GROUP (as IP_ADD_MEMBERSHIP, IPV6_JOIN_GROUP)
 * or MCAST_JOIN_SOURCE_GROUP, at level IPPROTO_IP or IPPROTO_IPV6.
 */
static int join_add(const char *iif, const struct inet_addr *src,
		    const struct inet_addr *grp)
{
	bool v6 = grp->family == AF_INET6, ssm = !addr_is_any(src);
	struct group_source_req gsr = { 0 };
	char sg[SG_BUF];
	int fd, i;

	for (i = 0; i < njoin; i++) {
		if (join_is(&joins[i], iif, src, grp))
			return 0;
	}
	sg_str(src, addr_bits(src), grp, addr_bits(grp), sg, sizeof(sg));
	gsr.gsr_interface = if_nametoindex(iif);
	if (!gsr.gsr_interface) {
		logit(LOG_ERR, "join %s: no interface %s", sg, iif);
		return ENODEV;
	}
	join_sockaddr(grp, &gsr.gsr_group);
	join_sockaddr(src, &gsr.gsr_source);
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       ssm ? MCAST_JOIN_SOURCE_GROUP : MCAST_JOIN_GROUP, &gsr,
		       ssm ? sizeof(gsr) : sizeof(struct group_req))) {
		int err = errno;

		logit(LOG_ERR, "join %s on %s: %s", sg, iif, strerror(err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	logit(LOG_INFO, "joined %s on %s", sg, iif);
	joins = grow(joins, njoin, sizeof(*joins));
	snprintf(joins[njoin].iif, IF_NAMESIZE, "%s", iif);
	joins[njoin].src = *src;
	joins[njoin].grp = *grp;
	joins[njoin].fd = fd;
	njoin++;
	return 0;
}

static int join_del(const char *iif, const struct inet_addr *src,
		    const struct inet_addr *grp)
{
	int i;

	for (i = 0; i < njoin; i++) {
		if (join_is(&joins[i], iif, src, grp)) {
			close(joins[i].fd);
			joins[i] = joins[--njoin];
			return 0;
		}
	}
	return ENOENT;
}

/* a group range joins every group in it, as smcrouted does */
#define MAX_RANGE_BITS 10
#define MAX_RANGE_JOIN (1 << MAX_RANGE_BITS)

/* the @i-th group of a range: @i added to the address's last 32 bits */
static void range_nth(const struct inet_addr *base, uint32_t i,
		      struct inet_addr *g)
{
	size_t off = addr_size(base) - sizeof(uint32_t);
	uint32_t v;

	*g = *base;
	memcpy(&v, g->b + off, sizeof(v));
	v = htonl(ntohl(v) + i);
	memcpy(g->b + off, &v, sizeof(v));
}

static int join_range(bool join, const char *iif, const struct inet_addr *src,
		      int slen, const struct inet_addr *grp, int glen)
{
	int err = 0, e, bits = addr_bits(grp) - glen;
	struct inet_addr g;
	uint32_t i;

	if (!addr_is_any(src) && slen < addr_bits(src)) {
		logit(LOG_ERR, "a join needs one source, not a range");
		return EINVAL;
	}
	if (bits > MAX_RANGE_BITS) {
		logit(LOG_ERR,
		      "group range /%d too large to join (at most %d groups)",
		      glen, MAX_RANGE_JOIN);
		return EINVAL;
	}
	for (i = 0; i < 1U << bits; i++) {
		range_nth(grp, i, &g);
		e = join ? join_add(iif, src, &g) : join_del(iif, src, &g);
		if (e && !err)
			err = e;
	}
	return err;
}

/* ---- the configuration ---- */

static void leave_all(void)
{
	int i;

	for (i = 0; i < njoin; i++)
		close(joins[i].fd);
	njoin = 0;
}

static void teardown_routes_joins(void)
{
	int i;

	for (i = 0; i < nrule; i++) {
		if (rule_is_kroute(&rules[i]) && rules[i].installed)
			k_route_del2(&rules[i].src, rules[i].slen,
				     &rules[i].grp, rules[i].glen, true);
	}
	while (nrule)
		rule_free_at(nrule - 1);
	while (nkent)
		kent_remove_at(nkent - 1);
	leave_all();
}

static bool multicast_if(const char *name)
{
	struct ifaddrs *ifa, *i;
	bool ok = false;

	if (getifaddrs(&ifa))
		return false;
	for (i = ifa; i; i = i->ifa_next) {
		if (!strcmp(i->ifa_name, name)) {
			ok = (i->ifa_flags & IFF_MULTICAST) &&
			     !(i->ifa_flags & IFF_LOOPBACK);
			break;
		}
	}
	freeifaddrs(ifa);
	return ok;
}

/* (re)load the configuration; returns the number of errors */
static int load_config(void)
{
	struct sc_conf c = { .keep_going = true };
	struct if_nameindex *ifs, *it;
	int i, errors = 0;
	struct stat st;

	/*
	 * As smcrouted: the rules are marked, those in the file again are
	 * kept (with the outputs the file gives them now), the others are
	 * removed with the routes they match; the dynamic routes and stop
	 * filters the others match stay, and get the outputs of new rules.
	 */
	for (i = 0; i < nrule; i++)
		rules[i].unused = true;
	leave_all();
	for (i = 0; i < nvif; i++)
		vifs[i].wanted = false;
	vif_sync();

	if (stat(conf_path, &st) && errno == ENOENT) {
		logit(LOG_NOTICE, "no configuration file %s", conf_path);
	} else if (sc_conf_read(conf_path, &c)) {
		errors += c.errors ? c.errors : 1;
	}

	/* VIFs: every multicast interface unless -N, and the phyints */
	if (!no_vifs) {
		ifs = if_nameindex();
		for (it = ifs; it && it->if_index; it++) {
			const struct sc_phyint *p =
				sc_phyint_find(&c, it->if_name);

			if (p || !multicast_if(it->if_name))
				continue;
			vif_want(it->if_name, 1);
		}
		if (ifs)
			if_freenameindex(ifs);
	}
	for (i = 0; i < c.nphyint; i++) {
		cur_file = c.phyints[i].file;
		cur_line = c.phyints[i].line;
		if (c.phyints[i].enable &&
		    !vif_want(c.phyints[i].name,
			      c.phyints[i].threshold ? c.phyints[i].threshold :
						       1))
			errors++;
	}
	cur_file = NULL;
	cur_line = 0;

	for (i = 0; i < c.nmroute; i++) {
		struct sc_rule *m = &c.mroutes[i];
		struct rule *r;
		int j;

		r = rule_find(m->iif, &m->src, m->slen, &m->grp, m->glen);
		if (r && r->unused)
			r->noifs = 0;
		if (!r)
			r = rule_new(m->iif, &m->src, m->slen, &m->grp,
				     m->glen);
		r->from_conf = true;
		r->unused = false;
		for (j = 0; j < m->noifs; j++)
			rule_add_oif(r, m->oifs[j]);
		if (!rule_vifs(r, &c) || rule_install(r)) {
			logit(LOG_ERR, "%s:%d: mroute not installed", m->file,
			      m->line);
			errors++;
		}
	}
	/* rules not in the file (any more): over IPC, or taken out */
	for (i = nrule - 1; i >= 0; i--) {
		if (!rules[i].unused)
			continue;
		rule_uninstall(&rules[i], NULL, 0, true);
		rule_free_at(i);
	}
	/* again: what those took with them */
	for (i = 0; i < nrule; i++) {
		if (rules[i].installed || rule_is_template(&rules[i]))
			rule_install(&rules[i]);
	}
	for (i = 0; i < c.nmgroup; i++) {
		struct sc_rule *m = &c.mgroups[i];

		if (join_range(true, m->iif, &m->src, m->slen, &m->grp,
			       m->glen)) {
			logit(LOG_ERR, "%s:%d: mgroup not joined", m->file,
			      m->line);
			errors++;
		}
	}
	vifs_prune(false);
	sc_conf_free(&c);
	run_script("reload", NULL, NULL);
	return errors;
}

static void shutdown_all(void)
{
	teardown_routes_joins();
	vifs_prune(true);
}

/* ---- IPC ---- */

static bool want_exit, want_reload;

/* an IPv4 or IPv6 multicast address, with a prefix length maybe */
static bool looks_like_group(const char *s)
{
	char buf[INET6_ADDRSTRLEN + 4], *slash;
	struct inet_addr a;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	return !addr_parse(buf, &a) && addr_is_multicast(&a);
}

/*
 * "IIF [SOURCE[/LEN]] GROUP[/LEN] ...", IPv4 or IPv6: returns the index
 * after GROUP
 */
static int parse_sg(int argc, char **argv, struct inet_addr *src, int *slen,
		    struct inet_addr *grp, int *glen)
{
	int i = 1;

	memset(src, 0, sizeof(*src));
	*slen = 0;
	if (argc < 2)
		return -1;
	if (!looks_like_group(argv[i])) {
		if (sc_parse_addr(argv[i], false, src, slen))
			return -1;
		i++;
	}
	if (i >= argc) {
		logit(LOG_ERR, "missing multicast group");
		return -1;
	}
	if (sc_parse_addr(argv[i], true, grp, glen) ||
	    addr_pair_check(src, grp))
		return -1;
	return i + 1;
}

static int ipc_add(int argc, char **argv)
{
	struct inet_addr src, grp;
	int slen, glen, i, j;
	struct rule *r;
	bool fresh;

	i = parse_sg(argc, argv, &src, &slen, &grp, &glen);
	if (i < 0)
		return 1;
	if (i >= argc) {
		logit(LOG_ERR, "missing outbound interface");
		return 1;
	}
	for (j = 0; j < argc; j++) {
		if (j && j < i)
			continue;
		if (strlen(argv[j]) >= IF_NAMESIZE ||
		    (!is_wildcard(argv[j]) && !if_nametoindex(argv[j]))) {
			logit(LOG_ERR, "mroute: %s %s is not a known phyint",
			      j ? "outbound" : "inbound", argv[j]);
			return 1;
		}
	}
	r = rule_find(NULL, &src, slen, &grp, glen);
	fresh = !r;
	if (r && strcmp(r->iif, argv[0])) {
		/* another inbound interface: a new route */
		rule_uninstall(r, NULL, 0, false);
		snprintf(r->iif, sizeof(r->iif), "%s", argv[0]);
		r->noifs = 0;
	}
	if (!r)
		r = rule_new(argv[0], &src, slen, &grp, glen);
	for (; i < argc; i++)
		rule_add_oif(r, argv[i]);
	/* the routes the rule matches get the new outputs too */
	if (!rule_vifs(r, NULL) || rule_install(r)) {
		if (fresh)
			rule_free_at(r - rules);
		return 1;
	}
	return 0;
}

static int ipc_remove(int argc, char **argv)
{
	struct inet_addr src, grp;
	uint32_t del[MAX_OIFS], idx;
	int slen, glen, i, j, ndel = 0;
	struct rule *r;
	char sg[SG_BUF];

	i = parse_sg(argc, argv, &src, &slen, &grp, &glen);
	if (i < 0)
		return 1;
	r = rule_find(argv[0], &src, slen, &grp, glen);
	sg_str(&src, slen, &grp, glen, sg, sizeof(sg));
	if (!r) {
		/* not ours: smcrouted removes kernel routes all the same */
		if (glen == addr_bits(&grp) &&
		    (addr_is_any(&src) || slen == addr_bits(&src)) &&
		    i >= argc) {
			reply_err = NULL; /* one message is enough */
			if (!k_route_del2(&src, -1, &grp, -1, false)) {
				struct kent *k = kent_find(&src, &grp);

				if (!addr_is_any(&src) && k)
					kent_free_at(k - kents);
				return 0;
			}
		}
		logit(LOG_ERR, "mroute: no route %s from %s", sg, argv[0]);
		return 1;
	}
	if (i >= argc) {
		rule_uninstall(r, NULL, 0, false);
		rule_free_at(r - rules);
		logit(LOG_INFO, "route %s from %s removed", sg, argv[0]);
		return 0;
	}
	/*
	 * Remove these outputs from the rule and from the routes it
	 * matches; they stay, maybe with none.
	 */
	for (; i < argc; i++) {
		if (is_wildcard(argv[i])) {
			for (j = 0; j < nvif && ndel < MAX_OIFS; j++) {
				if (if_match(argv[i], vifs[j].name))
					del[ndel++] = vifs[j].ifindex;
			}
		} else {
			idx = if_nametoindex(argv[i]);
			if (idx && ndel < MAX_OIFS)
				del[ndel++] = idx;
		}
		for (j = 0; j < r->noifs; j++) {
			if (!strcmp(r->oifs[j], argv[i])) {
				memmove(&r->oifs[j], &r->oifs[j + 1],
					(r->noifs - j - 1) * sizeof(*r->oifs));
				r->noifs--;
				break;
			}
		}
	}
	rule_uninstall(r, del, ndel, false);
	return 0;
}

static int ipc_join(int argc, char **argv, bool join)
{
	struct inet_addr src, grp;
	int slen, glen, i;

	i = parse_sg(argc, argv, &src, &slen, &grp, &glen);
	if (i < 0)
		return 1;
	if (i < argc) {
		logit(LOG_ERR, "unexpected argument %s", argv[i]);
		return 1;
	}
	if (join_range(join, argv[0], &src, slen, &grp, glen)) {
		if (!join)
			logit(LOG_ERR, "not joined: %s", argv[argc - 1]);
		return 1;
	}
	return 0;
}

/* ---- show ---- */

#define LINE_WIDTH 79

struct kroute {
	struct inet_addr src, grp;
	int slen, glen;
	uint32_t iif;
	uint64_t packets, bytes;
	uint32_t oifs[MAX_OIFS];
	int noifs;
};

static struct kroute *kroutes;
static int nkroute;

static int kroute_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[MFWD_A_MAX + 1], *a, *n;
	struct kroute *k;

	struct inet_addr src, grp;

	(void)data;
	if (nl_parse(nlh, tb) || !nl_get_sg(tb, &src, &grp))
		return 0;
	kroutes = grow(kroutes, nkroute, sizeof(*kroutes));
	k = &kroutes[nkroute++];
	k->src = src;
	k->grp = grp;
	k->glen = nl_route_plen(tb, true, &grp);
	k->slen = nl_route_plen(tb, false, &src);
	k->iif = nl_get_uint(tb[MFWD_A_IIF]);
	k->packets = nl_get_uint(tb[MFWD_A_PACKETS]);
	k->bytes = nl_get_uint(tb[MFWD_A_BYTES]);
	mnl_attr_for_each(a, nlh, nl_hdrlen()) {
		if (mnl_attr_get_type(a) != MFWD_A_OIF || k->noifs >= MAX_OIFS)
			continue;
		mnl_attr_for_each_nested(n, a) {
			if (mnl_attr_get_type(n) == MFWD_OIF_A_IFINDEX)
				k->oifs[k->noifs++] = nl_get_uint(n);
		}
	}
	return 0;
}

/* the kernel route of an exact or (*,G) or prefix rule */
static struct kroute *kroute_find(const struct rule *r)
{
	int i, slen = rule_has_src(r) ? r->slen : 0;

	for (i = 0; i < nkroute; i++) {
		if (addr_eq(&kroutes[i].src, &r->src) &&
		    addr_eq(&kroutes[i].grp, &r->grp) &&
		    kroutes[i].slen == slen && kroutes[i].glen == r->glen)
			return &kroutes[i];
	}
	return NULL;
}

static void heading(struct buf *o, const char *flags, const char *title,
		    const char *cols)
{
	char line[LINE_WIDTH + 1];

	if (strchr(flags, 't'))
		return;
	if (title) {
		memset(line, '_', LINE_WIDTH);
		line[LINE_WIDTH] = 0;
		buf_add(o, "%s\n%s\n", line, title);
	}
	memset(line, '=', LINE_WIDTH);
	line[LINE_WIDTH] = 0;
	buf_add(o, "%s\n%s\n%s\n", line, cols, line);
}

static void route_line(struct buf *o, bool detail, const char *sg,
		       const char *iif, const struct kroute *k,
		       const char *oifs)
{
	if (detail)
		buf_add(o, "%-42s %-4s%10llu %10llu  %s\n", sg, iif,
			(unsigned long long)(k ? k->packets : 0),
			(unsigned long long)(k ? k->bytes : 0), oifs);
	else
		buf_add(o, "%-42s %-4s %s\n", sg, iif, oifs);
}

static void show_routes(struct buf *o, const char *flags)
{
	bool detail = strchr(flags, 'd');
	const char *cols =
		detail ?
			"ROUTE (S,G)                                IIF    PACKETS      BYTES  OIFS" :
			"ROUTE (S,G)                                IIF  OIFS";
	char sg[SG_BUF], oifs[1024], name[IFNAME_BUF];
	int i, j, pass;

	free(kroutes);
	kroutes = NULL;
	nkroute = 0;
	nl_query(dump_msg(MFWD_CMD_ROUTE_GET), kroute_cb, NULL);

	/* (*,G) rules and templates, then (S,G) rules */
	for (pass = 0; pass < 2; pass++) {
		heading(o, flags, pass ? "(S,G) Rules" : "(*,G) Template Rules",
			cols);
		for (i = 0; i < nrule; i++) {
			struct rule *r = &rules[i];
			bool star = !rule_is_sg(r);
			size_t len = 0;

			if (star != !pass)
				continue;
			oifs[0] = 0;
			for (j = 0; j < r->noifs; j++)
				len += snprintf(oifs + len,
						len < sizeof(oifs) ?
							sizeof(oifs) - len :
							0,
						"%s%s", j ? " " : "",
						r->oifs[j]);
			sg_str(&r->src, r->slen, &r->grp, r->glen, sg,
			       sizeof(sg));
			route_line(o, detail, sg, r->iif,
				   rule_is_template(r) ? NULL : kroute_find(r),
				   oifs);
		}
	}
	/* routes with outputs first, then stop filters, as smcrouted */
	heading(o, flags, "Kernel MFC Table", cols);
	for (i = 0; i < 2 * nkroute; i++) {
		struct kroute *k = &kroutes[i % nkroute];
		bool stop_filters = i >= nkroute;
		size_t len = 0;

		if (!k->noifs != stop_filters)
			continue;
		oifs[0] = 0;
		for (j = 0; j < k->noifs; j++)
			len += snprintf(
				oifs + len,
				len < sizeof(oifs) ? sizeof(oifs) - len : 0,
				"%s%s", j ? " " : "",
				ifindex_name(k->oifs[j], name, sizeof(name)));
		sg_str(&k->src, k->slen, &k->grp, k->glen, sg, sizeof(sg));
		route_line(o, detail, sg,
			   ifindex_name(k->iif, name, sizeof(name)), k, oifs);
	}
	buf_add(o, "\n");
}

static void show_groups(struct buf *o, const char *flags)
{
	char sg[SG_BUF];
	int i;

	heading(o, flags, "Group Memberships Table",
		"GROUP (S,G)                                IIF");
	for (i = 0; i < njoin; i++)
		buf_add(o, "%-42s %s\n",
			sg_str(&joins[i].src, addr_bits(&joins[i].src),
			       &joins[i].grp, addr_bits(&joins[i].grp), sg,
			       sizeof(sg)),
			joins[i].iif);
	buf_add(o, "\n");
}

static void show_interfaces(struct buf *o, const char *flags)
{
	struct if_nameindex *ifs, *it;
	char vif[16];
	int i;

	vif_sync();
	heading(o, flags, NULL, " INDEX PHYINT  VIF  MIF");
	ifs = if_nameindex();
	for (it = ifs; it && it->if_index; it++) {
		snprintf(vif, sizeof(vif), "N/A");
		for (i = 0; i < nvif; i++) {
			if (vifs[i].ifindex == it->if_index)
				snprintf(vif, sizeof(vif), "%d", i);
		}
		buf_add(o, "%6u %-7s%4s %4s\n", it->if_index, it->if_name, vif,
			"N/A");
	}
	if (ifs)
		if_freenameindex(ifs);
	buf_add(o, "\n");
}

static int ipc_command(int argc, char **argv, const char *flags, struct buf *o)
{
	const char *cmd = argv[0];

	argc--;
	argv++;
	if (!strcmp(cmd, "show")) {
		if (!argc || !strcmp(argv[0], "routes"))
			show_routes(o, flags);
		else if (!strcmp(argv[0], "groups"))
			show_groups(o, flags);
		else if (!strcmp(argv[0], "interfaces"))
			show_interfaces(o, flags);
		else
			return logit(LOG_ERR, "unknown show argument"), 1;
		return 0;
	}
	if (!strcmp(cmd, "add"))
		return ipc_add(argc, argv);
	if (!strcmp(cmd, "remove"))
		return ipc_remove(argc, argv);
	if (!strcmp(cmd, "join"))
		return ipc_join(argc, argv, true);
	if (!strcmp(cmd, "leave"))
		return ipc_join(argc, argv, false);
	if (!strcmp(cmd, "flush")) {
		expire_dyns(true);
		return 0;
	}
	if (!strcmp(cmd, "kill")) {
		/* done when the client returns: scripts check at once */
		logit(LOG_NOTICE,
		      "Exiting on kill, removing what was installed.");
		shutdown_all();
		want_exit = true;
		return 0;
	}
	if (!strcmp(cmd, "reload")) {
		want_reload = true;
		return 0;
	}
	logit(LOG_ERR, "unknown command %s", cmd);
	return 1;
}

static int ipc_listen(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, probe;

	if (strlen(sock_path) >= sizeof(sun.sun_path)) {
		logit(LOG_ERR, "socket path %s too long", sock_path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	/* a live daemon owns the socket; a stale one is removed */
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 &&
	    !connect(probe, (struct sockaddr *)&sun, sizeof(sun))) {
		close(probe);
		logit(LOG_ERR, "another daemon is listening on %s", sock_path);
		return -1;
	}
	if (probe >= 0)
		close(probe);
	unlink(sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(fd, 16)) {
		logit(LOG_ERR, "cannot listen on %s: %s", sock_path,
		      strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static void ipc_serve(int lfd)
{
	static char req[SMC_IPC_MAX + 1];
	struct timeval tv = { .tv_sec = 2 };
	struct buf out = { 0 }, err = { 0 };
	char *argv[SMC_IPC_MAX_WORDS], *p, hdr[64];
	size_t len = 0;
	int fd, argc = 0, rc = 1;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* read up to the two NULs that end a request */
	while (len < SMC_IPC_MAX) {
		ssize_t n = read(fd, req + len, SMC_IPC_MAX - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (len >= 2 && !req[len - 1] && !req[len - 2])
			break;
	}
	req[len] = 0;
	for (p = req; p < req + len && *p && argc < SMC_IPC_MAX_WORDS;
	     p += strlen(p) + 1)
		argv[argc++] = p;
	reply_out = &out;
	reply_err = &err;
	if (argc < 3 || strcmp(argv[0], SMC_IPC_MAGIC))
		logit(LOG_ERR, "bad request from client");
	else
		rc = ipc_command(argc - 2, argv + 2, argv[1], &out);
	reply_out = reply_err = NULL;
	snprintf(hdr, sizeof(hdr), "%d %zu %zu\n", rc, out.len, err.len);
	if (write_all(fd, hdr, strlen(hdr)) || write_all(fd, out.p, out.len) ||
	    write_all(fd, err.p, err.len))
		logit(LOG_DEBUG, "client went away");
	close(fd);
	free(out.p);
	free(err.p);
}

/* ---- daemon ---- */

static int ready_fd = -1;

/*
 * Detach: the parent returns only when the daemon is ready (exit 0) or
 * has failed (exit 1), so "mfwd-smcrouted && smcroutectl ..." works.
 */
static void daemonize(void)
{
	int pfd[2];
	char c;
	pid_t pid;

	if (pipe(pfd)) {
		perror("pipe");
		exit(EXIT_FAIL);
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(EXIT_FAIL);
	}
	if (pid) {
		close(pfd[1]);
		exit(read(pfd[0], &c, 1) == 1 ? 0 : EXIT_FAIL);
	}
	close(pfd[0]);
	setsid();
	pid = fork();
	if (pid < 0)
		_exit(EXIT_FAIL);
	if (pid)
		_exit(0);
	ready_fd = pfd[1];
	if (chdir("/"))
		_exit(EXIT_FAIL);
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static int write_pidfile(void)
{
	FILE *f = fopen(pid_path, "w");

	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
		logit(LOG_ERR, "cannot write PID file %s: %s", pid_path,
		      strerror(errno));
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage:\n"
		"  %s [-hnNsv] [-c SEC] [-d SEC] [-e CMD] [-f FILE] [-F FILE] [-i NAME]\n"
		"                 [-l LVL] [-m SEC] [-P FILE] [-t ID] [-u FILE]\n"
		"\n"
		"Options:\n"
		"  -c SEC          Flush dynamic (*,G) multicast routes unused for SEC seconds,\n"
		"                  default 60 sec, 0 to disable\n"
		"  -d SEC          Startup delay\n"
		"  -e CMD          Script or command to call on startup/reload when all routes\n"
		"                  have been installed, or when a (*,G) is installed\n"
		"  -f FILE         Configuration file, default use ident NAME: /etc/NAME.conf\n"
		"  -F FILE         Check configuration file syntax, exit non-zero on error\n"
		"  -h              This help text\n"
		"  -i NAME         Identity for .conf/.pid/.sock file, and syslog, default: smcroute\n"
		"                  (-I NAME is the same)\n"
		"  -l LVL          Set log level: none, err, notice*, info, debug\n"
		"  -m SEC          Multicast router discovery interval: accepted, not used\n"
		"  -n              Run daemon in foreground\n"
		"  -N              No multicast VIFs created by default.  Use with\n"
		"                  smcroute.conf `phyint enable` directive\n"
		"  -P FILE         PID file, default use ident NAME: /run/NAME.pid\n"
		"  -s              Use syslog, default unless running in foreground, -n\n"
		"  -t ID           Multicast routing table: the mfwd table to drive,\n"
		"                  default: 0\n"
		"  -u FILE         UNIX domain socket path, for use with smcroutectl.\n"
		"                  Default use ident NAME: /run/NAME.sock\n"
		"  -v              Show program version\n"
		"\n"
		"This smcrouted drives mfwd, the multicast forwarding module, over\n"
		"generic netlink instead of the kernel's ipmr.\n",
		prog);
}

static int parse_level(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		if (!strcmp(s, levels[i].name))
			return levels[i].level;
	}
	return -2;
}

int main(int argc, char **argv)
{
	static char conf_buf[PATH_MAX], pid_buf[PATH_MAX], sock_buf[PATH_MAX];
	const char *check = NULL, *p = strrchr(argv[0], '/');
	unsigned int delay = 0;
	struct pollfd pfd[3];
	int c, lfd, efd, sfd;
	uint32_t v;
	sigset_t mask;
	time_t next_expire;

	prog = p ? p + 1 : argv[0];
	while ((c = getopt(argc, argv, "c:d:e:f:F:hi:I:l:m:nNp:P:st:u:v")) !=
	       -1) {
		switch (c) {
		case 'c':
			if (parse_u32(optarg, 86400 * 365, &v))
				goto bad_arg;
			cache_timeout = v;
			break;
		case 'd':
			if (parse_u32(optarg, 3600, &delay))
				goto bad_arg;
			break;
		case 'e':
			script = optarg;
			break;
		case 'f':
			conf_path = optarg;
			break;
		case 'F':
			check = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'i':
		case 'I':
			ident = optarg;
			break;
		case 'l':
			loglevel = parse_level(optarg);
			if (loglevel < -1)
				goto bad_arg;
			break;
		case 'm':
			break;
		case 'n':
			foreground = true;
			break;
		case 'N':
			no_vifs = true;
			break;
		case 'p':
			fprintf(stderr,
				"%s: -p (drop privileges) is not supported, ignored\n",
				prog);
			break;
		case 'P':
			pid_path = optarg;
			break;
		case 's':
			use_syslog = true;
			break;
		case 't':
			if (parse_u32(optarg, UINT32_MAX, &table_id)) {
				fprintf(stderr,
					"%s: -t %s: not a table id (0 to 4294967295)\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'u':
			sock_path = optarg;
			break;
		case 'v':
			printf("%s (mfwd tools %s), smcrouted %s compatible\n",
			       prog, MFWDCTL_VERSION, SMC_COMPAT);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
		continue;
bad_arg:
		fprintf(stderr, "%s: invalid argument to -%c: %s\n", prog, c,
			optarg);
		return EXIT_USAGE;
	}
	if (optind < argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	msg_hook = lib_msg;
	ifcache_off = true;

	if (check) {
		struct sc_conf conf = { .keep_going = true };
		int ret;

		use_syslog = false;
		if (loglevel < LOG_ERR)
			loglevel = LOG_ERR;
		ret = sc_conf_read(check, &conf);
		sc_conf_free(&conf);
		return ret ? EXIT_FAIL : 0;
	}
	if (!conf_path) {
		snprintf(conf_buf, sizeof(conf_buf), "/etc/%s.conf", ident);
		conf_path = conf_buf;
	}
	if (!pid_path) {
		snprintf(pid_buf, sizeof(pid_buf), "%s/%s.pid", SMC_RUNDIR,
			 ident);
		pid_path = pid_buf;
	}
	if (!sock_path) {
		snprintf(sock_buf, sizeof(sock_buf), "%s/%s.sock", SMC_RUNDIR,
			 ident);
		sock_path = sock_buf;
	}
	/* paths stay valid after chdir("/") */
	if (conf_path[0] != '/' && realpath(conf_path, conf_buf))
		conf_path = conf_buf;

	if (!foreground) {
		daemonize();
		use_syslog = true;
	}
	if (use_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
	if (delay)
		sleep(delay);

	/* a client that went away must not take the daemon with it */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || nl_open()) {
		logit(LOG_ERR, "cannot start: %s",
		      sfd < 0 ?
			      strerror(errno) :
			      "no mfwd generic netlink family (is mfwd loaded?)");
		return EXIT_FAIL;
	}
	efd = nl_events_open();
	if (efd < 0)
		return EXIT_FAIL;
	lfd = ipc_listen();
	if (lfd < 0)
		return EXIT_FAIL;
	logit(LOG_NOTICE, "%s (mfwd) starting, configuration %s", prog,
	      conf_path);
	load_config();
	if (write_pidfile()) {
		shutdown_all();
		unlink(sock_path);
		return EXIT_FAIL;
	}
	starting = false;
	if (ready_fd >= 0) {
		if (write(ready_fd, "", 1) != 1)
			logit(LOG_DEBUG, "parent gone");
		close(ready_fd);
		detach_stdio();
	}
	logit(LOG_NOTICE, "Ready, waiting for client request or kernel event.");

	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = efd, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	next_expire = time(NULL) + cache_timeout;
	while (!want_exit) {
		int timeout = -1;

		if (cache_timeout && nkent) {
			time_t now = time(NULL);

			timeout = now >= next_expire ?
					  0 :
					  (int)(next_expire - now) * 1000;
		}
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP)
					want_reload = true;
				else if (si.ssi_signo == SIGCHLD)
					while (waitpid(-1, NULL, WNOHANG) > 0)
						;
				else
					want_exit = true;
			}
		}
		if (pfd[1].revents & POLLIN) {
			if (nl_events_read(nocache_cb, NULL) == ENOBUFS)
				logit(LOG_WARNING,
				      "kernel events lost (receive buffer overrun)");
		}
		if (pfd[2].revents & POLLIN)
			ipc_serve(lfd);
		if (want_reload && !want_exit) {
			want_reload = false;
			logit(LOG_NOTICE, "Reloading configuration %s",
			      conf_path);
			load_config();
		}
		if (cache_timeout && time(NULL) >= next_expire) {
			expire_dyns(false);
			next_expire = time(NULL) + cache_timeout;
		}
	}
	logit(LOG_NOTICE, "Exiting, removing what was installed.");
	shutdown_all();
	close(lfd);
	unlink(sock_path);
	unlink(pid_path);
	nl_events_close();
	nl_close();
	return 0;
}
