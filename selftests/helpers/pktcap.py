#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pktcap.py - look at the IPv4 packets to one group on the wire.

An AF_PACKET socket on --iface sees every IPv4 packet (incoming) to --group
and checks its header: the IP header checksum, TTL, DF/MF/fragment offset
and total length.  Results go to OUT (atomically, like mcrecv.py):

    ready 1
    pkts N                  packets seen
    csum_bad N              with a wrong IP header checksum
    df N                    with DF set
    frag N                  fragments (MF set or offset != 0)
    ttl TTL N
    len TOTAL_LENGTH N

IPv6 (a --group with a ":"): the same for IPv6 packets to the group
(EtherType 0x86dd): "ttl" is the hop limit, "len" 40 + the payload length,
"frag" counts packets with a fragment header, "hbh" those with a hop-by-hop
options header, "ra" those whose hop-by-hop options hold a Router Alert
(no csum_bad, df: IPv6 has no header checksum and no DF).
"""
import argparse
import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
PACKET_OUTGOING = 4


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def router_alert(opts):
    """True if IPv6 hop-by-hop options hold a Router Alert (type 5)."""
    i = 0
    while i < len(opts):
        if opts[i] == 0:            # Pad1
            i += 1
            continue
        if opts[i] == 5:
            return True
        if i + 1 >= len(opts):
            break
        i += 2 + opts[i + 1]
    return False


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--iface", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=600)
    a = p.parse_args()

    v6 = ":" in a.group
    eth = ETH_P_IPV6 if v6 else ETH_P_IP
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(eth))
    s.bind((a.iface, eth))
    s.setblocking(False)
    if v6:
        grp = socket.inet_pton(socket.AF_INET6, a.group)
        c = {"pkts": 0, "frag": 0, "hbh": 0, "ra": 0}
    else:
        grp = socket.inet_aton(a.group)
        c = {"pkts": 0, "csum_bad": 0, "df": 0, "frag": 0}
    ttls, lens = {}, {}
    state = {"dirty": True, "last": 0.0}

    def write(force=False):
        now = time.monotonic()
        if not state["dirty"] or (not force and now - state["last"] < 0.05):
            return
        lines = ["ready 1"] + [f"{k} {v}" for k, v in c.items()]
        lines += [f"ttl {k} {v}" for k, v in sorted(ttls.items())]
        lines += [f"len {k} {v}" for k, v in sorted(lens.items())]
        with open(a.out + ".tmp", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(a.out + ".tmp", a.out)
        state["dirty"] = False
        state["last"] = now

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    write(force=True)
    deadline = time.monotonic() + a.timeout
    while not stop and time.monotonic() < deadline:
        try:
            r, _, _ = select.select([s], [], [], 0.05)
        except InterruptedError:
            continue
        if not r:
            write(force=True)
            continue
        while True:
            try:
                data, addr = s.recvfrom(65536)
            except BlockingIOError:
                break
            if addr[2] == PACKET_OUTGOING or len(data) < 20:
                continue
            if v6:
                if len(data) < 40 or data[24:40] != grp:
                    continue
                c["pkts"] += 1
                nh, off = data[6], 40
                while nh in (0, 43, 60) and len(data) >= off + 8:
                    if nh == 0:
                        c["hbh"] += 1
                        if router_alert(data[off + 2:off + 8 * (data[off + 1] + 1)]):
                            c["ra"] += 1
                    nh, off = data[off], off + 8 * (data[off + 1] + 1)
                if nh == 44:
                    c["frag"] += 1
                ttls[data[7]] = ttls.get(data[7], 0) + 1
                tot = 40 + struct.unpack("!H", data[4:6])[0]
                lens[tot] = lens.get(tot, 0) + 1
                state["dirty"] = True
                continue
            ihl = (data[0] & 0x0f) * 4
            if data[16:20] != grp or len(data) < ihl:
                continue
            c["pkts"] += 1
            if csum(data[:ihl]) != 0:
                c["csum_bad"] += 1
            frag = struct.unpack("!H", data[6:8])[0]
            if frag & 0x4000:
                c["df"] += 1
            if frag & 0x2000 or frag & 0x1fff:
                c["frag"] += 1
            ttls[data[8]] = ttls.get(data[8], 0) + 1
            tot = struct.unpack("!H", data[2:4])[0]
            lens[tot] = lens.get(tot, 0) + 1
            state["dirty"] = True
        write()
    write(force=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
