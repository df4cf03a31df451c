#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/nsutil.py - per-namespace settings in one process (each `ip netns
exec` costs a fork+exec, which is slow under qemu TCG).

usage: nsutil.py --noipv6 NS...

  --noipv6 NS      disable IPv6 in NS (all and default), so that links coming
                   up send no ND/MLD traffic that the counters would see
"""
import ctypes
import os
import sys

CLONE_NEWNET = 0x40000000

libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (path, os.strerror(err)))
    finally:
        os.close(fd)


def enter(ns):
    setns("/run/netns/" + ns if ns else "/proc/1/ns/net")


def write_sysctl(path, value):
    # /proc/sys/net follows the netns of the opening thread
    with open(path, "w") as f:
        f.write(value)


def main(argv):
    if len(argv) < 2 or argv[0] != "--noipv6":
        sys.stderr.write(__doc__)
        return 2
    rc = 0
    for i in range(0, len(argv), 2):
        if argv[i] != "--noipv6" or i + 1 >= len(argv):
            sys.stderr.write(__doc__)
            return 2
        enter(argv[i + 1])
        for conf in ("all", "default"):
            try:
                write_sysctl("/proc/sys/net/ipv6/conf/%s/disable_ipv6" % conf, "1")
            except OSError as e:
                sys.stderr.write("nsutil: %s: ipv6 %s: %s\n" % (argv[i + 1], conf, e))
                rc = 1
    enter("")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
