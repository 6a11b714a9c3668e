#include "deltacat/storage/commit_lookup.h"

#include <limits>
#include <utility>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/directory_lister.h"

namespace deltacat::storage {

namespace {

Result<int64_t> ParseEndTime(std::string_view name, const std::string& dir) {
  if (name.empty() || name.size() > 19) {
    return MakeError(ErrorCode::kCorruptMetadata, "success log '", JoinPath(dir, name),
                     "' is not named by an end time");
  }
  uint64_t value = 0;
  for (char c : name) {
    if (c < '0' || c > '9') {
      return MakeError(ErrorCode::kCorruptMetadata, "success log '", JoinPath(dir, name),
                       "' is not named by an end time");
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return MakeError(ErrorCode::kCorruptMetadata, "success log '", JoinPath(dir, name),
                     "' has an end time beyond int64");
  }
  return static_cast<int64_t>(value);
}

}  // namespace

CommitLookup::CommitLookup(std::shared_ptr<arrow::fs::FileSystem> fs, std::string root)
    : fs_(std::move(fs)), root_(std::move(root)) {}

Result<std::vector<std::string>> CommitLookup::ListTxnDir(const std::string& dir) {
  ++listings_;
  DC_ASSIGN_OR_RAISE(auto entries, ListDir(*fs_, dir));
  std::vector<std::string> files;
  for (auto& entry : entries) {
    if (!entry.is_dir) files.push_back(std::move(entry.name));
  }
  return files;
}

Result<std::optional<int64_t>> CommitLookup::EndTimeFromFiles(
    std::string_view txn_id, const std::string& dir, const std::vector<std::string>& files) {
  if (files.empty()) return std::optional<int64_t>();
  if (files.size() > 1) {
    return MakeError(ErrorCode::kCorruptMetadata, "success log directory '", dir,
                     "' of transaction ", txn_id, " holds ", files.size(),
                     " files; expected exactly one");
  }
  DC_ASSIGN_OR_RAISE(auto end, ParseEndTime(files.front(), dir));
  return std::optional<int64_t>(end);
}

Result<std::optional<int64_t>> CommitLookup::EndTimeNow(std::string_view txn_id) {
  auto candidates = SuccessTxnLogDirCandidates(root_, txn_id);
  if (!candidates.ok()) {
    return Status(ErrorCode::kCorruptMetadata, candidates.status().message());
  }
  for (const auto& dir : *candidates) {
    DC_ASSIGN_OR_RAISE(auto files, ListTxnDir(dir));
    DC_ASSIGN_OR_RAISE(auto end, EndTimeFromFiles(txn_id, dir, files));
    if (end) return end;
  }
  return std::optional<int64_t>();
}

Result<const CommitLookup::MinuteIndex*> CommitLookup::IndexMinute(const std::string& minute_dir) {
  auto found = minutes_.find(minute_dir);
  if (found != minutes_.end()) return &found->second;
  ++listings_;
  DC_ASSIGN_OR_RAISE(auto tree, PrefetchedTreeLister::Fetch(*fs_, minute_dir));
  MinuteIndex index;
  DC_ASSIGN_OR_RAISE(auto txn_dirs, tree->List(minute_dir));
  for (const auto& txn_dir : txn_dirs) {
    if (!txn_dir.is_dir) continue;
    DC_ASSIGN_OR_RAISE(auto entries, tree->List(JoinPath(minute_dir, txn_dir.name)));
    std::vector<std::string> files;
    for (const auto& entry : entries) {
      if (!entry.is_dir) files.push_back(entry.name);
    }
    index.files.emplace(txn_dir.name, std::move(files));
  }
  auto [it, inserted] = minutes_.emplace(minute_dir, std::move(index));
  return &it->second;
}

Result<std::optional<int64_t>> CommitLookup::EndTimeCached(std::string_view txn_id) {
  auto candidates = SuccessTxnLogDirCandidates(root_, txn_id);
  if (!candidates.ok()) {
    return Status(ErrorCode::kCorruptMetadata, candidates.status().message());
  }
  // All but the last candidate are <minute dir>/<txn_id>; the last is the legacy flat dir.
  for (size_t i = 0; i + 1 < candidates->size(); ++i) {
    const std::string& dir = (*candidates)[i];
    DC_ASSIGN_OR_RAISE(const MinuteIndex* index, IndexMinute(std::string(ParentPath(dir))));
    auto it = index->files.find(txn_id);
    if (it == index->files.end()) continue;
    DC_ASSIGN_OR_RAISE(auto end, EndTimeFromFiles(txn_id, dir, it->second));
    if (end) return end;
  }
  auto flat = flat_.find(txn_id);
  if (flat != flat_.end()) return flat->second;
  const std::string& dir = candidates->back();
  DC_ASSIGN_OR_RAISE(auto files, ListTxnDir(dir));
  DC_ASSIGN_OR_RAISE(auto end, EndTimeFromFiles(txn_id, dir, files));
  flat_.emplace(std::string(txn_id), end);
  return end;
}

}  // namespace deltacat::storage
