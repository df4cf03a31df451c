#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A reference dense-mode controller (helpers/dm_controller.py, reading
# "mfwdctl -j monitor") installs a flood route (iif = arrival VIF, oifs =
# every other VIF) on each NOCACHE: receivers get the traffic with no static
# route, the first packets from the unresolved queue, the later ones
# directly, complete except for what the full queue dropped before the
# route existed, and in strict order (nothing overtakes the queue while it
# is released); a second source on another VIF gets its own
# route; SIGTERM stops the controller and its monitor cleanly (exit 0,
# routes it installed deleted).  IPv4, then IPv6 (the controller is the
# same: it installs what the IPv6 NOCACHE events name).
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

families 4 6
ctl_topo 2
G2=$(fam 239.1.2.4 ff0e::1:2:4)
N=40
rctl config set unres-timeout 60000
# Every packet reaching c1/c2 is received on CPU 0 (RPS), in the order the
# router sent it, whichever CPU sent it (the queue is released by the
# controller's mfwdctl, direct packets by the sender's softirq).
for c in "$RCV1 c1" "$RCV2 c2"; do
	read -r ns dev <<<"$c"
	ip netns exec "$ns" sh -c "echo 1 >/sys/class/net/$dev/queues/rx-0/rps_cpus"
done
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$GRP"
ctl_recv rx2 "$RCV2" "$RCV2_IP" "$GRP"
ctl_recv rxs "$SRC" "$SRC_IP" "$G2" 5002
ctl_recv rx1b "$RCV1" "$RCV1_IP" "$G2" 5002

dmlog=$CTL_TMP/dm.log
: >"$dmlog"
ctl_bg dm ip netns exec "$RTR" "$CTL_PY" -S "$CTL_HELPERS/dm_controller.py" \
	--mfwdctl "$MFWDCTL" --log "$dmlog" --cleanup
dm=${CTL_PID[dm]}
wait_for -t 60 grep -q '^monitor pid' "$dmlog" || fail "controller did not start: $(cat "$dmlog")"
mon_pid=$(awk '/^monitor pid/ { print $3 }' "$dmlog")
ctl_sync "$dmlog" 'vif_del ctlsync'
log "controller $dm (monitor $mon_pid) is listening"

# the first flow: no route, the controller floods it to r1 and r2; a first
# burst before the route exists, a second one once it does
send1() { ctl_send "$SRC" --ifaddr "$SRC_IP" --src "$SRC_IP" --group "$GRP" --interval 0.01 "$@"; }
log "source: $(send1 --count $((N / 2)) --start 0)"
cwait grep -q "^route add ($SRC_IP,$GRP) iif r0 oifs r1,r2$" "$dmlog" ||
	fail "controller did not install the flood route:"$'\n'"$(cat "$dmlog")"
log "source: $(send1 --count $((N / 2)) --start $((N / 2)))"
check_eq "$(rctl -j route get group "$GRP" source "$SRC_IP" | jq -c 'if type == "array" then .[0] else . end | [.iif, [.oifs[].dev]]')" \
	'["r0",["r1","r2"]]' "installed route"
dropped=$(ctl_stat drop_queue_full)
want=$((N - dropped))
late=$(seq $((N / 2)) $((N - 1)) | xargs)
for rx in rx1 rx2; do
	cwait ctl_rx_count_is $rx $want ||
		fail "$rx got $(ctl_rx_count $rx) datagrams, expected $N - $dropped dropped: $(ctl_rx_seqs $rx)"
	seqs=$(ctl_rx_seqs $rx)
	# complete, no duplicates, and in strictly increasing order: the
	# queued packets first, then the direct ones (a packet arriving while
	# the queue is being released waits behind it); the second burst whole
	check_eq "$(tr ' ' '\n' <<<"$seqs" | sort -n | uniq -d | xargs)" "" "$rx: duplicates"
	[[ " $seqs " == *" 0 "* ]] || fail "$rx: the first packet (queued) is missing: $seqs"
	if ((dropped > 0)); then
		check_eq "$(tr ' ' '\n' <<<"$seqs" | awk '$1 < 4' | xargs)" "0 1 2 3" "$rx: the 4 queued packets, in order"
	fi
	check_eq "$seqs" "$(tr ' ' '\n' <<<"$seqs" | sort -n | xargs)" \
		"$rx: strict order (nothing overtakes the queue at resolve)"
	check_eq "$(tr ' ' '\n' <<<"$seqs" | awk -v h=$((N / 2)) '$1 >= h' | xargs)" "$late" "$rx: the second burst (direct)"
done
check_eq "$(ctl_route_field "$GRP" "$SRC_IP" packets)" "$want" "route packets (queued + direct)"
check_eq "$(ctl_stat unres_packets)" 0 "unres_packets"
check_eq "$(grep -c '^nocache' "$dmlog")" 1 "NOCACHE events the controller saw"
check_eq "$(grep '^nocache' "$dmlog")" "nocache $FAMNAME ($SRC_IP,$GRP) iif r0" "the NOCACHE event"
log "flow 1: $want of $N delivered to both receivers, $dropped dropped before the route"

# a second source, arriving on r2: flooded to r0 and r1
ctl_send "$RCV2" --ifaddr "$RCV2_IP" --src "$RCV2_IP" --group "$G2" --port 5002 --count 10 --interval 0.05 >/dev/null
cwait grep -q "^route add ($RCV2_IP,$G2) iif r2 oifs r0,r1$" "$dmlog" ||
	fail "no flood route for the second source:"$'\n'"$(cat "$dmlog")"
dropped2=$(($(ctl_stat drop_queue_full) - dropped))
for rx in rxs rx1b; do
	cwait ctl_rx_count_is $rx $((10 - dropped2)) ||
		fail "$rx got '$(ctl_rx_seqs $rx)', expected 10 - $dropped2"
	check_eq "$(ctl_rx_seqs $rx | cut -d' ' -f1)" 0 "$rx: first packet"
done
check_eq "$(rctl -j config show | jq .route_count)" 2 "routes installed"

# stop it: SIGTERM, exit 0, monitor gone, routes deleted
exited() { [[ ! -e /proc/$1 || $(awk '{ print $3 }' "/proc/$1/stat") == Z ]]; }
kill -TERM "$dm"
rc=0
cwait exited "$dm" || fail "controller still running $CTL_WAIT s after SIGTERM"
wait "$dm" || rc=$?
check_eq "$rc" 0 "controller exit status"
[[ ! -e /proc/$mon_pid ]] || fail "its monitor (pid $mon_pid) is still running"
check_eq "$(tail -n 2 "$dmlog" | xargs)" "deleted 2 routes stopped" "controller log at exit"
check_eq "$(rctl -j config show | jq .route_count)" 0 "routes left after the controller stopped"
ctl_pass "dense-mode controller: flood routes on NOCACHE, queue released, clean stop"
