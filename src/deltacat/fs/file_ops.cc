#include "deltacat/fs/file_ops.h"

#include <algorithm>
#include <utility>

#include <arrow/filesystem/localfs.h>
#include <arrow/io/interfaces.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/fs/filesystem_error.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/util/uuid.h"

namespace deltacat {
namespace {

bool IsHiddenName(std::string_view name) {
  return name.empty() || name.front() == '.' || name.front() == '_' || name.ends_with("_$folder$");
}

Status CheckPath(const std::string& path, std::string_view operation) {
  if (path.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, operation, ": empty path");
  }
  return Status::OK();
}

/// Writes and closes `stream`; on failure aborts it, so an object store never publishes a
/// partial object (Arrow's S3 stream would complete the upload if merely destroyed).
Status WriteAndClose(arrow::io::OutputStream& stream, std::string_view bytes,
                     const std::string& path) {
  arrow::Status status = stream.Write(bytes.data(), static_cast<int64_t>(bytes.size()));
  if (status.ok()) status = stream.Close();
  if (!status.ok()) {
    (void)stream.Abort();
    return FileSystemError(status, "cannot write", path);
  }
  return Status::OK();
}

Status WriteByRename(arrow::fs::FileSystem& fs, const std::string& path, std::string_view bytes) {
  const std::string parent(ParentPath(path));
  const std::string temp_name = "." + std::string(BaseName(path)) + ".tmp-" + NewUuid4();
  const std::string temp_path = parent.empty() ? temp_name : JoinPath(parent, temp_name);
  Status status;
  {
    // Most writes go to existing directories: create the parents only when the file cannot
    // be created (two system calls saved per write).
    auto opened = fs.OpenOutputStream(temp_path);
    if (!opened.ok() && !parent.empty() && IsNotFoundFileSystemError(opened.status())) {
      arrow::Status created = fs.CreateDir(parent, /*recursive=*/true);
      if (!created.ok()) return FileSystemError(created, "cannot create directory", parent);
      opened = fs.OpenOutputStream(temp_path);
    }
    if (!opened.ok()) return FileSystemError(opened.status(), "cannot create", temp_path);
    status = WriteAndClose(**opened, bytes, temp_path);
  }
  if (status.ok()) {
    arrow::Status moved = fs.Move(temp_path, path);
    if (moved.ok()) return Status::OK();
    status = FileSystemError(moved, "cannot rename temp file over", path);
  }
  (void)fs.DeleteFile(temp_path);  // best effort; the leading '.' hides a leftover anyway
  return status;
}

Status WriteByPut(arrow::fs::FileSystem& fs, const std::string& path, std::string_view bytes) {
  auto opened = fs.OpenOutputStream(path);
  if (!opened.ok()) return FileSystemError(opened.status(), "cannot create", path);
  return WriteAndClose(**opened, bytes, path);
}

}  // namespace

bool IsObjectStore(const arrow::fs::FileSystem& fs) {
  const arrow::fs::FileSystem* current = &fs;
  for (int depth = 0; depth < 16; ++depth) {
    if (const auto* fault = dynamic_cast<const FaultInjectionFileSystem*>(current)) {
      current = fault->base().get();
    } else if (const auto* subtree = dynamic_cast<const arrow::fs::SubTreeFileSystem*>(current)) {
      current = subtree->base_fs().get();
    } else {
      break;
    }
  }
  const std::string type = current->type_name();
  return type == "s3" || type == "gcs" || type == "abfs";
}

Result<std::string> ReadWholeFile(arrow::fs::FileSystem& fs, const std::string& path,
                                  int64_t max_bytes, const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "ReadWholeFile"));
  if (max_bytes < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "ReadWholeFile: negative max_bytes for '", path,
                     "'");
  }
  std::string contents;
  Status status = RunWithRetry(retry, [&]() -> Status {
    contents.clear();
    auto opened = fs.OpenInputFile(path);
    if (!opened.ok()) return FileSystemError(opened.status(), "cannot open", path);
    const auto& file = *opened;
    auto size = file->GetSize();
    if (!size.ok()) return FileSystemError(size.status(), "cannot get the size of", path);
    if (*size > max_bytes) {
      (void)file->Close();
      return MakeError(ErrorCode::kOutOfMemory, "file '", path, "' is ", *size,
                       " bytes, more than the limit of ", max_bytes, " bytes");
    }
    contents.resize(static_cast<size_t>(*size));
    auto read = file->ReadAt(0, *size, contents.data());
    if (!read.ok()) return FileSystemError(read.status(), "cannot read", path);
    if (*read != *size) {
      // The file shrank while we read it (replaced or truncated): retry with the new state.
      return MakeError(ErrorCode::kTransientIOError, "file '", path, "' changed while reading (",
                       *read, " of ", *size, " bytes)");
    }
    arrow::Status closed = file->Close();
    if (!closed.ok()) return FileSystemError(closed, "cannot close", path);
    return Status::OK();
  });
  if (!status.ok()) return status;
  return contents;
}

Status WriteFileAtomically(arrow::fs::FileSystem& fs, const std::string& path,
                           std::string_view bytes, const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "WriteFileAtomically"));
  if (BaseName(path).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "WriteFileAtomically: '", path,
                     "' has no file name");
  }
  const bool object_store = IsObjectStore(fs);
  return RunWithRetry(retry, [&]() -> Status {
    return object_store ? WriteByPut(fs, path, bytes) : WriteByRename(fs, path, bytes);
  });
}

Result<std::vector<DirEntry>> ListDir(arrow::fs::FileSystem& fs, const std::string& path,
                                      const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "ListDir"));
  std::vector<DirEntry> entries;
  Status status = RunWithRetry(retry, [&]() -> Status {
    entries.clear();
    arrow::fs::FileSelector selector;
    selector.base_dir = path;
    selector.recursive = false;
    selector.allow_not_found = true;
    auto listed = fs.GetFileInfo(selector);
    if (!listed.ok()) {
      if (IsNotFoundFileSystemError(listed.status())) return Status::OK();
      return FileSystemError(listed.status(), "cannot list", path);
    }
    entries.reserve(listed->size());
    for (const auto& info : *listed) {
      std::string name = info.base_name();
      if (IsHiddenName(name)) continue;
      if (info.type() == arrow::fs::FileType::Directory) {
        entries.push_back(DirEntry{std::move(name), true, -1});
      } else if (info.type() == arrow::fs::FileType::File) {
        entries.push_back(DirEntry{std::move(name), false, info.size()});
      }
    }
    return Status::OK();
  });
  if (!status.ok()) return status;
  std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) {
    return a.name != b.name ? a.name < b.name : (!a.is_dir && b.is_dir);
  });
  return entries;
}

Result<bool> Exists(arrow::fs::FileSystem& fs, const std::string& path, const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "Exists"));
  bool exists = false;
  Status status = RunWithRetry(retry, [&]() -> Status {
    auto info = fs.GetFileInfo(path);
    if (!info.ok()) {
      if (IsNotFoundFileSystemError(info.status())) {
        exists = false;
        return Status::OK();
      }
      return FileSystemError(info.status(), "cannot stat", path);
    }
    exists = info->type() != arrow::fs::FileType::NotFound;
    return Status::OK();
  });
  if (!status.ok()) return status;
  return exists;
}

Status DeleteFileIfExists(arrow::fs::FileSystem& fs, const std::string& path,
                          const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "DeleteFileIfExists"));
  return RunWithRetry(retry, [&]() -> Status {
    arrow::Status deleted = fs.DeleteFile(path);
    if (deleted.ok() || IsNotFoundFileSystemError(deleted)) return Status::OK();
    return FileSystemError(deleted, "cannot delete", path);
  });
}

Status EnsureDir(arrow::fs::FileSystem& fs, const std::string& path, const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "EnsureDir"));
  if (IsObjectStore(fs)) return Status::OK();
  return RunWithRetry(retry, [&]() -> Status {
    return FileSystemError(fs.CreateDir(path, /*recursive=*/true), "cannot create directory", path);
  });
}

Status DeleteDirContents(arrow::fs::FileSystem& fs, const std::string& path,
                         const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "DeleteDirContents"));
  return RunWithRetry(retry, [&]() -> Status {
    arrow::Status deleted = fs.DeleteDirContents(path, /*missing_dir_ok=*/true);
    if (deleted.ok() || IsNotFoundFileSystemError(deleted)) return Status::OK();
    return FileSystemError(deleted, "cannot delete the contents of", path);
  });
}

Status DeleteDir(arrow::fs::FileSystem& fs, const std::string& path, const RetryPolicy& retry) {
  DC_RETURN_NOT_OK(CheckPath(path, "DeleteDir"));
  return RunWithRetry(retry, [&]() -> Status {
    arrow::Status deleted = fs.DeleteDir(path);
    if (deleted.ok() || IsNotFoundFileSystemError(deleted)) return Status::OK();
    return FileSystemError(deleted, "cannot delete directory", path);
  });
}

}  // namespace deltacat
