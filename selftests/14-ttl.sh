#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# TTL thresholds: outputs r1 (VIF default threshold 1), r2 (VIF threshold 5)
# and r3 (route threshold 10).  A copy leaves only if the packet's TTL is
# greater than the output's threshold, and leaves with TTL-1: TTL 1 goes
# nowhere, TTL equal to a threshold not out of that output.  Every copy on
# the wire has a correct IP header checksum (raw capture on rx1, rx3).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=239.1.5.1 S=10.0.0.2 N=4

topo_init 3
topo_mfwd r0 r1 r3
mf vif add dev r2 ttl-threshold 5
check_eq "$(vif_field r2 ttl_threshold)" 5 "r2 threshold"
mf route add group $G source $S iif r0 oif r1 oif r2 oif r3/10
check_eq "$(route_oifs $G $S)" "r1/1 r2/5 r3/10" "route oifs"
rx_start_all $G
cap_start cap1 rx1 eth0 $G
cap_start cap3 rx3 eth0 $G

for ttl in 1 5 6 10 11 255; do
	send -- --group $G --count $N --ttl $ttl
done
topo_sync
check_rx $G "1=$((5 * N)) 2=$((4 * N)) 3=$((2 * N))"
check_eq "$(rx_ttls rx1 eth0 $G)" "4:$N 5:$N 9:$N 10:$N 254:$N" "rx1 (threshold 1) TTLs"
check_eq "$(rx_ttls rx2 eth0 $G)" "5:$N 9:$N 10:$N 254:$N" "rx2 (threshold 5) TTLs"
check_eq "$(rx_ttls rx3 eth0 $G)" "10:$N 254:$N" "rx3 (threshold 10) TTLs"
for k in 1 2 3; do
	check_eq "$(rx_bad rx$k eth0 $G)" 0 "rx$k corrupted payloads"
done

# The wire: what the sockets got, all with good checksums.
wait_for -t "$TOPO_WAIT" test "$(cap_field cap3 pkts)" -ge $((2 * N)) || true
check_eq "$(cap_field cap1 pkts)" $((5 * N)) "rx1 captured packets"
check_eq "$(cap_field cap1 csum_bad)" 0 "rx1 bad IP checksums"
check_eq "$(cap_field cap1 ttl 254)" $N "rx1 captured TTL 254"
check_eq "$(cap_field cap1 ttl 4)" $N "rx1 captured TTL 4"
check_eq "$(cap_field cap3 pkts)" $((2 * N)) "rx3 captured packets"
check_eq "$(cap_field cap3 csum_bad)" 0 "rx3 bad IP checksums"

# Counters: the route counts every packet it matched (as ipmr does), copies
# and TTL drops per output.
check_route $G $S packets=$((6 * N))
check_stats forwarded=$((6 * N)) copies=$((11 * N)) drop_ttl=$((7 * N))
check_vifs r1.pkts_out=$((5 * N)) r2.pkts_out=$((4 * N)) r3.pkts_out=$((2 * N))
pass "TTL thresholds 1/5/10 with TTL 1,5,6,10,11,255"
