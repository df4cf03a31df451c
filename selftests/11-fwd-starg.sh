#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# (*,G) forwarding: a wildcard route from r0 to r1 and r2 forwards packets
# of any source (two source addresses here) to both, none to rx3; the route
# counts all of them; no (S,G) state is created for the sources.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=239.1.2.1 N1=15 N2=10 SIZE=100
LEN=$((SIZE + 28))

topo_init 3
ip -n src addr add 10.0.0.3/24 dev eth0
topo_mfwd
mf route add group $G iif r0 oif r1 oif r2
check_eq "$("$MFWDCTL" -j route show | jsel 'd[0]["source"]')" '*' "route source"
rx_start_all $G

send -- --group $G --count $N1 --size $SIZE --iface-addr 10.0.0.2
send -- --group $G --count $N2 --size $SIZE --iface-addr 10.0.0.3
topo_sync
N=$((N1 + N2))
check_rx $G "1=$N 2=$N 3=0"
for k in 1 2; do
	check_eq "$(rx_srcs rx$k eth0 $G)" "10.0.0.2:$N1 10.0.0.3:$N2" "rx$k sources"
	check_eq "$(rx_ttls rx$k eth0 $G)" "63:$N" "rx$k TTLs"
	check_eq "$(rx_bad rx$k eth0 $G)" 0 "rx$k corrupted payloads"
done

check_route $G '*' packets=$N bytes=$((N * LEN)) wrong_if=0
check_eq "$(config_field route_count)" 1 "route count (no (S,G) created)"
check_stats forwarded=$N copies=$((2 * N)) unres_entries=0 drop_rpf=0
check_vifs r1.pkts_out=$N r2.pkts_out=$N r3.pkts_out=0

# A different group is not matched by the (*,G) route.
send -- --group 239.1.2.2 --count 3
topo_sync
check_route $G '*' packets=$N
check_stats forwarded=$N
for k in 1 2 3; do
	check_eq "$(rx_count rx$k eth0 239.1.2.2)" 0 "rx$k got the unrouted group"
done
pass "(*,G): $N1+$N2 packets from 2 sources to rx1, rx2; none to rx3"
