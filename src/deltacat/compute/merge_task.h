#pragma once

#include <string>
#include <string_view>

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
/// then merges the sub-partitions one at a time into the same output files.
namespace deltacat::compute {

/// Runs a merge task.
Result<MergeTaskResult> RunMergeTask(const MergeTask& task);

/// The task handler registered under kMergeTaskKind.
Result<std::string> ExecuteMergeTask(std::string_view payload);

/// The working-set estimate RunMergeTask compares with the budget: decoded bytes of every
/// input plus the merge index (about 64 bytes per input row).
int64_t EstimateMergeTaskBytes(const MergeTask& task);

}  // namespace deltacat::compute
