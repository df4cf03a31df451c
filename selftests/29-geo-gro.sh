#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Device geometry (see geo.sh), input on a veth with GRO and UDP GRO
# forwarding on (gr1: datagrams may reach mfwd merged into one GSO skb,
# and the UDP GSO sends arrive as GSO skbs): every payload spec to
# bridge, macvlan, GRE, VLAN, IPIP, veth and GRO veth outputs, in that
# order, then 9000 bytes with jumbo MTUs.  Every datagram reaches every
# receiver once, intact, TTL 63; the route counts each skb once
# (geocheck.py), VIFs and stats agree with it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"
# shellcheck source-path=SCRIPTDIR source=geo.sh
. "$(dirname "$0")/geo.sh"

geo_setup gro bridge macvlan gre vlan ipip veth gro
geo_round 1 "2 3 4 5 6 7 8"
geo_jumbo
geo_round 1 "2 3 4 5 6 7 8" "${GEO_JUMBO_SIZES[@]}"
pass "GRO veth input: every size to every device type"
