#include "deltacat/compute/compactor.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>
#include <utility>

#include "deltacat/compute/compaction_audit.h"
#include "deltacat/compute/compaction_commit.h"
#include "deltacat/compute/compaction_plan.h"
#include "deltacat/compute/compaction_scratch.h"
#include "deltacat/compute/hash_bucket_task.h"
#include "deltacat/compute/late_materialize.h"
#include "deltacat/compute/memory_spill.h"
#include "deltacat/compute/merge_task.h"
#include "deltacat/compute/round_completion.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/util/uuid.h"

namespace deltacat::compute {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The process's resident memory now (0 when unknown).
int64_t CurrentRssBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6) * 1024;  // KiB
  }
  return 0;
}

int64_t PeakRssBytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
}

/// Deletes a directory tree when it goes out of scope, unless released.
class DirectoryCleanup {
 public:
  DirectoryCleanup(arrow::fs::FileSystem& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  ~DirectoryCleanup() {
    if (path_.empty()) return;
    MemorySpillStore::Global().RemoveUnder(path_);  // spills kept in memory under the path
    (void)DeleteDir(fs_, path_);
  }
  DirectoryCleanup(const DirectoryCleanup&) = delete;
  DirectoryCleanup& operator=(const DirectoryCleanup&) = delete;
  void Release() { path_.clear(); }

 private:
  arrow::fs::FileSystem& fs_;
  std::string path_;
};

/// The wire specs of `specs`, each with its memory estimate (what a scheduler reserves).
template <typename Spec, typename Serialize, typename Estimate>
std::vector<TaskSpec> Specs(const std::vector<Spec>& specs, std::string_view kind,
                            Serialize&& serialize, Estimate&& estimate) {
  std::vector<TaskSpec> out;
  out.reserve(specs.size());
  for (const auto& spec : specs) {
    out.push_back(TaskSpec{std::string(kind), serialize(spec), estimate(spec)});
  }
  return out;
}

/// A merge task above its budget merges in sub-partitions, so it needs at most the budget.
int64_t MergeTaskMemory(const MergeTask& task) {
  return std::max<int64_t>(std::min(EstimateMergeTaskBytes(task), task.memory_budget_bytes),
                           int64_t{1} << 20);
}

int64_t EntryInt(const storage::ManifestEntry& entry,
                 std::optional<int64_t> storage::ManifestMeta::*member) {
  return entry.meta && (*entry.meta).*member ? *((*entry.meta).*member) : 0;
}

storage::MsgValue PartitionValues(const storage::Partition& partition) {
  if (!partition.locator.partition_values || partition.locator.partition_values->empty()) {
    return storage::MsgValue();
  }
  return storage::MsgValue::Array(*partition.locator.partition_values);
}

}  // namespace

Status RegisterCompactorTasks(TaskRegistry& registry) {
  if (!registry.Contains(kHashBucketTaskKind)) {
    Status status = registry.Register(std::string(kHashBucketTaskKind), ExecuteHashBucketTask);
    if (!status.ok() && !registry.Contains(kHashBucketTaskKind)) return status;
  }
  if (!registry.Contains(kMergeTaskKind)) {
    Status status = registry.Register(std::string(kMergeTaskKind), ExecuteMergeTask);
    if (!status.ok() && !registry.Contains(kMergeTaskKind)) return status;
  }
  return Status::OK();
}

Result<CompactionResult> CompactPartition(storage::Transaction& txn,
                                          const storage::MetafileRecord& table_version,
                                          const storage::MetafileRecord& stream,
                                          const storage::MetafileRecord& source_partition,
                                          const CompactionOptions& options) {
  const auto started = Clock::now();
  DC_RETURN_NOT_OK(RegisterCompactorTasks(TaskRegistry::Global()));
  if (txn.historic() || txn.state() != storage::TransactionState::kActive) {
    return MakeError(ErrorCode::kIllegalState,
                     "compaction needs an active read-write transaction, not ", txn.id());
  }
  if (options.records_per_file < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "records per compacted file must be >= 1, got ",
                     options.records_per_file);
  }
  const FileSystemLocation& catalog = txn.catalog();
  storage::SnapshotReader& reader = txn.reader();
  DC_ASSIGN_OR_RAISE(CompactionContext ctx,
                     LoadCompactionContext(table_version, stream, source_partition));

  // --- Plan ---------------------------------------------------------------------------------
  DC_ASSIGN_OR_RAISE(std::optional<PreviousRound> previous,
                     ReadPreviousRound(reader, stream, ctx.source));
  int32_t buckets = options.hash_buckets.value_or(options.default_hash_buckets);
  if (previous && previous->rci.hash_bucket_count) {
    const auto recorded = static_cast<int32_t>(*previous->rci.hash_bucket_count);
    if (options.rebase) {
      buckets = options.hash_buckets.value_or(recorded);
    } else if (options.hash_buckets && *options.hash_buckets != recorded) {
      return MakeError(ErrorCode::kValidation,
                       "partition hash bucket count for compaction has changed: the previous "
                       "round used ",
                       recorded, " buckets but ", *options.hash_buckets,
                       " were requested; rebase the partition with the new bucket count first");
    } else {
      buckets = recorded;
    }
  }
  // A rebase recompacts everything: the previous compacted delta becomes an ordinary input.
  if (options.rebase) previous.reset();
  if (buckets < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "hash bucket count must be >= 1, got ", buckets);
  }
  const int64_t last_position =
      options.last_stream_position.value_or(storage::kMaxDeltaStreamPosition);
  const int64_t compacted_position =
      last_position == storage::kMaxDeltaStreamPosition ? 1 : last_position;
  if (compacted_position < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "last stream position must be >= 1, got ",
                     last_position);
  }
  const std::optional<int64_t> high_watermark =
      previous ? previous->rci.SingleHighWatermark() : std::nullopt;
  const auto discovery_started = Clock::now();
  DC_ASSIGN_OR_RAISE(std::vector<InputDelta> deltas,
                     DiscoverInputDeltas(reader, catalog, ctx, high_watermark, last_position));
  CompactionResult result;
  result.hash_bucket_count = buckets;
  result.input_deltas = static_cast<int64_t>(deltas.size());
  if (deltas.empty()) {
    result.partition = source_partition;
    result.seconds = SecondsSince(started);
    return result;
  }

  CompactionAudit audit;
  audit.hash_bucket_count = buckets;
  int64_t input_bytes_decoded = 0;
  for (const InputDelta& delta : deltas) {
    if (delta.type == storage::DeltaType::kDelete) continue;
    for (const auto& file : delta.files) {
      audit.input_size_bytes += file.content_length;
      ++audit.input_file_count;
      input_bytes_decoded += file.estimated_arrow_bytes;
    }
  }
  audit.estimated_in_memory_size_bytes_during_discovery = input_bytes_decoded;

  std::optional<ThreadPoolExecutor> own_executor;
  Executor* executor = options.executor;
  int parallelism = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool in_process = true;  // merge tasks run in this process, beside the hash-bucket tasks
  if (executor == nullptr) {
    executor = &own_executor.emplace();
  } else if (auto* pool = dynamic_cast<ThreadPoolExecutor*>(executor)) {
    parallelism = std::max(parallelism, pool->num_threads());
  } else {
    in_process = false;
    if (executor->parallelism() > 0) {
      parallelism = executor->parallelism();  // e.g. the CPUs of a Ray cluster
    }
  }
  TaskSizing sizing;
  sizing.hash_bucket_count = buckets;
  // The budget covers the whole process: what it already holds (code, libraries, caches; up
  // to half the budget) is not available to the round, and every running task also holds Parquet
  // reader and writer buffers (a row group being read, the output row group being encoded) that its
  // data estimates do not count. A budget too small for this many tasks runs fewer at once; one too
  // small for a single task is an error. The in-memory spill decision is dominated by exactly
  // measured bytes and uses 15/16 of what is available.
  DC_ASSIGN_OR_RAISE(
      const RoundMemory memory,
      PlanRoundMemory(options.memory_budget_bytes, CurrentRssBytes(), parallelism, in_process));
  std::optional<ThreadPoolExecutor> narrower_executor;
  if (auto* pool = dynamic_cast<ThreadPoolExecutor*>(executor);
      pool != nullptr && memory.parallelism < pool->num_threads()) {
    executor = &narrower_executor.emplace(
        ThreadPoolExecutor::Options{memory.parallelism, pool->registry()});
  }
  parallelism = memory.parallelism;
  const int64_t available = memory.available_bytes;
  const TaskIoSettings& io = memory.io;
  const int64_t io_reserve = io.reserve_bytes;
  sizing.stream_reads = io.stream_reads;
  sizing.output_row_group_rows = io.row_group_rows;
  sizing.output_data_page_bytes = io.data_page_bytes;
  sizing.output_dictionary_page_bytes = io.dictionary_page_bytes;
  const int64_t per_task_budget = memory.task_budget_bytes;
  sizing.merge_task_budget_bytes = per_task_budget;
  // Keeping the bucketed input in memory until its merge: all of it at once (it is freed bucket
  // by bucket), plus what the merges running meanwhile add (their key index and their share of
  // the previous round's files).
  {
    int64_t input_rows = 0;
    for (const InputDelta& delta : deltas) {
      if (delta.type == storage::DeltaType::kDelete) continue;
      for (const auto& file : delta.files) input_rows += file.record_count;
    }
    int64_t previous_bytes = 0;
    if (previous && previous->manifest.entries) {
      for (const auto& entry : *previous->manifest.entries) {
        previous_bytes += InputFileOf(catalog, entry).estimated_arrow_bytes;
      }
    }
    const int64_t merge_working = (kMergeIndexBytesPerRow * input_rows + previous_bytes) / buckets;
    sizing.spills_in_memory =
        in_process && options.allow_in_memory_spills &&
        input_bytes_decoded + parallelism * (merge_working + io_reserve) <= available / 16 * 15;
  }
  sizing.chunk_bytes =
      std::clamp<int64_t>(per_task_budget / 4, int64_t{1} << 20, int64_t{128} << 20);
  sizing.hash_bucket_task_bytes =
      std::clamp<int64_t>(input_bytes_decoded / (2 * static_cast<int64_t>(parallelism)),
                          int64_t{16} << 20, int64_t{1} << 30);

  const std::string partition_id = NewUuid4();
  const std::string output_url_prefix = "data/" + partition_id + "/";
  const std::string output_dir = JoinPath(catalog.root, "data/" + partition_id);
  // Named by the transaction, so the janitor can tell a crashed round's leftovers.
  const std::string scratch_dir =
      options.scratch_dir.value_or(CompactionScratchDir(catalog, txn.id()));
  DirectoryCleanup scratch_cleanup(*catalog.fs, scratch_dir);
  DirectoryCleanup output_cleanup(*catalog.fs, output_dir);
  ScopedTaskFileSystem task_fs(catalog);
  audit.delta_discovery_time_in_seconds = SecondsSince(discovery_started);

  // --- Hash bucket and merge --------------------------------------------------------------
  const auto hash_bucket_started = Clock::now();
  std::vector<PlannedHashBucketTask> hb_tasks =
      PlanHashBucketTasks(deltas, ctx, task_fs.ref(), scratch_dir, sizing);
  result.hash_bucket_tasks = static_cast<int64_t>(hb_tasks.size());
  audit.uniform_deltas_created = result.hash_bucket_tasks;
  MergeSettings settings;
  settings.catalog = task_fs.ref();
  settings.output_dir = output_dir;
  settings.output_url_prefix = output_url_prefix;
  settings.scratch_dir = scratch_dir;
  settings.records_per_file = options.records_per_file;
  settings.max_file_bytes = options.max_file_bytes;
  settings.drop_duplicates = options.drop_duplicates;
  settings.disable_copy_by_reference = options.disable_copy_by_reference;
  settings.provided_columns = options.original_fields;
  MergePlan plan;
  std::map<int32_t, MergeTaskResult> merged;
  auto add_merged = [&](MergeTaskResult task_result) {
    result.deduped_rows += task_result.stats.deduped_rows;
    result.deleted_rows += task_result.stats.deleted_rows;
    result.max_sub_partitions = std::max(result.max_sub_partitions, task_result.sub_partitions);
    const int32_t bucket = task_result.hash_bucket;
    merged.emplace(bucket, std::move(task_result));
  };
  std::optional<LateMaterializedRound> late;
  const int64_t late_min_bytes =
      options.late_materialization_min_input_bytes.value_or(available / 2);
  // Late materialization writes every bucket at once (a writer and its row group each). Under
  // a tight budget those writers must fit beside the input too (the 1M-row benchmark round
  // peaked at 374 MiB of a 256 MiB budget with eight writers open).
  const bool late_writers_fit =
      !sizing.stream_reads ||
      input_bytes_decoded + int64_t{buckets} * io_reserve <= available / 16 * 15;
  if (sizing.spills_in_memory && late_writers_fit && options.allow_late_materialization &&
      input_bytes_decoded >= late_min_bytes &&
      LateMaterializationApplies(ctx, deltas, previous, catalog, settings)) {
    DC_ASSIGN_OR_RAISE(late, RunLateMaterializedRound(ctx, deltas, previous, catalog, hb_tasks,
                                                      sizing, settings, parallelism));
  }
  if (late) {
    result.late_materialized = true;
    result.input_rows = late->input_rows;
    audit.hash_bucket_processed_size_bytes = late->input_bytes;
    audit.hash_bucket_time_in_seconds = late->hash_bucket_seconds;
    audit.merge_time_in_seconds = late->merge_seconds;
    plan = std::move(late->plan);
    for (MergeTaskResult& task_result : late->results) add_merged(std::move(task_result));
  } else {
    std::vector<HashBucketTask> hb_specs;
    hb_specs.reserve(hb_tasks.size());
    for (const auto& planned : hb_tasks) hb_specs.push_back(planned.task);
    std::vector<HashBucketResult> hb_results;
    if (!hb_specs.empty()) {
      DC_ASSIGN_OR_RAISE(
          auto raw, executor->Execute(Specs(hb_specs, kHashBucketTaskKind, SerializeHashBucketTask,
                                            EstimateHashBucketTaskBytes)));
      for (const auto& bytes : raw) {
        DC_ASSIGN_OR_RAISE(HashBucketResult hb, DeserializeHashBucketResult(bytes));
        result.input_rows += hb.input_rows;
        audit.hash_bucket_processed_size_bytes += hb.input_bytes;
        hb_results.push_back(std::move(hb));
      }
    }
    audit.hash_bucket_time_in_seconds = SecondsSince(hash_bucket_started);

    const auto merge_started = Clock::now();
    plan = PlanMerges(ctx, deltas, previous, catalog, hb_tasks, hb_results, sizing, settings);
    if (!plan.merge_tasks.empty()) {
      DC_ASSIGN_OR_RAISE(auto raw, executor->Execute(Specs(plan.merge_tasks, kMergeTaskKind,
                                                           SerializeMergeTask, MergeTaskMemory)));
      for (const auto& bytes : raw) {
        DC_ASSIGN_OR_RAISE(MergeTaskResult task_result, DeserializeMergeTaskResult(bytes));
        add_merged(std::move(task_result));
      }
    }
    audit.merge_time_in_seconds = SecondsSince(merge_started);
  }
  for (const MergeTask& task : plan.merge_tasks) {
    for (const MergeTaskInput& input : task.inputs) {
      if (input.kind != MergeTaskInput::Kind::kCompacted) continue;
      for (const auto& file : input.files) result.previous_rows_read += file.record_count;
    }
  }
  result.merge_tasks = static_cast<int64_t>(plan.merge_tasks.size());

  // --- Materialize: entries in bucket order -------------------------------------------------
  const int64_t schema_id = ctx.schema.id();
  const std::optional<std::string> sort_scheme_id =
      ctx.table_version.sort_scheme ? ctx.table_version.sort_scheme->id : std::nullopt;
  std::vector<storage::ManifestEntry> entries;
  std::vector<storage::HashBucketEntryRange> ranges;
  storage::PyArrowWriteResult totals;
  int64_t files = 0, pa_bytes = 0, file_bytes = 0, records = 0;
  for (int32_t bucket = 0; bucket < buckets; ++bucket) {
    const int64_t start = static_cast<int64_t>(entries.size());
    if (auto copied = plan.copied_by_reference.find(bucket);
        copied != plan.copied_by_reference.end()) {
      for (const auto& entry : copied->second) {
        ++result.files_copied_by_reference;
        audit.untouched_record_count += EntryInt(entry, &storage::ManifestMeta::record_count);
        audit.untouched_size_bytes += EntryInt(entry, &storage::ManifestMeta::content_length);
        entries.push_back(entry);
      }
    } else if (auto written = merged.find(bucket); written != merged.end()) {
      for (const MergedFile& file : written->second.files) {
        ++result.files_written;
        entries.push_back(CompactedManifestEntry(file, schema_id, sort_scheme_id));
      }
    }
    const auto end = static_cast<int64_t>(entries.size());
    if (end > start) ranges.push_back(storage::HashBucketEntryRange{bucket, start, end});
  }
  for (const auto& entry : entries) {
    ++files;
    pa_bytes += EntryInt(entry, &storage::ManifestMeta::source_content_length);
    file_bytes += EntryInt(entry, &storage::ManifestMeta::content_length);
    records += EntryInt(entry, &storage::ManifestMeta::record_count);
  }
  totals.files = files;
  totals.pa_bytes = pa_bytes;
  totals.file_bytes = file_bytes;
  totals.records = records;
  result.output_rows = records;

  // --- Audit --------------------------------------------------------------------------------
  audit.untouched_file_count = result.files_copied_by_reference;
  audit.untouched_file_ratio = CopiedByReferenceRatio(result.files_copied_by_reference, files);
  audit.output_file_count = files;
  audit.output_size_bytes = file_bytes;
  audit.output_size_pyarrow_bytes = pa_bytes;
  audit.records_deduped = result.deduped_rows;
  audit.records_deleted = result.deleted_rows;
  audit.input_records = result.input_rows;
  if (audit.input_size_bytes > 0 && audit.hash_bucket_processed_size_bytes > 0) {
    audit.observed_input_inflation = static_cast<double>(audit.hash_bucket_processed_size_bytes) /
                                     static_cast<double>(audit.input_size_bytes);
  }
  if (audit.hash_bucket_processed_size_bytes > 0 && audit.input_records > 0) {
    audit.observed_input_average_record_size_bytes =
        static_cast<double>(audit.hash_bucket_processed_size_bytes) /
        static_cast<double>(audit.input_records);
  }
  if (previous && previous->rci.compacted_pyarrow_write_result) {
    // Python counts the previous round's output as input once the round is done.
    const auto& before = *previous->rci.compacted_pyarrow_write_result;
    audit.input_file_count += before.files.value_or(0);
    audit.input_size_bytes += before.file_bytes.value_or(0);
    audit.input_records += before.records.value_or(0);
  }
  audit.peak_memory_used_bytes_compaction_session_process = PeakRssBytes();
  DC_ASSIGN_OR_RAISE(std::string audit_path, CompactionAuditRelativePath(ctx.source.locator));

  // --- Commit -------------------------------------------------------------------------------
  DC_ASSIGN_OR_RAISE(
      auto previous_committed,
      reader.FindPartition(stream, PartitionValues(ctx.source), ctx.source.partition_scheme_id));
  storage::Partition staged = NewCompactedPartition(
      stream, ctx.table_version, ctx.source,
      previous_committed ? std::optional<std::string>(previous_committed->id) : std::nullopt,
      partition_id);
  DC_ASSIGN_OR_RAISE(storage::Delta delta,
                     NewCompactedDelta(staged, compacted_position, std::move(entries)));
  RoundOutcome outcome;
  outcome.compacted_delta_locator = delta.locator;
  outcome.partition_locator = staged.locator;
  outcome.write_result = totals;
  outcome.sort_keys_bit_width = ctx.sort_keys.empty() ? 0 : 256;
  outcome.copied_by_reference_ratio = audit.untouched_file_ratio;
  outcome.audit_url = CompactionAuditUrl(catalog, audit_path);
  outcome.hash_bucket_count = buckets;
  outcome.entry_ranges = std::move(ranges);
  outcome.input_inflation = audit.observed_input_inflation;
  outcome.input_average_record_size_bytes = audit.observed_input_average_record_size_bytes;
  result.round_completion_info = BuildRoundCompletionInfo(outcome);
  audit.compaction_time_in_seconds = SecondsSince(started);
  DC_RETURN_NOT_OK(WriteCompactionAudit(catalog, audit_path, audit));
  DC_ASSIGN_OR_RAISE(result.partition,
                     CommitCompactedPartition(txn, stream, std::move(staged), delta,
                                              result.round_completion_info, previous_committed));
  output_cleanup.Release();
  result.committed = true;
  result.seconds = SecondsSince(started);
  return result;
}

}  // namespace deltacat::compute
