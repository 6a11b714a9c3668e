"""Enums with Python DeltaCAT's names and values.

They are ``str`` enums, like DeltaCAT's: every function also accepts the plain value
(``"merge"``, ``"application/parquet"``) and DeltaCAT's own enum members, which are equal
strings.
"""

from __future__ import annotations

from enum import Enum
from typing import Type, TypeVar, Union

__all__ = [
    "ContentEncoding",
    "ContentType",
    "DatasetType",
    "DeltaType",
    "LifecycleState",
    "SchemaConsistencyType",
    "SchemaEvolutionMode",
    "TableProperty",
    "TableReadOptimizationLevel",
    "TableWriteMode",
    "TransactionStatus",
]


class TableWriteMode(str, Enum):
    """How ``write`` treats the target table.

    AUTO: create the table if it is missing; else ADD (no merge keys) or MERGE (merge keys).
    CREATE: the table (or the named table version) must not exist yet.
    ADD: unordered append; the table must exist and have no merge keys.
    APPEND: ordered append; the table must exist and have no merge keys.
    CHRONO: append positioned by wall-clock milliseconds (DeltaCAT C++ only).
    REPLACE: replace all data of the table version.
    MERGE: upsert rows by the table's merge keys.
    DELETE: delete the rows whose merge keys match.
    """

    AUTO = "auto"
    CREATE = "create"
    ADD = "add"
    APPEND = "append"
    CHRONO = "chrono"
    REPLACE = "replace"
    MERGE = "merge"
    DELETE = "delete"


class ContentType(str, Enum):
    """The media type of a data file (the MIME string stored in manifests)."""

    PARQUET = "application/parquet"
    FEATHER = "application/feather"
    ORC = "application/orc"
    AVRO = "application/avro"
    CSV = "text/csv"
    TSV = "text/tsv"
    PSV = "text/psv"
    JSON = "application/json"
    UNESCAPED_TSV = "application/x-amzn-unescaped-tsv"
    BINARY = "application/octet-stream"


class ContentEncoding(str, Enum):
    """An encoding applied on top of a content type."""

    IDENTITY = "identity"
    GZIP = "gzip"
    DEFLATE = "deflate"
    ZSTD = "zstd"
    BZIP2 = "bzip2"
    SNAPPY = "snappy"


class LifecycleState(str, Enum):
    """Lifecycle of a table version; only ACTIVE versions are used by default."""

    CREATED = "created"
    UNRELEASED = "unreleased"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    BETA = "beta"
    DELETED = "deleted"


class SchemaConsistencyType(str, Enum):
    """Per-field handling of written columns whose type differs from the schema."""

    NONE = "none"
    COERCE = "coerce"
    VALIDATE = "validate"


class SchemaEvolutionMode(str, Enum):
    """What a write does with columns the schema does not have (table property)."""

    MANUAL = "manual"
    AUTO = "auto"
    DISABLED = "disabled"


class TableReadOptimizationLevel(str, Enum):
    """Table property ``read_optimization_level``."""

    NONE = "none"
    MODERATE = "moderate"
    MAX = "max"


class TableProperty(str, Enum):
    """Well-known table property keys."""

    READ_OPTIMIZATION_LEVEL = "read_optimization_level"
    RECORDS_PER_COMPACTED_FILE = "records_per_compacted_file"
    APPENDED_RECORD_COUNT_COMPACTION_TRIGGER = "appended_record_count_compaction_trigger"
    APPENDED_FILE_COUNT_COMPACTION_TRIGGER = "appended_file_count_compaction_trigger"
    APPENDED_DELTA_COUNT_COMPACTION_TRIGGER = "appended_delta_count_compaction_trigger"
    DEFAULT_COMPACTION_HASH_BUCKET_COUNT = "default_compaction_hash_bucket_count"
    SCHEMA_EVOLUTION_MODE = "schema_evolution_mode"
    DEFAULT_SCHEMA_CONSISTENCY_TYPE = "default_schema_consistency_type"
    SUPPORTED_READER_TYPES = "supported_reader_types"


class DatasetType(str, Enum):
    """What ``read`` returns (``read_as=``). DeltaCAT C++ returns the local types; DAFT,
    RAY_DATASET and PYARROW_PARQUET raise NotImplementedError."""

    PYARROW = "pyarrow"
    PANDAS = "pandas"
    POLARS = "polars"
    NUMPY = "numpy"
    PYARROW_PARQUET = "pyarrow_parquet"
    DAFT = "daft"
    RAY_DATASET = "ray_dataset"


class DeltaType(str, Enum):
    """The type of a committed delta (``Delta.type`` holds the value)."""

    APPEND = "append"
    ADD = "add"
    CHRONO = "chrono"
    UPSERT = "upsert"
    DELETE = "delete"


class TransactionStatus(str, Enum):
    """Status of a transaction in the history."""

    SUCCESS = "SUCCESS"
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"
    FAILED = "FAILED"


E = TypeVar("E", bound=Enum)


def coerce_enum(enum_class: Type[E], value: Union[E, str], argument: str) -> E:
    """``value`` as a member of ``enum_class``: a member, its value or its name (any case).

    Raises ValueError naming ``argument`` and the accepted values otherwise.
    """
    if isinstance(value, enum_class):
        return value
    if isinstance(value, str):
        try:
            return enum_class(value)
        except ValueError:
            pass
        # Names in any case: ContentType also takes the CLI's short names ("parquet", "csv").
        by_name = enum_class.__members__.get(value.upper())
        if by_name is not None:
            return by_name
        for member in enum_class:
            if member.value.lower() == value.lower():
                return member
    accepted = ", ".join(member.name for member in enum_class)
    raise ValueError(f"invalid {argument} {value!r}: expected a {enum_class.__name__} ({accepted})")
