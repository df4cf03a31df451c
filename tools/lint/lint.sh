#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/lint/lint.sh - static checks of the whole tree ("make lint").
#
# usage: tools/lint/lint.sh [STEP]...
#
# Steps (default: all, in this order):
#   - spec: tools/lint/check-spec.py, the YNL spec, uapi/linux/mfwd.h and
#     module/netlink.c agree; the spec validates against the kernel's
#     genetlink-c.yaml / genetlink.yaml
#   - checkpatch: scripts/checkpatch.pl --strict --no-tree -f on
#     module/*.[ch] and uapi/linux/mfwd.h
#   - kernel-doc: scripts/kernel-doc -none -Wall on the same files
#   - kbuild: sparse (C=2) and W=1 builds for every kernel in LINT_KERNELS
#     (default "6.1 6.12"), in build/lint/<kver>/
#   - uapi: uapi/linux/mfwd.h compiles on its own in user space (C, C++)
#   - examples: Documentation/examples/*.c compile with -Wall -Wextra -Werror
#   - docs: Documentation/*.rst render without warnings (docutils, if
#     installed), Documentation/*.8 format without groff warnings
#   - clang-format: --dry-run --Werror on tools/mfwdctl/*.[ch]
#   - selftests-c: the C selftests (selftests/[0-9]*.c, selftests/*.h, on
#     the kernel's kselftest_harness.h): checkpatch.pl --strict as for the
#     module, and "make -C selftests" with -Werror (-Wall -Wextra) into
#     build/lint/selftests
#   - shellcheck: -x on selftests/*.sh, selftests/run, tools/vm/*,
#     tools/lint/*.sh, tools/mfwdctl/*.sh (skipped if not installed)
#
# Every step runs; each finding is printed as it is found, and a step with
# any finding fails.  The last line is "lint: N passed, N failed"; the exit
# status is 1 if any step failed.  checkpatch.pl, kernel-doc and the schemas
# are extracted from /usr/src/linux-source-6.12.tar.xz into build/ksrc/ by
# tools/lint/ksrc.sh (once).

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2

PY3=${PY3:-/usr/bin/python3}
KSRC=${KSRC:-$repo/build/ksrc}
LINT_KERNELS=${LINT_KERNELS:-6.1 6.12}
all_steps=(spec checkpatch kernel-doc kbuild uapi examples docs clang-format selftests-c mfwdctl-parse splat-filter shellcheck)

steps=("$@")
((${#steps[@]})) || steps=("${all_steps[@]}")
for s in "${steps[@]}"; do
	[[ " ${all_steps[*]} " == *" $s "* ]] || {
		echo "lint: unknown step '$s' (steps: ${all_steps[*]})" >&2
		exit 2
	}
done

# module sources: module/*.c and *.h, without kbuild's generated *.mod.c
module_files() {
	local f
	for f in module/*.c module/*.h; do
		[[ -f $f && $f != *.mod.c ]] && echo "$f"
	done
}

need_ksrc() { "$here/ksrc.sh" "$KSRC" lint schema; }

# ---------------------------------------------------------------- steps ---
# Each prints its findings on stdout and returns non-zero if there were any.

step_spec() {
	"$here/ksrc.sh" "$KSRC" schema || return 1
	"$PY3" "$here/check-spec.py" --schema-dir "$KSRC/Documentation/netlink"
}

step_checkpatch() {
	need_ksrc || return 1
	local out
	# shellcheck disable=SC2046  # file names have no spaces
	out=$(perl "$KSRC/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types --no-summary -f $(module_files) uapi/linux/mfwd.h 2>&1)
	[[ -z $out ]] || { echo "$out"; return 1; }
}

step_kernel-doc() {
	need_ksrc || return 1
	local out
	# shellcheck disable=SC2046
	out=$(perl "$KSRC/scripts/kernel-doc" -none -Wall $(module_files) uapi/linux/mfwd.h 2>&1)
	[[ -z $out ]] || { echo "$out"; return 1; }
}

step_kbuild() {
	local k kver d f rc=0 log
	for k in $LINT_KERNELS; do
		kver=$("$repo/tools/vm/run" -k "$k" --kver 2>/dev/null) || kver=$k
		if [[ ! -d /lib/modules/$kver/build ]]; then
			echo "kbuild: no /lib/modules/$kver/build for kernel '$k' (make deps)"
			rc=1
			continue
		fi
		# Fresh tree each time: an up-to-date object would hide its warnings.
		d=$repo/build/lint/$kver
		rm -rf "$d"
		mkdir -p "$d/module"
		for f in $(module_files) module/Kbuild; do ln -s "$repo/$f" "$d/module/"; done
		ln -s "$repo/uapi" "$d/uapi"
		log=$d/build.log
		if ! make -C "/lib/modules/$kver/build" M="$d/module" C=2 W=1 \
			-j"$(nproc)" modules >"$log" 2>&1; then
			echo "kbuild: $kver: build failed:"
			grep -v '^make' "$log" | tail -n 20 | sed 's/^/  /'
			rc=1
			continue
		fi
		# sparse and gcc say "file:line:col: warning: ..."; show them with
		# repository paths.
		if grep -E ': (warning|error):' "$log" | sed "s|$d/||; s|^|$kver: |" | grep .; then
			rc=1
		fi
	done
	return "$rc"
}

step_uapi() {
	local rc=0 out
	out=$(printf '#include <linux/mfwd.h>\nint main(void) { return MFWD_A_MAX + MFWD_CMD_MAX; }\n' |
		cc -std=c99 -Wall -Wextra -Werror -pedantic -I uapi -x c -o /dev/null - 2>&1) ||
		{ echo "uapi (C): $out"; rc=1; }
	if command -v c++ >/dev/null; then
		out=$(printf '#include <linux/mfwd.h>\nint main() { return MFWD_A_MAX; }\n' |
			c++ -Wall -Wextra -Werror -I uapi -x c++ -o /dev/null - 2>&1) ||
			{ echo "uapi (C++): $out"; rc=1; }
	fi
	return "$rc"
}

step_examples() {
	local f out rc=0 d=$repo/build/lint/examples
	mkdir -p "$d"
	for f in Documentation/examples/*.c; do
		[[ -f $f ]] || continue
		# shellcheck disable=SC2046
		out=$(cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I uapi \
			$(pkg-config --cflags libmnl) -o "$d/$(basename "$f" .c)" "$f" \
			$(pkg-config --libs libmnl) 2>&1) || { echo "$f: $out"; rc=1; }
	done
	return "$rc"
}

step_docs() {
	local f out rc=0 rst2html
	rst2html=$(command -v rst2html || command -v rst2html.py || true)
	for f in Documentation/*.rst; do
		[[ -f $f ]] || continue
		if [[ -z $rst2html ]]; then
			echo "lint: docutils not installed, $f not checked (apt-get install python3-docutils)" >&2
			continue
		fi
		out=$("$rst2html" --halt=warning --report=warning "$f" 2>&1 >/dev/null) ||
			{ echo "$out"; rc=1; }
	done
	for f in Documentation/*.[1-8]; do
		[[ -f $f ]] || continue
		out=$(LC_ALL=C.UTF-8 groff -man -ww -z "$f" 2>&1) || out+=" (groff failed)"
		[[ -z $out ]] || { echo "$f: $out"; rc=1; }
	done
	return "$rc"
}

step_clang-format() {
	command -v clang-format >/dev/null || { echo "clang-format not installed (make deps)"; return 1; }
	local out
	out=$(cd tools/mfwdctl && clang-format --dry-run --Werror ./*.c ./*.h 2>&1 |
		sed 's|^\./|tools/mfwdctl/|')
	[[ -z $out ]] || { echo "$out"; return 1; }
}

step_selftests-c() {
	local out files=() f rc=0
	for f in selftests/[0-9]*.c selftests/*.h; do
		[[ -f $f ]] && files+=("$f")
	done
	((${#files[@]})) || return 0
	need_ksrc || return 1
	out=$(perl "$KSRC/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types --no-summary -f "${files[@]}" 2>&1)
	[[ -z $out ]] || { echo "$out"; rc=1; }
	# a fresh build: an up-to-date binary would hide its warnings
	rm -rf build/lint/selftests
	out=$(make -s -C selftests KSRC="$KSRC" OUTPUT="$repo/build/lint/selftests" \
		USERCFLAGS=-Werror 2>&1) || { echo "$out"; rc=1; }
	return "$rc"
}

# mfwdctl's command line offline: usage errors, messages, batch lines
step_mfwdctl-parse() {
	local out
	out=$(make -s -C tools/mfwdctl check 2>&1) || { echo "$out" | grep -v '^ok: '; return 1; }
}

# the VM runner's excuse list for emulator artifacts, offline
step_splat-filter() {
	local out
	out=$(tools/vm/test-splat-filter.sh 2>&1) || { echo "$out" | grep -v '^ok: '; return 1; }
}

step_shellcheck() {
	if ! command -v shellcheck >/dev/null; then
		echo "lint: shellcheck not installed, step skipped (apt-get install shellcheck)" >&2
		return 0
	fi
	local f files=()
	for f in selftests/*.sh selftests/run tools/vm/* tools/lint/*.sh tools/mfwdctl/*.sh; do
		[[ -f $f ]] || continue
		case $(head -n1 "$f") in
		'#!'*sh*) files+=("$f") ;;
		*) [[ $f == *.sh ]] && files+=("$f") ;;
		esac
	done
	shellcheck -x -P SCRIPTDIR -f gcc "${files[@]}"
}

# ----------------------------------------------------------------- main ---
passed=0 failed=0 failed_steps=()
for s in "${steps[@]}"; do
	echo "lint: --- $s"
	if "step_$s"; then
		echo "lint: $s: ok"
		passed=$((passed + 1))
	else
		echo "lint: $s: FAILED"
		failed=$((failed + 1))
		failed_steps+=("$s")
	fi
done
((failed == 0)) || echo "lint: failed steps: ${failed_steps[*]}"
echo "lint: $passed passed, $failed failed"
((failed == 0))
