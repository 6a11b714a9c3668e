#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "deltacat/io/data_file_writer.h"

namespace deltacat::io {

/// When a RollingDataFileWriter starts the next file. 0 means no limit.
struct RollingLimits {
  /// Rows per file (exact: batches are split at the limit).
  int64_t max_rows_per_file = 0;
  /// Arrow in-memory bytes per file, the manifest's source_content_length. Encoded sizes of
  /// columnar formats are only known once a file is closed, so the in-memory size is what can
  /// be split on; batches are split at the row where the batch's average row size reaches the
  /// limit (every file gets at least one row).
  int64_t max_bytes_per_file = 0;
};

/// Gives the path of the next file (e.g. "<dir>/<uuid4>.parquet").
using NextFilePath = std::function<Result<std::string>()>;

/// Writes a stream of batches to as many files as the limits require, in bounded memory.
/// Files are opened lazily: no rows, no files. If anything fails, or the writer is destroyed
/// or aborted before Close succeeds, every file it wrote is deleted, so a failed task leaves
/// nothing behind.
class RollingDataFileWriter {
 public:
  /// Validates the schema for `content_type` (kContentTypeValidation) and prepares to write;
  /// no file is created yet.
  static Result<std::unique_ptr<RollingDataFileWriter>> Open(
      std::shared_ptr<arrow::fs::FileSystem> fs, std::shared_ptr<arrow::Schema> schema,
      ContentType content_type, RollingLimits limits, NextFilePath next_path,
      const WriteOptions& options = {});

  ~RollingDataFileWriter();
  RollingDataFileWriter(const RollingDataFileWriter&) = delete;
  RollingDataFileWriter& operator=(const RollingDataFileWriter&) = delete;

  /// Appends a batch, splitting it across files at the limits.
  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);

  /// Closes the open file and returns every file written, in order.
  Result<std::vector<WrittenFile>> Close();

  /// Deletes every file written so far (finished or not). Idempotent.
  void Abort();

  /// Files finished so far.
  const std::vector<WrittenFile>& finished_files() const { return finished_; }

 private:
  RollingDataFileWriter() = default;
  Status Fail(Status status);
  Status FinishCurrent();
  bool CurrentIsFull() const;

  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::shared_ptr<arrow::Schema> schema_;
  ContentType content_type_ = ContentType::kParquet;
  RollingLimits limits_;
  NextFilePath next_path_;
  WriteOptions options_;
  std::unique_ptr<DataFileWriter> current_;
  std::vector<WrittenFile> finished_;
  bool done_ = false;
};

}  // namespace deltacat::io
