#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/filesystem/filesystem.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>

#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"

/// Reading the compactor's input files: the data files of deltas and of the previous compacted
/// delta, seen through the table's current schema.
namespace deltacat::compute {

/// The path inside the catalog filesystem of a manifest entry's URL: URLs DeltaCAT writes are
/// relative to the catalog root ("data/<partition>/<file>"); absolute paths and URIs
/// ("/abs/file", "file:///abs/file", "s3://bucket/key") are taken as they are.
std::string ResolveEntryPath(const FileSystemLocation& catalog, std::string_view url);

/// Opens `file` as a stream of record batches holding the columns of `schema` that the file
/// has, in schema order, cast to the schema's types (names match exactly, else
/// case-insensitively when unambiguous, as Python does). Columns the file lacks are left out,
/// so that callers can tell them apart (the merge kernel fills them with the column default or
/// treats them as not supplied). `columns`, when not empty, keeps only those schema columns.
/// `stream_reads` (tight memory budgets): Parquet column chunks are streamed through small
/// buffers instead of pre-buffering the whole compressed row group.
/// Errors name the file; a column that cannot be cast is kSchemaValidation.
Result<std::shared_ptr<arrow::RecordBatchReader>> OpenProjectedFile(
    arrow::fs::FileSystem& fs, const CompactionInputFile& file,
    const std::shared_ptr<arrow::Schema>& schema, const std::vector<std::string>& columns = {},
    int64_t batch_rows = int64_t{64} * 1024, bool stream_reads = false);

/// OpenProjectedFile for the schema columns `columns` (not empty) of a Parquet file, decoding
/// only those columns (OpenProjectedFile decodes every column and then drops the others).
/// `*has_every_column` is set to whether the file holds every column of `schema` (a file
/// without some is a partial upsert to the merge kernel). The columns are decoded on the
/// calling thread: its callers read many files at once, one per thread, and a reader that
/// handed each column to Arrow's thread pool would leave the calling thread waiting.
Result<std::shared_ptr<arrow::RecordBatchReader>> OpenParquetColumns(
    arrow::fs::FileSystem& fs, const CompactionInputFile& file,
    const std::shared_ptr<arrow::Schema>& schema, const std::vector<std::string>& columns,
    int64_t batch_rows, bool stream_reads, bool* has_every_column);

/// Reads all of OpenProjectedFile's batches into one table.
Result<std::shared_ptr<arrow::Table>> ReadProjectedFile(
    arrow::fs::FileSystem& fs, const CompactionInputFile& file,
    const std::shared_ptr<arrow::Schema>& schema, const std::vector<std::string>& columns = {},
    bool stream_reads = false);

/// Decoded Arrow bytes of a batch (sum of its buffers, each counted once per array even when
/// arrays share buffers with others).
int64_t BatchBytes(const arrow::RecordBatch& batch);

}  // namespace deltacat::compute
