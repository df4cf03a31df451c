#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""jcheck.py [--by KEY] SPEC... - check fields of a JSON document on stdin.

Each SPEC is PATH=VALUE; PATH is dot-separated (keys, or list indexes).
--by KEY first turns a top-level list of objects into an object keyed by
each element's KEY (e.g. --by dev for "mfwdctl -j vif show", so that
"r1.pkts_out=5" works).  Values compare as strings (JSON lists/objects in
compact sorted form).  Prints every mismatch and exits 1 if there is one.
"""
import json
import sys


def get(d, path):
    for p in path.split("."):
        if isinstance(d, list):
            d = d[int(p)]
        else:
            d = d[p]
    return d


def show(v):
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True, separators=(",", ":"))
    if v is None:
        return "null"
    return str(v)


def main():
    args = sys.argv[1:]
    by = None
    if args[:1] == ["--by"]:
        by, args = args[1], args[2:]
    d = json.load(sys.stdin)
    if by:
        d = {e[by]: e for e in d}
    bad = []
    for spec in args:
        path, want = spec.split("=", 1)
        try:
            got = show(get(d, path))
        except (KeyError, IndexError, ValueError, TypeError):
            got = "<missing>"
        if got != want:
            bad.append(f"{path}: expected {want}, got {got}")
    if bad:
        print("\n".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
