#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Who may do what. An unprivileged user (uid 65534) makes a user namespace
# with its own netns ("unshare -Urn"): its root adds VIFs and routes there
# and may change the settings, but raising unres-max, unres-qlen,
# unres-timeout or max-routes above its default is EPERM with an extack
# message naming the limit (also when the request lowers another one: it
# changes nothing); lowering works, and so does raising back up to the
# default; wrongvif-interval is not a limit. Root of the initial user
# namespace may raise them in that same netns (nsenter), and in its own.
# The events group: joining it (NETLINK_ADD_MEMBERSHIP) is EPERM for uid
# 65534 without capabilities in the initial netns, works for root there, and
# for the user namespace's root in its own netns, whose events it gets.
# user namespaces: not in the VM's chroot
# shellcheck source-path=SCRIPTDIR source=helpers/unchroot.sh
. "$(dirname "$0")/helpers/unchroot.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_mfwdctl
require_cmd python3 ip unshare setpriv nsenter
HELPERS=${SELFTESTS:-$(cd "$(dirname "$0")" && pwd)}/helpers
tmp=$(mktemp -d)
chmod 755 "$tmp"
on_exit "rm -rf '$tmp'"
load_mfwd
on_exit "rmmod mfwd"

# Unprivileged user namespaces: Debian's switch, and the namespace limit.
if [[ -f /proc/sys/kernel/unprivileged_userns_clone ]]; then
	echo 1 >/proc/sys/kernel/unprivileged_userns_clone
fi
(($(cat /proc/sys/user/max_user_namespaces) > 0)) || echo 1000 >/proc/sys/user/max_user_namespaces
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
out=$("${NOBODY[@]}" unshare -Urn true 2>&1) || fail "uid 65534 cannot unshare -Urn: $out"

# A user namespace + netns of uid 65534 that stays (its holder sleeps);
# "userns CMD" runs CMD as its root, "hostroot CMD" as the initial root in
# its netns.
"${NOBODY[@]}" unshare -Urn sh -c 'ip link set lo up; echo ready; exec sleep 3600' >"$tmp/holder" 2>&1 &
holder=$!
on_exit "kill $holder"
wait_for grep -q ready "$tmp/holder" || fail "the user namespace did not start: $(cat "$tmp/holder")"
userns() { nsenter -t "$holder" -U -n -- "$@"; }
hostroot() { nsenter -t "$holder" -n -- "$@"; }
check_eq "$(userns id -u)" 0 "uid in the user namespace"
check_eq "$(userns grep -c . /proc/self/uid_map)" 1 "uid_map lines"
[[ $(userns cat /proc/self/uid_map) == *" 65534 "* ]] || fail "uid map: $(userns cat /proc/self/uid_map)"
# not root of the initial user namespace: no route in the initial netns
rc=0
out=$(nsenter -t "$holder" -U -- "$MFWDCTL" config set unres-qlen 2 2>&1) || rc=$?
if ((rc == 0)) || [[ $out != *"Operation not permitted"* ]]; then
	fail "userns root changed the initial netns's config: $out"
fi

# ---- the userns root owns its netns -----------------------------------------------
userns ip link add d0 type dummy
userns ip link add d1 type dummy
userns ip link set d0 up
userns ip link set d1 up
userns "$MFWDCTL" vif add dev d0
userns "$MFWDCTL" vif add dev d1
userns "$MFWDCTL" route add group 239.55.0.1 source 10.55.0.1 iif d0 oif d1
userns "$MFWDCTL" route replace group 239.55.0.2 iif d1 oif d0/3
check_eq "$(userns "$MFWDCTL" route show | wc -l)" 2 "routes of the userns root"
check_eq "$("$MFWDCTL" route show | wc -l)" 0 "routes in the initial netns"

# ---- CONFIG_SET: the limits ----------------------------------------------------------
DEF='{"unres_max":64,"unres_qlen":4,"unres_timeout_ms":10000,"wrongvif_interval_ms":3000,"max_routes":4194304}'
# cfg [CMD...]: the settings, through CMD (userns, hostroot) if given
cfg() { "$@" "$MFWDCTL" -j config show | python3 -c '
import json, sys
d = json.load(sys.stdin)
d.pop("vif_count"); d.pop("route_count"); d.pop("signal_rate")
print(json.dumps(d, separators=(",", ":")))'; }
check_eq "$(cfg userns)" "$DEF" "defaults in the user's netns"
EPERM='1 error EPERM (Operation not permitted) msg="raising a limit above its default needs CAP_NET_ADMIN in the initial user namespace"'
# "REQUEST | answer | config after it" (the config as a sed expression on
# the previous one, "=" for unchanged)
cat >"$tmp/cases" <<EOF
config_set unres_max=65						| $EPERM	| =
config_set unres_qlen=5						| $EPERM	| =
config_set unres_timeout_ms=10001				| $EPERM	| =
config_set max_routes=4194305					| $EPERM	| =
config_set max_routes=4294967295				| $EPERM	| =
config_set unres_max=1048576					| $EPERM	| =
config_set unres_qlen=1 unres_max=1000				| $EPERM	| =
config_set wrongvif_interval_ms=0 unres_timeout_ms=20000	| $EPERM	| =
config_set unres_max=10 unres_qlen=1 unres_timeout_ms=100 max_routes=1	| 0 ok	| s/"unres_max":64/"unres_max":10/; s/"unres_qlen":4/"unres_qlen":1/; s/"unres_timeout_ms":10000/"unres_timeout_ms":100/; s/"max_routes":4194304/"max_routes":1/
config_set unres_max=65						| $EPERM	| =
config_set max_routes=2						| 0 ok	| s/"max_routes":1}/"max_routes":2}/
config_set unres_max=64 unres_qlen=4				| 0 ok	| s/"unres_max":10/"unres_max":64/; s/"unres_qlen":1/"unres_qlen":4/
config_set unres_timeout_ms=10000 max_routes=4194304		| 0 ok	| s/"unres_timeout_ms":100/"unres_timeout_ms":10000/; s/"max_routes":2/"max_routes":4194304/
config_set unres_qlen=5						| $EPERM	| =
config_set wrongvif_interval_ms=3600000				| 0 ok	| s/"wrongvif_interval_ms":3000/"wrongvif_interval_ms":3600000/
config_set wrongvif_interval_ms=3000				| 0 ok	| s/"wrongvif_interval_ms":3600000/"wrongvif_interval_ms":3000/
EOF
want=$DEF n=0 bad=
while IFS='|' read -r req answer change; do
	read -ra words <<<"$req"
	answer=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$answer")
	change=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$change")
	rc=0
	got=$(userns python3 "$HELPERS/mfwdnl.py" "${words[@]}" | sed 's/ offs=[0-9]*//') || rc=$?
	[[ $change == = ]] || want=$(sed "$change" <<<"$want")
	now=$(cfg userns)
	if [[ "$rc $got" != "$answer" || $now != "$want" ]]; then
		bad+="${words[*]}"$'\n'"    expected: $answer, config $want"$'\n'"    got:      $rc $got, config $now"$'\n'
	fi
	n=$((n + 1))
done <"$tmp/cases"
[[ -z $bad ]] || fail "CONFIG_SET as the user namespace's root:"$'\n'"$bad"
log "userns root: $n CONFIG_SETs; above the defaults EPERM, lowering and back to the defaults allowed"

# mfwdctl says so too
rc=0
out=$(userns "$MFWDCTL" config set max-routes 5000000 2>&1) || rc=$?
check_eq "$rc $out" "1 Error: raising a limit above its default needs CAP_NET_ADMIN in the initial user namespace (Operation not permitted) at \"max-routes 5000000\"" \
	"mfwdctl config set max-routes 5000000 as userns root"
check_eq "$(cfg userns)" "$DEF" "config after the refused mfwdctl config set"

# root of the initial user namespace may raise them, in that netns and its own
hostroot "$MFWDCTL" config set unres-max 1000 unres-qlen 16 unres-timeout 20000 max-routes 5000000
RAISED='{"unres_max":1000,"unres_qlen":16,"unres_timeout_ms":20000,"wrongvif_interval_ms":3000,"max_routes":5000000}'
check_eq "$(cfg userns)" "$RAISED" "config of the user's netns raised by the initial root"
# ... and the userns root may lower them again (also to values still above
# the defaults: lowering is fine), but not raise them back
out=$(userns "$MFWDCTL" config set unres-max 500 max-routes 4999999 2>&1) ||
	fail "userns root lowering unres-max 1000 -> 500, max-routes 5000000 -> 4999999: $out"
check_eq "$(cfg userns)" '{"unres_max":500,"unres_qlen":16,"unres_timeout_ms":20000,"wrongvif_interval_ms":3000,"max_routes":4999999}' \
	"config after lowering"
rc=0
out=$(userns "$MFWDCTL" config set unres-max 1000 2>&1) || rc=$?
((rc == 1)) || fail "userns root raised unres-max from 500 back to 1000 (the initial root's value): $out"
userns "$MFWDCTL" config set unres-max 64 unres-qlen 4 unres-timeout 10000 max-routes 4194304
check_eq "$(cfg userns)" "$DEF" "config back at the defaults"
"$MFWDCTL" config set unres-max 1048576 unres-qlen 1024 unres-timeout 3600000 max-routes 4294967295
check_eq "$(cfg)" '{"unres_max":1048576,"unres_qlen":1024,"unres_timeout_ms":3600000,"wrongvif_interval_ms":3000,"max_routes":4294967295}' \
	"config of the initial netns raised by root"
"$MFWDCTL" config set unres-max 64 unres-qlen 4 unres-timeout 10000 max-routes 4194304
log "initial root raises the limits, in the user's netns and its own"

# ---- the events group ----------------------------------------------------------------
# join now|wait: join the events group on a fresh socket; "ok" or the
# errno's name. With "wait": then wait (30 s at most) for an event and print
# its command and group.
join() {
	python3 - "$HELPERS" "$@" <<'EOF'
import errno, sys
sys.path.insert(0, sys.argv[1])
import mfwdnl as m
g = m.Genl()
try:
    g.s.setsockopt(m.SOL_NETLINK, m.NETLINK_ADD_MEMBERSHIP, g.groups["events"])
except OSError as e:
    print(errno.errorcode[e.errno])
    sys.exit(0)
print("ok", flush=True)
if sys.argv[2] == "wait":
    g.s.settimeout(30)
    for typ, fl, seq, msg in g.messages():
        if typ == g.fam:
            d = m.decode(msg[16:])
            print(d["cmd"], d.get("group"))
            break
EOF
}
check_eq "$("${NOBODY[@]}" bash -c "$(declare -f join); HELPERS='$HELPERS' join now")" EPERM \
	"uid 65534 joining the events group in the initial netns"
check_eq "$(join now)" ok "root joining the events group in the initial netns"
# the userns root, in its own netns: joins, and hears of its routes
userns bash -c "$(declare -f join); HELPERS='$HELPERS' join wait" >"$tmp/ev" 2>&1 &
listener=$!
wait_for grep -q '^ok' "$tmp/ev" || fail "userns root joining the events group: $(cat "$tmp/ev")"
userns "$MFWDCTL" route add group 239.55.0.9 iif d0 oif d1
wait "$listener" || fail "the userns listener failed: $(cat "$tmp/ev")"
check_eq "$(cat "$tmp/ev")" $'ok\nroute_add 239.55.0.9' "events the userns root gets in its netns"
pass "userns root: its netns; limits not above the defaults (EPERM); events group admin-only"
