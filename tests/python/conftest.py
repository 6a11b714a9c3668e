"""Shared fixtures: a fresh local catalog per test, registered as the default catalog."""

from __future__ import annotations

import pyarrow as pa
import pytest

import deltacat_cpp


@pytest.fixture
def dc(tmp_path):
    """The deltacat_cpp module with a new local catalog at tmp_path/catalog as default."""
    deltacat_cpp.init_local(tmp_path / "catalog", force=True)
    yield deltacat_cpp
    deltacat_cpp.clear_catalogs()


@pytest.fixture
def users() -> pa.Table:
    return pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int64()),
            "name": ["alice", "bob", "carol"],
            "age": pa.array([30, 25, 35], pa.int64()),
        }
    )



@pytest.fixture
def fresh_registry():
    """An uninitialized catalog registry for the test, and again after it."""
    registry = deltacat_cpp._registry._registry

    def reset():
        registry.catalogs, registry.default, registry.initialized = {}, None, False

    reset()
    yield
    reset()
