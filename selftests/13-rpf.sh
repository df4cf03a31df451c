#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# RPF: packets of a route that arrive on another VIF than the route's iif
# (here r1) are forwarded nowhere, also not back out of r1, and are counted
# in the route's wrong_if and in stats drop_rpf, for (S,G) (a packet from S
# forged to arrive on r1) and (*,G) routes.  They are not queued as
# unresolved.  Packets arriving on the right interface still go through.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G1=239.1.4.1 G2=239.1.4.2 S=10.0.0.2 N1=9 N2=6 M=5

topo_init 3
topo_mfwd
mf route add group $G1 source $S iif r0 oif r1 oif r2 oif r3
mf route add group $G2 iif r0 oif r1 oif r2 oif r3
rx_start_all $G1 $G2

# From rx1 into r1: G1 with S's address (raw socket), G2 with rx1's own.
send rx1 -- --group $G1 --count $N1 --src $S --ifname eth0
send rx1 -- --group $G2 --count $N2 --iface-addr 10.0.1.2
topo_sync
check_rx $G1 "1=0 2=0 3=0"
check_rx $G2 "1=0 2=0 3=0"
check_route $G1 $S wrong_if=$N1 packets=0
check_route $G2 '*' wrong_if=$N2 packets=0
check_stats drop_rpf=$((N1 + N2)) forwarded=0 copies=0 unres_entries=0
check_vifs r1.pkts_in=$((N1 + N2)) r0.pkts_in=0 r1.pkts_out=0 r2.pkts_out=0 r3.pkts_out=0

# The right interface still works, for both routes.
send -- --group $G1 --group $G2 --count $M
topo_sync
check_rx $G1 "1=$M 2=$M 3=$M"
check_rx $G2 "1=$M 2=$M 3=$M"
check_route $G1 $S packets=$M wrong_if=$N1
check_route $G2 '*' packets=$M wrong_if=$N2
check_stats drop_rpf=$((N1 + N2)) forwarded=$((2 * M)) copies=$((6 * M))
pass "wrong-interface packets: $N1 (S,G) + $N2 (*,G) dropped and counted"
