#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/directory_lister.h"
#include "deltacat/storage/revision_file_name.h"
#include "deltacat/storage/revision_partition.h"

namespace deltacat::storage {

/// A revision or mapping file found in a directory.
struct RevisionEntry {
  /// Full path inside the filesystem.
  std::string path;
  /// The parsed file name.
  RevisionFileName name;
};

/// Walks the revision files of a `rev/` or name-resolution directory newest first, in the
/// order Python examines them (storage-format.md §2.3, §4.6): exponential partitions by
/// descending ordering value, the files of each leaf by descending name, then legacy files
/// placed directly in the directory by descending revision. Only files with revision <=
/// `upper` are returned. Leaves are listed lazily, so finding the newest revision costs three
/// listings however long the history is.
class RevisionScanner {
 public:
  /// Scans `dir` through `lister` (which must outlive the scanner).
  RevisionScanner(DirectoryLister& lister, std::string dir, uint64_t upper = kMaxRevision);

  /// The files of the next revision number (all files sharing it, in examination order);
  /// empty when there are no more. A file in a partition leaf whose name does not parse is a
  /// kCorruptMetadata error naming it (Python fails on them too); unparsable legacy files and
  /// directories that are not partitions are skipped, as Python does.
  Result<std::vector<RevisionEntry>> NextRevision();

 private:
  Status Start();
  Status LoadNextLeaf();

  DirectoryLister& lister_;
  std::string dir_;
  uint64_t upper_;
  bool started_ = false;
  bool legacy_loaded_ = false;
  std::deque<std::string> level1_dirs_;  // remaining level-1 dirs, newest first
  std::deque<std::string> leaf_dirs_;    // remaining leaves of the current level-1 dir
  std::deque<RevisionEntry> pending_;    // legacy files once the leaves are exhausted
  // The current leaf: its path and its files (revision, name) newest first, from leaf_next_
  // on; entries are built only for the files a caller reaches.
  std::string leaf_path_;
  std::vector<std::pair<uint64_t, std::string>> leaf_files_;
  size_t leaf_next_ = 0;
  std::vector<RevisionEntry> legacy_;  // legacy files, read after all partitions
};

/// The newest files of `dir` (revision <= `upper`): the first group NextRevision returns.
Result<std::vector<RevisionEntry>> NewestRevisionFiles(DirectoryLister& lister,
                                                       const std::string& dir,
                                                       uint64_t upper = kMaxRevision);

}  // namespace deltacat::storage
