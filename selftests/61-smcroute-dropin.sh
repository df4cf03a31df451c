#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# mfwd-smcrouted and mfwd-smcroutectl are drop-ins for smcroute: one shell
# script written for smcroute 2.5 (smcrouted -n -N -f CONF -I NAME,
# smcroutectl add/remove/join/leave/show/kill, an (S,G) route, (*,G) and
# (*,G/LEN) rules in the file, a (*,G/LEN) route added by hand) runs
# unchanged, byte for byte, first against the real smcroute on the
# kernel's ipmr, then against mfwd with "smcrouted" and "smcroutectl" in
# PATH being symlinks to mfwd-smcrouted and mfwd-smcroutectl. The three
# receivers count the same packets both times (and the counts the rules
# call for), both "show groups" list the joins, and after "kill" mfwd has
# no route left and only the VIF that was there before the daemon.
# Without smcroute installed, only the mfwd half runs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_dropins
tools=$SMC_TOOLS
GROUPS_ALL="239.1.1.1 239.2.0.5 239.3.3.3 239.6.0.7"
SYNC_ADDRS="10.0.1.1 10.0.2.1 10.0.3.1"

log "[${SECONDS}s] topology"
topo_init 3
# a VIF-capable device that is not the daemon's business
ip link add other0 type dummy
ip link set other0 up multicast on
on_exit "ip link del other0"

d=$TOPO_DIR
# ---- what an smcroute user has: a configuration and a script ----------------
cat >"$d/demo.conf" <<'EOF'
# smcroute.conf: a router between r0 (sources) and r1..r3
phyint r0 enable
phyint r1 enable
phyint r2 enable
phyint r3 enable ttl-threshold 2
mgroup from r0 group 239.5.5.5
mroute from r0 group 239.3.3.3 to r1 r3
mroute from r0 group 239.2.0.0/16 to r3
EOF
cat >"$d/route-demo.sh" <<'EOF'
#!/bin/sh
# route-demo.sh CONF TRAFFIC - start smcrouted with CONF, route a stream
# by hand, send TRAFFIC through, take the route down, stop the daemon.
set -e
conf=$1
traffic=$2

rm -f /run/demo.pid
smcrouted -n -N -f "$conf" -I demo -l info &
daemon=$!
# smcrouted writes its PID file once the configuration is in place
n=0
until [ -s /run/demo.pid ] && [ -S /run/demo.sock ]; do
	n=$((n + 1))
	[ $n -le 300 ] || { echo "smcrouted did not start"; exit 1; }
	sleep 0.1
done

smcroutectl -I demo add r0 10.0.0.2 239.1.1.1 r1 r2
smcroutectl -I demo add r0 239.6.0.0/16 r2
smcroutectl -I demo join r0 239.4.4.4
smcroutectl -I demo -p show groups
smcroutectl -I demo show
$traffic 10 239.1.1.1 239.2.0.5 239.3.3.3 239.6.0.7
smcroutectl -I demo -d show routes
smcroutectl -I demo remove r0 10.0.0.2 239.1.1.1
smcroutectl -I demo leave r0 239.4.4.4
$traffic 5 239.1.1.1
smcroutectl -I demo -t show
smcroutectl -I demo kill
rc=0
wait $daemon || rc=$?
echo "smcrouted exited $rc"
EOF
chmod +x "$d/route-demo.sh"

# ---- the test's traffic: TRAFFIC N GROUP... ---------------------------------
# One packet to each group first; then, once the router has a route for it
# (from the start, or installed on demand: the packet waits in the
# unresolved queue and is forwarded then), the other N-1; then a sync
# packet from the router to every receiver (see topo.sh), so that
# everything sent has arrived when it returns.
cat >"$d/traffic" <<EOF
#!/usr/bin/env bash
n=\$1; shift
gargs=(); for g in "\$@"; do gargs+=(--group "\$g"); done
send() { ip netns exec src python3 -S "$TOPO_HELPERS/mcsend.py" --port $TOPO_PORT \
	--iface-addr 10.0.0.2 --ttl 64 --size 64 "\${gargs[@]}" --count "\$1"; }
has_route() {
	if [[ \$IMPL == smcroute ]]; then
		ip mroute show | grep -q "(10.0.0.2,\$1)"
	else
		"$MFWDCTL" route get group "\$1" source 10.0.0.2 >/dev/null 2>&1 ||
			"$MFWDCTL" route get group "\$1" >/dev/null 2>&1
	fi
}
echo "traffic [\$SECONDS s]: \$n to \$*" >&2
send 1
for g in "\$@"; do
	for ((i = 0; i < 10; i++)); do has_route "\$g" && break; sleep 0.1; done
done
echo "traffic [\$SECONDS s]: routes there" >&2
send \$((n - 1))
sync=\$((\$(cat "$d/syncn") + 1)); echo \$sync >"$d/syncn"
args=(); for a in $SYNC_ADDRS; do args+=(--iface-addr "\$a"); done
python3 -S "$TOPO_HELPERS/mcsend.py" --port $TOPO_PORT --group $TOPO_SYNC_GROUP \
	--ttl 1 --size 8 --count 1 "\${args[@]}"
synced() {
	for k in 1 2 3; do
		awk -v s=\$sync '\$1 == "count" && \$3 == "$TOPO_SYNC_GROUP" && \$4 >= s { ok = 1 }
			END { exit !ok }' "$d/rx\$k.cnt" || return 1
	done
}
for ((i = 0; i < 300; i++)); do synced && exit 0; sleep 0.1; done
echo "traffic: sync \$sync not received" >&2
exit 1
EOF
chmod +x "$d/traffic"

counts() { rx_counts "$GROUPS_ALL" 3; }

# run_demo IMPL: the receivers, the script, the counts in $d/IMPL.counts
run_demo() {
	local impl=$1 rc=0
	rx_stop_all
	echo 0 >"$d/syncn"
	log "[${SECONDS}s] $impl: receivers"
	# shellcheck disable=SC2086 # a list of groups, split on purpose
	rx_start_all $GROUPS_ALL
	log "[${SECONDS}s] $impl: route-demo.sh"
	IMPL=$impl "$d/route-demo.sh" "$d/demo.conf" "$d/traffic" \
		>"$d/$impl.log" 2>&1 || rc=$?
	sed "s/^/# $impl: /" "$d/$impl.log"
	((rc == 0)) || fail "route-demo.sh failed with $impl (exit $rc)"
	counts >"$d/$impl.counts"
	log "[${SECONDS}s] $impl: $(cat "$d/$impl.counts")"
}

want="rx1/239.1.1.1=10 rx2/239.1.1.1=10 rx3/239.1.1.1=0"
want+=" rx1/239.2.0.5=0 rx2/239.2.0.5=0 rx3/239.2.0.5=10"
want+=" rx1/239.3.3.3=10 rx2/239.3.3.3=0 rx3/239.3.3.3=10"
want+=" rx1/239.6.0.7=0 rx2/239.6.0.7=10 rx3/239.6.0.7=0"

# ---- 1: smcroute on ipmr ----------------------------------------------------
ref=
if command -v smcrouted >/dev/null && command -v smcroutectl >/dev/null &&
	[[ -e /proc/net/ip_mr_vif ]]; then
	run_demo smcroute
	ref=$(cat "$d/smcroute.counts")
	check_eq "$ref" "$want" "smcroute's counts"
	grep -q '^(\*, 239\.4\.4\.4) *r0$' "$d/smcroute.log" ||
		fail "smcroute: the join is not in show groups"
	# ipmr's VIFs go with the daemon
	wait_for test "$(sed 1d /proc/net/ip_mr_vif | wc -l)" -eq 0 ||
		fail "ipmr VIFs left after smcroute: $(cat /proc/net/ip_mr_vif)"
else
	log "smcroute not installed (or no ipmr): mfwd only"
fi

# ---- 2: the same script, mfwd behind the same names -------------------------
load_mfwd
on_exit "'$MFWDCTL' flush all; rmmod mfwd"
mf vif add dev other0
shim=$d/bin
mkdir -p "$shim"
ln -s "$tools/mfwd-smcrouted" "$shim/smcrouted"
ln -s "$tools/mfwd-smcroutectl" "$shim/smcroutectl"
PATH=$shim:$PATH run_demo mfwd
got=$(cat "$d/mfwd.counts")
check_eq "$got" "$want" "mfwd's counts"
[[ -z $ref ]] || check_eq "$got" "$ref" "mfwd's counts against smcroute's"
grep -q '^smcrouted exited 0$' "$d/mfwd.log" ||
	fail "mfwd-smcrouted did not exit 0 on kill"
grep -q '^(\*, 239\.4\.4\.4) *r0$' "$d/mfwd.log" ||
	fail "mfwd: the join is not in show groups"
grep -q '^(\*, 239\.5\.5\.5) *r0$' "$d/mfwd.log" ||
	fail "mfwd: the mgroup join is not in show groups"
# the (*,G/LEN) rules are prefix routes, in the kernel from the start
sed -n '/Kernel MFC Table/,$p' "$d/mfwd.log" | grep -q '^(\*, 239\.2\.0\.0/16) ' ||
	fail "mfwd: no prefix route (*, 239.2.0.0/16) in show routes"

# after kill: none of the daemon's routes and VIFs, the other VIF kept
check_eq "$("$MFWDCTL" -j route show)" "[]" "routes after kill"
check_eq "$("$MFWDCTL" -j vif show | jsel '" ".join(v["dev"] for v in d)')" \
	other0 "VIFs after kill"
[[ ! -e /run/demo.sock && ! -e /run/demo.pid ]] ||
	fail "socket or PID file left after kill"
pass "one smcroute script: same counts with ${ref:+smcroute and }mfwd ($want)"
