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
        off, groups = 8, []
        for _ in range(n):
            if len(m) < off + 20:
                break
            aux, nsrc = m[off + 1], struct.unpack("!H", m[off + 2:off + 4])[0]
            groups.append(ntop(m[off + 4:off + 20]))
            off += 20 + 16 * nsrc + 4 * aux
        return [str(typ), ",".join(groups) or "-"]
    if typ == 2 and len(m) >= 48:
        mtu = struct.unpack("!I", m[4:8])[0]
        return [str(typ), ntop(m[32:48]), "mtu=%d" % mtu, "src=" + ntop(m[16:32])]
    return [str(typ), "-"]


def main6(a):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, a.proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPOPTS, 1)
    for j in a.join:
        grp, ifname = j.split("@")
        mreq = socket.inet_pton(socket.AF_INET6, grp) + \
            struct.pack("=i", socket.if_nametoindex(ifname))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
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
        ifname, dst, hlim, opts = "?", "?", -1, "-"
        for lvl, typ, d in anc:
            if lvl != socket.IPPROTO_IPV6:
                continue
            if typ == IPV6_PKTINFO:
                dst = socket.inet_ntop(socket.AF_INET6, d[:16])
                idx = struct.unpack("=i", d[16:20])[0]
                try:
                    ifname = socket.if_indextoname(idx)
                except OSError:
                    ifname = "if%d" % idx
            elif typ == IPV6_HOPLIMIT:
                hlim = struct.unpack("=i", d[:4])[0]
            elif typ == IPV6_HOPOPTS:
                opts = d.hex()
        info = icmp6_info(data) if a.proto == 58 else ["-", "-"]
        out.write(" ".join([ifname, addr[0].split("%")[0], dst, str(a.proto),
                            str(hlim), opts] + info) + "\n")
    return 0


def igmp_info(l4):
    if len(l4) < 8:
        return "-", "-"
    typ = l4[0]
    if typ == 0x22 and len(l4) >= 8:
        n = struct.unpack("!H", l4[6:8])[0]
        off, groups = 8, []
        for _ in range(n):
            if len(l4) < off + 8:
                break
            aux, nsrc = l4[off + 1], struct.unpack("!H", l4[off + 2:off + 4])[0]
            groups.append(socket.inet_ntoa(l4[off + 4:off + 8]))
            off += 8 + 4 * nsrc + 4 * aux
        return "0x%02x" % typ, ",".join(groups) or "-"
    return "0x%02x" % typ, socket.inet_ntoa(l4[4:8])


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
    if a.v6:
        a.proto = 58 if a.proto is None else a.proto
        return main6(a)
    if a.proto is None:
        a.proto = socket.IPPROTO_IGMP

    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, a.proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    if a.router_alert:
        s.setsockopt(socket.IPPROTO_IP, IP_ROUTER_ALERT, 1)
    for j in a.join:
        grp, ifname = j.split("@")
        mreqn = socket.inet_aton(grp) + socket.inet_aton("0.0.0.0") + \
            struct.pack("=i", socket.if_nametoindex(ifname))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
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
        data, anc, _flags, _addr = s.recvmsg(65536, 256)
        if len(data) < 20:
            continue
        ifname = "?"
        for lvl, typ, d in anc:
            if lvl == socket.IPPROTO_IP and typ == IP_PKTINFO:
                idx = struct.unpack("=i", d[:4])[0]
                try:
                    ifname = socket.if_indextoname(idx)
                except OSError:
                    ifname = "if%d" % idx
        ihl = (data[0] & 0x0f) * 4
        opts = data[20:ihl].hex() or "-"
        typ = grp = "-"
        if data[9] == socket.IPPROTO_IGMP:
            typ, grp = igmp_info(data[ihl:])
        out.write("%s %s %s %d %d %s %s %s\n" % (
            ifname, socket.inet_ntoa(data[12:16]),
            socket.inet_ntoa(data[16:20]), data[9], data[8], opts, typ, grp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
