#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Device geometry (see geo.sh), input on point-to-point tunnels (the
# multicast is decapsulated on the router): GRE gre1 -> IPIP, VLAN,
# bridge, GRE, macvlan, GRO veth, veth; then IPIP ipip2 -> GRE, VLAN,
# bridge, GRE, macvlan, GRO, veth; every payload spec (the sender's
# tunnel MTU is 1476/1480, so it fragments 1472 too), then 9000 bytes
# both ways with jumbo MTUs.  Every copy reaches every receiver once,
# intact, inner TTL 63; counters exact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_setup gre ipip vlan bridge gre macvlan gro veth
geo_round 1 "2 3 4 5 6 7 8"
geo_round 2 "1 3 4 5 6 7 8"
geo_jumbo
geo_round 1 "2 3 4 5 6 7 8" "${GEO_JUMBO_SIZES[@]}"
geo_round 2 "1 3 4 5 6 7 8" "${GEO_JUMBO_SIZES[@]}"
pass "GRE and IPIP input: every size to every device type"
