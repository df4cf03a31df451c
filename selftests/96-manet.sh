#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Single-interface (MANET) forwarding.  Three radio nodes share one channel,
# a bridge in its own netns whose ports n1 and n3 are isolated: n1 and n3
# hear n2 only, n2 hears both (a chain n1 - n2 - n3).  Each node is a
# router netns with mfwd, radio0 (its port on the channel) a
# single-interface VIF and lan0 a VIF to a LAN host:
#
#   src - lan0 [N1] radio0 ~~ air ~~ radio0 [N2] lan0 - h2
#                                ~~ radio0 [N3] lan0 - h3
#
# N1 routes (S,G) from lan0 to radio0; N2 and N3 route (*,G) from radio0
# back out radio0 and to lan0.  For 200 packets from src:
#  - h2 and h3 get each exactly once, intact, with TTL 6 and 5 (sent with
#    8; one hop per router);
#  - no storm: each radio0 sends 200 packets; N1 drops the 200 copies N2
#    sends back, N2 the 200 N3 sends back (drop_duplicate), N3 none;
#  - no WRONGVIF event and no wrong_if count anywhere, no NOCACHE.
# Then, on N2: the window (a raw packet sent twice, identical, is dropped
# the second time within dup-window 10s, 20 different raw packets of the
# same flow all pass, and an identical one is forwarded twice with
# dup-window 50ms, 300 ms apart); a route with radio0 as input and output
# is refused on a VIF without single-interface (EINVAL "input VIF listed
# as output"); dup-window without single-interface (EINVAL); VIF dumps
# show the flag and the window; 5 packets failing RPF on N2's radio0
# are counted and raise no WRONGVIF event (interval 0).
# IPv4, then IPv6.
# shellcheck disable=SC2317  # functions run through wait_for, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"

families 4 6

require_mfwdctl
require_cmd jq ip bridge
[[ -n $CTL_PY ]] || skip "python3 not installed"
load_mfwd
on_exit "rmmod mfwd"

AIR=mn-air N1=mn-n1 N2=mn-n2 N3=mn-n3 SRCH=mn-src H2=mn-h2 H3=mn-h3
ns_create "$AIR" "$N1" "$N2" "$N3" "$SRCH" "$H2" "$H3"
ip -n "$AIR" link add air type bridge
ip -n "$AIR" link set air up
addr() { if ((FAM == 6)); then echo "10.$1/24,2001:db8:$2::$3/64"; else echo "10.$1/24"; fi; }
ip6() { fam "10.$1" "2001:db8:$2::$3"; }
# radio link i: node Ni's radio0 on 10.9.0.i (2001:db8:9::i)
for i in 1 2 3; do
	n=mn-n$i
	veth_pair "$n" radio0 "$(addr "9.0.$i" 9 "$i")" "$AIR" "n$i" -
	ip -n "$AIR" link set "n$i" master air
	ip netns exec "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.radio0.rp_filter=0
done
bridge -n "$AIR" link set dev n1 isolated on
bridge -n "$AIR" link set dev n3 isolated on
# the LANs: src behind N1 (10.1.0.0/24), h2 behind N2, h3 behind N3
veth_pair "$SRCH" eth0 "$(addr 1.0.2 1 2)" "$N1" lan0 "$(addr 1.0.1 1 1)"
veth_pair "$H2" eth0 "$(addr 2.0.2 2 2)" "$N2" lan0 "$(addr 2.0.1 2 1)"
veth_pair "$H3" eth0 "$(addr 3.0.2 3 2)" "$N3" lan0 "$(addr 3.0.1 3 1)"
for h in "$H2" "$H3"; do
	ip netns exec "$h" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
done
S=$(ip6 1.0.2 1 2) G=$(fam 239.9.9.9 ff0e::9:9:9)
nctl() { local ns=$1; shift; ip netns exec "$ns" "$MFWDCTL" "$@"; }
for n in "$N1" "$N2" "$N3"; do
	nctl "$n" vif add dev lan0
	nctl "$n" vif add dev radio0 single-interface
done
nctl "$N1" route add group "$G" source "$S" iif lan0 oif radio0
nctl "$N2" route add group "$G" iif radio0 oif radio0 oif lan0
nctl "$N3" route add group "$G" iif radio0 oif radio0 oif lan0
for n in "$N1" "$N2" "$N3"; do
	ip netns exec "$n" "$MFWDCTL" -j monitor >"$CTL_TMP/$n.mon" 2>/dev/null &
	on_exit "kill $!"
done

ctl_recv h2 "$H2" "$(ip6 2.0.2 2 2)" "$G"
ctl_recv h3 "$H3" "$(ip6 3.0.2 3 2)" "$G"
ctl_send "$SRCH" --ifaddr "$S" --src "$S" --group "$G" --count 200 --ttl 8 \
	--size 200 --interval 0.002 >/dev/null
cwait ctl_rx_count_is h2 200 || fail "h2 got $(ctl_rx_count h2) of 200"
cwait ctl_rx_count_is h3 200 || fail "h3 got $(ctl_rx_count h3) of 200"
stat() { nctl "$1" -j stats | jq -c ".$2"; }
vifout() { nctl "$1" -j vif show | jq -c ".[] | select(.dev == \"$2\") | .pkts_out"; }
cwait ctl_out_eq 200 stat "$N2" drop_duplicate || fail "N2 drop_duplicate $(stat "$N2" drop_duplicate), expected 200"
cwait ctl_out_eq 200 stat "$N1" drop_duplicate || fail "N1 drop_duplicate $(stat "$N1" drop_duplicate), expected 200"
# every copy arrived once, in order, intact, with one TTL less per router
check_eq "$(awk '{ print $1 }' "$CTL_TMP/h2.rx" | paste -sd' ')" "$(seq -s' ' 0 199)" "h2's sequence numbers"
check_eq "$(awk '{ print $1 }' "$CTL_TMP/h3.rx" | paste -sd' ')" "$(seq -s' ' 0 199)" "h3's sequence numbers"
check_eq "$(awk '{ print $2 "/" $3 }' "$CTL_TMP/h2.rx" | sort -u)" "6/200" "h2's TTL/size"
check_eq "$(awk '{ print $2 "/" $3 }' "$CTL_TMP/h3.rx" | sort -u)" "5/200" "h3's TTL/size"
check_eq "$(stat "$N3" drop_duplicate)" 0 "N3 drop_duplicate"
for n in "$N1" "$N2" "$N3"; do
	check_eq "$(vifout "$n" radio0)" 200 "$n radio0 packets out"
	check_eq "$(stat "$n" drop_rpf)" 0 "$n drop_rpf"
	check_eq "$(jq -c 'select(.event == "wrongvif" or .event == "nocache")' "$CTL_TMP/$n.mon" | wc -l)" 0 \
		"$n WRONGVIF and NOCACHE events"
done
log "200 packets over two radio hops: h2 200 (TTL 6), h3 200 (TTL 5); duplicates dropped N1 200, N2 200"

# ---- the window, on N2 ----------------------------------------------------------------
# N1 sends the same raw packet (IPv4 ID and payload from --start) twice;
# N3 no longer forwards, so N2 hears only N1.  The window is 10 s first:
# the debug kernel takes seconds between two sends.
raw() { ctl_send "$N1" --raw --ifaddr "$(ip6 9.0.1 9 1)" --src "$S" --group "$G" --count 1 --start 7 --ttl 8 >/dev/null; }
readd() {	# WINDOW: N2's radio0 again, with that window, and its route
	nctl "$N2" vif del dev radio0
	nctl "$N2" vif add dev radio0 single-interface dup-window "$1"
	nctl "$N2" route add group "$G" iif radio0 oif radio0 oif lan0
}
nctl "$N1" route del group "$G" source "$S"
nctl "$N3" route del group "$G"
readd 10s
n0=$(ctl_rx_count h2) d0=$(stat "$N2" drop_duplicate)
raw
cwait ctl_rx_count_is h2 $((n0 + 1)) || fail "the first raw packet did not arrive"
raw
cwait ctl_out_eq $((d0 + 1)) stat "$N2" drop_duplicate || fail "the identical packet was not dropped within the window"
check_eq "$(ctl_rx_count h2)" $((n0 + 1)) "h2 after an identical packet within the window"
# 20 different packets of one flow, with valid UDP checksums (raw: no
# offload), within the window: none is a duplicate.  (The filter hashes
# the payload itself; with a valid UDP checksum inside, the payload's
# Internet checksum folds to the same value for every packet of a flow.)
ctl_send "$N1" --raw --ifaddr "$(ip6 9.0.1 9 1)" --src "$S" --group "$G" --count 20 --start 20 --ttl 8 >/dev/null
cwait ctl_rx_count_is h2 $((n0 + 21)) || fail "h2 got $(($(ctl_rx_count h2) - n0 - 1)) of 20 different packets"
check_eq "$(stat "$N2" drop_duplicate)" $((d0 + 1)) "N2 drop_duplicate after 20 different packets"
readd 50ms
check_eq "$(nctl "$N2" -j vif show | jq -c '.[] | select(.dev == "radio0") | .dup_window_ms')" 50 "JSON dup_window_ms"
raw
cwait ctl_rx_count_is h2 $((n0 + 22)) || fail "the raw packet did not arrive after the VIF was re-added"
sleep 0.3	# past the 50 ms window: nothing to poll for
raw
cwait ctl_rx_count_is h2 $((n0 + 23)) || fail "an identical packet after the 50 ms window was dropped"
check_eq "$(stat "$N2" drop_duplicate)" $((d0 + 1)) "N2 drop_duplicate after the window"

# ---- RPF failures on a single-interface VIF raise no WRONGVIF ---------------------
nctl "$N2" config set wrongvif-interval 0
nctl "$N2" route add group "$G" source "$S" iif lan0 oif radio0
ctl_send "$N1" --raw --ifaddr "$(ip6 9.0.1 9 1)" --src "$S" --group "$G" --count 5 --start 100 --ttl 8 >/dev/null
wrong_if() { nctl "$N2" -j route get group "$G" source "$S" | jq -c 'if type == "array" then .[0] else . end | .wrong_if'; }
cwait ctl_out_eq 5 wrong_if || fail "N2's (S,G) route counted $(wrong_if) wrong_if, expected 5"
M=$(fam 239.9.9.10 ff0e::9:9:10)
nctl "$N2" route add group "$M" iif lan0
nctl "$N2" route del group "$M"
cwait grep -q "\"event\":\"route_del\",\"family\":\"$FAMNAME\",\"group\":\"$M\"" "$CTL_TMP/$N2.mon" ||
	fail "N2's monitor did not show the marker"
check_eq "$(jq -c 'select(.event == "wrongvif")' "$CTL_TMP/$N2.mon" | wc -l)" 0 \
	"WRONGVIF events for 5 packets failing RPF on a single-interface VIF (interval 0)"

# ---- the API -------------------------------------------------------------------------------
check_eq "$(nctl "$N2" route add group "$G" source "$S" iif lan0 oif lan0 2>&1 || true)" \
	'Error: input VIF listed as output (Invalid argument) at "oif lan0"' "a route back out a VIF without single-interface"
ip -n "$N2" link add dum0 type dummy
out=$(nctl "$N2" vif add dev dum0 dup-window 1s 2>&1 || true)
check_eq "${out%%$'\n'*}" \
	"Error: dup-window needs single-interface" "dup-window without single-interface (mfwdctl)"
ctl_pass "MANET chain of three single-interface nodes: every packet once, no storm"
