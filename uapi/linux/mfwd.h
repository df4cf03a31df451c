/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * mfwd: IPv4 and IPv6 multicast forwarding cache, generic-netlink API.
 *
 * Family "mfwd", version MFWD_GENL_VERSION. One attribute space (MFWD_A_*)
 * is shared by every command; each command has its own policy that accepts
 * only the attributes listed for it below and rejects anything else.
 *
 * Objects:
 *   VIF    a network device the controller enabled for multicast
 *          forwarding, named by ifindex.
 *   table  a set of routes, named by a u32 id. Each VIF is in one table,
 *          its VRF's if its device is in a VRF (l3mdev), else 0 or the
 *          one given when it was added; a packet takes a route of the
 *          table of the VIF it arrived on, and a route's VIFs are all in
 *          its table. Table 0 always exists; another exists while a VIF
 *          or a route is in it (ENOENT "no such table" otherwise). A VIF
 *          whose device joins or leaves a VRF of another table is removed.
 *   route  (S,G) or (*,G) (source absent, 0.0.0.0 or ::): the input VIF
 *          packets must arrive on (RPF) and the output VIFs they are copied
 *          to, each with a TTL (IPv6: hop limit) threshold. A route is
 *          IPv4 (MFWD_A_SOURCE, MFWD_A_GROUP) or IPv6 (MFWD_A_SOURCE6,
 *          MFWD_A_GROUP6); one VIF serves both families. Group and
 *          source may be prefixes (MFWD_A_GROUP_PREFIX_LEN,
 *          MFWD_A_SOURCE_PREFIX_LEN): (*,G/16), (S/24,G), (S/24,G/16).
 *          A packet takes the most specific route that covers it: an
 *          exact (S,G) first, then the longest group prefix, and among
 *          those the longest source prefix ((*,G) has source prefix 0).
 *
 * Families: a route request names its addresses with the attributes of
 * one family; the optional MFWD_A_FAMILY (AF_INET or AF_INET6) must then
 * agree with them. Without addresses (dumps, FLUSH) MFWD_A_FAMILY selects
 * one family; absent, both. Replies, notifications and events about a
 * route or a packet carry MFWD_A_FAMILY and the addresses of that family.
 *
 * Requests take the genetlink header checks of new families: the reserved
 * header field must be 0 and nlmsg_flags may hold only NLM_F_REQUEST,
 * NLM_F_ACK, NLM_F_ECHO and NLM_F_DUMP (EINVAL otherwise).
 *
 * Errors: every rejected request changes nothing and carries an extack
 * message, or, for a missing required attribute, NLMSGERR_ATTR_MISS_TYPE
 * (the genetlink core's check). Out-of-range integers get ERANGE, other
 * malformed input EINVAL; EOPNOTSUPP: no such command or dump (the core);
 * ENODEV: no such interface; ENOENT: the interface is not a VIF, or no such
 * route; EEXIST: exists already; ENOSPC: a limit is reached; EAFNOSUPPORT:
 * an IPv6 route on a kernel without IPv6; EPERM: writes
 * need CAP_NET_ADMIN in the netns's user namespace, and raising a limit
 * (CONFIG_SET) above both its default and its current value needs
 * CAP_NET_ADMIN in the initial user namespace.
 *
 * Notifications and events go to the multicast group MFWD_MCGRP_EVENTS;
 * joining it needs CAP_NET_ADMIN, since WHOLEPKT events carry packets.
 * Route and VIF changes are announced with the same command as the request
 * that made them (ROUTE_ADD also for a replace, ROUTE_DEL also for routes
 * removed by a flush or by a VIF going away).
 */
#ifndef _UAPI_LINUX_MFWD_H
#define _UAPI_LINUX_MFWD_H

#include <linux/types.h>

#define MFWD_GENL_NAME		"mfwd"
#define MFWD_GENL_VERSION	1
#define MFWD_MCGRP_EVENTS	"events"

/**
 * enum mfwd_cmd - commands of the mfwd family
 * @MFWD_CMD_VIF_ADD: add a VIF. Needs IFINDEX; optional VIF_FLAGS,
 *	VIF_THRESHOLD, TABLE, DUP_WINDOW_MS. EEXIST if the device is a VIF
 *	already.
 * @MFWD_CMD_VIF_DEL: remove a VIF (IFINDEX); it is taken out of every
 *	route, and routes left without an input are deleted.
 * @MFWD_CMD_VIF_GET: get one VIF (IFINDEX; with TABLE, ENOENT if it is
 *	in another table), or dump all (IFINDEX and TABLE filter the dump).
 * @MFWD_CMD_ROUTE_ADD: add a route: GROUP (or GROUP6), one or more IIF
 *	(or IIF_ANY), optional SOURCE (SOURCE6), GROUP_PREFIX_LEN,
 *	SOURCE_PREFIX_LEN, PER_IIF, TABLE, ROUTE_FLAGS, SIGNAL_RATE,
 *	IDLE_TIMEOUT_MS, EXPIRE, any number of OIF nests (none: a stop
 *	filter, whose packets are counted, not forwarded, and raise no
 *	NOCACHE); every VIF it names must be in its table (EINVAL). EEXIST
 *	if it exists, unless the request carries REPLACE, which replaces
 *	its VIFs and settings and keeps its counters and meters. Or a
 *	batch: a request whose only attributes are ROUTE nests, each
 *	holding the attributes of one ROUTE_ADD.
 * @MFWD_CMD_ROUTE_DEL: delete a route (GROUP, optional SOURCE and prefix
 *	lengths; or GROUP6, optional SOURCE6 and prefix lengths; with
 *	PER_IIF, its IIF; TABLE): the route with exactly that key. Or a
 *	batch of ROUTE nests, each naming one route.
 * @MFWD_CMD_ROUTE_GET: get one route (as ROUTE_DEL), or dump all; a dump
 *	is filtered by any of FAMILY, GROUP, SOURCE (0.0.0.0: (*,G) routes
 *	only), GROUP6, SOURCE6 (:: likewise), GROUP_PREFIX_LEN,
 *	SOURCE_PREFIX_LEN, IIF (routes that accept packets from it, IIF_ANY
 *	routes included), PER_IIF (per-input routes only) and TABLE it
 *	carries.
 * @MFWD_CMD_FLUSH: delete all routes, or with FAMILY those of one family,
 *	with TABLE those of one table; with FLUSH_VIFS the VIFs too (with
 *	TABLE, those of that table).
 * @MFWD_CMD_STATS_GET: per-netns statistics (a STATS nest); with TABLE,
 *	the counters of that table (without UNRES_ENTRIES, UNRES_PACKETS).
 * @MFWD_CMD_CONFIG_GET: per-netns settings.
 * @MFWD_CMD_CONFIG_SET: change per-netns settings (any of the CONFIG
 *	attributes).
 * @MFWD_CMD_NOCACHE: event: a packet matched no route (FAMILY, SOURCE and
 *	GROUP or SOURCE6 and GROUP6, IIF).
 * @MFWD_CMD_WRONGVIF: event: a packet of a route arrived on another VIF
 *	than the route's input (FAMILY, SOURCE and GROUP or SOURCE6 and
 *	GROUP6 of the packet, IIF where it arrived, EXPECTED_IIF the
 *	route's input, WILDCARD if a (*,G) route).
 * @MFWD_CMD_WHOLEPKT: event: a route sent a packet to a VIF flagged
 *	MFWD_VIF_F_REGISTER; the packet goes to the controller instead of
 *	the device (IIF where it arrived, FAMILY, the packet's addresses,
 *	PACKET: the IPv4 or IPv6 packet as received).
 * @MFWD_CMD_METER_ADD: add a meter to a route (named as in ROUTE_DEL):
 *	METER_UNIT, METER_OP, METER_VALUE, INTERVAL_MS. EEXIST if the route
 *	has that meter; ENOSPC beyond MFWD_METERS_PER_ROUTE meters.
 * @MFWD_CMD_METER_DEL: delete the meters of a route (named as in
 *	ROUTE_DEL) that match every one of METER_UNIT, METER_OP,
 *	METER_VALUE, INTERVAL_MS the request carries; ENOENT if none does.
 *	A route's meters go with it.
 * @MFWD_CMD_METER_GET: dump the meters (FAMILY and TABLE filter it):
 *	the route's key, METER_UNIT, METER_OP, METER_VALUE, INTERVAL_MS and
 *	MEASURED, the count of the current interval.
 * @MFWD_CMD_THRESHOLD: event: a meter's condition held (the route's key,
 *	TABLE, IIF and PER_IIF for a per-input route, the meter's
 *	METER_UNIT, METER_OP, METER_VALUE and INTERVAL_MS, MEASURED the
 *	count). Meters are read every MFWD_METER_TICK_MS: a GE meter signals
 *	within that time of its count reaching METER_VALUE, at most once an
 *	interval; an LE meter at the end of each interval whose count stayed
 *	at or below METER_VALUE, a count that may include up to a tick of
 *	the next interval.
 * @MFWD_CMD_IDLE: event: a route with IDLE_TIMEOUT_MS forwarded nothing
 *	for that long (the route's key, TABLE, IIF and PER_IIF for a
 *	per-input route, INTERVAL_MS its idle timeout, MEASURED the
 *	milliseconds since it last forwarded, EXPIRE if it is deleted now,
 *	which a ROUTE_DEL notification follows). Once per idle period: a
 *	route that forwards again signals again.
 */
enum mfwd_cmd {
	/* private: */
	MFWD_CMD_UNSPEC,
	/* public: */
	MFWD_CMD_VIF_ADD,
	MFWD_CMD_VIF_DEL,
	MFWD_CMD_VIF_GET,
	MFWD_CMD_ROUTE_ADD,
	MFWD_CMD_ROUTE_DEL,
	MFWD_CMD_ROUTE_GET,
	MFWD_CMD_FLUSH,
	MFWD_CMD_STATS_GET,
	MFWD_CMD_CONFIG_GET,
	MFWD_CMD_CONFIG_SET,
	MFWD_CMD_NOCACHE,
	MFWD_CMD_WRONGVIF,
	MFWD_CMD_WHOLEPKT,
	MFWD_CMD_METER_ADD,
	MFWD_CMD_METER_DEL,
	MFWD_CMD_METER_GET,
	MFWD_CMD_THRESHOLD,
	MFWD_CMD_IDLE,

	/* private: */
	__MFWD_CMD_MAX,
	MFWD_CMD_MAX = __MFWD_CMD_MAX - 1
};

/**
 * enum mfwd_vif_flags - flags of a VIF (MFWD_A_VIF_FLAGS)
 * @MFWD_VIF_F_NO_ALLMULTI: do not turn ALLMULTI on for the device; the
 *	controller joins the groups it needs itself.
 * @MFWD_VIF_F_REGISTER: a PIM-SM register VIF: packets routed to it are
 *	not transmitted but sent whole to the controller (WHOLEPKT event);
 *	packets arriving on it are forwarded as on any VIF.
 * @MFWD_VIF_F_SINGLE_IF: single-interface forwarding (a MANET radio): a
 *	route may list the VIF as an input and as an output, so packets go
 *	back out the device they arrived on; a packet whose content (the IP
 *	header without TTL, hop limit and checksum, and the payload) was
 *	seen on the VIF within DUP_WINDOW_MS, arriving or sent, is dropped
 *	and counted (DROP_DUPLICATE); packets arriving on it raise no
 *	WRONGVIF event.
 */
enum mfwd_vif_flags {
	MFWD_VIF_F_NO_ALLMULTI	= 1U << 0,
	MFWD_VIF_F_REGISTER	= 1U << 1,
	MFWD_VIF_F_SINGLE_IF	= 1U << 2,
};

#define MFWD_VIF_F_ALL	(MFWD_VIF_F_NO_ALLMULTI | MFWD_VIF_F_REGISTER | MFWD_VIF_F_SINGLE_IF)

/**
 * enum mfwd_meter_unit - what a meter counts (MFWD_A_METER_UNIT)
 * @MFWD_METER_PACKETS: packets the route forwarded
 * @MFWD_METER_BYTES: their bytes (IP header and payload)
 */
enum mfwd_meter_unit {
	MFWD_METER_PACKETS,
	MFWD_METER_BYTES,
};

/**
 * enum mfwd_meter_op - when a meter signals (MFWD_A_METER_OP)
 * @MFWD_METER_GE: as soon as the count of an interval reaches the value
 * @MFWD_METER_LE: at the end of an interval whose count stayed at or
 *	below the value
 */
enum mfwd_meter_op {
	MFWD_METER_GE,
	MFWD_METER_LE,
};

#define MFWD_METERS_PER_ROUTE	16
#define MFWD_METER_TICK_MS	100

/**
 * enum mfwd_route_flags - flags of a route (MFWD_A_ROUTE_FLAGS)
 * @MFWD_ROUTE_F_NO_WRONGVIF: packets of the route that arrive on another
 *	VIF than its inputs are dropped and counted (WRONG_IF, DROP_RPF) but
 *	raise no WRONGVIF event.
 */
enum mfwd_route_flags {
	MFWD_ROUTE_F_NO_WRONGVIF	= 1U << 0,
};

#define MFWD_ROUTE_F_ALL	MFWD_ROUTE_F_NO_WRONGVIF

/**
 * enum mfwd_attr - attributes of the mfwd family
 * @MFWD_A_PAD: padding for 64-bit attributes.
 * @MFWD_A_IFINDEX: u32, the VIF's device.
 * @MFWD_A_IFNAME: string, the VIF's device name (replies only).
 * @MFWD_A_VIF_FLAGS: u32, MFWD_VIF_F_*.
 * @MFWD_A_VIF_THRESHOLD: u8, default TTL threshold of outputs on this VIF
 *	(1 when absent): a copy leaves only if the packet's TTL (IPv6: hop
 *	limit) is greater.
 * @MFWD_A_SOURCE: be32, an IPv4 route's source; absent or 0 for (*,G).
 * @MFWD_A_GROUP: be32, an IPv4 route's multicast group (not 224.0.0.0/24).
 * @MFWD_A_IIF: u32, ifindex of an input VIF of the route; repeated, a
 *	route accepts packets from each (an accept set), and the first is
 *	its primary input (EXPECTED_IIF of WRONGVIF events). In events: the
 *	VIF the packet arrived on.
 * @MFWD_A_OIF: nest (MFWD_OIF_A_*), one output VIF; repeated.
 * @MFWD_A_PACKETS: u64, packets forwarded by a route.
 * @MFWD_A_BYTES: u64, bytes forwarded by a route.
 * @MFWD_A_WRONG_IF: u64, packets of a route that arrived on another VIF.
 * @MFWD_A_IDLE_MS: u64, milliseconds since a route last forwarded.
 * @MFWD_A_PKTS_IN: u64, packets received on a VIF.
 * @MFWD_A_BYTES_IN: u64, bytes received on a VIF.
 * @MFWD_A_PKTS_OUT: u64, packets sent on a VIF.
 * @MFWD_A_BYTES_OUT: u64, bytes sent on a VIF.
 * @MFWD_A_FLUSH_VIFS: flag, FLUSH removes the VIFs too.
 * @MFWD_A_STATS: nest (MFWD_STATS_A_*), per-netns statistics.
 * @MFWD_A_UNRES_MAX: u32, most unresolved (S,G) entries queued.
 * @MFWD_A_UNRES_QLEN: u32, most packets queued per unresolved entry.
 * @MFWD_A_UNRES_TIMEOUT_MS: u32, lifetime of an unresolved entry.
 * @MFWD_A_WRONGVIF_INTERVAL_MS: u32, least time between two WRONGVIF
 *	events for one route.
 * @MFWD_A_MAX_ROUTES: u32, most routes in this netns.
 * @MFWD_A_EXPECTED_IIF: u32, WRONGVIF events: the route's input VIF.
 * @MFWD_A_WILDCARD: flag, WRONGVIF events: the route is (*,G).
 * @MFWD_A_PACKET: binary, WHOLEPKT events: the IP packet.
 * @MFWD_A_VIF_COUNT: u32, VIFs in this netns (CONFIG_GET).
 * @MFWD_A_ROUTE_COUNT: u32, routes in this netns (CONFIG_GET).
 * @MFWD_A_REPLACE: flag, ROUTE_ADD: replace the route if it exists.
 * @MFWD_A_FAMILY: u8, AF_INET (2) or AF_INET6 (10): the family of a route
 *	or an event; in dump and FLUSH requests, the family to act on.
 * @MFWD_A_SOURCE6: binary (struct in6_addr), an IPv6 route's source;
 *	absent or :: for (*,G).
 * @MFWD_A_GROUP6: binary (struct in6_addr), an IPv6 route's multicast
 *	group, of a scope wider than link-local (the scope nibble of its
 *	second byte above 2: not ffX0::, ffX1:: or ffX2::).
 * @MFWD_A_GROUP_PREFIX_LEN: u8, a route's group prefix length: 4 to 32
 *	(IPv6: 8 to 128); absent, the full length. The group may have no
 *	bit set beyond it. A prefix may span 224.0.0.0/24 (a prefix shorter
 *	than 16 bits, the IPv6 scopes up to link-local), whose packets are
 *	never forwarded. Replies carry it for prefix routes only.
 * @MFWD_A_SOURCE_PREFIX_LEN: u8, a route's source prefix length: 0 to 32
 *	(IPv6: 0 to 128), 0 meaning any source; absent, the full length
 *	with a source, 0 without. The source may have no bit set beyond it.
 *	Replies carry it for source prefixes other than 0 and full only.
 * @MFWD_A_IIF_ANY: flag, a route accepts packets from every VIF (no IIF
 *	then). A copy never leaves on the VIF the packet arrived on.
 * @MFWD_A_PER_IIF: flag, a per-input route: exactly one IIF, which is
 *	part of the route's key, so the same (S,G) may have one such route
 *	per input, each with its own outputs and counters. A packet matches
 *	the per-input routes of the VIF it arrived on before any other.
 * @MFWD_A_TABLE: u32, a table id; absent: 0. VIF_ADD: the VIF's table,
 *	which for a device in a VRF must be the VRF's (its default then).
 *	ROUTE_ADD, ROUTE_DEL, ROUTE_GET: the route's table. Dumps (VIF_GET,
 *	ROUTE_GET), FLUSH and STATS_GET: that table only. Replies, notifications and
 *	events carry it when it is not 0; an event's is its input VIF's.
 * @MFWD_A_ROUTE_FLAGS: u32, MFWD_ROUTE_F_*; ROUTE_ADD, and replies when
 *	not 0.
 * @MFWD_A_SIGNAL_RATE: u32, events per second, 0 to 1000000. ROUTE_ADD:
 *	the most WRONGVIF events of the route in one second (0, or absent:
 *	one per WRONGVIF_INTERVAL_MS); replies carry it when not 0.
 *	CONFIG_SET, CONFIG_GET (0, the default, for no limit): the most
 *	NOCACHE events of one unresolved (S,G) in one second.
 * @MFWD_A_METER_UNIT: u8, MFWD_METER_PACKETS or MFWD_METER_BYTES.
 * @MFWD_A_METER_OP: u8, MFWD_METER_GE or MFWD_METER_LE.
 * @MFWD_A_METER_VALUE: u64, a meter's threshold.
 * @MFWD_A_INTERVAL_MS: u32, a meter's interval, 100 to 86400000; in IDLE
 *	events the route's idle timeout.
 * @MFWD_A_MEASURED: u64, THRESHOLD events and meter dumps: the count;
 *	IDLE events: milliseconds since the route last forwarded.
 * @MFWD_A_IDLE_TIMEOUT_MS: u32, ROUTE_ADD: signal IDLE when the route
 *	forwarded nothing for this long, 100 to 86400000; replies carry it
 *	when set.
 * @MFWD_A_EXPIRE: flag, ROUTE_ADD with IDLE_TIMEOUT_MS: delete the route
 *	when it is idle; replies and IDLE events carry it when set.
 * @MFWD_A_DUP_WINDOW_MS: u32, VIF_ADD with MFWD_VIF_F_SINGLE_IF: how long
 *	a packet's content is remembered, 10 to 10000 (2000 when absent);
 *	replies carry it for such VIFs.
 * @MFWD_A_ROUTE: nest, any number: a batch ROUTE_ADD or ROUTE_DEL, one
 *	route in each, with the attributes of a ROUTE_ADD (ROUTE_DEL) of one
 *	route. The routes are applied in order under one lock; the first that
 *	fails ends the batch: the routes before it stay applied (and
 *	notified), it and the ones after it are not. The error's extack
 *	offset points into the failing route's nest (at the nest itself
 *	when no attribute of it is to blame). Policy errors are found before
 *	any route is applied; any other error's extack carries a cookie,
 *	the failing route's index in the batch (a u32 from 0).
 */
enum mfwd_attr {
	/* private: */
	MFWD_A_UNSPEC,
	/* public: */
	MFWD_A_PAD,
	MFWD_A_IFINDEX,
	MFWD_A_IFNAME,
	MFWD_A_VIF_FLAGS,
	MFWD_A_VIF_THRESHOLD,
	MFWD_A_SOURCE,
	MFWD_A_GROUP,
	MFWD_A_IIF,
	MFWD_A_OIF,
	MFWD_A_PACKETS,
	MFWD_A_BYTES,
	MFWD_A_WRONG_IF,
	MFWD_A_IDLE_MS,
	MFWD_A_PKTS_IN,
	MFWD_A_BYTES_IN,
	MFWD_A_PKTS_OUT,
	MFWD_A_BYTES_OUT,
	MFWD_A_FLUSH_VIFS,
	MFWD_A_STATS,
	MFWD_A_UNRES_MAX,
	MFWD_A_UNRES_QLEN,
	MFWD_A_UNRES_TIMEOUT_MS,
	MFWD_A_WRONGVIF_INTERVAL_MS,
	MFWD_A_MAX_ROUTES,
	MFWD_A_EXPECTED_IIF,
	MFWD_A_WILDCARD,
	MFWD_A_PACKET,
	MFWD_A_VIF_COUNT,
	MFWD_A_ROUTE_COUNT,
	MFWD_A_REPLACE,
	MFWD_A_FAMILY,
	MFWD_A_SOURCE6,
	MFWD_A_GROUP6,
	MFWD_A_GROUP_PREFIX_LEN,
	MFWD_A_SOURCE_PREFIX_LEN,
	MFWD_A_IIF_ANY,
	MFWD_A_PER_IIF,
	MFWD_A_TABLE,
	MFWD_A_ROUTE_FLAGS,
	MFWD_A_SIGNAL_RATE,
	MFWD_A_METER_UNIT,
	MFWD_A_METER_OP,
	MFWD_A_METER_VALUE,
	MFWD_A_INTERVAL_MS,
	MFWD_A_MEASURED,
	MFWD_A_IDLE_TIMEOUT_MS,
	MFWD_A_EXPIRE,
	MFWD_A_DUP_WINDOW_MS,
	MFWD_A_ROUTE,

	/* private: */
	__MFWD_A_MAX,
	MFWD_A_MAX = __MFWD_A_MAX - 1
};

/**
 * enum mfwd_oif_attr - attributes of one output VIF (nested in MFWD_A_OIF)
 * @MFWD_OIF_A_IFINDEX: u32, the output VIF's device.
 * @MFWD_OIF_A_TTL: u8, TTL threshold; absent: the VIF's threshold.
 */
enum mfwd_oif_attr {
	/* private: */
	MFWD_OIF_A_UNSPEC,
	/* public: */
	MFWD_OIF_A_IFINDEX,
	MFWD_OIF_A_TTL,

	/* private: */
	__MFWD_OIF_A_MAX,
	MFWD_OIF_A_MAX = __MFWD_OIF_A_MAX - 1
};

/**
 * enum mfwd_stats_attr - per-netns statistics (nested in MFWD_A_STATS),
 *	all u64 unless said otherwise
 * @MFWD_STATS_A_PAD: padding.
 * @MFWD_STATS_A_UNRES_ENTRIES: u32, unresolved (S,G) entries queued now.
 * @MFWD_STATS_A_UNRES_PACKETS: u32, packets queued now.
 * @MFWD_STATS_A_FORWARDED: packets forwarded (before copying).
 * @MFWD_STATS_A_COPIES: copies sent.
 * @MFWD_STATS_A_DROP_QUEUE_FULL: packets dropped: unresolved queue full.
 * @MFWD_STATS_A_DROP_EXPIRED: queued packets freed: entry expired.
 * @MFWD_STATS_A_DROP_NO_VIF: packets dropped: output VIF gone.
 * @MFWD_STATS_A_DROP_RPF: packets not forwarded: wrong input VIF.
 * @MFWD_STATS_A_DROP_TTL: copies not sent: TTL (hop limit) at or below
 *	threshold.
 * @MFWD_STATS_A_DROP_MTU: copies dropped: larger than the output's MTU
 *	with DF (IPv4), or at all (IPv6: the sender gets a Packet Too Big).
 * @MFWD_STATS_A_DROP_NOMEM: packets or copies dropped for lack of memory:
 *	an output's copy, a copy for local members of an output, an
 *	unresolved-queue entry or its copy of the packet.
 * @MFWD_STATS_A_EVENTS_SENT: events delivered to listeners.
 * @MFWD_STATS_A_EVENTS_DROPPED: events lost (listener socket full, or no
 *	memory).
 * @MFWD_STATS_A_DROP_DUPLICATE: packets dropped on a single-interface
 *	VIF: their content was seen there within its duplicate window.
 */
enum mfwd_stats_attr {
	/* private: */
	MFWD_STATS_A_UNSPEC,
	/* public: */
	MFWD_STATS_A_PAD,
	MFWD_STATS_A_UNRES_ENTRIES,
	MFWD_STATS_A_UNRES_PACKETS,
	MFWD_STATS_A_FORWARDED,
	MFWD_STATS_A_COPIES,
	MFWD_STATS_A_DROP_QUEUE_FULL,
	MFWD_STATS_A_DROP_EXPIRED,
	MFWD_STATS_A_DROP_NO_VIF,
	MFWD_STATS_A_DROP_RPF,
	MFWD_STATS_A_DROP_TTL,
	MFWD_STATS_A_DROP_MTU,
	MFWD_STATS_A_DROP_NOMEM,
	MFWD_STATS_A_EVENTS_SENT,
	MFWD_STATS_A_EVENTS_DROPPED,
	MFWD_STATS_A_DROP_DUPLICATE,

	/* private: */
	__MFWD_STATS_A_MAX,
	MFWD_STATS_A_MAX = __MFWD_STATS_A_MAX - 1
};

#endif /* _UAPI_LINUX_MFWD_H */
