#pragma once

#include <memory>

#include <arrow/io/interfaces.h>
#include <arrow/record_batch.h>

#include "deltacat/content_type.h"
#include "deltacat/io/data_file_writer.h"
#include "deltacat/result.h"

namespace deltacat::io {

/// Encodes record batches in one file format onto an output stream.
class FormatWriter {
 public:
  virtual ~FormatWriter() = default;
  /// Appends a batch of the writer's schema.
  virtual Status Write(const std::shared_ptr<arrow::RecordBatch>& batch) = 0;
  /// Writes what ends the format (footer, ...). Does not close the stream.
  virtual Status Finish() = 0;
};

/// A writer of `content_type` onto `sink` (kept alive by the writer). The schema must have
/// passed CheckContentTypeCanStore.
Result<std::unique_ptr<FormatWriter>> MakeFormatWriter(
    ContentType content_type, std::shared_ptr<arrow::io::OutputStream> sink,
    const std::shared_ptr<arrow::Schema>& schema, const WriteOptions& options);

}  // namespace deltacat::io
