#!/usr/bin/env python3
"""Drives the real Python DeltaCAT (2.0.0.post4) catalog API for the catalog interop tests.

    venv-interop/bin/python tests/integration/catalog_interop.py ROOT STEPS.json OUT.json

STEPS.json is a list of steps, run in order in one process (table names in namespace
"default" unless a step gives "namespace"):

  {"op": "create", "table": T, "fields": [{"name": N, "type": "int64"|"string"|"float64",
   "merge_key": bool}], "properties": {...}?}
      create_table with that schema (and table properties).
  {"op": "write", "table": T, "mode": "auto"|"create"|"add"|"append"|"replace"|"merge"|
   "delete", "rows": {column: [values]}, "name": KEY?}
      write_to_table(mode=...). Columns the table's schema knows are typed by it (in schema
      order, as Python's compactor needs); others are inferred. With "name", OUT[KEY] gets the
      returned delta's type and stream position.
  {"op": "read", "table": T, "name": KEY, "ordered": bool?}
      OUT[KEY] = every row (dicts), sorted by their JSON text unless "ordered".
  {"op": "schema", "table": T, "name": KEY}
      OUT[KEY] = {"names": [...], "merge_keys": [...], "schema_id": n}.

An exception in a step is recorded as OUT["errors"][i] = "<Class>: <message>" and the run goes
on, so the C++ test can show it.
"""
from __future__ import annotations

import interop_steps

interop_steps.isolate_environment("dc-catalog-interop-")

import pyarrow as pa  # noqa: E402

import deltacat as dc  # noqa: E402
from deltacat import DatasetType, TableWriteMode  # noqa: E402

CAT = interop_steps.CATALOG
TYPES = {"int64": pa.int64(), "string": pa.string(), "float64": pa.float64()}


def _ns(step):
    return step.get("namespace", "default")


def _current_schema(step):
    table = dc.get_table(step["table"], namespace=_ns(step), catalog=CAT)
    if table is None or table.table_version is None or table.table_version.schema is None:
        return None
    return table.table_version.schema.arrow


def create(step):
    fields = [
        dc.Field.of(pa.field(f["name"], TYPES[f["type"]]), is_merge_key=f.get("merge_key") or None)
        for f in step["fields"]
    ]
    props = step.get("properties")
    dc.create_table(step["table"], namespace=_ns(step), schema=dc.Schema.of(fields),
                    table_properties=props, catalog=CAT)


def _rows_as_arrow(step):
    rows = step["rows"]
    schema = _current_schema(step)
    columns = {}
    if schema is not None:
        for field in schema:
            if field.name in rows:
                columns[field.name] = pa.array(rows[field.name], field.type)
    for name, values in rows.items():
        if name not in columns:
            columns[name] = pa.array(values)
    return pa.table(columns)


def write(step, out):
    deltas = dc.write_to_table(_rows_as_arrow(step), step["table"], namespace=_ns(step),
                               mode=TableWriteMode(step["mode"]), catalog=CAT)
    if step.get("name"):
        delta = deltas[0] if isinstance(deltas, list) else deltas
        out[step["name"]] = {"type": delta.type.value, "stream_position": delta.stream_position}


def read(step, out):
    t = dc.read_table(step["table"], namespace=_ns(step), catalog=CAT, read_as=DatasetType.PYARROW)
    out[step["name"]] = interop_steps.table_rows(t, ordered=step.get("ordered", False))


def schema(step, out):
    table = dc.get_table(step["table"], namespace=_ns(step), catalog=CAT)
    s = table.table_version.schema
    out[step["name"]] = {
        "names": s.arrow.names,
        "merge_keys": [f.arrow.name for f in s.fields if f.is_merge_key],
        "schema_id": s.id,
    }


if __name__ == "__main__":
    interop_steps.main(
        {"create": lambda step, out: create(step), "write": write, "read": read, "schema": schema},
        keep_going=True)
