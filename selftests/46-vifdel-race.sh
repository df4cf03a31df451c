#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# VIF_DEL racing an unresolved flood (review finding 5): pktgen sends a
# continuous flood of 200 unrouted (S,G) into r0 (on CPU 0; a router socket
# has joined 1000 other groups on r0) while r0's VIF is deleted and added
# back 40 times (mfwdctl on CPU 1):
#  - after each "vif del" returns, no packet that arrived on r0 is left in
#    the unresolved queue (unres_packets and unres_entries 0: a packet
#    queued by a hook that looked r0 up just before the delete would stay
#    there with no reference to its device);
#  - then the flood stops, the device r0 is deleted, the same 200 (S,G)
#    arrive on r2 (4 packets each) and their 200 routes (iif r2) are added:
#    exactly those 800 packets are forwarded to the receiver, nothing else
#    (a packet left from r0 would be released with a freed skb->dev), the
#    queue ends empty;
#  - packets that expire are counted (drop_expired), the queue ends empty;
#  - no oops or warning (tools/vm/run checks the kernel log), the module
#    unloads.
# IPv4, then IPv6.  pktgen has no IPv6 source range: the IPv6 flood comes
# from one source to 256 groups (ff0e::5:5:0/120, each drawn at random),
# the router socket joins 1000 IPv6 groups on r0, and the same 256 (S,G)
# from r2 (4 packets each, 1024) come from a raw sender
# (helpers/ctl_mcast.py) and are counted by a receiver that joined all 256
# on c1 (every one forwarded and received once); the expiry step sends 2
# packets to each of 256 other groups.
# timeout: 900
# shellcheck disable=SC2317  # functions run through cwait, ctl_bg, ...
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ctl_lib.sh
. "$(dirname "$0")/helpers/ctl_lib.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
(($(nproc) >= 2)) || skip "needs 2 CPUs"
modprobe pktgen 2>/dev/null || skip "pktgen not available"
ROUNDS=${ROUNDS:-40}
if ((FAM == 6)); then
	# (S6, GF6 + k) and (S6, GE6 + k), k = 0..255
	NSG=256 S6=2001:db8:5::1000 GF=ff0e::5:5:0 GE=ff0e::5:6:0
else
	NSG=200 GF=239.5.5.5 GE=239.5.5.6
fi

ctl_topo 2
# the receiver's capture socket must hold 800 packets released at once
sysctl -qw net.core.netdev_max_backlog=10000 net.core.rmem_max=$((16 << 20)) \
	net.core.rmem_default=$((8 << 20))
rctl config set unres-max 1000 unres-qlen 8 unres-timeout 3600000
kmsg_mark

# pg NS DEV THREAD KEY VALUE...: configure a pktgen device
pg_setup() {
	local ns=$1 dev=$2 t=$3
	shift 3
	# shellcheck disable=SC2016  # the script expands its own arguments
	ip netns exec "$ns" sh -c '
		set -e
		pg() { echo "$2" >"/proc/net/pktgen/$1"; }
		t=$1 dev=$2; shift 2
		[ -e "/proc/net/pktgen/$dev" ] || pg "$t" "add_device $dev"
		pg "$dev" "clone_skb 0"
		while [ $# -ge 2 ]; do pg "$dev" "$1 $2"; shift 2; done
	' pg-setup "$t" "$dev" "$@"
}
# pktgen is per netns: its threads and pgctrl too
pg_start() { ip netns exec "$1" sh -c 'echo start >/proc/net/pktgen/pgctrl'; }
pg_stop() { ip netns exec "$1" sh -c 'echo stop >/proc/net/pktgen/pgctrl'; }
unres_empty() { ctl_stat_is unres_packets 0 && ctl_stat_is unres_entries 0; }
stat_pos() { (($(ctl_stat "$1") > 0)); }

# ---- VIF_DEL / VIF_ADD of r0 under the flood --------------------------------
# A socket on the router joins 1000 groups on r0 (as an IGMP proxy does on
# its upstream interface): the old module walked that membership list for
# every packet between finding the input VIF and queueing, which widens the
# window a VIF_DEL can fall into.
ip netns exec "$RTR" sysctl -qw net.ipv4.igmp_max_memberships=2048
# memberships are socket option memory (net.core.optmem_max: global on 6.1,
# per netns on 6.12)
sysctl -qw net.core.optmem_max=$((1 << 20))
ip netns exec "$RTR" sysctl -qw net.core.optmem_max=$((1 << 20)) 2>/dev/null || true
# shellcheck disable=SC2016  # python code
ctl_bg joins ip netns exec "$RTR" "$CTL_PY" -S -c '
import socket, struct, sys, time
v6 = sys.argv[2] == "6"
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
idx = struct.pack("=i", socket.if_nametoindex("r0"))
for i in range(1000):
    if v6:
        g = socket.inet_pton(socket.AF_INET6, "ff0e::100:%x" % i)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, g + idx)
    else:
        g = socket.inet_aton("239.100.%d.%d" % (i // 256, i % 256))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, g + bytes(4) + idx)
open(sys.argv[1], "w").write("joined\n")
time.sleep(3600)
' "$CTL_TMP/joined" "$FAM"
wait_for -t 60 test -s "$CTL_TMP/joined" || fail "the router socket did not join its 1000 groups"
if ((FAM == 6)); then
	pg_setup "$SRC" s0 kpktgend_0 count 0 pkt_size 100 delay 0 \
		src6 "$S6" dst6_min "$GF" dst6_max "${GF%0}ff" dst_mac 33:33:00:05:00:00
else
	pg_setup "$SRC" s0 kpktgend_0 count 0 pkt_size 100 delay 0 \
		src_min 10.5.0.0 src_max 10.5.0.$((NSG - 1)) dst_min $GF dst_max $GF \
		dst_mac 01:00:5e:05:05:05
fi
ctl_bg flood pg_start "$SRC"
on_exit "pg_stop $SRC 2>/dev/null"
cwait stat_pos unres_packets || fail "the flood does not reach the queue: $(rctl -j stats)"
left=0 first=
for ((i = 1; i <= ROUNDS; i++)); do
	taskset -c 1 ip netns exec "$RTR" "$MFWDCTL" vif del dev r0 ||
		fail "vif del r0 failed in round $i"
	if ((left == 0)); then
		if ! wait_for -t 5 unres_empty; then
			left=$i
			first="round $i: $(ctl_stat unres_packets) packets in $(ctl_stat unres_entries) entries left after 'vif del r0': $(rctl -j stats)"
			log "$first"
		fi
	fi
	taskset -c 1 ip netns exec "$RTR" "$MFWDCTL" vif add dev r0 ||
		fail "vif add r0 failed in round $i"
	wait_for -t 10 stat_pos unres_packets || log "round $i: nothing queued after the VIF came back"
done
rctl vif del dev r0
((left == 0)) || soft fail "$first"
wait_for -t 5 unres_empty || soft fail "after the last 'vif del r0': $(rctl -j stats)"
log "$ROUNDS rounds of vif del/add under the flood; drop_no_vif $(ctl_stat drop_no_vif), drop_queue_full $(ctl_stat drop_queue_full)"
pg_stop "$SRC"
ctl_stop flood
ip -n "$RTR" link del r0
log "device r0 deleted; queue: $(ctl_stat unres_entries) entries, $(ctl_stat unres_packets) packets"

# ---- the same (S,G) from r2, resolved by routes --------------------------------
if ((FAM == 6)); then
	# a socket that joined the 256 groups
	bg_cap() { ctl_recv cap "$RCV1" "$RCV1_IP" $GF "$PORT" --group-count $NSG; }
	cap_pkts() { ctl_rx_count cap; }
else
	bg_cap() {
		: >"$CTL_TMP/cap.out"
		ctl_bg cap ip netns exec "$RCV1" "$CTL_PY" -S "$CTL_HELPERS/pktcap.py" \
			--iface c1 --group $GF --out "$CTL_TMP/cap.out"
		wait_for -t 60 test -s "$CTL_TMP/cap.out" || fail "pktcap did not start"
	}
	cap_pkts() { awk '$1 == "pkts" { print $2 }' "$CTL_TMP/cap.out"; }
fi
bg_cap
fwd0=$(ctl_stat forwarded) exp0=$(ctl_stat drop_expired)
if ((FAM == 6)); then
	ctl_send "$RCV2" --ifaddr "$RCV2_IP" --raw --src "$S6" --group "$GF" --group-count $NSG \
		--count $((4 * NSG)) --size 52 >/dev/null
else
	pg_setup "$RCV2" c2 kpktgend_0 count $((4 * NSG)) pkt_size 100 delay 0 \
		src_min 10.5.0.0 src_max 10.5.0.$((NSG - 1)) dst_min $GF dst_max $GF \
		dst_mac 01:00:5e:05:05:05
	pg_start "$RCV2"
fi
cwait ctl_stat_is unres_packets $((4 * NSG)) ||
	soft fail "unres_packets $(ctl_stat unres_packets) after $((4 * NSG)) packets from r2, expected $((4 * NSG)) (a leftover from r0?)"
soft check_eq "$(ctl_stat unres_entries)" $NSG "unres_entries from r2"
for ((k = 0; k < NSG; k++)); do
	if ((FAM == 6)); then
		printf 'route add group %s%x source %s iif r2 oif r1\n' "${GF%0}" $k "$S6"
	else
		echo "route add group $GF source 10.5.0.$k iif r2 oif r1"
	fi
done >"$CTL_TMP/routes"
rctl -b "$CTL_TMP/routes"
cwait ctl_out_eq $((4 * NSG)) cap_pkts || true
cwait unres_empty || true
soft check_eq "$(cap_pkts)" $((4 * NSG)) "packets the receiver got after the routes were added"
soft check_eq $(($(ctl_stat forwarded) - fwd0)) $((4 * NSG)) "forwarded by the resolves"
soft check_eq "$(ctl_stat unres_packets)/$(ctl_stat unres_entries)" "0/0" "unres_packets/unres_entries after the resolves"
soft check_eq $(($(ctl_stat drop_expired) - exp0)) 0 "drop_expired"

# ---- expiry ---------------------------------------------------------------------
rctl config set unres-timeout 300
if ((FAM == 6)); then
	ctl_send "$RCV2" --ifaddr "$RCV2_IP" --raw --src "$S6" --group "$GE" --group-count $NSG \
		--count $((2 * NSG)) --size 52 >/dev/null
else
	pg_setup "$RCV2" c2 kpktgend_0 count $((2 * NSG)) pkt_size 100 delay 0 \
		src_min 10.5.0.0 src_max 10.5.0.$((NSG - 1)) dst_min $GE dst_max $GE \
		dst_mac 01:00:5e:05:05:06
	pg_start "$RCV2"
fi
cwait ctl_stat_is drop_expired $((exp0 + 2 * NSG)) ||
	soft fail "drop_expired $(ctl_stat drop_expired), expected $((exp0 + 2 * NSG))"
cwait unres_empty || soft fail "queue not empty after expiry: $(rctl -j stats)"

ctl_stop cap
bad=$(kmsg_since_mark | grep -iE 'leak|still in use|refcount|use-after|unregister_netdevice: waiting' || true)
[[ -z $bad ]] || soft fail "suspicious kernel messages:"$'\n'"$bad"
rctl flush all
ip netns del "$RTR"
unload_mfwd
soft_done
ctl_pass "$ROUNDS VIF deletes under an unresolved flood: nothing left queued; device delete + route add clean; module unloads"
