#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Two mfwd-smcrouted side by side, one per mfwd table: "-t 10" (r2, r3)
# and the default table 0 (r0, r1), each with its own smcroute.conf and
# identity.  The same (*,G) rule in each gives a (*,G) route in its own
# table only; a sender behind r0 reaches rx1 only and one behind r2 rx3
# only, every copy with TTL 63.  A packet no rule matches, arriving in
# table 0, gets the table-0 daemon's stop filter (an (S,G) route without
# outputs, in table 0); the table-10 daemon ignores that NOCACHE event
# (nothing in table 10, nothing about it in its log).  Each daemon's "show
# routes" lists its own table's routes only.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_dropins
G=239.93.0.1 GN=239.93.0.2 S0=10.0.0.2 S2=10.0.2.2 N0=20 N2=30

topo_init 3
load_mfwd
on_exit "'$MFWDCTL' flush all; rmmod mfwd"
d=$TOPO_DIR

# daemon NAME TABLE PHYINT...: mfwd-smcrouted -I NAME -t TABLE, with
# "mroute from FIRST group G to SECOND"
daemon() {
	local name=$1 table=$2
	shift 2
	printf 'phyint %s enable\n' "$@" >"$d/$name.conf"
	echo "mroute from $1 group $G to $2" >>"$d/$name.conf"
	bg_start "$d/$name.log" - "$SMC_TOOLS/mfwd-smcrouted" -n -N -l debug \
		-t "$table" -I "$name" -f "$d/$name.conf" -u "$d/$name.sock" \
		-P "$d/$name.pid"
	on_exit "kill $BG_PID"
}
ctl() { "$SMC_TOOLS/mfwd-smcroutectl" -u "$d/$1.sock" "${@:2}"; }

# troutes TABLE: "IIF SOURCE OIFS" of that table's routes of G and GN
troutes() {
	"$MFWDCTL" -t "$1" -j route show | jsel '",".join(sorted("%s %s %s %s" % (
		r["group"], r["source"], r["iif"], "+".join(o["dev"] for o in r["oifs"]))
		for r in d))'
}
# shellcheck disable=SC2317  # called through wait_for
has_routes() { [[ $(troutes "$1") == "$2" ]]; }

daemon t0 0 r0 r1
daemon t10 10 r2 r3
wait_for -t "$TOPO_WAIT" has_routes 0 "$G * r0 r1" ||
	fail "table 0: $(troutes 0)"$'\n'"$(cat "$d/t0.log")"
wait_for -t "$TOPO_WAIT" has_routes 10 "$G * r2 r3" ||
	fail "table 10: $(troutes 10)"$'\n'"$(cat "$d/t10.log")"
check_eq "$("$MFWDCTL" -j vif show | jsel '",".join(sorted("%s:%s" % (v["dev"], v["table"]) for v in d))')" \
	"r0:0,r1:0,r2:10,r3:10" "VIFs and their tables"
log "each daemon put its rule in its own table"

rx_start_all "$G" "$GN"
send src -- --group "$G" --count "$N0" --ttl 64
send rx2 -- --group "$G" --count "$N2" --ttl 64 --iface-addr "$S2"
topo_sync
check_rx "$G" "1=$N0 2=0 3=$N2"
check_eq "$(rx_ttls rx1 eth0 "$G")" "63:$N0" "rx1 TTLs"
check_eq "$(rx_srcs rx1 eth0 "$G")" "$S0:$N0" "rx1 sources"
check_eq "$(rx_ttls rx3 eth0 "$G")" "63:$N2" "rx3 TTLs"
check_eq "$(rx_srcs rx3 eth0 "$G")" "$S2:$N2" "rx3 sources"
check_eq "$("$MFWDCTL" -t 10 -j route get group "$G" | jsel 'd["packets"]')" "$N2" \
	"packets of table 10's route"
check_eq "$("$MFWDCTL" -t 0 -j route get group "$G" | jsel 'd["packets"]')" "$N0" \
	"packets of table 0's route"

# no rule for GN: table 0's daemon makes a stop filter, table 10's ignores it
send src -- --group "$GN" --count 1 --ttl 64
wait_for -t "$TOPO_WAIT" has_routes 0 "$G * r0 r1,$GN $S0 r0 " ||
	fail "no stop filter in table 0: $(troutes 0)"$'\n'"$(cat "$d/t0.log")"
topo_sync
check_eq "$(troutes 10)" "$G * r2 r3" "table 10's routes after a table-0 NOCACHE"
check_rx "$GN" "1=0 2=0 3=0"
if grep -qF "$GN" "$d/t10.log"; then
	fail "table 10's daemon acted on table 0's NOCACHE:"$'\n'"$(cat "$d/t10.log")"
fi

out0=$(ctl t0 show routes) || fail "show routes (t0): $out0"
out10=$(ctl t10 show routes) || fail "show routes (t10): $out10"
grep -q "$GN" <<<"$out0" || fail "t0's show routes without its stop filter:"$'\n'"$out0"
grep -q "$GN" <<<"$out10" && fail "t10's show routes with table 0's stop filter:"$'\n'"$out10"
grep -q 'r2' <<<"$out10" || fail "t10's show routes without its rule:"$'\n'"$out10"
grep -q 'r2' <<<"$out0" && fail "t0's show routes with table 10's rule:"$'\n'"$out0"
pass "two mfwd-smcrouted, tables 0 and 10: each forwards and answers for its own table"
