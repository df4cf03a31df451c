// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd-listen - a minimal mfwd controller, with libmnl.
 *
 *   mfwd-listen                    print every mfwd notification and event
 *   mfwd-listen -o eth1 -o eth2    also answer each NOCACHE event with an
 *                                  (S,G) route from the input VIF to the
 *                                  given output VIFs (all must be VIFs)
 *
 * Build: cc -Wall -I uapi -o mfwd-listen mfwd-listen.c $(pkg-config --libs libmnl)
 *
 * It resolves the "mfwd" family and its "events" group with nlctrl, joins
 * the group on one socket and sends requests on a second one, so that
 * replies and acknowledgements never queue behind events.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/mfwd.h>

#define MAX_OIFS 32

struct ctx {
	struct mnl_socket *req;	/* requests, their replies and acks */
	struct mnl_socket *ev;	/* member of the events group */
	unsigned int seq;
	uint16_t family;
	uint32_t group;
	unsigned int oifs[MAX_OIFS];
	int n_oifs;
};

/* ---- family and group ids from nlctrl ---- */

static int ctrl_grp_cb(const struct nlattr *nest, struct ctx *c)
{
	const struct nlattr *attr;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_NAME)
			name = mnl_attr_get_str(attr);
		else if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_ID)
			id = mnl_attr_get_u32(attr);
	}
	if (name && !strcmp(name, MFWD_MCGRP_EVENTS))
		c->group = id;
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctx *c = data;
	const struct nlattr *attr, *grp;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			c->family = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, attr)
				ctrl_grp_cb(grp, c);
			break;
		}
	}
	return MNL_CB_OK;
}

/* Send the request in @buf and run @cb on each reply until the ack. */
static int transact(struct ctx *c, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int portid = mnl_socket_get_portid(c->req);
	ssize_t n;
	int ret;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++c->seq;
	if (mnl_socket_sendto(c->req, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(c->req, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, n, c->seq, portid, cb, data);
	} while (ret == MNL_CB_OK);
	return ret < 0 ? -errno : 0;	/* the ack's error is in errno */
}

static struct nlmsghdr *genl_start(char *buf, uint16_t type, uint8_t cmd,
				   uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int resolve(struct ctx *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = genl_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MFWD_GENL_NAME);
	err = transact(c, nlh, ctrl_cb, c);
	if (err)
		return err;
	return c->family && c->group ? 0 : -ENOENT;
}

/* ---- events ---- */

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, MFWD_A_MAX) > 0)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

/* "(S, G)" of an event or notification, IPv4 or IPv6 */
static const char *sg(const struct nlattr **tb, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN] = "?", g[INET6_ADDRSTRLEN] = "?";
	struct in_addr a = { 0 };

	if (tb[MFWD_A_GROUP6]) {
		if (tb[MFWD_A_SOURCE6])
			inet_ntop(AF_INET6, mnl_attr_get_payload(tb[MFWD_A_SOURCE6]),
				  s, sizeof(s));
		else
			strcpy(s, "*");
		inet_ntop(AF_INET6, mnl_attr_get_payload(tb[MFWD_A_GROUP6]), g,
			  sizeof(g));
	} else if (tb[MFWD_A_GROUP]) {
		a.s_addr = tb[MFWD_A_SOURCE] ? mnl_attr_get_u32(tb[MFWD_A_SOURCE]) : 0;
		inet_ntop(AF_INET, &a, s, sizeof(s));
		a.s_addr = mnl_attr_get_u32(tb[MFWD_A_GROUP]);	/* network order */
		inet_ntop(AF_INET, &a, g, sizeof(g));
	}
	snprintf(buf, len, "(%s, %s)", s, g);
	return buf;
}

/* Copy an attribute of the event into a request, as it is. */
static void put_same(struct nlmsghdr *nlh, const struct nlattr *attr)
{
	mnl_attr_put(nlh, mnl_attr_get_type(attr),
		     mnl_attr_get_payload_len(attr), mnl_attr_get_payload(attr));
}

static const char *ifname(const struct nlattr *attr, char *buf)
{
	unsigned int ifindex = attr ? mnl_attr_get_u32(attr) : 0;

	if (!ifindex || !if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

/* Install (S,G) from the event's input VIF to the configured outputs:
 * the event's addresses are the route's (IPv4 or IPv6).
 */
static void add_route(struct ctx *c, const struct nlattr **tb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t iif = mnl_attr_get_u32(tb[MFWD_A_IIF]);
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int i, err;

	nlh = genl_start(buf, c->family, MFWD_CMD_ROUTE_ADD, MFWD_GENL_VERSION);
	if (tb[MFWD_A_GROUP6]) {
		put_same(nlh, tb[MFWD_A_SOURCE6]);
		put_same(nlh, tb[MFWD_A_GROUP6]);
	} else {
		put_same(nlh, tb[MFWD_A_SOURCE]);
		put_same(nlh, tb[MFWD_A_GROUP]);
	}
	mnl_attr_put_u32(nlh, MFWD_A_IIF, iif);
	for (i = 0; i < c->n_oifs; i++) {
		if (c->oifs[i] == iif)	/* EINVAL: input listed as output */
			continue;
		nest = mnl_attr_nest_start(nlh, MFWD_A_OIF);
		mnl_attr_put_u32(nlh, MFWD_OIF_A_IFINDEX, c->oifs[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	err = transact(c, nlh, NULL, NULL);
	if (err && err != -EEXIST)
		fprintf(stderr, "route add: %s\n", strerror(-err));
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[MFWD_A_MAX + 1] = { NULL };
	char in[IF_NAMESIZE], want[IF_NAMESIZE];
	char p[2 * INET6_ADDRSTRLEN + 8];
	struct ctx *c = data;
	const struct nlattr *attr, *oif;

	if (nlh->nlmsg_type != c->family)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, GENL_HDRLEN, attr_cb, tb);

	switch (g->cmd) {
	case MFWD_CMD_VIF_ADD:
	case MFWD_CMD_VIF_DEL:
		printf("vif %s %s\n", g->cmd == MFWD_CMD_VIF_ADD ? "add" : "del",
		       tb[MFWD_A_IFNAME] ? mnl_attr_get_str(tb[MFWD_A_IFNAME]) : "?");
		break;
	case MFWD_CMD_ROUTE_ADD:
	case MFWD_CMD_ROUTE_DEL:
		printf("route %s %s iif %s oif",
		       g->cmd == MFWD_CMD_ROUTE_ADD ? "add" : "del",
		       sg(tb, p, sizeof(p)), ifname(tb[MFWD_A_IIF], in));
		/* OIF is repeated: walk the message, not tb[] */
		mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
			if (mnl_attr_get_type(attr) != MFWD_A_OIF)
				continue;
			mnl_attr_for_each_nested(oif, attr)
				if (mnl_attr_get_type(oif) == MFWD_OIF_A_IFINDEX)
					printf(" %s", ifname(oif, in));
		}
		printf("\n");
		break;
	case MFWD_CMD_NOCACHE:
		printf("nocache %s iif %s\n", sg(tb, p, sizeof(p)),
		       ifname(tb[MFWD_A_IIF], in));
		if (c->n_oifs && tb[MFWD_A_IIF] &&
		    ((tb[MFWD_A_SOURCE] && tb[MFWD_A_GROUP]) ||
		     (tb[MFWD_A_SOURCE6] && tb[MFWD_A_GROUP6])))
			add_route(c, tb);
		break;
	case MFWD_CMD_WRONGVIF:
		printf("wrongvif %s iif %s expected %s%s\n",
		       sg(tb, p, sizeof(p)), ifname(tb[MFWD_A_IIF], in),
		       ifname(tb[MFWD_A_EXPECTED_IIF], want),
		       tb[MFWD_A_WILDCARD] ? " (*,G)" : "");
		break;
	case MFWD_CMD_WHOLEPKT:
		printf("wholepkt %s iif %s %u bytes\n",
		       sg(tb, p, sizeof(p)), ifname(tb[MFWD_A_IIF], in),
		       tb[MFWD_A_PACKET] ? mnl_attr_get_payload_len(tb[MFWD_A_PACKET]) : 0);
		break;
	default:
		printf("command %u\n", g->cmd);
	}
	fflush(stdout);
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ctx c = { 0 };
	ssize_t n;
	int opt;

	while ((opt = getopt(argc, argv, "o:")) != -1) {
		if (opt != 'o' || c.n_oifs == MAX_OIFS) {
			fprintf(stderr, "usage: %s [-o IFNAME]...\n", argv[0]);
			return 2;
		}
		c.oifs[c.n_oifs] = if_nametoindex(optarg);
		if (!c.oifs[c.n_oifs++]) {
			fprintf(stderr, "%s: no such interface\n", optarg);
			return 1;
		}
	}

	c.req = mnl_socket_open(NETLINK_GENERIC);
	c.ev = mnl_socket_open(NETLINK_GENERIC);
	if (!c.req || !c.ev ||
	    mnl_socket_bind(c.req, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(c.ev, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink socket");
		return 1;
	}
	c.seq = time(NULL);
	if (resolve(&c)) {
		fprintf(stderr, "family %s not found (is mfwd loaded?)\n",
			MFWD_GENL_NAME);
		return 1;
	}
	/* EPERM without CAP_NET_ADMIN: events carry other hosts' packets. */
	if (mnl_socket_setsockopt(c.ev, NETLINK_ADD_MEMBERSHIP, &c.group,
				  sizeof(c.group)) < 0) {
		perror("join group " MFWD_MCGRP_EVENTS);
		return 1;
	}

	for (;;) {
		n = mnl_socket_recvfrom(c.ev, buf, sizeof(buf));
		if (n < 0 && errno == ENOBUFS) {
			/* Events were lost (counted in events-dropped): a
			 * real controller would dump routes to resync.
			 */
			fprintf(stderr, "events lost\n");
			continue;
		}
		if (n < 0) {
			perror("recv");
			return 1;
		}
		if (mnl_cb_run(buf, n, 0, 0, event_cb, &c) < 0)
			perror("event");
	}
}
