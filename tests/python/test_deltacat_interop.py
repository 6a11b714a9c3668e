"""deltacat_cpp next to Python DeltaCAT in one interpreter (runs only where `deltacat` is
installed, e.g. venv-interop with the wheel on PYTHONPATH)."""

from __future__ import annotations

import pyarrow as pa
import pytest

deltacat = pytest.importorskip("deltacat")


def test_deltacat_enums_are_accepted(dc):
    dc.write(
        pa.table({"id": [1, 2]}),
        "t",
        mode=deltacat.TableWriteMode.AUTO,
        content_type=deltacat.ContentType.PARQUET,
        table_properties={deltacat.TableProperty.APPENDED_DELTA_COUNT_COMPACTION_TRIGGER: 5},
    )
    assert dc.get_table("t").properties["appended_delta_count_compaction_trigger"] == 5
    assert dc.read("t", read_as=deltacat.DatasetType.PYARROW).num_rows == 2


def test_python_deltacat_reads_what_deltacat_cpp_wrote(dc):
    dc.write(pa.table({"id": [1, 2, 3], "name": ["a", "b", "c"]}), "users")
    deltacat.init_local(dc.get_catalog().root, force=True)
    table = deltacat.read_table("users", read_as=deltacat.DatasetType.PYARROW)
    assert sorted(table.column("id").to_pylist()) == [1, 2, 3]
