#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/profile.sh - profiles behind the benchmark figures; runs inside the
# VM (bench/run -p SCENARIOS boots it). Uses bench/vm.sh's functions and
# topology. perf samples cpu-clock (TCG has no PMU).
#
# Scenarios (BENCH_PROFILE):
#   fwd      perf of CPU 0 while forwarding the hot (S,G) to $PROFILE_OIFS
#            outputs (default 32), mfwd then ipmr
#   install  perf of installing/deleting the 100,000 routes, both engines
#   memory   /proc/slabinfo and meminfo difference for 100,000 routes
#   miss     perf of CPU 0 under the miss flood (mfwd wide queue, ipmr)
#   scale    mfwd rate and profile with 1 and with 100,000 routes

set -uo pipefail
BENCH_LIB=1
# shellcheck source=bench/vm.sh
. "$(dirname "${BASH_SOURCE[0]}")/vm.sh"

PERF=${PERF:-perf}
PROFILE_OIFS=${PROFILE_OIFS:-32}
echo "# sampled at 2000 Hz with cpu-clock; percentages are of all samples"
SCEN=${BENCH_PROFILE:-fwd install memory}
export PERF_PAGER=cat

report() {	# report DATAFILE TITLE
	echo "==== $2: self time by symbol"
	"$PERF" report -i "$1" --stdio --no-children --sort sym -g none \
		--percent-limit "${PROFILE_SELF_MIN:-0.8}" 2>/dev/null |
		grep -v '^$' | grep -v '^#' | head -n "${PROFILE_LINES:-40}"
	echo "---- $2: with callees (children) ----"
	"$PERF" report -i "$1" --stdio --children --sort sym -g none \
		--percent-limit "${PROFILE_CHILD_MIN:-2}" 2>/dev/null |
		grep -v '^$' | grep -v '^#' | grep -vE 'cpu_startup_entry|common_startup_64|do_idle|default_idle|rest_init|start_kernel|x86_64_start|ret_from_fork|kthread|smpboot_thread_fn|entry_SYSCALL|do_syscall_64' |
		head -n "${PROFILE_LINES:-40}"
}

prof_fwd() {
	local e
	for e in m i; do
		pg_setup "$e" hot
		hot_route "$e" "$PROFILE_OIFS"
		pg_ctl "$e" start &
		local pgpid=$!
		sleep 1
		"$PERF" record -q -a -C 0 -e cpu-clock -F 2000 -g -o "/tmp/fwd-$e.data" -- sleep "$DUR" 2>/dev/null
		pg_ctl "$e" stop
		wait "$pgpid"
		hot_del "$e"
		report "/tmp/fwd-$e.data" "fwd $e oifs=$PROFILE_OIFS (CPU 0)"
	done
}

prof_install() {
	local add=$BENCH_DATA/install-add.txt del=$BENCH_DATA/install-del.txt
	"$PERF" record -q -a -e cpu-clock -F 2000 -g -o /tmp/ins-m.data -- "$MFWDCTL" -n m-rtr -b "$add" 2>/dev/null
	report /tmp/ins-m.data "install add mfwd (mfwdctl -b, all CPUs)"
	"$PERF" record -q -a -e cpu-clock -F 2000 -g -o /tmp/del-m.data -- "$MFWDCTL" -n m-rtr -b "$del" 2>/dev/null
	report /tmp/del-m.data "install del mfwd"
	"$PERF" record -q -a -e cpu-clock -F 2000 -g -o /tmp/ins-i.data -- "$IPMRCTL" -s "$IPMR_SOCK" load "$add" 2>/dev/null
	report /tmp/ins-i.data "install add ipmr (ipmr-ctl load, all CPUs)"
	"$PERF" record -q -a -e cpu-clock -F 2000 -g -o /tmp/del-i.data -- "$IPMRCTL" -s "$IPMR_SOCK" load "$del" 2>/dev/null
	report /tmp/del-i.data "install del ipmr"
	# where mfwdctl sleeps (its wall time is well above user + sys)
	"$PERF" record -q -e sched:sched_switch -g -o /tmp/sw-m.data -- \
		"$MFWDCTL" -n m-rtr -b "$add" 2>/dev/null
	echo "==== install add mfwd: where mfwdctl blocks (sched_switch stacks)"
	"$PERF" report -i /tmp/sw-m.data --stdio --no-children --sort sym -G \
		--percent-limit 2 2>/dev/null | grep -v '^$' | grep -v '^#' | head -n 60
	"$MFWDCTL" -n m-rtr -b "$del" >/dev/null
	# where mfwdctl's time goes, user vs system
	echo "==== time of mfwdctl -b (user/sys)"
	( time "$MFWDCTL" -n m-rtr -b "$add" ) 2>&1 | tail -n 3
	( time "$MFWDCTL" -n m-rtr -b "$del" ) 2>&1 | tail -n 3
}

# mfwd forwarding one (S,G) to 1 output with 1 route, then with 100,000
# other routes (after the table has settled): rate and CPU 0 profile.
prof_scale() {
	local n l r rest
	pg_setup m hot
	hot_route m 1
	for n in 1 100000; do
		if ((n > 1)); then
			"$MFWDCTL" -n m-rtr -b "$BENCH_DATA/bg-1-1000.txt"
			"$MFWDCTL" -n m-rtr -b "$BENCH_DATA/bg-1000-100000.txt"
			sleep 5	# let the rhashtable worker finish growing the table
		fi
		while read -r l r rest; do echo "# scale $n routes round $r: $rest"; done \
			< <(measure_alt 3 mfwd:m)
		pg_ctl m start &
		local pgpid=$!
		sleep 1
		"$PERF" record -q -a -C 0 -e cpu-clock -F 2000 -g -o "/tmp/scale-$n.data" -- sleep "$DUR" 2>/dev/null
		pg_ctl m stop
		wait "$pgpid"
		PROFILE_SELF_MIN=0.5 report "/tmp/scale-$n.data" "mfwd fwd 1 output, $n routes (CPU 0)"
	done
	mctl flush routes
}

slab_snap() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo | sort; }

prof_memory() {
	local e add=$BENCH_DATA/install-add.txt del=$BENCH_DATA/install-del.txt a b
	for e in m i; do
		sleep 2
		a=$(slab_snap); grep -E '^(Slab|Percpu|VmallocUsed):' /proc/meminfo >/tmp/mi0
		if [[ $e == m ]]; then "$MFWDCTL" -n m-rtr -b "$add"; else ictl load "$add" >/dev/null; fi
		sleep 2
		b=$(slab_snap); grep -E '^(Slab|Percpu|VmallocUsed):' /proc/meminfo >/tmp/mi1
		echo "==== memory $e: slab caches that grew (bytes per route, 100000 routes)"
		join <(echo "$a") <(echo "$b") |
			awk '{ d = $3 - $2; if (d > 100000) printf "%-28s %8.1f\n", $1, d / 100000 }' | sort -k2 -nr
		paste /tmp/mi0 /tmp/mi1 | awk '{ printf "%-14s %8d kB -> %8d kB  %6.1f B/route\n", $1, $2, $5, ($5 - $2) * 1024 / 100000 }'
		if [[ $e == m ]]; then "$MFWDCTL" -n m-rtr -b "$del"; else ictl load "$del" >/dev/null; fi
	done
}

prof_miss() {
	local e
	mctl config set unres-max 65536 unres-timeout 200
	for e in m i; do
		pg_setup "$e" flood
		local mon=
		if [[ $e == m ]]; then "$MFWDCTL" -n m-rtr monitor nocache >/dev/null & mon=$!; fi
		pg_ctl "$e" start &
		local pgpid=$!
		sleep 1
		"$PERF" record -q -a -e cpu-clock -F 2000 -g -o "/tmp/miss-$e.data" -- sleep "$DUR" 2>/dev/null
		pg_ctl "$e" stop
		wait "$pgpid"
		[[ -n $mon ]] && kill "$mon"
		report "/tmp/miss-$e.data" "miss $e (all CPUs)"
	done
}

modprobe pktgen
modprobe -q sch_ingress; modprobe -q cls_matchall; modprobe -q act_gact
setup_topo m "$NRCV" || exit 1
setup_topo i "$NRCV" || exit 1
engines_up || exit 1
for s in $SCEN; do
	case $s in
	fwd) prof_fwd ;;
	install) prof_install ;;
	memory) prof_memory ;;
	scale) prof_scale ;;
	miss) prof_miss ;;
	*) say "unknown scenario $s" ;;
	esac
done
ictl quit >/dev/null 2>&1
exit 0
