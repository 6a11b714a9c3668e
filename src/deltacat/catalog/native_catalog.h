#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/catalog.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction.h"
#include "deltacat/storage/transaction_clock.h"

namespace deltacat {

/// The catalog over DeltaCAT's native storage format on any Arrow filesystem.
class NativeCatalog final : public Catalog {
 public:
  /// Opens the catalog at `location`, bootstrapping it (version marker, `default` namespace).
  static Result<std::shared_ptr<NativeCatalog>> Open(FileSystemLocation location);

  const std::string& root_uri() const override { return location_.uri; }
  const FileSystemLocation& location() const { return location_; }

  Result<std::unique_ptr<Transaction>> BeginTransaction(
      std::optional<int64_t> as_of, std::optional<std::string> commit_message) override;
  Result<std::vector<TransactionRecord>> Transactions(int64_t limit) override;

  Result<NamespaceInfo> CreateNamespace(const std::string& name, Properties properties,
                                        Transaction* txn) override;
  Result<NamespaceInfo> GetNamespace(const std::string& name, Transaction* txn) override;
  Result<bool> NamespaceExists(const std::string& name, Transaction* txn) override;
  Result<std::vector<NamespaceInfo>> ListNamespaces(Transaction* txn) override;
  Status AlterNamespace(const std::string& name, std::optional<Properties> properties,
                        std::optional<std::string> new_name, Transaction* txn) override;
  Status DropNamespace(const std::string& name, Transaction* txn) override;

  Result<TableDefinition> CreateTable(const TableRef& table, CreateTableOptions options,
                                      Transaction* txn) override;
  Result<TableDefinition> GetTable(const TableRef& table, std::optional<std::string> table_version,
                                   Transaction* txn) override;
  Result<bool> TableExists(const TableRef& table, Transaction* txn) override;
  Result<std::vector<TableDefinition>> ListTables(const std::string& ns, Transaction* txn) override;
  Result<std::vector<TableVersionInfo>> ListTableVersions(const TableRef& table,
                                                          Transaction* txn) override;
  Status AlterTable(const TableRef& table, AlterTableOptions options, Transaction* txn) override;
  Status RenameTable(const TableRef& table, const std::string& new_name, Transaction* txn) override;
  Status DropTable(const TableRef& table, std::optional<std::string> table_version,
                   Transaction* txn) override;

  Result<DeltaInfo> Write(const TableRef& table, std::shared_ptr<arrow::RecordBatchReader> data,
                          WriteOptions options, Transaction* txn) override;
  Result<std::shared_ptr<arrow::RecordBatchReader>> Read(const TableRef& table, ReadOptions options,
                                                         Transaction* txn) override;
  Status Compact(const TableRef& table, CompactOptions options) override;
  Result<JanitorReport> RunJanitor() override;

  // --- Building blocks shared by the operations (used across the catalog's .cc files) ---------

  /// Runs `body` in `txn` (joining it) or in a new transaction committed on success and
  /// aborted on failure.
  Status InWriteTransaction(Transaction* txn,
                            const std::function<Status(storage::Transaction&)>& body);
  /// Runs `body` on the snapshot of `txn` (with its own writes), of `as_of`, or of now.
  Status InSnapshot(Transaction* txn, std::optional<int64_t> as_of,
                    const std::function<Status(storage::SnapshotReader&)>& body);

  /// A resolved table: its records at one snapshot (the version and stream may be absent).
  struct ResolvedTable {
    storage::MetafileRecord table;
    std::optional<storage::MetafileRecord> table_version;
    std::optional<storage::MetafileRecord> stream;
  };
  /// Finds the table and its requested (or latest active) version and stream; nullopt when
  /// the table does not exist. NamespaceNotFoundError when the namespace does not.
  Result<std::optional<ResolvedTable>> ResolveTable(storage::SnapshotReader& reader,
                                                    const TableRef& table,
                                                    const std::optional<std::string>& version);
  /// The public view of a resolved table.
  Result<TableDefinition> ToDefinition(const ResolvedTable& resolved) const;

  std::shared_ptr<storage::TransactionClock> clock() const { return clock_; }

 private:
  explicit NativeCatalog(FileSystemLocation location);
  Status Bootstrap();
  Result<TableDefinition> CreateTableIn(storage::Transaction& txn, const TableRef& table,
                                        const CreateTableOptions& options);

  friend Result<DeltaInfo> WriteToTable(NativeCatalog& catalog, storage::Transaction& txn,
                                        const TableRef& table, arrow::RecordBatchReader& data,
                                        const WriteOptions& options);

  FileSystemLocation location_;
  std::shared_ptr<storage::TransactionClock> clock_;
};

/// The public transaction handle over a storage transaction.
class CatalogTransaction final : public Transaction {
 public:
  CatalogTransaction(const NativeCatalog* owner, storage::Transaction txn)
      : owner_(owner), txn_(std::move(txn)) {}
  const std::string& id() const override { return txn_.id(); }
  int64_t snapshot_time() const override { return txn_.start_time(); }
  Status Commit() override;
  Status Abort() override;

  /// The catalog that started this transaction.
  const NativeCatalog* owner() const { return owner_; }
  storage::Transaction& storage() { return txn_; }

 private:
  const NativeCatalog* owner_;
  storage::Transaction txn_;
};

/// The catalog's write path (table_write.cc): runs one `Write` inside `txn`.
Result<DeltaInfo> WriteToTable(NativeCatalog& catalog, storage::Transaction& txn,
                               const TableRef& table, arrow::RecordBatchReader& data,
                               const WriteOptions& options);

/// The catalog's read path (table_read.cc): a reader over the table's rows at `reader`'s
/// snapshot, merging uncompacted upserts and deletes on the fly.
Result<std::shared_ptr<arrow::RecordBatchReader>> ReadFromTable(NativeCatalog& catalog,
                                                                storage::SnapshotReader& reader,
                                                                const TableRef& table,
                                                                const ReadOptions& options);

}  // namespace deltacat
