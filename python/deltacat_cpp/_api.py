"""The catalog API: namespaces, tables, write, read, compaction, history.

Names and defaults follow Python DeltaCAT 2.0 (see docs in each function for where DeltaCAT
C++ differs). Every function that takes ``transaction=`` joins that transaction, else the
ambient ``with transaction():`` one, else runs atomically on its own. ``catalog=`` picks a
registered catalog by name (or takes a Catalog object); it may not be combined with a
transaction.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar, Union

import pyarrow as pa
import pyarrow.compute as pc

from . import _native
from ._data import (
    check_read_as,
    convert_table,
    filter_arguments,
    to_arrow_schema,
    to_dataset,
    to_stream_source,
)
from ._errors import NamespaceNotFoundError, TableNotFoundError
from ._registry import Catalog, get_catalog
from ._transaction import Transaction, current_transaction, to_epoch_ns
from ._types import (
    ContentType,
    DatasetType,
    LifecycleState,
    TableWriteMode,
    TransactionStatus,
    coerce_enum,
)

__all__ = [
    "ListResult",
    "alter_namespace",
    "alter_table",
    "compact",
    "create_namespace",
    "create_table",
    "default_namespace",
    "drop_namespace",
    "drop_table",
    "get_namespace",
    "get_table",
    "list_namespaces",
    "list_tables",
    "namespace_exists",
    "read",
    "read_table",
    "read_transaction",
    "refresh_table",
    "rename_table",
    "run_janitor",
    "table_exists",
    "transactions",
    "truncate_table",
    "write",
    "write_to_table",
]

T = TypeVar("T")
CatalogArg = Union[str, Catalog, None]
Properties = Optional[Dict[str, Any]]

DEFAULT_NAMESPACE = "default"
_UNSET: Any = object()


class ListResult(List[T]):
    """A list with Python DeltaCAT's ListResult accessors (every result is one page)."""

    def all_items(self) -> List[T]:
        """Every item."""
        return list(self)

    def read_page(self) -> List[T]:
        """The items of this (only) page."""
        return list(self)

    def next_page(self) -> Optional["ListResult[T]"]:
        """None: results are never paginated."""
        return None

    @property
    def pagination_key(self) -> Optional[str]:
        """None: results are never paginated."""
        return None


def _target(
    catalog: CatalogArg, transaction: Optional[Transaction]
) -> Tuple[_native.Catalog, Optional[_native.Transaction]]:
    """The native catalog and transaction a call runs on."""
    txn = transaction if transaction is not None else current_transaction()
    if txn is not None:
        if catalog is not None:
            raise ValueError(
                "Transaction and catalog parameters are mutually exclusive. Please specify "
                "either transaction or catalog, not both."
            )
        if not isinstance(txn, Transaction):
            raise TypeError(
                f"transaction must be a deltacat_cpp.Transaction, got {type(txn).__name__}"
            )
        return txn.catalog.native, txn.native
    if isinstance(catalog, Catalog):
        return catalog.native, None
    return get_catalog(catalog).native, None


def _namespace(namespace: Optional[str]) -> str:
    return DEFAULT_NAMESPACE if namespace is None else namespace


def _enum_value(enum_class: Any, value: Any, argument: str) -> str:
    return coerce_enum(enum_class, value, argument).value


def _columns(columns: Optional[Sequence[str]]) -> List[str]:
    if columns is None:
        return []
    if isinstance(columns, (str, bytes)):
        raise TypeError("columns must be a list of column names, not a single string")
    return list(columns)


# --- Namespaces ---------------------------------------------------------------------------------


def default_namespace() -> str:
    """The name of the namespace used when none is given: ``"default"``."""
    return DEFAULT_NAMESPACE


def create_namespace(
    namespace: str,
    properties: Properties = None,
    *,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> _native.Namespace:
    """Creates a namespace; NamespaceAlreadyExistsError if it exists."""
    native, txn = _target(catalog, transaction)
    return native.create_namespace(namespace, properties, transaction=txn)


def get_namespace(
    namespace: str,
    *,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> Optional[_native.Namespace]:
    """The namespace, or None if it does not exist."""
    native, txn = _target(catalog, transaction)
    try:
        return native.get_namespace(namespace, transaction=txn)
    except NamespaceNotFoundError:
        return None


def namespace_exists(
    namespace: str,
    *,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> bool:
    """Whether the namespace exists."""
    native, txn = _target(catalog, transaction)
    return native.namespace_exists(namespace, transaction=txn)


def list_namespaces(
    *,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> ListResult[_native.Namespace]:
    """Every namespace (``default`` included)."""
    native, txn = _target(catalog, transaction)
    return ListResult(native.list_namespaces(transaction=txn))


def alter_namespace(
    namespace: str,
    properties: Properties = None,
    new_namespace: Optional[str] = None,
    *,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> None:
    """Replaces the namespace's properties and/or renames it (its tables move along).

    NamespaceNotFoundError if it does not exist; NamespaceAlreadyExistsError when renaming
    onto an existing namespace.
    """
    native, txn = _target(catalog, transaction)
    native.alter_namespace(namespace, properties, new_namespace, transaction=txn)


def drop_namespace(
    namespace: str,
    purge: bool = False,
    *,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> None:
    """Drops the namespace; NamespaceNotFoundError if it does not exist.

    ``purge=True`` raises NotImplementedError, as in DeltaCAT.
    """
    if purge:
        raise NotImplementedError("Purge flag is not currently supported.")
    native, txn = _target(catalog, transaction)
    native.drop_namespace(namespace, transaction=txn)


# --- Tables -------------------------------------------------------------------------------------


def _create_options(
    *,
    schema: Any,
    merge_keys: Optional[Sequence[str]],
    table_version: Optional[str],
    lifecycle_state: Any,
    table_description: Optional[str],
    table_version_description: Optional[str],
    table_properties: Properties,
    table_version_properties: Properties,
    namespace_properties: Properties,
    content_types: Optional[Iterable[Any]],
    fail_if_exists: bool,
    auto_create_namespace: bool,
    partition_scheme: Any = None,
    sort_keys: Any = None,
) -> _native.CreateTableOptions:
    if partition_scheme is not None:
        raise NotImplementedError("deltacat_cpp does not support partitioned tables yet")
    if sort_keys is not None:
        raise NotImplementedError("deltacat_cpp does not support tables with sort keys yet")
    if isinstance(merge_keys, str):
        merge_keys = [merge_keys]
    return _native.CreateTableOptions(
        schema=to_arrow_schema(schema),
        merge_keys=list(merge_keys or []),
        table_version=table_version,
        lifecycle_state=_enum_value(LifecycleState, lifecycle_state, "lifecycle_state"),
        table_description=table_description,
        table_version_description=table_version_description,
        table_properties=table_properties,
        table_version_properties=table_version_properties,
        namespace_properties=namespace_properties,
        content_types=None
        if content_types is None
        else [_enum_value(ContentType, t, "content_types") for t in content_types],
        fail_if_exists=fail_if_exists,
        auto_create_namespace=auto_create_namespace,
    )


def create_table(
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    lifecycle_state: Union[LifecycleState, str] = LifecycleState.ACTIVE,
    schema: Any = None,
    merge_keys: Optional[Sequence[str]] = None,
    partition_scheme: Any = None,
    sort_keys: Any = None,
    table_description: Optional[str] = None,
    table_version_description: Optional[str] = None,
    table_properties: Properties = None,
    table_version_properties: Properties = None,
    namespace_properties: Properties = None,
    content_types: Optional[Iterable[Union[ContentType, str]]] = None,
    fail_if_exists: bool = True,
    auto_create_namespace: bool = False,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> _native.TableDefinition:
    """Creates a table (or its next version) and returns its definition.

    ``schema`` is a pyarrow.Schema (fields may carry DeltaCAT metadata such as
    ``DELTACAT:merge_key``) or a DeltaCAT Schema; None makes a schemaless table.
    ``merge_keys`` names fields to mark as merge keys (a DeltaCAT C++ shortcut).
    TableAlreadyExistsError if the table (version) exists and ``fail_if_exists``; otherwise
    the existing definition is returned unchanged. NamespaceNotFoundError unless the
    namespace exists or ``auto_create_namespace``. Partition schemes and sort keys raise
    NotImplementedError.
    """
    options = _create_options(
        schema=schema,
        merge_keys=merge_keys,
        table_version=table_version,
        lifecycle_state=lifecycle_state,
        table_description=table_description,
        table_version_description=table_version_description,
        table_properties=table_properties,
        table_version_properties=table_version_properties,
        namespace_properties=namespace_properties,
        content_types=content_types,
        fail_if_exists=fail_if_exists,
        auto_create_namespace=auto_create_namespace,
        partition_scheme=partition_scheme,
        sort_keys=sort_keys,
    )
    native, txn = _target(catalog, transaction)
    return native.create_table(_namespace(namespace), table, options, transaction=txn)


def get_table(
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> Optional[_native.TableDefinition]:
    """The table's definition at ``table_version`` (default: the latest active one), or None
    if the table (or its namespace) does not exist. ``.table_version`` is None when that
    version does not resolve."""
    native, txn = _target(catalog, transaction)
    try:
        return native.get_table(_namespace(namespace), table, table_version, transaction=txn)
    except (TableNotFoundError, NamespaceNotFoundError):
        return None


def table_exists(
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> bool:
    """Whether the table exists with the given (or a latest active) version and its stream."""
    if table_version is None:
        native, txn = _target(catalog, transaction)
        return native.table_exists(_namespace(namespace), table, transaction=txn)
    definition = get_table(
        table, namespace, table_version=table_version, transaction=transaction, catalog=catalog
    )
    return (
        definition is not None and definition.table_version is not None and definition.has_stream
    )


def list_tables(
    namespace: Optional[str] = None,
    *,
    table: Optional[str] = None,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> ListResult[_native.TableDefinition]:
    """The namespace's tables at their latest active versions; with ``table``, one definition
    per version of that table. NamespaceNotFoundError for a missing namespace."""
    native, txn = _target(catalog, transaction)
    return ListResult(native.list_tables(_namespace(namespace), table, transaction=txn))


def alter_table(
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    lifecycle_state: Union[LifecycleState, str, None] = None,
    schema_updates: Any = None,
    partition_updates: Any = None,
    sort_scheme: Any = None,
    table_description: Optional[str] = None,
    table_version_description: Optional[str] = None,
    table_properties: Properties = None,
    table_version_properties: Properties = None,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> None:
    """Changes a table and/or one of its versions (default: the latest active version).

    ``schema_updates`` is the complete new schema (a pyarrow.Schema), validated as a
    compatible update; a DeltaCAT ``SchemaUpdate`` works too (its ``apply()`` result is
    used). Unset arguments are left unchanged. ``partition_updates`` and ``sort_scheme``
    raise NotImplementedError, as in DeltaCAT.
    """
    if partition_updates is not None:
        raise NotImplementedError("Partition updates are not yet supported.")
    if sort_scheme is not None:
        raise NotImplementedError("Sort scheme updates are not yet supported.")
    if schema_updates is not None and not hasattr(schema_updates, "__arrow_c_schema__"):
        apply = getattr(schema_updates, "apply", None)
        if callable(apply):
            schema_updates = apply()
    native, txn = _target(catalog, transaction)
    native.alter_table(
        _namespace(namespace),
        table,
        table_version=table_version,
        lifecycle_state=None
        if lifecycle_state is None
        else _enum_value(LifecycleState, lifecycle_state, "lifecycle_state"),
        schema=to_arrow_schema(schema_updates),
        table_description=table_description,
        table_version_description=table_version_description,
        table_properties=table_properties,
        table_version_properties=table_version_properties,
        transaction=txn,
    )


def rename_table(
    table: str,
    new_name: str,
    namespace: Optional[str] = None,
    *,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> None:
    """Renames a table within its namespace; TableNotFoundError if it does not exist,
    TableAlreadyExistsError if ``new_name`` is taken."""
    native, txn = _target(catalog, transaction)
    native.rename_table(_namespace(namespace), table, new_name, transaction=txn)


def drop_table(
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    purge: bool = False,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> None:
    """Drops the table, or with ``table_version`` marks that version DELETED.

    TableNotFoundError if it does not exist; ``purge=True`` raises NotImplementedError.
    """
    if purge:
        raise NotImplementedError("Purge flag is not currently supported.")
    native, txn = _target(catalog, transaction)
    native.drop_table(_namespace(namespace), table, table_version, transaction=txn)


def truncate_table(table: str, namespace: Optional[str] = None, **kwargs: Any) -> None:
    """Not implemented (as in DeltaCAT): raises NotImplementedError."""
    raise NotImplementedError("truncate_table is not yet implemented")


def refresh_table(table: str, namespace: Optional[str] = None, **kwargs: Any) -> None:
    """Not implemented (as in DeltaCAT): raises NotImplementedError."""
    raise NotImplementedError("refresh_table is not yet implemented")


# --- Data ---------------------------------------------------------------------------------------

# write() keyword arguments that configure the table when the write creates it.
_CREATE_KWARGS = {
    "schema",
    "merge_keys",
    "lifecycle_state",
    "table_description",
    "table_version_description",
    "table_properties",
    "table_version_properties",
    "namespace_properties",
    "content_types",
    "fail_if_exists",
    "auto_create_namespace",
    "partition_scheme",
    "sort_keys",
}
# Of those, the ones that alter an existing table first (as DeltaCAT's write_to_table does).
_ALTER_KWARGS = (
    "lifecycle_state",
    "table_description",
    "table_version_description",
    "table_properties",
    "table_version_properties",
)
_STORAGE_KWARGS = {"max_records_per_file", "max_records_per_entry", "properties"}


def write(
    data: Any,
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    mode: Union[TableWriteMode, str] = TableWriteMode.AUTO,
    content_type: Union[ContentType, str] = ContentType.PARQUET,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
    **kwargs: Any,
) -> List[_native.Delta]:
    """Writes ``data`` to a table by ``mode`` and returns ``[the committed Delta]``.

    ``data``: anything exporting the Arrow C stream (pyarrow Table / RecordBatch /
    RecordBatchReader, polars DataFrame; passed zero-copy and streamed), a pandas DataFrame,
    a dict of columns, or a 1-D/2-D NumPy array.

    Keyword arguments, as in DeltaCAT: when the write creates the table, ``schema`` (absent:
    inferred from the data; ``schema=None``: a schemaless table), ``merge_keys``,
    ``lifecycle_state``, ``table_description``, ``table_version_description``,
    ``table_properties``, ``table_version_properties``, ``namespace_properties``,
    ``content_types``, ``fail_if_exists``, ``auto_create_namespace``. On an existing table
    any of ``lifecycle_state``, ``table_description``, ``table_version_description``,
    ``table_properties``, ``table_version_properties`` first alters it (same transaction).
    Storage: ``max_records_per_file`` (alias ``max_records_per_entry``) splits the data into
    files of at most that many rows; ``properties`` are stored on the delta.

    Errors: TableAlreadyExistsError (CREATE on an existing table), TableNotFoundError (ADD,
    APPEND, REPLACE, MERGE, DELETE on a missing one), SchemaValidationError (data that does
    not fit the schema; ADD/APPEND on a merge-key table), TableValidationError (MERGE/DELETE
    without merge keys), ValueError (a bad argument or unsupported data type).
    """
    unknown = sorted(set(kwargs) - _CREATE_KWARGS - _STORAGE_KWARGS)
    if unknown:
        raise TypeError(f"write() got unexpected keyword arguments: {', '.join(unknown)}")
    if "max_records_per_file" in kwargs and "max_records_per_entry" in kwargs:
        raise ValueError("give max_records_per_file or max_records_per_entry, not both")
    max_records = kwargs.get("max_records_per_file", kwargs.get("max_records_per_entry", 0))
    if max_records is None:
        max_records = 0

    schema = kwargs.get("schema", _UNSET)
    options = _create_options(
        schema=None if schema is _UNSET else schema,
        merge_keys=kwargs.get("merge_keys"),
        table_version=table_version,
        lifecycle_state=kwargs.get("lifecycle_state") or LifecycleState.ACTIVE,
        table_description=kwargs.get("table_description"),
        table_version_description=kwargs.get("table_version_description"),
        table_properties=kwargs.get("table_properties"),
        table_version_properties=kwargs.get("table_version_properties"),
        namespace_properties=kwargs.get("namespace_properties"),
        content_types=kwargs.get("content_types"),
        fail_if_exists=kwargs.get("fail_if_exists", True),
        auto_create_namespace=kwargs.get("auto_create_namespace", False),
        partition_scheme=kwargs.get("partition_scheme"),
        sort_keys=kwargs.get("sort_keys"),
    )
    mode_value = _enum_value(TableWriteMode, mode, "mode")
    content_type_value = _enum_value(ContentType, content_type, "content_type")
    source = to_stream_source(data)
    ns = _namespace(namespace)
    alter = {key: kwargs[key] for key in _ALTER_KWARGS if kwargs.get(key) is not None}

    def run(native: _native.Catalog, txn: Optional[_native.Transaction]) -> _native.Delta:
        return native.write(
            ns,
            table,
            source,
            mode=mode_value,
            content_type=content_type_value,
            table_version=table_version,
            create=options,
            schemaless=schema is None,
            max_records_per_file=max_records,
            delta_properties=kwargs.get("properties"),
            transaction=txn,
        )

    native, txn = _target(catalog, transaction)
    if not alter or mode_value == TableWriteMode.CREATE.value:
        return [run(native, txn)]
    if txn is not None:
        _alter_if_exists(native, txn, ns, table, table_version, alter)
        return [run(native, txn)]
    # The alteration and the write commit together, or not at all.
    own = native.begin_transaction()
    try:
        _alter_if_exists(native, own, ns, table, table_version, alter)
        delta = run(native, own)
        own.commit()
    except BaseException:
        if own.state == "open":
            own.abort()
        raise
    return [delta]


def _alter_if_exists(
    native: _native.Catalog,
    txn: _native.Transaction,
    ns: str,
    table: str,
    table_version: Optional[str],
    alter: Dict[str, Any],
) -> None:
    if not native.table_exists(ns, table, transaction=txn):
        return
    lifecycle_state = alter.get("lifecycle_state")
    native.alter_table(
        ns,
        table,
        table_version=table_version,
        lifecycle_state=None
        if lifecycle_state is None
        else _enum_value(LifecycleState, lifecycle_state, "lifecycle_state"),
        table_description=alter.get("table_description"),
        table_version_description=alter.get("table_version_description"),
        table_properties=alter.get("table_properties"),
        table_version_properties=alter.get("table_version_properties"),
        transaction=txn,
    )


def read(
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    columns: Optional[Sequence[str]] = None,
    filter: Union[str, pc.Expression, None] = None,
    as_of: Union[int, _dt.datetime, None] = None,
    read_as: Union[DatasetType, str] = DatasetType.PYARROW,
    file_path_column: Optional[str] = None,
    transaction: Optional[Transaction] = None,
    catalog: CatalogArg = None,
) -> Any:
    """Reads a table; returns a pyarrow.Table (or ``read_as`` PANDAS / POLARS / NUMPY).

    ``columns`` projects (SchemaValidationError for an unknown one). ``filter`` keeps the
    matching rows: a str in the CLI's --where syntax (``"id > 3 and city in ('a', 'b')"``)
    or a pyarrow.compute.Expression (``pc.field("id") > 3``). ``as_of`` (ns since the epoch or
    a datetime) reads the table as it was then. ``file_path_column`` adds a column naming
    each row's data file. The result arrives through the Arrow C stream interface, zero-copy.

    Unlike DeltaCAT, the default ``read_as`` is PYARROW; DAFT, RAY_DATASET and
    PYARROW_PARQUET raise NotImplementedError. TableNotFoundError for a missing table.
    """
    dataset_type = check_read_as(read_as)
    filter_text, filter_expression = filter_arguments(filter)
    native, txn = _target(catalog, transaction)
    capsule = native.read(
        _namespace(namespace),
        table,
        columns=_columns(columns),
        filter=filter_text,
        filter_expression=filter_expression,
        table_version=table_version,
        as_of=to_epoch_ns(as_of, "as_of"),
        file_path_column=file_path_column,
        transaction=txn,
    )
    return to_dataset(capsule, dataset_type)


#: Python DeltaCAT's name for ``write``.
write_to_table = write
#: Python DeltaCAT's name for ``read``.
read_table = read


def compact(
    table: str,
    namespace: Optional[str] = None,
    *,
    table_version: Optional[str] = None,
    hash_buckets: Optional[int] = None,
    memory_budget_bytes: Optional[int] = None,
    executor: Any = "local",
    threads: int = 0,
    ray_address: Optional[str] = None,
    max_retries: int = 3,
    catalog: CatalogArg = None,
) -> None:
    """Compacts the table: merges its deltas (applying upserts and deletes, dropping
    duplicates by merge key) into one new delta, in its own transaction.

    ``hash_buckets`` defaults to the previous compaction's count, else the table property;
    ``memory_budget_bytes`` bounds the working memory of the whole round (default 2 GiB).

    ``executor``:

    - ``"local"`` (default): a thread pool of ``threads`` threads in this process (0: one
      per core).
    - ``"ray"``: the round is planned here, its hash-bucket and merge tasks run as Ray tasks
      (each calls the native ``execute(spec)`` on a worker, reserving the task's estimated
      memory; a crashed worker or a RetryableError is retried up to ``max_retries`` times),
      and the result is committed here, once. Connects to ``ray_address`` (default: the
      running Ray session, else ``ray.init()``'s own choice). Workers must reach the catalog:
      any catalog on one machine, an ``s3://`` catalog on a cluster. Needs the ``ray``
      package.
    - a ``deltacat_cpp.ray_executor.RayTaskRunner`` (or any callable with its interface), to
      configure Ray further.

    A failed task fails the round: nothing is committed, the table is unchanged, and the
    round's intermediate files are removed (the janitor removes those of a crashed driver).
    Calling it inside ``with transaction():`` raises RuntimeError, since compaction commits on
    its own. Bad arguments raise ValueError / TypeError.
    """
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int, got {type(threads).__name__}")
    if threads < 0:
        raise ValueError(f"threads must be >= 0, got {threads}")
    if current_transaction() is not None:
        raise RuntimeError(
            "compact() commits its own transaction and cannot run inside `with transaction()`"
        )
    runner: Any = None
    executor_name = executor
    if executor == "ray":
        from .ray_executor import RayTaskRunner

        runner = RayTaskRunner(address=ray_address, max_retries=max_retries)
    elif isinstance(executor, str):
        if executor != "local":
            raise ValueError(f"unknown executor {executor!r}: expected 'local' or 'ray'")
        if ray_address is not None:
            raise ValueError("ray_address is only used with executor='ray'")
    elif callable(executor):
        runner = executor
        executor_name = getattr(executor, "name", "custom")
    else:
        raise TypeError(
            "executor must be 'local', 'ray' or a task runner, "
            f"got {type(executor).__name__}"
        )
    native, _ = _target(catalog, None)
    native.compact(
        _namespace(namespace),
        table,
        table_version=table_version,
        hash_buckets=hash_buckets,
        memory_budget_bytes=memory_budget_bytes,
        executor=executor_name,
        threads=threads,
        runner=runner,
    )


# --- History and maintenance --------------------------------------------------------------------

_HISTORY_SCHEMA = pa.schema(
    [
        ("transaction_id", pa.string()),
        ("commit_message", pa.string()),
        ("start_time", pa.int64()),
        ("end_time", pa.int64()),
        ("status", pa.string()),
        ("operation_count", pa.int64()),
        ("operation_types", pa.list_(pa.string())),
    ]
)
# Enough to hold any history a filter is applied to.
_UNLIMITED = 2**62


def _catalog_by_name(catalog_name: Union[str, Catalog, None]) -> _native.Catalog:
    if isinstance(catalog_name, Catalog):
        return catalog_name.native
    txn = current_transaction()
    if catalog_name is None and txn is not None:
        return txn.catalog.native
    return get_catalog(catalog_name).native


def transactions(
    catalog_name: Union[str, Catalog, None] = None,
    read_as: Union[DatasetType, str] = DatasetType.PYARROW,
    start_time: Union[int, _dt.datetime, None] = None,
    end_time: Union[int, _dt.datetime, None] = None,
    limit: Optional[int] = 10,
    status_in: Iterable[Union[TransactionStatus, str]] = (TransactionStatus.SUCCESS,),
) -> Any:
    """The transaction history, newest first, as a pyarrow.Table (or ``read_as``).

    Columns: transaction_id, commit_message, start_time, end_time (ns), status,
    operation_count, operation_types. ``start_time``/``end_time`` bound the transactions'
    start times (inclusive); ``status_in`` selects statuses; ``limit`` (> 0, or None for all)
    caps the rows. DeltaCAT's per-object count columns are not provided.
    """
    dataset_type = check_read_as(read_as)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise TypeError(f"limit must be an int or None, got {type(limit).__name__}")
    if limit is not None and limit <= 0:
        raise ValueError(f"limit must be > 0, got {limit}")
    statuses = {_enum_value(TransactionStatus, s, "status_in") for s in status_in}
    lower = to_epoch_ns(start_time, "start_time")
    upper = to_epoch_ns(end_time, "end_time")
    filtered = lower is not None or upper is not None or statuses != {"SUCCESS"}
    fetch = _UNLIMITED if (limit is None or filtered) else limit
    records = [
        r
        for r in _catalog_by_name(catalog_name).transactions(fetch)
        if r.status in statuses
        and (lower is None or r.start_time >= lower)
        and (upper is None or r.start_time <= upper)
    ]
    if limit is not None:
        records = records[:limit]
    table = pa.Table.from_pydict(
        {
            "transaction_id": [r.transaction_id for r in records],
            "commit_message": [r.commit_message for r in records],
            "start_time": [r.start_time for r in records],
            "end_time": [r.end_time for r in records],
            "status": [r.status for r in records],
            "operation_count": [len(r.operation_types) for r in records],
            "operation_types": [list(r.operation_types) for r in records],
        },
        schema=_HISTORY_SCHEMA,
    )
    return convert_table(table, dataset_type)


def read_transaction(
    transaction_id: str,
    catalog_name: Union[str, Catalog, None] = None,
    status: Union[TransactionStatus, str] = TransactionStatus.SUCCESS,
) -> _native.TransactionRecord:
    """One transaction of the history; FileNotFoundError if there is none with that id and
    status."""
    wanted = _enum_value(TransactionStatus, status, "status")
    for record in _catalog_by_name(catalog_name).transactions(_UNLIMITED):
        if record.transaction_id == transaction_id and record.status == wanted:
            return record
    raise FileNotFoundError(f"Transaction {transaction_id} with status {wanted} not found")


def run_janitor(catalog: Union[str, Catalog, None] = None) -> _native.JanitorReport:
    """Removes what dead or failed writers left behind (never committed files)."""
    return _catalog_by_name(catalog).run_janitor()
