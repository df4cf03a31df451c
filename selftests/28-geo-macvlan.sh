#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Device geometry (see geo.sh), input on a macvlan (mv1, bridge mode, on a
# veth; multicast reaches it from the macvlan port's broadcast work, not
# in the lower device's softirq): every payload spec to macvlan, bridge,
# VLAN, GRO veth, GRE, veth and IPIP outputs, in that order, then 9000
# bytes with jumbo MTUs.  Every copy reaches every receiver once, intact,
# TTL 63; counters exact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_setup macvlan macvlan bridge vlan gro gre veth ipip
geo_round 1 "2 3 4 5 6 7 8"
geo_jumbo
geo_round 1 "2 3 4 5 6 7 8" "${GEO_JUMBO_SIZES[@]}"
pass "macvlan input: every size to every device type"
