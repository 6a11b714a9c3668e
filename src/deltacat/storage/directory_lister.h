#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <arrow/filesystem/filesystem.h>

#include "deltacat/fs/file_ops.h"
#include "deltacat/result.h"

namespace deltacat::storage {

/// Lists directories for the revision scanner and the snapshot reader. Implementations may
/// answer from a listing fetched up front, so that reading many small objects under one
/// directory costs one recursive listing instead of several listings per object.
class DirectoryLister {
 public:
  virtual ~DirectoryLister() = default;
  /// The visible children of `dir` like ListDir (sorted, hidden names skipped, empty when the
  /// directory does not exist).
  virtual Result<std::vector<DirEntry>> List(const std::string& dir) = 0;
};

/// Lists through the filesystem every time.
class FileSystemLister : public DirectoryLister {
 public:
  explicit FileSystemLister(arrow::fs::FileSystem& fs) : fs_(fs) {}
  Result<std::vector<DirEntry>> List(const std::string& dir) override;

 private:
  arrow::fs::FileSystem& fs_;
};

/// Answers listings of `root` and everything below it from one recursive listing taken at
/// construction (hidden names and everything under them skipped); other directories go to the
/// filesystem. The answers are as of the moment of the prefetch.
class PrefetchedTreeLister : public DirectoryLister {
 public:
  /// Lists everything under `root` recursively (a missing root is an empty tree).
  static Result<std::unique_ptr<PrefetchedTreeLister>> Fetch(arrow::fs::FileSystem& fs,
                                                             const std::string& root);
  Result<std::vector<DirEntry>> List(const std::string& dir) override;

 private:
  PrefetchedTreeLister(arrow::fs::FileSystem& fs, std::string root)
      : fs_(fs), root_(std::move(root)) {}
  arrow::fs::FileSystem& fs_;
  std::string root_;
  std::map<std::string, std::vector<DirEntry>> children_;
};

}  // namespace deltacat::storage
