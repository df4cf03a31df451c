#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# IPv6 device geometry (see geo.sh, geo_setup -6), input on point-to-point
# tunnels (the multicast is decapsulated on the router), the IPv6
# counterpart of 27: links ip6gre1 (GRE over IPv6), ip6tnl2 (ip6tnl mode
# ip6ip6, IPv6 only: its sync packets are IPv6), gre3 (IPv6 over IPv4
# GRE), vl4 (VLAN), br5 (bridge, two port hosts), ip6gre6, mv7 (macvlan),
# ip6tnl8 (ip6ip6), gr9 (GRO veth), ve10 (veth); every tunnel at L3 MTU
# 1448 (IPv6 routers do not fragment: no output below the input's).
#  1. ip6gre1 -> ip6ip6, GRE, VLAN, bridge, ip6gre, macvlan, ip6ip6, GRO,
#     veth;  2. ip6tnl2 -> the others;  3. gre3 -> the others;
#     every spec of GEO_TUN_SIZES6: 64 and 1200 bytes whole and as UDP
#     GSO, 1400 bytes whole (fills the tunnel MTU), 1452, 1500 and 3000
#     bytes fragmented by the sender at 1448;
#  4.-6. the same routes with jumbo MTUs (tunnels 9100 over 9200
#     underlays): 9000 bytes whole and as UDP GSO.
# Every copy reaches every receiver once, intact, inner hop limit 63 (sent
# 64); counters exact after every round.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
GEO_ROUNDS_MAX=6
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_setup -6 ip6gre ip6ip6 gre vlan bridge ip6gre macvlan ip6ip6 gro veth
geo_round 1 "2 3 4 5 6 7 8 9 10" "${GEO_TUN_SIZES6[@]}"
geo_round 2 "1 3 4 5 6 7 8 9 10" "${GEO_TUN_SIZES6[@]}"
geo_round 3 "1 2 4 5 6 7 8 9 10" "${GEO_TUN_SIZES6[@]}"
geo_jumbo
geo_round 1 "2 3 4 5 6 7 8 9 10" "${GEO_JUMBO_SIZES[@]}"
geo_round 2 "1 3 4 5 6 7 8 9 10" "${GEO_JUMBO_SIZES[@]}"
geo_round 3 "1 2 4 5 6 7 8 9 10" "${GEO_JUMBO_SIZES[@]}"
pass "IPv6 input on ip6gre, ip6ip6 and IPv4 GRE: every size to every device type"
