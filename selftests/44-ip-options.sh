#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Packets with IP options are left to the stack, not forwarded by mfwd
# (Documentation: mfwd neither validates nor updates options): on a (*,G)
# route, packets with record route, timestamp, router alert, RR+RA, and a
# malformed option (a length running past the header) never reach the
# receivers' wire, while packets without options before and after them on
# the same route are forwarded (TTL-1, intact).  The Router Alert packets
# reach an IP_ROUTER_ALERT socket on the router (a raw UDP socket, as RSVP
# daemons use), each exactly once, options intact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

G=239.6.1.1 S=10.0.0.2 K=5 SIZE=100
LEN=$((20 + 8 + SIZE))
RA_HEX=94040000

# shellcheck disable=SC2317  # called through wait_for
cap_atleast() { (($(cap_field "$1" "$2") >= $3)); }
# shellcheck disable=SC2317  # called through wait_for
ra_count() { awk -v g=$G '$3 == g' "$TOPO_DIR/ra.out" | wc -l; }
# shellcheck disable=SC2317
ra_atleast() { (($(ra_count) >= $1)); }

topo_init 2
topo_mfwd
mf route add group $G iif r0 oif r1 oif r2
rx_start_all $G
for k in 1 2; do cap_start cap$k rx$k eth0 $G; done

# the Router Alert listener on the router
: >"$TOPO_DIR/ra.out"
bg_start "$TOPO_DIR/ra.log" - python3 "$TOPO_HELPERS/rawrecv.py" --proto 17 \
	--router-alert --out "$TOPO_DIR/ra.out" --ready "$TOPO_DIR/ra.ready"
on_exit "kill $BG_PID"
wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/ra.ready" ||
	fail "router alert socket did not start: $(cat "$TOPO_DIR/ra.log")"

# K without options, K of each kind with, K without (one sender run)
a=(--ifname eth0 --src "$S" --group "$G" --count "$K" --size "$SIZE" --ttl 64)
ns_exec src python3 "$TOPO_HELPERS/rawsend.py" \
	"${a[@]}" --start 0 --next \
	"${a[@]}" --start 100 --opt rr --next \
	"${a[@]}" --start 200 --opt ts --next \
	"${a[@]}" --start 300 --opt ra --next \
	"${a[@]}" --start 400 --opt rr --opt ra --next \
	"${a[@]}" --start 500 --opt bad --next \
	"${a[@]}" --start 600 >/dev/null || fail "rawsend.py failed"
wait_rx rx1 eth0 $G $((2 * K))
wait_rx rx2 eth0 $G $((2 * K))
topo_sync
for k in 1 2; do
	wait_for -t "$TOPO_WAIT" cap_atleast cap$k pkts $((2 * K)) ||
		fail "capture cap$k saw $(cap_field cap$k pkts) packets, expected at least $((2 * K))"
done
wait_for -t "$TOPO_WAIT" ra_atleast $((2 * K)) || true

for k in 1 2; do
	soft check_eq "$(cap_field cap$k pkts)" $((2 * K)) "rx$k: packets of $G on the wire (the $((2 * K)) without options)"
	soft check_eq "$(cap_field cap$k len $LEN)" $((2 * K)) "rx$k: packets of $G on the wire with no options ($LEN bytes)"
	soft check_eq "$(rx_count rx$k eth0 $G)" $((2 * K)) "rx$k: datagrams received"
	soft check_eq "$(rx_ttls rx$k eth0 $G)" "63:$((2 * K))" "rx$k: TTLs"
	soft check_eq "$(rx_bad rx$k eth0 $G)" 0 "rx$k: corrupted payloads"
done
soft check_route $G '*' packets=$((2 * K)) wrong_if=0
soft check_stats forwarded=$((2 * K)) copies=$((4 * K)) unres_entries=0
# the Router Alert socket: the RA and the RR+RA packets, once each (the
# router filled its address into the record route option on input)
soft check_eq "$(ra_count)" $((2 * K)) "packets of $G at the router alert socket"
soft check_eq "$(awk -v g=$G -v s=$S '$2 == s && $3 == g && $6 == "'$RA_HEX'"' "$TOPO_DIR/ra.out" | wc -l)" $K \
	"router alert socket: packets from $S with the RA option alone"
soft check_eq "$(awk -v g=$G -v s=$S '$2 == s && $3 == g && $6 ~ /^07.*'$RA_HEX'$/' "$TOPO_DIR/ra.out" | wc -l)" $K \
	"router alert socket: packets from $S with RR and RA"
log "router alert socket got:"$'\n'"$(sort "$TOPO_DIR/ra.out" | uniq -c)"
log "r0 pkts_in $(vif_field r0 pkts_in); Ip InHdrErrors $(awk '$1 == "Ip:" && !h { for (i = 1; i <= NF; i++) c[i] = $i; h = 1; next } $1 == "Ip:" { for (i = 1; i <= NF; i++) if (c[i] == "InHdrErrors") print $i }' /proc/net/snmp) (not asserted)"
soft_done
pass "IP options left to the stack: $((2 * K)) plain packets forwarded, $((5 * K)) with options not; $((2 * K)) Router Alert packets delivered"
