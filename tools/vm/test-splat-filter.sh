#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tools/vm/splat-filter offline: the emulator's #DB WARN is excused, a WARN
# next to it is not, and nothing else changes.  Run by make lint.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
re=$("$here/run" --splat-regex)
fail=0
check() { # NAME WANT GOT
	if [[ $2 == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: want '$2', got '$3'"; fail=1; fi
}
excused='[ 1329.627383] ------------[ cut here ]------------
[ 1329.629865] WARNING: CPU: 0 PID: 8663 at arch/x86/kernel/traps.c:1120 exc_debug_kernel+0xca/0x160
[ 1329.629900] Modules linked in: mfwd(OE)
[ 1329.630000] Call Trace:
[ 1329.630001]  <TASK>
[ 1329.642056]  </TASK>
[ 1329.642145] ---[ end trace 0000000000000000 ]---'
real='[ 1330.000000] ------------[ cut here ]------------
[ 1330.000001] WARNING: CPU: 1 PID: 9 at net/core/dev.c:11 dev_foo+0x1/0x2
[ 1330.000002] Call Trace:
[ 1330.000003] ---[ end trace 0000000000000000 ]---'
plain='[    1.000000] mfwd-batch: begin 1 test
[    2.000000] mfwd: loaded'

out=$(printf '%s\n' "$plain" "$excused" "$plain" | "$here/splat-filter")
check "excused block matches no splat pattern" 0 "$(grep -cE "$re" <<<"$out" || true)"
check "excused block leaves one line" 1 "$(grep -c '^vm: excused emulator artifact: ' <<<"$out")"
check "other lines kept" "$(printf '%s\n%s' "$plain" "$plain")" "$(grep -v '^vm: excused' <<<"$out")"
out=$(printf '%s\n' "$excused" "$real" | "$here/splat-filter")
check "a real WARN after it still matches" 2 "$(grep -cE "$re" <<<"$out")"
out=$(printf '%s\n' "$real" "$plain" | "$here/splat-filter")
check "a real WARN alone is unchanged" "$(printf '%s\n%s' "$real" "$plain")" "$out"
# an excused block without its end hides at most 80 lines
out=$( { sed '$d' <<<"$excused"; for ((i = 0; i < 100; i++)); do echo "line $i"; done; echo "$real"; } |
	"$here/splat-filter")
check "an unterminated block hides no later WARN" 2 "$(grep -cE "$re" <<<"$out")"
exit "$fail"
