#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Config and stats over netlink: per-netns defaults; config set values,
# including the range limits, read back by config show; out-of-range values
# (unres-timeout 0 and 99 below the minimum 100, ...), attributes
# CONFIG_SET does not take, and a request mixing a valid with an invalid
# value are rejected (ERANGE for out-of-range integers, EINVAL for the rest,
# as uapi/linux/mfwd.h documents) and change nothing; unprivileged users can
# read but get EPERM on set and on joining the events group (the module
# needs GENL_MCAST_CAP_NET_ADMIN, backported to Debian's 6.1); root of the
# initial user namespace may raise limits above their defaults (test 55
# has the user-namespace side); settings are per netns and take effect
# (unres-qlen, unres-max: a new flow evicts the oldest entry, max-routes);
# STATS_GET has every counter, the same over a raw genl socket as in
# "mfwdctl -j stats", per netns.
# IPv4, then IPv6.  The configuration itself is not per family: the IPv6
# run checks the defaults, then only what exercises the IPv6 code: the
# settings taking effect on IPv6 unresolved entries and routes (unres-qlen,
# unres-max eviction, max-routes) and the shared counters they move.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

families 4 6
ctl_topo 1
genl() { ip netns exec "$RTR" "$CTL_PY" -S "$CTL_HELPERS/ctl_genl.py" "$@"; }
# (signal_rate: 94-signals)
cfg() { rctl -j config show | jq -c 'del(.vif_count, .route_count, .signal_rate)'; }

defaults='{"unres_max":64,"unres_qlen":4,"unres_timeout_ms":10000,"wrongvif_interval_ms":3000,"max_routes":4194304}'
check_eq "$(cfg)" "$defaults" "defaults"
check_eq "$(rctl -j config show | jq -c '[.vif_count, .route_count]')" "[2,0]" "vif_count, route_count"
check_eq "$(genl config | jq -c '[.unres_max, .unres_qlen, .unres_timeout_ms, .wrongvif_interval_ms, .max_routes, .vif_count, .route_count]')" \
	"[64,4,10000,3000,4194304,2,0]" "CONFIG_GET over a raw genl socket"

# The configuration and its checks are family-independent: the IPv6 run
# skips them and goes on with what the IPv6 code does with the settings.
if ((FAM == 4)); then
	# ---- set and read back, limits included --------------------------------------
	rctl config set unres-max 100 unres-qlen 8 unres-timeout 2500 wrongvif-interval 0 max-routes 1000
	check_eq "$(cfg)" '{"unres_max":100,"unres_qlen":8,"unres_timeout_ms":2500,"wrongvif_interval_ms":0,"max_routes":1000}' "after set"
	rctl config set unres-max 0 unres-qlen 0 unres-timeout 100 max-routes 1
	check_eq "$(cfg)" '{"unres_max":0,"unres_qlen":0,"unres_timeout_ms":100,"wrongvif_interval_ms":0,"max_routes":1}' "lower limits"
	rctl config set unres-max 1048576 unres-qlen 1024 unres-timeout 3600000 wrongvif-interval 3600000 max-routes 4294967295
	limits='{"unres_max":1048576,"unres_qlen":1024,"unres_timeout_ms":3600000,"wrongvif_interval_ms":3600000,"max_routes":4294967295}'
	check_eq "$(cfg)" "$limits" "upper limits"
	rctl config set unres-qlen 5
	check_eq "$(cfg)" "${limits/\"unres_qlen\":1024/\"unres_qlen\":5}" "setting one value leaves the others"
	rctl config set unres-qlen 1024

	# ---- invalid: ERANGE / EINVAL from the kernel, nothing changes ---------------
	ERANGE=34 EINVAL=22
	bad=(unres_timeout_ms=0 unres_timeout_ms=99 unres_timeout_ms=3600001
		unres_max=1048577 unres_qlen=1025 wrongvif_interval_ms=3600001
		max_routes=0 "unres_max=10 unres_timeout_ms=0" "unres_qlen=3 max_routes=0"
		ifindex=2 group=4009820673 packets=1)
	n=0
	while read -r errno config req; do
		n=$((n + 1))
		msg=${req#*|} req=${req%%|*}
		case $req in
		ifindex=* | group=* | packets=*) want=$EINVAL ;;	# not CONFIG_SET attributes
		*) want=$ERANGE ;;
		esac
		check_eq "$errno" "$want" "CONFIG_SET $req: errno (extack: $msg)"
		[[ -n $msg ]] || fail "CONFIG_SET $req: no extack message"
		check_eq "$config" "$limits" "config after rejected CONFIG_SET $req"
	done < <(genl config-set-batch "${bad[@]}" |
		jq -r '"\(.errno) \(.config | del(.vif_count, .route_count, .signal_rate) | tojson) \(.req)|\(.msg)"')
	check_eq "$n" "${#bad[@]}" "rejected requests checked"
	log "kernel: $(genl config-set unres_timeout_ms=0 | cut -d' ' -f2-)"
	check_eq "$(genl config-set unres_timeout_ms=100 | cut -d' ' -f1)" 0 "CONFIG_SET unres_timeout_ms=100"
	rctl config set unres-timeout 3600000

	# mfwdctl reports the rejection and changes nothing either
	rc=0
	out=$(rctl config set unres-timeout 0 2>&1) || rc=$?
	((rc != 0)) || fail "mfwdctl config set unres-timeout 0 succeeded: $out"
	log "mfwdctl: $out"
	check_eq "$(cfg)" "$limits" "config after mfwdctl config set unres-timeout 0"

	# ---- permissions ----------------------------------------------------------------
	if command -v setpriv >/dev/null; then
		nobody() { ip netns exec "$RTR" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
		check_eq "$(nobody "$MFWDCTL" -j config show | jq -c 'del(.vif_count, .route_count, .signal_rate)')" "$limits" "config show as nobody"
		nobody "$MFWDCTL" -j stats >/dev/null || fail "stats as nobody failed"
		out=$(nobody "$CTL_PY" -S "$CTL_HELPERS/ctl_genl.py" config-set unres_max=5)
		check_eq "${out%% *}" 1 "CONFIG_SET as nobody: errno (EPERM)"
		check_eq "$(cfg)" "$limits" "config after CONFIG_SET as nobody"
		# the events group is admin-only on every kernel the module builds for
		rc=0
		out=$(timeout 20 ip netns exec "$RTR" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
			"$CTL_PY" -S "$CTL_HELPERS/ctl_genl.py" listen 2>&1) || rc=$?
		[[ $rc != 0 && $rc != 124 && $out == *"Operation not permitted"* ]] ||
			fail "nobody could join the events group (rc $rc): $out"
	else
		log "setpriv missing: permission checks skipped"
	fi

	# ---- per netns --------------------------------------------------------------------
	for ns in - "$RCV1"; do
		check_eq "$(ns_exec "$ns" "$MFWDCTL" -j config show | jq -c 'del(.vif_count, .route_count, .signal_rate)')" \
			"$defaults" "config in netns ${ns/#-/init}"
	done
	ip netns exec "$RCV1" "$MFWDCTL" config set unres-max 7
	check_eq "$(cfg)" "$limits" "router config after a set in $RCV1"
	check_eq "$(ip netns exec "$RCV1" "$MFWDCTL" -j config show | jq .unres_max)" 7 "unres_max in $RCV1"
fi

# ---- settings take effect ------------------------------------------------------------
rctl config set unres-max 1 unres-qlen 2 max-routes 1 unres-timeout 3600000
G2=$(fam 239.1.2.4 ff0e::1:2:4)
send() { ctl_send "$SRC" --ifaddr "$SRC_IP" "$@" >/dev/null; }
# one entry, full after 2 packets: 3 dropped
send --group "$GRP" --count 5
cwait ctl_stat_is drop_queue_full 3 || fail "drop_queue_full $(ctl_stat drop_queue_full), expected 3"
check_eq "$(ctl_stat unres_entries)" 1 "unres_entries with unres-max 1"
check_eq "$(ctl_stat unres_packets)" 2 "unres_packets with unres-qlen 2"
# a new flow with the table full evicts the oldest entry (its 2 packets)
send --group "$G2" --count 1
cwait ctl_stat_is drop_queue_full 5 || fail "drop_queue_full $(ctl_stat drop_queue_full), expected 3 + 2 evicted"
check_eq "$(ctl_stat unres_entries)" 1 "unres_entries after the eviction"
check_eq "$(ctl_stat unres_packets)" 1 "unres_packets after the eviction"
# its route releases its packet; a second route is one too many
rctl route add group "$G2" iif r0 oif r1
rc=0
out=$(rctl route add group "$GRP" iif r0 oif r1 2>&1) || rc=$?
((rc != 0)) || fail "a second route was accepted with max-routes 1"
[[ $out == *"No space left"* || $out == *max-routes* ]] || fail "unexpected error for max-routes: $out"
check_eq "$(rctl -j config show | jq .route_count)" 1 "route_count"
check_eq "$(rctl -j route get group "$G2" | jq -c 'if type == "array" then .[0] else . end | [.family, .packets]')" \
	"[\"$FAMNAME\",1]" "the route's family and packets (the queued one)"

# ---- stats: every counter, same over raw genl and mfwdctl, per netns ---------------
keys='["copies","drop_duplicate","drop_expired","drop_mtu","drop_no_vif","drop_nomem","drop_queue_full","drop_rpf","drop_ttl","events_dropped","events_sent","forwarded","unres_entries","unres_packets"]'
check_eq "$(rctl -j stats | jq -c 'keys')" "$keys" "mfwdctl stats keys"
check_eq "$(genl stats | jq -cS .)" "$(rctl -j stats | jq -cS .)" "STATS_GET over raw genl vs mfwdctl"
check_eq "$(ctl_stat forwarded)" 1 "forwarded (the queued packet)"
check_eq "$(ip netns exec "$RCV1" "$MFWDCTL" -j stats | jq '[.[]] | add')" 0 "counters in $RCV1"
ctl_pass "config round-trips, invalid values rejected (ERANGE/EINVAL) atomically, stats complete"
