#pragma once

#include <memory>
#include <string>
#include <vector>

#include <arrow/io/interfaces.h>
#include <arrow/record_batch.h>

#include "deltacat/result.h"

namespace deltacat::io {

/// Writes record batches as newline-delimited JSON objects, one per row, the way Python
/// DeltaCAT does (through Polars `write_ndjson`): keys in schema order, nulls as `null`,
/// decimals, dates, times and timestamps as strings ("2020-01-02 03:04:05.000006"; with a
/// time zone, the local time and its offset), durations as integers, lists as arrays and
/// structs as objects. NaN and infinities are not JSON numbers and become `null`, as in Polars.
/// Arrow's JSON reader reads all of this back given the schema.
class JsonLinesWriter {
 public:
  /// `sink` must outlive the writer; the writer never closes it.
  JsonLinesWriter(arrow::io::OutputStream* sink, std::shared_ptr<arrow::Schema> schema,
                  arrow::MemoryPool* pool);

  /// Appends the rows of `batch` (which must have the writer's schema).
  Status Write(const arrow::RecordBatch& batch);

 private:
  arrow::io::OutputStream* sink_;
  std::shared_ptr<arrow::Schema> schema_;
  arrow::MemoryPool* pool_;
  std::vector<std::string> keys_;  ///< `"name":` for each field, escaped once
  std::string buffer_;
};

/// Appends `text` to `out` as a JSON string literal (quoted and escaped).
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace deltacat::io
