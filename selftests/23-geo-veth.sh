#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Device geometry (see geo.sh), input on a plain veth: one (S,G) route per
# payload spec from ve1 to VLAN, bridge (two port hosts), GRE, IPIP,
# macvlan, GRO veth and plain veth outputs, in that order; 64 and 1200
# bytes with DF and as UDP GSO, 1472/1500/3000 without DF (1500 and 3000
# fragmented by the sender), then 9000 (DF and GSO) with jumbo MTUs on
# every link.  Every copy reaches every receiver once, intact, TTL 63;
# mfwd's route, VIF and stats counters are exact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_setup veth vlan bridge gre ipip macvlan gro veth
geo_round 1 "2 3 4 5 6 7 8"
geo_jumbo
geo_round 1 "2 3 4 5 6 7 8" "${GEO_JUMBO_SIZES[@]}"
pass "veth input: every size to VLAN, bridge, GRE, IPIP, macvlan, GRO, veth"
