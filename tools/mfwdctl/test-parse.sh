#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# test-parse.sh - offline tests of mfwdctl's command line: exit codes and
# messages of usage errors, help, abbreviations, batch line numbers. Needs
# no kernel module (commands that would reach the kernel are not run, or
# only checked to fail cleanly when the family is absent).
#
# usage: tools/mfwdctl/test-parse.sh [path/to/mfwdctl]

here=$(cd "$(dirname "$0")" && pwd)
M=${1:-$here/mfwdctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# t EXPECTED_RC PATTERN CMD...: run CMD, check its exit code and that its
# stdout+stderr match the extended regex PATTERN ("" = anything)
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

# stdout only
t_out() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>/dev/null)
	rc=$?
	if [[ $rc -ne $want ]] || ! grep -Eq -- "$pat" <<<"$out"; then
		echo "FAIL: $* -> exit $rc (want $want), stdout: $out"
		fail=$((fail + 1))
	else
		echo "ok: $* (stdout)"
		pass=$((pass + 1))
	fi
}

dev=lo

# help and version
t 2 'Usage: mfwdctl' "$M"
t_out 0 'Usage: mfwdctl \[OPTIONS\]' "$M" -h
t_out 0 'Usage: mfwdctl \[OPTIONS\]' "$M" -help
t_out 0 'Usage: mfwdctl \[OPTIONS\]' "$M" help
t_out 0 '^mfwdctl [0-9]' "$M" -V
t_out 0 '^mfwdctl [0-9]' "$M" -Version
t_out 0 'route \{ add \| replace \}' "$M" route help
t_out 0 'route \{ add \| replace \}' "$M" r h
t_out 0 'route \{ add \| replace \}' "$M" help route
t_out 0 'vif add dev IF' "$M" vif help
t_out 0 'config set' "$M" config help
t_out 0 'flush \[ routes \| all \] \[family \{ inet \| inet6 \}\]' "$M" flush help
t_out 0 'route flush \[family \{ inet \| inet6 \}\]' "$M" route help
t_out 0 'IPv6 one' "$M" route help
t_out 0 '-4 \| -6' "$M" -h
t_out 0 'monitor' "$M" monitor help
t_out 0 '\(-4, -6: routes and packets of one family only\)' "$M" monitor help
t_out 0 'stats' "$M" stats help

# options
t 2 'Option "-x" is unknown' "$M" -x route show
t 2 'needs an argument' "$M" -n
t 2 'needs an argument' "$M" -b
t 2 'exclude each other' "$M" -b x -f y
t 2 'Unexpected argument' "$M" -b x route show
t 1 'cannot open network namespace "no-such-ns"' "$M" -n no-such-ns route show
t 1 'cannot open "/nonexistent/batch"' "$M" -b /nonexistent/batch

# -t ID, "table ID": a u32, the command's own overrides -t
t_out 0 '-t\[able\] ID' "$M" -h
t_out 0 'route flush \[family \{ inet \| inet6 \}\] \[table ID\]' "$M" route help
t_out 0 'vif show \[dev IF\] \[table ID\]' "$M" vif help
t_out 0 '\(table ID, -t ID: events of that table only\)' "$M" monitor help
t 2 'Option "-t" needs an argument' "$M" -t
t 2 'Option "--table" needs an argument' "$M" --table
t 2 'invalid table "x" \(0-4294967295\)' "$M" -t x route show
t 2 'invalid table "4294967296" \(0-4294967295\)' "$M" -table 4294967296 route show
t 2 'invalid table "-1"' "$M" -t -1 vif show
t 2 'invalid table ""' "$M" --table '' flush
t 2 'invalid table "5x"' "$M" -t 5x -f /nonexistent/conf
t 2 'missing value after "table"' "$M" route add group 239.1.1.1 iif $dev table
t 2 'invalid table "seven"' "$M" route add group 239.1.1.1 iif $dev table seven
t 2 'invalid table "4294967296"' "$M" route replace group 239.1.1.1 iif $dev table 4294967296
t 2 'invalid table "5x"' "$M" -t 5 route del group 239.1.1.1 table 5x
t 2 'table given twice' "$M" route get group 239.1.1.1 table 1 table 2
t 2 'invalid table "-2"' "$M" route show table -2
t 2 'missing value after "table"' "$M" route flush table
t 2 'missing value after "table"' "$M" vif add dev $dev table
t 2 'invalid table "abc"' "$M" vif add dev $dev table abc
t 2 'table given twice' "$M" vif add dev $dev table 1 ttl-threshold 2 table 1
t 2 'unknown argument "table"' "$M" vif del dev $dev table 1
t 2 'invalid table "1\.5"' "$M" vif show table 1.5
t 2 'ambiguous argument "t" \(ttl-threshold, threshold, table\)' "$M" vif add dev $dev t 3
t 2 'missing value after "table"' "$M" flush all table
t 2 'invalid table "0x1g"' "$M" flush table 0x1g
t 2 'table given twice' "$M" flush table 1 routes table 1
t 2 'missing value after "table"' "$M" monitor nocache table
t 2 'invalid table "x"' "$M" monitor table x
printf '%s\n' '# tables' 'route add group 239.1.1.1 iif lo table -1' >"$tmp/badtab"
t 2 '^Error in line 2: invalid table "-1" \(0-4294967295\)' "$M" -t 3 -b "$tmp/badtab"

# objects and commands
t 2 'unknown object "bogus"' "$M" bogus
t 2 'unknown command "frob"' "$M" route frob
t 2 'ambiguous command "s" \(show, set\)' "$M" config s
t 2 'unknown command "x"' "$M" vif x
t 2 'unknown argument "bogus"' "$M" flush bogus
t 2 'unknown event kind "bogus"' "$M" monitor bogus

# route add: addresses
t 2 '"1\.2\.3\.4" is not a multicast group address' \
	"$M" route add group 1.2.3.4 iif $dev
t 2 'link-local \(224\.0\.0\.0/24\)' "$M" route add group 224.0.0.5 iif $dev
t 2 'invalid group address "239\.1\.1"' "$M" route add group 239.1.1 iif $dev
t 2 'invalid group address "foo"' "$M" route add group foo iif $dev
t 2 'source "239\.1\.1\.2" is not a unicast address' \
	"$M" route add group 239.1.1.1 source 239.1.1.2 iif $dev
t 2 'invalid source address' "$M" route add group 239.1.1.1 source x iif $dev
t 2 'not a multicast group' "$M" r a to 10.0.0.1 from 10.0.0.2 iif $dev

# route add: IPv6 addresses, and families that must not mix
t 2 'group "ff02::1" is link-local \(scope ffX0::-ffX2::\)' \
	"$M" route add group ff02::1 iif $dev
t 2 'group "ff01::2" is link-local' "$M" route add group ff01::2 iif $dev
t 2 'group "ff10::5" is link-local' "$M" route add group ff10::5 iif $dev
t 2 'group "ff32::1:2" is link-local' \
	"$M" route add group ff32::1:2 source 2001:db8::2 iif $dev
t 2 '"2001:db8::1" is not a multicast group address \(ff00::/8\)' \
	"$M" route add group 2001:db8::1 iif $dev
t 2 'invalid group address "ff0e::zz"' "$M" route add group ff0e::zz iif $dev
t 2 'invalid group address "ff0e:::3"' "$M" route add group ff0e:::3 iif $dev
t 2 'source "ff0e::1" is not a unicast address' \
	"$M" route add group ff0e::3 source ff0e::1 iif $dev
t 2 'source "ff05::2" is not a unicast address' \
	"$M" route del group ff0e::3 source ff05::2
t 2 'invalid source address "2001:db8::g"' \
	"$M" route add group ff0e::3 source 2001:db8::g iif $dev
t 2 'source and group are of different address families \(inet, inet6\)' \
	"$M" route add group ff0e::3 source 10.0.0.1 iif $dev
t 2 'source and group are of different address families \(inet6, inet\)' \
	"$M" route add group 239.1.1.1 source 2001:db8::2 iif $dev
t 2 'different address families \(inet, inet6\)' \
	"$M" route add group ff0e::3 source 0.0.0.0 iif $dev
t 2 'different address families \(inet6, inet\)' \
	"$M" route get group 239.1.1.1 source ::
t 2 'different address families' "$M" route show group ff0e::3 source 10.0.0.1
t 2 'group 239\.1\.1\.1 is not an address of family inet6' \
	"$M" -6 route add group 239.1.1.1 iif $dev
t 2 'group ff0e::3 is not an address of family inet' \
	"$M" -4 route show group ff0e::3
t 2 'source 2001:db8::2 is not an address of family inet' \
	"$M" -4 route show source 2001:db8::2
t 2 'group ff0e::3 is not an address of family inet' \
	"$M" route show group ff0e::3 family inet
t 2 'unknown family "bogus"' "$M" route show family bogus
t 2 'ambiguous family "i"' "$M" route show family i
t 2 'family inet6 contradicts -4' "$M" -4 route show family inet6
t 2 'family given twice' "$M" route show family inet family inet
t 2 'missing value after "family"' "$M" route show family
t 2 'unknown argument "family"' "$M" route add group ff0e::3 iif $dev family inet6
t 2 'unknown argument "group"' "$M" route flush group ff0e::3
t 2 'family inet contradicts -6' "$M" -6 route flush family inet
t 2 'link-local' "$M" r a to ff02::2 from 2001:db8::2 iif $dev
t 2 '"all" takes no family \(VIFs serve both\)' "$M" flush all family inet6
t 2 '"all" takes no family' "$M" -6 flush all
t 2 'missing value after "family"' "$M" flush routes family
t 2 'unexpected argument "all"' "$M" flush routes all
t 2 'unknown family "ipx"' "$M" flush family ipx
t 2 'Option "-5" is unknown' "$M" -5 route show
printf '%s\n' '# IPv6' 'route add group ff02::3 iif lo' >"$tmp/bad6"
t 2 '^Error in line 2: group "ff02::3" is link-local' "$M" -b "$tmp/bad6"

# route add: structure
t 2 'missing "group G"' "$M" route add iif $dev oif $dev
t 2 'missing "iif IF"' "$M" route add group 239.1.1.1 oif $dev
t 2 'missing value after "group"' "$M" route add group
t 2 'missing value after "oif"' "$M" route add group 239.1.1.1 iif $dev oif
t 2 'group given twice' "$M" route add group 239.1.1.1 to 239.1.1.2 iif $dev
t 2 'iif any excludes other inputs' "$M" route add group 239.1.1.1 iif $dev iif any
t 2 'iif any excludes other inputs' "$M" route add group 239.1.1.1 iif any iif $dev
t 2 'iif any given twice' "$M" route add group 239.1.1.1 iif any iif any
t 2 'per-iif given twice' "$M" route add group 239.1.1.1 iif $dev per-iif per-iif
t 2 'missing "iif IF"' "$M" route add group 239.1.1.1 per-iif
t 2 'iif given twice' "$M" route del group 239.1.1.1 per-iif iif $dev iif $dev
t 2 'iif given twice' "$M" route get group 239.1.1.1 per-iif iif $dev iif $dev
t 2 'iif given twice' "$M" route show iif $dev iif $dev
t 2 'iif any is for add and replace only' "$M" route get group 239.1.1.1 iif any
t 2 'iif any is for add and replace only' "$M" route show iif any
t 2 'unknown argument "per-iif"' "$M" route flush per-iif
t_out 0 'iif IF \[iif IF\]\.\.\. \| iif any' "$M" route help
t 2 'oif "lo/3" given twice' "$M" route add group 239.1.1.1 iif $dev oif lo oif lo/3
t 2 'invalid TTL threshold in oif "lo/256"' \
	"$M" route add group 239.1.1.1 iif $dev oif lo/256
t 2 'invalid TTL threshold in oif "lo/x"' \
	"$M" route add group 239.1.1.1 iif $dev oif lo/x
t 2 '"ttl" must follow an "oif"' "$M" route add group 239.1.1.1 ttl 3 iif $dev
t 2 'TTL of oif "lo/2" given twice' \
	"$M" route add group 239.1.1.1 iif $dev oif lo/2 ttl 3
t 2 'invalid TTL threshold in oif "lo/0" \(1-255\)' \
	"$M" route add group 239.1.1.1 iif $dev oif lo/0
t 2 'invalid TTL threshold "0"' "$M" vif add dev $dev ttl-threshold 0
t 2 'invalid TTL threshold "300"' \
	"$M" route add group 239.1.1.1 iif $dev oif lo ttl 300
t 2 'ambiguous argument "t" \(to, ttl, table\)' \
	"$M" route add group 239.1.1.1 iif $dev oif lo t 3
t 2 'unknown argument "bogus"' "$M" route add group 239.1.1.1 bogus 1
t 2 'unknown argument "oif"' "$M" route del group 239.1.1.1 oif $dev
t 2 'unknown argument "oif"' "$M" route get group 239.1.1.1 oif $dev
t 2 'missing "group G"' "$M" route del source 10.0.0.1
t 2 'missing "group G"' "$M" route get
t 1 'cannot find device "no-such-dev0"' \
	"$M" route add group 239.1.1.1 iif no-such-dev0
t 1 'cannot find device "no-such-dev0"' \
	"$M" route add group 239.1.1.1 iif $dev oif no-such-dev0/3
t 1 'cannot find device "no-such-dev0"' "$M" route show dev no-such-dev0

# route add: no-wrongvif, signal-rate N (1-1000000), add and replace only
t_out 0 '\[no-wrongvif\] \[signal-rate N\]' "$M" route help
t 2 'invalid signal-rate "0" \(1-1000000\)' \
	"$M" route add group 239.1.1.1 iif $dev signal-rate 0
t 2 'invalid signal-rate "1000001" \(1-1000000\)' \
	"$M" route add group 239.1.1.1 iif $dev signal-rate 1000001
t 2 'invalid signal-rate "x" \(1-1000000\)' \
	"$M" route replace group 239.1.1.1 signal-rate x iif $dev
t 2 'invalid signal-rate "-1"' "$M" route add group 239.1.1.1 iif $dev signal-rate -1
t 2 'missing value after "signal-rate"' "$M" route add group 239.1.1.1 iif $dev signal-rate
t 2 'no-wrongvif given twice' \
	"$M" route add group 239.1.1.1 no-wrongvif iif $dev no-wrongvif
t 2 'signal-rate given twice' \
	"$M" route add group 239.1.1.1 iif $dev signal-rate 5 oif $dev signal-rate 5
t 2 'no-wrongvif is for add and replace only' \
	"$M" route del group 239.1.1.1 no-wrongvif
t 2 'signal-rate is for add and replace only' \
	"$M" route del group 239.1.1.1 signal-rate 5
t 2 'no-wrongvif is for add and replace only' \
	"$M" route get group 239.1.1.1 no-wrongvif
t 2 'signal-rate is for add and replace only' "$M" route show signal-rate 5
t 2 'no-wrongvif is for add and replace only' "$M" route flush no-wrongvif
t 2 'ambiguous argument "s" \(source, signal-rate\)' \
	"$M" route add group 239.1.1.1 iif $dev s 10.0.0.1
t 2 'missing "iif IF"' "$M" route add group 239.1.1.1 no-wrongvif signal-rate 10
printf '%s\n' '# rates' 'route add group 239.1.1.2 iif lo signal-rate 0' >"$tmp/badrate"
t 2 '^Error in line 2: invalid signal-rate "0" \(1-1000000\)' "$M" -b "$tmp/badrate"

# DURATION (parse_duration_ms()): NUMBER with ms, s, m or h, no unit:
# seconds; fractions with s, m, h only, of whole milliseconds
t_out 0 'DURATION := NUMBER\{ms\|s\|m\|h\}' "$M" help
for d in 0.0001s x 5q '' 1.5ms .5s 5. -1s +1s ' 5s' '5 s' 5S 1e3 0x10 1.0001s \
	0.00001m 1.2.3s 99ms 0.09s 0 86400001ms 24.001h 25h 4294967296s \
	99999999999999999999h 1.0000000001s; do
	# the word as a regex: a backslash before each special character
	# shellcheck disable=SC2001  # a bracket expression, not a substring
	re=$(sed 's/[].*^$+?(){}|\\[]/\\&/g' <<<"$d")
	t 2 "invalid idle-timeout \"$re\" \\(100ms-24h\\)" \
		"$M" route add group 239.1.1.1 iif $dev idle-timeout "$d"
done

# route add: idle-timeout DURATION [expire], add and replace only
t_out 0 '\[idle-timeout DURATION \[expire\]\]' "$M" route help
t 2 'expire needs idle-timeout' "$M" route add group 239.1.1.1 iif $dev expire
t 2 'expire needs idle-timeout' "$M" route replace expire group 239.1.1.1 iif any
t 2 'expire given twice' \
	"$M" route add group 239.1.1.1 expire iif $dev idle-timeout 5s expire
t 2 'idle-timeout given twice' \
	"$M" route add group 239.1.1.1 iif $dev idle-timeout 5s idle-timeout 5s
t 2 'missing value after "idle-timeout"' "$M" route add group 239.1.1.1 iif $dev idle-timeout
t 2 'idle-timeout is for add and replace only' \
	"$M" route del group 239.1.1.1 idle-timeout 5s
t 2 'expire is for add and replace only' "$M" route del group 239.1.1.1 expire
t 2 'expire is for add and replace only' "$M" route get group 239.1.1.1 expire
t 2 'idle-timeout is for add and replace only' "$M" route show idle-timeout 5s
t 2 'idle-timeout is for add and replace only' "$M" route flush idle-timeout 5s
t 2 'ambiguous argument "i" \(iif, idle-timeout\)' "$M" route add group 239.1.1.1 i $dev
t 2 'missing "iif IF"' "$M" route add group 239.1.1.1 idle-timeout 1m expire
printf '%s\n' '# idle' 'route add group 239.1.1.2 iif lo idle-timeout 50ms' >"$tmp/badidle"
t 2 '^Error in line 2: invalid idle-timeout "50ms" \(100ms-24h\)' "$M" -b "$tmp/badidle"

# meter: ROUTE as for route del, then the meter's words in any order
t_out 0 'meter add ROUTE \{ packets \| bytes \} \{ ge \| le \} N' "$M" meter help
t_out 0 'meter del ROUTE \[packets \| bytes\] \[\{ ge \| le \} \[N\]\]' "$M" help meter
t_out 0 'meter show \[family \{ inet \| inet6 \}\] \[table ID\]' "$M" me h
t_out 0 'OBJECT := \{ vif \| route \| meter' "$M" -h
t 2 'ambiguous object "m" \(meter, monitor\)' "$M" m
t 2 'unknown command "frob"' "$M" meter frob
t 2 'missing "group G"' "$M" meter add packets ge 1 interval 1s
t 2 'missing "group G"' "$M" meter del source 10.0.0.1
t 2 'missing "packets" or "bytes"' "$M" meter add group 239.1.1.1 ge 1 interval 1s
t 2 'missing "ge N" or "le N"' "$M" meter add group 239.1.1.1 packets interval 1s
t 2 'missing "interval DURATION"' "$M" meter add group 239.1.1.1 bytes le 10
t 2 'missing value after "ge"' "$M" meter add group 239.1.1.1 packets ge interval 1s
t 2 'missing value after "le"' "$M" meter add group 239.1.1.1 packets interval 1s le
t 2 'missing value after "ge"' "$M" meter add group 239.1.1.1 packets ge x interval 1s
t 2 'missing value after "interval"' "$M" meter add group 239.1.1.1 packets ge 1 interval
t 2 'invalid value "18446744073709551616" \(0-18446744073709551615\)' \
	"$M" meter add group 239.1.1.1 packets ge 18446744073709551616 interval 1s
t 2 'invalid value "1x"' "$M" meter add group 239.1.1.1 packets ge 1x interval 1s
t 2 'invalid interval "99ms" \(100ms-24h\)' \
	"$M" meter add group 239.1.1.1 packets ge 1 interval 99ms
t 2 'invalid interval "0.0001s" \(100ms-24h\)' \
	"$M" meter add group 239.1.1.1 packets ge 1 interval 0.0001s
t 2 'invalid interval "5q" \(100ms-24h\)' "$M" meter add group 239.1.1.1 packets ge 1 interval 5q
t 2 'invalid interval "" \(100ms-24h\)' "$M" meter add group 239.1.1.1 packets ge 1 interval ''
t 2 'invalid interval "25h"' "$M" meter del group 239.1.1.1 interval 25h
t 2 'packets given twice' "$M" meter add group 239.1.1.1 packets ge 1 packets interval 1s
t 2 'packets and bytes exclude each other' "$M" meter add group 239.1.1.1 packets bytes
t 2 'le given twice' "$M" meter del group 239.1.1.1 le le
t 2 'ge and le exclude each other' "$M" meter del group 239.1.1.1 ge 100 le
t 2 'interval given twice' "$M" meter del group 239.1.1.1 interval 1s interval 2s
t 2 'value "100" must follow ge or le' "$M" meter del group 239.1.1.1 100
t 2 'value "100" must follow ge or le' "$M" meter add group 239.1.1.1 packets 100 ge 5 interval 1s
t 2 'unknown argument "oif"' "$M" meter add group 239.1.1.1 oif $dev packets ge 1 interval 1s
t 2 'unknown argument "no-wrongvif"' "$M" meter add group 239.1.1.1 no-wrongvif
t 2 'unknown argument "idle-timeout"' "$M" meter del group 239.1.1.1 idle-timeout 5s
t 2 'unknown argument "family"' "$M" meter add group 239.1.1.1 family inet
t 2 'unknown argument "bogus"' "$M" meter del group 239.1.1.1 bogus
t 2 'iif any is for route add and replace only' "$M" meter del group 239.1.1.1 iif any
t 2 'iif given twice' "$M" meter del group 239.1.1.1 per-iif iif $dev iif $dev
t 2 'ambiguous argument "g" \(group, ge\)' "$M" meter add g 239.1.1.1
t 2 'ambiguous argument "p" \(per-iif, packets\)' "$M" meter add group 239.1.1.1 p
t 2 'group ff0e::3 is not an address of family inet' \
	"$M" -4 meter add group ff0e::3 packets ge 1 interval 1s
t 2 'link-local' "$M" meter add group 224.0.0.5 packets ge 1 interval 1s
t 2 'table given twice' "$M" meter del group 239.1.1.1 table 1 table 2
t 2 'invalid table "x"' "$M" meter show table x
t 2 'unknown argument "group"' "$M" meter show group 239.1.1.1
t 2 'unknown argument "packets"' "$M" meter show packets
t 2 'family inet6 contradicts -4' "$M" -4 meter show family inet6
t 2 'missing value after "family"' "$M" meter show family
t 1 'cannot find device "no-such-dev0"' "$M" meter del group 239.1.1.1 per-iif iif no-such-dev0
printf '%s\n' '# meters' 'meter add group 239.1.1.2 packets ge 5' >"$tmp/badmeter"
t 2 '^Error in line 2: missing "interval DURATION"' "$M" -b "$tmp/badmeter"

# vif add: single-interface [dup-window DURATION] (10ms-10s)
t_out 0 '\[single-interface \[dup-window DURATION\]\]' "$M" vif help
t 2 'dup-window needs single-interface' "$M" vif add dev $dev dup-window 2s
t 2 'dup-window needs single-interface' "$M" vif add dup-window 100ms dev $dev register
t 2 'invalid dup-window "9ms" \(10ms-10s\)' "$M" vif add dev $dev single-interface dup-window 9ms
t 2 'invalid dup-window "10001ms" \(10ms-10s\)' \
	"$M" vif add dev $dev single-interface dup-window 10001ms
t 2 'invalid dup-window "x" \(10ms-10s\)' "$M" vif add dev $dev dup-window x single-interface
t 2 'invalid dup-window "0.0001s"' "$M" vif add dev $dev single-interface dup-window 0.0001s
t 2 'dup-window given twice' \
	"$M" vif add dev $dev single-interface dup-window 1s dup-window 1s
t 2 'missing value after "dup-window"' "$M" vif add dev $dev single-interface dup-window
t 2 'unknown argument "single-interface"' "$M" vif del dev $dev single-interface
t 2 'unknown argument "dup-window"' "$M" vif show dup-window 1s

# monitor: threshold and idle events
t_out 0 'threshold \| idle \]\.\.\.' "$M" monitor help
t 2 'ambiguous event kind "t" \(threshold, table\)' "$M" monitor t
t 2 'unknown event kind "meter"' "$M" monitor meter

# vif
t 2 'missing "dev IF"' "$M" vif add
t 2 'missing "dev IF"' "$M" vif del
t 2 'missing device after "dev"' "$M" vif add dev
t 2 'invalid TTL threshold "256"' "$M" vif add dev $dev ttl-threshold 256
t 2 'invalid TTL threshold "-1"' "$M" vif add dev $dev threshold -1
t 2 'device given twice' "$M" vif add dev $dev dev $dev
t 2 'unknown argument "register"' "$M" vif del dev $dev register
t 1 'cannot find device "no-such-dev0"' "$M" vif add dev no-such-dev0

# config
t 2 'nothing to set' "$M" config set
t 2 'unknown setting "bogus"' "$M" config set bogus 1
t 2 'invalid value "-1" for "unres-max"' "$M" config set unres-max -1
t 2 'invalid value "4294967296"' "$M" config set max-routes 4294967296
t 2 'missing value after "unres-qlen"' "$M" config set unres-qlen
t 2 '"unres-max" given twice' "$M" config set unres-max 1 unres-max 2
t_out 0 '\[signal-rate N\]' "$M" config help
t 2 'invalid value "1000001" for "signal-rate" \(0-1000000\)' \
	"$M" config set signal-rate 1000001
t 2 'invalid value "x" for "signal-rate"' "$M" config set signal-rate x
t 2 '"signal-rate" given twice' "$M" config set signal-rate 1 max-routes 5 signal-rate 1
t 2 'missing value after "signal-rate"' "$M" config set signal-rate
t 2 'unexpected argument "x"' "$M" config show x
t 2 'unexpected argument' "$M" stats x
t 2 'missing value after "table"' "$M" stats table
t 2 'invalid table "x"' "$M" stats table x
t 2 'unexpected argument "show"' "$M" stats table 1 show

# batch: line numbers, comments, quoting, -force
printf '%s\n' '# comment' '' 'route add group 1.2.3.4 iif lo' \
	'route add group 2.3.4.5 iif lo' >"$tmp/bad"
t 2 '^Error in line 3: "1\.2\.3\.4" is not a multicast' "$M" -b "$tmp/bad"
out=$("$M" -b "$tmp/bad" 2>&1)
if grep -q 'line 4' <<<"$out"; then
	echo "FAIL: batch went on after an error without -force: $out"
	fail=$((fail + 1))
else
	echo "ok: batch stops at the first error"
	pass=$((pass + 1))
fi
t 2 'Error in line 4: "2\.3\.4\.5"' "$M" -force -b "$tmp/bad"
t 2 'Error in line 3' "$M" -b - <"$tmp/bad"
printf '%s\n' 'route add group "1.2.3.4" iif lo' >"$tmp/quote"
t 2 'Error in line 1: "1\.2\.3\.4" is not' "$M" -b "$tmp/quote"
printf '%s\n' 'route add group "239.1.1.1 iif lo' >"$tmp/unterm"
t 2 'Error in line 1: unterminated quote' "$M" -b "$tmp/unterm"
printf '%s\n' 'help' 'route help' >"$tmp/help"
t_out 0 'route \{ add' "$M" -b "$tmp/help"

# batch: consecutive route add, replace and del lines go as batches of
# routes; each line is still parsed and its errors reported on its own, in
# order (without the module, each line that parses fails to reach it)
printf '%s\n' 'route add group 239.1.1.1 iif lo oif lo' \
	'route replace group 239.1.1.2 source 10.0.0.1 iif lo' \
	'route del group 239.1.1.3' 'route add group 1.2.3.4 iif lo' \
	'route del group 239.1.1.1 iif any' '# comment' \
	'route add group ff0e::5 iif lo table 3' \
	'route del group 239.1.1.1 ttl 3' \
	'route replace group 239.1.1.9 iif lo oif nosuchdev0' >"$tmp/routes"
t 1 '^Error in line 1: generic netlink family "mfwd" not found' \
	"$M" -b "$tmp/routes"
t 2 'Error in line 4: "1\.2\.3\.4" is not a multicast group address' \
	"$M" -force -b "$tmp/routes"
t 2 'Error in line 5: iif any is for add and replace only' \
	"$M" -force -b "$tmp/routes"
t 2 'Error in line 8: unknown argument "ttl"' "$M" -force -b "$tmp/routes"
t 2 'Error in line 9: cannot find device "nosuchdev0"' \
	"$M" -force -b "$tmp/routes"
out=$("$M" -force -b "$tmp/routes" 2>&1)
lines=$(sed -n 's/^Error in line \([0-9]*\):.*/\1/p' <<<"$out" | tr '\n' ' ')
if [[ $lines == "1 2 3 4 5 7 8 9 " ]]; then
	echo "ok: batch of routes: one error a line, in order"
	pass=$((pass + 1))
else
	echo "FAIL: batch of routes: errors of lines \"$lines\": $out"
	fail=$((fail + 1))
fi

# -f / apply: smcroute.conf errors name the file and line
printf '%s\n' '# smcroute' 'phyint lo enable' 'frobnicate x' >"$tmp/sc1"
t 2 "^Error in $tmp/sc1:3: unknown directive \"frobnicate\"" "$M" -f "$tmp/sc1"
t 2 "^Error in $tmp/sc1:3: unknown directive" "$M" apply "$tmp/sc1"
printf '%s\n' 'mroute from lo group 225.1.2.0/24 to lo' >"$tmp/sc2"
# prefix lines parse and go to the kernel as prefix routes (absent here)
t 1 "Error in $tmp/sc2:1: generic netlink family \"mfwd\" not found" "$M" -f "$tmp/sc2"
printf '%s\n' 'mroute from lo source 10.1.0.0/16 group 225.1.2.3 to lo' >"$tmp/sc2b"
t 1 "Error in $tmp/sc2b:1: generic netlink family \"mfwd\" not found" "$M" -f "$tmp/sc2b"
printf '%s\n' 'mroute from lo to lo' >"$tmp/sc3"
t 2 "Error in $tmp/sc3:1: mroute without \"group G\"" "$M" -f "$tmp/sc3"
printf '%s\n' 'phyint lo enable bogus' >"$tmp/sc4"
t 2 "Error in $tmp/sc4:1: unknown phyint argument \"bogus\"" "$M" -f "$tmp/sc4"
printf '%s\n' 'mroute from lo group 225.1.2.3/33 to lo' >"$tmp/sc5"
t 2 "Error in $tmp/sc5:1: invalid prefix length in \"225\.1\.2\.3/33\"" "$M" -f "$tmp/sc5"
printf '%s\n' 'mroute from lo group 225.1.2.3' >"$tmp/sc6"
t 2 "Error in $tmp/sc6:1: mroute without \"to IF\.\.\.\"" "$M" -f "$tmp/sc6"
printf '%s\n' 'phyint lo enable ttl-threshold 0' >"$tmp/sc7"
t 2 "Error in $tmp/sc7:1: invalid TTL threshold \"0\"" "$M" -f "$tmp/sc7"
t 1 'cannot open "/nonexistent/conf"' "$M" -f /nonexistent/conf
t 2 'usage: mfwdctl apply FILE' "$M" apply
# include: relative to the including file, globs, errors in included files
# name that file, loops are caught
mkdir -p "$tmp/inc/d.d"
printf '%s\n' 'phyint lo enable' 'include d.d/*.conf' >"$tmp/inc/main.conf"
printf '%s\n' '' 'bogus-in-include' >"$tmp/inc/d.d/10-a.conf"
t 2 "^Error in $tmp/inc/d\.d/10-a\.conf:2: unknown directive \"bogus-in-include\"" \
	"$M" -f "$tmp/inc/main.conf"
printf '%s\n' '# a' 'include loop2.conf' >"$tmp/inc/loop1.conf"
printf '%s\n' 'include loop1.conf' >"$tmp/inc/loop2.conf"
t 2 "include loop: \"$tmp/inc/\./loop1\.conf\" includes itself|include loop" \
	"$M" -f "$tmp/inc/loop1.conf"
printf '%s\n' 'include nonexistent.conf' >"$tmp/inc/missing.conf"
t 1 "^Error in $tmp/inc/missing\.conf:1: cannot open \"$tmp/inc/nonexistent\.conf\"" \
	"$M" -f "$tmp/inc/missing.conf"
# IPv6 in smcroute.conf: the same checks, with the file and line
printf '%s\n' 'phyint lo enable' 'mroute from lo group ff0e::/16 to lo' >"$tmp/sc6a"
t 1 "Error in $tmp/sc6a:1: generic netlink family \"mfwd\" not found" "$M" -f "$tmp/sc6a"
printf '%s\n' 'mroute from lo source 2001:db8::/32 group ff0e::3 to lo' >"$tmp/sc6b"
t 1 "Error in $tmp/sc6b:1: generic netlink family \"mfwd\" not found" "$M" -f "$tmp/sc6b"
printf '%s\n' 'mroute from lo source 2001:db8::2 group ff02::3 to lo' >"$tmp/sc6c"
t 2 "Error in $tmp/sc6c:1: group \"ff02::3\" is link-local" "$M" -f "$tmp/sc6c"
printf '%s\n' 'mroute from lo source 10.0.0.1 group ff0e::3 to lo' >"$tmp/sc6d"
t 2 "Error in $tmp/sc6d:1: source and group are of different address families" \
	"$M" -f "$tmp/sc6d"
printf '%s\n' 'mroute from lo source ff0e::1 group ff0e::3 to lo' >"$tmp/sc6e"
t 2 "Error in $tmp/sc6e:1: source \"ff0e::1\" is not a unicast address" \
	"$M" -f "$tmp/sc6e"
printf '%s\n' 'mroute from lo group ff0e::/7 to lo' >"$tmp/sc6f"
t 2 "Error in $tmp/sc6f:1: invalid prefix length in \"ff0e::/7\" \(8-128\)" \
	"$M" -f "$tmp/sc6f"
printf '%s\n' 'mroute from lo group 2001:db8::/32 to lo' >"$tmp/sc6g"
t 2 "Error in $tmp/sc6g:1: \"2001:db8::/32\" is not a multicast group address \(ff00::/8\)" \
	"$M" -f "$tmp/sc6g"
printf '%s\n' 'mgroup from lo source 2001:db8::2 group ff0e::3' \
	'mroute from lo group ff0e::/16 to lo' >"$tmp/sc6h"
t 1 "Warning in $tmp/sc6h:1: mgroup ignored" "$M" -f "$tmp/sc6h"

# mgroup: one-shot mfwdctl cannot hold a join; a warning names the line
printf '%s\n' 'mgroup from lo group 225.1.2.3' 'mroute from lo group 225.1.2.0/24 to lo' >"$tmp/sc8"
t 1 "Warning in $tmp/sc8:1: mgroup ignored: joining a group needs mfwd-smcrouted" \
	"$M" -f "$tmp/sc8"

# mfwd-smcrouted -F checks a file without the module
D=$here/mfwd-smcrouted
C=$here/mfwd-smcroutectl
if [[ -x $D && -x $C ]]; then
	printf '%s\n' 'phyint lo enable' 'mroute from lo group 225.1.2.0/24 to lo' \
		'mgroup from lo group 225.1.2.3' 'include d.d/none*.conf' >"$tmp/inc/ok.conf"
	t 0 '' "$D" -F "$tmp/inc/ok.conf"
	printf '%s\n' 'phyint lo enable' \
		'mroute from lo source 2001:db8::2 group ff0e::3 to lo' \
		'mroute from lo group ff0e::4 to lo' \
		'mroute from lo source :: group ff0e::5/128 to lo' \
		'mroute from lo group ff0e::/16 to lo' \
		'mroute from lo source 2001:db8::/32 group ff0e::6 to lo' \
		'mgroup from lo group ff0e::3' \
		'mgroup from lo source 2001:db8::2 group ff0e::7' \
		'ssmgroup from lo source 2001:db8::2 group ff3e::8' >"$tmp/ok6.conf"
	t 0 '' "$D" -F "$tmp/ok6.conf"
	printf '%s\n' 'mroute from lo group ff0e::3 to lo' \
		'mroute from lo group ff02::3 to lo' \
		'mgroup from lo source 10.0.0.1 group ff0e::3' >"$tmp/bad6.conf"
	t 1 "$tmp/bad6\.conf:2: group \"ff02::3\" is link-local" "$D" -F "$tmp/bad6.conf"
	t 1 "$tmp/bad6\.conf:3: source and group are of different address families" \
		"$D" -F "$tmp/bad6.conf"
	t 1 "$tmp/inc/d\.d/10-a\.conf:2: unknown directive" "$D" -F "$tmp/inc/main.conf"
	t_out 0 'Usage:' "$D" -h
	t_out 0 'smcrouted 2\.5 compatible' "$D" -v
	# a bad table id is refused, naming it (what -t 5 means is the kernel's)
	t 2 ': -t x: ' "$D" -t x -n
	t 2 ': -t 4294967296: ' "$D" -t 4294967296 -n
	t 2 'invalid argument to -l' "$D" -l loud -n
	t 2 '' "$D" -x
	t_out 0 'Usage:' "$C" -h
	t_out 0 'Add a multicast route' "$C" help add
	t_out 0 'Add a multicast route' "$C" h a
	t_out 0 'IPv4 or IPv6 addresses' "$C" -h
	t_out 0 'smcroutectl 2\.5 compatible' "$C" version
	t 1 'unknown command "bogus"' "$C" bogus
	t 1 'ambiguous command "re"' "$C" re
	t 1 'wrong number of arguments to "add"' "$C" add eth0 225.1.2.3
	t 1 'wrong number of arguments to "join"' "$C" join eth0
	t 1 "Cannot find IPC socket $tmp/none\.sock" "$C" -u "$tmp/none.sock" show
	t 1 "Cannot find IPC socket /run/no-such-ident\.sock" "$C" -i no-such-ident show
	t 1 "Cannot find IPC socket /run/no-such-ident\.sock" "$C" -I no-such-ident kill
fi

# without the module the family is missing: a clear message, exit 1
if [[ ! -d /sys/module/mfwd ]]; then
	t 1 'family "mfwd" not found: is the mfwd module loaded\?' \
		"$M" route show
	t 1 'family "mfwd" not found' "$M" -j vif show
	# valid IPv6 commands get as far as the kernel
	t 1 'family "mfwd" not found' \
		"$M" route add group ff0e::3 source 2001:db8::2 iif $dev oif $dev/4
	t 1 'family "mfwd" not found' "$M" route add group ff0e::3 source '*' iif $dev
	t 1 'family "mfwd" not found' "$M" route del group ff0e::3 source ::
	# several inputs, any, per-iif: the kernel judges them
	t 1 'family "mfwd" not found' "$M" route add group 239.1.1.1 iif $dev iif $dev
	t 1 'family "mfwd" not found' "$M" route replace group 239.1.1.1 iif any oif $dev
	t 1 'family "mfwd" not found' "$M" route add group 239.1.1.1 iif $dev per-iif
	t 1 'family "mfwd" not found' "$M" route del group 239.1.1.1 per-iif iif $dev
	t 1 'family "mfwd" not found' "$M" route del group 239.1.1.1 iif $dev
	t 1 'family "mfwd" not found' "$M" route get group 239.1.1.1 per-iif iif $dev
	t 1 'family "mfwd" not found' "$M" route show iif $dev per-iif
	# no-wrongvif, signal-rate: anywhere among the route keywords
	t 1 'family "mfwd" not found' \
		"$M" route add group 239.1.1.1 iif $dev no-wrongvif signal-rate 100 oif $dev
	t 1 'family "mfwd" not found' \
		"$M" route replace signal-rate 1000000 group ff0e::3 no-wrongvif iif any
	t 1 'family "mfwd" not found' "$M" route add group 239.1.1.1 iif $dev signal-rate 1
	t 1 'family "mfwd" not found' "$M" route add group 239.1.1.1 iif $dev per-iif no-wrongvif
	# config set signal-rate: 0 (no limit) to 1000000
	t 1 'family "mfwd" not found' "$M" config set signal-rate 0
	t 1 'family "mfwd" not found' "$M" config set signal-rate 1000000
	t 1 'family "mfwd" not found' "$M" config set max-routes 10 signal-rate 50
	# DURATION: these parse and get as far as the kernel
	for d in 5 1.5s 1.5 100ms 0.1s 2m 0.5m 1h 24h 86400000ms 1.25s 0.001h \
		0.1000000000s 010s; do
		t 1 'family "mfwd" not found' \
			"$M" route add group 239.1.1.1 iif $dev idle-timeout "$d"
	done
	t 1 'family "mfwd" not found' \
		"$M" route add group 239.1.1.1 expire iif $dev idle-timeout 5s oif $dev
	t 1 'family "mfwd" not found' \
		"$M" route replace idle-timeout 100ms group ff0e::3 iif any no-wrongvif expire
	# meters: the route's key as route del takes it, the meter's words anywhere
	t 1 'family "mfwd" not found' \
		"$M" meter add group 239.1.1.1 source 10.0.0.1 packets ge 100 interval 1s
	t 1 'family "mfwd" not found' \
		"$M" meter add interval 1.5s bytes le 0 group ff0e::/16 table 5
	t 1 'family "mfwd" not found' \
		"$M" meter add group 239.1.1.1 per-iif iif $dev packets ge 18446744073709551615 interval 24h
	t 1 'family "mfwd" not found' "$M" meter del group 239.1.1.1
	t 1 'family "mfwd" not found' "$M" meter del group 239.1.1.1 ge
	t 1 'family "mfwd" not found' "$M" meter del group 239.1.1.1 le 5 bytes
	t 1 'family "mfwd" not found' "$M" meter del group 239.1.1.1 interval 100ms packets
	t 1 'family "mfwd" not found' "$M" meter show
	t 1 'family "mfwd" not found' "$M" meter
	t 1 'family "mfwd" not found' "$M" -j meter show
	t 1 'family "mfwd" not found' "$M" -6 -t 5 meter ls
	t 1 'family "mfwd" not found' "$M" meter show family inet table 0
	# single-interface VIFs
	t 1 'family "mfwd" not found' "$M" vif add dev $dev single-interface
	t 1 'family "mfwd" not found' "$M" vif add dev $dev dup-window 10ms single-interface
	t 1 'family "mfwd" not found' "$M" vif add dev $dev single-interface dup-window 10s
	t 1 'family "mfwd" not found' "$M" monitor threshold idle
	t 1 'family "mfwd" not found' "$M" monitor idle table 5
	t 1 'family "mfwd" not found' "$M" route get group ff3e::1:2 source 2001:db8::2
	t 1 'family "mfwd" not found' "$M" route show family inet6 source '*'
	t 1 'family "mfwd" not found' "$M" -6 route show group ff0e::3
	t 1 'family "mfwd" not found' "$M" route flush family inet6
	t 1 'family "mfwd" not found' "$M" -4 flush
	t 1 'family "mfwd" not found' "$M" flush routes family ipv6
	# tables: any u32, decimal or 0x hex; the kernel judges the rest
	t 1 'family "mfwd" not found' "$M" -t 5 route show
	t 1 'family "mfwd" not found' "$M" --table 4294967295 vif add dev $dev
	t 1 'family "mfwd" not found' "$M" -t 0 vif show dev $dev
	t 1 'family "mfwd" not found' "$M" vif add dev $dev table 0x10
	t 1 'family "mfwd" not found' "$M" -t 5 route add group 239.1.1.1 iif $dev table 7
	t 1 'family "mfwd" not found' "$M" route del group 239.1.1.1 table 7
	t 1 'family "mfwd" not found' "$M" -6 route flush table 7
	t 1 'family "mfwd" not found' "$M" -t 7 flush all
	t 1 'family "mfwd" not found' "$M" monitor route table 7
	t 1 "Error in $tmp/sc2:1: generic netlink family \"mfwd\" not found" \
		"$M" -t 5 -f "$tmp/sc2"
fi

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
