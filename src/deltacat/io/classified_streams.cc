#include "deltacat/io/classified_streams.h"

#include "deltacat/fs/filesystem_error.h"

namespace deltacat::io {
namespace {

arrow::Status ClassifyStatus(const arrow::Status& status, std::string_view operation,
                             const std::string& path) {
  if (status.ok()) return status;
  return ToArrowStatus(FileSystemError(status, operation, path));
}

}  // namespace

arrow::Status ClassifiedInputFile::Classify(const arrow::Status& status) const {
  return ClassifyStatus(status, "read", path_);
}

arrow::Status ClassifiedInputStream::Classify(const arrow::Status& status) const {
  return ClassifyStatus(status, "read", path_);
}

arrow::Status CountingOutputStream::Classify(const arrow::Status& status) {
  arrow::Status classified = ClassifyStatus(status, "write", path_);
  if (!classified.ok() && storage_error_.ok()) storage_error_ = classified;
  return classified;
}

arrow::Status CountingOutputStream::Write(const void* data, int64_t nbytes) {
  ARROW_RETURN_NOT_OK(Classify(sink_->Write(data, nbytes)));
  bytes_written_ += nbytes;
  return arrow::Status::OK();
}

arrow::Status CountingOutputStream::Write(const std::shared_ptr<arrow::Buffer>& data) {
  ARROW_RETURN_NOT_OK(Classify(sink_->Write(data)));
  bytes_written_ += data->size();
  return arrow::Status::OK();
}

}  // namespace deltacat::io
