#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <arrow/filesystem/filesystem.h>

#include "deltacat/fs/file_ops.h"
#include "deltacat/result.h"

namespace deltacat::storage {

/// ListDir (file_ops.h) for the storage layer's hot paths. On a plain local filesystem
/// (exactly arrow::fs::LocalFileSystem, so decorators such as FaultInjectionFileSystem still see
/// every call) it reads the directory with readdir and takes entry types from it, without the
/// per-entry stat Arrow's listing does: revision leaves hold up to 1000 files and are listed
/// several times per commit. Entry sizes are then -1. Elsewhere it is ListDir.
Result<std::vector<DirEntry>> ListDirectory(arrow::fs::FileSystem& fs, const std::string& dir);

/// Calls `visit(name, is_dir)` for each visible entry of `dir` (as ListDirectory lists them) in
/// no particular order, without sorting or copying the names: for scans that want few of many
/// entries, such as a conflict check looking for one revision in a leaf of 1000 files. A
/// missing directory has no entries; an error from `visit` stops the scan and is returned.
Status VisitDirectory(arrow::fs::FileSystem& fs, const std::string& dir,
                      const std::function<Status(std::string_view name, bool is_dir)>& visit);

/// Lists directories for the revision scanner and the snapshot reader. Implementations may
/// answer from a listing fetched up front, so that reading many small objects under one
/// directory costs one recursive listing instead of several listings per object.
class DirectoryLister {
 public:
  virtual ~DirectoryLister() = default;
  /// The visible children of `dir` like ListDir (sorted, hidden names skipped, empty when the
  /// directory does not exist); file sizes may be -1.
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
