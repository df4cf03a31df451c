#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unresolved queue under a flood of 100,000 distinct (S,G) misses (pktgen;
# IPv4: 1000 sources x 101 groups, every pair once; IPv6, as pktgen has no
# IPv6 source range: one source, each group drawn at random from 2^32
# (ff0e::2:X:X), so practically every packet is a new (S,G); one that
# joins a queued entry, about once in 700 runs, is allowed for below): the
# queue stays within
# unres-max entries and unres-max * unres-qlen packets at every sample,
# every packet is accounted for (queued, expired or drop_queue_full), one
# event per entry created (a full table evicts its oldest entry for a new
# (S,G), at most 64 times a second, and tells: new flows get through the
# flood), kernel memory (Slab, MemAvailable) is back within a few MB, and
# the router stays responsive: "config show" / "route show" answer
# promptly during the flood and a routed flow still forwards.  IPv4, then
# IPv6.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

families 4 6
FLOOD=${CTL_FLOOD:-100000}

ctl_topo 1
rctl route add group "$GRP" source "$SRC_IP" iif r0 oif r1
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$GRP"
ctl_listen ev
umax=$(rctl -j config show | jq -e .unres_max)
qlen=$(rctl -j config show | jq -e .unres_qlen)
log "unres_max $umax, unres_qlen $qlen, flood of $FLOOD packets"
modprobe pktgen 2>/dev/null || skip "pktgen not available"

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
sync
slab0=$(meminfo Slab) avail0=$(meminfo MemAvailable)

# Sample the queue and time the control plane while pktgen runs.
samples=$CTL_TMP/samples
timed() {	# KEY CMD...: run CMD, log its duration (ms) as {"KEY": ms}
	local key=$1 t0 rc=0
	shift
	t0=$(date +%s%N)
	timeout 10 "$@" || rc=$?
	echo "{\"$key\":$((($(date +%s%N) - t0) / 1000000)),\"rc\":$rc}" >>"$samples"
}
sampler() {
	trap - ERR	# killed at the end: not a test failure
	while :; do
		ip netns exec "$RTR" "$MFWDCTL" -j stats >>"$samples"
		timed config_ms ip netns exec "$RTR" "$MFWDCTL" config show >/dev/null
		timed route_ms ip netns exec "$RTR" "$MFWDCTL" route show >/dev/null
		sleep 0.2
	done
}
ctl_bg sampler sampler

t0=$(date +%s%N)
if ((FAM == 6)); then
	pg_addrs=(src6 "$SRC_IP" dst6_min ff0e::2:0:0 dst6_max ff0e::2:ffff:ffff
		dst_mac 33:33:00:02:00:00 pkt_size 80)
else
	pg_addrs=(src_min 10.1.0.0 src_max 10.1.3.231 dst_min 239.2.0.0 dst_max 239.2.0.100
		dst_mac 01:00:5e:02:00:00 pkt_size 60)
fi
ctl_pktgen "$SRC" s0 count "$FLOOD" delay 0 "${pg_addrs[@]}" \
	udp_dst_min 9 udp_dst_max 9 ||
	fail "pktgen failed"
flood_ms=$((($(date +%s%N) - t0) / 1000000))
# one more full sample after the flood
sleep 0.5
ctl_stop sampler
rctl -j stats >>"$samples"

nsamples=$(jq -s '[.[] | select(has("unres_entries"))] | length' "$samples")
max_e=$(jq -s '[.[] | .unres_entries // 0] | max' "$samples")
max_p=$(jq -s '[.[] | .unres_packets // 0] | max' "$samples")
max_ms=$(jq -s '[.[] | .config_ms // .route_ms // 0] | max' "$samples")
failed=$(jq -s '[.[] | select(has("rc") and .rc != 0)] | length' "$samples")
log "flood took ${flood_ms} ms; $nsamples samples: max unres_entries $max_e, max unres_packets $max_p, slowest config/route show ${max_ms} ms"
((nsamples >= 2)) || fail "only $nsamples stats samples"
((failed == 0)) || fail "$failed mfwdctl calls failed or timed out (10 s) during the flood"
((max_e <= umax)) || fail "unres_entries reached $max_e > unres_max $umax"
((max_p <= umax * qlen)) || fail "unres_packets reached $max_p > $umax * $qlen"
((max_ms < 5000)) || fail "config show / route show took ${max_ms} ms during the flood"

# Every flood packet that reached the hook is queued, expired or dropped;
# all pairs are distinct, so each entry holds one packet.
pkts_in=$(rctl -j vif show dev r0 | jq -e 'if type == "array" then .[0] else . end | .pkts_in')
st=$(rctl -j stats)
get() { jq -e ".$1" <<<"$st"; }
queued=$(get unres_packets) expired=$(get drop_expired) full=$(get drop_queue_full)
log "r0 pkts_in $pkts_in: queued $queued, expired $expired, drop_queue_full $full"
((pkts_in >= FLOOD * 9 / 10)) || fail "only $pkts_in of $FLOOD flood packets reached the router"
check_eq $((queued + expired + full)) "$pkts_in" "queued + drop_expired + drop_queue_full vs packets in"
entries=$(get unres_entries)
if ((FAM == 4)); then
	check_eq "$entries" "$queued" "unres_entries vs unres_packets (1 packet per distinct (S,G))"
else	# random groups: a repeat joins its queued entry
	((entries <= queued && queued - entries <= 2)) ||
		fail "unres_entries $entries vs unres_packets $queued (random groups: at most 2 repeats)"
fi
((full >= pkts_in - umax - expired)) || fail "drop_queue_full $full too small"
check_eq "$(get forwarded)" 0 "forwarded during the flood"
# One NOCACHE per entry created (sent, or dropped by a full listener).
# Entries end queued, expired, or evicted: a new (S,G) that finds the table
# full evicts the oldest entry and is still told, up to 64 times a second
# (Documentation/mfwd.rst), so new flows get through a flood, boundedly.
sent=$(get events_sent) lost=$(get events_dropped)
created=$((sent + lost))
evicted=$((created - queued - expired))
log "entries created $created (NOCACHE sent $sent, dropped $lost): $evicted evicted"
((evicted > 0)) || fail "no entry evicted ($created created, $queued queued, $expired expired): a full table lets no new flow through"
((evicted <= 64 * ((flood_ms + 999) / 1000 + 1))) ||
	fail "$evicted entries evicted in a ${flood_ms} ms flood: more than 64 a second"
cwait ctl_out_ge "$sent" ctl_count "$CTL_TMP/ev.ev" '.cmd == "nocache"' ||
	fail "listener got $(ctl_count "$CTL_TMP/ev.ev" '.cmd == "nocache"') NOCACHE events, kernel sent $sent"

# The routed flow still works.
ctl_send "$SRC" --ifaddr "$SRC_IP" --src "$SRC_IP" --group "$GRP" --count 5 --start 1 >/dev/null
cwait ctl_rx_count_is rx1 5 || fail "routed flow after the flood: got '$(ctl_rx_seqs rx1)'"
check_eq "$(ctl_rx_seqs rx1)" "1 2 3 4 5" "routed flow after the flood"

# Memory: at most unres_max small packets are still queued.
sync
slab1=$(meminfo Slab) avail1=$(meminfo MemAvailable)
dslab=$(((slab1 - slab0) / 1024)) davail=$(((avail0 - avail1) / 1024))
log "Slab ${slab0} -> ${slab1} kB (${dslab} MB), MemAvailable ${avail0} -> ${avail1} kB (-${davail} MB)"
((dslab < 8)) || fail "Slab grew by ${dslab} MB over the flood"
((davail < 16)) || fail "MemAvailable fell by ${davail} MB over the flood"
ctl_pass "$pkts_in misses in ${flood_ms} ms: queue bounded ($max_e/$umax entries), all accounted, router responsive"
