# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/helpers/unchroot.sh - run the sourcing test where user
# namespaces work. Source it first, before lib.sh:
#
#	. "$(dirname "$0")/helpers/unchroot.sh"
#
# tools/vm/run runs the tests chrooted into the overlay of the host's root
# (/newroot; PID 1 stays in the initramfs), and the kernel refuses
# unshare(CLONE_NEWUSER) to a chrooted process (EPERM, even to root). If
# that is the case here, the test starts again in a private mount namespace
# in which the overlay is moved onto "/" (as switch_root would move it), so
# that the test's root is its mount namespace's root. Network namespaces,
# modules and devices are shared with the rest of the VM as before; mounts
# the test makes stay in its mount namespace.
if [[ -z ${MFWD_UNCHROOTED:-} ]] && ! unshare -U true 2>/dev/null &&
	[[ -x /proc/1/root/bin/busybox && -d /proc/1/root/newroot ]]; then
	MFWD_UNCHROOT_SELF=$(readlink -f "$0")
	export MFWD_UNCHROOTED=1 MFWD_UNCHROOT_DIR=$PWD MFWD_UNCHROOT_SELF
	# shellcheck disable=SC2016  # expanded by the inner shells
	exec nsenter -t 1 -m -r -- /bin/busybox unshare -m --propagation private /bin/busybox sh -c \
		'cd /newroot && /bin/busybox mount --move . / &&
		exec /bin/busybox chroot . /bin/bash -c "cd \"\$MFWD_UNCHROOT_DIR\" && exec bash \"\$MFWD_UNCHROOT_SELF\""'
fi
