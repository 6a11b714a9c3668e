#!/usr/bin/env python3
"""Writes the fixtures in python_built/: metafiles and manifests built with the real Python
deltacat package (2.0.0.post4) through its `of()` constructors and serialized exactly as its
writer does (`msgpack.dumps(obj.to_serializable())`). tests/storage/model_codec_test.cc builds
the same objects in C++ and expects the same bytes.

Run with the interop venv:  venv-interop/bin/python tests/storage/testdata/gen_python_built.py
"""
import copy
import os

import msgpack
from deltacat.storage.model.namespace import Namespace, NamespaceLocator
from deltacat.storage.model.table import Table, TableLocator
from deltacat.storage.model.table_version import TableVersion, TableVersionLocator
from deltacat.storage.model.stream import Stream, StreamLocator
from deltacat.storage.model.partition import Partition, PartitionLocator, UNPARTITIONED_SCHEME, PartitionScheme, PartitionKey
from deltacat.storage.model.delta import Delta, DeltaLocator
from deltacat.storage.model.manifest import Manifest, ManifestEntry, ManifestMeta, ManifestAuthor, EntryType, EntryParams
from deltacat.storage.model.sort_key import UNSORTED_SCHEME, SortScheme, SortKey
from deltacat.storage.model.transform import IdentityTransform, TruncateTransform, TruncateTransformParameters
from deltacat.storage.model.types import CommitState, LifecycleState, DeltaType, StreamFormat, SortOrder, NullOrder
from deltacat.compute.compactor.model.round_completion_info import RoundCompletionInfo
from deltacat.compute.compactor.model.pyarrow_write_result import PyArrowWriteResult

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_built")


def out(name, obj):
    data = obj.to_serializable() if hasattr(obj, "to_serializable") else obj
    with open(os.path.join(OUT_DIR, name + ".mpk"), "wb") as f:
        f.write(msgpack.dumps(data))

ns = Namespace.of(NamespaceLocator.of("sales"), properties={"owner": "alice"})
ns["ancestor_ids"] = []
ns["id"] = "11111111-1111-4111-8111-111111111111"
out("namespace", ns)

t = Table.of(TableLocator.at("sales", "orders"), description="orders table", properties=None,
             latest_active_table_version="1", latest_table_version="1")
t["ancestor_ids"] = ["11111111-1111-4111-8111-111111111111"]
t["id"] = "22222222-2222-4222-8222-222222222222"
out("table", t)

tv = TableVersion.of(TableVersionLocator.at("sales", "orders", "v.0001"), schema=None,
                     partition_scheme=UNPARTITIONED_SCHEME, description=None, properties={"k": 1},
                     content_types=["application/parquet"], sort_scheme=SortScheme.of(
                         [SortKey.of(["n"], SortOrder.DESCENDING, NullOrder.AT_START)], name="by_n", scheme_id="s1"),
                     watermark=None, lifecycle_state=LifecycleState.ACTIVE, schemas=None,
                     partition_schemes=[PartitionScheme.of([PartitionKey.of(["region"], name="r", field_id=1, transform=IdentityTransform.of()),
                                                           PartitionKey.of(["s"], name="t", field_id=2, transform=TruncateTransform.of(TruncateTransformParameters.of(3)))],
                                                          name="p", scheme_id="p1")],
                     sort_schemes=[UNSORTED_SCHEME], previous_table_version=None)
tv["ancestor_ids"] = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"]
out("table_version", tv)

sl = StreamLocator.at("sales", "orders", "1", "33333333-3333-4333-8333-333333333333", StreamFormat.DELTACAT)
s = Stream.of(sl, UNPARTITIONED_SCHEME, CommitState.COMMITTED)
s["ancestor_ids"] = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "1"]
out("stream", s)

pl = PartitionLocator.of(sl, [], "44444444-4444-4444-8444-444444444444")
# Locators inside an RCI must be distinct objects: Python's to_serializable deep-copies the
# partition, and a locator shared with the partition's own would get the sentinel too.
rci = RoundCompletionInfo.of(high_watermark=7, compacted_delta_locator=DeltaLocator.of(copy.deepcopy(pl), 7),
    compacted_pyarrow_write_result=PyArrowWriteResult.of(1, 2, 3, 4), sort_keys_bit_width=256,
    manifest_entry_copied_by_reference_ratio=33.33, compaction_audit_url="/x/audit.json", hash_bucket_count=8,
    hb_index_to_entry_range={"0": [0, 1], "5": [1, 3]}, compactor_version="V2", input_inflation=0.5,
    input_average_record_size_bytes=32.5, prev_source_partition_locator=copy.deepcopy(pl))
p = Partition.of(pl, ["application/parquet"], CommitState.COMMITTED, stream_position=7,
                 previous_partition_id="55555555-5555-4555-8555-555555555555", compaction_round_completion_info=rci)
p["ancestor_ids"] = s["ancestor_ids"] + ["33333333-3333-4333-8333-333333333333"]
out("partition", p)

e1 = ManifestEntry.of("data/p/a.pq", ManifestMeta.of(10, 1000, "application/parquet", "identity", source_content_length=80,
                      entry_type=EntryType.DATA, entry_params=EntryParams.of(["order_id"]), schema_id=0))
e2 = ManifestEntry.of("data/p/b.pq", ManifestMeta.of(5, 500, "application/parquet", "identity", source_content_length=40,
                      entry_type=EntryType.DATA, entry_params=EntryParams.of(["order_id"]), schema_id=1, sort_scheme_id="s1"))
m = Manifest.of([e1, e2], author=ManifestAuthor.of("deltacat.write_to_table", "2.0.0.post4"),
                uuid="66666666-6666-4666-8666-666666666666", entry_type=EntryType.DATA, entry_params=EntryParams.of(["order_id"]))
out("manifest", m)
d = Delta.of(DeltaLocator.of(pl, 9223372036854775807), DeltaType.UPSERT, m.meta, None, m, previous_stream_position=6)
d["ancestor_ids"] = p["ancestor_ids"] + ["44444444-4444-4444-8444-444444444444"]
out("delta", d)
m2 = Manifest.of([ManifestEntry.of("data/x.csv.gz", ManifestMeta.of(1, 2, "text/csv", "gzip")),
                  ManifestEntry.of("data/y.pq", ManifestMeta.of(None, 3, "application/parquet", "identity"))],
                 uuid="77777777-7777-4777-8777-777777777777")
out("manifest_mixed", m2)
out("manifest_empty", Manifest.of([], uuid="88888888-8888-4888-8888-888888888888"))

# --- Schemas: pyarrow.Schema.serialize() of deltacat Schema.of(...) -------------------------
import base64  # noqa: E402

import pyarrow as pa  # noqa: E402

from deltacat.storage.model.schema import Schema, Field, MergeOrder  # noqa: E402
from deltacat.storage.model.types import SchemaConsistencyType  # noqa: E402
from deltacat.storage.model.transform import BucketTransform, BucketTransformParameters, VoidTransform  # noqa: E402


def out_bytes(name, data):
    with open(os.path.join(OUT_DIR, name + ".bin"), "wb") as f:
        f.write(data)


# Unknown field metadata is dropped, any merge_key value means True, a past default becomes the
# future default too, merge keys get the validate consistency type, other schema metadata stays.
out_bytes("schema_normalized", Schema.of(pa.schema(
    [pa.field("k", pa.int32(), nullable=False, metadata={
        b"DELTACAT:merge_key": b"False", b"x": b"y",
        b"DELTACAT:past_default": base64.b64encode(msgpack.dumps(3))})],
    metadata={b"z": b"1"}), schema_id=3).serialize().to_pybytes())
# Missing field ids continue after the highest existing one.
out_bytes("schema_field_ids", Schema.of(pa.schema([
    pa.field("b", pa.int64(), metadata={b"PARQUET:field_id": b"5"}),
    pa.field("a", pa.string())])).serialize().to_pybytes())
# Every field setting, through Field.of.
out_bytes("schema_all_settings", Schema.of([
    Field.of(pa.field("id", pa.int64(), nullable=False), is_merge_key=True, doc="the key"),
    Field.of(pa.field("ts", pa.timestamp("us")), merge_order=MergeOrder.of(SortOrder.DESCENDING, NullOrder.AT_START)),
    Field.of(pa.field("day", pa.date32()), is_event_time=True),
    Field.of(pa.field("price", pa.float64()), past_default=0.0, future_default=1.5),
    Field.of(pa.field("name", pa.string()), future_default="n/a", consistency_type=SchemaConsistencyType.COERCE),
    Field.of(pa.field("tags", pa.list_(pa.string())), doc="list field"),
], schema_id=0).serialize().to_pybytes())
out_bytes("schema_subschemas", Schema.of({
    "base": pa.schema([("a", pa.int64())]),
    "extra": pa.schema([("b", pa.string())])}).serialize().to_pybytes())
out_bytes("return_type_bucket", BucketTransform.of(BucketTransformParameters.of(4))["return_type"])
out_bytes("return_type_void", VoidTransform.of()["return_type"])
