#!/usr/bin/env python3
"""Re-derive the on-disk format facts recorded in docs/format.md from the
installed deltacat package itself (run in the interop venv).

    venv-interop/bin/python tests/interop/verify_format_claims.py [GOLDEN_CATALOG_DIR]

Every check prints `PASS <name>` or `FAIL <name>: <details>`; the exit code is
the number of failures.  With a catalog directory, structural checks are also
run against that catalog (name-dir SHA-1s, rev-dir buckets, txn buckets,
relative manifest URLs, sentinel parent locators, ...).
"""
from __future__ import annotations

import base64
import hashlib
import os
import struct
import sys
import tempfile
import uuid
from datetime import datetime, timezone

os.environ.setdefault("DELTACAT_CONFIG_PATH", os.path.join(tempfile.mkdtemp(), "config.yaml"))

import msgpack  # noqa: E402
import pyarrow as pa  # noqa: E402

import deltacat as dc  # noqa: E402
from deltacat.constants import UNSIGNED_INT32_MAX_VALUE  # noqa: E402
from deltacat.storage.model.metafile import MetafileRevisionInfo  # noqa: E402
from deltacat.storage.model.namespace import NamespaceLocator  # noqa: E402
from deltacat.storage.model.partition import (  # noqa: E402
    PartitionLocatorAlias,
    UNPARTITIONED_SCHEME_ID,
)
from deltacat.storage.model.schema import (  # noqa: E402
    Field,
    Schema,
    _encode_metadata_value,
)
from deltacat.storage.model.stream import StreamLocatorAlias  # noqa: E402
from deltacat.storage.model.table import TableLocator  # noqa: E402
from deltacat.storage.model.table_version import TableVersionLocator  # noqa: E402
from deltacat.storage.model.types import DeltaType, TransactionOperationType  # noqa: E402
from deltacat.types.media import CONTENT_TYPE_TO_EXT, CONTENT_ENCODING_TO_EXT, ContentType, ContentEncoding  # noqa: E402
from deltacat.utils.filesystem import (  # noqa: E402
    epoch_timestamp_partition_transform,
    exponential_partition_transform,
    parse_exponential_partitions,
)

FAILS = []


def check(name, cond, details=""):
    if cond:
        print(f"PASS {name}")
    else:
        print(f"FAIL {name}: {details}")
        FAILS.append(name)


def sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def package_checks():
    check("package version", dc.__version__ == "2.0.0.post4", dc.__version__)

    # --- name-resolution digests -------------------------------------------
    check("namespace name dir = sha1(name)", NamespaceLocator.of("sales").hexdigest() == sha1("sales") == "59248c4dae276a021cb296d2ee0e6a0c962a8d7f")
    check("table name dir = sha1(table name) (no parent component)", TableLocator.at("sales", "orders").hexdigest() == sha1("orders"))
    check("namespace 'default' digest", sha1("default") == "7505d64a54e061b7acd54ccd58b49dc43500b635")

    class _S(dict):  # minimal stand-ins for Stream / Partition
        pass

    from deltacat.storage.model.stream import Stream
    from deltacat.storage.model.partition import Partition, PartitionLocator
    from deltacat.storage.model.types import CommitState
    st = Stream.of(locator=None, partition_scheme=None, state=CommitState.COMMITTED)
    st["streamLocator"] = {"format": "deltacat"}
    alias = StreamLocatorAlias.of(st)
    check("stream alias dir = sha1(format)", alias.hexdigest() == sha1("deltacat") == "8783dc5c5ecd47bd6265e89a5294778a579bf43b")
    st_staged = Stream.of(locator=None, partition_scheme=None, state=CommitState.STAGED)
    check("staged stream has no alias", StreamLocatorAlias.of(st_staged) is None)

    for values, scheme, expect in [
        (None, UNPARTITIONED_SCHEME_ID, "None|deadbeef-7277-49a4-a195-fdc8ed235d42"),
        ([], UNPARTITIONED_SCHEME_ID, "None|deadbeef-7277-49a4-a195-fdc8ed235d42"),
        (["it's"], "s", "[\"it's\"]|s"),
        ([1, "x"], "s", "[1, 'x']|s"),
        ([True, None, 1.5], "s", "[True, None, 1.5]|s"),
    ]:
        p = Partition.of(
            locator=PartitionLocator.of(None, values, "pid"),
            content_types=None,
            state=CommitState.COMMITTED,
            partition_scheme_id=scheme,
        )
        a = PartitionLocatorAlias.of(p)
        check(f"partition alias canonical for {values!r}", a.canonical_string() == expect and a.hexdigest() == sha1(expect),
              f"{a.canonical_string()!r}")
    check("unpartitioned alias digest", sha1("None|deadbeef-7277-49a4-a195-fdc8ed235d42") == "618205b78748d2b5cc6ff3344257f6b1a0335c29")
    check("empty partition values normalized to None in locator", PartitionLocator.of(None, [], "x")["partitionValues"] is None)

    # --- exponential rev buckets --------------------------------------------
    cases = {1: ["1000000", "1000"], 1000: ["1000000", "1000"], 1001: ["1000000", "2000"],
             1_000_000: ["1000000", "1000000"], 1_000_001: ["2000000", "1000"], 1_234_567: ["2000000", "235000"]}
    for r, exp in cases.items():
        check(f"exponential_partition_transform({r})", exponential_partition_transform(r) == exp, exponential_partition_transform(r))
    check("parse_exponential_partitions([2000000, 235000]) == 1235000", parse_exponential_partitions(["2000000", "235000"]) == 1_235_000)

    # --- revision file names --------------------------------------------------
    mri = MetafileRevisionInfo()
    mri.revision, mri.txn_op_type, mri.txn_id, mri.dir_path, mri.extension = 7, TransactionOperationType.UPDATE, "1_abc", "/d", ".mpk"
    check("revision file name format", mri.file_name == "00000000000000000007_update_1_abc.mpk", mri.file_name)
    p = MetafileRevisionInfo.parse("/x/00000000000000000003_replace_1795503279288466258_96138eb8-3ec5-4391-88e7-fa0fb68f982a.a12e7fe9-2c30-4123-9665-c357f37aed8c")
    check("mapping file parse (extension = target id)", p.revision == 3 and p.txn_op_type == "replace" and p.extension == ".a12e7fe9-2c30-4123-9665-c357f37aed8c")

    # --- txn minute buckets ---------------------------------------------------
    minute = 1_795_503_240 * 10**9  # an exact minute boundary (2026-11-24T06:54:00Z)
    assert (minute // 10**9) % 60 == 0
    naive = lambda ns: datetime.fromtimestamp(ns // 10**9, tz=timezone.utc).strftime("%Y/%m/%d/%H/%M").split("/")
    rolled = [d for d in range(1, 3000) if epoch_timestamp_partition_transform(minute - d) != naive(minute - d)]
    check("minute bucket: python float path rolls over only within ~600ns before a minute",
          rolled and max(rolled) < 1000 and rolled == list(range(1, max(rolled) + 1)),
          f"rolled-over offsets: {rolled[:3]}..{rolled[-3:] if rolled else ''}")
    print(f"INFO minute-boundary rollover window for {minute}: start_ns in [minute-{max(rolled) if rolled else 0}, minute-1]")

    # --- schema serialization ---------------------------------------------------
    s = Schema.of([Field.of(pa.field("a", pa.int64()), is_merge_key=True)])
    blob = s.serialize().to_pybytes()
    check("schema bytes = encapsulated IPC Schema message (0xFFFFFFFF + int32 len, no EOS)",
          blob[:4] == b"\xff\xff\xff\xff" and int.from_bytes(blob[4:8], "little") + 8 == len(blob) and len(blob) % 8 == 0,
          blob[:8].hex())
    check("schema round-trips via pyarrow.ipc.read_schema", pa.ipc.read_schema(pa.py_buffer(blob)).equals(s.arrow, check_metadata=True))
    md = pa.ipc.read_schema(pa.py_buffer(blob)).field("a").metadata
    check("merge key flag stored as b'True'", md.get(b"DELTACAT:merge_key") == b"True", md)
    check("field id stored as decimal text", md.get(b"PARQUET:field_id") == b"0", md)
    check("merge key forces consistency_type=validate", md.get(b"DELTACAT:consistency_type") == b"validate", md)
    smd = s.arrow.metadata
    check("schema metadata schema_id='0', subschemas='gA=='", smd[b"DELTACAT:schema_id"] == b"0" and smd[b"DELTACAT:subschemas"] == b"gA==", smd)
    check("merge_order encoding", _encode_metadata_value(["ascending", "at_end"]) == b"kqlhc2NlbmRpbmemYXRfZW5k")
    check("float default encoding = base64(msgpack float64)", _encode_metadata_value(1.5) == base64.b64encode(b"\xcb" + struct.pack(">d", 1.5)) == b"yz/4AAAAAAAA")

    # --- enums / misc -------------------------------------------------------------
    check("str-Enum values pack as plain msgpack str", msgpack.dumps(DeltaType.ADD) == msgpack.dumps("add"))
    check("parquet data file extension is .pq", CONTENT_TYPE_TO_EXT[ContentType.PARQUET] == ".pq")
    check("gzip encoding extension is .gz", CONTENT_ENCODING_TO_EXT[ContentEncoding.GZIP] == ".gz")
    check("deflate encoding extension is .zip (inverse-map quirk)", CONTENT_ENCODING_TO_EXT[ContentEncoding.DEFLATE] == ".zip")
    pos = [uuid.uuid4().int & (1 << 63) - 1 for _ in range(1000)]
    check("ADD stream positions are 63-bit uuid4-derived (> UINT32_MAX after redraw)", UNSIGNED_INT32_MAX_VALUE == 2**32 - 1 and max(pos) < 2**63)
    tvl = TableVersionLocator.at("n", "t", "v.0001")
    check("table version canonicalized", tvl.table_version == "v.1", tvl.table_version)


def catalog_checks(root):
    from deltacat.storage.model.metafile import Metafile
    root = os.path.abspath(root)
    n_map = n_rev = n_txn = 0
    bad = []
    for dp, dn, fn in os.walk(root):
        rel_dp = os.path.relpath(dp, root)
        parts = [] if rel_dp == "." else rel_dp.split(os.sep)
        for f in fn:
            full = os.path.join(dp, f)
            if parts[:1] == ["txn"]:
                n_txn += 1
                st = parts[1] if len(parts) > 1 else None
                if st in ("success", "failed"):
                    txn_id = parts[-1] if st == "success" else f
                    bucket = parts[2:7]
                    exp = epoch_timestamp_partition_transform(int(txn_id.split("_")[0]))
                    if bucket != exp:
                        bad.append(f"txn bucket {full}")
                    if st == "success":
                        rec = msgpack.loads(open(full, "rb").read())
                        if rec.get("end_time") != int(f) or rec.get("id") != txn_id:
                            bad.append(f"success log name/content mismatch {full}")
                        for op in rec["operations"]:
                            for pth in op.get("metafile_write_paths", []) + op.get("locator_write_paths", []):
                                if pth.startswith("/"):
                                    bad.append(f"absolute write path in {full}")
                continue
            if "rev" in parts:
                n_rev += 1
                mri = MetafileRevisionInfo.parse(full)
                if parts[-2:] != exponential_partition_transform(mri.revision):
                    bad.append(f"rev bucket {full}")
                d = msgpack.loads(open(full, "rb").read())
                cls = Metafile.get_class(d).__name__
                anc = d.get("ancestor_ids")
                obj_parts = parts[: parts.index("rev")]
                if anc != obj_parts[:-1]:
                    bad.append(f"ancestor_ids {anc} != path {obj_parts[:-1]} in {full}")
                if mri.txn_op_type != "delete":
                    own = obj_parts[-1]
                    if cls == "Table" and d["tableLocator"]["namespaceLocator"]["namespace"] != own:
                        bad.append(f"table sentinel {full}")
                    if cls in ("TableVersion", "Stream", "Partition", "Delta"):
                        loc = d[{"TableVersion": "tableVersionLocator", "Stream": "streamLocator",
                                 "Partition": "partitionLocator", "Delta": "deltaLocator"}[cls]]
                        while "tableLocator" not in loc:
                            loc = loc[[k for k in loc if k.endswith("Locator")][0]]
                        tl = loc["tableLocator"]
                        if not (tl["tableName"] == own and tl["namespaceLocator"]["namespace"] == own):
                            bad.append(f"{cls} sentinel {tl} != {own} in {full}")
                if cls == "Delta":
                    for e in (d.get("manifest") or {}).get("entries") or []:
                        if e["url"].startswith("/") or "://" in e["url"]:
                            bad.append(f"non-relative manifest url {e['url']}")
                        elif not os.path.exists(os.path.join(root, e["url"])):
                            bad.append(f"manifest url missing {e['url']}")
                continue
            if len(parts) >= 3 and len(parts[-3]) == 40 and all(c in "0123456789abcdef" for c in parts[-3]):
                n_map += 1
                if os.path.getsize(full) != 0:
                    bad.append(f"non-empty mapping {full}")
                mri = MetafileRevisionInfo.parse(full)
                if parts[-2:] != exponential_partition_transform(mri.revision):
                    bad.append(f"mapping bucket {full}")
    check(f"golden catalog structure ({n_rev} revisions, {n_map} mapping files, {n_txn} txn logs)", not bad, "\n  " + "\n  ".join(bad[:20]))


if __name__ == "__main__":
    package_checks()
    if len(sys.argv) > 1:
        catalog_checks(sys.argv[1])
    print(f"{len(FAILS)} failed")
    sys.exit(len(FAILS))
