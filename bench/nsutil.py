#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/nsutil.py - per-namespace settings in one process (each `ip netns
exec` costs a fork+exec, which is slow under qemu TCG).

usage: nsutil.py {--noipv6 NS | --quietipv6 NS}...

  --noipv6 NS      disable IPv6 in NS (all and default), so that links coming
                   up send no ND/MLD traffic that the counters would see
  --quietipv6 NS   IPv6 on in NS, but links that come up later get no
                   addresses (addr_gen_mode none): no link-local address, so
                   no DAD, router solicitation or MLD report either (the
                   groups every IPv6 device joins, ff01::1 and ff02::1, are
                   never reported); for the routers of the IPv6 benchmark
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


SETTINGS = {
    "--noipv6": (("all", "disable_ipv6", "1"), ("default", "disable_ipv6", "1")),
    "--quietipv6": (("default", "addr_gen_mode", "1"), ("default", "accept_dad", "0"),
                    ("default", "router_solicitations", "0"), ("default", "accept_ra", "0"),
                    ("all", "disable_ipv6", "0"), ("default", "disable_ipv6", "0")),
}


def main(argv):
    if len(argv) < 2 or len(argv) % 2 or any(argv[i] not in SETTINGS for i in range(0, len(argv), 2)):
        sys.stderr.write(__doc__)
        return 2
    rc = 0
    for i in range(0, len(argv), 2):
        enter(argv[i + 1])
        for conf, key, value in SETTINGS[argv[i]]:
            try:
                write_sysctl("/proc/sys/net/ipv6/conf/%s/%s" % (conf, key), value)
            except OSError as e:
                sys.stderr.write("nsutil: %s: ipv6 %s %s: %s\n" % (argv[i + 1], conf, key, e))
                rc = 1
    enter("")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
