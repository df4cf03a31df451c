#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unresolved queue, the resolve path: packets to a group with no route are
# queued per (S,G) (at most unres-qlen each, the rest dropped and counted),
# one NOCACHE event per entry names the source, group and input VIF; adding
# a route forwards the queued packets at once and in order, (S,G) only its
# own entry, (*,G) every entry of G; later packets go straight through;
# packets of one entry that arrived on different VIFs are each checked
# against the route's input VIF (RPF) when released.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

ctl_topo 2
S2=10.0.1.3 S3=10.0.1.4
G2=239.1.2.4 G3=239.1.2.5
ip -n "$SRC" addr add "$S2/24" dev s0
ip -n "$SRC" addr add "$S3/24" dev s0
ctl_monitor mon
mon=$CTL_TMP/mon.mon
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$GRP"
ctl_recv rx2 "$RCV2" "$RCV2_IP" "$G2"
send() { ctl_send "$SRC" --ifaddr "$SRC_IP" "$@" >/dev/null; }

qlen=$(rctl -j config show | jq -e .unres_qlen)
check_eq "$qlen" 4 "default unres_qlen"
# Under TCG the whole test takes longer than the default 10 s lifetime.
rctl config set unres-timeout 120000

# ---- (S,G): 6 packets, qlen 4 -----------------------------------------------
send --src "$SRC_IP" --group "$GRP" --count 6 --start 0
send --src "$S2" --group "$GRP" --count 2 --start 50
cwait ctl_stat_is unres_packets 6 ||
	fail "unres_packets $(ctl_stat unres_packets), expected 4 + 2"
check_eq "$(ctl_stat unres_entries)" 2 "unres_entries after 2 sources"
check_eq "$(ctl_stat drop_queue_full)" 2 "drop_queue_full (6 sent, qlen 4)"
check_eq "$(ctl_stat forwarded)" 0 "forwarded before any route"
cwait grep -q '"event":"nocache".*"source":"10.0.1.3"' "$mon" ||
	fail "no NOCACHE event for ($S2, $GRP); monitor: $(cat "$mon")"
check_eq "$(grep -c '"event":"nocache"' "$mon")" 2 "NOCACHE events (one per entry)"
check_eq "$(grep '"event":"nocache"' "$mon" | head -n1)" \
	'{"event":"nocache","family":"inet","source":"10.0.1.2","group":"239.1.2.3","iif":"r0","table":0}' \
	"first NOCACHE event"
check_eq "$(grep '"event":"nocache"' "$mon" | tail -n1)" \
	'{"event":"nocache","family":"inet","source":"10.0.1.3","group":"239.1.2.3","iif":"r0","table":0}' \
	"second NOCACHE event"
check_eq "$(ctl_rx_count rx1)" 0 "datagrams received before the route"

rctl route add group "$GRP" source "$SRC_IP" iif r0 oif r1
cwait ctl_rx_count_is rx1 4 || fail "rx1 got '$(ctl_rx_seqs rx1)', expected 0 1 2 3"
check_eq "$(ctl_rx_seqs rx1)" "0 1 2 3" "queued packets, in order"
check_eq "$(awk '{print $2}' "$CTL_TMP/rx1.rx" | sort -u)" 7 "TTL after one hop (sent 8)"
check_eq "$(ctl_stat unres_entries)" 1 "unres_entries: ($S2, $GRP) must stay queued"
check_eq "$(ctl_stat unres_packets)" 2 "unres_packets after (S,G) resolve"
check_eq "$(ctl_stat forwarded)" 4 "forwarded by the resolve"
check_eq "$(ctl_route_field "$GRP" "$SRC_IP" packets)" 4 "route packet counter"
log "(S,G) resolve: 4 of 6 delivered in order, other source still queued"

send --src "$SRC_IP" --group "$GRP" --count 3 --start 100
cwait ctl_rx_count_is rx1 7 || fail "rx1 got '$(ctl_rx_seqs rx1)' after 3 more"
check_eq "$(ctl_rx_seqs rx1)" "0 1 2 3 100 101 102" "direct forwarding after the route"
check_eq "$(ctl_stat unres_packets)" 2 "unres_packets after direct forwarding"

# ---- (*,G): resolves every source of G, leaves other groups ---------------
rctl config set unres-qlen 3
send --src "$SRC_IP" --group "$G2" --count 2 --start 0
send --src "$S2" --group "$G2" --count 2 --start 10
send --src "$S3" --group "$G2" --count 5 --start 20
send --src "$SRC_IP" --group "$G3" --count 1 --start 0
# entries: (S2,G) 2, (S,G2) 2, (S2,G2) 2, (S3,G2) 3 of 5, (S,G3) 1
cwait ctl_stat_is unres_packets 10 ||
	fail "unres_packets $(ctl_stat unres_packets), expected 10"
check_eq "$(ctl_stat unres_entries)" 5 "unres_entries"
check_eq "$(ctl_stat drop_queue_full)" 4 "drop_queue_full (2 + 2 over qlen 3)"
cwait ctl_out_eq 6 grep -c '"event":"nocache"' "$mon" ||
	fail "expected 6 NOCACHE events; monitor: $(cat "$mon")"
for s in "$SRC_IP" "$S2" "$S3"; do
	check_eq "$(grep -c "\"event\":\"nocache\",\"family\":\"inet\",\"source\":\"$s\",\"group\":\"$G2\",\"iif\":\"r0\"" "$mon")" 1 \
		"NOCACHE events for ($s, $G2)"
done

rctl route add group "$G2" iif r0 oif r2
cwait ctl_rx_count_is rx2 7 || fail "rx2 got '$(ctl_rx_seqs rx2)', expected 7 datagrams"
check_eq "$(ctl_rx_seqs rx2)" "0 1 10 11 20 21 22" "(*,G) resolve: entries oldest first, each in order"
check_eq "$(ctl_stat unres_entries)" 2 "unres_entries after (*,G2): ($S2,$GRP) and ($SRC_IP,$G3) stay"
check_eq "$(ctl_stat unres_packets)" 3 "unres_packets after (*,G2)"

rctl route add group "$GRP" iif r0 oif r1
cwait ctl_rx_count_is rx1 9 || fail "rx1 got '$(ctl_rx_seqs rx1)'"
check_eq "$(ctl_rx_seqs rx1)" "0 1 2 3 100 101 102 50 51" "(*,G) resolves the other source's entry"
rctl route add group "$G3" source "$SRC_IP" iif r0 oif r2
cwait ctl_stat_is unres_entries 0 || fail "unres_entries $(ctl_stat unres_entries) at the end"
check_eq "$(ctl_stat unres_packets)" 0 "unres_packets at the end"
check_eq "$(ctl_stat forwarded)" $((4 + 3 + 7 + 2 + 1)) "forwarded in total"
check_eq "$(ctl_stat drop_expired)" 0 "drop_expired"
check_eq "$(grep -c '"event":"nocache"' "$mon")" 6 "NOCACHE events in total"

# ---- RPF per queued packet: one entry, packets from r0 and from r2 ----------
G4=239.1.2.6
rctl config set unres-qlen 4
ip -n "$RCV2" addr add "$SRC_IP/32" dev c2	# the same source, on r2
ctl_recv rx4 "$RCV1" "$RCV1_IP" "$G4" 5004
rpf0=$(ctl_stat drop_rpf) fwd0=$(ctl_stat forwarded)
send --src "$SRC_IP" --group "$G4" --port 5004 --count 2 --start 0
ctl_send "$RCV2" --ifaddr "$RCV2_IP" --src "$SRC_IP" --group "$G4" --port 5004 --count 1 --start 10 >/dev/null
send --src "$SRC_IP" --group "$G4" --port 5004 --count 1 --start 2
cwait ctl_stat_is unres_packets 4 || fail "unres_packets $(ctl_stat unres_packets), expected 4"
check_eq "$(ctl_stat unres_entries)" 1 "one entry for ($SRC_IP, $G4) from two VIFs"
check_eq "$(grep -c "\"event\":\"nocache\",\"family\":\"inet\",\"source\":\"$SRC_IP\",\"group\":\"$G4\"" "$mon")" 1 "NOCACHE events for ($SRC_IP, $G4)"
rctl route add group "$G4" source "$SRC_IP" iif r0 oif r1
cwait ctl_rx_count_is rx4 3 || fail "rx4 got '$(ctl_rx_seqs rx4)', expected 0 1 2"
check_eq "$(ctl_rx_seqs rx4)" "0 1 2" "only the packets that arrived on the route's iif"
check_eq "$(ctl_route_field "$G4" "$SRC_IP" wrong_if)" 1 "wrong_if of the resolving route"
check_eq $(($(ctl_stat drop_rpf) - rpf0)) 1 "drop_rpf for the queued packet from r2"
check_eq $(($(ctl_stat forwarded) - fwd0)) 3 "forwarded"
cwait grep -q "\"event\":\"wrongvif\",\"family\":\"inet\",\"source\":\"$SRC_IP\",\"group\":\"$G4\",\"iif\":\"r2\",\"expected_iif\":\"r0\"" "$mon" ||
	fail "no WRONGVIF event for the queued packet from r2"
check_eq "$(ctl_stat unres_entries)" 0 "unres_entries at the end"
ctl_pass "NOCACHE once per entry; queued packets delivered in order on resolve"
