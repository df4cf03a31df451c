#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Martian sources are left to the stack (which drops them), as ipmr never
# sees them: packets from 0.0.0.0, 127/8, 255.255.255.255 and multicast
# sources (those of the stack's ip_mc_validate_source(); on 6.1 and 6.12
# ipv4_is_zeronet() is 0.0.0.0 alone, the rest of 0.0.0.0/8 is a valid
# source, which ipmr forwards), crafted in the source netns (AF_PACKET, every header
# byte ours), to a group with a (*,G) route and to a group without a route,
# are never forwarded (nothing on the receivers' wire), raise no NOCACHE,
# create no unresolved entry and leave the forwarding counters alone.  A
# packet from a real source to each group, sent after them the same way,
# is forwarded and raises its NOCACHE (so the martians were processed, and
# the monitor works).  A NOCACHE for (0.0.0.0,G) would be worst: a
# controller that installs the (S,G) it is told about installs a (*,G).
# timeout: 600
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

G1=239.5.1.1 G2=239.5.2.2 S=10.0.0.2 K=5

# shellcheck disable=SC2317  # called through wait_for
cap_atleast() { (($(cap_field "$1" "$2") >= $3)); }
MARTIANS="0.0.0.0 127.0.0.1 127.9.9.9 255.255.255.255 224.1.1.1 239.9.9.9"

topo_init 2
topo_mfwd
mf config set unres-timeout 600000
mf route add group $G1 iif r0 oif r1 oif r2
ev_monitor mon
rx_start_all $G1 $G2
for k in 1 2; do cap_start cap$k rx$k eth0 $G1; done

# K packets from each martian source to each group, one sender run, then
# one packet from S to each group (TTL 64, UDP, mcsend.py's payload)
args=() seq=0
for m in $MARTIANS; do
	for g in $G1 $G2; do
		args+=(--ifname eth0 --src "$m" --group "$g" --count "$K" --start "$seq" --next)
		seq=$((seq + 100))
	done
done
args+=(--ifname eth0 --src "$S" --group "$G1" --count 1 --start 9000 --next)
args+=(--ifname eth0 --src "$S" --group "$G2" --count 1 --start 9100)
ns_exec src python3 "$TOPO_HELPERS/rawsend.py" "${args[@]}" >/dev/null ||
	fail "rawsend.py failed"
wait_rx rx1 eth0 $G1 1
wait_rx rx2 eth0 $G1 1
topo_sync
ev_sync mon
for k in 1 2; do
	wait_for -t "$TOPO_WAIT" cap_atleast cap$k pkts 1 ||
		fail "capture cap$k never saw the packet from $S"
done

nm=$(wc -w <<<"$MARTIANS")
log "sent $((nm * 2 * K)) martian packets ($nm sources x 2 groups x $K), then 1 from $S to each group"
for k in 1 2; do
	soft check_eq "$(cap_field cap$k pkts)" 1 "rx$k: packets of $G1 on the wire (the one from $S)"
	soft check_eq "$(rx_srcs rx$k eth0 $G1)" "$S:1" "rx$k: sources of $G1 received"
done
soft check_route $G1 '*' packets=1 wrong_if=0
soft check_stats forwarded=1 copies=2 unres_entries=1 unres_packets=1 \
	drop_queue_full=0 drop_rpf=0 drop_no_vif=0 drop_expired=0
soft check_eq "$(ev_count mon '"event":"nocache"')" 1 "NOCACHE events"
soft check_eq "$(ev_count mon "^\\{\"event\":\"nocache\",\"family\":\"inet\",\"source\":\"$S\",\"group\":\"$G2\",\"iif\":\"r0\",\"table\":0\\}$")" 1 \
	"NOCACHE ($S,$G2)"
log "r0 pkts_in $(vif_field r0 pkts_in) (not asserted)"
((${#SOFT_ERRS[@]} == 0)) || log "events:"$'\n'"$(ev_show mon)"$'\n'"$("$MFWDCTL" -j stats)"
soft_done
pass "$((nm * 2 * K)) packets from $nm martian sources: none forwarded, no NOCACHE, no unresolved entry"
