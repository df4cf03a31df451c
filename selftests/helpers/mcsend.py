#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mcsend.py - send multicast UDP packets for the forwarding selftests.

Sends COUNT UDP datagrams of SIZE payload bytes to GROUP:PORT with IP TTL
TTL out of the interface that has address --iface-addr (or is named
--ifname).  --iface-addr may be repeated: COUNT packets go out of each
interface in turn (used to send one sync packet on every router port).

The payload (--pattern fixed, the default) is an 8-byte big-endian
sequence number followed by bytes (i & 0xff) for i = 8..SIZE-1, which
mcrecv.py checks.  --pattern packet (SIZE >= 16) makes every byte depend on
the packet: the sequence number, the 4 bytes "mfP2", SIZE as a big-endian
u32, then SHAKE-128 of those 16 bytes (SIZE - 16 bytes of it); mcrecv.py
checks every byte and counts distinct sequence numbers and duplicates.
--seq N starts the sequence numbers at N (default 0).

--gso K (UDP socket only): send K consecutive payloads at a time as one
UDP GSO datagram (UDP_SEGMENT = SIZE), which leaves the sender as one GSO
packet and is split into SIZE-byte datagrams only where a device cannot
carry it; COUNT counts the datagrams, not the sends.

DF: --df sets it (IP_PMTUDISC_DO), --no-df clears it (IP_PMTUDISC_DONT,
the sender itself may then fragment).  Multicast loopback is off, so a
receiver in the sender's namespace does not count the sender's own packets
(--loop turns it on).

--src S sends through a raw socket with a hand-built IP header whose source
is S (any address, for RPF tests); the kernel fills in the IP checksum.

IPv6: a --group with a ":" (every group of one burst of one family) is sent
from an AF_INET6 UDP socket: --ttl is the hop limit (IPV6_MULTICAST_HOPS),
--iface-addr an IPv6 address of the interface (found in /proc/net/if_inet6;
the socket is bound to it), --df never fragments and ignores the path MTU
(IPV6_DONTFRAG, IPV6_PMTUDISC_PROBE: every datagram leaves whole at the
interface's MTU, even after a Packet Too Big), --no-df lets the sender
fragment at the path MTU (IPV6_PMTUDISC_DONT).  No --src for IPv6 (use
rawsend.py).

The process pins itself to CPU 0 so that every packet (and the router's
copies of it, which are processed in the same softirq) goes through one
CPU's backlog in order: a later "sync" packet sent the same way then
arrives after all earlier ones.

Several bursts in one run (one python start-up is slow under TCG): separate
their option sets with "--next"; they are sent one after the other.

--count 0 sends until SIGTERM (--ignore-errors: keep going when a send
fails, e.g. because the interface went away).  --interval paces packets (seconds).
--sent FILE: the number sent so far is written there (at exit, and about
every 100 ms when --count is 0).
"""
import argparse
import os
import signal
import socket
import struct
import sys
import time

IP_MTU_DISCOVER = 10
IP_PMTUDISC_DONT = 0
IP_PMTUDISC_DO = 2
UDP_SEGMENT = 103
IPV6_MTU_DISCOVER = 23
IPV6_PMTUDISC_DONT = 0
IPV6_PMTUDISC_PROBE = 3
IPV6_DONTFRAG = 62
PATTERN_MAGIC = b"mfP2"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--group", action="append", required=True,
                   help="group (repeatable: COUNT packets to each, in turn)")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--ttl", type=int, default=64)
    p.add_argument("--size", type=int, default=100, help="UDP payload bytes")
    df = p.add_mutually_exclusive_group()
    df.add_argument("--df", dest="df", action="store_true", default=True)
    df.add_argument("--no-df", dest="df", action="store_false")
    p.add_argument("--iface-addr", action="append", default=[])
    p.add_argument("--ifname")
    p.add_argument("--src", help="raw socket, this source address")
    p.add_argument("--interval", type=float, default=0.0)
    p.add_argument("--sent", help="file to write the number sent to")
    p.add_argument("--loop", action="store_true",
                   help="IP_MULTICAST_LOOP on (default off)")
    p.add_argument("--ignore-errors", action="store_true",
                   help="count failed sends instead of exiting")
    p.add_argument("--no-pin", action="store_true", help="do not pin to CPU 0")
    p.add_argument("--pattern", choices=("fixed", "packet"), default="fixed",
                   help="payload pattern (default fixed, see above)")
    p.add_argument("--seq", type=int, default=0,
                   help="first sequence number")
    p.add_argument("--gso", type=int, default=1,
                   help="payloads per UDP GSO send (default 1: no GSO)")
    a = p.parse_args(argv)
    if a.pattern == "packet" and a.size < 16:
        p.error("--pattern packet needs --size 16 or more")
    if a.gso < 1 or (a.gso > 1 and (a.src or a.count == 0)):
        p.error("--gso K needs K >= 1, a UDP socket (no --src) and a "
                "--count")
    a.v6 = ":" in a.group[0]
    if any((":" in g) != a.v6 for g in a.group):
        p.error("the groups of one burst must be of one address family")
    if a.v6 and a.src:
        p.error("--src is IPv4 only (rawsend.py builds IPv6 packets)")
    return a


def if6_index(addr):
    """ifindex of the interface that has the IPv6 address addr."""
    want = socket.inet_pton(socket.AF_INET6, addr).hex()
    with open("/proc/net/if_inet6") as f:
        for line in f:
            w = line.split()
            if w[0] == want:
                return int(w[1], 16)
    raise SystemExit(f"mcsend.py: no interface has the address {addr}")


def make_socket6(a, iface_addr):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, a.ttl)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, int(a.loop))
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER,
                 IPV6_PMTUDISC_PROBE if a.df else IPV6_PMTUDISC_DONT)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_DONTFRAG, int(a.df))
    if a.ifname:
        idx = socket.if_nametoindex(a.ifname)
    elif iface_addr:
        idx = if6_index(iface_addr)
    else:
        idx = 0
    if idx:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
    if a.ifname:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                     a.ifname.encode())
    if iface_addr:
        s.bind((iface_addr, 0, 0, idx if iface_addr.startswith("fe80") else 0))
    return s


def payload(seq, size, pattern="fixed"):
    if pattern == "packet":
        import hashlib              # only when needed: slow under TCG
        head = struct.pack("!Q4sI", seq, PATTERN_MAGIC, size)
        return head + hashlib.shake_128(head).digest(size - 16)
    body = bytes(i & 0xff for i in range(size))
    if size >= 8:
        return struct.pack("!Q", seq) + body[8:]
    return body


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def raw_packet(a, seq, src, group):
    data = payload(seq, a.size, a.pattern)
    udp = struct.pack("!HHHH", a.port, a.port, 8 + len(data), 0) + data
    frag = 0x4000 if a.df else 0
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq & 0xffff or 1,
                     frag, a.ttl, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src), socket.inet_aton(group))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def make_socket(a, iface_addr):
    if a.v6:
        return make_socket6(a, iface_addr)
    if a.src:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, a.ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, int(a.loop))
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER,
                 IP_PMTUDISC_DO if a.df else IP_PMTUDISC_DONT)
    idx = socket.if_nametoindex(a.ifname) if a.ifname else 0
    addr = iface_addr or "0.0.0.0"
    mreqn = socket.inet_aton(a.group[0]) + socket.inet_aton(addr) + \
        struct.pack("=i", idx)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn)
    if a.ifname:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                     a.ifname.encode())
    if iface_addr and not a.src:
        s.bind((iface_addr, 0))
    return s


def main():
    argv, bursts = sys.argv[1:], [[]]
    for w in argv:
        if w == "--next":
            bursts.append([])
        else:
            bursts[-1].append(w)
    ret = 0
    for b in bursts:
        ret |= burst(parse_args(b))
    return ret


def burst(a):
    if not a.no_pin:
        try:
            os.sched_setaffinity(0, {0})
        except OSError:
            pass
    addrs = a.iface_addr or [None]
    socks = [make_socket(a, x) for x in addrs]
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    sent = errors = 0
    last_report = 0.0

    def report(force=False):
        nonlocal last_report
        if not a.sent:
            return
        now = time.monotonic()
        if not force and now - last_report < 0.1:
            return
        with open(a.sent + ".tmp", "w") as f:
            f.write(f"{sent}\n")
        os.replace(a.sent + ".tmp", a.sent)
        last_report = now

    seq = 0
    while not stop and (a.count == 0 or seq < a.count):
        k = a.gso if a.count == 0 else min(a.gso, a.count - seq)
        if k > 1:
            data = b"".join(payload(a.seq + seq + j, a.size, a.pattern)
                            for j in range(k))
            cmsg = [(socket.IPPROTO_UDP, UDP_SEGMENT,
                     struct.pack("=H", a.size))]
        for s in socks:
            for g in a.group:
                try:
                    if a.src:
                        s.sendto(raw_packet(a, a.seq + seq, a.src, g),
                                 (g, 0))
                    elif k > 1:
                        s.sendmsg([data], cmsg, 0, (g, a.port))
                    else:
                        s.sendto(payload(a.seq + seq, a.size, a.pattern),
                                 (g, a.port))
                    sent += k
                except OSError as e:
                    if not a.ignore_errors:
                        raise
                    errors += 1
        seq += k
        if a.count == 0:
            report()
        if a.interval:
            time.sleep(a.interval)
    report(force=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
