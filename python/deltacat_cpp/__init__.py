"""DeltaCAT C++ for Python: a native DeltaCAT catalog with Python DeltaCAT's API.

Quick start::

    import pyarrow as pa
    import deltacat_cpp as dc

    dc.init_local("/tmp/lake")
    dc.write(pa.table({"id": [1, 2, 3], "name": ["a", "b", "c"]}), "users")
    print(dc.read("users", filter="id >= 2"))

    with dc.transaction():                       # commits on exit, rolls back on error
        dc.write(pa.table({"id": [4]}), "users", mode=dc.TableWriteMode.APPEND)

Data goes in and comes out through the Arrow C stream interface, zero-copy. Errors are the
DeltaCAT exception classes (TableNotFoundError, ...) or the builtins DeltaCAT raises
(ValueError, NotImplementedError, RuntimeError).
"""

from ._pyarrow_check import require_matching_pyarrow as _require_matching_pyarrow

# Before the extension loads: it needs this pyarrow's libarrow.
_require_matching_pyarrow()

import atexit as _atexit  # noqa: E402

from . import _native  # noqa: E402
from ._api import (  # noqa: E402
    ListResult,
    alter_namespace,
    alter_table,
    compact,
    create_namespace,
    create_table,
    default_namespace,
    drop_namespace,
    drop_table,
    get_namespace,
    get_table,
    list_namespaces,
    list_tables,
    namespace_exists,
    read,
    read_table,
    read_transaction,
    refresh_table,
    rename_table,
    run_janitor,
    table_exists,
    transactions,
    truncate_table,
    write,
    write_to_table,
)
from ._build_info import PYARROW_VERSION as _PYARROW_VERSION  # noqa: E402
from ._errors import *  # noqa: E402,F401,F403
from ._errors import ERROR_CLASSES as _ERROR_CLASSES  # noqa: E402
from ._errors import __all__ as _error_names  # noqa: E402
from ._native import (  # noqa: E402
    Delta,
    JanitorReport,
    Namespace,
    TableDefinition,
    TableVersion,
    TransactionRecord,
)
from ._registry import (  # noqa: E402
    Catalog,
    CatalogProperties,
    clear_catalogs,
    get_catalog,
    init,
    init_local,
    is_initialized,
    pop_catalog,
    put_catalog,
    raise_if_not_initialized,
)
from ._transaction import Transaction, current_transaction, transaction  # noqa: E402
from ._types import (  # noqa: E402
    ContentEncoding,
    ContentType,
    DatasetType,
    DeltaType,
    LifecycleState,
    SchemaConsistencyType,
    SchemaEvolutionMode,
    TableProperty,
    TableReadOptimizationLevel,
    TableWriteMode,
    TransactionStatus,
)

_native._set_error_classes(dict(_ERROR_CLASSES))
# Arrow's S3 client must be shut down before static destructors run.
_atexit.register(_native.finalize_runtime)

__version__: str = _native.__version__
#: The pyarrow release this build needs.
PYARROW_VERSION: str = _PYARROW_VERSION

__all__ = [
    "__version__",
    "PYARROW_VERSION",
    # Registry
    "Catalog",
    "CatalogProperties",
    "clear_catalogs",
    "get_catalog",
    "init",
    "init_local",
    "is_initialized",
    "pop_catalog",
    "put_catalog",
    "raise_if_not_initialized",
    # Namespaces
    "alter_namespace",
    "create_namespace",
    "default_namespace",
    "drop_namespace",
    "get_namespace",
    "list_namespaces",
    "namespace_exists",
    # Tables
    "alter_table",
    "create_table",
    "drop_table",
    "get_table",
    "list_tables",
    "refresh_table",
    "rename_table",
    "table_exists",
    "truncate_table",
    # Data
    "compact",
    "read",
    "read_table",
    "write",
    "write_to_table",
    # Transactions
    "Transaction",
    "current_transaction",
    "read_transaction",
    "transaction",
    "transactions",
    "run_janitor",
    # Types
    "ContentEncoding",
    "ContentType",
    "DatasetType",
    "Delta",
    "DeltaType",
    "JanitorReport",
    "LifecycleState",
    "ListResult",
    "Namespace",
    "SchemaConsistencyType",
    "SchemaEvolutionMode",
    "TableDefinition",
    "TableProperty",
    "TableReadOptimizationLevel",
    "TableVersion",
    "TableWriteMode",
    "TransactionRecord",
    "TransactionStatus",
    *_error_names,
]
