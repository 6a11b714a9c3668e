#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/table.h>

#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/result.h"

/// The compactor's merge step: one task merges one hash bucket. It applies the bucket's inputs
/// in stream order with the shared merge kernel (merge_kernel.h): the previous round's
/// compacted files of the bucket, the bucket's rows of every UPSERT/APPEND/ADD delta (read from
/// the hash-bucket step's spill files), and every DELETE delta (equality deletes broadcast to
/// all buckets, as in Python). It writes the surviving rows as Parquet files in the new
/// partition's data directory, rolling to a new file at `records_per_file` rows or
/// `max_file_bytes` decoded bytes.
///
/// Bounded memory: when the bucket's estimated working set exceeds `memory_budget_bytes`, the
/// task first splits every input by a hash of the merge keys (rows of one key always land in
/// the same sub-partition; without merge keys, round-robin) into sub-partition spill files,
/// then merges the sub-partitions (each estimated at most half the budget) one at a time into
/// the same output files. Delete rows by merge key go only to their key's sub-partition.
namespace deltacat::compute {

/// Runs a merge task.
Result<MergeTaskResult> RunMergeTask(const MergeTask& task);

/// The task handler registered under kMergeTaskKind.
Result<std::string> ExecuteMergeTask(std::string_view payload);

/// Estimated merge-index bytes per input row: key index slots (16 bytes, 1.3 to 2.7 per row
/// reserved), the key's entry (24), its encoded bytes and hash (17 for one integer key) and
/// the output's winner map (4).
inline constexpr int64_t kMergeIndexBytesPerRow = 96;

/// The working-set estimate RunMergeTask compares with the budget: decoded bytes of every
/// input plus the merge index (kMergeIndexBytesPerRow per input row).
int64_t EstimateMergeTaskBytes(const MergeTask& task);

/// The sub-partition (of `count`) of every row of `keys`, the merge-key columns in merge-key
/// order: a hash of the encoded key, so equal keys always share a sub-partition.
Result<std::vector<uint32_t>> SubPartitionsOf(
    const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t rows, uint32_t count);

/// The delete tables of one DELETE input of a merge split into `count` sub-partitions.
struct SubPartitionDeletes {
  /// Tables every sub-partition applies (deletes by other columns than the merge keys, or a
  /// merge that does not split by key).
  std::vector<std::shared_ptr<arrow::Table>> shared;
  /// parts[p]: delete rows only sub-partition p applies (empty tables left out).
  std::vector<std::vector<std::shared_ptr<arrow::Table>>> parts;
};

/// Splits `tables` (read for `input` of `task`) among `count` sub-partitions: when the merge
/// splits rows by merge-key hash and a table deletes by exactly the merge keys, each of its rows
/// can only match rows of its own key's sub-partition, so it goes to that one alone (otherwise
/// every sub-partition would look up every delete row). `schema` is the output schema.
Result<SubPartitionDeletes> SplitDeletesBySubPartition(
    const MergeTask& task, const arrow::Schema& schema, const MergeTaskInput& input,
    std::vector<std::shared_ptr<arrow::Table>> tables, uint32_t count);

/// How a task that may use `task_share_bytes` of memory (its share of the round's budget) does
/// its Parquet I/O, and what that I/O holds besides the task's data.
struct TaskIoSettings {
  /// Output row group rows: the writer holds one encoded row group in memory.
  int64_t row_group_rows = int64_t{1} << 20;
  /// Output data page size: the writer buffers one page per column before compressing it.
  int64_t data_page_bytes = int64_t{1} << 20;
  /// Output dictionary limit (see io::WriteOptions::parquet_dictionary_page_bytes).
  int64_t dictionary_page_bytes = int64_t{1} << 20;
  /// Stream reads through small buffers instead of pre-buffering whole row groups.
  bool stream_reads = false;
  /// Reader and writer buffers of a running task, reserved out of its share.
  int64_t reserve_bytes = 0;
};

/// Large shares read and write like Arrow's defaults (pre-buffered reads, 1Mi-row row groups,
/// 1 MiB pages and dictionaries, as the floor and pyarrow do). Shares under 512 MiB stream
/// reads and write 128Ki-row row groups, 256 KiB pages and dictionaries of at most 64 KiB, so
/// that a tight budget is not spent on I/O buffers: with 1 MiB dictionaries a writer's
/// dictionary hash tables alone took about 25 MB for a table with three unique 8-byte columns.
TaskIoSettings IoSettingsFor(int64_t task_share_bytes);

/// The least memory a merge or hash-bucket task is given besides its I/O reserve.
inline constexpr int64_t kMinimumTaskBytes = int64_t{4} << 20;

/// How a round running in this process fits its memory budget.
struct RoundMemory {
  /// The budget minus what the process already holds.
  int64_t available_bytes = 0;
  /// What the round's tasks may use together: the available bytes minus the allocator's slack
  /// (freed pages jemalloc keeps for about a second, library pages faulted in by the round).
  int64_t usable_bytes = 0;
  /// Tasks run at once: at most the executor's parallelism, fewer when the budget cannot hold
  /// that many tasks' I/O buffers.
  int parallelism = 1;
  /// The I/O settings of every task, from its share of the usable bytes.
  TaskIoSettings io;
  /// The working memory of one task (its share minus its I/O reserve).
  int64_t task_budget_bytes = 0;
};

/// Sizes a round under `budget_bytes` for a process that holds `process_bytes` now and an
/// executor running up to `max_parallelism` tasks. `in_process`: the tasks run in this process
/// (the local thread pool), so its memory counts (up to half the budget), the parallelism
/// shrinks to what the budget holds, and a budget that cannot hold even one task fails with
/// kOutOfMemory naming the smallest budget that would. Otherwise (remote workers) tasks get
/// at least 1 MiB each.
Result<RoundMemory> PlanRoundMemory(int64_t budget_bytes, int64_t process_bytes,
                                    int max_parallelism, bool in_process);

}  // namespace deltacat::compute
