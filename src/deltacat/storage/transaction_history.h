#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"
#include "deltacat/storage/txn_log_record.h"

namespace deltacat::storage {

/// The directory a transaction log sits in (Python's TransactionStatus).
enum class TxnLogStatus { kSuccess, kRunning, kPaused, kFailed };

/// "SUCCESS", "RUNNING", "PAUSED" or "FAILED" (Python's enum names).
std::string_view TxnLogStatusName(TxnLogStatus status);

/// One transaction found in the logs.
struct TransactionHistoryEntry {
  std::string txn_id;
  int64_t start_time = 0;
  /// From the success log's file name (success), or the record (others), if any.
  std::optional<int64_t> end_time;
  TxnLogStatus status = TxnLogStatus::kSuccess;
  /// The log file.
  std::string log_path;
  /// The decoded log, when requested.
  std::optional<TxnLogRecord> record;
};

/// Which transactions ListTransactions returns.
struct TransactionHistoryQuery {
  /// Only transactions that started at or after this time (ns).
  std::optional<int64_t> min_start_time;
  /// Only transactions that started at or before this time (ns).
  std::optional<int64_t> max_start_time;
  /// At most this many, most recent start first.
  std::optional<size_t> limit;
  /// Which logs to look at.
  std::vector<TxnLogStatus> statuses = {TxnLogStatus::kSuccess};
  /// Also read and decode each log (operations, commit message).
  bool read_records = true;
};

/// Lists transactions from the logs (Python's `dc.transactions()`), most recent start first.
/// Success and failed logs are found by walking their YYYY/MM/DD/hh/mm buckets newest first,
/// pruned by the start-time bounds and stopping once `limit` is reached, plus the legacy flat
/// layout; running and paused logs are flat. Entries that are not transaction IDs are skipped;
/// an unreadable log is a kCorruptMetadata error naming it.
Result<std::vector<TransactionHistoryEntry>> ListTransactions(const FileSystemLocation& catalog,
                                                              const TransactionHistoryQuery& query);

}  // namespace deltacat::storage
