#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rmmod while extra network namespaces (with interfaces) exist, delete the
# namespaces afterwards, then load and unload again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

load_mfwd
ip netns add mfwd-x
ip netns add mfwd-y
on_exit "ip netns del mfwd-x; ip netns del mfwd-y"
ip -n mfwd-x link set lo up
veth_pair mfwd-x vx 10.99.0.1/24 mfwd-y vy 10.99.0.2/24
genl ctrl get name mfwd >/dev/null || fail "family mfwd missing after load"

kmsg_mark
unload_mfwd
log "unloaded with 2 netns alive"

ip netns del mfwd-x
ip netns del mfwd-y
wait_for -t 10 sh -c '! ip netns list | grep -q mfwd-' ||
	fail "netns still listed after delete"

load_mfwd
ip netns add mfwd-z
on_exit "ip netns del mfwd-z"
ip netns exec mfwd-z genl ctrl get name mfwd >/dev/null ||
	fail "family mfwd missing in a new netns after reload"
ip netns del mfwd-z
unload_mfwd

bad=$(kmsg_since_mark | grep -iE 'leak|still in use|refcount|not freed|unregister_netdevice: waiting' || true)
[[ -z $bad ]] || fail "suspicious kernel messages:"$'\n'"$bad"
pass "unload with live netns, delete, reload"
