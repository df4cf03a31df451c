#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Bad input: every invalid request gets the documented errno and extack
# message, and changes nothing (route and VIF dumps, config identical
# before and after).  Checked twice: with raw generic-netlink requests
# (helpers/mfwdnl.py: also what mfwdctl refuses to send) and, where
# mfwdctl passes the request on, with mfwdctl ("Error: MSG (strerror)").
# Unprivileged users (uid 65534 without capabilities, also as "root" of a
# user namespace that does not own the netns) get EPERM for every write
# and can still read everything.
# user namespaces: not in the VM's chroot
# shellcheck source-path=SCRIPTDIR source=helpers/unchroot.sh
. "$(dirname "$0")/helpers/unchroot.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=239.1.11.1 G2=239.1.11.2 S=10.0.0.2
NL=("python3" "$TOPO_HELPERS/mfwdnl.py")

topo_init 2
ip link add d0 type dummy
ip link set d0 up
topo_mfwd
mf route add group $G source $S iif r0 oif r1/4
mf route add group $G2 iif r0 oif r1 oif r2

snapshot() { tables_snapshot; "$MFWDCTL" -j config show; }
before=$(snapshot)

# ---- raw requests: "request | expected answer" ----------------------------
ENODEV='error ENODEV (No such device) msg="unknown interface"'
ENOENT_VIF='error ENOENT (No such file or directory) msg="interface is not a VIF"'
EINVAL='error EINVAL (Invalid argument)'
BADGRP="$EINVAL msg=\"group is not a routable multicast address\""
BADSRC="$EINVAL msg=\"source is not a unicast address\""
UNSUP="$EINVAL msg=\"Unsupported attribute\""
RANGE='error ERANGE (Numerical result out of range) msg="integer out of range"'
NOROUTE='error ENOENT (No such file or directory) msg="no such route"'
cat >"$TOPO_DIR/cases" <<EOC
vif_add ifindex=99999						| $ENODEV
vif_del ifindex=99999						| $ENODEV
vif_get ifindex=99999						| $ENODEV
route_add group=$G2 source=10.9.9.9 iif=99999 oif=r1		| $ENODEV
route_add group=$G2 source=10.9.9.9 iif=r0 oif=99999		| $ENODEV
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 oif=99999	| $ENODEV
vif_del ifindex=d0						| $ENOENT_VIF
vif_get ifindex=d0						| $ENOENT_VIF
route_add group=$G2 source=10.9.9.9 iif=d0 oif=r1		| $ENOENT_VIF
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 oif=d0	| $ENOENT_VIF
--replace route_add group=$G source=$S iif=r0 oif=d0		| $ENOENT_VIF
--replace route_add group=$G source=$S iif=d0 oif=r1		| $ENOENT_VIF
route_add group=10.1.1.1 iif=r0 oif=r1				| $BADGRP
route_add group=224.0.0.5 iif=r0 oif=r1				| $BADGRP
route_add group=224.0.0.255 iif=r0 oif=r1			| $BADGRP
route_add group=255.255.255.255 iif=r0 oif=r1			| $BADGRP
route_add group=0.0.0.0 iif=r0 oif=r1				| $BADGRP
route_del group=10.1.1.1					| $BADGRP
route_add group=$G2 source=239.9.9.9 iif=r0 oif=r1		| $BADSRC
route_add group=$G2 source=224.0.0.1 iif=r0 oif=r1		| $BADSRC
route_add group=$G2 source=255.255.255.255 iif=r0 oif=r1	| $BADSRC
route_add group=$G source=$S iif=r0 oif=r1			| error EEXIST (File exists) msg="route exists"
route_add group=$G2 iif=r0 oif=r2				| error EEXIST (File exists) msg="route exists"
vif_add ifindex=r0						| error EEXIST (File exists) msg="interface is a VIF already"
route_add group=$G2 source=10.9.9.9 oif=r1			| $EINVAL miss_type=8
route_add source=10.9.9.9 iif=r0 oif=r1				| $EINVAL miss_type=7
route_del source=$S						| $EINVAL miss_type=7
vif_add								| $EINVAL miss_type=2
vif_del								| $EINVAL miss_type=2
route_add group=$G2 source=10.9.9.9 iif=r0 oif=		| $EINVAL miss_type=1
route_add group=$G2 source=10.9.9.9 iif=r0 oif=/5		| $EINVAL miss_type=1
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r0		| $EINVAL msg="input VIF listed as output"
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 oif=r2 oif=r0	| $EINVAL msg="input VIF listed as output"
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 oif=r1	| $EINVAL msg="an output VIF is listed twice"
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 oif=r2 oif=r1/9	| $EINVAL msg="an output VIF is listed twice"
--replace route_add group=$G source=$S iif=r0 oif=r2 oif=r2	| $EINVAL msg="an output VIF is listed twice"
route_del group=239.9.9.9					| $NOROUTE
route_del group=$G						| $NOROUTE
route_del group=$G2 source=$S					| $NOROUTE
route_get group=239.9.9.9 source=$S				| $NOROUTE
vif_add ifindex=lo						| $EINVAL msg="loopback cannot be a VIF"
vif_add ifindex=d0 group=$G					| $UNSUP
vif_add ifindex=d0 iif=r0					| $UNSUP
vif_del ifindex=r2 oif=r1					| $UNSUP
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 ifindex=r1	| $UNSUP
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 threshold=3	| $UNSUP
route_del group=$G source=$S iif=r0				| $UNSUP
route_del group=$G source=$S oif=r1				| $UNSUP
route_get group=$G source=$S flush_vifs				| $UNSUP
flush group=$G							| $UNSUP
stats_get ifindex=r0						| $UNSUP
config_get max_routes=5						| $UNSUP
config_set ifindex=r0						| $UNSUP
config_set unres_qlen=2 group=$G				| $UNSUP
vif_add ifindex=d0 200:u32:1					| $EINVAL msg="Unknown attribute type"
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1 7:u16:1	| $EINVAL msg="invalid attribute length"
vif_add ifindex=d0 flags=0x100					| $EINVAL msg="reserved bit set"
vif_add ifindex=d0 threshold=0					| $RANGE
vif_add ifindex=0						| $RANGE
route_add group=$G2 source=10.9.9.9 iif=r0 oif=r1/0		| $RANGE
config_set unres_qlen=5000					| $RANGE
config_set unres_timeout_ms=1 unres_qlen=2			| $RANGE
config_set max_routes=0						| $RANGE
EOC
cut -d'|' -f1 "$TOPO_DIR/cases" >"$TOPO_DIR/requests"
cut -d'|' -f2- "$TOPO_DIR/cases" | sed 's/^ *//' >"$TOPO_DIR/expected"
"${NL[@]}" -b "$TOPO_DIR/requests" | sed 's/ offs=[0-9]*//' >"$TOPO_DIR/got" || true
out=$(paste -d'\n' "$TOPO_DIR/requests" "$TOPO_DIR/expected" "$TOPO_DIR/got" |
	awk 'NR % 3 == 1 { r = $0 } NR % 3 == 2 { e = $0 } NR % 3 == 0 && $0 != e {
		gsub(/[ \t]+/, " ", r); printf "%s\n    expected: %s\n    got:      %s\n", r, e, $0 }')
[[ -z $out ]] || fail "wrong answers to bad requests:"$'\n'"$out"
check_eq "$(wc -l <"$TOPO_DIR/got")" "$(wc -l <"$TOPO_DIR/requests")" "number of answers"
check_eq "$(snapshot)" "$before" "tables after $(wc -l <"$TOPO_DIR/requests") failed raw requests"
log "$(wc -l <"$TOPO_DIR/requests") bad raw requests: right errno and message, nothing changed"

# ---- limits: max-routes (ENOSPC), more than 1024 outputs (E2BIG) -----------
maxr=$(config_field max_routes)
mf config set max-routes 2
{
	echo "route_add group=239.1.11.9 iif=r0 oif=r1"
	echo "route_add group=239.1.11.9 source=$S iif=r0 oif=r2"
	printf 'route_add group=239.1.11.10 iif=r0'
	for _ in $(seq 1025); do printf ' oif=r1'; done
	echo
} >"$TOPO_DIR/limits"
"${NL[@]}" -b "$TOPO_DIR/limits" | sed 's/ offs=[0-9]*//' >"$TOPO_DIR/got" || true
check_eq "$(cat "$TOPO_DIR/got")" 'error ENOSPC (No space left on device) msg="route table is full (max-routes)"
error ENOSPC (No space left on device) msg="route table is full (max-routes)"
error E2BIG (Argument list too long) msg="too many outputs"' "answers at the limits"
out=$("$MFWDCTL" route add group 239.1.11.9 iif r0 oif r1 2>&1) && fail "mfwdctl route add over max-routes succeeded"
[[ $out == 'Error: route table is full (max-routes) (No space left on device)'* ]] ||
	fail "mfwdctl over max-routes: $out"
mf config set max-routes "$maxr"
check_eq "$(snapshot)" "$before" "tables after the limit checks"

# ---- the same through mfwdctl, where it reaches the kernel ------------------
# mfwdctl_err "ARGS" "EXPECTED ERROR LINE"
mfwdctl_err() {
	local out rc=0
	# shellcheck disable=SC2086  # ARGS is a word list
	out=$("$MFWDCTL" $1 2>&1) || rc=$?
	((rc != 0)) || fail "mfwdctl $1 succeeded"
	[[ $out == "$2"* ]] || fail "mfwdctl $1: expected '$2', got '$out'"
}
mfwdctl_err "vif add dev if99999" 'Error: unknown interface (No such device)'
mfwdctl_err "vif del dev if99999" 'Error: unknown interface (No such device)'
mfwdctl_err "route add group $G2 source 10.9.9.9 iif if99999 oif r1" 'Error: unknown interface (No such device)'
mfwdctl_err "route add group $G2 source 10.9.9.9 iif r0 oif if99999" 'Error: unknown interface (No such device)'
mfwdctl_err "vif del dev d0" 'Error: interface is not a VIF (No such file or directory)'
mfwdctl_err "route add group $G2 source 10.9.9.9 iif d0 oif r1" 'Error: interface is not a VIF (No such file or directory)'
mfwdctl_err "route replace group $G source $S iif r0 oif r1 oif d0" 'Error: interface is not a VIF (No such file or directory)'
mfwdctl_err "route add group $G source $S iif r0 oif r2" 'Error: route exists (File exists)'
mfwdctl_err "route add group $G2 iif r0 oif r2" 'Error: route exists (File exists)'
mfwdctl_err "vif add dev r1" 'Error: interface is a VIF already (File exists)'
mfwdctl_err "route add group $G2 source 10.9.9.9 iif r0 oif r1 oif r0" 'Error: input VIF listed as output (Invalid argument)'
mfwdctl_err "route del group 239.9.9.9" 'Error: no such route (No such file or directory)'
mfwdctl_err "route del group $G2 source $S" 'Error: no such route (No such file or directory)'
mfwdctl_err "vif add dev lo" 'Error: loopback cannot be a VIF (Invalid argument)'
# refused by mfwdctl itself: must fail all the same
for args in "route add group 224.0.0.5 iif r0 oif r1" "route add group 10.1.1.1 iif r0 oif r1" \
	"route add group $G2 source 239.9.9.9 iif r0 oif r1" "route add group $G2 oif r1" \
	"route add group $G2 source 10.9.9.9 iif r0 oif r1 oif r1" "vif add dev nosuchdev"; do
	# shellcheck disable=SC2086
	check_fail "$MFWDCTL" $args
done
check_eq "$(snapshot)" "$before" "tables after failed mfwdctl commands"
log "mfwdctl: errors reported as 'Error: MSG (strerror)', nothing changed"

# ---- unprivileged ------------------------------------------------------------
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
WRITES=("vif add dev d0" "vif add dev d0 ttl-threshold 3" "vif del dev r1" "vif del dev d0"
	"route add group 239.1.11.3 iif r0 oif r1" "route add group $G source $S iif r0 oif r2"
	"route replace group $G source $S iif r0 oif r2" "route del group $G source $S"
	"route del group $G2" "route del group 239.9.9.9" "flush" "flush routes" "flush all"
	"config set unres-qlen 3" "config set max-routes 10")
for args in "${WRITES[@]}"; do
	rc=0
	# shellcheck disable=SC2086
	out=$("${NOBODY[@]}" "$MFWDCTL" $args 2>&1) || rc=$?
	((rc != 0)) || fail "unprivileged 'mfwdctl $args' succeeded"
	[[ $out == *"Operation not permitted"* ]] || fail "unprivileged 'mfwdctl $args': $out"
done
cat >"$TOPO_DIR/writes" <<EOC
vif_add ifindex=d0
vif_del ifindex=r1
vif_del ifindex=99999
route_add group=239.1.11.3 iif=r0 oif=r1
--replace route_add group=$G source=$S iif=r0 oif=r2
route_add group=10.1.1.1 iif=r0
route_del group=$G source=$S
route_del group=239.9.9.9
flush
flush flush_vifs
config_set unres_qlen=3
EOC
"${NOBODY[@]}" "${NL[@]}" -b - <"$TOPO_DIR/writes" >"$TOPO_DIR/got" || true
check_eq "$(sort -u "$TOPO_DIR/got")" 'error EPERM (Operation not permitted)' "unprivileged raw writes"
check_eq "$(wc -l <"$TOPO_DIR/got")" "$(wc -l <"$TOPO_DIR/writes")" "unprivileged raw answers"
check_eq "$(snapshot)" "$before" "tables after unprivileged writes"
for args in "route show" "-j route show" "-s vif show" "-j vif show" "-j stats" \
	"config show" "route get group $G source $S" "route show group $G2"; do
	rc=0
	# shellcheck disable=SC2086
	out=$("${NOBODY[@]}" "$MFWDCTL" $args 2>&1) || rc=$?
	((rc == 0)) || fail "unprivileged 'mfwdctl $args' failed: $out"
	# shellcheck disable=SC2086
	want=$("$MFWDCTL" $args | sed 's/"idle_ms":[0-9]*//g')
	# shellcheck disable=SC2001  # a regex, not a pattern
	out=$(sed 's/"idle_ms":[0-9]*//g' <<<"$out")
	check_eq "$out" "$want" "unprivileged 'mfwdctl $args'"
done
log "uid 65534: EPERM for ${#WRITES[@]} mfwdctl and $(wc -l <"$TOPO_DIR/writes") raw writes, reads work"

# "root" in a user namespace that does not own the router's netns
if "${NOBODY[@]}" unshare --user --map-root-user true 2>/dev/null; then
	rc=0
	out=$("${NOBODY[@]}" unshare --user --map-root-user "$MFWDCTL" route del group $G source $S 2>&1) || rc=$?
	if ((rc == 0)) || [[ $out != *"Operation not permitted"* ]]; then
		fail "userns root could delete a route in the init netns: $out"
	fi
	check_eq "$(snapshot)" "$before" "tables after the userns attempt"
	# ... but owns the netns it creates: mfwd works there, separately.
	out=$("${NOBODY[@]}" unshare --user --map-root-user --net sh -c \
		"ip link add d9 type dummy && '$MFWDCTL' vif add dev d9 && '$MFWDCTL' -j config show" 2>&1) ||
		fail "mfwd in a user-owned netns: $out"
	[[ $out == *'"vif_count":1,'* && $out == *'"route_count":0'* ]] || fail "user-owned netns config: $out"
	check_eq "$(snapshot)" "$before" "tables after the user-owned netns"
	log "userns root: EPERM on the init netns, allowed in its own netns"
else
	log "unprivileged user namespaces unavailable: userns part skipped"
fi
pass "bad input: errno + extack right, nothing changed; EPERM unprivileged"
