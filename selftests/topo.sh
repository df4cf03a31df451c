# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/topo.sh - the forwarding test topology and traffic helpers.
# Source it after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/topo.sh"
#
# The router is the VM's initial network namespace (mfwdctl needs no -n):
#
#   netns src  eth0 10.0.0.2/24 ---- r0 10.0.0.1/24 ┐
#   netns rxK  eth0 10.0.K.2/24 ---- rK 10.0.K.1/24 ┤ router (init netns)
#   (K = 1..N)                                       ┘
#
# IPv6 (topo_init -6 N): IPv6 is on everywhere (no DAD) and every link
# has IPv6 addresses too: src eth0 2001:db8::2/64, r0 2001:db8::1/64, rxK
# eth0 2001:db8:K::2/64, rK 2001:db8:K::1/64 ($TOPO_SRC6 is the source's).
# The tools take IPv6 groups (ff0e::1, ...) as IPv4 ones; the sync packets
# stay IPv4 (the receivers count both families).  Without -6 IPv6 is
# disabled in every netns.
#
# Traffic: selftests/helpers/mcsend.py sends UDP to a group, pinned to CPU 0;
# selftests/helpers/mcrecv.py, one per receiver namespace, joins groups on
# its interface(s) and counts what its socket gets, per interface and group,
# into $TOPO_DIR/NAME.cnt.
#
# Exact "nothing arrived" checks need to know that everything sent has been
# delivered.  topo_sync does that without fixed sleeps: the router itself
# sends one packet to $TOPO_SYNC_GROUP out of every receiver port (not
# through any forwarding cache), from CPU 0 like the data, and waits until
# every receiver has counted it.  The router processes a data packet and
# queues its copies in one softirq on CPU 0 and the backlog is FIFO, so a
# receiver that has the sync packet has every copy queued before it.
#
# Functions:
#   topo_init [-6] N            src + N receivers rx1..rxN, links up (-6,
#                               or MFWD_FAMILY=6: with IPv6, see above)
#   fam V4 V6                   print V4, or V6 in a test's IPv6 run
#                               (lib.sh's "families"); $FAM is 4 or 6,
#                               $FAMNAME "inet" or "inet6" (as in JSON)
#   topo_mfwd [IF...]           load mfwd (unloaded at exit), add VIFs
#                               (default r0 and every rK)
#   rx_start NAME NS IFS GROUPS  start a counting receiver in NS on the
#                               space-separated interfaces IFS for GROUPS
#                               (+ the sync group); wait until it is ready.
#                               The router addresses facing IFS must be
#                               given in RX_SYNC_ADDRS (space separated) so
#                               topo_sync can reach it.
#                               RX_NOSYNC=1: a receiver topo_sync cannot
#                               reach (e.g. on the router): not waited for.
#   rx_start_all GROUP...       a receiver "rxK" in every rxK on eth0
#   rx_stop_all                 stop every receiver, forget them
#   cap_start NAME NS IF GROUP  pktcap.py: header checks of GROUP on IF
#   cap_field NAME KEY [SUB]    a counter of a capture (0 if none)
#   rx_count NAME IF GROUP      packets NAME's socket got on IF for GROUP
#   rx_ttls NAME IF GROUP       "TTL:N ..." of those packets
#   rx_bad NAME IF GROUP        how many had a corrupted payload
#   bg_start LOG NS CMD...      CMD in NS in the background, pid in BG_PID
#   send [NS] -- ARGS...        run mcsend.py in NS (default src, from
#                               10.0.0.2, or 2001:db8::2 if the first
#                               --group is IPv6) with ARGS; waits for it
#   topo_sync                   see above
#   rx_counts "GROUP..." N      "rx1/G=n rx2/G=n ..." of receivers rx1..rxN
#   check_rx GROUP SPEC         after topo_sync: SPEC "1=10 2=0 3=10" is the
#                               exact count every receiver rxK on eth0 must
#                               have for GROUP (all started receivers must
#                               be listed)
#   mf ARGS...                  $MFWDCTL ARGS (fails the test on error)
#   jsel EXPR                   JSON on stdin, print EXPR of it (d = doc)
#   route_field G S FIELD       a field of "mfwdctl -j route get" (S "*")
#   stats_field FIELD           a field of "mfwdctl -j stats"
#   vif_field DEV FIELD         a field of DEV in "mfwdctl -j vif show"
#   check_stats SPEC...         "mfwdctl -j stats" fields: forwarded=5 ...
#   check_vifs SPEC...          "mfwdctl -j vif show": r1.pkts_out=5 ...
#   check_route G S SPEC...     "mfwdctl -j route get": packets=5 ...
#   tables_snapshot             "-j route show" and "-j vif show", minus
#                               idle_ms (for before/after comparisons)
#   rx_summary NAME IF GROUP... "NAME GROUP count ttl TTL:N... bad N" lines
#                               of receiver NAME on IF (TTL: hop limit too)
#   smcroute_start "(S,G)"...   the real smcrouted (the kernel's ipmr and
#                               ip6mr) on $TOPO_DIR/smcroute.conf, until
#                               "ip mroute" / "ip -6 mroute" show each (S,G)
#   smcroute_stop               stop it; mc_forwarding of both families
#                               back to 0

TOPO_HELPERS=${SELFTESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}/helpers
TOPO_SYNC_GROUP=239.255.77.77
TOPO_PORT=5000
TOPO_N=0
TOPO_DIR=$(mktemp -d /tmp/topo.XXXXXX)
on_exit "rm -rf '$TOPO_DIR'"
TOPO_SYNC_N=0
declare -a TOPO_RX_NAMES=() TOPO_SYNC_TARGETS=()
declare -A TOPO_RX_IFS=() TOPO_RX_PID=()
RX_SYNC_ADDRS=
RX_NOSYNC=
TOPO_IPV6=
TOPO_SRC6=2001:db8::2
FAM=${MFWD_FAMILY:-4}
# shellcheck disable=SC2034  # for the tests
if ((FAM == 6)); then FAMNAME=inet6; else FAMNAME=inet; fi

fam() { if ((FAM == 6)); then echo "$2"; else echo "$1"; fi; }

# Timeouts (seconds) for waits under TCG; generous, the waits poll.
# (the debug kernel: a receiver's python3 alone takes 10-20 s to start
# when two such VMs share the host)
if [[ -z ${TOPO_WAIT:-} ]]; then
	TOPO_WAIT=30
	debug_kernel && TOPO_WAIT=150
fi

jsel() { python3 "$TOPO_HELPERS/jsel.py" "$@"; }

mf() {
	local out rc=0
	out=$("$MFWDCTL" "$@" 2>&1) || rc=$?
	((rc == 0)) || fail "mfwdctl $* exited $rc: $out"
	[[ -z $out ]] || printf '%s\n' "$out"
}

# (one exec: -e ignores the IPv6 keys where there is no IPv6)
__topo_sysctls() {
	local v6=(net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1)
	[[ -z $TOPO_IPV6 ]] ||
		v6=(net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
			net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0)
	ns_exec "$1" sysctl -qew "${v6[@]}" \
		net.ipv4.igmp_max_memberships=1024 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 >/dev/null
}

# bg_start LOG NS CMD...: run CMD in NS in the background, output to LOG;
# BG_PID is CMD's own pid ("ip netns exec" execs it), so killing it stops
# CMD (not just a subshell).
bg_start() {
	local logf=$1 ns=$2
	shift 2
	if [[ -z $ns || $ns == - ]]; then
		"$@" >"$logf" 2>&1 &
	else
		ip netns exec "$ns" "$@" >"$logf" 2>&1 &
	fi
	BG_PID=$!
}

# topo_init [-6] N
topo_init() {
	local k r6='' h6=''
	((FAM == 4)) || [[ $1 == -6 ]] || set -- -6 "$@"
	if [[ $1 == -6 ]]; then
		TOPO_IPV6=1 r6=,2001:db8::1/64 h6=,$TOPO_SRC6/64
		shift
	fi
	local n=$1
	TOPO_N=$n
	require_cmd python3
	sysctl -qw net.core.netdev_max_backlog=10000
	__topo_sysctls -
	ns_create src
	__topo_sysctls src
	veth_pair - r0 "10.0.0.1/24$r6" src eth0 "10.0.0.2/24$h6"
	ip -n src route add default via 10.0.0.1
	for ((k = 1; k <= n; k++)); do
		ns_create "rx$k"
		__topo_sysctls "rx$k"
		[[ -z $TOPO_IPV6 ]] || r6=,2001:db8:$k::1/64 h6=,2001:db8:$k::2/64
		veth_pair - "r$k" "10.0.$k.1/24$r6" "rx$k" eth0 "10.0.$k.2/24$h6"
		ip -n "rx$k" route add default via "10.0.$k.1"
	done
}

# topo_mfwd [IF...]
# shellcheck disable=SC2120  # the interfaces are optional
topo_mfwd() {
	local ifs=("$@") i k
	if ((${#ifs[@]} == 0)); then
		ifs=(r0)
		for ((k = 1; k <= TOPO_N; k++)); do ifs+=("r$k"); done
	fi
	load_mfwd
	on_exit "'$MFWDCTL' flush all; rmmod mfwd"
	for i in "${ifs[@]}"; do
		mf vif add dev "$i"
	done
}

# rx_start NAME NS "IF..." GROUP...   (router addresses in RX_SYNC_ADDRS)
rx_start() {
	local name=$1 ns=$2 iflist=$3 pid i
	shift 3
	local args=(--port "$TOPO_PORT" --out "$TOPO_DIR/$name.cnt" --group "$TOPO_SYNC_GROUP")
	for i in "$@"; do args+=(--group "$i"); done
	for i in $iflist; do args+=(--iface "$i"); done
	bg_start "$TOPO_DIR/$name.log" "$ns" python3 "$TOPO_HELPERS/mcrecv.py" "${args[@]}"
	pid=$BG_PID
	on_exit "kill $pid"
	wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/$name.cnt" ||
		fail "receiver $name did not get ready: $(cat "$TOPO_DIR/$name.log")"
	TOPO_RX_PID[$name]=$pid
	if [[ -z $RX_NOSYNC ]]; then
		TOPO_RX_NAMES+=("$name")
		TOPO_RX_IFS[$name]=$iflist
		for i in $RX_SYNC_ADDRS; do TOPO_SYNC_TARGETS+=("$i"); done
	fi
	RX_SYNC_ADDRS='' RX_NOSYNC=''
}

rx_stop_all() {
	local name
	for name in "${!TOPO_RX_PID[@]}"; do
		kill "${TOPO_RX_PID[$name]}" 2>/dev/null || true
		wait "${TOPO_RX_PID[$name]}" 2>/dev/null || true
		rm -f "$TOPO_DIR/$name.cnt"
	done
	TOPO_RX_NAMES=() TOPO_SYNC_TARGETS=() TOPO_RX_PID=() TOPO_RX_IFS=()
	TOPO_SYNC_N=0
}

# cap_start NAME NS IF GROUP
cap_start() {
	local name=$1 ns=$2 ifn=$3 g=$4 pid
	bg_start "$TOPO_DIR/$name.caplog" "$ns" python3 "$TOPO_HELPERS/pktcap.py" \
		--iface "$ifn" --group "$g" --out "$TOPO_DIR/$name.cap"
	pid=$BG_PID
	on_exit "kill $pid"
	wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/$name.cap" ||
		fail "capture $name did not start: $(cat "$TOPO_DIR/$name.caplog")"
}

# cap_field NAME KEY [SUBKEY]
cap_field() {
	if (($# == 2)); then
		awk -v k="$2" '$1 == k && NF == 2 { n = $2 } END { print n + 0 }' "$TOPO_DIR/$1.cap"
	else
		awk -v k="$2" -v s="$3" '$1 == k && $2 == s { n = $3 } END { print n + 0 }' "$TOPO_DIR/$1.cap"
	fi
}

# rx_start_all GROUP...: receiver rxK in netns rxK on eth0
rx_start_all() {
	local k
	for ((k = 1; k <= TOPO_N; k++)); do
		RX_SYNC_ADDRS=10.0.$k.1
		rx_start "rx$k" "rx$k" eth0 "$@"
	done
}

# __rx_field NAME KEY IF GROUP: column 4 of the matching line, 0 if none
# (in bash: these are polled, and an exec costs up to 1 s on the debug kernel)
__rx_field() {
	local k i g n r=0
	while read -r k i g n _; do
		[[ $k == "$2" && $i == "$3" && $g == "$4" ]] && r=$n
	done <"$TOPO_DIR/$1.cnt"
	echo "$r"
}
rx_count() { __rx_field "$1" count "$2" "$3"; }
# rx_counts "GROUP..." N: "rx1/G=n rx2/G=n ..." for receivers rx1..rxN (eth0)
rx_counts() {
	local g k out=
	for g in $1; do
		for ((k = 1; k <= $2; k++)); do out+="rx$k/$g=$(rx_count "rx$k" eth0 "$g") "; done
	done
	echo "${out% }"
}
rx_bytes() { __rx_field "$1" bytes "$2" "$3"; }
rx_bad() { __rx_field "$1" bad "$2" "$3"; }
# __rx_pairs NAME KEY IF GROUP: "c4:c5 c4:c5 ..." of the matching lines
__rx_pairs() {
	local k i g a b out=()
	while read -r k i g a b _; do
		[[ $k == "$2" && $i == "$3" && $g == "$4" ]] && out+=("$a:$b")
	done <"$TOPO_DIR/$1.cnt"
	echo "${out[*]}"
}
rx_ttls() { __rx_pairs "$1" ttl "$2" "$3"; }
rx_srcs() { __rx_pairs "$1" src "$2" "$3"; }

# send [NS] -- MCSEND-ARGS...
send() {
	local ns=src
	if [[ $1 != -- ]]; then ns=$1; shift; fi
	[[ $1 == -- ]] && shift
	local extra=()
	if [[ $ns == src && " $* " != *" --iface-addr "* && " $* " != *" --ifname "* ]]; then
		extra=(--iface-addr 10.0.0.2)
		[[ ! " $* " =~ \ --group\ [^\ ]*: ]] || extra=(--iface-addr "$TOPO_SRC6")
	fi
	ns_exec "$ns" python3 "$TOPO_HELPERS/mcsend.py" --port "$TOPO_PORT" \
		"${extra[@]}" "$@" || fail "mcsend.py $* failed in netns $ns"
}

# __topo_synced N: every receiver has >= N sync packets on each interface
# (one awk per receiver: processes are expensive under TCG)
__topo_synced() {
	local want=$1 name k i g n
	local -A need
	for name in "${TOPO_RX_NAMES[@]}"; do
		need=()
		for i in ${TOPO_RX_IFS[$name]}; do need[$i]=1; done
		while read -r k i g n _; do
			[[ $k == count && $g == "$TOPO_SYNC_GROUP" && -n ${need[$i]:-} ]] &&
				((n >= want)) && unset "need[$i]"
		done <"$TOPO_DIR/$name.cnt"
		((${#need[@]} == 0)) || return 1
	done
}

# topo_sync: every receiver has got every packet sent before this call.
topo_sync() {
	local args=() a
	((${#TOPO_SYNC_TARGETS[@]})) || return 0
	TOPO_SYNC_N=$((TOPO_SYNC_N + 1))
	for a in "${TOPO_SYNC_TARGETS[@]}"; do args+=(--iface-addr "$a"); done
	ns_exec - python3 "$TOPO_HELPERS/mcsend.py" --port "$TOPO_PORT" \
		--group "$TOPO_SYNC_GROUP" --ttl 1 --size 8 --count 1 "${args[@]}" ||
		fail "sending the sync packets failed"
	wait_for -t "$TOPO_WAIT" __topo_synced "$TOPO_SYNC_N" ||
		fail "sync packet $TOPO_SYNC_N not received everywhere:"$'\n'"$(rx_dump)"
}

rx_summary() {
	local name=$1 ifn=$2
	shift 2
	awk -v name="$name" -v i="$ifn" -v groups="$*" '
		$2 != i { next }
		$1 == "count" { c[$3] = $4 }
		$1 == "bad" { b[$3] = $4 }
		$1 == "ttl" { t[$3] = t[$3] (t[$3] == "" ? "" : " ") $4 ":" $5 }
		END {
			n = split(groups, g, " ")
			for (k = 1; k <= n; k++)
				printf "%s %s %d ttl %s bad %d\n", name, g[k], c[g[k]], t[g[k]], b[g[k]]
		}' "$TOPO_DIR/$name.cnt"
}

SMC_PID=
# shellcheck disable=SC2317  # called through wait_for
__smc_ready() {
	local sg r4 r6
	r4=$(ip mroute show 2>/dev/null)
	r6=$(ip -6 mroute show 2>/dev/null)
	for sg in "$@"; do
		if [[ $sg == *:* ]]; then
			[[ $r6 == *"$sg"* ]] || return 1
		else
			[[ $r4 == *"$sg"* ]] || return 1
		fi
	done
}
smcroute_start() {
	bg_start "$TOPO_DIR/smcrouted.log" - smcrouted -n -N -l debug \
		-f "$TOPO_DIR/smcroute.conf" -u "$TOPO_DIR/smcroute.sock" \
		-P "$TOPO_DIR/smcroute.pid"
	SMC_PID=$BG_PID
	on_exit "kill $SMC_PID"
	wait_for -t "$TOPO_WAIT" __smc_ready "$@" ||
		fail "smcrouted did not install its routes:"$'\n'"$(ip mroute show; ip -6 mroute show; tail -20 "$TOPO_DIR/smcrouted.log")"
}
# shellcheck disable=SC2317  # called through wait_for
__smc_gone() {
	[[ $(cat /proc/sys/net/ipv4/conf/all/mc_forwarding \
		/proc/sys/net/ipv6/conf/all/mc_forwarding 2>/dev/null) != *1* ]]
}
smcroute_stop() {
	kill "$SMC_PID"
	wait "$SMC_PID" 2>/dev/null || true
	wait_for -t "$TOPO_WAIT" __smc_gone ||
		fail "mc_forwarding still on after smcrouted exited"
}

rx_dump() {
	local name
	for name in "${TOPO_RX_NAMES[@]}"; do
		echo "== $name"
		grep -v '^ready' "$TOPO_DIR/$name.cnt" || true
	done
}

# check_rx GROUP "K=N K=N ...": exact counts of receivers rxK (eth0)
check_rx() {
	local g=$1 spec=$2 kv k n got name seen=" "
	for kv in $spec; do
		k=${kv%%=*} n=${kv#*=}
		got=$(rx_count "rx$k" eth0 "$g")
		[[ $got == "$n" ]] ||
			fail "rx$k got $got packets for $g, expected $n (all: $spec)"$'\n'"$(rx_dump)"
		seen+="rx$k "
	done
	for name in "${TOPO_RX_NAMES[@]}"; do
		[[ $seen == *" $name "* || $name != rx[0-9]* ]] ||
			fail "check_rx $g: receiver $name not covered by '$spec'"
	done
	log "$g: $spec"
}

# wait_rx NAME IF GROUP N: poll until NAME has at least N packets of GROUP
wait_rx() {
	wait_for -t "$TOPO_WAIT" __rx_atleast "$@" ||
		fail "$1 has $(rx_count "$1" "$2" "$3") packets of $3 on $2, waited for $4"$'\n'"$(rx_dump)"
}
__rx_atleast() { (($(rx_count "$1" "$2" "$3") >= $4)); }

# ---- mfwdctl JSON accessors -------------------------------------------------
route_field() {
	local g=$1 s=$2 f=$3 args=(group "$1")
	[[ $s == '*' ]] || args+=(source "$s")
	"$MFWDCTL" -j route get "${args[@]}" | jsel "d[\"$f\"]"
}

stats_field() { "$MFWDCTL" -j stats | jsel "d[\"$1\"]"; }

config_field() { "$MFWDCTL" -j config show | jsel "d[\"$1\"]"; }

vif_field() {
	"$MFWDCTL" -j vif show | jsel "[v[\"$2\"] for v in d if v[\"dev\"] == \"$1\"][0]"
}

# route_oifs G S: "dev/ttl dev/ttl" of a route
route_oifs() {
	local args=(group "$1")
	[[ $2 == '*' ]] || args+=(source "$2")
	"$MFWDCTL" -j route get "${args[@]}" |
		jsel '" ".join("%s/%d" % (o["dev"], o["ttl"]) for o in d["oifs"])'
}

# __jcheck WHAT "MFWDCTL-ARGS" JCHECK-ARGS...
__jcheck() {
	local what=$1 json out
	# shellcheck disable=SC2206  # word splitting wanted
	local words=($2)
	shift 2
	json=$("$MFWDCTL" "${words[@]}" 2>&1) || fail "mfwdctl ${words[*]}: $json"
	out=$(python3 "$TOPO_HELPERS/jcheck.py" "$@" <<<"$json") ||
		fail "$what:"$'\n'"$out"
}
check_stats() { __jcheck "mfwd stats" "-j stats" "$@"; }
check_vifs() { __jcheck "mfwd VIFs" "-j vif show" --by dev "$@"; }
check_route() {
	local cmd="-j route get group $1"
	[[ $2 == '*' ]] || cmd+=" source $2"
	shift 2
	__jcheck "route ${cmd#-j route get }" "$cmd" "$@"
}

tables_snapshot() {
	{
		"$MFWDCTL" -j route show
		"$MFWDCTL" -j vif show
	} | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    for e in d:
        e.pop("idle_ms", None)
    print(json.dumps(d, sort_keys=True))'
}
