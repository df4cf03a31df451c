#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-test.sh - test mfwdctl against the mfwd module. Runs as root in a
# throw-away VM, e.g.:
#
#	tools/vm/run -- tools/mfwdctl/vm-test.sh [MFWD_KO]
#
# MFWD_KO (default module/mfwd.ko) is loaded, veth pairs are made, and
# every command is checked: text and JSON output, kernel errors with their
# extack messages, batch mode (100,000 routes, timed), monitor, netns,
# IPv6 routes next to IPv4 ones, and mfwd-smcrouted with IPv6 rules, joins
# and traffic (template routes, stop filters, (*,G) adoption).
# Set ROUTES=N to change the size of the batch.

here=$(cd "$(dirname "$0")" && pwd)
M=${MFWDCTL:-$here/mfwdctl}
KO=${1:-${MFWD_KO:-$here/../../module/mfwd.ko}}
ROUTES=${ROUTES:-100000}
tmp=$(mktemp -d)
pass=0
fail=0

t() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [[ $rc -ne $want ]]; then
		echo "FAIL: $* -> exit $rc, want $want: $out"
		fail=$((fail + 1))
	elif [[ -n $pat ]] && ! grep -Eq -- "$pat" <<<"$out"; then
		echo "FAIL: $* -> output does not match /$pat/: $out"
		fail=$((fail + 1))
	else
		echo "ok: $*"
		pass=$((pass + 1))
	fi
}

# t_json PYTHON-EXPR CMD...: CMD's stdout is JSON and EXPR (on "j") holds
t_json() {
	local expr=$1 out
	shift
	out=$("$@")
	if python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); sys.exit(0 if ('"$expr"') else 1)' <<<"$out"; then
		echo "ok: $* (json: $expr)"
		pass=$((pass + 1))
	else
		echo "FAIL: $* -> json does not satisfy $expr: $out"
		fail=$((fail + 1))
	fi
}

insmod "$KO" || { echo "cannot load $KO"; exit 1; }
ip link add r0 type veth peer name r1
ip link add r2 type veth peer name r3
for i in r0 r1 r2 r3; do ip link set "$i" up; done

# VIFs
t 0 '' "$M" vif add dev r0
t 0 '' "$M" v a r1 ttl-threshold 3 noallmulti
t 0 '' "$M" vif add dev r2 register
t 1 '^Error: .*\(File exists\)' "$M" vif add dev r0
t 1 'cannot find device' "$M" vif add dev nosuch0
t 0 '^dev r1 ifindex [0-9]+ ttl-threshold 3 noallmulti$' "$M" vif show dev r1
t 0 'in: packets 0 bytes 0' "$M" -s vif show
t_json 'len(j) == 3 and {v["dev"] for v in j} == {"r0","r1","r2"}' \
	"$M" -j vif show
t_json 'j[0]["flags"] == ["noallmulti"] and j[0]["ttl_threshold"] == 3 and "pkts_in" in j[0]' \
	"$M" -p vif show dev r1
t 1 '^Error: .*at "dev r3"' "$M" vif del dev r3

# routes
t 0 '' "$M" route add group 239.1.1.1 source 10.0.0.1 iif r0 oif r2 oif r1/4
t 0 '' "$M" r a to 239.1.1.2 iif r0 oif r2 ttl 5
t 1 '^Error: .*\(File exists\)' "$M" route add group 239.1.1.2 iif r0 oif r2
t 0 '' "$M" route replace source 10.0.0.1 group 239.1.1.1 iif r0 oif r2
t 1 '^Error: .*at "oif r3"' "$M" route add group 239.1.1.3 iif r0 oif r3
t 1 '^Error: .*at "iif r3"' "$M" route add group 239.1.1.3 iif r3 oif r2
t 0 '^\(10\.0\.0\.1, 239\.1\.1\.1\)  iif r0  oifs r2$' \
	"$M" route show group 239.1.1.1
t 0 '^\(\*, 239\.1\.1\.2\)  iif r0  oifs r2\(ttl 5\)$' "$M" r s source '*'
t 0 '^  packets 0 bytes 0 wrong_if 0 idle [0-9]+\.[0-9]s$' "$M" -s r ls
t 0 '^\(\*, 239\.1\.1\.2\)' "$M" route get group 239.1.1.2
t 1 '^Error: .*\(No such file or directory\)' \
	"$M" route get group 239.1.1.9
t_json 'len(j) == 2 and {r["source"] for r in j} == {"*","10.0.0.1"} and all("idle_ms" in r and "packets" in r for r in j)' \
	"$M" -j route show
t_json 'j["oifs"] == [{"dev":"r2","ttl":5}] and j["iif"] == "r0"' \
	"$M" -j route get group 239.1.1.2
t 0 '' "$M" route del group 239.1.1.2
t 1 '^Error: ' "$M" route delete group 239.1.1.2

# stats, config
t 0 '^forwarded +[0-9]+$' "$M" stats
t_json '"drop_rpf" in j and "unres_entries" in j' "$M" -j stats
t 0 '' "$M" config set unres-max 10 max-routes 200000
t_json 'j["unres_max"] == 10 and j["max_routes"] == 200000 and j["route_count"] == 1' \
	"$M" -j config show
t 1 '^Error: .*at "unres-timeout 0"' "$M" config set unres-timeout 0

# IPv6 routes, in the same table as the IPv4 one left above
t 0 '' "$M" route add group ff0e::3 source 2001:db8::2 iif r0 oif r2 oif r1/4
t 0 '' "$M" r a to ff0e::4 iif r0 oif r2 ttl 5
t 1 '^Error: .*\(File exists\)' "$M" route add group ff0e::4 iif r0 oif r2
t 0 '' "$M" route replace source 2001:db8::2 group ff0e::3 iif r0 oif r2
t 1 '^Error: .*at "oif r3"' "$M" route add group ff0e::5 iif r0 oif r3
t 0 '^\(2001:db8::2, ff0e::3\)  iif r0  oifs r2$' "$M" route show group ff0e::3
t 0 '^\(\*, ff0e::4\)  iif r0  oifs r2\(ttl 5\)$' "$M" route get group ff0e::4
t 0 '^\(\*, ff0e::4\)' "$M" route show source '*' family inet6
t_json 'len(j) == 3 and sorted(r["family"] for r in j) == ["inet", "inet6", "inet6"]' \
	"$M" -j route show
t_json 'len(j) == 2 and {r["source"] for r in j} == {"*", "2001:db8::2"}' \
	"$M" -j route show family inet6
t_json 'len(j) == 2 and all(r["family"] == "inet6" for r in j)' \
	"$M" -6 -j route show
t_json 'len(j) == 1 and j[0]["family"] == "inet" and j[0]["group"] == "239.1.1.1"' \
	"$M" -4 -j route show
t_json 'len(j) == 1 and j[0]["group"] == "ff0e::4"' "$M" -j route show source '*'
t_json 'j["family"] == "inet6" and j["oifs"] == [{"dev":"r2","ttl":5}]' \
	"$M" -j route get group ff0e::4
t 0 '' "$M" route del group ff0e::3 source 2001:db8::2
t 1 '^Error: .*\(No such file or directory\)' \
	"$M" route get group ff0e::3 source 2001:db8::2
t 0 '' "$M" route add group ff0e::3 source 2001:db8::2 iif r0
t 0 '' "$M" route flush family inet6
t_json 'len(j) == 1 and j[0]["family"] == "inet"' "$M" -j route show
t 0 '' "$M" r a to ff0e::4 iif r0 oif r2
t 0 '' "$M" -6 flush
t_json 'j["route_count"] == 1' "$M" -j config show

# monitor
"$M" monitor >"$tmp/mon" 2>&1 &
mp=$!
"$M" -j monitor >"$tmp/monj" 2>&1 &
mj=$!
"$M" -4 monitor route >"$tmp/mon4" 2>&1 &
m4=$!
sleep 0.5
"$M" route add group 239.7.7.7 iif r0 oif r2
"$M" vif del dev r1
"$M" route del group 239.7.7.7
"$M" route add group ff0e::7 source 2001:db8::2 iif r0 oif r2
"$M" route del group ff0e::7 source 2001:db8::2
sleep 0.5
kill $mp $mj $m4
t 0 '^route add \(\*, 239\.7\.7\.7\)  iif r0  oifs r2$' cat "$tmp/mon"
t 0 '^vif del dev r1' cat "$tmp/mon"
t 0 '^route del \(\*, 239\.7\.7\.7\)' cat "$tmp/mon"
t 0 '^route add \(2001:db8::2, ff0e::7\)  iif r0  oifs r2$' cat "$tmp/mon"
t 0 '^route del \(2001:db8::2, ff0e::7\)' cat "$tmp/mon"
t_json 'j["event"] == "route_add" and j["group"] == "239.7.7.7" and j["family"] == "inet"' \
	head -1 "$tmp/monj"
t_json 'j["event"] == "route_add" and j["family"] == "inet6" and j["source"] == "2001:db8::2"' \
	grep -m1 ff0e::7 "$tmp/monj"
t 0 '^route add \(\*, 239\.7\.7\.7\)' cat "$tmp/mon4"
t 1 '' grep -q -e ff0e -e vif "$tmp/mon4"

# flush
t 0 '' "$M" flush
t 0 '^$' "$M" route show
t 0 '' "$M" flush all
t 0 '^$' "$M" vif show

# batch: errors are mapped to lines
printf '%s\n' 'vif add dev r0' 'vif add dev r2' '# comment' '' \
	'route add group 239.9.9.1 iif r0 oif r2' \
	'route add group 239.9.9.1 iif r0 oif r2' \
	'route add group 239.9.9.2 iif r0 oif r3' \
	'route add group 239.9.9.3 iif r0 oif r2' >"$tmp/b"
t 1 'Error in line 6: .*File exists.*' "$M" -b "$tmp/b"
t 1 'Error in line 7: .*at "oif r3"' "$M" -force -b "$tmp/b"
t 0 '' "$M" flush all

# batch and smcroute.conf with IPv6
printf '%s\n' 'vif add dev r0' 'vif add dev r2' \
	'route add group ff0e::9:1 source 2001:db8::2 iif r0 oif r2' \
	'route add group 239.9.9.9 iif r0 oif r2' \
	'route add group ff0e::9:1 source 2001:db8::2 iif r0 oif r2' >"$tmp/b6"
t 1 'Error in line 5: .*File exists' "$M" -b "$tmp/b6"
t 0 '' "$M" flush all
printf '%s\n' 'phyint r0 enable' \
	'mroute from r0 source 2001:db8::2 group ff0e::3 to r2' \
	'mroute from r0 group ff0e::4 to r2' \
	'mroute from r0 source 10.0.0.1 group 239.1.1.1 to r2' >"$tmp/sc6.conf"
t 0 '' "$M" -f "$tmp/sc6.conf"
t 0 '' "$M" -f "$tmp/sc6.conf"
t_json 'sorted((r["family"], r["source"], r["group"], r["iif"], [o["dev"] for o in r["oifs"]]) for r in j) == [("inet", "10.0.0.1", "239.1.1.1", "r0", ["r2"]), ("inet6", "*", "ff0e::4", "r0", ["r2"]), ("inet6", "2001:db8::2", "ff0e::3", "r0", ["r2"])]' \
	"$M" -j route show
t 0 '' "$M" flush all

# batch: many routes
{
	echo "vif add dev r0"
	echo "vif add dev r2"
	echo "vif add dev r1"
	python3 -c "
n = $ROUTES
for i in range(n):
    print('route add group 239.%d.%d.%d source 10.0.0.1 iif r0 oif r2 oif r1/3'
          % (1 + i // 65536, i // 256 % 256, i % 256))"
} >"$tmp/big"
start=$(date +%s.%N)
t 0 '' "$M" -b "$tmp/big"
end=$(date +%s.%N)
echo "# batch of $ROUTES route adds: $(echo "$end - $start" | bc) s"
t_json "j['route_count'] == $ROUTES" "$M" -j config show
start=$(date +%s.%N)
n=$("$M" route show | wc -l)
end=$(date +%s.%N)
echo "# route show of $n routes: $(echo "$end - $start" | bc) s"
t 0 '' test "$n" -eq "$ROUTES"
t 0 '' "$M" flush all

# mfwd-smcrouted and mfwd-smcroutectl with IPv6
D=$here/mfwd-smcrouted
C=$here/mfwd-smcroutectl
sock=$tmp/smc.sock
# send6 GROUP: one UDP packet from 2001:db8::1 out of r1, so it arrives on r0
send6() {
	python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("2001:db8::1", 0))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF,
             struct.pack("@I", socket.if_nametoindex("r1")))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 8)
s.sendto(b"x" * 64, (sys.argv[1], 4321))' "$1"
}
# wait_route ARGS...: until "mfwdctl route get ARGS" succeeds (5 s)
wait_route() {
	local i
	for ((i = 0; i < 50; i++)); do
		"$M" route get "$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
ip addr add 2001:db8::1/64 dev r1 nodad
printf '%s\n' 'phyint r0 enable' 'phyint r2 enable' \
	'mroute from r0 source 2001:db8::1 group ff0e::10 to r2' \
	'mroute from r0 group ff0e::11 to r2' \
	'mroute from r0 group ff0e:1::/32 to r2' \
	'mgroup from r2 group ff0e::12' \
	'mgroup from r2 source 2001:db8::1 group ff3e::13' >"$tmp/smc.conf"
"$D" -n -N -l debug -f "$tmp/smc.conf" -u "$sock" -P "$tmp/smc.pid" \
	2>"$tmp/smc.log" &
dp=$!
for ((i = 0; i < 50; i++)); do
	[[ -e $tmp/smc.pid ]] && break
	sleep 0.1
done
t 0 '\(2001:db8::1, ff0e::10\) +r0 +r2' "$C" -u "$sock" show routes
t 0 '\(\*, ff0e:1::/32\) +r0 +r2' "$C" -u "$sock" show routes
t_json 'j["iif"] == "r0" and [o["dev"] for o in j["oifs"]] == ["r2"]' \
	"$M" -j route get group ff0e::10 source 2001:db8::1
t_json 'j["source"] == "*" and [o["dev"] for o in j["oifs"]] == ["r2"]' \
	"$M" -j route get group ff0e::11
t 0 '\(\*, ff0e::12\) +r2' "$C" -u "$sock" show groups
t 0 '\(2001:db8::1, ff3e::13\) +r2' "$C" -u "$sock" show groups
t 0 'ff0e::12' ip -6 maddr show dev r2
t 0 '' "$C" -u "$sock" add r0 2001:db8:1::2 ff0e::3 r2
t_json '[o["dev"] for o in j["oifs"]] == ["r2"]' \
	"$M" -j route get group ff0e::3 source 2001:db8:1::2
t 0 '' "$C" -u "$sock" remove r0 2001:db8:1::2 ff0e::3
t 1 'No such file' "$M" route get group ff0e::3 source 2001:db8:1::2
t 1 'different address families' "$C" -u "$sock" add r0 10.0.0.1 ff0e::3 r2
t 1 'link-local' "$C" -u "$sock" add r0 ff02::3 r2
t 0 '' "$C" -u "$sock" join r2 ff0e::14
t 0 'ff0e::14' ip -6 maddr show dev r2
t 0 '' "$C" -u "$sock" leave r2 ff0e::14
t 1 '' grep -q ff0e::14 <(ip -6 maddr show dev r2)
# a template: the packet makes an (S,G) route with its outputs
"$M" monitor nocache >"$tmp/mon6" 2>&1 &
mp=$!
"$M" -6 -j monitor nocache >"$tmp/mon6j" 2>&1 &
mj=$!
sleep 0.5
send6 ff0e:1::5
t 0 '' wait_route group ff0e:1::5 source 2001:db8::1
t_json '[o["dev"] for o in j["oifs"]] == ["r2"]' \
	"$M" -j route get group ff0e:1::5 source 2001:db8::1
# no rule: a stop filter, which a (*,G) rule added later adopts
send6 ff0e::20
t 0 '' wait_route group ff0e::20 source 2001:db8::1
t_json 'j["iif"] == "r0" and j["oifs"] == []' \
	"$M" -j route get group ff0e::20 source 2001:db8::1
t 0 '\(2001:db8::1, ff0e::20\) +r0 *$' "$C" -u "$sock" show routes
kill $mp $mj
t 0 '^nocache \(2001:db8::1, ff0e:1::5\)  iif r0$' cat "$tmp/mon6"
t 0 '^nocache \(2001:db8::1, ff0e::20\)  iif r0$' cat "$tmp/mon6"
t_json 'j == {"event": "nocache", "family": "inet6", "source": "2001:db8::1", "group": "ff0e:1::5", "iif": "r0", "table": 0}' \
	head -1 "$tmp/mon6j"
t 0 '' "$C" -u "$sock" add r0 ff0e::20 r2
t_json '[o["dev"] for o in j["oifs"]] == ["r2"]' \
	"$M" -j route get group ff0e::20 source 2001:db8::1
t 0 '' "$C" -u "$sock" remove r0 ff0e::20
t 1 'No such file' "$M" route get group ff0e::20 source 2001:db8::1
# reload: the file's IPv6 rules and joins stay, those added over IPC go
t 0 '' "$C" -u "$sock" add r0 2001:db8:1::2 ff0e::3 r2
t 0 '' "$C" -u "$sock" reload
t 0 '\(2001:db8::1, ff3e::13\) +r2' "$C" -u "$sock" show groups
t 1 '' grep -q 'ff0e::3)' <("$C" -u "$sock" show routes)
t 0 '' "$M" route get group ff0e::10 source 2001:db8::1
t 1 'No such file' "$M" route get group ff0e::3 source 2001:db8:1::2
t 0 '' "$C" -u "$sock" kill
wait $dp
t 0 '^$' "$M" route show
t 0 '^$' "$M" vif show
t 1 '' grep -q ff0e::12 <(ip -6 maddr show dev r2)
grep -q 'stop filter installed' "$tmp/smc.log" ||
	{ echo "FAIL: no stop filter in the daemon's log"; fail=$((fail + 1)); }

# netns
ip netns add mfwdctl-test
ip link add n0 netns mfwdctl-test type veth peer name n1 netns mfwdctl-test
ip -n mfwdctl-test link set n0 up
t 0 '' "$M" -n mfwdctl-test vif add dev n0
t 0 '^dev n0 ' "$M" -n mfwdctl-test vif show
t 0 '^$' "$M" vif show
ip netns del mfwdctl-test

rm -rf "$tmp"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
