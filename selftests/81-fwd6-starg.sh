#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 (*,G) forwarding: a wildcard route for ff0e::81:1 from r0 to r1 and
# r2 forwards packets of any source (two source addresses here) to both,
# none to rx3, hop limit - 1, payloads intact; the route counts all of
# them; no (S,G) state is created for the sources.  Another group is not
# matched by it: its packets wait as unresolved (one entry, 3 packets).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=ff0e::81:1 G2=ff0e::81:2 S1=$TOPO_SRC6 S2=2001:db8::3 N1=15 N2=10 SIZE=100
LEN=$((SIZE + 48))

topo_init -6 3
ip -n src addr add $S2/64 dev eth0 nodad
topo_mfwd
mf config set unres-timeout 600000
mf route add group $G iif r0 oif r1 oif r2
check_eq "$("$MFWDCTL" -j route show | jsel '[d[0]["family"], d[0]["group"], d[0]["source"]]')" \
	"[\"inet6\", \"$G\", \"*\"]" "the (*,G) route as shown"
rx_start_all $G $G2

send -- --group $G --count $N1 --size $SIZE --iface-addr $S1
send -- --group $G --count $N2 --size $SIZE --iface-addr $S2
topo_sync
N=$((N1 + N2))
check_rx $G "1=$N 2=$N 3=0"
for k in 1 2; do
	check_eq "$(rx_srcs rx$k eth0 $G)" "$S1:$N1 $S2:$N2" "rx$k sources"
	check_eq "$(rx_ttls rx$k eth0 $G)" "63:$N" "rx$k hop limits"
	check_eq "$(rx_bad rx$k eth0 $G)" 0 "rx$k corrupted payloads"
done

check_route $G '*' family=inet6 packets=$N bytes=$((N * LEN)) wrong_if=0
check_eq "$(config_field route_count)" 1 "route count (no (S,G) created)"
check_stats forwarded=$N copies=$((2 * N)) unres_entries=0 drop_rpf=0
check_vifs r1.pkts_out=$N r2.pkts_out=$N r3.pkts_out=0 r0.pkts_in=$N

# A different group is not matched by the (*,G) route: it is unresolved.
send -- --group $G2 --count 3
topo_sync
check_rx $G2 "1=0 2=0 3=0"
check_route $G '*' packets=$N
check_stats forwarded=$N unres_entries=1 unres_packets=3
pass "IPv6 (*,G): $N1+$N2 packets from 2 sources to rx1, rx2; none to rx3"
