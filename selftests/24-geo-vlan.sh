#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Device geometry (see geo.sh), input on a VLAN subinterface (vl1, VLAN 100
# on a veth: the IP header sits 4 bytes further into the frame): every
# payload spec to VLAN, veth, GRE, bridge, macvlan, GRO veth and IPIP
# outputs, in that order, then 9000 bytes with jumbo MTUs.  Every copy
# reaches every receiver once, intact, TTL 63; counters exact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_setup vlan vlan veth gre bridge macvlan gro ipip
geo_round 1 "2 3 4 5 6 7 8"
geo_jumbo
geo_round 1 "2 3 4 5 6 7 8" "${GEO_JUMBO_SIZES[@]}"
pass "VLAN input: every size to VLAN, veth, GRE, bridge, macvlan, GRO, IPIP"
