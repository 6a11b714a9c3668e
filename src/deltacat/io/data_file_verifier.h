#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <arrow/filesystem/filesystem.h>
#include <arrow/type_fwd.h>

#include "deltacat/content_type.h"
#include "deltacat/result.h"

namespace deltacat::io {

/// What a manifest entry says about a data file; unset members are not checked.
struct ExpectedDataFile {
  std::optional<int64_t> record_count;    ///< meta.record_count
  std::optional<int64_t> content_length;  ///< meta.content_length (bytes on storage)
  /// The schema the file was written with (the entry's schema id). Every field must be
  /// present in a self-describing file with a type convertible to the field's; text files
  /// must parse with it.
  std::shared_ptr<arrow::Schema> schema;
  /// Decode every value, not just the footer (finds corrupt pages; costs a full read).
  bool read_all_data = false;
};

/// Checks that the data file at `path` matches its manifest entry. The cheapest checks run
/// first: size (one stat), then rows (the footer for Parquet/ORC/Feather), then the schema.
/// Errors: kFileNotFound (missing), kValidation (size or row count differs, naming both
/// values), kSchemaValidation (a column is missing or cannot be converted), kIOError
/// (unreadable or corrupt).
Status VerifyDataFile(arrow::fs::FileSystem& fs, const std::string& path, ContentType content_type,
                      ContentEncoding content_encoding, const ExpectedDataFile& expected);

}  // namespace deltacat::io
