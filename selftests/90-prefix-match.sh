#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Prefix routes: a packet takes the most specific route that covers it.
# Six overlapping routes, each to its own receiver:
#   A (*, G/16)   B (*, G/24)   C (S/25, G/24)   D (S, G)   E (*, G)
#   F (S/24, G/16)                                 (IPv6: /112 /120 /121 /64)
# and six (source, group) pairs that each must take exactly one of them:
# exact (S,G) first, then the longest group prefix, then within it the
# longest source prefix.  Every copy arrives once with TTL (hop limit) 63
# and is counted on its route.  A queued packet is released by a prefix
# route added later; deleting a route hands its packets to the next most
# specific one.  The API (raw requests, helpers/mfwdnl.py): lengths beyond
# the address are ERANGE, bits set beyond a prefix EINVAL, each with its
# extack message; delete and get take the exact key; dumps filter by
# prefix length.  IPv4, then IPv6.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
NL=$(dirname "$0")/helpers/mfwdnl.py
S1=$(fam 10.0.0.2 2001:db8::2) S2=$(fam 10.0.0.3 2001:db8::3)
S3=$(fam 10.0.0.200 2001:db8::c8) S4=$(fam 10.0.9.2 2001:db8:9::2)
G1=$(fam 239.1.1.1 ff0e::1:101) G2=$(fam 239.1.1.2 ff0e::1:102)
G3=$(fam 239.1.2.1 ff0e::1:201) G4=$(fam 239.2.0.1 ff0e::2:1)
P16=$(fam 239.1.0.0/16 ff0e::1:0/112) P24=$(fam 239.1.1.0/24 ff0e::1:100/120)
SP25=$(fam 10.0.0.0/25 2001:db8::/121) SP24=$(fam 10.0.0.0/24 2001:db8::/64)
PQ=$(fam 239.2.0.0/16 ff0e::2:0/112)

topo_init 6
if ((FAM == 4)); then
	for a in $S2 $S3 $S4; do ip -n src addr add "$a/32" dev eth0; done
else
	for a in $S2 $S3 $S4; do ip -n src addr add "$a/128" dev eth0 nodad; done
fi
topo_mfwd
mf config set unres-timeout 3600000
mf route add group "$P16" iif r0 oif r1
mf route add group "$P24" iif r0 oif r2
mf route add group "$P24" source "$SP25" iif r0 oif r3
mf route add group "$G1" source "$S1" iif r0 oif r4
mf route add group "$G1" iif r0 oif r5
mf route add group "$P16" source "$SP24" iif r0 oif r6
check_eq "$(config_field route_count)" 6 "routes"
rx_start_all "$G1" "$G2" "$G3" "$G4"

# SRC GROUP COUNT: COUNT packets from SRC to GROUP
flow() { send -- --group "$2" --count "$3" --iface-addr "$1" --ttl 64; }
flow "$S1" "$G1" 3	# D: exact
flow "$S2" "$G1" 4	# E: (*,G) before any group prefix
flow "$S2" "$G2" 5	# C: /24 group, S/25 before (*, G/24)
flow "$S3" "$G2" 6	# B: S3 outside S/25
flow "$S2" "$G3" 7	# F: /16 group, S/24 before (*, G/16)
flow "$S4" "$G3" 8	# A: S4 outside S/24
topo_sync
check_rx "$G1" "1=0 2=0 3=0 4=3 5=4 6=0"
check_rx "$G2" "1=0 2=6 3=5 4=0 5=0 6=0"
check_rx "$G3" "1=8 2=0 3=0 4=0 5=0 6=7"
check_eq "$(rx_srcs rx3 eth0 "$G2")" "$S2:5" "sources at rx3"
check_eq "$(rx_srcs rx2 eth0 "$G2")" "$S3:6" "sources at rx2"
check_eq "$(rx_srcs rx1 eth0 "$G3")" "$S4:8" "sources at rx1"
for k in 1 2 3 4 5 6; do
	for g in "$G1" "$G2" "$G3"; do
		t=$(rx_ttls "rx$k" eth0 "$g")
		[[ -z $t || $t =~ ^63:[0-9]+$ ]] || fail "rx$k, $g: TTLs $t, not 63"
		[[ $(rx_bad "rx$k" eth0 "$g") == 0 ]] || fail "rx$k, $g: damaged copies"
	done
done
check_route "$P16" '*' packets=8 family=$FAMNAME group="$P16" source='*'
check_route "$P24" '*' packets=6 group="$P24"
check_route "$P24" "$SP25" packets=5 group="$P24" source="$SP25"
check_route "$G1" "$S1" packets=3 group="$G1" source="$S1"
check_route "$G1" '*' packets=4
check_route "$P16" "$SP24" packets=7 source="$SP24"
check_stats forwarded=33 copies=33 unres_entries=0

# No route: queued; a prefix route added later covers it and releases it.
flow "$S2" "$G4" 1
# shellcheck disable=SC2317  # called through wait_for
queued() { (($(stats_field unres_entries) == 1)); }
wait_for -t "$TOPO_WAIT" queued || fail "no unresolved entry for ($S2, $G4)"
mf route add group "$PQ" iif r0 oif r1
check_stats unres_entries=0 unres_packets=0
flow "$S2" "$G4" 2
topo_sync
check_rx "$G4" "1=3 2=0 3=0 4=0 5=0 6=0"
check_route "$PQ" '*' packets=3

# Deleting a route: its packets take the next most specific one.
mf route del group "$P24" source "$SP25"	# C: S2 -> G2 now B
mf route del group "$G1"			# E: S2 -> G1 now B
flow "$S2" "$G2" 2
flow "$S2" "$G1" 2
topo_sync
check_rx "$G2" "1=0 2=8 3=5 4=0 5=0 6=0"
check_rx "$G1" "1=0 2=2 3=0 4=3 5=4 6=0"
check_route "$P24" '*' packets=10
log "most specific route first: exact, longest group, longest source"

# ---- the API ------------------------------------------------------------------
EINVAL='error EINVAL (Invalid argument)'
ERANGE='error ERANGE (Numerical result out of range)'
GA=$(fam group group6) SA=$(fam source source6) BITS=$(fam 32 128)
# beyond the address: the family's check, or (IPv6) the policy's at once
LONG=$(fam "prefix length longer than the address" "integer out of range")
cases="route_add $GA=$(fam 239.3.0.0 ff0e::3:0) group_prefix_len=$((BITS + 1)) iif=r0 | $ERANGE msg=\"$LONG\"
route_add $GA=$(fam 239.3.0.0 ff0e::3:0) source_prefix_len=$((BITS + 1)) iif=r0 | $ERANGE msg=\"$LONG\"
route_add $GA=$(fam 239.3.0.0 ff0e::3:0) group_prefix_len=129 iif=r0 | $ERANGE msg=\"integer out of range\"
route_add $GA=$(fam 239.3.1.0 ff0e::3:100) group_prefix_len=$(fam 16 112) iif=r0 | $EINVAL msg=\"group has bits set beyond its prefix length\"
route_add $GA=$(fam 239.3.0.0 ff0e::3:0) $SA=$(fam 10.0.0.1 2001:db8::1) source_prefix_len=$(fam 24 64) iif=r0 | $EINVAL msg=\"source has bits set beyond its prefix length\"
route_add $GA=$(fam 224.0.0.0 ff00::) group_prefix_len=$(fam 3 7) iif=r0 | $EINVAL msg=\"group is not a routable multicast address\"
route_add $GA=$(fam 224.0.0.0 ff02::) group_prefix_len=$(fam 24 16) iif=r0 | $EINVAL msg=\"group is not a routable multicast address\"
route_add $GA=$(fam 224.0.0.0 ff00::) group_prefix_len=$(fam 4 8) iif=r0 oif=r2 | ok
route_add $GA=$(fam 239.3.0.0 ff0e::3:0) group_prefix_len=$(fam 16 112) $SA=$(fam 10.0.0.0 2001:db8::) source_prefix_len=$(fam 8 32) iif=r0 | ok
route_get $GA=$(fam 239.3.0.0 ff0e::3:0) group_prefix_len=$(fam 16 112) | error ENOENT (No such file or directory) msg=\"no such route\"
route_get $GA=$(fam 239.3.0.0 ff0e::3:0) group_prefix_len=$(fam 16 112) $SA=$(fam 10.0.0.0 2001:db8::) source_prefix_len=$(fam 8 32) | ok
route_del $GA=$(fam 239.3.0.0 ff0e::3:0) group_prefix_len=$(fam 16 112) $SA=$(fam 10.0.0.0 2001:db8::) source_prefix_len=$(fam 8 32) | ok
route_del $GA=$(fam 224.0.0.0 ff00::) group_prefix_len=$(fam 4 8) | ok"
nl_cases "$cases"
check_eq "$(config_field route_count)" 5 "routes after the API requests"
# dumps filter by prefix length: the two /16 routes, the (*, G/24) one
dump() { python3 "$NL" --dump route_get "$@" | grep '^route' | cut -d' ' -f2,3 | LC_ALL=C sort | paste -sd' '; }
src0=$(fam 0.0.0.0 ::)
check_eq "$(dump group_prefix_len="$(fam 16 112)")" \
	"$(printf '%s\n' "$src0 $P16" "$SP24 $P16" "$src0 $PQ" | LC_ALL=C sort | paste -sd' ')" "dump of /16 groups"
check_eq "$(dump "$GA=${P24%/*}" group_prefix_len="${P24#*/}")" "$src0 $P24" "dump of $P24"
# mfwdctl shows the prefixes, and the kernel's message for a bad one
check_eq "$("$MFWDCTL" route show group "$P24")" "(*, $P24)  iif r0  oifs r2" "mfwdctl route show"
out=$("$MFWDCTL" route add group "$(fam 239.1.1.1/16 ff0e::1:101/112)" iif r0 2>&1) &&
	fail "mfwdctl added a prefix with host bits"
[[ $out == *"group has bits set beyond its prefix length"* ]] || fail "mfwdctl said: $out"
pass "most specific route first; prefix lengths: ERANGE, EINVAL with extack, exact key for get and del, dump filters"
