#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm-batch.sh - run several selftests one after the other inside
# one VM (the guest side of "selftests/run -k debug").  Not a test itself.
#
# usage (in the guest, by selftests/run through tools/vm/run -o DIR):
#   selftests/vm-batch.sh
#
# Reads $VM_OUT/tests, one "INDEX TIMEOUT PATH" line per test, and for each:
#   - "echo clear" to kmemleak (reports from before the test are dropped),
#   - a marker "mfwd-batch: begin INDEX NAME" in the kernel log,
#   - "bash PATH" (or PATH, a C test's binary) in its own cgroup, under timeout(1), output to INDEX.log,
#   - kills what the test left running (cgroup.kill) and puts the VM back
#     as it was at the start: named netns deleted, new links in the initial
#     netns deleted, mfwd and pktgen unloaded, nftables ruleset flushed,
#     changed net.* sysctls written back (a test that changed modprobe's
#     index, modules.dep, fails and ends the batch),
#   - kmemleak: two scans once the test's objects are old enough, and the
#     reports that involve mfwd (see kmemleak_check),
#   - marker "mfwd-batch: end INDEX NAME", the kernel log between the
#     markers saved to INDEX.dmesg.
# Results in $VM_OUT: started.INDEX (when it began), INDEX.log, INDEX.dmesg,
# INDEX.kmemleak (reports, if any), INDEX.fail (reasons the runner adds to
# the test's own verdict, one a line), INDEX.rc (the test's exit status:
# 124 = timed out) and INDEX.dt (seconds).  boot.dmesg is the kernel log
# from before the first test.
#
# It stops early (leaving the rest to a fresh VM, which selftests/run boots)
# after a test that left the kernel untrustworthy: a splat in its kernel
# log ($BATCH_SPLAT_RE, from tools/vm/run --splat-regex), a new taint, lockdep
# turned off, a timeout, leftover processes that would not die, or mfwd that
# would not unload.  The reason is in $VM_OUT/stopped.
#
# Environment: VM_OUT (required), BATCH_SPLAT_RE, KMEMLEAK_STRICT=1 (fail on
# every new kmemleak report, not only those involving mfwd), and what the
# tests need (MFWD_KO, MFWDCTL, KVER, SELFTESTS) passed through.

# The body is one compound command, so bash parses it all before running
# anything: editing this file while it runs cannot break a run.
{
set -uo pipefail

out=${VM_OUT:?VM_OUT is not set: run by selftests/run through tools/vm/run -o}
splat_re=${BATCH_SPLAT_RE:-'Oops|WARNING:|BUG:|KASAN|UBSAN|Call Trace'}
# drops WARN blocks that QEMU's emulation causes (see the script)
excuse=$(dirname "$(readlink -f "$0")")/../tools/vm/splat-filter
strict=${KMEMLEAK_STRICT:-0}
kml=/sys/kernel/debug/kmemleak
cgroot=/sys/fs/cgroup

note() { echo "# batch: $*"; }
kmsg() { echo "mfwd-batch: $*" >/dev/kmsg; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# Taint bits that loading an out-of-tree / unsigned module sets (O, E): not
# a sign of trouble.
taint_ignored=$(((1 << 12) | (1 << 13)))
bad_taint() { echo $(($(cat /proc/sys/kernel/tainted) & ~taint_ignored)); }
lockdep_on() {
	[[ ! -r /proc/lockdep_stats ]] ||
		awk '$1 == "debug_locks:" { exit $2 == 0 }' /proc/lockdep_stats
}

# ---- the state every test starts from ---------------------------------------
base_links=$(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }')
base_mods=$(awk '{ print $1 }' /proc/modules)
base_sysctl=$(sysctl -a 2>/dev/null | grep -E '^net\.(core|ipv4|ipv6)\.' | grep -v '\.mc_forwarding = ')
base_taint=$(bad_taint)
# modprobe's indexes: a test that rewrites them (depmod) breaks the
# modprobes of every later test in this VM
moddep() { cat "/lib/modules/$(uname -r)"/modules.dep{,.bin} 2>/dev/null | cksum; }
base_moddep=$(moddep)
dmesg 2>/dev/null | "$excuse" >"$out/boot.dmesg"
# "clear" only forgets what a scan reported: scan once first, so that the
# boot's own leak suspects are not blamed on the first test.
if [[ -w $kml ]]; then
	echo scan >"$kml" 2>/dev/null
	echo clear >"$kml" 2>/dev/null
fi

restore_state() {
	local l now
	ip -all netns delete 2>/dev/null
	for l in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		grep -qxF "$l" <<<"$base_links" || ip link del "$l" 2>/dev/null
	done
	# pktgen keeps devices and threads: unload it (other modules a test
	# loads, veth or nf_tables on Debian's kernels, stay: the next test would
	# load them again, and unloading them costs seconds)
	if [[ -d /sys/module/pktgen ]] && ! grep -qx pktgen <<<"$base_mods"; then
		rmmod pktgen 2>/dev/null || note "could not unload pktgen"
	fi
	if command -v nft >/dev/null && [[ -n $(nft list ruleset 2>/dev/null) ]]; then
		nft flush ruleset 2>/dev/null
	fi
	# net.* sysctls the test changed (those of devices that are gone are gone)
	now=$(sysctl -a 2>/dev/null | grep -E '^net\.(core|ipv4|ipv6)\.')
	comm -23 <(sort <<<"$base_sysctl") <(sort <<<"$now") |
	while IFS= read -r l; do
		grep -q "^${l%% = *} = " <<<"$now" || continue
		sysctl -qw "${l%% = *}=${l#* = }" >/dev/null 2>&1
	done
}

# unload_mfwd INDEX: rmmod mfwd if the test left it loaded, after recording
# where its code was (kmemleak prints the frames of an unloaded module as raw
# addresses).  Returns 1 if it cannot be unloaded.
mod_lo='' mod_hi=''
unload_mfwd() {
	local i=$1 size base
	[[ -d /sys/module/mfwd ]] || return 0
	read -r _ size _ _ _ base _ < <(grep '^mfwd ' /proc/modules)
	mod_lo=$((base)) mod_hi=$((base + size))
	grep '\[mfwd\]' /proc/kallsyms | sort >"$out/$i.ksyms"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rmmod mfwd 2>/dev/null && return 0
		# a just-killed user may still hold a reference for a moment
		sleep 0.5
	done
	rmmod mfwd >>"$out/$i.log" 2>&1 && return 0
	echo "mfwd could not be unloaded after the test (refcnt $(cat /sys/module/mfwd/refcnt 2>/dev/null))" >>"$out/$i.fail"
	return 1
}

# kmemleak_check INDEX T_UNLOAD: scan twice once every object the test
# allocated is older than kmemleak's minimum age (5 s after mfwd was
# unloaded), then sort the reports (all of them appeared since the "clear"
# before the test) into those that involve mfwd and the others.  A report
# involves mfwd if a backtrace frame names it or is a raw address in the
# module area, i.e. code that is no longer loaded: inside mfwd's range when
# the runner unloaded it (the frame is then symbolized from a kallsyms
# snapshot), otherwise mfwd unloaded by the test itself, or a module the
# test loaded and restore_state removed (the log says which).
# Only mfwd's reports fail the test: the kernel has a few false positives of
# its own, which would make unrelated tests flaky; KMEMLEAK_STRICT=1 fails
# on every report.
modarea_lo=$((0xffffffffa0000000)) modarea_hi=$((0xffffffffff000000))
symbolize() {	# ADDR KSYMS: "sym+0xoff [mfwd]" from the snapshot
	local a=$1 best='' off=0 addr t name
	while read -r addr t name _; do
		[[ $t == [tT] ]] || continue
		((0x$addr <= a)) || break
		best=$name off=$((a - 0x$addr))
	done <"$2"
	[[ -z $best ]] || printf '%s+0x%x [mfwd, unloaded]' "$best" "$off"
}
kmemleak_check() {
	local i=$1 t_unload=$2 all line rep='' mine=0 a n_mfwd=0 n_all=0
	[[ -w $kml ]] || return 0
	while awk -v t="$t_unload" '{ exit !($1 < t + 6) }' /proc/uptime; do
		sleep 0.2
	done
	echo scan >"$kml" 2>/dev/null
	echo scan >"$kml" 2>/dev/null
	all=$(cat "$kml" 2>/dev/null)
	[[ -n $all ]] || return 0
	: >"$out/$i.kmemleak.mfwd"
	: >"$out/$i.kmemleak.other"
	flush() {
		[[ -n $rep ]] || return 0
		n_all=$((n_all + 1))
		if ((mine)); then
			n_mfwd=$((n_mfwd + 1))
			printf '%s' "$rep" >>"$out/$i.kmemleak.mfwd"
		else
			printf '%s' "$rep" >>"$out/$i.kmemleak.other"
		fi
		rep='' mine=0
	}
	while IFS= read -r line; do
		[[ $line == "unreferenced object"* ]] && flush
		# a frame in mfwd while it is loaded: "func+0x1/0x2 [mfwd]"
		[[ $line == *"[mfwd]"* ]] && mine=1
		if [[ $line =~ ^\ +0x([0-9a-f]+)$ ]]; then
			a=$((0x${BASH_REMATCH[1]}))
			if [[ -n $mod_lo ]] && ((a >= mod_lo && a < mod_hi)); then
				mine=1
				line+="  $(symbolize "$a" "$out/$i.ksyms")"
			elif ((a >= modarea_lo && a < modarea_hi)); then
				mine=1
				line+="  (code of an unloaded module)"
			fi
		fi
		rep+="$line"$'\n'
	done <<<"$all"
	flush
	{
		cat "$out/$i.kmemleak.mfwd"
		if [[ -s $out/$i.kmemleak.other ]]; then
			echo "---- reports not involving mfwd ----"
			cat "$out/$i.kmemleak.other"
		fi
	} >"$out/$i.kmemleak"
	rm -f "$out/$i.kmemleak.mfwd" "$out/$i.kmemleak.other"
	if ((n_mfwd > 0)); then
		echo "kmemleak: $n_mfwd unreferenced object(s) involving mfwd" >>"$out/$i.fail"
	elif ((strict)); then
		echo "kmemleak: $n_all unreferenced object(s) (KMEMLEAK_STRICT=1)" >>"$out/$i.fail"
	else
		note "kmemleak: $n_all report(s) not involving mfwd (not failing; KMEMLEAK_STRICT=1 would)" >>"$out/$i.log"
	fi
}

# ---- the tests -----------------------------------------------------------------
stop() { echo "after test $1: $2" >"$out/stopped"; kmsg "stopping: $2"; exit 0; }

while read -r i tmo path; do
	[[ -n $i && -f $path ]] || continue
	name=${path##*/}
	name=${name%.sh}
	cmd=("$path")
	[[ $path == *.sh ]] && cmd=(bash "$path")
	mod_lo='' mod_hi=''
	: >"$out/$i.fail"
	[[ -w $kml ]] && echo clear >"$kml" 2>/dev/null
	uptime_s >"$out/started.$i"
	kmsg "begin $i $name"
	t0=$(uptime_s)
	cg=$cgroot/mfwd-batch-$i
	mkdir -p "$cg" 2>/dev/null || cg=
	(
		[[ -n $cg ]] && echo "$BASHPID" >"$cg/cgroup.procs"
		exec timeout -k 10 "$tmo" "${cmd[@]}"
	) </dev/null >"$out/$i.log" 2>&1
	rc=$?
	t1=$(uptime_s)
	stuck=0
	if [[ -n $cg ]]; then
		if [[ -n $(cat "$cg/cgroup.procs") ]]; then
			note "killing what the test left running: $(xargs -r ps -o comm= -p <"$cg/cgroup.procs" | sort -u | tr '\n' ' ')" >>"$out/$i.log"
			echo 1 >"$cg/cgroup.kill"
			for _ in $(seq 1 100); do
				[[ -z $(cat "$cg/cgroup.procs") ]] && break
				sleep 0.1
			done
		fi
		rmdir "$cg" 2>/dev/null || stuck=1
	fi
	unloaded=1
	unload_mfwd "$i" || unloaded=0
	t_unload=$(uptime_s)
	restore_state >>"$out/$i.log" 2>&1
	t2=$(uptime_s)
	kmemleak_check "$i" "$t_unload"
	moddep_ok=1
	if [[ $(moddep) != "$base_moddep" ]]; then
		echo "the test changed /lib/modules/$(uname -r)/modules.dep (modprobe's index)" >>"$out/$i.fail"
		moddep_ok=0
	fi
	kmsg "end $i $name"
	note "after the test: unload and cleanup $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%d", b - a + 0.5 }')s," \
		"kmemleak $(awk -v a="$t2" '{ printf "%d", $1 - a + 0.5 }' /proc/uptime)s" >>"$out/$i.log"
	dmesg 2>/dev/null | awk -v m="mfwd-batch: begin $i $name" 'index($0, m) { on = 1 } on' |
		"$excuse" >"$out/$i.dmesg"
	# an excused WARN still taints the kernel (W): that taint is explained
	grep -q '^vm: excused emulator artifact' "$out/$i.dmesg" && base_taint=$((base_taint | (1 << 9)))
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d\n", b - a + 0.5 }' >"$out/$i.dt"
	echo "$rc" >"$out/$i.rc.tmp" && mv "$out/$i.rc.tmp" "$out/$i.rc"

	# Is the kernel still fit for the next test?
	((rc == 124 || rc == 137)) && stop "$i" "test timed out"
	((stuck)) && stop "$i" "processes left by the test would not die"
	((unloaded)) || stop "$i" "mfwd would not unload"
	grep -qE "$splat_re" "$out/$i.dmesg" && stop "$i" "kernel splat"
	[[ $(bad_taint) == "$base_taint" ]] || stop "$i" "kernel tainted ($(cat /proc/sys/kernel/tainted))"
	lockdep_on || stop "$i" "lockdep turned itself off"
	((moddep_ok)) || stop "$i" "modules.dep changed"
done <"$out/tests"
exit 0
}
