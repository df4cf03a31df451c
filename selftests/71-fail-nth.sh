#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# timeout: 900
# Fault injection (issue 10 item 4), on the debug kernel (FAILSLAB,
# FAIL_PAGE_ALLOC, FAULT_INJECTION_DEBUG_FS, FAULT_INJECTION_STACKTRACE_FILTER;
# Debian's kernels have none of them).
#  (1) Control path: every request that allocates (VIF_ADD of each flavour
#      and in a new table,
#      ROUTE_ADD (S,G) and (*,G) with 1, 64 and $BIG outputs (default 520:
#      the first size whose route is over 8 KiB, so kmalloc takes it from the
#      page allocator, as it does up to 1023 outputs), ROUTE_ADD with
#      REPLACE, with several inputs, iif any, per-input, in a table,
#      CONFIG_SET resizing
#      the unresolved table, VIF_DEL (also of an accept set's input), ROUTE_DEL,
#      FLUSH, the dumps, the GETs, and the first requests in a fresh netns)
#      runs with /proc/thread-self/fail-nth = 1, 2, 3, ... until it succeeds
#      without the fault being consumed (helpers/failnth.c: the write, the
#      request and the read-back in one thread).  failslab and fail_page_alloc
#      count only allocations with mfwd's code on the stack (the stack-trace
#      filter on mfwd's text), sleeping ones included.  A failed attempt must
#      return ENOMEM (ENOBUFS: the netlink core) and leave the route and VIF
#      dumps, CONFIG_GET, STATS_GET, the device's ALLMULTI count and
#      mc_forwarding as they were; an attempt that succeeds despite the fault
#      must leave what a plain success leaves.  The number of fault points per
#      request is printed.
#  (2) Packet path: failslab fails 20% of the atomic allocations made under
#      mfwd's code (no task filter: softirq included) while a sender's packets
#      are copied to 4 outputs, and while packets of 500 new (S,G) are queued
#      as unresolved and then released: every copy is received or counted
#      (received = copies, copies + drop_nomem = sent x 4), every unresolved
#      packet is queued or counted as a drop (drop_nomem: the entry could not
#      be allocated), every released one forwarded or counted.
#  (3) The runner unloads mfwd and runs kmemleak after the test.
# FAILNTH_ALL=1: (1) fails every allocation of a request in turn, those of
# the netlink core too (a lost answer is then accepted if the state is the
# old or the new one).
# FAILNTH_DRYRUN=1 runs (1) without faults (reference runs only) and (2)
# without injection, on a kernel without fault injection (development).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_mfwdctl
DRY=${FAILNTH_DRYRUN:-0}
DBG=/sys/kernel/debug
[[ -d $DBG/failslab ]] || mount -t debugfs none "$DBG" 2>/dev/null || true
if [[ ! -e /proc/thread-self/fail-nth || ! -d $DBG/failslab || ! -d $DBG/fail_page_alloc ]]; then
	((DRY)) || skip "no fault injection in this kernel (CONFIG_FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC, debugfs)"
fi
if ((!DRY)); then
	[[ -e $DBG/failslab/require-start ]] ||
		skip "no CONFIG_FAULT_INJECTION_STACKTRACE_FILTER"
fi

FN=$(helper_bin failnth "$TOPO_DIR" -I "$(cd "$TOPO_HELPERS/../../uapi" && pwd)")

# ---- fault injection settings --------------------------------------------------
FI_KNOBS=(probability interval times space verbose task-filter stacktrace-depth
	require-start require-end reject-start reject-end ignore-gfp-wait)
declare -A FI_SAVED=()
fi_save() {
	local d k
	for d in failslab fail_page_alloc; do
		for k in "${FI_KNOBS[@]}" ignore-gfp-highmem min-order; do
			[[ -e $DBG/$d/$k ]] && FI_SAVED[$d/$k]=$(cat "$DBG/$d/$k")
		done
	done
}
# shellcheck disable=SC2317  # called through on_exit
fi_restore() {
	local k
	for k in probability "${!FI_SAVED[@]}"; do
		[[ -n ${FI_SAVED[$k]:-} ]] && echo "${FI_SAVED[$k]}" >"$DBG/$k"
	done
	for k in failslab/probability fail_page_alloc/probability; do
		[[ -e $DBG/$k ]] && echo 0 >"$DBG/$k"
	done
}
# fi_set DIR KNOB=VALUE...
fi_set() {
	local d=$1 kv
	shift
	for kv in "$@"; do
		echo "${kv#*=}" >"$DBG/$d/${kv%%=*}" || fail "cannot set $d/${kv%%=*} to ${kv#*=}"
	done
}

# mfwd's text, for the stack-trace filter: its functions' addresses (the
# module's text is one page-aligned allocation of its own).
mfwd_text() {
	awk '$2 ~ /^[tT]$/ && $4 == "[mfwd]" { print $1 }' /proc/kallsyms | sort |
		awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo, hi }'
}

# ---- the module and the router's topology ----------------------------------------
topo_init 4
topo_mfwd
read -r TLO THI < <(mfwd_text)
[[ -n $TLO && $TLO != 0000000000000000 ]] || fail "mfwd's functions are not in /proc/kallsyms"
# (hex: bash's arithmetic is signed, debugfs takes 0x...)
REQ_START=$(printf '%#x' $((0x$TLO)))
REQ_END=$(printf '%#x' $((((0x$THI + 0x1000) | 0xfff) + 1)))
log "mfwd text: $REQ_START-$REQ_END"

if ((!DRY)); then
	fi_save
	on_exit fi_restore
fi

# Control path: faults only through fail-nth, only under mfwd's code
# (FAILNTH_ALL=1: every allocation of the request, the netlink core's too).
fi_nth_mode() {
	local d lo=$REQ_START hi=$REQ_END
	if ((${FAILNTH_ALL:-0})); then lo=0 hi=0xffffffffffffffff; fi
	for d in failslab fail_page_alloc; do
		fi_set $d probability=0 interval=1 times=-1 space=0 verbose=0 \
			task-filter=N stacktrace-depth=32 ignore-gfp-wait=N \
			require-start="$lo" require-end="$hi" reject-start=0 reject-end=0
	done
	fi_set fail_page_alloc min-order=0
}

# ---- (1) control path ------------------------------------------------------------
# FAILNTH_CTL=0 skips it (to work on (2)).
ctl_path() {
	# Netns fn: dummies a0..a7 and o1..o64; VIFs a0..a3; routes R1 (S,G) and
	# R2 (*,G).  Netns fb: i0 and o1..o$BIG, all VIFs, for the big routes.
	BIG=${FAILNTH_BIG:-520}
	ns_create fn fb
	{
		for i in 0 1 2 3 4 5 6 7; do echo "link add a$i up type dummy"; done
		for ((i = 1; i <= 64; i++)); do echo "link add o$i up type dummy"; done
	} >"$TOPO_DIR/fn.ip"
	ip -n fn -b "$TOPO_DIR/fn.ip" || fail "creating the dummies in fn"
	{
		echo "link add i0 up type dummy"
		for ((i = 1; i <= BIG; i++)); do echo "link add o$i up type dummy"; done
	} >"$TOPO_DIR/fb.ip"
	ip -n fb -b "$TOPO_DIR/fb.ip" || fail "creating the dummies in fb"

	S1=10.1.0.1 G1=239.1.0.1 G2=239.1.0.2
	R1="group=$G1 source=$S1"
	R2="group=$G2"
	R1_ADD="route-add $R1 iif=a0 oif=a1 oif=a2"
	R2_ADD="route-add $R2 iif=a0 oif=a3/5"
	{
		for i in 0 1 2 3; do echo "vif add dev a$i"; done
		echo "route add group $G1 source $S1 iif a0 oif a1 oif a2"
		echo "route add group $G2 iif a0 oif a3/5"
	} >"$TOPO_DIR/fn.mf"
	"$MFWDCTL" -n fn -b "$TOPO_DIR/fn.mf" || fail "setting up fn"
	{
		echo "vif add dev i0"
		for ((i = 1; i <= BIG; i++)); do echo "vif add dev o$i"; done
	} >"$TOPO_DIR/fb.mf"
	"$MFWDCTL" -n fb -b "$TOPO_DIR/fb.mf" || fail "setting up fb"
	check_eq "$("$MFWDCTL" -n fb -j config show | jsel 'd["vif_count"]')" $((BIG + 1)) "VIFs in fb"

	log "[${SECONDS}s] set up"
	((DRY)) || fi_nth_mode
	RESULTS=()
	fn_run() {	# NETNS FAILNTH-ARGS...
		local ns=$1 out rc=0 dry=()
		shift
		((DRY)) && dry=(-0)
		if [[ $ns == - ]]; then
			out=$("$FN" "${dry[@]}" "$@" 2>&1) || rc=$?
		else
			out=$(ip netns exec "$ns" "$FN" "${dry[@]}" "$@" 2>&1) || rc=$?
		fi
		((rc == 0)) || fail "failnth $*:"$'\n'"$out"
		out=$(sed -n '/^RESULT/p' <<<"$out")
		RESULTS+=("$out")
		log "[${SECONDS}s] $out"
	}

	t_ctl=$SECONDS
	# VIFs: each flavour; the device must get its ALLMULTI count back
	fn_run fn -N vif-add -c -u "vif-del ifindex=a4" "vif-add ifindex=a4"
	fn_run fn -N vif-add-threshold -c -u "vif-del ifindex=a4" "vif-add ifindex=a4 threshold=8"
	fn_run fn -N vif-add-register -c -u "vif-del ifindex=a5" "vif-add ifindex=a5 flags=2 threshold=8"
	fn_run fn -N vif-add-no-allmulti -c -u "vif-del ifindex=a6" "vif-add ifindex=a6 flags=1"
	# in a table of its own, which it creates and its removal deletes
	fn_run fn -N vif-add-table -c -u "vif-del ifindex=a4" "vif-add ifindex=a4 table=7"
	fn_run fn -N vif-add-register-no-allmulti -c -u "vif-del ifindex=a7" "vif-add ifindex=a7 flags=3"

	# routes with 1 and 64 outputs (64 more VIFs first)
	for i in $(seq 1 64); do echo "vif add dev o$i"; done >"$TOPO_DIR/fn64.mf"
	"$MFWDCTL" -n fn -b "$TOPO_DIR/fn64.mf" || fail "adding o1..o64 in fn"
	S3=10.1.0.3 G3=239.1.0.3
	fn_run fn -N route-add-sg-1 -c -u "route-del group=$G3 source=$S3" \
		"route-add group=$G3 source=$S3 iif=a0 oif=a1"
	fn_run fn -N route-add-starg-1 -c -u "route-del group=$G3" \
		"route-add group=$G3 iif=a0 oif=a1/7"
	fn_run fn -N route-add-sg-64 -c -u "route-del group=$G3 source=$S3" \
		"route-add group=$G3 source=$S3 iif=a0 oifs=o:1-64"
	fn_run fn -N route-add-starg-64 -c -u "route-del group=$G3" \
		"route-add group=$G3 iif=a0 oifs=o:1-64"
	fn_run fn -N route-add-replace-new -c -u "route-del group=$G3 source=$S3" \
		"route-add group=$G3 source=$S3 iif=a0 oif=a1 replace"
	fn_run fn -N route-replace-1 -c -u "$R1_ADD replace" "route-add $R1 iif=a0 oif=a3 replace"
	fn_run fn -N route-replace-64 -c -u "$R1_ADD replace" "route-add $R1 iif=a1 oifs=o:1-64 replace"
	# several inputs, any input, a per-input route (its own table and
	# prefix-length list); an accept set losing an input
	fn_run fn -N route-add-inputs -c -u "route-del group=$G3" \
		"route-add group=$G3 iif=a0 iif=a1 iif=a2 oif=a1 oif=a3"
	fn_run fn -N route-add-iif-any -c -u "route-del group=$G3" \
		"route-add group=$G3 iif_any oif=a1 oif=a3"
	fn_run fn -N route-add-per-iif -c -u "route-del group=$G3 source=$S3 iif=a1 per_iif" \
		"route-add group=$G3 source=$S3 iif=a1 oif=a3 per_iif"
	G4=239.1.0.4
	{ echo "vif add dev a4"; echo "vif add dev a5"
	  echo "route add group $G4 iif a4 iif a5 oif a3"; } >"$TOPO_DIR/fn45.mf"
	"$MFWDCTL" -n fn -b "$TOPO_DIR/fn45.mf" || fail "accept set in fn"
	fn_run fn -N vif-del-accept-input -c -u "vif-add ifindex=a5" \
		-u "route-add group=$G4 iif=a4 iif=a5 oif=a3 replace" "vif-del ifindex=a5"
	{ echo "route del group $G4"; echo "vif del dev a4"; echo "vif del dev a5"; } \
		>"$TOPO_DIR/fn45d.mf"
	"$MFWDCTL" -n fn -b "$TOPO_DIR/fn45d.mf" || fail "removing the accept set in fn"
	# $BIG outputs, in fb
	fn_run fb -N "route-add-sg-$BIG" -c -u "route-del group=$G3 source=$S3" \
		"route-add group=$G3 source=$S3 iif=i0 oifs=o:1-$BIG"
	"$MFWDCTL" -n fb route add group $G3 iif i0 oif o1 || fail "route in fb"
	fn_run fb -N "route-replace-$BIG" -c -u "route-add group=$G3 iif=i0 oif=o1 replace" \
		"route-add group=$G3 iif=i0 oifs=o:1-$BIG replace"
	"$MFWDCTL" -n fb flush all || fail "flush fb"

	# settings: a resize of the unresolved hash (64 -> 4096 slots)
	fn_run fn -N config-set-unres-max -c -u "config-set unres-max=64" "config-set unres-max=4096"
	fn_run fn -N config-set-other -c -u "config-set unres-qlen=4 unres-timeout=10000 max-routes=4194304" \
		"config-set unres-qlen=8 unres-timeout=5000 max-routes=1000"

	# removals
	fn_run fn -N vif-del-output -c -u "vif-add ifindex=a3" -u "$R2_ADD replace" "vif-del ifindex=a3"
	fn_run fn -N vif-del-input -c -u "vif-add ifindex=a0" -u "$R1_ADD" -u "$R2_ADD" "vif-del ifindex=a0"
	fn_run fn -N route-del -c -u "$R1_ADD" "route-del $R1"
	fn_run fn -N flush -c -u "$R1_ADD" -u "$R2_ADD" "flush"
	"$MFWDCTL" -n fn vif del dev o1 || fail "vif del o1"	# a smaller undo
	for i in $(seq 2 64); do echo "vif del dev o$i"; done >"$TOPO_DIR/fn64d.mf"
	"$MFWDCTL" -n fn -b "$TOPO_DIR/fn64d.mf" || fail "removing o2..o64 in fn"
	fn_run fn -N flush-vifs -c -u "vif-add ifindex=a0" -u "vif-add ifindex=a1" \
		-u "vif-add ifindex=a2" -u "vif-add ifindex=a3" -u "$R1_ADD" -u "$R2_ADD" "flush vifs"

	# reads
	fn_run fn -N route-dump "route-dump"
	fn_run fn -N route-dump-filtered "route-dump group=$G1 iif=a0"
	fn_run fn -N vif-dump "vif-dump"
	fn_run fn -N route-get "route-get $R1"
	fn_run fn -N vif-get "vif-get ifindex=a1"
	fn_run fn -N stats-get "stats-get"
	fn_run fn -N config-get "config-get"
	fn_run fb -N vif-dump-$((BIG + 1)) "vif-dump"

	# the first requests in a fresh netns (a new one for every attempt)
	fn_run - -N fresh-vif-add -f -d 2 -c "vif-add ifindex=d0"
	fn_run - -N fresh-route-add -f -d 2 -c -s "vif-add ifindex=d0" -s "vif-add ifindex=d1" \
		"route-add group=239.3.0.1 source=10.3.0.1 iif=d0 oif=d1"
	fn_run - -N fresh-starg-add -f -d 2 -c -s "vif-add ifindex=d0" -s "vif-add ifindex=d1" \
		"route-add group=239.3.0.1 iif=d0 oif=d1"
	fn_run - -N fresh-table-route-add -f -d 2 -c -s "vif-add ifindex=d0 table=7" \
		-s "vif-add ifindex=d1 table=7" \
		"route-add group=239.3.0.1 source=10.3.0.1 iif=d0 oif=d1 table=7"
	# issue 13: a route with an idle timeout (its extension), a meter, a
	# single-interface VIF (its duplicate filter), the NOCACHE limit
	fn_run - -N fresh-idle-route-add -f -d 2 -c -s "vif-add ifindex=d0" -s "vif-add ifindex=d1" \
		"route-add group=239.3.0.2 source=10.3.0.1 iif=d0 oif=d1 idle-timeout=60000 expire route-flags=1 signal-rate=5"
	fn_run - -N fresh-meter-add -f -d 2 -c -s "vif-add ifindex=d0" -s "vif-add ifindex=d1" \
		-s "route-add group=239.3.0.3 source=10.3.0.1 iif=d0 oif=d1" \
		"meter-add group=239.3.0.3 source=10.3.0.1 unit=0 op=0 value=100 interval=1000"
	fn_run - -N fresh-vif-add-single-if -f -d 1 -c "vif-add ifindex=d0 flags=4 dup-window=500"
	fn_run - -N fresh-config-signal-rate -f -c "config-set signal-rate=10"
	fn_run - -N fresh-config-set -f -c "config-set unres-max=1024"
	fn_run - -N fresh-route-dump -f "route-dump"
	t_ctl=$((SECONDS - t_ctl))

	# After all that: the state is what the requests made it.
	check_eq "$("$MFWDCTL" -n fn -j config show | jsel '"%d %d" % (d["vif_count"], d["route_count"])')" \
		"4 2" "VIFs and routes left in fn"
	check_eq "$("$MFWDCTL" -n fn -j route show |
		jsel '" ".join(sorted("%s/%s/%d" % (r["group"], r["iif"], len(r["oifs"])) for r in d))')" \
		"$G1/a0/2 $G2/a0/1" "routes left in fn"
	"$MFWDCTL" -n fn flush all
	"$MFWDCTL" -n fb flush all
	total=0
	for r in "${RESULTS[@]}"; do
		p=${r#* points=}
		p=${p%% *}
		[[ $p == '?' ]] || total=$((total + p))
	done
	log "(1) ${#RESULTS[@]} requests, $total fault points in all, every failure clean (${t_ctl}s)"
}
total=0
if ((${FAILNTH_CTL:-1})); then
	ctl_path
else
	RESULTS=()
	log "(1) skipped (FAILNTH_CTL=0)"
fi

# ---- (2) packet path --------------------------------------------------------------
G4=239.4.0.1 S=10.0.0.2 N=${FAILNTH_PACKETS:-300}
G5=239.7.0.1 M=${FAILNTH_UNRES:-500}
mf route add group $G4 source $S iif r0 oif r1 oif r2 oif r3 oif r4
rx_start_all $G4 $G5
# Warm up: the neighbour entries of the groups on r1..r4 exist, so nothing
# after mfwd's copy allocates (ip_finish_output2 could lose a copy otherwise).
send -- --group $G4 --count 1 --size 64
topo_sync
check_rx $G4 "1=1 2=1 3=1 4=1"

# stats_delta NAME: a counter now minus in $ST0
stats_delta() { echo $(($(jsel "d[\"$1\"]" <<<"$ST1") - $(jsel "d[\"$1\"]" <<<"$ST0"))); }
fi_pkt_on() {
	((DRY)) && return 0
	fi_set fail_page_alloc probability=0
	fi_set failslab probability=20 interval=1 times=-1 space=0 verbose=0 \
		task-filter=N stacktrace-depth=32 ignore-gfp-wait=Y \
		require-start="$REQ_START" require-end="$REQ_END" reject-start=0 reject-end=0
}
fi_pkt_off() { ((DRY)) || fi_set failslab probability=0; }

ST0=$("$MFWDCTL" -j stats)
in0=$(vif_field r0 pkts_in)
fi_pkt_on
send -- --group $G4 --count "$N" --size 64
topo_sync	# the backlog is processed (with faults) before the sync packet
fi_pkt_off
ST1=$("$MFWDCTL" -j stats)
in1=$(vif_field r0 pkts_in)
rx=0
for k in 1 2 3 4; do rx=$((rx + $(rx_count rx$k eth0 $G4) - 1)); done
fwd=$(stats_delta forwarded) copies=$(stats_delta copies) nomem=$(stats_delta drop_nomem)
log "(2) $N packets to 4 outputs under failslab: forwarded $fwd, copies $copies, drop_nomem $nomem, received $rx"
check_eq $((in1 - in0)) "$N" "packets that reached r0"
check_eq "$fwd" "$N" "packets forwarded"
check_eq "$rx" "$copies" "copies received vs copies counted"
check_eq $((copies + nomem)) $((4 * N)) "copies + drop_nomem vs sent x 4 outputs"
for c in drop_ttl drop_mtu drop_no_vif drop_rpf drop_queue_full; do
	check_eq "$(stats_delta $c)" 0 "$c"
done
((DRY || nomem > 0)) || fail "no copy failed: the injection did not reach mfwd"

# Unresolved: M packets of M new (S,G) of one group (pktgen, sources
# 10.7.0.0 + i), each creating an entry.
modprobe pktgen 2>/dev/null || skip "pktgen not available"
mf config set unres-max 1024 unres-qlen 4 unres-timeout 600000
ST0=$("$MFWDCTL" -j stats)
in0=$(vif_field r0 pkts_in)
fi_pkt_on
# shellcheck disable=SC2016  # the script expands its own variables
ns_exec src sh -c '
	set -e
	pg() { echo "$2" >"/proc/net/pktgen/$1"; }
	[ -e /proc/net/pktgen/eth0 ] || pg kpktgend_0 "add_device eth0"
	pg eth0 "clone_skb 0"
	pg eth0 "count $1"
	pg eth0 "pkt_size 60"
	pg eth0 "delay 0"
	pg eth0 "src_min 10.7.0.0"
	pg eth0 "src_max 10.7.3.255"
	pg eth0 "dst_min $2"
	pg eth0 "dst_max $2"
	pg eth0 "udp_dst_min 5000"
	pg eth0 "udp_dst_max 5000"
	pg eth0 "dst_mac 01:00:5e:07:00:01"
	pg pgctrl start
	grep -q "^Result: OK" /proc/net/pktgen/eth0 || { cat /proc/net/pktgen/eth0 >&2; exit 1; }
' sh "$M" "$G5" || fail "pktgen failed"
topo_sync	# pktgen's packets went through CPU 0's backlog before it
fi_pkt_off
check_eq "$(jsel 'd["unres_packets"]' <<<"$ST0")" 0 "unresolved packets before pktgen"
in1=$(vif_field r0 pkts_in)
ST1=$("$MFWDCTL" -j stats)
queued=$(jsel 'd["unres_packets"]' <<<"$ST1")
entries=$(jsel 'd["unres_entries"]' <<<"$ST1")
nomem=$(stats_delta drop_nomem) full=$(stats_delta drop_queue_full)
exp=$(stats_delta drop_expired) novif=$(stats_delta drop_no_vif)
arrived=$((in1 - in0))
log "(2) $M unresolved packets sent, $arrived arrived: $entries entries, $queued queued," \
	"drop_nomem $nomem, drop_queue_full $full, drop_expired $exp, drop_no_vif $novif"
check_eq "$arrived" "$M" "unresolved packets that reached r0"
check_eq $((queued + nomem + full + exp + novif)) "$arrived" "queued + dropped vs arrived"
check_eq "$((exp + novif))" 0 "expired or no-VIF drops"
((DRY || nomem + full > 0)) || fail "no unresolved entry failed: the injection did not reach mfwd"
# an entry that could not be allocated counts as drop_nomem (the table is
# never full here: 1024 entries, at most $M (S,G), at most 4 per entry)
check_eq "$full" 0 "drop_queue_full (the table was never full)"

# Release them with faults on: every released packet forwarded, each copy
# to r1 and r2 sent or counted.
rx1=$(rx_count rx1 eth0 $G5) rx2=$(rx_count rx2 eth0 $G5)
ST0=$ST1
fi_pkt_on
mf route add group $G5 iif r0 oif r1 oif r2
topo_sync
fi_pkt_off
ST1=$("$MFWDCTL" -j stats)
fwd=$(stats_delta forwarded) copies=$(stats_delta copies) nomem=$(stats_delta drop_nomem)
rx=$(($(rx_count rx1 eth0 $G5) - rx1 + $(rx_count rx2 eth0 $G5) - rx2))
log "(2) released $queued: forwarded $fwd, copies $copies, drop_nomem $nomem, received $rx"
check_eq "$(jsel '"%d %d" % (d["unres_entries"], d["unres_packets"])' <<<"$ST1")" "0 0" "unresolved left"
check_eq "$fwd" "$queued" "released packets forwarded"
check_eq $((copies + nomem)) $((2 * queued)) "copies + drop_nomem vs released x 2 outputs"
check_eq "$rx" "$copies" "released copies received vs counted"

# Everything still works without faults.
fi_pkt_off
# each from its own count: failslab dropped different copies for each
want=
for k in 1 2 3 4; do want+=" $k=$(($(rx_count rx$k eth0 $G4) + 10))"; done
send -- --group $G4 --count 10 --size 64
topo_sync
check_rx $G4 "$want"
((DRY)) && skip "FAILNTH_DRYRUN=1: reference runs only, no faults injected"
pass "${#RESULTS[@]} requests, $total fault points, every failure ENOMEM and invisible; packet path: every copy and queued packet received or counted"
