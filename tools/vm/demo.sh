#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/demo.sh [KVER] - boot a VM on kernel KVER (default: the one
# module/mfwd.ko was built for) and show mfwd loaded in it.  "make demo"
# installs the dependencies, builds, then runs this.  Replace the guest part
# (demo_guest) as the module grows.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
ko=${MFWD_KO:-$repo/module/mfwd.ko}
mfwdctl=$repo/tools/mfwdctl/mfwdctl

demo_guest() {
	step() { printf '\n$ %s\n' "$*"; "$@"; }
	echo "== mfwd demo: kernel $(uname -r) in a qemu VM =="
	step insmod "$ko"
	printf '\n$ lsmod | grep mfwd\n'
	lsmod | grep -E '^(Module|mfwd) '
	step genl ctrl get name mfwd
	if [[ -x $mfwdctl ]]; then
		step "$mfwdctl" --help || true
	fi
	step rmmod mfwd
	echo
	echo "== demo done =="
}

if [[ ${1:-} == --guest ]]; then
	demo_guest
	exit 0
fi

[[ -f $ko ]] || { echo "demo: $ko missing; run 'make' first" >&2; exit 1; }
kver=${1:-$(modinfo -F vermagic "$ko" | cut -d' ' -f1)}
echo "demo: booting $kver (qemu, TCG) ..."
exec "$repo/tools/vm/run" -k "$kver" -- bash "$here/demo.sh" --guest
