#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/compute/executor.h"
#include "deltacat/result.h"
#include "deltacat/storage/model/round_completion_info.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction.h"

/// The native compactor: DeltaCAT compactor-v2 semantics, on-disk results Python DeltaCAT
/// reads and continues (and the reverse).
///
/// One round: plan from the previous round completion info (RCI) and the deltas after its
/// high watermark (compaction_plan.h); hash-bucket tasks split the new rows by Python's bucket
/// formula into spill files (hash_bucket_task.h); one merge task per touched bucket merges the
/// bucket's previous files, new rows and deletes with the shared merge kernel and writes
/// Parquet (merge_task.h); untouched buckets keep their files by reference unless the round
/// holds a DELETE; then a new partition with one APPEND delta and the RCI is committed through
/// the caller's transaction (compaction_commit.h), and the audit file is written
/// (compaction_audit.h). Tasks are serialized specs run by an Executor.
namespace deltacat::compute {

/// How to compact.
struct CompactionOptions {
  /// Hash buckets; default: the previous RCI's hashBucketCount, else `default_hash_buckets`.
  /// A value different from the previous round's is a kValidation error unless `rebase` is set.
  std::optional<int32_t> hash_buckets;
  /// Table property default_compaction_hash_bucket_count.
  int32_t default_hash_buckets = 8;
  /// Table property records_per_compacted_file: rows per output file at most.
  int64_t records_per_file = 4000000;
  /// Decoded (Arrow) bytes per output file at most.
  int64_t max_file_bytes = int64_t{1} << 30;
  /// Working memory of the whole round (all concurrent tasks together).
  int64_t memory_budget_bytes = 2LL << 30;
  /// Where tasks run; nullptr: an in-process ThreadPoolExecutor using all cores. A custom
  /// executor must be able to run the kinds RegisterCompactorTasks registers.
  Executor* executor = nullptr;
  /// Compact deltas up to this stream position (inclusive); default: all. The compacted delta
  /// then sits at this position instead of 1 (as in Python).
  std::optional<int64_t> last_stream_position;
  /// Python's `original_fields`: the columns the writer of the new upserts supplied. Columns
  /// outside it keep their previous values for existing keys (partial upsert). Unset: every
  /// column present in a data file counts as supplied.
  std::optional<std::vector<std::string>> original_fields;
  /// Python's drop_duplicates (false: no de-duplication, deletes still apply).
  bool drop_duplicates = true;
  /// Rewrite every bucket even when untouched.
  bool disable_copy_by_reference = false;
  /// Rebase the partition onto itself (Python's rebase with source = rebase source): ignore the
  /// previous round and recompact every delta of the source partition, the previous compacted
  /// delta included. This is how the hash bucket count changes.
  bool rebase = false;
  /// Directory (in the catalog filesystem) for spill files; default
  /// "<root>/compute/compactor/scratch/<transaction id>" (compaction_scratch.h). Removed when
  /// the round ends; the janitor removes what a crashed round left.
  std::optional<std::string> scratch_dir;
  /// On the in-process executor, keep the hash-bucket step's output in memory instead of spill
  /// files when the whole input fits the memory budget (false: always spill to files).
  bool allow_in_memory_spills = true;
  /// When the round keeps its hash-bucket output in memory and merging needs only the merge
  /// keys (late_materialize.h), bucket and merge the keys alone and read every input file once
  /// afterwards to write the winning rows (false: the hash-bucket and merge tasks; the output
  /// is the same either way).
  bool allow_late_materialization = true;
  /// Decoded bytes of new input from which a round that may late-materialize does: below
  /// them, holding the input in memory costs less than decoding the merge keys twice and
  /// scheduling the second pass (a 1M-row round takes 0.44-0.46 s held against 0.49-0.53 s
  /// late; a 10M-row backfill 5.5-6.0 s against 4.8-5.2 s and 0.8 GB instead of 1.9 GB).
  /// Unset: half of the memory the round may use.
  std::optional<int64_t> late_materialization_min_input_bytes;
};

/// What a round did.
struct CompactionResult {
  /// False when there was nothing to compact (no deltas after the high watermark): nothing was
  /// written and `partition` is the source partition.
  bool committed = false;
  /// The new committed partition (as written in the transaction).
  storage::MetafileRecord partition;
  /// The RCI written with it.
  storage::RoundCompletionInfo round_completion_info;
  int32_t hash_bucket_count = 0;
  int64_t input_deltas = 0;
  int64_t input_rows = 0;          ///< rows of the new UPSERT/APPEND/ADD deltas
  int64_t previous_rows_read = 0;  ///< rows of the previous round's files that were re-read
  int64_t deduped_rows = 0;
  int64_t deleted_rows = 0;
  int64_t output_rows = 0;  ///< rows of the compacted delta (referenced files included)
  int64_t files_written = 0;
  int64_t files_copied_by_reference = 0;
  int64_t hash_bucket_tasks = 0;
  int64_t merge_tasks = 0;
  int32_t max_sub_partitions = 1;  ///< > 1 when a bucket exceeded its memory budget
  bool late_materialized = false;  ///< merged keys only, then read the winning rows (see options)
  double seconds = 0;
};

/// Compacts `source_partition` (committed or staged) of `stream` of `table_version` inside
/// `txn` (it does not commit `txn`): plans from the previous RCI, reads the deltas after its
/// high watermark, hash-buckets by the merge keys with Python's formula, merges per bucket,
/// writes Parquet output into a new partition (`previousPartitionId` = the committed partition
/// it replaces), creates one APPEND delta at position 1 with the merged rows, and commits the
/// new partition with the RCI — UPDATE staged->committed when nothing was committed before,
/// else REPLACE x2 tombstoning the old partition — exactly as Python post4 does, so Python can
/// read and continue it. On error nothing is committed (the caller aborts `txn`); files the
/// round wrote are removed where possible.
Result<CompactionResult> CompactPartition(storage::Transaction& txn,
                                          const storage::MetafileRecord& table_version,
                                          const storage::MetafileRecord& stream,
                                          const storage::MetafileRecord& source_partition,
                                          const CompactionOptions& options);

/// Registers the compactor's task kinds (kHashBucketTaskKind, kMergeTaskKind) in `registry`;
/// kinds already registered are left alone. CompactPartition registers them in
/// TaskRegistry::Global() itself; remote workers and executors with their own registry call
/// this.
Status RegisterCompactorTasks(TaskRegistry& registry);

}  // namespace deltacat::compute
