#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <arrow/filesystem/filesystem.h>

#include "deltacat/status.h"

namespace deltacat {

/// Kinds of filesystem operations that FaultInjectionFileSystem counts and can fail.
enum class FsOp : int {
  kOpenOutput = 0,  ///< OpenOutputStream / OpenAppendStream (creating a file or object)
  kWrite,           ///< Write on a stream opened through the decorator
  kClose,           ///< Close of such an output stream (on S3: the PUT / upload completion)
  kDelete,          ///< DeleteFile, DeleteDir, DeleteDirContents, DeleteRootDirContents
  kList,            ///< GetFileInfo(FileSelector)
  kStat,            ///< GetFileInfo(path)
  kRead,            ///< OpenInputStream / OpenInputFile
  kRename,          ///< Move
  kCopy,            ///< CopyFile
  kCreateDir,       ///< CreateDir
  kAny,             ///< any of the above (for arming and counting only)
};

/// A short name for an operation kind, e.g. "open-output".
std::string_view FsOpName(FsOp op);

/// A FileSystem decorator for crash-consistency tests, in the spirit of RocksDB's
/// FaultInjectionTestFS. It forwards every call to `base` and
/// - counts operations by kind (FsOp);
/// - can fail the Nth operation of a kind (or of any kind) once with an injected error;
/// - can "crash" at the Nth operation: that operation and every later one — including reads
///   and writes on streams opened earlier — fail, as if the process had died. Output streams
///   open at the crash are aborted (an S3 upload is never completed). Optionally a crash
///   that lands on a Write first writes half of that buffer and closes the file, leaving a
///   torn file behind (realistic for local disks, not for S3 where PUTs are atomic).
/// N counts from the arming call: N = 1 is the next matching operation. Revive() is the
/// restart: it clears the crash and all armed faults. Thread-safe; streams may outlive the
/// decorator. type_name() is the base's, so code that checks for "s3" behaves as on the base.
class FaultInjectionFileSystem : public arrow::fs::FileSystem {
 public:
  /// Decorates `base` (not null).
  explicit FaultInjectionFileSystem(std::shared_ptr<arrow::fs::FileSystem> base);
  ~FaultInjectionFileSystem() override;

  /// The decorated filesystem.
  const std::shared_ptr<arrow::fs::FileSystem>& base() const { return base_; }

  /// Fails the `n`th operation of `kind` from now (n >= 1) once with `code` (kIOError gives
  /// an arrow IOError; other codes travel through ToArrowStatus, so e.g. kTransientIOError
  /// reaches file_ops' retry loop). Several armed faults may be pending at once.
  void FailNth(FsOp kind, int64_t n, ErrorCode code = ErrorCode::kIOError);
  /// Crashes at the `n`th operation of `kind` from now (n >= 1). With `leave_partial_write`,
  /// a crash on a Write leaves the first half of that buffer written to the base file.
  void CrashAt(FsOp kind, int64_t n, bool leave_partial_write = false);
  /// Called when an armed crash point is reached, before that operation runs (and before any
  /// torn write). A crash harness uses it to end the process there (raise(SIGKILL)), so that
  /// nothing after the crash point runs at all. Runs under the decorator's lock: it must not
  /// call back into the decorator.
  using CrashHook = std::function<void(FsOp op, std::string_view path)>;
  /// Sets (or, with an empty function, clears) the crash hook. Revive keeps it.
  void SetCrashHook(CrashHook hook);
  /// Partial reads: the `n`th read call from now (Read or ReadAt on any stream or file opened
  /// through the decorator; read calls are counted apart from FsOp kinds) returns only the
  /// first half of the bytes it asked for, as an S3 GET whose body ends early does.
  void ShortenNthRead(int64_t n);
  /// Fails the `n`th read call from now once with `code` (a connection reset mid-body is
  /// kTransientIOError).
  void FailNthRead(int64_t n, ErrorCode code);
  /// Read calls made so far on streams and files opened through the decorator.
  int64_t read_calls() const;

  /// Crashes now: every later operation fails.
  void CrashNow();
  /// True after a crash (until Revive).
  bool crashed() const;
  /// Clears the crash state and all armed faults; counters keep running.
  void Revive();

  /// Operations of `kind` started since construction or ResetCounts (kAny: all kinds).
  /// Operations refused because of a crash are not counted.
  int64_t count(FsOp kind) const;
  /// Sets all counters to zero.
  void ResetCounts();
  /// Number of operations failed so far by FailNth / CrashAt / CrashNow.
  int64_t injected_failures() const;

  // arrow::fs::FileSystem. The base class's convenience overloads stay visible.
  using arrow::fs::FileSystem::CreateDir;
  using arrow::fs::FileSystem::DeleteDirContents;
  using arrow::fs::FileSystem::GetFileInfo;
  using arrow::fs::FileSystem::OpenAppendStream;
  using arrow::fs::FileSystem::OpenOutputStream;
  std::string type_name() const override;
  bool Equals(const arrow::fs::FileSystem& other) const override;
  arrow::Result<std::string> NormalizePath(std::string path) override;
  arrow::Result<std::string> PathFromUri(const std::string& uri_string) const override;
  arrow::Result<arrow::fs::FileInfo> GetFileInfo(const std::string& path) override;
  arrow::Result<arrow::fs::FileInfoVector> GetFileInfo(
      const arrow::fs::FileSelector& select) override;
  arrow::Status CreateDir(const std::string& path, bool recursive) override;
  arrow::Status DeleteDir(const std::string& path) override;
  arrow::Status DeleteDirContents(const std::string& path, bool missing_dir_ok) override;
  arrow::Status DeleteRootDirContents() override;
  arrow::Status DeleteFile(const std::string& path) override;
  arrow::Status Move(const std::string& src, const std::string& dest) override;
  arrow::Status CopyFile(const std::string& src, const std::string& dest) override;
  arrow::Result<std::shared_ptr<arrow::io::InputStream>> OpenInputStream(
      const std::string& path) override;
  arrow::Result<std::shared_ptr<arrow::io::InputStream>> OpenInputStream(
      const arrow::fs::FileInfo& info) override;
  arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInputFile(
      const std::string& path) override;
  arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInputFile(
      const arrow::fs::FileInfo& info) override;
  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutputStream(
      const std::string& path,
      const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) override;
  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenAppendStream(
      const std::string& path,
      const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) override;

  /// Shared by the decorator and the streams it opened (internal).
  class State;

 private:
  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> WrapOutput(
      const std::string& path, arrow::Result<std::shared_ptr<arrow::io::OutputStream>> opened);

  std::shared_ptr<arrow::fs::FileSystem> base_;
  std::shared_ptr<State> state_;
};

}  // namespace deltacat
