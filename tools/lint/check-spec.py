#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec, the uAPI header and the kernel policies agree.

    tools/lint/check-spec.py [--schema-dir DIR] [--root DIR] [-v]

The three are written by hand:
  Documentation/netlink/specs/mfwd.yaml   the YNL spec
  uapi/linux/mfwd.h                       the uAPI header (C names, values)
  module/netlink.c                        policies, ops, replies, events
and this script proves they describe the same family:

  spec <-> header   family name/version defines, the multicast group define,
                    every enum (commands, attributes of each set, flags):
                    names as ynl-gen-c would render them, values, the
                    __*_MAX / *_MAX entries, flag masks, kernel-doc for
                    every entry.
  spec <-> kernel   the family's resv_start_op is 0 (or absent): the strict
                    genetlink header checks apply to every command;
                    per command: do/dump handlers, admin permission, the
                    attributes its policy accepts (= the union of the
                    spec's do and dump requests: genl_ops share one
                    policy), their NLA types, ranges, masks, binary
                    lengths (exact-len = NLA_POLICY_EXACT_LEN(n), also
                    of sizeof(struct in6_addr); min-len, max-len) (types
                    only in a table no op validates with, such as a
                    handler's own parse)
                    and nested policies; the attributes each reply puts
                    (nla_put_* in the handlers, followed through local
                    helpers) = the spec's reply; every notification/event
                    the module multicasts (mfwd_nl_*(..., MFWD_CMD_X) call
                    sites in module/*.c) has a spec operation with the
                    same attributes, and the reverse; the multicast group
                    names and permissions.
  spec itself       display hints fit their attributes: ipv4 on a
                    big-endian u32 or a binary of exact-len 4, ipv6 on a
                    binary of exact-len 16 (struct in6_addr).
  spec <-> schema   with --schema-dir (the kernel's Documentation/netlink),
                    the spec validates against genetlink-c.yaml, and,
                    without its C naming keys, against genetlink.yaml.

The C parsing is a careful regular-expression parse of the kernel's usual
idioms (designated initializers, NLA_POLICY_* macros, an op macro), not a
C compiler: anything it does not understand is reported, not skipped.
Exit status: 0 when everything agrees, 1 on any problem, 2 on usage errors.
Pure Python 3 + PyYAML (+ jsonschema for --schema-dir): runs in the VM too.
"""

import argparse
import copy
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check-spec: python3-yaml is missing (apt-get install python3-yaml)")

SPEC = "Documentation/netlink/specs/mfwd.yaml"
HEADER = "uapi/linux/mfwd.h"
NETLINK_C = "module/netlink.c"
MODULE_DIR = "module"

problems = []
nchecks = 0
verbose = False


def problem(where, msg):
    problems.append(f"{where}: {msg}")


def check(cond, where, msg):
    global nchecks
    nchecks += 1
    if not cond:
        problem(where, msg)
    elif verbose:
        print(f"ok: {where}: {msg}")
    return cond


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


# ----------------------------------------------------------------- C text ---

class CFile:
    """A C file with comments blanked out (offsets and lines preserved)."""

    def __init__(self, path, rel):
        self.path = path
        self.rel = rel
        with open(path, encoding="utf-8") as f:
            self.raw = f.read()
        self.text = self._strip(self.raw)

    @staticmethod
    def _strip(s):
        def blank(m):
            return re.sub(r"[^\n]", " ", m.group(0))
        # strings first so that "/*" inside one survives
        return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"',
                      lambda m: m.group(0) if m.group(0).startswith('"') else blank(m),
                      s, flags=re.S)

    def line(self, off):
        return self.text.count("\n", 0, off) + 1

    def where(self, off):
        return f"{self.rel}:{self.line(off)}"


def match_brace(text, start):
    """Index just past the bracket closing the one at text[start]."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    opening = text[start]
    closing = pairs[opening]
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced bracket")


def split_top(s, sep=","):
    """Split s at top-level separators (outside (), {}, [])."""
    out, depth, cur = [], 0, []
    for c in s:
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if c == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    if "".join(cur).strip():
        out.append("".join(cur))
    return [x.strip() for x in out]


class Evaluator:
    """Evaluates C integer constant expressions over known names."""

    LIMITS = {
        "U8_MAX": 0xff, "U16_MAX": 0xffff, "U32_MAX": 0xffffffff,
        "U64_MAX": 0xffffffffffffffff, "S8_MAX": 0x7f, "S16_MAX": 0x7fff,
        "S32_MAX": 0x7fffffff, "S64_MAX": 0x7fffffffffffffff,
        "INT_MAX": 0x7fffffff, "UINT_MAX": 0xffffffff,
        # address families (linux/socket.h), as a FAMILY policy bounds them
        "AF_UNSPEC": 0, "AF_INET": 2, "AF_INET6": 10,
    }

    # sizeof() of the types a policy or a length may name
    SIZES = {
        "u8": 1, "s8": 1, "__u8": 1, "__s8": 1, "char": 1,
        "u16": 2, "s16": 2, "__u16": 2, "__be16": 2, "__le16": 2,
        "u32": 4, "s32": 4, "__u32": 4, "__be32": 4, "__le32": 4, "int": 4,
        "u64": 8, "s64": 8, "__u64": 8, "__be64": 8, "__le64": 8,
        "struct in_addr": 4, "struct in6_addr": 16,
    }

    def __init__(self):
        self.names = dict(self.LIMITS)

    def _sizeof(self, m):
        t = re.sub(r"\s+", " ", m.group(1).strip())
        if t not in self.SIZES:
            raise ValueError(f"cannot evaluate sizeof({t})")
        return f"({self.SIZES[t]})"

    def eval(self, expr):
        e = expr.strip()
        e = re.sub(r"\bsizeof\s*\(\s*((?:struct\s+)?\w+)\s*\)", self._sizeof, e)
        e = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", e)
        e = re.sub(r"\bBIT\(", "(1 << (", e)
        if "BIT" in expr:
            e = e.replace("(1 << (", "(1 << (") + ")" * expr.count("BIT(")
        e = e.replace("&&", " and ").replace("||", " or ")
        e = re.sub(r"!(?!=)", " not ", e)
        if re.search(r"[^\w\s()+\-*/%<>|&^~]", e):
            raise ValueError(f"cannot evaluate '{expr}'")
        for name in re.findall(r"\b[A-Za-z_]\w*\b", e):
            if name not in self.names and name not in ("and", "or", "not"):
                raise ValueError(f"unknown name '{name}' in '{expr}'")
        e = e.replace("/", "//")
        return int(eval(e, {"__builtins__": {}}, dict(self.names)))  # noqa: S307


# ------------------------------------------------------------------ header ---

class Header:
    def __init__(self, path, rel):
        self.c = CFile(path, rel)
        self.ev = Evaluator()
        self.defines = {}      # name -> (raw value text, offset)
        self.enums = {}        # enum name -> [(entry, value, offset)]
        self.entry_enum = {}   # entry -> enum name
        self.docs = set()      # names documented with "@NAME:"
        self._parse()

    def _parse(self):
        t = self.c.text
        items = []
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n]*)$", t, re.M):
            items.append((m.start(), "define", m))
        for m in re.finditer(r"\benum\s+(\w+)\s*\{", t):
            items.append((m.start(), "enum", m))
        for off, kind, m in sorted(items, key=lambda x: x[0]):
            if kind == "define":
                name, val = m.group(1), m.group(2).strip()
                self.defines[name] = (val, off)
                try:
                    self.ev.names[name] = self.ev.eval(val)
                except ValueError:
                    pass
                continue
            name = m.group(1)
            ob = m.end() - 1
            body = t[ob + 1:match_brace(t, ob) - 1]
            entries, val = [], -1
            pos = ob + 1
            for part in body.split(","):
                off2 = pos + len(part) - len(part.lstrip())
                pos += len(part) + 1
                part = part.strip()
                if not part:
                    continue
                if "=" in part:
                    en, expr = [x.strip() for x in part.split("=", 1)]
                    val = self.ev.eval(expr)
                else:
                    en = part
                    val += 1
                self.ev.names[en] = val
                entries.append((en, val, off2))
                self.entry_enum[en] = name
            self.enums[name] = entries
        for m in re.finditer(r"@(\w+)\s*:", self.c.raw):
            self.docs.add(m.group(1))

    def define_str(self, name):
        v = self.defines.get(name)
        if not v:
            return None
        m = re.fullmatch(r'"([^"]*)"', v[0])
        return m.group(1) if m else None

    def value(self, name):
        return self.ev.names.get(name)

    def where(self, name):
        if name in self.defines:
            return self.c.where(self.defines[name][1])
        for entries in self.enums.values():
            for en, _, off in entries:
                if en == name:
                    return self.c.where(off)
        return self.c.rel


# ------------------------------------------------------------------- spec ---

NLA_TYPES = {
    "NLA_U8": ("u8", None), "NLA_U16": ("u16", None), "NLA_U32": ("u32", None),
    "NLA_U64": ("u64", None), "NLA_S8": ("s8", None), "NLA_S16": ("s16", None),
    "NLA_S32": ("s32", None), "NLA_S64": ("s64", None),
    "NLA_BE16": ("u16", "big-endian"), "NLA_BE32": ("u32", "big-endian"),
    "NLA_UINT": ("uint", None), "NLA_SINT": ("sint", None),
    "NLA_FLAG": ("flag", None), "NLA_NESTED": ("nest", None),
    "NLA_NESTED_ARRAY": ("indexed-array", None),
    "NLA_STRING": ("string", None), "NLA_NUL_STRING": ("string", None),
    "NLA_BINARY": ("binary", None), "NLA_BITFIELD32": ("bitfield32", None),
}

PUTTERS = {
    "nla_put_u8": ("u8", None), "nla_put_u16": ("u16", None),
    "nla_put_u32": ("u32", None), "nla_put_u64_64bit": ("u64", None),
    "nla_put_s8": ("s8", None), "nla_put_s16": ("s16", None),
    "nla_put_s32": ("s32", None), "nla_put_s64": ("s64", None),
    "nla_put_uint": ("uint", None), "nla_put_sint": ("sint", None),
    "nla_put_be16": ("u16", "big-endian"), "nla_put_be32": ("u32", "big-endian"),
    "nla_put_net16": ("u16", "big-endian"), "nla_put_net32": ("u32", "big-endian"),
    "nla_put_in_addr": ("u32", "big-endian"),
    "nla_put_in6_addr": ("binary", None),
    "nla_put_string": ("string", None), "nla_put_flag": ("flag", None),
    "nla_put": ("binary", None), "nla_reserve": ("binary", None),
    "nla_nest_start": ("nest", None), "nla_nest_start_noflag": ("nest", None),
}

TYPE_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "s8": 8, "s16": 16,
             "s32": 32, "s64": 64}

# Keys genetlink-c.yaml adds to genetlink.yaml (stripped for the 2nd check).
C_ONLY_TOP = ("c-family-name", "c-version-name", "max-by-define",
              "cmd-max-name", "cmd-cnt-name")


class Spec:
    def __init__(self, path, rel):
        self.rel = rel
        with open(path, encoding="utf-8") as f:
            self.first = f.readline()
            f.seek(0)
            self.raw = f.read()
        self.y = yaml.safe_load(self.raw)
        y = self.y
        self.name = y["name"]
        self.consts = {d["name"]: d for d in y.get("definitions", [])}
        self.sets = {}
        for s in y["attribute-sets"]:
            attrs, val = {}, 1
            for a in s["attributes"]:
                val = a.get("value", val)
                attrs[a["name"]] = dict(a, value=val)
                val += 1
            self.sets[s["name"]] = dict(s, attrs=attrs)
        self.ops, val = {}, 1
        for op in y["operations"]["list"]:
            val = op.get("value", val)
            self.ops[op["name"]] = dict(op, value=val)
            val += 1
        self.op_prefix = y["operations"].get("name-prefix", f"{self.name}-cmd-")
        self.mcgrps = {g["name"]: g for g in y.get("mcast-groups", {}).get("list", [])}

    def line_of(self, needle):
        i = self.raw.find(needle)
        return f"{self.rel}:{self.raw.count(chr(10), 0, i) + 1}" if i >= 0 else self.rel

    # C names, as tools/net/ynl/ynl-gen-c.py renders them
    def set_prefix(self, s):
        return s.get("name-prefix", f"{self.name}-a-{s['name']}-")

    def set_enum(self, s):
        return c_lower(s.get("enum-name", f"{self.name}-{s['name']}"))

    def set_cnt(self, s):
        return c_upper(s.get("attr-cnt-name", f"__{self.set_prefix(s)}max"))

    def set_max(self, s):
        return c_upper(s.get("attr-max-name", f"{self.set_prefix(s)}max"))

    def attr_c(self, s, a):
        return c_upper(self.set_prefix(s) + a)

    def op_c(self, op):
        return c_upper(self.op_prefix + op)

    def flags_mask(self, cname):
        d = self.consts[cname]
        mask, val = 0, d.get("value-start", 0)
        for e in d["entries"]:
            if isinstance(e, dict) and "value" in e:
                val = e["value"]
            mask |= 1 << val if d["type"] == "flags" else 0
            val += 1
        return mask

    def const_entries(self, d):
        pfx = d.get("name-prefix", f"{self.name}-{d['name']}-")
        val = d.get("value-start", 0)
        out = []
        for e in d["entries"]:
            en = e if isinstance(e, str) else e["name"]
            if isinstance(e, dict) and "value" in e:
                val = e["value"]
            out.append((c_upper(pfx + en), (1 << val) if d["type"] == "flags" else val))
            val += 1
        return out

    def is_alias_ntf(self, op):
        """A "<cmd>-ntf" notification sharing its command's value."""
        if "notify" not in op and "event" not in op:
            return None
        for other in self.ops.values():
            if other is not op and other["value"] == op["value"] and \
               ("do" in other or "dump" in other):
                return other
        return None

    def async_attrs(self, op):
        if "event" in op:
            return op["event"].get("attributes", [])
        target = self.ops[op["notify"]]
        return target["do"].get("reply", {}).get("attributes", [])


# ------------------------------------------------------- spec <-> schema ---

def check_schema(spec, schema_dir):
    try:
        import jsonschema
    except ImportError:
        problem("schema", "python3-jsonschema is missing")
        return
    for fname, doc in (("genetlink-c.yaml", spec.y), ("genetlink.yaml", None)):
        path = os.path.join(schema_dir, fname)
        if not os.path.exists(path):
            problem("schema", f"{path} does not exist")
            continue
        with open(path, encoding="utf-8") as f:
            schema = yaml.safe_load(f)
        if doc is None:
            doc = strip_c_keys(spec.y)
        try:
            jsonschema.validate(doc, schema)
            check(True, spec.rel, f"validates against {fname}")
        except jsonschema.ValidationError as e:
            path_s = "/".join(str(p) for p in e.absolute_path)
            check(False, spec.rel, f"does not validate against {fname} at '{path_s}': {e.message}")


def strip_c_keys(y):
    d = copy.deepcopy(y)
    d["protocol"] = "genetlink"
    for k in C_ONLY_TOP:
        d.pop(k, None)
    for c in d.get("definitions", []):
        c.pop("name-prefix", None)
        c.pop("enum-name", None)
    for s in d.get("attribute-sets", []):
        s.pop("attr-cnt-name", None)
        s.pop("attr-max-name", None)
        if s.get("enum-name") is None:
            s.pop("enum-name", None)
        for a in s["attributes"]:
            a.pop("name-prefix", None)
            a.get("checks", {}).pop("unterminated-ok", None)
    for g in d.get("mcast-groups", {}).get("list", []):
        g.pop("c-define-name", None)
    return d


# ------------------------------------------------------------ spec itself ---

def check_spec_hints(spec):
    """Address display hints sit on attributes of the address's size."""
    for s in spec.sets.values():
        for name, a in s["attrs"].items():
            hint = a.get("display-hint")
            if hint not in ("ipv4", "ipv6"):
                continue
            where = spec.line_of(f"name: {name}\n")
            exact = (a.get("checks") or {}).get("exact-len")
            if hint == "ipv4":
                ok = (a["type"] == "u32" and a.get("byte-order") == "big-endian") or \
                     (a["type"] == "binary" and exact == 4)
                check(ok, where, f"{s['name']}.{name}: display-hint ipv4 on a big-endian "
                      f"u32 or a binary of exact-len 4 (is {a['type']}"
                      f"{', exact-len ' + str(exact) if exact is not None else ''})")
            else:
                check(a["type"] == "binary" and exact == 16, where,
                      f"{s['name']}.{name}: display-hint ipv6 on a binary of exact-len 16 "
                      f"(is {a['type']}{', exact-len ' + str(exact) if exact is not None else ''})")


# ------------------------------------------------------- spec <-> header ---

def check_header(spec, hdr):
    y = spec.y
    where = spec.rel
    check(spec.first.startswith("# SPDX-License-Identifier: "), where,
          "first line is an SPDX license tag")
    check(y.get("uapi-header") in (None, "linux/mfwd.h") and
          os.path.basename(hdr.c.rel) == os.path.basename(y.get("uapi-header", f"linux/{spec.name}.h")),
          where, f"uapi-header names {hdr.c.rel}")

    fam = c_upper(y.get("c-family-name", f"{spec.name}-family-name"))
    check(hdr.define_str(fam) == spec.name, hdr.where(fam),
          f'{fam} is "{spec.name}" (found {hdr.defines.get(fam, ("missing",))[0]})')
    ver = c_upper(y.get("c-version-name", f"{spec.name}-family-version"))
    check(hdr.value(ver) == 1, hdr.where(ver),
          f"{ver} is 1, the version YNL sends (found {hdr.defines.get(ver, ('missing',))[0]})")

    for g in spec.mcgrps.values():
        d = c_upper(g.get("c-define-name", f"{spec.name}-mcgrp-{g['name']}"))
        check(hdr.define_str(d) == g["name"], hdr.where(d),
              f'{d} is "{g["name"]}"')

    # definitions: enums and flags
    for d in spec.consts.values():
        if d["type"] not in ("enum", "flags") or d.get("header"):
            continue
        ename = c_lower(d.get("enum-name", f"{spec.name}-{d['name']}"))
        if not check(ename in hdr.enums, hdr.c.rel, f"enum {ename} exists"):
            continue
        want = spec.const_entries(d)
        have = [(n, v) for n, v, _ in hdr.enums[ename]]
        check(want == have, hdr.where(have[0][0]) if have else hdr.c.rel,
              f"enum {ename} is {fmt(want)} (header: {fmt(have)})")
        if d["type"] == "flags":
            pfx = c_upper(d.get("name-prefix", f"{spec.name}-{d['name']}-"))
            for suffix in ("ALL", "MASK"):
                if pfx + suffix in hdr.defines:
                    check(hdr.value(pfx + suffix) == spec.flags_mask(d["name"]),
                          hdr.where(pfx + suffix),
                          f"{pfx}{suffix} is the OR of every {ename} flag "
                          f"({spec.flags_mask(d['name']):#x})")

    # attribute sets
    for s in spec.sets.values():
        if s.get("subset-of"):
            continue
        ename = spec.set_enum(s)
        if not check(ename in hdr.enums, hdr.c.rel, f"enum {ename} exists"):
            continue
        want = [(spec.attr_c(s, a), v["value"]) for a, v in s["attrs"].items()]
        check_enum(spec, hdr, ename, want, spec.set_prefix(s), spec.set_cnt(s),
                   spec.set_max(s))

    # operations
    ename = c_lower(y["operations"].get("enum-name", f"{spec.name}-op"))
    if check(ename in hdr.enums, hdr.c.rel, f"enum {ename} exists"):
        want = []
        for name, op in spec.ops.items():
            alias = spec.is_alias_ntf(op)
            if alias:
                check(name == alias["name"] + "-ntf", spec.line_of(f"name: {name}"),
                      f"notification {name} shares value {op['value']} with "
                      f"{alias['name']}: it must be named {alias['name']}-ntf")
                continue
            want.append((spec.op_c(name), op["value"]))
        want.sort(key=lambda x: x[1])
        cnt = c_upper(y.get("cmd-cnt-name", f"__{spec.op_prefix}max"))
        mx = c_upper(y.get("cmd-max-name", f"{spec.op_prefix}max"))
        check_enum(spec, hdr, ename, want, spec.op_prefix, cnt, mx)


def check_enum(spec, hdr, ename, want, prefix, cnt, mx):
    have = hdr.enums[ename]
    unspec = c_upper(prefix + "unspec")
    body = [(n, v) for n, v, _ in have if n not in (unspec, cnt, mx)]
    first = hdr.where(have[0][0]) if have else hdr.c.rel
    check(body == want, first, f"enum {ename} entries are {fmt(want)} (header: {fmt(body)})")
    names = {n: v for n, v, _ in have}
    if unspec in names:
        check(names[unspec] == 0, hdr.where(unspec), f"{unspec} is 0")
    last = max([v for _, v in want], default=0)
    check(names.get(cnt) == last + 1, hdr.where(cnt) if cnt in names else first,
          f"{cnt} is {last + 1} (found {names.get(cnt)})")
    check(names.get(mx) == last, hdr.where(mx) if mx in names else first,
          f"{mx} is {last} (found {names.get(mx)})")
    for n, _, off in have:
        if n in (cnt, mx, unspec) or n.startswith("__"):
            continue
        check(n in hdr.docs, hdr.c.where(off), f"{n} has kernel-doc (@{n}:)")


def fmt(pairs):
    return ", ".join(f"{n}={v}" for n, v in pairs) or "nothing"


# ------------------------------------------------------- kernel parsing ---

class Kernel:
    """What module/netlink.c (and the call sites in module/*.c) say."""

    def __init__(self, root, hdr):
        self.hdr = hdr
        self.c = CFile(os.path.join(root, NETLINK_C), NETLINK_C)
        self.others = []
        mdir = os.path.join(root, MODULE_DIR)
        for fn in sorted(os.listdir(mdir)):
            if fn.endswith(".c") and not fn.endswith(".mod.c"):
                self.others.append(CFile(os.path.join(mdir, fn), f"{MODULE_DIR}/{fn}"))
        self.ev = hdr.ev
        self.ranges = {}
        self.macros = {}       # object-like #define NAME NLA_POLICY_...(...)
        self.policies = {}
        self.tables = {}
        self.functions = {}
        self.ops = []
        self.family = {}
        self.mcgrps = []
        self._parse()

    # -- top-level objects
    def _parse(self):
        t = self.c.text
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n\\]*)$", t, re.M):
            body = m.group(2).strip()
            if re.match(r"NLA_POLICY_\w+\s*\(|\{", body):
                # a policy entry by name: "[X] = MFWD_POLICY_IN6,"
                self.macros[m.group(1)] = body
                continue
            try:
                self.ev.names.setdefault(m.group(1), self.ev.eval(body))
            except ValueError:
                pass
        for m in re.finditer(r"\benum\s*\{([^}]*)\}", t):
            val = -1
            for part in split_top(m.group(1)):
                if "=" in part:
                    n, e = [x.strip() for x in part.split("=", 1)]
                    val = self.ev.eval(e)
                else:
                    n, val = part, val + 1
                self.ev.names[n] = val
        for m in re.finditer(r"struct\s+netlink_range_validation(?:_signed)?\s+(\w+)\s*=\s*\{", t):
            body = t[m.end():match_brace(t, m.end() - 1) - 1]
            r = {}
            for part in split_top(body):
                mm = re.fullmatch(r"\.(min|max)\s*=\s*(.+)", part, re.S)
                if mm:
                    r[mm.group(1)] = self.ev.eval(mm.group(2))
            self.ranges[m.group(1)] = r
        for m in re.finditer(r"struct\s+nla_policy\s+(\w+)\s*\[([^\]]*)\]\s*=\s*\{", t):
            ob = m.end() - 1
            body = t[ob + 1:match_brace(t, ob) - 1]
            self.policies[m.group(1)] = (m.group(2).strip(), m.start(),
                                         self._policy_entries(body, ob + 1))
        for m in re.finditer(r"static\s+const\s+u\d+\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{", t):
            body = t[m.end():match_brace(t, m.end() - 1) - 1]
            self.tables[m.group(1)] = re.findall(r"=\s*(MFWD_\w+)", body)
        self._parse_functions()
        self._parse_ops()
        self._parse_family()

    def _policy_entries(self, body, base):
        out = {}
        for m in re.finditer(r"\[\s*(\w+)\s*\]\s*=\s*", body):
            start = m.end()
            # the value runs to the next top-level comma
            depth, i = 0, start
            while i < len(body):
                ch = body[i]
                if ch in "({[":
                    depth += 1
                elif ch in ")}]":
                    depth -= 1
                elif ch == "," and depth == 0:
                    break
                i += 1
            out[m.group(1)] = (body[start:i].strip(), base + m.start())
        return out

    def _parse_functions(self):
        t = self.c.text
        pat = re.compile(r"^(?:static\s+|inline\s+|noinline\s+)*[A-Za-z_][\w\s\*]*?\b(\w+)\s*\(([^;{}]*?)\)\s*\{",
                         re.M | re.S)
        for m in pat.finditer(t):
            name = m.group(1)
            if name in ("if", "for", "while", "switch", "sizeof"):
                continue
            ob = m.end() - 1
            end = match_brace(t, ob)
            params = [p.strip().split()[-1].lstrip("*") if p.strip() else ""
                      for p in split_top(m.group(2))]
            self.functions[name] = {"body": t[ob:end], "off": ob, "params": params}

    def _parse_ops(self):
        t = self.c.text
        macros = {}
        for m in re.finditer(r"#[ \t]*define[ \t]+(\w+)\(([^)]*)\)[ \t]*\{((?:[^\n]*\\\n)*[^\n]*)", t):
            params = [p.strip() for p in m.group(2).split(",")]
            fields = dict(re.findall(r"\.(\w+)\s*=\s*(\w+)", m.group(3)))
            macros[m.group(1)] = (params, fields)
        m = re.search(r"struct\s+genl_ops\s+(\w+)\s*\[\s*\]\s*=\s*\{", t)
        if not m:
            problem(self.c.rel, "no 'struct genl_ops NAME[] = {' found")
            return
        self.ops_name = m.group(1)
        ob = m.end() - 1
        body = t[ob + 1:match_brace(t, ob) - 1]
        pos = ob + 1
        for item in split_top(body):
            off = t.find(item, pos)
            pos = off + len(item)
            op = {"off": off}
            mm = re.fullmatch(r"(\w+)\s*\((.*)\)", item, re.S)
            if mm and mm.group(1) in macros:
                params, fields = macros[mm.group(1)]
                args = split_top(mm.group(2))
                argmap = dict(zip(params, args))
                for f, p in fields.items():
                    op[f] = argmap.get(p, p)
            elif item.startswith("{"):
                for part in split_top(item[1:-1]):
                    fm = re.fullmatch(r"\.(\w+)\s*=\s*(.+)", part, re.S)
                    if fm:
                        op[fm.group(1)] = fm.group(2).strip()
            else:
                problem(self.c.where(off), f"cannot parse genl_ops entry '{item[:40]}'")
                continue
            self.ops.append(op)

    def _parse_family(self):
        t = self.c.text
        m = re.search(r"struct\s+genl_family\s+(\w+)[^=;]*=\s*\{", t)
        if not m:
            problem(self.c.rel, "no 'struct genl_family NAME = {' found")
            return
        ob = m.end() - 1
        for part in split_top(t[ob + 1:match_brace(t, ob) - 1]):
            fm = re.fullmatch(r"\.(\w+)\s*=\s*(.+)", part, re.S)
            if fm:
                self.family[fm.group(1)] = fm.group(2).strip()
        grp = self.family.get("mcgrps")
        m = grp and re.search(r"struct\s+genl_multicast_group\s+" + grp + r"\s*\[\s*\]\s*=\s*\{", t)
        if m:
            ob = m.end() - 1
            body = t[ob + 1:match_brace(t, ob) - 1]
            for em in re.finditer(r"\{([^{}]*)\}", body):
                g = dict(re.findall(r"\.(\w+)\s*=\s*([^,\n]+)", em.group(1)))
                g["off"] = ob + 1 + em.start()
                self.mcgrps.append(g)

    # -- policies
    def policy_attr(self, expr):
        """(type, byte_order, checks, nested policy) of one policy entry."""
        e = re.sub(r"\s+", " ", expr).strip()
        for _ in range(8):              # macros naming macros
            if e not in self.macros:
                break
            e = re.sub(r"\s+", " ", self.macros[e]).strip()
        checks, nested = {}, None
        m = re.fullmatch(r"\{ ?(.*?),? ?\}", e)
        if m:
            fields = dict(re.findall(r"\.(\w+) ?= ?([^,]+)", m.group(1)))
            t = fields.get("type", "NLA_UNSPEC").strip()
            if "len" in fields:
                n = self.ev.eval(fields["len"])
                if t in ("NLA_BINARY", "NLA_STRING", "NLA_NUL_STRING"):
                    # .len of these is a maximum (nla_validate())
                    checks["max-len"] = n
                elif t == "NLA_UNSPEC":
                    raise ValueError(f"'{expr}': .len without a type is a minimum "
                                     f"length only (NLA_UNSPEC); an attribute of "
                                     f"exactly {n} bytes is NLA_POLICY_EXACT_LEN({n})")
                else:
                    checks["len"] = n
            if "nested_policy" in fields:
                nested = fields["nested_policy"].strip()
        else:
            m = re.fullmatch(r"(NLA_POLICY_\w+) ?\((.*)\)", e)
            if not m:
                raise ValueError(f"cannot parse policy entry '{expr}'")
            macro, args = m.group(1), split_top(m.group(2))
            if macro in ("NLA_POLICY_NESTED", "NLA_POLICY_NESTED_ARRAY"):
                t = "NLA_NESTED" if macro == "NLA_POLICY_NESTED" else "NLA_NESTED_ARRAY"
                nested = args[0]
            else:
                t = args[0]
                if macro == "NLA_POLICY_MIN":
                    checks["min"] = self.ev.eval(args[1])
                elif macro == "NLA_POLICY_MAX":
                    checks["max"] = self.ev.eval(args[1])
                elif macro == "NLA_POLICY_RANGE":
                    checks["min"] = self.ev.eval(args[1])
                    checks["max"] = self.ev.eval(args[2])
                elif macro in ("NLA_POLICY_FULL_RANGE", "NLA_POLICY_FULL_RANGE_SIGNED"):
                    r = self.ranges.get(args[1].lstrip("& "))
                    if r is None:
                        raise ValueError(f"unknown range '{args[1]}'")
                    checks.update(r)
                elif macro == "NLA_POLICY_MASK":
                    checks["flags-mask"] = self.ev.eval(args[1])
                elif macro in ("NLA_POLICY_EXACT_LEN", "NLA_POLICY_EXACT_LEN_WARN"):
                    t, checks["exact-len"] = "NLA_BINARY", self.ev.eval(args[0])
                elif macro == "NLA_POLICY_MIN_LEN":
                    t, checks["min-len"] = "NLA_BINARY", self.ev.eval(args[0])
                elif macro == "NLA_POLICY_MAX_LEN":
                    t, checks["max-len"] = "NLA_BINARY", self.ev.eval(args[0])
                else:
                    raise ValueError(f"unsupported policy macro {macro}")
        if t not in NLA_TYPES:
            raise ValueError(f"unsupported NLA type {t} in '{expr}'")
        typ, bo = NLA_TYPES[t]
        return typ, bo, checks, nested

    # -- replies
    def putters(self):
        """Putter function -> (type, byte order, index of the type argument)."""
        put = {k: (v[0], v[1], 1) for k, v in PUTTERS.items()}
        changed = True
        while changed:
            changed = False
            for name, f in self.functions.items():
                if name in put:
                    continue
                for p, (typ, bo, _) in list(put.items()):
                    for m in re.finditer(r"\b" + p + r"\s*\(", f["body"]):
                        args = split_top(f["body"][m.end() - 1:match_brace(f["body"], m.end() - 1)][1:-1])
                        if len(args) > 1 and args[1] in f["params"]:
                            put[name] = (typ, bo, f["params"].index(args[1]))
                            changed = True
                            break
                    if name in put:
                        break
        return put

    def puts(self, fname, put):
        """[(attribute constant, type, byte order, offset)] put by fname itself."""
        f = self.functions[fname]
        out = []
        for p, (typ, bo, idx) in put.items():
            for m in re.finditer(r"(?<![\w.>])" + p + r"\s*\(", f["body"]):
                ob = m.end() - 1
                args = split_top(f["body"][ob:match_brace(f["body"], ob)][1:-1])
                if len(args) <= idx:
                    continue
                a = args[idx]
                off = f["off"] + m.start()
                if re.fullmatch(r"MFWD_\w+", a):
                    consts = [a]
                elif re.fullmatch(r"(\w+)\s*\[.*\]", a) and \
                        re.match(r"\w+", a).group(0) in self.tables:
                    consts = self.tables[re.match(r"\w+", a).group(0)]
                elif a in f["params"]:
                    continue            # a wrapper: counted at its callers
                else:
                    problem(self.c.where(off), f"{p}() with attribute '{a}' the checker cannot resolve")
                    continue
                for c in consts:
                    out.append((c, typ, bo, off))
                if p == "nla_put_u64_64bit" and len(args) >= 4:
                    out.append((args[3], "pad", None, off))
        return out

    def callees(self, fname):
        body = self.functions[fname]["body"]
        return [g for g in self.functions if g != fname and re.search(r"\b" + g + r"\b", body)]

    def senders(self):
        s = {n for n, f in self.functions.items() if re.search(r"\bgenlmsg_multicast\w*\s*\(", f["body"])}
        changed = True
        while changed:
            changed = False
            for n in self.functions:
                if n not in s and any(c in s for c in self.callees(n)):
                    s.add(n)
                    changed = True
        return s

    def closure(self, fname, put, skip):
        seen, todo, out = set(), [fname], []
        while todo:
            f = todo.pop()
            if f in seen:
                continue
            seen.add(f)
            out += self.puts(f, put)
            todo += [c for c in self.callees(f) if c not in skip and c not in put]
        return out


# ------------------------------------------------------ spec <-> kernel ---

def norm_checks(typ, checks, spec):
    """Checks as comparable numbers; trivial bounds dropped."""
    out = {}
    bits = TYPE_BITS.get(typ)
    for k, v in (checks or {}).items():
        if isinstance(v, str):
            m = re.fullmatch(r"([us])(8|16|32|64)-(min|max)", v)
            if m:
                b = int(m.group(2))
                v = {("u", "min"): 0, ("u", "max"): (1 << b) - 1,
                     ("s", "min"): -(1 << (b - 1)), ("s", "max"): (1 << (b - 1)) - 1}[(m.group(1), m.group(3))]
            elif k == "flags-mask":
                v = spec.flags_mask(v)
        if k == "min" and typ.startswith("u") and v == 0:
            continue
        if k == "max" and bits and typ.startswith("u") and v == (1 << bits) - 1:
            continue
        out[k] = v
    return out


def check_kernel(spec, hdr, k):
    # which spec attribute a header constant is
    const_attr = {}
    for s in spec.sets.values():
        for a in s["attrs"]:
            const_attr[spec.attr_c(s, a)] = (s["name"], a)
    set_of_max = {spec.set_max(s): s["name"] for s in spec.sets.values()}

    # -- family
    fam = k.family
    fname_c = c_upper(spec.y.get("c-family-name", f"{spec.name}-family-name"))
    where = k.c.rel
    check(fam.get("name") == fname_c, where, f".name of the genl_family is {fname_c}")
    check(fam.get("version") in (c_upper(spec.y.get("c-version-name", f"{spec.name}-family-version")), "1"),
          where, ".version of the genl_family is the version define")
    # The spec promises the strict header checks of new families for every
    # command (reserved genlmsghdr field 0, no nlmsg_flags but REQUEST, ACK,
    # ECHO and DUMP): the core applies them to commands >= resv_start_op.
    rso = fam.get("resv_start_op")
    try:
        v = k.ev.eval(rso) if rso is not None else 0
    except ValueError as e:
        v = None
        problem(where, f".resv_start_op: {e}")
    if v is not None:
        check(v == 0, where,
              f".resv_start_op is 0 or absent (is {rso} = {v}): commands below it "
              f"skip the genetlink header checks the spec promises")

    # -- multicast groups
    kg = {}
    for g in k.mcgrps:
        name = hdr.define_str(g.get("name", "").strip()) or g.get("name", "").strip('" ')
        kg[name] = g
    check(set(kg) == set(spec.mcgrps), where,
          f"multicast groups are {sorted(spec.mcgrps)} (kernel: {sorted(kg)})")
    for n, g in kg.items():
        if n not in spec.mcgrps:
            continue
        kadmin = "GENL_MCAST_CAP_NET_ADMIN" in g.get("flags", "") or \
                 "GENL_MCAST_CAP_SYS_ADMIN" in g.get("flags", "")
        sadmin = "admin-perm" in spec.mcgrps[n].get("flags", [])
        check(kadmin == sadmin, k.c.where(g["off"]),
              f"group {n}: admin-perm in the spec iff GENL_MCAST_CAP_*_ADMIN in the kernel")

    # -- policies: every table, by attribute type. The tables the ops
    # validate requests with (and the nested tables they reach) must have
    # the spec's checks too; another table (a handler's own parse of an
    # already validated request) only the spec's types.
    validating = {op.get("policy") for op in k.ops}
    todo = list(validating)
    while todo:
        pname = todo.pop()
        for expr, _ in k.policies.get(pname, ("", 0, {}))[2].values():
            try:
                nested = k.policy_attr(expr)[3]
            except ValueError:
                continue
            if nested and nested not in validating:
                validating.add(nested)
                todo.append(nested)
    pol_info = {}
    for pname, (size, off, entries) in k.policies.items():
        mm = re.fullmatch(r"(\w+)\s*\+\s*1", size)
        sname = set_of_max.get(mm.group(1)) if mm else None
        if not check(sname is not None, k.c.where(off),
                     f"policy {pname} is sized [<attribute set>_MAX + 1] (is [{size}])"):
            continue
        s = spec.sets[sname]
        attrs = {}
        for const, (expr, eoff) in entries.items():
            ca = const_attr.get(const)
            if not check(ca is not None and ca[0] == sname, k.c.where(eoff),
                         f"{pname}: {const} is an attribute of set '{sname}'"):
                continue
            a = s["attrs"][ca[1]]
            try:
                typ, bo, checks, nested = k.policy_attr(expr)
            except ValueError as e:
                problem(k.c.where(eoff), f"{pname}[{const}]: {e}")
                continue
            attrs[ca[1]] = True
            check((typ, bo) == (a["type"], a.get("byte-order")), k.c.where(eoff),
                  f"{pname}[{const}]: type {typ}{'/' + bo if bo else ''} is the spec's "
                  f"{a['type']}{'/' + a['byte-order'] if a.get('byte-order') else ''} ({sname}.{ca[1]})")
            want = norm_checks(a["type"], a.get("checks"), spec)
            have = norm_checks(typ, checks, spec)
            if pname in validating:
                check(want == have, k.c.where(eoff),
                      f"{pname}[{const}]: checks {have or 'none'} are the spec's {want or 'none'} ({sname}.{ca[1]})")
            if nested == pname:
                # a batch's nest (route): the attributes of the request
                # that holds it, which the op's checks compare already
                check(a.get("nested-attributes") == sname and a.get("multi-attr"),
                      k.c.where(eoff), f"{pname}[{const}]: a nest of its own policy is a "
                      f"multi-attr nest of set '{sname}'")
            elif nested:
                nested_set = a.get("nested-attributes")
                pol_info.setdefault(nested, set()).add(nested_set)
                check(nested in k.policies, k.c.where(eoff), f"{pname}[{const}]: nested policy {nested} exists")
        pol_info.setdefault(pname, set())
        k.policies[pname] = (size, off, entries, sname, attrs)

    # nested policies cover their whole set
    for pname, sets in pol_info.items():
        for sname in sets:
            if pname not in k.policies or sname not in spec.sets:
                continue
            size, off, entries, psname, attrs = k.policies[pname]
            want = {a for a, v in spec.sets[sname]["attrs"].items() if v["type"] != "pad"}
            check(psname == sname and set(attrs) == want, k.c.where(off),
                  f"nested policy {pname} accepts all of set '{sname}': {sorted(want)} (has {sorted(attrs)})")

    # -- operations
    kops = {}
    for op in k.ops:
        kops[op.get("cmd")] = op
    put = k.putters()
    senders = k.senders()
    seen_cmds = set()
    for name, sop in spec.ops.items():
        if "do" not in sop and "dump" not in sop:
            continue
        cname = spec.op_c(name)
        where = spec.line_of(f"name: {name}\n")
        kop = kops.get(cname)
        if not check(kop is not None, where, f"{name}: the kernel has an op for {cname}"):
            continue
        seen_cmds.add(cname)
        kw = k.c.where(kop["off"])
        has = lambda f: kop.get(f) not in (None, "NULL", "0")  # noqa: E731
        check(has("doit") == ("do" in sop), kw, f"{name}: doit {'present' if 'do' in sop else 'absent'} as in the spec")
        check(has("dumpit") == ("dump" in sop), kw, f"{name}: dumpit {'present' if 'dump' in sop else 'absent'} as in the spec")
        kadmin = bool(re.search(r"GENL_(UNS_)?ADMIN_PERM", kop.get("flags", "")))
        check(kadmin == ("admin-perm" in sop.get("flags", [])), kw,
              f"{name}: admin-perm in the spec iff GENL_[UNS_]ADMIN_PERM in the kernel")
        s = spec.sets[sop["attribute-set"]]
        if "maxattr" in kop:
            check(kop["maxattr"] == spec.set_max(s), kw, f"{name}: .maxattr is {spec.set_max(s)}")
        pol = kop.get("policy")
        if not check(pol in k.policies and len(k.policies[pol]) == 5, kw,
                     f"{name}: policy {pol} is a parsed nla_policy table"):
            continue
        accepted = set(k.policies[pol][4])
        # genl_ops: one policy for do and dump. It accepts exactly what the
        # two requests list together (an attribute only one of them takes
        # must be refused by the other's handler; that is left to tests).
        reqs = {m: set(sop[m].get("request", {}).get("attributes", []))
                for m in ("do", "dump") if m in sop}
        union = set().union(*reqs.values())
        check(union == accepted, kw,
              f"{name}: {' + '.join(f'{m} request {sorted(r)}' for m, r in reqs.items())} "
              f"= attributes policy {pol} accepts {sorted(accepted)}")
        for mode, fld in (("do", "doit"), ("dump", "dumpit")):
            if mode not in sop or not has(fld):
                continue
            fn = kop[fld]
            if not check(fn in k.functions, kw, f"{name}: {fld} {fn} is defined in {k.c.rel}"):
                continue
            got = k.closure(fn, put, senders)
            top = {const_attr[c][1] for c, *_ in got
                   if c in const_attr and const_attr[c][0] == s["name"]}
            top -= {a for a, v in s["attrs"].items() if v["type"] == "pad"}
            want = set(sop[mode].get("reply", {}).get("attributes", []))
            check(top == want, k.c.where(k.functions[fn]["off"]),
                  f"{name}: {mode} reply {sorted(want)} = attributes {fn}() puts {sorted(top)}")
    for cname, kop in kops.items():
        check(cname in seen_cmds, k.c.where(kop["off"]), f"kernel op {cname} is in the spec")

    # -- types of everything the kernel puts
    for fname in k.functions:
        for c, typ, bo, off in k.puts(fname, put):
            ca = const_attr.get(c)
            if not check(ca is not None, k.c.where(off), f"{fname}: {c} is a spec attribute"):
                continue
            a = spec.sets[ca[0]]["attrs"][ca[1]]
            check((typ, bo) == (a["type"], a.get("byte-order")), k.c.where(off),
                  f"{fname}: {c} is put as {typ}{'/' + bo if bo else ''}, the spec's "
                  f"{a['type']}{'/' + a['byte-order'] if a.get('byte-order') else ''}")

    # -- notifications and events: call sites of the senders in module/*.c
    emitted = {}
    for cf in k.others:
        for snd in senders:
            for m in re.finditer(r"(?<![\w.>])" + snd + r"\s*\(", cf.text):
                ob = m.end() - 1
                args = split_top(cf.text[ob:match_brace(cf.text, ob)][1:-1])
                cmds = [a for a in args if a in hdr.entry_enum and
                        hdr.entry_enum[a] == c_lower(spec.y["operations"].get("enum-name", ""))]
                if cmds:
                    emitted.setdefault(hdr.value(cmds[0]), []).append((snd, cf.where(m.start()), cmds[0]))
    by_sender = {}
    for name, sop in spec.ops.items():
        if "notify" not in sop and "event" not in sop:
            continue
        where = spec.line_of(f"name: {name}\n")
        check(sop.get("mcgrp") in spec.mcgrps, where, f"{name}: mcgrp '{sop.get('mcgrp')}' is a spec group")
        sites = emitted.pop(sop["value"], [])
        if not check(sites, where, f"{name}: the module multicasts command {sop['value']}"):
            continue
        s = spec.sets[sop.get("attribute-set") or spec.ops[sop["notify"]]["attribute-set"]]
        attrs = set(spec.async_attrs(sop))
        for snd, cw, cmd in sites:
            got = {const_attr[c][1] for c, *_ in k.closure(snd, put, set())
                   if c in const_attr and const_attr[c][0] == s["name"]}
            got -= {a for a, v in s["attrs"].items() if v["type"] == "pad"}
            if "notify" in sop:
                check(attrs == got, cw, f"{cmd} via {snd}(): spec {name} (notify {sop['notify']}) "
                      f"has {sorted(attrs)}, {snd}() puts {sorted(got)}")
            else:
                check(attrs <= got, cw, f"{cmd} via {snd}(): spec event {name} attributes "
                      f"{sorted(attrs)} are put by {snd}() {sorted(got)}")
                by_sender.setdefault(snd, [set(), got])[0].update(attrs)
    for snd, (union, got) in by_sender.items():
        check(union == got, k.c.where(k.functions[snd]["off"]),
              f"{snd}() puts {sorted(got)}; the spec's events using it list {sorted(union)}")
    for val, sites in emitted.items():
        for snd, cw, cmd in sites:
            check(False, cw, f"{cmd} is multicast by {snd}() but the spec has no notification/event with value {val}")


# -------------------------------------------------------------------- main ---

def main():
    global verbose
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."),
                    help="repository root (default: this script's ../..)")
    ap.add_argument("--schema-dir", help="the kernel's Documentation/netlink (genetlink*.yaml)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every passed check")
    args = ap.parse_args()
    verbose = args.verbose
    root = os.path.abspath(args.root)

    try:
        spec = Spec(os.path.join(root, SPEC), SPEC)
        hdr = Header(os.path.join(root, HEADER), HEADER)
    except (OSError, yaml.YAMLError, ValueError, KeyError) as e:
        print(f"check-spec: {e}", file=sys.stderr)
        return 2
    if args.schema_dir:
        check_schema(spec, args.schema_dir)
    check_spec_hints(spec)
    check_header(spec, hdr)
    try:
        k = Kernel(root, hdr)
        check_kernel(spec, hdr, k)
    except (OSError, ValueError, KeyError) as e:
        problem(NETLINK_C, f"cannot parse: {e!r}")

    for p in problems:
        print(p)
    print(f"check-spec: {nchecks} checks, {len(problems)} problems"
          f"{'' if args.schema_dir else ' (schema not checked: no --schema-dir)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
