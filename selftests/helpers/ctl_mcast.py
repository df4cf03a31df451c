#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ctl_mcast.py - numbered multicast UDP senders and receivers for the
controller-channel selftests (30-39), IPv4 or IPv6 (the family of --group).

Every datagram's payload starts with b"mfwd-seq <N> " and is padded with a
fixed pattern to --size bytes, so a receiver can tell which ones arrived and
in what order.

usage:
  ctl_mcast.py send --group G [--port P] [--ifaddr A] [--src A] [--count N]
                    [--start K] [--ttl T] [--interval SECS] [--duration SECS]
                    [--size BYTES[,BYTES...]] [--raw] [--dump FILE] [--tos N]
                    [--keep-going] [--src-count K] [--group-count K]
      Send N datagrams (seq K..K+N-1) from the address --src (bound) out of
      the interface that has address --ifaddr, TTL T, one every SECS; with
      --duration, keep sending until that many seconds have passed.  A list
      of sizes (UDP payload bytes) is used in turn.  --raw
      builds the IP header itself (IP_HDRINCL, fixed IP id = seq, DF) and
      --dump writes each packet, exactly as sent, in hex, one per line.
      --keep-going counts send errors (the interface went away, ...) instead
      of failing.  --src-count K (with --raw) and --group-count K send
      datagram n from source --src + (n % K) and to group --group + (n % K)
      (the address's last 16 bits counted up, pktgen's src_min..src_max).
      IPv6: the same with hop limit T, traffic class --tos; --raw builds the
      IPv6 header (no fragment header, no DF) and a valid UDP checksum.
      Prints "sent N elapsed SECS [errors E]".
  ctl_mcast.py serve --fifo FIFO --out FILE
      Run "send" requests read from FIFO, one per line (the send options,
      shell-quoted), and append each one's output line (or "error: ...")
      to FILE: one process for many sends, no interpreter start-up each.
  ctl_mcast.py recv --group G [--port P] --ifaddr A --out FILE
                    [--ready FILE] [--count N] [--group-count K]
      Join G (and the K - 1 groups after it, see send) on the interface with address A and write "<seq> <ttl> <len>"
      (IPv6: the hop limit as <ttl>)
      for every datagram received, one per line, flushed.  Writes FILE READY
      once joined.  Exits after N datagrams, or on SIGTERM.
"""
import argparse
import contextlib
import io
import os
import shlex
import signal
import socket
import struct
import sys
import time

IP_RECVTTL = 12
IP_MULTICAST_ALL = 49
IPV6_MULTICAST_ALL = 29
IPV6_RECVHOPLIMIT = getattr(socket, "IPV6_RECVHOPLIMIT", 51)
IPV6_HOPLIMIT = getattr(socket, "IPV6_HOPLIMIT", 52)


def is6(addr):
    return addr is not None and ":" in addr


def ifindex6(addr):
    """The ifindex of the interface that has the IPv6 address addr."""
    want = socket.inet_pton(socket.AF_INET6, addr).hex()
    with open("/proc/net/if_inet6") as f:
        for line in f:
            w = line.split()
            if w[0] == want:
                return int(w[1], 16)
    raise ValueError("no interface has the address %s" % addr)


def addr_plus(addr, n):
    """addr with n added to its last 16 bits."""
    fam = socket.AF_INET6 if is6(addr) else socket.AF_INET
    b = bytearray(socket.inet_pton(fam, addr))
    v = (int.from_bytes(b[-2:], "big") + n) & 0xFFFF
    b[-2:] = v.to_bytes(2, "big")
    return socket.inet_ntop(fam, bytes(b))


def payload(seq, size):
    head = b"mfwd-seq %d " % seq
    fill = bytes((seq + i) & 0xFF for i in range(max(0, size - len(head))))
    return head + fill


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_packet(src, dst, sport, dport, ttl, seq, size, tos):
    data = payload(seq, size)
    udp = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(udp), seq & 0xFFFF
                      or 1, 0x4000, ttl, socket.IPPROTO_UDP, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + udp


def ip6_packet(src, dst, sport, dport, hops, seq, size, tclass):
    data = payload(seq, size)
    ulen = 8 + len(data)
    s6 = socket.inet_pton(socket.AF_INET6, src)
    d6 = socket.inet_pton(socket.AF_INET6, dst)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + data
    pseudo = s6 + d6 + struct.pack("!IxxxB", ulen, socket.IPPROTO_UDP)
    ck = csum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", ck) + udp[8:]
    hdr = struct.pack("!IHBB16s16s", 0x60000000 | (tclass << 20), ulen,
                      socket.IPPROTO_UDP, hops, s6, d6)
    return hdr + udp


def send6(a):
    ifidx = ifindex6(a.ifaddr) if a.ifaddr else 0
    if a.raw:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    else:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, a.ttl)
        if a.tos:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, a.tos)
        if a.src:
            s.bind((a.src, 0))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
    if ifidx:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifidx)
    return s, ifidx


def send(a):
    if not a.group:
        raise ValueError("send needs --group")
    v6 = is6(a.group)
    if v6:
        s, ifidx = send6(a)
    elif a.raw:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, a.ttl)
        if a.tos:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, a.tos)
        if a.src:
            s.bind((a.src, 0))
    if not v6:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    if a.ifaddr and not v6:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton(a.ifaddr))
    srcs = [a.src or a.ifaddr]
    if a.src_count > 1:
        srcs = [addr_plus(srcs[0], i) for i in range(a.src_count)]
    grps = [a.group]
    if a.group_count > 1:
        grps = [addr_plus(a.group, i) for i in range(a.group_count)]
    dump = open(a.dump, "w") if a.dump else None
    t0 = time.monotonic()
    n = errors = 0
    seq = a.start
    sizes = [int(x) for x in a.size.split(",")]
    while True:
        if a.duration is not None:
            if time.monotonic() - t0 >= a.duration:
                break
        elif n >= a.count:
            break
        grp = grps[n % len(grps)]
        try:
            if a.raw:
                mk = ip6_packet if v6 else ip_packet
                pkt = mk(srcs[n % len(srcs)], grp,
                         40000 + (seq & 0xFF), a.port, a.ttl, seq,
                         sizes[n % len(sizes)], a.tos)
                s.sendto(pkt, (grp, 0, 0, ifidx) if v6 else (grp, 0))
                if dump:
                    dump.write(pkt.hex() + "\n")
            else:
                s.sendto(payload(seq, sizes[n % len(sizes)]),
                         (grp, a.port, 0, ifidx) if v6 else (grp, a.port))
        except OSError:
            if not a.keep_going:
                raise
            errors += 1
        n += 1
        seq += 1
        if a.interval:
            next_t = t0 + n * a.interval
            d = next_t - time.monotonic()
            if d > 0:
                time.sleep(d)
    if dump:
        dump.close()
    print("sent %d elapsed %.3f%s" % (n, time.monotonic() - t0,
                                      " errors %d" % errors if errors else ""))


def recv(a):
    v6 = is6(a.group)
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    # only the group joined here, not those other sockets joined
    grps = [addr_plus(a.group, i) for i in range(max(1, a.group_count))]
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0)
        s.bind(("::", a.port))
        idx = struct.pack("=I", ifindex6(a.ifaddr))
        for g in grps:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                         socket.inet_pton(socket.AF_INET6, g) + idx)
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
        s.bind(("0.0.0.0", a.port))
        for g in grps:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                         socket.inet_aton(g) + socket.inet_aton(a.ifaddr))
        s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    out = open(a.out, "a", buffering=1)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    n = 0
    while a.count is None or n < a.count:
        data, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(4))
        ttl = -1
        for lvl, typ, val in anc:
            if (lvl, typ) in ((socket.IPPROTO_IP, socket.IP_TTL),
                              (socket.IPPROTO_IPV6, IPV6_HOPLIMIT)):
                ttl = struct.unpack("=i", val[:4])[0]
        if not data.startswith(b"mfwd-seq "):
            continue
        seq = int(data.split(b" ", 2)[1])
        out.write("%d %d %d\n" % (seq, ttl, len(data)))
        n += 1


def serve(a, parser):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    out = open(a.out, "a", buffering=1)
    while True:
        with open(a.fifo) as f:
            for line in f:
                try:
                    req = parser.parse_args(["send"] + shlex.split(line))
                    if req.count is None and req.duration is None:
                        req.count = 1
                    buf = io.StringIO()
                    with contextlib.redirect_stdout(buf):
                        send(req)
                    out.write(buf.getvalue())
                except (OSError, SystemExit, ValueError) as e:
                    out.write("error: %s\n" % e)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["send", "recv", "serve"])
    p.add_argument("--fifo")
    p.add_argument("--group")
    p.add_argument("--port", type=int, default=5001)
    p.add_argument("--ifaddr")
    p.add_argument("--src")
    p.add_argument("--count", type=int)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--ttl", type=int, default=8)
    p.add_argument("--tos", type=int, default=0)
    p.add_argument("--interval", type=float, default=0)
    p.add_argument("--duration", type=float)
    p.add_argument("--size", default="64")
    p.add_argument("--raw", action="store_true")
    p.add_argument("--keep-going", action="store_true")
    p.add_argument("--src-count", type=int, default=1)
    p.add_argument("--group-count", type=int, default=1)
    p.add_argument("--dump")
    p.add_argument("--out")
    p.add_argument("--ready")
    a = p.parse_args()
    if a.mode == "serve":
        if not a.fifo or not a.out:
            p.error("serve needs --fifo and --out")
        serve(a, p)
    elif a.mode == "send":
        if a.count is None and a.duration is None:
            a.count = 1
        send(a)
    else:
        if not a.out or not a.ifaddr or not a.group:
            p.error("recv needs --group, --out and --ifaddr")
        recv(a)


if __name__ == "__main__":
    main()
