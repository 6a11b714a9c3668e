#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deltacat/compute/merge_kernel.h"
#include "deltacat/compute/task_filesystem.h"
#include "deltacat/content_type.h"
#include "deltacat/result.h"
#include "deltacat/storage/msgpack_value.h"

/// The serializable task specs of the compactor and their results. Every spec is plain data
/// (paths, counts, schema bytes) encoded as a msgpack map, so a task runs the same in this
/// process's thread pool or in another process: tasks share nothing but what their payloads
/// and results say, plus files on the catalog filesystem (the spill files of the hash-bucket
/// step and the output files).
namespace deltacat::compute {

/// Task kind of a hash-bucket task (RunHashBucketTask).
inline constexpr std::string_view kHashBucketTaskKind = "compactor.hash_bucket";
/// Task kind of a merge task (RunMergeTask).
inline constexpr std::string_view kMergeTaskKind = "compactor.merge";

/// One data file a task reads.
struct CompactionInputFile {
  std::string path;  ///< inside the catalog filesystem
  ContentType content_type = ContentType::kParquet;
  ContentEncoding content_encoding = ContentEncoding::kIdentity;
  int64_t record_count = 0;           ///< from the manifest (0 when unknown)
  int64_t content_length = 0;         ///< bytes on storage (0 when unknown)
  int64_t estimated_arrow_bytes = 0;  ///< decoded size estimate (memory planning)
};

/// Reads the files of one delta (or part of one), assigns every row to its hash bucket with
/// Python's formula, and writes the rows grouped by bucket into spill files: one Arrow IPC file
/// per task (per column layout), holding one record batch per (input batch, non-empty bucket).
struct HashBucketTask {
  FileSystemRef catalog;
  /// Spill files are named "<spill_path_prefix>-<n>.arrow" (a path in the catalog filesystem).
  std::string spill_path_prefix;
  /// The files, in manifest order.
  std::vector<CompactionInputFile> files;
  /// The table version's current schema (an encapsulated Arrow IPC schema message): the
  /// columns kept and their types.
  std::string schema;
  /// Merge-key column names (empty: rows are dealt round-robin).
  std::vector<std::string> merge_keys;
  int32_t hash_bucket_count = 1;
  /// Decoded bytes read before a chunk is bucketed and spilled (bounds the task's memory to
  /// about three chunks).
  int64_t chunk_bytes = int64_t{128} << 20;
  /// First round-robin bucket for tables without merge keys.
  int64_t row_offset = 0;
  /// Keep the bucketed batches in this process's MemorySpillStore under the spill paths
  /// instead of writing the files. Only for executors whose merge tasks run in this process
  /// (the local thread pool), and only when the round's input fits its memory budget.
  bool keep_spills_in_memory = false;
  /// Stream Parquet reads through small buffers (see OpenProjectedFile).
  bool stream_reads = false;
};

/// Record batches of one spill file that hold rows of one bucket.
struct SpillRun {
  std::string path;              ///< the spill file (catalog filesystem)
  std::vector<int32_t> batches;  ///< indexes of its record batches, in order
  int64_t rows = 0;
  int64_t bytes = 0;  ///< decoded Arrow bytes
};

/// What a hash-bucket task produced.
struct HashBucketResult {
  /// The non-empty buckets in ascending order, each with its runs in input order.
  std::vector<std::pair<int32_t, std::vector<SpillRun>>> buckets;
  int64_t input_rows = 0;
  int64_t input_bytes = 0;  ///< decoded Arrow bytes read
  std::vector<std::string> spill_files;
};

/// One input of a bucket's merge, applied in stream order.
struct MergeTaskInput {
  /// What the input is.
  enum class Kind : uint8_t {
    kCompacted,  ///< the bucket's files of the previous compaction round
    kUpsert,     ///< an UPSERT delta's rows of the bucket (spill runs)
    kAppend,     ///< an APPEND/ADD delta's rows of the bucket (spill runs)
    kDelete,     ///< a DELETE delta: its files, matched on `delete_columns`
  };
  Kind kind = Kind::kUpsert;
  int64_t stream_position = 0;
  std::vector<CompactionInputFile> files;  ///< kCompacted and kDelete
  std::vector<SpillRun> spills;            ///< kUpsert and kAppend
  std::vector<std::string> delete_columns;
};

/// Merges one hash bucket and writes its output files.
struct MergeTask {
  FileSystemRef catalog;
  int32_t hash_bucket = 0;
  /// The output schema (encapsulated Arrow IPC schema message, the table version's current).
  std::string schema;
  std::vector<std::string> merge_keys;
  std::vector<MergeSortKey> sort_keys;
  bool drop_duplicates = true;
  /// Python's `original_fields`: the columns the writer of the upserts supplied (partial
  /// upserts); unset = every column a file holds.
  std::optional<std::vector<std::string>> provided_columns;
  /// Inputs sorted by stream position (the compacted input first).
  std::vector<MergeTaskInput> inputs;
  /// Output directory inside the catalog filesystem, and the same directory relative to the
  /// catalog root (manifest URLs are relative, as Python writes them).
  std::string output_dir;
  std::string output_url_prefix;
  int64_t records_per_file = 4000000;
  int64_t max_file_bytes = int64_t{1} << 30;  ///< decoded Arrow bytes per output file
  /// Working memory this task may use; above it the bucket is merged in key-hash
  /// sub-partitions spilled under `spill_dir`.
  int64_t memory_budget_bytes = int64_t{1} << 30;
  std::string spill_dir;
  /// Rows per row group of the output Parquet files (the writer holds one encoded row group).
  int64_t output_row_group_rows = int64_t{1} << 20;
  /// Target Parquet data page size of the output (the writer buffers one page per column).
  int64_t output_data_page_bytes = int64_t{1} << 20;
  /// Dictionary size above which an output column chunk falls back to plain encoding (the
  /// writer's dictionary hash tables grow with it); see io::WriteOptions.
  int64_t output_dictionary_page_bytes = int64_t{1} << 20;
  /// Stream Parquet reads through small buffers (see OpenProjectedFile).
  bool stream_reads = false;
  /// Write one empty file when the bucket had rows but none survived (Python does, so that
  /// every processed bucket keeps a range in the round completion info).
  bool write_empty_file = true;
};

/// The rows of a merge task's non-DELETE inputs as its spec announces them (the files' record
/// counts and the spill runs' rows): what its key index is sized for, and its scheduling weight.
int64_t AnnouncedUpsertRows(const MergeTask& task);

/// One output file of a merge task.
struct MergedFile {
  std::string url;  ///< relative to the catalog root
  int64_t record_count = 0;
  int64_t content_length = 0;
  int64_t source_content_length = 0;
  /// The file's column statistics in their manifest form (manifest_statistics.h); nil when
  /// none were collected.
  storage::MsgValue column_statistics;
};

/// What a merge task produced.
struct MergeTaskResult {
  int32_t hash_bucket = 0;
  std::vector<MergedFile> files;
  MergeStats stats;
  int32_t sub_partitions = 1;  ///< > 1 when the bucket exceeded its memory budget
};

/// msgpack encodings of the specs and results (map keys are the member names).
std::string SerializeHashBucketTask(const HashBucketTask& task);
Result<HashBucketTask> DeserializeHashBucketTask(std::string_view bytes);
std::string SerializeHashBucketResult(const HashBucketResult& result);
Result<HashBucketResult> DeserializeHashBucketResult(std::string_view bytes);
std::string SerializeMergeTask(const MergeTask& task);
Result<MergeTask> DeserializeMergeTask(std::string_view bytes);
std::string SerializeMergeTaskResult(const MergeTaskResult& result);
Result<MergeTaskResult> DeserializeMergeTaskResult(std::string_view bytes);

}  // namespace deltacat::compute
