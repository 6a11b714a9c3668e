#!/usr/bin/env python3
"""Dump every file of a DeltaCAT 2.x catalog directory in human-readable form.

Run inside the interop virtualenv (tests/interop/requirements-interop.txt):

    venv-interop/bin/python tests/interop/dump_catalog.py <catalog_root> [options]

For every file (sorted by relative path) it prints a header line

    === <relative path>  (<size> bytes)  [<kind>]

followed by a decoded view of the content:

* metafile revisions (``.../rev/<L1>/<L2>/<rev:020>_<op>_<txn_id>.mpk``):
  parsed file name, exponential-partition check, the msgpack map as JSON.
  ``bin`` values are shown as ``{"$bin": ...}``; Arrow IPC schema messages are
  additionally decoded with ``pyarrow.ipc.read_schema`` (fields, types, and
  field/schema metadata, with base64(msgpack) metadata values decoded).
* name-resolution (locator -> id mapping) files: parsed name plus a check that
  the directory name is ``sha1(canonical string)`` for one of the target
  object's revisions.
* transaction logs under ``txn/``: parsed path, minute-bucket check, msgpack
  content.
* data files: parquet schema (+ field metadata) and rows; gzip'ed text is
  decompressed.
* anything else: JSON pretty-printed or a short hex preview.

The msgpack *wire types* (fixstr/str8/uint64/bin16/...) of the first metafile
of every class and of the first transaction log are printed too, so that codec
authors can see exactly which encodings Python produces.

To keep the output small (the golden dump is ~340 KB) the default mode
* shows later revisions of the same object as a structural diff against the
  previous revision file of that object,
* pretty-prints only the first 3 metafiles of each class (later ones use wide
  single-line JSON values),
* prints each distinct Arrow schema once (later occurrences reference it by #),
* shows the full JSON of the first 2 transaction logs of each status and a
  compact one-line-per-write-operation form for the rest (read ops counted),
* abbreviates UUID *directory* names to 8 hex digits + '~' if unique.

Options:
  --full          disable all of the above (complete, verbose output).
  --normalize     replace UUIDs and 19-digit ns timestamps with stable
                  placeholders (<uuid:N>, <ts:N>) so two runs can be diffed.
  --max-rows N    max data rows printed per data file (default 10).
  --max-list N    truncate JSON lists longer than N items (default 50).
  --no-data       do not decode data files.
"""
from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import re
import struct
import sys
from datetime import datetime, timezone

import msgpack

try:
    import pyarrow as pa
    import pyarrow.ipc  # noqa: F401  (registers pa.ipc)
    import pyarrow.parquet as pq
except Exception:  # pragma: no cover - pyarrow is part of the interop venv
    pa = None

UUID_RE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
HEX40_RE = re.compile(r"^[0-9a-f]{40}$")
REV_NAME_RE = re.compile(
    r"^(?P<rev>\d{20})_(?P<op>[a-z_]+?)_(?P<txn>\d+_[0-9a-f-]{36})(?P<ext>\..*)?$"
)
TS_RE = re.compile(r"(?<!\d)\d{19}(?!\d)")
ARROW_CONT = b"\xff\xff\xff\xff"

# metadata values that are base64(msgpack(...)) in DeltaCAT schemas
B64_MSGPACK_META_KEYS = {
    b"DELTACAT:merge_order",
    b"DELTACAT:past_default",
    b"DELTACAT:future_default",
    b"DELTACAT:subschemas",
}


# --------------------------------------------------------------------------
# generic helpers
# --------------------------------------------------------------------------
def exponential_partition_transform(value: int, base: int = 1000, levels: int = 2):
    """Re-implementation of deltacat.utils.filesystem.exponential_partition_transform."""
    multipliers = []
    remaining = value
    for level in range(levels):
        divisor = base ** (levels - level)
        m = (remaining + divisor - 1) // divisor
        multipliers.append(m)
        if level < levels - 1:
            remaining = max(0, remaining - (m - 1) * divisor)
    return [str(m * base ** (levels - i)) for i, m in enumerate(multipliers)]


def minute_bucket_python(start_ns: int):
    """Exactly what deltacat.utils.filesystem.epoch_timestamp_partition_transform does."""
    dt = datetime.fromtimestamp(start_ns / 1_000_000_000, tz=timezone.utc)
    return [f"{dt.year:04d}", f"{dt.month:02d}", f"{dt.day:02d}", f"{dt.hour:02d}", f"{dt.minute:02d}"]


def minute_bucket_integer(start_ns: int):
    dt = datetime.fromtimestamp(start_ns // 1_000_000_000, tz=timezone.utc)
    return [f"{dt.year:04d}", f"{dt.month:02d}", f"{dt.day:02d}", f"{dt.hour:02d}", f"{dt.minute:02d}"]


class SchemaRegistry:
    """Dedupes Arrow IPC schema blobs so each distinct schema is printed once."""

    def __init__(self):
        self.seen = {}

    def describe(self, blob: bytes):
        digest = hashlib.sha1(blob).hexdigest()
        if digest in self.seen:
            return {
                "$arrow_ipc_schema": f"same bytes as schema #{self.seen[digest]} (sha1 {digest})",
                "len": len(blob),
            }
        idx = len(self.seen) + 1
        self.seen[digest] = idx
        out = {
            "$arrow_ipc_schema": f"#{idx} sha1 {digest}",
            "len": len(blob),
            "first_16_bytes_hex": blob[:16].hex(),
        }
        try:
            schema = pa.ipc.read_schema(pa.py_buffer(blob))
            out["decoded"] = describe_arrow_schema(schema)
        except Exception as e:  # pragma: no cover
            out["decode_error"] = repr(e)
        return out


def decode_meta_value(key: bytes, value: bytes):
    if key in B64_MSGPACK_META_KEYS:
        try:
            decoded = msgpack.unpackb(base64.b64decode(value), raw=False, strict_map_key=False)
            return {"raw": value.decode("utf-8", "replace"), "base64_msgpack_decoded": to_jsonable(decoded, None)}
        except Exception:
            pass
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return {"hex": value.hex()}


def describe_arrow_schema(schema):
    fields = []
    for f in schema:
        fd = {
            "name": f.name,
            "type": str(f.type),
            "nullable": f.nullable,
        }
        if f.metadata:
            fd["metadata"] = {
                k.decode("utf-8", "replace"): decode_meta_value(k, v)
                for k, v in f.metadata.items()
            }
        fields.append(fd)
    out = {"fields": fields}
    if schema.metadata:
        out["metadata"] = {
            k.decode("utf-8", "replace"): decode_meta_value(k, v)
            for k, v in schema.metadata.items()
        }
    return out


SCHEMAS = SchemaRegistry()
MAX_LIST = 50
FULL = False  # --full: no revision diffs / read-op elision
TXN_COUNT = {}
CLASS_COUNT = {}
PARQUET_SCHEMAS = {}
ABBREV_OK = False


def iter_bins(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from iter_bins(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from iter_bins(v)
    elif isinstance(obj, bytes):
        yield obj


def to_jsonable(obj, registry: SchemaRegistry | None = SCHEMAS, digest_bins: bool = False):
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                k = f"$nonstr_key:{type(k).__name__}:{k!r}"
            out[k] = to_jsonable(v, registry, digest_bins)
        return out
    if isinstance(obj, (list, tuple)):
        items = [to_jsonable(v, registry, digest_bins) for v in obj]
        if len(items) > MAX_LIST:
            items = items[:MAX_LIST] + [f"... {len(obj) - MAX_LIST} more items truncated"]
        return items
    if isinstance(obj, bytes):
        if digest_bins:
            return {"$bin": {"sha1": hashlib.sha1(obj).hexdigest(), "len": len(obj)}}
        if registry is not None and obj.startswith(ARROW_CONT) and pa is not None:
            return {"$bin": registry.describe(obj)}
        return {"$bin_base64": base64.b64encode(obj).decode(), "len": len(obj)}
    if isinstance(obj, float):
        return {"$float": repr(obj)}
    return obj


def has_nonstr_keys(obj) -> bool:
    if isinstance(obj, dict):
        return any(not isinstance(k, str) for k in obj) or any(has_nonstr_keys(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(has_nonstr_keys(v) for v in obj)
    return False


def unpack(data: bytes):
    """msgpack-decode like Python DeltaCAT (msgpack.loads defaults), but tolerant."""
    strict_ok = True
    try:
        obj = msgpack.unpackb(data, raw=False)
    except Exception:
        strict_ok = False
        obj = msgpack.unpackb(data, raw=False, strict_map_key=False)
    return obj, strict_ok


# --------------------------------------------------------------------------
# msgpack wire-type walker (annotates which encodings Python emitted)
# --------------------------------------------------------------------------
class Wire:
    def __init__(self, data: bytes):
        self.b = data
        self.i = 0
        self.lines = []

    def u(self, n):
        v = int.from_bytes(self.b[self.i:self.i + n], "big")
        self.i += n
        return v

    def walk(self, path="$"):
        t = self.b[self.i]
        self.i += 1
        def emit(name, val=None):
            self.lines.append(f"{path}: {name}" + ("" if val is None else f" = {val}"))
        if t <= 0x7F:
            emit("positive fixint", t)
        elif 0x80 <= t <= 0x8F or t in (0xDE, 0xDF):
            n = t & 0x0F if t <= 0x8F else self.u(2 if t == 0xDE else 4)
            emit({True: "fixmap"}.get(t <= 0x8F, "map16" if t == 0xDE else "map32") + f"[{n}]")
            for _ in range(n):
                key, kenc = self._read_key()
                self.walk(path + f".{key}" + ("" if kenc == "fixstr" else f" (key encoded as {kenc})"))
        elif 0x90 <= t <= 0x9F or t in (0xDC, 0xDD):
            n = t & 0x0F if t <= 0x9F else self.u(2 if t == 0xDC else 4)
            emit(("fixarray" if t <= 0x9F else ("array16" if t == 0xDC else "array32")) + f"[{n}]")
            for j in range(n):
                self.walk(path + f"[{j}]")
        elif 0xA0 <= t <= 0xBF or t in (0xD9, 0xDA, 0xDB):
            if t <= 0xBF:
                n, name = t & 0x1F, "fixstr"
            else:
                n = self.u({0xD9: 1, 0xDA: 2, 0xDB: 4}[t])
                name = {0xD9: "str8", 0xDA: "str16", 0xDB: "str32"}[t]
            s = self.b[self.i:self.i + n].decode("utf-8", "replace")
            self.i += n
            emit(name, json.dumps(s if len(s) < 60 else s[:57] + "..."))
        elif t in (0xC4, 0xC5, 0xC6):
            n = self.u({0xC4: 1, 0xC5: 2, 0xC6: 4}[t])
            self.i += n
            emit({0xC4: "bin8", 0xC5: "bin16", 0xC6: "bin32"}[t], f"<{n} bytes>")
        elif t == 0xC0:
            emit("nil")
        elif t == 0xC2:
            emit("false")
        elif t == 0xC3:
            emit("true")
        elif t in (0xCC, 0xCD, 0xCE, 0xCF):
            n = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}[t]
            emit({0xCC: "uint8", 0xCD: "uint16", 0xCE: "uint32", 0xCF: "uint64"}[t], self.u(n))
        elif t in (0xD0, 0xD1, 0xD2, 0xD3):
            n = {0xD0: 1, 0xD1: 2, 0xD2: 4, 0xD3: 8}[t]
            v = int.from_bytes(self.b[self.i:self.i + n], "big", signed=True)
            self.i += n
            emit({0xD0: "int8", 0xD1: "int16", 0xD2: "int32", 0xD3: "int64"}[t], v)
        elif t >= 0xE0:
            emit("negative fixint", t - 256)
        elif t == 0xCA:
            emit("float32", struct.unpack(">f", self.b[self.i:self.i + 4])[0]); self.i += 4
        elif t == 0xCB:
            emit("float64", struct.unpack(">d", self.b[self.i:self.i + 8])[0]); self.i += 8
        else:
            emit(f"EXT/unknown 0x{t:02x}")
            raise ValueError("ext types are not expected in DeltaCAT files")

    def _read_key(self):
        """Consume a map key; return (text, encoding name). Non-str keys are walked generically."""
        t = self.b[self.i]
        if 0xA0 <= t <= 0xBF or t == 0xD9:
            if t == 0xD9:
                n, hdr, enc = self.b[self.i + 1], 2, "str8"
            else:
                n, hdr, enc = t & 0x1F, 1, "fixstr"
            key = self.b[self.i + hdr:self.i + hdr + n].decode("utf-8", "replace")
            self.i += hdr + n
            return key, enc
        start = len(self.lines)
        self.walk("<non-str key>")
        return f"<{self.lines[start]}>", "NON-STRING"


def wire_types(data: bytes) -> str:
    w = Wire(data)
    w.walk()
    if w.i != len(data):
        w.lines.append(f"!! {len(data) - w.i} trailing bytes after the top-level object")
    return "\n".join(w.lines)


# --------------------------------------------------------------------------
# classification
# --------------------------------------------------------------------------
METAFILE_KEYS = [
    ("tableLocator", "Table"),
    ("namespaceLocator", "Namespace"),
    ("tableVersionLocator", "TableVersion"),
    ("partitionLocator", "Partition"),
    ("streamLocator", "Stream"),
    ("deltaLocator", "Delta"),
]


def metafile_class(d: dict) -> str:
    for key, cls in METAFILE_KEYS:  # same precedence as Metafile.get_class
        if key in d:
            return cls
    return "UNKNOWN"


def parse_rev_name(name: str):
    m = REV_NAME_RE.match(name)
    if not m:
        return None
    return {
        "revision": int(m.group("rev")),
        "op": m.group("op"),
        "txn_id": m.group("txn"),
        "ext": m.group("ext"),
    }


def check_exponential(parts, rel, rev):
    # parts: path components; rev file is parts[-1]; L1/L2 are parts[-3], parts[-2]
    expected = exponential_partition_transform(rev)
    actual = parts[-3:-1]
    return "OK" if actual == expected else f"MISMATCH expected {expected} got {actual}"


def canonical_names_for_target(root, target_dir):
    """All canonical strings (mutable names/aliases) of all revisions of the target object."""
    names = set()
    rev_dir = os.path.join(root, target_dir, "rev")
    for dirpath, _, files in os.walk(rev_dir):
        for f in files:
            try:
                d, _ = unpack(open(os.path.join(dirpath, f), "rb").read())
            except Exception:
                continue
            cls = metafile_class(d)
            if cls == "Namespace":
                names.add(str(d["namespaceLocator"].get("namespace")))
            elif cls == "Table":
                names.add(str(d["tableLocator"].get("tableName")))
            elif cls == "Stream":
                names.add(str(d["streamLocator"].get("format")))
            elif cls == "Partition":
                pl = d["partitionLocator"]
                names.add(f"{str(pl.get('partitionValues'))}|{d.get('partitionSchemeId')}")
    return names


def verify_mapping(root, rel_parts, target_id):
    # rel_parts: [... parent dirs ..., <sha1 dir>, L1, L2, file]
    sha_dir = rel_parts[-4]
    parent = rel_parts[:-4]
    target_dir = os.path.join(*(parent + [target_id])) if parent else target_id
    cands = canonical_names_for_target(root, target_dir)
    matches = [c for c in sorted(cands) if hashlib.sha1(c.encode("utf-8")).hexdigest() == sha_dir]
    if matches:
        return f"name dir == sha1({json.dumps(matches[0])})  [verified against the target's revisions]"
    if not cands:
        return f"target {target_dir} has no readable revisions (cannot verify)"
    return f"NO MATCH among target names {sorted(cands)}"


def classify(rel: str):
    parts = rel.split("/")
    name = parts[-1]
    if parts[0] == "version":
        return "version-marker"
    if parts[0] == "txn" and len(parts) >= 3:
        return f"txn-log:{parts[1]}"
    if parts[0] == "data":
        return "data-file"
    if "rev" in parts[:-1]:
        return "metafile-revision"
    if len(parts) >= 4 and HEX40_RE.match(parts[-4]) and parse_rev_name(name):
        return "name-mapping"
    if len(parts) >= 2 and HEX40_RE.match(parts[-2]) and parse_rev_name(name):
        return "name-mapping(legacy-flat)"
    if name.endswith(".json"):
        return "json"
    return "other"


# --------------------------------------------------------------------------
# per-kind printers
# --------------------------------------------------------------------------
def jdump(obj, indent: int = 0, width: int = 150) -> str:
    """Compact pretty-printer: containers that fit in `width` chars stay on one line."""
    one = json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
    if len(one) + indent <= width or not isinstance(obj, (dict, list)) or not obj:
        return one
    pad = " " * (indent + 2)
    if isinstance(obj, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {jdump(v, indent + 2, width)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + jdump(v, indent + 2, width) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def json_diff(a, b, path="$", out=None):
    """Recursive structural diff of two JSON-able values -> list of lines."""
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                out.append(f"{path}.{k}: removed")
        for k in b:
            if k not in a:
                out.append(f"{path}.{k}: added = {short(b[k])}")
            elif a[k] != b[k]:
                json_diff(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                json_diff(x, y, f"{path}[{i}]", out)
    else:
        out.append(f"{path}: {short(a)} -> {short(b)}")
    return out


def short(v, n=300):
    t = json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    return t if len(t) <= n else t[: n - 3] + "..."


LAST_REVISION = {}  # object dir -> (file name, jsonable content)


def dump_metafile(root, rel, data, out, wire_done):
    parts = rel.split("/")
    info = parse_rev_name(parts[-1])
    obj, strict_ok = unpack(data)
    cls = metafile_class(obj) if isinstance(obj, dict) else "NOT-A-MAP"
    line = f"  class: {cls}"
    if info:
        line += f"  revision={info['revision']} op={info['op']} ext={info['ext']}"
        rev_idx = parts.index("rev")
        if len(parts) - rev_idx == 4:
            line += f"  rev dirs {parts[-3]}/{parts[-2]}: {check_exponential(parts, rel, info['revision'])}"
        else:
            line += "  layout: legacy (unpartitioned) revision file"
    line += f"  strict msgpack decode: {'OK' if strict_ok else 'FAILS (non-str map keys present)'}"
    out.append(line)
    if cls not in wire_done:
        wire_done.add(cls)
        out.append(f"  -- msgpack wire types (first {cls} in this dump; map keys are fixstr unless noted) --")
        out.extend("    " + line for line in wire_types(data).splitlines())
    obj_dir = "/".join(parts[: parts.index("rev")]) if "rev" in parts else rel
    prev = LAST_REVISION.get(obj_dir)
    digest_view = to_jsonable(obj, registry=None, digest_bins=True)
    LAST_REVISION[obj_dir] = (parts[-1], digest_view)
    if prev is not None and not FULL:
        diff = json_diff(prev[1], digest_view)
        out.append(f"  content: identical to previous revision file {prev[0][:26]}... except:" if diff
                   else f"  content: identical to previous revision file {prev[0][:26]}...")
        out.extend("    " + d for d in diff)
        # describe any Arrow schema blob not printed before
        for blob in iter_bins(obj):
            if blob.startswith(ARROW_CONT) and hashlib.sha1(blob).hexdigest() not in SCHEMAS.seen:
                out.append("    new Arrow schema: " + short(SCHEMAS.describe(blob), 4000))
        return
    content = to_jsonable(obj)
    CLASS_COUNT[cls] = CLASS_COUNT.get(cls, 0) + 1
    # the first 3 metafiles of each class are pretty-printed; later ones use wide lines
    out.append(jdump(content, width=150 if FULL or CLASS_COUNT[cls] <= 3 else 400))


def dump_mapping(root, rel, data, out):
    parts = rel.split("/")
    name = parts[-1]
    info = parse_rev_name(name)
    target = name.rsplit(".", 1)[1] if "." in name else None
    line = f"  revision={info['revision']} op={info['op']} target_id={target}"
    if len(parts) >= 4 and HEX40_RE.match(parts[-4]):
        line += f"  rev dirs {parts[-3]}/{parts[-2]}: {check_exponential(parts, rel, info['revision'])}"
        out.append(line)
        out.append("  " + verify_mapping(root, parts, target))
    else:
        out.append(line)
    if data:
        out.append(f"  !! non-empty mapping file: {data[:64]!r}")


def dump_txn(root, rel, data, out, wire_done):
    parts = rel.split("/")
    status = parts[1]
    txn_id = None
    line = ""
    if status == "success" and len(parts) == 9:
        txn_id, end = parts[7], parts[8]
        line = f"  success log: end_time(file name)={end}"
    elif status == "failed" and len(parts) == 8:
        txn_id = parts[7]
        line = "  failed log"
    elif status in ("running", "paused") and len(parts) == 3:
        txn_id = parts[2]
        line = f"  {status} log (flat, not time-bucketed)"
    else:
        out.append("  !! unexpected txn path layout (legacy flat success/failed?)")
    if txn_id and status in ("success", "failed"):
        start = int(txn_id.split("_")[0])
        py = minute_bucket_python(start)
        it = minute_bucket_integer(start)
        if py == parts[2:7] and py == it:
            line += f"; bucket {'/'.join(py)} = UTC minute of start_time: OK"
        else:
            line += (f"; bucket check: python(float)={'/'.join(py)} integer={'/'.join(it)} path={'/'.join(parts[2:7])}"
                     + ("" if py == parts[2:7] else "  !! MISMATCH"))
    obj, strict_ok = unpack(data)
    line += f"; strict msgpack decode: {'OK' if strict_ok else 'FAILS'}"
    out.append(line)
    key = f"txn:{status}"
    if key not in wire_done:
        wire_done.add(key)
        out.append(f"  -- msgpack wire types (first {status} txn log in this dump; map keys are fixstr unless noted) --")
        out.extend("    " + line for line in wire_types(data).splitlines())
    content = to_jsonable(obj)
    TXN_COUNT[status] = TXN_COUNT.get(status, 0) + 1
    if FULL or TXN_COUNT[status] <= 2 or not isinstance(content, dict) or not isinstance(content.get("operations"), list):
        out.append(jdump(content))
        return
    # compact form: top-level scalars on one line, then one block per *write* operation
    top = {k: v for k, v in content.items() if k != "operations"}
    shown = {k: v for k, v in top.items()
             if not (k == "_time_provider" and v == {"type": "TransactionSystemTimeProvider", "params": {}})
             and k not in ("catalog_root_normalized", "id")}
    out.append("  record (minus operations, id, catalog_root_normalized, default _time_provider): " + short(shown, 2000))
    elided = {}
    for i, op in enumerate(content["operations"]):
        if not isinstance(op, dict):
            out.append(f"  op[{i}] {short(op)}")
            continue
        typ = op.get("type")
        if str(typ).startswith("read_"):
            elided[typ] = elided.get(typ, 0) + 1
            continue
        dest = op.get("dest_metafile") or {}
        src = op.get("src_metafile")
        out.append(f"  op[{i}] {typ} {locator_summary(dest.get('locator'))} dest.id={dest.get('id')}"
                   + (f" alias={locator_summary(dest.get('locator_alias'))}" if dest.get("locator_alias") else "")
                   + (f" src.id={src.get('id')}" if isinstance(src, dict) else " src=null")
                   + (f" read_limit={op.get('read_limit')}" if op.get("read_limit") is not None else ""))
        for key in ("metafile_write_paths", "locator_write_paths"):
            for pth in op.get(key) or []:
                shown = abbrev_path(pth)
                if top.get("id"):
                    shown = shown.replace(str(top["id"]), "<this txn>")
                out.append(f"      {key}: {shown}")
    if elided:
        out.append(f"  read operations elided (see the first two logs of this status for their shape): {short(elided)}")


def locator_summary(loc) -> str:
    """One-token rendering of a (real-name) locator as found in txn logs."""
    if not isinstance(loc, dict):
        return short(loc, 120)
    def ns(l):
        return (l or {}).get("namespace")
    def tbl(l):
        l = l or {}
        return f"{ns(l.get('namespaceLocator'))}.{l.get('tableName')}"
    def tv(l):
        l = l or {}
        return f"{tbl(l.get('tableLocator'))}/v{l.get('tableVersion')}"
    def st(l):
        l = l or {}
        return f"{tv(l.get('tableVersionLocator'))}/stream:{str(l.get('streamId'))[:8]}({l.get('format')})"
    def pt(l):
        l = l or {}
        return f"{st(l.get('streamLocator'))}/partition:{str(l.get('partitionId'))[:8]}:{short(l.get('partitionValues'), 60)}"
    if "partitionLocator" in loc and "streamPosition" in loc:
        return f"Delta[{pt(loc['partitionLocator'])}/pos:{loc['streamPosition']}]"
    if "partitionId" in loc:
        return f"Partition[{pt(loc)}]"
    if "streamId" in loc:
        return f"Stream[{st(loc)}]"
    if "tableVersion" in loc:
        return f"TableVersion[{tv(loc)}]"
    if "tableName" in loc:
        return f"Table[{tbl(loc)}]"
    if "namespace" in loc:
        return f"Namespace[{ns(loc)}]"
    if "partition_values" in loc:
        return f"PartitionAlias[{short(loc.get('partition_values'), 60)}|{loc.get('partition_scheme_id')} in {st(loc.get('parent'))}]"
    if "format" in loc and "parent" in loc:
        return f"StreamAlias[{loc.get('format')} in {tv(loc.get('parent'))}]"
    return short(loc, 200)


def abbrev_path(pth: str) -> str:
    """Shorten directory components that are exactly a UUID to their first 8 hex digits + '~'."""
    if not ABBREV_OK:
        return pth
    parts = pth.split("/")
    return "/".join([p[:8] + "~" if UUID_RE.fullmatch(p) else p for p in parts[:-1]] + parts[-1:])


def dump_data(root, rel, data, out, max_rows):
    name = rel.rsplit("/", 1)[-1]
    try:
        if name.endswith((".pq", ".parquet")):
            pf = pq.ParquetFile(io.BytesIO(data))
            t = pf.read()
            out.append(f"  parquet: rows={t.num_rows} row_groups={pf.num_row_groups} created_by={pf.metadata.created_by!r}")
            desc = jdump(describe_arrow_schema(t.schema)) + "\n  parquet thrift schema:\n    " + "\n    ".join(
                ln for ln in str(pf.schema).splitlines()[1:] if ln.strip())
            if desc in PARQUET_SCHEMAS:
                out.append(f"  arrow + parquet schema: same as data file schema #{PARQUET_SCHEMAS[desc]}")
            else:
                PARQUET_SCHEMAS[desc] = len(PARQUET_SCHEMAS) + 1
                out.append(f"  arrow schema stored in parquet (data file schema #{PARQUET_SCHEMAS[desc]}):")
                out.append(desc)
            rows = t.slice(0, max_rows).to_pylist()
            out.append(f"  rows (first {min(max_rows, t.num_rows)}):")
            for r in rows:
                out.append("    " + json.dumps(r, default=str, ensure_ascii=False))
        elif name.endswith(".gz"):
            text = gzip.decompress(data).decode("utf-8", "replace")
            lines = text.splitlines()
            out.append(f"  gzip-decompressed text ({len(lines)} lines):")
            out.extend("    " + ln for ln in lines[: max_rows + 1])
        else:
            out.append(f"  hex preview: {data[:64].hex()}")
    except Exception as e:
        out.append(f"  !! could not decode data file: {e!r}")


def normalize(text: str) -> str:
    uuids, tss = {}, {}

    def ru(m):
        return uuids.setdefault(m.group(0), f"<uuid:{len(uuids) + 1}>")

    def rt(m):
        return tss.setdefault(m.group(0), f"<ts:{len(tss) + 1}>")

    text = UUID_RE.sub(ru, text)
    text = TS_RE.sub(rt, text)
    return text


def main(argv=None):
    global MAX_LIST, FULL
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root")
    ap.add_argument("--normalize", action="store_true")
    ap.add_argument("--max-rows", type=int, default=10)
    ap.add_argument("--max-list", type=int, default=50)
    ap.add_argument("--no-data", action="store_true")
    ap.add_argument("--full", action="store_true",
                    help="print every revision in full (default: later revisions of an object are shown as a diff "
                         "against the previous revision file, only the first 3 metafiles of a class are pretty-printed, "
                         "read operations are elided from all but the first 2 transaction logs of each status, and "
                         "UUID directory names are abbreviated)")
    ap.add_argument("--json-max-chars", type=int, default=6000,
                    help="truncate non-metadata JSON files (e.g. compaction audits) to N chars")
    args = ap.parse_args(argv)
    MAX_LIST = args.max_list
    FULL = args.full
    root = os.path.abspath(args.root)

    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        for f in filenames:
            full = os.path.join(dirpath, f)
            files.append(os.path.relpath(full, root).replace(os.sep, "/"))
    files.sort()

    out = []
    try:
        import deltacat  # noqa
        dcv = deltacat.__version__
    except Exception:
        dcv = "n/a"
    out.append(f"# DeltaCAT catalog dump of {os.path.basename(root)}")
    out.append(f"# dumper: deltacat {dcv}, pyarrow {pa.__version__ if pa else 'n/a'}, msgpack {'.'.join(map(str, msgpack.version))}")
    out.append(f"# {len(files)} files")
    out.append("")
    # abbreviate UUID directory names to 8 hex digits + "~" when those prefixes are unique
    global ABBREV_OK
    all_uuids = {u for rel in files for u in UUID_RE.findall(rel)}
    ABBREV_OK = len({u[:8] for u in all_uuids}) == len(all_uuids) and not args.normalize
    kinds = {}
    for rel in files:
        kinds[classify(rel)] = kinds.get(classify(rel), 0) + 1
    out.append("## Files per kind: " + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items())))
    if FULL:
        out.append("")
        out.append("## File list (size in bytes, relative path)")
        for rel in files:
            out.append(f"{os.path.getsize(os.path.join(root, rel)):>8}  {rel}")
    else:
        out.append("## Every file appears below as '=== <relative path>  (<size> bytes)  [<kind>]', sorted by the full path.")
        if ABBREV_OK:
            out.append("## UUID *directory* names in those headers (and in compact txn-log paths) are abbreviated to their"
                       " first 8 hex digits + '~' (unique in this catalog); file names are never abbreviated."
                       " Use --full for full paths.")
    out.append("")
    out.append("## File contents")
    wire_done = set()
    for rel in files:
        full = os.path.join(root, rel)
        data = open(full, "rb").read()
        kind = classify(rel)
        out.append("")
        out.append(f"=== {rel if (FULL or not ABBREV_OK) else abbrev_path(rel)}  ({len(data)} bytes)  [{kind}]")
        try:
            if kind == "version-marker":
                name = rel.split("/")[-1]
                ver, _, start = name.rpartition(".")
                out.append(f"  version={ver} starting_from={start}" + ("" if not data else f"  !! non-empty ({len(data)} bytes)"))
            elif kind.startswith("txn-log"):
                dump_txn(root, rel, data, out, wire_done)
            elif kind == "metafile-revision":
                dump_metafile(root, rel, data, out, wire_done)
            elif kind.startswith("name-mapping"):
                dump_mapping(root, rel, data, out)
            elif kind == "data-file":
                if not args.no_data:
                    dump_data(root, rel, data, out, args.max_rows)
            elif kind == "json":
                text = data.decode("utf-8", "replace")
                try:
                    text = json.dumps(json.loads(text), indent=1, sort_keys=True)
                except Exception:
                    pass
                if len(text) > args.json_max_chars:
                    text = text[: args.json_max_chars] + f"\n... truncated ({len(text)} chars total)"
                out.append(text)
            else:
                out.append(f"  hex preview: {data[:64].hex()}")
        except Exception as e:
            out.append(f"  !! failed to decode: {e!r}")
    text = "\n".join(out) + "\n"
    if args.normalize:
        text = normalize(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
