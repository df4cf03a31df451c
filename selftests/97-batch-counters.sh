#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Route counters, cold and hot, and batches of routes.
#  - Counters: a route counts in shared atomics until it forwards 1,024
#    packets within a second, then in per-CPU counters (module/ctr.c).
#    100 packets along a cold route are counted exactly (packets, bytes,
#    copies) and do not make it hot: the work that gives routes per-CPU
#    counters (kprobe on mfwd_ctr_hot_work) does not run.  Bursts of 3,000
#    packets along another route make it hot (the work runs), one more
#    burst follows, and every packet is counted, across the change; 30
#    wrong-way packets are counted in wrong_if on both routes.
#  - Batches (raw ROUTE_ADD/ROUTE_DEL with ROUTE nests, IPv4 run only, an
#    IPv6 route in the first batch): a batch installs every route and
#    notifies each; the first failing route ends the batch, with its
#    errno, extack message, offset and cookie (its index), the routes
#    before it installed and the ones after it not; a policy error in any
#    route changes nothing and has no cookie; top-level attributes next to
#    ROUTE nests and nested ROUTE nests are refused; a ROUTE_DEL batch
#    deletes in order up to its first missing route.
#  - mfwdctl -b: 3,000 route lines are installed and deleted again; a
#    kernel error on line 1,500 is reported with that line, lines before it
#    installed and after it not; with -force every other line is applied.
# IPv4, then IPv6.
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

families 4 6

NL=$(dirname "$0")/helpers/mfwdnl.py
ctl_topo 2
S=$SRC_IP
G1=$(fam 239.1.7.1 ff0e::1:7:1) G2=$(fam 239.1.7.2 ff0e::1:7:2)
field() { ctl_route_field "$1" "$S" "$2"; }
field_is() { [[ $(field "$1" "$2") == "$3" ]]; }
vif_out() { rctl -j vif show dev "$1" | jq '.[0].pkts_out'; }
nl() { ip netns exec "$RTR" python3 "$NL" "$@" || true; }

# ---- counters --------------------------------------------------------------
tr=/sys/kernel/tracing
[[ -e $tr/kprobe_events ]] || mount -t tracefs nodev "$tr" 2>/dev/null
[[ -e $tr/kprobe_events ]] || fail "no tracefs kprobe_events"
echo 'p:mfwd_hot mfwd:mfwd_ctr_hot_work' >>"$tr/kprobe_events" ||
	fail "cannot put a kprobe on mfwd_ctr_hot_work"
on_exit "echo 0 >$tr/events/kprobes/mfwd_hot/enable; echo '-:mfwd_hot' >>$tr/kprobe_events"
echo 1 >"$tr/events/kprobes/mfwd_hot/enable"
: >"$tr/trace"
hot_runs() { grep -c 'mfwd_hot:' "$tr/trace" || true; }

# pktgen frames of 60 (80) bytes: IP packets of 46 (66)
if ((FAM == 6)); then LEN=66; else LEN=46; fi
pg() {	# pg NS DEV GROUP COUNT DELAY_NS: from source $S
	local ns=$1 dev=$2 g=$3 mac
	shift 3
	if ((FAM == 6)); then
		mac=33:33:00:07:00:0${g##*:}
		ctl_pktgen "$ns" "$dev" count "$1" delay "$2" src6 "$S" dst6 "$g" \
			dst_mac "$mac" pkt_size 80 udp_dst_min 9 udp_dst_max 9
	else
		mac=01:00:5e:01:07:0${g##*.}
		ctl_pktgen "$ns" "$dev" count "$1" delay "$2" src_min "$S" src_max "$S" \
			dst_min "$g" dst_max "$g" dst_mac "$mac" pkt_size 60 \
			udp_dst_min 9 udp_dst_max 9
	fi
}
rctl route add group "$G1" source "$S" iif r0 oif r1
rctl route add group "$G2" source "$S" iif r0 oif r2
out1=$(vif_out r1) out2=$(vif_out r2)

pg "$SRC" s0 "$G1" 100 10000000 >/dev/null || fail "pktgen (cold route)"
cwait field_is "$G1" packets 100 || fail "cold route: packets $(field "$G1" packets), expected 100"
check_eq "$(field "$G1" bytes)" $((100 * LEN)) "cold route: bytes"
cwait ctl_out_eq $((out1 + 100)) vif_out r1 || fail "r1 pkts_out $(vif_out r1), expected $((out1 + 100))"
check_eq "$(hot_runs)" 0 "hot-route work runs after 100 packets of a cold route"

# Bursts of 3000 as fast as pktgen goes, until the route is hot (the debug
# kernel may need more than one); a backlog that takes every burst.
sysctl -qw net.core.netdev_max_backlog=100000
n=0
for ((i = 0; i < 5; i++)); do
	pg "$SRC" s0 "$G2" 3000 0 >/dev/null || fail "pktgen (hot route)"
	n=$((n + 3000))
	cwait field_is "$G2" packets $n || fail "hot route: packets $(field "$G2" packets), expected $n"
	(($(hot_runs) >= 1)) && break
done
(($(hot_runs) >= 1)) || fail "$n packets in bursts of 3000 did not make the route hot"
pg "$SRC" s0 "$G2" 3000 0 >/dev/null || fail "pktgen (hot route)"
n=$((n + 3000))
cwait field_is "$G2" packets $n || fail "hot route: packets $(field "$G2" packets), expected $n"
check_eq "$(field "$G2" bytes)" $((n * LEN)) "hot route: bytes"
cwait ctl_out_eq $((out2 + n)) vif_out r2 || fail "r2 pkts_out $(vif_out r2), expected $((out2 + n))"
log "cold route: 100 counted, work ran 0 times; hot route: $n counted, work ran $(hot_runs) times"

# wrong-way packets: from rcv2 into r2, counted on both routes
for g in "$G1" "$G2"; do
	pg "$RCV2" c2 "$g" 30 1000000 >/dev/null || fail "pktgen (wrong way)"
done
for g in "$G1" "$G2"; do
	cwait field_is "$g" wrong_if 30 || fail "$g: wrong_if $(field "$g" wrong_if), expected 30"
	check_eq "$(field "$g" packets)" "$([[ $g == "$G1" ]] && echo 100 || echo $n)" \
		"$g: packets after the wrong-way ones"
done
log "counters: cold and hot routes count every packet"

# ---- batches: the API (IPv4 run) -------------------------------------------
if ((FAM == 4)); then
	ctl_monitor mon
	K() { echo "group=239.1.8.$1;source=$S"; }
	shown() { rctl route show | grep -c "239.1.8.$1)" || true; }
	check_eq "$(nl route_add route="$(K 1);iif=r0;oif=r1" \
		route="group6=ff0e::1:8:1;source6=2001:db8:1::2;iif=r0;oif=r2" \
		route="$(K 2);iif=r0")" ok "a batch of three routes"
	check_eq "$(rctl route show | grep -c '1:8:1)\|239.1.8.[12])')" 3 "routes of the batch"
	cwait ctl_out_eq 3 ctl_count "$CTL_TMP/mon.mon" '.event == "route_add"' ||
		fail "route_add events of the batch: $(ctl_count "$CTL_TMP/mon.mon" '.event == "route_add"')"

	# the second route fails: the first stays, the third is not tried
	check_eq "$(nl route_add route="$(K 3);iif=r0" route="$(K 4);iif=99" route="$(K 5);iif=r0")" \
		'error ENODEV (No such device) msg="unknown interface" offs=68 cookie=01000000' \
		"a batch whose second route names no device"
	check_eq "$(shown 3)/$(shown 4)/$(shown 5)" 1/0/0 "routes 3, 4, 5 after the failed batch"

	# a route that exists: EEXIST names its nest
	check_eq "$(nl route_add route="$(K 6);iif=r0" route="$(K 6);iif=r0")" \
		'error EEXIST (File exists) msg="route exists" offs=48 cookie=01000000' \
		"a batch that adds one route twice"
	check_eq "$(shown 6)" 1 "route 6 after the batch"

	# policy errors are found before any route is applied
	before=$(rctl -j route show | jq -c 'del(.[].idle_ms)')
	check_eq "$(nl route_add route="$(K 7);iif=r0" route="$(K 8);iif=r0" \
		route="$(K 9);group_prefix_len=200")" \
		'error ERANGE (Numerical result out of range) msg="integer out of range" offs=96' \
		"a batch whose third route has a prefix length of 200"
	check_eq "$(nl route_add group=239.1.8.10 route="$(K 11);iif=r0")" \
		'error EINVAL (Invalid argument) msg="a batch carries only ROUTE nests" offs=20' \
		"a batch with a top-level GROUP"
	check_eq "$(nl route_add route="route=$(K 12);iif=r0")" \
		'error EINVAL (Invalid argument) msg="the routes of a batch do not nest" offs=24 cookie=00000000' \
		"a batch with a nested ROUTE"
	check_eq "$(nl route_del route="$(K 1)" route="group=239.1.8.1;source=10.9.9.9")" \
		'error ENOENT (No such file or directory) msg="no such route" offs=40 cookie=01000000' \
		"a ROUTE_DEL batch whose second route is missing"
	after=$(rctl -j route show | jq -c 'del(.[].idle_ms)')
	check_eq "$(shown 1)" 0 "route 1 after the ROUTE_DEL batch"
	check_eq "$(jq -c 'map(select(.group != "239.1.8.1"))' <<<"$after")" \
		"$(jq -c 'map(select(.group != "239.1.8.1"))' <<<"$before")" \
		"routes after the refused batches"
	check_eq "$(nl route_del route="$(K 2)" route="$(K 3)" route="$(K 6)")" ok "a ROUTE_DEL batch"
	check_eq "$(shown 2)$(shown 3)$(shown 6)" 000 "routes of the ROUTE_DEL batch"
	log "batches: install, first failure, policy errors, deletes"

	# mfwdctl -b: 3,000 routes in and out; then line 1,500 adds line 10's
	# route again
	b=$CTL_TMP/batch
	awk -v s="$S" 'BEGIN { for (i = 0; i < 3000; i++)
		printf "route add group 239.2.%d.%d source %s iif r0 oif r1\n", int(i / 256), i % 256, s }' >"$b.add"
	sed 's/^route add \(group [^ ]* source [^ ]*\).*/route del \1/' "$b.add" >"$b.del"
	sed "1500s/.*/$(sed -n 10p "$b.add")/" "$b.add" >"$b.err"
	nb() { rctl route show | grep -c '239\.2\.' || true; }
	rctl -b "$b.add" || fail "mfwdctl -b of 3000 routes failed"
	check_eq "$(nb)" 3000 "routes after mfwdctl -b"
	rctl -b "$b.del" || fail "mfwdctl -b of 3000 deletes failed"
	check_eq "$(nb)" 0 "routes after mfwdctl -b of the deletes"
	err=$(rctl -b "$b.err" 2>&1 >/dev/null) && fail "mfwdctl -b with a route twice succeeded"
	check_eq "$err" "Error in line 1500: route exists (File exists)" "mfwdctl -b error"
	check_eq "$(nb)" 1499 "routes after mfwdctl -b stopped at line 1500"
	rctl -b "$b.del" 2>/dev/null || true
	check_eq "$(nb)" 0 "routes after deleting them"
	err=$(rctl -force -b "$b.err" 2>&1 >/dev/null) && fail "mfwdctl -force -b with a route twice succeeded"
	check_eq "$err" "Error in line 1500: route exists (File exists)" "mfwdctl -force -b error"
	check_eq "$(nb)" 2999 "routes after mfwdctl -force -b"
	log "mfwdctl -b: 3000 routes in and out; an error on line 1500, with and without -force"
fi
ctl_pass "counters$( ((FAM == 4)) && echo ", batches")"
