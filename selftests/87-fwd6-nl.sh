#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The IPv6 route API, raw requests (helpers/mfwdnl.py): ROUTE_ADD/DEL/GET
# with GROUP6 [+ SOURCE6] work as with GROUP [+ SOURCE] ((S,G) and (*,G)
# apart, EEXIST "route exists", ENOENT "no such route"); the groups of
# scope 3 and more (ff03::, ff05::, ff0e::) are routable; every malformed
# request is refused with the errno and extack message of the API and
# changes nothing: IPv4 and IPv6 addresses in one request, FAMILY not
# matching the addresses or not AF_INET/AF_INET6, a multicast SOURCE6, a
# unicast GROUP6, a GROUP6 that is not 16 bytes, no GROUP6 with FAMILY
# AF_INET6 (the core's missing-attribute answer).  Dumps filter by
# FAMILY, GROUP6 and SOURCE6 (:: = (*,G) only); filters no route can match
# (of two families, FAMILY against the addresses, FAMILY 7) give an empty
# dump, not an error (a dump's start() has no extack before Linux 6.2);
# FLUSH with FAMILY AF_INET6 removes only the IPv6 routes.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_cmd python3
NL=$(dirname "$0")/helpers/mfwdnl.py
load_mfwd
on_exit "rmmod mfwd"
for d in d0 d1 d2 d9; do echo "link add $d type dummy"; echo "link set $d up"; done | ip -b -
python3 "$NL" -b - >/dev/null <<EOF2 || fail "adding the VIFs failed"
vif_add ifindex=d0
vif_add ifindex=d1
vif_add ifindex=d2
EOF2

EINVAL='error EINVAL (Invalid argument)'
ERANGE='error ERANGE (Numerical result out of range)'
MIXED="$EINVAL msg=\"IPv4 and IPv6 addresses in one request\""
MISMATCH="$EINVAL msg=\"family does not match the addresses\""
# REQUEST | ANSWER (offs= left out)
cases="route_add group6=ff0e::87:1 source6=2001:db8::2 iif=d0 oif=d1 | ok
route_add group6=ff0e::87:1 source6=2001:db8::2 iif=d0 oif=d2 | error EEXIST (File exists) msg=\"route exists\"
route_add group6=ff0e::87:1 iif=d0 oif=d1 oif=d2 | ok
route_add family=inet6 group6=ff0e::87:2 source6=2001:db8::3 iif=d1 oif=d0 | ok
route_add group6=ff05::87:1 iif=d0 | ok
route_add group6=ff03::87:1 source6=2001:db8::2 iif=d0 | ok
route_add group=239.1.87.1 iif=d0 oif=d1 | ok
route_add group=239.1.87.2 group6=ff0e::87:3 iif=d0 | $MIXED
route_add group=239.1.87.2 source6=2001:db8::2 iif=d0 | $MIXED
route_add group6=ff0e::87:3 source=10.0.0.2 iif=d0 | $MIXED
route_del group=239.1.87.1 group6=ff0e::87:1 | $MIXED
route_add family=inet group6=ff0e::87:3 iif=d0 | $MISMATCH
route_add family=inet6 group=239.1.87.2 iif=d0 | $MISMATCH
route_get family=inet group6=ff0e::87:1 | $MISMATCH
route_add family=7 group6=ff0e::87:3 iif=d0 | $EINVAL msg=\"family is not AF_INET or AF_INET6\"
route_add family=1 group6=ff0e::87:3 iif=d0 | $ERANGE msg=\"integer out of range\"
route_add family=11 group6=ff0e::87:3 iif=d0 | $ERANGE msg=\"integer out of range\"
route_add group6=ff0e::87:3 source6=ff0e::1 iif=d0 | $EINVAL msg=\"source is not a unicast address\"
route_add group6=2001:db8::9 iif=d0 | $EINVAL msg=\"group is not a routable multicast address\"
route_add group6=ff02::87:3 iif=d0 | $EINVAL msg=\"group is not a routable multicast address\"
route_add 33:hex:ff0e0000000000000000000000870003ff iif=d0 | $ERANGE msg=\"binary attribute size out of range\"
route_add 33:hex:ff0e0000 iif=d0 | $ERANGE msg=\"binary attribute size out of range\"
route_add family=inet6 iif=d0 oif=d1 | $EINVAL miss_type=33
route_add group6=ff0e::87:3 iif=d9 | error ENOENT (No such file or directory) msg=\"interface is not a VIF\"
route_get group6=ff0e::87:1 source6=2001:db8::2 | ok
route_get group6=ff0e::87:1 | ok
route_get group6=ff0e::87:1 source6=2001:db8::9 | error ENOENT (No such file or directory) msg=\"no such route\"
route_del group6=ff0e::87:9 | error ENOENT (No such file or directory) msg=\"no such route\"
route_del family=inet6 group6=ff05::87:1 | ok
route_get group6=ff05::87:1 | error ENOENT (No such file or directory) msg=\"no such route\""
nl_cases "$cases"

# dumps: "route SOURCE6 GROUP6 ..." / "route SOURCE GROUP ..." lines
# (the source of a (*,G) is :: or 0.0.0.0), sorted
dump() { { python3 "$NL" --dump route_get "$@" || true; } | LC_ALL=C sort; }
R1="route 2001:db8::2 ff03::87:1 iif=d0 oifs=0"
R2="route 2001:db8::2 ff0e::87:1 iif=d0 oifs=1"
R3="route 2001:db8::3 ff0e::87:2 iif=d1 oifs=1"
R4="route :: ff0e::87:1 iif=d0 oifs=2"
R5="route 0.0.0.0 239.1.87.1 iif=d0 oifs=1"
check_eq "$(dump family=inet6)" "ok"$'\n'"$R1"$'\n'"$R2"$'\n'"$R3"$'\n'"$R4" "dump family=inet6"
check_eq "$(dump family=inet)" "ok"$'\n'"$R5" "dump family=inet"
check_eq "$(dump)" "ok"$'\n'"$R5"$'\n'"$R1"$'\n'"$R2"$'\n'"$R3"$'\n'"$R4" "dump of both families"
check_eq "$(dump group6=ff0e::87:1)" "ok"$'\n'"$R2"$'\n'"$R4" "dump group6=ff0e::87:1"
check_eq "$(dump source6=::)" "ok"$'\n'"$R4" "dump source6=:: (only (*,G))"
check_eq "$(dump source6=2001:db8::2 family=inet6)" "ok"$'\n'"$R1"$'\n'"$R2" "dump source6=2001:db8::2"
check_eq "$(dump group=239.1.87.1 group6=ff0e::87:1)" ok "dump with filters of two families"
check_eq "$(dump family=inet group6=ff0e::87:1)" ok "dump with FAMILY inet and a GROUP6 filter"
check_eq "$(dump family=7)" ok "dump with FAMILY 7"

# FLUSH of one family
check_eq "$(python3 "$NL" flush family=inet6)" ok "FLUSH family=inet6"
check_eq "$(dump)" "ok"$'\n'"$R5" "routes after FLUSH family=inet6"
pass "IPv6 route requests, errors, dump filters and FLUSH by family"
