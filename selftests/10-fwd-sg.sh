#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# (S,G) forwarding: a route from r0 to r1..r3 delivers every packet to the
# three receivers and none to rx4 (a VIF, but not an output); route, VIF and
# netns counters equal what was sent; copies leave with TTL-1 and an intact
# payload.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=239.1.1.1 S=10.0.0.2 N=25 SIZE=200
LEN=$((SIZE + 28))	# IP + UDP header

topo_init 4
topo_mfwd
mf route add group $G source $S iif r0 oif r1 oif r2 oif r3
rx_start_all $G

send -- --group $G --count $N --size $SIZE --ttl 64
topo_sync
check_rx $G "1=$N 2=$N 3=$N 4=0"
for k in 1 2 3; do
	check_eq "$(rx_ttls rx$k eth0 $G)" "63:$N" "rx$k TTLs (sent 64)"
	check_eq "$(rx_srcs rx$k eth0 $G)" "$S:$N" "rx$k sources"
	check_eq "$(rx_bad rx$k eth0 $G)" 0 "rx$k corrupted payloads"
	check_eq "$(rx_bytes rx$k eth0 $G)" $((N * SIZE)) "rx$k payload bytes"
done

# route counters
check_eq "$(route_field $G $S packets)" $N "route packets"
check_eq "$(route_field $G $S bytes)" $((N * LEN)) "route bytes"
check_eq "$(route_field $G $S wrong_if)" 0 "route wrong_if"
check_eq "$("$MFWDCTL" -j route show | jsel 'len(d)')" 1 "number of routes"

# VIF counters (vif show -s)
check_eq "$(vif_field r0 pkts_in)" $N "r0 pkts_in"
check_eq "$(vif_field r0 bytes_in)" $((N * LEN)) "r0 bytes_in"
check_eq "$(vif_field r0 pkts_out)" 0 "r0 pkts_out"
for k in 1 2 3; do
	check_eq "$(vif_field r$k pkts_out)" $N "r$k pkts_out"
	check_eq "$(vif_field r$k bytes_out)" $((N * LEN)) "r$k bytes_out"
	check_eq "$(vif_field r$k pkts_in)" 0 "r$k pkts_in"
done
check_eq "$(vif_field r4 pkts_out)" 0 "r4 pkts_out"
# The text output carries the same numbers.
"$MFWDCTL" -s vif show | grep -A1 '^dev r1 ' | grep -q "out: packets $N bytes $((N * LEN))" ||
	fail "vif show -s text for r1: $("$MFWDCTL" -s vif show)"

# netns counters
check_eq "$(stats_field forwarded)" $N "stats forwarded"
check_eq "$(stats_field copies)" $((3 * N)) "stats copies"
for c in drop_rpf drop_ttl drop_mtu drop_no_vif drop_nomem drop_queue_full unres_entries; do
	check_eq "$(stats_field $c)" 0 "stats $c"
done
pass "(S,G) to 3 of 4 receivers: $N packets each, counters exact"
