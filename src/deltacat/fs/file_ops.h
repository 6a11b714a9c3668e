#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/filesystem/filesystem.h>

#include "deltacat/fs/retry_policy.h"
#include "deltacat/result.h"

// Small, safe file primitives over any arrow::fs::FileSystem. Every helper names the path in
// its errors (kFileNotFound, kTransientIOError, kIOError; see filesystem_error.h) and retries
// transient failures under a RetryPolicy.

namespace deltacat {

/// True for filesystems without atomic rename where every object write is a single PUT
/// (S3, GCS, Azure). Sees through SubTreeFileSystem and FaultInjectionFileSystem.
bool IsObjectStore(const arrow::fs::FileSystem& fs);

/// Reads a whole file. Fails with kFileNotFound when it does not exist and with
/// kOutOfMemory (naming the file and both sizes) when it is larger than `max_bytes`, without
/// allocating more than the file's real size.
Result<std::string> ReadWholeFile(arrow::fs::FileSystem& fs, const std::string& path,
                                  int64_t max_bytes, const RetryPolicy& retry = RetryPolicy());

/// Writes `bytes` to `path` so that readers see either the old state or the complete new file,
/// never a partial one; replaces an existing file. Creates missing parent directories.
/// - Local (and other rename-capable) filesystems: writes `.<basename>.tmp-<uuid4>` in the
///   same directory, then renames it over `path`. The temp file is removed on failure. Its
///   leading '.' keeps it out of ListDir and of Python DeltaCAT's listings. (No fsync: this
///   protects against crashed processes, not against power loss.)
/// - Object stores: one PUT of the whole object, aborted (never published) on failure.
Status WriteFileAtomically(arrow::fs::FileSystem& fs, const std::string& path,
                           std::string_view bytes, const RetryPolicy& retry = RetryPolicy());

/// One entry of a directory listing.
struct DirEntry {
  /// The entry's own name (no '/').
  std::string name;
  /// True for directories (on S3: common prefixes).
  bool is_dir = false;
  /// Size in bytes for files; -1 for directories.
  int64_t size = -1;

  bool operator==(const DirEntry&) const = default;
};

/// The direct children of directory `path`, sorted by name (bytewise ascending; a file sorts
/// before a directory of the same name, which S3 allows). Skips names starting with '.' or
/// '_' (temp files, Python's hidden entries) and S3 directory markers (empty names,
/// "<name>_$folder$"). A missing directory yields an empty list; a path that is a file fails
/// with kIOError.
Result<std::vector<DirEntry>> ListDir(arrow::fs::FileSystem& fs, const std::string& path,
                                      const RetryPolicy& retry = RetryPolicy());

/// Whether a file or directory exists at `path` (on S3: a key or a non-empty prefix).
Result<bool> Exists(arrow::fs::FileSystem& fs, const std::string& path,
                    const RetryPolicy& retry = RetryPolicy());

/// Deletes the file at `path`; a missing file is not an error.
Status DeleteFileIfExists(arrow::fs::FileSystem& fs, const std::string& path,
                          const RetryPolicy& retry = RetryPolicy());

/// Creates directory `path` and its missing parents; a no-op on object stores, where
/// directories are implicit.
Status EnsureDir(arrow::fs::FileSystem& fs, const std::string& path,
                 const RetryPolicy& retry = RetryPolicy());

/// Deletes everything under directory `path`, keeping the directory; a missing directory is
/// not an error.
Status DeleteDirContents(arrow::fs::FileSystem& fs, const std::string& path,
                         const RetryPolicy& retry = RetryPolicy());

/// Deletes directory `path` with everything under it; a missing directory is not an error.
Status DeleteDir(arrow::fs::FileSystem& fs, const std::string& path,
                 const RetryPolicy& retry = RetryPolicy());

}  // namespace deltacat
