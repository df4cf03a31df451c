#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# After insmod the generic-netlink family "mfwd" resolves in the initial
# network namespace and in namespaces created with "ip netns add" (before
# and after the load); after rmmod it is gone everywhere.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

family_ok() { ns_exec "$1" genl ctrl get name mfwd >/dev/null 2>&1; }

ns_create mfwd-a
load_mfwd
on_exit "rmmod mfwd"
ns_create mfwd-b

for ns in - mfwd-a mfwd-b; do
	out=$(ns_exec "$ns" genl ctrl get name mfwd 2>&1) ||
		fail "genl ctrl get name mfwd failed in netns '${ns/#-/init}': $out"
	grep -q 'Name: mfwd' <<<"$out" ||
		fail "unexpected 'genl ctrl get' output in netns '${ns/#-/init}': $out"
	log "netns ${ns/#-/init}: family mfwd present"
done

unload_mfwd
for ns in - mfwd-a mfwd-b; do
	! family_ok "$ns" || fail "family mfwd still resolvable in netns '${ns/#-/init}' after rmmod"
done
pass "family mfwd visible in init netns and 2 other netns"
