#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""fuzz_model.py - the input model of helpers/nlfuzz.c, as a C header.

usage: fuzz_model.py [--spec YAML] [--rst RST] [--uapi H] [-o OUT.h]

Reads everything from the documentation, nothing is listed here:
  - the YNL spec (Documentation/netlink/specs/mfwd.yaml): the family name and
    version, every attribute set (attribute values, types, byte order,
    checks: min, max, flags-mask, and for binary and string attributes
    exact-len, min-len, max-len; display-hint ipv4 / ipv6, which names the
    address family of an address attribute; nested-attributes,
    multi-attr), the
    definitions flags-masks refer to, and every operation that has a do or
    a dump: its value, its admin permission, and the attributes of its do
    and dump requests;
  - the errnos a reply may carry: the rows of the errno table (section
    "Errors") of Documentation/mfwd.rst and the "Errors:" paragraph of
    uapi/linux/mfwd.h's header comment ("table" errnos), and the other
    errnos the API sections of mfwd.rst name in prose ("prose" errnos,
    which the fuzzer accepts but reports as missing from the table).

Defaults are the repository's files (relative to this script).
"""

import argparse
import errno
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

# YNL type -> (C model type, fixed payload length or 0)
TYPES = {
    "pad": ("FZ_PAD", 0),
    "flag": ("FZ_FLAG", 0),
    "u8": ("FZ_U8", 1),
    "u16": ("FZ_U16", 2),
    "u32": ("FZ_U32", 4),
    "u64": ("FZ_U64", 8),
    "s8": ("FZ_U8", 1),
    "s16": ("FZ_U16", 2),
    "s32": ("FZ_U32", 4),
    "s64": ("FZ_U64", 8),
    "string": ("FZ_STRING", 0),
    "binary": ("FZ_BINARY", 0),
    "nest": ("FZ_NEST", 0),
}

# display-hint -> the address family of the attribute (fz_attr.fam)
FAMS = {"ipv4": 4, "ipv6": 6}

# most attributes one request of a command lists (fz_cmd.do_attrs[])
MAX_REQ_ATTRS = 24

LIMITS = {"u8-max": 0xFF, "u16-max": 0xFFFF, "u32-max": 0xFFFFFFFF,
          "u64-max": 0xFFFFFFFFFFFFFFFF, "s32-max": 0x7FFFFFFF,
          "s32-min": -0x80000000}


def cident(s):
    return re.sub(r"[^A-Za-z0-9]", "_", s).upper()


def limit(v):
    if isinstance(v, int):
        return v
    if v in LIMITS:
        return LIMITS[v]
    sys.exit(f"fuzz_model: unknown limit {v!r} in the spec")


def flags_mask(spec, name):
    for d in spec.get("definitions", []):
        if d["name"] == name:
            if d["type"] != "flags":
                sys.exit(f"fuzz_model: {name} is not a flags definition")
            start = d.get("value-start", 0)
            m = 0
            for i, e in enumerate(d["entries"]):
                v = e.get("value", start + i) if isinstance(e, dict) else start + i
                m |= 1 << v
            return m
    sys.exit(f"fuzz_model: no definition {name!r}")


def errnos_rst(path):
    """The errno table of the section "Errors" (rows: ``EXXX`` text) and
    the errnos named anywhere in "The netlink API" chapter."""
    text = open(path, encoding="utf-8").read()
    lines = text.splitlines()
    table, prose = [], []
    in_api = in_err = False
    for i, line in enumerate(lines):
        under = lines[i + 1] if i + 1 < len(lines) else ""
        if re.fullmatch(r"=+", under) and line.strip():
            in_api = line.strip() == "The netlink API"
            in_err = False
        elif re.fullmatch(r"-+", under) and line.strip():
            in_err = in_api and line.strip() == "Errors"
        if in_err:
            m = re.match(r"``(E[A-Z0-9]+)``\s", line)
            if m and m.group(1) not in table:
                table.append(m.group(1))
        if in_api:
            # (attribute names such as ``EXPIRE`` look alike)
            for e in re.findall(r"``(E[A-Z0-9]+)``", line):
                if hasattr(errno, e) and e not in prose:
                    prose.append(e)
    if not table:
        sys.exit(f"fuzz_model: no errno table in {path}")
    return table, prose


def errnos_uapi(path):
    """The errnos of the "Errors:" paragraph of the header comment."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"\* Errors:(.*?)\n \*\n", text, re.S)
    if not m:
        sys.exit(f"fuzz_model: no 'Errors:' paragraph in {path}")
    out = []
    for e in re.findall(r"\b(E[A-Z0-9]{2,})\b", m.group(1)):
        if e not in out:
            out.append(e)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", default=os.path.join(
        REPO, "Documentation/netlink/specs/mfwd.yaml"))
    ap.add_argument("--rst", default=os.path.join(REPO, "Documentation/mfwd.rst"))
    ap.add_argument("--uapi", default=os.path.join(REPO, "uapi/linux/mfwd.h"))
    ap.add_argument("-o", "--out", default="-")
    a = ap.parse_args()

    spec = yaml.safe_load(open(a.spec, encoding="utf-8"))
    o = []
    p = o.append
    p("/* SPDX-License-Identifier: GPL-2.0 */")
    p("/* Generated by selftests/helpers/fuzz_model.py from")
    p(f" * {os.path.relpath(a.spec, REPO)}, {os.path.relpath(a.rst, REPO)} and")
    p(f" * {os.path.relpath(a.uapi, REPO)}. Do not edit.")
    p(" */")
    p(f'#define FZ_FAMILY "{spec["name"]}"')
    p("#define FZ_VERSION 1")

    sets = spec["attribute-sets"]
    set_idx = {s["name"]: i for i, s in enumerate(sets)}
    for si, s in enumerate(sets):
        rows = []
        nxt = 1
        maxv = 0
        for at in s["attributes"]:
            v = at.get("value", nxt)
            nxt = v + 1
            maxv = max(maxv, v)
            ctype, clen = TYPES[at["type"]]
            be = 1 if at.get("byte-order") == "big-endian" else 0
            ck = at.get("checks", {})
            has_min = "min" in ck
            has_max = "max" in ck
            mn = limit(ck["min"]) if has_min else 0
            mx = limit(ck["max"]) if has_max else 0
            if at["type"] in ("binary", "string"):
                # lengths: for these, min/max are the payload's length
                # bounds and len an exact length (0: any)
                if "exact-len" in ck:
                    clen = limit(ck["exact-len"])
                    has_min = has_max = True
                    mn = mx = clen
                if "min-len" in ck:
                    has_min, mn = True, limit(ck["min-len"])
                if "max-len" in ck:
                    has_max, mx = True, limit(ck["max-len"])
            fam = FAMS.get(at.get("display-hint"), 0)
            mask = flags_mask(spec, ck["flags-mask"]) if "flags-mask" in ck else 0
            nest = set_idx[at["nested-attributes"]] if at["type"] == "nest" else -1
            multi = 1 if at.get("multi-attr") else 0
            rows.append(f'\t[{v}] = {{ "{at["name"]}", {ctype}, {clen}, {be}, '
                        f'{int(has_min)}, {mn}LL, {int(has_max)}, {mx}ULL, '
                        f'{int("flags-mask" in ck)}, {mask}U, {nest}, {multi}, {fam} }},')
        p(f"static const struct fz_attr fz_set_{cident(s['name']).lower()}[{maxv + 1}] = {{")
        o.extend(rows)
        p("};")
    p("static const struct fz_set fz_sets[] = {")
    for s in sets:
        n = cident(s["name"]).lower()
        p(f'\t{{ "{s["name"]}", fz_set_{n}, sizeof(fz_set_{n}) / sizeof(fz_set_{n}[0]) - 1 }},')
    p("};")
    p(f"#define FZ_N_SETS {len(sets)}")

    ops = spec["operations"]["list"]
    nxt = 1
    cmds = []
    max_cmd = 0
    for op in ops:
        v = op.get("value", nxt)
        nxt = v + 1
        max_cmd = max(max_cmd, v)
        if "do" not in op and "dump" not in op:
            continue
        aset = set_idx[op.get("attribute-set", sets[0]["name"])]
        setattrs = {}
        n2 = 1
        for at in sets[aset]["attributes"]:
            setattrs[at["name"]] = at.get("value", n2)
            n2 = setattrs[at["name"]] + 1

        def req(kind):
            if kind not in op:
                return None
            r = op[kind].get("request") or {}
            attrs = [setattrs[x] for x in r.get("attributes", [])]
            if len(attrs) > MAX_REQ_ATTRS:
                sys.exit(f"fuzz_model: {op['name']} {kind} lists {len(attrs)} "
                         f"attributes, nlfuzz.c takes {MAX_REQ_ATTRS} "
                         "(MAX_REQ_ATTRS, fz_cmd.do_attrs[])")
            return attrs
        cmds.append((op["name"], v, aset, "admin-perm" in op.get("flags", []),
                     req("do"), req("dump")))
    p("static const struct fz_cmd fz_cmds[] = {")
    for name, v, aset, admin, do, dump in cmds:
        def arr(x):
            return "{ " + ", ".join(str(i) for i in (x or [])) + (" }" if x else "0 }")
        p(f'\t{{ "{name}", {v}, {aset}, {int(admin)}, {int(do is not None)}, '
          f'{len(do or [])}, {arr(do)}, {int(dump is not None)}, {len(dump or [])}, {arr(dump)} }},')
    p("};")
    p(f"#define FZ_N_CMDS {len(cmds)}")
    p(f"#define FZ_MAX_CMD {max_cmd}")

    table, prose = errnos_rst(a.rst)
    uapi = errnos_uapi(a.uapi)
    doc = list(table)
    for e in uapi:
        if e not in doc:
            doc.append(e)
    extra = [e for e in prose if e not in doc]
    p("/* errnos of the errno table (mfwd.rst \"Errors\") and of mfwd.h's comment */")
    p("static const struct fz_errno fz_errnos_doc[] = {")
    for e in doc:
        p(f'\t{{ {e}, "{e}" }},')
    p("};")
    p("/* errnos the API chapter of mfwd.rst names outside the errno table */")
    p("static const struct fz_errno fz_errnos_prose[] = {")
    for e in extra:
        p(f'\t{{ {e}, "{e}" }},')
    p("\t{ 0, NULL }")
    p("};")
    p(f"#define FZ_N_ERRNOS_DOC {len(doc)}")
    p(f"#define FZ_N_ERRNOS_PROSE {len(extra)}")

    text = "\n".join(o) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
