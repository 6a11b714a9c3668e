"""Namespace API."""

from __future__ import annotations

import pyarrow as pa
import pytest

PROPERTIES = {
    "owner": "me",
    "count": 3,
    "ratio": 0.5,
    "enabled": True,
    "tags": ["a", "b"],
    "nothing": None,
}


def test_default_namespace_exists(dc):
    assert dc.default_namespace() == "default"
    assert dc.namespace_exists("default")
    assert [ns.name for ns in dc.list_namespaces()] == ["default"]


def test_create_get_and_list(dc):
    created = dc.create_namespace("n1", properties=PROPERTIES)
    assert created.namespace == created.name == "n1"
    assert created.properties == PROPERTIES
    fetched = dc.get_namespace("n1")
    assert fetched.name == "n1"
    assert fetched.properties == PROPERTIES
    assert dc.namespace_exists("n1")
    listed = dc.list_namespaces()
    assert sorted(ns.name for ns in listed.all_items()) == ["default", "n1"]
    assert listed.read_page() == list(listed)
    assert listed.next_page() is None and listed.pagination_key is None
    assert repr(fetched) == "Namespace(name='n1')"


def test_create_existing_namespace_fails(dc):
    dc.create_namespace("n1")
    with pytest.raises(dc.NamespaceAlreadyExistsError):
        dc.create_namespace("n1")


def test_missing_namespace(dc):
    assert dc.get_namespace("missing") is None
    assert not dc.namespace_exists("missing")
    with pytest.raises(dc.NamespaceNotFoundError):
        dc.alter_namespace("missing", properties={"a": 1})
    with pytest.raises(dc.NamespaceNotFoundError):
        dc.drop_namespace("missing")
    with pytest.raises(dc.NamespaceNotFoundError):
        dc.list_tables("missing")


def test_alter_namespace_properties(dc):
    dc.create_namespace("n1", {"a": 1})
    dc.alter_namespace("n1", properties={"b": "two"})
    assert dc.get_namespace("n1").properties == {"b": "two"}


def test_rename_namespace_moves_its_tables(dc):
    dc.create_namespace("n1")
    dc.write(pa.table({"x": [1, 2]}), "t", namespace="n1")
    dc.alter_namespace("n1", new_namespace="n2")
    assert not dc.namespace_exists("n1")
    assert dc.namespace_exists("n2")
    assert dc.table_exists("t", namespace="n2")
    assert dc.read("t", "n2").num_rows == 2


def test_rename_onto_existing_namespace_fails(dc):
    dc.create_namespace("n1")
    dc.create_namespace("n2")
    with pytest.raises(dc.NamespaceAlreadyExistsError):
        dc.alter_namespace("n1", new_namespace="n2")


def test_drop_namespace(dc):
    dc.create_namespace("n1")
    dc.drop_namespace("n1")
    assert not dc.namespace_exists("n1")
    with pytest.raises(dc.NamespaceNotFoundError):
        dc.list_tables("n1")
    dc.create_namespace("n1")
    assert list(dc.list_tables("n1")) == []


def test_drop_namespace_purge_is_not_implemented(dc):
    dc.create_namespace("n1")
    with pytest.raises(NotImplementedError, match="Purge"):
        dc.drop_namespace("n1", purge=True)
    assert dc.namespace_exists("n1")


def test_bad_properties_are_type_errors(dc):
    with pytest.raises(TypeError, match="properties 'when' has unsupported type"):
        dc.create_namespace("n1", {"when": object()})
    with pytest.raises(TypeError, match="keys must be str"):
        dc.create_namespace("n1", {1: "x"})
    with pytest.raises(TypeError, match="must be a dict"):
        dc.create_namespace("n1", ["a"])
    with pytest.raises(TypeError, match="list values must hold only str"):
        dc.create_namespace("n1", {"l": ["a", 1]})
    with pytest.raises(ValueError, match="out of the 64-bit range"):
        dc.create_namespace("n1", {"big": 2**64})
    assert not dc.namespace_exists("n1")


def test_bad_names_are_type_errors(dc):
    with pytest.raises(TypeError):
        dc.create_namespace(42)
    with pytest.raises(TypeError):
        dc.namespace_exists(None)
