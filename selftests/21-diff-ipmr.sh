#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Differential test against the kernel's ipmr, then ip6mr: one scenario --
# (S,G) and (*,G) routes, (S,G) overriding (*,G), a VIF TTL threshold
# (IPv4: ip6mr has none, every output's is 1), an output with a small MTU
# (IPv4: DF and not; IPv6: a packet too big is not sent there and its
# sender gets a Packet Too Big), and packets with TTL (hop limit) 1, at the
# threshold, on the wrong interface (RPF), to a group without a route, sent
# by the router itself (looped back, forwarded, delivered to a local socket
# once) -- is run twice:
# first with the real smcrouted driving ipmr/ip6mr (mfwd not loaded), then
# with mfwd (the same VIFs and routes set with mfwdctl).  Every receiver
# must get the same packets (count and TTLs) both times, and what is
# expected.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
require_cmd smcrouted
! mfwd_loaded || fail "mfwd is loaded before the test"

G1=$(fam 239.3.1.1 ff0e::3:1) G2=$(fam 239.3.2.2 ff0e::3:2)
G3=$(fam 239.3.3.3 ff0e::3:3) G4=$(fam 239.3.4.4 ff0e::3:4)
G5=$(fam 239.3.5.5 ff0e::3:5)
S=$(fam 10.0.0.2 "$TOPO_SRC6") S2=$(fam 10.0.0.3 2001:db8::3)
R0=$(fam 10.0.0.1 2001:db8::1) N=5
ENGINE=$(fam ipmr ip6mr) IP=(ip "-$FAM")
MTU4=$(fam 600 1280) BIG=$(fam 972 1400) THR=$(fam " ttl-threshold 5" "")

topo_init 4
# shellcheck disable=SC2046  # no word for IPv4
"${IP[@]}" -n src addr add "$S2/$(fam 24 64)" dev eth0 $(fam "" nodad)
ip link set r4 mtu "$MTU4"
ip -n rx4 link set eth0 mtu "$MTU4"

cat >"$TOPO_DIR/smcroute.conf" <<EOC
phyint r0 enable
phyint r1 enable
phyint r2 enable
phyint r3 enable$THR
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
vif add dev r3$THR
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
	[[ $1 == mfwd ]] || "${IP[@]}" mroute show | grep -qF "($S,$G2)"
}

# scenario MODE: send everything; print "rxK GROUP count TTLs" lines
scenario() {
	local mode=$1 k
	rx_start_all "$G1" "$G2" "$G3" "$G4" "$G5"
	RX_NOSYNC=1 rx_start local - r0 "$G5"
	# Prime (*,G2) for S: under ipmr the first packet waits for smcrouted.
	send -- --group "$G2" --count 1
	wait_for -t "$TOPO_WAIT" __primed "$mode" || fail "$mode: ($S,$G2) never resolved"
	topo_sync

	# One mcsend run, bursts separated by --next (python start-up is slow).
	# BIG: over r4's MTU with its IP and UDP headers; IPv4 sends it
	# without DF as well
	local a="--count $N --iface-addr $S" nodf=()
	# shellcheck disable=SC2206  # $a is a word list
	[[ $FAM == 6 ]] || nodf=(--group "$G2" --size "$BIG" --no-df $a --next)
	# shellcheck disable=SC2086  # $a is a word list
	send -- \
		--group "$G1" --ttl 64 $a --next \
		--group "$G1" --ttl 5 $a --next \
		--group "$G1" --group "$G2" --group "$G3" --ttl 1 $a --next \
		--group "$G2" --size 300 $a --next \
		--group "$G2" --count $N --iface-addr "$S2" --next \
		--group "$G3" --ttl 6 $a --next \
		--group "$G2" --size "$BIG" --df $a --next \
		"${nodf[@]}" --group "$G4" $a
	# $G1 TTL 64: rx1 rx2 rx3; TTL 5: rx1 rx2 (IPv4, r3: threshold 5)
	# or rx1 rx2 rx3 (IPv6); TTL 1: none; $G2 from $S: rx2 rx4 (via
	# (*,G)); from $S2: rx1 (its (S,G)); $G3 TTL 6: rx1 rx3; $G2 DF and
	# bigger than r4's MTU: rx2 only; IPv4 without DF: rx2 rx4
	# (fragmented); $G4: no route, none.
	if ((FAM == 4)); then
		send rx1 -- --group "$G1" --count $N --src "$S" --ifname eth0	# RPF: none
		send rx2 -- --group "$G2" --count $N --iface-addr 10.0.2.2	# RPF: none
		send rx3 -- --group "$G3" --count $N --src "$S" --ifname eth0	# RPF: none
	else
		# (*,G2) from the wrong side: none (mfwd: RPF; ip6mr: no
		# route for these sources on r2 and r3)
		send rx2 -- --group "$G2" --count $N --iface-addr 2001:db8:2::2
		send rx3 -- --group "$G2" --count $N --iface-addr 2001:db8:3::2
	fi
	# from the router, looped back: rx1 and the local socket on r0
	send - -- --group "$G5" --count $N --iface-addr "$R0" --loop
	wait_rx local r0 "$G5" $N
	topo_sync
	for k in 1 2 3 4; do rx_summary rx$k eth0 "$G1" "$G2" "$G3" "$G4" "$G5"; done
	rx_summary local r0 "$G5"
	rx_stop_all
}

# What both must deliver (N=$N; the priming packet of G2 included).
# IPv4 sends $G2 without DF too (one more burst to rx2, fragmented to
# rx4); IPv6 has no threshold on r3 (TTL 5 reaches rx3).
expected() {
	local n=$N x=1 y=0
	((FAM == 4)) || x=0 y=1
	cat <<EOX
rx1 $G1 $((2 * n)) ttl 4:$n 63:$n bad 0
rx1 $G2 $n ttl 63:$n bad 0
rx1 $G3 $n ttl 5:$n bad 0
rx1 $G4 0 ttl  bad 0
rx1 $G5 $n ttl 63:$n bad 0
rx2 $G1 $((2 * n)) ttl 4:$n 63:$n bad 0
rx2 $G2 $(((2 + x) * n + 1)) ttl 63:$(((2 + x) * n + 1)) bad 0
rx2 $G3 0 ttl  bad 0
rx2 $G4 0 ttl  bad 0
rx2 $G5 0 ttl  bad 0
rx3 $G1 $(((1 + y) * n)) ttl $(fam "" "4:$n ")63:$n bad 0
rx3 $G2 0 ttl  bad 0
rx3 $G3 $n ttl 5:$n bad 0
rx3 $G4 0 ttl  bad 0
rx3 $G5 0 ttl  bad 0
rx4 $G1 0 ttl  bad 0
rx4 $G2 $(((1 + x) * n + 1)) ttl 63:$(((1 + x) * n + 1)) bad 0
rx4 $G3 0 ttl  bad 0
rx4 $G4 0 ttl  bad 0
rx4 $G5 0 ttl  bad 0
local $G5 $n ttl 64:$n bad 0
EOX
}

smcroute_start "($S,$G1)" "($S2,$G2)" "($S,$G3)" "($R0,$G5)"
check_eq "$(cat "/proc/sys/net/ipv$FAM/conf/all/mc_forwarding")" 1 "mc_forwarding with smcrouted"
scenario "$ENGINE" >"$TOPO_DIR/ipmr.out"
"${IP[@]}" mroute show >"$TOPO_DIR/ipmr.routes"
smcroute_stop
check_eq "$(tail -n +2 "/proc/net/$(fam ip_mr_vif ip6_mr_vif)")" "" "$ENGINE VIFs after smcrouted exited"
log "$ENGINE:"; sed 's/^/#   /' "$TOPO_DIR/ipmr.out"

mfwd_setup
scenario mfwd >"$TOPO_DIR/mfwd.out"
log "mfwd:"; sed 's/^/#   /' "$TOPO_DIR/mfwd.out"

expected >"$TOPO_DIR/expected.out"
d=$(diff -u "$TOPO_DIR/ipmr.out" "$TOPO_DIR/mfwd.out") ||
	fail "mfwd and $ENGINE delivered differently (- $ENGINE, + mfwd):"$'\n'"$d"$'\n'"$ENGINE routes:"$'\n'"$(cat "$TOPO_DIR/ipmr.routes")"
d=$(diff -u "$TOPO_DIR/expected.out" "$TOPO_DIR/mfwd.out") ||
	fail "both delivered, identically, something unexpected (- expected, + got):"$'\n'"$d"
check_stats drop_rpf=$(($(fam 3 2) * N)) drop_mtu=$N
pass "$ENGINE (smcrouted) and mfwd deliver the same to 4 receivers"
