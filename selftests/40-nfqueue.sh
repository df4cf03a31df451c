#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# NFQUEUE in front of mfwd: an "iptables -t mangle -A PREROUTING -j NFQUEUE"
# rule (IPv6: ip6tables, for ff0e::/16) on the router queues the multicast
# arriving on r0 to a userspace
# verdict program (C, libnetfilter_queue, helpers/nfq_accept.c) that
# accepts everything, like an inline IPS.  The reinjected packets run the
# rest of PRE_ROUTING, mfwd included, in the program's sendmsg(): process
# context with BH enabled (review finding 4).
#  (1) a routed (S,G) to 3 receivers and an unrouted group (queued): every
#      packet is verdicted once and reaches mfwd once; the routed one is
#      delivered exactly once to each receiver with TTL-1; the other is
#      queued and delivered when its route is added; counters exact;
#  (2) a flood of 20,000 distinct unrouted (S,G) (pktgen: 1000 sources,
#      21 groups) through the queue, with the shortest entry lifetime
#      (100 ms) and room for 1024 entries: every packet creates an entry
#      (under the unresolved queue's lock, in the verdict program), and
#      entries expire on every timer tick, in a softirq on the same CPU
#      (CPU 0: pktgen, the queue and the program) that takes the same lock.
#      No hang (the old module, BH enabled there, could deadlock), every
#      packet that reached mfwd is accounted for (expired or dropped), the
#      routed flow still works.  IPv6: pktgen has no IPv6 source range, so
#      the flood comes from one source to groups drawn at random from 2^32
#      (ff0e::7:X:X): practically every packet a new (S,G) too.
# IPv4, then IPv6 (the same verdict program, the same steps and counts).
# On a debug kernel the lockdep/preemption checks would report the old
# module here too; tools/vm/run fails the test on any splat.
# timeout: 600
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
IPT=$(fam iptables ip6tables)
require_cmd "$IPT"
[[ -f /usr/include/libnetfilter_queue/libnetfilter_queue.h ]] ||
	skip "libnetfilter-queue-dev not installed"
modprobe nfnetlink_queue 2>/dev/null || skip "nfnetlink_queue not available"

G1=$(fam 239.8.1.1 ff0e::8:1:1) G2=$(fam 239.8.2.2 ff0e::8:2:2) S=$(fam 10.0.0.2 "$TOPO_SRC6")
N=100 SIZE=200
LEN=$((SIZE + $(fam 28 48)))
NFQ=$(helper_bin nfq_accept "$TOPO_DIR" -lnetfilter_queue)

nfq_field() { awk -v k="$1" '$1 == k && NF == 2 { n = $2 } END { print n + 0 }' "$TOPO_DIR/nfq.cnt"; }
nfq_group() { awk -v g="$1" '$1 == "group" && $2 == g { n = $3 } END { print n + 0 }' "$TOPO_DIR/nfq.cnt"; }
# shellcheck disable=SC2317  # called through wait_for
nfq_atleast() { (($(nfq_field accepted) >= $1)); }
# /proc/net/netfilter/nfnetlink_queue of queue 0: total waiting, dropped
# (queue full), user dropped (netlink send failed)
nfq_proc() {
	awk -v f="$1" '$1 == 0 { if (f == "total") print $3; else if (f == "dropped") print $6; else print $7 }' \
		/proc/net/netfilter/nfnetlink_queue
}
# shellcheck disable=SC2317
nfq_idle() { [[ $(nfq_proc total) == 0 ]]; }

topo_init 3
topo_mfwd
mf config set unres-qlen 128 unres-timeout 600000
mf route add group "$G1" source "$S" iif r0 oif r1 oif r2 oif r3

"$IPT" -t mangle -A PREROUTING -i r0 -d "$(fam 224.0.0.0/4 ff0e::/16)" -j NFQUEUE --queue-num 0 ||
	skip "$IPT NFQUEUE rule refused"
on_exit "$IPT -t mangle -F PREROUTING"
: >"$TOPO_DIR/nfq.cnt"
bg_start "$TOPO_DIR/nfq.log" - "$NFQ" -q 0 -c 0 -o "$TOPO_DIR/nfq.cnt" -r "$TOPO_DIR/nfq.ready"
NFQ_PID=$BG_PID
on_exit "kill $NFQ_PID"
wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/nfq.ready" ||
	fail "verdict program did not start: $(cat "$TOPO_DIR/nfq.log")"
rx_start_all "$G1" "$G2"

# ---- (1) exact delivery through the queue ------------------------------------
send -- --group "$G1" --group "$G2" --count $N --size $SIZE --ttl 64
wait_for -t 60 nfq_atleast $((2 * N)) ||
	fail "the verdict program accepted $(nfq_field accepted) of $((2 * N)) packets: $(cat "$TOPO_DIR/nfq.cnt")"
for k in 1 2 3; do wait_rx rx$k eth0 "$G1" $N; done
topo_sync	# the verdict program runs on CPU 0: copies went through its backlog
check_eq "$(nfq_field accepted)" $((2 * N)) "packets verdicted"
check_eq "$(nfq_group "$G1") $(nfq_group "$G2")" "$N $N" "packets verdicted per group"
check_eq "$(nfq_field verdict_errors) $(nfq_field recv_errors)" "0 0" "verdict and receive errors"
check_eq "$(nfq_proc dropped) $(nfq_proc user)" "0 0" "NFQUEUE queue_dropped, user_dropped"
check_rx "$G1" "1=$N 2=$N 3=$N"
check_rx "$G2" "1=0 2=0 3=0"
for k in 1 2 3; do
	check_eq "$(rx_ttls rx$k eth0 "$G1")" "63:$N" "rx$k TTLs (sent 64)"
	check_eq "$(rx_bad rx$k eth0 "$G1")" 0 "rx$k corrupted payloads"
done
check_route "$G1" "$S" family=$FAMNAME packets=$N bytes=$((N * LEN)) wrong_if=0
check_vifs r0.pkts_in=$((2 * N)) r1.pkts_out=$N r2.pkts_out=$N r3.pkts_out=$N
check_stats forwarded=$N copies=$((3 * N)) unres_entries=1 unres_packets=$N \
	drop_queue_full=0 drop_rpf=0 drop_ttl=0 drop_nomem=0 drop_no_vif=0
log "(1) $((2 * N)) packets through NFQUEUE: $N forwarded x3, $N queued"

# the queued packets (queued from process context) released by a route
mf route add group "$G2" iif r0 oif r1 oif r2
for k in 1 2; do wait_rx rx$k eth0 "$G2" $N; done
topo_sync
check_rx "$G2" "1=$N 2=$N 3=0"
for k in 1 2; do check_eq "$(rx_ttls rx$k eth0 "$G2")" "63:$N" "rx$k TTLs of $G2"; done
check_stats forwarded=$((2 * N)) copies=$((5 * N)) unres_entries=0 unres_packets=0 \
	drop_queue_full=0
# and straight through, both routed now
send -- --group "$G1" --group "$G2" --count $N --size $SIZE --ttl 64
wait_for -t 60 nfq_atleast $((4 * N)) || fail "verdicts: $(cat "$TOPO_DIR/nfq.cnt")"
for k in 1 2 3; do wait_rx rx$k eth0 "$G1" $((2 * N)); done
topo_sync
check_rx "$G1" "1=$((2 * N)) 2=$((2 * N)) 3=$((2 * N))"
check_rx "$G2" "1=$((2 * N)) 2=$((2 * N)) 3=0"
check_eq "$(nfq_field accepted)" $((4 * N)) "packets verdicted"
check_stats forwarded=$((4 * N)) copies=$((10 * N)) unres_entries=0
log "(1) queued packets released, routed ones forwarded, every one once"

# shellcheck disable=SC2317  # called through wait_for
stat_is() { [[ $(stats_field "$1") == "$2" ]]; }

# ---- (2) a flood of misses through the queue, short lifetimes ------------------
modprobe pktgen 2>/dev/null || skip "pktgen not available"
mf config set unres-max 1024 unres-qlen 4 unres-timeout 100
st0=$("$MFWDCTL" -j stats)
in0=$(vif_field r0 pkts_in) acc0=$(nfq_field accepted)
if ((FAM == 6)); then
	pg_args=("pkt_size 80" "src6 2001:db8:7::1" "dst6_min ff0e::7:0:0"
		"dst6_max ff0e::7:ffff:ffff" "dst_mac 33:33:00:07:00:00")
else
	pg_args=("pkt_size 60" "src_min 10.7.0.0" "src_max 10.7.3.231" "dst_min 239.7.0.0"
		"dst_max 239.7.0.20" "dst_mac 01:00:5e:07:00:00")
fi
# shellcheck disable=SC2016  # the script expands its own variables
ns_exec src sh -c '
	set -e
	pg() { echo "$2" >"/proc/net/pktgen/$1"; }
	[ -e /proc/net/pktgen/eth0 ] || pg kpktgend_0 "add_device eth0"
	pg eth0 "clone_skb 0"
	pg eth0 "count 20000"
	pg eth0 "delay 0"
	for a in "$@"; do pg eth0 "$a"; done
	pg pgctrl start
	grep -q "^Result: OK" /proc/net/pktgen/eth0 || { cat /proc/net/pktgen/eth0 >&2; exit 1; }
' pg "${pg_args[@]}" || fail "pktgen failed"
wait_for -t 120 nfq_idle || fail "NFQUEUE still holds $(nfq_proc total) packets"
wait_for -t 30 stat_is unres_entries 0 ||
	fail "unresolved entries left after their 100 ms lifetime: $("$MFWDCTL" -j stats)"
in1=$(vif_field r0 pkts_in)
# the counts file trails the verdicts by up to 100 ms
# shellcheck disable=SC2317  # called through wait_for
nfq_is() { (($(nfq_field accepted) == $1)); }
wait_for -t 10 nfq_is $((acc0 + in1 - in0)) || true
acc1=$(nfq_field accepted)
st1=$("$MFWDCTL" -j stats)
d() { echo $(($(jsel "d[\"$1\"]" <<<"$st1") - $(jsel "d[\"$1\"]" <<<"$st0"))); }
log "(2) 20000 sent: $((acc1 - acc0)) verdicted, NFQUEUE dropped $(nfq_proc dropped)/$(nfq_proc user);" \
	"r0 pkts_in +$((in1 - in0)), drop_expired +$(d drop_expired), drop_queue_full +$(d drop_queue_full)," \
	"NOCACHE events sent +$(d events_sent) dropped +$(d events_dropped)"
((acc1 - acc0 >= 1000)) || fail "only $((acc1 - acc0)) flood packets were verdicted"
check_eq $((in1 - in0)) $((acc1 - acc0)) "packets reaching mfwd vs packets verdicted"
check_eq $(($(d drop_expired) + $(d drop_queue_full))) $((in1 - in0)) \
	"drop_expired + drop_queue_full vs flood packets that reached mfwd"
check_eq "$(d forwarded)" 0 "forwarded during the flood"

# the routed flow still works
n1=$(rx_count rx1 eth0 "$G1")
send -- --group "$G1" --count 10 --size $SIZE --ttl 64
for k in 1 2 3; do wait_rx rx$k eth0 "$G1" $((n1 + 10)); done
topo_sync
check_rx "$G1" "1=$((n1 + 10)) 2=$((n1 + 10)) 3=$((n1 + 10))"
pass "NFQUEUE-reinjected packets forwarded/queued exactly once; a flood of misses through the queue accounted, no hang"
