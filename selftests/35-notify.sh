#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Notifications: "mfwdctl monitor" in its own process sees, in order, what
# other processes and the kernel do: VIF add/del (with flags and
# threshold), route add, replace (ROUTE_ADD, new outputs, counters kept),
# del, the route change when an output device is deleted (VIF_DEL, then
# ROUTE_ADD without it: the routes are walked after RTNL is released), the
# ROUTE_DEL when the input device is deleted, flush (ROUTE_DEL per
# route) and "flush all" (VIF_DEL per VIF); events_sent counts them; a
# listener in another netns sees none of them.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

ctl_topo 2
G2=239.1.2.4 G3=239.1.2.5 G4=239.1.2.6
ip -n "$RTR" link add d0 type dummy
ip -n "$RTR" link add d1 type dummy
ip -n "$RTR" link set d0 up
ip -n "$RTR" link set d1 up
d1_idx=$(ip netns exec "$RTR" cat /sys/class/net/d1/ifindex)
ctl_monitor mon
mon=$CTL_TMP/mon.mon
ctl_listen other "$RCV1"
sent0=$(ctl_stat events_sent)

rctl vif add dev d0 ttl-threshold 3
rctl vif add dev d1 noallmulti
rctl route add group "$GRP" source "$SRC_IP" iif r0 oif r1
ctl_send "$SRC" --ifaddr "$SRC_IP" --group "$GRP" --count 2 >/dev/null
cwait ctl_out_eq 2 ctl_route_field "$GRP" "$SRC_IP" packets || fail "route did not forward"
rctl route replace group "$GRP" source "$SRC_IP" iif r0 oif r1 oif d0/5
rctl route add group "$G2" iif r0 oif d0 oif d1 oif r1
rctl route add group "$G3" source "$SRC_IP" iif d1 oif r1
rctl route del group "$GRP" source "$SRC_IP"
timeout 10 ip -n "$RTR" link del d0 || fail "ip link del d0 hangs or fails"
timeout 10 ip -n "$RTR" link del d1 || fail "ip link del d1 hangs or fails"
rctl vif del dev r2
rctl route add group "$G4" source "$SRC_IP" iif r0 oif r1
rctl flush
rctl flush all
check_eq "$(rctl -j config show | jq -c '[.vif_count, .route_count]')" "[0,0]" "VIFs and routes left"

expected="vif_add d0 flags= ttl=3
vif_add d1 flags=noallmulti ttl=1
route_add ($SRC_IP,$GRP) iif=r0 oifs=r1/1 packets=0
route_add ($SRC_IP,$GRP) iif=r0 oifs=r1/1,d0/5 packets=2
route_add (*,$G2) iif=r0 oifs=d0/3,d1/1,r1/1 packets=0
route_add ($SRC_IP,$G3) iif=d1 oifs=r1/1 packets=0
route_del ($SRC_IP,$GRP) iif=r0 oifs=r1/1,d0/5 packets=2
vif_del d0 flags= ttl=3
route_add (*,$G2) iif=r0 oifs=d1/1,r1/1 packets=0
vif_del d1 flags=noallmulti ttl=1
route_add (*,$G2) iif=r0 oifs=r1/1 packets=0
route_del ($SRC_IP,$G3) iif=d1 oifs=r1/1 packets=0
vif_del r2 flags= ttl=1
route_add ($SRC_IP,$G4) iif=r0 oifs=r1/1 packets=0
route_del (*,$G2) iif=r0 oifs=r1/1 packets=0
route_del ($SRC_IP,$G4) iif=r0 oifs=r1/1 packets=0
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
			"\(.event) (\(if .source == "0.0.0.0" then "*" else .source end),\(.group)) iif=\(.iif | n) oifs=\([.oifs[]? | "\(.dev | n)/\(.ttl)"] | join(",")) packets=\(.packets)"
		end' "$mon"
}
cwait ctl_out_ge "$nexp" grep -c '' "$mon" ||
	fail "monitor printed $(wc -l <"$mon") events, expected $nexp:"$'\n'"$(norm)"
got=$(norm)
# "flush all" removes the VIFs in ifindex order: compare the last two unordered
cmp_lines() { head -n $((nexp - 2)) <<<"$1"; tail -n 2 <<<"$1" | sort; }
[[ $(cmp_lines "$got") == "$(cmp_lines "$expected")" ]] ||
	fail "monitor events differ:"$'\n'"expected:"$'\n'"$expected"$'\n'"got:"$'\n'"$got"
check_eq "$(wc -l <"$mon")" "$nexp" "number of events"
check_eq "$(cat "$CTL_TMP/mon.mon.err")" "" "monitor stderr"
check_eq $(($(ctl_stat events_sent) - sent0)) "$nexp" "events_sent"
check_eq "$(ctl_stat events_dropped)" 0 "events_dropped"

# the listener in the other netns saw nothing, but is alive
check_eq "$(wc -l <"$CTL_TMP/other.ev")" 0 "events seen in $RCV1"
ip netns exec "$RCV1" "$MFWDCTL" vif add dev c1
cwait grep -q '"cmd": "vif_add"' "$CTL_TMP/other.ev" || fail "listener in $RCV1 is not working"
check_eq "$(jq -r '"\(.cmd) \(.ifname)"' "$CTL_TMP/other.ev")" "vif_add c1" "events seen in $RCV1"
ctl_stop mon
ctl_pass "$nexp notifications in order, from other processes and from device removal"
