#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Several inputs per route.  Senders in src (r0) and in the receiver
# namespaces (rxK, behind rK); every receiver's count is exact, every copy
# arrives with TTL (hop limit) 63 and intact.
#  - Accept set (*,GA) "iif r1 iif r0 oif r1 oif r2": packets from r0 go
#    to r1 and r2, packets from r1 to r2 only (none of rx1's own packets
#    come back to rx1: receiver sources, r1's pkts_out); packets from r3
#    are not forwarded, count in the route's wrong_if and drop_rpf, and
#    each raises a WRONGVIF event (wrongvif-interval 0) whose expected_iif
#    is the primary input r1.  The route's packets count what it forwarded
#    from both inputs.
#  - iif any (*,GY) "oif r1 oif r2 oif r3": packets from r0, r1, r2 and r4
#    go to every output except the one they came in on; no WRONGVIF.
#  - Per-input routes (S,GP) of r0 and of r1, each with its own output and
#    counters.  A packet from r2 matches neither (no WRONGVIF, no
#    wrong_if): one NOCACHE event (iif r2), queued; a per-input route of
#    r3 leaves it queued and never forwards; one of r2 releases it to its
#    output.  A plain (S,GP) route "iif r0 iif r4" is used by packets from
#    r4 only: those from r0 still take r0's per-input route, until "route
#    del ... iif r0 per-iif".
#    "route get" without per-iif names the plain route (none before it is
#    added), with "iif rK per-iif" the per-input one.
#  - mfwdctl shows the inputs: text "iif A iif B" (primary first), "iif
#    any", " per-iif"; JSON "iif" (primary or "any"), "iifs" only with 2+
#    inputs, "per_iif" only when set.  "route show iif rK" lists the
#    routes that accept packets from rK (iif any ones included, also where
#    rK is not the primary input); raw dumps filter by IIF and PER_IIF.
#  - The API (raw requests, helpers/mfwdnl.py), each refused with EINVAL
#    and its extack message and changing nothing: IIF with IIF_ANY, PER_IIF
#    with two IIFs or with IIF_ANY, an input twice, a one-input route
#    (per-input too) with its input as output, ROUTE_DEL/GET with IIF but
#    without PER_IIF; accepted: an input that is also an output of an
#    accept set, IIF_ANY, per-input add/get/del by (key, IIF).
#  - VIF removal: the accept set "iif r2 iif r3 iif r4" keeps r2 and r4
#    when r3 goes (and still forwards from both), keeps r4 when r2 (its
#    primary) goes, and is deleted with r4; a per-input route of r3 goes
#    with r3; an iif any route stays, also when every VIF is gone.
# IPv4, then IPv6.
# shellcheck disable=SC2317  # functions run through wait_for
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
require_mfwdctl
NL=$(dirname "$0")/helpers/mfwdnl.py
# the senders' own addresses (src's, rxK's), and SX on every one of them
S0=$(fam 10.0.0.2 "$TOPO_SRC6")
A1=$(fam 10.0.1.2 2001:db8:1::2) A2=$(fam 10.0.2.2 2001:db8:2::2)
A3=$(fam 10.0.3.2 2001:db8:3::2) A4=$(fam 10.0.4.2 2001:db8:4::2)
SX=$(fam 10.0.99.2 2001:db8:99::2)
GA=$(fam 239.1.91.1 ff0e::91:1)	# accept set
GY=$(fam 239.1.91.2 ff0e::91:2)	# iif any
GP=$(fam 239.1.91.3 ff0e::91:3)	# per-input routes, (SX, GP)
GE=$(fam 239.1.91.4 ff0e::91:4)	# the API requests
GV=$(fam 239.1.91.5 ff0e::91:5)	# VIF removal: accept set
GW=$(fam 239.1.91.6 ff0e::91:6)	# VIF removal: iif any
ALL_G=("$GA" "$GY" "$GP" "$GV" "$GW")

topo_init 4
# Every namespace sends from SX, and receivers get SX's packets from the
# others: IPv4 drops packets from a local source (fib_validate_source)
# unless accept_local is on.
for ns in src rx1 rx2 rx3 rx4; do
	if ((FAM == 4)); then
		ip -n "$ns" addr add "$SX/32" dev eth0
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.eth0.accept_local=1 \
			net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.all.rp_filter=0
	else
		ip -n "$ns" addr add "$SX/128" dev eth0 nodad
	fi
done
topo_mfwd
mf config set unres-timeout 3600000 wrongvif-interval 0
ev_monitor mon

# flow NS ADDR GROUP COUNT [GROUP COUNT]...: from NS, source ADDR, TTL 64
# (one mcsend.py run, one burst per group)
flow() {
	local ns=$1 a=$2 args=()
	shift 2
	while (($#)); do
		((${#args[@]} == 0)) || args+=(--next)
		args+=(--port "$TOPO_PORT" --group "$1" --count "$2" --iface-addr "$a" --ttl 64)
		shift 2
	done
	send "$ns" -- "${args[@]}"
}

# check_srcs NAME GROUP SRC:N...: the sources of GROUP at receiver NAME
# (eth0), exactly these, in any order
check_srcs() {
	local name=$1 g=$2 got want
	shift 2
	got=$(rx_srcs "$name" eth0 "$g" | tr ' ' '\n' | LC_ALL=C sort | paste -sd' ' -)
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | paste -sd' ' -)
	check_eq "$got" "$want" "sources of $g at $name"
}

# check_piif G S IIF SPEC...: the per-input route (S,G) of IIF, as
# check_route
check_piif() {
	local g=$1 s=$2 i=$3
	shift 3
	__jcheck "per-input route ($s, $g) of $i" \
		"-j route get group $g source $s iif $i per-iif" "$@"
}

# sorted WORD...: the words one a line, sorted (C locale), joined by ","
sorted() { printf '%s\n' "$@" | LC_ALL=C sort | paste -sd, -; }

# shown IF: "group source iif[ per-iif]" of "mfwdctl -j route show iif IF",
# sorted, joined by ","
shown() {
	"$MFWDCTL" -j route show iif "$1" |
		jsel '",".join(sorted("%s %s %s%s" % (r["group"], r["source"], r["iif"], " per-iif" if r.get("per_iif") else "") for r in d))'
}

# dumped FIELDS ATTR...: fields FIELDS (cut -f) of the route lines of a raw
# ROUTE_GET dump of this family filtered by ATTRs, sorted, joined by ","
dumped() {
	local f=$1
	shift
	python3 "$NL" --dump route_get family="$FAMNAME" "$@" |
		{ grep '^route ' || true; } | cut -d' ' -f"$f" | LC_ALL=C sort | paste -sd, -
}

# ---- accept set and iif any ---------------------------------------------------
mf route add group "$GA" iif r1 iif r0 oif r1 oif r2
mf route add group "$GY" iif any oif r1 oif r2 oif r3
rx_start_all "${ALL_G[@]}"

flow src "$S0" "$GA" 3 "$GY" 2
flow rx1 "$A1" "$GA" 4 "$GY" 3
flow rx2 "$A2" "$GY" 4
flow rx3 "$A3" "$GA" 2	# r3: not an input of GA
flow rx4 "$A4" "$GY" 1
topo_sync
check_rx "$GA" "1=3 2=7 3=0 4=0"
check_rx "$GY" "1=7 2=6 3=10 4=0"
check_srcs rx1 "$GA" "$S0:3"
check_srcs rx2 "$GA" "$S0:3" "$A1:4"
check_srcs rx1 "$GY" "$S0:2" "$A2:4" "$A4:1"
check_srcs rx2 "$GY" "$S0:2" "$A1:3" "$A4:1"
check_srcs rx3 "$GY" "$S0:2" "$A1:3" "$A2:4" "$A4:1"
check_route "$GA" '*' packets=7 wrong_if=2 family="$FAMNAME" iif=r1 \
	'iifs=["r1","r0"]' per_iif='<missing>'
check_eq "$(route_oifs "$GA" '*')" "r1/1 r2/1" "outputs of (*, $GA)"
check_route "$GY" '*' packets=10 wrong_if=0 iif=any iifs='<missing>' per_iif='<missing>'
check_stats forwarded=17 copies=33 drop_rpf=2 unres_entries=0
# GA: r1 3, r2 3 + 4; GY: r1 2 + 4 + 1, r2 2 + 3 + 1, r3 2 + 3 + 4 + 1
check_vifs r0.pkts_out=0 r1.pkts_out=10 r2.pkts_out=13 r3.pkts_out=10 r4.pkts_out=0
out=$("$MFWDCTL" route show group "$GA")
[[ $out == *"iif r1 iif r0"* && $out != *per-iif* ]] || fail "route show group $GA: $out"
out=$("$MFWDCTL" route show group "$GY")
[[ $out == *"iif any"* && $out != *per-iif* ]] || fail "route show group $GY: $out"
ev_sync mon
check_eq "$(ev_n event=wrongvif group="$GA")" 2 "WRONGVIF events of $GA"
check_eq "$(ev_n event=wrongvif family="$FAMNAME" source="$A3" group="$GA" \
	iif=r3 expected_iif=r1 wildcard=true)" 2 "WRONGVIF events of $GA from r3, expected r1:"$'\n'"$(ev_show mon)"
check_eq "$(ev_n event=wrongvif group="$GY")" 0 "WRONGVIF events of $GY"
log "accept set and iif any: no copy back out of the arrival VIF"

# ---- per-input routes -----------------------------------------------------------
mf route add group "$GP" source "$SX" iif r0 oif r2 per-iif
mf route add group "$GP" source "$SX" iif r1 oif r3 per-iif
check_fail "$MFWDCTL" route get group "$GP" source "$SX"
flow src "$SX" "$GP" 3
flow rx1 "$SX" "$GP" 4
topo_sync
check_rx "$GP" "1=0 2=3 3=4 4=0"
check_piif "$GP" "$SX" r0 packets=3 wrong_if=0 iif=r0 source="$SX" per_iif=True iifs='<missing>'
check_piif "$GP" "$SX" r1 packets=4 wrong_if=0 iif=r1 per_iif=True

# from r2: no route of its own, no other route of (SX, GP)
flow rx2 "$SX" "$GP" 1
topo_sync
nocache() { grep -q '"event":"nocache"' "$EV_DIR/mon.mon"; }
wait_for -t "$TOPO_WAIT" nocache || fail "no NOCACHE event:"$'\n'"$(ev_show mon)"
check_stats unres_entries=1 unres_packets=1
mf route add group "$GP" source "$SX" iif r3 oif r4 per-iif
check_stats unres_entries=1 unres_packets=1
mf route add group "$GP" source "$SX" iif r2 oif r1 per-iif
wait_rx rx1 eth0 "$GP" 1
check_stats unres_entries=0 unres_packets=0
topo_sync
check_rx "$GP" "1=1 2=3 3=4 4=0"
check_piif "$GP" "$SX" r2 packets=1 wrong_if=0
check_piif "$GP" "$SX" r3 packets=0 wrong_if=0
check_piif "$GP" "$SX" r0 packets=3 wrong_if=0
check_piif "$GP" "$SX" r1 packets=4 wrong_if=0
ev_sync mon
check_eq "$(ev_n event=nocache group="$GP")" 1 "NOCACHE events of $GP"
check_eq "$(ev_n event=nocache family="$FAMNAME" source="$SX" group="$GP" iif=r2)" 1 \
	"NOCACHE event of ($SX, $GP) from r2:"$'\n'"$(ev_show mon)"
check_eq "$(ev_n event=wrongvif group="$GP")" 0 "WRONGVIF events of $GP"
log "per-input routes: own outputs and counters; NOCACHE for another input, released by its route"

# a plain route of the same key: for the inputs without a per-input route
mf route add group "$GP" source "$SX" iif r0 iif r4 oif r1 oif r3
flow src "$SX" "$GP" 2
flow rx4 "$SX" "$GP" 2
topo_sync
check_rx "$GP" "1=3 2=5 3=6 4=0"
check_piif "$GP" "$SX" r0 packets=5
check_route "$GP" "$SX" packets=2 wrong_if=0 iif=r0 'iifs=["r0","r4"]' per_iif='<missing>'
out=$("$MFWDCTL" route show group "$GP")
check_eq "$(grep -c 'per-iif' <<<"$out" || true)" 4 "per-input routes in:"$'\n'"$out"$'\n'
plain=$(grep -v 'per-iif' <<<"$out" || true)
[[ $plain == *"iif r0 iif r4"* && $plain != *$'\n'* ]] || fail "plain route in:"$'\n'"$out"
piif=$(grep 'per-iif' <<<"$out" || true)
for k in 0 1 2 3; do
	check_eq "$(grep -cE "iif r$k( |\$)" <<<"$piif" || true)" 1 \
		"per-input routes of r$k in:"$'\n'"$out"$'\n'
done
mf route del group "$GP" source "$SX" iif r0 per-iif
check_fail "$MFWDCTL" route get group "$GP" source "$SX" iif r0 per-iif
check_eq "$(config_field route_count)" 6 "routes"
flow src "$SX" "$GP" 1
topo_sync
check_rx "$GP" "1=4 2=5 3=7 4=0"
check_route "$GP" "$SX" packets=3
log "per-input routes first, then the others; del and get by input"

# ---- dump filters -------------------------------------------------------------
check_eq "$(shown r1)" "$(sorted "$GA * r1" "$GY * any" "$GP $SX r1 per-iif")" \
	"routes that accept from r1"
check_eq "$(shown r0)" "$(sorted "$GA * r1" "$GY * any" "$GP $SX r0")" \
	"routes that accept from r0"
src0=$(fam 0.0.0.0 ::)
check_eq "$(dumped 2,3 iif=r4)" "$(sorted "$src0 $GY" "$SX $GP")" "raw dump, IIF r4"
check_eq "$(dumped 2-4 per_iif)" \
	"$(sorted "$SX $GP iif=r1" "$SX $GP iif=r2" "$SX $GP iif=r3")" "raw dump, PER_IIF"
check_eq "$(dumped 2-4 per_iif iif=r2)" "$SX $GP iif=r2" "raw dump, PER_IIF and IIF r2"

# ---- the API ------------------------------------------------------------------
EINVAL='error EINVAL (Invalid argument)'
NOENT='error ENOENT (No such file or directory) msg="no such route"'
GK=$(fam group group6) SK=$(fam source source6)
cases="route_add $GK=$GE iif=r0 iif_any oif=r2 | $EINVAL msg=\"iif any excludes other inputs\"
route_add $GK=$GE iif_any iif=r1 oif=r2 | $EINVAL msg=\"iif any excludes other inputs\"
route_add $GK=$GE $SK=$SX iif=r0 iif=r1 per_iif oif=r2 | $EINVAL msg=\"a per-input route has exactly one input\"
route_add $GK=$GE $SK=$SX iif_any per_iif oif=r2 | $EINVAL msg=\"a per-input route has exactly one input\"
route_add $GK=$GE iif=r0 iif=r0 oif=r2 | $EINVAL msg=\"an input VIF is listed twice\"
route_add $GK=$GE iif=r1 iif=r0 iif=r1 oif=r2 | $EINVAL msg=\"an input VIF is listed twice\"
route_add $GK=$GE iif=r0 oif=r0 | $EINVAL msg=\"input VIF listed as output\"
route_add $GK=$GE $SK=$SX iif=r0 per_iif oif=r0 | $EINVAL msg=\"input VIF listed as output\"
route_get $GK=$GE | $NOENT
route_get $GK=$GE $SK=$SX | $NOENT
route_get $GK=$GE $SK=$SX iif=r0 per_iif | $NOENT
route_del $GK=$GA iif=r1 | $EINVAL msg=\"iif filters dumps only\"
route_get $GK=$GA iif=r1 | $EINVAL msg=\"iif filters dumps only\"
route_del $GK=$GP $SK=$SX iif=r1 | $EINVAL msg=\"iif filters dumps only\"
route_get $GK=$GA | ok
route_get $GK=$GP $SK=$SX | ok
route_get $GK=$GP $SK=$SX iif=r1 per_iif | ok
route_get $GK=$GP $SK=$SX iif=r0 per_iif | $NOENT
route_add $GK=$GE iif=r0 iif=r1 oif=r1 oif=r2 | ok
route_add $GK=$GE $SK=$SX iif_any oif=r1 | ok
route_add $GK=$GE $SK=$SX iif=r2 per_iif oif=r1 | ok
route_get $GK=$GE $SK=$SX iif=r2 per_iif | ok
route_del $GK=$GE $SK=$SX iif=r2 per_iif | ok
route_get $GK=$GE $SK=$SX iif=r2 per_iif | $NOENT
route_get $GK=$GE $SK=$SX | ok
route_del $GK=$GE $SK=$SX | ok
route_del $GK=$GE | ok"
n0=$(config_field route_count)
nl_cases "$cases"
check_eq "$(config_field route_count)" "$n0" "routes after the API requests"
check_route "$GA" '*' packets=7 iif=r1 'iifs=["r1","r0"]'
out=$("$MFWDCTL" route add group "$GE" iif r0 oif r0 2>&1) &&
	fail "mfwdctl added a one-input route with its input as output"
[[ $out == *"input VIF listed as output"* ]] || fail "mfwdctl said: $out"
check_eq "$(config_field route_count)" "$n0" "routes after mfwdctl's refused add"
log "API: EINVAL with extack for bad input sets, IIF outside PER_IIF; exact (key, input)"

# ---- VIF removal --------------------------------------------------------------
mf flush
mf route add group "$GV" iif r2 iif r3 iif r4 oif r1
mf route add group "$GW" iif any oif r1 oif r2
mf route add group "$GV" source "$SX" iif r3 oif r1 per-iif
check_eq "$(config_field route_count)" 3 "routes"
mf vif del dev r3
check_eq "$(config_field route_count)" 2 "routes after removing r3"
check_fail "$MFWDCTL" route get group "$GV" source "$SX" iif r3 per-iif
check_route "$GV" '*' iif=r2 'iifs=["r2","r4"]'
out=$("$MFWDCTL" route show group "$GV")
[[ $out == *"iif r2 iif r4"* && $out != *r3* ]] || fail "route show group $GV: $out"
flow rx4 "$A4" "$GV" 2
flow rx2 "$A2" "$GV" 1
flow rx3 "$A3" "$GV" 1	# r3: no VIF now
topo_sync
check_rx "$GV" "1=3 2=0 3=0 4=0"
check_srcs rx1 "$GV" "$A2:1" "$A4:2"
check_route "$GV" '*' packets=3

mf vif del dev r2	# the primary input of GV, an output of GW
check_eq "$(config_field route_count)" 2 "routes after removing r2"
check_route "$GV" '*' iif=r4 iifs='<missing>' packets=3
check_route "$GW" '*' iif=any
check_eq "$(route_oifs "$GW" '*')" "r1/1" "outputs of (*, $GW) after removing r2"
flow src "$S0" "$GW" 2
topo_sync
check_rx "$GW" "1=2 2=0 3=0 4=0"
check_route "$GW" '*' packets=2

mf vif del dev r4	# the last input of GV
check_eq "$(config_field route_count)" 1 "routes after removing r4"
check_fail "$MFWDCTL" route get group "$GV"
mf vif del dev r0
mf vif del dev r1
check_eq "$("$MFWDCTL" -j vif show | jsel 'len(d)')" 0 "VIFs left"
check_eq "$(config_field route_count)" 1 "routes after removing every VIF"
check_route "$GW" '*' iif=any packets=2
check_eq "$(route_oifs "$GW" '*')" "" "outputs of (*, $GW) after removing every VIF"
log "VIF removal: inputs leave accept sets, the last deletes the route, iif any stays"

for k in 1 2 3 4; do
	for g in "${ALL_G[@]}"; do
		t=$(rx_ttls "rx$k" eth0 "$g")
		[[ -z $t || $t =~ ^63:[0-9]+$ ]] || fail "rx$k, $g: TTLs $t, not 63"
		[[ $(rx_bad "rx$k" eth0 "$g") == 0 ]] || fail "rx$k, $g: damaged copies"
	done
done
ev_sync mon
check_stats events_dropped=0 unres_entries=0
pass "accept sets, iif any, per-input routes: forwarding, events, show, dump filters, API errors, VIF removal"
