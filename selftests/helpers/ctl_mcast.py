#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ctl_mcast.py - numbered multicast UDP senders and receivers for the
controller-channel selftests (30-39).

Every datagram's payload starts with b"mfwd-seq <N> " and is padded with a
fixed pattern to --size bytes, so a receiver can tell which ones arrived and
in what order.

usage:
  ctl_mcast.py send --group G [--port P] [--ifaddr A] [--src A] [--count N]
                    [--start K] [--ttl T] [--interval SECS] [--duration SECS]
                    [--size BYTES[,BYTES...]] [--raw] [--dump FILE] [--tos N]
                    [--keep-going]
      Send N datagrams (seq K..K+N-1) from the address --src (bound) out of
      the interface that has address --ifaddr, TTL T, one every SECS; with
      --duration, keep sending until that many seconds have passed.  A list
      of sizes (UDP payload bytes) is used in turn.  --raw
      builds the IP header itself (IP_HDRINCL, fixed IP id = seq, DF) and
      --dump writes each packet, exactly as sent, in hex, one per line.
      --keep-going counts send errors (the interface went away, ...) instead
      of failing.  Prints "sent N elapsed SECS [errors E]".
  ctl_mcast.py serve --fifo FIFO --out FILE
      Run "send" requests read from FIFO, one per line (the send options,
      shell-quoted), and append each one's output line (or "error: ...")
      to FILE: one process for many sends, no interpreter start-up each.
  ctl_mcast.py recv --group G [--port P] --ifaddr A --out FILE
                    [--ready FILE] [--count N]
      Join G on the interface with address A and write "<seq> <ttl> <len>"
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


def send(a):
    if not a.group:
        raise ValueError("send needs --group")
    if a.raw:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, a.ttl)
        if a.tos:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, a.tos)
        if a.src:
            s.bind((a.src, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    if a.ifaddr:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton(a.ifaddr))
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
        try:
            if a.raw:
                pkt = ip_packet(a.src or a.ifaddr, a.group,
                                40000 + (seq & 0xFF), a.port, a.ttl, seq,
                                sizes[n % len(sizes)], a.tos)
                s.sendto(pkt, (a.group, 0))
                if dump:
                    dump.write(pkt.hex() + "\n")
            else:
                s.sendto(payload(seq, sizes[n % len(sizes)]),
                         (a.group, a.port))
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
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    # only the group joined here, not those other sockets joined
    s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
    s.bind(("0.0.0.0", a.port))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(a.group) + socket.inet_aton(a.ifaddr))
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
            if lvl == socket.IPPROTO_IP and typ == socket.IP_TTL:
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
