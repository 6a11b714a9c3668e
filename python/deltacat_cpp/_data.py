"""Datasets in and out: what ``write`` accepts and what ``read`` returns.

Input goes to libdeltacat through the Arrow C stream interface (``__arrow_c_stream__``),
zero-copy. Output comes back the same way as a pyarrow.Table, then converted if ``read_as``
asks for another type.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import pyarrow as pa
import pyarrow.compute as pc

from ._types import DatasetType, coerce_enum

__all__ = [
    "check_read_as",
    "convert_table",
    "filter_arguments",
    "to_arrow_schema",
    "to_dataset",
    "to_stream_source",
]


def _is_type(data: Any, module_prefix: str, name: str) -> bool:
    cls = type(data)
    return cls.__module__.split(".")[0] == module_prefix and cls.__name__ == name


def to_stream_source(data: Any) -> Any:
    """An object exporting ``__arrow_c_stream__`` for ``data``.

    Passed through as is (zero-copy): pyarrow Table / RecordBatch / RecordBatchReader,
    polars DataFrame and anything else with ``__arrow_c_stream__``. Converted: pandas
    DataFrames (pyarrow.Table.from_pandas, index dropped), dicts of columns (pyarrow.table),
    objects with ``__arrow_c_array__``, 1-D and 2-D NumPy arrays (columns "0", "1", ... as in
    DeltaCAT) and objects with ``to_arrow()``. Anything else raises ValueError.
    """
    if hasattr(data, "__arrow_c_stream__"):
        return data
    if _is_type(data, "pandas", "DataFrame"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if isinstance(data, dict):
        return pa.table(data)
    if hasattr(data, "__arrow_c_array__"):
        return pa.record_batch(data)
    if _is_type(data, "numpy", "ndarray"):
        if data.ndim == 1:
            return pa.table({"0": data})
        if data.ndim == 2:
            return pa.table({str(i): data[:, i] for i in range(data.shape[1])})
        raise ValueError(
            f"NumPy arrays with {data.ndim} dimensions are not supported (only 1-D and 2-D)"
        )
    to_arrow = getattr(data, "to_arrow", None)
    if callable(to_arrow):
        converted = to_arrow()
        if hasattr(converted, "__arrow_c_stream__"):
            return converted
    raise ValueError(f"No schema inference function found for table type {type(data)}")


def to_arrow_schema(schema: Any) -> Any:
    """``schema`` as something exporting ``__arrow_c_schema__``: a pyarrow.Schema (or any
    exporter) as is, a Python DeltaCAT ``Schema`` through its ``.arrow``; None stays None."""
    if schema is None or hasattr(schema, "__arrow_c_schema__"):
        return schema
    arrow = getattr(schema, "arrow", None)
    if arrow is not None and hasattr(arrow, "__arrow_c_schema__"):
        return arrow
    raise TypeError(
        f"schema must be a pyarrow.Schema (or export __arrow_c_schema__), got {type(schema).__name__}"
    )


def filter_arguments(row_filter: Union[str, pc.Expression, None]) -> Tuple[Optional[str], Any]:
    """(text, serialized expression) for the native read.

    A str uses the CLI's --where syntax (``"id > 3 and name = 'x'"``); a
    pyarrow.compute.Expression is handed over in Arrow's own serialization, which pyarrow
    produces for pickling.
    """
    if row_filter is None:
        return None, None
    if isinstance(row_filter, str):
        return row_filter, None
    if isinstance(row_filter, pc.Expression):
        _, (serialized,) = row_filter.__reduce__()
        return None, serialized
    raise TypeError(
        "filter must be a str (--where syntax) or a pyarrow.compute.Expression, "
        f"got {type(row_filter).__name__}"
    )


def check_read_as(read_as: Union[DatasetType, str]) -> DatasetType:
    """The DatasetType to return; NotImplementedError for the distributed and lazy types."""
    dataset_type = coerce_enum(DatasetType, read_as, "read_as")
    if dataset_type not in (
        DatasetType.PYARROW,
        DatasetType.PANDAS,
        DatasetType.POLARS,
        DatasetType.NUMPY,
    ):
        raise NotImplementedError(
            f"read_as={dataset_type.name} is not supported by deltacat_cpp; use PYARROW, "
            "PANDAS, POLARS or NUMPY"
        )
    return dataset_type


def to_dataset(stream_capsule: Any, dataset_type: DatasetType) -> Any:
    """The read result (an "arrow_array_stream" capsule) as ``dataset_type``."""
    table = pa.RecordBatchReader._import_from_c_capsule(stream_capsule).read_all()
    return convert_table(table, dataset_type)


def convert_table(table: pa.Table, dataset_type: DatasetType) -> Any:
    """``table`` as ``dataset_type`` (one of those check_read_as accepts)."""
    if dataset_type is DatasetType.PYARROW:
        return table
    if dataset_type is DatasetType.PANDAS:
        return table.to_pandas()
    if dataset_type is DatasetType.POLARS:
        import polars

        return polars.from_arrow(table)
    return table.to_pandas().to_numpy()
