#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "deltacat/compute/compaction_plan.h"
#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/compute/round_completion.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"

/// Late materialization of an in-memory compaction round. When the whole round runs in this
/// process and merging needs nothing but the merge keys (drop_duplicates, no sort keys, no
/// partial upserts, deletes by merge key only), the hash-bucket step reads only the merge-key
/// columns, every bucket merges keys only and keeps the rows that win as (input file, row), and
/// then every input file is decoded once, with all columns, and its winning rows are routed to
/// their buckets' output files. The output is the same rows in the same order, in the same
/// files, as the hash-bucket and merge tasks write; only the decoded input is never held in
/// memory all at once (nor copied row by row into per-bucket batches).
///
/// Unlike the hash-bucket and merge tasks this is not a serializable spec: it runs on this
/// process's threads only, like the in-memory spills it replaces.
namespace deltacat::compute {

/// Whether a round may run late-materialized (all of it known from metadata): merge keys with
/// drop_duplicates, no sort keys, no `provided_columns`, every DELETE delta matching on merge-key
/// columns only, and every input data file (new deltas and the previous round's files) an
/// unencoded Parquet file. Whether every file holds every column is only known once the files
/// are opened (see RunLateMaterializedRound).
bool LateMaterializationApplies(const CompactionContext& ctx, const std::vector<InputDelta>& deltas,
                                const std::optional<PreviousRound>& previous,
                                const FileSystemLocation& catalog, const MergeSettings& settings);

/// What a late-materialized round produced: what the hash-bucket and merge steps give the
/// compactor otherwise.
struct LateMaterializedRound {
  /// Rows of the new deltas' data files (the hash-bucket step's input rows).
  int64_t input_rows = 0;
  /// Their decoded Arrow bytes, read in the batches the hash-bucket step reads.
  int64_t input_bytes = 0;
  /// The merge plan (PlanMerges), as the ordinary path makes it.
  MergePlan plan;
  /// One result per plan.merge_tasks, in the same order.
  std::vector<MergeTaskResult> results;
  double hash_bucket_seconds = 0;
  double merge_seconds = 0;
};

/// Runs the round's hash-bucket and merge steps late-materialized on `parallelism` threads:
/// `tasks` are the round's planned hash-bucket tasks (their files and batch sizes are used; the
/// tasks are not run). nullopt, having written nothing, when some input file lacks a column of
/// the schema (the merge kernel treats it as a partial upsert): the caller then runs the
/// ordinary path. Output files go where `settings` says; on an error those written are deleted.
Result<std::optional<LateMaterializedRound>> RunLateMaterializedRound(
    const CompactionContext& ctx, const std::vector<InputDelta>& deltas,
    const std::optional<PreviousRound>& previous, const FileSystemLocation& catalog,
    const std::vector<PlannedHashBucketTask>& tasks, const TaskSizing& sizing,
    const MergeSettings& settings, int parallelism);

}  // namespace deltacat::compute
