#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mcrecv.py - count the multicast UDP packets a socket really receives.

One UDP socket bound to PORT joins every --group on every --iface (by
ifindex, so several interfaces of one namespace can be counted apart) with
IP_MULTICAST_ALL off: it gets only what it joined, on the interface it joined
it on.  Per (interface, group) it counts packets, payload bytes, the TTL of
each packet (IP_RECVTTL), the source addresses, and whether each payload is
intact (the sender's pattern, see mcsend.py).

IPv6 groups (any --group with a ":") are joined by a second socket,
AF_INET6 (IPV6_V6ONLY, IPV6_MULTICAST_ALL off) bound to [::]:PORT; for
them the "ttl" lines hold the hop limit (IPV6_RECVHOPLIMIT) and GROUP and
SOURCE are in the compressed form of inet_ntop (ff0e::1, 2001:db8::2).
IPv4 and IPv6 groups can be mixed in one receiver.

The counts are written to OUT (atomically, via rename) as lines:

    ready 1
    count IF GROUP N
    bytes IF GROUP BYTES
    ttl IF GROUP TTL N
    src IF GROUP SOURCE N
    bad IF GROUP N            (payloads not matching the sender's pattern)
    seqs IF GROUP N           (only for mcsend.py --pattern packet payloads:
    dup IF GROUP N             distinct (source, sequence number) pairs among
                               the intact ones, and intact repeats of a pair)

An --iface NETNS/IF is IF in the network namespace NETNS (ip netns): the
process opens one socket in each namespace named (setns(), so one receiver
can count for many namespaces; python start-up is slow under TCG) and
counts that interface as "NETNS/IF".

Payloads of mcsend.py --pattern packet (bytes 8..11 "mfP2") are checked
byte for byte against the pattern of their own sequence number and size;
other payloads against --pattern fixed.

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
IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50
IPV6_RECVHOPLIMIT = 51
IPV6_HOPLIMIT = 52
IPV6_MULTICAST_ALL = 29
SO_RCVBUFFORCE = 33
PATTERN_MAGIC = b"mfP2"
CLONE_NEWNET = 0x40000000
NETNS_RUN_DIR = "/run/netns"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--group", action="append", required=True,
                   help="group to join (repeatable)")
    p.add_argument("--iface", action="append", required=True,
                   help="interface to join on (repeatable); NETNS/IF: IF "
                   "in the named netns (ip netns), counted as NETNS/IF")
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
        self.seqs = {}              # (if, group) -> [{(src, seq)}, dup]
        self.dirty = True
        self.last = 0.0

    def add(self, ifname, group, src, ttl, nbytes, good, seq=None):
        e = self.c.setdefault((ifname, group), [0, 0, {}, {}, 0])
        e[0] += 1
        e[1] += nbytes
        e[2][ttl] = e[2].get(ttl, 0) + 1
        e[3][src] = e[3].get(src, 0) + 1
        if not good:
            e[4] += 1
        elif seq is not None:
            q = self.seqs.setdefault((ifname, group), [set(), 0])
            if (src, seq) in q[0]:
                q[1] += 1
            else:
                q[0].add((src, seq))
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
            q = self.seqs.get((ifn, grp))
            if q:
                lines.append(f"seqs {ifn} {grp} {len(q[0])}")
                lines.append(f"dup {ifn} {grp} {q[1]}")
        tmp = self.out + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, self.out)
        self.dirty = False
        self.last = now


def payload_check(data):
    """(intact, sequence number or None) of an mcsend.py payload."""
    if len(data) >= 16 and data[8:12] == PATTERN_MAGIC:
        import hashlib              # only when needed: slow under TCG
        seq, _magic, size = struct.unpack_from("!Q4sI", data)
        ok = size == len(data) and \
            data[16:] == hashlib.shake_128(data[:16]).digest(size - 16)
        return ok, seq
    return payload_ok(data), None


def payload_ok(data):
    """mcsend.py payload: 8-byte sequence number, then bytes (i & 0xff)."""
    if len(data) < 8:
        return len(data) == 0 or data == bytes(i & 0xff for i in range(len(data)))
    return data[8:] == bytes(i & 0xff for i in range(8, len(data)))


def setns(path):
    """Enter the network namespace at path (os.setns from Python 3.12)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if hasattr(os, "setns"):
            os.setns(fd, CLONE_NEWNET)
            return
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, f"setns {path}: {os.strerror(e)}")
    finally:
        os.close(fd)


def open_socket(a, ifaces):
    """Sockets joined to every group on every interface of the current
    netns, one per address family that has groups; returns
    [(socket, {ifindex: name})]."""
    v4 = [g for g in a.group if ":" not in g]
    v6 = [g for g in a.group if ":" in g]
    names = {}
    for ifname, label in ifaces:
        names[socket.if_nametoindex(ifname)] = label
    out = []
    if v4:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        rcvbuf(s)
        s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
        s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
        s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
        s.bind(("0.0.0.0", a.port))
        for idx in names:
            for g in v4:
                mreqn = socket.inet_aton(g) + socket.inet_aton("0.0.0.0") + \
                    struct.pack("=i", idx)
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
        s.setblocking(False)
        out.append((s, names))
    if v6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        rcvbuf(s)
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0)
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
        s.bind(("::", a.port))
        for idx in names:
            for g in v6:
                mreq = socket.inet_pton(socket.AF_INET6, g) + \
                    struct.pack("=i", idx)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
        s.setblocking(False)
        out.append((s, names))
    return out


def rcvbuf(s):
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)


def main():
    a = parse_args()
    # --iface IF (this netns) or NETNS/IF: one socket per netns
    byns = {}
    for spec in a.iface:
        ns, _, ifname = spec.rpartition("/")
        byns.setdefault(ns, []).append((ifname, spec))
    socks = {}
    home = None
    for ns, ifaces in byns.items():
        if ns:
            if home is None:
                home = os.open("/proc/self/ns/net", os.O_RDONLY)
            setns(os.path.join(NETNS_RUN_DIR, ns))
        try:
            opened = open_socket(a, ifaces)
        finally:
            if ns:
                setns(f"/proc/self/fd/{home}")
        for s, names in opened:
            socks[s] = (names, ns + "/" if ns else "")
    if home is not None:
        os.close(home)

    cnt = Counts(a.out, {})
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    cnt.write(force=True)           # "ready 1"
    deadline = time.monotonic() + a.timeout
    while not stop and time.monotonic() < deadline:
        try:
            r, _, _ = select.select(list(socks), [], [], 0.05)
        except InterruptedError:
            continue
        if not r:
            cnt.write(force=True)
            continue
        for s in r:
            receive(s, *socks[s], cnt)
        cnt.write()
    cnt.write(force=True)
    return 0


def receive(s, names, prefix, cnt):
    """Count every datagram queued on s."""
    while True:
        try:
            data, anc, _flags, addr = s.recvmsg(65536, 256)
        except BlockingIOError:
            return
        ttl, ifidx, dst = -1, 0, "?"
        for lvl, typ, d in anc:
            if lvl == socket.IPPROTO_IP:
                if typ == IP_TTL:
                    ttl = struct.unpack("=i", d[:4])[0]
                elif typ == IP_PKTINFO:
                    ifidx = struct.unpack("=i", d[:4])[0]
                    dst = socket.inet_ntoa(d[8:12])
            elif lvl == socket.IPPROTO_IPV6:
                if typ == IPV6_HOPLIMIT:
                    ttl = struct.unpack("=i", d[:4])[0]
                elif typ == IPV6_PKTINFO:
                    dst = socket.inet_ntop(socket.AF_INET6, d[:16])
                    ifidx = struct.unpack("=i", d[16:20])[0]
        ifname = names.get(ifidx, f"{prefix}if{ifidx}")
        cnt.add(ifname, dst, addr[0], ttl, len(data), *payload_check(data))


if __name__ == "__main__":
    sys.exit(main())
