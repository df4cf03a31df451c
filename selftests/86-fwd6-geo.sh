#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# IPv6 device geometry (see geo.sh, geo_setup -6): links br1 (bridge, two
# port hosts), vl2 (VLAN 100 on a veth), br3 (bridge), ve4 (veth), mv5
# (macvlan), gr6 (veth with GRO and UDP GRO forwarding).  Every payload
# spec of GEO_SIZES6 (64 and 1200 bytes whole and as UDP GSO, 1452 bytes
# whole, 1500 and 3000 bytes fragmented by the sender), to groups
# ff0e::86:R:I, hop limit 64:
#  1. h1 (port p1a) sends to groups with no route: h1b, the host on br1's
#     other port, gets every frame once, bridged (hop limit 64); nothing
#     is forwarded;
#  2. br1 -> VLAN, br3, veth, macvlan, GRO: every copy once, intact, hop
#     limit 63; h1b gets every frame once, bridged, with the routes in;
#  3. vl2 (VLAN input) -> br1 (both port hosts), br3, veth, macvlan, GRO;
#  then br_netfilter with bridge-nf-call-ip6tables=1 (bridged IPv6 passes
#  the IPv6 PRE_ROUTING hooks with the bridge as input device):
#  4. as 1;  5. as 2;
#  6. ve4 -> br1 (both port hosts), VLAN, br3, macvlan, GRO: routed copies
#     into bridges reach every port's host once;
#  7. round 5's links with 9000 bytes (whole and GSO), jumbo MTUs.
# Counters exact after every round (IPv6 headers: GSO/GRO skbs count once).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
GEO_ROUNDS_MAX=7
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_setup -6 bridge vlan bridge veth macvlan gro
geo_l2 1 64:df 1500:nodf
geo_round 1 "2 3 4 5 6" "${GEO_SIZES6[@]}"
geo_round 2 "1 3 4 5 6" "${GEO_SIZES6[@]}"
geo_brnf ip6tables
geo_log "br_netfilter, bridge-nf-call-ip6tables=1"
geo_l2 1 64:df 1500:nodf
geo_round 1 "2 3 4 5 6" "${GEO_SIZES6[@]}"
geo_round 4 "1 2 3 5 6" "${GEO_SIZES6[@]}"
geo_jumbo
geo_round 1 "2 3 4 5 6" "${GEO_JUMBO_SIZES[@]}"
pass "IPv6 bridge and VLAN input and output, with and without br_netfilter: routed once, bridging untouched"
