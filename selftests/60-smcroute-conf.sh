#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# "mfwdctl -f FILE" and "mfwdctl apply FILE" apply an smcroute.conf: phyint
# lines make VIFs (with their TTL threshold), mroute lines exact (S,G) and
# (*,G) routes and, for "group A/LEN" and "source A/LEN", prefix routes,
# IPv4 and IPv6 (their interfaces become VIFs too), include lines pull in
# files relative to the including one, globs in order. Applying twice
# changes nothing. Errors name the file and line, also those the kernel
# reports for a line's request; mgroup lines, which need the daemon, are
# warned about, naming the line.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_mfwdctl
load_mfwd
on_exit "'$MFWDCTL' flush all; rmmod mfwd"
for i in 0 1 2 3; do
	ip link add "r$i" type dummy
	ip link set "r$i" up multicast on
	on_exit "ip link del r$i"
done

d=$TOPO_DIR/conf
mkdir -p "$d/smcroute.d"
cat >"$d/smcroute.conf" <<'EOF'
# the router
phyint r0 enable
phyint r1 enable ttl-threshold 3
phyint r3 disable
include smcroute.d/*.conf
mgroup from r0 group 239.9.9.9
EOF
cat >"$d/smcroute.d/10-sg.conf" <<'EOF'
mroute from r0 source 10.0.0.2 group 239.1.1.1 to r1 r2
EOF
cat >"$d/smcroute.d/20-starg.conf" <<'EOF'

mroute from r0 group 239.1.1.2 to r2
include ../more/extra.conf
EOF
mkdir -p "$d/more"
cat >"$d/more/extra.conf" <<'EOF'
mroute from r0 source 10.0.0.3/32 group 239.1.1.3/32 to r1
mroute from r0 group 239.2.0.0/16 to r1
mroute from r0 source 10.0.0.0/24 group 239.2.0.0/16 to r2
mroute from r0 source 2001:db8::/64 group ff0e::5:0/112 to r2
EOF

routes() {
	"$MFWDCTL" -j route show | jsel '" ".join(sorted("%s/%s/%s>%s" % (r["source"], r["group"], r["iif"], ",".join(o["dev"] for o in r["oifs"])) for r in d))'
}
vifs() {
	"$MFWDCTL" -j vif show | jsel '" ".join(sorted("%s/%d" % (v["dev"], v["ttl_threshold"]) for v in d))'
}
want_routes="*/239.1.1.2/r0>r2 */239.2.0.0/16/r0>r1 10.0.0.0/24/239.2.0.0/16/r0>r2 10.0.0.2/239.1.1.1/r0>r1,r2 10.0.0.3/239.1.1.3/r0>r1 2001:db8::/64/ff0e::5:0/112/r0>r2"
want_vifs="r0/1 r1/3 r2/1"

out=$("$MFWDCTL" -f "$d/smcroute.conf" 2>&1) || fail "mfwdctl -f: $out"
grep -q "^Warning in $d/smcroute.conf:6: mgroup ignored: joining a group needs mfwd-smcrouted" <<<"$out" ||
	fail "no warning naming the mgroup line: $out"
check_eq "$(routes)" "$want_routes" "routes after -f"
check_eq "$(vifs)" "$want_vifs" "VIFs after -f"
log "applied: $(routes)"

# again, as "apply", from another directory: nothing changes
out=$(cd / && "$MFWDCTL" apply "$d/smcroute.conf" 2>&1) || fail "mfwdctl apply again: $out"
check_eq "$(routes)" "$want_routes" "routes after applying twice"
check_eq "$(vifs)" "$want_vifs" "VIFs after applying twice"

# errors name the file and line
expect_err() {	# RC PATTERN FILE
	local rc=0
	out=$("$MFWDCTL" -f "$3" 2>&1) || rc=$?
	check_eq "$rc" "$1" "exit code of mfwdctl -f $3 ($out)"
	grep -Eq -- "$2" <<<"$out" || fail "mfwdctl -f $3: no /$2/ in: $out"
	log "$out"
}
printf '%s\n' '# x' 'phyint r0 enable' 'include bad.d/*.conf' >"$d/e1.conf"
mkdir -p "$d/bad.d"
printf '%s\n' 'mroute from r0 group 239.2.2.2 to r1' 'mroute from r0 group 239.2.2.3 to' >"$d/bad.d/a.conf"
expect_err 2 "^Error in $d/bad\.d/a\.conf:2: mroute without \"to IF\.\.\.\"" "$d/e1.conf"
printf '%s\n' 'mroute from r0 group 239.3.0.0/33 to r1' >"$d/e2.conf"
expect_err 2 "^Error in $d/e2\.conf:1: invalid prefix length in \"239\.3\.0\.0/33\"" "$d/e2.conf"
printf '%s\n' 'phyint r3 disable' 'mroute from r0 group 239.3.3.3 to r3' >"$d/e3.conf"
expect_err 2 "^Error in $d/e3\.conf:2: interface \"r3\" is disabled" "$d/e3.conf"
printf '%s\n' '' 'mroute from nosuch0 group 239.3.3.3 to r1' >"$d/e4.conf"
expect_err 1 "^Error in $d/e4\.conf:2: cannot find device \"nosuch0\"" "$d/e4.conf"
printf '%s\n' 'include e5.conf' >"$d/e5.conf"
expect_err 2 "include loop" "$d/e5.conf"
# the kernel's error for one line of many: the route limit
n=$("$MFWDCTL" -j route show | jsel 'len(d)')
mf config set max-routes $((n + 1))
printf '%s\n' 'phyint r0 enable' 'mroute from r0 group 239.4.4.1 to r1' \
	'mroute from r0 group 239.4.4.2 to r1' >"$d/e6.conf"
expect_err 1 "^Error in $d/e6\.conf:3: .*" "$d/e6.conf"
mf config set max-routes 100000
check_eq "$("$MFWDCTL" -j route show | jsel 'len(d)')" $((n + 1)) "routes after the failed file"
pass "smcroute.conf with include: 6 routes (3 of them prefix routes), 3 VIFs; errors name FILE:LINE"
