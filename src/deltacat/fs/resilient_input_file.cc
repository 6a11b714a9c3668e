#include "deltacat/fs/resilient_input_file.h"

#include <algorithm>
#include <utility>

#include <arrow/memory_pool.h>

#include "deltacat/fs/filesystem_error.h"
#include "deltacat/status.h"

namespace deltacat {

ResilientInputFile::ResilientInputFile(std::shared_ptr<arrow::io::RandomAccessFile> base,
                                       std::string path, RetryPolicy retry)
    : base_(std::move(base)), path_(std::move(path)), retry_(std::move(retry)) {}

arrow::Status ResilientInputFile::Close() { return base_->Close(); }
arrow::Status ResilientInputFile::Abort() { return base_->Abort(); }
bool ResilientInputFile::closed() const { return base_->closed(); }

arrow::Result<int64_t> ResilientInputFile::Tell() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return position_;
}

arrow::Status ResilientInputFile::Seek(int64_t position) {
  if (position < 0) return arrow::Status::Invalid("negative seek position for '", path_, "'");
  std::lock_guard<std::mutex> lock(mutex_);
  position_ = position;
  return arrow::Status::OK();
}

arrow::Result<int64_t> ResilientInputFile::GetSize() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (size_) return *size_;
  }
  int64_t size = 0;
  Status status = RunWithRetry(retry_, [&]() -> Status {
    auto got = base_->GetSize();
    if (!got.ok()) return FileSystemError(got.status(), "cannot get the size of", path_);
    size = *got;
    return Status::OK();
  });
  if (!status.ok()) return ToArrowStatus(status);
  std::lock_guard<std::mutex> lock(mutex_);
  size_ = size;
  return size;
}

arrow::Result<int64_t> ResilientInputFile::ExpectedBytes(int64_t position, int64_t nbytes) {
  if (position < 0 || nbytes < 0) {
    return arrow::Status::Invalid("negative read offset or length for '", path_, "'");
  }
  ARROW_ASSIGN_OR_RAISE(int64_t size, GetSize());
  return std::max<int64_t>(0, std::min(nbytes, size - position));
}

arrow::Result<int64_t> ResilientInputFile::ReadAt(int64_t position, int64_t nbytes, void* out) {
  ARROW_ASSIGN_OR_RAISE(int64_t expected, ExpectedBytes(position, nbytes));
  auto* bytes = static_cast<uint8_t*>(out);
  int64_t done = 0;
  Status status = RunWithRetry(retry_, [&]() -> Status {
    // A response cut short is continued from where it stopped; only a read that makes no
    // progress (or fails) costs an attempt.
    while (done < expected) {
      auto got = base_->ReadAt(position + done, expected - done, bytes + done);
      if (!got.ok()) return FileSystemError(got.status(), "cannot read", path_);
      if (*got <= 0) {
        return MakeError(ErrorCode::kTransientIOError, "read of '", path_, "' stopped at byte ",
                         position + done, " of ", position + expected, " (", done, " of ", expected,
                         " bytes read)");
      }
      done += *got;
    }
    return Status::OK();
  });
  if (!status.ok()) return ToArrowStatus(status);
  return done;
}

arrow::Result<std::shared_ptr<arrow::Buffer>> ResilientInputFile::ReadAt(int64_t position,
                                                                         int64_t nbytes) {
  ARROW_ASSIGN_OR_RAISE(int64_t expected, ExpectedBytes(position, nbytes));
  ARROW_ASSIGN_OR_RAISE(std::unique_ptr<arrow::ResizableBuffer> buffer,
                        arrow::AllocateResizableBuffer(expected, io_context().pool()));
  ARROW_ASSIGN_OR_RAISE(int64_t got, ReadAt(position, expected, buffer->mutable_data()));
  ARROW_RETURN_NOT_OK(buffer->Resize(got, /*shrink_to_fit=*/false));
  return std::shared_ptr<arrow::Buffer>(std::move(buffer));
}

arrow::Result<int64_t> ResilientInputFile::Read(int64_t nbytes, void* out) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  ARROW_ASSIGN_OR_RAISE(int64_t position, Tell());
  ARROW_ASSIGN_OR_RAISE(int64_t got, ReadAt(position, nbytes, out));
  ARROW_RETURN_NOT_OK(Seek(position + got));
  return got;
}

arrow::Result<std::shared_ptr<arrow::Buffer>> ResilientInputFile::Read(int64_t nbytes) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  ARROW_ASSIGN_OR_RAISE(int64_t position, Tell());
  ARROW_ASSIGN_OR_RAISE(auto buffer, ReadAt(position, nbytes));
  ARROW_RETURN_NOT_OK(Seek(position + buffer->size()));
  return buffer;
}

}  // namespace deltacat
