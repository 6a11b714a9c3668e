#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/type_fwd.h>

#include "deltacat/result.h"

namespace deltacat::cli {

/// A table schema given to `deltacat table create --schema FILE.json`.
struct SchemaFile {
  std::shared_ptr<arrow::Schema> schema;
  std::vector<std::string> merge_keys;
};

/// Parses the JSON schema format:
///   {"fields": [{"name": "id", "type": "int64", "nullable": false, "merge_key": true,
///                "doc": "..."}, ...]}
/// (a bare list of fields is accepted too). Types: bool, int8..int64, uint8..uint64, float32,
/// float64 (float/double), string (utf8), large_string, binary, large_binary, date32, date64,
/// timestamp[s|ms|us|ns] or timestamp[us, UTC], decimal128(p, s), list<T>.
Result<SchemaFile> ParseSchemaJson(std::string_view json_text);

/// Parses one type name of the format above.
Result<std::shared_ptr<arrow::DataType>> ParseTypeName(std::string_view name);

}  // namespace deltacat::cli
