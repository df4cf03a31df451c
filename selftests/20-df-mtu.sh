#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# DF and MTU: r2 (and rx2's end) has MTU 600.  DF packets larger than 600
# bytes are not sent out of r2 (counted in stats drop_mtu) but reach rx1
# and rx3; a DF packet of exactly 600 bytes passes.  Without DF a 1000-byte
# packet is fragmented on r2 (2 fragments on the wire, good checksums) and
# rx2's socket gets it reassembled and intact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

G=239.1.10.1 S=10.0.0.2 N=6

topo_init 3
ip link set r2 mtu 600
ip -n rx2 link set eth0 mtu 600
topo_mfwd
mf route add group $G source $S iif r0 oif r1 oif r2 oif r3
rx_start_all $G
cap_start cap2 rx2 eth0 $G

# IP total length = size + 28
send -- --group $G --count $N --size 972 --df		# 1000, DF
topo_sync
check_rx $G "1=$N 2=0 3=$N"
check_stats drop_mtu=$N copies=$((2 * N)) forwarded=$N
check_vifs r2.pkts_out=0 r1.pkts_out=$N

send -- --group $G --count $N --size 572 --df		# 600, DF: fits
send -- --group $G --count $N --size 573 --df		# 601, DF
topo_sync
check_rx $G "1=$((3 * N)) 2=$N 3=$((3 * N))"
check_stats drop_mtu=$((2 * N)) copies=$((7 * N)) forwarded=$((3 * N))
wait_for -t "$TOPO_WAIT" test "$(cap_field cap2 pkts)" -ge $N || true
check_eq "$(cap_field cap2 pkts)" $N "packets on rx2's wire"
check_eq "$(cap_field cap2 len 600)" $N "600-byte packets on rx2's wire"

send -- --group $G --count $N --size 972 --no-df	# 1000, fragmented on r2
topo_sync
check_rx $G "1=$((4 * N)) 2=$((2 * N)) 3=$((4 * N))"
check_eq "$(rx_bad rx2 eth0 $G)" 0 "rx2 corrupted (reassembled) payloads"
check_eq "$(rx_bytes rx2 eth0 $G)" $((N * 572 + N * 972)) "rx2 payload bytes"
check_eq "$(rx_ttls rx2 eth0 $G)" "63:$((2 * N))" "rx2 TTLs"
check_stats drop_mtu=$((2 * N)) copies=$((10 * N)) forwarded=$((4 * N))
check_vifs r2.pkts_out=$((2 * N))
wait_for -t "$TOPO_WAIT" test "$(cap_field cap2 pkts)" -ge $((3 * N)) || true
check_eq "$(cap_field cap2 frag)" $((2 * N)) "fragments on rx2's wire"
check_eq "$(cap_field cap2 pkts)" $((3 * N)) "packets + fragments on rx2's wire"
check_eq "$(cap_field cap2 csum_bad)" 0 "bad IP checksums on rx2's wire"
check_eq "$(cap_field cap2 df)" $N "DF packets on rx2's wire"
pass "DF over MTU dropped on the small-MTU output only; non-DF fragmented"
