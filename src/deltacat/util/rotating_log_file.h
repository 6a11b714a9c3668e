#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "deltacat/result.h"
#include "deltacat/status.h"

namespace deltacat::util {

/// When a log file rotates and how many rotated generations it keeps.
struct RotationPolicy {
  /// Rotate once the file reaches this many bytes; 0 never rotates.
  std::uint64_t max_bytes = 0;
  /// Generations kept: `path.1` (newest) ... `path.N` (oldest). 0 discards a full file.
  int backup_count = 0;
};

/// The path of rotated generation `generation` of `path` ("path" for 0, "path.3" for 3).
std::string LogGenerationPath(const std::string& path, int generation);

/// An append-only log file with size-based rotation that several threads and several processes
/// may write at the same time, and each record lands whole in exactly one generation.
///
/// How it is safe across processes:
/// - Every process opens the file with O_APPEND and writes each record with one write(2), so
///   the kernel places records at the end without interleaving them (local filesystems; not
///   NFS).
/// - Rotation is coordinated with flock(2) on a sidecar `path.lock`: a writer holds it shared
///   while it checks that its descriptor still refers to `path` and writes; a rotation holds it
///   exclusively, re-checks under the lock that the file is still full and still the one it
///   filled (another process may have rotated already), then renames path.N-1 -> path.N, ...,
///   path -> path.1 (deleting what falls beyond N). A writer whose descriptor no longer refers
///   to `path` reopens it before writing, so nothing is written to a generation after it was
///   rotated away.
/// - A forked child reopens both descriptors on its first write (flock locks belong to the
///   open file description, which a fork shares with the parent).
/// A file can exceed `max_bytes` by the records other processes write between the size check
/// and the rotation.
class RotatingLogFile {
 public:
  /// Opens (creating if needed) `path` and its lock file. The directory must exist.
  static Result<std::shared_ptr<RotatingLogFile>> Open(std::string path, RotationPolicy policy);
  ~RotatingLogFile();
  RotatingLogFile(const RotatingLogFile&) = delete;
  RotatingLogFile& operator=(const RotatingLogFile&) = delete;

  /// Appends one record (which should end with '\n') with a single write, rotating afterwards
  /// when the file reached the size limit. Thread-safe.
  Status Append(std::string_view record);

  /// The file's path.
  const std::string& path() const { return path_; }
  /// The rotation policy.
  const RotationPolicy& policy() const { return policy_; }

 private:
  RotatingLogFile(std::string path, RotationPolicy policy)
      : path_(std::move(path)), policy_(policy) {}

  Status OpenFiles();
  void CloseFiles();
  Status ReopenIfRotatedAway();
  Status RotateIfFull();

  const std::string path_;
  const RotationPolicy policy_;
  std::mutex mutex_;  // flock does not exclude threads sharing one descriptor
  int fd_ = -1;
  int lock_fd_ = -1;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  pid_t owner_pid_ = 0;
};

}  // namespace deltacat::util
