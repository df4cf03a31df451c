# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/geo.sh - the device-geometry matrix (tests 23-29, 86, 88): one
# route whose input and outputs are links of different device types, every
# payload geometry sent through it, every copy checked at every receiver.
# Source it after lib.sh and topo.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/topo.sh"
#	. "$(dirname "$0")/geo.sh"
#
# The router is the VM's initial netns.  Link K (1, 2, ...) joins it to
# host netns hK (and hKb) over one device type; the router's end is the
# link's VIF, with 10.0.K.1/24; the hosts have 10.0.K.2 (and 10.0.K.3):
#
#   type     router side (VIF)                 host side (L3 interface)
#   veth     veK (veth)                        hK eth0 (veth)
#   gro      grK (veth, GRO + UDP GRO fwd on)  hK eth0 (veth, the same)
#   vlan     vlK: VLAN 100 on veth uK          hK eth0.100 on veth eth0
#   bridge   brK, ports pKa pKb (veth)         hK eth0 (.2), hKb eth0 (.3)
#   gre      greK: GRE 172.16.K.1 -> .2        hK t0: GRE back, over veth
#   ipip     ipipK: IPIP, the same             hK t0: IPIP back
#   macvlan  mvK: macvlan (bridge) on veth uK  hK eth0 (veth)
#   ip6gre   ip6greK: GRE over IPv6 (-6 only)  hK t0: ip6gre back, over veth
#            fd00:K::1 -> fd00:K::2
#   ip6ip6   ip6tnlK: ip6tnl mode ip6ip6, the  hK t0: ip6ip6 back
#            same (-6 only; IPv6 only)
# (link numbers start at 1: never the fallback devices ip6gre0, ip6tnl0)
#
# IPv6 (geo_setup -6): the links have IPv6 addresses too (no DAD): the
# router 2001:db8:K::1/64, the hosts 2001:db8:K::2 (and ::3); the data is
# IPv6 (groups ff0e::T:R:I, hop limit 64, copies 63), the sync packets stay
# IPv4 except on ip6ip6 links, which carry IPv6 only and have no IPv4
# addresses (there the sync packet is IPv6, to $GEO_SYNC6_GROUP, hop limit
# 1); device types veth, gro, vlan, bridge, macvlan and the tunnels gre
# (IPv6 over IPv4 GRE), ip6gre, ip6ip6 (no ipip).  The specs: GEO_SIZES6
# (GEO_TUN_SIZES6 where the sender is on a tunnel), and geo_jumbo's
# GEO_JUMBO_SIZES; payload bytes per datagram and fragment headers are
# IPv6's (40 + 8 UDP; fragments carry 48 bytes of headers; no reassembly
# at macvlan).  IPv6 routers do not fragment, so the tunnels of an IPv6
# geometry all have one L3 MTU, $GEO_TUN6_MTU (ip6gre's default with its
# encapsulation limit option: 1500 - 40 - 8 - 4): a tunnel's sender
# fragments at it and every output of its round has at least that.
#
# Underlays (uK 172.16.K.1 <-> hK eth0 172.16.K.2 for tunnels; fd00:K::1
# <-> fd00:K::2 for IPv6 tunnels) have room for the encapsulation; L3 MTUs
# start at the defaults (tunnels 1476/1480; with -6 every tunnel
# $GEO_TUN6_MTU) and geo_jumbo raises every L3 MTU to $GEO_JUMBO_L3 and
# every underlay/lower to $GEO_JUMBO_LOWER.
#
# One mcrecv.py has a socket on every host's L3 interface, joined to every
# group a round may use.  A round (geo_round) sends from the first host of the
# input link, to one group per payload spec, through (S,G) routes whose
# iif is the input link's VIF and whose oifs are the output links' VIFs in
# the order given (the odd device types first: a broken copy path hits
# every output but the last).  Payload specs are SIZE:MODE, MODE df (one
# datagram with DF), nodf (no DF: the sender fragments at its MTU if it has
# to) or gso (UDP GSO sends of $GEO_GSO datagrams; one GSO skb on the wire
# where the devices allow).  Payloads are mcsend.py --pattern packet: every
# byte depends on the datagram.  After a round, exactly:
#   - every host of an output link has all $GEO_N datagrams of every spec,
#     intact, distinct, TTL 63 (sent with 64; inner TTL for tunnels);
#   - the other hosts of the input link (a bridge's other port) have them
#     all with TTL 64 (bridged, not routed), the sender none, hosts of
#     links not in the route none;
#   - mfwd's counters: route packets/bytes (see helpers/geocheck.py for
#     GSO/GRO skbs, which count once; fragments count one by one, except
#     from a macvlan, which reassembles multicast before it passes it on),
#     VIF pkts/bytes in and out, stats forwarded, copies, no drops.
# Waits poll (until every receiver has its datagrams; then a sync packet
# as topo_sync's, so that any extra copy would have arrived); nothing
# sleeps.
#
# GEO_REF=ipmr (for checking the test itself, not used by make check):
# smcrouted drives the kernel's ipmr with the same routes instead of mfwd,
# and mfwd's counters are not checked.
#
# Functions:
#   geo_setup [-6] TYPE...     link K of the K-th TYPE, mfwd and VIFs (or
#                              smcrouted), receivers everywhere (-6: IPv6
#                              data, see above)
#   geo_round IN "OUT..." SPEC...  one round, links by number
#   geo_l2 LINK SPEC...        frames from LINK's first host to groups with
#                              no route: only LINK's other hosts get them,
#                              once, TTL 64; mfwd forwards nothing
#   geo_jumbo                  every link to jumbo MTUs
#   geo_brnf [ip6tables]       load br_netfilter, bridge-nf-call-iptables=1
#                              (ip6tables: bridge-nf-call-ip6tables=1)
#   geo_log MSG...             log with the seconds since the test started
# GEO_SIZES, GEO_JUMBO_SIZES: the specs of a normal and of a jumbo round
# (GEO_SIZES6: IPv6's normal round; GEO_TUN_SIZES6: IPv6's from a sender on
# a tunnel of MTU $GEO_TUN6_MTU).

GEO_HELPERS=$TOPO_HELPERS
GEO_N=${GEO_N:-20}
GEO_GSO=4
GEO_TTL=64
GEO_JUMBO_L3=9100
GEO_JUMBO_LOWER=9200
# payload specs of a normal and of a jumbo round
GEO_SIZES=(64:df 64:gso 1200:df 1200:gso 1472:nodf 1500:nodf 3000:nodf)
# shellcheck disable=SC2034  # used by the tests
GEO_SIZES6=(64:df 64:gso 1200:df 1200:gso 1452:df 1500:nodf 3000:nodf)
# IPv6 tunnels: GEO_SIZES6 at the tunnel MTU: 1400:df fills it, 1452 is
# fragmented by the sender
GEO_TUN6_MTU=1448
# shellcheck disable=SC2034  # used by the tests
GEO_TUN_SIZES6=(64:df 64:gso 1200:df 1200:gso 1400:df 1452:nodf 1500:nodf 3000:nodf)
GEO_SYNC6_GROUP=ff02::77:77
# shellcheck disable=SC2034  # used by the tests
GEO_JUMBO_SIZES=(9000:df 9000:gso)
# groups: 239.T.R.I, T the test number, R the round, I the spec
GEO_T=${TEST_NAME%%-*}
GEO_T=$((10#$GEO_T))
GEO_ROUNDS_MAX=${GEO_ROUNDS_MAX:-4}
GEO_SPECS_MAX=8
GEO_ROUND=0
GEO_REF=${GEO_REF:-mfwd}
GEO_V6=

geo_log() { log "[${SECONDS}s] $*"; }

GEO_NL=0
declare -a GEO_LTYPE=() GEO_LVIF=() GEO_LADDR=() GEO_LHOSTS=() GEO_LJUMBO=()
declare -a GEO_HOSTS=() GEO_NEWNS=() GEO_BATCH_NS=() GEO_GRO=() GEO_BRPORTS=()
declare -a GEO_SYNC6_TARGETS=()
declare -A GEO_HIF=() GEO_HADDR=() GEO_HLINK=()

# ---- topology ----------------------------------------------------------------
# __geo_host NAME LINK IF ADDR: a host netns (created by the caller)
__geo_host() {
	GEO_HOSTS+=("$1")
	GEO_HLINK[$1]=$2 GEO_HIF[$1]=$3 GEO_HADDR[$1]=$4
	GEO_LHOSTS[$2]+="${GEO_LHOSTS[$2]:+ }$1"
}

# Topologies are built with one "ip -batch" for the router and one per host
# (processes are expensive under TCG): __geo_b NS CMD... adds a line to
# NS's batch ("-" = the router), __geo_batches runs them, router first.
__geo_b() {
	local ns=$1
	shift
	echo "$*" >>"$TOPO_DIR/ip.$ns"
	[[ " ${GEO_BATCH_NS[*]} " == *" $ns "* ]] || GEO_BATCH_NS+=("$ns")
}

__geo_batches() {
	local ns out
	for ns in - "${GEO_BATCH_NS[@]}"; do
		[[ -f $TOPO_DIR/ip.$ns ]] || continue
		out=$(ns_exec "$ns" ip -batch "$TOPO_DIR/ip.$ns" 2>&1) ||
			fail "ip -batch in netns $ns failed: $out"$'\n'"$(cat "$TOPO_DIR/ip.$ns")"
		rm -f "$TOPO_DIR/ip.$ns"
	done
	GEO_BATCH_NS=()
}

# __geo_ns NS: a host netns; created by geo_setup
__geo_ns() {
	GEO_NEWNS+=("$1")
	__geo_b "$1" link set lo up
}

# __geo_veth RIF RADDR NS ADDR: veth RIF (router) <-> eth0 in NS, both up
__geo_veth() {
	__geo_b - link add "$1" type veth peer name eth0 netns "$3"
	__geo_up - "$1" "$2"
	__geo_up "$3" eth0 "$4"
}

# __geo_up NS DEV ADDR[,ADDR]: addresses (unless -; IPv6 ones nodad) and up
__geo_up() {
	local a
	if [[ $3 != - ]]; then
		for a in ${3//,/ }; do
			if [[ $a == *:* ]]; then
				__geo_b "$1" addr add "$a" dev "$2" nodad
			else
				__geo_b "$1" addr add "$a" dev "$2"
			fi
		done
	fi
	__geo_b "$1" link set "$2" up
}

# __geo_tun NS DEV KIND LOCAL REMOTE "ARGS" ADDR: a point-to-point tunnel
# in NS, multicast on, with -6 at $GEO_TUN6_MTU, addresses, up
__geo_tun() {
	local ns=$1 dev=$2
	__geo_b "$ns" link add "$dev" type "$3" local "$4" remote "$5" "$6"
	__geo_b "$ns" link set "$dev" multicast on
	[[ -z $GEO_V6 ]] || __geo_b "$ns" link set "$dev" mtu "$GEO_TUN6_MTU"
	__geo_up "$ns" "$dev" "$7"
}

# geo_link K TYPE: link K (batched); sets GEO_L*[K] and the hosts.  The
# jumbo list is "NS:DEV:L3|LOWER ..." in the order the MTUs must be raised.
geo_link() {
	local k=$1 t=$2 h=h$1 ra=10.0.$1.1/24 ha=10.0.$1.2/24 hb=10.0.$1.3/24 vif hif=eth0 j
	local ua=172.16.$1.1 ha2=172.16.$1.2 kind targs
	if [[ -n $GEO_V6 ]]; then
		ra+=,2001:db8:$k::1/64 ha+=,2001:db8:$k::2/64 hb+=,2001:db8:$k::3/64
		[[ $t != ipip ]] || fail "geo_link: no $t links with IPv6"
		# (IPv6 only: no IPv4 over ip6ip6)
		[[ $t != ip6ip6 ]] || ra=${ra#*,} ha=${ha#*,}
	elif [[ $t == ip6* ]]; then
		fail "geo_link: $t links need geo_setup -6"
	fi
	__geo_ns "$h"
	case $t in
	veth | gro)
		vif=ve$k
		[[ $t == veth ]] || vif=gr$k GEO_GRO+=("-:$vif" "$h:eth0")
		__geo_veth "$vif" "$ra" "$h" "$ha"
		j="-:$vif:L3 $h:eth0:L3"
		;;
	vlan)
		vif=vl$k hif=eth0.100
		__geo_veth "u$k" - "$h" -
		__geo_b - link add link "u$k" name "$vif" type vlan id 100
		__geo_up - "$vif" "$ra"
		__geo_b "$h" link add link eth0 name eth0.100 type vlan id 100
		__geo_up "$h" eth0.100 "$ha"
		j="-:u$k:LOWER $h:eth0:LOWER -:$vif:L3 $h:eth0.100:L3"
		;;
	bridge)
		vif=br$k
		__geo_ns "${h}b"
		__geo_b - link add "$vif" type bridge forward_delay 0
		__geo_veth "p${k}a" - "$h" "$ha"
		__geo_veth "p${k}b" - "${h}b" "$hb"
		__geo_b - link set "p${k}a" master "$vif"
		__geo_b - link set "p${k}b" master "$vif"
		__geo_up - "$vif" "$ra"
		GEO_BRPORTS+=("p${k}a" "p${k}b")
		j="-:p${k}a:L3 $h:eth0:L3 -:p${k}b:L3 ${h}b:eth0:L3 -:$vif:L3"
		;;
	gre | ipip)
		vif=$t$k hif=t0
		__geo_veth "u$k" "$ua/24" "$h" "$ha2/24"
		__geo_tun - "$vif" "$t" "$ua" "$ha2" "ttl 64" "$ra"
		__geo_tun "$h" t0 "$t" "$ha2" "$ua" "ttl 64" "$ha"
		j="-:u$k:LOWER $h:eth0:LOWER -:$vif:L3 $h:t0:L3"
		;;
	ip6gre | ip6ip6)
		vif=ip6gre$k hif=t0 ua=fd00:$k::1 ha2=fd00:$k::2 kind=ip6gre targs="hoplimit 64"
		[[ $t == ip6gre ]] || vif=ip6tnl$k kind=ip6tnl targs="mode ip6ip6 hoplimit 64"
		__geo_veth "u$k" "$ua/64" "$h" "$ha2/64"
		__geo_tun - "$vif" "$kind" "$ua" "$ha2" "$targs" "$ra"
		__geo_tun "$h" t0 "$kind" "$ha2" "$ua" "$targs" "$ha"
		j="-:u$k:LOWER $h:eth0:LOWER -:$vif:L3 $h:t0:L3"
		;;
	macvlan)
		vif=mv$k
		__geo_veth "u$k" - "$h" "$ha"
		__geo_b - link add link "u$k" name "$vif" type macvlan mode bridge
		__geo_up - "$vif" "$ra"
		j="-:u$k:L3 $h:eth0:L3 -:$vif:L3"
		;;
	*) fail "geo_link: unknown device type '$t'" ;;
	esac
	GEO_LTYPE[k]=$t GEO_LVIF[k]=$vif GEO_LADDR[k]=${ra%%/*} GEO_LJUMBO[k]=$j
	# the data's addresses: IPv4, or with -6 the IPv6 ones
	ha=${ha#*,} hb=${hb#*,}
	__geo_host "$h" "$k" "$hif" "${ha%/*}"
	[[ $t != bridge ]] || __geo_host "${h}b" "$k" eth0 "${hb%/*}"
}

# __geo_build: the netns, their sysctls and every batched link; GRO on the
# GRO veths (and UDP GRO forwarding where the kernel has it); bridge ports
# forwarding.
__geo_build() {
	local ns e dev
	# IPv4 and IPv6 conf/{all,default} of new netns as in the router's
	sysctl -qw net.core.devconf_inherit_init_net=1
	for ns in "${GEO_NEWNS[@]}"; do
		echo "netns add $ns"
		echo "netns exec $ns sysctl -qw net.ipv4.igmp_max_memberships=1024"
	done >"$TOPO_DIR/ip.netns"
	for ns in "${GEO_NEWNS[@]}"; do on_exit "ip netns del '$ns'"; done
	ip -batch "$TOPO_DIR/ip.netns" || fail "creating the host netns failed"
	__geo_batches
	for e in "${GEO_GRO[@]}"; do
		ns=${e%%:*} dev=${e#*:}
		ns_exec "$ns" ethtool -K "$dev" gro on
		ns_exec "$ns" ethtool -K "$dev" rx-udp-gro-forwarding on 2>/dev/null ||
			log "$ns $dev: no rx-udp-gro-forwarding on this kernel"
	done
	((${#GEO_BRPORTS[@]} == 0)) || wait_for -t "$TOPO_WAIT" __geo_br_fwd "${GEO_BRPORTS[@]}" ||
		fail "bridge ports ${GEO_BRPORTS[*]} not forwarding"
}

# shellcheck disable=SC2317  # called through wait_for
__geo_br_fwd() {
	local p
	for p in "$@"; do
		[[ $(cat "/sys/class/net/$p/brport/state") == 3 ]] || return 1
	done
}

# geo_jumbo: raise the MTUs of every link, lowers first
geo_jumbo() {
	local k e ns dev m
	for ((k = 1; k <= GEO_NL; k++)); do
		for e in ${GEO_LJUMBO[k]}; do
			IFS=: read -r ns dev m <<<"$e"
			[[ $m == L3 ]] && m=$GEO_JUMBO_L3 || m=$GEO_JUMBO_LOWER
			__geo_b "$ns" link set dev "$dev" mtu "$m"
		done
	done
	# the router's lowers before the hosts' uppers: veth peers are
	# independent, every device's own lower is set earlier in its batch
	__geo_batches
	geo_log "jumbo MTUs: L3 $GEO_JUMBO_L3, lowers $GEO_JUMBO_LOWER"
}

# geo_brnf [ip6tables]: bridged IPv4 (and IPv6) goes through iptables (and
# ip6tables), as Docker, libvirt set it
# shellcheck disable=SC2120  # the argument is optional
geo_brnf() {
	modprobe br_netfilter || skip "no br_netfilter module"
	sysctl -qw net.bridge.bridge-nf-call-iptables=1
	check_eq "$(sysctl -n net.bridge.bridge-nf-call-iptables)" 1 "bridge-nf-call-iptables"
	if [[ ${1:-} == ip6tables ]]; then
		sysctl -qw net.bridge.bridge-nf-call-ip6tables=1
		check_eq "$(sysctl -n net.bridge.bridge-nf-call-ip6tables)" 1 "bridge-nf-call-ip6tables"
	fi
}

# geo_setup [-6] TYPE...: link K of the K-th type, the forwarding plane,
# receivers
geo_setup() {
	local t k r i mods=(veth 8021q bridge ip_gre ipip macvlan)
	if [[ $1 == -6 ]]; then
		# (before __topo_sysctls: the host netns inherit the router's)
		# shellcheck disable=SC2034  # topo.sh's
		GEO_V6=1 TOPO_IPV6=1
		shift
	fi
	require_cmd python3 ethtool
	[[ " $* " != *" ip6gre "* ]] || mods+=(ip6_gre)
	[[ " $* " != *" ip6ip6 "* ]] || mods+=(ip6_tunnel)
	modprobe -a "${mods[@]}" 2>/dev/null || true
	sysctl -qw net.core.netdev_max_backlog=10000
	__topo_sysctls -
	for t in "$@"; do
		GEO_NL=$((GEO_NL + 1))
		geo_link "$GEO_NL" "$t"
	done
	__geo_build
	geo_log "links built"
	if [[ $GEO_REF == ipmr ]]; then
		__geo_smcrouted
	else
		require_mfwdctl
		load_mfwd
		on_exit "'$MFWDCTL' flush all; rmmod mfwd"
		for ((k = 1; k <= GEO_NL; k++)); do echo "vif add dev ${GEO_LVIF[k]}"; done >"$TOPO_DIR/vifs"
		mf -b "$TOPO_DIR/vifs"
	fi
	local groups=()
	for ((r = 1; r <= GEO_ROUNDS_MAX; r++)); do
		for ((i = 1; i <= GEO_SPECS_MAX; i++)); do
			__geo_group "$r" "$i"
			groups+=("$GEO_GROUP")
		done
	done
	__geo_rx_start "${groups[@]}"
	local desc=()
	for ((k = 1; k <= GEO_NL; k++)); do desc+=("$k=${GEO_LTYPE[k]}:${GEO_LVIF[k]}"); done
	geo_log "links: ${desc[*]} (forwarding: $GEO_REF)"
}

# __geo_group ROUND SPEC: GEO_GROUP, the group of a spec of a round
__geo_group() {
	if [[ -n $GEO_V6 ]]; then
		GEO_GROUP=ff0e::$GEO_T:$1:$2
	else
		GEO_GROUP=239.$GEO_T.$1.$2
	fi
}

# __geo_rx_start GROUP...: one mcrecv.py, receiver "geo", with a socket in
# every host netns (python start-up is slow under TCG); it counts host H's
# interface IF as "H/IF".  Registered with topo.sh for topo_sync; the
# router addresses of IPv6-only links are GEO_SYNC6_TARGETS instead.
__geo_rx_start() {
	local h k g args=() ifs=() sync4=()
	for ((k = 1; k <= GEO_NL; k++)); do
		if [[ ${GEO_LADDR[k]} == *:* ]]; then
			GEO_SYNC6_TARGETS+=("${GEO_LADDR[k]}")
		else
			sync4+=("${GEO_LADDR[k]}")
		fi
	done
	((${#GEO_SYNC6_TARGETS[@]} == 0)) || args+=(--group "$GEO_SYNC6_GROUP")
	for g in "$TOPO_SYNC_GROUP" "$@"; do args+=(--group "$g"); done
	for h in "${GEO_HOSTS[@]}"; do
		ifs+=("$h/${GEO_HIF[$h]}")
		args+=(--iface "$h/${GEO_HIF[$h]}")
	done
	bg_start "$TOPO_DIR/geo.log" - python3 -S "$TOPO_HELPERS/mcrecv.py" \
		--port "$TOPO_PORT" --out "$TOPO_DIR/geo.cnt" "${args[@]}"
	on_exit "kill $BG_PID"
	# shellcheck disable=SC2034,SC2004  # topo.sh's associative arrays
	TOPO_RX_PID["geo"]=$BG_PID TOPO_RX_IFS["geo"]=${ifs[*]}
	wait_for -t "$TOPO_WAIT" test -s "$TOPO_DIR/geo.cnt" ||
		fail "the receiver did not get ready: $(cat "$TOPO_DIR/geo.log")"
	TOPO_RX_NAMES+=(geo)
	TOPO_SYNC_TARGETS+=("${sync4[@]}")
	__geo_sync
}

# ---- ipmr reference ------------------------------------------------------------
__geo_smcrouted() {
	local k
	require_cmd smcrouted smcroutectl
	! mfwd_loaded || fail "mfwd is loaded (GEO_REF=ipmr)"
	for ((k = 1; k <= GEO_NL; k++)); do echo "phyint ${GEO_LVIF[k]} enable"; done >"$TOPO_DIR/smcroute.conf"
	bg_start "$TOPO_DIR/smcrouted.log" - smcrouted -n -N -l debug \
		-f "$TOPO_DIR/smcroute.conf" -u "$TOPO_DIR/smcroute.sock" \
		-P "$TOPO_DIR/smcroute.pid"
	on_exit "kill $BG_PID"
	wait_for -t "$TOPO_WAIT" test -S "$TOPO_DIR/smcroute.sock" ||
		fail "smcrouted did not start: $(tail -20 "$TOPO_DIR/smcrouted.log")"
	wait_for -t "$TOPO_WAIT" __geo_ipmr_vifs || fail "smcrouted did not add its VIFs: $(cat /proc/net/ip_mr_vif)"
}

# shellcheck disable=SC2317  # called through wait_for
__geo_ipmr_vifs() { (($(tail -n +2 /proc/net/ip_mr_vif | wc -l) == GEO_NL)); }

# shellcheck disable=SC2317  # called through wait_for
__geo_ipmr_routes() { (($(ip mroute show | grep -c "Iif: $1 ") >= $2)); }

# ---- traffic ---------------------------------------------------------------------
# __geo_wire SIZE MODE MTU: "DATAGRAM-COUNT IP-BYTES" on the sender's wire
# for one UDP payload of SIZE (fragments counted one by one; IPv6
# fragments have a 40-byte header and an 8-byte fragment header).
__geo_wire() {
	local size=$1 mode=$2 mtu=$3 l=$(($1 + 8)) maxd nf h=20 fh=20
	[[ -z $GEO_V6 ]] || h=40 fh=48
	if ((l + h <= mtu)); then
		echo "1 $((l + h))"
		return
	fi
	[[ $mode == nodf ]] || fail "spec $size:$mode does not fit the sender's MTU $mtu"
	maxd=$(((mtu - fh) / 8 * 8))
	nf=$(((l + maxd - 1) / maxd))
	echo "$nf $((l + fh * nf))"
}

# shellcheck disable=SC2317  # called through wait_for
__geo_arrived() {
	awk 'FNR == NR { if ($4 > 0) need[$1 " " $2 " " $3] = $4; next }
	     $1 == "count" {
		f = FILENAME; sub(".*/", "", f); sub("[.]cnt$", "", f)
		k = f " " $2 " " $3
		if ((k in need) && $4 >= need[k]) delete need[k]
	     }
	     END { for (k in need) exit 1 }' "$1" "$TOPO_DIR"/*.cnt
}

__geo_snapshot() {
	[[ $GEO_REF == ipmr ]] && return 0
	{
		"$MFWDCTL" -j vif show
		"$MFWDCTL" -j stats
	} >"$1" || fail "mfwdctl -j vif show / stats failed"
}

# __geo_expect IN SRC-HOST "OUT..." GROUP... : the expectation file of a
# round (see helpers/geocheck.py rx) on stdout.  Sizes in GEO_SPEC_SIZE.
__geo_expect() {
	local in=$1 src=$2 outs=" $3 " h n ttl i
	shift 3
	local groups=("$@")
	for h in "${GEO_HOSTS[@]}"; do
		n=0 ttl=$((GEO_TTL - 1))
		if [[ $h == "$src" ]]; then
			n=0
		elif [[ $outs == *" ${GEO_HLINK[$h]} "* ]]; then
			n=$GEO_N
		elif [[ ${GEO_HLINK[$h]} == "$in" && ${GEO_LTYPE[in]} == bridge ]]; then
			n=$GEO_N ttl=$GEO_TTL
		fi
		for ((i = 0; i < ${#groups[@]}; i++)); do
			echo "geo $h/${GEO_HIF[$h]} ${groups[i]} $n $ttl ${GEO_SPEC_SIZE[i]} ${GEO_HADDR[$src]}"
		done
	done
}

# __geo_send SRC-HOST: every spec of GEO_SPECS to its group in
# GEO_SPEC_GROUP, in one mcsend.py run
__geo_send() {
	local src=$1 i size mode args=()
	for ((i = 0; i < ${#GEO_SPECS[@]}; i++)); do
		IFS=: read -r size mode <<<"${GEO_SPECS[i]}"
		((i == 0)) || args+=(--next)
		args+=(--group "${GEO_SPEC_GROUP[i]}" --count "$GEO_N" --size "$size"
			--ttl "$GEO_TTL" --pattern packet --iface-addr "${GEO_HADDR[$src]}")
		case $mode in
		df) args+=(--df) ;;
		nodf) args+=(--no-df) ;;
		gso) args+=(--df --gso "$GEO_GSO") ;;
		*) fail "unknown payload mode '$mode'" ;;
		esac
	done
	ns_exec "$src" python3 -S "$GEO_HELPERS/mcsend.py" --port "$TOPO_PORT" "${args[@]}" ||
		fail "mcsend.py in $src failed: ${args[*]}"
}

# __geo_specs SPEC...: GEO_SPECS; under GEO_REF=ipmr without the GSO specs
# longer than 1500 bytes in all: ipmr_queue_xmit() drops a DF skb longer
# than the MTU even if it is GSO and its segments fit.
__geo_specs() {
	local sp
	GEO_SPECS=()
	for sp in "$@"; do
		if [[ $GEO_REF == ipmr && $sp == *:gso ]] &&
			((GEO_GSO * (${sp%:*} + 28) > 1500)); then
			log "ipmr: $sp left out (ipmr drops DF GSO skbs over the MTU)"
			continue
		fi
		GEO_SPECS+=("$sp")
	done
}

# geo_round IN "OUT..." [SPEC...]: routes from link IN to links OUT (in
# this order), send every SPEC (default GEO_SIZES), check everything.
geo_round() {
	local in=$1 outs=$2
	shift 2
	if (($#)); then __geo_specs "$@"; else __geo_specs "${GEO_SIZES[@]}"; fi
	[[ -n $outs ]] || fail "geo_round: no outputs"
	__geo_round "$in" "$outs"
}

# geo_l2 LINK SPEC...: frames from LINK's first host to groups with no
# route (unresolved at mfwd): LINK's other hosts get each once, TTL 64;
# nothing is forwarded.
geo_l2() {
	local in=$1
	shift
	__geo_specs "$@"
	__geo_round "$in" ""
}

# __geo_round IN "OUT...": a round of GEO_SPECS; no route if OUT is empty
__geo_round() {
	local in=$1 outs=$2 i k size mode wb w b exact mtu odesc='' out
	GEO_ROUND=$((GEO_ROUND + 1))
	((GEO_ROUND <= GEO_ROUNDS_MAX && ${#GEO_SPECS[@]} <= GEO_SPECS_MAX)) ||
		fail "more than $GEO_ROUNDS_MAX rounds or $GEO_SPECS_MAX specs"
	local r=$GEO_ROUND src=${GEO_LHOSTS[in]%% *} iif=${GEO_LVIF[in]}
	local s=${GEO_HADDR[$src]} oifs=() idle=() routes=() oifargs=''
	for k in $outs; do
		oifs+=("${GEO_LVIF[k]}")
		oifargs+=" oif ${GEO_LVIF[k]}"
		odesc+="${odesc:+ }${GEO_LTYPE[k]}"
	done
	for ((k = 1; k <= GEO_NL; k++)); do
		[[ " $outs " == *" $k "* ]] || idle+=("${GEO_LVIF[k]}")
	done
	mtu=$(ns_exec "$src" cat "/sys/class/net/${GEO_HIF[$src]}/mtu")
	GEO_SPEC_GROUP=() GEO_SPEC_SIZE=()
	for ((i = 0; i < ${#GEO_SPECS[@]}; i++)); do
		IFS=: read -r size mode <<<"${GEO_SPECS[i]}"
		__geo_group "$r" $((i + 1))
		GEO_SPEC_GROUP+=("$GEO_GROUP")
		GEO_SPEC_SIZE+=("$size")
		wb=$(__geo_wire "$size" "$mode" "$mtu")
		# macvlan reassembles IPv4 multicast before its devices get it
		# (macvlan_handle_frame: ip_check_defrag): one skb a datagram
		[[ ${GEO_LTYPE[in]} != macvlan || -n $GEO_V6 ]] || wb="1 $((size + 28))"
		w=$((${wb% *} * GEO_N)) b=$((${wb#* } * GEO_N))
		exact=
		[[ $mode == gso || ${GEO_LTYPE[in]} == gro ]] || exact=,exact
		routes+=(--route "${GEO_SPEC_GROUP[i]},$s,$w,$b$exact")
	done
	local what="round $r (${GEO_LTYPE[in]} $iif -> ${odesc:-no route})"
	geo_log "$what:${oifs[*]:+ ${oifs[*]};} ${GEO_SPECS[*]}; sender MTU $mtu"

	if [[ -z $outs ]]; then
		routes=() iif=-
	elif [[ $GEO_REF == ipmr ]]; then
		for ((i = 0; i < ${#GEO_SPECS[@]}; i++)); do
			# shellcheck disable=SC2086  # $oifargs: a word list
			smcroutectl -u "$TOPO_DIR/smcroute.sock" add "$iif" "$s" \
				"${GEO_SPEC_GROUP[i]}" ${oifargs// oif / } >/dev/null ||
				fail "smcroutectl add failed"
		done
		wait_for -t "$TOPO_WAIT" __geo_ipmr_routes "$iif" "${#GEO_SPECS[@]}" ||
			fail "ipmr routes missing: $(ip mroute show)"
	else
		for ((i = 0; i < ${#GEO_SPECS[@]}; i++)); do
			echo "route add group ${GEO_SPEC_GROUP[i]} source $s iif $iif$oifargs"
		done >"$TOPO_DIR/routes.$r"
		mf -b "$TOPO_DIR/routes.$r"
	fi
	__geo_snapshot "$TOPO_DIR/before.$r"
	__geo_expect "$in" "$src" "$outs" "${GEO_SPEC_GROUP[@]}" >"$TOPO_DIR/expect.$r"

	__geo_send "$src"

	# every datagram there, then nothing more (sync), then exact checks
	if ! wait_for -t "$TOPO_WAIT" __geo_arrived "$TOPO_DIR/expect.$r"; then
		out=$(python3 -S "$GEO_HELPERS/geocheck.py" rx "$TOPO_DIR" "$TOPO_DIR/expect.$r") || true
		fail "$what: datagrams missing after ${TOPO_WAIT}s:"$'\n'"$out"$'\n'"$(__geo_diag)"
	fi
	__geo_sync
	local args=(rx "$TOPO_DIR" "$TOPO_DIR/expect.$r")
	if [[ $GEO_REF != ipmr ]]; then
		local hdrs=28
		[[ -z $GEO_V6 ]] || hdrs=48
		__geo_snapshot "$TOPO_DIR/after.$r"
		"$MFWDCTL" -j route show >"$TOPO_DIR/routes.$r.json"
		args+=(counters "$TOPO_DIR/before.$r" "$TOPO_DIR/after.$r"
			"$TOPO_DIR/routes.$r.json" --iif "$iif" --oifs "${oifs[*]}"
			--hdrs "$hdrs"
			--idle "${idle[*]}" "${routes[@]}")
	fi
	out=$(python3 -S "$GEO_HELPERS/geocheck.py" "${args[@]}") ||
		fail "$what:"$'\n'"$out"$'\n'"$(__geo_diag)"
	[[ -z $out ]] || geo_log "round $r: $out"
	local c="; mfwd's counters exact"
	[[ $GEO_REF != ipmr ]] || c=
	[[ -n $outs || -z $c ]] || c="; mfwd forwarded nothing"
	geo_log "round $r: every receiver got exactly what it should, intact$c"
}

# __geo_sync: topo_sync with "python3 -S" (faster start under TCG), and
# on IPv6-only links an IPv6 sync packet (same run)
__geo_sync() {
	local args=() a
	TOPO_SYNC_N=$((TOPO_SYNC_N + 1))
	for a in "${TOPO_SYNC_TARGETS[@]}"; do args+=(--iface-addr "$a"); done
	if ((${#GEO_SYNC6_TARGETS[@]})); then
		args+=(--next --port "$TOPO_PORT" --group "$GEO_SYNC6_GROUP" --ttl 1 --size 8 --count 1)
		for a in "${GEO_SYNC6_TARGETS[@]}"; do args+=(--iface-addr "$a"); done
	fi
	python3 -S "$GEO_HELPERS/mcsend.py" --port "$TOPO_PORT" --group "$TOPO_SYNC_GROUP" \
		--ttl 1 --size 8 --count 1 "${args[@]}" || fail "sending the sync packets failed"
	wait_for -t "$TOPO_WAIT" __geo_synced "$TOPO_SYNC_N" ||
		fail "sync packet $TOPO_SYNC_N not received everywhere:"$'\n'"$(rx_dump)"
}

# __geo_synced N: __topo_synced, or with IPv6 sync packets: every interface
# of receiver geo has N sync packets of either family (each link gets one)
# shellcheck disable=SC2317  # called through wait_for
__geo_synced() {
	((${#GEO_SYNC6_TARGETS[@]})) || { __topo_synced "$1"; return; }
	awk -v n="$1" -v ifs="${TOPO_RX_IFS[geo]}" -v g4="$TOPO_SYNC_GROUP" -v g6="$GEO_SYNC6_GROUP" '
		BEGIN { split(ifs, a, " "); for (i in a) need[a[i]] = 1 }
		$1 == "count" && ($3 == g4 || $3 == g6) { c[$2] += $4 }
		END { for (i in need) if (c[i] < n) exit 1 }' "$TOPO_DIR/geo.cnt"
}

__geo_diag() {
	[[ $GEO_REF == ipmr ]] && { ip mroute show; return 0; }
	echo "mfwd stats: $("$MFWDCTL" -j stats 2>&1)"
	"$MFWDCTL" -s vif show 2>&1 | sed 's/^/  /'
}
