#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# 10,000 routes (half (S,G), half (*,G), 1-2 outputs, some with a route TTL)
# installed with one "mfwdctl -b" batch: config show counts them, the dump
# holds exactly them; 20 routes picked at random forward to exactly their
# outputs; flush removes them all.  IPv4, then IPv6 (groups ff0e::14:X
# in place of 239.20.X.Y).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
NR=10000 NS=20 PKTS=3 S=$(fam 10.0.0.2 "$TOPO_SRC6")
SEED=${SEED:-$RANDOM}
log "seed $SEED (SEED=$SEED to repeat)"

topo_init 3
topo_mfwd

# Route i: group 239.20.(i/256).(i%256) (IPv6: ff0e::14:i, in hex); (S,G)
# if i even, else (*,G);
# output r(1+i%3), plus r(1+(i+1)%3) if i%4 == 0; TTL 3 if i%5 == 0.
cat >"$TOPO_DIR/gen.py" <<'PY'
import json, random, sys
nr, ns, seed, out, s = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
routes = []
with open(out + "/batch", "w") as f:
    for i in range(nr):
        g = "ff0e::14:%x" % i if ":" in s else "239.20.%d.%d" % (i // 256, i % 256)
        src = s if i % 2 == 0 else "*"
        oifs = ["r%d" % (1 + i % 3)]
        if i % 4 == 0:
            oifs.append("r%d" % (1 + (i + 1) % 3))
        ttl = 3 if i % 5 == 0 else 1
        line = "route add group " + g
        if src != "*":
            line += " source " + src
        line += " iif r0" + "".join(" oif %s/%d" % (o, ttl) if ttl != 1 else " oif " + o for o in oifs)
        f.write(line + "\n")
        routes.append({"group": g, "source": src, "iif": "r0",
                       "oifs": [{"dev": o, "ttl": ttl} for o in oifs]})
json.dump(routes, open(out + "/expected.json", "w"))
sample = random.Random(seed).sample(range(nr), ns)
json.dump([routes[i] for i in sample], open(out + "/sample.json", "w"))
print(" ".join(routes[i]["group"] for i in sample))
PY
read -r -a GROUPS_SAMPLE < <(python3 "$TOPO_DIR/gen.py" $NR $NS "$SEED" "$TOPO_DIR" "$S")
check_eq "$(wc -l <"$TOPO_DIR/batch")" $NR "batch lines"

t0=$(date +%s%N)
mf -b "$TOPO_DIR/batch"
log "$NR routes installed in $((($(date +%s%N) - t0) / 1000000)) ms"
check_eq "$(config_field route_count)" $NR "config route-count"

"$MFWDCTL" -j route show >"$TOPO_DIR/dump.json"
out=$(python3 - "$TOPO_DIR" <<'PY'
import json, sys
d = sys.argv[1]
want = json.load(open(d + "/expected.json"))
got = json.load(open(d + "/dump.json"))
key = lambda r: (r["group"], r["source"])
strip = lambda r: {k: r[k] for k in ("group", "source", "iif", "oifs")}
w = {key(r): r for r in want}
g = {key(r): strip(r) for r in got}
if len(got) != len(g):
    print("duplicate routes in the dump")
missing = sorted(set(w) - set(g))[:5]
extra = sorted(set(g) - set(w))[:5]
diff = [k for k in w if k in g and w[k] != g[k]][:5]
if missing: print("missing:", missing)
if extra: print("unexpected:", extra)
for k in diff: print("differs:", w[k], "got", g[k])
if any(r["packets"] or r["bytes"] or r["wrong_if"] for r in got):
    print("counters not 0 before traffic")
PY
)
[[ -z $out ]] || fail "route dump does not match the batch:"$'\n'"$out"
log "dump: $NR routes as installed"

rx_start_all "${GROUPS_SAMPLE[@]}"
args=()
for g in "${GROUPS_SAMPLE[@]}"; do args+=(--group "$g"); done
send -- "${args[@]}" --count $PKTS --iface-addr "$S"
topo_sync

"$MFWDCTL" -j route show >"$TOPO_DIR/dump2.json"
out=$(python3 - "$TOPO_DIR" $PKTS <<'PY'
import json, sys
d, pkts = sys.argv[1], int(sys.argv[2])
sample = json.load(open(d + "/sample.json"))
counts = {}
for k in (1, 2, 3):
    for line in open(d + "/rx%d.cnt" % k):
        f = line.split()
        if f[0] == "count":
            counts[("r%d" % k, f[2])] = int(f[3])
bad = []
for r in sample:
    outs = {o["dev"] for o in r["oifs"]}
    for k in (1, 2, 3):
        want = pkts if "r%d" % k in outs else 0
        got = counts.get(("r%d" % k, r["group"]), 0)
        if got != want:
            bad.append("%s (%s) rx%d: got %d, expected %d" % (r["group"], r["source"], k, got, want))
groups = {r["group"] for r in sample}
for r in json.load(open(d + "/dump2.json")):
    want = pkts if r["group"] in groups else 0
    if r["packets"] != want or r["wrong_if"]:
        bad.append("route %s (%s): packets %d wrong_if %d, expected %d" %
                   (r["group"], r["source"], r["packets"], r["wrong_if"], want))
print("\n".join(bad[:20]))
PY
)
[[ -z $out ]] || fail "sampled routes:"$'\n'"$out"
check_stats forwarded=$((NS * PKTS)) drop_rpf=0 unres_entries=0
log "$NS sampled routes forward exactly to their outputs"

mf flush
check_eq "$(config_field route_count)" 0 "routes after flush"
check_eq "$("$MFWDCTL" -j route show | jsel 'len(d)')" 0 "dump after flush"
pass "$NR routes via batch, $NS sampled forward correctly, flush"
