"""The Arrow C data interface boundary: zero-copy streams and schemas, and filters."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import deltacat_cpp as dc
from deltacat_cpp import _native


def _roundtrip(data) -> pa.Table:
    capsule = _native._stream_roundtrip(data)
    return pa.RecordBatchReader._import_from_c_capsule(capsule).read_all()


def _buffer_addresses(table: pa.Table) -> list:
    return [
        buffer.address if buffer is not None else None
        for column in table.columns
        for chunk in column.chunks
        for buffer in chunk.buffers()
    ]


def test_stream_roundtrip_is_zero_copy():
    table = pa.table({"id": pa.array(range(1000), pa.int64()), "name": [str(i) for i in range(1000)]})
    back = _roundtrip(table)
    assert back.equals(table)
    assert _buffer_addresses(back) == _buffer_addresses(table)


def test_record_batch_reader_is_streamed_lazily():
    schema = pa.schema([("x", pa.int32())])
    produced = []

    def batches():
        for i in range(5):
            produced.append(i)
            yield pa.record_batch([pa.array([i] * 10, pa.int32())], schema=schema)

    reader = pa.RecordBatchReader.from_batches(schema, batches())
    capsule = _native._stream_roundtrip(reader)
    # Importing and re-exporting pulls nothing: the batches are produced when consumed.
    assert produced == []
    back = pa.RecordBatchReader._import_from_c_capsule(capsule).read_all()
    assert produced == [0, 1, 2, 3, 4]
    assert back.num_rows == 50


def test_record_batch_exports_a_stream():
    batch = pa.record_batch({"a": [1, 2, 3]})
    assert _roundtrip(batch).to_pylist() == [{"a": 1}, {"a": 2}, {"a": 3}]


def test_consumed_stream_is_rejected():
    reader = pa.RecordBatchReader.from_batches(pa.schema([("a", pa.int64())]), [])
    capsule = reader.__arrow_c_stream__()

    class Exporter:
        def __arrow_c_stream__(self, requested_schema=None):
            return capsule

    _native._stream_roundtrip(Exporter())
    with pytest.raises(ValueError, match="already consumed"):
        _native._stream_roundtrip(Exporter())


def test_non_exporter_is_a_type_error():
    with pytest.raises(TypeError, match="__arrow_c_stream__.*got list"):
        _native._stream_roundtrip([1, 2, 3])


def test_wrong_capsule_is_a_type_error():
    class BadExporter:
        def __arrow_c_stream__(self, requested_schema=None):
            return pa.schema([("a", pa.int64())]).__arrow_c_schema__()

    with pytest.raises(TypeError, match="did not return a 'arrow_array_stream' PyCapsule"):
        _native._stream_roundtrip(BadExporter())


def test_schema_roundtrip_keeps_deltacat_metadata():
    schema = pa.schema(
        [
            pa.field("id", pa.int64(), nullable=False, metadata={"DELTACAT:merge_key": "True"}),
            pa.field("name", pa.string(), metadata={"PARQUET:field_id": "1"}),
        ],
        metadata={"DELTACAT:schema_id": "0"},
    )
    back = _native._schema_roundtrip(schema)
    assert back.equals(schema, check_metadata=True)
    assert _native._schema_roundtrip(None) is None
    with pytest.raises(TypeError, match="__arrow_c_schema__"):
        _native._schema_roundtrip("id int64")


def test_polars_dataframe_exports_a_stream():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert _roundtrip(frame).to_pylist() == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]


def test_filter_text_uses_the_where_syntax():
    rendered = _native._parse_filter("id > 3 and name = 'x'")
    assert "id" in rendered and "name" in rendered
    assert _native._parse_filter(None) is None


def test_filter_expression_is_deserialized_by_libarrow():
    expression = (pc.field("id") > 3) & pc.field("name").isin(["a", "b"])
    _, (serialized,) = expression.__reduce__()
    assert _native._parse_filter(serialized=serialized) == str(expression)


def test_bad_filters_are_value_errors():
    with pytest.raises(ValueError):
        _native._parse_filter("id >")
    with pytest.raises(ValueError, match="cannot use the pyarrow.compute.Expression filter"):
        _native._parse_filter(serialized=b"not an expression")
    with pytest.raises(ValueError, match="not both"):
        _native._parse_filter("id > 1", b"x")


def test_filter_arguments_reject_other_types():
    from deltacat_cpp._data import filter_arguments

    assert filter_arguments("a = 1") == ("a = 1", None)
    text, serialized = filter_arguments(pc.field("a") == 1)
    assert text is None and isinstance(serialized, pa.Buffer)
    with pytest.raises(TypeError, match="filter must be a str"):
        filter_arguments(42)


def test_data_conversion_of_other_inputs():
    from deltacat_cpp._data import to_stream_source

    table = pa.table({"a": [1]})
    assert to_stream_source(table) is table
    assert pa.table(to_stream_source({"a": [1, 2]})).num_rows == 2
    with pytest.raises(ValueError, match="No schema inference function found for table type"):
        to_stream_source(object())


def test_numpy_arrays_become_numbered_columns():
    np = pytest.importorskip("numpy")
    from deltacat_cpp._data import to_stream_source

    two_d = pa.table(to_stream_source(np.array([[1, 2], [3, 4], [5, 6]])))
    assert two_d.column_names == ["0", "1"]
    assert two_d.column("1").to_pylist() == [2, 4, 6]
    assert pa.table(to_stream_source(np.array([7, 8]))).column_names == ["0"]
    with pytest.raises(ValueError, match="3 dimensions are not supported"):
        to_stream_source(np.zeros((2, 2, 2)))


def test_enums_accept_members_values_and_names():
    from deltacat_cpp._types import coerce_enum

    assert coerce_enum(dc.TableWriteMode, dc.TableWriteMode.MERGE, "mode") is dc.TableWriteMode.MERGE
    assert coerce_enum(dc.TableWriteMode, "merge", "mode") is dc.TableWriteMode.MERGE
    assert coerce_enum(dc.TableWriteMode, "MERGE", "mode") is dc.TableWriteMode.MERGE
    assert coerce_enum(dc.ContentType, "parquet", "content_type") is dc.ContentType.PARQUET
    assert coerce_enum(dc.ContentType, "text/csv", "content_type") is dc.ContentType.CSV
    with pytest.raises(ValueError, match="invalid mode 'upsert'.*TableWriteMode"):
        coerce_enum(dc.TableWriteMode, "upsert", "mode")
    with pytest.raises(ValueError, match="invalid mode 3"):
        coerce_enum(dc.TableWriteMode, 3, "mode")
