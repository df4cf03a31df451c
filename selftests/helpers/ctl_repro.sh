#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# selftests/helpers/ctl_repro.sh - reproducers of controller-channel bugs
# found while writing selftests 30-38.  Not a selftest (it fails while the
# bugs are there); run it in a VM like one:
#
#   MFWD_KO=$PWD/build/<kver>/module/mfwd.ko MFWDCTL=$PWD/tools/mfwdctl/mfwdctl \
#	tools/vm/run -k 6.12 -- bash selftests/helpers/ctl_repro.sh [CASE]...
#
# Fixed in 7041e76: rpf-bypass, rpf-misattr, wrongvif-first, timeout-lower;
# in ecb165b: empty-entry (kept to check the fixes).  Open: resolve-reorder.
# register-in was a documentation mismatch
# (uapi now says packets *routed to* a register VIF go to the controller).
# Cases (default: all); each prints "ok CASE" or "BUG CASE: expected ...,
# got ..."; the exit status is the number of cases showing a bug.
#   rpf-bypass     packets of an unresolved (S,G) that arrive on another
#                  VIF than the first one are queued in the same entry and
#                  released as if they had arrived on the first VIF: they
#                  bypass the RPF check of the route that resolves it
#   rpf-misattr    the reverse: first packet on the wrong VIF, then packets
#                  on the right one: the right ones are dropped as wrong_if
#   wrongvif-first a route created while wrongvif-interval was smaller than
#                  now gives no WRONGVIF event until created + new interval
#   empty-entry    when the only input VIF of an entry's packets stops
#                  being a VIF, its packets are freed but the empty entry
#                  stays until it expires: it holds an unres-max slot, and
#                  the (S,G) arriving on another VIF meanwhile gives no
#                  NOCACHE event (the controller only knows the gone iif)
#   resolve-reorder  a flow's packets that arrive while the resolving route
#                  is already in the table but its queue not yet released
#                  are forwarded directly and overtake the flow's queued
#                  packets (here made likely by 16,000 other queued packets
#                  of the group that a (*,G) route releases first)
#   timeout-lower  after lowering unres-timeout, new entries live as long
#                  as the oldest entry (timer armed for it, list in
#                  creation order), not unres-timeout
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck disable=SC2086  # $g: fixed group addresses
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=ctl_lib.sh
. "$(dirname "$0")/ctl_lib.sh"

cases=("$@")
((${#cases[@]})) || cases=(rpf-bypass rpf-misattr wrongvif-first timeout-lower empty-entry resolve-reorder)
ctl_topo 2
ctl_monitor mon
mon=$CTL_TMP/mon.mon
rctl config set unres-timeout 60000
# $RCV2 can send as $SRC_IP: the same (S,G) arrives on r2
ip -n "$RCV2" addr add "$SRC_IP/32" dev c2
bugs=0
report() {	# CASE EXPECTED GOT
	if [[ $2 == "$3" ]]; then
		echo "ok $1"
	else
		echo "BUG $1: expected $2, got $3"
		bugs=$((bugs + 1))
	fi
}
from_r0() { ctl_send "$SRC" --ifaddr "$SRC_IP" --src "$SRC_IP" "$@" >/dev/null; }
from_r2() { ctl_send "$RCV2" --ifaddr "$RCV2_IP" --src "$SRC_IP" "$@" >/dev/null; }

rpf-bypass() {
	local g=239.1.4.1
	ctl_recv rxa "$RCV1" "$RCV1_IP" $g 5011
	from_r0 --group $g --port 5011 --count 2 --start 0
	from_r2 --group $g --port 5011 --count 2 --start 10
	cwait ctl_stat_is unres_packets 4 || fail "setup: 4 packets not queued"
	rctl route add group $g source "$SRC_IP" iif r0 oif r1
	cwait ctl_out_ge 2 ctl_rx_count rxa || fail "setup: nothing forwarded"
	sleep 1
	report rpf-bypass "received '0 1', wrong_if 2" \
		"received '$(ctl_rx_seqs rxa)', wrong_if $(ctl_route_field $g "$SRC_IP" wrong_if)"
	rctl route del group $g source "$SRC_IP"
}

rpf-misattr() {
	local g=239.1.4.2
	ctl_recv rxb "$RCV1" "$RCV1_IP" $g 5012
	from_r2 --group $g --port 5012 --count 2 --start 10
	from_r0 --group $g --port 5012 --count 2 --start 0
	cwait ctl_stat_is unres_packets 4 || fail "setup: 4 packets not queued"
	rctl route add group $g source "$SRC_IP" iif r0 oif r1
	sleep 2
	report rpf-misattr "received '0 1', wrong_if 2" \
		"received '$(ctl_rx_seqs rxb)', wrong_if $(ctl_route_field $g "$SRC_IP" wrong_if)"
	rctl route del group $g source "$SRC_IP"
}

wrongvif-first() {
	local g=239.1.4.3
	rctl config set wrongvif-interval 3000
	rctl route add group $g source "$SRC_IP" iif r0 oif r1
	rctl config set wrongvif-interval 3600000
	from_r2 --group $g --count 3
	cwait ctl_out_eq 3 ctl_route_field $g "$SRC_IP" wrong_if || fail "setup: wrong_if"
	sleep 1
	report wrongvif-first "1 WRONGVIF event" \
		"$(grep -c "\"event\":\"wrongvif\",\"family\":\"inet\",\"source\":\"$SRC_IP\",\"group\":\"$g\"" "$mon" || true) WRONGVIF event"
	rctl config set wrongvif-interval 3000
}

timeout-lower() {
	local e0
	rctl config set unres-timeout 60000
	from_r0 --group 239.1.4.5 --count 1
	rctl config set unres-timeout 300
	e0=$(ctl_stat drop_expired)
	from_r0 --group 239.1.4.6 --count 1
	sleep 5
	report timeout-lower "drop_expired +1 after 5 s (timeout 300 ms)" \
		"drop_expired +$(($(ctl_stat drop_expired) - e0)) after 5 s (timeout 300 ms)"
	rctl config set unres-timeout 60000
}

empty-entry() {
	local g=239.1.4.7 e0 n0	# e0: for the setup check only
	rctl config set unres-timeout 60000
	e0=$(ctl_stat unres_entries)
	from_r0 --group $g --count 2
	cwait ctl_out_eq $((e0 + 1)) ctl_stat unres_entries || fail "setup: no entry"
	cwait ctl_out_eq 1 grep -c "\"event\":\"nocache\",\"family\":\"inet\",\"source\":\"$SRC_IP\",\"group\":\"$g\"" "$mon" ||
		fail "setup: no NOCACHE"
	rctl vif del dev r0
	# every entry queued so far (here and in earlier cases) came from r0
	report empty-entry "unres_entries 0 after the VIF is gone" \
		"unres_entries $(ctl_stat unres_entries) after the VIF is gone"
	# the same (S,G) now arrives on r2: the controller should hear of it
	from_r2 --group $g --count 1
	cwait ctl_out_ge 1 ctl_stat unres_packets || fail "setup: not queued"
	sleep 1
	n0=$(grep -c "\"event\":\"nocache\",\"family\":\"inet\",\"source\":\"$SRC_IP\",\"group\":\"$g\",\"iif\":\"r2\"" "$mon" || true)
	report empty-entry "NOCACHE ($SRC_IP,$g) iif r2: 1" "NOCACHE ($SRC_IP,$g) iif r2: $n0"
	rctl vif add dev r0
}

resolve-reorder() {
	local g=239.1.4.8 p0 seqs
	modprobe pktgen 2>/dev/null || { echo "skip resolve-reorder: no pktgen"; return; }
	rctl config set unres-max 2000 unres-qlen 16 unres-timeout 60000
	p0=$(ctl_stat unres_packets)
	ctl_pktgen "$SRC" s0 count 16000 pkt_size 100 delay 0 \
		src_min 10.6.0.0 src_max 10.6.3.231 dst_min $g dst_max $g \
		dst_mac 01:00:5e:01:04:08
	cwait ctl_out_ge $((p0 + 16000)) ctl_stat unres_packets || fail "setup: pktgen packets not queued"
	ctl_recv rxr "$RCV1" "$RCV1_IP" $g 5018
	ctl_bg flowr ip netns exec "$SRC" "$CTL_PY" -S "$CTL_HELPERS/ctl_mcast.py" send \
		--ifaddr "$SRC_IP" --src "$SRC_IP" --group $g --port 5018 \
		--duration 6 --interval 0.002
	cwait ctl_out_ge $((p0 + 16016)) ctl_stat unres_packets || fail "setup: flow not queued"
	rctl route add group $g iif r0 oif r1
	wait "${CTL_PID[flowr]}" || true
	cwait ctl_out_ge 100 ctl_rx_count rxr || fail "setup: flow not forwarded"
	sleep 1
	seqs=$(ctl_rx_seqs rxr)
	if [[ $(tr ' ' '\n' <<<"$seqs" | sort -n | xargs) == "$seqs" ]]; then
		report resolve-reorder "flow received in order" "flow received in order"
	else
		report resolve-reorder "flow received in order" \
			"received $(cut -d' ' -f1-24 <<<"$seqs") ..."
	fi
}

for c in "${cases[@]}"; do
	"$c"
done
exit "$bugs"
