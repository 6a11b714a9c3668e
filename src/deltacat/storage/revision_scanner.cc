#include "deltacat/storage/revision_scanner.h"

#include <algorithm>
#include <utility>

#include "deltacat/fs/filesystem_uri.h"

namespace deltacat::storage {

RevisionScanner::RevisionScanner(DirectoryLister& lister, std::string dir, uint64_t upper)
    : lister_(lister), dir_(std::move(dir)), upper_(std::min(upper, kMaxRevision)) {}

Status RevisionScanner::Start() {
  started_ = true;
  if (upper_ == 0) return Status::OK();
  DC_ASSIGN_OR_RAISE(auto entries, lister_.List(dir_));
  DC_ASSIGN_OR_RAISE(auto target, RevisionPartitionOf(upper_));
  std::vector<std::pair<uint64_t, std::string>> level1;
  for (const auto& entry : entries) {
    if (entry.is_dir) {
      auto value = ParseRevisionLevel1Dir(entry.name);
      if (value && *value <= target.level1) level1.emplace_back(*value, entry.name);
    } else {
      // Legacy (pre-partitioning) files; unparsable names are skipped like Python does.
      auto parsed = ParseRevisionFileName(entry.name);
      if (parsed.ok() && parsed->revision <= upper_) {
        legacy_.push_back(RevisionEntry{JoinPath(dir_, entry.name), std::move(*parsed)});
      }
    }
  }
  std::stable_sort(level1.begin(), level1.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [value, name] : level1) level1_dirs_.push_back(std::move(name));
  // Python: files sorted by descending path, then stably by descending revision.
  std::sort(legacy_.begin(), legacy_.end(), [](const RevisionEntry& a, const RevisionEntry& b) {
    return NewerRevisionFirst(BaseName(a.path), BaseName(b.path));
  });
  std::stable_sort(legacy_.begin(), legacy_.end(),
                   [](const RevisionEntry& a, const RevisionEntry& b) {
                     return a.name.revision > b.name.revision;
                   });
  return Status::OK();
}

Status RevisionScanner::LoadNextLeaf() {
  if (upper_ == 0) return Status::OK();
  DC_ASSIGN_OR_RAISE(auto target, RevisionPartitionOf(upper_));
  const uint64_t target_leaf = target.OrderingValue();
  while (pending_.empty() && leaf_next_ >= leaf_files_.size()) {
    if (leaf_dirs_.empty()) {
      if (level1_dirs_.empty()) {
        if (!legacy_loaded_) {
          legacy_loaded_ = true;
          for (auto& entry : legacy_) pending_.push_back(std::move(entry));
          legacy_.clear();
        }
        return Status::OK();
      }
      const std::string level1 = level1_dirs_.front();
      level1_dirs_.pop_front();
      const std::string level1_path = JoinPath(dir_, level1);
      DC_ASSIGN_OR_RAISE(auto entries, lister_.List(level1_path));
      std::vector<std::pair<uint64_t, std::string>> leaves;
      for (const auto& entry : entries) {
        if (!entry.is_dir) continue;
        auto value = ParseRevisionLeafDir(level1, entry.name);
        if (value && *value <= target_leaf)
          leaves.emplace_back(*value, JoinPath(level1_path, entry.name));
      }
      std::stable_sort(leaves.begin(), leaves.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (auto& [value, path] : leaves) leaf_dirs_.push_back(std::move(path));
      continue;
    }
    leaf_path_ = leaf_dirs_.front();
    leaf_dirs_.pop_front();
    DC_ASSIGN_OR_RAISE(auto entries, lister_.List(leaf_path_));
    leaf_files_.clear();
    leaf_next_ = 0;
    // Listings are sorted by ascending name, so walking them backwards is Python's order
    // (descending name, NewerRevisionFirst) without sorting: leaves hold up to 1000 files.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      if (it->is_dir) continue;
      auto revision = ParseRevisionNumber(it->name);
      if (!revision.ok()) return revision.status().WithContext("in '" + leaf_path_ + "'");
      if (*revision > upper_) continue;
      leaf_files_.emplace_back(*revision, std::move(it->name));
    }
  }
  return Status::OK();
}

Result<std::vector<RevisionEntry>> RevisionScanner::NextRevision() {
  if (!started_) DC_RETURN_NOT_OK(Start());
  std::vector<RevisionEntry> group;
  while (true) {
    if (upper_ == 0) return group;
    if (pending_.empty() && leaf_next_ >= leaf_files_.size()) DC_RETURN_NOT_OK(LoadNextLeaf());
    if (pending_.empty() && leaf_next_ < leaf_files_.size()) {
      const auto& [revision, name] = leaf_files_[leaf_next_];
      if (revision > upper_) {
        ++leaf_next_;
        continue;
      }
      if (!group.empty() && revision != group.front().name.revision) break;
      ++leaf_next_;
      DC_ASSIGN_OR_RAISE(auto parsed, ParseRevisionFileName(name));
      group.push_back(RevisionEntry{JoinPath(leaf_path_, name), std::move(parsed)});
      continue;
    }
    if (pending_.empty()) return group;
    RevisionEntry entry = std::move(pending_.front());
    pending_.pop_front();
    if (entry.name.revision > upper_) continue;  // already passed (legacy ordering)
    if (!group.empty() && entry.name.revision != group.front().name.revision) {
      pending_.push_front(std::move(entry));
      break;
    }
    group.push_back(std::move(entry));
  }
  upper_ = group.front().name.revision - 1;
  return group;
}

Result<std::vector<RevisionEntry>> NewestRevisionFiles(DirectoryLister& lister,
                                                       const std::string& dir, uint64_t upper) {
  RevisionScanner scanner(lister, dir, upper);
  return scanner.NextRevision();
}

}  // namespace deltacat::storage
