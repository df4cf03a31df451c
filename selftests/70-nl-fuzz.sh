#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Netlink fuzzing of the mfwd family (helpers/nlfuzz.c; its input model,
# helpers/fuzz_model.py, is generated from the YNL spec, and the errnos
# it accepts from Documentation/mfwd.rst's errno table and mfwd.h).
# Worker processes in three netns (two in the router's, one in fz1, one in
# fz2) send random requests (valid, boundary and invalid attributes, wrong
# types and lengths, nests in nests, duplicated and unknown attributes, OIF
# lists up to 2000, random flags and headers, dumps abandoned mid-way, and
# a few requests from short-lived netns) while multicast flows from src
# through routes of the router and, underneath, devices are created,
# made VIFs and deleted or moved to another netns, and netns with VIFs and
# routes are created and deleted.
# Checked: every answer is success or a documented errno with an extack
# message (excepted: the core's refusals before the family and ENOMEM, and
# a missing required attribute, which names it in NLMSGERR_ATTR_MISS_TYPE
# instead; both counted apart);
# afterwards, in each netns, the VIF and route dumps agree with each other
# and with CONFIG_GET's counts, no (S,G) twice; the module unloads.
# FUZZ_MESSAGES (default 100000 on a debug kernel, 20000 on others) or
# FUZZ_DURATION seconds; FUZZ_SEED replays a run (the seed is printed);
# FUZZ_PROCS workers (default 4).
# timeout: 900
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_cmd python3
require_mfwdctl
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"

# On the debug kernel every exec and packet costs 10x: the traffic (PACE:
# seconds between sends) and the churn (5 s between rounds) are paced
# there, so that the fuzzer keeps most of the CPU.
if debug_kernel; then
	MSGS=${FUZZ_MESSAGES:-100000} PACE=0.02
else
	MSGS=${FUZZ_MESSAGES:-20000} PACE=0.002
fi
DUR=${FUZZ_DURATION:-}
PROCS=${FUZZ_PROCS:-4}
SEED=${FUZZ_SEED:-0}
REPO=$(cd "$TOPO_HELPERS/../.." && pwd)
# (the model is needed only where nlfuzz is built here, but is cheap)
python3 "$TOPO_HELPERS/fuzz_model.py" -o "$TOPO_DIR/fuzz_model.h" ||
	fail "fuzz_model.py failed"
FUZZ=$(helper_bin nlfuzz "$TOPO_DIR" -I "$TOPO_DIR" -I "$REPO/uapi")

topo_init 3
topo_mfwd
mf route add group 239.1.0.1 source 10.0.0.2 iif r0 oif r1 oif r2
mf route add group 239.1.0.2 iif r0 oif r3

# two more netns with VIFs: a veth pair and two dummies each
for ns in fz1 fz2; do
	ns_create "$ns"
	ip -n "$ns" link add a0 type veth peer name a1
	ip -n "$ns" link add d0 type dummy
	ip -n "$ns" link add d1 type dummy
	for d in a0 a1 d0 d1; do ip -n "$ns" link set "$d" up; done
	for d in a0 a1 d0; do ns_exec "$ns" "$MFWDCTL" vif add dev "$d"; done
	ns_exec "$ns" "$MFWDCTL" route add group 239.1.0.3 iif a0 oif a1 oif d0
done

# traffic: two flows from src through r0, until the end
bg_start "$TOPO_DIR/send1.log" src python3 "$TOPO_HELPERS/mcsend.py" --port "$TOPO_PORT" \
	--iface-addr 10.0.0.2 --group 239.1.0.1 --count 0 --interval $PACE --ignore-errors
SEND1=$BG_PID
on_exit "kill $SEND1"
bg_start "$TOPO_DIR/send2.log" src python3 "$TOPO_HELPERS/mcsend.py" --port "$TOPO_PORT" \
	--iface-addr 10.0.0.2 --group 239.1.0.2 --count 0 --interval $PACE --ignore-errors
SEND2=$BG_PID
on_exit "kill $SEND2"

# churn underneath: devices made VIFs (with routes) then deleted or moved
# to another netns, netns with VIFs and routes created and deleted; one
# round after the other until $TOPO_DIR/stop exists
churn() {
	local i=0 ns
	while [[ ! -e $TOPO_DIR/stop ]]; do
		i=$((i + 1))
		ip link add fzc0 type dummy && ip link set fzc0 up
		"$MFWDCTL" vif add dev fzc0
		"$MFWDCTL" route add group 239.1.0.9 source 10.0.0.5 iif fzc0 oif r1
		"$MFWDCTL" route add group 239.1.0.1 source 10.0.0.3 iif r0 oif fzc0 oif r2
		ip link del fzc0
		ip link add fzm0 type dummy && ip link set fzm0 up
		"$MFWDCTL" vif add dev fzm0
		"$MFWDCTL" route add group 239.1.0.10 iif r0 oif fzm0
		ip link set fzm0 netns fz2
		ip -n fz2 link del fzm0
		ns=fzt$i
		ip netns add "$ns"
		ip -n "$ns" link add d0 type dummy
		ip -n "$ns" link add d1 type dummy
		ip -n "$ns" link set d0 up
		ip -n "$ns" link set d1 up
		ip netns exec "$ns" "$MFWDCTL" vif add dev d0
		ip netns exec "$ns" "$MFWDCTL" vif add dev d1
		ip netns exec "$ns" "$MFWDCTL" route add group 239.1.0.1 iif d0 oif d1
		ip netns del "$ns"
		ip -n fz1 link add dz type dummy && ip -n fz1 link set dz up
		ip netns exec fz1 "$MFWDCTL" vif add dev dz
		ip -n fz1 link del dz
		echo "$i" >"$TOPO_DIR/churn.n"
		[[ $PACE == 0.002 ]] || lib_sleep 5
	done
}
(
	set +eE
	trap - ERR
	churn >"$TOPO_DIR/churn.log" 2>&1
) &
CHURN=$!
on_exit "touch '$TOPO_DIR/stop'; wait $CHURN"

args=(-s "$SEED" -p "$PROCS" -N "-,fz1,-,fz2")
if [[ -n $DUR ]]; then
	args+=(-d "$DUR")
	log "fuzzing for $DUR s"
else
	args+=(-n "$MSGS")
	log "fuzzing $MSGS messages"
fi
t0=$SECONDS
rc=0
"$FUZZ" "${args[@]}" 2>&1 | tee "$TOPO_DIR/fuzz.log" || rc=$?
log "fuzzer done in $((SECONDS - t0)) s"

touch "$TOPO_DIR/stop"
wait "$CHURN" || true
log "churn rounds: $(cat "$TOPO_DIR/churn.n" 2>/dev/null || echo 0)"
kill "$SEND1" "$SEND2" 2>/dev/null || true
wait "$SEND1" "$SEND2" 2>/dev/null || true
((rc == 0)) || fail "the fuzzer found a violation (above)"

for ns in - fz1 fz2; do
	out=$(ns_exec "$ns" "$FUZZ" -c 2>&1) || fail "netns ${ns/#-/router}: $out"
	log "netns ${ns/#-/router}: ${out#nlfuzz: check: }"
done

unload_mfwd
pass "$(grep -o 'sent [0-9]*' "$TOPO_DIR/fuzz.log"), tables consistent, module unloaded"
