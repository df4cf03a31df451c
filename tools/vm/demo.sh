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

# In the guest: a source, the router (the VM's own netns) and three
# receivers, routes installed with mfwdctl, traffic sent, and what each
# receiver's socket got, next to mfwd's counters. Uses the selftests'
# topology helpers (selftests/topo.sh).
demo_guest() {
	export MFWD_KO=$ko MFWDCTL=$mfwdctl
	# shellcheck source=../../selftests/lib.sh
	. "$repo/selftests/lib.sh"
	# shellcheck source=../../selftests/topo.sh
	. "$repo/selftests/topo.sh"
	step() { printf '\n$ %s\n' "${*/#$mfwdctl/mfwdctl}"; "$@"; }

	echo "== mfwd demo: kernel $(uname -r) in a qemu VM =="
	cat <<-'TOPO'

	  netns src  10.0.0.2 ---- r0 ┐
	  netns rx1  10.0.1.2 ---- r1 ┤ router (the VM), mfwd loaded,
	  netns rx2  10.0.2.2 ---- r2 ┤ VIFs r0..r3
	  netns rx3  10.0.3.2 ---- r3 ┘
	TOPO
	topo_init 3
	topo_mfwd
	step "$mfwdctl" vif show
	step "$mfwdctl" route add group 239.1.1.1 source 10.0.0.2 iif r0 oif r1 oif r2
	step "$mfwdctl" route add group 239.2.2.2 iif r0 oif r2 oif r3/8
	step "$mfwdctl" route show
	rx_start_all 239.1.1.1 239.2.2.2

	echo
	echo "Sending from src: 100 packets to 239.1.1.1 (TTL 16),"
	echo "50 to 239.2.2.2 (TTL 16) and 50 to 239.2.2.2 (TTL 4)."
	send -- --group 239.1.1.1 --count 100 --ttl 16
	send -- --group 239.2.2.2 --count 50 --ttl 16
	send -- --group 239.2.2.2 --count 50 --ttl 4
	topo_sync

	echo
	echo "What each receiver's socket got:"
	printf '  %-4s %10s %10s\n' "" 239.1.1.1 239.2.2.2
	for k in 1 2 3; do
		printf '  %-4s %10s %10s\n' "rx$k" \
			"$(rx_count rx$k eth0 239.1.1.1)" \
			"$(rx_count rx$k eth0 239.2.2.2)"
	done
	echo "(rx3's output has TTL threshold 8: the TTL 4 packets stop there.)"
	step "$mfwdctl" -s route show
	step "$mfwdctl" -s vif show
	step "$mfwdctl" stats
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
