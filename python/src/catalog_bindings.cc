// deltacat::Catalog and deltacat::Transaction as the Python classes _native.Catalog and
// _native.Transaction. This layer converts arguments and results and releases the GIL around
// every catalog call; defaults, the catalog registry and the ambient transaction live in the
// pure-Python layer (deltacat_cpp/_api.py).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <arrow/table.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include "arrow_stream.h"
#include "bindings.h"
#include "conversions.h"
#include "deltacat/catalog.h"
#include "errors.h"
#include "filter.h"
#include "task_runner.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace deltacat::python {
namespace {

/// A catalog as Python holds it. Transactions begun on it share ownership, so a transaction
/// never outlives its catalog.
struct PyCatalog {
  std::shared_ptr<Catalog> catalog;
};

/// An interactive transaction. After Commit() or Abort() every further use raises
/// RuntimeError; destroying an open one aborts it (deltacat::Transaction's destructor).
class PyTransaction {
 public:
  PyTransaction(std::shared_ptr<Catalog> catalog, std::unique_ptr<Transaction> txn)
      : catalog_(std::move(catalog)),
        txn_(std::move(txn)),
        id_(txn_->id()),
        snapshot_time_(txn_->snapshot_time()) {}

  const std::string& id() const { return id_; }
  int64_t snapshot_time() const { return snapshot_time_; }
  const char* state() const { return state_; }

  /// The transaction for a call on `catalog`: RuntimeError once finished, ValueError when it
  /// belongs to another catalog.
  Transaction* ForCallOn(const Catalog& catalog) const {
    RequireOpen();
    if (catalog_.get() != &catalog) {
      ThrowError(ErrorCode::kInvalidArgument, "transaction " + id_ + " belongs to catalog '" +
                                                  catalog_->root_uri() + "', not '" +
                                                  catalog.root_uri() + "'");
    }
    return txn_.get();
  }

  void Commit() {
    RequireOpen();
    Status status;
    {
      nb::gil_scoped_release release;
      status = txn_->Commit();
    }
    // A failed commit is final too: DeltaCAT does not retry it, and neither may the caller.
    state_ = status.ok() ? "committed" : "failed";
    ThrowIfError(status);
  }

  void Abort() {
    if (state_ == std::string_view("aborted") || state_ == std::string_view("failed")) return;
    RequireOpen();
    Status status;
    {
      nb::gil_scoped_release release;
      status = txn_->Abort();
    }
    state_ = "aborted";
    ThrowIfError(status);
  }

 private:
  void RequireOpen() const {
    if (state_ != std::string_view("open")) {
      ThrowError(ErrorCode::kIllegalState, "transaction " + id_ + " is already " + state_);
    }
  }

  std::shared_ptr<Catalog> catalog_;
  std::unique_ptr<Transaction> txn_;
  std::string id_;
  int64_t snapshot_time_;
  const char* state_ = "open";
};

Transaction* TxnFor(const PyCatalog& catalog, const PyTransaction* transaction) {
  return transaction == nullptr ? nullptr : transaction->ForCallOn(*catalog.catalog);
}

/// Runs a catalog call without the GIL, so other Python threads (and Python-backed Arrow
/// streams the call pulls from, which take the GIL themselves) keep running.
template <typename F>
auto WithoutGil(F&& call) {
  nb::gil_scoped_release release;
  return call();
}

void BindCreateTableOptions(nb::module_& m) {
  nb::class_<CreateTableOptions>(m, "CreateTableOptions",
                                 "How a table is created (create_table, or a write that "
                                 "creates its table).")
      .def(
          "__init__",
          [](CreateTableOptions* self, nb::handle schema, std::vector<std::string> merge_keys,
             std::optional<std::string> table_version, const std::string& lifecycle_state,
             std::optional<std::string> table_description,
             std::optional<std::string> table_version_description, nb::handle table_properties,
             nb::handle table_version_properties, nb::handle namespace_properties,
             const std::optional<std::vector<std::string>>& content_types, bool fail_if_exists,
             bool auto_create_namespace) {
            // Everything is converted first: a conversion error leaves `self` unconstructed.
            CreateTableOptions options;
            options.schema = ImportSchema(schema);
            options.merge_keys = std::move(merge_keys);
            options.table_version = std::move(table_version);
            options.lifecycle_state = ToLifecycleState(lifecycle_state);
            options.table_description = std::move(table_description);
            options.table_version_description = std::move(table_version_description);
            options.table_properties = ToProperties(table_properties, "table_properties");
            options.table_version_properties =
                ToProperties(table_version_properties, "table_version_properties");
            options.namespace_properties =
                ToProperties(namespace_properties, "namespace_properties");
            options.content_types = ToContentTypes(content_types);
            options.fail_if_exists = fail_if_exists;
            options.auto_create_namespace = auto_create_namespace;
            new (self) CreateTableOptions(std::move(options));
          },
          nb::kw_only(), "schema"_a.none() = nb::none(),
          "merge_keys"_a = std::vector<std::string>(), "table_version"_a.none() = nb::none(),
          "lifecycle_state"_a = "active", "table_description"_a.none() = nb::none(),
          "table_version_description"_a.none() = nb::none(),
          "table_properties"_a.none() = nb::none(),
          "table_version_properties"_a.none() = nb::none(),
          "namespace_properties"_a.none() = nb::none(), "content_types"_a.none() = nb::none(),
          "fail_if_exists"_a = true, "auto_create_namespace"_a = false)
      .def_prop_ro(
          "schema", [](const CreateTableOptions& o) { return ExportSchema(o.schema); },
          "The schema, or None (schemaless).")
      .def_ro("merge_keys", &CreateTableOptions::merge_keys, "Merge-key field names.");
}

void BindTransaction(nb::module_& m) {
  nb::class_<PyTransaction>(m, "Transaction",
                            "An interactive transaction: pass it to catalog calls, then "
                            "commit() or abort().")
      .def_prop_ro("id", &PyTransaction::id, "The transaction id, `<start_ns>_<uuid4>`.")
      .def_prop_ro("snapshot_time", &PyTransaction::snapshot_time,
                   "The snapshot time in ns: the start time, or `as_of` for a historic "
                   "transaction.")
      .def_prop_ro("state", &PyTransaction::state,
                   "\"open\", \"committed\", \"aborted\" or \"failed\" (commit failed).")
      .def("commit", &PyTransaction::Commit,
           "Publishes every write atomically. ConcurrentModificationError if a concurrent "
           "transaction won; the transaction is finished either way.")
      .def("abort", &PyTransaction::Abort,
           "Discards every write; a no-op on an aborted or failed transaction.");
}

void BindCatalogClass(nb::module_& m) {
  nb::class_<PyCatalog>(m, "Catalog", "A DeltaCAT catalog rooted at a local path or s3:// URI.")
      .def_static(
          "open",
          [](const std::string& root) {
            return PyCatalog{ValueOrThrow(WithoutGil([&] { return Catalog::Open(root); }))};
          },
          "root"_a = "",
          "Opens (and on first use initialises) the catalog at `root`; empty means "
          "$DELTACAT_ROOT, else ./.deltacat.")
      .def_prop_ro(
          "root_uri", [](const PyCatalog& c) { return c.catalog->root_uri(); },
          "The canonical root URI.")
      .def(
          "begin_transaction",
          [](const PyCatalog& c, std::optional<int64_t> as_of,
             std::optional<std::string> commit_message) {
            std::unique_ptr<Transaction> txn = ValueOrThrow(WithoutGil(
                [&] { return c.catalog->BeginTransaction(as_of, std::move(commit_message)); }));
            return std::make_unique<PyTransaction>(c.catalog, std::move(txn));
          },
          "as_of"_a.none() = nb::none(), "commit_message"_a.none() = nb::none(),
          "Starts an interactive transaction; with `as_of` (ns) a read-only historic snapshot.")
      .def(
          "transactions",
          [](const PyCatalog& c, int64_t limit) {
            return ValueOrThrow(WithoutGil([&] { return c.catalog->Transactions(limit); }));
          },
          "limit"_a = 10, "The newest `limit` transactions, newest first.")
      // --- Namespaces ---------------------------------------------------------------------
      .def(
          "create_namespace",
          [](const PyCatalog& c, const std::string& name, nb::handle properties,
             const PyTransaction* t) {
            Properties props = ToProperties(properties, "properties");
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(WithoutGil(
                [&] { return c.catalog->CreateNamespace(name, std::move(props), txn); }));
          },
          "name"_a, "properties"_a.none() = nb::none(), "transaction"_a.none() = nb::none())
      .def(
          "get_namespace",
          [](const PyCatalog& c, const std::string& name, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(WithoutGil([&] { return c.catalog->GetNamespace(name, txn); }));
          },
          "name"_a, "transaction"_a.none() = nb::none())
      .def(
          "namespace_exists",
          [](const PyCatalog& c, const std::string& name, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(WithoutGil([&] { return c.catalog->NamespaceExists(name, txn); }));
          },
          "name"_a, "transaction"_a.none() = nb::none())
      .def(
          "list_namespaces",
          [](const PyCatalog& c, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(WithoutGil([&] { return c.catalog->ListNamespaces(txn); }));
          },
          "transaction"_a.none() = nb::none())
      .def(
          "alter_namespace",
          [](const PyCatalog& c, const std::string& name, nb::handle properties,
             std::optional<std::string> new_name, const PyTransaction* t) {
            std::optional<Properties> props = ToOptionalProperties(properties, "properties");
            Transaction* txn = TxnFor(c, t);
            ThrowIfError(WithoutGil([&] {
              return c.catalog->AlterNamespace(name, std::move(props), std::move(new_name), txn);
            }));
          },
          "name"_a, "properties"_a.none() = nb::none(), "new_name"_a.none() = nb::none(),
          "transaction"_a.none() = nb::none())
      .def(
          "drop_namespace",
          [](const PyCatalog& c, const std::string& name, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            ThrowIfError(WithoutGil([&] { return c.catalog->DropNamespace(name, txn); }));
          },
          "name"_a, "transaction"_a.none() = nb::none())
      // --- Tables -------------------------------------------------------------------------
      .def(
          "create_table",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             const CreateTableOptions& options, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(WithoutGil(
                [&] { return c.catalog->CreateTable(TableRef(ns, table), options, txn); }));
          },
          "namespace"_a, "table"_a, "options"_a, "transaction"_a.none() = nb::none())
      .def(
          "get_table",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             std::optional<std::string> table_version, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(WithoutGil([&]() -> Result<TableDefinition> {
              const TableRef ref(ns, table);
              Result<TableDefinition> definition = c.catalog->GetTable(ref, table_version, txn);
              if (definition.ok() || !table_version ||
                  definition.status().code() != ErrorCode::kTableVersionNotFound) {
                return definition;
              }
              // As Python DeltaCAT: an existing table whose requested version is missing
              // resolves to a definition without a version.
              DC_ASSIGN_OR_RAISE(TableDefinition without_version,
                                 c.catalog->GetTable(ref, std::nullopt, txn));
              without_version.version.reset();
              without_version.has_stream = false;
              return without_version;
            }));
          },
          "namespace"_a, "table"_a, "table_version"_a.none() = nb::none(),
          "transaction"_a.none() = nb::none(),
          "The table's definition; with `table_version` naming a missing version, the "
          "definition has no table_version. TableNotFoundError for a missing table.")
      .def(
          "table_exists",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(
                WithoutGil([&] { return c.catalog->TableExists(TableRef(ns, table), txn); }));
          },
          "namespace"_a, "table"_a, "transaction"_a.none() = nb::none())
      .def(
          "list_tables",
          [](const PyCatalog& c, const std::string& ns, const std::optional<std::string>& table,
             const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(WithoutGil([&]() -> Result<std::vector<TableDefinition>> {
              if (!table) return c.catalog->ListTables(ns, txn);
              // One definition per version of `table`, as Python DeltaCAT's
              // list_tables(table=...).
              const TableRef ref(ns, *table);
              DC_ASSIGN_OR_RAISE(std::vector<TableVersionInfo> versions,
                                 c.catalog->ListTableVersions(ref, txn));
              std::vector<TableDefinition> definitions;
              definitions.reserve(versions.size());
              for (const TableVersionInfo& version : versions) {
                DC_ASSIGN_OR_RAISE(TableDefinition definition,
                                   c.catalog->GetTable(ref, version.version, txn));
                definitions.push_back(std::move(definition));
              }
              return definitions;
            }));
          },
          "namespace"_a, "table"_a.none() = nb::none(), "transaction"_a.none() = nb::none(),
          "The tables of a namespace at their latest active version; with `table`, one "
          "definition per version of that table.")
      .def(
          "list_table_versions",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            return ValueOrThrow(
                WithoutGil([&] { return c.catalog->ListTableVersions(TableRef(ns, table), txn); }));
          },
          "namespace"_a, "table"_a, "transaction"_a.none() = nb::none())
      .def(
          "alter_table",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             std::optional<std::string> table_version, std::optional<std::string> lifecycle_state,
             nb::handle schema, std::optional<std::string> table_description,
             std::optional<std::string> table_version_description, nb::handle table_properties,
             nb::handle table_version_properties, const PyTransaction* t) {
            AlterTableOptions options;
            options.table_version = std::move(table_version);
            if (lifecycle_state) options.lifecycle_state = ToLifecycleState(*lifecycle_state);
            options.new_schema = ImportSchema(schema);
            options.table_description = std::move(table_description);
            options.table_version_description = std::move(table_version_description);
            options.table_properties = ToOptionalProperties(table_properties, "table_properties");
            options.table_version_properties =
                ToOptionalProperties(table_version_properties, "table_version_properties");
            Transaction* txn = TxnFor(c, t);
            ThrowIfError(WithoutGil([&] {
              return c.catalog->AlterTable(TableRef(ns, table), std::move(options), txn);
            }));
          },
          "namespace"_a, "table"_a, nb::kw_only(), "table_version"_a.none() = nb::none(),
          "lifecycle_state"_a.none() = nb::none(), "schema"_a.none() = nb::none(),
          "table_description"_a.none() = nb::none(),
          "table_version_description"_a.none() = nb::none(),
          "table_properties"_a.none() = nb::none(),
          "table_version_properties"_a.none() = nb::none(), "transaction"_a.none() = nb::none())
      .def(
          "rename_table",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             const std::string& new_name, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            ThrowIfError(WithoutGil(
                [&] { return c.catalog->RenameTable(TableRef(ns, table), new_name, txn); }));
          },
          "namespace"_a, "table"_a, "new_name"_a, "transaction"_a.none() = nb::none())
      .def(
          "drop_table",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             std::optional<std::string> table_version, const PyTransaction* t) {
            Transaction* txn = TxnFor(c, t);
            ThrowIfError(WithoutGil([&] {
              return c.catalog->DropTable(TableRef(ns, table), std::move(table_version), txn);
            }));
          },
          "namespace"_a, "table"_a, "table_version"_a.none() = nb::none(),
          "transaction"_a.none() = nb::none())
      // --- Data ---------------------------------------------------------------------------
      .def(
          "write",
          [](const PyCatalog& c, const std::string& ns, const std::string& table, nb::handle data,
             const std::string& mode, const std::string& content_type,
             std::optional<std::string> table_version, const CreateTableOptions* create,
             bool schemaless, int64_t max_records_per_file, nb::handle delta_properties,
             const PyTransaction* t) {
            WriteOptions options;
            options.mode = ToTableWriteMode(mode);
            options.content_type = ToContentType(content_type);
            options.table_version = std::move(table_version);
            if (create != nullptr) options.create = *create;
            options.schemaless = schemaless;
            if (max_records_per_file < 0) {
              ThrowError(ErrorCode::kInvalidArgument,
                         "max_records_per_file must be >= 0 (0: one file per write), got " +
                             std::to_string(max_records_per_file));
            }
            options.max_records_per_file = max_records_per_file;
            options.delta_properties = ToProperties(delta_properties, "properties");
            Transaction* txn = TxnFor(c, t);
            std::shared_ptr<arrow::RecordBatchReader> reader = ImportRecordBatchReader(data);
            return ValueOrThrow(WithoutGil([&] {
              return c.catalog->Write(TableRef(ns, table), std::move(reader), std::move(options),
                                      txn);
            }));
          },
          "namespace"_a, "table"_a, "data"_a, nb::kw_only(), "mode"_a = "auto",
          "content_type"_a = "application/parquet", "table_version"_a.none() = nb::none(),
          "create"_a.none() = nb::none(), "schemaless"_a = false, "max_records_per_file"_a = 0,
          "delta_properties"_a.none() = nb::none(), "transaction"_a.none() = nb::none(),
          "Writes `data` (any object exporting __arrow_c_stream__) zero-copy; returns the "
          "committed Delta.")
      .def(
          "read",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             std::vector<std::string> columns, const std::optional<std::string>& filter,
             nb::handle filter_expression, std::optional<std::string> table_version,
             std::optional<int64_t> as_of, std::optional<std::string> file_path_column,
             const PyTransaction* t) {
            ReadOptions options;
            options.columns = std::move(columns);
            options.filter = ToFilter(filter, filter_expression);
            options.table_version = std::move(table_version);
            options.as_of = as_of;
            options.file_path_column = std::move(file_path_column);
            Transaction* txn = TxnFor(c, t);
            // The whole read runs here, without the GIL; the result is handed over as a C
            // stream whose batches keep pointing at the buffers read.
            std::shared_ptr<arrow::Table> result = ValueOrThrow(WithoutGil([&] {
              return [&]() -> Result<std::shared_ptr<arrow::Table>> {
                DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::RecordBatchReader> reader,
                                   c.catalog->Read(TableRef(ns, table), std::move(options), txn));
                return FromArrowResult(reader->ToTable());
              }();
            }));
            return ExportRecordBatchReader(std::make_shared<arrow::TableBatchReader>(result));
          },
          "namespace"_a, "table"_a, nb::kw_only(), "columns"_a = std::vector<std::string>(),
          "filter"_a.none() = nb::none(), "filter_expression"_a.none() = nb::none(),
          "table_version"_a.none() = nb::none(), "as_of"_a.none() = nb::none(),
          "file_path_column"_a.none() = nb::none(), "transaction"_a.none() = nb::none(),
          "Reads the table; returns an 'arrow_array_stream' PyCapsule.")
      .def(
          "compact",
          [](const PyCatalog& c, const std::string& ns, const std::string& table,
             std::optional<std::string> table_version, std::optional<int32_t> hash_buckets,
             std::optional<int64_t> memory_budget_bytes, const std::string& executor,
             int32_t threads, nb::object runner) {
            CompactOptions options;
            options.table_version = std::move(table_version);
            options.hash_buckets = hash_buckets;
            if (memory_budget_bytes) options.memory_budget_bytes = *memory_budget_bytes;
            options.executor = executor;
            options.threads = threads;
            // Owned here, with the GIL: the native call only borrows it.
            std::shared_ptr<PyTaskRunner> py_runner;
            if (!runner.is_none()) {
              py_runner = std::make_shared<PyTaskRunner>(std::move(runner));
              options.runner = py_runner;
            }
            Status status = WithoutGil([&] {
              Status compacted = c.catalog->Compact(TableRef(ns, table), options);
              options.runner.reset();
              return compacted;
            });
            if (py_runner) py_runner->RaiseIfFailed();
            ThrowIfError(status);
          },
          "namespace"_a, "table"_a, nb::kw_only(), "table_version"_a.none() = nb::none(),
          "hash_buckets"_a.none() = nb::none(), "memory_budget_bytes"_a.none() = nb::none(),
          "executor"_a = "local", "threads"_a = 0, "runner"_a.none() = nb::none(),
          "Compacts the table in its own transaction. With `runner` (a callable taking "
          "[(kind, spec, memory_bytes)] and returning [result bytes], plus parallelism()), "
          "the tasks run through it; an exception it raises is re-raised unchanged.")
      .def(
          "run_janitor",
          [](const PyCatalog& c) {
            return ValueOrThrow(WithoutGil([&] { return c.catalog->RunJanitor(); }));
          },
          "Removes what dead or failed writers left behind; never touches committed files.");
}

}  // namespace

void BindCatalog(nb::module_& m) {
  BindCreateTableOptions(m);
  BindTransaction(m);
  BindCatalogClass(m);
}

}  // namespace deltacat::python
