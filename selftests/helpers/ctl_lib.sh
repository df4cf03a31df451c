# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/helpers/ctl_lib.sh - setup shared by the controller-channel
# tests (selftests/30-39).  Source it after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/helpers/ctl_lib.sh"
#
# Topology (ctl_topo [NRCV]), every host in its own netns:
#
#   $SRC  s0 10.0.1.2/24 --- r0 10.0.1.1/24  $RTR  r1 10.0.2.1/24 --- c1 10.0.2.2/24  $RCV1
#                                                 r2 10.0.3.1/24 --- c2 10.0.3.2/24  $RCV2
#
# mfwd is loaded and r0, r1 (and r2) are VIFs of $RTR.
#
# Address families: a test that calls lib.sh's "families 4 6" runs once
# per family; in its IPv6 run (MFWD_FAMILY=6) every link also has IPv6
# addresses (no DAD): s0 2001:db8:1::2/64 - r0 2001:db8:1::1/64, r1
# 2001:db8:2::1/64 - c1 2001:db8:2::2/64, r2 2001:db8:3::1/64 - c2
# 2001:db8:3::2/64, and SRC_IP, RCV1_IP, RCV2_IP, R0_IP, R1_IP, R2_IP and
# GRP (ff0e::1:2:3) are the IPv6 ones.  $FAM is 4 or 6, $FAMNAME "inet" or
# "inet6" (as in JSON), "fam V4 V6" prints the run's value (as topo.sh).
# ctl_mcast.py and ctl_genl.py take and print either family.
#
# Helpers:
#   ctl_pass MSG               pass MSG, with the test's run time in the VM
#   cwait CMD...               wait_for with a timeout of $CTL_WAIT s (30):
#                              under TCG on a loaded host 10 s is short
#   ctl_out_eq VALUE CMD...    CMD prints VALUE (to poll with cwait)
#   ctl_out_ge VALUE CMD...    CMD prints a number >= VALUE
#   rctl ARGS...               mfwdctl in $RTR
#   ctl_stat NAME              one counter of "mfwdctl -j stats" in $RTR
#   ctl_stat_is NAME VALUE     ctl_stat NAME == VALUE (for wait_for)
#   ctl_json_num JSON KEY      the number after "KEY": in JSON
#   ctl_route_field G S FIELD  a numeric field of "mfwdctl -j route get"
#   ctl_bg NAME CMD...         run CMD in the background, killed on exit;
#                              its pid is in CTL_PID[NAME]
#   ctl_stop NAME              SIGTERM the background job NAME, wait for it
#   ctl_recv NAME NS IFADDR GROUP [PORT [ARGS...]]
#                              start a receiver writing $CTL_TMP/NAME.rx
#                              ("<seq> <ttl> <len>" per datagram), wait
#                              until it has joined; ARGS go to
#                              "ctl_mcast.py recv" (--group-count K)
#   ctl_send NS ARGS...        ctl_mcast.py send ARGS in NS, by a sender
#                              process per NS (started on first use) that
#                              takes requests over a FIFO: no python
#                              start-up per send; prints the send's output
#   ctl_rx_seqs NAME           the sequence numbers NAME received, one line
#   ctl_rx_count NAME          how many datagrams NAME received
#   ctl_monitor NAME [ARGS]    "mfwdctl -j monitor ARGS" in $RTR into
#                              $CTL_TMP/NAME.mon, returns once it is
#                              subscribed (the file is empty then)
#   ctl_sync FILE PATTERN      add and delete a VIF on a dummy device until
#                              PATTERN shows in FILE (written by an event
#                              listener), then empty FILE
#   ctl_mark FILE              add and delete a marker route in $RTR
#                              (239.255.0.N or ff0e::ff:N, iif r0) and wait
#                              until the monitor writing FILE shows its
#                              route_del: every event sent before is in FILE
#   ctl_listen NAME [NS]       ctl_genl.py listen in NS (default $RTR) into
#                              $CTL_TMP/NAME.ev, returns once subscribed
#   ctl_count FILE JQ-FILTER   number of JSON lines in FILE matching a jq
#                              select() condition
#   ctl_pktgen NS DEV ARGS...  configure and run pktgen on DEV in NS
#                              (key value pairs, see ctl_pktgen below)
#   ctl_addrs NET HOST         veth_pair addresses 10.0.NET.HOST/24 (IPv6
#                              run: and 2001:db8:NET::HOST/64)

# shellcheck disable=SC2034  # the variables are for the tests sourcing this
CTL_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CTL_PY=${CTL_PY:-$(command -v /usr/bin/python3 || command -v python3)}
CTL_TMP=$(mktemp -d /tmp/mfwd-ctl.XXXXXX)
on_exit "rm -rf '$CTL_TMP'"
# shellcheck disable=SC2016  # expanded when it runs
on_exit 'for f in "$CTL_TMP"/send-*.pid; do [[ -f $f ]] && kill "$(cat "$f")"; done'

FAM=${MFWD_FAMILY:-4}
if ((FAM == 6)); then FAMNAME=inet6; else FAMNAME=inet; fi
fam() { if ((FAM == 6)); then echo "$2"; else echo "$1"; fi; }

SRC=ctl-src RTR=ctl-rtr RCV1=ctl-rcv1 RCV2=ctl-rcv2
if ((FAM == 6)); then
	SRC_IP=2001:db8:1::2 RCV1_IP=2001:db8:2::2 RCV2_IP=2001:db8:3::2
	R0_IP=2001:db8:1::1 R1_IP=2001:db8:2::1 R2_IP=2001:db8:3::1
	GRP=ff0e::1:2:3
else
	SRC_IP=10.0.1.2 RCV1_IP=10.0.2.2 RCV2_IP=10.0.3.2
	R0_IP=10.0.1.1 R1_IP=10.0.2.1 R2_IP=10.0.3.1
	GRP=239.1.2.3
fi
PORT=5001

declare -A CTL_PID=()
CTL_WAIT=${CTL_WAIT:-30}

cwait() { wait_for -t "$CTL_WAIT" "$@"; }
ctl_pass() { pass "$* [${SECONDS}s in the VM]"; }
ctl_out_eq() { local v=$1; shift; [[ $("$@") == "$v" ]]; }
ctl_out_ge() { local v=$1 o; shift; o=$("$@") && ((o >= v)); }

rctl() { ip netns exec "$RTR" "$MFWDCTL" "$@"; }

# ctl_json_num JSON KEY: the number after "KEY": in JSON (no jq start-up)
ctl_json_num() {
	[[ $1 =~ \"$2\":(-?[0-9]+) ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

ctl_stat() {
	local out
	out=$(rctl -j stats) || return 1
	ctl_json_num "$out" "$1"
}

# The counters are read with one mfwdctl call and grep (no jq start-up):
# these are polled.
ctl_stat_is() {
	local out
	out=$(rctl -j stats) || return 1
	[[ $out == *"\"$1\":$2,"* || $out == *"\"$1\":$2}"* ]]
}

ctl_route_field() {	# G S|* FIELD (a numeric field)
	local out
	out=$(rctl -j route get group "$1" source "$2") || return 1
	ctl_json_num "$out" "$3"
}

ctl_bg() {
	local name=$1
	shift
	"$@" &
	CTL_PID[$name]=$!
	on_exit "kill ${CTL_PID[$name]} 2>/dev/null; wait ${CTL_PID[$name]} 2>/dev/null"
}

ctl_stop() {
	local pid=${CTL_PID[$1]}
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

ctl_recv() {
	local name=$1 ns=$2 ifaddr=$3 group=$4 port=${5:-$PORT}
	shift $(($# < 5 ? $# : 5))
	: >"$CTL_TMP/$name.rx"
	rm -f "$CTL_TMP/$name.ready"
	ctl_bg "$name" ip netns exec "$ns" "$CTL_PY" -S "$CTL_HELPERS/ctl_mcast.py" \
		recv --group "$group" --port "$port" --ifaddr "$ifaddr" \
		--out "$CTL_TMP/$name.rx" --ready "$CTL_TMP/$name.ready" "$@" \
		2>"$CTL_TMP/$name.err"
	wait_for -t 60 test -s "$CTL_TMP/$name.ready" ||
		fail "receiver $name did not start: $(cat "$CTL_TMP/$name.err")"
}

ctl_send() {
	local ns=$1 fifo out n line
	shift
	fifo=$CTL_TMP/send-$ns.fifo out=$CTL_TMP/send-$ns.out
	# (no shell variables: this may run in a command substitution)
	if [[ ! -p $fifo ]]; then
		mkfifo "$fifo"
		: >"$out"
		ip netns exec "$ns" "$CTL_PY" -S "$CTL_HELPERS/ctl_mcast.py" serve \
			--fifo "$fifo" --out "$out" </dev/null >/dev/null \
			2>"$CTL_TMP/send-$ns.err" &
		echo $! >"$CTL_TMP/send-$ns.pid"
	fi
	n=$(grep -c '' "$out" || true)
	{ printf '%q ' "$@"; echo; } >"$fifo"
	wait_for -t 120 ctl_out_ge $((n + 1)) grep -c '' "$out" ||
		fail "sender in $ns did not answer: $(cat "$CTL_TMP/send-$ns.err")"
	line=$(tail -n 1 "$out")
	if [[ $line == error:* ]]; then
		echo "ctl_send $ns $*: $line" >&2
		return 1
	fi
	echo "$line"
}

ctl_rx_seqs() { awk '{ printf "%s%s", sep, $1; sep = " " } END { print "" }' "$CTL_TMP/$1.rx"; }
ctl_rx_count() { wc -l <"$CTL_TMP/$1.rx"; }
ctl_rx_count_is() { (($(ctl_rx_count "$1") == $2)); }

ctl_count() {
	local file=$1 cond=$2
	jq -c "select($cond)" "$file" | wc -l
}

# A VIF add and del on a dummy device, repeated until the monitor in FILE
# shows them: the monitor is subscribed.  Then FILE is emptied.
ctl_sync() {
	local file=$1 pat=$2 i
	ip -n "$RTR" link add ctlsync type dummy
	ip -n "$RTR" link set ctlsync up
	for ((i = 0; i < 60; i++)); do
		rctl vif add dev ctlsync
		rctl vif del dev ctlsync
		if wait_for -t 2 grep -q "$pat" "$file"; then
			ip -n "$RTR" link del ctlsync
			: >"$file"
			return 0
		fi
	done
	fail "event listener writing $file did not see the sync events"
}

CTL_NMARK=0
ctl_mark() {
	local m
	CTL_NMARK=$((CTL_NMARK + 1))
	m=$(fam "239.255.0.$CTL_NMARK" "ff0e::ff:$CTL_NMARK")
	rctl route add group "$m" iif r0
	rctl route del group "$m"
	cwait grep -q "\"event\":\"route_del\",\"family\":\"$FAMNAME\",\"group\":\"$m\"" "$1" ||
		fail "marker event $CTL_NMARK not seen"
}

ctl_monitor() {
	local name=$1
	shift
	: >"$CTL_TMP/$name.mon"
	ctl_bg "$name" ip netns exec "$RTR" "$MFWDCTL" -j monitor "$@" \
		>>"$CTL_TMP/$name.mon" 2>"$CTL_TMP/$name.mon.err"
	ctl_sync "$CTL_TMP/$name.mon" '"event":"vif_del","dev":"ctlsync"'
}

ctl_listen() {
	local name=$1 ns=${2:-$RTR}
	: >"$CTL_TMP/$name.ev"
	rm -f "$CTL_TMP/$name.ready"
	ctl_bg "$name" ip netns exec "$ns" "$CTL_PY" -S "$CTL_HELPERS/ctl_genl.py" \
		listen --out "$CTL_TMP/$name.ev" --ready "$CTL_TMP/$name.ready" \
		2>"$CTL_TMP/$name.err"
	wait_for -t 60 test -s "$CTL_TMP/$name.ready" ||
		fail "listener $name did not start: $(cat "$CTL_TMP/$name.err")"
}

# ctl_addrs NET HOST: veth_pair's addresses of host HOST on link NET
# (10.0.NET.HOST/24, in the IPv6 run also 2001:db8:NET::HOST/64)
ctl_addrs() {
	if ((FAM == 6)); then
		echo "10.0.$1.$2/24,2001:db8:$1::$2/64"
	else
		echo "10.0.$1.$2/24"
	fi
}

# ctl_topo [NRCV]: the topology above with NRCV (1 or 2, default 2)
# receiver namespaces; loads mfwd (unloaded on exit).
ctl_topo() {
	local nrcv=${1:-2}
	require_mfwdctl
	require_cmd jq ip
	[[ -n $CTL_PY ]] || skip "python3 not installed"
	load_mfwd
	on_exit "rmmod mfwd"
	ns_create "$SRC" "$RTR" "$RCV1"
	((nrcv < 2)) || ns_create "$RCV2"
	veth_pair "$SRC" s0 "$(ctl_addrs 1 2)" "$RTR" r0 "$(ctl_addrs 1 1)"
	veth_pair "$RTR" r1 "$(ctl_addrs 2 1)" "$RCV1" c1 "$(ctl_addrs 2 2)"
	((nrcv < 2)) || veth_pair "$RTR" r2 "$(ctl_addrs 3 1)" "$RCV2" c2 "$(ctl_addrs 3 2)"
	ip -n "$SRC" route add default via 10.0.1.1
	ip -n "$RCV1" route add default via 10.0.2.1
	((nrcv < 2)) || ip -n "$RCV2" route add default via 10.0.3.1
	ip netns exec "$RCV1" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.c1.rp_filter=0
	((nrcv < 2)) || ip netns exec "$RCV2" sysctl -qw \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.c2.rp_filter=0
	rctl vif add dev r0
	rctl vif add dev r1
	((nrcv < 2)) || rctl vif add dev r2
}

# ctl_pktgen NS DEV KEY VALUE...: run pktgen on DEV in NS (blocks until it
# is done).  Keys are pktgen device commands: count, pkt_size, src_min,
# src_max, dst_min, dst_max, dst_mac, delay, flag, ...; clone_skb is 0
# (veth cannot share skbs).  IPv6: src6, dst6, dst6_min/dst6_max (pktgen
# draws each destination at random: (random | min) & max, 32 bits at a
# time; it has no IPv6 source range).
ctl_pktgen() {
	local ns=$1 dev=$2 t=kpktgend_0
	shift 2
	modprobe pktgen 2>/dev/null || skip "pktgen not available"
	# shellcheck disable=SC2016  # the script expands its own arguments
	ip netns exec "$ns" sh -c '
		set -e
		pg() { echo "$2" >"/proc/net/pktgen/$1"; }
		t=$1 dev=$2; shift 2
		# add once: rem_device_all is asynchronous and could remove a
		# device added right after it; a deleted device leaves by itself
		[ -e "/proc/net/pktgen/$dev" ] || pg "$t" "add_device $dev"
		pg "$dev" "clone_skb 0"
		while [ $# -ge 2 ]; do pg "$dev" "$1 $2"; shift 2; done
		pg pgctrl start
		grep -q "^Result: OK" "/proc/net/pktgen/$dev" ||
			{ cat "/proc/net/pktgen/$dev" >&2; exit 1; }
	' ctl-pktgen "$t" "$dev" "$@"
}
