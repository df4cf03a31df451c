#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unresolved queue, the expiry path: with a short unres-timeout the queued
# packets are freed and counted (drop_expired == packets queued), not before
# the timeout, also for an entry younger than the one the timer was set for;
# the counters go back to 0; a route added afterwards forwards nothing from
# the old queue (only new packets, TTL-1); a new miss after expiry gives a
# new NOCACHE event (of the packet's family); after unres-timeout is
# lowered, a new entry expires on its own timeout, not with the older,
# longer-lived ones.  IPv4, then IPv6.
# shellcheck disable=SC2317  # functions run through wait_for
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
require_mfwdctl
G=$(fam 239.1.2.3 ff0e::1:2:3) G2=$(fam 239.1.2.4 ff0e::1:2:4)
G3=$(fam 239.1.2.5 ff0e::1:2:5) G5=$(fam 239.1.2.6 ff0e::1:2:6)
G6=$(fam 239.1.2.7 ff0e::1:2:7) S=$(fam 10.0.0.2 "$TOPO_SRC6")
# (a send is a python start-up: T2 leaves room for the second entry to be
# queued well before the first one expires)
T1=500 T2=3000
# Times are taken from when a send's last packet left: mcsend.py --sent
# writes $SENT right after it (its python start-up is not counted).  An
# entry's timer starts with its first packet, up to E ms before that.
SENT=$TOPO_DIR/sent E=100

topo_init 1
topo_mfwd
ev_monitor mon
rx_start_all "$G"

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
sent_ms() { date -r "$SENT" +%s%3N; }
# the counters are polled: one exec each
ctr() {
	local o
	o=$("$MFWDCTL" -j stats) || return 1
	[[ $o =~ \"$1\":([0-9]+) ]] || return 1
	echo "${BASH_REMATCH[1]}"
}
stat_is() { [[ $(ctr "$1") == "$2" ]]; }
stat_ge() { local v; v=$(ctr "$1") && ((v >= $2)); }
nocache() { ev_count mon "\"event\":\"nocache\",\"family\":\"$FAMNAME\",\"source\":\"$S\",\"group\":\"$1\",\"iif\":\"r0\""; }
nocache_is() { [[ $(nocache "$1") == "$2" ]]; }
W=$TOPO_WAIT

# ---- one entry, T1 ms ---------------------------------------------------------
mf config set unres-timeout $T1
check_eq "$(config_field unres_timeout_ms)" $T1 "unres_timeout_ms"
send -- --group "$G" --count 3 --sent "$SENT"
t0=$(sent_ms)
wait_for -t "$W" stat_is drop_expired 3 ||
	fail "drop_expired $(ctr drop_expired), expected 3"
dt=$(($(now_ms) - t0))
((dt >= T1 - E)) || fail "3 packets freed ${dt} ms after they were sent, timeout is $T1 ms"
check_stats unres_entries=0 unres_packets=0 drop_queue_full=0
ev_sync mon
check_eq "$(nocache "$G")" 1 "NOCACHE events for ($S, $G)"
log "entry of 3 packets expired after ${dt} ms (timeout $T1 ms)"

# ---- two entries of different age, T2 ms -------------------------------------
mf config set unres-timeout $T2
send -- --group "$G2" --count 2 --sent "$SENT"
ta=$(sent_ms)
wait_for -t "$W" stat_is unres_packets 2 || fail "unres_packets $(ctr unres_packets), expected 2"
send -- --group "$G3" --count 1 --sent "$SENT"
tb=$(sent_ms)
wait_for -t "$W" stat_ge drop_expired 5 ||
	fail "drop_expired $(ctr drop_expired), expected 3 + 2"
dta=$(($(now_ms) - ta))
((dta >= T2 - E)) || fail "($S, $G2) freed ${dta} ms after it was queued, timeout $T2 ms"
wait_for -t "$W" stat_is drop_expired 6 ||
	fail "drop_expired $(ctr drop_expired), expected 3 + 2 + 1: younger entry not expired"
dtb=$(($(now_ms) - tb))
((dtb >= T2 - E)) || fail "($S, $G3) freed ${dtb} ms after it was queued, timeout $T2 ms"
check_stats unres_entries=0 unres_packets=0
log "entries expired after ${dta} ms and ${dtb} ms (timeout $T2 ms)"

# ---- a route added afterwards delivers nothing old ---------------------------
mf route add group "$G" source "$S" iif r0 oif r1
check_stats forwarded=0 copies=0
send -- --group "$G" --count 1 --seq 100
wait_rx rx1 eth0 "$G" 1
topo_sync
check_rx "$G" "1=1"
check_eq "$(rx_ttls rx1 eth0 "$G")" "63:1" "TTL of the new packet"
check_stats forwarded=1
check_route "$G" "$S" family=$FAMNAME packets=1

# ---- a miss after expiry is a new entry and a new event ----------------------
send -- --group "$G2" --count 1
wait_for -t "$W" nocache_is "$G2" 2 || fail "no second NOCACHE for ($S, $G2) after its entry expired"
wait_for -t "$W" stat_is drop_expired 7 || fail "drop_expired $(ctr drop_expired), expected 7"
check_eq "$(nocache "$G3")" 1 "NOCACHE events for ($S, $G3)"
topo_sync
check_rx "$G" "1=1"

# ---- lowered timeout: a young short-lived entry behind an old long one -------
mf config set unres-timeout 600000
send -- --group "$G5" --count 1
wait_for -t "$W" stat_is unres_entries 1 || fail "unres_entries $(ctr unres_entries), expected 1"
mf config set unres-timeout $T1
send -- --group "$G6" --count 2 --sent "$SENT"
t0=$(sent_ms)
wait_for -t "$W" stat_is drop_expired 9 ||
	fail "drop_expired $(ctr drop_expired), expected 9: the $T1 ms entry waits behind the 600 s one"
log "$T1 ms entry behind a 600 s one expired after $(($(now_ms) - t0)) ms"
check_stats unres_entries=1 unres_packets=1
ev_sync mon
check_eq "$(ev_count mon "\"event\":\"nocache\",\"family\":\"$FAMNAME\"")" 6 "NOCACHE events in all"
check_eq "$(ev_count mon '"event":"nocache"')" 6 "NOCACHE events of any family"
pass "expired entries free their packets, not early; no late delivery"
