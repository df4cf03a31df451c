#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Signal control: stop filters, no-wrongvif, signal-rate.
#  - A stop filter (a route without outputs) takes its (S,G): 50 packets
#    are counted by the route and reach no receiver, raise no NOCACHE and
#    queue nothing; a local listener on the input still gets them.
#  - A route with no-wrongvif (interval 0, which would give one WRONGVIF
#    event per packet): 200 packets from the wrong VIF are counted
#    (wrong_if, drop_rpf) and raise no event; replaced without the flag,
#    the same route raises one event per packet again.  Route dumps show
#    the flag and the rate (text and JSON).
#  - A route with signal-rate 5 (interval 0): a stream of 400 wrong-way
#    packets raises at least 5 events and at most 5 per started second
#    (5 * (whole seconds of the stream + 2)).
#  - The netns's signal-rate 2 with a 100 ms unres-timeout: a stream of one
#    unresolved (S,G) re-creates its entry about every 100 ms; without the
#    limit that gives more NOCACHE events than 2 a second allows, with it
#    at least 1 and at most 2 per started second.
#  - The API: ROUTE_FLAGS with an unknown bit (EINVAL), SIGNAL_RATE above
#    1000000 (ERANGE) in ROUTE_ADD and CONFIG_SET, each changing nothing.
# IPv4, then IPv6.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

families 4 6

NL=$(dirname "$0")/helpers/mfwdnl.py
ctl_topo 2
G1=$(fam 239.1.4.1 ff0e::1:4:1) G2=$(fam 239.1.4.2 ff0e::1:4:2)
G3=$(fam 239.1.4.3 ff0e::1:4:3) G4=$(fam 239.1.4.4 ff0e::1:4:4)
G5=$(fam 239.1.4.5 ff0e::1:4:5)
WS=$RCV2_IP	# the wrong-way sender: $RCV2, arriving on r2
ctl_monitor mon
mon=$CTL_TMP/mon.mon
send() { ctl_send "$SRC" --ifaddr "$SRC_IP" --src "$SRC_IP" "$@"; }
wsend() { ctl_send "$RCV2" --ifaddr "$RCV2_IP" --src "$WS" "$@"; }
ev() { ctl_count "$mon" ".event == \"$1\" and .group == \"$2\""; }
field_is() { [[ $(ctl_route_field "$1" "$2" "$3") == "$4" ]]; }

mark() { ctl_mark "$mon"; }

# ---- stop filter ------------------------------------------------------------
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$G1"
ctl_recv loc "$RTR" "$(fam 10.0.1.1 2001:db8:1::1)" "$G1"
rctl route add group "$G1" source "$SRC_IP" iif r0
send --group "$G1" --count 50 >/dev/null
cwait field_is "$G1" "$SRC_IP" packets 50 ||
	fail "stop filter counted $(ctl_route_field "$G1" "$SRC_IP" packets) packets, expected 50"
cwait ctl_rx_count_is loc 50 || fail "local listener got $(ctl_rx_count loc) of 50"
mark
check_eq "$(ctl_rx_count rx1)" 0 "datagrams a receiver got through a stop filter"
check_eq "$(ev nocache "$G1")" 0 "NOCACHE events of a stop-filtered (S,G)"
check_eq "$(ctl_stat unres_entries)" 0 "unres_entries"
check_eq "$(ctl_stat copies)" 0 "copies"
log "stop filter: 50 counted, 0 forwarded, 0 NOCACHE"

# ---- no-wrongvif -------------------------------------------------------------
rctl config set wrongvif-interval 0
rpf0=$(ctl_stat drop_rpf)
rctl route add group "$G2" source "$WS" iif r0 oif r1 no-wrongvif
check_eq "$(rctl route show group "$G2")" \
	"($WS, $G2)  iif r0 no-wrongvif  oifs r1" "route show, no-wrongvif"
check_eq "$(rctl -j route show group "$G2" | jq -c '.[0].no_wrongvif')" true "JSON no_wrongvif"
wsend --group "$G2" --count 200 >/dev/null
cwait field_is "$G2" "$WS" wrong_if 200 ||
	fail "wrong_if $(ctl_route_field "$G2" "$WS" wrong_if), expected 200"
mark
check_eq "$(ev wrongvif "$G2")" 0 "WRONGVIF events of a no-wrongvif route"
check_eq "$(($(ctl_stat drop_rpf) - rpf0))" 200 "drop_rpf"
rctl route replace group "$G2" source "$WS" iif r0 oif r1
check_eq "$(rctl route show group "$G2")" "($WS, $G2)  iif r0  oifs r1" "route show after replace"
wsend --group "$G2" --count 20 >/dev/null
cwait field_is "$G2" "$WS" wrong_if 220 ||
	fail "wrong_if $(ctl_route_field "$G2" "$WS" wrong_if), expected 220"
mark
check_eq "$(ev wrongvif "$G2")" 20 "WRONGVIF events once the flag is gone"
log "no-wrongvif: 200 wrong-way packets, 0 events; without it 20 for 20"

# ---- route signal-rate ---------------------------------------------------------
rctl route add group "$G3" source "$WS" iif r0 oif r1 signal-rate 5
check_eq "$(rctl route show group "$G3")" \
	"($WS, $G3)  iif r0 signal-rate 5  oifs r1" "route show, signal-rate"
check_eq "$(rctl -j route show group "$G3" | jq -c '.[0].signal_rate')" 5 "JSON signal_rate"
out=$(wsend --group "$G3" --count 400 --interval 0.002)
el=$(awk '{ print $4 }' <<<"$out")
cwait field_is "$G3" "$WS" wrong_if 400 ||
	fail "wrong_if $(ctl_route_field "$G3" "$WS" wrong_if), expected 400"
mark
got=$(ev wrongvif "$G3")
most=$(awk -v e="$el" 'BEGIN { print 5 * (int(e) + 2) }')
log "signal-rate 5: 400 wrong-way packets in $el s: $got events (5 to $most)"
((got >= 5 && got <= most)) ||
	fail "$got WRONGVIF events for 400 packets in $el s at signal-rate 5, expected 5 to $most"
check_eq "$(ctl_stat events_dropped)" 0 "events_dropped"

# ---- NOCACHE signal-rate per unresolved (S,G) ---------------------------------
rctl config set unres-timeout 100
check_eq "$(rctl -j config show | jq -c .signal_rate)" 0 "default signal_rate"
nocache_stream() {	# GROUP: prints "EVENTS SECONDS"
	local out el
	out=$(send --group "$1" --duration 2 --interval 0.01)
	el=$(awk '{ print $4 }' <<<"$out")
	mark
	echo "$(ev nocache "$1") $el"
}
read -r free el <<<"$(nocache_stream "$G4")"
most=$(awk -v e="$el" 'BEGIN { print 2 * (int(e) + 2) }')
log "no limit: $free NOCACHE events in $el s (a limit of 2/s allows $most)"
((free > most)) ||
	fail "without a limit only $free NOCACHE events in $el s: the limit below would not be tested"
rctl config set signal-rate 2
check_eq "$(rctl -j config show | jq -c .signal_rate)" 2 "signal_rate"
read -r got el <<<"$(nocache_stream "$G5")"
most=$(awk -v e="$el" 'BEGIN { print 2 * (int(e) + 2) }')
log "signal-rate 2: $got NOCACHE events in $el s (1 to $most)"
((got >= 1 && got <= most)) ||
	fail "$got NOCACHE events in $el s at signal-rate 2, expected 1 to $most"
rctl config set signal-rate 0 unres-timeout 10000

# ---- the API -------------------------------------------------------------------
nl() { ip netns exec "$RTR" python3 "$NL" "$@" || true; }
if ((FAM == 6)); then KEY=("group6=$G3" "source6=$WS"); else KEY=("group=$G3" "source=$WS"); fi
before=$(rctl -j route show | jq -c "del(.[].idle_ms)")
check_eq "$(nl route_add "${KEY[@]}" iif=r0 route_flags=2)" \
	'error EINVAL (Invalid argument) msg="reserved bit set" offs='"$(fam 44 68)" "ROUTE_FLAGS 2"
check_eq "$(nl route_add "${KEY[@]}" iif=r0 signal_rate=1000001)" \
	'error ERANGE (Numerical result out of range) msg="integer out of range" offs='"$(fam 44 68)" \
	"route SIGNAL_RATE 1000001"
check_eq "$(nl config_set signal_rate=1000001)" \
	'error ERANGE (Numerical result out of range) msg="integer out of range" offs=20' \
	"config SIGNAL_RATE 1000001"
check_eq "$(rctl -j route show | jq -c "del(.[].idle_ms)")" "$before" "routes after the refused requests"
check_eq "$(rctl -j config show | jq -c .signal_rate)" 0 "signal_rate after the refused request"
ctl_pass "stop filter, no-wrongvif, signal-rate (route and NOCACHE)"
