#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 RPF and hop-limit thresholds.  Routes (S,G) ff0e::82:1 and (*,G)
# ff0e::82:2 from r0 to r1 (VIF threshold 1, the default), r2 (VIF
# threshold 5) and r3 (route threshold 10).
#  - RPF: packets of the routes arriving on r1 (from rx1: the (S,G) one
#    with S's address, crafted; the (*,G) one from rx1's own address) are
#    forwarded nowhere, also not back out of r1, and are counted in the
#    routes' wrong_if and in stats drop_rpf; they are not queued as
#    unresolved; each route raises one WRONGVIF event (interval 1 h) with
#    family inet6, the packet's source and group, iif r1, expected iif r0
#    and the wildcard flag of the route.  The same groups from r0 still go
#    through.
#  - Hop limits 1, 5, 6, 10, 11, 255: a copy leaves only if the packet's
#    hop limit is greater than the output's threshold, and leaves with hop
#    limit - 1 (hop limit 1 goes nowhere, hop limit equal to a threshold
#    not out of that output); every receiver gets every copy intact with
#    the right hop limit, and the wire (captures on rx1 and rx3) shows the
#    same.  Counters: the route counts every packet it matched, copies
#    and drop_ttl per output.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

G1=ff0e::82:1 G2=ff0e::82:2 S=$TOPO_SRC6 N1=9 N2=6 M=5 N=4

topo_init -6 3
topo_mfwd r0 r1 r3
mf vif add dev r2 ttl-threshold 5
check_eq "$(vif_field r2 ttl_threshold)" 5 "r2 threshold"
mf config set unres-timeout 600000 wrongvif-interval 3600000
mf route add group $G1 source $S iif r0 oif r1 oif r2 oif r3/10
mf route add group $G2 iif r0 oif r1 oif r2 oif r3/10
check_eq "$(route_oifs $G1 $S)" "r1/1 r2/5 r3/10" "route oifs"
rx_start_all $G1 $G2
cap_start cap1 rx1 eth0 $G1
cap_start cap3 rx3 eth0 $G1
ev_monitor mon

# ---- RPF: from rx1 into r1 ---------------------------------------------------
ns_exec rx1 python3 "$TOPO_HELPERS/rawsend.py" --ifname eth0 --src $S \
	--group $G1 --count $N1 --ttl 64 >/dev/null || fail "rawsend.py failed"
send rx1 -- --group $G2 --count $N2 --iface-addr 2001:db8:1::2
topo_sync
check_rx $G1 "1=0 2=0 3=0"
check_rx $G2 "1=0 2=0 3=0"
check_route $G1 $S wrong_if=$N1 packets=0
check_route $G2 '*' wrong_if=$N2 packets=0
check_stats drop_rpf=$((N1 + N2)) forwarded=0 copies=0 unres_entries=0 unres_packets=0
check_vifs r1.pkts_in=$((N1 + N2)) r0.pkts_in=0 r1.pkts_out=0 r2.pkts_out=0 r3.pkts_out=0
check_eq "$(cap_field cap1 pkts)" 0 "packets to $G1 on rx1's wire (none back out of r1)"
ev_sync mon
check_eq "$(ev_show mon | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e.get("event") in ("wrongvif", "nocache"):
        print(e["event"], e.get("family"), e.get("source"), e.get("group"),
              e.get("iif"), e.get("expected_iif"), e.get("wildcard"))' | LC_ALL=C sort)" \
	"wrongvif inet6 2001:db8:1::2 $G2 r1 r0 True
wrongvif inet6 $S $G1 r1 r0 False" "WRONGVIF events (and no NOCACHE)"

# the right interface still works, for both routes
send -- --group $G2 --count $M
topo_sync
check_rx $G2 "1=$M 2=$M 3=$M"
check_route $G2 '*' packets=$M wrong_if=$N2
log "RPF: $N1 (S,G) + $N2 (*,G) packets from r1 dropped and counted"

# ---- hop-limit thresholds ------------------------------------------------------
args=()
for hl in 1 5 6 10 11 255; do
	args+=(--group "$G1" --count "$N" --ttl "$hl" --iface-addr "$S" --next)
done
send -- "${args[@]:0:${#args[@]}-1}"
topo_sync
check_rx $G1 "1=$((5 * N)) 2=$((4 * N)) 3=$((2 * N))"
check_eq "$(rx_ttls rx1 eth0 $G1)" "4:$N 5:$N 9:$N 10:$N 254:$N" "rx1 (threshold 1) hop limits"
check_eq "$(rx_ttls rx2 eth0 $G1)" "5:$N 9:$N 10:$N 254:$N" "rx2 (threshold 5) hop limits"
check_eq "$(rx_ttls rx3 eth0 $G1)" "10:$N 254:$N" "rx3 (threshold 10) hop limits"
for k in 1 2 3; do
	check_eq "$(rx_bad rx$k eth0 $G1)" 0 "rx$k corrupted payloads"
	check_eq "$(rx_srcs rx$k eth0 $G1)" "$S:$(rx_count rx$k eth0 $G1)" "rx$k sources"
done

# the wire: what the sockets got
# shellcheck disable=SC2317  # called through wait_for
cap_atleast() { (($(cap_field "$1" "$2") >= $3)); }
wait_for -t "$TOPO_WAIT" cap_atleast cap3 pkts $((2 * N)) || true
wait_for -t "$TOPO_WAIT" cap_atleast cap1 pkts $((5 * N)) || true
check_eq "$(cap_field cap1 pkts)" $((5 * N)) "rx1 captured packets"
check_eq "$(cap_field cap1 ttl 254)" $N "rx1 captured hop limit 254"
check_eq "$(cap_field cap1 ttl 4)" $N "rx1 captured hop limit 4"
check_eq "$(cap_field cap1 len $((100 + 48)))" $((5 * N)) "rx1 captured length"
check_eq "$(cap_field cap3 pkts)" $((2 * N)) "rx3 captured packets"
check_eq "$(cap_field cap3 ttl 10)" $N "rx3 captured hop limit 10"

check_route $G1 $S packets=$((6 * N)) wrong_if=$N1
check_stats forwarded=$((6 * N + M)) copies=$((11 * N + 3 * M)) drop_ttl=$((7 * N)) \
	drop_rpf=$((N1 + N2)) unres_entries=0
check_vifs r1.pkts_out=$((5 * N + M)) r2.pkts_out=$((4 * N + M)) r3.pkts_out=$((2 * N + M))
pass "IPv6 RPF ((S,G) and (*,G)) and hop-limit thresholds 1/5/10 with hop limits 1,5,6,10,11,255"
