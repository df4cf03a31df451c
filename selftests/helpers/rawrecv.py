#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rawrecv.py - what a raw IPv4 socket on the router receives.

A controller-like socket: socket(AF_INET, SOCK_RAW, --proto), as IGMP
proxies and PIM daemons open for IGMP (--proto 2), or a Router Alert
listener (--router-alert: IP_ROUTER_ALERT on a raw socket of the packets'
protocol, e.g. --proto 17 for UDP).  --join GROUP@IF joins GROUP on IF
(repeatable; e.g. 224.0.0.22 on every VIF, as igmpproxy does for IGMPv3
reports).

One line per packet received is appended to --out (flushed):

    IF SRC DST PROTO TTL OPTS TYPE GROUP

IF is the input interface (IP_PKTINFO), OPTS the IP options in hex ("-"
if none); for IGMP, TYPE is the message type in hex (0x12 v1 report, 0x16
v2 report, 0x17 leave, 0x22 v3 report) and GROUP the group it is about
(for a v3 report, the groups of its records joined with ","); for other
protocols both are "-".

--v6: an IPv6 socket instead, socket(AF_INET6, SOCK_RAW, --proto, default
58, ICMPv6), as MLD routers (pim6sd, mld proxies) open; --join takes IPv6
groups (e.g. ff02::16).  The line is the same: TTL is the hop limit
(IPV6_RECVHOPLIMIT), OPTS the hop-by-hop options header in hex
(IPV6_RECVHOPOPTS; a Router Alert for MLD is "3a0005020000..."), TYPE
the ICMPv6 type in decimal; GROUP for MLD 130/131/132 the address in the
message, for 143 (v2 report) its records' groups joined with ","; for 2
(Packet Too Big) the destination of the packet it quotes, then two more
fields: "mtu=N" and "src=S" (the quoted packet's source).
--ready FILE is written once the socket and its
memberships are in place.  Runs until SIGTERM or --timeout seconds.
"""
import argparse
import select
import signal
import socket
import struct
import sys
import time

IP_PKTINFO = 8
IP_ROUTER_ALERT = 5
IPV6_RECVPKTINFO, IPV6_PKTINFO = 49, 50
IPV6_RECVHOPLIMIT, IPV6_HOPLIMIT = 51, 52
IPV6_RECVHOPOPTS, IPV6_HOPOPTS = 53, 54


def group_records(buf, n, alen, ntoa):
    """Groups of the N IGMPv3/MLDv2 group records at the start of BUF,
    joined with "," ("-" if none); ALEN is the address length."""
    off, groups = 0, []
    for _ in range(n):
        if len(buf) < off + 4 + alen:
            break
        aux, nsrc = buf[off + 1], struct.unpack("!H", buf[off + 2:off + 4])[0]
        groups.append(ntoa(buf[off + 4:off + 4 + alen]))
        off += 4 + alen + alen * nsrc + 4 * aux
    return ",".join(groups) or "-"


def ifname_of(idx):
    try:
        return socket.if_indextoname(idx)
    except OSError:
        return "if%d" % idx


def icmp6_info(m):
    """(TYPE, GROUP[, extra...]) of an ICMPv6 message."""
    if len(m) < 4:
        return ["-", "-"]
    typ = m[0]
    ntop = lambda b: socket.inet_ntop(socket.AF_INET6, b)  # noqa: E731
    if typ in (130, 131, 132) and len(m) >= 24:
        return [str(typ), ntop(m[8:24])]
    if typ == 143 and len(m) >= 8:
        n = struct.unpack("!H", m[6:8])[0]
        return [str(typ), group_records(m[8:], n, 16, ntop)]
    if typ == 2 and len(m) >= 48:
        mtu = struct.unpack("!I", m[4:8])[0]
        return [str(typ), ntop(m[32:48]), "mtu=%d" % mtu, "src=" + ntop(m[16:32])]
    return [str(typ), "-"]


def igmp_info(l4):
    if len(l4) < 8:
        return "-", "-"
    typ = l4[0]
    if typ == 0x22:
        n = struct.unpack("!H", l4[6:8])[0]
        return "0x%02x" % typ, group_records(l4[8:], n, 4, socket.inet_ntoa)
    return "0x%02x" % typ, socket.inet_ntoa(l4[4:8])


def line6(a, data, anc, addr):
    """The --out line of an IPv6 packet."""
    ifname, dst, hlim, opts = "?", "?", -1, "-"
    for lvl, typ, d in anc:
        if lvl != socket.IPPROTO_IPV6:
            continue
        if typ == IPV6_PKTINFO:
            dst = socket.inet_ntop(socket.AF_INET6, d[:16])
            ifname = ifname_of(struct.unpack("=i", d[16:20])[0])
        elif typ == IPV6_HOPLIMIT:
            hlim = struct.unpack("=i", d[:4])[0]
        elif typ == IPV6_HOPOPTS:
            opts = d.hex()
    info = icmp6_info(data) if a.proto == 58 else ["-", "-"]
    return " ".join([ifname, addr[0].split("%")[0], dst, str(a.proto),
                     str(hlim), opts] + info)


def line4(a, data, anc, _addr):
    """The --out line of an IPv4 packet (None: too short)."""
    if len(data) < 20:
        return None
    ifname = "?"
    for lvl, typ, d in anc:
        if lvl == socket.IPPROTO_IP and typ == IP_PKTINFO:
            ifname = ifname_of(struct.unpack("=i", d[:4])[0])
    ihl = (data[0] & 0x0f) * 4
    opts = data[20:ihl].hex() or "-"
    typ = grp = "-"
    if data[9] == socket.IPPROTO_IGMP:
        typ, grp = igmp_info(data[ihl:])
    return "%s %s %s %d %d %s %s %s" % (
        ifname, socket.inet_ntoa(data[12:16]),
        socket.inet_ntoa(data[16:20]), data[9], data[8], opts, typ, grp)


def open6(a):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, a.proto)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPOPTS, 1)
    for j in a.join:
        grp, ifname = j.split("@")
        mreq = socket.inet_pton(socket.AF_INET6, grp) + \
            struct.pack("=i", socket.if_nametoindex(ifname))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    return s


def open4(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, a.proto)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    if a.router_alert:
        s.setsockopt(socket.IPPROTO_IP, IP_ROUTER_ALERT, 1)
    for j in a.join:
        grp, ifname = j.split("@")
        mreqn = socket.inet_aton(grp) + socket.inet_aton("0.0.0.0") + \
            struct.pack("=i", socket.if_nametoindex(ifname))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
    return s


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--proto", type=int)
    p.add_argument("--v6", action="store_true")
    p.add_argument("--router-alert", action="store_true")
    p.add_argument("--join", action="append", default=[],
                   help="GROUP@IF (repeatable)")
    p.add_argument("--out", required=True)
    p.add_argument("--ready")
    p.add_argument("--timeout", type=float, default=600)
    a = p.parse_args()
    if a.proto is None:
        a.proto = 58 if a.v6 else socket.IPPROTO_IGMP
    s = open6(a) if a.v6 else open4(a)
    line = line6 if a.v6 else line4
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    out = open(a.out, "a", buffering=1)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("ready\n")
    deadline = time.monotonic() + a.timeout
    while not stop and time.monotonic() < deadline:
        try:
            r, _, _ = select.select([s], [], [], 0.2)
        except InterruptedError:
            continue
        if not r:
            continue
        data, anc, _flags, addr = s.recvmsg(65536, 1024)
        text = line(a, data, anc, addr)
        if text:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
