#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mcrecv.py - count the multicast UDP packets a socket really receives.

One UDP socket bound to PORT joins every --group on every --iface (by
ifindex, so several interfaces of one namespace can be counted apart) with
IP_MULTICAST_ALL off: it gets only what it joined, on the interface it joined
it on.  Per (interface, group) it counts packets, payload bytes, the TTL of
each packet (IP_RECVTTL), the source addresses, and whether each payload is
intact (the sender's pattern, see mcsend.py).

The counts are written to OUT (atomically, via rename) as lines:

    ready 1
    count IF GROUP N
    bytes IF GROUP BYTES
    ttl IF GROUP TTL N
    src IF GROUP SOURCE N
    bad IF GROUP N            (payloads not matching the sender's pattern)

"ready 1" is written once every membership is in place, before any packet is
counted.  OUT is rewritten at most every 50 ms while packets arrive and once
more when they stop, and at exit (SIGTERM/SIGINT, or --timeout seconds).
"""
import argparse
import os
import select
import signal
import socket
import struct
import sys
import time

IP_RECVTTL = 12
IP_PKTINFO = 8
IP_TTL = 2
IP_MULTICAST_ALL = 49
SO_RCVBUFFORCE = 33


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--group", action="append", required=True,
                   help="group to join (repeatable)")
    p.add_argument("--iface", action="append", required=True,
                   help="interface to join on (repeatable)")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--out", required=True, help="count file")
    p.add_argument("--timeout", type=float, default=600,
                   help="exit after this many seconds (default 600)")
    return p.parse_args()


class Counts:
    def __init__(self, out, names):
        self.out = out
        self.names = names          # ifindex -> name
        self.c = {}                 # (if, group) -> [n, bytes, {ttl: n}, {src: n}, bad]
        self.dirty = True
        self.last = 0.0

    def add(self, ifname, group, src, ttl, nbytes, good):
        e = self.c.setdefault((ifname, group), [0, 0, {}, {}, 0])
        e[0] += 1
        e[1] += nbytes
        e[2][ttl] = e[2].get(ttl, 0) + 1
        e[3][src] = e[3].get(src, 0) + 1
        if not good:
            e[4] += 1
        self.dirty = True

    def write(self, force=False):
        now = time.monotonic()
        if not self.dirty or (not force and now - self.last < 0.05):
            return
        lines = ["ready 1"]
        for (ifn, grp), (n, b, ttls, srcs, bad) in sorted(self.c.items()):
            lines.append(f"count {ifn} {grp} {n}")
            lines.append(f"bytes {ifn} {grp} {b}")
            for t, k in sorted(ttls.items()):
                lines.append(f"ttl {ifn} {grp} {t} {k}")
            for s, k in sorted(srcs.items()):
                lines.append(f"src {ifn} {grp} {s} {k}")
            lines.append(f"bad {ifn} {grp} {bad}")
        tmp = self.out + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, self.out)
        self.dirty = False
        self.last = now


def payload_ok(data):
    """mcsend.py payload: 8-byte sequence number, then bytes (i & 0xff)."""
    if len(data) < 8:
        return len(data) == 0 or data == bytes(i & 0xff for i in range(len(data)))
    return data[8:] == bytes(i & 0xff for i in range(8, len(data)))


def main():
    a = parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
    s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind(("0.0.0.0", a.port))
    names = {}
    for ifname in a.iface:
        idx = socket.if_nametoindex(ifname)
        names[idx] = ifname
        for g in a.group:
            mreqn = socket.inet_aton(g) + socket.inet_aton("0.0.0.0") + \
                struct.pack("=i", idx)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
    s.setblocking(False)

    cnt = Counts(a.out, names)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    cnt.write(force=True)           # "ready 1"
    deadline = time.monotonic() + a.timeout
    while not stop and time.monotonic() < deadline:
        try:
            r, _, _ = select.select([s], [], [], 0.05)
        except InterruptedError:
            continue
        if not r:
            cnt.write(force=True)
            continue
        while True:
            try:
                data, anc, _flags, addr = s.recvmsg(65536, 256)
            except BlockingIOError:
                break
            ttl, ifidx, dst = -1, 0, "?"
            for lvl, typ, d in anc:
                if lvl != socket.IPPROTO_IP:
                    continue
                if typ == IP_TTL:
                    ttl = struct.unpack("=i", d[:4])[0]
                elif typ == IP_PKTINFO:
                    ifidx = struct.unpack("=i", d[:4])[0]
                    dst = socket.inet_ntoa(d[8:12])
            ifname = names.get(ifidx, f"if{ifidx}")
            cnt.add(ifname, dst, addr[0], ttl, len(data), payload_ok(data))
        cnt.write()
    cnt.write(force=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
