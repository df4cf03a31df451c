#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 800
# kernels: 6.12
# DKMS packaging works for the VM's kernel: "make dkms-install" copies the
# sources to /usr/src/mfwd-VERSION and has dkms build and install mfwd.ko
# for $KVER; "modprobe mfwd" then loads that module (from updates/dkms or
# extra), the genl family appears, and "make dkms-remove" takes it all away.
# The guest's root is an overlay with a tmpfs upper layer, so dkms writes
# /usr/src, /var/lib/dkms and /lib/modules inside the VM only.
# Under TCG, dkms's own "depmod -a" (every module of the kernel, read and
# decompressed over 9p) takes minutes, more than the whole test may: so the
# test passes DKMS_FLAGS=--no-depmod to install and remove, and registers
# the installed file with "depmod KVER FILE", which indexes that module
# alone. That rewrites modules.dep and the other indexes with mfwd as the
# only module, so the test saves them first and puts them back on exit:
# later tests in the same VM (selftests/run's batches) modprobe vrf,
# sch_ingress and others through them. Everything else is what
# "make dkms-install" does on a real machine.
# Compiling under TCG takes 1-2 minutes on an idle host and 4 on a loaded
# one; dkms add/build/install get DKMS_TEST_BUDGET seconds (default 600;
# 244-290 s beside one other VM, 493 s beside three)
# and the test fails, saying so, if they take longer.
# Packaging does not depend on the kernel's version: it runs on 6.12 only
# (the "kernels:" line above), where compiling under TCG is paid once.
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

moddir=/lib/modules/$KVER
idx=$(mktemp -d)
cp -a "$moddir"/modules.* "$idx"/ || fail "cannot save $moddir/modules.*"
on_exit "cp -a '$idx'/modules.* '$moddir'/; rm -rf '$idx'"
log "make dkms-install KVER=$KVER (dkms add, build, install)"
on_exit "rmmod mfwd; make -C '$repo' -s dkms-remove DKMS_FLAGS=--no-depmod"
t0=$SECONDS
budget=${DKMS_TEST_BUDGET:-600}
rc=0
out=$(timeout "$budget" make -C "$repo" -s dkms-install KVER="$KVER" \
	DKMS_FLAGS=--no-depmod 2>&1) || rc=$?
((rc != 124)) || fail "dkms add/build/install did not finish in ${budget} s (DKMS_TEST_BUDGET)"
((rc == 0)) || fail "make dkms-install failed (exit $rc):"$'\n'"$out"
log "dkms add/build/install took $((SECONDS - t0)) s"
log "$(dkms status -m mfwd -v "$ver")"
dkms status -m mfwd -v "$ver" -k "$KVER" | grep -q ': installed' ||
	fail "dkms status does not say installed: $(dkms status -m mfwd)"

ko=$(find "/lib/modules/$KVER/updates" "/lib/modules/$KVER/extra" -name 'mfwd.ko*' 2>/dev/null || true)
ko=${ko%%$'\n'*}
[[ -n $ko ]] || fail "dkms install put no mfwd.ko under /lib/modules/$KVER/{updates,extra}"
depmod "$KVER" "$ko"
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
cp -a "$idx"/modules.* "$moddir"/ || fail "cannot restore $moddir/modules.*"
# the kernel's own modules resolve again (not only mfwd)
check_ok modinfo -n vrf
pass "dkms built and installed mfwd $ver for $KVER; modprobe loaded it from $(dirname "$path")"
