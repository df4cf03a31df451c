#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Devices deleted while traffic flows (sender running in the background):
#  - an output (r2): its VIF disappears from "vif show" and from the route's
#    outputs, rx1 and rx3 keep receiving;
#  - r3, the input of a second ((*,G)) route and an output of the first: the
#    second route is deleted, the first keeps r1 only and rx1 keeps
#    receiving;
#  - r0, the input of the first route: that route is deleted.
# Copies arrive with TTL (hop limit) 63 throughout, none on rx4.  No oops
# (checked by the VM runner), no reference left behind (for IPv6 the VIFs'
# output routes and inet6_dev references too): the devices are really
# freed and mfwd unloads at the end.  IPv4, then IPv6.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
G=$(fam 239.1.7.1 ff0e::1:7:1) G2=$(fam 239.1.7.2 ff0e::1:7:2)
S=$(fam 10.0.0.2 "$TOPO_SRC6") STEP=15

topo_init 4
topo_mfwd
mf route add group "$G" source "$S" iif r0 oif r1 oif r2 oif r3
mf route add group "$G2" iif r3 oif r1 oif r4
rx_start_all "$G"

bg_start "$TOPO_DIR/sender.log" src python3 "$TOPO_HELPERS/mcsend.py" \
	--group "$G" --count 0 --interval 0.002 --iface-addr "$S" --ignore-errors \
	--sent "$TOPO_DIR/sent"
SENDER=$BG_PID
on_exit "kill $SENDER"

kmsg_mark
# rx_grows NAME N: NAME's count grows by STEP from N
rx_grows() { wait_rx "$1" eth0 "$G" $(($2 + STEP)); }
for k in 1 2 3; do rx_grows rx$k 0; done
log "traffic flows to rx1..rx3"

# (a device that cannot be freed makes "ip link del" wait for ever)
timeout 60 ip link del r2 || fail "ip link del r2 hangs or fails"
"$MFWDCTL" vif show | grep -q '^dev r2 ' && fail "r2 still a VIF: $("$MFWDCTL" vif show)"
check_eq "$(route_oifs "$G" "$S")" "r1/1 r3/1" "oifs after deleting r2"
c1=$(rx_count rx1 eth0 "$G") c3=$(rx_count rx3 eth0 "$G")
rx_grows rx1 "$c1"
rx_grows rx3 "$c3"
log "r2 deleted: rx1 and rx3 still receive"

timeout 60 ip link del r3 || fail "ip link del r3 hangs or fails"
check_eq "$("$MFWDCTL" -j route show | jsel '[(r["family"], r["group"]) for r in d]')" \
	"[[\"$FAMNAME\", \"$G\"]]" "routes after deleting r3"
check_eq "$(route_oifs "$G" "$S")" "r1/1" "oifs after deleting r3"
check_eq "$("$MFWDCTL" -j vif show | jsel '[v["dev"] for v in d]')" '["r0", "r1", "r4"]' "VIFs after deleting r3"
c1=$(rx_count rx1 eth0 "$G")
rx_grows rx1 "$c1"
log "r3 deleted: route $G2 gone, rx1 still receives"

timeout 60 ip link del r0 || fail "ip link del r0 hangs or fails"
check_eq "$(config_field route_count)" 0 "routes after deleting r0"
check_eq "$("$MFWDCTL" -j route show | jsel 'len(d)')" 0 "route dump after deleting r0"
check_eq "$("$MFWDCTL" -j vif show | jsel '[v["dev"] for v in d]')" '["r1", "r4"]' "VIFs after deleting r0"
kill "$SENDER"
wait "$SENDER" 2>/dev/null || true
log "sent $(cat "$TOPO_DIR/sent") packets; stats: $("$MFWDCTL" -j stats)"
check_eq "$(stats_field drop_nomem)" 0 "drop_nomem"
for k in 1 2 3; do
	t=$(rx_ttls rx$k eth0 "$G")
	[[ $t == 63:* && $t != *' '* ]] || fail "rx$k TTLs: '$t', expected 63 only"
done
check_eq "$(rx_count rx4 eth0 "$G")" 0 "rx4 (not an output)"

# Every deleted device is gone for real (no reference held: no
# "waiting for rX to become free"), and the module unloads.
for i in r0 r2 r3; do
	! ip link show "$i" >/dev/null 2>&1 || fail "$i still exists"
done
mf flush all
unload_mfwd
bad=$(kmsg_since_mark | grep -iE 'waiting for .* to become free|refcount|leak' || true)
[[ -z $bad ]] || fail "kernel log:"$'\n'"$bad"
pass "output, input+output and input devices deleted under traffic"
