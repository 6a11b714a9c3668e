#!/usr/bin/env python3
"""Drives the real Python DeltaCAT (2.0.0.post4) on a catalog for the compactor interop tests.

    venv-interop/bin/python tests/integration/compaction_interop.py ROOT STEPS.json OUT.json

STEPS.json is a list of steps, run in order in one process (one local Ray instance):

  {"op": "compact", "namespace": NS, "table": T}
      Python's compactor v2 over the table's committed partition, exactly as the catalog's
      write path runs it (catalog/main/impl.py::_run_compaction_session, in place, up to the
      last stream position), in one transaction.
  {"op": "merge", "namespace": NS, "table": T, "rows": {column: [values]}}
      write_to_table(mode=MERGE): an UPSERT delta, compacted inline at read optimization MAX.
      Columns left out of "rows" make it a partial upsert.
  {"op": "delete", "namespace": NS, "table": T, "rows": {...}, "columns": [names]?}
      write_to_table(mode=DELETE) (equality delete on the merge keys, or on "columns").
  {"op": "read", "namespace": NS, "table": T, "name": KEY}
      OUT[KEY] = every row of the table (dicts), sorted by their JSON text.
  {"op": "rci", "namespace": NS, "table": T, "name": KEY}
      OUT[KEY] = the committed partition's round completion info (hash bucket count, ranges,
      compacted delta position, partition id).

OUT.json gets the named results. Timings per step go to OUT["timings"]. Ray gets
$DELTACAT_INTEROP_RAY_CPUS CPUs (default 1).
"""
from __future__ import annotations

import interop_steps

interop_steps.isolate_environment("dc-compaction-interop-")

import pyarrow as pa  # noqa: E402

import deltacat as dc  # noqa: E402
from deltacat import DatasetType, TableWriteMode  # noqa: E402
from deltacat.catalog.main import impl as catalog_impl  # noqa: E402
from deltacat.compute.compactor_v2.utils import content_type_params  # noqa: E402
from deltacat.storage import EntryParams, metastore  # noqa: E402
from deltacat.storage.model.delta import MAX_DELTA_STREAM_POSITION  # noqa: E402
from deltacat.storage.model.transaction import setup_transaction  # noqa: E402

CAT = interop_steps.CATALOG


def _props():
    return dc.get_catalog(CAT).inner


def _table_version(ns, table, **kwargs):
    return metastore.get_latest_active_table_version(ns, table, **kwargs)


def _arrow_rows(ns, table, rows):
    """`rows` as a pyarrow table typed by the table's schema (only the given columns), in schema
    column order: Python's compactor finds merge keys by field id used as a column position, and
    write_to_table does not reorder the columns it is given."""
    schema = _table_version(ns, table, inner=_props(), catalog=_props()).schema.arrow
    unknown = set(rows) - set(schema.names)
    if unknown:
        raise ValueError(f"columns not in the table schema: {sorted(unknown)}")
    return pa.table({f.name: pa.array(rows[f.name], f.type) for f in schema if f.name in rows})


# A handle on the compactor's named parquet-metadata cache actor, held for the whole run.
_content_type_params_cache = None


def _keep_content_type_params_cache_alive():
    """Works around a bug in deltacat 2.0.0.post4: for a delta of 10 or more files,
    append_content_type_params gets its cache actor by name twice and drops the first handle in
    between; the actor is not detached, so it dies with its last handle and the second call fails
    with ActorDiedError ("all references to the actor were removed"). Holding a handle of our own
    keeps the actor alive; what the compactor computes is unchanged."""
    global _content_type_params_cache
    if _content_type_params_cache is None:
        import ray

        _content_type_params_cache = content_type_params.AppendContentTypeParamsCache.options(
            name=content_type_params.APPEND_CONTENT_TYPE_PARAMS_CACHE,
            namespace=ray.get_runtime_context().namespace,
            get_if_exists=True,
        ).remote()


def compact(step):
    ns, table = step["namespace"], step["table"]
    _keep_content_type_params_cache_alive()
    props = _props()
    txn, commit = setup_transaction(None, inner=props)
    kwargs = {"inner": props, "transaction": txn}
    tv = _table_version(ns, table, **kwargs)
    stream = metastore.get_stream(ns, table, tv.table_version, **kwargs)
    partition = metastore.get_partition(stream.locator, None, **kwargs)
    names = tv.schema.arrow.names
    catalog_impl._run_compaction_session(
        table_version_obj=tv,
        partition=partition,
        latest_delta_stream_position=MAX_DELTA_STREAM_POSITION,
        namespace=ns,
        table=table,
        original_fields=set(names),
        original_table_version_column_names=names,
        **kwargs,
    )
    if commit:
        txn.seal()


def merge(step):
    ns, table = step["namespace"], step["table"]
    data = _arrow_rows(ns, table, step["rows"])
    dc.write_to_table(data, table, namespace=ns, mode=TableWriteMode.MERGE, catalog=CAT)


def delete(step):
    ns, table = step["namespace"], step["table"]
    data = _arrow_rows(ns, table, step["rows"])
    kwargs = {}
    if step.get("columns"):
        kwargs["entry_params"] = EntryParams.of(step["columns"])
    dc.write_to_table(data, table, namespace=ns, mode=TableWriteMode.DELETE, catalog=CAT, **kwargs)


def read(step, out):
    t = dc.read_table(step["table"], namespace=step["namespace"], catalog=CAT, read_as=DatasetType.PYARROW)
    out[step["name"]] = interop_steps.table_rows(t)


def rci(step, out):
    ns, table = step["namespace"], step["table"]
    kwargs = {"inner": _props()}
    tv = _table_version(ns, table, **kwargs)
    stream = metastore.get_stream(ns, table, tv.table_version, **kwargs)
    partition = metastore.get_partition(stream.locator, None, **kwargs)
    info = partition.compaction_round_completion_info
    out[step["name"]] = {
        "partition_id": partition.partition_id,
        "hash_bucket_count": info.hash_bucket_count if info else None,
        "hb_index_to_entry_range": dict(info.hb_index_to_entry_range) if info else None,
        "high_watermark": info.high_watermark if info else None,
        "compacted_stream_position": info.compacted_delta_locator.stream_position if info else None,
        "prev_source_partition_id": info.prev_source_partition_locator.partition_id if info else None,
        "records": info.compacted_pyarrow_write_result.records if info else None,
        "files": info.compacted_pyarrow_write_result.files if info else None,
    }


if __name__ == "__main__":
    interop_steps.main(
        {"compact": lambda step, out: compact(step), "merge": lambda step, out: merge(step),
         "delete": lambda step, out: delete(step), "read": read, "rci": rci},
        keep_going=False)
