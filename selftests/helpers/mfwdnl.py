#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mfwdnl.py - send one raw request to the "mfwd" generic-netlink family.

For the API tests: builds exactly the attributes and header given, also
ones mfwdctl would refuse to send, and prints the kernel's answer as one
line:

    ok
    error ERRNAME (strerror) msg="extack message" [miss_type=N] [offs=N]
          [cookie=HEX]

A dump (--dump) first prints one line per message it returned:

    route SOURCE GROUP iif=IFS oifs=N [per_iif] [intr]
                                  (IPv6 routes: SOURCE6 GROUP6; prefixes:
                                  ADDRESS/LEN)
    vif IF [intr]

(IF: the device name, or the ifindex if there is none; IFS: IF, or the
route's inputs IF,IF,... in the order of its IIF attributes when it has
several, or "any" with IIF_ANY; "per_iif": the route has PER_IIF; "intr":
the message had NLM_F_DUMP_INTR), then the line of the NLMSG_DONE (or
error).

Usage: mfwdnl.py [OPTION...] CMD [ATTR...]
       mfwdnl.py -b FILE     (- for stdin) one "[OPTION...] CMD [ATTR...]" a
                             line, one answer a line (blank lines and #
                             skipped)
  OPTION --replace           add the REPLACE flag attribute (route_add)
         --dump              NLM_F_DUMP instead of NLM_F_ACK
         --flags=N           more nlmsg_flags (e.g. 0x100 NLM_F_REPLACE)
         --reserved=N        the genlmsghdr's reserved field (default 0)
         --version=N         the genlmsghdr's version (default 1)
  CMD   vif_add vif_del vif_get route_add route_del route_get flush
        stats_get config_get config_set (or a number)
  ATTR  ifindex=IF iif=IF          u32 (IF: ifindex or device name; iif=
                                   may be repeated)
        group=A.B.C.D source=A.B.C.D   be32
        group6=ADDR source6=ADDR   16 bytes (struct in6_addr)
        family=inet|inet6|N        u8 (AF_INET 2, AF_INET6 10)
        oif=IF[/TTL]               an OIF nest; "oif=" an empty nest,
                                   "oif=/TTL" a nest without ifindex
        route=ATTR;ATTR...         a ROUTE nest (a batch's route) of
                                   these attributes
        threshold=N                u8 VIF_THRESHOLD
        group_prefix_len=N source_prefix_len=N   u8
        flags=N                    u32 VIF_FLAGS
        flush_vifs replace iif_any per_iif   flags
        unres_max= unres_qlen= unres_timeout_ms= wrongvif_interval_ms=
        max_routes= packets= ...   u32 (any attribute of the header by
                                   its lower-case name)
        TYPE:u8:N TYPE:u16:N TYPE:u32:N TYPE:hex:HEX TYPE:flag
                                   any attribute, raw
Command and attribute numbers come from uapi/linux/mfwd.h.
Exit status: 0 if the kernel said ok, 1 on an error reply, 2 on misuse.

As a module (sys.path has selftests/helpers): Genl, nla(), attr(),
parse_attrs(), decode() and the numbers (CMDS, A, NLM_F_*) for tests that
need a socket of their own.
"""
import errno
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 0x1, 0x2, 0x4
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x300
NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND = 0x100, 0x200, 0x400, 0x800
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5
NLMSGERR_ATTR_COOKIE = 3

UAPI = os.environ.get("MFWD_UAPI", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "uapi", "linux", "mfwd.h"))


def header_enum(text, name, prefix):
    """{lower-case name without prefix: value} of enum NAME (sequential)."""
    body = re.search(r"enum\s+" + name + r"\s*\{(.*?)\}", text, re.S).group(1)
    out, val = {}, -1
    for item in body.split(","):
        item = item.strip()
        if not item:
            continue
        n, _, v = item.partition("=")
        n = n.strip()
        if n.startswith("__"):
            break               # the private tail: __X_MAX, X_MAX
        val = int(v.strip(), 0) if v.strip() else val + 1
        if n.startswith(prefix):
            out[n[len(prefix):].lower()] = val
    return out


with open(UAPI, encoding="utf-8") as _f:
    _text = re.sub(r"/\*.*?\*/", "", _f.read(), flags=re.S)
CMDS = header_enum(_text, "mfwd_cmd", "MFWD_CMD_")
A = header_enum(_text, "mfwd_attr", "MFWD_A_")
A["flags"], A["threshold"] = A["vif_flags"], A["vif_threshold"]
OIF = header_enum(_text, "mfwd_oif_attr", "MFWD_OIF_A_")
CMD_NAME = {v: k for k, v in CMDS.items()}
A_NAME = {v: k for k, v in A.items() if k not in ("flags", "threshold")}


def nla(t, data):
    hdr = struct.pack("=HH", 4 + len(data), t)
    return hdr + data + b"\0" * ((4 - len(data) % 4) % 4)


def parse_attrs(buf):
    """[(type, payload)] of a run of attributes."""
    out, off = [], 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4:
            break
        out.append((atype & 0x3fff, buf[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


def ifidx(v):
    return int(v) if v.isdigit() else socket.if_nametoindex(v)


def ifname(idx):
    try:
        return socket.if_indextoname(idx)
    except OSError:
        return str(idx)


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
    if k in ("group6", "source6"):
        return nla(A[k], socket.inet_pton(socket.AF_INET6, v))
    if k == "family":
        fam = {"inet": socket.AF_INET, "inet6": socket.AF_INET6}
        return nla(A[k], struct.pack("=B", fam[v] if v in fam else int(v, 0)))
    if k in ("threshold", "group_prefix_len", "source_prefix_len"):
        return nla(A[k], struct.pack("=B", int(v)))
    if k in ("flush_vifs", "replace", "wildcard", "iif_any", "per_iif"):
        return nla(A[k], b"")
    if k == "route":
        # a batch's route: its attributes separated by ";"
        inner = b"".join(attr(a) for a in v.split(";") if a)
        return nla(A[k] | NLA_F_NESTED, inner)
    if k == "oif":
        dev, _, ttl = v.partition("/")
        inner = b""
        if dev:
            inner += nla(OIF["ifindex"], struct.pack("=I", ifidx(dev)))
        if ttl:
            inner += nla(OIF["ttl"], struct.pack("=B", int(ttl)))
        return nla(A[k] | NLA_F_NESTED, inner)
    if k in A:
        return nla(A[k], struct.pack("=I", int(v, 0)))
    raise SystemExit(f"mfwdnl.py: unknown attribute {spec!r}")


def decode(payload):
    """A genl payload (genlmsghdr + attributes) -> dict."""
    d = {"cmd": CMD_NAME.get(payload[0], str(payload[0])), "oifs": []}
    for t, v in parse_attrs(payload[4:]):
        name = A_NAME.get(t, str(t))
        if name in ("source", "group"):
            d[name] = socket.inet_ntoa(v[:4])
        elif name in ("source6", "group6") and len(v) == 16:
            d[name] = socket.inet_ntop(socket.AF_INET6, v)
        elif name == "oif":
            o = dict(parse_attrs(v))
            d["oifs"].append(struct.unpack("=I", o[OIF["ifindex"]][:4])[0])
        elif name == "ifname":
            d[name] = v.rstrip(b"\0").decode()
        elif name == "iif" and len(v) == 4:
            # repeated in routes (an accept set): "iif" the first (the
            # primary input), "iifs" all of them in order
            idx = int.from_bytes(v, sys.byteorder)
            d.setdefault("iif", idx)
            d.setdefault("iifs", []).append(idx)
        elif name in ("iif_any", "per_iif") and not v:
            d[name] = True
        elif len(v) in (1, 4, 8):
            d[name] = int.from_bytes(v, sys.byteorder)
    return d


class Genl:
    """A generic-netlink socket with extended acks.

    recv_size: the buffer of every recv(); the kernel sizes a dump's skbs
    from the largest recv() the socket did before (none: NLMSG_GOODSIZE).
    """

    def __init__(self, recv_size=1 << 16, resolve=True):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1
        self.recv_size = recv_size
        self.fam, self.groups = None, {}
        if resolve:
            self.fam, self.groups = self.family("mfwd")

    def send(self, family, cmd, payload, flags=NLM_F_ACK, version=1, reserved=0):
        """Send one request; return its sequence number."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, reserved) + payload
        self.s.send(struct.pack("=IHHII", 16 + len(body), family,
                                NLM_F_REQUEST | flags, self.seq, 0) + body)
        return self.seq

    def messages(self):
        """The messages of one recv(): [(type, flags, seq, whole message)]."""
        data = self.s.recv(self.recv_size)
        out, off = [], 0
        while off + 16 <= len(data):
            ln, typ, fl, seq, _ = struct.unpack_from("=IHHII", data, off)
            out.append((typ, fl, seq, data[off:off + ln]))
            off += (ln + 3) & ~3
        return out

    @staticmethod
    def status(typ, fl, m):
        """(errno, {extack tlv}) of an NLMSG_ERROR or NLMSG_DONE."""
        err = -struct.unpack_from("=i", m, 16)[0]
        tlv = {}
        if fl & NLM_F_ACK_TLVS:
            p = 20
            if typ == NLMSG_ERROR:  # the request's header is echoed
                p += 16 if fl & NLM_F_CAPPED else struct.unpack_from("=I", m, 20)[0]
            for t, v in parse_attrs(m[p:]):
                tlv[t] = v
        return err, tlv

    def wait(self, seq):
        """Replies to request seq until its ack or NLMSG_DONE:
        (errno, {extack tlv}, [(flags, payload)])."""
        replies = []
        while True:
            for typ, fl, s, m in self.messages():
                if s != seq:
                    continue
                if typ in (NLMSG_ERROR, NLMSG_DONE):
                    err, tlv = self.status(typ, fl, m)
                    if typ == NLMSG_DONE and fl & NLM_F_DUMP_INTR:
                        replies.append((fl, None))
                    return err, tlv, replies
                replies.append((fl, m[16:]))

    def request(self, family, cmd, payload, flags=NLM_F_ACK, version=1, reserved=0):
        return self.wait(self.send(family, cmd, payload, flags, version, reserved))

    def family(self, name):
        err, _, rep = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                   nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err:
            raise SystemExit(f"mfwdnl.py: family {name}: {os.strerror(err)}")
        fam, groups = None, {}
        for t, v in parse_attrs(rep[0][1][4:]):
            if t == CTRL_ATTR_FAMILY_ID:
                fam = struct.unpack("=H", v[:2])[0]
            elif t == CTRL_ATTR_MCAST_GROUPS:
                for _, grp in parse_attrs(v):
                    g = dict(parse_attrs(grp))
                    groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                        struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        if fam is None:
            raise SystemExit("mfwdnl.py: no family id")
        return fam, groups


def answer(err, tlv):
    """The one-line form of an ack."""
    if err == 0:
        return "ok"
    name = "EOPNOTSUPP" if err == errno.EOPNOTSUPP else errno.errorcode.get(err, str(err))
    out = f"error {name} ({os.strerror(err)})"
    if NLMSGERR_ATTR_MSG in tlv:
        out += ' msg="%s"' % tlv[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
    if NLMSGERR_ATTR_MISS_TYPE in tlv:
        out += " miss_type=%d" % struct.unpack("=I", tlv[NLMSGERR_ATTR_MISS_TYPE][:4])[0]
    if NLMSGERR_ATTR_OFFS in tlv:
        out += " offs=%d" % struct.unpack("=I", tlv[NLMSGERR_ATTR_OFFS][:4])[0]
    if NLMSGERR_ATTR_COOKIE in tlv:
        out += " cookie=%s" % tlv[NLMSGERR_ATTR_COOKIE].hex()
    return out


def dump_line(fl, payload):
    intr = " intr" if fl & NLM_F_DUMP_INTR else ""
    if payload is None:
        return None
    d = decode(payload)
    v6 = "group6" in d
    if v6 or "group" in d:
        src, grp = d.get("source6" if v6 else "source"), d["group6" if v6 else "group"]
        if "source_prefix_len" in d:
            src += "/%d" % d["source_prefix_len"]
        if "group_prefix_len" in d:
            grp += "/%d" % d["group_prefix_len"]
        iifs = "any" if d.get("iif_any") else \
            ",".join(ifname(i) for i in d.get("iifs", [0]))
        return "route %s %s iif=%s oifs=%d%s%s" % (
            src, grp, iifs, len(d["oifs"]), " per_iif" if d.get("per_iif") else "", intr)
    return "vif %s%s" % (ifname(d.get("ifindex", 0)), intr)


def one(g, args):
    flags, version, reserved, payload = NLM_F_ACK, 1, 0, b""
    dump = False
    while args and args[0].startswith("--"):
        opt, _, val = args.pop(0).partition("=")
        if opt == "--replace":
            payload += nla(A["replace"], b"")
        elif opt == "--dump":
            dump, flags = True, (flags & ~NLM_F_ACK) | NLM_F_DUMP
        elif opt == "--flags":
            flags |= int(val, 0)
        elif opt == "--reserved":
            reserved = int(val, 0)
        elif opt == "--version":
            version = int(val, 0)
        else:
            raise SystemExit(f"mfwdnl.py: unknown option {opt}")
    cmd = CMDS.get(args[0]) if args[0] in CMDS else int(args[0])
    payload += b"".join(attr(a) for a in args[1:])
    err, tlv, replies = g.request(g.fam, cmd, payload, flags, version, reserved)
    if dump:
        for fl, p in replies:
            line = dump_line(fl, p)
            if line:
                print(line)
    print(answer(err, tlv) + (" intr" if any(p is None for _, p in replies) else ""))
    return 1 if err else 0


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    g = Genl()
    if args[0] == "-b":
        ret = 0
        with (sys.stdin if args[1] == "-" else open(args[1], encoding="utf-8")) as f:
            for line in f:
                words = line.split()
                if words and not words[0].startswith("#"):
                    ret |= one(g, words)
                    sys.stdout.flush()
        return ret
    return one(g, args)


if __name__ == "__main__":
    sys.exit(main())
