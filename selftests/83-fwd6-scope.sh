#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 scopes, MLD and hop-by-hop options: what mfwd leaves to the stack.
#  - Routes for groups of scope <= 2 (ff02::, ff01::, ff12::, ff00::) are
#    refused by the kernel: EINVAL "group is not a routable multicast
#    address" (raw requests, mfwdnl.py).
#  - Packets from the source to ff02::83:1, ff12::83:1 and ff01::83:1
#    (crafted, AF_PACKET) are never forwarded: receivers behind r1..r3
#    joined to ff02::83:1 and ff12::83:1 get nothing; no NOCACHE, no
#    unresolved entry.
#  - A controller-like raw ICMPv6 socket on the router (socket(AF_INET6,
#    SOCK_RAW, IPPROTO_ICMPV6), no ip6mr MRT6_INIT; it joins ff02::16 on
#    every VIF) gets, exactly as with ip6mr (whose ip6_mc_input() delivers
#    MLD with a Router Alert whatever the destination):
#      - the MLDv1 reports (131, to the group, hop limit 1, Router Alert)
#        for ff0e::83:1 of a host behind r1 (forced to MLDv1),
#      - the MLDv2 reports (143, to ff02::16) naming ff0e::83:2 of a host
#        behind r2,
#      - crafted MLD with a Router Alert and hop limit 8: v1 reports for
#        ff0e::83:1 (a (*,G) route whose iif is their VIF r1) and for
#        ff0e::83:4 (no route), v2 reports to ff0e::83:1, each exactly
#        once, with their hop-by-hop header.
#  - None of that MLD is forwarded, and neither are crafted MLDv1 reports
#    to ff0e::83:1 without a hop-by-hop header, nor UDP to ff0e::83:1 with
#    a hop-by-hop Router Alert.  UDP with a hop-by-hop header holding only
#    padding is forwarded, header intact (as ip6mr, which leaves only
#    Router Alert packets to the stack).  So on the other hosts' wire
#    there is nothing to ff0e::83:1 but those and one plain UDP packet sent
#    last on the (*,G) route, no Router Alert, and the receivers get them
#    with hop limit 7.
#  - Counters: the route counts only those packets; the only NOCACHE event
#    is that of a UDP packet from the source to ff0e::83:4 (family inet6),
#    the only unresolved entry its.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

G1=ff0e::83:1 G2=ff0e::83:2 G4=ff0e::83:4 K=3 F=4	# F: forwarded to G1
L2=ff02::83:1 L12=ff12::83:1 L1=ff01::83:1
S=$TOPO_SRC6 H1=2001:db8:1::2
RA=3a00050200000100	# next header ICMPv6, Router Alert MLD, PadN

# shellcheck disable=SC2317  # called through wait_for
cap_atleast() { (($(cap_field "$1" "$2") >= $3)); }
# ctl_lines COND: lines of the controller's log matching an awk condition
# over: $1 IF $2 SRC $3 DST $4 PROTO $5 HLIM $6 HBH $7 TYPE $8 GROUP(S)
# shellcheck disable=SC2317
ctl_lines() { awk "$1" "$TOPO_DIR/ctl.out" | wc -l; }
# shellcheck disable=SC2317
ctl_atleast() { (($(ctl_lines "$1") >= $2)); }

topo_init -6 3
topo_mfwd
mf config set unres-timeout 600000
mf route add group $G1 iif r1 oif r0 oif r2 oif r3

# ---- no routes for link-local and narrower scopes ------------------------------
out=$(python3 "$TOPO_HELPERS/mfwdnl.py" -b - <<EOF2 | sed 's/ offs=[0-9]*//'
route_add group6=ff02::83:1 iif=r0 oif=r1
route_add group6=ff01::83:1 iif=r0 oif=r1
route_add group6=ff12::83:1 iif=r0 oif=r1
route_add group6=ff00::83:1 iif=r0 oif=r1
route_add group6=ff02::83:1 source6=$S iif=r0 oif=r1
EOF2
) || true
want='error EINVAL (Invalid argument) msg="group is not a routable multicast address"'
check_eq "$out" "$want"$'\n'"$want"$'\n'"$want"$'\n'"$want"$'\n'"$want" \
	"ROUTE_ADD for ff02::, ff01::, ff12::, ff00:: groups"
check_eq "$("$MFWDCTL" -j route show | jsel 'len(d)')" 1 "routes after the refused ones"

ev_monitor mon

# the controller
: >"$TOPO_DIR/ctl.out"
bg_start "$TOPO_DIR/ctl.log" - python3 "$TOPO_HELPERS/rawrecv.py" --v6 \
	--join ff02::16@r0 --join ff02::16@r1 --join ff02::16@r2 --join ff02::16@r3 \
	--out "$TOPO_DIR/ctl.out" --ready "$TOPO_DIR/ctl.ready"
on_exit "kill $BG_PID"
wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/ctl.ready" ||
	fail "controller socket did not start: $(cat "$TOPO_DIR/ctl.log")"

# captures of G1 on the other hosts' wire
cap_start s1 src eth0 $G1
cap_start x21 rx2 eth0 $G1
cap_start x31 rx3 eth0 $G1

# the hosts: MLDv1 behind r1, MLDv2 behind r2 and r3, unsolicited reports
# 300 ms apart
ip netns exec rx1 sysctl -qw net.ipv6.conf.eth0.force_mld_version=1 \
	net.ipv6.conf.eth0.mldv1_unsolicited_report_interval=300
ip netns exec rx2 sysctl -qw net.ipv6.conf.eth0.mldv2_unsolicited_report_interval=300
RX_SYNC_ADDRS=10.0.1.1 rx_start rx1 rx1 eth0 $G1 $L2 $L12
RX_SYNC_ADDRS=10.0.2.1 rx_start rx2 rx2 eth0 $G2 $G1 $L2 $L12
RX_SYNC_ADDRS=10.0.3.1 rx_start rx3 rx3 eth0 $G1 $L2 $L12

wait_for -t "$TOPO_WAIT" ctl_atleast "\$1 == \"r1\" && \$3 == \"$G1\" && \$7 == \"131\" && \$8 == \"$G1\"" 2 ||
	log "the controller did not get 2 MLDv1 reports for $G1 from rx1"
wait_for -t "$TOPO_WAIT" ctl_atleast "\$1 == \"r2\" && \$3 == \"ff02::16\" && \$7 == \"143\" && \$8 ~ /(^|,)$G2(,|\$)/" 2 ||
	log "the controller did not get 2 MLDv2 reports naming $G2 from rx2"

# link-local and interface-local scope from the source; then one UDP packet
# to G4 (no route: NOCACHE)
ns_exec src python3 "$TOPO_HELPERS/rawsend.py" \
	--ifname eth0 --src $S --group $L2 --count $K --next \
	--ifname eth0 --src $S --group $L12 --count $K --next \
	--ifname eth0 --src $S --group $L1 --count $K --next \
	--ifname eth0 --src $S --group $G4 --count 1 >/dev/null || fail "rawsend.py in src failed"
# crafted MLD and hop-by-hop packets with hop limit 8 from rx1, then one
# plain UDP packet on (*,G1)
ns_exec rx1 python3 "$TOPO_HELPERS/rawsend.py" \
	--ifname eth0 --src $H1 --group $G1 --proto mld --mld-type 131 --opt ra --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G4 --proto mld --mld-type 131 --opt ra --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G1 --proto mld --mld-type 143 --opt ra --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G1 --proto mld --mld-type 131 --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G1 --opt ra --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G1 --opt pad --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G1 --ttl 8 --count 1 >/dev/null || fail "rawsend.py in rx1 failed"
for c in s1 x21 x31; do
	wait_for -t "$TOPO_WAIT" cap_atleast $c pkts $F ||
		fail "capture $c saw $(cap_field $c pkts) packets to $G1, expected at least $F"
done
wait_for -t "$TOPO_WAIT" ctl_atleast "\$2 == \"$H1\" && \$5 == 8 && \$8 == \"$G4\"" $K || true
topo_sync
ev_sync mon

log "the controller got (IF SRC DST PROTO HLIM HBH TYPE GROUP):"$'\n'"$(sort "$TOPO_DIR/ctl.out" | uniq -c)"
# kernel MLD of the hosts
soft check_ok ctl_atleast "\$1 == \"r1\" && \$3 == \"$G1\" && \$5 == 1 && \$6 == \"$RA\" && \$7 == \"131\" && \$8 == \"$G1\"" 2
soft check_ok ctl_atleast "\$1 == \"r2\" && \$3 == \"ff02::16\" && \$5 == 1 && \$6 == \"$RA\" && \$7 == \"143\" && \$8 ~ /(^|,)$G2(,|\$)/" 2
# crafted MLD with a Router Alert: each exactly once
soft check_eq "$(ctl_lines "\$1 == \"r1\" && \$2 == \"$H1\" && \$3 == \"$G1\" && \$5 == 8 && \$6 == \"$RA\" && \$7 == \"131\" && \$8 == \"$G1\"")" $K \
	"crafted MLDv1 reports (Router Alert, hop limit 8) to $G1 at the controller"
soft check_eq "$(ctl_lines "\$1 == \"r1\" && \$2 == \"$H1\" && \$3 == \"$G4\" && \$5 == 8 && \$6 == \"$RA\" && \$7 == \"131\" && \$8 == \"$G4\"")" $K \
	"crafted MLDv1 reports (Router Alert, hop limit 8) to $G4 at the controller"
soft check_eq "$(ctl_lines "\$1 == \"r1\" && \$2 == \"$H1\" && \$3 == \"$G1\" && \$5 == 8 && \$6 == \"$RA\" && \$7 == \"143\" && \$8 == \"$G1\"")" $K \
	"crafted MLDv2 reports (Router Alert, hop limit 8) to $G1 at the controller"
log "crafted MLDv1 reports without hop-by-hop header at the controller: $(ctl_lines "\$2 == \"$H1\" && \$6 == \"-\" && \$7 == \"131\"") (not asserted: the stack delivers them only to members of $G1)"
# nothing forwarded but the UDP packets with padding only and the plain one
for c in s1 x21 x31; do
	soft check_eq "$(cap_field $c pkts)" $F "capture $c: packets to $G1 (UDP, $K with padding, 1 plain)"
	soft check_eq "$(cap_field $c ttl 7)" $F "capture $c: their hop limit 7"
	soft check_eq "$(cap_field $c hbh)" $K "capture $c: packets with a hop-by-hop header"
	soft check_eq "$(cap_field $c ra)" 0 "capture $c: packets with a Router Alert"
done
for k in 2 3; do
	soft check_eq "$(rx_count rx$k eth0 $G1)" $F "rx$k: datagrams of $G1"
	soft check_eq "$(rx_ttls rx$k eth0 $G1)" "7:$F" "rx$k: hop limits of $G1"
	soft check_eq "$(rx_bad rx$k eth0 $G1)" 0 "rx$k: corrupted payloads"
done
for g in $L2 $L12; do
	soft check_rx "$g" "1=0 2=0 3=0"
done
soft check_route $G1 '*' packets=$F wrong_if=0
soft check_stats forwarded=$F copies=$((3 * F)) unres_entries=1 unres_packets=1 \
	drop_queue_full=0 drop_rpf=0
soft check_eq "$(ev_count mon '"event":"(nocache|wrongvif)"')" 1 "NOCACHE/WRONGVIF events"
soft check_eq "$(ev_show mon | grep '"event":"nocache"' | jsel '[d["family"], d["source"], d["group"], d["iif"]]')" \
	"[\"inet6\", \"$S\", \"$G4\", \"r0\"]" "the NOCACHE event"
((${#SOFT_ERRS[@]} == 0)) || log "events:"$'\n'"$(ev_show mon)"
soft_done
pass "no routes below scope 3, link/interface-local never forwarded; MLD and Router Alert packets reach the controller, none forwarded"
