#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""stress_holder.py - hold the mfwd module with unfinished route dumps.

For selftests/72-stress.sh.  Until the file STOP exists: resolve the "mfwd"
family, start a ROUTE_GET dump with a small receive buffer, read its first
part, wait HOLD seconds, read the rest, close the socket, pause PAUSE
seconds.  A dump that did not fit in its first part is still running while
the process waits, and a running dump holds a reference on the module
(netlink takes the family's module for the dump's lifetime): rmmod is then
refused ("Module mfwd is in use") until the dump ends.

The counts are written to OUT (atomically) after every round, "KEY N" a
line: hold_started (dumps started), hold_held (dumps still running after
their first part: the module was held), hold_done (dumps that ended with
NLMSG_DONE), hold_absent (the family was missing: module unloaded),
hold_error (an error reply or a socket error; the text of the last one is
in OUT.err).
"""
import argparse
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mfwdnl  # noqa: E402  (after the path change)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--stop", required=True, help="stop when this file exists")
    p.add_argument("--out", required=True, help="count file")
    p.add_argument("--hold", type=float, default=0.3)
    p.add_argument("--pause", type=float, default=1.0)
    return p.parse_args()


def write(out, c):
    with open(out + ".tmp", "w") as f:
        for k in sorted(c):
            f.write(f"{k} {c[k]}\n")
    os.replace(out + ".tmp", out)


def one_dump(a, c):
    g = mfwdnl.Genl(recv_size=1 << 16, resolve=False)
    try:
        g.s.settimeout(30)
        try:
            fam, _ = g.family("mfwd")
        except SystemExit:
            c["hold_absent"] += 1
            return
        seq = g.send(fam, mfwdnl.CMDS["route_get"], b"", flags=mfwdnl.NLM_F_DUMP)
        c["hold_started"] += 1
        first = True
        while True:
            msgs = g.messages()
            end = None
            for typ, fl, s, m in msgs:
                if s == seq and typ in (mfwdnl.NLMSG_DONE, mfwdnl.NLMSG_ERROR):
                    end = g.status(typ, fl, m)[0]
            if end is not None:
                if end:
                    raise OSError(end, os.strerror(end))
                c["hold_done"] += 1
                return
            if first:
                first = False
                c["hold_held"] += 1
                time.sleep(a.hold)
    finally:
        g.s.close()


def main():
    a = parse_args()
    c = dict.fromkeys(("hold_started", "hold_held", "hold_done",
                       "hold_absent", "hold_error"), 0)
    write(a.out, c)
    while not os.path.exists(a.stop):
        try:
            one_dump(a, c)
        except OSError as e:
            c["hold_error"] += 1
            with open(a.out + ".err", "w") as f:
                f.write(f"{e}\n")
        write(a.out, c)
        time.sleep(a.pause)
    return 0


if __name__ == "__main__":
    sys.exit(main())
