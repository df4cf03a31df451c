// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - netlink plumbing: family resolution, requests and acks with
 * extended ack reporting, batches of requests and of routes, dumps, event
 * subscription.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/mfwd.h>

#include "mfwdctl.h"

/*
 * largest single request we build: a route with 1024 outputs, each with a
 * TTL, is about 20.5 KB, and 28.7 KB with 1024 inputs too
 */
#define MSG_MAX 32768
/* bytes of requests sent with one write in batch mode */
#define BATCH_LIMIT 65536
#define BATCH_BUF (BATCH_LIMIT + MSG_MAX)
/*
 * largest request of a batch of routes (ROUTE nests): an error ack that
 * echoes it (no NETLINK_CAP_ACK) still fits into rx_buf
 */
#define ROUTES_MSG_MAX (BATCH_LIMIT - 4096)
/* routes in one such request: the smallest, a GROUP in its nest, is 12 B */
#define ROUTES_MAX (ROUTES_MSG_MAX / 12)
/* what one ack costs in the socket receive buffer, roughly (skb truesize) */
#define ACK_COST 1280
#define RCVBUF_WANT (16 << 20)

static struct mnl_socket *sk;
static uint16_t family_id;
static uint32_t events_grp;
static bool have_events_grp;
static uint32_t portid;
static uint32_t seq;

static char batch_buf[BATCH_BUF];
static char query_buf[MSG_MAX];
/*
 * Every receive. The kernel sizes the skbs of a dump after the largest
 * receive buffer the socket has used (capped at 32 KB), and a route with
 * 1024 outputs is a 20.6 KB message (28.8 KB with 1024 inputs too): 64 KB
 * (not MNL_SOCKET_DUMP_SIZE, 32 KB) leaves room for any dump skb and what
 * one recvmsg() may carry.
 */
static char rx_buf[65536];
static struct mnl_nlmsg_batch *batch;
static bool batching;
/* the message being built does not fit into MSG_MAX */
static bool overflow;

/* requests sent or queued, waiting for their acks */
struct pending {
	uint32_t seq;
	uint32_t off;
	int line;
	const char *file;
	int ignore_errno;
	bool routes; /* a batch of routes: the lines are in rec[] */
};

int nl_ignore_errno;
int nl_last_errno;

static struct pending *pend;
static int npend;
static int max_pend;

/*
 * In batch mode, consecutive route adds and replaces (deletes) are packed
 * as ROUTE nests into one ROUTE_ADD (ROUTE_DEL) request, which the kernel
 * applies in order until one fails. Such a request of several routes is
 * the last of its write: when one of its routes fails, the kernel has not
 * applied those after it, and with -force they are sent again before
 * anything that followed them.
 */
struct route_rec {
	uint32_t off; /* of its nest, from the start of its request */
	int line;
	const char *file;
	int ignore_errno;
	bool resent; /* it failed to go with a batch before */
	bool alone; /* to be sent again as a request of its own */
};

/* a route is built here as a request of its own, then nested */
static char route_buf[MSG_MAX];
/* the batch of routes being filled, the current message of the batch */
static struct nlmsghdr *routes;
static uint8_t routes_cmd;
static uint32_t routes_limit;
/* the routes of the batch being filled, or queued or sent last */
static struct route_rec rec[ROUTES_MAX];
static int nrec;
/* the queue is to be sent before another request joins it */
static bool send_now;
/* the kernel took a batch of routes, or refused one as unknown */
static bool routes_ok, routes_unknown;

/*
 * The routes of a failed batch to send again, in order: their nests one
 * after another (offsets into resend_buf). They are a part of that batch
 * and fit where it did.
 */
static char resend_buf[ROUTES_MSG_MAX];
static struct route_rec resend[ROUTES_MAX];
static int nresend, resend_pos;
static uint8_t resend_cmd;
/* the next such list, built from a batch that failed and the rest */
static char next_buf[ROUTES_MSG_MAX];
static struct route_rec next[ROUTES_MAX];
static uint32_t next_len;
static int nnext;

size_t nl_hdrlen(void)
{
	return GENL_HDRLEN;
}

void *nl_payload(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
}

static struct nlmsghdr *msg_start(void *buf, uint16_t type, uint8_t cmd,
				  uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = ++seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	overflow = false;
	return nlh;
}

static void routes_end(void);

/*
 * Start a request of the mfwd family. NLM_F_REQUEST is always set; writes
 * get NLM_F_ACK in nl_request(). In batch mode the message is built at the
 * end of the batch buffer, which always has MSG_MAX bytes free, after the
 * batch of routes being filled, if any, which this closes.
 */
struct nlmsghdr *nl_msg(uint8_t cmd, uint16_t flags)
{
	if (routes)
		routes_end();
	return msg_start(mnl_nlmsg_batch_current(batch), family_id, cmd,
			 MFWD_GENL_VERSION, NLM_F_REQUEST | flags);
}

/*
 * Start a ROUTE_ADD or ROUTE_DEL of one route, to be put as for a request
 * of its own and sent with nl_route_request(). In batch mode it is built
 * aside, to join a batch of routes.
 */
struct nlmsghdr *nl_route_msg(uint8_t cmd)
{
	if (!batching || routes_unknown)
		return nl_msg(cmd, 0);
	return msg_start(route_buf, family_id, cmd, MFWD_GENL_VERSION,
			 NLM_F_REQUEST);
}

static void put(struct nlmsghdr *nlh, uint16_t type, size_t len,
		const void *data)
{
	if (!mnl_attr_put_check(nlh, MSG_MAX, type, len, data))
		overflow = true;
}

void nl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	put(nlh, type, sizeof(v), &v);
}

void nl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	put(nlh, type, sizeof(v), &v);
}

void nl_put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	put(nlh, type, sizeof(v), &v);
}

void nl_put_flag(struct nlmsghdr *nlh, uint16_t type)
{
	put(nlh, type, 0, NULL);
}

struct nlattr *nl_nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, MSG_MAX, type);

	if (!nest)
		overflow = true;
	return nest;
}

void nl_nest_end(struct nlmsghdr *nlh, struct nlattr *nest)
{
	if (nest)
		mnl_attr_nest_end(nlh, nest);
}

static int parse_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	/* the first of a repeated attribute: a route's primary IIF */
	if (type > 0 && type <= MFWD_A_MAX && !tb[type])
		tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (MFWD_A_MAX + 1));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, parse_cb, tb) < 0)
		return -1;
	return 0;
}

/* an unsigned attribute of any width; 0 if absent */
uint64_t nl_get_uint(const struct nlattr *a)
{
	uint64_t v64;

	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	case 8:
		memcpy(&v64, mnl_attr_get_payload(a), sizeof(v64));
		return v64;
	}
	return 0;
}

/* an address of @a's family: "any" ones too (dump filters) */
void nl_put_addr(struct nlmsghdr *nlh, bool group, const struct inet_addr *a)
{
	uint16_t type;

	if (a->family == AF_INET6)
		type = group ? MFWD_A_GROUP6 : MFWD_A_SOURCE6;
	else
		type = group ? MFWD_A_GROUP : MFWD_A_SOURCE;
	put(nlh, type, addr_size(a), a->b);
}

/* a route's group and, unless "any", its source */
void nl_put_sg(struct nlmsghdr *nlh, const struct inet_addr *src,
	       const struct inet_addr *grp)
{
	nl_put_addr(nlh, true, grp);
	if (!addr_is_any(src))
		nl_put_addr(nlh, false, src);
}

/* prefix lengths of a route's group and source; -1: not given */
void nl_put_plen(struct nlmsghdr *nlh, int src_len, int grp_len)
{
	if (grp_len >= 0)
		nl_put_u8(nlh, MFWD_A_GROUP_PREFIX_LEN, grp_len);
	if (src_len >= 0)
		nl_put_u8(nlh, MFWD_A_SOURCE_PREFIX_LEN, src_len);
}

/* a route's group (@group) or source prefix length, -1 when absent (full,
 * or for no source, 0)
 */
int nl_get_plen(const struct nlattr **tb, bool group)
{
	const struct nlattr *a =
		tb[group ? MFWD_A_GROUP_PREFIX_LEN : MFWD_A_SOURCE_PREFIX_LEN];

	return a ? (int)nl_get_uint(a) : -1;
}

/* the prefix length of route address @a (group or source): the attribute's,
 * else full, or 0 for an "any" source
 */
int nl_route_plen(const struct nlattr **tb, bool group,
		  const struct inet_addr *a)
{
	int len = nl_get_plen(tb, group);

	if (len >= 0)
		return len;
	return !group && addr_is_any(a) ? 0 : addr_bits(a);
}

static void get_addr(const struct nlattr *a, int family, struct inet_addr *v)
{
	memset(v, 0, sizeof(*v));
	v->family = family;
	if (a && mnl_attr_get_payload_len(a) == addr_size(v))
		memcpy(v->b, mnl_attr_get_payload(a), addr_size(v));
}

/*
 * The source and group of a route or event message (an absent source:
 * "any"); returns their family, 0 if the message has no group.
 */
int nl_get_sg(const struct nlattr **tb, struct inet_addr *src,
	      struct inet_addr *grp)
{
	int family = AF_INET;

	if (tb[MFWD_A_GROUP6] ||
	    (tb[MFWD_A_FAMILY] && nl_get_uint(tb[MFWD_A_FAMILY]) == AF_INET6))
		family = AF_INET6;
	get_addr(tb[family == AF_INET6 ? MFWD_A_SOURCE6 : MFWD_A_SOURCE],
		 family, src);
	get_addr(tb[family == AF_INET6 ? MFWD_A_GROUP6 : MFWD_A_GROUP], family,
		 grp);
	if (!tb[family == AF_INET6 ? MFWD_A_GROUP6 : MFWD_A_GROUP])
		return 0;
	return family;
}

/* TABLE of a request: with "table ID" or -t only (absent: table 0) */
void nl_put_table(struct nlmsghdr *nlh, const struct table_arg *t)
{
	if (t->set)
		nl_put_u32(nlh, MFWD_A_TABLE, t->id);
}

/* a reply's, notification's or event's table: TABLE, absent for 0 */
uint32_t nl_get_table(const struct nlattr **tb)
{
	return nl_get_uint(tb[MFWD_A_TABLE]);
}

/* whether a message is of the table asked for, if any */
bool table_matches(const struct table_arg *t, const struct nlattr **tb)
{
	return !t->set || nl_get_table(tb) == t->id;
}

/* ---- error reporting ---- */

static const char *const mfwd_attr_names[] = {
	[MFWD_A_IFINDEX] = "dev",
	[MFWD_A_IFNAME] = "ifname",
	[MFWD_A_VIF_FLAGS] = "flags",
	[MFWD_A_VIF_THRESHOLD] = "ttl-threshold",
	[MFWD_A_SOURCE] = "source",
	[MFWD_A_GROUP] = "group",
	[MFWD_A_IIF] = "iif",
	[MFWD_A_OIF] = "oif",
	[MFWD_A_FLUSH_VIFS] = "all",
	[MFWD_A_UNRES_MAX] = "unres-max",
	[MFWD_A_UNRES_QLEN] = "unres-qlen",
	[MFWD_A_UNRES_TIMEOUT_MS] = "unres-timeout",
	[MFWD_A_WRONGVIF_INTERVAL_MS] = "wrongvif-interval",
	[MFWD_A_MAX_ROUTES] = "max-routes",
	[MFWD_A_REPLACE] = "replace",
	[MFWD_A_FAMILY] = "family",
	[MFWD_A_SOURCE6] = "source",
	[MFWD_A_GROUP6] = "group",
	[MFWD_A_GROUP_PREFIX_LEN] = "group prefix length",
	[MFWD_A_SOURCE_PREFIX_LEN] = "source prefix length",
	[MFWD_A_IIF_ANY] = "iif any",
	[MFWD_A_PER_IIF] = "per-iif",
	[MFWD_A_TABLE] = "table",
	/* route flags: no-wrongvif is the one mfwdctl sets */
	[MFWD_A_ROUTE_FLAGS] = "no-wrongvif",
	[MFWD_A_SIGNAL_RATE] = "signal-rate",
	[MFWD_A_METER_UNIT] = "packets|bytes",
	[MFWD_A_METER_OP] = "ge|le",
	[MFWD_A_METER_VALUE] = "value",
	[MFWD_A_INTERVAL_MS] = "interval",
	[MFWD_A_IDLE_TIMEOUT_MS] = "idle-timeout",
	[MFWD_A_EXPIRE] = "expire",
	[MFWD_A_DUP_WINDOW_MS] = "dup-window",
};

static const char *attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(mfwd_attr_names) && mfwd_attr_names[type])
		return mfwd_attr_names[type];
	return NULL;
}

/* the command line words that made attribute @a of a request */
static void describe_attr(const struct nlattr *a, char *buf, size_t len)
{
	unsigned int type = mnl_attr_get_type(a);
	char name[IFNAME_BUF], addr[ADDR_BUF], d[DURATION_BUF];
	const char *word = attr_name(type);
	struct inet_addr v;
	const struct nlattr *n;
	uint32_t ifindex = 0;
	int ttl = -1;

	switch (type) {
	case MFWD_A_IFINDEX:
	case MFWD_A_IIF:
		snprintf(buf, len, "%s %s", word,
			 ifindex_name(nl_get_uint(a), name, sizeof(name)));
		break;
	case MFWD_A_SOURCE:
	case MFWD_A_GROUP:
	case MFWD_A_SOURCE6:
	case MFWD_A_GROUP6:
		get_addr(a,
			 type == MFWD_A_SOURCE || type == MFWD_A_GROUP ?
				 AF_INET :
				 AF_INET6,
			 &v);
		snprintf(buf, len, "%s %s", word, addr_str(&v, addr));
		break;
	case MFWD_A_FAMILY:
		snprintf(buf, len, "%s %s", word, family_name(nl_get_uint(a)));
		break;
	case MFWD_A_OIF:
		mnl_attr_for_each_nested(n, a) {
			if (mnl_attr_get_type(n) == MFWD_OIF_A_IFINDEX)
				ifindex = nl_get_uint(n);
			else if (mnl_attr_get_type(n) == MFWD_OIF_A_TTL)
				ttl = nl_get_uint(n);
		}
		if (ttl >= 0)
			snprintf(buf, len, "oif %s/%d",
				 ifindex_name(ifindex, name, sizeof(name)),
				 ttl);
		else
			snprintf(buf, len, "oif %s",
				 ifindex_name(ifindex, name, sizeof(name)));
		break;
	case MFWD_A_METER_UNIT:
		snprintf(buf, len, "%s",
			 nl_get_uint(a) == MFWD_METER_BYTES ? "bytes" :
							      "packets");
		break;
	case MFWD_A_METER_OP:
		snprintf(buf, len, "%s",
			 nl_get_uint(a) == MFWD_METER_LE ? "le" : "ge");
		break;
	/* durations as mfwdctl takes them */
	case MFWD_A_INTERVAL_MS:
	case MFWD_A_IDLE_TIMEOUT_MS:
	case MFWD_A_DUP_WINDOW_MS:
		snprintf(buf, len, "%s %s", word,
			 duration_str(nl_get_uint(a), d, sizeof(d)));
		break;
	case MFWD_A_VIF_FLAGS:
	case MFWD_A_FLUSH_VIFS:
	case MFWD_A_REPLACE:
	case MFWD_A_IIF_ANY:
	case MFWD_A_PER_IIF:
	case MFWD_A_ROUTE_FLAGS:
	case MFWD_A_EXPIRE:
		snprintf(buf, len, "%s", word);
		break;
	default:
		if (word)
			snprintf(buf, len, "%s %llu", word,
				 (unsigned long long)nl_get_uint(a));
		else
			snprintf(buf, len, "attribute %u", type);
	}
}

/* attribute @a of request @req spans byte offset @off */
static bool attr_at(const struct nlmsghdr *req, const struct nlattr *a,
		    uint32_t off)
{
	uint32_t start = (const char *)a - (const char *)req;

	return off >= start && off < start + MNL_ALIGN(a->nla_len);
}

/*
 * The attribute of request @req at byte offset @off, described; in a
 * batch of routes, the attribute of a route's nest (nothing for the nest
 * itself)
 */
static bool describe_offset(const struct nlmsghdr *req, uint32_t off, char *buf,
			    size_t len)
{
	const struct nlattr *a, *n;

	if (!req || off < sizeof(*req) || off >= req->nlmsg_len)
		return false;
	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		if (!attr_at(req, a, off))
			continue;
		if (mnl_attr_get_type(a) != MFWD_A_ROUTE) {
			describe_attr(a, buf, len);
			return true;
		}
		mnl_attr_for_each_nested(n, a) {
			if (attr_at(req, n, off)) {
				describe_attr(n, buf, len);
				return true;
			}
		}
		return false;
	}
	return false;
}

struct ext_ack {
	const char *msg;
	bool has_off;
	uint32_t off;
	bool has_miss;
	uint32_t miss_type;
	bool has_miss_nest;
	uint32_t miss_nest;
	bool has_cookie;
	uint32_t cookie;
};

static void parse_extack(const struct nlmsghdr *nlh, size_t tlv_off,
			 struct ext_ack *ea)
{
	const struct nlattr *a;

	memset(ea, 0, sizeof(*ea));
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    tlv_off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(a, nlh, tlv_off) {
		switch (mnl_attr_get_type(a)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				ea->msg = mnl_attr_get_str(a);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				ea->has_off = true;
				ea->off = mnl_attr_get_u32(a);
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				ea->has_miss = true;
				ea->miss_type = mnl_attr_get_u32(a);
			}
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				ea->has_miss_nest = true;
				ea->miss_nest = mnl_attr_get_u32(a);
			}
			break;
		/* a batch of routes: the index of the route that failed */
		case NLMSGERR_ATTR_COOKIE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				ea->has_cookie = true;
				ea->cookie = mnl_attr_get_u32(a);
			}
			break;
		}
	}
}

/*
 * Print "Error[ in line N]: <extack message> (<strerror>)" and, when the
 * kernel named an attribute of the request, the command line words it came
 * from.
 */
/* set while resolving the family: nl_open() explains a failure itself */
static bool quiet;

static void report_error(int err, const struct ext_ack *ea,
			 const struct nlmsghdr *req, int line, const char *file)
{
	char where[128] = "";
	char what[96];
	int saved_line = cur_line;
	const char *saved_file = cur_file;

	if (quiet)
		return;
	if (ea->has_off && describe_offset(req, ea->off, what, sizeof(what))) {
		snprintf(where, sizeof(where), " at \"%s\"", what);
	} else if (ea->has_miss) {
		const char *name = attr_name(ea->miss_type);

		if (ea->has_miss_nest &&
		    describe_offset(req, ea->miss_nest, what, sizeof(what)))
			snprintf(where, sizeof(where),
				 " (missing attribute %u in \"%s\")",
				 ea->miss_type, what);
		else if (name)
			snprintf(where, sizeof(where), " (missing \"%s\")",
				 name);
		else
			snprintf(where, sizeof(where),
				 " (missing attribute %u)", ea->miss_type);
	}
	cur_line = line;
	cur_file = file;
	if (ea->msg && *ea->msg)
		err_msg("%s (%s)%s", ea->msg, strerror(err), where);
	else
		err_msg("%s%s", strerror(err), where);
	cur_line = saved_line;
	cur_file = saved_file;
	if (err == EPERM && !ea->msg)
		fputs("(changing mfwd state needs CAP_NET_ADMIN)\n", stderr);
}

/* the extended ack of ack @nlh, after the request if it is echoed */
static void ack_extack(const struct nlmsghdr *nlh, struct ext_ack *ea)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	parse_extack(nlh, off, ea);
}

static int ack_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		     int line, const char *file)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct ext_ack ea;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		err_msg("truncated netlink error message");
		return EIO;
	}
	if (!e->error)
		return 0;
	ack_extack(nlh, &ea);
	report_error(-e->error, &ea, req, line, file);
	return -e->error;
}

static bool is_errno(const struct nlmsghdr *nlh, int err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	return nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*e)) && e->error == -err;
}

/* NLMSG_DONE of a dump may carry an error and an extack */
static int done_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req)
{
	struct ext_ack ea;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (!err)
		return 0;
	parse_extack(nlh, sizeof(int), &ea);
	report_error(-err, &ea, req, cur_line, cur_file);
	return -err;
}

/* ---- socket ---- */

static int sys_error(const char *what)
{
	err_msg("%s: %s", what, strerror(errno));
	return EXIT_FAIL;
}

static void set_rcvbuf(void)
{
	int val = RCVBUF_WANT;
	socklen_t len = sizeof(val);
	int fd = mnl_socket_get_fd(sk);

	/* SO_RCVBUFFORCE needs CAP_NET_ADMIN, SO_RCVBUF is capped */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &val, sizeof(val)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, &len))
		val = 212992;
	max_pend = val / ACK_COST;
	if (max_pend < 16)
		max_pend = 16;
	if (max_pend > 8192)
		max_pend = 8192;
}

struct family_info {
	bool found;
	uint16_t id;
	uint32_t version;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *a, *g, *n;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			fi->id = mnl_attr_get_u16(a);
			fi->found = true;
			break;
		case CTRL_ATTR_VERSION:
			fi->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(g, a) {
				const char *name = NULL;
				uint32_t id = 0;

				mnl_attr_for_each_nested(n, g) {
					int t = mnl_attr_get_type(n);

					if (t == CTRL_ATTR_MCAST_GRP_NAME &&
					    mnl_attr_validate(
						    n, MNL_TYPE_NUL_STRING) >=
						    0)
						name = mnl_attr_get_str(n);
					else if (t == CTRL_ATTR_MCAST_GRP_ID)
						id = mnl_attr_get_u32(n);
				}
				if (name && !strcmp(name, MFWD_MCGRP_EVENTS)) {
					events_grp = id;
					have_events_grp = true;
				}
			}
			break;
		}
	}
	return MNL_CB_OK;
}

static int run_query(struct nlmsghdr *nlh, nl_data_cb cb, void *data, int *err);

int nl_open(void)
{
	struct family_info fi = { 0 };
	struct nlmsghdr *nlh;
	int one = 1;
	int err = 0;
	int ret;

	if (sk)
		return 0;
	batch = mnl_nlmsg_batch_start(batch_buf, BATCH_BUF);
	if (!batch)
		return sys_error("batch");
	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk)
		return sys_error("cannot open generic netlink socket");
	if (mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
		return sys_error("cannot bind netlink socket");
	portid = mnl_socket_get_portid(sk);
	/* older kernels lack these; errors are then plain errnos */
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	set_rcvbuf();
	pend = calloc(max_pend + 1, sizeof(*pend));
	if (!pend)
		return sys_error("calloc");
	seq = time(NULL);

	nlh = msg_start(query_buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
			NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MFWD_GENL_NAME);
	quiet = true;
	ret = run_query(nlh, family_cb, &fi, &err);
	quiet = false;
	if (ret || !fi.found) {
		if (err == ENOENT || !fi.found)
			err_msg("generic netlink family \"%s\" not found: is the mfwd module loaded?",
				MFWD_GENL_NAME);
		else if (err)
			err_msg("cannot resolve generic netlink family \"%s\": %s",
				MFWD_GENL_NAME, strerror(err));
		mnl_socket_close(sk);
		sk = NULL;
		return EXIT_FAIL;
	}
	family_id = fi.id;
	if (fi.version && fi.version != MFWD_GENL_VERSION)
		fprintf(stderr,
			"Warning: kernel mfwd family version %u, mfwdctl speaks %u\n",
			fi.version, MFWD_GENL_VERSION);
	return 0;
}

void nl_close(void)
{
	if (sk)
		mnl_socket_close(sk);
	sk = NULL;
}

/*
 * Send @nlh (a GET or dump) and hand each reply to @cb until the ack or
 * NLMSG_DONE. Errors are reported; *err is set to the errno.
 */
static int run_query(struct nlmsghdr *nlh, nl_data_cb cb, void *data, int *err)
{
	bool intr = false;
	uint32_t s = nlh->nlmsg_seq;

	*err = 0;
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0) {
		*err = errno;
		return sys_error("netlink send");
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(sk, rx_buf, sizeof(rx_buf));
		const struct nlmsghdr *r;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			return sys_error("netlink receive");
		}
		len = n;
		for (r = (const struct nlmsghdr *)rx_buf; mnl_nlmsg_ok(r, len);
		     r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != s || r->nlmsg_pid != portid)
				continue;
			/* the table changed while the dump was in progress */
			if (r->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			switch (r->nlmsg_type) {
			case NLMSG_ERROR:
				*err = ack_error(r, nlh, cur_line, cur_file);
				return *err ? EXIT_FAIL : 0;
			case NLMSG_DONE:
				*err = done_error(r, nlh);
				/* a warning, as iproute2 gives it: exit status kept */
				if (intr) {
					fflush(stdout);
					fputs("Dump was interrupted and may be inconsistent.\n",
					      stderr);
				}
				return *err ? EXIT_FAIL : 0;
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				continue;
			}
			if (cb && cb(r, data) < 0)
				cb = NULL;
		}
	}
}

/* ---- requests ---- */

/* index of the queued request with sequence number @s (they increase) */
static int find_pending(uint32_t s)
{
	int lo = 0, hi = npend - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int32_t d = (int32_t)(s - pend[mid].seq);

		if (!d)
			return mid;
		if (d < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

/* queue request @nlh, the current message of the batch */
static void queue(struct nlmsghdr *nlh, int line, const char *file,
		  int ignore_errno, bool is_routes)
{
	struct pending *p = &pend[npend++];

	nlh->nlmsg_flags |= NLM_F_ACK;
	p->seq = nlh->nlmsg_seq;
	p->off = (char *)nlh - batch_buf;
	p->line = line;
	p->file = file;
	p->ignore_errno = ignore_errno;
	p->routes = is_routes;
	mnl_nlmsg_batch_next(batch);
}

/* no room for another request in the queue */
static bool queue_full(void)
{
	return npend >= max_pend ||
	       mnl_nlmsg_batch_size(batch) + MSG_MAX > BATCH_BUF;
}

/* ---- batches of routes ---- */

/* start a batch of routes of command @cmd at the end of the queue */
static void routes_start(uint8_t cmd)
{
	size_t at = mnl_nlmsg_batch_size(batch);

	routes = msg_start(mnl_nlmsg_batch_current(batch), family_id, cmd,
			   MFWD_GENL_VERSION, NLM_F_REQUEST);
	routes_cmd = cmd;
	/* what follows it in the buffer still has MSG_MAX bytes */
	routes_limit = at < BATCH_LIMIT ? BATCH_LIMIT - at : 0;
	if (routes_limit > ROUTES_MSG_MAX)
		routes_limit = ROUTES_MSG_MAX;
	nrec = 0;
}

/* a route of @len bytes of attributes fits into the batch */
static bool routes_fit(size_t len)
{
	return nrec < ROUTES_MAX &&
	       routes->nlmsg_len + MNL_ATTR_HDRLEN + MNL_ALIGN(len) <=
		       routes_limit;
}

/*
 * Add a route, the @len bytes of attributes at @attrs, to the batch; @r
 * is where it comes from: its line, file, errno to ignore, if sent again.
 */
static void routes_put(const void *attrs, size_t len, const struct route_rec *r)
{
	struct nlattr *nest = mnl_nlmsg_get_payload_tail(routes);

	nest->nla_type = NLA_F_NESTED | MFWD_A_ROUTE;
	nest->nla_len = MNL_ATTR_HDRLEN + len;
	memcpy(mnl_attr_get_payload(nest), attrs, len);
	routes->nlmsg_len += MNL_ALIGN(nest->nla_len);
	rec[nrec] = *r;
	rec[nrec++].off = (char *)nest - (char *)routes;
}

/*
 * Queue the batch of routes being filled. A single route goes as the
 * request of one route, which any kernel takes; several end the write.
 */
static void routes_end(void)
{
	struct nlmsghdr *nlh = routes;
	struct nlattr *nest;

	routes = NULL;
	if (nrec == 1) {
		nest = (struct nlattr *)((char *)nlh + rec[0].off);
		memmove(nest, mnl_attr_get_payload(nest),
			mnl_attr_get_payload_len(nest));
		nlh->nlmsg_len -= MNL_ATTR_HDRLEN;
		queue(nlh, rec[0].line, rec[0].file, rec[0].ignore_errno,
		      false);
		nrec = 0;
	} else if (nrec) {
		queue(nlh, 0, NULL, 0, true);
		send_now = true;
	}
	if (queue_full())
		send_now = true;
}

/* the route of batch @req whose nest spans byte offset @off, or -1 */
static int route_at(const struct nlmsghdr *req, uint32_t off)
{
	int i;

	for (i = 0; i < nrec; i++) {
		if (attr_at(req, (const void *)((const char *)req + rec[i].off),
			    off))
			return i;
	}
	return -1;
}

/*
 * A kernel without batches of routes refuses the ROUTE nest as an unknown
 * attribute or, not validating strictly, misses the route's attributes at
 * the top level.
 */
static bool routes_refused(int err, const struct ext_ack *ea)
{
	if (routes_ok || ea->has_cookie || (err != EINVAL && err != EOPNOTSUPP))
		return false;
	if (ea->has_off)
		return ea->off == MNL_NLMSG_HDRLEN + GENL_HDRLEN;
	return ea->has_miss && !ea->has_miss_nest;
}

/* route @r, its nest in @base, to the next list of routes to resend */
static void next_add(const void *base, const struct route_rec *r, bool alone)
{
	const struct nlattr *nest = (const void *)((const char *)base + r->off);

	memcpy(next_buf + next_len, nest, MNL_ALIGN(nest->nla_len));
	next[nnext] = *r;
	next[nnext].off = next_len;
	next[nnext].resent = true;
	next[nnext++].alone |= alone;
	next_len += MNL_ALIGN(nest->nla_len);
}

/* the next list, and what was still to resend after it, to resend */
static void routes_resend(const struct nlmsghdr *req, bool rest)
{
	const struct genlmsghdr *genl;
	int i;

	for (i = resend_pos; rest && i < nresend; i++)
		next_add(resend_buf, &resend[i], false);
	memcpy(resend_buf, next_buf, next_len);
	memcpy(resend, next, nnext * sizeof(*next));
	nresend = nnext;
	resend_pos = nnext = next_len = 0;
	genl = mnl_nlmsg_get_payload(req);
	resend_cmd = genl->cmd;
}

/*
 * The ack of batch of routes @req. The kernel stopped at the first route
 * that failed: the routes before it are applied if the ack carries its
 * index (the cookie); an error its policy found (the offset is in the
 * route's nest) comes before any is. The routes not applied are set aside
 * for routes_requeue(): those after the failed one with -force, and for a
 * policy error those before it and it alone, to report its error in turn.
 * A batch that failed when sent again goes on one request a route, which
 * bounds the cost of -force on a file of failing lines.
 */
static int routes_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct route_rec *r;
	bool go_on, again;
	struct ext_ack ea;
	int err, k, i;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		err_msg("truncated netlink error message");
		nresend = 0;
		return EXIT_FAIL;
	}
	err = -e->error;
	if (!err) {
		routes_ok = true;
		return 0;
	}
	again = rec[0].resent;
	ack_extack(nlh, &ea);
	if (routes_refused(err, &ea)) {
		/* none applied: all again, one request each */
		routes_unknown = true;
		for (i = 0; i < nrec; i++)
			next_add(req, &rec[i], true);
		routes_resend(req, true);
		return 0;
	}
	if (ea.has_cookie)
		routes_ok = true;
	k = -1;
	if (ea.has_cookie && ea.cookie < (uint32_t)nrec)
		k = ea.cookie;
	else if (!ea.has_cookie && ea.has_off)
		k = route_at(req, ea.off);
	if (!ea.has_cookie && k > 0) {
		for (i = 0; i < nrec; i++)
			next_add(req, &rec[i], again || i == k);
		routes_resend(req, true);
		return 0;
	}
	/* no index, no offset: an error about the whole request */
	if (k < 0)
		k = 0;
	r = &rec[k];
	go_on = opts.force || (r->ignore_errno && r->ignore_errno == err);
	for (i = k + 1; go_on && i < nrec; i++)
		next_add(req, &rec[i], again);
	routes_resend(req, go_on);
	if (r->ignore_errno && r->ignore_errno == err)
		return 0;
	report_error(err, &ea, req, r->line, r->file);
	return EXIT_FAIL;
}

/* queue route @r, its nest in @base, as a request of one route */
static void queue_alone(const void *base, const struct route_rec *r)
{
	const struct nlattr *nest = (const void *)((const char *)base + r->off);
	struct nlmsghdr *nlh;

	nlh = msg_start(mnl_nlmsg_batch_current(batch), family_id, resend_cmd,
			MFWD_GENL_VERSION, NLM_F_REQUEST);
	memcpy(mnl_nlmsg_get_payload_tail(nlh), mnl_attr_get_payload(nest),
	       mnl_attr_get_payload_len(nest));
	nlh->nlmsg_len += mnl_attr_get_payload_len(nest);
	queue(nlh, r->line, r->file, r->ignore_errno, false);
}

/*
 * Queue the routes set aside to send again: consecutive ones in a batch,
 * which ends the write, those marked alone (all if the kernel takes no
 * batches) as requests of one route. Without -force every request ends
 * the write, so that nothing follows a failing one. The queue is empty.
 */
static void routes_requeue(void)
{
	const struct route_rec *r;
	const struct nlattr *nest;

	nrec = 0;
	while (resend_pos < nresend && !queue_full()) {
		if (!resend[resend_pos].alone && !routes_unknown) {
			routes_start(resend_cmd);
			for (; resend_pos < nresend; resend_pos++) {
				r = &resend[resend_pos];
				nest = (const void *)(resend_buf + r->off);
				if (r->alone ||
				    !routes_fit(mnl_attr_get_payload_len(nest)))
					break;
				routes_put(mnl_attr_get_payload(nest),
					   mnl_attr_get_payload_len(nest), r);
			}
			if (nrec) {
				routes_end();
				if (send_now || !opts.force)
					return;
				continue;
			}
			routes = NULL;
		}
		queue_alone(resend_buf, &resend[resend_pos++]);
		if (!opts.force)
			return;
	}
}

/*
 * Send the queued requests with one write and collect their acks; each
 * error is reported with the batch line of its request.
 */
static int send_queue(void)
{
	int ret = 0, acks = 0, i;
	bool done = false;
	uint32_t last_seq;

	/*
	 * The kernel acks every failed request anyway and handles them in
	 * order: an ack on the last one alone says the batch is done, and
	 * saves a message and a receive per successful request.
	 */
	for (i = 0; i + 1 < npend; i++)
		((struct nlmsghdr *)(batch_buf + pend[i].off))->nlmsg_flags &=
			~NLM_F_ACK;
	last_seq = pend[npend - 1].seq;
	if (mnl_socket_sendto(sk, mnl_nlmsg_batch_head(batch),
			      mnl_nlmsg_batch_size(batch)) < 0) {
		ret = sys_error("netlink send");
		nresend = 0;
		goto out;
	}
	while (!done) {
		ssize_t n = mnl_socket_recvfrom(sk, rx_buf, sizeof(rx_buf));
		const struct nlmsghdr *r;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				err_msg("netlink receive buffer overrun: acks lost after %d of %d requests",
					acks, npend);
			else
				sys_error("netlink receive");
			ret = EXIT_FAIL;
			nresend = 0;
			goto out;
		}
		len = n;
		for (r = (const struct nlmsghdr *)rx_buf; mnl_nlmsg_ok(r, len);
		     r = mnl_nlmsg_next(r, &len)) {
			const struct nlmsghdr *req;

			if (r->nlmsg_type != NLMSG_ERROR ||
			    r->nlmsg_pid != portid)
				continue;
			i = find_pending(r->nlmsg_seq);
			if (i < 0)
				continue;
			req = (const void *)(batch_buf + pend[i].off);
			nl_last_errno = -((const struct nlmsgerr *)
						  mnl_nlmsg_get_payload(r))
						 ->error;
			if (pend[i].routes)
				ret = worse(ret, routes_ack(r, req));
			else if (pend[i].ignore_errno &&
				 is_errno(r, pend[i].ignore_errno))
				;
			else if (ack_error(r, req, pend[i].line,
					   pend[i].file)) {
				ret = EXIT_FAIL;
				/* without -force, nothing after it */
				if (!opts.force)
					nresend = 0;
			}
			acks++;
			done = r->nlmsg_seq == last_seq;
		}
	}
out:
	npend = 0;
	mnl_nlmsg_batch_reset(batch);
	return ret;
}

/*
 * Send the queued requests, the batch of routes being filled last, and
 * then the routes of a failed batch that are to be tried still.
 */
int nl_batch_flush(void)
{
	static bool flushing;
	int ret = 0;

	/* errors reported from here must not flush again */
	if (flushing)
		return 0;
	if (routes)
		routes_end();
	send_now = false;
	if (!npend)
		return 0;
	flushing = true;
	nl_last_errno = 0;
	do {
		ret = worse(ret, send_queue());
		routes_requeue();
	} while (npend);
	send_now = false;
	nrec = nresend = 0;
	flushing = false;
	return ret;
}

int nl_batch_begin(void)
{
	batching = true;
	return 0;
}

static int check_overflow(void)
{
	if (!overflow)
		return 0;
	err_msg("request too long (more than %d bytes)", MSG_MAX);
	return EXIT_USAGE;
}

/*
 * Send a write request and wait for its ack, or in batch mode queue it and
 * send the queue when full. Returns an exit code.
 */
int nl_request(struct nlmsghdr *nlh)
{
	uint32_t len = nlh->nlmsg_len;
	int ret = 0;

	if (check_overflow())
		return EXIT_USAGE;
	/*
	 * A batch of routes ends the write before it. @nlh waits in query_buf
	 * (queries queue nothing), as routes sent again may take its place.
	 */
	if (send_now) {
		memcpy(query_buf, nlh, len);
		ret = nl_batch_flush();
		nlh = memcpy(mnl_nlmsg_batch_current(batch), query_buf, len);
		if (ret && !opts.force)
			return ret;
	}
	queue(nlh, cur_line, cur_file, nl_ignore_errno, false);
	if (!batching || queue_full())
		return worse(ret, nl_batch_flush());
	return ret;
}

/*
 * Send a ROUTE_ADD or ROUTE_DEL of one route from nl_route_msg(); in batch
 * mode, add it to the batch of routes being filled, which a route of the
 * other command or one that does not fit closes first. Returns an exit
 * code, of the requests sent before it too.
 */
int nl_route_request(struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const void *attrs = nl_payload(nlh);
	struct route_rec r = { 0 };
	size_t len;
	int ret = 0;

	if ((char *)nlh != route_buf)
		return nl_request(nlh);
	if (check_overflow())
		return EXIT_USAGE;
	len = (const char *)mnl_nlmsg_get_payload_tail(nlh) -
	      (const char *)attrs;
	if (routes && (genl->cmd != routes_cmd || !routes_fit(len)))
		routes_end();
	if (!routes) {
		if (send_now || queue_full())
			ret = nl_batch_flush();
		if (ret && !opts.force)
			return ret;
		routes_start(genl->cmd);
		/* too little room left after the requests queued */
		if (!routes_fit(len)) {
			routes = NULL;
			ret = worse(ret, nl_batch_flush());
			if (ret && !opts.force)
				return ret;
			routes_start(genl->cmd);
		}
		/* the kernel turned out to take no batches of routes */
		if (routes_unknown) {
			routes = NULL;
			nlh->nlmsg_seq = ++seq;
			return worse(ret,
				     nl_request(memcpy(
					     mnl_nlmsg_batch_current(batch),
					     nlh, nlh->nlmsg_len)));
		}
	}
	r.line = cur_line;
	r.file = cur_file;
	r.ignore_errno = nl_ignore_errno;
	routes_put(attrs, len, &r);
	return ret;
}

/*
 * Send a GET (single reply) or a dump (NLM_F_DUMP in @nlh) and hand each
 * reply to @cb. Queued batch requests are sent first.
 */
int nl_query(struct nlmsghdr *nlh, nl_data_cb cb, void *data)
{
	int ret, err;

	if (check_overflow())
		return EXIT_USAGE;
	memcpy(query_buf, nlh, nlh->nlmsg_len);
	nlh = (struct nlmsghdr *)query_buf;
	ret = nl_batch_flush();
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	return run_query(nlh, cb, data, &err) ? EXIT_FAIL : ret;
}

int nl_show(struct nlmsghdr *nlh, nl_data_cb cb, void *data)
{
	int ret;

	if (opts.json)
		json_open_array(NULL);
	ret = nl_query(nlh, cb, data);
	if (opts.json) {
		json_close_array();
		json_end();
	}
	return ret;
}

/* ---- events ---- */

int nl_subscribe_events(void)
{
	int fd = mnl_socket_get_fd(sk);

	if (!have_events_grp) {
		err_msg("the mfwd family has no \"%s\" multicast group",
			MFWD_MCGRP_EVENTS);
		return EXIT_FAIL;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &events_grp,
		       sizeof(events_grp))) {
		if (errno == EPERM) {
			err_msg("cannot join the events group: %s (monitor needs CAP_NET_ADMIN)",
				strerror(errno));
			return EXIT_FAIL;
		}
		return sys_error("cannot join the events group");
	}
	return 0;
}

/* hand every notification to @cb until it returns < 0 or an error */
int nl_monitor(nl_data_cb cb, void *data)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(sk, rx_buf, sizeof(rx_buf));
		const struct nlmsghdr *r;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fflush(stdout);
				fputs("Warning: events lost (receive buffer overrun)\n",
				      stderr);
				continue;
			}
			return sys_error("netlink receive");
		}
		len = n;
		for (r = (const struct nlmsghdr *)rx_buf; mnl_nlmsg_ok(r, len);
		     r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_type != family_id)
				continue;
			if (cb(r, data) < 0)
				return EXIT_FAIL;
		}
	}
}

/* ---- a second socket for events, for programs that also send requests ---- */

static struct mnl_socket *ev_sk;

/* open a socket subscribed to the events group; returns its fd or -1 */
int nl_events_open(void)
{
	int fd, val = RCVBUF_WANT;

	if (nl_open())
		return -1;
	if (!have_events_grp) {
		err_msg("the mfwd family has no \"%s\" multicast group",
			MFWD_MCGRP_EVENTS);
		return -1;
	}
	ev_sk = mnl_socket_open2(NETLINK_GENERIC, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!ev_sk) {
		sys_error("cannot open generic netlink socket");
		return -1;
	}
	if (mnl_socket_bind(ev_sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		sys_error("cannot bind netlink socket");
		goto err;
	}
	fd = mnl_socket_get_fd(ev_sk);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &val, sizeof(val)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &events_grp,
		       sizeof(events_grp))) {
		sys_error("cannot join the events group");
		goto err;
	}
	return fd;
err:
	mnl_socket_close(ev_sk);
	ev_sk = NULL;
	return -1;
}

/*
 * Hand the events queued on the events socket to @cb without blocking.
 * Returns 0, or ENOBUFS when events were lost.
 */
int nl_events_read(nl_data_cb cb, void *data)
{
	static char buf[65536];
	int lost = 0;

	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(ev_sk), buf, sizeof(buf), 0);
		const struct nlmsghdr *r;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				lost = ENOBUFS;
				continue;
			}
			return lost;
		}
		len = n;
		for (r = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(r, len);
		     r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_type == family_id)
				cb(r, data);
		}
	}
}

void nl_events_close(void)
{
	if (ev_sk)
		mnl_socket_close(ev_sk);
	ev_sk = NULL;
}
