#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 (S,G) forwarding: a route for (2001:db8::2, ff0e::80:1) from r0 to
# r1..r3 delivers every packet to the three receivers and none to rx4 (a
# VIF, but not an output); copies leave with hop limit - 1 and an intact
# payload; route, VIF and netns counters equal what was sent (bytes: the
# IPv6 packet, 40-byte header included); the route is shown with family
# inet6.  An IPv4 route for the same VIFs, sent to in the same run, is
# counted apart: one VIF serves both families.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=ff0e::80:1 S=$TOPO_SRC6 N=25 SIZE=200
LEN=$((SIZE + 48))	# IPv6 + UDP header
G4=239.1.80.1 N4=7 LEN4=$((SIZE + 28))

topo_init -6 4
topo_mfwd
mf route add group $G source $S iif r0 oif r1 oif r2 oif r3
mf route add group $G4 source 10.0.0.2 iif r0 oif r1
rx_start_all $G $G4

send -- --group $G --count $N --size $SIZE --ttl 64
send -- --group $G4 --count $N4 --size $SIZE --ttl 64
topo_sync
check_rx $G "1=$N 2=$N 3=$N 4=0"
check_rx $G4 "1=$N4 2=0 3=0 4=0"
for k in 1 2 3; do
	check_eq "$(rx_ttls rx$k eth0 $G)" "63:$N" "rx$k hop limits (sent 64)"
	check_eq "$(rx_srcs rx$k eth0 $G)" "$S:$N" "rx$k sources"
	check_eq "$(rx_bad rx$k eth0 $G)" 0 "rx$k corrupted payloads"
	check_eq "$(rx_bytes rx$k eth0 $G)" $((N * SIZE)) "rx$k payload bytes"
done

# the route: family, addresses as given, counters
check_route $G $S family=inet6 group=$G source=$S packets=$N bytes=$((N * LEN)) \
	wrong_if=0 iif=r0 \
	oifs='[{"dev":"r1","ttl":1},{"dev":"r2","ttl":1},{"dev":"r3","ttl":1}]'
check_route $G4 10.0.0.2 family=inet packets=$N4 bytes=$((N4 * LEN4))
check_eq "$("$MFWDCTL" -j route show | jsel 'sorted(r["family"] for r in d)')" \
	'["inet", "inet6"]' "families of the routes"

# VIF counters: both families
check_vifs r0.pkts_in=$((N + N4)) r0.bytes_in=$((N * LEN + N4 * LEN4)) r0.pkts_out=0 \
	r1.pkts_out=$((N + N4)) r1.bytes_out=$((N * LEN + N4 * LEN4)) r1.pkts_in=0 \
	r2.pkts_out=$N r2.bytes_out=$((N * LEN)) r2.pkts_in=0 \
	r3.pkts_out=$N r3.bytes_out=$((N * LEN)) r3.pkts_in=0 \
	r4.pkts_out=0 r4.pkts_in=0

# netns counters
check_stats forwarded=$((N + N4)) copies=$((3 * N + N4)) drop_rpf=0 drop_ttl=0 \
	drop_mtu=0 drop_no_vif=0 drop_nomem=0 drop_queue_full=0 unres_entries=0
pass "IPv6 (S,G) to 3 of 4 receivers: $N packets each, hop limit 63, counters exact"
