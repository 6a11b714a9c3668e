// Maintenance operations of the native catalog: compaction, transaction history, janitor.
#include "deltacat/catalog/native_catalog.h"
#include "deltacat/catalog/remote_executor.h"
#include "deltacat/catalog/table_properties.h"
#include "deltacat/compute/compaction_scratch.h"
#include "deltacat/compute/compactor.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/janitor.h"
#include "deltacat/storage/transaction_history.h"

namespace deltacat {

Status NativeCatalog::Compact(const TableRef& table, CompactOptions options) {
  std::optional<compute::ThreadPoolExecutor> local;
  std::optional<RemoteExecutor> remote;
  compute::Executor* executor = nullptr;
  if (options.executor == "local") {
    if (options.threads < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "threads must be >= 0, got ", options.threads);
    }
    executor = &local.emplace(compute::ThreadPoolExecutor::Options{options.threads, nullptr});
  } else if (options.runner != nullptr) {
    executor = &remote.emplace(options.runner);
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "executor '", options.executor,
                     "' needs a task runner; from C++ use \"local\" (executor=\"ray\" runs "
                     "through the Python module deltacat_cpp)");
  }
  return InWriteTransaction(nullptr, [&](storage::Transaction& txn) -> Status {
    auto& reader = txn.reader();
    DC_ASSIGN_OR_RAISE(auto resolved, ResolveTable(reader, table, options.table_version));
    if (!resolved) {
      return MakeError(ErrorCode::kTableNotFound, "Table does not exist: ", table.ns, ".",
                       table.name);
    }
    if (!resolved->table_version || !resolved->stream) {
      return MakeError(ErrorCode::kTableVersionNotFound, "Table ", table.ns, ".", table.name,
                       " has no active version to compact");
    }
    DC_ASSIGN_OR_RAISE(auto partition,
                       reader.FindPartition(*resolved->stream, storage::MsgValue::Nil()));
    if (!partition) return Status::OK();  // nothing written yet
    DC_ASSIGN_OR_RAISE(storage::TableVersion version,
                       storage::DecodeTableVersion(resolved->table_version->doc));
    DC_ASSIGN_OR_RAISE(EffectiveTableProperties properties,
                       ReadEffectiveProperties(version.properties));
    compute::CompactionOptions compaction;
    compaction.hash_buckets = options.hash_buckets;
    compaction.default_hash_buckets =
        static_cast<int32_t>(properties.default_compaction_hash_bucket_count);
    compaction.records_per_file = properties.records_per_compacted_file;
    compaction.memory_budget_bytes = options.memory_budget_bytes;
    compaction.executor = executor;
    DC_ASSIGN_OR_RAISE(auto result,
                       compute::CompactPartition(txn, *resolved->table_version, *resolved->stream,
                                                 *partition, compaction));
    (void)result;
    return Status::OK();
  });
}

Result<std::vector<TransactionRecord>> NativeCatalog::Transactions(int64_t limit) {
  if (limit <= 0) return MakeError(ErrorCode::kInvalidArgument, "limit must be positive");
  storage::TransactionHistoryQuery query;
  query.limit = static_cast<size_t>(limit);
  DC_ASSIGN_OR_RAISE(auto entries, storage::ListTransactions(location_, query));
  std::vector<TransactionRecord> records;
  for (const auto& entry : entries) {
    TransactionRecord record;
    record.id = entry.txn_id;
    record.start_time = entry.start_time;
    record.end_time = entry.end_time.value_or(0);
    record.status = std::string(storage::TxnLogStatusName(entry.status));
    if (entry.record) {
      record.commit_message = entry.record->commit_message;
      for (const auto& op : entry.record->operations) {
        record.operation_types.push_back(op.type);
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

Result<JanitorReport> NativeCatalog::RunJanitor() {
  storage::JanitorOptions options;
  options.now_ns = clock_->Now();
  DC_ASSIGN_OR_RAISE(auto report, storage::RunJanitor(location_, options));
  JanitorReport result;
  result.transactions_cleaned = static_cast<int64_t>(report.dead_transactions.size());
  result.removed_paths = report.deleted_files;
  for (const auto& log : report.deleted_logs) result.removed_paths.push_back(log);
  // Intermediates of compaction rounds that crashed (a dead Ray driver, a killed process).
  DC_ASSIGN_OR_RAISE(auto scratch, compute::RemoveAbandonedCompactionScratch(
                                       location_, options.now_ns, options.running_timeout_ns));
  for (auto& path : scratch) result.removed_paths.push_back(std::move(path));
  return result;
}

}  // namespace deltacat
