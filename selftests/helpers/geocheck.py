#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""geocheck.py - exact checks of one round of the device-geometry tests.

geocheck.py rx DIR EXPECT
    EXPECT has lines "NAME IF GROUP COUNT TTL SIZE SOURCE": receiver NAME
    (mcrecv.py, counts in DIR/NAME.cnt) must have exactly COUNT packets of
    GROUP on IF; if COUNT > 0, every one intact (bad 0) with TTL TTL, from
    SOURCE, SIZE payload bytes, COUNT distinct sequence numbers and no
    duplicates (mcsend.py --pattern packet).  Any packet of a GROUP named in
    EXPECT that a receiver got on an (IF, GROUP) not listed is an error too.

geocheck.py counters BEFORE AFTER ROUTES --iif DEV --oifs "DEV..."
                     [--idle "DEV..."] [--hdrs N] --route G,S,W,B[,exact]...
    BEFORE and AFTER hold "mfwdctl -j vif show" and "mfwdctl -j stats"
    (one JSON document a line), ROUTES "mfwdctl -j route show".  Each
    route (G,S) was sent W datagrams of B IP bytes in all (fragments
    counted one by one).  Each input skb counts once: a GSO/GRO skb of k
    datagrams carries one IP+UDP header instead of k, so a route counted
    P packets must have B - 28 * (W - P) bytes (--hdrs: the IP+UDP header
    bytes instead of 28, 48 for IPv6), with 1 <= P <= W, and
    exactly W if "exact".  Its outputs must be --oifs in that order, and
    wrong_if 0.  Deltas AFTER - BEFORE: the input VIF got sum(P) packets
    and sum(bytes) (not checked with --iif -); every output sent exactly
    as many; --idle VIFs sent nothing; stats forwarded = sum(P), copies =
    sum(P) * outputs, and no RPF, TTL, MTU or memory drops.

"rx ..." and "counters ..." may be given together (one python start-up).
Prints "skbs/datagrams G:P/W ..." for the routes that counted fewer skbs
(P) than datagrams (W), then every mismatch; exits 1 if there is one.
"""
import json
import os
import sys

UDP_IP_HDRS = 28
INFO = []       # routes that counted fewer skbs than datagrams: "G:P/W"


def load_cnt(path):
    """mcrecv.py count file -> {(if, group): {key: value}}."""
    r = {}
    try:
        f = open(path)
    except FileNotFoundError:
        return r
    with f:
        for line in f:
            w = line.split()
            if len(w) < 4 or w[0] == "ready":
                continue
            e = r.setdefault((w[1], w[2]), {"ttl": {}, "src": {}})
            if w[0] in ("ttl", "src") and len(w) == 5:
                e[w[0]][w[3]] = int(w[4])
            else:
                e[w[0]] = int(w[3])
    return r


def check_rx(d, expect):
    bad, want, groups, names = [], {}, set(), set()
    with open(expect) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            name, ifn, grp = w[0], w[1], w[2]
            want[(name, ifn, grp)] = (int(w[3]), w[4], int(w[5]), w[6])
            groups.add(grp)
            names.add(name)
    cnt = {n: load_cnt(os.path.join(d, n + ".cnt")) for n in sorted(names)}
    for (name, ifn, grp), (n, ttl, size, src) in sorted(want.items()):
        e = cnt[name].get((ifn, grp), {"ttl": {}, "src": {}})
        got = []
        if e.get("count", 0) != n:
            got.append(f"count {e.get('count', 0)} (expected {n})")
        if n:
            checks = (("bad", 0), ("dup", 0), ("seqs", n),
                      ("bytes", n * size))
            for k, v in checks:
                if e.get(k, 0) != v:
                    got.append(f"{k} {e.get(k, 0)} (expected {v})")
            if e["ttl"] != {ttl: n}:
                got.append(f"ttls {e['ttl']} (expected {{{ttl}: {n}}})")
            if e["src"] != {src: n}:
                got.append(f"sources {e['src']} (expected {{{src}: {n}}})")
        if got:
            bad.append(f"{name} {ifn} {grp}: " + ", ".join(got))
    for name, c in sorted(cnt.items()):
        for (ifn, grp), e in sorted(c.items()):
            if grp in groups and (name, ifn, grp) not in want and \
                    e.get("count", 0):
                bad.append(f"{name} {ifn} {grp}: {e['count']} unexpected "
                           f"packets")
    return bad


def load_two(path):
    with open(path) as f:
        docs = [json.loads(x) for x in f if x.strip()]
    vifs = {v["dev"]: v for v in docs[0]}
    return vifs, docs[1]


def check_counters(args):
    before, after, routes_file = args[:3]
    iif, oifs, idle, specs, hdrs = None, [], [], [], UDP_IP_HDRS
    rest = args[3:]
    while rest:
        opt, val, rest = rest[0], rest[1], rest[2:]
        if opt == "--iif":
            iif = val
        elif opt == "--oifs":
            oifs = val.split()
        elif opt == "--idle":
            idle = val.split()
        elif opt == "--hdrs":
            hdrs = int(val)
        elif opt == "--route":
            specs.append(val.split(","))
        else:
            raise SystemExit(f"geocheck.py counters: unknown option {opt}")
    v0, s0 = load_two(before)
    v1, s1 = load_two(after)
    with open(routes_file) as f:
        routes = {(r["group"], r.get("source") or "*"): r
                  for r in json.load(f)}
    bad, tp, tb = [], 0, 0
    for sp in specs:
        g, s, w, b = sp[0], sp[1], int(sp[2]), int(sp[3])
        exact = "exact" in sp[4:]
        r = routes.get((g, s))
        if r is None:
            bad.append(f"route ({s},{g}) missing")
            continue
        p, nb = r["packets"], r["bytes"]
        tp, tb = tp + p, tb + nb
        where = f"route ({s},{g})"
        if p != w:
            INFO.append(f"{g}:{p}/{w}")
        if exact and p != w:
            bad.append(f"{where}: packets {p}, expected {w}")
        elif not 1 <= p <= w:
            bad.append(f"{where}: packets {p}, expected 1..{w}")
        if nb != b - hdrs * (w - p):
            bad.append(f"{where}: bytes {nb}, expected "
                       f"{b - hdrs * (w - p)} ({w} datagrams, {b} "
                       f"bytes, in {p} skbs)")
        if r.get("wrong_if", 0):
            bad.append(f"{where}: wrong_if {r['wrong_if']}")
        devs = [o["dev"] for o in r.get("oifs", [])]
        if devs != oifs:
            bad.append(f"{where}: oifs {devs}, expected {oifs}")
        if r.get("iif") != iif:
            bad.append(f"{where}: iif {r.get('iif')}, expected {iif}")

    def vd(dev, key):
        return v1.get(dev, {}).get(key, 0) - v0.get(dev, {}).get(key, 0)

    def want(what, got, exp):
        if got != exp:
            bad.append(f"{what}: {got}, expected {exp}")

    if iif != "-":
        want(f"{iif} pkts_in", vd(iif, "pkts_in"), tp)
        want(f"{iif} bytes_in", vd(iif, "bytes_in"), tb)
    for dev in oifs:
        want(f"{dev} pkts_out", vd(dev, "pkts_out"), tp)
        want(f"{dev} bytes_out", vd(dev, "bytes_out"), tb)
    for dev in idle:
        want(f"{dev} pkts_out (not an output)", vd(dev, "pkts_out"), 0)

    def sd(key):
        return s1.get(key, 0) - s0.get(key, 0)

    want("stats forwarded", sd("forwarded"), tp)
    want("stats copies", sd("copies"), tp * len(oifs))
    for k in ("drop_rpf", "drop_ttl", "drop_mtu", "drop_nomem"):
        want(f"stats {k}", sd(k), 0)
    return bad


def main():
    args, bad = sys.argv[1:], []
    if len(args) >= 3 and args[0] == "rx":
        bad += check_rx(args[1], args[2])
        args = args[3:]
    if len(args) >= 4 and args[0] == "counters":
        bad += check_counters(args[1:])
        args = []
    if args or len(sys.argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    if INFO:
        print("skbs/datagrams " + " ".join(INFO))
    if bad:
        print("\n".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
