#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# insmod/rmmod mfwd 20 times; the kernel log must stay free of leak,
# refcount and "still in use" complaints (tools/vm/run separately fails the
# test on any Oops/WARNING/BUG).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

! mfwd_loaded || fail "mfwd is loaded before the test started"
kmsg_mark
for _ in $(seq 1 20); do
	load_mfwd
	unload_mfwd
done
log "20 load/unload cycles done"

# Loading once more must still work after the cycles.
load_mfwd
unload_mfwd

bad=$(kmsg_since_mark | grep -iE 'leak|still in use|refcount|not freed|use-after-free|unregister_netdevice' || true)
[[ -z $bad ]] || fail "suspicious kernel messages:"$'\n'"$bad"
pass "20 insmod/rmmod cycles"
