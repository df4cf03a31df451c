#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unresolved queue, the expiry path: with a short unres-timeout the queued
# packets are freed and counted (drop_expired == packets queued), not before
# the timeout, also for an entry younger than the one the timer was set for;
# the counters go back to 0; a route added afterwards forwards nothing from
# the old queue (only new packets); a new miss after expiry gives a new
# NOCACHE event; after unres-timeout is lowered, a new entry expires on its
# own timeout, not with the older, longer-lived ones.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

ctl_topo 1
G2=239.1.2.4 G3=239.1.2.5
ctl_monitor mon
mon=$CTL_TMP/mon.mon
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$GRP"
send() { ctl_send "$SRC" --ifaddr "$SRC_IP" --src "$SRC_IP" "$@" >/dev/null; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
nocache() { grep -c "\"event\":\"nocache\",\"family\":\"inet\",\"source\":\"$SRC_IP\",\"group\":\"$1\",\"iif\":\"r0\"" "$mon" || true; }

# ---- one entry, 300 ms ------------------------------------------------------
rctl config set unres-timeout 300
check_eq "$(rctl -j config show | jq .unres_timeout_ms)" 300 "unres_timeout_ms"
t0=$(now_ms)
send --group "$GRP" --count 3
cwait ctl_stat_is drop_expired 3 ||
	fail "drop_expired $(ctl_stat drop_expired), expected 3"
dt=$(($(now_ms) - t0))
((dt >= 300)) || fail "3 packets freed ${dt} ms after they were sent, timeout is 300 ms"
check_eq "$(ctl_stat unres_entries)" 0 "unres_entries after expiry"
check_eq "$(ctl_stat unres_packets)" 0 "unres_packets after expiry"
check_eq "$(ctl_stat drop_queue_full)" 0 "drop_queue_full"
check_eq "$(nocache "$GRP")" 1 "NOCACHE events for ($SRC_IP, $GRP)"
log "entry of 3 packets expired after ${dt} ms (timeout 300 ms)"

# ---- two entries of different age, 1500 ms ---------------------------------
rctl config set unres-timeout 1500
ta=$(now_ms)
send --group "$G2" --count 2
cwait ctl_stat_is unres_packets 2 || fail "unres_packets $(ctl_stat unres_packets), expected 2"
tb=$(now_ms)
send --group "$G3" --count 1
cwait ctl_out_ge 5 ctl_stat drop_expired ||
	fail "drop_expired $(ctl_stat drop_expired), expected 3 + 2"
dta=$(($(now_ms) - ta))
((dta >= 1500)) || fail "($SRC_IP, $G2) freed ${dta} ms after it was queued, timeout 1500 ms"
cwait ctl_stat_is drop_expired 6 ||
	fail "drop_expired $(ctl_stat drop_expired), expected 3 + 2 + 1: younger entry not expired"
dtb=$(($(now_ms) - tb))
((dtb >= 1500)) || fail "($SRC_IP, $G3) freed ${dtb} ms after it was queued, timeout 1500 ms"
check_eq "$(ctl_stat unres_entries)" 0 "unres_entries after expiry"
check_eq "$(ctl_stat unres_packets)" 0 "unres_packets after expiry"
log "entries expired after ${dta} ms and ${dtb} ms (timeout 1500 ms)"

# ---- a route added afterwards delivers nothing old -------------------------
rctl route add group "$GRP" source "$SRC_IP" iif r0 oif r1
check_eq "$(ctl_stat forwarded)" 0 "forwarded by a route added after expiry"
check_eq "$(ctl_stat copies)" 0 "copies sent by a route added after expiry"
send --group "$GRP" --count 1 --start 100
cwait ctl_rx_count_is rx1 1 || fail "new packet not forwarded"
check_eq "$(ctl_rx_seqs rx1)" 100 "only the new packet reaches the receiver"
check_eq "$(ctl_stat forwarded)" 1 "forwarded"

# ---- a miss after expiry is a new entry and a new event --------------------
send --group "$G2" --count 1
cwait ctl_out_eq 2 nocache "$G2" || fail "no second NOCACHE for ($SRC_IP, $G2) after its entry expired"
cwait ctl_stat_is drop_expired 7 || fail "drop_expired $(ctl_stat drop_expired), expected 7"
check_eq "$(nocache "$G3")" 1 "NOCACHE events for ($SRC_IP, $G3)"
check_eq "$(ctl_rx_count rx1)" 1 "datagrams received in total"

# ---- lowered timeout: a young short-lived entry behind an old long one -----
rctl config set unres-timeout 60000
send --group 239.1.2.6 --count 1
cwait ctl_stat_is unres_entries 1 || fail "unres_entries $(ctl_stat unres_entries), expected 1"
rctl config set unres-timeout 300
t0=$(now_ms)
send --group 239.1.2.7 --count 2
cwait ctl_stat_is drop_expired 9 ||
	fail "drop_expired $(ctl_stat drop_expired), expected 9: the 300 ms entry waits behind the 60 s one"
log "300 ms entry behind a 60 s one expired after $(($(now_ms) - t0)) ms"
check_eq "$(ctl_stat unres_entries)" 1 "unres_entries: the 60 s entry stays"
check_eq "$(ctl_stat unres_packets)" 1 "unres_packets: the 60 s entry stays"
ctl_pass "expired entries free their packets, not early; no late delivery"
