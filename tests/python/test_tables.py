"""Table API: create, get, exists, list, alter, rename, drop."""

from __future__ import annotations

import pyarrow as pa
import pytest

SCHEMA = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("age", pa.int64()),
    ]
)


def test_create_table_and_get_it(dc):
    definition = dc.create_table(
        "users",
        schema=SCHEMA,
        merge_keys=["id"],
        table_description="people",
        table_properties={"owner": "me"},
    )
    assert definition.namespace == "default"
    assert definition.table_name == "users"
    assert definition.description == "people"
    assert definition.properties["owner"] == "me"
    assert definition.latest_table_version == "1"
    assert definition.latest_active_table_version == "1"
    assert definition.has_stream
    version = definition.table_version
    assert version.table_version == "1"
    assert version.state == dc.LifecycleState.ACTIVE
    assert version.merge_keys == ["id"]
    assert version.schema.names == ["id", "name", "age"]
    assert version.schema.field("id").type == pa.int64()
    assert version.properties["owner"] == "me"
    assert "TableDefinition(namespace='default', table_name='users'" in repr(definition)

    fetched = dc.get_table("users")
    assert fetched.table_version.schema.names == ["id", "name", "age"]
    assert fetched.table_version.merge_keys == ["id"]
    assert dc.table_exists("users")
    assert dc.table_exists("users", table_version="1")


def test_create_schemaless_table(dc):
    dc.create_table("loose")
    version = dc.get_table("loose").table_version
    assert version.schema is None
    assert version.table_version == "1"
    assert version.state == dc.LifecycleState.ACTIVE


def test_create_existing_table(dc):
    dc.create_table("t", schema=SCHEMA, table_description="original")
    with pytest.raises(dc.TableAlreadyExistsError):
        dc.create_table("t", schema=SCHEMA)
    existing = dc.create_table("t", fail_if_exists=False, table_description="new")
    assert existing.description == "original"


def test_create_table_namespace_rules(dc):
    with pytest.raises(dc.NamespaceNotFoundError):
        dc.create_table("t", "missing", schema=SCHEMA)
    dc.create_table("t", "auto", schema=SCHEMA, auto_create_namespace=True)
    assert dc.namespace_exists("auto")
    assert dc.table_exists("t", "auto")


def test_create_table_bad_arguments(dc):
    with pytest.raises(ValueError, match="invalid lifecycle_state 'alive'"):
        dc.create_table("t", lifecycle_state="alive")
    with pytest.raises(ValueError, match="invalid content_types 'text/xml'"):
        dc.create_table("t", content_types=["text/xml"])
    with pytest.raises(TypeError, match="schema must be a pyarrow.Schema"):
        dc.create_table("t", schema="id int64")
    with pytest.raises(TypeError, match="table_properties"):
        dc.create_table("t", table_properties={"x": {1, 2}})
    with pytest.raises(NotImplementedError, match="partitioned"):
        dc.create_table("t", schema=SCHEMA, partition_scheme=object())
    with pytest.raises(NotImplementedError, match="sort keys"):
        dc.create_table("t", schema=SCHEMA, sort_keys=object())
    assert not dc.table_exists("t")


def test_create_table_with_content_types_and_properties(dc):
    definition = dc.create_table(
        "t",
        schema=SCHEMA,
        content_types=[dc.ContentType.PARQUET, "feather"],
        table_version_properties={dc.TableProperty.APPENDED_DELTA_COUNT_COMPACTION_TRIGGER: 5},
        table_version_description="v1",
    )
    version = definition.table_version
    assert version.content_types == [dc.ContentType.PARQUET, dc.ContentType.FEATHER]
    assert version.properties["appended_delta_count_compaction_trigger"] == 5
    assert version.description == "v1"


def test_get_missing_table_is_none(dc):
    assert dc.get_table("missing") is None
    assert dc.get_table("missing", "missing_namespace") is None
    assert not dc.table_exists("missing")


def test_table_exists_with_a_version(dc):
    dc.create_table("t", schema=SCHEMA)
    assert dc.table_exists("t", table_version="1")
    assert not dc.table_exists("t", table_version="9")
    missing_version = dc.get_table("t", table_version="9")
    assert missing_version.table_name == "t"
    assert missing_version.table_version is None


def test_list_tables(dc):
    dc.create_table("a", schema=SCHEMA)
    dc.create_table("b")
    dc.create_namespace("other")
    dc.create_table("c", "other", schema=SCHEMA)
    assert sorted(t.table_name for t in dc.list_tables()) == ["a", "b"]
    assert [t.table_name for t in dc.list_tables("other").all_items()] == ["c"]


def test_list_tables_with_table_lists_its_versions(dc):
    dc.create_table("a", schema=SCHEMA)
    versions = dc.list_tables(table="a")
    assert [d.table_version.table_version for d in versions] == ["1"]
    assert all(d.table_name == "a" for d in versions)
    with pytest.raises(dc.TableNotFoundError):
        dc.list_tables(table="missing")


def test_alter_table(dc):
    dc.create_table("t", schema=SCHEMA, table_description="before")
    dc.alter_table(
        "t",
        table_description="after",
        table_properties={"owner": "you"},
        table_version_properties={"team": "data"},
        table_version_description="version one",
    )
    definition = dc.get_table("t")
    assert definition.description == "after"
    assert definition.properties["owner"] == "you"
    assert definition.table_version.properties["team"] == "data"
    assert definition.table_version.description == "version one"


def test_alter_table_schema_adds_a_field(dc):
    dc.create_table("t", schema=SCHEMA)
    before = dc.get_table("t").table_version
    dc.alter_table("t", schema_updates=before.schema.append(pa.field("email", pa.string())))
    after = dc.get_table("t").table_version
    assert after.schema.names == ["id", "name", "age", "email"]
    assert after.schema_id == before.schema_id + 1


def test_alter_table_lifecycle_state(dc):
    dc.create_table("t", schema=SCHEMA)
    dc.alter_table("t", table_version="1", lifecycle_state=dc.LifecycleState.DEPRECATED)
    definition = dc.get_table("t", table_version="1")
    assert definition.table_version.state == dc.LifecycleState.DEPRECATED


def test_alter_table_errors(dc):
    with pytest.raises(dc.TableNotFoundError):
        dc.alter_table("missing", table_description="x")
    dc.create_table("t", schema=SCHEMA)
    with pytest.raises(NotImplementedError, match="Partition updates"):
        dc.alter_table("t", partition_updates={"a": 1})
    with pytest.raises(NotImplementedError, match="Sort scheme"):
        dc.alter_table("t", sort_scheme=object())
    with pytest.raises(ValueError, match="invalid lifecycle_state"):
        dc.alter_table("t", lifecycle_state="zombie")
    with pytest.raises(TypeError, match="schema must be"):
        dc.alter_table("t", schema_updates=42)


def test_alter_table_accepts_a_schema_update_object(dc):
    dc.create_table("t", schema=SCHEMA)
    new_schema = SCHEMA.append(pa.field("city", pa.string()))

    class SchemaUpdate:  # the shape of Python DeltaCAT's SchemaUpdate: apply() -> Schema
        def apply(self):
            class Schema:
                arrow = new_schema

            return Schema()

    dc.alter_table("t", schema_updates=SchemaUpdate())
    assert dc.get_table("t").table_version.schema.names[-1] == "city"


def test_rename_table(dc):
    dc.write(pa.table({"x": [1]}), "t")
    dc.rename_table("t", "u")
    assert dc.table_exists("u")
    assert not dc.table_exists("t")
    assert dc.read("u").num_rows == 1
    with pytest.raises(dc.TableNotFoundError):
        dc.rename_table("missing", "x")
    dc.create_table("v")
    with pytest.raises(dc.TableAlreadyExistsError):
        dc.rename_table("u", "v")


def test_drop_table(dc):
    dc.write(pa.table({"x": [1]}), "t")
    dc.drop_table("t")
    assert not dc.table_exists("t")
    with pytest.raises(dc.TableNotFoundError):
        dc.drop_table("t")
    dc.write(pa.table({"x": [1, 2]}), "t", mode=dc.TableWriteMode.CREATE)
    assert dc.read("t").num_rows == 2


def test_drop_table_purge_truncate_refresh_are_not_implemented(dc):
    dc.create_table("t")
    with pytest.raises(NotImplementedError, match="Purge"):
        dc.drop_table("t", purge=True)
    with pytest.raises(NotImplementedError):
        dc.truncate_table("t")
    with pytest.raises(NotImplementedError):
        dc.refresh_table("t")
    assert dc.table_exists("t")
