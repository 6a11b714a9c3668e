#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include "deltacat/fs/retry_policy.h"

namespace deltacat {

/// A RandomAccessFile decorator that makes every read complete, for object stores whose
/// responses can end early or fail mid-body (a GET whose body is cut short, a connection reset
/// during the transfer, throttling between ranged GETs).
///
/// A read of n bytes at offset p is expected to return min(n, size - p) bytes, where size is
/// the file's size (asked once). A read that returns fewer is continued from where it stopped;
/// a read that returns nothing before the end of the file, or fails with a transient error
/// (FileSystemError's classification), is retried under `retry` with backoff. When the retries
/// are spent the read fails with kTransientIOError naming the path, the offset and how much
/// was read; other errors are returned at once, typed by FileSystemError. Reads past the end
/// return what exists, as for any file. Sequential Read() uses the same path from the current
/// position. Thread-safe as far as the base file is (ReadAt is; Read/Seek keep a position
/// under a lock).
class ResilientInputFile final : public arrow::io::RandomAccessFile {
 public:
  /// Wraps `base` (not null), opened from `path` (used in error messages).
  ResilientInputFile(std::shared_ptr<arrow::io::RandomAccessFile> base, std::string path,
                     RetryPolicy retry = RetryPolicy());

  arrow::Status Close() override;
  arrow::Status Abort() override;
  bool closed() const override;
  arrow::Result<int64_t> Tell() const override;
  arrow::Status Seek(int64_t position) override;
  arrow::Result<int64_t> GetSize() override;
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override;
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override;
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override;
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position, int64_t nbytes) override;
  const arrow::io::IOContext& io_context() const override { return base_->io_context(); }

 private:
  /// The number of bytes a read of `nbytes` at `position` must return.
  arrow::Result<int64_t> ExpectedBytes(int64_t position, int64_t nbytes);

  std::shared_ptr<arrow::io::RandomAccessFile> base_;
  std::string path_;
  RetryPolicy retry_;
  mutable std::mutex mutex_;
  std::optional<int64_t> size_;  // guarded by mutex_
  int64_t position_ = 0;         // guarded by mutex_
  std::mutex read_mutex_;        // makes a sequential Read and its position update one step
};

}  // namespace deltacat
