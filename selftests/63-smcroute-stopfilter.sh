#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# mfwd-smcrouted keeps smcroute 2.5's kernel cache (mroute.c): one
# scenario runs first against the real smcroute on ipmr, then against
# mfwd with "smcrouted"/"smcroutectl" being mfwd-smcrouted and
# mfwd-smcroutectl, and the receivers count the same packets, each exactly
# once:
#  1. a packet no rule matches gets a stop filter, an (S,G) route with no
#     outputs: it is dropped, not kept queued and forwarded by a rule added
#     later ("smcroutectl add" of a (*,G)), which gives the stop filter its
#     outputs;
#  2. (*,G) rules a reload brings give their outputs to the (S,G) routes of
#     that group and input: a template's dynamic route (which keeps its
#     own) and a stop filter; with mfwd the prefix rule is a prefix route,
#     and a (*,G) route it covers gets its outputs too;
#  3. removing a (*,G) rule removes those (S,G) routes; the next packet
#     makes a new one (from a template, or a stop filter); with mfwd the
#     prefix route takes it.
# With mfwd, "mfwdctl -j route show" shows those routes at each step.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_dropins
tools=$SMC_TOOLS
GROUPS_ALL="239.7.7.7 239.8.0.1 239.9.9.9"
S=10.0.0.2

log "[${SECONDS}s] topology"
topo_init 3
d=$TOPO_DIR
conf=$d/mfc.conf
base_conf() {
	printf '%s\n' "phyint r0 enable" "phyint r1 enable" "phyint r2 enable" \
		"phyint r3 enable" "mroute from r0 group 239.8.0.0/16 to r2" >"$conf"
}

ctl() { smcroutectl -I mfc "$@"; }

# has_route G: the router has a route for (S,G) (any outputs): with mfwd
# an (S,G) route, or the prefix route of the 239.8.0.0/16 rule
# shellcheck disable=SC2317  # called through wait_for
has_route() {
	if [[ $IMPL == smcroute ]]; then
		ip mroute show | grep -q "($S,$1)"
	else
		"$MFWDCTL" route get group "$1" source "$S" >/dev/null 2>&1 ||
			{ [[ $1 == 239.8.* ]] &&
				"$MFWDCTL" route get group 239.8.0.0/16 >/dev/null 2>&1; }
	fi
}

# sendw N G...: N packets to each G; after the first, wait (3 s at most)
# for the route its NOCACHE event makes, as a user's stream would
sendw() {
	local n=$1 g
	shift
	local gargs=()
	for g in "$@"; do gargs+=(--group "$g"); done
	send -- --ttl 64 --size 64 "${gargs[@]}" --count 1
	for g in "$@"; do
		wait_for -t 3 has_route "$g" || log "no ($S, $g) route after 3 s"
	done
	((n == 1)) || send -- --ttl 64 --size 64 "${gargs[@]}" --count $((n - 1))
	topo_sync
}

# mfwd only: "SOURCE/GROUP>OIF,OIF" of every route, "-" for one without
# outputs; (*,G) routes have source "*", prefix routes GROUP/LEN. The
# prefix rule is a prefix route, which gets the outputs of the rules it
# covers (no (S,G) per packet as with smcroute); the counts are smcroute's.
routes() {
	[[ $IMPL == mfwd ]] || return 0
	"$MFWDCTL" -j route show | jsel '" ".join(sorted("%s/%s>%s" % (r["source"], r["group"], ",".join(sorted(o["dev"] for o in r["oifs"])) or "-") for r in d))'
}
check_routes() {	# EXPECTED WHAT (EXPECTED in any order)
	[[ $IMPL == mfwd ]] || return 0
	local want w
	read -ra w <<<"$1"
	want=$(printf '%s\n' "${w[@]}" | LC_ALL=C sort | paste -sd ' ')
	check_eq "$(routes)" "$want" "$IMPL: routes $2"
	log "$IMPL: routes $2: $want"
}

counts() { rx_counts "$GROUPS_ALL" 3; }
check_counts() {	# EXPECTED WHAT
	check_eq "$(counts)" "$1" "$IMPL: packets $2"
	log "$IMPL: packets $2: $1"
}

# scenario IMPL
scenario() {
	IMPL=$1
	local daemon want rc=0
	rx_stop_all
	# shellcheck disable=SC2086 # a list of groups, split on purpose
	rx_start_all $GROUPS_ALL
	base_conf
	rm -f /run/mfc.pid
	smcrouted -n -N -f "$conf" -I mfc -l debug >"$d/$IMPL.log" 2>&1 &
	daemon=$!
	wait_for -t 30 test -s /run/mfc.pid -a -S /run/mfc.sock ||
		fail "$IMPL: smcrouted did not start: $(cat "$d/$IMPL.log")"

	# 1. stop filter, then a (*,G) rule over IPC
	sendw 1 239.7.7.7
	check_routes "$S/239.7.7.7>- */239.8.0.0/16>r2" "after a packet no rule matches"
	ctl add r0 239.7.7.7 r1
	check_routes "$S/239.7.7.7>r1 */239.7.7.7>r1 */239.8.0.0/16>r2" "after add (*,239.7.7.7)"
	sendw 3 239.7.7.7
	want="rx1/239.7.7.7=3 rx2/239.7.7.7=0 rx3/239.7.7.7=0"
	want+=" rx1/239.8.0.1=0 rx2/239.8.0.1=0 rx3/239.8.0.1=0"
	want+=" rx1/239.9.9.9=0 rx2/239.9.9.9=0 rx3/239.9.9.9=0"
	check_counts "$want" "after step 1"

	# 2. a template's route and a stop filter; a reload adds (*,G) rules
	sendw 1 239.8.0.1 239.9.9.9
	check_routes "$S/239.7.7.7>r1 $S/239.9.9.9>- */239.7.7.7>r1 */239.8.0.0/16>r2" \
		"after the prefix rule's route and a stop filter"
	echo "mroute from r0 group 239.8.0.1 to r3" >>"$conf"
	echo "mroute from r0 group 239.9.9.9 to r1" >>"$conf"
	ctl reload
	wait_for -t 10 eval 'ctl show routes | grep -q "^(\*, 239\.9\.9\.9) "' ||
		fail "$IMPL: reload did not add (*,239.9.9.9): $(ctl show routes)"
	# (the IPC rule (*,239.7.7.7) goes with the reload, and its route)
	check_routes "$S/239.9.9.9>r1 */239.8.0.0/16>r2 */239.8.0.1>r2,r3 */239.9.9.9>r1" \
		"after the reload"
	sendw 4 239.8.0.1 239.9.9.9
	want="rx1/239.7.7.7=3 rx2/239.7.7.7=0 rx3/239.7.7.7=0"
	want+=" rx1/239.8.0.1=0 rx2/239.8.0.1=5 rx3/239.8.0.1=4"
	want+=" rx1/239.9.9.9=4 rx2/239.9.9.9=0 rx3/239.9.9.9=0"
	check_counts "$want" "after step 2"

	# 3. the (*,G) rules go, and the (S,G) routes they gave outputs to
	ctl remove r0 239.8.0.1
	ctl remove r0 239.9.9.9
	check_routes "*/239.8.0.0/16>r2" "after removing the (*,G) rules"
	sendw 3 239.8.0.1 239.9.9.9
	check_routes "$S/239.9.9.9>- */239.8.0.0/16>r2" "after new packets"
	want="rx1/239.7.7.7=3 rx2/239.7.7.7=0 rx3/239.7.7.7=0"
	want+=" rx1/239.8.0.1=0 rx2/239.8.0.1=8 rx3/239.8.0.1=4"
	want+=" rx1/239.9.9.9=4 rx2/239.9.9.9=0 rx3/239.9.9.9=0"
	check_counts "$want" "after step 3"

	ctl kill
	wait "$daemon" || rc=$?
	((rc == 0)) || fail "$IMPL: smcrouted exited $rc: $(cat "$d/$IMPL.log")"
	sed "s/^/# $IMPL: /" "$d/$IMPL.log" | grep -i 'stop filter\|does not match' || true
}

# ---- 1: smcroute on ipmr ----------------------------------------------------
ref=
if command -v smcrouted >/dev/null && command -v smcroutectl >/dev/null &&
	[[ -e /proc/net/ip_mr_vif ]]; then
	log "[${SECONDS}s] smcroute"
	scenario smcroute
	ref=smcroute
	wait_for test "$(sed 1d /proc/net/ip_mr_vif | wc -l)" -eq 0 ||
		fail "ipmr VIFs left after smcroute: $(cat /proc/net/ip_mr_vif)"
else
	log "smcroute not installed (or no ipmr): mfwd only"
fi

# ---- 2: mfwd -----------------------------------------------------------------
log "[${SECONDS}s] mfwd"
load_mfwd
on_exit "'$MFWDCTL' flush all; rmmod mfwd"
shim=$d/bin
mkdir -p "$shim"
ln -s "$tools/mfwd-smcrouted" "$shim/smcrouted"
ln -s "$tools/mfwd-smcroutectl" "$shim/smcroutectl"
PATH=$shim:$PATH scenario mfwd
check_eq "$("$MFWDCTL" -j route show)" "[]" "routes after kill"
pass "stop filters, (*,G) rules giving their outputs to (S,G) routes: same counts with ${ref:+smcroute and }mfwd"
