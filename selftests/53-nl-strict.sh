#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Strict genetlink headers (resv_start_op 0) and the REPLACE attribute.
# Every request, do or dump, read or write, is refused with EINVAL and the
# core's extack message when the genlmsghdr's reserved field is not 0, or
# when nlmsg_flags has a bit other than REQUEST, ACK, ECHO and DUMP: the
# old NLM_F_REPLACE / NLM_F_CREATE / NLM_F_EXCL of ROUTE_ADD and VIF_ADD are
# refused ("ambiguous or reserved bits set in nlmsg_flags") and change
# nothing, also together with the REPLACE attribute. ROUTE_ADD with the
# REPLACE flag attribute replaces a route's input and outputs and keeps its
# counters (traffic before and after is counted in one route), and creates
# a route that does not exist; without it an existing route is EEXIST
# "route exists"; REPLACE with a payload (ERANGE, as the core answers a
# flag with a length) or on another command (EINVAL) is refused by the
# policy. mfwdctl's "route replace" sends the attribute.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=239.1.53.1 G2=239.1.53.2 G3=239.1.53.3 S=10.0.0.2
NL=(python3 "$TOPO_HELPERS/mfwdnl.py")
REPL=$(cd "$TOPO_HELPERS" && python3 -c 'import mfwdnl; print(mfwdnl.A["replace"])')

topo_init 2
ip link add d0 type dummy
ip link set d0 up
topo_mfwd
mf route add group $G source $S iif r0 oif r1
mf route add group $G2 iif r0 oif r1 oif r2/4

# batch FILE: the raw requests of "request | answer" lines of FILE, each
# answer compared
batch() {
	local f=$1 out
	cut -d'|' -f1 "$f" >"$f.req"
	cut -d'|' -f2- "$f" | sed 's/^ *//' >"$f.want"
	"${NL[@]}" -b "$f.req" | sed 's/ offs=[0-9]*//' >"$f.got" || true
	out=$(paste -d'\n' "$f.req" "$f.want" "$f.got" |
		awk 'NR % 3 == 1 { r = $0 } NR % 3 == 2 { e = $0 } NR % 3 == 0 && $0 != e {
			gsub(/[ \t]+/, " ", r); printf "%s\n    expected: %s\n    got:      %s\n", r, e, $0 }')
	[[ -z $out ]] || fail "wrong answers:"$'\n'"$out"
	check_eq "$(wc -l <"$f.got")" "$(wc -l <"$f.req")" "number of answers to $f"
}

# ---- header checks: refused, whatever the command ---------------------------
before=$(tables_snapshot)
RESV='error EINVAL (Invalid argument) msg="genlmsghdr.reserved field is not 0"'
FLAGS='error EINVAL (Invalid argument) msg="ambiguous or reserved bits set in nlmsg_flags"'
cat >"$TOPO_DIR/hdr" <<EOC
--reserved=1 config_get						| $RESV
--reserved=0x8000 stats_get					| $RESV
--reserved=1 route_get group=$G source=$S			| $RESV
--reserved=1 route_add group=$G3 iif=r0 oif=r1			| $RESV
--reserved=1 --replace route_add group=$G source=$S iif=r0 oif=r2	| $RESV
--reserved=1 route_del group=$G source=$S			| $RESV
--reserved=1 vif_add ifindex=d0					| $RESV
--reserved=2 vif_del ifindex=r2					| $RESV
--reserved=1 flush flush_vifs					| $RESV
--reserved=1 config_set unres_qlen=2				| $RESV
--dump --reserved=1 route_get					| $RESV
--dump --reserved=1 vif_get					| $RESV
--flags=0x100 route_add group=$G3 iif=r0 oif=r1			| $FLAGS
--flags=0x400 route_add group=$G3 iif=r0 oif=r1			| $FLAGS
--flags=0x200 route_add group=$G3 iif=r0 oif=r1			| $FLAGS
--flags=0x600 route_add group=$G3 iif=r0 oif=r1			| $FLAGS
--flags=0x500 route_add group=$G3 iif=r0 oif=r1			| $FLAGS
--flags=0x800 route_add group=$G3 iif=r0 oif=r1			| $FLAGS
--flags=0x500 route_add group=$G source=$S iif=r0 oif=r2	| $FLAGS
--flags=0x100 --replace route_add group=$G source=$S iif=r0 oif=r2	| $FLAGS
--flags=0x400 --replace route_add group=$G3 iif=r0 oif=r1	| $FLAGS
--flags=0x600 vif_add ifindex=d0				| $FLAGS
--flags=0x100 route_del group=$G source=$S			| $FLAGS
--flags=0x100 route_get group=$G source=$S			| $FLAGS
--flags=0x20 config_get						| $FLAGS
--flags=0x1000 config_set unres_qlen=2				| $FLAGS
--flags=0x100 flush						| $FLAGS
--dump --flags=0x800 route_get					| $FLAGS
--dump --flags=0x400 vif_get					| $FLAGS
--flags=0x300 route_add group=$G3 iif=r0 oif=r1			| error EOPNOTSUPP (Operation not supported)
--flags=0x8 route_get group=$G source=$S			| ok
--flags=0x8 config_get						| ok
EOC
batch "$TOPO_DIR/hdr"
check_eq "$(tables_snapshot)" "$before" "tables after the refused headers"
check_eq "$(config_field unres_qlen)" 4 "unres_qlen after the refused CONFIG_SETs"
log "$(wc -l <"$TOPO_DIR/hdr.req") requests: reserved field and flags checked on every command, nothing changed"
log "(NLM_F_REPLACE|NLM_F_EXCL is NLM_F_DUMP: ROUTE_ADD has no dump, EOPNOTSUPP)"

# ---- REPLACE: counters kept, outputs and input replaced ----------------------
# packets_is G S N: route (S, G) has counted N packets (run by wait_for)
# shellcheck disable=SC2317
packets_is() { [[ $(route_field "$1" "$2" packets) == "$3" ]]; }
send -- --group $G --count 5 --size 100 --ttl 16
wait_for -t "$TOPO_WAIT" packets_is $G $S 5 ||
	fail "route ($S, $G) counted $(route_field $G $S packets) packets, sent 5"
check_route $G $S packets=5 bytes=$((5 * 128)) iif=r0 oifs='[{"dev":"r1","ttl":1}]'

cat >"$TOPO_DIR/repl" <<EOC
--replace route_add group=$G source=$S iif=r0 oif=r2/7		| ok
route_add group=$G source=$S iif=r0 oif=r1			| error EEXIST (File exists) msg="route exists"
route_add group=$G2 iif=r0 oif=r1				| error EEXIST (File exists) msg="route exists"
--replace route_add group=$G3 iif=r1 oif=r2			| ok
route_add group=$G3 iif=r1 oif=r2				| error EEXIST (File exists) msg="route exists"
route_add group=$G3 iif=r0 oif=r1 $REPL:u32:1			| error ERANGE (Numerical result out of range) msg="Attribute failed policy validation"
route_del group=$G3 replace					| error EINVAL (Invalid argument) msg="Unsupported attribute"
route_get group=$G3 replace					| error EINVAL (Invalid argument) msg="Unsupported attribute"
vif_add ifindex=d0 replace					| error EINVAL (Invalid argument) msg="Unsupported attribute"
config_set unres_qlen=3 replace					| error EINVAL (Invalid argument) msg="Unsupported attribute"
EOC
batch "$TOPO_DIR/repl"
check_route $G $S packets=5 bytes=$((5 * 128)) iif=r0 oifs='[{"dev":"r2","ttl":7}]'
check_route $G3 '*' packets=0 iif=r1 oifs='[{"dev":"r2","ttl":1}]'
check_route $G2 '*' iif=r0 oifs='[{"dev":"r1","ttl":1},{"dev":"r2","ttl":4}]'
check_eq "$(config_field route_count)" 3 "routes after the replaces"
check_eq "$(config_field unres_qlen)" 4 "unres_qlen after a refused CONFIG_SET"
log "REPLACE: outputs replaced, counters kept; a missing route created; EEXIST without it"

# the replaced route goes on counting where it was, on its new outputs
send -- --group $G --count 3 --size 100 --ttl 16
wait_for -t "$TOPO_WAIT" packets_is $G $S 8 ||
	fail "route ($S, $G) counted $(route_field $G $S packets) packets after 5 + 3"
check_vifs r1.pkts_out=5 r2.pkts_out=3

# input replaced too, and mfwdctl's "route replace" (the attribute as well)
echo "--replace route_add group=$G source=$S iif=r1 oif=r0 oif=r2/3 | ok" >"$TOPO_DIR/repl2"
batch "$TOPO_DIR/repl2"
check_route $G $S packets=8 iif=r1 oifs='[{"dev":"r0","ttl":1},{"dev":"r2","ttl":3}]'
mf route replace group $G source $S iif r0 oif r1/9
check_route $G $S packets=8 iif=r0 oifs='[{"dev":"r1","ttl":9}]'
mf route replace group 239.1.53.4 source $S iif r0 oif r2
check_route 239.1.53.4 $S packets=0 iif=r0 oifs='[{"dev":"r2","ttl":1}]'
rc=0
out=$("$MFWDCTL" route add group $G source $S iif r0 oif r2 2>&1) || rc=$?
((rc == 1)) || fail "mfwdctl route add of an existing route exited $rc: $out"
check_eq "$out" "Error: route exists (File exists)" "mfwdctl route add of an existing route"
pass "strict headers refused on every command; REPLACE replaces (counters kept) or creates"
