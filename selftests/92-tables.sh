#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Tables.  The router has three: 0 (r0, r1), the VRF vrf-blue's 10 (r2,
# r3: enslaved router ports; the hosts behind them are unchanged) and 20,
# which the controller names at VIF_ADD (r4, r5, no VRF).  The senders in
# src (r0), rx2 (r2) and rx4 (r4) all send from SX; every receiver's count
# is exact, every copy arrives with TTL (hop limit) 63.
#  - VRF membership: a VIF of table 0 whose device joins vrf-blue is
#    removed (a VIF_DEL event; a route it was the only input of goes, one
#    it was an output of loses it); a VIF of table 10 (given at VIF_ADD)
#    whose device joins vrf-blue (table 10) stays, with its routes.  On a
#    port of vrf-blue, "vif add" takes table 10 by default and with
#    "table 10", and refuses "table 11" (and a raw TABLE 0) with EINVAL
#    "the device's VRF has another table".  A VIF whose device leaves the
#    VRF is removed too (its routes as when a VIF is deleted).
#  - Lookup by the input VIF's table: the same (SX,GS) has a route in each
#    table, each with its own input and output: a sender's packets reach
#    the receiver of its table only, each route counts only its own, no
#    route counts wrong_if.  A packet without a route in its input's table
#    raises a NOCACHE event that carries that table ("table": 10 from r2,
#    20 from r4, 0 from r0) and is queued per table: a route added in
#    one table releases only that table's packet.
#  - Statistics: "mfwdctl -t ID stats" counts the packets of that table
#    only (forwarded, copies), the netns's count them all.
#  - Dumps: "mfwdctl -t ID route show" and "vif show" (text and JSON) list
#    that table's routes and VIFs only, nothing for a table that does not
#    exist; JSON objects carry "table", text lines " table ID" (not for
#    0); raw dumps filter by TABLE.  "route get" takes -t and "table ID".
#  - The API (raw requests, helpers/mfwdnl.py), each answered with its
#    errno and extack message and changing nothing: a route naming a VIF
#    of another table (EINVAL "VIF is in another table", input or
#    output), ROUTE_ADD/GET/DEL in table 99 (ENOENT "no such table"),
#    VIF_GET with another table (ENOENT), FLUSH of table 99 (ok, nothing),
#    STATS_GET of table 99 (ENOENT "no such table");
#    mfwdctl shows the kernel's messages.
#  - Flush: "mfwdctl -t 10 flush" deletes table 10's routes only (tables 0
#    and 20 forward on, a packet from r2 is queued again, a new table-10
#    route releases it); "mfwdctl -t 20 flush all" also deletes table 20's
#    VIFs, after which table 20 does not exist.
# IPv4, then IPv6.
# shellcheck disable=SC2317  # functions run through wait_for
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
require_mfwdctl
NL=$(dirname "$0")/helpers/mfwdnl.py
VRF=vrf-blue
SX=$(fam 10.0.99.2 2001:db8:99::2)	# every sender's source
GS=$(fam 239.1.92.1 ff0e::92:1)	# (SX, GS) in every table
GQ=$(fam 239.1.92.2 ff0e::92:2)	# queued, then released table by table
GV=$(fam 239.1.92.3 ff0e::92:3)	# VRF join: input r2
GW=$(fam 239.1.92.4 ff0e::92:4)	# VRF join: output r2
GX=$(fam 239.1.92.5 ff0e::92:5)	# VRF join: table 10 route of r3
GL=$(fam 239.1.92.6 ff0e::92:6)	# VRF leave: input r3
GE=$(fam 239.1.92.7 ff0e::92:7)	# the API requests

topo_init 5
for ns in src rx2 rx4; do
	if ((FAM == 4)); then
		ip -n "$ns" addr add "$SX/32" dev eth0
	else
		ip -n "$ns" addr add "$SX/128" dev eth0 nodad
	fi
done
topo_mfwd r0 r1 r2
mf config set unres-timeout 3600000
ev_monitor mon

# flow NS GROUP COUNT: COUNT packets from NS, source SX, TTL 64
flow() {
	send "$1" -- --group "$2" --count "$3" --iface-addr "$SX" --ttl 64
}

# sorted WORD...: the words one a line, sorted (C locale), joined by ","
sorted() { printf '%s\n' "$@" | LC_ALL=C sort | paste -sd, -; }

# routes [OPTION...]: "TABLE GROUP SOURCE IIF OIF+OIF" of every route of
# "mfwdctl OPTION... -j route show", sorted, joined by ","
routes() {
	"$MFWDCTL" "$@" -j route show | jsel '",".join(sorted("%s %s %s %s %s" % (
		r["table"], r["group"], r["source"], r["iif"],
		"+".join(o["dev"] for o in r["oifs"])) for r in d))'
}

# vifs [OPTION...]: "DEV:TABLE" of "mfwdctl OPTION... -j vif show", sorted
vifs() {
	"$MFWDCTL" "$@" -j vif show |
		jsel '",".join(sorted("%s:%s" % (v["dev"], v["table"]) for v in d))'
}

# rdump CMD ATTR...: the lines of a raw dump (mfwdnl.py) but its final
# "ok", sorted, joined by ","
rdump() {
	python3 "$NL" --dump "$@" | { grep -vx ok || true; } | LC_ALL=C sort | paste -sd, -
}

# troute TABLE G S SPEC...: "mfwdctl -t TABLE -j route get" fields
troute() {
	local t=$1 g=$2 s=$3
	shift 3
	__jcheck "route ($s, $g) of table $t" "-t $t -j route get group $g source $s" "$@"
}

# toifs TABLE G S: "dev/ttl ..." of a route of TABLE
toifs() {
	"$MFWDCTL" -t "$1" -j route get group "$2" source "$3" |
		jsel '" ".join("%s/%d" % (o["dev"], o["ttl"]) for o in d["oifs"])'
}

# nlines TEXT ERE: lines of TEXT matching ERE
nlines() { grep -cE -- "$2" <<<"$1" || true; }

# refused WANT CMD...: mfwdctl CMD fails and says WANT
refused() {
	local want=$1 out
	shift
	out=$("$MFWDCTL" "$@" 2>&1) && fail "mfwdctl $* succeeded: $out"
	[[ $out == *"$want"* ]] || fail "mfwdctl $*: '$out', not '$want'"
}

no_route() { ! "$MFWDCTL" -t "$1" route get group "$2" source "$3"; }

# tstat TABLE|- FIELD: a counter of "mfwdctl -t TABLE stats" (-: the netns's)
tstat() {
	if [[ $1 == - ]]; then
		stats_field "$2"
	else
		"$MFWDCTL" -t "$1" -j stats | jsel "d[\"$2\"]"
	fi
}
queued() { (($(stats_field unres_entries) == $1)); }

# ---- the VRF: VIFs of another table go, those of its own stay ------------------
mf vif add dev r3 table 10	# no VRF yet: a table of the controller's
mf route add group "$GV" source "$SX" iif r2 oif r1
mf route add group "$GW" source "$SX" iif r0 oif r1 oif r2
mf -t 10 route add group "$GX" source "$SX" iif r3
check_eq "$(vifs)" "r0:0,r1:0,r2:0,r3:10" "VIFs before the VRF"
ip link del "$VRF" 2>/dev/null || true
ip link add "$VRF" type vrf table 10 || skip "no VRF support (CONFIG_NET_VRF)"
on_exit "ip link del $VRF"
ip link set "$VRF" up
# Enslaving cycles a port down and up, which flushes its IPv6 addresses:
# put them back (nothing here needs them, but the topology has them).
for k in 2 3; do
	ip link set "r$k" master "$VRF"
	[[ -z $TOPO_IPV6 ]] || ip addr replace "2001:db8:$k::1/64" dev "r$k" nodad
done
# r2 (table 0) is gone, r3 (table 10) stays; the routes follow after RTNL
r2_gone() { [[ $(vifs) == "r0:0,r1:0,r3:10" ]]; }
wait_for -t "$TOPO_WAIT" r2_gone || fail "VIFs after enslaving r2 and r3: $(vifs)"
wait_for -t "$TOPO_WAIT" no_route 0 "$GV" "$SX" || fail "($SX, $GV) stayed without its input r2"
gw_oifs() { [[ $(toifs 0 "$GW" "$SX") == r1/1 ]]; }
wait_for -t "$TOPO_WAIT" gw_oifs || fail "outputs of ($SX, $GW): $(toifs 0 "$GW" "$SX")"
troute 10 "$GX" "$SX" iif=r3 table=10
ev_sync mon
check_eq "$(ev_n event=vif_del dev=r2 table=0)" 1 "VIF_DEL events of r2:"$'\n'"$(ev_show mon)"
check_eq "$(ev_n event=vif_del dev=r3)" 0 "VIF_DEL events of r3"
mf route del group "$GW" source "$SX"
log "VRF join: r2's VIF (table 0) removed with its route, r3's (table 10) kept"

# ---- VIFs on VRF ports (table 10) and in a table without VRF (20) --------------
EINVAL='error EINVAL (Invalid argument)'
VRFMSG="the device's VRF has another table"
nl_cases "vif_add ifindex=r2 table=11 | $EINVAL msg=\"$VRFMSG\"
vif_add ifindex=r2 table=0 | $EINVAL msg=\"$VRFMSG\""
refused "$VRFMSG" vif add dev r2 table 11
refused "$VRFMSG" -t 11 vif add dev r2
check_eq "$(vifs)" "r0:0,r1:0,r3:10" "VIFs after the refused adds"
mf vif add dev r2 table 10
mf vif del dev r3	# (SX, GX) goes with its only input
mf vif add dev r3	# the VRF's table by default
mf -t 20 vif add dev r4
mf vif add dev r5 table 20
check_eq "$(vifs)" "r0:0,r1:0,r2:10,r3:10,r4:20,r5:20" "VIFs"
check_vifs r0.table=0 r2.table=10 r3.table=10 r4.table=20 r5.table=20
out=$("$MFWDCTL" vif show)
check_eq "$(nlines "$out" '^dev r[23] .*table 10( |$)')" 2 "table 10 VIFs in:"$'\n'"$out"$'\n'
check_eq "$(nlines "$out" '^dev r[45] .*table 20( |$)')" 2 "table 20 VIFs in:"$'\n'"$out"$'\n'
check_eq "$(nlines "$out" 'table')" 4 "VIFs with a table in:"$'\n'"$out"$'\n'
check_eq "$(config_field route_count)" 0 "routes"
log "vif add: table 10 on VRF ports (default and explicit, 11 refused), table 20 without VRF"

# ---- receivers ----------------------------------------------------------------
# rx1, rx4, rx5 sync as usual.  rx2 and rx3 are behind VRF ports, whose
# addresses are in table 10: topo_sync's sender, bound to the address in
# the default table, cannot use them (EADDRNOTAVAIL).  Their sync packets
# leave from a socket bound to the device, after topo_sync's (CPU 0, so
# after every packet sent before).
for k in 1 4 5; do
	RX_SYNC_ADDRS=10.0.$k.1
	rx_start "rx$k" "rx$k" eth0 "$GS" "$GQ"
done
for k in 2 3; do
	RX_NOSYNC=1
	rx_start "rx$k" "rx$k" eth0 "$GS" "$GQ"
done
VRF_SYNC_N=0
vrf_synced() {
	(($(rx_count rx2 eth0 "$TOPO_SYNC_GROUP") >= VRF_SYNC_N &&
		$(rx_count rx3 eth0 "$TOPO_SYNC_GROUP") >= VRF_SYNC_N))
}
sync_all() {
	local one=(--port "$TOPO_PORT" --group "$TOPO_SYNC_GROUP" --ttl 1 --size 8 --count 1)
	topo_sync
	VRF_SYNC_N=$((VRF_SYNC_N + 1))
	send - -- "${one[@]}" --ifname r2 --next "${one[@]}" --ifname r3
	wait_for -t "$TOPO_WAIT" vrf_synced ||
		fail "sync packet $VRF_SYNC_N not received behind the VRF:"$'\n'"$(rx_summary rx2 eth0 "$TOPO_SYNC_GROUP"; rx_summary rx3 eth0 "$TOPO_SYNC_GROUP")"
}

# ---- no route: NOCACHE with the input's table, queued per table ------------------
flow src "$GQ" 1
flow rx2 "$GQ" 1
flow rx4 "$GQ" 1
wait_for -t "$TOPO_WAIT" queued 3 ||
	fail "unresolved entries: $(stats_field unres_entries), not 3 (one per table)"
mf -t 10 route add group "$GQ" source "$SX" iif r2 oif r3
wait_rx rx3 eth0 "$GQ" 1
check_stats unres_entries=2 unres_packets=2
mf route add group "$GQ" source "$SX" iif r4 oif r5 table 20
wait_rx rx5 eth0 "$GQ" 1
check_stats unres_entries=1 unres_packets=1
mf route add group "$GQ" source "$SX" iif r0 oif r1
wait_rx rx1 eth0 "$GQ" 1
check_stats unres_entries=0 unres_packets=0
sync_all
check_rx "$GQ" "1=1 2=0 3=1 4=0 5=1"
ev_sync mon
check_eq "$(ev_n event=nocache group="$GQ")" 3 "NOCACHE events of $GQ:"$'\n'"$(ev_show mon)"
for ti in 0:r0 10:r2 20:r4; do
	check_eq "$(ev_n event=nocache family="$FAMNAME" source="$SX" group="$GQ" \
		table="${ti%:*}" iif="${ti#*:}")" 1 \
		"NOCACHE events of ($SX, $GQ) from ${ti#*:}, table ${ti%:*}:"$'\n'"$(ev_show mon)"
done
log "NOCACHE carries the input's table; a route releases its own table's packet only"

# ---- one (S,G), three tables ----------------------------------------------------
mf route add group "$GS" source "$SX" iif r0 oif r1
mf -t 10 route add group "$GS" source "$SX" iif r2 oif r3
mf route add group "$GS" source "$SX" iif r4 oif r5 table 20
declare -A c0
for t in - 0 10 20; do
	for f in forwarded copies drop_rpf; do c0[$t.$f]=$(tstat "$t" "$f"); done
done
flow src "$GS" 20
flow rx2 "$GS" 30
flow rx4 "$GS" 25
sync_all
check_rx "$GS" "1=20 2=0 3=30 4=0 5=25"
check_route "$GS" "$SX" packets=20 wrong_if=0 table=0 iif=r0
troute 0 "$GS" "$SX" packets=20 wrong_if=0 table=0
troute 10 "$GS" "$SX" packets=30 wrong_if=0 table=10 iif=r2
__jcheck "route ($SX, $GS) table 20" "-j route get group $GS source $SX table 20" \
	packets=25 wrong_if=0 table=20 iif=r4
check_eq "$(toifs 10 "$GS" "$SX")" "r3/1" "outputs of ($SX, $GS) in table 10"
check_vifs r0.pkts_out=0 r1.pkts_out=21 r2.pkts_out=0 r3.pkts_out=31 \
	r4.pkts_out=0 r5.pkts_out=26
check_stats unres_entries=0
# each table counts its own packets; the netns's are their sum
for tn in -:75 0:20 10:30 20:25; do
	t=${tn%:*} n=${tn#*:}
	for f in forwarded copies; do
		check_eq "$(($(tstat "$t" "$f") - c0[$t.$f]))" "$n" "$f of table $t"
	done
	check_eq "$(($(tstat "$t" drop_rpf) - c0[$t.drop_rpf]))" 0 "drop_rpf of table $t"
done
out=$("$MFWDCTL" -t 10 -j stats)
[[ $out != *unres_* ]] || fail "a table's stats with the netns's unresolved queue: $out"
ev_sync mon
check_eq "$(ev_n event=wrongvif)" 0 "WRONGVIF events:"$'\n'"$(ev_show mon)"
log "the same (S,G) in three tables: each input reaches its own table's output"

# ---- dumps ----------------------------------------------------------------------
ALL_ROUTES=$(sorted "0 $GQ $SX r0 r1" "0 $GS $SX r0 r1" "10 $GQ $SX r2 r3" \
	"10 $GS $SX r2 r3" "20 $GQ $SX r4 r5" "20 $GS $SX r4 r5")
check_eq "$(routes)" "$ALL_ROUTES" "mfwdctl -j route show"
check_eq "$(routes -t 10)" "$(sorted "10 $GQ $SX r2 r3" "10 $GS $SX r2 r3")" \
	"mfwdctl -t 10 -j route show"
check_eq "$(routes -t 0)" "$(sorted "0 $GQ $SX r0 r1" "0 $GS $SX r0 r1")" \
	"mfwdctl -t 0 -j route show"
check_eq "$("$MFWDCTL" -t 99 -j route show)" "[]" "mfwdctl -t 99 -j route show"
check_eq "$("$MFWDCTL" -t 99 route show)" "" "mfwdctl -t 99 route show"
out=$("$MFWDCTL" -t 10 route show)
check_eq "$(nlines "$out" .)" 2 "lines of mfwdctl -t 10 route show:"$'\n'"$out"$'\n'
check_eq "$(nlines "$out" ' table 10( |$).*iif r2 .*r3')" 2 \
	"table 10 routes in:"$'\n'"$out"$'\n'
out=$("$MFWDCTL" route show)
check_eq "$(nlines "$out" .)" 6 "lines of mfwdctl route show:"$'\n'"$out"$'\n'
check_eq "$(nlines "$out" ' table 10( |$)')" 2 "table 10 routes in:"$'\n'"$out"$'\n'
check_eq "$(nlines "$out" ' table 20( |$)')" 2 "table 20 routes in:"$'\n'"$out"$'\n'
check_eq "$(nlines "$out" 'table')" 4 "routes with a table in:"$'\n'"$out"$'\n'
check_eq "$(vifs -t 10)" "r2:10,r3:10" "mfwdctl -t 10 -j vif show"
check_eq "$(vifs -t 0)" "r0:0,r1:0" "mfwdctl -t 0 -j vif show"
check_eq "$("$MFWDCTL" -t 99 -j vif show)" "[]" "mfwdctl -t 99 -j vif show"
check_eq "$("$MFWDCTL" -t 99 vif show)" "" "mfwdctl -t 99 vif show"
out=$("$MFWDCTL" -t 20 vif show)
check_eq "$(nlines "$out" .)" 2 "lines of mfwdctl -t 20 vif show:"$'\n'"$out"$'\n'
check_eq "$(nlines "$out" '^dev r[45] .*table 20( |$)')" 2 "table 20 VIFs in:"$'\n'"$out"$'\n'
check_eq "$(rdump route_get table=10)" \
	"$(sorted "route $SX $GQ iif=r2 oifs=1" "route $SX $GS iif=r2 oifs=1")" "raw dump, TABLE 10"
check_eq "$(rdump route_get table=20 "$(fam group group6)=$GS")" \
	"route $SX $GS iif=r4 oifs=1" "raw dump, TABLE 20 and $GS"
check_eq "$(rdump route_get table=99)" "" "raw dump, TABLE 99"
check_eq "$(rdump vif_get table=20)" "vif r4,vif r5" "raw VIF dump, TABLE 20"
check_eq "$(rdump vif_get table=99)" "" "raw VIF dump, TABLE 99"
log "dumps: one table with -t / TABLE, none of a table that does not exist"

# ---- the API --------------------------------------------------------------------
GK=$(fam group group6) SK=$(fam source source6)
OTHER="$EINVAL msg=\"VIF is in another table\""
NOTAB='error ENOENT (No such file or directory) msg="no such table"'
NOROUTE='error ENOENT (No such file or directory) msg="no such route"'
cases="route_add $GK=$GE $SK=$SX table=10 iif=r2 oif=r1 | $OTHER
route_add $GK=$GE $SK=$SX table=10 iif=r0 oif=r3 | $OTHER
route_add $GK=$GE $SK=$SX iif=r2 oif=r3 | $OTHER
route_add $GK=$GE $SK=$SX table=0 iif=r0 oif=r1 oif=r3 | $OTHER
route_add $GK=$GE $SK=$SX table=20 iif=r4 iif=r2 oif=r5 | $OTHER
route_add $GK=$GE $SK=$SX table=99 iif=r0 oif=r1 | $NOTAB
route_add $GK=$GE table=99 iif_any | $NOTAB
route_get $GK=$GS $SK=$SX table=99 | $NOTAB
route_del $GK=$GS $SK=$SX table=99 | $NOTAB
route_get $GK=$GE $SK=$SX table=10 | $NOROUTE
route_del $GK=$GE $SK=$SX table=10 | $NOROUTE
route_get $GK=$GS $SK=$SX table=10 | ok
route_get $GK=$GS $SK=$SX table=20 | ok
route_get $GK=$GS $SK=$SX | ok
vif_get ifindex=r2 table=0 | error ENOENT (No such file or directory) msg=\"the VIF is in another table\"
vif_get ifindex=r2 table=10 | ok
vif_get ifindex=r0 table=0 | ok
flush table=99 | ok
flush table=99 flush_vifs | ok
stats_get table=99 | $NOTAB
stats_get table=10 | ok"
before="$(routes) $(vifs)"
nl_cases "$cases"
refused "VIF is in another table" -t 10 route add group "$GE" source "$SX" iif r2 oif r1
refused "no such table" -t 99 route add group "$GE" source "$SX" iif r0 oif r1
refused "no such table" -t 99 route get group "$GS" source "$SX"
refused "no such table" route del group "$GS" source "$SX" table 99
refused "no such table" -t 99 stats
check_eq "$(routes) $(vifs)" "$before" "routes and VIFs after the API requests"
log "API: EINVAL for a VIF of another table, ENOENT for a table that does not exist"

# ---- flush ----------------------------------------------------------------------
mf -t 10 flush
check_eq "$(routes)" "$(sorted "0 $GQ $SX r0 r1" "0 $GS $SX r0 r1" \
	"20 $GQ $SX r4 r5" "20 $GS $SX r4 r5")" "routes after mfwdctl -t 10 flush"
check_eq "$(vifs -t 10)" "r2:10,r3:10" "table 10 VIFs after mfwdctl -t 10 flush"
flow src "$GS" 10
flow rx4 "$GS" 10
flow rx2 "$GS" 1	# no route in table 10: queued
wait_for -t "$TOPO_WAIT" queued 1 || fail "no unresolved entry for r2's packet"
sync_all
check_rx "$GS" "1=30 2=0 3=30 4=0 5=35"
troute 0 "$GS" "$SX" packets=30 wrong_if=0
troute 20 "$GS" "$SX" packets=35 wrong_if=0
ev_sync mon
check_eq "$(ev_n event=nocache group="$GS" table=10 iif=r2)" 1 \
	"NOCACHE events of ($SX, $GS) in table 10:"$'\n'"$(ev_show mon)"
mf -t 10 route add group "$GS" source "$SX" iif r2 oif r3
wait_rx rx3 eth0 "$GS" 31
check_stats unres_entries=0
troute 10 "$GS" "$SX" packets=1 wrong_if=0

mf -t 20 flush all
check_eq "$(vifs)" "r0:0,r1:0,r2:10,r3:10" "VIFs after mfwdctl -t 20 flush all"
check_eq "$(routes)" "$(sorted "0 $GQ $SX r0 r1" "0 $GS $SX r0 r1" "10 $GS $SX r2 r3")" \
	"routes after mfwdctl -t 20 flush all"
refused "no such table" -t 20 route add group "$GE" iif any
nl_cases "route_add $GK=$GE table=20 iif_any | $NOTAB"
log "flush: one table's routes, with all its VIFs too; the others forward on"

# ---- leaving the VRF --------------------------------------------------------------
mf -t 10 route add group "$GL" source "$SX" iif r3 oif r2
ev_sync mon
dels=$(ev_n event=vif_del dev=r3 table=10)	# "vif del dev r3" above
ip link set r3 nomaster
r3_gone() { [[ $(vifs) == "r0:0,r1:0,r2:10" ]]; }
wait_for -t "$TOPO_WAIT" r3_gone || fail "VIFs after r3 left $VRF: $(vifs)"
wait_for -t "$TOPO_WAIT" no_route 10 "$GL" "$SX" || fail "($SX, $GL) stayed without its input r3"
gs_oifs() { [[ -z $(toifs 10 "$GS" "$SX") ]]; }
wait_for -t "$TOPO_WAIT" gs_oifs || fail "outputs of ($SX, $GS) in table 10: $(toifs 10 "$GS" "$SX")"
ev_sync mon
check_eq "$(ev_n event=vif_del dev=r3 table=10)" $((dels + 1)) "VIF_DEL events of r3 in table 10:"$'\n'"$(ev_show mon)"
flow rx2 "$GS" 5
flow src "$GS" 2
sync_all
check_rx "$GS" "1=32 2=0 3=31 4=0 5=35"
mf vif add dev r3	# out of the VRF: table 0
check_vifs r3.table=0
log "VRF leave: the VIF is removed, its routes follow"

for k in 1 2 3 4 5; do
	for g in "$GS" "$GQ"; do
		t=$(rx_ttls "rx$k" eth0 "$g")
		[[ -z $t || $t =~ ^63:[0-9]+$ ]] || fail "rx$k, $g: TTLs $t, not 63"
		[[ $(rx_bad "rx$k" eth0 "$g") == 0 ]] || fail "rx$k, $g: damaged copies"
	done
done
check_stats events_dropped=0 unres_entries=0
pass "tables: VRF and controller tables, lookup by input table, events, dumps, API errors, flush"
