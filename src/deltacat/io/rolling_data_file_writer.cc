#include "deltacat/io/rolling_data_file_writer.h"

#include <algorithm>
#include <limits>

#include <arrow/util/byte_size.h>

#include "deltacat/io/format_types.h"

namespace deltacat::io {

Result<std::unique_ptr<RollingDataFileWriter>> RollingDataFileWriter::Open(
    std::shared_ptr<arrow::fs::FileSystem> fs, std::shared_ptr<arrow::Schema> schema,
    ContentType content_type, RollingLimits limits, NextFilePath next_path,
    const WriteOptions& options) {
  if (!fs || !schema || !next_path) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "RollingDataFileWriter needs a filesystem, a schema and a path source");
  }
  if (limits.max_rows_per_file < 0 || limits.max_bytes_per_file < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "rolling limits must not be negative");
  }
  DC_RETURN_NOT_OK(CheckContentTypeCanStore(content_type, *schema));
  std::unique_ptr<RollingDataFileWriter> writer(new RollingDataFileWriter());
  writer->fs_ = std::move(fs);
  writer->schema_ = std::move(schema);
  writer->content_type_ = content_type;
  writer->limits_ = limits;
  writer->next_path_ = std::move(next_path);
  writer->options_ = options;
  return writer;
}

RollingDataFileWriter::~RollingDataFileWriter() { Abort(); }

void RollingDataFileWriter::Abort() {
  if (done_) return;
  done_ = true;
  if (current_) current_->Abort();
  current_.reset();
  for (const auto& file : finished_) (void)fs_->DeleteFile(file.path);
  finished_.clear();
}

Status RollingDataFileWriter::Fail(Status status) {
  Abort();
  return status;
}

bool RollingDataFileWriter::CurrentIsFull() const {
  return (limits_.max_rows_per_file > 0 && current_->rows_written() >= limits_.max_rows_per_file) ||
         (limits_.max_bytes_per_file > 0 &&
          current_->source_bytes_written() >= limits_.max_bytes_per_file);
}

Status RollingDataFileWriter::FinishCurrent() {
  DC_ASSIGN_OR_RAISE(WrittenFile file, current_->Close());
  current_.reset();
  finished_.push_back(std::move(file));
  return Status::OK();
}

Status RollingDataFileWriter::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (done_) return MakeError(ErrorCode::kIllegalState, "the rolling writer is closed");
  if (!batch) return Fail(MakeError(ErrorCode::kInvalidArgument, "null record batch"));
  const int64_t rows = batch->num_rows();
  if (rows == 0) return Status::OK();
  int64_t bytes_per_row = 1;
  if (limits_.max_bytes_per_file > 0) {
    auto size = arrow::util::ReferencedBufferSize(*batch);
    if (!size.ok()) return Fail(FromArrowStatus(size.status()));
    bytes_per_row = std::max<int64_t>(1, (*size + rows - 1) / rows);
  }
  int64_t offset = 0;
  while (offset < rows) {
    if (!current_) {
      auto path = next_path_();
      if (!path.ok()) return Fail(path.status());
      auto opened = DataFileWriter::Open(fs_, *path, schema_, content_type_, options_);
      if (!opened.ok()) return Fail(opened.status());
      current_ = std::move(opened).ValueOrDie();
    }
    int64_t take = rows - offset;
    if (limits_.max_rows_per_file > 0) {
      take = std::min(take, limits_.max_rows_per_file - current_->rows_written());
    }
    if (limits_.max_bytes_per_file > 0) {
      int64_t room = limits_.max_bytes_per_file - current_->source_bytes_written();
      take = std::min(take, std::max<int64_t>(0, room) / bytes_per_row);
    }
    if (current_->rows_written() == 0) take = std::max<int64_t>(take, 1);
    if (take <= 0) {
      if (Status status = FinishCurrent(); !status.ok()) return Fail(status);
      continue;
    }
    if (Status status = current_->Write(batch->Slice(offset, take)); !status.ok()) {
      return Fail(status);
    }
    offset += take;
    if (CurrentIsFull()) {
      if (Status status = FinishCurrent(); !status.ok()) return Fail(status);
    }
  }
  return Status::OK();
}

Result<std::vector<WrittenFile>> RollingDataFileWriter::Close() {
  if (done_) return MakeError(ErrorCode::kIllegalState, "the rolling writer is closed");
  if (current_) {
    if (Status status = FinishCurrent(); !status.ok()) return Fail(status);
  }
  done_ = true;
  return std::move(finished_);
}

}  // namespace deltacat::io
