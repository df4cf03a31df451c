#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# The kernel's own smcroute test, tools/testing/selftests/net/forwarding/
# router_multicast.sh (from linux-source-6.12, extracted by
# "tools/lint/ksrc.sh DIR forwarding", never kept in this repository), run
# unmodified against mfwd: MCD=mfwd-smcrouted MC_CLI=mfwd-smcroutectl, with
# mfwd loaded. Its three hosts and router are VRFs over three veth pairs
# in this netns, named by a forwarding.config next to a copy of the
# scripts in a temporary directory (the upstream lib.sh reads
# forwarding.config from its own directory). Sender: mausezahn
# (netsniff-ng); counting: tc flower; jq.
#
# All six cases run (the upstream TESTS variable): mcast, rpf and unres,
# each for IPv4 and IPv6 (mfwd-smcrouted drives mfwd's IPv6 routes as it
# drives the IPv4 ones). Every case must print "[ OK ]" and the script
# must exit 0.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

CASES="mcast_v4 mcast_v6 rpf_v4 rpf_v6 unres_v4 unres_v6"

require_dropins
tools=$SMC_TOOLS
require_cmd mausezahn jq tc
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/rtmc.XXXXXX)
on_exit "rm -rf '$tmp'"

# The scripts: from build/ksrc when the host extracted them (the VM sees
# the repository read-only), else extracted here (slow under TCG).
rel=tools/testing/selftests/net
ksrc=$repo/build/ksrc
if ! "$repo/tools/lint/ksrc.sh" "$ksrc" forwarding >/dev/null 2>&1; then
	ksrc=$tmp/ksrc
	log "[${SECONDS}s] extracting router_multicast.sh and its libraries"
	"$repo/tools/lint/ksrc.sh" "$ksrc" forwarding ||
		skip "cannot extract $rel/forwarding from linux-source-6.12"
fi
mkdir -p "$tmp/net/forwarding"
cp "$ksrc/$rel/lib.sh" "$tmp/net/"
cp "$ksrc/$rel/forwarding/"{router_multicast.sh,lib.sh,tc_common.sh} \
	"$tmp/net/forwarding/"
# veth pairs p1-p2, p3-p4, p5-p6 (the upstream lib creates them)
cat >"$tmp/net/forwarding/forwarding.config" <<'EOF'
NETIFS[p1]=mfv1
NETIFS[p2]=mfv2
NETIFS[p3]=mfv3
NETIFS[p4]=mfv4
NETIFS[p5]=mfv5
NETIFS[p6]=mfv6
NETIF_TYPE=veth
NETIF_CREATE=yes
WAIT_TIME=1
TC_HIT_TIMEOUT=5000
EOF
for i in 1 3 5; do on_exit "ip link del mfv$i"; done

load_mfwd
on_exit "'$MFWDCTL' flush all; rmmod mfwd"
# the daemon the script starts (it stops it with "pkill $MCD") is gone
# before mfwd is unloaded
# shellcheck disable=SC2317  # called through wait_for
daemon_gone() { ! pgrep -x mfwd-smcrouted >/dev/null; }
on_exit "pkill -x mfwd-smcrouted; wait_for daemon_gone"

log "[${SECONDS}s] router_multicast.sh, TESTS=\"$CASES\""
rc=0
(cd "$tmp/net/forwarding" &&
	PATH=$tools:$PATH MCD=mfwd-smcrouted MC_CLI=mfwd-smcroutectl \
		TESTS=$CASES bash ./router_multicast.sh) >"$tmp/out" 2>&1 || rc=$?
sed 's/^/# /' "$tmp/out"

ok=$(grep -c '^TEST: .*\[ OK \]$' "$tmp/out" || true)
bad=$(grep -c '^TEST: .*\[\(FAIL\|XFAIL\|SKIP\)\]$' "$tmp/out" || true)
ncases=$(wc -w <<<"$CASES")
((rc != KSFT_SKIP || ok)) || skip "router_multicast.sh: $(grep -m1 '^SKIP' "$tmp/out")"
log "router_multicast.sh: $ok of $ncases passed, exit $rc"
((rc == 0 && ok == ncases && bad == 0)) ||
	fail "router_multicast.sh: $ok of $ncases cases passed, $bad failed, exit $rc"
wait_for daemon_gone || fail "mfwd-smcrouted still running after the script"
check_eq "$("$MFWDCTL" -j route show)" "[]" "routes after the daemon exited"
pass "router_multicast.sh: $ok of $ncases cases passed ($CASES)"
