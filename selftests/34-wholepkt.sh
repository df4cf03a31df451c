#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# WHOLEPKT: a route output on a VIF flagged "register" (a dummy device)
# transmits nothing there; the controller gets the whole IP packet instead,
# byte for byte as it arrived (TTL not yet decremented), with source, group
# and input VIF; the register output's position among the outputs does not
# matter, the other outputs still get their (TTL-1) copies, and packets
# released from the unresolved queue are sent whole too.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

ctl_topo 1
G2=239.1.2.4 G3=239.1.2.5 G4=239.1.2.6
ip -n "$RTR" link add reg0 type dummy
# no IPv6 on it: no MLD/ND packets of its own in its tx counter
ip netns exec "$RTR" sysctl -qw net.ipv6.conf.reg0.disable_ipv6=1
ip -n "$RTR" link set reg0 up
rctl vif add dev reg0 register
check_eq "$(rctl -j vif show dev reg0 | jq -c 'if type == "array" then .[0] else . end | .flags')" \
	'["register"]' "reg0 VIF flags"
ctl_listen ev
ev=$CTL_TMP/ev.ev
ctl_recv rxa "$RCV1" "$RCV1_IP" "$GRP" 5001
ctl_recv rxb "$RCV1" "$RCV1_IP" "$G2" 5002

r0_idx=$(ip netns exec "$RTR" cat /sys/class/net/r0/ifindex)
reg0_tx() { ip netns exec "$RTR" cat /sys/class/net/reg0/statistics/tx_packets; }
tx0=$(reg0_tx)
rctl route add group "$GRP" source "$SRC_IP" iif r0 oif r1 oif reg0
rctl route add group "$G2" source "$SRC_IP" iif r0 oif reg0 oif r1
rctl route add group "$G3" source "$SRC_IP" iif r0 oif reg0

# raw IP packets, header built by the sender: TTL 9, TOS 0x28, DF, id = seq
sizes=0,1,200,1372,37
send() {	# GROUP PORT START DUMP
	ctl_send "$SRC" --raw --src "$SRC_IP" --ifaddr "$SRC_IP" --group "$1" \
		--port "$2" --start "$3" --count 5 --ttl 9 --tos 40 --size "$sizes" \
		--dump "$4" >/dev/null
}
send "$GRP" 5001 100 "$CTL_TMP/sent.a"
send "$G2" 5002 200 "$CTL_TMP/sent.b"
send "$G3" 5003 300 "$CTL_TMP/sent.c"

# packets queued before their route, then resolved to the register VIF
send "$G4" 5004 400 "$CTL_TMP/sent.d"
cwait ctl_stat_is unres_packets 4 || fail "unres_packets $(ctl_stat unres_packets), expected 4"
rctl route add group "$G4" source "$SRC_IP" iif r0 oif reg0

cwait ctl_out_ge 19 ctl_count "$ev" '.cmd == "wholepkt"' ||
	fail "$(ctl_count "$ev" '.cmd == "wholepkt"') WHOLEPKT events, expected 5 + 5 + 5 + 4"
check_eq "$(ctl_count "$ev" '.cmd == "wholepkt"')" 19 "WHOLEPKT events"

check_group() {	# GROUP SENT-DUMP [N]
	local g=$1 dump=$2 n=${3:-5} got
	got=$(jq -r --arg g "$g" 'select(.cmd == "wholepkt" and .group == $g) | .packet' "$ev")
	check_eq "$(wc -l <<<"$got")" "$n" "WHOLEPKT events for $g"
	[[ $got == "$(head -n "$n" "$dump")" ]] ||
		fail "WHOLEPKT packets for $g differ from what was sent:"$'\n'"sent:"$'\n'"$(head -n "$n" "$dump")"$'\n'"got:"$'\n'"$got"
	check_eq "$(jq -c --arg g "$g" 'select(.cmd == "wholepkt" and .group == $g) | [.source, .iif, .iif_name]' "$ev" | sort -u)" \
		"[\"$SRC_IP\",$r0_idx,\"r0\"]" "WHOLEPKT source and iif for $g"
}
check_group "$GRP" "$CTL_TMP/sent.a"
check_group "$G2" "$CTL_TMP/sent.b"
check_group "$G3" "$CTL_TMP/sent.c"
check_group "$G4" "$CTL_TMP/sent.d" 4
# the TTL byte of the first packet, as a sanity check of the comparison
check_eq "$(jq -r 'select(.cmd == "wholepkt") | .packet[16:18]' "$ev" | sort -u)" 09 "TTL in WHOLEPKT packets"
log "19 WHOLEPKT packets identical to the packets sent (TTL 9, TOS 0x28, DF)"

# the other output still gets its copies, TTL decremented once
cwait ctl_rx_count_is rxa 5 || fail "rxa got '$(ctl_rx_seqs rxa)'"
cwait ctl_rx_count_is rxb 5 || fail "rxb got '$(ctl_rx_seqs rxb)'"
check_eq "$(ctl_rx_seqs rxa)" "100 101 102 103 104" "copies on r1 (register output last)"
check_eq "$(ctl_rx_seqs rxb)" "200 201 202 203 204" "copies on r1 (register output first)"
check_eq "$(awk '{ print $2 }' "$CTL_TMP/rxa.rx" "$CTL_TMP/rxb.rx" | sort -u)" 8 "TTL of the copies"

# nothing was transmitted on the register device
check_eq "$(($(reg0_tx) - tx0))" 0 "packets transmitted on reg0"
bytes=$(cat "$CTL_TMP"/sent.[abcd] | head -n 19 | awk '{ n += length($0) / 2 } END { print n }')
check_eq "$(rctl -j vif show dev reg0 | jq -c 'if type == "array" then .[0] else . end | [.pkts_out, .bytes_out]')" \
	"[19,$bytes]" "reg0 VIF pkts_out, bytes_out"
check_eq "$(ctl_stat forwarded)" 19 "forwarded"
check_eq "$(ctl_stat events_dropped)" 0 "events_dropped"
ctl_pass "WHOLEPKT carries the packet intact; no transmission on the register VIF"
