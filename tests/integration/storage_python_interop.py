"""Reads a catalog written by DeltaCAT C++ with the real Python package, then writes to it.

Usage: storage_python_interop.py CATALOG_ROOT
Prints one JSON object with what Python saw; exceptions are reported in it, not raised, so the
C++ test can show them. Run with the interop venv (deltacat 2.0.0.post4).
"""

import json
import sys
import traceback


def main(root: str) -> dict:
    import deltacat as dc
    from deltacat.storage import metastore

    out: dict = {"deltacat_version": dc.__version__}

    def attempt(key, fn):
        try:
            out[key] = fn()
        except Exception as e:  # report, keep going
            out[key] = {"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}

    # Opening a catalog writes a version marker and creates namespace "default" if missing.
    p = dc.CatalogProperties(root=root)
    attempt("namespaces", lambda: sorted(
        n.namespace for n in metastore.list_namespaces(inner=p).all_items()))
    attempt("namespace_properties", lambda: metastore.get_namespace("cppns", inner=p).properties)

    def table():
        t = metastore.get_table("cppns", "events", inner=p)
        return [t.namespace, t.table_name, t.description, t.latest_active_table_version]
    attempt("table", table)
    attempt("tables", lambda: sorted(
        t.table_name for t in metastore.list_tables("cppns", inner=p).all_items()))
    attempt("table_version", lambda: metastore.get_table_version(
        "cppns", "events", "1", inner=p).table_version)

    def partition_and_deltas():
        stream = metastore.get_stream("cppns", "events", "1", inner=p)
        part = metastore.get_partition(stream.locator, None, inner=p)
        deltas = metastore.list_partition_deltas(part, ascending_order=True, inner=p).all_items()
        return {
            "stream_id": stream.stream_id,
            "partition_id": part.partition_id,
            "partition_state": part.state.value if part.state else None,
            "stream_position": part.stream_position,
            "deltas": [[d.stream_position, d.namespace, d.table_name, d.type.value] for d in deltas],
        }
    attempt("partition", partition_and_deltas)

    def history():
        dc.init()
        dc.put_catalog("cpp", dc.Catalog(config=p))
        txns = dc.transactions(catalog_name="cpp", limit=None, read_as=dc.DatasetType.PYARROW)
        rows = txns.to_pylist()
        return sorted([r["operation_count"], sorted(r["operation_types"])] for r in rows)
    attempt("history", history)

    # Python writes on top of the C++ history.
    attempt("update_namespace", lambda: metastore.update_namespace(
        "cppns", properties={"by": "python"}, inner=p) or "ok")
    attempt("rename_table", lambda: metastore.update_table(
        "cppns", "events", new_table_name="events_py", inner=p) and "ok")
    attempt("create_namespace", lambda: metastore.create_namespace("pyns", inner=p).namespace)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), default=str))
