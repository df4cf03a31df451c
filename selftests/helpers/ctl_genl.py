#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ctl_genl.py - a minimal generic-netlink client of the mfwd family for the
controller-channel selftests (30-39), independent of mfwdctl.

Command and attribute numbers are read from uapi/linux/mfwd.h, so the tool
follows the ABI header rather than a copy of it.

usage:
  ctl_genl.py listen [--out FILE] [--ready FILE] [--rcvbuf BYTES]
        Subscribe to the "events" group and print one JSON object a line per
        message: {"cmd": "nocache", "family": "inet"|"inet6", "source": ...,
        "group": ..., "iif": IFINDEX, "iif_name": NAME, ...} (IPv6 addresses
        under "source"/"group" too); WHOLEPKT carries "packet" (hex).  Writes FILE
        READY once subscribed.  Runs until killed; exits 0 on SIGTERM.
  ctl_genl.py config-set NAME=VALUE...
        CONFIG_SET with u32 attributes (unres_max, unres_qlen,
        unres_timeout_ms, wrongvif_interval_ms, max_routes); prints the errno
        the kernel answered ("0", "22", ...) and the extack message if any.
  ctl_genl.py config-set-batch "NAME=VALUE..." ...
        One CONFIG_SET per argument, each followed by a CONFIG_GET; prints
        one JSON object a line: {"req", "errno", "msg", "config"}.
  ctl_genl.py config | stats
        Print CONFIG_GET / STATS_GET as one JSON object.
"""
import json
import os
import re
import signal
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK = 11
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 1 << 15
NLA_TYPE_MASK = 0x3FFF

HERE = os.path.dirname(os.path.abspath(__file__))
UAPI = os.environ.get("MFWD_UAPI",
                      os.path.join(HERE, "..", "..", "uapi", "linux", "mfwd.h"))


def parse_enums(path):
    """{enum name: {NAME: value}} for the sequential enums of the header."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    enums = {}
    for name, body in re.findall(r"enum\s+(\w+)\s*{(.*?)}", text, flags=re.S):
        vals, nxt = {}, 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                k, v = (s.strip() for s in item.split("=", 1))
                if v in vals:
                    nxt = vals[v]
                else:
                    try:
                        nxt = int(eval(v.replace("U", ""), {}, {}))
                    except Exception:  # pylint: disable=broad-except
                        continue
                item = k
            vals[item] = nxt
            nxt += 1
        enums[name] = vals
    return enums


ENUMS = parse_enums(UAPI)
CMD = ENUMS["mfwd_cmd"]
ATTR = ENUMS["mfwd_attr"]
STATS = ENUMS["mfwd_stats_attr"]
CMD_NAME = {v: k[len("MFWD_CMD_"):].lower() for k, v in CMD.items()
            if not k.startswith("__") and k != "MFWD_CMD_MAX"}
ATTR_NAME = {v: k[len("MFWD_A_"):].lower() for k, v in ATTR.items()
             if not k.startswith("__") and k != "MFWD_A_MAX"}
STATS_NAME = {v: k[len("MFWD_STATS_A_"):].lower() for k, v in STATS.items()
              if not k.startswith("__") and k != "MFWD_STATS_A_MAX"}


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = (-len(payload)) % 4
    return hdr + payload + b"\0" * pad


def parse_attrs(buf):
    out = []
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4:
            break
        out.append((atype & NLA_TYPE_MASK, buf[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


class Genl:
    def __init__(self, rcvbuf=0):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        if rcvbuf:
            try:  # SO_RCVBUFFORCE
                self.sock.setsockopt(socket.SOL_SOCKET, 33, rcvbuf)
            except OSError:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                                     rcvbuf)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1
        self.family, self.groups = self.resolve("mfwd")

    def request(self, family, cmd, attrs=b"", flags=NLM_F_REQUEST | NLM_F_ACK,
                version=1):
        """Send one request; return (errno, extack msg, [payloads])."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + attrs
        msg = struct.pack("=IHHII", 16 + len(body), family, flags, self.seq,
                          0) + body
        self.sock.send(msg)
        replies = []
        while True:
            data = self.sock.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, mseq, _ = struct.unpack_from("=IHHII",
                                                                  data, off)
                payload = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if mseq != self.seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", payload)[0]
                    msgtxt = ""
                    if mflags & 0x200:  # NLM_F_ACK_TLVS
                        # the original request header follows (capped: 16)
                        tlv_off = 4 + (16 if mflags & 0x100 or err == 0
                                       else struct.unpack_from(
                                           "=I", payload, 4)[0])
                        for t, v in parse_attrs(payload[tlv_off:]):
                            if t == NLMSGERR_ATTR_MSG:
                                msgtxt = v.rstrip(b"\0").decode()
                    return err, msgtxt, replies
                if mtype == NLMSG_DONE:
                    return 0, "", replies
                replies.append(payload)

    def resolve(self, name):
        err, msg, reps = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
            nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err or not reps:
            raise SystemExit("cannot resolve family %s: %s %s"
                             % (name, os.strerror(err), msg))
        fam, groups = None, {}
        for t, v in parse_attrs(reps[0][4:]):
            if t == CTRL_ATTR_FAMILY_ID:
                fam = struct.unpack("=H", v[:2])[0]
            elif t == CTRL_ATTR_MCAST_GROUPS:
                for _, grp in parse_attrs(v):
                    g = dict(parse_attrs(grp))
                    groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                        struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        return fam, groups

    def subscribe(self, group="events"):
        self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                             self.groups[group])


def ifname(idx):
    try:
        return socket.if_indextoname(idx)
    except OSError:
        return None


def decode(payload):
    """A genl message payload -> dict."""
    cmd = payload[0]
    ev = {"cmd": CMD_NAME.get(cmd, str(cmd))}
    for t, v in parse_attrs(payload[4:]):
        name = ATTR_NAME.get(t, str(t))
        if name in ("source", "group"):
            ev[name] = socket.inet_ntoa(v[:4])
        elif name in ("source6", "group6"):
            ev[name[:-1]] = socket.inet_ntop(socket.AF_INET6, v[:16])
        elif name == "family":
            ev[name] = {socket.AF_INET: "inet",
                        socket.AF_INET6: "inet6"}.get(v[0], v[0])
        elif name in ("iif", "expected_iif", "ifindex"):
            ev[name] = struct.unpack("=I", v[:4])[0]
            ev[name + "_name"] = ifname(ev[name])
        elif name == "wildcard":
            ev[name] = True
        elif name == "packet":
            ev[name] = v.hex()
        elif name == "ifname":
            ev[name] = v.rstrip(b"\0").decode()
        elif name == "oif":
            o = dict(parse_attrs(v))
            ev.setdefault("oifs", []).append(struct.unpack("=I", o[1][:4])[0])
        elif name == "stats":
            ev["stats"] = {STATS_NAME.get(st, str(st)):
                           int.from_bytes(sv, sys.byteorder)
                           for st, sv in parse_attrs(v) if st != 1}
        elif len(v) in (4, 8):
            ev[name] = int.from_bytes(v, sys.byteorder)
        elif len(v) == 1:
            ev[name] = v[0]
    if "wildcard" not in ev and ev["cmd"] == "wrongvif":
        ev["wildcard"] = False
    return ev


def listen(args):
    out, ready, rcvbuf = sys.stdout, None, 8 << 20
    i = 0
    while i < len(args):
        if args[i] == "--out":
            out = open(args[i + 1], "a", buffering=1)
        elif args[i] == "--ready":
            ready = args[i + 1]
        elif args[i] == "--rcvbuf":
            rcvbuf = int(args[i + 1])
        else:
            raise SystemExit("listen: unknown option " + args[i])
        i += 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    g = Genl(rcvbuf)
    g.subscribe()
    if ready:
        with open(ready, "w") as f:
            f.write("%d\n" % os.getpid())
    while True:
        try:
            data = g.sock.recv(1 << 20)
        except OSError as e:  # ENOBUFS: events lost
            out.write(json.dumps({"cmd": "overrun", "errno": e.errno}) + "\n")
            out.flush()
            continue
        off = 0
        while off + 16 <= len(data):
            mlen, mtype = struct.unpack_from("=IH", data, off)
            if mtype == g.family:
                out.write(json.dumps(decode(data[off + 16:off + mlen])) + "\n")
            off += (mlen + 3) & ~3
        out.flush()


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    what, args = sys.argv[1], sys.argv[2:]
    if what == "listen":
        listen(args)
    elif what == "config-set":
        g = Genl()
        attrs = b""
        for a in args:
            k, v = a.split("=", 1)
            attrs += nla(ATTR["MFWD_A_" + k.upper()], struct.pack("=I", int(v)))
        err, msg, _ = g.request(g.family, CMD["MFWD_CMD_CONFIG_SET"], attrs)
        print(err, msg)
    elif what == "config-set-batch":
        g = Genl()
        for req in args:
            attrs = b""
            for a in req.split():
                k, v = a.split("=", 1)
                attrs += nla(ATTR["MFWD_A_" + k.upper()],
                             struct.pack("=I", int(v)))
            err, msg, _ = g.request(g.family, CMD["MFWD_CMD_CONFIG_SET"],
                                    attrs)
            e2, m2, reps = g.request(g.family, CMD["MFWD_CMD_CONFIG_GET"])
            if e2:
                raise SystemExit("config: %s %s" % (os.strerror(e2), m2))
            cfg = decode(reps[0])
            del cfg["cmd"]
            print(json.dumps({"req": req, "errno": err, "msg": msg,
                              "config": cfg}))
    elif what in ("config", "stats"):
        g = Genl()
        cmd = CMD["MFWD_CMD_CONFIG_GET" if what == "config" else
                  "MFWD_CMD_STATS_GET"]
        err, msg, reps = g.request(g.family, cmd)
        if err:
            raise SystemExit("%s: %s %s" % (what, os.strerror(err), msg))
        ev = decode(reps[0])
        print(json.dumps(ev.get("stats", ev)))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
