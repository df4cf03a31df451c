#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The libmnl example controller Documentation/examples/mfwd-listen.c does
# what Documentation/mfwd.rst says, for IPv4 and then IPv6: started with
# "-o r1 -o r2", it prints the VIF it sees added, answers the NOCACHE of a
# new (S,G) from r0 with a route from r0 to r1 and r2, and prints that
# route's notification; the queued first packet and the ones after it
# reach rx1 and rx2 (not rx3), intact, TTL/hop limit 63.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
require_cmd cc pkg-config
pkg-config --exists libmnl || skip "libmnl-dev not installed"
G=$(fam 239.1.56.1 ff0e::56:1) S=$(fam 10.0.0.2 "$TOPO_SRC6") N=5
REPO=$(cd "$TOPO_HELPERS/../.." && pwd)
LISTEN=$TOPO_DIR/mfwd-listen
# shellcheck disable=SC2046  # pkg-config's words
cc -Wall -I "$REPO/uapi" -o "$LISTEN" "$REPO/Documentation/examples/mfwd-listen.c" \
	$(pkg-config --cflags --libs libmnl) || fail "mfwd-listen.c does not build"

topo_init 3
topo_mfwd r0 r1 r2
mf config set unres-timeout 600000
rx_start_all "$G"
bg_start "$TOPO_DIR/listen.log" - "$LISTEN" -o r1 -o r2
on_exit "kill $BG_PID"
# It has joined the events group once it prints a VIF added after it; until
# then, r3 is removed and added again (an add before it joined is missed).
# shellcheck disable=SC2317  # called by wait_for
listening() {
	grep -qx "vif add r3" "$TOPO_DIR/listen.log" && return 0
	"$MFWDCTL" vif del dev r3 >/dev/null 2>&1 || true
	"$MFWDCTL" vif add dev r3 >/dev/null
	lib_sleep 0.5
	return 1
}
wait_for -t "$TOPO_WAIT" listening ||
	fail "mfwd-listen did not see r3 added: $(cat "$TOPO_DIR/listen.log")"

# shellcheck disable=SC2317  # called by wait_for
routed() { "$MFWDCTL" route get group "$G" source "$S" >/dev/null 2>&1; }
send -- --group "$G" --count 1
wait_for -t "$TOPO_WAIT" routed ||
	fail "mfwd-listen installed no route: $(cat "$TOPO_DIR/listen.log")"
send -- --group "$G" --count $((N - 1))
topo_sync
check_rx "$G" "1=$N 2=$N 3=0"
for k in 1 2; do
	check_eq "$(rx_ttls rx$k eth0 "$G")" "63:$N" "rx$k TTLs (sent 64)"
	check_eq "$(rx_bad rx$k eth0 "$G")" 0 "rx$k corrupted payloads"
done
check_route "$G" "$S" family="$FAMNAME" packets=$N iif=r0 \
	oifs='[{"dev":"r1","ttl":1},{"dev":"r2","ttl":1}]'

grep -qxF "nocache ($S, $G) iif r0" "$TOPO_DIR/listen.log" ||
	fail "no NOCACHE line for ($S, $G): $(cat "$TOPO_DIR/listen.log")"
grep -qxF "route add ($S, $G) iif r0 oif r1 r2" "$TOPO_DIR/listen.log" ||
	fail "no route notification line for ($S, $G): $(cat "$TOPO_DIR/listen.log")"
pass "mfwd-listen.c answered the NOCACHE; $N packets to rx1 and rx2"
