#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Multicast sent by the router itself, and forwarded copies for local
# sockets, compared with ipmr/ip6mr (smcrouted) like 21-diff-ipmr:
#  - an application on the router sends to a routed group out of r0
#    (IP_MULTICAST_IF/IPV6_MULTICAST_IF, TTL (hop limit) 8, loopback on as
#    by default) and NO socket on the router joined the group: the route
#    whose iif is r0 forwards it (rx1, rx2 get every packet with TTL 7);
#  - it sends to a group without a route: mfwd raises one NOCACHE (the
#    packet's family, router address, G, r0) and queues the packets;
#  - it sends out of r1 to a group whose route's iif is r0, with a socket
#    on the router joined on r1 (so the packets are looped back on r1, on
#    the old module too): the socket gets them once, nothing is forwarded,
#    and mfwd counts no wrong_if and sends no WRONGVIF for its own packets;
#  - copies forwarded out of r1 where a router socket joined the group are
#    delivered to that socket as well (TTL decremented), once.
# Both engines must deliver the same, and what is expected.  IPv4 (mfwd,
# then ipmr), then IPv6 (mfwd, then ip6mr).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
require_cmd smcrouted
! mfwd_loaded || fail "mfwd is loaded before the test"

G1=$(fam 239.4.1.1 ff0e::4:1:1) G2=$(fam 239.4.2.2 ff0e::4:2:2)
G3=$(fam 239.4.3.3 ff0e::4:3:3) G4=$(fam 239.4.4.4 ff0e::4:4:4)
R0=$(fam 10.0.0.1 2001:db8::1) R1=$(fam 10.0.1.1 2001:db8:1::1)
S=$(fam 10.0.0.2 "$TOPO_SRC6") N=6 QLEN=4

topo_init 3

cat >"$TOPO_DIR/smcroute.conf" <<EOC
phyint r0 enable
phyint r1 enable
phyint r2 enable
phyint r3 enable
mroute from r0 source $R0 group $G1 to r1 r2
mroute from r0 source $R1 group $G3 to r2
mroute from r0 source $S group $G4 to r1 r2
EOC

mfwd_setup() {
	load_mfwd
	on_exit "! mfwd_loaded || { '$MFWDCTL' flush all; rmmod mfwd; }"
	cat >"$TOPO_DIR/mfwd.batch" <<EOB
vif add dev r0
vif add dev r1
vif add dev r2
vif add dev r3
route add group $G1 source $R0 iif r0 oif r1 oif r2
route add group $G3 source $R1 iif r0 oif r2
route add group $G4 source $S iif r0 oif r1 oif r2
EOB
	mf -b "$TOPO_DIR/mfwd.batch"
	mf config set unres-qlen $QLEN unres-timeout 600000
}

scenario() {
	local k
	rx_start_all "$G1" "$G2" "$G3" "$G4"
	# a router socket on r1 (an output of G4, the sending interface of G3)
	RX_NOSYNC=1 rx_start local1 - r1 "$G3" "$G4"
	# from the router: G1 and G2 out of r0, G3 out of r1 (one run)
	send - -- \
		--group "$G1" --count $N --ttl 8 --iface-addr "$R0" --loop --next \
		--group "$G2" --count $N --ttl 8 --iface-addr "$R0" --loop --next \
		--group "$G3" --count $N --ttl 8 --iface-addr "$R1" --loop
	# from the source behind r0
	send -- --group "$G4" --count $N --ttl 64
	wait_rx local1 r1 "$G3" $N
	topo_sync
	# copies for local1 (G4) are looped back: poll, they may trail the sync
	wait_for -t 5 __rx_atleast local1 r1 "$G4" $N || true
	topo_sync
	for k in 1 2 3; do rx_summary rx$k eth0 "$G1" "$G2" "$G3" "$G4"; done
	rx_summary local1 r1 "$G3" "$G4"
	rx_stop_all
}

expected() {
	local n=$N
	cat <<EOX
rx1 $G1 $n ttl 7:$n bad 0
rx1 $G2 0 ttl  bad 0
rx1 $G3 $n ttl 8:$n bad 0
rx1 $G4 $n ttl 63:$n bad 0
rx2 $G1 $n ttl 7:$n bad 0
rx2 $G2 0 ttl  bad 0
rx2 $G3 0 ttl  bad 0
rx2 $G4 $n ttl 63:$n bad 0
rx3 $G1 0 ttl  bad 0
rx3 $G2 0 ttl  bad 0
rx3 $G3 0 ttl  bad 0
rx3 $G4 0 ttl  bad 0
local1 $G3 $n ttl 8:$n bad 0
local1 $G4 $n ttl 63:$n bad 0
EOX
}

# mfwd first: output routes cached while ipmr had mc_forwarding on would
# loop the router's packets back for mfwd too (the route cache is flushed
# in between as well).
mfwd_setup
ev_monitor mon
scenario >"$TOPO_DIR/mfwd.out"
log "mfwd:"; sed 's/^/#   /' "$TOPO_DIR/mfwd.out"
ev_sync mon

# mfwd's view: its own packets forwarded along (R0,G1), no RPF failure for
# the looped-back ones on r1, one NOCACHE for (R0,G2).
expected >"$TOPO_DIR/expected.out"
soft diff -u "$TOPO_DIR/expected.out" "$TOPO_DIR/mfwd.out"
soft check_route "$G1" "$R0" family=$FAMNAME packets=$N wrong_if=0
soft check_route "$G3" "$R1" family=$FAMNAME packets=0 wrong_if=0
soft check_route "$G4" "$S" family=$FAMNAME packets=$N wrong_if=0
soft check_eq "$(ev_count mon '"event":"wrongvif"')" 0 \
	"WRONGVIF events for the router's own looped-back packets"
soft check_eq "$(ev_count mon '"event":"nocache"')" 1 "NOCACHE events"
soft check_eq "$(ev_count mon "^\\{\"event\":\"nocache\",\"family\":\"$FAMNAME\",\"source\":\"$R0\",\"group\":\"$G2\",\"iif\":\"r0\",\"table\":0\\}$")" 1 \
	"NOCACHE ($R0,$G2) on r0"
soft check_stats unres_entries=1 unres_packets=$QLEN drop_queue_full=$((N - QLEN)) \
	forwarded=$((2 * N)) copies=$((4 * N))
log "drop_rpf $(stats_field drop_rpf), r1 pkts_in $(vif_field r1 pkts_in) (not asserted)"
((${#SOFT_ERRS[@]} == 0)) || log "events:"$'\n'"$(ev_show mon)"
mf flush all
unload_mfwd
check_eq "$(cat "/proc/sys/net/ipv$FAM/conf/all/mc_forwarding")" 0 "mc_forwarding after rmmod mfwd"
ip -"$FAM" route flush cache

smcroute_start "($R0,$G1)" "($R1,$G3)" "($S,$G4)"
scenario >"$TOPO_DIR/ipmr.out"
smcroute_stop
log "$(fam ipmr ip6mr):"; sed 's/^/#   /' "$TOPO_DIR/ipmr.out"
log "mfwd vs $(fam ipmr ip6mr) (- $(fam ipmr ip6mr), + mfwd):"
soft diff -u "$TOPO_DIR/ipmr.out" "$TOPO_DIR/mfwd.out"
soft_done
pass "router-originated multicast forwarded, queued, not an RPF failure; local sockets on outputs get copies"
