"""The catalog registry: init, init_local, get_catalog, put_catalog, pop_catalog, ..."""

from __future__ import annotations

import os

import pyarrow as pa
import pytest

import deltacat_cpp as dc


pytestmark = pytest.mark.usefixtures("fresh_registry")


def test_nothing_registered_before_init():
    assert not dc.is_initialized()
    with pytest.raises(RuntimeError, match="not initialized"):
        dc.raise_if_not_initialized()
    with pytest.raises(ValueError, match="No catalogs available"):
        dc.get_catalog()
    with pytest.raises(ValueError, match="No catalogs available"):
        dc.list_namespaces()


def test_init_local_registers_default(tmp_path):
    dc.init_local(tmp_path)
    assert dc.is_initialized()
    dc.raise_if_not_initialized()
    catalog = dc.get_catalog()
    assert catalog is dc.get_catalog("default")
    assert os.path.realpath(catalog.root) == os.path.realpath(tmp_path)
    assert [ns.namespace for ns in dc.list_namespaces()] == ["default"]


def test_init_local_defaults_to_deltacat_root(tmp_path, monkeypatch):
    monkeypatch.setenv("DELTACAT_ROOT", str(tmp_path / "from_env"))
    dc.init_local()
    assert os.path.realpath(dc.get_catalog().root) == os.path.realpath(tmp_path / "from_env")


def test_init_local_defaults_to_dot_deltacat_in_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv("DELTACAT_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    dc.init_local()
    assert os.path.realpath(dc.get_catalog().root) == os.path.realpath(tmp_path / ".deltacat")


def test_second_init_is_a_no_op_unless_forced(tmp_path):
    dc.init_local(tmp_path / "a")
    with pytest.warns(UserWarning, match="already initialized"):
        dc.init_local(tmp_path / "b")
    assert dc.get_catalog().root.endswith("a")
    dc.init_local(tmp_path / "b", force=True)
    assert dc.get_catalog().root.endswith("b")


def test_init_with_several_catalogs_and_no_default(tmp_path):
    dc.init({"a": dc.Catalog(tmp_path / "a"), "b": dc.Catalog(root=tmp_path / "b")})
    with pytest.raises(ValueError, match="No default catalog"):
        dc.get_catalog()
    with pytest.raises(ValueError, match="No default catalog"):
        dc.write(pa.table({"x": [1]}), "t")
    dc.write(pa.table({"x": [1]}), "t", catalog="a")
    assert dc.table_exists("t", catalog="a")
    assert not dc.table_exists("t", catalog="b")
    assert dc.read("t", catalog=dc.get_catalog("a")).num_rows == 1


def test_init_default_must_be_registered(tmp_path):
    with pytest.raises(ValueError, match="Default catalog 'c' not found"):
        dc.init({"a": dc.Catalog(tmp_path / "a")}, default="c")
    dc.init({"a": tmp_path / "a", "b": dc.CatalogProperties(root=str(tmp_path / "b"))}, default="b")
    assert dc.get_catalog().root.endswith("b")


def test_init_with_a_single_catalog_makes_it_default(tmp_path):
    catalog = dc.Catalog(dc.CatalogProperties(root=str(tmp_path)))
    dc.init(catalog)
    assert dc.get_catalog() is catalog
    assert dc.get_catalog("default") is catalog


def test_init_rejects_bad_catalogs(tmp_path):
    with pytest.raises(ValueError, match="expected a Catalog"):
        dc.init({"a": 42})
    with pytest.raises(ValueError, match="non-empty strings"):
        dc.init({"": dc.Catalog(tmp_path)})
    with pytest.raises(ValueError, match="config must be"):
        dc.Catalog(42)
    with pytest.raises(ValueError, match="not both"):
        dc.Catalog(str(tmp_path), root=str(tmp_path))


def test_get_catalog_unknown_name(tmp_path):
    dc.init_local(tmp_path)
    with pytest.raises(ValueError, match="Catalog 'nope' not found"):
        dc.get_catalog("nope")


def test_put_catalog_initializes_replaces_and_fails_if_asked(tmp_path):
    first = dc.put_catalog("x", root=tmp_path / "a")
    assert dc.is_initialized()
    assert dc.get_catalog() is first
    second = dc.put_catalog("x", root=tmp_path / "b")
    assert dc.get_catalog("x") is second
    with pytest.raises(ValueError, match="Catalog 'x' already exists"):
        dc.put_catalog("x", root=tmp_path / "a", fail_if_exists=True)
    third = dc.put_catalog("y", dc.Catalog(tmp_path / "c"))
    assert dc.get_catalog() is second  # "y" is not the only one and not default=True
    dc.put_catalog("z", dc.Catalog(tmp_path / "d"), default=True)
    assert dc.get_catalog().root.endswith("d")
    assert dc.get_catalog("y") is third
    with pytest.raises(ValueError, match="non-empty string"):
        dc.put_catalog(None, root=tmp_path)
    with pytest.raises(ValueError, match="not both"):
        dc.put_catalog("w", dc.Catalog(tmp_path / "e"), root=tmp_path / "e")


def test_pop_and_clear(tmp_path):
    assert dc.pop_catalog("x") is None
    catalog = dc.put_catalog("x", root=tmp_path)
    assert dc.pop_catalog("x") is catalog
    assert dc.pop_catalog("x") is None
    with pytest.raises(ValueError):
        dc.get_catalog()
    dc.put_catalog("y", root=tmp_path)
    dc.clear_catalogs()
    with pytest.raises(ValueError, match="No catalogs available"):
        dc.get_catalog("y")


def test_catalog_repr_and_root_is_canonical(tmp_path):
    catalog = dc.Catalog(str(tmp_path / "sub" / ".." / "lake"))
    assert os.path.realpath(catalog.root) == os.path.realpath(tmp_path / "lake")
    assert repr(catalog) == f"Catalog(root={catalog.root!r})"
    assert isinstance(catalog.native, dc._native.Catalog)


def test_reopening_a_catalog_sees_its_data(tmp_path):
    dc.write(pa.table({"x": [1, 2]}), "t", catalog=dc.Catalog(tmp_path))
    assert dc.read("t", catalog=dc.Catalog(tmp_path)).num_rows == 2
