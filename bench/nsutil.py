#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/nsutil.py - per-namespace settings in one process (each `ip netns
exec` costs a fork+exec, which is slow under qemu TCG).

usage: nsutil.py [--noipv6 NS]... [--gro NS:IFNAME]...

  --noipv6 NS      disable IPv6 in NS (all and default), so that links coming
                   up send no ND/MLD traffic that the counters would see
  --gro NS:IF      turn GRO on for IF in NS (ETHTOOL_SGRO ioctl, no ethtool
                   binary needed). On a veth this makes the device receive
                   through its own NAPI ring instead of the per-CPU backlog.
"""
import ctypes
import fcntl
import os
import socket
import struct
import sys

CLONE_NEWNET = 0x40000000
SIOCETHTOOL = 0x8946
ETHTOOL_SGRO = 0x2C

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


def set_gro(ifname, on=True):
    val = ctypes.create_string_buffer(struct.pack("II", ETHTOOL_SGRO, 1 if on else 0))
    ifr = struct.pack("16sQ", ifname.encode(), ctypes.addressof(val)) + b"\0" * 16
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifr)
    finally:
        s.close()


def write_sysctl(path, value):
    # /proc/sys/net follows the netns of the opening thread
    with open(path, "w") as f:
        f.write(value)


def main(argv):
    noipv6, gro = [], []
    i = 0
    while i < len(argv):
        if argv[i] == "--noipv6" and i + 1 < len(argv):
            noipv6.append(argv[i + 1])
        elif argv[i] == "--gro" and i + 1 < len(argv):
            gro.append(argv[i + 1].split(":", 1))
        else:
            sys.stderr.write(__doc__)
            return 2
        i += 2
    rc = 0
    for ns in noipv6:
        enter(ns)
        for conf in ("all", "default"):
            try:
                write_sysctl("/proc/sys/net/ipv6/conf/%s/disable_ipv6" % conf, "1")
            except OSError as e:
                sys.stderr.write("nsutil: %s: ipv6 %s: %s\n" % (ns, conf, e))
    for ns, ifname in gro:
        enter(ns)
        try:
            set_gro(ifname)
        except OSError as e:
            sys.stderr.write("nsutil: %s: gro on %s: %s\n" % (ns, ifname, e))
            rc = 1
    enter("")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
