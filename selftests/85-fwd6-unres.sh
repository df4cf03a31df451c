#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 unresolved queue, the resolve path: packets to a group with no route
# are queued per (S,G) (at most unres-qlen, 4, each; the rest dropped and
# counted in drop_queue_full), one NOCACHE event per entry with family
# inet6 names the source, group and input VIF; adding an (S,G) route
# releases its own entry's packets at once (intact, hop limit 63) and
# leaves the other source's entry queued; later packets go straight
# through; an (*,G) route releases every entry of its group.  An IPv4
# entry queued meanwhile (NOCACHE with family inet) is released by none of
# the IPv6 routes.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

G=ff0e::85:1 G2=ff0e::85:2 S=$TOPO_SRC6 S2=2001:db8::3 G4=239.1.85.1

# nocache: "family source group iif" of every NOCACHE event, sorted
nocache() {
	ev_show mon | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e.get("event") == "nocache":
        print(e.get("family"), e.get("source"), e.get("group"), e.get("iif"))' | LC_ALL=C sort
}

topo_init -6 2
ip -n src addr add $S2/64 dev eth0 nodad
topo_mfwd
# under TCG the test takes longer than the default 10 s lifetime
mf config set unres-timeout 600000
check_eq "$(config_field unres_qlen)" 4 "default unres_qlen"
ev_monitor mon
rx_start_all $G $G2 $G4

# ---- (S,G): 6 packets from S (qlen 4), 2 from S2 ---------------------------------
send -- --group $G --count 6 --iface-addr $S
send -- --group $G --count 2 --iface-addr $S2
send -- --group $G4 --count 1
topo_sync
ev_sync mon
check_rx $G "1=0 2=0"
check_stats unres_entries=3 unres_packets=7 drop_queue_full=2 forwarded=0 copies=0
check_eq "$(nocache)" "inet 10.0.0.2 $G4 r0
inet6 $S $G r0
inet6 $S2 $G r0" "NOCACHE events (one per entry)"

mf route add group $G source $S iif r0 oif r1
wait_rx rx1 eth0 $G 4
topo_sync
check_rx $G "1=4 2=0"
check_eq "$(rx_srcs rx1 eth0 $G)" "$S:4" "sources released by the (S,G) route"
check_eq "$(rx_ttls rx1 eth0 $G)" "63:4" "hop limits of the released packets"
check_eq "$(rx_bad rx1 eth0 $G)" 0 "corrupted payloads"
check_stats unres_entries=2 unres_packets=3 forwarded=4 copies=4
check_route $G $S family=inet6 packets=4 bytes=$((4 * 148))
log "(S,G) resolve: 4 of 6 delivered, ($S2, $G) and ($G4) still queued"

send -- --group $G --count 3 --iface-addr $S
topo_sync
check_rx $G "1=7 2=0"
check_stats unres_entries=2 unres_packets=3 forwarded=7

# ---- (*,G): every source of the group --------------------------------------------
send -- --group $G2 --count 2 --iface-addr $S
send -- --group $G2 --count 2 --iface-addr $S2
topo_sync
ev_sync mon
check_stats unres_entries=4 unres_packets=7
check_eq "$(nocache | grep -c " $G2 r0$")" 2 "NOCACHE events for $G2"
mf route add group $G2 iif r0 oif r2
wait_rx rx2 eth0 $G2 4
mf route add group $G iif r0 oif r1
wait_rx rx1 eth0 $G 9
topo_sync
check_rx $G2 "1=0 2=4"
check_rx $G "1=9 2=0"
check_eq "$(rx_srcs rx2 eth0 $G2)" "$S:2 $S2:2" "sources released by the (*,G2) route"
check_eq "$(rx_srcs rx1 eth0 $G)" "$S:7 $S2:2" "sources of $G at rx1"
check_eq "$(rx_ttls rx2 eth0 $G2)" "63:4" "hop limits of $G2"
check_eq "$(rx_ttls rx1 eth0 $G)" "63:9" "hop limits of $G"
for k in 1 2; do check_eq "$(rx_bad rx$k eth0 $G)$(rx_bad rx$k eth0 $G2)" 00 "rx$k corrupted payloads"; done
check_route $G2 '*' family=inet6 packets=4
check_route $G '*' family=inet6 packets=2
# the IPv4 entry stays
check_stats unres_entries=1 unres_packets=1 forwarded=13 copies=13 drop_expired=0 drop_queue_full=2
check_rx $G4 "1=0 2=0"
check_eq "$(nocache | wc -l)" 5 "NOCACHE events in all"
pass "IPv6 NOCACHE (family inet6) once per entry; (S,G) and (*,G) routes release their queued packets"
