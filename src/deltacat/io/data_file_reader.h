#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/filesystem/filesystem.h>
#include <arrow/memory_pool.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>

#include "deltacat/content_type.h"
#include "deltacat/io/column_statistics.h"
#include "deltacat/result.h"

namespace deltacat::io {

/// How a data file is read.
struct ReadOptions {
  /// Columns to return, in this order; empty = all (in schema order). A name that is neither
  /// in `schema` (when given) nor in the file gives kSchemaValidation naming it. Names match
  /// exactly, or else case-insensitively when that is unambiguous (Python compares them
  /// case-insensitively).
  std::vector<std::string> columns;

  /// The table schema to read with (optional).
  ///  * Text formats (CSV, TSV, PSV, unescaped TSV) have no header: the schema names the
  ///    file's columns in order, and gives their types, so nothing is inferred. It must be the
  ///    schema the file was written with (the manifest entry's schema id), else reading fails
  ///    with kSchemaValidation. Without it, columns are named f0, f1, ... and typed by
  ///    inference over the whole file, like pyarrow.
  ///  * JSON: fields are looked up by name and parsed as the schema's types; keys not in the
  ///    schema are ignored.
  ///  * Parquet, Feather, ORC: file columns are matched by name and converted to the schema's
  ///    types (safe casts: widening, ORC's nanosecond timestamps back to microseconds, ...).
  /// A type that cannot be converted gives kSchemaValidation naming the column.
  std::shared_ptr<arrow::Schema> schema;

  /// When a column of `schema` is missing from a self-describing file (it was added after
  /// the file was written), return it as nulls instead of failing with kSchemaValidation.
  bool fill_missing_columns_with_nulls = false;

  /// Rows per batch for Parquet, Feather and ORC (text formats batch by `text_block_bytes`).
  int64_t batch_rows = int64_t{64} * 1024;
  /// Bytes of text parsed per batch for CSV-family and JSON files.
  int32_t text_block_bytes = 1 << 20;
  /// Decode columns on Arrow's CPU thread pool.
  bool use_threads = true;
  /// Parquet: read a row group's column chunks ahead in coalesced requests (Arrow's default;
  /// fastest, but holds the whole compressed row group in memory).
  bool parquet_pre_buffer = true;
  /// Parquet: when > 0, stream each column chunk through a buffer of this many bytes instead
  /// of reading it whole (bounded memory at some speed).
  int64_t parquet_stream_buffer_bytes = 0;
  /// A Parquet, Feather or ORC file stored with a container encoding (gzip, ...) must be
  /// decoded into memory for random access; larger decoded sizes give kOutOfMemory.
  int64_t max_decoded_file_bytes = int64_t{1} << 30;

  /// Allocations of the readers.
  arrow::MemoryPool* pool = arrow::default_memory_pool();
};

/// Opens a data file as a stream of record batches of the requested columns (and types).
///
/// Memory is bounded: Parquet is read one row group at a time, ORC one stripe at a time,
/// Feather one record batch at a time, and text in blocks of `text_block_bytes` when a schema
/// is given (inference without a schema needs the whole file). `fs` must outlive the reader.
///
/// Text formats read back exactly what DataFileWriter wrote: an unquoted empty field is
/// null, a quoted empty string is "", "nan" is NaN (pyarrow's default reader instead turns
/// nulls into "" and NaN into null). Unescaped TSV follows Python: empty means null.
///
/// Errors: kFileNotFound (no such file), kIOError (unreadable or corrupt, naming the file),
/// kSchemaValidation (missing column, unconvertible type), kNotImplemented (Avro, snappy),
/// kContentTypeValidation (binary). Errors while iterating carry the same codes (use
/// FromArrowStatus on the arrow::Status).
Result<std::shared_ptr<arrow::RecordBatchReader>> OpenDataFile(arrow::fs::FileSystem& fs,
                                                               const std::string& path,
                                                               ContentType content_type,
                                                               ContentEncoding content_encoding,
                                                               const ReadOptions& options = {});

/// Reads a whole data file into a table (see OpenDataFile).
Result<std::shared_ptr<arrow::Table>> ReadDataFile(arrow::fs::FileSystem& fs,
                                                   const std::string& path,
                                                   ContentType content_type,
                                                   ContentEncoding content_encoding,
                                                   const ReadOptions& options = {});

/// The number of rows in a data file: from the footer for Parquet, ORC and Feather (no data
/// is decoded); by parsing for text formats (only the first column, as strings).
Result<int64_t> CountRows(arrow::fs::FileSystem& fs, const std::string& path,
                          ContentType content_type, ContentEncoding content_encoding,
                          const ReadOptions& options = {});

/// The schema of a self-describing data file (Parquet, Feather, ORC) from its footer; for
/// text formats, `options.schema` or, without one, the inferred schema of the whole file.
Result<std::shared_ptr<arrow::Schema>> ReadDataFileSchema(arrow::fs::FileSystem& fs,
                                                          const std::string& path,
                                                          ContentType content_type,
                                                          ContentEncoding content_encoding,
                                                          const ReadOptions& options = {});

/// Per-column statistics from a Parquet footer, aggregated over row groups, for the
/// top-level columns (min/max typed as the file's Arrow schema says; unknown when any row
/// group lacks them; null counts unknown for nested columns). Nothing else is read.
Result<std::vector<ColumnStatistics>> ReadParquetStatistics(arrow::fs::FileSystem& fs,
                                                            const std::string& path);

}  // namespace deltacat::io
