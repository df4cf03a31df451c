#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/vm.sh - the benchmark body; runs as root inside the VM that bench/run
# boots. Prints one "RAW fig=... key=value ..." line per measurement on
# stdout (bench/report.py turns them into tables, CSV and the plot) and
# progress on stderr. Never fails on a number.
#
# Topology, built three times (prefix m- for mfwd, i- for ipmr, n- for the
# no-route reference, with one receiver; it also runs mfwd with a single
# route as the scale figure's baseline), all namespaces joined by veth:
#
#   P-src s0 ---- in0 P-rtr o1 ---- e0 P-r1
#                            o2 ---- e0 P-r2   ... up to o$NRCV / P-r$NRCV
#
# The same addresses and interface names are used in every copy, so one
# route file fits both routers. IPv6 is off everywhere except in the
# routers, where it is on without addresses (nothing sent by itself; the
# fwd6 figure needs it). pktgen (kpktgend_0, bound to CPU 0) sends
# from P-src; every veth hop goes through CPU 0's backlog (netif_rx), so the
# router and the receivers process the packets in softirq on CPU 0 too;
# this script and every control program run on CPU 1.
#
# Environment (set by bench/run):
#   MFWD_KO MFWDCTL IPMRCTL   the module and the two control programs
#   BENCH_DATA                directory with the route files bench/run made
#   BENCH_FIGS                figures to run: install fwd fwd6 prefix periif
#                             meters singleif scale iptv miss mem64
#   BENCH_ROUNDS BENCH_DUR    rounds per figure, seconds per measurement
#   BENCH_OIFS BENCH_SCALE    output counts (fig. 1), route counts (fig. 2)
#   BENCH_SIZES               packet sizes of fig. 1: 64 (64-byte frames, the
#                             classic pktgen packet) and UDP payload sizes
#                             (1316: 7 MPEG-TS cells + RTP); default "64 1316"
#   BENCH_BIG_OIFS            output counts for the sizes other than 64
#                             (default BENCH_OIFS)
#   BENCH_IPTV_CHANNELS       channels of the iptv figure (default 500; the
#                             route files bench/run wrote must match)
#   BENCH_MISS_ROUNDS         rounds of the miss figure
#   BENCH_VM                  "main", or "mem64" for the 64-vCPU VM (tags the
#                             env line)

set -uo pipefail

: "${MFWD_KO:?}" "${MFWDCTL:?}" "${IPMRCTL:?}" "${BENCH_DATA:?}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIGS=${BENCH_FIGS:-install fwd fwd6 prefix periif meters singleif scale iptv miss}
ROUNDS=${BENCH_ROUNDS:-5}
DUR=${BENCH_DUR:-3}
WARM=${BENCH_WARM:-1}
OIFS=${BENCH_OIFS:-1 4 16 32}
SIZES=${BENCH_SIZES:-64 1316}
BIG_OIFS=${BENCH_BIG_OIFS:-$OIFS}
SCALE=${BENCH_SCALE:-1 1000 100000 1000000}
MISS_ROUNDS=${BENCH_MISS_ROUNDS:-$ROUNDS}
IPTV_CH=${BENCH_IPTV_CHANNELS:-500}
IPTV_OUTS=8				# channel i goes to outputs i..i+3 mod 8
want() { [[ " $FIGS " == *" $1 "* ]]; }
NRCV=0
for k in $OIFS; do ((k > NRCV)) && NRCV=$k; done
if want fwd && [[ $SIZES != 64 ]]; then
	for k in $BIG_OIFS; do ((k > NRCV)) && NRCV=$k; done
fi
want iptv && ((NRCV < IPTV_OUTS)) && NRCV=$IPTV_OUTS
((NRCV >= 2)) || NRCV=2			# scale/install routes use o2

S=10.1.0.1				# the hot (S,G)
G=232.1.1.1
GMAC=01:00:5e:01:01:01
IPMR_SOCK=/run/mfwd-bench-ipmr.sock
IPMR_MAXOIF=31				# MAXVIFS (32) includes the input VIF
S6=2001:db8:1::1			# the hot IPv6 (S,G) of fwd6
G6=ff0e::3
G6MAC=33:33:00:00:00:03
# 84-byte frames: the same 22-byte UDP payload as the IPv4 64-byte ones
# (pktgen will not build an IPv6 frame below 78 bytes anyway)
PKT6=${BENCH_PKT6:-84}
IP6MR_SOCK=/run/mfwd-bench-ip6mr.sock
IP6MR_MAXOIF=31				# MAXMIFS (32) includes the input MIF
# pktgen's pkt_size (the frame without FCS) for a size of BENCH_SIZES: 64 is
# the 64-byte frame (22-byte UDP payload) the figure always used; any other
# size is a UDP payload, 42 bytes of Ethernet, IPv4 and UDP headers added
# (1316 -> 1344-byte IP packets, 1358-byte frames)
frame_len() { if (($1 == 64)); then echo 64; else echo $(($1 + 42)); fi; }
ip_len() { echo $(($(frame_len "$1") - 14)); }
# channel c (0-based) of the iptv figure: group 232.10.0.1 + c (pktgen
# walks dst_min..dst_max one address per packet: round-robin); bench/run
# writes the routes with the same rule
iptv_group() { echo "232.10.$((($1 + 1) / 256)).$((($1 + 1) % 256))"; }

say() { echo "# $*" >&2; }
raw() { echo "RAW $*"; }
now_us() { echo "${EPOCHREALTIME/./}"; }

# Everything here on CPU 1; kpktgend_0 and the softirq work it causes: CPU 0.
taskset -pc 1 $$ >/dev/null 2>&1 || say "taskset failed: not pinned"

# ------------------------------------------------------------- topology ---
declare -A HOLDER			# netns -> pid of a process living in it

# A sleeping process per netns gives /proc/PID/net/dev and
# /proc/PID/net/pktgen of that netns without a fork per read.
hold_ns() {
	local ns=$1
	ip netns exec "$ns" sleep 1000000 &
	HOLDER[$ns]=$!
}

setup_topo() {
	local p=$1 n=$2 i t0 b nsl=()
	t0=$(now_us)
	b=$(mktemp)
	{
		echo "netns add $p-src"
		echo "netns add $p-rtr"
		for ((i = 1; i <= n; i++)); do echo "netns add $p-r$i"; done
	} >"$b"
	ip -b "$b" || return 1
	nsl=("$p-src" "$p-rtr")
	for ((i = 1; i <= n; i++)); do nsl+=("$p-r$i"); done
	# no IPv6 (no ND/MLD noise in the counters), before the links exist;
	# the router has it without addresses, which sends nothing either
	# (fwd6: ipv6_rcv() and ip6_output() want it on in0 and o1..)
	# shellcheck disable=SC2046  # one word per option and name
	python3 "$here/nsutil.py" --noipv6 "$p-src" --quietipv6 "$p-rtr" \
		$(printf -- '--noipv6 %s ' "${nsl[@]:2}") || return 1
	{
		echo "link add s0 netns $p-src type veth peer name in0 netns $p-rtr"
		for ((i = 1; i <= n; i++)); do
			# the receiver's end is up from the start (a peer cannot be)
			echo "link add e0 netns $p-r$i up type veth peer name o$i netns $p-rtr"
		done
	} >"$b"
	ip -b "$b" || return 1
	printf '%s\n' "link set lo up" "link set s0 up" "addr add $S/24 dev s0" \
		"route add 224.0.0.0/4 dev s0" >"$b"
	ip -n "$p-src" -b "$b" || return 1
	{
		echo "link set lo up"
		echo "link set in0 up"
		echo "addr add 10.1.0.2/24 dev in0"
		for ((i = 1; i <= n; i++)); do
			echo "link set o$i up"
			echo "addr add 10.2.$i.1/24 dev o$i"
		done
	} >"$b"
	ip -n "$p-rtr" -b "$b" || return 1
	ip netns exec "$p-rtr" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.in0.rp_filter=0
	for ((i = 1; i <= n; i++)); do
		# drop on arrival: count the copy, spend nothing more on it
		printf '%s\n' "qdisc add dev e0 clsact" \
			"filter add dev e0 ingress matchall action drop" >"$b"
		tc -n "$p-r$i" -b "$b" || return 1
	done
	rm -f "$b"
	for ns in "${nsl[@]}"; do hold_ns "$ns"; done
	say "topology $p with $n receivers in $(( ($(now_us) - t0) / 1000 )) ms"
}

# ---------------------------------------------------------------- pktgen ---
pg() {	# pg NS FILE CMD
	echo "$3" >"/proc/${HOLDER[$1]}/net/pktgen/$2" ||
		say "pktgen $1 $2: '$3' failed: $(grep -a Result "/proc/${HOLDER[$1]}/net/pktgen/$2" 2>/dev/null)"
}

declare -A PG6				# netns -> 1 while s0 is in IPv6 mode

pg_setup() {	# pg_setup PREFIX hot|flood|hot6|iptv [PKT_SIZE]
	local ns=$1-src i
	# Add s0 once and reconfigure it after that: rem_device_all is carried
	# out later by the pktgen thread and could remove a fresh add_device.
	if [[ ! -e /proc/${HOLDER[$ns]}/net/pktgen/s0 ]]; then
		pg "$ns" kpktgend_0 "add_device s0"
		for ((i = 0; i < 50; i++)); do
			[[ -e /proc/${HOLDER[$ns]}/net/pktgen/s0 ]] && break
			sleep 0.1
		done
	fi
	pg "$ns" s0 "count 0"
	pg "$ns" s0 "clone_skb 0"
	pg "$ns" s0 "delay 0"
	pg "$ns" s0 "udp_src_min 9" ; pg "$ns" s0 "udp_src_max 9"
	pg "$ns" s0 "udp_dst_min 5001"; pg "$ns" s0 "udp_dst_max 5001"
	if [[ $2 == hot6 ]]; then
		# the same UDP datagram in IPv6 (pktgen: hop limit 32)
		pg "$ns" s0 "pkt_size $PKT6"
		pg "$ns" s0 "dst_mac $G6MAC"
		pg "$ns" s0 "src6 $S6"
		pg "$ns" s0 "dst6 $G6"
		PG6[$ns]=1
		return
	fi
	# back from IPv6 mode ("!IPV6" is the one way to leave it)
	[[ -n ${PG6[$ns]:-} ]] && { pg "$ns" s0 "flag !IPV6"; unset "PG6[$ns]"; }
	pg "$ns" s0 "pkt_size ${3:-64}"
	pg "$ns" s0 "dst_mac $GMAC"
	if [[ $2 == hot ]]; then
		pg "$ns" s0 "src_min $S"; pg "$ns" s0 "src_max $S"
		pg "$ns" s0 "dst_min $G"; pg "$ns" s0 "dst_max $G"
	elif [[ $2 == iptv ]]; then
		# one source, the channels' groups in turn (no IPDST_RND:
		# pktgen's random mode skips multicast addresses)
		pg "$ns" s0 "src_min $S"; pg "$ns" s0 "src_max $S"
		pg "$ns" s0 "dst_min $(iptv_group 0)"
		pg "$ns" s0 "dst_max $(iptv_group $((IPTV_CH - 1)))"
	else
		# a distinct (S,G) per packet: groups 235.0.0.0/8 in order,
		# 254 sources
		pg "$ns" s0 "src_min 10.1.0.1"; pg "$ns" s0 "src_max 10.1.0.254"
		pg "$ns" s0 "dst_min 235.0.0.1"; pg "$ns" s0 "dst_max 235.255.255.254"
	fi
}

# pgctrl acts on the pktgen threads of the writer's netns
pg_ctl() { ip netns exec "$1-src" sh -c "echo $2 >/proc/net/pktgen/pgctrl"; }

# Counters of one topology in one line:
#   t_us sent in_rx in_drop copies cpu_ticks cpu0_ticks
# sent: pktgen's own count; in_rx: packets the router's input took in;
# in_drop: packets the input ring/backlog refused; copies: sum of the
# receivers' rx packets; cpu_ticks: the guest's system + irq + softirq time
# over all CPUs (/proc/stat, USER_HZ units), cpu0_ticks the same on CPU 0
# alone (pktgen, router and receivers: all the forwarding work). Read by the
# same awk as the counters, so both windows are the same.
snap() {
	local p=$1 t files=() i
	for ((i = 1; i <= NRCV; i++)); do
		[[ -n ${HOLDER[$p-r$i]:-} ]] && files+=("/proc/${HOLDER[$p-r$i]}/net/dev")
	done
	((${#files[@]})) || files=(/dev/null)
	t=$(now_us)
	awk -v t="$t" -v pg="/proc/${HOLDER[$p-src]}/net/pktgen/s0" \
		-v src="/proc/${HOLDER[$p-src]}/net/dev" \
		-v rtr="/proc/${HOLDER[$p-rtr]}/net/dev" '
		function field(line, n,   a) { sub(/^[^:]*:/, "", line); split(line, a, " "); return a[n] }
		BEGIN {
			while ((getline l < pg) > 0)
				if (l ~ /pkts-sofar:/) { sub(/.*pkts-sofar: */, "", l); sent = l + 0 }
			while ((getline l < src) > 0)
				if (l ~ /^ *s0:/) indrop = field(l, 12)
			while ((getline l < rtr) > 0)
				if (l ~ /^ *in0:/) inrx = field(l, 2)
			# cpu user nice system idle iowait irq softirq ...
			while ((getline l < "/proc/stat") > 0) {
				if (split(l, st, " ") < 8) continue
				if (st[1] == "cpu") cpu = st[4] + st[7] + st[8]
				else if (st[1] == "cpu0") cpu0 = st[4] + st[7] + st[8]
				else if (st[1] !~ /^cpu/) break
			}
		}
		/^ *e0:/ { copies += field($0, 2) }
		END { printf "%s %d %d %d %d %d %d\n", t, sent, inrx, indrop, copies, cpu, cpu0 }' "${files[@]}"
}

# ------------------------------------------------- interleaved measurement ---
# Other VMs share the host, so the CPU time the guest gets changes from one
# second to the next. To give every engine the same share of that noise,
# their pktgens all run at once and take turns: the active one sends flat
# out, the others are throttled to one packet per PAUSE_NS; each turn is
# SLICE_MS long, the order rotates and alternates direction, and a round is
# DUR seconds per engine.
SLICE_MS=${BENCH_SLICE_MS:-500}
PAUSE_NS=20000000			# 50 packets/s while waiting for a turn
USER_HZ=$(getconf CLK_TCK 2>/dev/null) || USER_HZ=100	# /proc/stat's unit

pg_delay() { echo "delay $2" >"/proc/${HOLDER[$1-src]}/net/pktgen/s0"; }

# measure_alt ROUNDS LABEL:PREFIX...: one line per round and label:
#   LABEL ROUND offered_pps=.. in_pps=.. in_drop_pps=.. copies_pps=.. secs=..
# With MEASURE_CPU=1 in its environment, also the guest's CPU time over the
# label's turns (system + irq + softirq of all CPUs, from /proc/stat) and
# per copy delivered (one copy is one packet forwarded with 1 output):
#   ... cpu_ms=.. cpu0_ms=.. pkts=.. cpu_ns_per_pkt=..
measure_alt() {
	local rounds=$1 s p r j k n slices a b
	shift
	local specs=("$@") pids=()
	n=${#specs[@]}
	for s in "${specs[@]}"; do
		p=${s#*:}
		pg_delay "$p" "$PAUSE_NS"
		pg_ctl "$p" start &
		pids+=($!)
	done
	sleep 0.3
	slices=$(( (DUR * 1000 + SLICE_MS - 1) / SLICE_MS ))
	local slice_s warm_s
	slice_s=$(awk -v m="$SLICE_MS" 'BEGIN { printf "%.3f", m / 1000 }')
	warm_s=0.1
	for ((r = 1; r <= rounds; r++)); do
		local -A T=() SENT=() IN=() DROP=() COP=() CPU=() CPU0=()
		for ((j = 0; j < slices; j++)); do
			for ((k = 0; k < n; k++)); do
				# forward and backward passes in turn, so that
				# each engine follows each other one as often
				# (what one leaves behind, e.g. RCU callbacks,
				# runs in the next one's turn)
				if ((j % 2)); then
					s=${specs[(j + r - k + n * n) % n]}
				else
					s=${specs[(j + r + k) % n]}
				fi
				p=${s#*:}
				pg_delay "$p" 0
				sleep "$warm_s"
				a=$(snap "$p")
				sleep "$slice_s"
				b=$(snap "$p")
				pg_delay "$p" "$PAUSE_NS"
				read -r -a x <<<"$a"
				read -r -a y <<<"$b"
				T[$s]=$(( ${T[$s]:-0} + y[0] - x[0] ))
				SENT[$s]=$(( ${SENT[$s]:-0} + y[1] - x[1] ))
				IN[$s]=$(( ${IN[$s]:-0} + y[2] - x[2] ))
				DROP[$s]=$(( ${DROP[$s]:-0} + y[3] - x[3] ))
				COP[$s]=$(( ${COP[$s]:-0} + y[4] - x[4] ))
				CPU[$s]=$(( ${CPU[$s]:-0} + y[5] - x[5] ))
				CPU0[$s]=$(( ${CPU0[$s]:-0} + y[6] - x[6] ))
			done
		done
		for s in "${specs[@]}"; do
			awk -v l="${s%%:*}" -v r="$r" -v t="${T[$s]}" -v se="${SENT[$s]}" \
				-v i="${IN[$s]}" -v d="${DROP[$s]}" -v c="${COP[$s]}" \
				-v cpu="${CPU[$s]}" -v cpu0="${CPU0[$s]}" -v hz="$USER_HZ" \
				-v withcpu="${MEASURE_CPU:-0}" 'BEGIN {
				dt = t / 1e6; if (dt <= 0) dt = 1
				printf "%s %d offered_pps=%.0f in_pps=%.0f in_drop_pps=%.0f copies_pps=%.0f secs=%.3f",
					l, r, se / dt, i / dt, d / dt, c / dt, dt
				if (withcpu == 1) {
					ms = cpu * 1000 / hz; ns = "NA"
					if (c > 0) ns = sprintf("%.0f", ms * 1e6 / c)
					printf " cpu_ms=%.0f cpu0_ms=%.0f pkts=%d cpu_ns_per_pkt=%s",
						ms, cpu0 * 1000 / hz, c, ns
				}
				printf "\n" }'
		done
	done
	for s in "${specs[@]}"; do pg_ctl "${s#*:}" stop; done
	wait "${pids[@]}" 2>/dev/null
	for s in "${specs[@]}"; do pg_delay "${s#*:}" 0; done
}

# ---------------------------------------------------------------- engines ---
mctl() { "$MFWDCTL" -n m-rtr "$@"; }
ictl() { "$IPMRCTL" -s "$IPMR_SOCK" "$@"; }

engines_up() {
	local i b
	insmod "$MFWD_KO" || { say "insmod $MFWD_KO failed"; return 1; }
	b=$(mktemp)
	{ echo "vif add dev in0"; for ((i = 1; i <= NRCV; i++)); do echo "vif add dev o$i"; done; } >"$b"
	mctl -b "$b" || { say "mfwd VIFs failed"; return 1; }
	rm -f "$b"
	ipmr_up
}

IPMR_PID=
ipmr_up() {
	local i
	IPMR_PID=$(ip netns exec i-rtr "$IPMRCTL" serve "$IPMR_SOCK") || { say "ipmr-ctl serve failed"; return 1; }
	ictl vif add in0 >/dev/null || return 1
	for ((i = 1; i <= NRCV && i <= IPMR_MAXOIF; i++)); do
		ictl vif add "o$i" >/dev/null || return 1
	done
}

# MRT_DONE (drops every ipmr route and VIF) and start again
ipmr_restart() {
	ictl quit >/dev/null
	while kill -0 "$IPMR_PID" 2>/dev/null; do sleep 0.1; done
	ipmr_up
}

oif_list() { local i; for ((i = 1; i <= $1; i++)); do printf ' oif o%d' "$i"; done; }

# hot_route ENGINE K: the hot (S,G) to outputs o1..oK
# shellcheck disable=SC2046  # oif_list is meant to split into words
hot_route() {
	local e=$1 k=$2
	if [[ $e == m ]]; then
		mctl route replace group $G source $S iif in0 $(oif_list "$k")
	else
		((k > IPMR_MAXOIF)) && k=$IPMR_MAXOIF
		ictl route replace group $G source $S iif in0 $(oif_list "$k") >/dev/null
	fi
}

hot_del() {
	if [[ $1 == m ]]; then mctl route del group $G source $S
	else ictl route del group $G source $S >/dev/null; fi
}

# ------------------------------------------------------- IPv6 engines ---
# ip6mr: a second ipmr-ctl daemon (serve6) in i-rtr, only for fwd6. mfwd:
# the same VIFs as for IPv4 (one VIF per device for both families), IPv6
# routes through mfwdctl or, where the mfwdctl built has no IPv6 yet,
# selftests/helpers/mfwdnl.py (the same ROUTE_ADD with REPLACE).
i6ctl() { "$IPMRCTL" -s "$IP6MR_SOCK" "$@"; }
IP6MR_PID=
ip6mr_up() {
	local i
	IP6MR_PID=$(ip netns exec i-rtr "$IPMRCTL" serve6 "$IP6MR_SOCK") ||
		{ say "ipmr-ctl serve6 failed"; return 1; }
	i6ctl vif add in0 >/dev/null || return 1
	for ((i = 1; i <= NRCV && i <= IP6MR_MAXOIF; i++)); do
		i6ctl vif add "o$i" >/dev/null || return 1
	done
}

ip6mr_down() {	# MRT6_DONE: every ip6mr route and MIF goes
	i6ctl quit >/dev/null
	while kill -0 "$IP6MR_PID" 2>/dev/null; do sleep 0.1; done
}

MFWD6_TOOL=
mfwdnl() { ip netns exec m-rtr python3 "$here/../selftests/helpers/mfwdnl.py" "$@"; }
oif6_list() { local i; for ((i = 1; i <= $1; i++)); do printf ' oif=o%d' "$i"; done; }

# shellcheck disable=SC2046  # the oif lists are meant to split into words
hot_route6() {	# hot_route6 ENGINE K
	local e=$1 k=$2
	if [[ $e == i ]]; then
		((k > IP6MR_MAXOIF)) && k=$IP6MR_MAXOIF
		i6ctl route replace group $G6 source $S6 iif in0 $(oif_list "$k") >/dev/null
		return
	fi
	if [[ -z $MFWD6_TOOL ]]; then
		if mctl route replace group $G6 source $S6 iif in0 $(oif_list "$k") 2>/dev/null; then
			MFWD6_TOOL=mfwdctl
			return 0
		fi
		MFWD6_TOOL=mfwdnl.py
		say "fwd6: this mfwdctl has no IPv6 routes; using selftests/helpers/mfwdnl.py"
	fi
	if [[ $MFWD6_TOOL == mfwdctl ]]; then
		mctl route replace group $G6 source $S6 iif in0 $(oif_list "$k")
	else
		mfwdnl --replace route_add group6=$G6 source6=$S6 iif=in0 $(oif6_list "$k") >/dev/null
	fi
}

hot_del6() {
	if [[ $1 == i ]]; then i6ctl route del group $G6 source $S6 >/dev/null
	elif [[ $MFWD6_TOOL == mfwdctl ]]; then mctl route del group $G6 source $S6
	else mfwdnl route_del group6=$G6 source6=$S6 >/dev/null; fi
}

# order ROUND: engines in alternating order
order() { if (($1 % 2)); then echo "m i"; else echo "i m"; fi; }

# ------------------------------------------------------------- figure 1 ---
# For each size of $SIZES (64: 64-byte frames; else a UDP payload), the hot
# (S,G) to each output count: $OIFS at 64, $BIG_OIFS at the other sizes.
fig_fwd() {
	local k l r rest eff first=1 specs sz pkt oifs tag
	for sz in $SIZES; do
		pkt=$(frame_len "$sz")
		pg_setup m hot "$pkt"; pg_setup i hot "$pkt"; pg_setup n hot "$pkt"
		oifs=$OIFS
		((sz == 64)) || oifs=$BIG_OIFS
		tag="size=$sz pkt_size=$pkt ip_bytes=$(ip_len "$sz")"
		for k in $oifs; do
			hot_route m "$k" || say "mfwd route to $k outputs failed"
			hot_route i "$k" || say "ipmr route to $k outputs failed"
			eff=$k
			((eff > IPMR_MAXOIF)) && eff=$IPMR_MAXOIF
			specs=(mfwd:m ipmr:i)
			((first)) && specs+=(none:n)	# the reference, once
			first=0
			while read -r l r rest; do
				case $l in
				none) raw "fig=fwd engine=none oifs=0 $tag round=$r $rest" ;;
				mfwd) raw "fig=fwd engine=mfwd oifs=$k real_oifs=$k $tag round=$r $rest" ;;
				ipmr) raw "fig=fwd engine=ipmr oifs=$k real_oifs=$eff $tag round=$r $rest" ;;
				esac
				say "fwd size=$sz oifs=$k round $r $l: $rest"
			done < <(measure_alt "$ROUNDS" "${specs[@]}")
		done
	done
	hot_del m; hot_del i
}

# ------------------------------------------------------- figure 1, IPv6 ---
# fwd with IPv6: mfwd against ip6mr, the same turns, rounds and counters;
# the hot (S,G) is ($S6, $G6), $PKT6-byte frames.
fig_fwd6() {
	local k l r rest eff first=1 specs c
	ip6mr_up || { say "ip6mr failed: no fwd6 figure"; return 1; }
	pg_setup m hot6; pg_setup i hot6; pg_setup n hot6
	for k in $OIFS; do
		hot_route6 m "$k" || say "mfwd IPv6 route to $k outputs failed"
		hot_route6 i "$k" || say "ip6mr route to $k outputs failed"
		c=$(awk 'NR > 1 { print "ip6mr cache:", $0 }' "/proc/${HOLDER[i-rtr]}/net/ip6_mr_cache")
		say "fwd6 oifs=$k ${c:-ip6mr cache: empty}"
		eff=$k
		((eff > IP6MR_MAXOIF)) && eff=$IP6MR_MAXOIF
		specs=(mfwd:m ip6mr:i)
		((first)) && specs+=(none:n)	# the reference, once
		first=0
		while read -r l r rest; do
			case $l in
			none) raw "fig=fwd6 engine=none oifs=0 round=$r $rest" ;;
			mfwd) raw "fig=fwd6 engine=mfwd oifs=$k real_oifs=$k round=$r $rest" ;;
			ip6mr) raw "fig=fwd6 engine=ip6mr oifs=$k real_oifs=$eff round=$r $rest" ;;
			esac
			say "fwd6 oifs=$k round $r $l: $rest"
		done < <(measure_alt "$ROUNDS" "${specs[@]}")
	done
	raw "fig=fwd6info mfwd_route_tool=$MFWD6_TOOL pkt_size=$PKT6 source=$S6 group=$G6" \
	    "ip6mr_upcalls=$(i6ctl stats | tr ' ' ',')"
	hot_del6 m; hot_del6 i
	ip6mr_down
}

# ------------------------------------------------------- prefix routes ---
# fig_lookup FIG PARAMS: the hot flow along the routes the caller gave
# n-rtr, next to the same flow on an exact (S,G) route (m-rtr: 1 probe) and
# on ipmr, one output each, in the same turns; n-rtr is flushed after.
fig_lookup() {
	local fig=$1 params=$2 l r rest
	hot_route m 1; hot_route i 1
	while read -r l r rest; do
		raw "fig=$fig engine=$l oifs=1 $params round=$r $rest"
		say "$fig round $r $l: $rest"
	done < <(measure_alt "$ROUNDS" exact:m "$fig":n ipmr:i)
	"$MFWDCTL" -n n-rtr flush all
	hot_del m; hot_del i
}

# The hot flow along a prefix route while 3 pairs of prefix lengths are in
# use (n-rtr: the exact probe, then (24,0), (16,16) and (8,0) most specific
# first, the hot route (*, 232.0.0.0/8) found by the last: 4 probes).
fig_prefix() {
	local nctl=("$MFWDCTL" -n n-rtr)
	pg_setup m hot; pg_setup i hot; pg_setup n hot
	{ "${nctl[@]}" vif add dev in0 && "${nctl[@]}" vif add dev o1 &&
		"${nctl[@]}" route add group 239.9.9.0/24 iif in0 oif o1 &&
		"${nctl[@]}" route add group 239.8.0.0/16 source 10.9.0.0/16 iif in0 oif o1 &&
		"${nctl[@]}" route add group "${G%%.*}.0.0.0/8" iif in0 oif o1; } ||
		say "mfwd prefix routes on n-rtr failed"
	fig_lookup prefix lengths=3
}

# ------------------------------------------------------ per-input routes ---
# The hot flow along a per-input (S,G) route of its input in0 on n-rtr,
# next to a per-input route of the same (S,G) for input o1 (1 probe keyed
# by (in0, S, G)); the exact route on m-rtr is not per-input.
fig_periif() {
	local nctl=("$MFWDCTL" -n n-rtr)
	pg_setup m hot; pg_setup i hot; pg_setup n hot
	{ "${nctl[@]}" vif add dev in0 && "${nctl[@]}" vif add dev o1 &&
		"${nctl[@]}" route add group "$G" source "$S" iif in0 oif o1 per-iif &&
		"${nctl[@]}" route add group "$G" source "$S" iif o1 oif in0 per-iif; } ||
		say "mfwd per-input routes on n-rtr failed"
	fig_lookup periif routes=2
}

# ------------------------------------------------------------------ meters ---
# The hot flow on n-rtr with $BENCH_METERS meters installed (default 10,000:
# 16 on the hot route, one on each of the other routes, which carry no
# traffic), next to the same flow without any (m-rtr) and on ipmr. Meters
# cost nothing per packet: their work runs every 100 ms, reading counters.
fig_meters() {
	local n=${BENCH_METERS:-10000} i f=/tmp/bench-meters.txt
	pg_setup m hot; pg_setup i hot; pg_setup n hot
	{
		echo "vif add dev in0"
		echo "vif add dev o1"
		echo "route add group $G source $S iif in0 oif o1"
		for ((i = 0; i < 16; i++)); do
			echo "meter add group $G source $S packets ge $((1000000000 + i)) interval 1s"
		done
		for ((i = 16; i < n; i++)); do
			echo "route add group 239.7.$((i / 256)).$((i % 256)) source $S iif in0 oif o1"
			echo "meter add group 239.7.$((i / 256)).$((i % 256)) source $S packets ge 1000 interval 1s"
		done
	} >"$f"
	"$MFWDCTL" -n n-rtr -b "$f" || say "mfwd meters on n-rtr failed"
	say "meters on n-rtr: $("$MFWDCTL" -n n-rtr -j meter show | jq length)"
	fig_lookup meters "meters=$n"
}

# ------------------------------------------------------- single-interface ---
# The hot flow arriving on a single-interface VIF (in0 on n-rtr: every
# packet goes through the duplicate filter, a hash of its payload and of
# its header), next to the same flow on an ordinary VIF (m-rtr) and on ipmr.
fig_singleif() {
	local nctl=("$MFWDCTL" -n n-rtr)
	pg_setup m hot; pg_setup i hot; pg_setup n hot
	{ "${nctl[@]}" vif add dev in0 single-interface && "${nctl[@]}" vif add dev o1 &&
		"${nctl[@]}" route add group "$G" source "$S" iif in0 oif o1; } ||
		say "mfwd single-interface VIF on n-rtr failed"
	fig_lookup singleif "dup_window_ms=2000"
	say "single-interface: drop_duplicate $("$MFWDCTL" -n n-rtr -j stats 2>/dev/null | jq .drop_duplicate)"
}

# ------------------------------------------------------------- figure 2 ---
# Background routes: $BENCH_DATA/bg-FROM-TO.txt, added cumulatively; ipmr
# only up to 100,000. The n- topology runs mfwd with the hot route alone
# ("mfwd1"), in the same turns: mfwd's rate at N routes relative to 1 route
# is then measured under the same host noise. Each line also has the guest's
# CPU time over the engine's turns per packet forwarded (MEASURE_CPU).
fig_scale() {
	local have=0 n t0 f max_i=100000 l r rest specs
	pg_setup m hot; pg_setup i hot; pg_setup n hot
	{ "$MFWDCTL" -n n-rtr vif add dev in0 && "$MFWDCTL" -n n-rtr vif add dev o1 &&
		"$MFWDCTL" -n n-rtr route replace group $G source $S iif in0 oif o1; } ||
		say "mfwd on n-rtr failed"
	hot_route m 1; hot_route i 1
	for n in $SCALE; do
		f=$BENCH_DATA/bg-$have-$n.txt
		[[ -f $f ]] || { say "missing $f"; continue; }
		t0=$(now_us)
		mctl -b "$f" || say "mfwd: loading $f failed"
		say "scale: mfwd +$((n - have)) routes in $(( ($(now_us) - t0) / 1000 )) ms"
		specs=(mfwd:m mfwd1:n)
		if ((n <= max_i)); then
			t0=$(now_us)
			ictl load "$f" >/dev/null || say "ipmr: loading $f failed"
			say "scale: ipmr +$((n - have)) routes in $(( ($(now_us) - t0) / 1000 )) ms"
			specs+=(ipmr:i)
		fi
		have=$n
		while read -r l r rest; do
			raw "fig=scale engine=$l routes=$n round=$r $rest"
			say "scale $n round $r $l: $rest"
		done < <(MEASURE_CPU=1 measure_alt "$ROUNDS" "${specs[@]}")
	done
	# drop the background routes again (the hot one too)
	mctl flush routes
	"$MFWDCTL" -n n-rtr flush all
	ipmr_restart
}

# ------------------------------------------------------------------ IPTV ---
# $IPTV_CH channels: (S, 232.10.0.1 + c) to 4 of 8 outputs (channel c to
# o(c mod 8 + 1) and the 3 next ones, mod 8), routes from
# $BENCH_DATA/iptv-N-add.txt (bench/run). pktgen sends 1316-byte UDP
# payloads to the channels in turn; both engines in the same turns. copies
# = packets the 8 receivers got (4 per packet forwarded).
fig_iptv() {
	local add=$BENCH_DATA/iptv-$IPTV_CH-add.txt del=$BENCH_DATA/iptv-$IPTV_CH-del.txt
	local pkt l r rest t0
	[[ -f $add && -f $del ]] || { say "missing $add or $del: no iptv figure"; return 1; }
	pkt=$(frame_len 1316)
	t0=$(now_us)
	mctl -b "$add" || say "mfwd: loading $add failed"
	ictl load "$add" >/dev/null || say "ipmr: loading $add failed"
	say "iptv: $IPTV_CH routes each in $(( ($(now_us) - t0) / 1000 )) ms"
	pg_setup m iptv "$pkt"; pg_setup i iptv "$pkt"
	while read -r l r rest; do
		raw "fig=iptv engine=$l channels=$IPTV_CH oifs=4 outputs=$IPTV_OUTS size=1316" \
		    "pkt_size=$pkt ip_bytes=$(ip_len 1316) round=$r $rest"
		say "iptv round $r $l: $rest"
	done < <(measure_alt "$ROUNDS" mfwd:m ipmr:i)
	mctl -b "$del" || say "mfwd: loading $del failed"
	ictl load "$del" >/dev/null || say "ipmr: loading $del failed"
}

# ------------------------------------------------------------ figure 3+4 ---
# kB of kernel memory that routes can take: slab, per-CPU, vmalloc (large
# hash tables are vmalloc'ed).
mem_kb() { awk '/^(Slab|Percpu|VmallocUsed):/ { s += $2 } END { print s }' /proc/meminfo; }
# All memory the kernel took: what left MemFree that is not page cache or
# user memory. Catches large kmalloc()s (page allocator: in neither Slab nor
# VmallocUsed), e.g. a hash table's bucket array; noisier.
mem_total_kb() {
	awk '/^(MemFree|Cached|Buffers|AnonPages):/ { v[$1] = $2 }
	     END { print -(v["MemFree:"] + v["Cached:"] + v["Buffers:"] + v["AnonPages:"]) }' /proc/meminfo
}
mem_detail() {	# mem_detail PREFIX
	awk -v p="$1" '/^(Slab|Percpu|VmallocUsed):/ { k = tolower($1); sub(/:/, "", k); printf " %s%s_kb=%s", p, k, $2 }' /proc/meminfo
}

# CPUs the kernel allocates per-CPU memory for (a count, from "0-63")
possible_cpus() {
	awk -F, '{ for (i = 1; i <= NF; i++) { n = split($i, a, "-"); c += n == 2 ? a[2] - a[1] + 1 : 1 } }
		END { print c + 0 }' /sys/devices/system/cpu/possible
}

# install_one FIG ENGINE ROUND DELETE SETTLE: after SETTLE seconds, the
# 100,000 routes of install-add.txt into ENGINE (m or i), memory around it;
# then, if DELETE is 1, deleted again (install-del.txt). One RAW line.
install_one() {
	local fig=$1 e=$2 r=$3 del=$4 settle=$5
	local add=$BENCH_DATA/install-add.txt delf=$BENCH_DATA/install-del.txt
	local n m0 m1 d0 d1 k0 k1 t0 t1 t2 t3 rc1 rc2=NA name dels=
	n=$(grep -c . "$add")
	name=$([[ $e == m ]] && echo mfwd || echo ipmr)
	sleep "$settle"		# RCU frees of the previous round
	m0=$(mem_kb); d0=$(mem_detail before_); k0=$(mem_total_kb)
	t0=$(now_us)
	if [[ $e == m ]]; then mctl -b "$add"; else ictl load "$add" >/dev/null; fi
	rc1=$?
	t1=$(now_us)
	sleep 2
	m1=$(mem_kb); d1=$(mem_detail after_); k1=$(mem_total_kb)
	if ((del)); then
		t2=$(now_us)
		if [[ $e == m ]]; then mctl -b "$delf"; else ictl load "$delf" >/dev/null; fi
		rc2=$?
		t3=$(now_us)
		dels="del_rps=$(awk -v n="$n" -v d=$((t3 - t2)) 'BEGIN{printf "%.0f", n / (d / 1e6)}')"
		dels+=" del_s=$(awk -v d=$((t3 - t2)) 'BEGIN{printf "%.3f", d / 1e6}')"
	fi
	raw "fig=$fig engine=$name routes=$n round=$r possible_cpus=${POSSIBLE:-NA} add_rc=$rc1 del_rc=$rc2" \
	    "add_rps=$(awk -v n="$n" -v d=$((t1 - t0)) 'BEGIN{printf "%.0f", n / (d / 1e6)}')" \
	    "add_s=$(awk -v d=$((t1 - t0)) 'BEGIN{printf "%.3f", d / 1e6}')${dels:+ $dels}" \
	    "mem_kb=$((m1 - m0))" \
	    "bytes_per_route=$(( (m1 - m0) * 1024 / n ))" \
	    "total_kb=$((k1 - k0)) total_bytes_per_route=$(( (k1 - k0) * 1024 / n ))" \
	    "$d0$d1"
	say "$fig round $r $name: add $(( (t1 - t0) / 1000 )) ms${t3:+ del $(( (t3 - t2) / 1000 )) ms} mem $((m1 - m0)) kB"
}

fig_install() {
	local r e
	for ((r = 1; r <= ROUNDS; r++)); do
		for e in $(order "$r"); do install_one install "$e" "$r" 1 3; done
	done
}

# Memory per route with many possible CPUs: bench/run runs this figure
# alone, in a second VM booted with 64 vCPUs. The install as above; the
# routes of the last round stay (the VM is thrown away), so no frees run
# while the other engine is measured; only an install after a delete waits
# 3 s for its frees.
fig_mem64() {
	local r e settle=1
	for ((r = 1; r <= ROUNDS; r++)); do
		for e in $(order "$r"); do
			install_one mem64 "$e" "$r" $((r < ROUNDS)) "$settle"
			((r < ROUNDS)) && settle=3
		done
	done
}

# ------------------------------------------------------------- figure 5 ---
mstat() { mctl stats | awk -v k="$1" '$1 == k { print $2 }'; }
istat() { ictl stats | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

miss_one() {	# miss_one ENGINE VARIANT ROUND
	local e=$1 v=$2 r=$3 a b out lf mon ev0 ev1 q0 q1 s0 s1 d0 d1 t0 t1
	if [[ $e == m ]]; then
		lf=$(mktemp)
		"$MFWDCTL" -n m-rtr monitor nocache >"$lf" 2>/dev/null &
		mon=$!
		sleep 0.5
	fi
	pg_ctl "$e" start &
	local pgpid=$!
	sleep "$WARM"
	if [[ $e == m ]]; then
		ev0=$(grep -c . "$lf"); q0=$(mstat drop_queue_full); s0=$(mstat events_sent); d0=$(mstat events_dropped)
	else
		ev0=$(istat nocache)
	fi
	a=$(snap "$e")
	t0=$(now_us)
	sleep "$DUR"
	if [[ $e == m ]]; then
		ev1=$(grep -c . "$lf"); q1=$(mstat drop_queue_full); s1=$(mstat events_sent); d1=$(mstat events_dropped)
	else
		ev1=$(istat nocache)
	fi
	b=$(snap "$e")
	t1=$(now_us)
	pg_ctl "$e" stop
	wait "$pgpid" 2>/dev/null
	[[ $e == m ]] && { kill "$mon" 2>/dev/null; wait "$mon" 2>/dev/null; rm -f "$lf"; }
	out=$(awk -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" -v e0="$ev0" -v e1="$ev1" \
		-v q0="${q0:-0}" -v q1="${q1:-0}" -v s0="${s0:-0}" -v s1="${s1:-0}" \
		-v d0="${d0:-0}" -v d1="${d1:-0}" -v eng="$e" 'BEGIN {
		split(a, x, " "); split(b, y, " "); dt = (t1 - t0) / 1e6
		inp = y[3] - x[3]; ev = e1 - e0
		# ipmr has no drop counter: count every packet that did not
		# make an upcall as dropped (it queues each new (S,G), up to
		# 4 packets, for 10 s)
		drop = (eng == "m") ? q1 - q0 : inp - ev
		if (drop < 0) drop = 0	# counters read a moment apart
		printf "offered_pps=%.0f in_pps=%.0f events=%d events_per_s=%.1f dropped=%d dropped_per_s=%.0f kernel_events_sent=%d kernel_events_dropped=%d secs=%.3f",
			(y[2] - x[2]) / dt, inp / dt, ev, ev / dt, drop, drop / dt,
			s1 - s0, d1 - d0, dt }')
	raw "fig=miss engine=$([[ $e == m ]] && echo mfwd || echo ipmr) variant=$v round=$r $out"
	say "miss $v round $r $e: $out"
}

fig_miss() {
	local r e
	pg_setup m flood; pg_setup i flood
	for ((r = 1; r <= MISS_ROUNDS; r++)); do
		for e in $(order "$r"); do miss_one "$e" default "$r"; done
	done
	# mfwd with a wide queue: how fast events can go when the bound is
	# not what limits them
	mctl config set unres-max 65536 unres-timeout 200
	for ((r = 1; r <= MISS_ROUNDS; r++)); do miss_one m wide "$r"; done
	mctl config set unres-max 64 unres-timeout 10000
}

# ------------------------------------------------------------------ main ---
# bench/profile.sh sources this file for its functions only.
[[ ${BENCH_LIB:-0} == 1 ]] && return 0

t_start=$(now_us)
POSSIBLE=$(possible_cpus)
# pktgen and the n- topology only for figures that send (the 64-vCPU VM
# runs mem64 alone: the least work there)
traffic=0 nref=0
for f in fwd fwd6 prefix periif meters singleif scale iptv miss; do want "$f" && traffic=1; done
for f in fwd fwd6 prefix periif meters singleif scale; do want "$f" && nref=1; done
if ((traffic)); then
	modprobe pktgen || { say "no pktgen"; exit 1; }
fi
modprobe -q sch_ingress; modprobe -q cls_matchall; modprobe -q act_gact
sysctl -qw net.core.netdev_max_backlog=10000
setup_topo m "$NRCV" || { say "topology m failed"; exit 1; }
setup_topo i "$NRCV" || { say "topology i failed"; exit 1; }
if ((nref)); then
	setup_topo n 1 || { say "topology n failed"; exit 1; }
fi
engines_up || exit 1
if ((traffic)); then
	# nothing may arrive at a receiver before the figures send (IPv6 routers)
	sleep 1
	say "receivers' rx packets before any traffic: m $(snap m | cut -d' ' -f5)," \
	    "i $(snap i | cut -d' ' -f5)${HOLDER[n-src]:+, n $(snap n | cut -d' ' -f5)}"
fi
raw "fig=env vm=${BENCH_VM:-main} kernel=$(uname -r) cpus=$(nproc --all) possible_cpus=$POSSIBLE" \
    "online_cpus=$(getconf _NPROCESSORS_ONLN) rounds=$ROUNDS dur=$DUR nrcv=$NRCV" \
    "sizes=${SIZES// /,} mem_kb=$(awk '/MemTotal/{print $2}' /proc/meminfo)" \
    "setup_s=$(( ($(now_us) - t_start) / 1000000 ))"

for f in $FIGS; do
	t0=$(now_us)
	case $f in
	fwd) fig_fwd ;;
	fwd6) fig_fwd6 ;;
	prefix) fig_prefix ;;
	periif) fig_periif ;;
	meters) fig_meters ;;
	singleif) fig_singleif ;;
	scale) fig_scale ;;
	iptv) fig_iptv ;;
	install) fig_install ;;
	mem64) fig_mem64 ;;
	miss) fig_miss ;;
	*) say "unknown figure $f" ;;
	esac
	say "figure $f took $(( ($(now_us) - t0) / 1000000 )) s"
	raw "fig=time vm=${BENCH_VM:-main} figure=$f secs=$(( ($(now_us) - t0) / 1000000 ))"
done
ictl quit >/dev/null 2>&1
say "bench body took $(( ($(now_us) - t_start) / 1000000 )) s"
raw "fig=time vm=${BENCH_VM:-main} figure=all secs=$(( ($(now_us) - t_start) / 1000000 ))"
exit 0
