#include "deltacat/storage/transaction_history.h"

#include <algorithm>
#include <limits>

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/python_time_partition.h"
#include "deltacat/storage/transaction_id.h"

namespace deltacat::storage {

namespace {

bool AllDigits(std::string_view text, size_t size) {
  if (text.size() != size) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int64_t> ParseEndTimeName(std::string_view name) {
  if (name.empty() || name.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return static_cast<int64_t>(value);
}

class HistoryWalker {
 public:
  HistoryWalker(const FileSystemLocation& catalog, const TransactionHistoryQuery& query)
      : catalog_(catalog), query_(query) {
    // Python may file a start time up to ~600 ns before a minute boundary under the next
    // minute, so bucket bounds are widened by one minute on the upper side.
    if (query.min_start_time) lower_ = NaiveMinutePartition(*query.min_start_time);
    if (query.max_start_time) {
      upper_ = NaiveMinutePartition(*query.max_start_time + kNanosPerMinute);
    }
  }

  bool InRange(int64_t start) const {
    return (!query_.min_start_time || start >= *query_.min_start_time) &&
           (!query_.max_start_time || start <= *query_.max_start_time);
  }

  bool Enough(size_t found) const { return query_.limit && found >= *query_.limit; }

  // Adds one transaction found in a bucketed or flat status dir.
  Status AddEntry(TxnLogStatus status, const std::string& txn_dir_or_file, const std::string& name,
                  bool is_dir, std::vector<TransactionHistoryEntry>& out) {
    auto parts = ParseTransactionId(name);
    if (!parts.ok() || !InRange(parts->start_time)) return Status::OK();
    TransactionHistoryEntry entry;
    entry.txn_id = name;
    entry.start_time = parts->start_time;
    entry.status = status;
    if (status == TxnLogStatus::kSuccess) {
      if (!is_dir) return Status::OK();
      DC_ASSIGN_OR_RAISE(auto files, ListDir(*catalog_.fs, txn_dir_or_file));
      std::vector<std::string> ends;
      for (const auto& file : files) {
        if (!file.is_dir) ends.push_back(file.name);
      }
      if (ends.empty()) return Status::OK();  // being written, or an aborted seal
      if (ends.size() > 1) {
        return MakeError(ErrorCode::kCorruptMetadata, "success log directory '", txn_dir_or_file,
                         "' holds ", ends.size(), " files; expected exactly one");
      }
      entry.end_time = ParseEndTimeName(ends[0]);
      if (!entry.end_time) {
        return MakeError(ErrorCode::kCorruptMetadata, "success log '",
                         JoinPath(txn_dir_or_file, ends[0]), "' is not named by an end time");
      }
      entry.log_path = JoinPath(txn_dir_or_file, ends[0]);
    } else {
      if (is_dir) return Status::OK();
      entry.log_path = txn_dir_or_file;
    }
    if (query_.read_records) {
      DC_ASSIGN_OR_RAISE(auto record, ReadTxnLog(*catalog_.fs, entry.log_path));
      if (!entry.end_time) entry.end_time = record.end_time;
      entry.record = std::move(record);
    }
    out.push_back(std::move(entry));
    return Status::OK();
  }

  // Walks YYYY/MM/DD/hh/mm buckets under `dir`, newest first.
  Status WalkBuckets(TxnLogStatus status, const std::string& dir, size_t depth,
                     std::vector<std::string> prefix, std::vector<TransactionHistoryEntry>& out) {
    static constexpr size_t kWidths[5] = {4, 2, 2, 2, 2};
    DC_ASSIGN_OR_RAISE(auto entries, ListDir(*catalog_.fs, dir));
    if (depth == 5) {
      std::vector<TransactionHistoryEntry> bucket;
      for (const auto& entry : entries) {
        DC_RETURN_NOT_OK(
            AddEntry(status, JoinPath(dir, entry.name), entry.name, entry.is_dir, bucket));
      }
      for (auto& entry : bucket) out.push_back(std::move(entry));
      return Status::OK();
    }
    std::vector<std::string> names;
    for (const auto& entry : entries) {
      if (entry.is_dir && AllDigits(entry.name, kWidths[depth])) names.push_back(entry.name);
    }
    std::sort(names.rbegin(), names.rend());
    for (const auto& name : names) {
      prefix.push_back(name);
      const bool below_lower = lower_ && std::lexicographical_compare(
                                             prefix.begin(), prefix.end(), lower_->begin(),
                                             lower_->begin() + static_cast<long>(prefix.size()));
      const bool above_upper =
          upper_ && std::lexicographical_compare(upper_->begin(),
                                                 upper_->begin() + static_cast<long>(prefix.size()),
                                                 prefix.begin(), prefix.end());
      if (!below_lower && !above_upper) {
        DC_RETURN_NOT_OK(WalkBuckets(status, JoinPath(dir, name), depth + 1, prefix, out));
      }
      prefix.pop_back();
      // Buckets are newest first; once the limit is met, older buckets cannot contribute.
      if (Enough(out.size())) break;
    }
    return Status::OK();
  }

  Status WalkStatus(TxnLogStatus status, std::vector<TransactionHistoryEntry>& out) {
    const std::string dir =
        TxnStatusDir(catalog_.root, status == TxnLogStatus::kSuccess   ? kSuccessTxnDirName
                                    : status == TxnLogStatus::kFailed  ? kFailedTxnDirName
                                    : status == TxnLogStatus::kRunning ? kRunningTxnDirName
                                                                       : kPausedTxnDirName);
    if (status == TxnLogStatus::kSuccess || status == TxnLogStatus::kFailed) {
      DC_RETURN_NOT_OK(WalkBuckets(status, dir, 0, {}, out));
    }
    // Flat logs: running and paused always; legacy success/failed logs before Sept 2025.
    DC_ASSIGN_OR_RAISE(auto entries, ListDir(*catalog_.fs, dir));
    for (const auto& entry : entries) {
      if (AllDigits(entry.name, 4)) continue;  // a year bucket
      DC_RETURN_NOT_OK(AddEntry(status, JoinPath(dir, entry.name), entry.name, entry.is_dir, out));
    }
    return Status::OK();
  }

 private:
  const FileSystemLocation& catalog_;
  const TransactionHistoryQuery& query_;
  std::optional<MinutePartition> lower_;
  std::optional<MinutePartition> upper_;
};

}  // namespace

std::string_view TxnLogStatusName(TxnLogStatus status) {
  switch (status) {
    case TxnLogStatus::kSuccess: return "SUCCESS";
    case TxnLogStatus::kRunning: return "RUNNING";
    case TxnLogStatus::kPaused: return "PAUSED";
    case TxnLogStatus::kFailed: return "FAILED";
  }
  return "UNKNOWN";
}

Result<std::vector<TransactionHistoryEntry>> ListTransactions(
    const FileSystemLocation& catalog, const TransactionHistoryQuery& query) {
  if (query.limit && *query.limit == 0) {
    return Status(ErrorCode::kInvalidArgument, "limit must be greater than 0");
  }
  HistoryWalker walker(catalog, query);
  std::vector<TransactionHistoryEntry> entries;
  for (TxnLogStatus status : query.statuses) {
    std::vector<TransactionHistoryEntry> found;
    DC_RETURN_NOT_OK(walker.WalkStatus(status, found));
    for (auto& entry : found) entries.push_back(std::move(entry));
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const TransactionHistoryEntry& a, const TransactionHistoryEntry& b) {
                     return a.start_time != b.start_time ? a.start_time > b.start_time
                                                         : a.txn_id > b.txn_id;
                   });
  if (query.limit && entries.size() > *query.limit) entries.resize(*query.limit);
  return entries;
}

}  // namespace deltacat::storage
