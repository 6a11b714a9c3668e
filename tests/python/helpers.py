"""Helpers shared by the tests."""

from __future__ import annotations

import pyarrow as pa


def sorted_rows(table: pa.Table, key: str = "id") -> list:
    """The table's rows as dicts, sorted by `key` (a read does not promise an order)."""
    return sorted(table.to_pylist(), key=lambda row: row[key])
