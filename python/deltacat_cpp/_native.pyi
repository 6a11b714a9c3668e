"""Type stubs for deltacat_cpp._native, the nanobind extension (python/src/*.cc).

Generated with `python -m nanobind.stubgen -m deltacat_cpp._native`, then given precise
types where the bindings take or return plain objects. tests/python/test_stubs.py checks that
it lists exactly what the module defines.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional

import pyarrow

from ._types import ContentType, LifecycleState

Properties = Mapping[str, Any]

__version__: str


class Namespace:
    """A namespace: its name and properties."""

    @property
    def name(self) -> str:
        """The namespace name."""

    @property
    def namespace(self) -> str:
        """The namespace name (Python DeltaCAT's Namespace.namespace)."""

    @property
    def properties(self) -> dict[str, Any]:
        """Free-form properties."""

    def __repr__(self) -> str: ...

class TableVersion:
    """One version of a table."""

    @property
    def table_version(self) -> str:
        """The version id, e.g. "1"."""

    @property
    def schema(self) -> Optional[pyarrow.Schema]:
        """
        The pyarrow.Schema (with DeltaCAT field metadata), or None for a schemaless table.
        """

    @property
    def schema_id(self) -> int:
        """The id of the current schema."""

    @property
    def merge_keys(self) -> list[str]:
        """Names of the merge-key fields."""

    @property
    def state(self) -> LifecycleState:
        """The LifecycleState."""

    @property
    def description(self) -> str | None:
        """The version description."""

    @property
    def properties(self) -> dict[str, Any]:
        """The table version's properties (these govern its behaviour)."""

    @property
    def content_types(self) -> Optional[list[ContentType]]:
        """The ContentTypes writes may use, or None for all."""

    def __repr__(self) -> str: ...

class TableDefinition:
    """
    A table with its resolved table version (Python DeltaCAT's TableDefinition).
    """

    @property
    def namespace(self) -> str:
        """The namespace name."""

    @property
    def table_name(self) -> str:
        """The table name."""

    @property
    def description(self) -> str | None:
        """The table description."""

    @property
    def properties(self) -> dict[str, Any]:
        """The table's properties."""

    @property
    def latest_table_version(self) -> str | None:
        """The newest version id."""

    @property
    def latest_active_table_version(self) -> str | None:
        """The newest ACTIVE version id (what reads and writes use by default)."""

    @property
    def table_version(self) -> TableVersion | None:
        """The resolved TableVersion, or None when no (active) version resolves."""

    @property
    def has_stream(self) -> bool:
        """Whether the resolved version has its deltacat stream."""

    def __repr__(self) -> str: ...

class Delta:
    """The delta a write committed."""

    @property
    def stream_position(self) -> int:
        """Position in the partition."""

    @property
    def type(self) -> str:
        """"append", "add", "chrono", "upsert" or "delete"."""

    @property
    def record_count(self) -> int:
        """Rows written."""

    @property
    def file_count(self) -> int:
        """Data files written."""

    def __repr__(self) -> str: ...

class TransactionRecord:
    """One transaction of the history."""

    @property
    def transaction_id(self) -> str:
        """`<start_ns>_<uuid4>`."""

    @property
    def commit_message(self) -> str | None:
        """The commit message."""

    @property
    def start_time(self) -> int:
        """Start, ns since the epoch."""

    @property
    def end_time(self) -> int:
        """End, ns since the epoch."""

    @property
    def status(self) -> str:
        """"SUCCESS", "RUNNING", "FAILED" or "PAUSED"."""

    @property
    def operation_types(self) -> list[str]:
        """The operation types, in order."""

    def __repr__(self) -> str: ...

class JanitorReport:
    """What one janitor run removed."""

    @property
    def transactions_cleaned(self) -> int:
        """Dead or failed transactions whose files were removed."""

    @property
    def removed_paths(self) -> list[str]:
        """Catalog-relative paths of the removed files."""

    def __repr__(self) -> str: ...

class CreateTableOptions:
    """
    How a table is created (create_table, or a write that creates its table).
    """

    def __init__(self, *, schema: Any = None, merge_keys: Sequence[str] = [], table_version: str | None = None, lifecycle_state: str = 'active', table_description: str | None = None, table_version_description: str | None = None, table_properties: Properties | None = None, table_version_properties: Properties | None = None, namespace_properties: Properties | None = None, content_types: Sequence[str] | None = None, fail_if_exists: bool = True, auto_create_namespace: bool = False) -> None: ...

    @property
    def schema(self) -> Optional[pyarrow.Schema]:
        """The schema, or None (schemaless)."""

    @property
    def merge_keys(self) -> list[str]:
        """Merge-key field names."""

class Transaction:
    """
    An interactive transaction: pass it to catalog calls, then commit() or abort().
    """

    @property
    def id(self) -> str:
        """The transaction id, `<start_ns>_<uuid4>`."""

    @property
    def snapshot_time(self) -> int:
        """
        The snapshot time in ns: the start time, or `as_of` for a historic transaction.
        """

    @property
    def state(self) -> str:
        """"open", "committed", "aborted" or "failed" (commit failed)."""

    def commit(self) -> None:
        """
        Publishes every write atomically. ConcurrentModificationError if a concurrent transaction won; the transaction is finished either way.
        """

    def abort(self) -> None:
        """Discards every write; a no-op on an aborted or failed transaction."""

class Catalog:
    """A DeltaCAT catalog rooted at a local path or s3:// URI."""

    @staticmethod
    def open(root: str = '') -> Catalog:
        """
        Opens (and on first use initialises) the catalog at `root`; empty means $DELTACAT_ROOT, else ./.deltacat.
        """

    @property
    def root_uri(self) -> str:
        """The canonical root URI."""

    def begin_transaction(self, as_of: int | None = None, commit_message: str | None = None) -> Transaction:
        """
        Starts an interactive transaction; with `as_of` (ns) a read-only historic snapshot.
        """

    def transactions(self, limit: int = 10) -> list[TransactionRecord]:
        """The newest `limit` transactions, newest first."""

    def create_namespace(self, name: str, properties: Properties | None = None, transaction: Transaction | None = None) -> Namespace: ...

    def get_namespace(self, name: str, transaction: Transaction | None = None) -> Namespace: ...

    def namespace_exists(self, name: str, transaction: Transaction | None = None) -> bool: ...

    def list_namespaces(self, transaction: Transaction | None = None) -> list[Namespace]: ...

    def alter_namespace(self, name: str, properties: Properties | None = None, new_name: str | None = None, transaction: Transaction | None = None) -> None: ...

    def drop_namespace(self, name: str, transaction: Transaction | None = None) -> None: ...

    def create_table(self, namespace: str, table: str, options: CreateTableOptions, transaction: Transaction | None = None) -> TableDefinition: ...

    def get_table(self, namespace: str, table: str, table_version: str | None = None, transaction: Transaction | None = None) -> TableDefinition:
        """
        The table's definition; with `table_version` naming a missing version, the definition has no table_version. TableNotFoundError for a missing table.
        """

    def table_exists(self, namespace: str, table: str, transaction: Transaction | None = None) -> bool: ...

    def list_tables(self, namespace: str, table: str | None = None, transaction: Transaction | None = None) -> list[TableDefinition]:
        """
        The tables of a namespace at their latest active version; with `table`, one definition per version of that table.
        """

    def list_table_versions(self, namespace: str, table: str, transaction: Transaction | None = None) -> list[TableVersion]: ...

    def alter_table(self, namespace: str, table: str, *, table_version: str | None = None, lifecycle_state: str | None = None, schema: Any = None, table_description: str | None = None, table_version_description: str | None = None, table_properties: Properties | None = None, table_version_properties: Properties | None = None, transaction: Transaction | None = None) -> None: ...

    def rename_table(self, namespace: str, table: str, new_name: str, transaction: Transaction | None = None) -> None: ...

    def drop_table(self, namespace: str, table: str, table_version: str | None = None, transaction: Transaction | None = None) -> None: ...

    def write(self, namespace: str, table: str, data: Any, *, mode: str = 'auto', content_type: str = 'application/parquet', table_version: str | None = None, create: CreateTableOptions | None = None, schemaless: bool = False, max_records_per_file: int = 0, delta_properties: Properties | None = None, transaction: Transaction | None = None) -> Delta:
        """
        Writes `data` (any object exporting __arrow_c_stream__) zero-copy; returns the committed Delta.
        """

    def read(self, namespace: str, table: str, *, columns: Sequence[str] = [], filter: str | None = None, filter_expression: Any = None, table_version: str | None = None, as_of: int | None = None, file_path_column: str | None = None, transaction: Transaction | None = None) -> Any:
        """Reads the table; returns an 'arrow_array_stream' PyCapsule."""

    def compact(self, namespace: str, table: str, *, table_version: str | None = None, hash_buckets: int | None = None, memory_budget_bytes: int | None = None, executor: str = 'local', threads: int = 0, runner: Callable[[list[tuple[str, bytes, int]]], list[bytes]] | None = None) -> None:
        """
        Compacts the table in its own transaction. With `runner` (a callable taking
        [(kind, spec, memory_bytes)] and returning [result bytes], plus parallelism()), the
        tasks run through it; an exception it raises is re-raised unchanged.
        """

    def run_janitor(self) -> JanitorReport:
        """
        Removes what dead or failed writers left behind; never touches committed files.
        """

def execute(spec: bytes) -> bytes:
    """
    Runs one serialized compute task spec (as handed to a task runner) in this process and
    returns its serialized result; releases the GIL. ValueError for bytes that are not a task
    spec; otherwise the task's own error (e.g. RetryableIOError).
    """

def finalize_runtime() -> None:
    """
    Process tear-down (finalizes Arrow's S3 client); deltacat_cpp runs it at exit.
    """

def version_string() -> str:
    """"deltacat-cpp <version> (arrow <version>)"."""

ARROW_VERSION: str

# Private helpers (tests and the package's own set-up).
def _set_error_classes(classes: dict[str, type[BaseException]]) -> None: ...
def _error_names() -> list[tuple[str, bool]]: ...
def _raise_error(name: str, message: str) -> None: ...
def _stream_roundtrip(data: Any) -> Any: ...
def _schema_roundtrip(schema: Any) -> Optional[pyarrow.Schema]: ...
def _parse_filter(text: str | None = None, serialized: Any = None) -> str | None: ...
