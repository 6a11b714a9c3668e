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
#include <arrow/util/compression.h>

#include "deltacat/content_type.h"
#include "deltacat/io/column_statistics.h"
#include "deltacat/result.h"

namespace deltacat::io {

class FormatWriter;
class CountingOutputStream;  // classified_streams.h

/// How data files are written. The defaults reproduce what Python DeltaCAT writes through
/// pyarrow, so that files and manifests from either implementation look alike.
struct WriteOptions {
  /// Container-level encoding; nullopt = DefaultEncodingFor(content type): gzip for the text
  /// formats, identity otherwise (Python's behaviour).
  std::optional<ContentEncoding> content_encoding;
  /// Level of the container encoding; nullopt = Arrow's default, which is what pyarrow uses.
  std::optional<int> content_encoding_level;

  /// Parquet page compression. Snappy by default: it is pyarrow's default, so Python DeltaCAT
  /// writes Snappy, and every Parquet reader of the supported matrix (pyarrow, Polars, Daft,
  /// Ray, pandas) decodes it fast. Zstd compresses better at some CPU cost; choose it here.
  arrow::Compression::type parquet_compression = arrow::Compression::SNAPPY;
  /// Codec level for `parquet_compression`; nullopt = the codec's default.
  std::optional<int> parquet_compression_level;
  /// Rows per Parquet row group (pyarrow's and Arrow's default: 1 Mi rows). Readers stream
  /// one row group at a time, so this bounds their memory too.
  int64_t parquet_row_group_rows = int64_t{1} << 20;
  /// Target size of a Parquet data page, in bytes (Arrow's default).
  int64_t parquet_data_page_bytes = int64_t{1} << 20;
  /// Dictionary-encode Parquet columns (pyarrow's default).
  bool parquet_dictionary = true;
  /// A column chunk whose dictionary grows past this many bytes falls back to plain encoding
  /// (Arrow's and pyarrow's default: 1 MiB). The writer's dictionary hash tables grow with the
  /// dictionary (about 25 MB per writer at 1 MiB for three unique 8-byte columns), so writers
  /// under a small memory budget use a smaller limit.
  int64_t parquet_dictionary_page_bytes = int64_t{1} << 20;

  /// Feather buffer compression: LZ4 frames, pyarrow's `write_feather` default.
  arrow::Compression::type feather_compression = arrow::Compression::LZ4_FRAME;
  /// Rows per Feather record batch (pyarrow's default chunk size, 64 Ki).
  int64_t feather_chunk_rows = int64_t{1} << 16;

  /// ORC stripe compression; uncompressed is pyarrow's `orc.write_table` default.
  arrow::Compression::type orc_compression = arrow::Compression::UNCOMPRESSED;

  /// Compute per-column null counts and min/max while writing (Arrow compute).
  bool collect_statistics = true;

  /// Allocations of the writers and of statistics.
  arrow::MemoryPool* pool = arrow::default_memory_pool();
};

/// One data file written, with what a manifest entry records about it.
struct WrittenFile {
  std::string path;                   ///< the path the file was written to
  int64_t record_count = 0;           ///< rows in the file
  int64_t content_length = 0;         ///< bytes on storage (after the container encoding)
  int64_t source_content_length = 0;  ///< Arrow in-memory size of what was written (pyarrow's
                                      ///< Table.nbytes, as Python records it)
  ContentType content_type = ContentType::kParquet;
  ContentEncoding content_encoding = ContentEncoding::kIdentity;
  std::vector<ColumnStatistics> column_stats;  ///< one per top-level column; empty when
                                               ///< statistics were not collected
};

/// Writes one data file in bounded memory: Open, any number of Write calls, Close.
///
/// The file appears complete or not at all (as far as the filesystem allows): a failed Write
/// or Close, an Abort, or destroying the writer before Close aborts the output stream and
/// deletes the partial file. On S3 an aborted multipart upload never becomes an object.
class DataFileWriter {
 public:
  /// Opens `path` on `fs` for a file of `content_type` holding batches of `schema`. Missing
  /// parent directories are created on filesystems that have directories. Errors:
  /// kContentTypeValidation when the format cannot store a column of `schema` (naming it),
  /// kNotImplemented for Avro, kIOError when the file cannot be created.
  static Result<std::unique_ptr<DataFileWriter>> Open(std::shared_ptr<arrow::fs::FileSystem> fs,
                                                      std::string path,
                                                      std::shared_ptr<arrow::Schema> schema,
                                                      ContentType content_type,
                                                      const WriteOptions& options = {});

  /// Aborts (deletes the partial file) unless Close succeeded.
  ~DataFileWriter();

  DataFileWriter(const DataFileWriter&) = delete;
  DataFileWriter& operator=(const DataFileWriter&) = delete;

  /// Appends a batch; its schema must equal the writer's (field metadata aside), else
  /// kSchemaValidation. On error the file is aborted and the writer is unusable.
  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);

  /// Finishes the file (footer, encoding trailer), closes it and describes it.
  Result<WrittenFile> Close();

  /// Abandons the file: aborts the stream and deletes whatever was written. Idempotent.
  void Abort();

  /// The path being written.
  const std::string& path() const { return path_; }
  /// The schema of the batches.
  const std::shared_ptr<arrow::Schema>& schema() const { return schema_; }
  /// Rows written so far.
  int64_t rows_written() const { return rows_written_; }
  /// Arrow in-memory bytes of the batches written so far.
  int64_t source_bytes_written() const { return source_bytes_written_; }
  /// Bytes that reached storage so far (formats buffer: Parquet writes a row group at a time).
  int64_t bytes_on_storage() const;

 private:
  DataFileWriter() = default;
  Status Fail(const Status& status);

  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::string path_;
  std::shared_ptr<arrow::Schema> schema_;
  ContentType content_type_ = ContentType::kParquet;
  ContentEncoding content_encoding_ = ContentEncoding::kIdentity;
  WriteOptions options_;
  std::unique_ptr<arrow::util::Codec> codec_;  // outlives the streams that use it
  std::shared_ptr<CountingOutputStream> counting_;
  std::shared_ptr<arrow::io::OutputStream> sink_;  // what the format writes to
  std::unique_ptr<FormatWriter> format_writer_;
  std::unique_ptr<ColumnStatisticsCollector> statistics_;
  int64_t rows_written_ = 0;
  int64_t source_bytes_written_ = 0;
  enum class State { kOpen, kClosed, kAborted } state_ = State::kOpen;
  Status failure_;
};

/// Writes `table` to one file at `path` (see DataFileWriter for atomicity and errors).
Result<WrittenFile> WriteDataFile(arrow::fs::FileSystem& fs, const std::string& path,
                                  const arrow::Table& table, ContentType content_type,
                                  const WriteOptions& options = {});

/// Writes every batch of `reader` to one file at `path`, in bounded memory.
Result<WrittenFile> WriteDataFile(arrow::fs::FileSystem& fs, const std::string& path,
                                  arrow::RecordBatchReader& reader, ContentType content_type,
                                  const WriteOptions& options = {});

/// A shared_ptr view of a filesystem the caller keeps alive (for APIs that take ownership).
std::shared_ptr<arrow::fs::FileSystem> BorrowFileSystem(arrow::fs::FileSystem& fs);

}  // namespace deltacat::io
