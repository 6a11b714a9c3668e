#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/compute/round_completion.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"
#include "deltacat/storage/model/delta.h"
#include "deltacat/storage/model/partition.h"
#include "deltacat/storage/model/table_version.h"
#include "deltacat/storage/schema.h"
#include "deltacat/storage/snapshot_reader.h"

/// Planning a compaction round on the caller's thread, from metadata only: the table's schema
/// and keys, the previous round, the input deltas after its high watermark, the hash-bucket
/// tasks, and (once those ran) the per-bucket merge tasks and copies by reference.
namespace deltacat::compute {

/// The table and partition a round compacts.
struct CompactionContext {
  storage::MetafileRecord stream_record;
  storage::MetafileRecord source_record;
  storage::TableVersion table_version;
  storage::Partition source;
  storage::Schema schema;  ///< the table version's current schema
  std::string schema_ipc;  ///< the same, as stored
  std::vector<std::string> merge_keys;
  std::vector<MergeSortKey> sort_keys;  ///< Python's merge_order_sort_keys
};

/// Decodes the records and derives keys and sort keys. kTableValidation when the table
/// version has no schema (Python: "Table version schema is required to run compaction").
Result<CompactionContext> LoadCompactionContext(const storage::MetafileRecord& table_version,
                                                const storage::MetafileRecord& stream,
                                                const storage::MetafileRecord& source_partition);

/// One input delta of the round.
struct InputDelta {
  int64_t stream_position = 0;
  storage::DeltaType type = storage::DeltaType::kUpsert;
  std::vector<CompactionInputFile> files;
  std::vector<std::string> delete_columns;  ///< DELETE deltas: the equality columns
};

/// The deltas of `source` with stream positions in (high_watermark, last_stream_position], in
/// ascending order, with their files resolved against `catalog`. A DELETE delta without
/// equality columns is a kValidation error (as in Python's prepare_deletes).
Result<std::vector<InputDelta>> DiscoverInputDeltas(storage::SnapshotReader& reader,
                                                    const FileSystemLocation& catalog,
                                                    const CompactionContext& ctx,
                                                    std::optional<int64_t> high_watermark,
                                                    int64_t last_stream_position);

/// Sizes a file's decoded bytes from its manifest entry: `source_content_length`, else the
/// on-disk size times Python's PyArrow inflation (2.5), else 100 bytes per record.
CompactionInputFile InputFileOf(const FileSystemLocation& catalog,
                                const storage::ManifestEntry& entry);

/// How the round is cut into tasks.
struct TaskSizing {
  int32_t hash_bucket_count = 1;
  int64_t hash_bucket_task_bytes = int64_t{256} << 20;  ///< decoded bytes per hash-bucket task
  int64_t chunk_bytes = int64_t{128} << 20;             ///< see HashBucketTask::chunk_bytes
  int64_t merge_task_budget_bytes = int64_t{1} << 30;   ///< see MergeTask
  bool spills_in_memory = false;                      ///< see HashBucketTask::keep_spills_in_memory
  bool stream_reads = false;                          ///< see HashBucketTask::stream_reads
  int64_t output_row_group_rows = int64_t{1} << 20;   ///< see MergeTask
  int64_t output_data_page_bytes = int64_t{1} << 20;  ///< see MergeTask
  int64_t output_dictionary_page_bytes = int64_t{1} << 20;  ///< see MergeTask
};

/// A hash-bucket task and the delta it reads.
struct PlannedHashBucketTask {
  size_t delta_index = 0;  ///< into the input deltas
  HashBucketTask task;
};

/// One hash-bucket task per group of consecutive files of one non-DELETE delta, each up to
/// `sizing.hash_bucket_task_bytes` (a file is never split). Spill files go under `scratch_dir`.
std::vector<PlannedHashBucketTask> PlanHashBucketTasks(const std::vector<InputDelta>& deltas,
                                                       const CompactionContext& ctx,
                                                       const FileSystemRef& catalog,
                                                       const std::string& scratch_dir,
                                                       const TaskSizing& sizing);

/// What every bucket gets.
struct MergePlan {
  std::vector<MergeTask> merge_tasks;  ///< ascending bucket order
  /// Buckets whose previous files are reused unchanged, with those manifest entries.
  std::map<int32_t, std::vector<storage::ManifestEntry>> copied_by_reference;
};

/// Where the round writes and how.
struct MergeSettings {
  FileSystemRef catalog;
  std::string output_dir;         ///< "<root>/data/<new partition id>"
  std::string output_url_prefix;  ///< "data/<new partition id>/"
  std::string scratch_dir;
  int64_t records_per_file = 4000000;
  int64_t max_file_bytes = int64_t{1} << 30;
  bool drop_duplicates = true;
  bool disable_copy_by_reference = false;
  std::optional<std::vector<std::string>> provided_columns;
};

/// Decides each bucket's fate from the hash-bucket results (`results[i]` of `tasks[i]`): a
/// bucket without new rows keeps its previous files by reference when the round has no DELETE
/// delta (Python's rule); every other bucket that has previous files or new rows gets a merge
/// task with its inputs in stream order.
MergePlan PlanMerges(const CompactionContext& ctx, const std::vector<InputDelta>& deltas,
                     const std::optional<PreviousRound>& previous,
                     const FileSystemLocation& catalog,
                     const std::vector<PlannedHashBucketTask>& tasks,
                     const std::vector<HashBucketResult>& results, const TaskSizing& sizing,
                     const MergeSettings& settings);

}  // namespace deltacat::compute
