"""write / read: datasets in and out, write modes, projection, filters, time travel."""

from __future__ import annotations

import datetime
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from helpers import sorted_rows

import deltacat_cpp

MERGE_SCHEMA = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("age", pa.int64()),
    ]
)


def test_first_write_creates_the_table(dc, users):
    deltas = dc.write(users, "users")
    assert len(deltas) == 1
    delta = deltas[0]
    assert delta.stream_position == 1
    assert delta.type == dc.DeltaType.APPEND
    assert delta.record_count == 3
    assert delta.file_count >= 1
    assert "Delta(stream_position=1" in repr(delta)
    definition = dc.get_table("users")
    assert definition.table_version.schema.names == ["id", "name", "age"]
    result = dc.read("users")
    assert isinstance(result, pa.Table)
    assert sorted_rows(result) == sorted_rows(users)


def test_aliases(dc, users):
    dc.write_to_table(users, "users", namespace="default")
    assert dc.read_table("users", namespace="default").num_rows == 3


def test_second_auto_write_adds_and_evolves_the_schema(dc, users):
    dc.write(users, "users")
    more = pa.table({"id": [4, 5], "name": ["dan", "eve"], "age": [40, 45], "city": ["x", "y"]})
    delta = dc.write(more, "users")[0]
    assert delta.type == dc.DeltaType.ADD
    result = dc.read("users")
    assert result.num_rows == 5
    assert "city" in result.column_names
    assert dc.get_table("users").table_version.schema.names[-1] == "city"


def test_record_batch_reader_input_is_streamed(dc):
    schema = pa.schema([("x", pa.int64())])
    pulled = []

    def batches():
        for i in range(20):
            pulled.append(i)
            yield pa.record_batch([pa.array(range(i * 100, (i + 1) * 100), pa.int64())], schema=schema)

    dc.write(pa.RecordBatchReader.from_batches(schema, batches()), "big")
    assert pulled == list(range(20))
    result = dc.read("big")
    assert result.num_rows == 2000
    assert sorted(result.column("x").to_pylist()) == list(range(2000))


def test_record_batch_and_dict_and_numpy_inputs(dc):
    dc.write(pa.record_batch({"a": [1, 2]}), "t")
    dc.write({"a": [3]}, "t")
    assert sorted(dc.read("t").column("a").to_pylist()) == [1, 2, 3]
    np = pytest.importorskip("numpy")
    dc.write(np.array([[1, 2], [3, 4]]), "matrix")
    assert dc.read("matrix").column_names == ["0", "1"]


def test_pandas_input_and_output(dc, users):
    pd = pytest.importorskip("pandas")
    frame = users.to_pandas()
    dc.write(frame, "users")
    back = dc.read("users", read_as=dc.DatasetType.PANDAS)
    assert isinstance(back, pd.DataFrame)
    assert sorted(back["id"].tolist()) == [1, 2, 3]
    array = dc.read("users", columns=["id", "age"], read_as="numpy")
    assert array.shape == (3, 2)


def test_polars_input_and_output(dc):
    pl = pytest.importorskip("polars")
    dc.write(pl.DataFrame({"a": [1, 2, 3]}), "t")
    back = dc.read("t", read_as=dc.DatasetType.POLARS)
    assert isinstance(back, pl.DataFrame)
    assert sorted(back["a"].to_list()) == [1, 2, 3]


def test_unsupported_inputs(dc):
    with pytest.raises(ValueError, match="No schema inference function found"):
        dc.write(object(), "t")
    with pytest.raises(ValueError, match="No schema inference function found"):
        dc.write([1, 2, 3], "t")
    assert not dc.table_exists("t")


def test_bad_write_arguments(dc, users):
    with pytest.raises(ValueError, match="invalid mode 'upsert'"):
        dc.write(users, "t", mode="upsert")
    with pytest.raises(ValueError, match="invalid content_type"):
        dc.write(users, "t", content_type="image/png")
    with pytest.raises(TypeError, match="unexpected keyword arguments: colour"):
        dc.write(users, "t", colour="red")
    with pytest.raises(ValueError, match="max_records_per_file must be >= 0"):
        dc.write(users, "t", max_records_per_file=-1)
    with pytest.raises(ValueError, match="not both"):
        dc.write(users, "t", max_records_per_file=1, max_records_per_entry=1)
    with pytest.raises(NotImplementedError, match="partitioned"):
        dc.write(users, "t", partition_scheme=object())
    assert not dc.table_exists("t")


def test_max_records_per_file_splits_files(dc):
    delta = dc.write(pa.table({"x": list(range(10))}), "t", max_records_per_file=3)[0]
    assert delta.file_count == 4
    delta = dc.write(pa.table({"x": list(range(4))}), "t", max_records_per_entry=2)[0]
    assert delta.file_count == 2


def test_create_mode(dc, users):
    dc.write(users, "users", mode=dc.TableWriteMode.CREATE)
    with pytest.raises(dc.TableAlreadyExistsError):
        dc.write(users, "users", mode=dc.TableWriteMode.CREATE)


def test_modes_that_need_an_existing_table(dc, users):
    for mode in ["add", "append", "replace", "merge", "delete"]:
        with pytest.raises(dc.TableNotFoundError):
            dc.write(users, "missing", mode=mode)
    assert not dc.table_exists("missing")


def test_append_keeps_order(dc):
    dc.create_table("o", schema=pa.schema([("id", pa.int64())]))
    positions = [
        dc.write(pa.table({"id": ids}), "o", mode="append")[0].stream_position
        for ids in ([1, 2], [3, 4], [5, 6])
    ]
    assert positions == [1, 2, 3]
    assert dc.read("o").column("id").to_pylist() == [1, 2, 3, 4, 5, 6]


def test_replace(dc, users):
    dc.write(users, "users")
    dc.write(pa.table({"id": [9], "name": ["zed"], "age": [99]}), "users", mode="replace")
    assert dc.read("users").to_pylist() == [{"id": 9, "name": "zed", "age": 99}]


def test_merge_and_delete_need_merge_keys(dc, users):
    dc.write(users, "plain")
    with pytest.raises(dc.TableValidationError, match="merge key"):
        dc.write(users, "plain", mode="merge")
    with pytest.raises(dc.TableValidationError, match="merge key"):
        dc.write(users, "plain", mode="delete")


def test_append_on_merge_key_table_is_a_schema_validation_error(dc, users):
    dc.create_table("keyed", schema=MERGE_SCHEMA, merge_keys=["id"])
    with pytest.raises(dc.SchemaValidationError):
        dc.write(users, "keyed", mode="append")
    with pytest.raises(dc.SchemaValidationError):
        dc.write(users, "keyed", mode="add")


def test_upsert_and_delete(dc, users):
    dc.create_table("keyed", schema=MERGE_SCHEMA, merge_keys=["id"])
    dc.write(users, "keyed", mode="merge")
    update = pa.table(
        {"id": pa.array([2, 4], pa.int64()), "name": ["bobby", "dan"], "age": pa.array([26, 40])}
    )
    delta = dc.write(update, "keyed", mode=dc.TableWriteMode.MERGE)[0]
    assert delta.type == dc.DeltaType.UPSERT
    assert sorted_rows(dc.read("keyed")) == [
        {"id": 1, "name": "alice", "age": 30},
        {"id": 2, "name": "bobby", "age": 26},
        {"id": 3, "name": "carol", "age": 35},
        {"id": 4, "name": "dan", "age": 40},
    ]
    dc.write(pa.table({"id": pa.array([1, 99], pa.int64())}), "keyed", mode="delete")
    assert [row["id"] for row in sorted_rows(dc.read("keyed"))] == [2, 3, 4]


def test_schemaless_write(dc, users):
    dc.write(users, "loose", schema=None)
    assert dc.get_table("loose").table_version.schema is None


def test_write_with_explicit_schema_and_merge_keys(dc, users):
    dc.write(users, "keyed", schema=MERGE_SCHEMA, merge_keys=["id"])
    version = dc.get_table("keyed").table_version
    assert version.merge_keys == ["id"]
    assert version.schema.field("id").nullable is False


def test_write_to_a_missing_namespace(dc, users):
    with pytest.raises(dc.NamespaceNotFoundError):
        dc.write(users, "t", namespace="missing")
    assert not dc.namespace_exists("missing")


def test_write_auto_creates_the_namespace(dc, users):
    dc.write(users, "t", "fresh", auto_create_namespace=True, namespace_properties={"a": "b"})
    assert dc.get_namespace("fresh").properties == {"a": "b"}
    assert dc.read("t", "fresh").num_rows == 3


def test_write_alters_an_existing_table_first(dc, users):
    dc.write(users, "users", table_description="first")
    dc.write(users, "users", table_description="second", table_properties={"owner": "me"})
    definition = dc.get_table("users")
    assert definition.description == "second"
    assert definition.properties["owner"] == "me"
    assert dc.read("users").num_rows == 6


def test_write_with_delta_properties(dc, users):
    delta = dc.write(users, "users", properties={"source": "test"})[0]
    assert delta.record_count == 3


def test_read_columns(dc, users):
    dc.write(users, "users")
    assert dc.read("users", columns=["name"]).column_names == ["name"]
    assert dc.read("users", columns=["age", "id"]).column_names == ["age", "id"]
    with pytest.raises(dc.SchemaValidationError):
        dc.read("users", columns=["nope"])
    with pytest.raises(TypeError, match="list of column names"):
        dc.read("users", columns="name")


def test_read_filters(dc, users):
    dc.write(users, "users")
    by_text = dc.read("users", filter="age >= 30 and name != 'carol'")
    assert by_text.column("name").to_pylist() == ["alice"]
    by_expression = dc.read("users", filter=pc.field("id").isin([2, 3]))
    assert sorted(by_expression.column("id").to_pylist()) == [2, 3]
    assert dc.read("users", filter="id in (1, 3)", columns=["id"]).num_rows == 2
    with pytest.raises(ValueError):
        dc.read("users", filter="age >")
    with pytest.raises(dc.SchemaValidationError):
        dc.read("users", filter="height > 3")
    with pytest.raises(TypeError, match="filter must be"):
        dc.read("users", filter=3)


def test_read_file_path_column(dc, users):
    dc.write(users, "users")
    result = dc.read("users", file_path_column="path")
    assert result.column_names[-1] == "path"
    # Python DeltaCAT names Parquet files <uuid>.pq (docs/format.md); both are Parquet.
    paths = result.column("path").to_pylist()
    assert len(paths) == 3
    assert all(path.endswith((".pq", ".parquet")) for path in paths)


def test_read_as_unsupported_types(dc, users):
    dc.write(users, "users")
    for read_as in [dc.DatasetType.DAFT, "ray_dataset", dc.DatasetType.PYARROW_PARQUET]:
        with pytest.raises(NotImplementedError, match="not supported by deltacat_cpp"):
            dc.read("users", read_as=read_as)
    with pytest.raises(ValueError, match="invalid read_as"):
        dc.read("users", read_as="excel")


def test_read_missing_table(dc):
    with pytest.raises(dc.TableNotFoundError):
        dc.read("missing")


def test_read_as_of(dc, users):
    dc.write(users, "users")
    time.sleep(0.01)
    before = time.time_ns()
    time.sleep(0.01)
    dc.write(pa.table({"id": [4], "name": ["dan"], "age": [40]}), "users")
    assert dc.read("users").num_rows == 4
    assert dc.read("users", as_of=before).num_rows == 3
    as_datetime = datetime.datetime.fromtimestamp(before / 1e9, tz=datetime.timezone.utc)
    assert dc.read("users", as_of=as_datetime).num_rows == 3
    with pytest.raises(TypeError, match="as_of must be"):
        dc.read("users", as_of="yesterday")


def test_read_result_is_independent_of_the_catalog(dc, users):
    dc.write(users, "users")
    result = dc.read("users")
    dc.drop_table("users")
    dc.clear_catalogs()
    assert sorted(result.column("id").to_pylist()) == [1, 2, 3]
