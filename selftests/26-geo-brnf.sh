#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Device geometry (see geo.sh), input on a bridge VIF with br_netfilter
# loaded and bridge-nf-call-iptables=1 (bridged IPv4 passes the IPv4
# PRE_ROUTING hooks with the bridge as input device).  As 25-geo-bridge:
#  1. h1 (port p1a) sends to groups with no route (unresolved at mfwd):
#     h1b, the host on br1's other port, gets every frame once, bridged
#     (TTL 64); nothing is forwarded;
#  2. br1 -> GRE, VLAN, bridge br4 (two port hosts), IPIP, macvlan, GRO,
#     veth: every payload spec; every copy once, intact, TTL 63; h1b gets
#     every frame once, bridged, with the routes installed;
#  3. veth ve8 -> br1 (both port hosts), GRE, VLAN, br4, IPIP, macvlan,
#     GRO: routed copies into bridges reach every port's host once;
#  4. round 2 again, 9000 bytes, jumbo MTUs.
# Counters exact after every round.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_brnf
geo_setup bridge gre vlan bridge ipip macvlan gro veth
geo_l2 1 64:df 1500:nodf
geo_round 1 "2 3 4 5 6 7 8"
geo_round 8 "1 2 3 4 5 6 7"
geo_jumbo
geo_round 1 "2 3 4 5 6 7 8" "${GEO_JUMBO_SIZES[@]}"
pass "bridge + br_netfilter input and output: routed once, bridging untouched"
