#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mfwdnl.py - send one raw request to the "mfwd" generic-netlink family.

For the bad-input tests: builds exactly the attributes given, also ones
mfwdctl would refuse to send, and prints the kernel's answer as one line:

    ok
    error ERRNAME (strerror) msg="extack message" [miss_type=N] [offs=N]

Usage: mfwdnl.py [--replace] CMD [ATTR...]
       mfwdnl.py -b FILE     (- for stdin) one "[--replace] CMD [ATTR...]" a line, one
                             answer a line (blank lines and # skipped)
  CMD   vif_add vif_del vif_get route_add route_del route_get flush
        stats_get config_get config_set (or a number)
  ATTR  ifindex=IF iif=IF          u32 (IF: ifindex or device name)
        group=A.B.C.D source=A.B.C.D   be32
        oif=IF[/TTL]               an OIF nest; "oif=" an empty nest,
                                   "oif=/TTL" a nest without ifindex
        threshold=N                u8 VIF_THRESHOLD
        flags=N                    u32 VIF_FLAGS
        flush_vifs                 flag
        unres_max= unres_qlen= unres_timeout_ms= wrongvif_interval_ms=
        max_routes=                u32
        TYPE:u8:N TYPE:u16:N TYPE:u32:N TYPE:hex:HEX TYPE:flag
                                   any attribute, raw
Exit status: 0 if the kernel said ok, 1 on an error reply, 2 on misuse.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000

CMDS = {"vif_add": 1, "vif_del": 2, "vif_get": 3, "route_add": 4,
        "route_del": 5, "route_get": 6, "flush": 7, "stats_get": 8,
        "config_get": 9, "config_set": 10}
A = {"ifindex": 2, "ifname": 3, "flags": 4, "threshold": 5, "source": 6,
     "group": 7, "iif": 8, "oif": 9, "flush_vifs": 18, "unres_max": 20,
     "unres_qlen": 21, "unres_timeout_ms": 22, "wrongvif_interval_ms": 23,
     "max_routes": 24, "replace": 29}
OIF_IFINDEX, OIF_TTL = 1, 2


def nla(t, data):
    hdr = struct.pack("=HH", 4 + len(data), t)
    return hdr + data + b"\0" * ((4 - len(data) % 4) % 4)


def ifidx(v):
    return int(v) if v.isdigit() else socket.if_nametoindex(v)


def attr(spec):
    k, _, v = spec.partition("=")
    if ":" in spec and "=" not in spec:
        parts = spec.split(":")
        t, kind = int(parts[0]), parts[1]
        val = parts[2] if len(parts) > 2 else ""
        if kind == "flag":
            return nla(t, b"")
        if kind == "hex":
            return nla(t, bytes.fromhex(val))
        fmt = {"u8": "=B", "u16": "=H", "u32": "=I"}[kind]
        return nla(t, struct.pack(fmt, int(val, 0)))
    if k in ("ifindex", "iif"):
        return nla(A[k], struct.pack("=I", ifidx(v)))
    if k in ("group", "source"):
        return nla(A[k], socket.inet_aton(v))
    if k == "threshold":
        return nla(A[k], struct.pack("=B", int(v)))
    if k in ("flush_vifs", "replace"):
        return nla(A[k], b"")
    if k == "oif":
        dev, _, ttl = v.partition("/")
        inner = b""
        if dev:
            inner += nla(OIF_IFINDEX, struct.pack("=I", ifidx(dev)))
        if ttl:
            inner += nla(OIF_TTL, struct.pack("=B", int(ttl)))
        return nla(A[k] | NLA_F_NESTED, inner)
    if k in A:
        return nla(A[k], struct.pack("=I", int(v, 0)))
    raise SystemExit(f"mfwdnl.py: unknown attribute {spec!r}")


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1

    def request(self, family, cmd, payload, flags=0, version=1):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0) + body
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                ln, typ, fl, seq, _ = struct.unpack_from("=IHHII", data, off)
                m = data[off:off + ln]
                off += (ln + 3) & ~3
                if seq != self.seq:
                    continue
                if typ == NLMSG_ERROR:
                    err = struct.unpack_from("=i", m, 16)[0]
                    tlv = {}
                    if fl & NLM_F_ACK_TLVS:
                        p = 16 + 4 + 16        # CAP_ACK: only the header echoed
                        while p + 4 <= len(m):
                            tl, tt = struct.unpack_from("=HH", m, p)
                            if tl < 4:
                                break
                            tlv[tt & 0x3fff] = m[p + 4:p + tl]
                            p += (tl + 3) & ~3
                    return err, tlv, replies
                replies.append(m)

    def family(self, name):
        err, _, rep = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                   nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err:
            raise SystemExit(f"mfwdnl.py: family {name}: {os.strerror(-err)}")
        p = 20
        m = rep[0]
        while p + 4 <= len(m):
            tl, tt = struct.unpack_from("=HH", m, p)
            if tt == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", m, p + 4)[0]
            p += (tl + 3) & ~3
        raise SystemExit("mfwdnl.py: no family id")


def one(g, fam, args):
    flags, payload = 0, b""
    if args[:1] == ["--replace"]:
        payload, args = nla(A["replace"], b""), args[1:]
    cmd = CMDS.get(args[0]) or int(args[0])
    payload += b"".join(attr(a) for a in args[1:])
    err, tlv, _ = g.request(fam, cmd, payload, flags)
    if err == 0:
        print("ok")
        return 0
    out = f"error {errno.errorcode.get(-err, str(-err))} ({os.strerror(-err)})"
    if 1 in tlv:
        out += ' msg="%s"' % tlv[1].rstrip(b"\0").decode()
    if 5 in tlv:
        out += " miss_type=%d" % struct.unpack("=I", tlv[5][:4])[0]
    if 2 in tlv:
        out += " offs=%d" % struct.unpack("=I", tlv[2][:4])[0]
    print(out)
    return 1


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    g = Genl()
    fam = g.family("mfwd")
    if args[0] == "-b":
        ret = 0
        for line in (sys.stdin if args[1] == "-" else open(args[1])):
            words = line.split()
            if words and not words[0].startswith("#"):
                ret |= one(g, fam, words)
        return ret
    return one(g, fam, args)


if __name__ == "__main__":
    sys.exit(main())
