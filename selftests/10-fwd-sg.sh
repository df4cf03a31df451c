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
check_route $G $S packets=$N bytes=$((N * LEN)) wrong_if=0 iif=r0 \
	oifs='[{"dev":"r1","ttl":1},{"dev":"r2","ttl":1},{"dev":"r3","ttl":1}]'
check_eq "$("$MFWDCTL" -j route show | jsel 'len(d)')" 1 "number of routes"

# VIF counters (vif show -s)
check_vifs r0.pkts_in=$N r0.bytes_in=$((N * LEN)) r0.pkts_out=0 r0.bytes_out=0 \
	r1.pkts_out=$N r1.bytes_out=$((N * LEN)) r1.pkts_in=0 \
	r2.pkts_out=$N r2.bytes_out=$((N * LEN)) r2.pkts_in=0 \
	r3.pkts_out=$N r3.bytes_out=$((N * LEN)) r3.pkts_in=0 \
	r4.pkts_out=0 r4.pkts_in=0
# The text output carries the same numbers.
"$MFWDCTL" -s vif show | grep -A1 '^dev r1 ' | grep -q "out: packets $N bytes $((N * LEN))" ||
	fail "vif show -s text for r1: $("$MFWDCTL" -s vif show)"

# netns counters
check_stats forwarded=$N copies=$((3 * N)) drop_rpf=0 drop_ttl=0 drop_mtu=0 \
	drop_no_vif=0 drop_nomem=0 drop_queue_full=0 unres_entries=0
pass "(S,G) to 3 of 4 receivers: $N packets each, counters exact"
