#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Local delivery is unchanged: a socket on the router that joined G on the
# input interface r0 gets every packet exactly once, with the TTL (hop
# limit) it was sent with and its source, while the packets are forwarded
# to r1 and r2.  A router socket that joined G on an output (r1) gets every
# forwarded copy once, with TTL-1 (copies are looped back to it, as ipmr's
# ip_mc_output and IPv6's ip6_finish_output2 do).  A group without a route
# still reaches the local socket while its packets wait in the unresolved
# queue; installing the route forwards the queued ones (TTL-1) without a
# second local delivery.  IPv4, then IPv6.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
G=$(fam 239.1.9.1 ff0e::1:9:1) G2=$(fam 239.1.9.2 ff0e::1:9:2)
S=$(fam 10.0.0.2 "$TOPO_SRC6") N=12 Q=4

topo_init 3
topo_mfwd
mf config set unres-timeout 3600000 unres-qlen $Q
mf route add group "$G" source "$S" iif r0 oif r1 oif r2
rx_start_all "$G" "$G2"
RX_NOSYNC=1 rx_start local - r0 "$G" "$G2"
RX_NOSYNC=1 rx_start local1 - r1 "$G" "$G2"

send -- --group "$G" --count $N --ttl 20
topo_sync
wait_rx local r0 "$G" $N
wait_rx local1 r1 "$G" $N
topo_sync	# the local receivers have written their final counts meanwhile
check_rx "$G" "1=$N 2=$N 3=0"
check_eq "$(rx_count local r0 "$G")" $N "local socket on r0"
check_eq "$(rx_ttls local r0 "$G")" "20:$N" "local socket TTLs (not decremented)"
check_eq "$(rx_srcs local r0 "$G")" "$S:$N" "local socket sources"
check_eq "$(rx_bad local r0 "$G")" 0 "local socket corrupted payloads"
check_eq "$(rx_count local1 r1 "$G")" $N "local socket on output r1"
check_eq "$(rx_ttls local1 r1 "$G")" "19:$N" "local socket on output r1: TTLs"
check_eq "$(rx_bad local1 r1 "$G")" 0 "local socket on output r1: corrupted payloads"
check_eq "$(rx_ttls rx1 eth0 "$G")" "19:$N" "rx1 TTLs"
check_route "$G" "$S" family=$FAMNAME packets=$N
check_stats forwarded=$N copies=$((2 * N))

# No route: the local socket still gets everything, $Q wait for a route.
send -- --group "$G2" --count $N
wait_rx local r0 "$G2" $N
topo_sync
check_rx "$G2" "1=0 2=0 3=0"
check_eq "$(rx_count local r0 "$G2")" $N "local socket on r0, unrouted group"
check_stats unres_entries=1 unres_packets=$Q drop_queue_full=$((N - Q))
mf route add group "$G2" iif r0 oif r3
topo_sync
check_rx "$G2" "1=0 2=0 3=$Q"
check_eq "$(rx_ttls rx3 eth0 "$G2")" "63:$Q" "rx3 TTLs of the released packets"
check_eq "$(rx_count local r0 "$G2")" $N "local socket on r0 after the route resolved the queue"
check_eq "$(rx_count local1 r1 "$G2")" 0 "local socket on r1, G2"
check_stats unres_entries=0 unres_packets=0 forwarded=$((N + Q))
pass "local listener on r0 gets $N/$N while forwarding"
