# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/lib.sh - helpers shared by the mfwd selftests.  Source it first:
#
#	#!/usr/bin/env bash
#	. "$(dirname "$0")/lib.sh"
#
# Tests run as root inside a throw-away VM (see selftests/run) with MFWD_KO,
# MFWDCTL and KVER set.  Exit 0 = pass, $KSFT_SKIP (4) = skip, else fail.
# The script runs with "set -eEuo pipefail": an unexpected failing command
# fails the test with a diagnostic naming the command and line.
#
# Helpers:
#   log MSG...                 print "# MSG" (progress)
#   fail MSG...                print "FAIL: MSG" and exit 1
#   skip MSG...                print "SKIP: MSG" and exit $KSFT_SKIP
#   pass [MSG...]              print "PASS: MSG" and exit 0
#   check_eq ACTUAL EXPECTED MSG...   fail unless ACTUAL == EXPECTED
#   check_ok CMD...            fail (showing CMD's output) unless CMD succeeds
#   check_fail CMD...          fail unless CMD fails
#   wait_for [-t SECS] CMD...  poll CMD every 0.1 s until it succeeds; return 1
#                              after SECS (default 10) without it succeeding
#   require_cmd CMD...         skip unless every CMD is in PATH
#   require_mfwdctl            skip unless $MFWDCTL is executable
#   require_dropins            also mfwd-smcrouted and mfwd-smcroutectl next
#                              to it; sets SMC_TOOLS to their directory
#   debug_kernel               true on a kernel with KASAN (the debug kernel
#                              of "make debug-kernel"), where every exec is
#                              5-10x slower: tests scale their waits there
#   helper_bin NAME DIR [CC-ARGS...]
#                              print the path of the helper helpers/NAME.c
#                              built by "make -C selftests" on the host
#                              ($MFWD_HELPERS, set by selftests/run) if it
#                              is newer than its source, else build it into
#                              DIR with "cc -O2 -Wall CC-ARGS" (fails the test
#                              if that fails)
#   load_mfwd                  insmod $MFWD_KO, check it is live
#   load_mfwd_params PARAM=V...  same, with module parameters
#   unload_mfwd                rmmod mfwd, check it is gone
#   mfwd_loaded                true if the module is loaded
#   ns_create NAME...          ip netns add NAME, lo up; deleted on exit
#   ns_exec NS CMD...          run CMD in NS ("-" or "" = init netns)
#   veth_pair NS1 IF1 ADDR1 NS2 IF2 ADDR2
#                              veth IF1 in NS1 <-> IF2 in NS2, both up; ADDRs
#                              in CIDR form (10.0.0.1/24) or "-" for none;
#                              several separated by "," (IPv6 ones get
#                              "nodad": usable at once)
#   on_exit CMD...             run CMD (a string, eval'ed) at exit, LIFO
#   nl_cases CASES             raw API requests (helpers/mfwdnl.py -b), one
#                              "REQUEST | ANSWER" per line: fail with a diff
#                              unless every answer is as given
#   families F...              run the test once per address family F (4,
#                              6), one after the other: the script runs
#                              again with MFWD_FAMILY=F for each (every run
#                              sets up and cleans up on its own; its result
#                              lines name the family).  The test fails if a
#                              run fails and skips if every run skips.  Call
#                              it before anything is set up.
#   kmsg_mark                  put a marker into the kernel log
#   kmsg_since_mark            print kernel log lines after the last marker
#
# KTAP: a test prints a KTAP header and plan when it sources lib.sh
# ("TAP version 13", "1..1") and its result line when it exits: "ok 1 NAME",
# "not ok 1 NAME" or "ok 1 NAME # SKIP reason" (from its exit status: 0,
# $KSFT_SKIP, anything else), then "# Totals: ...", as kselftest's shell
# tests do.  They are printed through the kernel's ktap_helpers.sh
# (tools/testing/selftests/kselftest/, extracted into build/ksrc by
# "tools/lint/ksrc.sh build/ksrc kselftest", which "make -C selftests"
# does) when it is there, else the same lines are printed here.  Exit
# statuses are unchanged.
#
# Note: the VM kernel is checked for Oops/WARNING/BUG/refcount/KASAN messages
# by tools/vm/run after the test, so tests need not grep for those.

set -eEuo pipefail

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# ---- KTAP -------------------------------------------------------------------
__lib_ktap=${KTAP_HELPERS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/ksrc/tools/testing/selftests/kselftest/ktap_helpers.sh}
if [[ -r $__lib_ktap ]]; then
	# shellcheck source=/dev/null  # extracted at build time
	. "$__lib_ktap"
else
	__lib_ktap=
	ktap_print_header() { echo "TAP version 13"; }
	ktap_set_plan() { echo "1..$1"; }
fi
KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4
export KSFT_PASS KSFT_FAIL KSFT_SKIP
__lib_pid=$BASHPID
__lib_skip_reason=

# __lib_ktap_result RC: the result line of the test (main shell only)
__lib_ktap_result() {
	local rc=$1 name=${TEST_NAME:-$(basename "$0" .sh)}
	((BASHPID == __lib_pid)) || return 0
	[[ -z ${__LIB_FAMILY_RUN:-} ]] || return 0	# the caller's line
	if [[ -n $__lib_ktap ]]; then
		case $rc in
		0) ktap_test_pass "$name" ;;
		4) if [[ -n $__lib_skip_reason ]]; then
			__ktap_test ok "$name" "SKIP $__lib_skip_reason"
			KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
		   else
			ktap_test_skip "$name"
		   fi ;;
		*) ktap_test_fail "$name" ;;
		esac
		ktap_print_totals
	else
		local p=0 f=0 s=0
		case $rc in
		0) echo "ok 1 $name"; p=1 ;;
		4) echo "ok 1 $name # SKIP${__lib_skip_reason:+ $__lib_skip_reason}"; s=1 ;;
		*) echo "not ok 1 $name"; f=1 ;;
		esac
		echo "# Totals: pass:$p fail:$f xfail:0 xpass:0 skip:$s error:0"
	fi
}
if [[ -z ${__LIB_FAMILY_RUN:-} ]]; then
	ktap_print_header
	ktap_set_plan 1
fi

: "${MFWD_KO:=}"
: "${MFWDCTL:=}"
: "${KVER:=$(uname -r)}"
TEST_NAME=$(basename "$0" .sh)

log() { echo "# $*"; }

fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	exit "$KSFT_FAIL"
}

skip() {
	__lib_skip_reason=$*
	echo "SKIP: $*"
	exit "$KSFT_SKIP"
}

pass() {
	echo "PASS: $TEST_NAME${1:+: $*}"
	exit "$KSFT_PASS"
}

# Unexpected failures under set -e: say what failed where, exit 1 (never 4).
__lib_err() {
	local rc=$?
	echo "FAIL: $TEST_NAME: command failed (exit $rc) at ${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}: $BASH_COMMAND" >&2
	exit "$KSFT_FAIL"
}
trap __lib_err ERR

check_eq() {
	local actual=$1 expected=$2
	shift 2
	[[ $actual == "$expected" ]] ||
		fail "${*:-check_eq}: expected '$expected', got '$actual'"
}

check_ok() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	((rc == 0)) || fail "'$*' exited $rc; output:"$'\n'"$out"
}

check_fail() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	((rc != 0)) || fail "'$*' succeeded but should have failed; output:"$'\n'"$out"
}

# An exec costs 0.1-0.3 s under TCG and up to 1 s on the debug kernel:
# polling loops sleep and read the clock without one.
__lib_sleep_fd=
lib_sleep() {
	[[ -n $__lib_sleep_fd ]] || exec {__lib_sleep_fd}<> <(:)
	read -rt "$1" -u "$__lib_sleep_fd" || true
}

wait_for() {
	local secs=10 deadline
	if [[ ${1:-} == -t ]]; then secs=$2; shift 2; fi
	deadline=$((${EPOCHREALTIME/./} + secs * 1000000))
	until "$@" >/dev/null 2>&1; do
		if ((${EPOCHREALTIME/./} >= deadline)); then
			echo "# wait_for: '$*' still false after ${secs}s" >&2
			return 1
		fi
		lib_sleep 0.1
	done
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

debug_kernel() {
	[[ -r /proc/config.gz ]] && zgrep -q '^CONFIG_KASAN=y' /proc/config.gz
}

require_dropins() {
	require_mfwdctl
	SMC_TOOLS=$(cd "$(dirname "$MFWDCTL")" && pwd)
	[[ -x $SMC_TOOLS/mfwd-smcrouted && -x $SMC_TOOLS/mfwd-smcroutectl ]] ||
		skip "mfwd-smcrouted/mfwd-smcroutectl not built"
}

helper_bin() {
	local name=$1 dir=$2 src bin
	shift 2
	src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers/$name.c
	bin=${MFWD_HELPERS:-/nonexistent}/$name
	if [[ -x $bin && $bin -nt $src ]]; then
		echo "$bin"
		return 0
	fi
	require_cmd cc
	cc -O2 -Wall -o "$dir/$name" "$src" "$@" >&2 || fail "cannot build helpers/$name.c"
	echo "$dir/$name"
}

require_mfwdctl() {
	[[ -n $MFWDCTL && -x $MFWDCTL ]] || skip "mfwdctl not built (${MFWDCTL:-MFWDCTL unset})"
}

families() {
	local f rc pass=0 failed=0
	if [[ -n ${__LIB_FAMILY_RUN:-} ]]; then
		TEST_NAME+=" [IPv$MFWD_FAMILY]"
		return 0
	fi
	for f in "$@"; do
		[[ $f == [46] ]] || fail "families: '$f' is not 4 or 6"
		rc=0
		MFWD_FAMILY=$f __LIB_FAMILY_RUN=1 bash "$0" || rc=$?
		case $rc in
		0) pass=$((pass + 1)) ;;
		4) ;;
		*) failed=1 ;;
		esac
	done
	((!failed)) || exit "$KSFT_FAIL"
	((pass)) || skip "every family skipped"
	exit "$KSFT_PASS"
}

# ---- cleanup ---------------------------------------------------------------
__lib_on_exit=()
on_exit() { __lib_on_exit+=("$*"); }

nl_cases() {
	local req want got nl
	nl=$(dirname "${BASH_SOURCE[0]}")/helpers/mfwdnl.py
	req=$(cut -d'|' -f1 <<<"$1")
	want=$(cut -d'|' -f2- <<<"$1" | sed 's/^ //')
	got=$(python3 "$nl" -b - <<<"$req" | sed 's/ offs=[0-9]*//') || true
	[[ $got == "$want" ]] ||
		fail "answers differ (< expected, > got):"$'\n'"$(diff \
			<(paste -d'|' <(echo "$req") <(echo "$want")) \
			<(paste -d'|' <(echo "$req") <(echo "$got")) || true)"
	log "$(wc -l <<<"$req") requests answered as the API says"
}

__lib_cleanup() {
	local rc=$? i
	trap - ERR
	set +e
	for ((i = ${#__lib_on_exit[@]} - 1; i >= 0; i--)); do
		eval "${__lib_on_exit[i]}" >/dev/null 2>&1
	done
	__lib_ktap_result "$rc"
	exit "$rc"
}
trap __lib_cleanup EXIT

# ---- module ----------------------------------------------------------------
mfwd_loaded() { [[ -d /sys/module/mfwd ]]; }

# shellcheck disable=SC2119  # no parameters
load_mfwd() { load_mfwd_params; }

# shellcheck disable=SC2120  # parameters are optional
load_mfwd_params() {
	[[ -n $MFWD_KO ]] || fail "MFWD_KO is not set"
	[[ -f $MFWD_KO ]] || fail "MFWD_KO=$MFWD_KO does not exist"
	local out rc=0
	out=$(insmod "$MFWD_KO" "$@" 2>&1) || rc=$?
	((rc == 0)) || fail "insmod $MFWD_KO $* failed (exit $rc): $out"
	mfwd_loaded || fail "insmod succeeded but /sys/module/mfwd is missing"
	check_eq "$(cat /sys/module/mfwd/initstate)" live "mfwd initstate"
}

unload_mfwd() {
	local out rc=0
	out=$(rmmod mfwd 2>&1) || rc=$?
	((rc == 0)) || fail "rmmod mfwd failed (exit $rc): $out"
	! mfwd_loaded || fail "rmmod succeeded but /sys/module/mfwd still exists"
}

# ---- namespaces and links ---------------------------------------------------
ns_create() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || fail "ip netns add $ns failed"
		on_exit "ip netns del '$ns'"
		ip -n "$ns" link set lo up
	done
}

ns_exec() {
	local ns=$1
	shift
	if [[ -z $ns || $ns == - ]]; then
		"$@"
	elif [[ $1 == ip ]]; then	# one exec, not two
		shift
		ip -n "$ns" "$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

veth_pair() {
	(($# == 6)) || fail "usage: veth_pair NS1 IF1 ADDR1 NS2 IF2 ADDR2"
	local ns1=$1 if1=$2 a1=$3 ns2=$4 if2=$5 a2=$6 peer_ns=()
	[[ -z $ns1 || $ns1 == - ]] && ns1=-
	[[ -z $ns2 || $ns2 == - ]] && ns2=-
	if [[ $ns2 != - ]]; then
		peer_ns=(netns "$ns2")
	elif [[ $ns1 != - ]]; then
		peer_ns=(netns 1)
	fi
	ns_exec "$ns1" ip link add "$if1" type veth peer name "$if2" "${peer_ns[@]}" ||
		fail "cannot create veth $if1/$if2"
	{
		__veth_addrs "$a1" "$if1"
		echo "link set $if1 up"
	} | ns_exec "$ns1" ip -b - || fail "cannot set up $if1"
	{
		__veth_addrs "$a2" "$if2"
		echo "link set $if2 up"
	} | ns_exec "$ns2" ip -b - || fail "cannot set up $if2"
}

# __veth_addrs "ADDR[,ADDR...]" DEV: the "ip -b" lines adding them
__veth_addrs() {
	local a
	[[ $1 == - || -z $1 ]] && return 0
	for a in ${1//,/ }; do
		if [[ $a == *:* ]]; then
			echo "addr add $a dev $2 nodad"
		else
			echo "addr add $a dev $2"
		fi
	done
}

# ---- kernel log --------------------------------------------------------------
__lib_mark=
kmsg_mark() {
	__lib_mark="selftest-mark $TEST_NAME $$ $RANDOM"
	echo "$__lib_mark" >/dev/kmsg
}

kmsg_since_mark() {
	[[ -n $__lib_mark ]] || fail "kmsg_since_mark without kmsg_mark"
	dmesg | sed -n "/$__lib_mark/,\$p" | sed 1d
}
