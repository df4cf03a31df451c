#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# WRONGVIF events: packets matching a route but arriving on another VIF are
# not forwarded, are counted (route wrong_if, drop_rpf) one for one, and
# give WRONGVIF events (source, group, iif, expected iif, wildcard) at most
# one per route per wrongvif-interval: exactly 1 for 500 packets with a
# 1-hour interval (set after the route was created: its first event is not
# held back), one per packet with interval 0, and one per second (+-1) over
# a 2.5 s stream with interval 1000 ms.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

ctl_topo 2
G2=239.1.2.4 G3=239.1.2.5
S=$RCV2_IP	# the wrong-way sender: $RCV2, arriving on r2
ctl_monitor mon
mon=$CTL_TMP/mon.mon
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$GRP"
send() { ctl_send "$RCV2" --ifaddr "$RCV2_IP" --src "$RCV2_IP" "$@"; }
wv() { ctl_count "$mon" ".event == \"wrongvif\" and .group == \"$1\""; }
wrong_if() { ctl_route_field "$1" "$2" wrong_if; }
wrong_if_is() { [[ $(wrong_if "$1" "$2") == "$3" ]]; }

# A marker route add/del: once the monitor shows it, every event caused
# before it has been read.
mark() { ctl_mark "$mon"; }

# ---- interval 1 h: one event for 500 packets --------------------------------
rctl route add group "$GRP" source "$S" iif r0 oif r1
rctl config set wrongvif-interval 3600000
send --group "$GRP" --count 500 >/dev/null
cwait wrong_if_is "$GRP" "$S" 500 || fail "wrong_if $(wrong_if "$GRP" "$S"), expected 500"
mark
[[ $(wv "$GRP") == 1 ]] ||
	fail "$(wv "$GRP") WRONGVIF events for 500 packets, interval 1 h, expected 1; stats $(rctl -j stats); monitor:"$'\n'"$(cat "$mon")"
check_eq "$(jq -c 'select(.event == "wrongvif")' "$mon")" \
	'{"event":"wrongvif","family":"inet","source":"10.0.3.2","group":"239.1.2.3","iif":"r2","expected_iif":"r0","wildcard":false,"table":0}' \
	"WRONGVIF event"
check_eq "$(ctl_stat drop_rpf)" 500 "drop_rpf"
check_eq "$(ctl_stat forwarded)" 0 "forwarded (wrong VIF)"
check_eq "$(ctl_route_field "$GRP" "$S" packets)" 0 "route packets"
check_eq "$(ctl_rx_count rx1)" 0 "datagrams the receiver got from the wrong VIF"
log "500 packets on r2 for a route from r0: 1 event, wrong_if 500"

# ---- interval 0: one event per packet, (*,G) ---------------------------------
rctl config set wrongvif-interval 0
rctl route add group "$G2" iif r0 oif r1
send --group "$G2" --count 200 >/dev/null
cwait wrong_if_is "$G2" "*" 200 || fail "wrong_if $(wrong_if "$G2" "*"), expected 200"
mark
check_eq "$(ctl_stat events_dropped)" 0 "events_dropped"
check_eq "$(wv "$G2")" 200 "WRONGVIF events for 200 packets, interval 0"
check_eq "$(jq -c "select(.event == \"wrongvif\" and .group == \"$G2\")" "$mon" | sort -u)" \
	'{"event":"wrongvif","family":"inet","source":"10.0.3.2","group":"239.1.2.4","iif":"r2","expected_iif":"r0","wildcard":true,"table":0}' \
	"WRONGVIF events of the (*,G) route"
check_eq "$(ctl_stat drop_rpf)" 700 "drop_rpf"
# The interval is read per packet: the (S,G) route, whose last event is
# well within the old 1 h, now gives one event per packet too.
send --group "$GRP" --count 3 >/dev/null
cwait wrong_if_is "$GRP" "$S" 503 || fail "wrong_if $(wrong_if "$GRP" "$S"), expected 503"
mark
check_eq "$(wv "$GRP")" 4 "WRONGVIF events of the (S,G) route after interval 0"

# ---- interval 1000 ms, 2.5 s stream: 3 events (+-1) -------------------------
rctl config set wrongvif-interval 1000
rctl route add group "$G3" source "$S" iif r0 oif r1
out=$(send --group "$G3" --duration 2.5 --interval 0.02)
n=$(awk '{ print $2 }' <<<"$out") el=$(awk '{ print $4 }' <<<"$out")
cwait wrong_if_is "$G3" "$S" "$n" || fail "wrong_if $(wrong_if "$G3" "$S"), expected $n"
mark
got=$(wv "$G3")
# events at 0, 1, 2 s ... of the stream; the stream lasted $el s
want=$(awk -v e="$el" 'BEGIN { print int(e) + 1 }')
log "$n packets in ${el} s, interval 1000 ms: $got events (expected $want +-1)"
((got >= want - 1 && got <= want + 1)) ||
	fail "$got WRONGVIF events for a ${el} s stream with interval 1000 ms, expected $want +-1"
check_eq "$(ctl_stat forwarded)" 0 "forwarded"
check_eq "$(ctl_stat events_dropped)" 0 "events_dropped"
ctl_pass "WRONGVIF fields, counters and rate limit (1 h, 0, 1 s)"
