#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# DKMS packaging works for the VM's kernel: "make dkms-install" copies the
# sources to /usr/src/mfwd-VERSION and has dkms build and install mfwd.ko
# for $KVER; "modprobe mfwd" then loads that module (from updates/dkms or
# extra), the genl family appears, and "make dkms-remove" takes it all away.
# The guest's root is an overlay with a tmpfs upper layer, so dkms writes
# /usr/src, /var/lib/dkms and /lib/modules inside the VM only.
# Slow under TCG (compiling, and depmod reading every module of the kernel
# over 9p): about 2-4 minutes, so the removal skips dkms's second depmod
# (DKMS_FLAGS=--no-depmod) and checks that the module file is gone instead.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_cmd dkms make gcc modprobe modinfo genl
[[ -d /lib/modules/$KVER/build ]] || skip "no kernel headers for $KVER"
repo=$(cd "$(dirname "$0")/.." && pwd)
ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$repo/dkms.conf")
[[ -n $ver ]] || fail "no PACKAGE_VERSION in dkms.conf"
check_eq "$(modinfo -F version "$MFWD_KO")" "$ver" \
	"dkms.conf PACKAGE_VERSION vs MODULE_VERSION of mfwd.ko"
! mfwd_loaded || fail "mfwd is loaded before the test"

log "make dkms-install KVER=$KVER (dkms add, build, install)"
on_exit "rmmod mfwd; make -C '$repo' -s dkms-remove DKMS_FLAGS=--no-depmod"
out=$(make -C "$repo" -s dkms-install KVER="$KVER" 2>&1) ||
	fail "make dkms-install failed:"$'\n'"$out"
log "$(dkms status -m mfwd -v "$ver")"
dkms status -m mfwd -v "$ver" -k "$KVER" | grep -q ': installed' ||
	fail "dkms status does not say installed: $(dkms status -m mfwd)"

path=$(modinfo -n mfwd 2>&1) || fail "modinfo cannot find mfwd after dkms install: $path"
log "modinfo -n mfwd: $path"
[[ $path == /lib/modules/$KVER/updates/dkms/mfwd.ko* ||
   $path == /lib/modules/$KVER/extra/mfwd.ko* ]] ||
	fail "mfwd resolves to $path, not to the DKMS-installed module"
[[ -f /usr/src/mfwd-$ver/dkms.conf ]] || fail "/usr/src/mfwd-$ver/dkms.conf missing"

check_ok modprobe mfwd
mfwd_loaded || fail "modprobe mfwd succeeded but mfwd is not loaded"
check_eq "$(cat /sys/module/mfwd/srcversion)" "$(modinfo -F srcversion "$path")" \
	"srcversion of the loaded module vs the DKMS one"
out=$(genl ctrl get name mfwd 2>&1) || fail "genl ctrl get name mfwd: $out"
grep -q 'Name: mfwd' <<<"$out" || fail "unexpected genl output: $out"
log "family mfwd registered by the DKMS module"
check_ok modprobe -r mfwd

out=$(make -C "$repo" -s dkms-remove DKMS_FLAGS=--no-depmod 2>&1) || fail "make dkms-remove failed:"$'\n'"$out"
[[ ! -e $path ]] || fail "$path still exists after dkms-remove"
[[ ! -e /usr/src/mfwd-$ver ]] || fail "/usr/src/mfwd-$ver still exists after dkms-remove"
! dkms status -m mfwd | grep -q . || fail "dkms still knows mfwd: $(dkms status -m mfwd)"
pass "dkms built and installed mfwd $ver for $KVER; modprobe loaded it from $(dirname "$path")"
