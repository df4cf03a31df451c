#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/report.py - turn the RAW lines of bench/vm.sh into results.

usage: report.py [-o DIR] RAWLOG

Writes DIR/latest.md (tables of medians, targets),
DIR/{fwd,fwd6,prefix,periif,meters,singleif,scale,iptv,install,mem64,miss}.csv
(every measurement), DIR/fwd.png and DIR/fwd6.png (figure 1, IPv4 with both
packet sizes and IPv6, gnuplot) and prints one machine-readable
"bench ..." line per figure point on stdout. Never judges: targets are
reported, not enforced.

Every line with a ratio= has min= and max=: the ratio is the median over
rounds of the per-round ratio (the engines take turns within a round, so a
round's rates saw the same host), min and max the lowest and highest
per-round ratio.
"""
import csv
import os
import shutil
import statistics
import subprocess
import sys


def parse(path):
    rows = []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.startswith("RAW "):
                continue
            d = {}
            for tok in line.split()[1:]:
                if "=" in tok:
                    k, v = tok.split("=", 1)
                    d[k] = v
            rows.append(d)
    return rows


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def med(rows, key):
    vals = [num(r.get(key)) for r in rows]
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, nd=0):
    if v is None:
        return "NA"
    if nd == 0:
        return "%d" % round(v)
    return "%.*f" % (nd, v)


def ratio(a, b, nd=2):
    if a is None or b is None or b == 0:
        return None
    return a / b


def write_csv(path, rows, keys):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(keys)
        for r in rows:
            w.writerow([r.get(k, "") for k in keys])


def all_keys(rows, first):
    keys = list(first)
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    return keys


def plot(outdir, series, noroute, name="fwd", other="ipmr", what=""):
    """series: [(label, [(oifs, mfwd_copies, other_copies)])], one data
    block (gnuplot index) and two curves per label."""
    gp = shutil.which("gnuplot")
    series = [(lab, tab) for lab, tab in series if tab]
    if not gp or not series:
        return None
    dat = os.path.join(outdir, "%s-plot.dat" % name)
    with open(dat, "w") as f:
        for i, (lab, tab) in enumerate(series):
            if i:
                f.write("\n\n")
            f.write("# %s\n# oifs mfwd_copies_per_s %s_copies_per_s\n" % (lab, other))
            for k, m, o in tab:
                f.write("%d %s %s\n" % (k, fmt(m) if m is not None else "NaN",
                                        fmt(o) if o is not None else "NaN"))
    png = os.path.join(outdir, "%s.png" % name)
    limit = "MAXMIFS" if other == "ip6mr" else "MAXVIFS"
    term = "pngcairo size 900,560 font ',11'"
    probe = subprocess.run([gp, "-e", "set terminal pngcairo"],
                           capture_output=True, text=True)
    if probe.returncode != 0 or probe.stderr.strip():
        term = "png size 900,560"
    curves = []
    for i, (lab, _) in enumerate(series):
        # mfwd blue circles, the other engine red squares; the first size
        # solid with filled points, the next ones dashed, open points
        suffix = ", %s" % lab if len(series) > 1 else ""
        dt, pm, po = 1 + i, (7, 6, 9, 8)[i % 4], (5, 4, 13, 12)[i % 4]
        curves.append("'%s' index %d using 1:2 with linespoints lw 2 dt %d pt %d "
                      "lc rgb '#1f5fbf' title 'mfwd%s'" % (dat, i, dt, pm, suffix))
        curves.append("'%s' index %d using 1:3 with linespoints lw 2 dt %d pt %d "
                      "lc rgb '#c0392b' title '%s%s'" % (dat, i, dt, po, other, suffix))
    if noroute:
        curves.append("%s with lines dt 3 lc rgb '#777777' "
                      "title 'no route: packets received and dropped/s%s'"
                      % (fmt(noroute), ", " + series[0][0] if len(series) > 1 else ""))
    script = f"""
set terminal {term}
set output '{png}'
set title '{what}Multicast forwarding: copies delivered per second (median)'
set xlabel 'outputs per packet ({other}: 31 outputs at 32, {limit})'
set ylabel 'copies/s delivered to receivers'
set logscale x 2
set xtics (1, 2, 4, 8, 16, 32)
set xrange [0.8:40]
set yrange [0:*]
set grid
set key below
set format y '%.0s%c'
plot {", ".join(curves)}
"""
    r = subprocess.run([gp], input=script, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write("report: gnuplot failed: %s\n" % r.stderr)
        return None
    return png


def round_ratios(m, ip, key="copies_pps"):
    """mfwd / other of each round: both engines measured in the same turns.
    key: a field name or a function of a row."""
    get = key if callable(key) else (lambda r: num(r.get(key)))
    other = {r.get("round"): get(r) for r in ip}
    out = []
    for r in m:
        a, b = get(r), other.get(r.get("round"))
        if a is not None and b:
            out.append(a / b)
    return out


def rstats(v):
    """(median, min, max) of per-round ratios, None when there are none"""
    if not v:
        return None, None, None
    return statistics.median(v), min(v), max(v)


def rkeys(v, pre=""):
    """'ratio=.. min=.. max=..' (pre 'del_': del_ratio, del_min, del_max)"""
    md_, lo, hi = rstats(v)
    return "%sratio=%s %smin=%s %smax=%s" % (pre, fmt(md_, 2), pre, fmt(lo, 2),
                                            pre, fmt(hi, 2))


def rcell(v):
    """table cell: median (min-max)"""
    md_, lo, hi = rstats(v)
    if md_ is None:
        return "NA"
    return "%s (%s-%s)" % (fmt(md_, 2), fmt(lo, 2), fmt(hi, 2))


def busy_note(rows):
    """How busy the guest's CPU 0 (all the forwarding work) and all its CPUs
    were during the turns of rows with cpu_ms= (a sentence, or "")."""
    c0, ca = [], []
    for r in rows:
        t, a, z = num(r.get("secs")), num(r.get("cpu_ms")), num(r.get("cpu0_ms"))
        if t and a is not None and z is not None:
            c0.append(z / (t * 1000))
            ca.append(a / (t * 1000))
    if not c0:
        return ""
    return (" During the turns the guest counted CPU 0 (pktgen, router and "
            "receivers) busy %.0f%% of the wall time and all its CPUs together "
            "%.0f%% of one CPU (medians). It counts busy time in timer ticks, "
            "and the ticks that fall while the host has the VM descheduled are "
            "lost (no steal time under TCG), so ns/pkt moves less with host "
            "load than pps, though it still moves (bench/README.md)."
            % (100 * statistics.median(c0), 100 * statistics.median(ca)))


def fig_lookup(rows, fig, params, outdir, md, lines, title, what):
    """A flow along routes of a kind ('prefix', 'periif') next to the same
    flow on an exact route and on ipmr, in the same turns."""
    if not rows:
        return
    write_csv(os.path.join(outdir, fig + ".csv"), rows,
              all_keys(rows, ["fig", "engine", "oifs", "round"]))
    eng = {e: [r for r in rows if r["engine"] == e] for e in ("exact", fig, "ipmr")}
    ex, pr, ip = (med(eng[e], "copies_pps") for e in ("exact", fig, "ipmr"))
    vs_ex = round_ratios(eng[fig], eng["exact"])
    vs_ip = round_ratios(eng[fig], eng["ipmr"])
    md.append(title)
    md.append(what + " The two run on two routers (m-, with every output "
              "device of the fwd figure, and n-, with one), so part of their "
              "ratio is the routers' own bias, as in the scale figure. Ratios "
              "are medians of per-round ratios, with their min and max.\n")
    md.append("| exact pps | %s pps | ipmr pps | %s / exact (min-max) | %s / ipmr (min-max) |"
              % (fig, fig, fig))
    md.append("|---:|---:|---:|---:|---:|")
    spread = lambda v: "%s (%s-%s)" % (fmt(statistics.median(v), 2), fmt(min(v), 2),
                                       fmt(max(v), 2)) if v else "NA"
    md.append("| %s | %s | %s | %s | %s |" % (fmt(ex), fmt(pr), fmt(ip), spread(vs_ex), spread(vs_ip)))
    md.append("")
    mm = lambda v, f: fmt(f(v), 2) if v else "NA"
    lines.append("bench %s %s oifs=1 exact_pps=%s %s_pps=%s ipmr_pps=%s "
                 "%s_vs_exact=%s %s_vs_exact_min=%s %s_vs_exact_max=%s "
                 "ratio=%s min=%s max=%s"
                 % (fig, params, fmt(ex), fig, fmt(pr), fmt(ip),
                    fig, mm(vs_ex, statistics.median), fig, mm(vs_ex, min),
                    fig, mm(vs_ex, max),
                    mm(vs_ip, statistics.median), mm(vs_ip, min), mm(vs_ip, max)))


def size_name(sz, short=False):
    """fwd sizes: 64 is the 64-byte frame, any other size a UDP payload"""
    if sz == 64:
        return "64-byte frames" if short else "64-byte frames (22-byte UDP payload)"
    if short:
        return "%d-byte UDP payload" % sz
    return "%d-byte UDP payload (%d-byte IP packets, %d-byte frames)" % (sz, sz + 28, sz + 42)


def fig_fwd(fwd, fig, other, outdir, md, lines, targets, info=None):
    """Figure 1: fig "fwd" (IPv4, mfwd against ipmr, one table per packet
    size) or "fwd6" (IPv6, against ip6mr). ratio: median over rounds of the
    per-round ratio; min, max: the lowest and highest per-round ratio (the
    engines take turns within a round, so a round's two rates saw the same
    host)."""
    if not fwd:
        return
    v6 = fig == "fwd6"
    keys = all_keys(fwd, ["fig", "engine", "oifs", "real_oifs", "size", "round"])
    write_csv(os.path.join(outdir, "%s.csv" % fig), fwd, keys)
    noroute = med([r for r in fwd if r.get("engine") == "none"], "in_pps")
    # rows from before the sizes (no size=) are 64-byte frames
    size_of = (lambda r: None) if v6 else (lambda r: int(num(r.get("size")) or 64))
    sizes = sorted({size_of(r) for r in fwd if r.get("engine") != "none"},
                   key=lambda z: (z != 64, z or 0))
    nrounds = len({r.get("round") for r in fwd})
    if v6:
        md.append("## 1b. IPv6 forwarding rate (one (S,G), UDP, mfwd against ip6mr)\n")
        md.append("The same turns, rounds and counters as figure 1, with the "
                  "IPv6 (S,G) (%s, %s) in %s-byte frames (the IPv4 figure's "
                  "22-byte UDP payload); ip6mr is driven by `ipmr-ctl serve6` "
                  "(MRT6_INIT, MRT6_ADD_MIF, MRT6_ADD_MFC), mfwd's routes were "
                  "installed with %s.\n"
                  % (info.get("source", "?"), info.get("group", "?"),
                     info.get("pkt_size", "?"), info.get("mfwd_route_tool", "?")))
    else:
        md.append("## 1. Forwarding rate (one (S,G), UDP: %s)\n"
                  % " and ".join(size_name(z, True) for z in sizes))
    md.append("No route at all (router receives and drops%s): **%s packets/s**.\n"
              % ("" if v6 else ", 64-byte frames", fmt(noroute)))
    series = []
    for sz in sizes:
        at = [r for r in fwd if r.get("engine") != "none" and size_of(r) == sz]
        oifs = sorted({int(r["oifs"]) for r in at})
        if sz is not None:
            md.append("### %s\n" % size_name(sz))
        md.append("| outputs | mfwd offered pps | mfwd copies/s | %s offered pps | %s copies/s "
                  "| ratio (copies), min-max (%d round%s) |"
                  % (other, other, nrounds, "" if nrounds == 1 else "s"))
        md.append("|---:|---:|---:|---:|---:|---:|")
        tab = []
        for k in oifs:
            m = [r for r in at if r.get("engine") == "mfwd" and int(r["oifs"]) == k]
            ip = [r for r in at if r.get("engine") == other and int(r["oifs"]) == k]
            mc, ic = med(m, "copies_pps"), med(ip, "copies_pps")
            real_i = max((int(r.get("real_oifs", k)) for r in ip), default=k)
            rr = round_ratios(m, ip)
            rt, lo, hi = rstats(rr)
            spread = "%s-%s" % (fmt(lo, 2), fmt(hi, 2)) if rr else "NA"
            tab.append((k, mc, ic))
            note = "" if real_i == k else " (%s: %d)" % (other, real_i)
            md.append("| %d%s | %s | %s | %s | %s | %s |" % (
                k, note, fmt(med(m, "offered_pps")), fmt(mc),
                fmt(med(ip, "offered_pps")), fmt(ic), rcell(rr)))
            extra = "" if real_i == k else " %s_oifs=%d" % (other, real_i)
            szk = "" if sz is None else " size=%d" % sz
            lines.append("bench %s oifs=%d%s mfwd_pps=%s %s_pps=%s %s spread=%s rounds=%d%s"
                         % (fig, k, szk, fmt(mc), other, fmt(ic), rkeys(rr), spread,
                            len(rr), extra))
            if targets is None or sz != 64:
                continue
            if k == 1:
                targets.append(("fwd: mfwd not below ipmr at 1 output", rt, rt is not None and rt >= 1.0))
            if k in (16, 32):
                targets.append(("fwd: mfwd >= 1.5x ipmr at %d outputs" % k, rt,
                                rt is not None and rt >= 1.5))
        md.append("")
        series.append((size_name(sz, True) if sz is not None else "", tab))
    md.append("ratio: median over rounds of the ratio of one round (both "
              "engines take turns within a round), with the lowest and "
              "highest such ratio; the rates are medians over rounds.")
    if v6:
        md.append("ip6mr has MAXMIFS = 32 MIFs including the input, so it "
                  "cannot forward to 32 outputs: its figure at 32 is for 31. "
                  "ip6mr upcalls during the figure: %s.\n"
                  % info.get("ip6mr_upcalls", "?").replace("ok,", "").replace(",", " "))
    else:
        md.append("ipmr has MAXVIFS = 32 VIFs including the input, so it "
                  "cannot forward to 32 outputs: its figure at 32 is for 31. "
                  "A size of 64 is pktgen's 64-byte frame (14 Ethernet + 20 IP "
                  "+ 8 UDP + 22 payload bytes); the other sizes are UDP "
                  "payloads (1316: 7 MPEG-TS cells of 188 bytes + a 12-byte "
                  "RTP header).\n")
    png = plot(outdir, series, noroute, fig, other, "IPv6 " if v6 else "")
    if png:
        md.append("![copies/s against outputs](%s)\n" % os.path.basename(png))


def fig_iptv(rows, outdir, md, lines):
    """IPTV: N channels round-robin, each to 4 of 8 outputs; copies/s and
    Gbit/s of IP packets delivered."""
    if not rows:
        return
    write_csv(os.path.join(outdir, "iptv.csv"), rows,
              all_keys(rows, ["fig", "engine", "channels", "oifs", "size", "round"]))
    r0 = rows[0]
    ch, oifs, outs = r0.get("channels", "NA"), r0.get("oifs", "NA"), r0.get("outputs", "NA")
    size = int(num(r0.get("size")) or 1316)
    ipb = int(num(r0.get("ip_bytes")) or size + 28)
    m = [r for r in rows if r.get("engine") == "mfwd"]
    ip = [r for r in rows if r.get("engine") == "ipmr"]
    mc, ic = med(m, "copies_pps"), med(ip, "copies_pps")
    gbps = lambda c: None if c is None else c * ipb * 8 / 1e9
    rr = round_ratios(m, ip)
    md.append("## IPTV (%s channels, %d-byte UDP payload, %s of %s outputs each)\n"
              % (ch, size, oifs, outs))
    md.append("%s (S,G) routes, one source, groups 232.10.0.1 and up; channel "
              "c goes to outputs o(c mod 8 + 1) and the 3 next ones (mod 8), so every "
              "output carries about half the channels. pktgen sends %d-byte UDP "
              "payloads (%d-byte IP packets) to the channels in turn (one "
              "packet per channel, round-robin); mfwd's routes come from "
              "`mfwdctl -b`, ipmr's from `ipmr-ctl load` (the same file). "
              "copies/s: packets the receivers got (%s per packet forwarded); "
              "Gbit/s: copies/s x %d-byte IP packets x 8 (IP header and "
              "payload; no Ethernet header, preamble or FCS). Same turns and "
              "rounds as figure 1.\n" % (ch, size, ipb, oifs, ipb))
    md.append("| engine | offered pps | packets in/s | copies/s | Gbit/s |")
    md.append("|---|---:|---:|---:|---:|")
    for name, sel, c in (("mfwd", m, mc), ("ipmr", ip, ic)):
        md.append("| %s | %s | %s | %s | %s |" % (name, fmt(med(sel, "offered_pps")),
                                                 fmt(med(sel, "in_pps")), fmt(c), fmt(gbps(c), 3)))
    md.append("\nmfwd / ipmr (copies), median of the per-round ratios (min-max): "
              "**%s**.\n" % rcell(rr))
    md_, lo, hi = rstats(rr)
    lines.append("bench iptv channels=%s oifs=%s size=%d mfwd_pps=%s ipmr_pps=%s ratio=%s "
                 "mfwd_gbps=%s ipmr_gbps=%s min=%s max=%s"
                 % (ch, oifs, size, fmt(mc), fmt(ic), fmt(md_, 2), fmt(gbps(mc), 3),
                    fmt(gbps(ic), 3), fmt(lo, 2), fmt(hi, 2)))


def main(argv):
    outdir = "bench/results"
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "-o" and i + 1 < len(argv):
            outdir = argv[i + 1]
            i += 2
            continue
        args.append(argv[i])
        i += 1
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    rows = parse(args[0])
    os.makedirs(outdir, exist_ok=True)
    by = lambda fig: [r for r in rows if r.get("fig") == fig]
    envs = by("env")
    # the first VM's; the 64-vCPU VM of mem64 tags its own vm=mem64
    env = ([e for e in envs if e.get("vm", "main") != "mem64"] or envs or [{}])[0]
    env64 = ([e for e in envs if e.get("vm") == "mem64"] or [{}])[0]
    host = (by("host") or [{}])[0]
    lines = []          # stdout lines
    md = []
    targets = []

    md.append("# mfwd vs ipmr benchmark\n")
    md.append("Run `%s` (UTC), kernel %s in a qemu TCG VM (%s vCPUs, %s kB), "
              "git %s, %s mode; %s rounds of %s s per rate, medians shown.\n"
              % (host.get("stamp", "?"), env.get("kernel", "?"), env.get("cpus", "?"),
                 env.get("mem_kb", "?"), host.get("git", "?"),
                 "quick" if host.get("quick") == "1" else "full",
                 env.get("rounds", "?"), env.get("dur", "?")))
    md.append("Host: %s CPUs, load average %s before and %s after the run, "
              "%s other qemu VMs running when it started; wall time %s s; "
              "TCG threading: %s; mfwdctl built from the %s. "
              "Under TCG every number is far below real hardware and noisy "
              "with other VMs on the host: compare the engines within a run, "
              "not runs with each other.\n"
              % (host.get("host_cpus", "?"), host.get("load_before", "?").replace(",", " "),
                 host.get("load_after", "?").replace(",", " "), host.get("other_vms", "?"),
                 host.get("wall_s", "?"), host.get("tcg", "?"),
                 {"HEAD": "last commit (the working tree did not build)"}.get(
                     host.get("mfwdctl_from", ""), "working tree")))
    if env64:
        md.append("Memory at %s possible CPUs: a second VM booted with %s vCPUs "
                  "(%s online, %s kB), running only that install; %s s for that VM.\n"
                  % (env64.get("possible_cpus", "?"), env64.get("cpus", "?"),
                     env64.get("online_cpus", "?"), env64.get("mem_kb", "?"),
                     host.get("mem64_vm_s", "?")))
    times = [r for r in by("time") if r.get("figure") != "all"]
    if times:
        md.append("Time per figure (s, inside the VMs): %s.\n" % ", ".join(
            "%s %s" % (r.get("figure"), r.get("secs")) for r in times))
    md.append("Topology: source netns -> veth -> router netns -> veth -> one "
              "netns per receiver; pktgen (kpktgend_0, CPU 0) sends UDP "
              "(64-byte frames, or the sizes a figure names); "
              "router and receivers run in softirq on CPU 0, control on CPU 1. "
              "Copies are counted as the receivers' veth rx packets (dropped "
              "there by a tc matchall rule).\n")

    # ---- figure 1, IPv4 and IPv6
    fig_fwd(by("fwd"), "fwd", "ipmr", outdir, md, lines, targets)
    fig_fwd(by("fwd6"), "fwd6", "ip6mr", outdir, md, lines, None,
            (by("fwd6info") or [{}])[0])

    # ---- prefix routes, per-input routes
    fig_lookup(by("prefix"), "prefix", "lengths=3", outdir, md, lines,
               "## Prefix routes (hot flow to 1 output)\n",
               "'prefix': the flow's route is (*, 232.0.0.0/8) while 3 pairs "
               "of prefix lengths are in use, so its lookup makes 4 hash "
               "probes (the exact (S,G), then each pair, most specific "
               "first); 'exact': the same flow on an exact (S,G) route, 1 "
               "probe, as with no prefix route at all.")
    fig_lookup(by("periif"), "periif", "routes=2", outdir, md, lines,
               "## Per-input routes (hot flow to 1 output)\n",
               "'periif': the flow's route is a per-input (S,G) route of its "
               "input, next to a per-input route of the same (S,G) for "
               "another input, so its lookup makes 1 hash probe keyed by "
               "(input, S, G); 'exact': the same flow on an exact (S,G) "
               "route that is not per-input, 1 probe.")
    fig_lookup(by("meters"), "meters", "meters=%s" % ((by("meters") or [{}])[0].get("meters", "NA")),
               outdir, md, lines,
               "## Meters (hot flow to 1 output)\n",
               "'meters': the same flow with 10,000 meters installed (16 on "
               "its route, one on each of 9,984 other routes); meters are "
               "read every 100 ms by a work item, never per packet; "
               "'exact': no meter.")
    fig_lookup(by("singleif"), "singleif", "dup_window_ms=2000", outdir, md, lines,
               "## Single-interface VIF (hot flow to 1 output)\n",
               "'singleif': the flow arrives on a single-interface VIF, "
               "whose duplicate filter hashes every packet (payload and header); "
               "'exact': the same flow on an ordinary VIF.")

    # ---- figure 2
    sc = by("scale")
    if sc:
        keys = all_keys(sc, ["fig", "engine", "routes", "round"])
        write_csv(os.path.join(outdir, "scale.csv"), sc, keys)
        md.append("## 2. Table scale (hot (S,G) to 1 output, N other routes)\n")
        md.append("'mfwd, 1 route' is a second mfwd router that has only the "
                  "hot route, measured in the same turns: 'mfwd N / 1' is the "
                  "median over rounds of the two rates' ratio, the figure the "
                  "scale target is about. Compare it with its value at 1 "
                  "route, which should be 1.00: what it is instead is the "
                  "measurement's own bias between the two routers (and its "
                  "noise). `bench/run -p scale` profiles the fast path at 1 "
                  "and at 100,000 routes for the CPU-cost view. Ratios are "
                  "medians of per-round ratios (min-max).\n")
        md.append("ns/pkt is the CPU time of the whole guest (system + softirq "
                  "+ irq, all CPUs, from /proc/stat) during an engine's turns, "
                  "divided by the packets it forwarded in them (the copies of "
                  "the pps column: 1 output). It includes the sender's "
                  "(pktgen) and the receivers' work and that of bench/vm.sh on CPU "
                  "1, which are the same for every engine; 'ns N / 1' is mfwd's "
                  "ns/pkt over that of the 1-route router, 'ipmr / mfwd ns' "
                  "ipmr's over mfwd's, medians of per-round ratios "
                  "(min-max).%s\n" % busy_note(sc))
        md.append("| other routes | mfwd pps | mfwd, 1 route, pps | mfwd N / 1 | ipmr pps "
                  "| mfwd / ipmr | mfwd ns/pkt | mfwd, 1 route, ns/pkt | mfwd ns N / 1 "
                  "| ipmr ns/pkt | ipmr / mfwd ns |")
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        ns = "cpu_ns_per_pkt"
        for n in sorted({int(r["routes"]) for r in sc}):
            at = [r for r in sc if int(r["routes"]) == n]
            m = [r for r in at if r["engine"] == "mfwd"]
            b = [r for r in at if r["engine"] == "mfwd1"]
            ip = [r for r in at if r["engine"] == "ipmr"]
            mc, bc, ic = med(m, "copies_pps"), med(b, "copies_pps"), med(ip, "copies_pps")
            mn, bn, inn = med(m, ns), med(b, ns), med(ip, ns)
            rels = round_ratios(m, b)
            rr = round_ratios(m, ip)
            nrels = round_ratios(m, b, ns)     # mfwd ns at N / at 1 route
            nrr = round_ratios(ip, m, ns)      # ipmr ns / mfwd ns
            rel, rlo, rhi = rstats(rels)
            nrel, nrlo, nrhi = rstats(nrels)
            md.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                      % (n, fmt(mc), fmt(bc), rcell(rels), fmt(ic), rcell(rr),
                         fmt(mn), fmt(bn), rcell(nrels), fmt(inn), rcell(nrr)))
            lines.append("bench scale routes=%d mfwd_pps=%s ipmr_pps=%s %s mfwd_vs_1route=%s "
                         "mfwd_vs_1route_min=%s mfwd_vs_1route_max=%s "
                         "mfwd_ns_per_pkt=%s ipmr_ns_per_pkt=%s %s "
                         "mfwd_ns_vs_1route=%s mfwd_ns_vs_1route_min=%s mfwd_ns_vs_1route_max=%s"
                         % (n, fmt(mc), fmt(ic), rkeys(rr), fmt(rel, 2), fmt(rlo, 2), fmt(rhi, 2),
                            fmt(mn), fmt(inn), rkeys(nrr, "ns_"),
                            fmt(nrel, 2), fmt(nrlo, 2), fmt(nrhi, 2)))
            if n == 100000:
                targets.append(("scale: mfwd at 100k routes within 10% of 1 route", rel,
                                rel is not None and rel >= 0.9))
        md.append("\nipmr is not run with 1,000,000 routes.\n")

    # ---- IPTV
    fig_iptv(by("iptv"), outdir, md, lines)

    # ---- figures 3 and 4
    ins = by("install")
    m64 = by("mem64")
    if m64:
        write_csv(os.path.join(outdir, "mem64.csv"), m64,
                  all_keys(m64, ["fig", "engine", "routes", "round", "possible_cpus"]))

    def per_route(r, parts, n):
        """bytes per route of the parts (slab, percpu, vmallocused) of one row"""
        try:
            d = sum(float(r["after_%s_kb" % p]) - float(r["before_%s_kb" % p]) for p in parts)
        except (KeyError, ValueError):
            return None
        return d * 1024 / n if n else None

    def per_route_med(rows, parts, n):
        vals = [per_route(r, parts, n) for r in rows]
        vals = [v for v in vals if v is not None]
        return statistics.median(vals) if vals else None

    if ins:
        keys = all_keys(ins, ["fig", "engine", "routes", "round"])
        write_csv(os.path.join(outdir, "install.csv"), ins, keys)
        m = [r for r in ins if r["engine"] == "mfwd"]
        ip = [r for r in ins if r["engine"] == "ipmr"]
        n = int(ins[0].get("routes", 0))
        ma, ia = med(m, "add_rps"), med(ip, "add_rps")
        mdl, idl = med(m, "del_rps"), med(ip, "del_rps")
        ra, rd = round_ratios(m, ip, "add_rps"), round_ratios(m, ip, "del_rps")
        md.append("## 3. Route install (%d (S,G) routes, 1 output each)\n" % n)
        md.append("mfwd: `mfwdctl -b FILE` (generic netlink, batched); ipmr: "
                  "`ipmr-ctl load FILE`, one setsockopt(MRT_ADD_MFC / MRT_DEL_MFC) "
                  "per route. Both read and parse the same text file; wall "
                  "time of the whole command. The engines alternate within a "
                  "round; ratio: median of the per-round ratios (min-max).\n")
        md.append("| | mfwd routes/s | ipmr routes/s | ratio (min-max) |")
        md.append("|---|---:|---:|---:|")
        md.append("| add | %s | %s | %s |" % (fmt(ma), fmt(ia), rcell(ra)))
        md.append("| delete | %s | %s | %s |" % (fmt(mdl), fmt(idl), rcell(rd)))
        lines.append("bench install routes=%d mfwd_rps=%s ipmr_rps=%s %s "
                     "mfwd_del_rps=%s ipmr_del_rps=%s %s"
                     % (n, fmt(ma), fmt(ia), rkeys(ra), fmt(mdl), fmt(idl), rkeys(rd, "del_")))
        rt = rstats(ra)[0]
        targets.append(("install: mfwd >= 5x ipmr (add)", rt, rt is not None and rt >= 5))

    if ins or m64:
        # objects: Slab + Percpu. Both engines keep routes in an rhashtable
        # (8 B per bucket, same growth), whose bucket array kvmalloc() puts
        # in vmalloc or, when a large kmalloc succeeds, in pages counted
        # nowhere: so it is left out of the comparison and shown apart.
        obj = ("slab", "percpu")
        groups = []     # (possible CPUs, rows): the first VM's, then mem64's
        for rows_ in (ins, m64):
            envx = env64 if rows_ is m64 else env
            byc = {}
            for r in rows_:
                c = r.get("possible_cpus") or envx.get("possible_cpus") or envx.get("cpus", "NA")
                byc.setdefault(c, []).append(r)
            groups.extend(sorted(byc.items(), key=lambda kv: num(kv[0]) or 0))
        n = int((ins or m64)[0].get("routes", 0))
        where = []
        if ins:
            where.append("in the benchmark VM (%s possible CPUs)"
                         % env.get("possible_cpus", env.get("cpus", "?")))
        if m64:
            r64 = len({r.get("round") for r in m64})
            where.append("in a VM of its own booted with %s vCPUs (figure mem64: %s "
                         "possible CPUs), which does nothing but this install "
                         "(%d round%s, the engines alternating; the routes of the "
                         "last round stay, so no frees run while the second "
                         "engine is measured)"
                         % (env64.get("cpus", "?"), env64.get("possible_cpus", "?"),
                            r64, "" if r64 == 1 else "s"))
        where = (", so it is measured " + " and ".join(where) + ".") if where else "."
        md.append("\n## 4. Memory per route (%d routes)\n" % n)
        md.append("Kernel memory for the routes from /proc/meminfo before and "
                  "2 s after the install, divided by the number of routes. "
                  "The comparison uses Slab + Percpu (the route objects). Both "
                  "engines keep routes in an rhashtable with the same 8-byte "
                  "buckets and growth rule; kvmalloc() puts that bucket array "
                  "in vmalloc, or in plain pages (a large kmalloc) that no "
                  "counter shows, so it is shown apart, not compared. 'all "
                  "kernel memory' is the drop of MemFree not explained by page "
                  "cache or user memory: it sees everything, but also frees "
                  "still running from earlier steps, so it is noisy. Per-CPU "
                  "memory is allocated for every possible CPU%s "
                  "ratio: median of the per-round ratios (min-max; one round: "
                  "all three equal).\n" % where)
        if ins:
            m = [r for r in ins if r["engine"] == "mfwd"]
            ip = [r for r in ins if r["engine"] == "ipmr"]
            mb, ib = per_route_med(m, obj, n), per_route_med(ip, obj, n)
            msb, isb = med(m, "bytes_per_route"), med(ip, "bytes_per_route")
            mvb, ivb = per_route_med(m, ("vmallocused",), n), per_route_med(ip, ("vmallocused",), n)
            mtb, itb = med(m, "total_bytes_per_route"), med(ip, "total_bytes_per_route")
            md.append("In the benchmark VM:\n")
            md.append("| bytes per route | mfwd | ipmr | ratio |")
            md.append("|---|---:|---:|---:|")
            md.append("| **route objects (Slab + Percpu)** | %s | %s | %s |" % (
                fmt(mb), fmt(ib), rcell(round_ratios(m, ip, lambda r: per_route(r, obj, n)))))
            md.append("| hash buckets seen in VmallocUsed | %s | %s | |" % (fmt(mvb), fmt(ivb)))
            md.append("| Slab + Percpu + VmallocUsed | %s | %s | %s |" % (fmt(msb), fmt(isb), fmt(ratio(msb, isb), 2)))
            md.append("| all kernel memory (MemFree, noisy) | %s | %s | %s |" % (fmt(mtb), fmt(itb), fmt(ratio(mtb, itb), 2)))
            for part in ("slab", "percpu"):
                md.append("| of which %s | %s | %s | |" % (part, fmt(per_route_med(m, (part,), n)),
                                                        fmt(per_route_med(ip, (part,), n))))
            md.append("")
        md.append("By possible CPUs (route objects, Slab + Percpu, bytes per route):\n")
        md.append("| possible CPUs | mfwd | of which percpu | ipmr | of which percpu | mfwd / ipmr (min-max) |")
        md.append("|---:|---:|---:|---:|---:|---:|")
        for c, rows_ in groups:
            m = [r for r in rows_ if r["engine"] == "mfwd"]
            ip = [r for r in rows_ if r["engine"] == "ipmr"]
            nn = int(rows_[0].get("routes", n) or n)
            mb, ib = per_route_med(m, obj, nn), per_route_med(ip, obj, nn)
            rr = round_ratios(m, ip, lambda r, nn=nn: per_route(r, obj, nn))
            md.append("| %s | %s | %s | %s | %s | %s |" % (
                c, fmt(mb), fmt(per_route_med(m, ("percpu",), nn)), fmt(ib),
                fmt(per_route_med(ip, ("percpu",), nn)), rcell(rr)))
            mvb = per_route_med(m, ("vmallocused",), nn)
            ivb = per_route_med(ip, ("vmallocused",), nn)
            lines.append("bench memory routes=%d possible_cpus=%s mfwd_bytes=%s ipmr_bytes=%s "
                         "%s mfwd_vmalloc_bytes=%s ipmr_vmalloc_bytes=%s rounds=%d"
                         % (nn, c, fmt(mb), fmt(ib), rkeys(rr), fmt(mvb), fmt(ivb), len(rr)))
            rt = rstats(rr)[0]
            targets.append(("memory: mfwd below ipmr per route (%s possible CPUs)" % c, rt,
                            rt is not None and rt < 1))
        md.append("")

    # ---- figure 5
    ms = by("miss")
    if ms:
        keys = all_keys(ms, ["fig", "engine", "variant", "round"])
        write_csv(os.path.join(outdir, "miss.csv"), ms, keys)
        md.append("## 5. Miss path (flood of distinct (S,G), no routes)\n")
        md.append("mfwd: NOCACHE events counted as lines of `mfwdctl monitor "
                  "nocache`; dropped = its drop_queue_full counter. ipmr: "
                  "IGMPMSG_NOCACHE upcalls read by ipmr-ctl; ipmr counts no "
                  "drops, so dropped = packets received - upcalls. mfwd's "
                  "queue holds 64 (S,G) for 10 s by default: after the first "
                  "64 events the flood is dropped at once and no event comes "
                  "until entries expire. ipmr has no bound on unresolved "
                  "entries in this kernel: every new (S,G) is queued (10 s) "
                  "and upcalled, and the queue is a list searched for every "
                  "packet, so the rate it can take in collapses. 'wide' is "
                  "mfwd with unres-max 65536, unres-timeout 200 ms.\n")
        md.append("| engine | queue | offered pps | events/s | dropped pkts/s | events lost in kernel |")
        md.append("|---|---|---:|---:|---:|---:|")
        res = {}
        for eng, var in (("mfwd", "default"), ("ipmr", "default"), ("mfwd", "wide")):
            sel = [r for r in ms if r["engine"] == eng and r["variant"] == var]
            if not sel:
                continue
            res[(eng, var)] = sel
            md.append("| %s | %s | %s | %s | %s | %s |" % (
                eng, var, fmt(med(sel, "offered_pps")), fmt(med(sel, "events_per_s"), 1),
                fmt(med(sel, "dropped_per_s")),
                fmt(med(sel, "kernel_events_dropped")) if eng == "mfwd" else "-"))
        md_ = res.get(("mfwd", "default"), [])
        ip_ = res.get(("ipmr", "default"), [])
        wd = res.get(("mfwd", "wide"), [])
        lines.append("bench miss events_per_s=%s dropped=%s ipmr_events_per_s=%s ipmr_dropped=%s wide_events_per_s=%s wide_dropped=%s"
                     % (fmt(med(md_, "events_per_s"), 1), fmt(med(md_, "dropped")),
                        fmt(med(ip_, "events_per_s"), 1), fmt(med(ip_, "dropped")),
                        fmt(med(wd, "events_per_s"), 1), fmt(med(wd, "dropped"))))
        md.append("")

    if targets:
        md.append("## Targets (reported, not enforced)\n")
        md.append("| target | value | met |")
        md.append("|---|---:|---|")
        for name, v, ok in targets:
            md.append("| %s | %s | %s |" % (name, fmt(v, 2), "yes" if ok else "**no**"))
        md.append("")
    md.append("## Machine-readable lines\n")
    md.append("```")
    md.extend(lines)
    md.append("```")
    with open(os.path.join(outdir, "latest.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    for l in lines:
        print(l)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
