#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 multicast sent by the router itself (41-local-origin for IPv6,
# mfwd's side; 89-diff-ip6mr compares with ip6mr):
#  - an application on the router sends to a routed group out of r0
#    (IPV6_MULTICAST_IF, hop limit 8, loopback on) and NO socket on the
#    router joined the group: the route whose iif is r0 forwards it (mfwd's
#    LOCAL_OUT hook; rx1, rx2 get every packet with hop limit 7);
#  - it sends to a group without a route: mfwd raises one NOCACHE (family
#    inet6, router address, G, r0) and queues the packets;
#  - it sends out of r1 to a group whose route's iif is r0, with a socket
#    on the router joined on r1 (so the packets are looped back on r1): the
#    socket gets them once, nothing is forwarded, and mfwd counts no
#    wrong_if and sends no WRONGVIF for its own packets;
#  - copies forwarded out of r1 where a router socket joined the group are
#    delivered to that socket as well (hop limit decremented), once.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

require_mfwdctl
G1=ff0e::95:1 G2=ff0e::95:2 G3=ff0e::95:3 G4=ff0e::95:4
R0=2001:db8::1 R1=2001:db8:1::1 S=$TOPO_SRC6 N=6 QLEN=4

topo_init -6 3
topo_mfwd
mf route add group $G1 source $R0 iif r0 oif r1 oif r2
mf route add group $G3 source $R1 iif r0 oif r2
mf route add group $G4 source $S iif r0 oif r1 oif r2
mf config set unres-qlen $QLEN unres-timeout 600000
ev_monitor mon

rx_start_all $G1 $G2 $G3 $G4
# a router socket on r1 (an output of G4, the sending interface of G3)
RX_NOSYNC=1 rx_start local1 - r1 $G3 $G4
# from the router: G1 and G2 out of r0, G3 out of r1 (one run)
send - -- \
	--group $G1 --count $N --ttl 8 --iface-addr $R0 --loop --next \
	--group $G2 --count $N --ttl 8 --iface-addr $R0 --loop --next \
	--group $G3 --count $N --ttl 8 --iface-addr $R1 --loop
# from the source behind r0
send -- --group $G4 --count $N --ttl 64
wait_rx local1 r1 $G3 $N
topo_sync
# copies for local1 (G4) are looped back: poll, they may trail the sync
wait_for -t 5 __rx_atleast local1 r1 $G4 $N || true
topo_sync
for k in 1 2 3; do rx_summary rx$k eth0 $G1 $G2 $G3 $G4; done >"$TOPO_DIR/got.out"
rx_summary local1 r1 $G3 $G4 >>"$TOPO_DIR/got.out"

cat >"$TOPO_DIR/expected.out" <<EOX
rx1 $G1 $N ttl 7:$N bad 0
rx1 $G2 0 ttl  bad 0
rx1 $G3 $N ttl 8:$N bad 0
rx1 $G4 $N ttl 63:$N bad 0
rx2 $G1 $N ttl 7:$N bad 0
rx2 $G2 0 ttl  bad 0
rx2 $G3 0 ttl  bad 0
rx2 $G4 $N ttl 63:$N bad 0
rx3 $G1 0 ttl  bad 0
rx3 $G2 0 ttl  bad 0
rx3 $G3 0 ttl  bad 0
rx3 $G4 0 ttl  bad 0
local1 $G3 $N ttl 8:$N bad 0
local1 $G4 $N ttl 63:$N bad 0
EOX
ev_sync mon
soft diff -u "$TOPO_DIR/expected.out" "$TOPO_DIR/got.out"
# mfwd's view: its own packets forwarded along (R0,G1), no RPF failure for
# the looped-back ones on r1, one NOCACHE for (R0,G2).
soft check_route $G1 $R0 family=inet6 packets=$N wrong_if=0
soft check_route $G3 $R1 family=inet6 packets=0 wrong_if=0
soft check_route $G4 $S family=inet6 packets=$N wrong_if=0
soft check_eq "$(ev_count mon '"event":"wrongvif"')" 0 \
	"WRONGVIF events for the router's own looped-back packets"
soft check_eq "$(ev_count mon '"event":"nocache"')" 1 "NOCACHE events"
soft check_eq "$(ev_count mon "^\\{\"event\":\"nocache\",\"family\":\"inet6\",\"source\":\"$R0\",\"group\":\"$G2\",\"iif\":\"r0\"\\}$")" 1 \
	"NOCACHE ($R0,$G2) on r0"
soft check_stats unres_entries=1 unres_packets=$QLEN drop_queue_full=$((N - QLEN)) \
	forwarded=$((2 * N)) copies=$((4 * N))
log "drop_rpf $(stats_field drop_rpf), r1 pkts_in $(vif_field r1 pkts_in) (not asserted)"
((${#SOFT_ERRS[@]} == 0)) || log "events:"$'\n'"$(ev_show mon)"
soft_done
pass "router-originated IPv6 multicast forwarded, queued, not an RPF failure; local sockets on outputs get copies once"
