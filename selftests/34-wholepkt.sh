#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# WHOLEPKT: a route output on a VIF flagged "register" (a dummy device)
# transmits nothing there; the controller gets the whole IP packet instead,
# byte for byte as it arrived (TTL/hop limit not yet decremented, TOS/
# traffic class and DF kept), in a WHOLEPKT event with the packet's family,
# source, group and input VIF ("mfwdctl monitor" shows the family and the
# packet's length); the register output's position among the outputs does
# not matter, the other outputs still get their (TTL-1) copies, and packets
# released from the unresolved queue are sent whole too.  IPv4, then IPv6.
# shellcheck disable=SC2317  # functions run through wait_for
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source=helpers/ev_lib.sh
. "$(dirname "$0")/helpers/ev_lib.sh"

families 4 6
require_mfwdctl
G=$(fam 239.1.2.3 ff0e::1:2:3) G2=$(fam 239.1.2.4 ff0e::1:2:4)
G3=$(fam 239.1.2.5 ff0e::1:2:5) G4=$(fam 239.1.2.6 ff0e::1:2:6)
S=$(fam 10.0.0.2 "$TOPO_SRC6")
SIZES="0 1 200 1372 37"
HDR=$(fam 28 48)	# IP + UDP header bytes

topo_init 1
topo_mfwd
# the queued packets must not expire meanwhile, whatever TCG's speed
mf config set unres-timeout 600000
ip link add reg0 type dummy
on_exit "ip link del reg0"
# no IPv6 on it: no MLD/ND packets of its own in its tx counter
sysctl -qw net.ipv6.conf.reg0.disable_ipv6=1
ip link set reg0 up
mf vif add dev reg0 register
check_vifs reg0.flags='["register"]'

# The controller: a raw listener of the "events" group (helpers/mfwdnl.py
# as a module) writing "CMD FAMILY SOURCE GROUP IIF PACKET-HEX" per
# WHOLEPKT event (IIF: the name of the ifindex it carries); and
# "mfwdctl -j monitor".
EVF=$TOPO_DIR/wholepkt.ev
bg_start "$TOPO_DIR/listener.log" - python3 -c '
import socket, sys
sys.path.insert(0, sys.argv[1])
import mfwdnl as m
g = m.Genl()
g.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
g.s.setsockopt(m.SOL_NETLINK, m.NETLINK_ADD_MEMBERSHIP, g.groups["events"])
out = open(sys.argv[2], "a", buffering=1)
open(sys.argv[3], "w").write("ready\n")
while True:
    for typ, fl, seq, msg in g.messages():
        if typ != g.fam:
            continue
        d = m.decode(msg[16:])
        if d["cmd"] != "wholepkt":
            continue
        pkt = dict(m.parse_attrs(msg[20:])).get(m.A["packet"], b"")
        out.write("%s %s %s %s %s %s\n" % (d["cmd"], d.get("family"),
                  d.get("source6", d.get("source", "-")),
                  d.get("group6", d.get("group", "-")),
                  m.ifname(d.get("iif", 0)), pkt.hex()))
' "$TOPO_HELPERS" "$EVF" "$TOPO_DIR/listener.ready"
on_exit "kill $BG_PID"
wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/listener.ready" ||
	fail "event listener did not start: $(cat "$TOPO_DIR/listener.log")"
ev_monitor mon
rx_start_all "$G" "$G2"

tx0=$(cat /sys/class/net/reg0/statistics/tx_packets)
mf route add group "$G" source "$S" iif r0 oif r1 oif reg0
mf route add group "$G2" source "$S" iif r0 oif reg0 oif r1
mf route add group "$G3" source "$S" iif r0 oif reg0

# raw IP packets, header built by the sender (helpers/rawsend.py): TTL
# (hop limit) 9, TOS (traffic class) 0x28, IPv4 DF and id = sequence
# number; one burst per packet (sizes vary), the sequence number in the
# payload
bursts() {	# GROUP START
	local sz k=$2 sep=
	for sz in $SIZES; do
		printf '%s--ifname eth0 --src %s --group %s --ttl 9 --tos 40 --size %s --start %s --count 1' \
			"$sep" "$S" "$1" "$sz" "$k"
		sep=$'\n' k=$((k + 1))
	done
	echo
}
{ bursts "$G" 100; bursts "$G2" 200; bursts "$G3" 300; } >"$TOPO_DIR/bursts.abc"
bursts "$G4" 400 >"$TOPO_DIR/bursts.d"
rawsend() {	# BURSTS-FILE
	# shellcheck disable=SC2046  # one word per option
	ns_exec src python3 "$TOPO_HELPERS/rawsend.py" $(sed '2,$s/^/--next /' "$1") >/dev/null ||
		fail "rawsend.py failed"
}
stat_is() {	# NAME VALUE (polled: one exec)
	local o
	o=$("$MFWDCTL" -j stats) || return 1
	[[ $o == *"\"$1\":$2,"* || $o == *"\"$1\":$2}"* ]]
}
rawsend "$TOPO_DIR/bursts.abc"

# packets queued before their route, then resolved to the register VIF
rawsend "$TOPO_DIR/bursts.d"
wait_for -t "$TOPO_WAIT" stat_is unres_packets 4 ||
	fail "unres_packets $(stats_field unres_packets), expected 4"
mf route add group "$G4" source "$S" iif r0 oif reg0

nev() { grep -c '' "$EVF" || true; }
n_ge() { (($(nev) >= $1)); }
wait_for -t "$TOPO_WAIT" n_ge 19 || fail "$(nev) WHOLEPKT events, expected 5 + 5 + 5 + 4"

# what was sent, in order (the queue keeps the first 4 of $G4): the same
# packets rawsend.py builds
python3 - "$TOPO_HELPERS" "$TOPO_DIR/bursts.abc" "$TOPO_DIR/bursts.d" <<'EOP' >"$TOPO_DIR/expected.ev"
import socket, sys
sys.path.insert(0, sys.argv[1])
import rawsend
for path, keep in ((sys.argv[2], None), (sys.argv[3], 4)):
    lines = open(path).read().split("\n")
    for line in [l for l in lines if l][:keep]:
        a = rawsend.parse_args(line.split())
        fam, build = (socket.AF_INET6, rawsend.packet6) if a.v6 else (socket.AF_INET, rawsend.packet)
        for seq in range(a.start, a.start + a.count):
            print("wholepkt %d %s %s r0 %s" % (fam, a.src, a.group, build(a, seq).hex()))
EOP
check_eq "$(nev)" 19 "WHOLEPKT events"
diff -u "$TOPO_DIR/expected.ev" "$EVF" >"$TOPO_DIR/ev.diff" ||
	fail "WHOLEPKT events differ from the packets sent (- sent, + got):"$'\n'"$(cat "$TOPO_DIR/ev.diff")"
# header bytes as a sanity check of the comparison (the headers differ):
# IPv4 version/IHL, TOS, DF and TTL; IPv6 version, traffic class and hop
# limit
if ((FAM == 4)); then
	check_eq "$(awk '{ print substr($6, 1, 4), substr($6, 13, 4), substr($6, 17, 2) }' "$EVF" | sort -u)" \
		"4528 4000 09" "version, TOS, DF and TTL in WHOLEPKT packets"
else
	check_eq "$(awk '{ print substr($6, 1, 8), substr($6, 15, 2) }' "$EVF" | sort -u)" \
		"62800000 09" "version, traffic class and hop limit in WHOLEPKT packets"
fi
log "19 WHOLEPKT packets ($FAMNAME) identical to the packets sent (TTL 9, TOS 0x28)"

# the monitor shows them with their family, with the packet's length
ev_sync mon
for g in "$G" "$G2" "$G3" "$G4"; do
	n=5
	[[ $g != "$G4" ]] || n=4
	check_eq "$(ev_count mon "^\\{\"event\":\"wholepkt\",\"family\":\"$FAMNAME\",\"source\":\"$S\",\"group\":\"$g\",\"iif\":\"r0\",")" \
		$n "mfwdctl monitor: wholepkt events of family $FAMNAME for $g"
done
check_eq "$(grep '"event":"wholepkt"' "$EV_DIR/mon.mon" | grep -o '"len":[0-9]*' | tr '\n' ' ')" \
	"$(for g in 1 2 3; do for s in $SIZES; do printf '"len":%d ' $((s + HDR)); done; done
	for s in 0 1 200 1372; do printf '"len":%d ' $((s + HDR)); done)" "monitor: lengths"

# the other output still gets its copies, TTL decremented once: the five
# packets of each group, intact (their payload bytes: every size once)
topo_sync
check_rx "$G" "1=5"
check_rx "$G2" "1=5"
check_eq "$(rx_ttls rx1 eth0 "$G") $(rx_ttls rx1 eth0 "$G2")" "8:5 8:5" \
	"TTLs of the copies on r1 (register output last, first)"
check_eq "$(rx_bad rx1 eth0 "$G")$(rx_bad rx1 eth0 "$G2")" 00 "corrupted payloads"
check_eq "$(rx_bytes rx1 eth0 "$G") $(rx_bytes rx1 eth0 "$G2")" "1610 1610" \
	"payload bytes of the copies on r1 (sizes $SIZES)"

# nothing was transmitted on the register device
check_eq "$(($(cat /sys/class/net/reg0/statistics/tx_packets) - tx0))" 0 "packets transmitted on reg0"
bytes=$((3 * (1610 + 5 * HDR) + 1573 + 4 * HDR))
check_vifs reg0.pkts_out=19 reg0.bytes_out=$bytes r1.pkts_out=10
check_route "$G4" "$S" family=$FAMNAME packets=4
check_stats forwarded=19 drop_queue_full=1 unres_entries=0 events_dropped=0
pass "WHOLEPKT carries the packet intact; no transmission on the register VIF"
