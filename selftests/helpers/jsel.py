#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""jsel.py EXPR - read JSON from stdin, print the Python expression EXPR
evaluated with the document bound to "d" (lists/dicts printed as JSON,
True/False as 1/0, None as nothing).  A tiny jq for the selftests, which
cannot count on jq being installed.  Example:

    mfwdctl -j route show | jsel.py 'len(d)'
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    text = sys.stdin.read()
    d = json.loads(text) if text.strip() else None
    v = eval(sys.argv[1], {"d": d, "json": json})  # noqa: S307 - test helper
    if v is None:
        return 0
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, (list, dict)):
        print(json.dumps(v, sort_keys=True))
    else:
        print(v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
