# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/helpers/ev_lib.sh - "mfwdctl -j monitor" for tests whose router
# is any netns (topo.sh's is the initial one; ctl_lib.sh has ctl_monitor for
# its $RTR).  Source it after lib.sh:
#
#	. "$(dirname "$0")/helpers/ev_lib.sh"
#
#   ev_monitor NAME [NS]   start "mfwdctl -j monitor" in NS (default: the
#                          initial netns) writing $EV_DIR/NAME.mon; returns
#                          once it is subscribed (ev_sync)
#   ev_sync NAME           every event sent before this call is in
#                          NAME.mon: a VIF is added to and deleted from a
#                          fresh dummy device until the monitor shows its
#                          vif_del (events of one netns are sent in order)
#   ev_count NAME ERE      lines of NAME.mon matching ERE (grep -E)
#   ev_show NAME           NAME.mon, for failure messages
#
# Checks that go on after a failure, so that one run shows every way a
# module misbehaves:
#   soft CMD...            run CMD (check_eq, check_stats, ...) in a
#                          subshell; if it fails, keep its message
#   soft_done              fail with every kept message, if any

EV_DIR=$(mktemp -d /tmp/mfwd-ev.XXXXXX)
on_exit "rm -rf '$EV_DIR'"
EV_SYNC_N=0
declare -A EV_NS=()

ev_monitor() {
	local name=$1 ns=${2:--}
	: >"$EV_DIR/$name.mon"
	EV_NS[$name]=$ns
	if [[ $ns == - ]]; then
		"$MFWDCTL" -j monitor >>"$EV_DIR/$name.mon" 2>"$EV_DIR/$name.err" &
	else
		ip netns exec "$ns" "$MFWDCTL" -j monitor >>"$EV_DIR/$name.mon" \
			2>"$EV_DIR/$name.err" &
	fi
	on_exit "kill $!"
	ev_sync "$name"
}

ev_sync() {
	local name=$1 ns=${EV_NS[$1]} dev i
	EV_SYNC_N=$((EV_SYNC_N + 1))
	dev=evsync$EV_SYNC_N
	ns_exec "$ns" ip link add "$dev" type dummy
	ns_exec "$ns" ip link set "$dev" up
	for ((i = 0; i < 60; i++)); do
		ns_exec "$ns" "$MFWDCTL" vif add dev "$dev" >/dev/null
		ns_exec "$ns" "$MFWDCTL" vif del dev "$dev" >/dev/null
		if wait_for -t 2 grep -q "\"event\":\"vif_del\",\"dev\":\"$dev\"" \
			"$EV_DIR/$name.mon"; then
			ns_exec "$ns" ip link del "$dev"
			return 0
		fi
	done
	fail "monitor $name did not show the sync events:"$'\n'"$(cat "$EV_DIR/$name.err")"
}

# ev_n KEY=VALUE...: JSON events the monitor "mon" printed with all these
# fields (JSON true and false as "true" and "false")
ev_n() {
	python3 -c '
import json, sys
want = dict(a.split("=", 1) for a in sys.argv[2:])
n = 0
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if all(k in e and (json.dumps(e[k]) if isinstance(e[k], bool) else str(e[k])) == v
           for k, v in want.items()):
        n += 1
print(n)' "$EV_DIR/mon.mon" "$@"
}

ev_count() { grep -cE "$2" "$EV_DIR/$1.mon" || true; }
ev_show() { cat "$EV_DIR/$1.mon"; }

SOFT_ERRS=()
soft() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	((rc != 0)) || [[ -z $out ]] || printf '%s\n' "$out"
	((rc == 0)) || SOFT_ERRS+=("${out:-$* failed}")
}
soft_done() {
	((${#SOFT_ERRS[@]} == 0)) ||
		fail "${#SOFT_ERRS[@]} check(s) failed:"$'\n'"$(printf -- '- %s\n' "${SOFT_ERRS[@]}")"
}
