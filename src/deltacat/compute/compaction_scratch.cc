#include "deltacat/compute/compaction_scratch.h"

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/commit_lookup.h"
#include "deltacat/storage/transaction_id.h"

namespace deltacat::compute {
namespace {

constexpr std::string_view kScratchRelativePath = "compute/compactor/scratch";

/// Whether the transaction has ended: committed (success log) or failed (failed log).
Result<bool> TransactionEnded(const FileSystemLocation& catalog, storage::CommitLookup& commits,
                              std::string_view txn_id) {
  DC_ASSIGN_OR_RAISE(auto end_time, commits.EndTimeNow(txn_id));
  if (end_time) return true;
  DC_ASSIGN_OR_RAISE(auto failed_logs, storage::FailedTxnLogPathCandidates(catalog.root, txn_id));
  for (const auto& path : failed_logs) {
    DC_ASSIGN_OR_RAISE(bool exists, Exists(*catalog.fs, path));
    if (exists) return true;
  }
  return false;
}

}  // namespace

std::string CompactionScratchRoot(const FileSystemLocation& catalog) {
  return JoinPath(catalog.root, kScratchRelativePath);
}

std::string CompactionScratchDir(const FileSystemLocation& catalog, std::string_view txn_id) {
  return JoinPath(CompactionScratchRoot(catalog), txn_id);
}

Result<std::vector<std::string>> RemoveAbandonedCompactionScratch(const FileSystemLocation& catalog,
                                                                  int64_t now_ns,
                                                                  int64_t running_timeout_ns,
                                                                  bool dry_run) {
  DC_ASSIGN_OR_RAISE(std::vector<DirEntry> entries,
                     ListDir(*catalog.fs, CompactionScratchRoot(catalog)));
  storage::CommitLookup commits(catalog.fs, catalog.root);
  std::vector<std::string> removed;
  for (const DirEntry& entry : entries) {
    if (!entry.is_dir) continue;
    auto parts = storage::ParseTransactionId(entry.name);
    if (!parts.ok()) continue;
    bool abandoned = now_ns - parts->start_time > running_timeout_ns;
    if (!abandoned) {
      DC_ASSIGN_OR_RAISE(abandoned, TransactionEnded(catalog, commits, entry.name));
    }
    if (!abandoned) continue;
    if (!dry_run)
      DC_RETURN_NOT_OK(DeleteDir(*catalog.fs, CompactionScratchDir(catalog, entry.name)));
    removed.push_back(std::string(kScratchRelativePath) + "/" + entry.name);
  }
  return removed;
}

}  // namespace deltacat::compute
