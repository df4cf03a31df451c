#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The unresolved queue when it is full, and in order at resolve; IPv4, then
# IPv6 (the same steps with IPv6 sources, groups and packets: the IPv6
# queue is the same queue, shared by both families):
#  (a) unres-max 8, 12 new (S,G) of one group, 2 packets each: a NOCACHE
#      event (family inet / inet6) for every one of the 12, in order, also
#      while the table is full; the 4 oldest entries are evicted (their 8
#      packets counted in drop_queue_full), so a (*,G) route then delivers
#      the 8 newest entries' packets, oldest entry first, each in order;
#  (b) 600 numbered packets queued, then a numbered flow (one every 5 ms)
#      whose route is added while it runs, stopped a moment before so that
#      it catches up with a burst then: packets that arrive while the queue
#      is being released wait behind it, so the receiver
#      sees every sequence number once, in strictly increasing order.  The
#      route (to r1 and 48 dummy VIFs, so that the release takes a while)
#      is added from CPU 1, the flow is sent from CPU 0, and the receiver
#      takes every packet on CPU 1 (RPS) in the order the router sent it,
#      so a packet forwarded directly on CPU 0 while queued ones are still
#      being released on CPU 1 would overtake them;
#  (c) the module parameter unres_bytes_max bounds the bytes queued in all
#      namespaces together: a second router netns can queue nothing while
#      the first holds the budget, and can again once that is released.
# timeout: 480
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
(($(nproc) >= 2)) || skip "needs 2 CPUs"
# IP + UDP header bytes
HDR=$(fam 28 48)
ctl_topo 1
sysctl -qw net.core.netdev_max_backlog=10000
# the receivers' SO_RCVBUF (4 MiB) must hold a released queue
sysctl -qw net.core.rmem_max=$((8 << 20))
ctl_monitor mon
mon=$CTL_TMP/mon.mon

# ---- (a) a full table evicts its oldest entry, every new (S,G) is told ----
UMAX=8 NEW=12
rctl config set unres-max $UMAX unres-qlen 4 unres-timeout 600000
ctl_recv rx1 "$RCV1" "$RCV1_IP" "$GRP"
for ((i = 1; i <= NEW; i++)); do
	ctl_send "$SRC" --ifaddr "$SRC_IP" --raw --src "$(fam 10.0.1.$((100 + i)) 2001:db8:1::$((100 + i)))" \
		--group "$GRP" --count 2 --start $((i * 100)) >/dev/null
done
cwait ctl_out_eq $NEW grep -c '"event":"nocache"' "$mon" ||
	log "$(grep -c '"event":"nocache"' "$mon") NOCACHE events, expected $NEW"
cwait ctl_stat_is unres_packets $((2 * UMAX)) ||
	log "unres_packets $(ctl_stat unres_packets), expected $((2 * UMAX))"
want_ev=
for ((i = 1; i <= NEW; i++)); do
	want_ev+="{\"event\":\"nocache\",\"family\":\"$FAMNAME\",\"source\":\"$(fam 10.0.1.$((100 + i)) 2001:db8:1::$((100 + i)))\",\"group\":\"$GRP\",\"iif\":\"r0\",\"table\":0}"$'\n'
done
soft check_eq "$(grep '"event":"nocache"' "$mon")" "${want_ev%$'\n'}" \
	"NOCACHE events, one per new (S,G), in order"
soft check_eq "$(ctl_stat unres_entries)" $UMAX "unres_entries (unres-max)"
soft check_eq "$(ctl_stat unres_packets)" $((2 * UMAX)) "unres_packets"
soft check_eq "$(ctl_stat drop_queue_full)" $((2 * (NEW - UMAX))) \
	"drop_queue_full: the evicted entries' packets"
rctl route add group "$GRP" iif r0 oif r1
want=
for ((i = NEW - UMAX + 1; i <= NEW; i++)); do want+="$((i * 100)) $((i * 100 + 1)) "; done
want=${want% }
cwait ctl_rx_count_is rx1 $((2 * UMAX)) || true
soft check_eq "$(ctl_rx_seqs rx1)" "$want" \
	"(*,G) resolve: the $UMAX newest entries, oldest first, each in order"
soft check_eq "$(ctl_stat unres_entries)" 0 "unres_entries after the (*,G) route"
log "(a) $NEW new (S,G) with unres-max $UMAX: $(grep -c '"event":"nocache"' "$mon") NOCACHE events, received: $(ctl_rx_seqs rx1)"
ctl_stop rx1

# ---- (b) strict order at resolve, with the flow still arriving -------------
G2=$(fam 239.1.2.9 ff0e::1:2:9)
rctl config set unres-max 64 unres-qlen 1024
# every packet reaching c1 is received on CPU 1, in the order the router
# sent it, whichever CPU sent it (CPU 0 stays free for the sender)
ip netns exec "$RCV1" sh -c 'echo 2 >/sys/class/net/c1/queues/rx-0/rps_cpus' ||
	skip "cannot set RPS on c1"
ctl_recv rx2 "$RCV1" "$RCV1_IP" "$G2" 5002
full0=$(ctl_stat drop_queue_full)
# The route also goes to 48 dummy VIFs: releasing the queue then takes long
# enough (a copy per output) that the other CPU gets to run meanwhile (TCG
# runs one vCPU at a time, switching every 100 ms).
ndum=48 oifs=(oif r1)
for ((k = 0; k < ndum; k++)); do
	ip -n "$RTR" link add "d$k" type dummy
	ip -n "$RTR" link set "d$k" up
	echo "vif add dev d$k"
	oifs+=(oif "d$k")
done >"$CTL_TMP/dummies"
rctl -b "$CTL_TMP/dummies"
# 600 queued first, then a numbered flow (one every 5 ms, seq 600 on) that
# queues behind them; 600 + 400 packets fit the queue (1024), whenever the
# route comes.  Once the flow is queued it is stopped, then let go right as
# the route is added: it catches up on its schedule with a burst that
# arrives while the queue is being released.
B=600 M=400
ctl_send "$SRC" --ifaddr "$SRC_IP" --src "$SRC_IP" --group "$G2" --port 5002 \
	--count $B --start 0 --interval 0.001 >/dev/null
cwait ctl_stat_is unres_packets $B || fail "the first $B packets are not queued: $(rctl -j stats)"
ctl_bg flow taskset -c 0 ip netns exec "$SRC" "$CTL_PY" -S "$CTL_HELPERS/ctl_mcast.py" \
	send --ifaddr "$SRC_IP" --src "$SRC_IP" --group "$G2" --port 5002 \
	--start $B --count $M --interval 0.005 >"$CTL_TMP/flow.out" 2>&1
cwait ctl_out_ge $((B + 10)) ctl_stat unres_packets || fail "the flow is not queued: $(rctl -j stats)"
kill -STOP "${CTL_PID[flow]}"
q=$(ctl_stat unres_packets)
kill -CONT "${CTL_PID[flow]}"
taskset -c 1 ip netns exec "$RTR" "$MFWDCTL" route add group "$G2" source "$SRC_IP" iif r0 "${oifs[@]}" ||
	fail "route add failed"
log "(b) route to $((ndum + 1)) outputs added with $q packets queued, the flow catching up"
((q < B + M)) || log "note: the whole flow was queued before the route came: nothing arrived during the release"
(($(ctl_stat drop_queue_full) == full0)) ||
	fail "(b) packets dropped before the route was added: $(rctl -j stats)"
wait "${CTL_PID[flow]}" || fail "the sender failed: $(cat "$CTL_TMP/flow.out")"
read -r _ n2 _ <"$CTL_TMP/flow.out"
sent=$((B + n2))
cwait ctl_rx_count_is rx2 "$sent" || true
seqs=$(ctl_rx_seqs rx2)
got=$(wc -w <<<"$seqs")
if ((FAM == 6)); then
	udp_rx() { ip netns exec "$RCV1" grep -E '^Udp6(InDatagrams|InErrors|RcvbufErrors) ' /proc/net/snmp6 | xargs; }
else
	udp_rx() { ip netns exec "$RCV1" grep '^Udp:' /proc/net/snmp | tail -n 1; }
fi
log "(b) sent $sent, received $got; receiver's Udp: $(udp_rx)"
soft check_eq "$(ctl_stat drop_queue_full)" "$full0" "drop_queue_full during the flow"
soft check_eq "$got" "$sent" "datagrams received"
soft check_eq "$(tr ' ' '\n' <<<"$seqs" | sort -n | uniq -d | xargs)" "" "duplicates"
if [[ $seqs != "$(seq 0 $((sent - 1)) | xargs)" ]]; then
	bad=$(tr ' ' '\n' <<<"$seqs" | awk 'NR > 1 && $1 <= p { printf "%s after %s; ", $1, p } { p = $1 }')
	soft fail "not in strict order: ${bad:-(gaps only)}"
fi
soft check_eq "$(ctl_route_field "$G2" "$SRC_IP" packets)" "$sent" "route packets"
soft check_eq "$(ctl_stat unres_packets)" 0 "unres_packets after the flow"
ctl_stop rx2

# ---- (c) a global bound on the bytes queued ---------------------------------
P=/sys/module/mfwd/parameters/unres_bytes_max
if [[ ! -w $P ]]; then
	soft fail "no writable module parameter unres_bytes_max"
else
	orig=$(cat $P)
	on_exit "echo $orig >$P"
	BMAX=65536 SIZE=1000
	echo $BMAX >$P
	RTR2=ctl-rtr2 SRC2=ctl-src2
	ns_create "$RTR2" "$SRC2"
	veth_pair "$SRC2" t0 "$(ctl_addrs 9 2)" "$RTR2" q0 "$(ctl_addrs 9 1)"
	SRC2_IP=$(fam 10.0.9.2 2001:db8:9::2)
	ip -n "$RTR2" link add q1 type dummy
	ip -n "$RTR2" link set q1 up
	ip netns exec "$RTR2" "$MFWDCTL" vif add dev q0
	ip netns exec "$RTR2" "$MFWDCTL" vif add dev q1
	ip netns exec "$RTR2" "$MFWDCTL" config set unres-max 1024 unres-qlen 1024 unres-timeout 600000
	rctl config set unres-max 1024 unres-qlen 1024 unres-timeout 600000
	stat2() { ip netns exec "$RTR2" "$MFWDCTL" -j stats | jq -e ".$1"; }
	G3=$(fam 239.1.3.3 ff0e::1:3:3)
	# 200 packets of $SIZE bytes in the first router: more than the budget
	full1=$(ctl_stat drop_queue_full)
	ctl_send "$SRC" --ifaddr "$SRC_IP" --src "$SRC_IP" --group "$G3" --count 200 --size $SIZE >/dev/null
	cwait ctl_out_eq 200 sh -c "echo \$((\$(ip netns exec $RTR $MFWDCTL -j stats | jq '.unres_packets + .drop_queue_full') - $full1))" ||
		log "router 1: unres_packets $(ctl_stat unres_packets) + drop_queue_full $(($(ctl_stat drop_queue_full) - full1)) != 200"
	q1=$(ctl_stat unres_packets)
	log "(c) unres_bytes_max $BMAX: router 1 queued $q1 packets of $((SIZE + HDR)) bytes"
	((q1 >= 1 && q1 * (SIZE + HDR) <= BMAX)) ||
		soft fail "router 1 queued $q1 packets of $((SIZE + HDR)) bytes with unres_bytes_max $BMAX"
	# the second router cannot queue while the first holds the budget
	ip netns exec "$SRC2" "$CTL_PY" -S "$CTL_HELPERS/ctl_mcast.py" send --ifaddr "$SRC2_IP" \
		--src "$SRC2_IP" --group "$G3" --count 5 --size $SIZE >/dev/null
	cwait ctl_out_eq 5 sh -c "ip netns exec $RTR2 $MFWDCTL -j stats | jq '.unres_packets + .drop_queue_full'" ||
		log "router 2: unres_packets $(stat2 unres_packets), drop_queue_full $(stat2 drop_queue_full)"
	soft check_eq "$(stat2 unres_packets)" 0 "router 2 queued packets while router 1 holds the budget"
	# router 1's queue released: router 2 can queue again
	rctl route add group "$G3" source "$SRC_IP" iif r0 oif r1
	cwait ctl_stat_is unres_packets 0 || log "router 1: unres_packets $(ctl_stat unres_packets) after its route"
	ip netns exec "$SRC2" "$CTL_PY" -S "$CTL_HELPERS/ctl_mcast.py" send --ifaddr "$SRC2_IP" \
		--src "$SRC2_IP" --group "$G3" --count 5 --size $SIZE --start 10 >/dev/null
	cwait ctl_out_eq 5 stat2 unres_packets ||
		soft fail "router 2 queued $(stat2 unres_packets) of 5 packets after router 1's queue was released"
	ip netns exec "$RTR2" "$MFWDCTL" flush all
fi

((${#SOFT_ERRS[@]} == 0)) || log "events:"$'\n'"$(cat "$mon")"
soft_done
ctl_pass "full table: NOCACHE for all $NEW, oldest evicted; $sent packets in order across the resolve; bytes bounded"
