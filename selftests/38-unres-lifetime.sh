#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lifetime of queued packets: with 16,000 packets in the unresolved queue
# (1000 entries x 16) and a routed flow running,
#   (a) deleting the input interface frees its entries (drop_no_vif ==
#       packets queued, counters 0) and the routed flow goes on;
#   (b) deleting the router netns that holds VIFs, routes and the queue
#       completes (peer veths vanish, no "waiting for" refcount hang);
#   (c) rmmod succeeds (with an events listener subscribed), veths are
#       deleted promptly afterwards, the module reloads and forwards again;
# and after each step the sk_buffs are back (skbuff_head_cache), the kernel
# logged no refcount or leak complaint (kmemleak is consulted if present).
# IPv4, then IPv6: the queue, the routed flow and the reload are of the
# run's family; IPv4 fills the queue with pktgen, IPv6 with a raw sender
# (helpers/ctl_mcast.py, 1000 sources 2001:db8:5::1000 on, 16 rounds):
# pktgen has no IPv6 source range.
# timeout: 700
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

families 4 6
require_mfwdctl
require_cmd jq
((FAM == 6)) || modprobe pktgen 2>/dev/null || skip "pktgen not available"
QUEUE=16000
G2=$(fam 239.1.2.4 ff0e::1:2:4)

skbs() { awk '$1 == "skbuff_head_cache" { print $2 }' /proc/slabinfo; }
skbs_below() { (($(skbs) < $1)); }
rx_above() { (($(ctl_rx_count rx1) > $1)); }
elapsed_ms() { echo $((($(date +%s%N) - $1) / 1000000)); }

load_mfwd
on_exit "rmmod mfwd"
kmsg_mark
ns_create "$SRC" "$RCV1" "$RCV2"

# The router netns, its links and VIFs; run again for (c).
router() {
	ip netns add "$RTR"
	on_exit "ip netns del $RTR"
	ip -n "$RTR" link set lo up
	veth_pair "$SRC" s0 "$(ctl_addrs 1 2)" "$RTR" r0 "$(ctl_addrs 1 1)"
	veth_pair "$RTR" r1 "$(ctl_addrs 2 1)" "$RCV1" c1 "$(ctl_addrs 2 2)"
	veth_pair "$RTR" r2 "$(ctl_addrs 3 1)" "$RCV2" c2 "$(ctl_addrs 3 2)"
	ip netns exec "$RCV1" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.c1.rp_filter=0
	rctl vif add dev r0
	rctl vif add dev r1
	rctl vif add dev r2
	rctl config set unres-max 1000 unres-qlen 16 unres-timeout 600000
	# the routed flow: $RCV2 -> r2 -> r1 -> $RCV1
	rctl route add group "$G2" source "$RCV2_IP" iif r2 oif r1
}

# fill NS DEV IFADDR: 16 packets for each of 1000 (S,G) entries (pktgen;
# IPv6: a raw sender)
fill() {
	if ((FAM == 6)); then
		ctl_send "$1" --ifaddr "$3" --raw --src 2001:db8:5::1000 --src-count 1000 \
			--group ff0e::5:5:5 --count "$QUEUE" --size 52 >/dev/null
	else
		ctl_pktgen "$1" "$2" count "$QUEUE" pkt_size 100 delay 0 \
			src_min 10.5.0.0 src_max 10.5.3.231 dst_min 239.5.5.5 dst_max 239.5.5.5 \
			dst_mac 01:00:5e:05:05:05 || fail "pktgen failed"
	fi
	cwait ctl_stat_is unres_packets "$QUEUE" ||
		fail "unres_packets $(ctl_stat unres_packets), expected $QUEUE"
	check_eq "$(ctl_stat unres_entries)" 1000 "unres_entries"
}

flow() {	# start the routed flow, and a receiver for it
	ctl_recv rx1 "$RCV1" "$RCV1_IP" "$G2" 5002
	ctl_bg flow ip netns exec "$RCV2" "$CTL_PY" -S "$CTL_HELPERS/ctl_mcast.py" send \
		--ifaddr "$RCV2_IP" --src "$RCV2_IP" --group "$G2" --port 5002 \
		--duration 120 --interval 0.01 --keep-going
	cwait rx_above 5 || fail "routed flow does not flow"
}

skb0=$(skbs)
router
flow

# ---- (a) delete the input interface ------------------------------------------
fill "$SRC" s0 "$SRC_IP"
skb1=$(skbs)
log "$QUEUE packets queued: skbuff_head_cache $skb0 -> $skb1"
((skb1 - skb0 >= QUEUE * 9 / 10)) || log "note: skbuff_head_cache grew less than the queue"
n=$(ctl_rx_count rx1)
t0=$(date +%s%N)
timeout 10 ip -n "$RTR" link del r0 || fail "ip link del r0 failed or hung"
log "(a) r0 deleted in $(elapsed_ms "$t0") ms"
check_eq "$(ctl_stat drop_no_vif)" "$QUEUE" "drop_no_vif (the queued packets)"
check_eq "$(ctl_stat unres_packets)" 0 "unres_packets"
check_eq "$(ctl_stat drop_expired)" 0 "drop_expired"
# entries whose packets are all gone must go too (helpers/ctl_repro.sh
# empty-entry): else they hold unres-max slots until they expire and the
# (S,G) arriving on another VIF raises no NOCACHE
check_eq "$(ctl_stat unres_entries)" 0 "unres_entries left, emptied, after their input VIF was deleted"
cwait rx_above $((n + 5)) || fail "routed flow stopped after r0 was deleted"
cwait skbs_below $((skb0 + 2000)) || fail "skbuff_head_cache $(skbs), was $skb0 before queueing"
log "(a) skbuff_head_cache back to $(skbs)"

# ---- (b) delete the router netns ------------------------------------------------
fill "$RCV2" c2 "$RCV2_IP"
log "(b) $QUEUE packets queued from $RCV2, skbuff_head_cache $(skbs)"
t0=$(date +%s%N)
timeout 10 ip netns del "$RTR" || fail "ip netns del $RTR failed or hung"
cwait sh -c "! ip -n $RCV1 link show c1 && ! ip -n $RCV2 link show c2" ||
	fail "peer veths still there: router netns not dismantled"
log "(b) router netns gone in $(elapsed_ms "$t0") ms"
ctl_stop flow
ctl_stop rx1
cwait skbs_below $((skb0 + 2000)) || fail "skbuff_head_cache $(skbs), was $skb0 before queueing"
log "(b) skbuff_head_cache back to $(skbs)"

# ---- (c) rmmod ---------------------------------------------------------------------
router
flow
fill "$SRC" s0 "$SRC_IP"
ctl_listen ev
log "(c) $QUEUE packets queued, skbuff_head_cache $(skbs)"
t0=$(date +%s%N)
timeout 30 rmmod mfwd || fail "rmmod mfwd failed or hung with packets queued"
! mfwd_loaded || fail "mfwd still loaded after rmmod"
log "(c) rmmod in $(elapsed_ms "$t0") ms; the listener got $(grep -c '' "$CTL_TMP/ev.ev" || true) events"
ctl_stop ev
ctl_stop flow
ctl_stop rx1
cwait skbs_below $((skb0 + 2000)) || fail "skbuff_head_cache $(skbs), was $skb0 before queueing"
log "(c) skbuff_head_cache back to $(skbs)"
for l in r0 r1; do
	t0=$(date +%s%N)
	timeout 10 ip -n "$RTR" link del "$l" || fail "ip link del $l after rmmod failed or hung"
	log "(c) $l deleted in $(elapsed_ms "$t0") ms"
done

# reload, forward again, unload
load_mfwd
rctl vif add dev r2
veth_pair "$RTR" r1 "$(ctl_addrs 2 1)" "$RCV1" c1 "$(ctl_addrs 2 2)"
rctl vif add dev r1
rctl route add group "$G2" source "$RCV2_IP" iif r2 oif r1
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$G2" 5002
ctl_send "$RCV2" --ifaddr "$RCV2_IP" --src "$RCV2_IP" --group "$G2" --port 5002 --count 3 >/dev/null
cwait ctl_rx_count_is rx1 3 || fail "no forwarding after reload: got '$(ctl_rx_seqs rx1)'"
ctl_stop rx1
unload_mfwd
timeout 10 ip netns del "$RTR" || fail "ip netns del $RTR after unload failed"

if [[ -w /sys/kernel/debug/kmemleak ]]; then
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c unreferenced /sys/kernel/debug/kmemleak || true)
	((leaks == 0)) || fail "kmemleak: $leaks unreferenced objects:"$'\n'"$(head -n 40 /sys/kernel/debug/kmemleak)"
else
	log "kmemleak not available: skbuff_head_cache counts only"
fi
bad=$(kmsg_since_mark | grep -iE 'leak|still in use|refcount|not freed|unregister_netdevice: waiting' || true)
[[ -z $bad ]] || fail "suspicious kernel messages:"$'\n'"$bad"
ctl_pass "queued packets freed on interface delete, netns delete and rmmod; no hang, no leak"
