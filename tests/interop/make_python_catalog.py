#!/usr/bin/env python3
"""Build a DeltaCAT catalog with the *real* Python package (deltacat 2.0.0.post4).

Run inside the interop virtualenv (see requirements-interop.txt):

    venv-interop/bin/python tests/interop/make_python_catalog.py OUT_DIR [--many-deltas N]

OUT_DIR must not exist (or be empty).  The catalog root is OUT_DIR itself.  A
scenario log (what was done, transaction ids, end times, read-back results) is
written next to it as OUT_DIR + ".scenarios.json" (NOT inside the catalog, so
the catalog contains only files written by deltacat).

The scenarios follow section 12 of shared/reference/storage-format.md as far as
they can be produced through Python's public API:

  S01 bootstrap (version marker, txn dirs, `default` namespace)
  S02 namespace CRUD: create ns1 (+properties), update properties, rename
      ns1->ns2, drop ns2, re-create ns1 (new UUID)
  S03 table with schema: merge key, docs, past/future defaults, merge order;
      table/table-version properties & descriptions; a table whose schema has
      two named subschemas
  S04 MERGE (UPSERT) writes -> compaction (new partition, REPLACE commit,
      compactionRoundCompletionInfo), then DELETE mode -> compaction
  S05 table without merge keys: AUTO (APPEND pos 1), APPEND x2, ADD (random
      position), AUTO on existing table (ADD)
  S06 schema evolution: alter_table(schema_updates=add field w/ defaults)
      (schema_id 0 -> 1), then a write using the new column; automatic
      evolution by writing an extra column (schema_id 2)
  S07 rename table after data; rename namespace after data
  S08 REPLACE write mode (stage_stream + commit_stream replace, new partition)
  S09 drop table + re-create the same name
  S10 schemaless table written as CSV (gzip) and the table listing read-back
  S11 storage API: partitioned table versions (identity + bucket transforms,
      values ["us-east"], ["it's"], [1, "x"], [True, None, 1.5]), sort scheme,
      staged->committed partitions, partition-level deltas
  S12 multiple table versions + lifecycle states (v2 created, activated;
      v1 deleted via drop_table(table_version=...))
  S13 time travel: reads as of recorded end times
  S14 transaction states: failed log (storage-layer create of an existing
      namespace), abandoned running txn with leftover files, paused txn,
      paused+resumed+committed txn, commit message
  S15 concurrent conflict between two interactive transactions (loser gets
      ConcurrentModificationError and a failed log)
  S16 "leftover sorts first": an abandoned txn's `update` revision file and a
      committed `delete` revision file share revision 2 of namespace 'doomed'

Everything that can be deterministic (names, data, order of operations) is;
UUIDs and timestamps cannot be (use dump_catalog.py --normalize to diff runs).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback

# keep deltacat's persisted config & logs out of $HOME
_TMP = tempfile.mkdtemp(prefix="dc-interop-")
os.environ.setdefault("DELTACAT_CONFIG_PATH", os.path.join(_TMP, "config.yaml"))
os.environ.setdefault("DELTACAT_SYS_LOG_DIR", os.path.join(_TMP, "logs"))
os.environ.setdefault("DELTACAT_APP_LOG_DIR", os.path.join(_TMP, "logs"))
os.environ.setdefault("RAY_DEDUP_LOGS", "0")

import pyarrow as pa  # noqa: E402

import deltacat as dc  # noqa: E402
from deltacat import (  # noqa: E402
    Field,
    Schema,
    TableWriteMode,
    DatasetType,
    ContentType,
    LifecycleState,
)
from deltacat.storage import metastore  # noqa: E402
from deltacat.storage.model.partition import PartitionKey, PartitionScheme  # noqa: E402
from deltacat.storage.model.sort_key import SortKey, SortScheme  # noqa: E402
from deltacat.storage.model.transform import (  # noqa: E402
    IdentityTransform,
    BucketTransform,
    BucketTransformParameters,
)
from deltacat.storage.model.types import SortOrder, NullOrder  # noqa: E402

CAT = "interop"
LOG: dict = {"deltacat_version": dc.__version__, "pyarrow_version": pa.__version__, "scenarios": []}


def now_ns() -> int:
    return time.time_ns()


def last_txns(n=1):
    """Most recent successful transactions (id, start, end) from the catalog's own txn log."""
    t = dc.transactions(catalog_name=CAT, limit=n, read_as=DatasetType.PYARROW)
    rows = t.to_pylist()
    return [
        {
            "transaction_id": r["transaction_id"],
            "start_time": r["start_time"],
            "end_time": r["end_time"],
            "operation_types": sorted(str(x.value if hasattr(x, "value") else x) for x in (r["operation_types"] or [])),
            "commit_message": r["commit_message"],
        }
        for r in rows
    ]


class Scenario:
    def __init__(self, sid, title):
        self.rec = {"id": sid, "title": title, "steps": [], "ok": True}
        LOG["scenarios"].append(self.rec)
        print(f"--- {sid}: {title}", flush=True)

    def step(self, what, fn=None, expect_error=None, record_txn=True):
        entry = {"step": what}
        try:
            result = fn() if fn else None
            if expect_error:
                entry["unexpected_success"] = True
                self.rec["ok"] = False
            if result is not None:
                entry["result"] = result
            if record_txn and not expect_error:
                entry["txn"] = last_txns(1)[0]
        except Exception as e:  # noqa: BLE001
            if expect_error and isinstance(e, expect_error):
                entry["expected_error"] = f"{type(e).__name__}: {str(e)[:300]}"
            else:
                entry["error"] = f"{type(e).__name__}: {e}"
                entry["traceback"] = traceback.format_exc()[-2000:]
                self.rec["ok"] = False
                print(entry["traceback"], file=sys.stderr)
        self.rec["steps"].append(entry)
        print(f"    {what}: {'ERROR ' + entry['error'] if 'error' in entry else 'ok'}", flush=True)
        return entry


def rows(table_name, namespace=None, in_txn=False, **kw):
    # the catalog API refuses `catalog=` when a transaction is active (explicit or context)
    if not in_txn:
        kw["catalog"] = CAT
    t = dc.read_table(table_name, namespace=namespace, read_as=DatasetType.PYARROW, **kw)
    if isinstance(t, pa.Table):
        cols = sorted(t.column_names)
        return sorted((json.dumps({c: r.get(c) for c in cols}, default=str) for r in t.to_pylist()))
    return repr(t)


def props():
    return dc.get_catalog(CAT).inner


# ---------------------------------------------------------------------------
def s01_bootstrap(root):
    s = Scenario("S01", "bootstrap: dc.init + put_catalog creates version marker, txn dirs, namespace 'default'")
    dc.init(ray_init_args={"num_cpus": 1, "include_dashboard": False, "log_to_driver": False})
    s.step(
        "put_catalog",
        lambda: str(dc.put_catalog(CAT, dc.Catalog(config=dc.CatalogProperties(root=root)), default=True)),
    )
    s.step("list_namespaces", lambda: sorted(n.namespace for n in dc.list_namespaces(catalog=CAT).all_items()), record_txn=False)


def s02_namespaces():
    s = Scenario("S02", "namespace CRUD")
    s.step("create_namespace ns1 with properties", lambda: dict(dc.create_namespace("ns1", properties={"owner": "alice", "tier": 1}, catalog=CAT)))
    s.step("alter_namespace ns1 properties", lambda: dc.alter_namespace("ns1", properties={"owner": "bob", "tier": 2}, catalog=CAT))
    s.step("rename namespace ns1 -> ns2", lambda: dc.alter_namespace("ns1", new_namespace="ns2", catalog=CAT))
    s.step("get ns1 (expect None) / ns2", lambda: [dc.get_namespace("ns1", catalog=CAT), dict(dc.get_namespace("ns2", catalog=CAT) or {})], record_txn=False)
    s.step("drop_namespace ns2", lambda: dc.drop_namespace("ns2", catalog=CAT))
    s.step("re-create ns1 (new UUID, name dir gets rev 3 'create' after 'delete')", lambda: dict(dc.create_namespace("ns1", properties={"recreated": True}, catalog=CAT)))
    s.step("list_namespaces", lambda: sorted(n.namespace for n in dc.list_namespaces(catalog=CAT).all_items()), record_txn=False)


def orders_schema():
    # NOTE: field ids are left to auto-assignment (0..3).  With explicit ids that
    # do not start at 0 (e.g. 1..4), deltacat 2.0.0.post4's compactor fails to
    # de-duplicate merge keys (MERGE #2 then leaves two rows for order_id 2); see
    # docs/format.md.  Explicit, non-positional field ids are exercised by the
    # storage-API tables of S11 instead.
    return Schema.of(
        [
            Field.of(pa.field("order_id", pa.int64(), nullable=False), is_merge_key=True, doc="primary key"),
            Field.of(pa.field("customer", pa.string()), doc="customer name"),
            Field.of(pa.field("amount", pa.float64()), past_default=0.0, future_default=1.5),
            Field.of(pa.field("version", pa.int64()), merge_order=(SortOrder.ASCENDING, NullOrder.AT_END)),
        ]
    )


def s03_create_tables():
    s = Scenario("S03", "create namespace 'sales' and merge-keyed table 'orders' with rich schema")
    s.step(
        "create_namespace sales",
        lambda: dict(dc.create_namespace("sales", properties={"team": "finance"}, catalog=CAT)),
    )
    s.step(
        "create_table sales.orders",
        lambda: str(
            dc.create_table(
                "orders",
                namespace="sales",
                schema=orders_schema(),
                table_description="orders table",
                table_properties={"custom.owner": "bob"},
                catalog=CAT,
            ).table_version.schema.arrow
        ),
    )
    s.step(
        "create_table sales.multi_schema with two named subschemas (no data)",
        lambda: str(
            dc.create_table(
                "multi_schema",
                namespace="sales",
                schema=Schema.of({
                    "base": [Field.of(pa.field("id", pa.int64()), is_merge_key=True)],
                    "extra": [Field.of(pa.field("x", pa.string()), doc="in subschema 'extra'")],
                }),
                catalog=CAT,
            ).table_version.schema.arrow.metadata
        ),
    )


def s04_merge_delete():
    s = Scenario("S04", "MERGE (upsert) + compaction, second MERGE (replace commit), DELETE + compaction")
    d1 = pa.table({
        "order_id": pa.array([1, 2, 3], pa.int64()),
        "customer": ["ann", "ben", "cat"],
        "amount": [10.0, 20.0, 30.0],
        "version": pa.array([1, 1, 1], pa.int64()),
    })
    s.step("MERGE #1 (new partition staged, UPSERT delta pos 1, compaction commits new partition)",
           lambda: [str(d.locator.stream_position) for d in dc.write_to_table(d1, "orders", namespace="sales", mode=TableWriteMode.MERGE, catalog=CAT)])
    s.step("read after MERGE #1", lambda: rows("orders", "sales"), record_txn=False)
    d2 = pa.table({
        "order_id": pa.array([2, 4], pa.int64()),
        "customer": ["ben2", "dan"],
        "amount": [21.0, 40.0],
        "version": pa.array([2, 1], pa.int64()),
    })
    s.step("MERGE #2 (UPSERT delta into committed partition, compaction REPLACEs partition)",
           lambda: [str(d.locator.stream_position) for d in dc.write_to_table(d2, "orders", namespace="sales", mode=TableWriteMode.MERGE, catalog=CAT)])
    s.step("read after MERGE #2", lambda: rows("orders", "sales"), record_txn=False)
    d3 = pa.table({"order_id": pa.array([1], pa.int64())})
    s.step("DELETE order_id=1 (DELETE delta w/ equality_delete params, compaction)",
           lambda: [str(d.locator.stream_position) for d in dc.write_to_table(d3, "orders", namespace="sales", mode=TableWriteMode.DELETE, catalog=CAT)])
    s.step("read after DELETE", lambda: rows("orders", "sales"), record_txn=False)


def s05_append_add():
    s = Scenario("S05", "table 'events' without merge keys: AUTO(create)=APPEND, APPEND, APPEND, ADD, AUTO(existing)=ADD")
    for i, mode in enumerate([TableWriteMode.AUTO, TableWriteMode.APPEND, TableWriteMode.APPEND, TableWriteMode.ADD, TableWriteMode.AUTO]):
        t = pa.table({"id": pa.array([i * 10 + 1, i * 10 + 2], pa.int64()), "msg": [f"w{i}a", f"w{i}b"]})
        s.step(
            f"write #{i + 1} mode={mode.value}",
            lambda t=t, mode=mode: [
                {"type": d.type.value, "stream_position": d.locator.stream_position, "previous_stream_position": d.previous_stream_position}
                for d in dc.write_to_table(t, "events", namespace="sales", mode=mode, catalog=CAT)
            ],
        )
    s.step("read events", lambda: rows("events", "sales"), record_txn=False)


def s06_schema_evolution():
    s = Scenario("S06", "schema evolution on 'events'")

    def evolve():
        td = dc.get_table("events", namespace="sales", catalog=CAT)
        base = td.table_version.schema
        upd = base.update().add_field(Field.of(pa.field("score", pa.int32()), past_default=7, future_default=9, doc="added in schema 1"))
        dc.alter_table("events", namespace="sales", schema_updates=upd, catalog=CAT)
        td2 = dc.get_table("events", namespace="sales", catalog=CAT)
        return {"schema_id": td2.table_version.schema.id, "n_schemas": len(td2.table_version.schemas)}

    s.step("alter_table add field 'score' with past/future defaults", evolve)
    t = pa.table({"id": pa.array([100], pa.int64()), "msg": ["with score"], "score": pa.array([5], pa.int32())})
    s.step("write with new column", lambda: [d.locator.stream_position for d in dc.write_to_table(t, "events", namespace="sales", catalog=CAT)])
    t2 = pa.table({"id": pa.array([200], pa.int64()), "msg": ["auto-evolved"], "tag": ["x"]})
    s.step("write with unknown column 'tag' (automatic schema evolution)",
           lambda: [d.locator.stream_position for d in dc.write_to_table(t2, "events", namespace="sales", catalog=CAT)])
    s.step("schema ids after evolution", lambda: [sc.id for sc in dc.get_table("events", namespace="sales", catalog=CAT).table_version.schemas], record_txn=False)
    s.step("read events", lambda: rows("events", "sales"), record_txn=False)


def s07_renames():
    s = Scenario("S07", "renames after data was written")
    s.step("rename_table sales.events -> sales.events_renamed", lambda: dc.rename_table("events", "events_renamed", namespace="sales", catalog=CAT))
    s.step("read events_renamed", lambda: rows("events_renamed", "sales"), record_txn=False)
    s.step("create namespace tmpns + table t + write", lambda: (
        dc.create_namespace("tmpns", catalog=CAT),
        [d.locator.stream_position for d in dc.write_to_table(pa.table({"k": pa.array([1, 2], pa.int64())}), "t", namespace="tmpns", catalog=CAT)],
    )[1])
    s.step("rename namespace tmpns -> tmpns_renamed", lambda: dc.alter_namespace("tmpns", new_namespace="tmpns_renamed", catalog=CAT))
    s.step("read tmpns_renamed.t", lambda: rows("t", "tmpns_renamed"), record_txn=False)


def s08_replace():
    s = Scenario("S08", "REPLACE write mode on a table without merge keys")
    s.step("create + AUTO write sales.snapshot", lambda: [d.locator.stream_position for d in dc.write_to_table(
        pa.table({"id": pa.array([1, 2], pa.int64()), "v": ["old1", "old2"]}), "snapshot", namespace="sales", catalog=CAT)])
    s.step("REPLACE write (new staged stream -> commit_stream REPLACE; new partition)", lambda: [
        {"type": d.type.value, "stream_position": d.locator.stream_position, "stream_id": d.locator.stream_id, "partition_id": d.locator.partition_id}
        for d in dc.write_to_table(pa.table({"id": pa.array([9], pa.int64()), "v": ["new"]}), "snapshot", namespace="sales", mode=TableWriteMode.REPLACE, catalog=CAT)])
    s.step("read snapshot", lambda: rows("snapshot", "sales"), record_txn=False)


def s09_drop_recreate():
    s = Scenario("S09", "drop table and re-create same name in namespace 'default'")
    s.step("create+write default.scratch", lambda: [d.locator.stream_position for d in dc.write_to_table(pa.table({"a": pa.array([1], pa.int64())}), "scratch", catalog=CAT)])
    s.step("drop_table default.scratch", lambda: dc.drop_table("scratch", catalog=CAT))
    s.step("table_exists after drop", lambda: dc.table_exists("scratch", catalog=CAT), record_txn=False)
    s.step("re-create default.scratch (new table UUID) + write", lambda: [d.locator.stream_position for d in dc.write_to_table(pa.table({"a": pa.array([2], pa.int64()), "b": ["two"]}), "scratch", catalog=CAT)])
    s.step("read scratch", lambda: rows("scratch"), record_txn=False)


def s10_schemaless_csv():
    s = Scenario("S10", "schemaless table with CSV (gzip) data files")
    s.step("create_table default.logs (no schema)", lambda: str(dc.create_table("logs", content_types=[ContentType.CSV], catalog=CAT).table_version.schema))
    s.step("write CSV", lambda: [
        {"type": d.type.value, "urls": [e.url for e in d.manifest.entries]}
        for d in dc.write_to_table(pa.table({"line": ["hello", "world"], "n": pa.array([1, 2], pa.int64())}), "logs", content_type=ContentType.CSV, catalog=CAT)])
    s.step("read schemaless (returns manifest-entry table)", lambda: [
        {k: v for k, v in r.items() if k in ("path", "meta_content_type", "meta_content_encoding", "meta_record_count")}
        for r in dc.read_table("logs", catalog=CAT, read_as=DatasetType.PYARROW).to_pylist()], record_txn=False)


def s11_storage_api_partitioned():
    s = Scenario("S11", "storage API: partitioned tables, sort scheme, partition aliases")
    p = props()
    schema = Schema.of([
        Field.of(pa.field("region", pa.string()), field_id=1),
        Field.of(pa.field("n", pa.int64()), field_id=2),
        Field.of(pa.field("flag", pa.bool_()), field_id=3),
    ])
    pscheme = PartitionScheme.of(
        keys=[PartitionKey.of(key=["region"], name="region_part", field_id=1, transform=IdentityTransform.of())],
        name="by_region",
        scheme_id="region-scheme-1",
    )
    sscheme = SortScheme.of(keys=[SortKey.of(key=["n"], sort_order=SortOrder.DESCENDING, null_order=NullOrder.AT_START)],
                            name="by_n_desc", scheme_id="sort-scheme-1")

    def create_tv():
        t, tv, st = metastore.create_table_version(
            namespace="sales", table_name="by_region", schema=schema, partition_scheme=pscheme,
            sort_keys=sscheme, lifecycle_state=LifecycleState.ACTIVE,
            table_version_description="partitioned by region", inner=p)
        return {"table_version": tv.table_version, "stream_id": st.stream_id}

    s.step("create_table_version sales.by_region (identity partition key, sort key desc)", create_tv)

    def stage_commit_write(values, data):
        stream = metastore.get_stream("sales", "by_region", inner=p)
        part = metastore.stage_partition(stream, values, inner=p)
        delta = metastore.stage_delta(data, part, delta_type=dc.storage.DeltaType.APPEND, schema=schema, inner=p)
        delta = metastore.commit_delta(delta, inner=p)
        part = metastore.commit_partition(part, inner=p)
        return {"partition_id": part.partition_id, "values": values, "delta_pos": delta.stream_position}

    for vals in (["us-east"], ["it's"]):
        data = pa.table({"region": [vals[0]], "n": pa.array([1], pa.int64()), "flag": [True]})
        s.step(f"stage/commit partition {vals!r} + APPEND delta", lambda v=vals, d=data: stage_commit_write(v, d))

    schema2 = Schema.of([
        Field.of(pa.field("k", pa.int64()), field_id=1),
        Field.of(pa.field("s", pa.string()), field_id=2),
        Field.of(pa.field("b", pa.bool_()), field_id=3),
    ])
    pscheme2 = PartitionScheme.of(
        keys=[
            PartitionKey.of(key=["k"], name="k_bucket", field_id=1, transform=BucketTransform.of(BucketTransformParameters.of(num_buckets=4))),
            PartitionKey.of(key=["s"], name="s_ident", field_id=2, transform=IdentityTransform.of()),
        ],
        name="bucket_k_s",
        scheme_id="bucket-scheme-1",
    )
    s.step("create_table_version sales.multi_key (bucket + identity keys)", lambda: metastore.create_table_version(
        namespace="sales", table_name="multi_key", schema=schema2, partition_scheme=pscheme2,
        lifecycle_state=LifecycleState.ACTIVE, inner=p)[1].table_version)

    def stage_commit_multi(values):
        stream = metastore.get_stream("sales", "multi_key", inner=p)
        part = metastore.stage_partition(stream, values, inner=p)
        part = metastore.commit_partition(part, inner=p)
        return {"partition_id": part.partition_id, "values": values, "canonical": f"{part.partition_values}|{part.partition_scheme_id}"}

    s.step("stage/commit partition [1, 'x']", lambda: stage_commit_multi([1, "x"]))

    schema3 = Schema.of([
        Field.of(pa.field("flag", pa.bool_()), field_id=10),
        Field.of(pa.field("s", pa.string()), field_id=20),
        Field.of(pa.field("f", pa.float64()), field_id=30),
    ])
    pscheme3 = PartitionScheme.of(
        keys=[
            PartitionKey.of(key=["flag"], field_id=10, transform=IdentityTransform.of()),
            PartitionKey.of(key=["s"], field_id=20, transform=IdentityTransform.of()),
            PartitionKey.of(key=["f"], field_id=30, transform=IdentityTransform.of()),
        ],
        name="bool_str_float",
        scheme_id="misc-scheme-1",
    )
    s.step("create_table_version sales.misc_keys (bool/str/float identity keys)", lambda: metastore.create_table_version(
        namespace="sales", table_name="misc_keys", schema=schema3, partition_scheme=pscheme3,
        lifecycle_state=LifecycleState.ACTIVE, inner=p)[1].table_version)

    def stage_commit_misc(values):
        stream = metastore.get_stream("sales", "misc_keys", inner=p)
        part = metastore.stage_partition(stream, values, inner=p)
        part = metastore.commit_partition(part, inner=p)
        return {"partition_id": part.partition_id, "values": values, "canonical": f"{part.partition_values}|{part.partition_scheme_id}"}

    s.step("stage/commit partition [True, None, 1.5]", lambda: stage_commit_misc([True, None, 1.5]))
    s.step("list partitions by_region (committed, by alias)", lambda: sorted(
        json.dumps([pp.partition_values, pp.state.value]) for pp in metastore.list_partitions("sales", "by_region", inner=p).all_items()), record_txn=False)
    s.step("get_partition ['it''s'] by values", lambda: metastore.get_partition(
        metastore.get_stream("sales", "by_region", inner=p).locator, ["it's"], inner=p).partition_id, record_txn=False)

    # restage the same partition values: REPLACE of a committed partition
    def replace_partition():
        stream = metastore.get_stream("sales", "by_region", inner=p)
        part = metastore.stage_partition(stream, ["us-east"], inner=p)
        part = metastore.commit_partition(part, inner=p)
        return {"new_partition_id": part.partition_id, "previous_partition_id": part.previous_partition_id}

    s.step("restage+commit ['us-east'] (REPLACE of committed partition)", replace_partition)


def s12_table_versions():
    s = Scenario("S12", "multiple table versions and lifecycle states")
    s.step("create+write default.versioned v1", lambda: [d.locator.stream_position for d in dc.write_to_table(pa.table({"x": pa.array([1], pa.int64())}), "versioned", catalog=CAT)])
    s.step("create table version 2 (lifecycle CREATED)", lambda: str(dc.create_table(
        "versioned", table_version="2", lifecycle_state=LifecycleState.CREATED,
        schema=Schema.of([Field.of(pa.field("x", pa.int64()))]), catalog=CAT).table_version.table_version))
    s.step("table after v2 create: raw Table metafile fields (quirk: latest_active_table_version reset to None)",
           lambda: {k: v for k, v in dict(metastore.get_table("default", "versioned", inner=props())).items() if k in ("latest_table_version", "latest_active_table_version")}, record_txn=False)
    s.step("get_table after v2 create (fails in Python: no active version)",
           lambda: dc.get_table("versioned", catalog=CAT), expect_error=ValueError, record_txn=False)
    s.step("alter_table v2 -> ACTIVE", lambda: dc.alter_table("versioned", table_version="2", lifecycle_state=LifecycleState.ACTIVE, catalog=CAT))
    s.step("write to v2", lambda: [d.locator.stream_position for d in dc.write_to_table(pa.table({"x": pa.array([2], pa.int64())}), "versioned", table_version="2", mode=TableWriteMode.APPEND, catalog=CAT)])
    s.step("drop_table versioned v1 (sets v1 state=deleted)", lambda: dc.drop_table("versioned", table_version="1", catalog=CAT))
    s.step("table after", lambda: {k: v for k, v in dict(dc.get_table("versioned", catalog=CAT).table).items() if k in ("latest_table_version", "latest_active_table_version")}, record_txn=False)
    s.step("read versioned (latest active = v2)", lambda: rows("versioned"), record_txn=False)


def s13_time_travel():
    s = Scenario("S13", "time travel reads")
    marks = {}

    def write_k(k):
        dc.write_to_table(pa.table({"k": pa.array([k], pa.int64())}), "tt", catalog=CAT, mode=TableWriteMode.AUTO)
        marks[k] = last_txns(1)[0]["end_time"]
        return marks[k]

    for k in (1, 2, 3):
        s.step(f"write tt k={k}", lambda k=k: write_k(k))

    def read_as_of(ts):
        with dc.transaction(catalog_name=CAT, as_of=ts):
            try:
                return rows("tt", in_txn=True)
            except Exception as e:  # noqa: BLE001
                return f"{type(e).__name__}: {str(e)[:200]}"

    for k in (1, 2, 3):
        s.step(f"read as_of end(k={k})   (strict '<': commit k NOT visible)", lambda k=k: read_as_of(marks[k]), record_txn=False)
        s.step(f"read as_of end(k={k})+1 (commit k visible)", lambda k=k: read_as_of(marks[k] + 1), record_txn=False)
    LOG["time_travel_marks"] = marks


def s14_txn_states():
    s = Scenario("S14", "failed / running (abandoned) / paused / resumed transactions and commit message")
    p = props()
    s.step("storage-layer create_namespace('ns1') again -> failed txn log",
           lambda: metastore.create_namespace("ns1", inner=p), expect_error=Exception)

    def abandoned():
        txn = dc.transaction(catalog_name=CAT)
        dc.create_namespace("ghost", transaction=txn)
        return {"txn_id": txn.id, "note": "never sealed: running log + revision/mapping files remain, invisible"}

    s.step("abandoned interactive txn creating namespace 'ghost'", abandoned, record_txn=False)

    def paused():
        txn = dc.transaction(catalog_name=CAT)
        dc.create_namespace("paused_ns", transaction=txn)
        txn.pause()
        return {"txn_id": txn.id}

    s.step("paused txn creating namespace 'paused_ns' (left paused)", paused, record_txn=False)

    def pause_resume():
        txn = dc.transaction(catalog_name=CAT, commit_message="pause/resume demo")
        dc.create_namespace("resumed_ns", transaction=txn)
        txn.pause()
        txn.resume()
        txn.seal()
        return {"txn_id": txn.id}

    s.step("paused then resumed+sealed txn creating 'resumed_ns'", pause_resume)

    def with_message():
        with dc.transaction(catalog_name=CAT, commit_message="nightly load #1"):
            dc.write_to_table(pa.table({"m": pa.array([1], pa.int64())}), "committed_with_message")

    s.step("context-manager txn with commit_message", with_message)
    s.step("visible namespaces", lambda: sorted(n.namespace for n in dc.list_namespaces(catalog=CAT).all_items()), record_txn=False)


def s15_conflict():
    s = Scenario("S15", "write-write conflict between two interactive transactions")

    def conflict():
        dc.create_table("contended", schema=Schema.of([Field.of(pa.field("x", pa.int64()))]), catalog=CAT)
        a = dc.transaction(catalog_name=CAT)
        b = dc.transaction(catalog_name=CAT)
        out = {"txn_a": a.id, "txn_b": b.id}
        dc.alter_table("contended", table_description="from A", transaction=a)
        dc.alter_table("contended", table_description="from B", transaction=b)
        try:
            a.seal()
            out["a"] = "committed"
        except Exception as e:  # noqa: BLE001
            out["a"] = f"{type(e).__name__}"
        try:
            b.seal()
            out["b"] = "committed"
        except Exception as e:  # noqa: BLE001
            out["b"] = f"{type(e).__name__}"
        out["description_now"] = dc.get_table("contended", catalog=CAT).table.description
        return out

    s.step("A (older txn id) and B both update table 'contended'; seal A then B", conflict, record_txn=False)


def s16_leftover_sorts_first():
    s = Scenario("S16", "crash leftover at the same revision sorts before a committed file (Python one-file-per-revision quirk)")

    def run():
        dc.create_namespace("doomed", catalog=CAT)
        leftover = dc.transaction(catalog_name=CAT)
        # writes doomed/rev/.../00000000000000000002_update_<leftover txn>.mpk and is never sealed
        dc.alter_namespace("doomed", properties={"leftover": True}, transaction=leftover)
        # committed drop writes 00000000000000000002_delete_<newer txn>.mpk (+ mapping rev 2 'delete')
        dc.drop_namespace("doomed", catalog=CAT)
        return {
            "leftover_txn": leftover.id,
            "namespace_exists('doomed') (name dir -> latest mapping is 'delete')": dc.namespace_exists("doomed", catalog=CAT),
            "list_namespaces contains 'doomed' (rev dir: 'update' file sorts first, is invisible, so rev 2 is skipped and rev 1 'create' wins)":
                "doomed" in [n.namespace for n in dc.list_namespaces(catalog=CAT).all_items()],
        }

    s.step("create 'doomed'; uncommitted update at rev 2; committed drop at rev 2", run, record_txn=False)


def many_deltas(n):
    s = Scenario("SXX", f"{n} ordered APPEND deltas into default.many (crosses rev L2 boundary if n > 1000)")
    for i in range(n):
        mode = TableWriteMode.AUTO if i == 0 else TableWriteMode.APPEND
        dc.write_to_table(pa.table({"i": pa.array([i], pa.int64())}), "many", catalog=CAT, mode=mode)
    s.step("count rows", lambda: len(rows("many")), record_txn=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--many-deltas", type=int, default=0, help="also write N APPEND deltas to default.many")
    ap.add_argument("--only", default="", help="comma-separated scenario ids to run (after S01)")
    args = ap.parse_args()
    root = os.path.abspath(args.out_dir)
    if os.path.exists(root) and os.listdir(root):
        sys.exit(f"{root} exists and is not empty")
    os.makedirs(root, exist_ok=True)

    s01_bootstrap(root)
    scenarios = [
        ("S02", s02_namespaces), ("S03", s03_create_tables), ("S04", s04_merge_delete),
        ("S05", s05_append_add), ("S06", s06_schema_evolution), ("S07", s07_renames),
        ("S08", s08_replace), ("S09", s09_drop_recreate), ("S10", s10_schemaless_csv),
        ("S11", s11_storage_api_partitioned), ("S12", s12_table_versions), ("S13", s13_time_travel),
        ("S14", s14_txn_states), ("S15", s15_conflict), ("S16", s16_leftover_sorts_first),
    ]
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    for sid, fn in scenarios:
        if only and sid not in only:
            continue
        try:
            fn()
        except Exception:  # noqa: BLE001
            LOG["scenarios"][-1]["ok"] = False
            LOG["scenarios"][-1]["fatal"] = traceback.format_exc()[-2000:]
            print(traceback.format_exc(), file=sys.stderr)
    if args.many_deltas:
        many_deltas(args.many_deltas)

    LOG["all_transactions"] = last_txns(10_000)
    LOG["catalog_root_at_creation"] = root
    log_path = root.rstrip("/") + ".scenarios.json"
    with open(log_path, "w") as f:
        json.dump(LOG, f, indent=1, default=str, sort_keys=False)
    bad = [sc["id"] for sc in LOG["scenarios"] if not sc["ok"]]
    print(f"catalog written to {root}; scenario log {log_path}; failed scenarios: {bad or 'none'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
