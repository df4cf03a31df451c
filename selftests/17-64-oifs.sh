#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# One route with 64 outputs: 64 veths r1..r64 whose far ends e1..e64 sit in
# one namespace "rxm", where one socket joins the group on each of them and
# counts per interface (IP_PKTINFO).  Every output gets every packet exactly
# once, with TTL (hop limit) 63; a 65th VIF that is not an output gets
# none.  IPv4, then IPv6 (the links have both families' addresses then).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

families 4 6
G=$(fam 239.1.8.1 ff0e::1:8:1) S=$(fam 10.0.0.2 "$TOPO_SRC6") N=8 NOIF=64

topo_init 0
ns_create rxm
__topo_sysctls rxm
# 65 veth pairs in two "ip -batch" runs: one "ip" per link is slow under TCG.
{
	for ((k = 1; k <= NOIF + 1; k++)); do
		echo "link add r$k type veth peer name e$k netns rxm"
		echo "addr add 10.0.$k.1/24 dev r$k"
		((FAM == 4)) || echo "addr add 2001:db8:$k::1/64 dev r$k nodad"
		echo "link set r$k up"
	done
} >"$TOPO_DIR/ip-rtr"
{
	for ((k = 1; k <= NOIF + 1; k++)); do
		echo "addr add 10.0.$k.2/24 dev e$k"
		((FAM == 4)) || echo "addr add 2001:db8:$k::2/64 dev e$k nodad"
		echo "link set e$k up"
	done
} >"$TOPO_DIR/ip-rxm"
ip -batch "$TOPO_DIR/ip-rtr"
ip -n rxm -batch "$TOPO_DIR/ip-rxm"

load_mfwd
on_exit "'$MFWDCTL' flush all; rmmod mfwd"
{
	for ((k = 0; k <= NOIF + 1; k++)); do echo "vif add dev r$k"; done
	printf 'route add group %s source %s iif r0' "$G" "$S"
	for ((k = 1; k <= NOIF; k++)); do printf ' oif r%d' $k; done
	echo
} >"$TOPO_DIR/batch"
mf -b "$TOPO_DIR/batch"
check_eq "$(config_field vif_count)" $((NOIF + 2)) "VIFs"
check_eq "$("$MFWDCTL" -j route get group "$G" source "$S" | jsel 'len(d["oifs"])')" $NOIF "route outputs"

iflist='' addrs=''
for ((k = 1; k <= NOIF + 1; k++)); do iflist+=" e$k" addrs+=" 10.0.$k.1"; done
RX_SYNC_ADDRS=$addrs
rx_start rxm rxm "$iflist" "$G"

send -- --group "$G" --count $N
topo_sync
bad=$(awk -v g="$G" -v n=$NOIF -v want=$N '
	BEGIN { for (k = 1; k <= n; k++) c["e" k] = 0 }
	$1 == "count" && $3 == g { c[$2] = $4 }
	END { for (k = 1; k <= n; k++) if (c["e" k] != want) printf " e%d=%d", k, c["e" k] }' \
	"$TOPO_DIR/rxm.cnt")
[[ -z $bad ]] || fail "outputs with a wrong count (expected $N):$bad"
check_eq "$(rx_count rxm e$((NOIF + 1)) "$G")" 0 "packets on e$((NOIF + 1)) (not an output)"
check_eq "$(awk -v g="$G" '$1 == "ttl" && $3 == g && $4 != 63' "$TOPO_DIR/rxm.cnt")" "" "TTLs other than 63"
check_eq "$(awk -v g="$G" '$1 == "bad" && $3 == g && $4 != 0' "$TOPO_DIR/rxm.cnt")" "" "corrupted payloads"

check_route "$G" "$S" family=$FAMNAME packets=$N
check_stats forwarded=$N copies=$((NOIF * N)) drop_nomem=0
check_eq "$("$MFWDCTL" -j vif show | jsel "sorted(set(v['pkts_out'] for v in d if v['dev'] not in ('r0', 'r$((NOIF + 1))')))")" "[$N]" "pkts_out of the outputs"
check_eq "$(vif_field r$((NOIF + 1)) pkts_out)" 0 "pkts_out of r$((NOIF + 1))"
pass "$N packets to each of $NOIF outputs"
