#pragma once

#include <memory>

#include <arrow/type_fwd.h>

#include "deltacat/content_type.h"
#include "deltacat/result.h"

namespace deltacat::io {

/// OK when files of `content_type` can store every column of `schema`; otherwise a
/// kContentTypeValidation error naming the first column (by path) whose type the format
/// cannot carry. Summary (see tests/io/README.md for the full table):
///  * Parquet: everything except unions, intervals and view types.
///  * Feather (Arrow IPC): everything.
///  * ORC: no unsigned integers, half floats, times, durations, dictionaries or null columns.
///  * CSV/TSV/PSV/unescaped TSV: flat scalar columns only; no binary, lists, structs or maps.
///  * JSON: like CSV plus lists and structs; no binary or maps, and times only at top level.
///  * Avro and binary: no table writer (kNotImplemented / kContentTypeValidation).
Status CheckContentTypeCanStore(ContentType content_type, const arrow::Schema& schema);

/// The type a text reader (CSV family or JSON) is asked to parse for a column stored with
/// `type`; the result is then converted to `type` with `ConvertArray`. Formats that carry
/// their own schema return `type` unchanged.
std::shared_ptr<arrow::DataType> DecodeTypeFor(ContentType content_type,
                                               const std::shared_ptr<arrow::DataType>& type);

/// Converts `array` to `type`: Arrow's safe cast, plus text-to-time parsing, which Arrow
/// 16 cannot cast. Errors are kSchemaValidation.
Result<std::shared_ptr<arrow::Array>> ConvertArray(const std::shared_ptr<arrow::Array>& array,
                                                   const std::shared_ptr<arrow::DataType>& type,
                                                   arrow::MemoryPool* pool);

}  // namespace deltacat::io
