#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Dumps. Filters: a ROUTE_GET dump with any of GROUP, SOURCE (0.0.0.0:
# only (*,G) routes) and IIF returns exactly the routes matching all of
# them, a VIF_GET dump with IFINDEX only that VIF; "mfwdctl route show"
# with group/source/iif prints the same; an attribute a dump does not take
# is refused (EINVAL "Unsupported attribute", nothing dumped), and IIF on a
# ROUTE_GET do is refused too.
# Size: in a netns with 1024 VIFs (dummy devices), a route with 1023
# outputs (every other VIF, each with a TTL: a 20.6 KB message) dumps
# complete, with routes before and after it, to a fresh socket (one that
# never called recvmsg before the dump request, so the kernel has no
# receive size to go by) read with a 64 KiB buffer; also as the first
# route of a dump (filtered by its group), which ended in EMSGSIZE before
# the dump reserved room for such a route; mfwdctl shows it too.
# Consistency: a multi-part dump (3000 routes; 1024 VIFs) read one part at
# a time, with a route added or deleted (a VIF added or deleted) from
# another socket after the first part, marks a later message
# NLM_F_DUMP_INTR, none of the messages built before the change, and ends
# normally; mfwdctl, stalled on a full stdout pipe while the table
# changes, prints "Dump was interrupted and may be inconsistent." on stderr
# after the whole list and exits 0, as ip(8) does.
# timeout: 900
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_mfwdctl
require_cmd python3 ip
HELPERS=$SELFTESTS/helpers
[[ -d ${SELFTESTS:-} ]] || HELPERS=$(cd "$(dirname "$0")" && pwd)/helpers
NL=(python3 "$HELPERS/mfwdnl.py")
tmp=$(mktemp -d)
on_exit "rm -rf '$tmp'"
load_mfwd
on_exit "rmmod mfwd"

# ---- filters -------------------------------------------------------------------
for i in 0 1 2 3 5; do
	ip link add "d$i" type dummy
	ip link set "d$i" up
	on_exit "ip link del d$i"
done
for i in 0 1 2 3; do "$MFWDCTL" vif add dev "d$i"; done
G1=239.54.0.1 G2=239.54.0.2 G3=239.54.0.3 S1=10.54.0.1 S2=10.54.0.2
"$MFWDCTL" -b - <<EOF
route add group $G1 source $S1 iif d0 oif d1
route add group $G1 source $S2 iif d1 oif d0 oif d2
route add group $G1 iif d0 oif d2
route add group $G2 source $S1 iif d2 oif d1
route add group $G2 iif d1
route add group $G3 iif d0 oif d1 oif d2 oif d3
EOF

# case lines: "REQUEST | the dumped lines, sorted, separated by ';' | answer"
R1="route $S1 $G1 iif=d0 oifs=1" R2="route $S2 $G1 iif=d1 oifs=2" R3="route 0.0.0.0 $G1 iif=d0 oifs=1"
R4="route $S1 $G2 iif=d2 oifs=1" R5="route 0.0.0.0 $G2 iif=d1 oifs=0" R6="route 0.0.0.0 $G3 iif=d0 oifs=3"
UNSUP='error EINVAL (Invalid argument) msg="Unsupported attribute"'
cat >"$tmp/cases" <<EOF
--dump route_get						| $R1;$R2;$R3;$R4;$R5;$R6	| ok
--dump route_get group=$G1					| $R1;$R2;$R3		| ok
--dump route_get group=$G3					| $R6			| ok
--dump route_get group=239.54.9.9				| 			| ok
--dump route_get source=$S1					| $R1;$R4		| ok
--dump route_get source=0.0.0.0					| $R3;$R5;$R6		| ok
--dump route_get source=10.54.9.9				| 			| ok
--dump route_get iif=d0						| $R1;$R3;$R6		| ok
--dump route_get iif=d1						| $R2;$R5		| ok
--dump route_get iif=d3						| 			| ok
--dump route_get iif=d5						| 			| ok
--dump route_get group=$G1 source=0.0.0.0			| $R3			| ok
--dump route_get group=$G1 iif=d0				| $R1;$R3		| ok
--dump route_get source=$S1 iif=d2				| $R4			| ok
--dump route_get group=$G2 source=$S1 iif=d2			| $R4			| ok
--dump route_get group=$G2 source=$S1 iif=d0			| 			| ok
--dump route_get group=$G1 source=$S2 iif=d1			| $R2			| ok
--dump vif_get							| vif d0;vif d1;vif d2;vif d3	| ok
--dump vif_get ifindex=d2					| vif d2		| ok
--dump vif_get ifindex=d5					| 			| ok
--dump route_get oif=d1						| 			| $UNSUP
--dump route_get ifindex=d0					| 			| $UNSUP
--dump route_get packets=1					| 			| $UNSUP
--dump route_get replace					| 			| $UNSUP
--dump route_get group=$G1 flush_vifs				| 			| $UNSUP
--dump vif_get iif=d0						| 			| $UNSUP
--dump vif_get group=$G1					| 			| $UNSUP
--dump vif_get ifindex=d0 threshold=2				| 			| $UNSUP
--dump vif_get ifindex=0					| 			| error ERANGE (Numerical result out of range) msg="integer out of range"
route_get group=$G1 source=$S1 iif=d0				| 			| error EINVAL (Invalid argument) msg="iif filters dumps only"
EOF
# trim: stdin without blanks around each ';'-separated item, items sorted
trim() { tr ';' '\n' | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | sed '/^$/d' | sort | paste -sd';'; }
bad=
while IFS='|' read -r req want answer; do
	read -ra words <<<"$req"
	got=$("${NL[@]}" "${words[@]}" | sed 's/ offs=[0-9]*//') || true
	got_lines=$(head -n -1 <<<"$got" | trim)
	got_answer=$(tail -n 1 <<<"$got")
	want=$(trim <<<"$want")
	answer=$(trim <<<"$answer")
	if [[ $got_lines != "$want" || $got_answer != "$answer" ]]; then
		bad+="${words[*]}"$'\n'"    expected: [$want] $answer"$'\n'"    got:      [$got_lines] $got_answer"$'\n'
	fi
done <"$tmp/cases"
[[ -z $bad ]] || fail "wrong dumps:"$'\n'"$bad"
log "$(wc -l <"$tmp/cases") dumps: filters honoured, other attributes refused"

# mfwdctl route show sends the same filters: the same routes
# mfwdctl_routes ARGS...: "source group iif oifs" lines of "-j route show ARGS"
mfwdctl_routes() {
	"$MFWDCTL" -j route show "$@" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["source"], r["group"], r["iif"], len(r["oifs"]))' | sort | paste -sd';'
}
check_eq "$(mfwdctl_routes group $G1 source '*')" "* $G1 d0 1" "mfwdctl route show group $G1 source *"
check_eq "$(mfwdctl_routes iif d1)" "* $G2 d1 0;$S2 $G1 d1 2" "mfwdctl route show iif d1"
check_eq "$(mfwdctl_routes source $S1 iif d2)" "$S1 $G2 d2 1" "mfwdctl route show source $S1 iif d2"
check_eq "$(mfwdctl_routes group $G3 dev d3)" "* $G3 d0 3" "mfwdctl route show group $G3 dev d3"
check_eq "$(mfwdctl_routes group 239.54.9.9)" "" "mfwdctl route show group 239.54.9.9"
"$MFWDCTL" flush all

# ---- a route with 1023 outputs, to a fresh socket --------------------------------
ip netns add big
on_exit "ip netns del big"
NB=(ip netns exec big)
{
	for ((i = 0; i < 1024; i++)); do
		echo "link add v$i type dummy"
		echo "link set v$i up"
	done
} >"$tmp/links"
ip -n big -b "$tmp/links"
for ((i = 0; i < 1024; i++)); do echo "vif add dev v$i noallmulti"; done >"$tmp/vifs"
"${NB[@]}" "$MFWDCTL" -b "$tmp/vifs"
check_eq "$("${NB[@]}" "$MFWDCTL" -j config show | python3 -c 'import json,sys; print(json.load(sys.stdin)["vif_count"])')" 1024 "VIFs in netns big"
{
	for i in 1 2 3 4 5; do echo "route_add group=239.54.1.$i iif=v$i oif=v0"; done
	printf 'route_add group=239.54.2.1 source=10.54.2.1 iif=v0'
	for ((i = 1; i < 1024; i++)); do printf ' oif=v%d/%d' "$i" $((i % 200 + 1)); done
	echo
	for i in 1 2 3 4 5; do echo "route_add group=239.54.3.$i iif=v$i oif=v0"; done
} >"$tmp/routes"
out=$("${NB[@]}" "${NL[@]}" -b "$tmp/routes") || fail "adding the routes of netns big: $out"

# fresh_dump [FILTER ATTRS...]: dump routes on a socket that never received,
# reading 64 KiB at a time; prints "N routes, big OIFS, DONE ERRNO, order"
fresh_dump() {
	"${NB[@]}" python3 - "$HELPERS" "$@" <<'EOF'
import socket, sys
sys.path.insert(0, sys.argv[1])
import mfwdnl as m
fam = m.Genl().fam                       # resolved on another socket
g = m.Genl(recv_size=65536, resolve=False)
seq = g.send(fam, m.CMDS["route_get"], b"".join(m.attr(a) for a in sys.argv[2:]),
             flags=m.NLM_F_DUMP)
routes, done, parts = [], None, 0
while done is None:
    msgs = g.messages()
    parts += 1
    for typ, fl, s, msg in msgs:
        if s != seq:
            continue
        if typ in (m.NLMSG_DONE, m.NLMSG_ERROR):
            err, tlv = g.status(typ, fl, msg)
            done = m.answer(err, tlv)
            break
        routes.append(m.decode(msg[16:]))
big = [r for r in routes if r["group"] == "239.54.2.1"]
print(f"{len(routes)} routes, big {len(big[0]['oifs']) if big else 'missing'}, {done},",
      " ".join(r["group"].rsplit(".", 2)[1] for r in routes))
EOF
}
order="1 1 1 1 1 2 3 3 3 3 3"
check_eq "$(fresh_dump)" "11 routes, big 1023, ok, $order" "dump of 11 routes (one with 1023 outputs) to a fresh socket"
check_eq "$(fresh_dump group=239.54.2.1)" "1 routes, big 1023, ok, 2" "the 1023-output route first in a dump to a fresh socket"
check_eq "$(fresh_dump iif=v0)" "1 routes, big 1023, ok, 2" "the 1023-output route by iif to a fresh socket"
out=$("${NB[@]}" "$MFWDCTL" -j route show group 239.54.2.1 | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert len(r) == 1, r
o = r[0]["oifs"]
assert [x["dev"] for x in o] == ["v%d" % i for i in range(1, 1024)], o[:3]
assert [x["ttl"] for x in o] == [i % 200 + 1 for i in range(1, 1024)], o[:3]
print(len(o))') || fail "mfwdctl -j route show of the 1023-output route: $out"
check_eq "$out" 1023 "outputs mfwdctl shows"
check_eq "$("${NB[@]}" "$MFWDCTL" route show | wc -l)" 11 "routes mfwdctl lists in netns big"
log "a 1023-output route dumps whole to fresh sockets (64 KiB reads), alone and among others"

# ---- NLM_F_DUMP_INTR ------------------------------------------------------------
# 3000 more routes, then dumps read part by part, changed after the first
"${NB[@]}" "$MFWDCTL" flush
for ((i = 0; i < 3000; i++)); do
	echo "route add group 239.55.$((i / 250)).$((i % 250 + 1)) source 10.55.0.1 iif v$((i % 8)) oif v$((i % 8 + 8))"
done >"$tmp/many"
"${NB[@]}" "$MFWDCTL" -b "$tmp/many"
# intr_dump CMD CHANGE...: dump CMD (route_get, vif_get) on a fresh socket:
# read one part, make CHANGE (an mfwdnl.py request) on another socket, read
# the rest. Prints "PARTS, MSGS messages, intr in part(s) LIST, DONE"
intr_dump() {
	"${NB[@]}" python3 - "$HELPERS" "$@" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import mfwdnl as m
other = m.Genl()
g = m.Genl(recv_size=65536, resolve=False)
seq = g.send(other.fam, m.CMDS[sys.argv[2]], b"", flags=m.NLM_F_DUMP)
part, n, intr, done = 0, 0, [], None
while done is None:
    msgs = g.messages()
    part += 1
    for typ, fl, s, msg in msgs:
        if s != seq:
            continue
        if fl & m.NLM_F_DUMP_INTR and part not in intr:
            intr.append(part)
        if typ in (m.NLMSG_DONE, m.NLMSG_ERROR):
            done = m.answer(*g.status(typ, fl, msg))
            break
        n += 1
    if part == 1:
        args = sys.argv[3:]
        err, tlv, _ = other.request(other.fam, m.CMDS[args[0]],
                                    b"".join(m.attr(a) for a in args[1:]))
        if err:
            sys.exit("the change failed: " + m.answer(err, tlv))
# part 2 was built when part 1 was read, before the change
early = [p for p in intr if p <= 2]
print(f"{'many' if part > 3 else part} parts, {'no ' if early else ''}clean start,",
      f"intr {'after the change' if intr and not early else intr}, {done}")
print(f"{part} parts, {n} messages, intr in {intr}", file=sys.stderr)
EOF
}
want="many parts, clean start, intr after the change, ok"
check_eq "$(intr_dump route_get route_add group=239.56.0.1 iif=v1 oif=v2 2>"$tmp/err")" "$want" \
	"route dump, a route added after part 1 ($(cat "$tmp/err"))"
log "route add: $(cat "$tmp/err")"
check_eq "$(intr_dump route_get route_del group=239.55.11.249 source=10.55.0.1 2>"$tmp/err")" "$want" \
	"route dump, a route deleted after part 1 ($(cat "$tmp/err"))"
log "route del: $(cat "$tmp/err")"
check_eq "$(intr_dump vif_get vif_del ifindex=v1023 2>"$tmp/err")" "$want" \
	"VIF dump, a VIF deleted after part 1 ($(cat "$tmp/err"))"
log "vif del: $(cat "$tmp/err")"
ip -n big link add w0 type dummy
check_eq "$(intr_dump vif_get vif_add ifindex=w0 2>"$tmp/err")" "$want" \
	"VIF dump, a VIF added after part 1 ($(cat "$tmp/err"))"
log "vif add: $(cat "$tmp/err")"
# and a dump that nothing disturbs has no mark
check_eq "$(intr_dump route_get config_get 2>"$tmp/err")" "many parts, clean start, intr [], ok" \
	"route dump with a read-only request after part 1 ($(cat "$tmp/err"))"

# mfwdctl: stalled writing to a full pipe in the middle of its dump, while a
# route is added; then the pipe is drained
mkfifo "$tmp/pipe"
exec 3<>"$tmp/pipe"
"${NB[@]}" "$MFWDCTL" -j route show >"$tmp/pipe" 2>"$tmp/stderr" 3>&- &
pid=$!
# in write(2), on the full pipe (syscall 1); run by wait_for
# shellcheck disable=SC2317
stalled() { [[ $(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null) == 1 ]]; }
wait_for -t 60 stalled || fail "mfwdctl did not stall on its output: $(cat "/proc/$pid/syscall" 2>&1)"
"${NB[@]}" "$MFWDCTL" route add group 239.56.0.2 iif v1 oif v3
# a reader before the last one (fd 3) goes, or mfwdctl gets SIGPIPE
exec 4<"$tmp/pipe" 3>&-
cat <&4 >"$tmp/stdout" &
cat_pid=$!
exec 4<&-
rc=0
wait "$pid" || rc=$?
wait "$cat_pid"
check_eq "$rc" 0 "mfwdctl's exit status after an interrupted dump"
check_eq "$(cat "$tmp/stderr")" "Dump was interrupted and may be inconsistent." "mfwdctl's stderr"
n=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <"$tmp/stdout") ||
	fail "mfwdctl's JSON output of the interrupted dump is not valid"
log "mfwdctl: the warning after $n routes, exit 0"
pass "dump filters exact; 1023-output route whole on fresh sockets; NLM_F_DUMP_INTR after changes"
