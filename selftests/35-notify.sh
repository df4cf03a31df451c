#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Notifications: "mfwdctl monitor" in its own process sees, in order, what
# other processes and the kernel do: VIF add/del (with flags and
# threshold), route add, replace (ROUTE_ADD, new outputs, counters kept),
# del, the route change when an output device is deleted (VIF_DEL, then
# ROUTE_ADD without it: the routes are walked after RTNL is released), the
# ROUTE_DEL when the input device is deleted, flush (ROUTE_DEL per
# route) and "flush all" (VIF_DEL per VIF); every route event has the
# route's family, source (0.0.0.0 or :: for (*,G)) and group; events_sent
# counts them; a monitor in another netns sees none of them.  IPv4 routes,
# then IPv6 ones.
# shellcheck disable=SC2317  # functions run through wait_for
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
require_mfwdctl
require_cmd jq
G=$(fam 239.1.2.3 ff0e::1:2:3) G2=$(fam 239.1.2.4 ff0e::1:2:4)
G3=$(fam 239.1.2.5 ff0e::1:2:5) G4=$(fam 239.1.2.6 ff0e::1:2:6)
S=$(fam 10.0.0.2 "$TOPO_SRC6")

topo_init 2
topo_mfwd
for d in d0 d1; do echo "link add $d type dummy"; echo "link set $d up"; done | ip -b -
on_exit "ip link del d0; ip link del d1"	# (the test deletes them)
d1_idx=$(cat /sys/class/net/d1/ifindex)
ev_monitor mon
ev_monitor other rx1
mon=$EV_DIR/mon.mon
: >"$mon"	# the sync events (the monitor appends)
sent0=$(stats_field events_sent)

# route_packets_is G S N (polled: one exec)
route_packets_is() {
	local o
	o=$("$MFWDCTL" -j route get group "$1" source "$2") || return 1
	[[ $o == *"\"packets\":$3,"* ]]
}

mf vif add dev d0 ttl-threshold 3
mf vif add dev d1 noallmulti
mf route add group "$G" source "$S" iif r0 oif r1
send -- --group "$G" --count 2
wait_for -t "$TOPO_WAIT" route_packets_is "$G" "$S" 2 || fail "route did not forward"
mf route replace group "$G" source "$S" iif r0 oif r1 oif d0/5
mf route add group "$G2" iif r0 oif d0 oif d1 oif r1
mf route add group "$G3" source "$S" iif d1 oif r1
mf route del group "$G" source "$S"
timeout 10 ip link del d0 || fail "ip link del d0 hangs or fails"
timeout 10 ip link del d1 || fail "ip link del d1 hangs or fails"
mf vif del dev r2
mf route add group "$G4" source "$S" iif r0 oif r1
mf flush
mf flush all
check_eq "$("$MFWDCTL" -j config show | jq -c '[.vif_count, .route_count]')" "[0,0]" "VIFs and routes left"

F=$FAMNAME
expected="vif_add d0 flags= ttl=3
vif_add d1 flags=noallmulti ttl=1
route_add $F ($S,$G) iif=r0 oifs=r1/1 packets=0
route_add $F ($S,$G) iif=r0 oifs=r1/1,d0/5 packets=2
route_add $F (*,$G2) iif=r0 oifs=d0/3,d1/1,r1/1 packets=0
route_add $F ($S,$G3) iif=d1 oifs=r1/1 packets=0
route_del $F ($S,$G) iif=r0 oifs=r1/1,d0/5 packets=2
vif_del d0 flags= ttl=3
route_add $F (*,$G2) iif=r0 oifs=d1/1,r1/1 packets=0
vif_del d1 flags=noallmulti ttl=1
route_add $F (*,$G2) iif=r0 oifs=r1/1 packets=0
route_del $F ($S,$G3) iif=d1 oifs=r1/1 packets=0
vif_del r2 flags= ttl=1
route_add $F ($S,$G4) iif=r0 oifs=r1/1 packets=0
route_del $F (*,$G2) iif=r0 oifs=r1/1 packets=0
route_del $F ($S,$G4) iif=r0 oifs=r1/1 packets=0
vif_del r0 flags= ttl=1
vif_del r1 flags= ttl=1"
nexp=$(wc -l <<<"$expected")

# The monitor resolves names when it prints: a device deleted meanwhile
# shows as "if<index>".
norm() {
	jq -r --arg d1 "if$d1_idx" '
		def n: if . == $d1 then "d1" else . end;
		if (.event | startswith("vif")) then
			"\(.event) \(.dev | n) flags=\(.flags | join(",")) ttl=\(.ttl_threshold)"
		else
			"\(.event) \(.family) (\(if .source == "::" or .source == "0.0.0.0" then "*" else .source end),\(.group)) iif=\(.iif | n) oifs=\([.oifs[]? | "\(.dev | n)/\(.ttl)"] | join(",")) packets=\(.packets)"
		end' "$mon"
}
nmon() { grep -c '' "$mon" || true; }
n_ge() { (($(nmon) >= $1)); }
wait_for -t "$TOPO_WAIT" n_ge "$nexp" ||
	fail "monitor printed $(nmon) events, expected $nexp:"$'\n'"$(norm)"
got=$(norm)
# "flush all" removes the VIFs in ifindex order: compare the last two unordered
cmp_lines() { head -n $((nexp - 2)) <<<"$1"; tail -n 2 <<<"$1" | sort; }
[[ $(cmp_lines "$got") == "$(cmp_lines "$expected")" ]] ||
	fail "monitor events differ:"$'\n'"expected:"$'\n'"$expected"$'\n'"got:"$'\n'"$got"
check_eq "$(nmon)" "$nexp" "number of events"
check_eq "$(cat "$EV_DIR/mon.err")" "" "monitor stderr"
check_eq $(($(stats_field events_sent) - sent0)) "$nexp" "events_sent"
check_eq "$(stats_field events_dropped)" 0 "events_dropped"

# the monitor in rx1 saw nothing of this netns, but is alive (its own
# netns' sync events reach it)
ev_sync other
check_eq "$(grep -vc '"dev":"evsync[0-9]*"' "$EV_DIR/other.mon" || true)" 0 "events seen in rx1"
pass "$nexp route and VIF notifications in order, from other processes and from device removal"
