#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 packets bigger than an output's MTU: r2 (and rx2's end) has MTU
# 1300.  A router never fragments an IPv6 packet it forwards, so a
# 1301-byte packet is not sent out of r2 (counted in stats drop_mtu) but
# still reaches rx1 and rx3, and the sender gets an ICMPv6 Packet Too Big
# for it from the router (one per packet, as ip6mr's ip6_fragment() sends:
# PMTU discovery is not rate limited), with MTU 1300, quoting the packet
# (source, group).  1300-byte packets pass r2, before and after; the wire
# behind r2 has only whole 1300-byte packets (no fragments).  The sender
# keeps sending whole packets at its interface MTU (mcsend.py --df:
# IPV6_DONTFRAG, IPV6_PMTUDISC_PROBE) whatever the PTBs taught its stack.
# The router's own packets are another matter: a 2900-byte datagram the
# router sends out of r0 (a socket that lets its stack fragment) is
# forwarded out of r1 and r2 in fragments of each one's MTU, as the stack
# fragments what it sends (ip6mr forwards those fragments); no PTB, no
# drop_mtu; the receivers get every datagram whole, hop limit 63.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=ff0e::84:1 S=$TOPO_SRC6 N=6
G5=ff0e::84:5 R0=2001:db8::1 L=2900
FIT=1252 BIG=1253	# UDP payload: IPv6 packets of 1300 and 1301 bytes

# ptb_lines COND: lines of the sender's ICMPv6 log matching an awk
# condition over: $1 IF $2 SRC $3 DST $4 PROTO $5 HLIM $6 HBH $7 TYPE
# $8 QUOTED-DST $9 mtu=N $10 src=QUOTED-SRC
# shellcheck disable=SC2317
ptb_lines() { awk "$1" "$TOPO_DIR/ptb.out" | wc -l; }
# shellcheck disable=SC2317
ptb_atleast() { (($(ptb_lines "$1") >= $2)); }
# shellcheck disable=SC2317
cap_atleast() { (($(cap_field "$1" "$2") >= $3)); }
PTB="\$1 == \"eth0\" && \$7 == \"2\" && \$8 == \"$G\" && \$9 == \"mtu=1300\" && \$10 == \"src=$S\""

topo_init -6 3
ip link set r2 mtu 1300
ip -n rx2 link set eth0 mtu 1300
topo_mfwd
mf route add group $G source $S iif r0 oif r1 oif r2 oif r3
mf route add group $G5 source $R0 iif r0 oif r1 oif r2
rx_start_all $G $G5
cap_start cap2 rx2 eth0 $G
cap_start cap5 rx2 eth0 $G5
: >"$TOPO_DIR/ptb.out"
bg_start "$TOPO_DIR/ptb.log" src python3 "$TOPO_HELPERS/rawrecv.py" --v6 \
	--out "$TOPO_DIR/ptb.out" --ready "$TOPO_DIR/ptb.ready"
on_exit "kill $BG_PID"
wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/ptb.ready" ||
	fail "the sender's ICMPv6 socket did not start: $(cat "$TOPO_DIR/ptb.log")"

# 1300 bytes: fit everywhere
send -- --group $G --count $N --size $FIT
topo_sync
check_rx $G "1=$N 2=$N 3=$N"
check_stats drop_mtu=0 copies=$((3 * N)) forwarded=$N

# 1301 bytes: not out of r2; a PTB each
send -- --group $G --count $N --size $BIG
topo_sync
check_rx $G "1=$((2 * N)) 2=$N 3=$((2 * N))"
check_stats drop_mtu=$N copies=$((5 * N)) forwarded=$((2 * N))
check_vifs r2.pkts_out=$N r1.pkts_out=$((2 * N)) r3.pkts_out=$((2 * N))
wait_for -t "$TOPO_WAIT" ptb_atleast "$PTB" $N ||
	fail "the sender got $(ptb_lines "$PTB") Packet Too Big for $G (MTU 1300), expected $N; its ICMPv6:"$'\n'"$(cat "$TOPO_DIR/ptb.out")"

# 1300 bytes again: still whole, still through r2
send -- --group $G --count $N --size $FIT
topo_sync
check_rx $G "1=$((3 * N)) 2=$((2 * N)) 3=$((3 * N))"
for k in 1 2 3; do
	check_eq "$(rx_bad rx$k eth0 $G)" 0 "rx$k corrupted payloads"
	check_eq "$(rx_ttls rx$k eth0 $G)" "63:$(rx_count rx$k eth0 $G)" "rx$k hop limits"
done
check_eq "$(rx_bytes rx1 eth0 $G)" $((2 * N * FIT + N * BIG)) "rx1 payload bytes"
check_eq "$(rx_bytes rx2 eth0 $G)" $((2 * N * FIT)) "rx2 payload bytes"
check_stats drop_mtu=$N copies=$((8 * N)) forwarded=$((3 * N)) drop_nomem=0
check_route $G $S packets=$((3 * N)) bytes=$((2 * N * 1300 + N * 1301))
wait_for -t "$TOPO_WAIT" cap_atleast cap2 pkts $((2 * N)) || true
check_eq "$(cap_field cap2 pkts)" $((2 * N)) "packets on rx2's wire"
check_eq "$(cap_field cap2 len 1300)" $((2 * N)) "1300-byte packets on rx2's wire"
check_eq "$(cap_field cap2 frag)" 0 "fragments on rx2's wire"

# the PTBs: exactly one per dropped packet, from the router's r0 address
ptb=$(ptb_lines "$PTB")
log "the sender's ICMPv6 (IF SRC DST PROTO HLIM HBH TYPE ...):"$'\n'"$(sort "$TOPO_DIR/ptb.out" | uniq -c)"
check_eq "$ptb" $N "Packet Too Big messages (MTU 1300, quoting ($S, $G))"
check_eq "$(ptb_lines "$PTB && \$2 == \"2001:db8::1\" && \$3 == \"$S\"")" $N \
	"Packet Too Big messages from 2001:db8::1 to $S"
check_eq "$(ptb_lines "\$7 == \"2\"")" $N "Packet Too Big messages in all"
# the router's own 2900-byte datagrams: fragmented at each output's MTU
send - -- --group $G5 --count $N --size $L --iface-addr $R0 --no-df
topo_sync
check_rx $G5 "1=$N 2=$N 3=0"
for k in 1 2; do
	check_eq "$(rx_bad rx$k eth0 $G5)" 0 "rx$k corrupted local datagrams"
	check_eq "$(rx_bytes rx$k eth0 $G5)" $((N * L)) "rx$k local payload bytes"
	check_eq "$(rx_ttls rx$k eth0 $G5)" "63:$N" "rx$k local hop limits"
done
# 2948 bytes: 1248 + 1248 + 412 bytes of fragmentable part at MTU 1300
wait_for -t "$TOPO_WAIT" cap_atleast cap5 frag $((3 * N)) || true
check_eq "$(cap_field cap5 frag)" $((3 * N)) "fragments of local datagrams on rx2's wire"
check_stats drop_mtu=$N
check_eq "$(ptb_lines "\$7 == \"2\"")" $N "Packet Too Big messages in all, after local datagrams"
pass "IPv6 over an output's MTU: dropped there, drop_mtu counted, the sender got $N PTBs (MTU 1300)"
