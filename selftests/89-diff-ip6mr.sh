#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Differential test against the kernel's ip6mr, the IPv6 counterpart of
# 21-diff-ipmr: one scenario -- (S,G) and (*,G) routes, (S,G) overriding
# (*,G), an output with a small MTU (a packet too big for it is not sent
# there, the sender gets a Packet Too Big), packets with hop limit 1, on
# the wrong interface (RPF), to a group without a route, sent by the router
# itself (forwarded, and delivered to a local socket once) -- is run twice:
# first with the real smcrouted driving ip6mr (mfwd not loaded), then with
# mfwd (the same VIFs and routes set with mfwdctl). Every receiver must get
# the same packets (count and hop limits) both times, and what is expected.
# ip6mr has no per-interface TTL threshold (every output's is 1), so the
# scenario sets none.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_cmd smcrouted
! mfwd_loaded || fail "mfwd is loaded before the test"

G1=ff0e::3:1 G2=ff0e::3:2 G3=ff0e::3:3 G4=ff0e::3:4 G5=ff0e::3:5
S=2001:db8::2 S2=2001:db8::3 R0=2001:db8::1 N=5

topo_init -6 4
ip -n src addr add $S2/64 dev eth0 nodad
ip link set r4 mtu 1280
ip -n rx4 link set eth0 mtu 1280

cat >"$TOPO_DIR/smcroute.conf" <<EOC
phyint r0 enable
phyint r1 enable
phyint r2 enable
phyint r3 enable
phyint r4 enable
mroute from r0 source $S group $G1 to r1 r2 r3
mroute from r0 group $G2 to r2 r4
mroute from r0 source $S2 group $G2 to r1
mroute from r0 source $S group $G3 to r1 r3
mroute from r0 source $R0 group $G5 to r1
EOC

# The same for mfwd.
mfwd_setup() {
	load_mfwd
	on_exit "'$MFWDCTL' flush all; rmmod mfwd"
	cat >"$TOPO_DIR/mfwd.batch" <<EOB
vif add dev r0
vif add dev r1
vif add dev r2
vif add dev r3
vif add dev r4
route add group $G1 source $S iif r0 oif r1 oif r2 oif r3
route add group $G2 iif r0 oif r2 oif r4
route add group $G2 source $S2 iif r0 oif r1
route add group $G3 source $S iif r0 oif r1 oif r3
route add group $G5 source $R0 iif r0 oif r1
EOB
	mf -b "$TOPO_DIR/mfwd.batch"
}

# __primed MODE: the (*,G) route for S is in place (smcrouted installs the
# (S,G2) entry from its (*,G) rule on the first packet; mfwd needs nothing)
# shellcheck disable=SC2317  # called through wait_for
__primed() {
	[[ $1 == mfwd ]] || ip -6 mroute show | grep -qF "($S,$G2)"
}

# scenario MODE: send everything; print "rxK GROUP count HLs" lines
scenario() {
	local mode=$1 k
	rx_start_all $G1 $G2 $G3 $G4 $G5
	RX_NOSYNC=1 rx_start local - r0 $G5
	# Prime (*,G2) for S: under ip6mr the first packet waits for smcrouted.
	send -- --group $G2 --count 1
	wait_for -t "$TOPO_WAIT" __primed "$mode" || fail "$mode: ($S,$G2) never resolved"
	topo_sync

	local a="--count $N --iface-addr $S"
	# shellcheck disable=SC2086  # $a is a word list
	send -- \
		--group $G1 --ttl 64 $a --next \
		--group $G1 --ttl 5 $a --next \
		--group $G1 --group $G2 --group $G3 --ttl 1 $a --next \
		--group $G2 --size 300 $a --next \
		--group $G2 --count $N --iface-addr $S2 --next \
		--group $G3 --ttl 6 $a --next \
		--group $G2 --size 1400 --df $a --next \
		--group $G4 $a
	# $G1 hop limit 64 and 5: rx1 rx2 rx3; 1: none; $G2 from $S: rx2
	# rx4 (via (*,G)); from $S2: rx1 (its (S,G)); $G3 hop limit 6: rx1
	# rx3; $G2 1400 bytes: rx2 only (r4: MTU 1280, a Packet Too Big to
	# the sender); $G4: no route, none.
	# (*,G2) from the wrong side: none (mfwd: RPF; ip6mr: no route for
	# these sources on r2 and r3)
	send rx2 -- --group $G2 --count $N --iface-addr 2001:db8:2::2
	send rx3 -- --group $G2 --count $N --iface-addr 2001:db8:3::2
	# from the router: rx1 and the local socket on r0
	send - -- --group $G5 --count $N --iface-addr $R0 --loop
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
rx2 $G2 $((2 * n + 1)) ttl 63:$((2 * n + 1)) bad 0
rx2 $G3 0 ttl  bad 0
rx2 $G4 0 ttl  bad 0
rx2 $G5 0 ttl  bad 0
rx3 $G1 $((2 * n)) ttl 4:$n 63:$n bad 0
rx3 $G2 0 ttl  bad 0
rx3 $G3 $n ttl 5:$n bad 0
rx3 $G4 0 ttl  bad 0
rx3 $G5 0 ttl  bad 0
rx4 $G1 0 ttl  bad 0
rx4 $G2 $((n + 1)) ttl 63:$((n + 1)) bad 0
rx4 $G3 0 ttl  bad 0
rx4 $G4 0 ttl  bad 0
rx4 $G5 0 ttl  bad 0
local $G5 $n ttl 64:$n bad 0
EOX
}

smcroute_start "($S,$G1)" "($S2,$G2)" "($S,$G3)" "($R0,$G5)"
check_eq "$(cat /proc/sys/net/ipv6/conf/all/mc_forwarding)" 1 "IPv6 mc_forwarding with smcrouted"
scenario ip6mr >"$TOPO_DIR/ip6mr.out"
ip -6 mroute show >"$TOPO_DIR/ip6mr.routes"
smcroute_stop
log "ip6mr:"; sed 's/^/#   /' "$TOPO_DIR/ip6mr.out"

mfwd_setup
scenario mfwd >"$TOPO_DIR/mfwd.out"
log "mfwd:"; sed 's/^/#   /' "$TOPO_DIR/mfwd.out"

expected >"$TOPO_DIR/expected.out"
d=$(diff -u "$TOPO_DIR/ip6mr.out" "$TOPO_DIR/mfwd.out") ||
	fail "mfwd and ip6mr delivered differently (- ip6mr, + mfwd):"$'\n'"$d"$'\n'"ip6mr routes:"$'\n'"$(cat "$TOPO_DIR/ip6mr.routes")"
d=$(diff -u "$TOPO_DIR/expected.out" "$TOPO_DIR/mfwd.out") ||
	fail "both delivered, identically, something unexpected (- expected, + got):"$'\n'"$d"
check_stats drop_rpf=$((2 * N)) drop_mtu=$N
pass "ip6mr (smcrouted) and mfwd deliver the same IPv6 traffic to 4 receivers"
