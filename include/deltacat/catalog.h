#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/compute/expression.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>
#include <arrow/type_fwd.h>

#include "deltacat/content_type.h"
#include "deltacat/remote_tasks.h"
#include "deltacat/result.h"
#include "deltacat/types.h"

namespace deltacat {

class Transaction;

/// A namespace as users see it.
struct NamespaceInfo {
  std::string name;
  Properties properties;
};

/// A table version as users see it.
struct TableVersionInfo {
  std::string version;                    ///< e.g. "1"
  std::shared_ptr<arrow::Schema> schema;  ///< nullptr for a schemaless table
  int64_t schema_id = 0;                  ///< DELTACAT:schema_id of `schema`
  std::vector<std::string> merge_keys;    ///< names of the merge-key fields, in schema order
  LifecycleState state = LifecycleState::kActive;
  std::optional<std::string> description;
  Properties properties;
  std::optional<std::vector<ContentType>> content_types;  ///< nullopt: all allowed
};

/// A table, its resolved version and whether it has a stream (DeltaCAT's TableDefinition).
struct TableDefinition {
  std::string ns;
  std::string name;
  std::optional<std::string> description;
  Properties properties;
  std::optional<std::string> latest_table_version;
  std::optional<std::string> latest_active_table_version;
  std::optional<TableVersionInfo> version;  ///< nullopt when no (active) version resolves
  bool has_stream = false;
};

/// Options for `CreateTable`.
struct CreateTableOptions {
  /// The schema; nullptr creates a schemaless table. Fields may carry DeltaCAT metadata
  /// (see schema.h); `merge_keys` below is a shortcut for marking merge keys.
  std::shared_ptr<arrow::Schema> schema;
  std::vector<std::string> merge_keys;
  std::optional<std::string> table_version;  ///< default: the next version, "1" for a new table
  LifecycleState lifecycle_state = LifecycleState::kActive;
  std::optional<std::string> table_description;
  std::optional<std::string> table_version_description;
  Properties table_properties;          ///< merged over the defaults
  Properties table_version_properties;  ///< merged over the table properties
  Properties namespace_properties;      ///< used when the namespace is auto-created
  std::optional<std::vector<ContentType>> content_types;
  bool fail_if_exists = true;
  bool auto_create_namespace = false;
};

/// Options for `AlterTable`; unset members are left unchanged.
struct AlterTableOptions {
  std::optional<std::string> table_version;  ///< default: the latest active version
  std::optional<LifecycleState> lifecycle_state;
  /// Full replacement schema, applied as DeltaCAT's SchemaUpdate: fields match by name and keep
  /// their ids, new fields get ids never used before, removed fields' ids are not reused.
  std::shared_ptr<arrow::Schema> new_schema;
  /// Allows removals, type narrowing and other SchemaCompatibilityError changes of
  /// `new_schema` (never removing or re-flagging merge keys).
  bool allow_incompatible_schema_changes = false;
  std::optional<std::string> table_description;
  std::optional<std::string> table_version_description;
  std::optional<Properties> table_properties;
  std::optional<Properties> table_version_properties;
};

/// Options for `Write`.
struct WriteOptions {
  TableWriteMode mode = TableWriteMode::kAuto;
  ContentType content_type = ContentType::kParquet;
  std::optional<std::string> table_version;
  /// Used only when the write creates the table.
  CreateTableOptions create;
  /// true: the write creates a schemaless table (Python's `schema=None`) when it creates one.
  bool schemaless = false;
  /// Split the written data into files of at most this many rows (0: one file per write).
  int64_t max_records_per_file = 0;
  /// Free-form properties stored on the delta.
  Properties delta_properties;
};

/// One committed delta, as returned by `Write`.
struct DeltaInfo {
  int64_t stream_position = 0;
  std::string type;  ///< "append", "add", "chrono", "upsert", "delete"
  int64_t record_count = 0;
  int64_t file_count = 0;
};

/// What a `Read` decided about the table's data files (see `ReadOptions::statistics`).
struct ReadStatistics {
  int64_t files_total = 0;   ///< data files of the snapshot the read looked at
  int64_t files_pruned = 0;  ///< skipped: their manifest statistics prove no row matches
  /// Files without usable statistics (e.g. written by Python), always read.
  int64_t files_without_statistics = 0;
  /// True when uncompacted upserts/deletes were merged on read; files are then never pruned
  /// (the filter applies to merged rows: pruning before the merge could resurrect old rows).
  bool merged_on_read = false;
};

/// Options for `Read`.
struct ReadOptions {
  std::vector<std::string> columns;  ///< empty: all columns, in schema order
  /// Row filter; files are pruned by manifest statistics, rows are filtered with Arrow compute.
  std::optional<arrow::compute::Expression> filter;
  std::optional<std::string> table_version;  ///< default: the latest active version
  /// Time travel: read the state as of this time (ns since the epoch; only transactions that
  /// ended strictly before it are visible).
  std::optional<int64_t> as_of;
  /// If set, appends a string column with this name holding each row's source file.
  std::optional<std::string> file_path_column;
  /// Skip data files whose manifest column statistics prove that no row matches `filter`.
  /// Off only to compare against an unpruned read (tests, benchmarks): results are the same.
  bool prune_files = true;
  /// When not null, `Read` fills it (final when `Read` returns; the caller keeps it alive).
  ReadStatistics* statistics = nullptr;
};

/// One transaction in the catalog's history.
struct TransactionRecord {
  std::string id;
  std::optional<std::string> commit_message;
  int64_t start_time = 0;
  int64_t end_time = 0;
  std::string status;  ///< "SUCCESS", "RUNNING", "FAILED", "PAUSED"
  std::vector<std::string> operation_types;
};

/// Options for `Compact`.
struct CompactOptions {
  std::optional<std::string> table_version;
  std::optional<int32_t> hash_buckets;      ///< default: the previous round's, else the property
  int64_t memory_budget_bytes = 2LL << 30;  ///< bound on the compactor's working memory
  /// "local" (a thread pool of `threads`), or the name of `runner` (e.g. "ray": the Python
  /// module passes a runner that submits Ray tasks).
  std::string executor = "local";
  int32_t threads = 0;  ///< local executor threads; 0: all cores
  /// Runs the tasks when `executor` is not "local"; required then. The round is still planned
  /// and committed here, once; a failed task fails the round and leaves the table unchanged.
  std::shared_ptr<RemoteTaskRunner> runner;
};

/// What one janitor run removed.
struct JanitorReport {
  int64_t transactions_cleaned = 0;        ///< dead or failed transactions whose files were removed
  std::vector<std::string> removed_paths;  ///< catalog-relative paths of removed files
};

/// A DeltaCAT catalog rooted at a URI: a local path or `s3://bucket/prefix`.
/// Every method is atomic: it runs in its own transaction unless `txn` is given, in which case it
/// joins it (and becomes visible when that transaction commits). Thread-safe.
class Catalog {
 public:
  /// Opens (and on first use initialises) the catalog at `root_uri`; an empty URI means
  /// $DELTACAT_ROOT, else `./.deltacat`.
  static Result<std::shared_ptr<Catalog>> Open(const std::string& root_uri = "");

  virtual ~Catalog() = default;

  /// The canonical root URI ("/abs/path" or "s3://bucket/prefix").
  virtual const std::string& root_uri() const = 0;

  // --- Transactions --------------------------------------------------------------------
  /// Starts an interactive transaction. With `as_of`, a read-only historic snapshot.
  virtual Result<std::unique_ptr<Transaction>> BeginTransaction(
      std::optional<int64_t> as_of = std::nullopt,
      std::optional<std::string> commit_message = std::nullopt) = 0;
  /// The newest `limit` transactions, newest first.
  virtual Result<std::vector<TransactionRecord>> Transactions(int64_t limit = 10) = 0;

  // --- Namespaces ----------------------------------------------------------------------
  virtual Result<NamespaceInfo> CreateNamespace(const std::string& name, Properties properties = {},
                                                Transaction* txn = nullptr) = 0;
  virtual Result<NamespaceInfo> GetNamespace(const std::string& name,
                                             Transaction* txn = nullptr) = 0;
  virtual Result<bool> NamespaceExists(const std::string& name, Transaction* txn = nullptr) = 0;
  virtual Result<std::vector<NamespaceInfo>> ListNamespaces(Transaction* txn = nullptr) = 0;
  /// Updates properties and/or renames (tables move along).
  virtual Status AlterNamespace(const std::string& name, std::optional<Properties> properties,
                                std::optional<std::string> new_name,
                                Transaction* txn = nullptr) = 0;
  virtual Status DropNamespace(const std::string& name, Transaction* txn = nullptr) = 0;

  // --- Tables ----------------------------------------------------------------------------
  virtual Result<TableDefinition> CreateTable(const TableRef& table, CreateTableOptions options,
                                              Transaction* txn = nullptr) = 0;
  /// TableNotFoundError when the table does not exist.
  virtual Result<TableDefinition> GetTable(const TableRef& table,
                                           std::optional<std::string> table_version = std::nullopt,
                                           Transaction* txn = nullptr) = 0;
  virtual Result<bool> TableExists(const TableRef& table, Transaction* txn = nullptr) = 0;
  virtual Result<std::vector<TableDefinition>> ListTables(const std::string& ns = "default",
                                                          Transaction* txn = nullptr) = 0;
  /// Every version of one table.
  virtual Result<std::vector<TableVersionInfo>> ListTableVersions(const TableRef& table,
                                                                  Transaction* txn = nullptr) = 0;
  virtual Status AlterTable(const TableRef& table, AlterTableOptions options,
                            Transaction* txn = nullptr) = 0;
  virtual Status RenameTable(const TableRef& table, const std::string& new_name,
                             Transaction* txn = nullptr) = 0;
  /// Drops the table, or with `table_version` marks that version DELETED.
  virtual Status DropTable(const TableRef& table,
                           std::optional<std::string> table_version = std::nullopt,
                           Transaction* txn = nullptr) = 0;

  // --- Data ----------------------------------------------------------------------------------
  /// Writes `data` to `table` by `options.mode`; returns the committed delta.
  virtual Result<DeltaInfo> Write(const TableRef& table,
                                  std::shared_ptr<arrow::RecordBatchReader> data,
                                  WriteOptions options = {}, Transaction* txn = nullptr) = 0;
  /// Convenience overload for an in-memory table.
  Result<DeltaInfo> Write(const TableRef& table, std::shared_ptr<arrow::Table> data,
                          WriteOptions options = {}, Transaction* txn = nullptr);
  /// Streams the table's rows (merge-on-read for uncompacted merge-keyed deltas).
  virtual Result<std::shared_ptr<arrow::RecordBatchReader>> Read(const TableRef& table,
                                                                 ReadOptions options = {},
                                                                 Transaction* txn = nullptr) = 0;
  /// Reads everything into one table.
  Result<std::shared_ptr<arrow::Table>> ReadTable(const TableRef& table, ReadOptions options = {},
                                                  Transaction* txn = nullptr);
  /// Compacts the table's partition (merge, dedupe, deletes) into one new delta.
  virtual Status Compact(const TableRef& table, CompactOptions options = {}) = 0;

  // --- Maintenance ---------------------------------------------------------------------------
  /// Removes what dead or failed writers left behind; never touches committed files.
  virtual Result<JanitorReport> RunJanitor() = 0;
};

/// An interactive transaction over one catalog. Pass it as `txn` to Catalog methods; all their
/// writes commit together in `Commit()`. Destroying an uncommitted transaction aborts it.
class Transaction {
 public:
  virtual ~Transaction() = default;
  /// The transaction id, `<start_ns>_<uuid4>`.
  virtual const std::string& id() const = 0;
  /// The snapshot time (the start time, or `as_of` for a historic transaction).
  virtual int64_t snapshot_time() const = 0;
  /// Publishes every write atomically; ConcurrentModificationError if another transaction won.
  virtual Status Commit() = 0;
  /// Discards every write; safe to call more than once.
  virtual Status Abort() = 0;
};

}  // namespace deltacat
