#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# An unprivileged user (uid 65534) in its own user and network namespace
# (setpriv + unshare -Urn, or helpers/userns_exec.c in a chroot), inside a
# cgroup v2 memory cgroup with memory.max 64 MiB, adds two dummy VIFs and
# installs (*,G) routes in batches of 20,000 until the kernel refuses
# (ENOMEM, or the cgroup's OOM killer):
#  - it cannot raise max-routes above the default (EPERM): limits above the
#    defaults need CAP_NET_ADMIN in the initial user namespace;
#  - the routes are charged to the cgroup: memory.current and memory.stat
#    (slab + percpu) grow by at least 64 bytes per route installed;
#  - so the installation stops near memory.max: routes x 100 bytes (less
#    than a route costs) stays below memory.max.  With nothing charged it
#    would go on to max-routes (4M); the test stops it at twice that bound;
#  - the host is unaffected: MemAvailable fell by less than memory.max +
#    32 MiB, and the initial netns still installs and removes 1000 routes;
#  - deleting the namespace gives the memory back to the cgroup.
# timeout: 900
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

require_mfwdctl
require_cmd setpriv unshare awk
CGROOT=/sys/fs/cgroup
[[ -f $CGROOT/cgroup.controllers ]] || skip "no cgroup v2 at $CGROOT"
grep -qw memory $CGROOT/cgroup.controllers || skip "no memory controller"
if [[ -f /proc/sys/kernel/unprivileged_userns_clone ]]; then
	sysctl -qw kernel.unprivileged_userns_clone=1
fi
setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$MFWDCTL" ||
	skip "uid 65534 cannot run $MFWDCTL"

MAX=$((64 << 20)) BATCH=20000
CAP=$((2 * MAX / 100))	# routes: past this, nothing can have been charged
D=$(mktemp -d /tmp/mfwd45.XXXXXX)
chmod 0777 "$D"
on_exit "rm -rf '$D'"
NS=mfwd45u

meminfo() { awk -v k="$1:" '$1 == k { printf "%.0f\n", $2 * 1024 }' /proc/meminfo; }
cgstat() { awk -v k="$1" '$1 == k { print $2 }' "$CG/memory.stat"; }
cgev() { awk -v k="$1" '$1 == k { print $2 }' "$CG/memory.events"; }
mib() { echo "$(($1 / 1048576)) MiB"; }

load_mfwd
on_exit "ip netns del $NS 2>/dev/null; '$MFWDCTL' flush all; rmmod mfwd"
modprobe dummy

echo +memory >$CGROOT/cgroup.subtree_control
CG=$CGROOT/mfwd45
mkdir "$CG"
on_exit "rmdir '$CG'"
echo $MAX >"$CG/memory.max"
[[ ! -f $CG/memory.swap.max ]] || echo 0 >"$CG/memory.swap.max"

# The unprivileged installer; $D is its mailbox.
cat >"$D/inner.sh" <<'EOS'
d=$1 mfwdctl=$2 batch=$3 cap=$4
ip link add d0 type dummy && ip link add d1 type dummy &&
	ip link set d0 up && ip link set d1 up || exit 10
"$mfwdctl" vif add dev d0 && "$mfwdctl" vif add dev d1 || exit 11
"$mfwdctl" config set max-routes 8388608 >"$d/raise.out" 2>&1
echo $? >"$d/raise.rc"
echo 0 >"$d/routes"
touch "$d/setup.done"
while [ ! -e "$d/go" ]; do sleep 0.05; done
n=0
while [ "$n" -lt "$cap" ]; do
	awk -v s="$n" -v c="$batch" 'BEGIN {
		for (x = s; x < s + c; x++)
			printf "route add group 239.%d.%d.%d iif d0 oif d1\n",
				int(x / 65536) % 256, int(x / 256) % 256, x % 256
	}' | "$mfwdctl" -b - >"$d/batch.out" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "$rc" >"$d/batch.rc"
		break
	fi
	n=$((n + batch))
	echo "$n" >"$d/routes"
done
touch "$d/done"
while [ ! -e "$d/release" ]; do sleep 0.1; done
EOS

# setpriv + unshare -Urn, or, where the kernel refuses a user namespace to
# a chrooted process (the VM runs chrooted in the host-root overlay), the
# same steps by helpers/userns_exec.c
UNS=(setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn)
if ! out=$("${UNS[@]}" true 2>&1); then
	log "'${UNS[*]}' refused ($out): using helpers/userns_exec"
	UNS=("$(helper_bin userns_exec "$D" -static)" 65534)
fi

sync
kmsg_mark
avail0=$(meminfo MemAvailable)
# shellcheck disable=SC2016  # expanded by the inner sh
sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" \
	"${UNS[@]}" sh "$D/inner.sh" "$D" "$MFWDCTL" $BATCH $CAP >"$D/inner.log" 2>&1 &
IPID=$!
on_exit "touch '$D/release'; kill $IPID 2>/dev/null"
wait_for -t 60 test -e "$D/setup.done" ||
	fail "the unprivileged installer did not set up: $(cat "$D/inner.log")"
check_eq "$(awk '{ print $2 }' /proc/$IPID/uid_map)" 65534 "the installer's uid outside its user namespace"
ip netns attach $NS $IPID	# keeps its netns for us, whatever becomes of it
jfield() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
cfg_u() { ip netns exec $NS "$MFWDCTL" -j config show | jfield "$1"; }
soft check_ok test "$(cat "$D/raise.rc")" != 0
soft check_ok grep -qi "not permitted" "$D/raise.out"
log "raising max-routes in the user namespace: exit $(cat "$D/raise.rc"): $(cat "$D/raise.out")"
max_routes=$(cfg_u max_routes)
cur0=$(cat "$CG/memory.current")
slab0=$(cgstat slab) pcpu0=$(cgstat percpu) kern0=$(cgstat kernel)
log "baseline: memory.current $(mib "$cur0"), max-routes $max_routes"

t0=$SECONDS
touch "$D/go"
wait_for -t 800 sh -c "[ -e '$D/done' ] || ! kill -0 $IPID 2>/dev/null" ||
	fail "the installer still runs after 800 s ($(cat "$D/routes") routes)"
dt=$((SECONDS - t0))
sync
cur1=$(cat "$CG/memory.current") peak=$(cat "$CG/memory.peak" 2>/dev/null || echo "?")
slab1=$(cgstat slab) pcpu1=$(cgstat percpu) kern1=$(cgstat kernel)
avail1=$(meminfo MemAvailable)
routes=$(cfg_u route_count)
oomk=$(cgev oom_kill)
log "after ${dt}s: $routes routes ($(cat "$D/routes") confirmed by batches);" \
	"memory.current $(mib "$cur1") (peak $peak), slab +$(mib $((slab1 - slab0))), percpu +$((pcpu1 - pcpu0)) B," \
	"kernel +$(mib $((${kern1:-0} - ${kern0:-0})))"
log "memory.events: $(xargs <"$CG/memory.events")"
log "installer: batch exit $(cat "$D/batch.rc" 2>/dev/null || echo none), $(tail -n 2 "$D/batch.out" 2>/dev/null | xargs)"
log "MemAvailable $(mib "$avail0") -> $(mib "$avail1")"

# refused (ENOMEM from mfwd, or the cgroup's OOM killer took the batch),
# and near memory.max
brc=$(cat "$D/batch.rc" 2>/dev/null || echo none)
if [[ $brc == none ]] && ((oomk == 0)); then
	soft fail "installation was not refused: $routes routes (stopped by the test at $CAP), nothing charged"
elif ! grep -qiE "cannot allocate memory|out of memory" "$D/batch.out" && ((oomk == 0)); then
	soft fail "the batch failed (exit $brc), neither ENOMEM nor an OOM kill: $(tail -n 3 "$D/batch.out")"
fi
((routes * 100 <= MAX)) ||
	soft fail "$routes routes x 100 B = $(mib $((routes * 100))) > memory.max $(mib $MAX): routes are not charged to the cgroup"
((routes >= 20000)) || soft fail "only $routes routes installed before the refusal"
((cur1 >= MAX * 3 / 4)) || soft fail "memory.current $(mib "$cur1") at the refusal, not near memory.max $(mib $MAX)"
# charged: at least 64 B per route in memory.current and in slab + percpu
((cur1 - cur0 >= routes * 64)) ||
	soft fail "memory.current grew by $(mib $((cur1 - cur0))) for $routes routes"
((slab1 + pcpu1 - slab0 - pcpu0 >= routes * 64)) ||
	soft fail "slab + percpu grew by $(mib $((slab1 + pcpu1 - slab0 - pcpu0))) for $routes routes"
# the host
((avail0 - avail1 <= MAX + (32 << 20))) ||
	soft fail "MemAvailable fell by $(mib $((avail0 - avail1))), memory.max is $(mib $MAX)"
ip link add h0 type dummy
ip link add h1 type dummy
on_exit "ip link del h0; ip link del h1"
ip link set h0 up
ip link set h1 up
"$MFWDCTL" vif add dev h0
"$MFWDCTL" vif add dev h1
awk 'BEGIN { for (x = 0; x < 1000; x++) printf "route add group 239.99.%d.%d iif h0 oif h1\n", int(x / 256), x % 256 }' |
	"$MFWDCTL" -b - || soft fail "the initial netns could not install 1000 routes"
soft check_eq "$("$MFWDCTL" -j config show | jfield route_count)" 1000 \
	"routes in the initial netns"
"$MFWDCTL" flush all

# give it back
touch "$D/release"
ip netns del $NS
wait $IPID 2>/dev/null || true
# shellcheck disable=SC2317  # called through wait_for
cg_below() { (($(cat "$CG/memory.current") < $1)); }
# the netns's exit frees every route; the debug kernel (KASAN, lockdep)
# takes minutes for a few hundred thousand
gone_s=60
! debug_kernel || gone_s=600
wait_for -t $gone_s cg_below $((cur0 + (8 << 20))) ||
	soft fail "memory.current $(mib "$(cat "$CG/memory.current")") after the namespace went, was $(mib "$cur0")"
log "after the namespace went: memory.current $(mib "$(cat "$CG/memory.current")")"
# The cgroup's OOM killer logs a report with a stack trace ("Call Trace"),
# which tools/vm/run takes for a kernel problem.  It is expected here: check
# the kernel log without the OOM reports for anything else, then clear it.
if ((oomk > 0)); then
	splat=$("$(dirname "$0")/../tools/vm/run" --splat-regex)
	other=$(kmsg_since_mark | awk '
		/ invoked oom-killer: / { skip = 1 }
		!skip { print }
		/Memory cgroup out of memory: Killed process|Out of memory and no killable/ { skip = 0 }' |
		grep -E "$splat" || true)
	[[ -z $other ]] || soft fail "kernel problems besides the expected OOM report:"$'\n'"$other"
	log "$oomk OOM kill(s) in the cgroup, as expected; the kernel log is cleared of their reports"
	dmesg -C
fi
soft_done
pass "userns refused at $routes routes, $(mib "$cur1") charged to a $(mib $MAX) cgroup; host unaffected"
