#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <arrow/record_batch.h>

#include "deltacat/result.h"

namespace deltacat::cli {

/// Formats `deltacat read` can write.
enum class OutputFormat { kPretty, kCsv, kJson, kParquet, kFeather };

/// Parses "pretty", "csv", "json", "parquet" or "feather".
Result<OutputFormat> ParseOutputFormat(std::string_view name);

/// Writes every batch of `reader` to `path` ("-" is `stdout`) in `format`. CSV has a header
/// row; JSON is one object per line; pretty is an aligned text table. Returns the row count.
Result<int64_t> WriteTableOutput(arrow::RecordBatchReader& reader, OutputFormat format,
                                 const std::string& path, std::ostream& stdout_stream);

/// The JSON text of one value of `array` at `row` (strings quoted and escaped; nested and
/// temporal values as their Arrow text form).
std::string JsonValue(const arrow::Array& array, int64_t row);

}  // namespace deltacat::cli
