#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Differential test against the kernel's ipmr: one scenario -- (S,G) and
# (*,G) routes, (S,G) overriding (*,G), a VIF TTL threshold, an output with
# a small MTU, and packets with TTL 1, TTL at the threshold, DF and not,
# on the wrong interface (RPF), to a group without a route, sent by the
# router itself (looped back, forwarded, delivered to a local socket once)
# -- is run twice:
# first with smcrouted driving ipmr (mfwd not loaded), then with mfwd (the
# same VIFs and routes set with mfwdctl).  Every receiver must get the same
# packets (count and TTLs) both times, and what is expected.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_cmd smcrouted
! mfwd_loaded || fail "mfwd is loaded before the test"

G1=239.3.1.1 G2=239.3.2.2 G3=239.3.3.3 G4=239.3.4.4 G5=239.3.5.5
S=10.0.0.2 S2=10.0.0.3 N=5

topo_init 4
ip -n src addr add $S2/24 dev eth0
ip link set r4 mtu 600
ip -n rx4 link set eth0 mtu 600

cat >"$TOPO_DIR/smcroute.conf" <<EOC
phyint r0 enable
phyint r1 enable
phyint r2 enable
phyint r3 enable ttl-threshold 5
phyint r4 enable
mroute from r0 source $S group $G1 to r1 r2 r3
mroute from r0 group $G2 to r2 r4
mroute from r0 source $S2 group $G2 to r1
mroute from r0 source $S group $G3 to r1 r3
mroute from r0 source 10.0.0.1 group $G5 to r1
EOC

# The same for mfwd.
mfwd_setup() {
	load_mfwd
	on_exit "'$MFWDCTL' flush all; rmmod mfwd"
	cat >"$TOPO_DIR/mfwd.batch" <<EOB
vif add dev r0
vif add dev r1
vif add dev r2
vif add dev r3 ttl-threshold 5
vif add dev r4
route add group $G1 source $S iif r0 oif r1 oif r2 oif r3
route add group $G2 iif r0 oif r2 oif r4
route add group $G2 source $S2 iif r0 oif r1
route add group $G3 source $S iif r0 oif r1 oif r3
route add group $G5 source 10.0.0.1 iif r0 oif r1
EOB
	mf -b "$TOPO_DIR/mfwd.batch"
}

# __primed MODE: the (*,G) route for S is in place (smcrouted installs the
# (S,G2) entry from its (*,G) rule on the first packet; mfwd needs nothing)
# shellcheck disable=SC2317  # called through wait_for
__primed() {
	[[ $1 == mfwd ]] || ip mroute show | grep -qF "($S,$G2)"
}

# scenario MODE: send everything; print "rxK GROUP count TTLs" lines
scenario() {
	local mode=$1 k g
	rx_start_all $G1 $G2 $G3 $G4 $G5
	RX_NOSYNC=1 rx_start local - r0 $G5
	# Prime (*,G2) for S: under ipmr the first packet waits for smcrouted.
	send -- --group $G2 --count 1
	wait_for -t "$TOPO_WAIT" __primed "$mode" || fail "$mode: ($S,$G2) never resolved"
	topo_sync

	# One mcsend run, bursts separated by --next (python start-up is slow).
	local a="--count $N --iface-addr $S"
	# shellcheck disable=SC2086  # $a is a word list
	send -- \
		--group $G1 --ttl 64 $a --next \
		--group $G1 --ttl 5 $a --next \
		--group $G1 --group $G2 --group $G3 --ttl 1 $a --next \
		--group $G2 --size 300 $a --next \
		--group $G2 --count $N --iface-addr $S2 --next \
		--group $G3 --ttl 6 $a --next \
		--group $G2 --size 972 --df $a --next \
		--group $G2 --size 972 --no-df $a --next \
		--group $G4 $a
	# $G1 TTL 64: rx1 rx2 rx3; TTL 5: rx1 rx2 (r3: threshold 5); TTL 1:
	# none; $G2 from $S: rx2 rx4 (via (*,G)); from $S2: rx1 (its (S,G));
	# $G3 TTL 6: rx1 rx3; $G2 DF 1000 bytes: rx2 only (r4: MTU 600),
	# without DF: rx2 rx4 (fragmented); $G4: no route, none.
	send rx1 -- --group $G1 --count $N --src $S --ifname eth0	# RPF: none
	send rx2 -- --group $G2 --count $N --iface-addr 10.0.2.2	# RPF: none
	send rx3 -- --group $G3 --count $N --src $S --ifname eth0	# RPF: none
	# from the router, looped back: rx1 and the local socket on r0
	send - -- --group $G5 --count $N --iface-addr 10.0.0.1 --loop
	wait_rx local r0 $G5 $N
	topo_sync
	for k in 1 2 3 4; do rx_summary rx$k eth0 $G1 $G2 $G3 $G4 $G5; done
	rx_summary local r0 $G5
	rx_stop_all
}

# What both must deliver (N=$N; the priming packet of G2 included).
expected() {
	local n=$N
	cat <<EOX
rx1 $G1 $((2 * n)) ttl 4:$n 63:$n bad 0
rx1 $G2 $n ttl 63:$n bad 0
rx1 $G3 $n ttl 5:$n bad 0
rx1 $G4 0 ttl  bad 0
rx1 $G5 $n ttl 63:$n bad 0
rx2 $G1 $((2 * n)) ttl 4:$n 63:$n bad 0
rx2 $G2 $((3 * n + 1)) ttl 63:$((3 * n + 1)) bad 0
rx2 $G3 0 ttl  bad 0
rx2 $G4 0 ttl  bad 0
rx2 $G5 0 ttl  bad 0
rx3 $G1 $n ttl 63:$n bad 0
rx3 $G2 0 ttl  bad 0
rx3 $G3 $n ttl 5:$n bad 0
rx3 $G4 0 ttl  bad 0
rx3 $G5 0 ttl  bad 0
rx4 $G1 0 ttl  bad 0
rx4 $G2 $((2 * n + 1)) ttl 63:$((2 * n + 1)) bad 0
rx4 $G3 0 ttl  bad 0
rx4 $G4 0 ttl  bad 0
rx4 $G5 0 ttl  bad 0
local $G5 $n ttl 64:$n bad 0
EOX
}

smcroute_start "($S,$G1)" "($S2,$G2)" "($S,$G3)" "(10.0.0.1,$G5)"
check_eq "$(cat /proc/sys/net/ipv4/conf/all/mc_forwarding)" 1 "mc_forwarding with smcrouted"
scenario ipmr >"$TOPO_DIR/ipmr.out"
ip mroute show >"$TOPO_DIR/ipmr.routes"
smcroute_stop
check_eq "$(tail -n +2 /proc/net/ip_mr_vif)" "" "ipmr VIFs after smcrouted exited"
log "ipmr:"; sed 's/^/#   /' "$TOPO_DIR/ipmr.out"

mfwd_setup
scenario mfwd >"$TOPO_DIR/mfwd.out"
log "mfwd:"; sed 's/^/#   /' "$TOPO_DIR/mfwd.out"

expected >"$TOPO_DIR/expected.out"
d=$(diff -u "$TOPO_DIR/ipmr.out" "$TOPO_DIR/mfwd.out") ||
	fail "mfwd and ipmr delivered differently (- ipmr, + mfwd):"$'\n'"$d"$'\n'"ipmr routes:"$'\n'"$(cat "$TOPO_DIR/ipmr.routes")"
d=$(diff -u "$TOPO_DIR/expected.out" "$TOPO_DIR/mfwd.out") ||
	fail "both delivered, identically, something unexpected (- expected, + got):"$'\n'"$d"
check_stats drop_rpf=$((3 * N)) drop_mtu=$N
pass "ipmr (smcrouted) and mfwd deliver the same to 4 receivers"
