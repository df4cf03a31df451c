#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IGMP reaches a controller on the router and is never forwarded.  A
# controller-like raw socket (socket(AF_INET, SOCK_RAW, IPPROTO_IGMP), no
# ipmr MRT_INIT; it joins 224.0.0.22 on every VIF, as igmpproxy does) gets:
#  - the IGMPv1 reports for 239.1.2.3 of a host behind r1 (forced to v1),
#  - the IGMPv2 reports for 239.1.2.4 of a host behind r2 (forced to v2),
#  - the IGMPv3 reports (to 224.0.0.22) naming 239.1.2.5 of a host behind r3,
#    (the kernel's reports: TTL 1 with Router Alert, robustness 2 times each)
#  - crafted IGMPv2 reports with TTL 8 and no options (AF_PACKET) for
#    239.1.2.3 (a (*,G) route whose iif is their VIF r1) and for a group
#    without a route, each exactly once
# (with ipmr the routable-group reports reach the controller too).  None of
# them is forwarded (nothing to the groups on the other
# hosts' wire but a UDP packet sent last on the (*,G) route), the routes'
# counters count only that packet, and IGMP creates no unresolved entry and
# no NOCACHE event.
# timeout: 600
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

G1=239.1.2.3 G2=239.1.2.4 G3=239.1.2.5 G4=239.1.2.6 K=3
H1=10.0.1.2 H2=10.0.2.2 H3=10.0.3.2

# shellcheck disable=SC2317  # called through wait_for
cap_atleast() { (($(cap_field "$1" "$2") >= $3)); }
# ctl_lines COND: lines of the controller's log matching an awk condition
# over: $1 IF $2 SRC $3 DST $4 PROTO $5 TTL $6 OPTS $7 TYPE $8 GROUP(S)
# shellcheck disable=SC2317
ctl_lines() { awk "$1" "$TOPO_DIR/ctl.out" | wc -l; }
# shellcheck disable=SC2317
ctl_atleast() { (($(ctl_lines "$1") >= $2)); }

topo_init 3
topo_mfwd
mf config set unres-timeout 600000
mf route add group $G1 iif r1 oif r0 oif r2 oif r3
mf route add group $G2 iif r2 oif r0 oif r1 oif r3
mf route add group $G3 iif r3 oif r0 oif r1 oif r2
ev_monitor mon

# the controller
: >"$TOPO_DIR/ctl.out"
bg_start "$TOPO_DIR/ctl.log" - python3 "$TOPO_HELPERS/rawrecv.py" --proto 2 \
	--join 224.0.0.22@r0 --join 224.0.0.22@r1 --join 224.0.0.22@r2 \
	--join 224.0.0.22@r3 --out "$TOPO_DIR/ctl.out" --ready "$TOPO_DIR/ctl.ready"
on_exit "kill $BG_PID"
wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/ctl.ready" ||
	fail "controller socket did not start: $(cat "$TOPO_DIR/ctl.log")"

# captures of the groups on the other hosts' wire
cap_start s1 src eth0 $G1
cap_start s2 src eth0 $G2
cap_start s4 src eth0 $G4
cap_start x21 rx2 eth0 $G1
cap_start x31 rx3 eth0 $G1
cap_start x12 rx1 eth0 $G2
cap_start x32 rx3 eth0 $G2
cap_start x14 rx1 eth0 $G4

# the hosts: IGMPv1 behind r1, v2 behind r2, v3 behind r3, unsolicited
# reports 300 ms apart
ip netns exec rx1 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=1 \
	net.ipv4.conf.eth0.igmpv2_unsolicited_report_interval=300
ip netns exec rx2 sysctl -qw net.ipv4.conf.eth0.force_igmp_version=2 \
	net.ipv4.conf.eth0.igmpv2_unsolicited_report_interval=300
ip netns exec rx3 sysctl -qw net.ipv4.conf.eth0.igmpv3_unsolicited_report_interval=300
RX_SYNC_ADDRS=10.0.1.1 rx_start rx1 rx1 eth0 $G1
RX_SYNC_ADDRS=10.0.2.1 rx_start rx2 rx2 eth0 $G2
RX_SYNC_ADDRS=10.0.3.1 rx_start rx3 rx3 eth0 $G3

wait_for -t "$TOPO_WAIT" ctl_atleast "\$1 == \"r1\" && \$2 == \"$H1\" && \$3 == \"$G1\" && \$7 == \"0x12\" && \$8 == \"$G1\"" 2 ||
	log "the controller did not get 2 IGMPv1 reports for $G1 from $H1"
wait_for -t "$TOPO_WAIT" ctl_atleast "\$1 == \"r2\" && \$2 == \"$H2\" && \$3 == \"$G2\" && \$7 == \"0x16\" && \$8 == \"$G2\"" 2 ||
	log "the controller did not get 2 IGMPv2 reports for $G2 from $H2"
wait_for -t "$TOPO_WAIT" ctl_atleast "\$1 == \"r3\" && \$2 == \"$H3\" && \$3 == \"224.0.0.22\" && \$7 == \"0x22\" && \$8 ~ /(^|,)$G3(,|\$)/" 2 ||
	log "the controller did not get 2 IGMPv3 reports naming $G3 from $H3"

# crafted reports with TTL 8, then one UDP packet on (*,G1) from rx1
ns_exec rx1 python3 "$TOPO_HELPERS/rawsend.py" \
	--ifname eth0 --src $H1 --group $G1 --proto igmp --igmp-type 0x16 --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G4 --proto igmp --igmp-type 0x16 --ttl 8 --count $K --next \
	--ifname eth0 --src $H1 --group $G1 --ttl 8 --count 1 >/dev/null || fail "rawsend.py failed"
for c in s1 x21 x31; do
	wait_for -t "$TOPO_WAIT" cap_atleast $c pkts 1 ||
		fail "capture $c never saw the UDP packet to $G1"
done
wait_for -t "$TOPO_WAIT" ctl_atleast "\$2 == \"$H1\" && \$5 == 8 && \$8 == \"$G4\"" $K || true
topo_sync
ev_sync mon

log "the controller got (IF SRC DST PROTO TTL OPTS TYPE GROUP):"$'\n'"$(grep -v ' 10\.0\.[0-9]*\.1 ' "$TOPO_DIR/ctl.out" | sort | uniq -c)"
soft check_ok ctl_atleast "\$1 == \"r1\" && \$2 == \"$H1\" && \$3 == \"$G1\" && \$5 == 1 && \$7 == \"0x12\" && \$8 == \"$G1\"" 2
soft check_ok ctl_atleast "\$1 == \"r2\" && \$2 == \"$H2\" && \$3 == \"$G2\" && \$5 == 1 && \$7 == \"0x16\" && \$8 == \"$G2\"" 2
soft check_ok ctl_atleast "\$1 == \"r3\" && \$2 == \"$H3\" && \$3 == \"224.0.0.22\" && \$7 == \"0x22\" && \$8 ~ /(^|,)$G3(,|\$)/" 2
soft check_eq "$(ctl_lines "\$1 == \"r1\" && \$2 == \"$H1\" && \$3 == \"$G1\" && \$5 == 8 && \$6 == \"-\" && \$7 == \"0x16\"")" $K \
	"crafted IGMPv2 reports (TTL 8) for $G1 at the controller"
soft check_eq "$(ctl_lines "\$1 == \"r1\" && \$2 == \"$H1\" && \$3 == \"$G4\" && \$5 == 8 && \$6 == \"-\" && \$7 == \"0x16\"")" $K \
	"crafted IGMPv2 reports (TTL 8) for $G4 at the controller"
# nothing forwarded but the UDP packet on (*,G1)
for c in s1 x21 x31; do
	soft check_eq "$(cap_field $c pkts)" 1 "capture $c: packets to $G1 (only the UDP one)"
done
for c in s2 x12 x32 s4 x14; do
	soft check_eq "$(cap_field $c pkts)" 0 "capture $c: packets on the wire"
done
soft check_route $G1 '*' packets=1 wrong_if=0
soft check_route $G2 '*' packets=0 wrong_if=0
soft check_route $G3 '*' packets=0 wrong_if=0
soft check_stats forwarded=1 copies=3 unres_entries=0 unres_packets=0 \
	drop_queue_full=0 drop_rpf=0
soft check_eq "$(ev_count mon '"event":"(nocache|wrongvif)"')" 0 "NOCACHE/WRONGVIF events"
((${#SOFT_ERRS[@]} == 0)) || log "events:"$'\n'"$(ev_show mon)"
soft_done
pass "IGMPv1/v2/v3 reports and crafted TTL-8 reports reach the controller, none forwarded, no events"
