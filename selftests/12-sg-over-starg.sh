#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# (S,G) wins over (*,G): with (S,G) -> r1 r2 and (*,G) -> r2 r3, packets
# from S go to rx1, rx2 only and packets from another source to rx2, rx3
# only, each counted on its own route.  After the (S,G) route is deleted,
# S falls back to (*,G); after it is added back, S uses it again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=239.1.3.1 S=10.0.0.2 S2=10.0.0.3 N1=12 N2=7

topo_init 4
ip -n src addr add $S2/24 dev eth0
topo_mfwd
mf route add group $G iif r0 oif r2 oif r3
mf route add group $G source $S iif r0 oif r1 oif r2
rx_start_all $G

send -- --group $G --count $N1 --iface-addr $S
send -- --group $G --count $N2 --iface-addr $S2
topo_sync
check_rx $G "1=$N1 2=$((N1 + N2)) 3=$N2 4=0"
check_eq "$(rx_srcs rx1 eth0 $G)" "$S:$N1" "rx1 sources"
check_eq "$(rx_srcs rx2 eth0 $G)" "$S:$N1 $S2:$N2" "rx2 sources"
check_eq "$(rx_srcs rx3 eth0 $G)" "$S2:$N2" "rx3 sources"
check_route $G $S packets=$N1
check_route $G '*' packets=$N2
check_stats forwarded=$((N1 + N2)) copies=$((2 * N1 + 2 * N2))

# Without the (S,G) route, S takes the (*,G) route.
mf route del group $G source $S
send -- --group $G --count $N1 --iface-addr $S
topo_sync
check_rx $G "1=$N1 2=$((2 * N1 + N2)) 3=$((N1 + N2)) 4=0"
check_route $G '*' packets=$((N1 + N2))

# Added back (it is a new route: counters from 0), it wins again.
mf route add group $G source $S iif r0 oif r1 oif r4
send -- --group $G --count $N1 --iface-addr $S
topo_sync
check_rx $G "1=$((2 * N1)) 2=$((2 * N1 + N2)) 3=$((N1 + N2)) 4=$N1"
check_route $G $S packets=$N1
check_route $G '*' packets=$((N1 + N2))
check_stats unres_entries=0
pass "(S,G) preferred over (*,G); fallback after delete"
