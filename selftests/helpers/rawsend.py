#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rawsend.py - send hand-built IPv4 multicast frames from an AF_PACKET socket.

Unlike mcsend.py (UDP socket) and ctl_mcast.py --raw (IP_HDRINCL, where
the kernel still fills a zero source address in and routes the packet),
every byte of the IP header is ours: martian sources (0.0.0.0, 127.0.0.1,
255.255.255.255, a multicast source), IP options (valid or malformed),
IGMP messages with any TTL.  The frame goes to the group's MAC address
(01:00:5e + the group's low 23 bits) out of --ifname.

  --src S --group G [--ttl T] [--count N] [--start K]
  --proto udp (default): UDP to --port with mcsend.py's payload (8-byte
      big-endian sequence number, then bytes i & 0xff), --size bytes, so
      mcrecv.py counts it as intact; UDP checksum 0 (none).
  --proto igmp --igmp-type T [--igmp-group A]: an 8-byte IGMP message
      (v1 report 0x12, v2 report 0x16, v2 leave 0x17, ...) about A
      (default G).
  --opt none|rr|ts|ra|bad (repeatable, in order; padded to 4 bytes with
      EOL at the end, rr itself ends with a NOP so that options follow):
      rr  record route, 2 free slots    ts  timestamp, 2 free slots
      ra  router alert (RFC 2113)       bad an option whose length runs
                                            past the header (malformed)
  --df / --no-df (default DF), --tos N, --id N (default: the sequence
  number).

IPv6 (a --group with a ":"): the frame (EtherType 0x86dd) goes to
33:33 + the group's low 32 bits; --ttl is the hop limit, --tos the
traffic class.
  --proto udp: as above, with the UDP checksum IPv6 requires.
  --proto mld --mld-type T [--mld-group A]: an ICMPv6 MLD message about A
      (default G): 130 query, 131 v1 report, 132 done (24 bytes), 143 v2
      report (one CHANGE_TO_EXCLUDE record, no sources).
  --opt ra: a hop-by-hop options header with a Router Alert option (value
      0, MLD; RFC 2711) and a PadN; --opt pad: one with a PadN only.
      (rr, ts, bad are IPv4 only; none and no --opt: no extension header.)
  --df/--no-df/--id: IPv4 only.

Several bursts in one run: separate their option sets with "--next".
The process pins itself to CPU 0 (like mcsend.py), so a later packet sent
the same way is processed after every earlier one.  Prints "sent N".
"""
import argparse
import os
import socket
import struct
import sys

ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
IPPROTO_HOPOPTS, IPPROTO_ICMPV6 = 0, 58

# IPv6 hop-by-hop options (8 bytes each, next-header byte first, filled in)
HBH6 = {
    "ra": bytes([5, 2, 0, 0, 1, 0]),        # Router Alert MLD, PadN
    "pad": bytes([1, 4, 0, 0, 0, 0]),       # PadN
}

OPTS = {
    "none": b"",
    "rr": bytes([7, 11, 4]) + bytes(8) + bytes([1]),      # + NOP pad
    "ts": bytes([68, 12, 5, 0]) + bytes(8),
    "ra": bytes([148, 4, 0, 0]),
    "bad": bytes([7, 39, 4, 0]),                             # length 39 > 4
}


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def payload(seq, size):
    body = bytes(i & 0xff for i in range(size))
    if size >= 8:
        return struct.pack("!Q", seq) + body[8:]
    return body


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ifname", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--ttl", type=int, default=64)
    p.add_argument("--tos", type=int, default=0)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--id", type=int)
    p.add_argument("--proto", choices=["udp", "igmp", "mld"], default="udp")
    p.add_argument("--mld-type", type=int, default=131)
    p.add_argument("--mld-group")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--size", type=int, default=100)
    p.add_argument("--igmp-type", type=lambda x: int(x, 0), default=0x16)
    p.add_argument("--igmp-group")
    p.add_argument("--opt", action="append", choices=sorted(set(OPTS) | set(HBH6)),
                   default=[])
    df = p.add_mutually_exclusive_group()
    df.add_argument("--df", dest="df", action="store_true", default=True)
    df.add_argument("--no-df", dest="df", action="store_false")
    a = p.parse_args(argv)
    a.v6 = ":" in a.group
    opts = [o for o in a.opt if o != "none"]
    if a.v6 and (any(o not in HBH6 for o in opts) or len(opts) > 1 or
                 a.proto == "igmp"):
        p.error("IPv6: --opt ra or pad (one), --proto udp or mld")
    if not a.v6 and (any(o not in OPTS for o in opts) or a.proto == "mld"):
        p.error("IPv4: --opt none, rr, ts, ra, bad; --proto udp or igmp")
    return a


def packet6(a, seq):
    src = socket.inet_pton(socket.AF_INET6, a.src)
    dst = socket.inet_pton(socket.AF_INET6, a.group)
    if a.proto == "udp":
        data = payload(seq, a.size)
        l4 = struct.pack("!HHHH", a.port, a.port, 8 + len(data), 0) + data
        proto = socket.IPPROTO_UDP
    else:
        grp = socket.inet_pton(socket.AF_INET6, a.mld_group or a.group)
        if a.mld_type == 143:
            l4 = struct.pack("!BBHHH", 143, 0, 0, 0, 1) + \
                struct.pack("!BBH", 4, 0, 0) + grp
        else:
            l4 = struct.pack("!BBHHH", a.mld_type, 0, 0, 0, 0) + grp
        proto = IPPROTO_ICMPV6
    pseudo = src + dst + struct.pack("!I3xB", len(l4), proto)
    c = csum(pseudo + l4) or 0xffff
    off = 6 if proto == socket.IPPROTO_UDP else 2
    l4 = l4[:off] + struct.pack("!H", c) + l4[off + 2:]
    ext, nh = b"", proto
    opts = [o for o in a.opt if o != "none"]
    if opts:
        ext, nh = bytes([proto, 0]) + HBH6[opts[0]], IPPROTO_HOPOPTS
    hdr = struct.pack("!IHBB", (6 << 28) | (a.tos << 20), len(ext) + len(l4),
                      nh, a.ttl) + src + dst
    return hdr + ext + l4


def packet(a, seq):
    opts = b"".join(OPTS[o] for o in a.opt)
    opts += bytes(-len(opts) % 4)
    if a.proto == "udp":
        data = payload(seq, a.size)
        l4 = struct.pack("!HHHH", a.port, a.port, 8 + len(data), 0) + data
        proto = socket.IPPROTO_UDP
    else:
        grp = socket.inet_aton(a.igmp_group or a.group)
        l4 = struct.pack("!BBH4s", a.igmp_type, 0, 0, grp)
        l4 = l4[:2] + struct.pack("!H", csum(l4)) + l4[4:]
        proto = socket.IPPROTO_IGMP
    ihl = 5 + len(opts) // 4
    ident = (a.id if a.id is not None else seq) & 0xffff
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, a.tos,
                      ihl * 4 + len(l4), ident, 0x4000 if a.df else 0,
                      a.ttl, proto, 0, socket.inet_aton(a.src),
                      socket.inet_aton(a.group)) + opts
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + l4


def group_mac(group):
    if ":" in group:
        return b"\x33\x33" + socket.inet_pton(socket.AF_INET6, group)[12:]
    g = socket.inet_aton(group)
    return bytes([0x01, 0x00, 0x5e, g[1] & 0x7f, g[2], g[3]])


def main():
    bursts = [[]]
    for w in sys.argv[1:]:
        if w == "--next":
            bursts.append([])
        else:
            bursts[-1].append(w)
    try:
        os.sched_setaffinity(0, {0})
    except OSError:
        pass
    total = 0
    socks = {}
    for b in bursts:
        a = parse_args(b)
        eth = ETH_P_IPV6 if a.v6 else ETH_P_IP
        s = socks.get((a.ifname, eth))
        if s is None:
            s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                              socket.htons(eth))
            socks[(a.ifname, eth)] = s
        dst = (a.ifname, eth, 0, 0, group_mac(a.group))
        build = packet6 if a.v6 else packet
        for seq in range(a.start, a.start + a.count):
            s.sendto(build(a, seq), dst)
            total += 1
    print("sent %d" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
