#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/lint/ksrc.sh - extract files of the kernel source that lint and tests
# use (checkpatch, kernel-doc, the YNL CLI, the netlink schemas) from the
# linux-source-6.12 package's tarball.  Nothing of the kernel is kept in the
# repository.
#
# usage: tools/lint/ksrc.sh DEST [SET]...
#
#   DEST  directory that receives the files, laid out as in the kernel tree
#         (DEST/scripts/checkpatch.pl, DEST/tools/net/ynl/cli.py, ...)
#   SET   lint   checkpatch.pl (+ spelling.txt, const_structs.checkpatch),
#                kernel-doc
#         schema Documentation/netlink/genetlink{,-c,-legacy}.yaml
#         ynl    tools/net/ynl/cli.py and its lib/, the nlctrl spec
#         kselftest  tools/testing/selftests/lib.mk, kselftest_harness.h,
#                kselftest.h, kselftest/{runner.sh,ktap_helpers.sh,prefix.pl},
#                scripts/subarch.include (lib.mk includes it)
#         forwarding  tools/testing/selftests/net/forwarding/router_multicast.sh
#                and what it sources: forwarding/{lib.sh,tc_common.sh},
#                net/lib.sh (selftests/62-router-multicast.sh runs it)
#         default: lint schema ynl
#
# Files already in DEST (and not older than the tarball) are not extracted
# again.  One pass over the tarball (tar --occurrence stops once every file
# is found); the files near the tarball's start come quickly.
#
# Environment: KSRC_TAR (default /usr/src/linux-source-6.12.tar.xz, from the
# linux-source-6.12 package that "make deps" installs).

set -euo pipefail

tarball=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}

(($# >= 1)) || { sed -n '7,23s/^# \{0,1\}//p' "$0" >&2; exit 2; }
dest=$1
shift
sets=("$@")
((${#sets[@]})) || sets=(lint schema ynl)

files=()
for s in "${sets[@]}"; do
	case $s in
	lint) files+=(scripts/checkpatch.pl scripts/spelling.txt
		      scripts/const_structs.checkpatch scripts/kernel-doc) ;;
	schema) files+=(Documentation/netlink/genetlink.yaml
			Documentation/netlink/genetlink-c.yaml
			Documentation/netlink/genetlink-legacy.yaml) ;;
	ynl) files+=(Documentation/netlink/specs/nlctrl.yaml
		     tools/net/ynl/cli.py tools/net/ynl/lib/__init__.py
		     tools/net/ynl/lib/nlspec.py tools/net/ynl/lib/ynl.py) ;;
	kselftest) files+=(tools/testing/selftests/lib.mk
			   tools/testing/selftests/kselftest_harness.h
			   tools/testing/selftests/kselftest.h
			   tools/testing/selftests/kselftest/runner.sh
			   tools/testing/selftests/kselftest/ktap_helpers.sh
			   tools/testing/selftests/kselftest/prefix.pl
			   scripts/subarch.include) ;;
	forwarding) files+=(tools/testing/selftests/net/forwarding/router_multicast.sh
			    tools/testing/selftests/net/forwarding/lib.sh
			    tools/testing/selftests/net/forwarding/tc_common.sh
			    tools/testing/selftests/net/lib.sh) ;;
	*) echo "ksrc.sh: unknown set '$s'" >&2; exit 2 ;;
	esac
done

[[ -r $tarball ]] || {
	echo "ksrc.sh: $tarball missing (apt-get install linux-source-6.12, or make deps)" >&2
	exit 1
}

missing=()
for f in "${files[@]}"; do
	[[ -s $dest/$f && ! $dest/$f -ot $tarball ]] || missing+=("$f")
done
((${#missing[@]})) || exit 0

mkdir -p "$dest"
top=$(basename "$tarball" .tar.xz)
echo "ksrc.sh: extracting ${#missing[@]} file(s) from $tarball into $dest" >&2
# --occurrence: stop reading once each member was found once.
tar -xJf "$tarball" -C "$dest" --strip-components=1 --occurrence \
	--touch "${missing[@]/#/$top/}"
for f in "${missing[@]}"; do
	[[ -s $dest/$f ]] || { echo "ksrc.sh: $f not found in $tarball" >&2; exit 1; }
done
