#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Deleting a route stops its traffic at once; adding it back resumes it.
# In between, packets of the deleted route go to the unresolved queue
# (bounded by unres-qlen, the rest counted in drop_queue_full); the re-add
# releases the queued ones, in order, to the new outputs.  With
# unres-qlen 0 nothing is queued and only new traffic flows after re-add.
# Every copy arrives intact with TTL (hop limit) 63.  IPv4, then IPv6.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
G=$(fam 239.1.6.1 ff0e::6:1) S=$(fam 10.0.0.2 "$TOPO_SRC6") N=10 Q=4

topo_init 3
topo_mfwd
# Queued packets must not expire during the test, whatever TCG's speed.
mf config set unres-timeout 3600000 unres-qlen $Q
mf route add group "$G" source "$S" iif r0 oif r1 oif r2
rx_start_all "$G"

send -- --group "$G" --count $N
topo_sync
check_rx "$G" "1=$N 2=$N 3=0"

mf route del group "$G" source "$S"
check_eq "$(config_field route_count)" 0 "routes after delete"
send -- --group "$G" --count $N
topo_sync
check_rx "$G" "1=$N 2=$N 3=0"
check_stats unres_entries=1 unres_packets=$Q drop_queue_full=$((N - Q))

# Re-add (to r2, r3): the $Q queued packets go out, then new traffic.
mf route add group "$G" source "$S" iif r0 oif r2 oif r3
check_stats unres_entries=0 unres_packets=0
topo_sync
check_rx "$G" "1=$N 2=$((N + Q)) 3=$Q"
send -- --group "$G" --count $N
topo_sync
check_rx "$G" "1=$N 2=$((2 * N + Q)) 3=$((N + Q))"
check_route "$G" "$S" family=$FAMNAME packets=$((N + Q))

# Same without a queue.
mf config set unres-qlen 0
mf route del group "$G" source "$S"
send -- --group "$G" --count $N
topo_sync
check_rx "$G" "1=$N 2=$((2 * N + Q)) 3=$((N + Q))"
check_stats unres_packets=0
mf route add group "$G" source "$S" iif r0 oif r1 oif r3
topo_sync
check_rx "$G" "1=$N 2=$((2 * N + Q)) 3=$((N + Q))"
send -- --group "$G" --count $N
topo_sync
check_rx "$G" "1=$((2 * N)) 2=$((2 * N + Q)) 3=$((2 * N + Q))"
for k in 1 2 3; do
	n=$(rx_count rx$k eth0 "$G")
	check_eq "$(rx_ttls rx$k eth0 "$G")" "63:$n" "rx$k TTLs (sent 64)"
	check_eq "$(rx_srcs rx$k eth0 "$G")" "$S:$n" "rx$k sources"
	check_eq "$(rx_bad rx$k eth0 "$G")" 0 "rx$k corrupted payloads"
done
pass "route delete stops traffic, re-add resumes it (queued: $Q)"
