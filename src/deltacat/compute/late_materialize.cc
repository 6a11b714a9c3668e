#include "deltacat/compute/late_materialize.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include <arrow/compute/api_vector.h>
#include <arrow/datum.h>

#include "deltacat/compute/compaction_input.h"
#include "deltacat/compute/hash_bucket.h"
#include "deltacat/compute/hash_bucket_task.h"
#include "deltacat/compute/merge_kernel.h"
#include "deltacat/compute/merge_output.h"
#include "deltacat/fs/file_ops.h"

namespace deltacat::compute {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Rows per output batch of a merge (merge_task.cc's kBatchRows): the kernel's output batches
/// never span two input batches and hold at most this many rows, and the rolling writer's byte
/// limit looks at batches, so late materialization hands the writer the same batches.
constexpr int64_t kOutputBatchRows = int64_t{64} * 1024;
/// Rows per batch the merge task reads the previous round's files in (ReadProjectedFile).
constexpr int64_t kCompactedBatchRows = int64_t{64} * 1024;
/// Decoded input files held at once while materializing.
constexpr int kDecodedFilesInMemory = 2;

/// Runs fn(0) ... fn(n - 1) on up to `threads` threads (the caller's included), claiming items
/// in order; after the first failure no further item starts and that failure is returned.
Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  Status first = Status::OK();
  auto work = [&]() {
    while (!failed.load()) {
      const size_t i = next.fetch_add(1);
      if (i >= n) return;
      Status status = fn(i);
      if (!status.ok()) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failed.exchange(true)) first = std::move(status);
      }
    }
  };
  std::vector<std::thread> workers;
  const size_t extra = std::min<size_t>(n, static_cast<size_t>(std::max(threads, 1))) - (n > 0);
  workers.reserve(extra);
  for (size_t t = 0; t < extra; ++t) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  return first;
}

/// One data file of the round, read twice: merge keys first, every column at the end.
struct InputUnit {
  CompactionInputFile file;
  int64_t batch_rows = 0;     ///< rows per batch, as the ordinary path reads the file
  bool new_delta = false;     ///< a new delta's file (not the previous round's)
  std::vector<int64_t> rows;  ///< rows of every non-empty batch (from the key read)
};

/// The merge-key columns of one batch of a new delta's file, grouped by hash bucket.
struct KeyBatch {
  std::shared_ptr<arrow::Table> keys;
  BucketGroups<int32_t> groups;
};

/// Winners of one bucket in one batch of one input file, at most one output batch of them.
struct WinnerGroup {
  uint32_t batch = 0;
  std::vector<int32_t> rows;  ///< batch rows, ascending
};

/// A bucket's winners in one input file, in output order.
struct UnitWinners {
  size_t unit = 0;
  std::vector<WinnerGroup> groups;
};

/// The keys-only merge of one bucket: its statistics and winners by input file, ascending.
struct BucketMerge {
  MergeStats stats;
  std::vector<UnitWinners> winners;
  bool has_rows = false;  ///< the bucket had input rows (Python then writes an empty file)
};

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenKeys(const CompactionContext& ctx,
                                                           arrow::fs::FileSystem& fs,
                                                           const InputUnit& unit, bool stream_reads,
                                                           bool* has_every_column) {
  return OpenParquetColumns(fs, unit.file, ctx.schema.arrow(), ctx.merge_keys, unit.batch_rows,
                            stream_reads, has_every_column);
}

/// Calls `on_batch(batch)` for every non-empty batch `reader` gives; errors name `path`.
template <typename OnBatch>
Status ForEachBatch(arrow::RecordBatchReader& reader, const std::string& path, OnBatch&& on_batch) {
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    auto status = reader.ReadNext(&batch);
    if (!status.ok()) return FromArrowStatus(status).WithContext(path);
    if (batch == nullptr) return Status::OK();
    if (batch->num_rows() == 0) continue;
    DC_RETURN_NOT_OK(on_batch(std::move(batch)));
  }
}

/// Reads the merge keys of a new delta's file and buckets its rows.
Status ReadDeltaKeys(const CompactionContext& ctx, arrow::fs::FileSystem& fs, InputUnit& unit,
                     int32_t buckets, bool stream_reads, std::vector<KeyBatch>* out,
                     bool* has_every_column) {
  DC_ASSIGN_OR_RAISE(auto reader, OpenKeys(ctx, fs, unit, stream_reads, has_every_column));
  if (!*has_every_column) return Status::OK();
  return ForEachBatch(
      *reader, unit.file.path, [&](const std::shared_ptr<arrow::RecordBatch>& batch) -> Status {
        DC_ASSIGN_OR_RAISE(auto bucket_of, ComputeHashBuckets(*batch, ctx.merge_keys, buckets));
        DC_ASSIGN_OR_RAISE(auto groups, GroupRowsByBucket<int32_t>(*bucket_of, buckets));
        unit.rows.push_back(batch->num_rows());
        DC_ASSIGN_OR_RAISE(auto keys, arrow::Table::FromRecordBatches({batch}));
        out->push_back(KeyBatch{std::move(keys), std::move(groups)});
        return Status::OK();
      });
}

MergeSlice KeySlice(const MergeTaskInput& input, std::shared_ptr<arrow::Table> table,
                    std::shared_ptr<arrow::Int32Array> selection = nullptr) {
  MergeSlice slice;
  slice.stream_position = input.stream_position;
  slice.kind =
      input.kind == MergeTaskInput::Kind::kAppend ? SliceKind::kAppend : SliceKind::kUpsert;
  slice.compacted = input.kind == MergeTaskInput::Kind::kCompacted;
  slice.table = std::move(table);
  slice.selection = std::move(selection);
  return slice;
}

/// A DELETE file's rows as the bucket merges apply them. Deletes matching on exactly the merge
/// keys can only hit rows of their own key's bucket, so each bucket gets its rows alone instead
/// of every bucket looking up every delete row; other deletes go to every bucket.
struct DeleteFile {
  std::vector<std::string> delete_columns;  ///< the file's delete columns that it has
  std::shared_ptr<arrow::Table> all;        ///< every bucket applies it (null: by_bucket)
  std::vector<std::shared_ptr<arrow::Table>> by_bucket;  ///< [bucket]; null when none
};

/// What the keys-only merges share.
struct RoundState {
  const CompactionContext& ctx;
  arrow::fs::FileSystem& fs;
  const TaskSizing& sizing;
  MergeOptions key_options;
  std::vector<InputUnit> units;
  /// delta_units[t][j]: the unit of file j of hash-bucket task t.
  std::vector<std::vector<size_t>> delta_units;
  /// Key batches of every new delta's unit (empty for the previous round's files).
  std::vector<std::vector<KeyBatch>> delta_keys;
  /// Every DELETE file of the round, read once (ReadDeletes), by path.
  std::map<std::string, DeleteFile> deletes;
};

/// Reads a DELETE file's delete columns once and, when it deletes by exactly the merge keys,
/// splits its rows by hash bucket (the bucket formula the new rows went through).
Result<DeleteFile> ReadDeletes(const RoundState& round, const CompactionInputFile& file,
                               const std::vector<std::string>& delete_columns, int32_t buckets) {
  DeleteFile deletes;
  DC_ASSIGN_OR_RAISE(auto table, ReadProjectedFile(round.fs, file, round.ctx.schema.arrow(),
                                                   delete_columns, round.sizing.stream_reads));
  deletes.by_bucket.resize(static_cast<size_t>(buckets));
  if (table->num_columns() == 0) return deletes;  // no delete column is a table column: a no-op
  for (const auto& name : delete_columns) {
    if (table->schema()->GetFieldIndex(name) >= 0) deletes.delete_columns.push_back(name);
  }
  // What the kernel matches on: the delete columns the file has (else the merge keys).
  std::set<std::string> matched(deletes.delete_columns.begin(), deletes.delete_columns.end());
  if (matched.empty()) matched.insert(round.ctx.merge_keys.begin(), round.ctx.merge_keys.end());
  const std::set<std::string> keys(round.ctx.merge_keys.begin(), round.ctx.merge_keys.end());
  bool by_key = matched == keys;
  for (const auto& key : round.ctx.merge_keys) by_key = by_key && table->GetColumnByName(key);
  if (!by_key || table->num_rows() == 0) {
    deletes.all = std::move(table);
    return deletes;
  }
  DC_ASSIGN_OR_RAISE(auto split, SplitByHashBucket(table, round.ctx.merge_keys, buckets));
  for (size_t b = 0; b < split.size(); ++b) {
    if (split[b]->num_rows() > 0) deletes.by_bucket[b] = std::move(split[b]);
  }
  return deletes;
}

/// Merges the keys of `task`'s bucket. Sets `*has_every_column` false (and returns early) when a
/// previous-round file lacks a column.
Result<BucketMerge> MergeBucketKeys(RoundState& round, const MergeTask& task,
                                    const std::vector<size_t>& compacted_units,
                                    bool* has_every_column) {
  BucketMerge merge;
  DC_ASSIGN_OR_RAISE(auto stream, MergeStream::Make(round.key_options));
  for (const MergeTaskInput& input : task.inputs) {
    if (input.kind == MergeTaskInput::Kind::kDelete) continue;
    merge.has_rows = merge.has_rows || !input.files.empty() || !input.spills.empty();
  }
  stream->Reserve(AnnouncedUpsertRows(task));
  // origin[slice]: (unit, batch) of every slice added; deletes get none.
  std::vector<std::pair<size_t, uint32_t>> origin;
  constexpr auto kNoOrigin = std::pair<size_t, uint32_t>{SIZE_MAX, 0};
  size_t next_compacted = 0;
  for (const MergeTaskInput& input : task.inputs) {
    if (input.kind == MergeTaskInput::Kind::kDelete) {
      for (const CompactionInputFile& file : input.files) {
        const auto found = round.deletes.find(file.path);
        if (found == round.deletes.end()) {
          return MakeError(ErrorCode::kInternal, "delete file ", file.path, " was not read");
        }
        const DeleteFile& deletes = found->second;
        std::shared_ptr<arrow::Table> table = deletes.all;
        if (table == nullptr) table = deletes.by_bucket.at(static_cast<size_t>(task.hash_bucket));
        if (table == nullptr) continue;  // no delete row of this bucket, or no delete column
        MergeSlice slice;
        slice.stream_position = input.stream_position;
        slice.kind = SliceKind::kDelete;
        slice.delete_columns = deletes.delete_columns;
        slice.table = std::move(table);
        DC_RETURN_NOT_OK(stream->Add(std::move(slice)));
        origin.push_back(kNoOrigin);
      }
      continue;
    }
    if (input.kind == MergeTaskInput::Kind::kCompacted) {
      for (size_t f = 0; f < input.files.size(); ++f) {
        const size_t u = compacted_units.at(next_compacted++);
        InputUnit& unit = round.units[u];
        DC_ASSIGN_OR_RAISE(auto reader, OpenKeys(round.ctx, round.fs, unit,
                                                 round.sizing.stream_reads, has_every_column));
        if (!*has_every_column) return merge;
        DC_RETURN_NOT_OK(
            ForEachBatch(*reader, unit.file.path,
                         [&](const std::shared_ptr<arrow::RecordBatch>& batch) -> Status {
                           origin.emplace_back(u, static_cast<uint32_t>(unit.rows.size()));
                           unit.rows.push_back(batch->num_rows());
                           DC_ASSIGN_OR_RAISE(auto keys, arrow::Table::FromRecordBatches({batch}));
                           return stream->Add(KeySlice(input, std::move(keys)));
                         }));
      }
      continue;
    }
    for (const SpillRun& run : input.spills) {
      const auto t = static_cast<size_t>(std::stoll(run.path));
      for (size_t u : round.delta_units.at(t)) {
        const std::vector<KeyBatch>& batches = round.delta_keys[u];
        for (size_t b = 0; b < batches.size(); ++b) {
          const KeyBatch& keys = batches[b];
          const int64_t count = keys.groups.count(task.hash_bucket);
          if (count == 0) continue;
          std::shared_ptr<arrow::Int32Array> selection;
          if (count < keys.keys->num_rows()) selection = keys.groups.Rows(task.hash_bucket);
          DC_RETURN_NOT_OK(stream->Add(KeySlice(input, keys.keys, std::move(selection))));
          origin.emplace_back(u, static_cast<uint32_t>(b));
        }
      }
    }
  }
  DC_ASSIGN_OR_RAISE(std::vector<WinningRows> winners, stream->FinishWinners());
  merge.stats = stream->stats();
  for (WinningRows& won : winners) {
    const auto [u, batch] = origin.at(won.slice);
    if (u == SIZE_MAX) return MakeError(ErrorCode::kInternal, "a delete slice has winners");
    if (merge.winners.empty() || merge.winners.back().unit != u) {
      if (!merge.winners.empty() && merge.winners.back().unit > u) {
        return MakeError(ErrorCode::kInternal, "winners of hash bucket ", task.hash_bucket,
                         " out of input order");
      }
      merge.winners.push_back(UnitWinners{u, {}});
    }
    auto& groups = merge.winners.back().groups;
    const auto n = static_cast<int64_t>(won.rows.size());
    for (int64_t begin = 0; begin < n; begin += kOutputBatchRows) {
      const int64_t end = std::min(n, begin + kOutputBatchRows);
      groups.push_back(WinnerGroup{
          batch, std::vector<int32_t>(won.rows.begin() + begin, won.rows.begin() + end)});
    }
    won.rows = {};
  }
  return merge;
}

/// Decodes every input file once and writes each bucket's winners, in order, to the bucket's
/// output files, on `threads` threads: a worker writes the earliest decoded file some idle
/// bucket still needs, or else decodes the next file when fewer than kDecodedFilesInMemory are
/// held. A bucket's writes happen in file order, so the output does not depend on the threads.
class Materializer {
 public:
  Materializer(RoundState& round, std::vector<BucketMerge>& merges,
               std::vector<std::unique_ptr<MergeOutputFiles>>& outputs)
      : round_(round), merges_(merges), outputs_(outputs) {
    files_.resize(round.units.size());
    cursor_.assign(merges.size(), 0);
    for (size_t i = 0; i < merges.size(); ++i) {
      for (const UnitWinners& winners : merges[i].winners) ++files_[winners.unit].remaining;
      if (!merges[i].winners.empty()) {
        files_[merges[i].winners.front().unit].waiting.push_back(i);
        ++unfinished_;
      }
    }
  }

  Result<int64_t> Run(int threads) {
    std::vector<std::thread> workers;
    for (int t = 1; t < std::max(threads, 1); ++t) workers.emplace_back([this] { Work(); });
    Work();
    for (auto& worker : workers) worker.join();
    if (!failure_.ok()) return failure_;
    return input_bytes_;
  }

 private:
  struct DecodedFile {
    size_t remaining = 0;  ///< buckets that have not written their rows of it yet
    bool decoded = false;
    std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
    std::vector<size_t> waiting;  ///< idle buckets that write this file next, before it is decoded
  };

  /// Whether unit `u` must be read at all: some bucket has winners there, or its decoded bytes
  /// count as the round's input.
  bool Needed(size_t u) const { return files_[u].remaining > 0 || round_.units[u].new_delta; }

  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (failure_.ok()) {
      // 1. The earliest decoded file an idle bucket writes next.
      if (!ready_.empty()) {
        const auto [u, i] = *ready_.begin();
        ready_.erase(ready_.begin());
        const UnitWinners& winners = merges_[i].winners[cursor_[i]];
        const DecodedFile& file = files_[u];
        lock.unlock();
        Status status = WriteWinners(i, winners, file);
        lock.lock();
        Finish(status);
        if (++cursor_[i] < merges_[i].winners.size()) {
          const size_t next = merges_[i].winners[cursor_[i]].unit;
          if (files_[next].decoded) {
            ready_.emplace(next, i);
          } else {
            files_[next].waiting.push_back(i);
          }
        } else {
          --unfinished_;
        }
        Release(u);
        cv_.notify_all();
        continue;
      }
      // 2. The next file to decode.
      while (next_decode_ < files_.size() && !Needed(next_decode_)) ++next_decode_;
      if (next_decode_ < files_.size() && held_ < kDecodedFilesInMemory) {
        const size_t u = next_decode_++;
        ++held_;
        lock.unlock();
        std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
        int64_t bytes = 0;
        Status status = Decode(round_.units[u], &batches, &bytes);
        lock.lock();
        Finish(status);
        input_bytes_ += bytes;
        DecodedFile& file = files_[u];
        file.batches = std::move(batches);
        file.decoded = true;
        for (size_t i : file.waiting) ready_.emplace(u, i);
        file.waiting.clear();
        if (file.remaining == 0) {
          file.batches.clear();
          --held_;
        }
        cv_.notify_all();
        continue;
      }
      // 3. Done, or wait for another worker.
      if (next_decode_ >= files_.size() && unfinished_ == 0) break;
      cv_.wait(lock);
    }
    cv_.notify_all();
  }

  void Finish(const Status& status) {
    if (!status.ok() && failure_.ok()) failure_ = status;
  }

  void Release(size_t u) {
    if (--files_[u].remaining == 0) {
      files_[u].batches.clear();
      --held_;
    }
  }

  /// Reads every column of `unit` in the batches its keys were read in.
  Status Decode(const InputUnit& unit, std::vector<std::shared_ptr<arrow::RecordBatch>>* out,
                int64_t* bytes) const {
    DC_ASSIGN_OR_RAISE(auto reader,
                       OpenProjectedFile(round_.fs, unit.file, round_.ctx.schema.arrow(), {},
                                         unit.batch_rows, round_.sizing.stream_reads));
    DC_RETURN_NOT_OK(ForEachBatch(*reader, unit.file.path,
                                  [&](std::shared_ptr<arrow::RecordBatch> batch) -> Status {
                                    if (unit.new_delta) *bytes += BatchBytes(*batch);
                                    out->push_back(std::move(batch));
                                    return Status::OK();
                                  }));
    bool same = out->size() == unit.rows.size();
    for (size_t b = 0; same && b < out->size(); ++b) same = (*out)[b]->num_rows() == unit.rows[b];
    // Rows are located by (batch, row) of the key read, so both reads must batch alike.
    if (!same && !unit.rows.empty()) {
      return MakeError(ErrorCode::kInternal, "compaction input ", unit.file.path,
                       " was read in different batches with all columns than with its keys");
    }
    return Status::OK();
  }

  Status WriteWinners(size_t i, const UnitWinners& winners, const DecodedFile& file) const {
    MergeOutputFiles& out = *outputs_[i];
    for (const WinnerGroup& group : winners.groups) {
      if (group.batch >= file.batches.size()) {
        return MakeError(ErrorCode::kInternal, "winner batch ", group.batch, " of ",
                         round_.units[winners.unit].file.path, " does not exist");
      }
      const auto& batch = file.batches[group.batch];
      const auto n = static_cast<int64_t>(group.rows.size());
      if (group.rows.back() - group.rows.front() + 1 == n) {
        DC_RETURN_NOT_OK(out.Write(batch->Slice(group.rows.front(), n)));
        continue;
      }
      auto indices = std::make_shared<arrow::Int32Array>(
          n, arrow::Buffer::Wrap(group.rows.data(), group.rows.size()));
      // Rows of this batch by construction (its key read had the same batches, checked in
      // Decode), so Take skips checking every column's indices again.
      DC_ASSIGN_OR_RAISE(arrow::Datum taken,
                         arrow::compute::Take(arrow::Datum(batch), arrow::Datum(indices),
                                              arrow::compute::TakeOptions::NoBoundsCheck()));
      DC_RETURN_NOT_OK(out.Write(taken.record_batch()));
    }
    return Status::OK();
  }

  RoundState& round_;
  std::vector<BucketMerge>& merges_;
  std::vector<std::unique_ptr<MergeOutputFiles>>& outputs_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<DecodedFile> files_;
  std::vector<size_t> cursor_;  ///< per bucket: its next entry of winners
  /// (file, bucket): idle buckets whose next file is decoded, earliest file first.
  std::set<std::pair<size_t, size_t>> ready_;
  size_t unfinished_ = 0;  ///< buckets with winners left to write
  size_t next_decode_ = 0;
  int held_ = 0;
  int64_t input_bytes_ = 0;
  Status failure_ = Status::OK();
};

}  // namespace

bool LateMaterializationApplies(const CompactionContext& ctx, const std::vector<InputDelta>& deltas,
                                const std::optional<PreviousRound>& previous,
                                const FileSystemLocation& catalog, const MergeSettings& settings) {
  if (ctx.merge_keys.empty() || !settings.drop_duplicates || !ctx.sort_keys.empty() ||
      settings.provided_columns.has_value()) {
    return false;
  }
  auto parquet = [](const CompactionInputFile& file) {
    return file.content_type == ContentType::kParquet &&
           file.content_encoding == ContentEncoding::kIdentity;
  };
  const arrow::Schema& schema = *ctx.schema.arrow();
  for (const InputDelta& delta : deltas) {
    if (delta.type != storage::DeltaType::kDelete) {
      if (!std::all_of(delta.files.begin(), delta.files.end(), parquet)) return false;
      continue;
    }
    // The merge kernel matches the delete columns that are table columns (the merge keys when
    // a delete file has none of them); keys-only merges see the merge keys alone.
    for (const auto& name : delta.delete_columns) {
      if (schema.GetFieldIndex(name) < 0) continue;
      if (std::find(ctx.merge_keys.begin(), ctx.merge_keys.end(), name) == ctx.merge_keys.end()) {
        return false;
      }
    }
  }
  if (previous && previous->manifest.entries) {
    for (const auto& entry : *previous->manifest.entries) {
      if (!parquet(InputFileOf(catalog, entry))) return false;
    }
  }
  return true;
}

Result<std::optional<LateMaterializedRound>> RunLateMaterializedRound(
    const CompactionContext& ctx, const std::vector<InputDelta>& deltas,
    const std::optional<PreviousRound>& previous, const FileSystemLocation& catalog,
    const std::vector<PlannedHashBucketTask>& tasks, const TaskSizing& sizing,
    const MergeSettings& settings, int parallelism) {
  const auto hash_bucket_started = Clock::now();
  LateMaterializedRound late;
  const int32_t buckets = sizing.hash_bucket_count;
  RoundState round{ctx, *catalog.fs, sizing, {}, {}, {}, {}};
  {
    MergeOptions& options = round.key_options;
    std::vector<std::shared_ptr<arrow::Field>> fields;
    for (const auto& field : ctx.schema.arrow()->fields()) {
      if (std::find(ctx.merge_keys.begin(), ctx.merge_keys.end(), field->name()) !=
          ctx.merge_keys.end()) {
        fields.push_back(field);
      }
    }
    options.output_schema = arrow::schema(std::move(fields));
    options.merge_keys = ctx.merge_keys;
    options.drop_duplicates = true;
  }

  // --- Keys of the new deltas, by bucket ------------------------------------------------------
  round.delta_units.resize(tasks.size());
  std::vector<size_t> delta_unit_list;
  for (size_t t = 0; t < tasks.size(); ++t) {
    const int64_t batch_rows = HashBucketBatchRows(tasks[t].task);
    for (const CompactionInputFile& file : tasks[t].task.files) {
      round.delta_units[t].push_back(round.units.size());
      delta_unit_list.push_back(round.units.size());
      round.units.push_back(InputUnit{file, batch_rows, true, {}});
    }
  }
  // Largest files first, so that the step does not end on one thread reading a large file
  // (longest-first scheduling). Results go by unit, so the order changes nothing else.
  std::stable_sort(delta_unit_list.begin(), delta_unit_list.end(), [&](size_t a, size_t b) {
    return round.units[a].file.record_count > round.units[b].file.record_count;
  });
  round.delta_keys.resize(round.units.size());
  std::vector<uint8_t> complete(round.units.size(), 1);
  DC_RETURN_NOT_OK(ParallelFor(delta_unit_list.size(), parallelism, [&](size_t i) -> Status {
    const size_t u = delta_unit_list[i];
    bool has_every_column = true;
    DC_RETURN_NOT_OK(ReadDeltaKeys(ctx, round.fs, round.units[u], buckets, sizing.stream_reads,
                                   &round.delta_keys[u], &has_every_column));
    complete[u] = has_every_column ? 1 : 0;
    return Status::OK();
  }));
  if (std::find(complete.begin(), complete.end(), 0) != complete.end()) {
    return std::optional<LateMaterializedRound>();
  }

  // The hash-bucket results the planner needs: which buckets every task has rows of. A run's
  // path names its task, so that the merges find the task's key batches.
  std::vector<HashBucketResult> results(tasks.size());
  for (size_t t = 0; t < tasks.size(); ++t) {
    std::map<int32_t, int64_t> rows_of;
    for (size_t u : round.delta_units[t]) {
      for (const KeyBatch& batch : round.delta_keys[u]) {
        late.input_rows += batch.keys->num_rows();
        for (int32_t b = 0; b < buckets; ++b) {
          if (const int64_t count = batch.groups.count(b); count > 0) rows_of[b] += count;
        }
      }
    }
    for (const auto& [bucket, rows] : rows_of) {
      results[t].buckets.emplace_back(bucket,
                                      std::vector<SpillRun>{{std::to_string(t), {}, rows, 0}});
    }
  }
  late.plan = PlanMerges(ctx, deltas, previous, catalog, tasks, results, sizing, settings);
  late.hash_bucket_seconds = SecondsSince(hash_bucket_started);

  // --- Keys-only merges ----------------------------------------------------------------------
  const auto merge_started = Clock::now();
  // The previous round's files come first in the round's file order: each belongs to one bucket.
  const std::vector<MergeTask>& merge_tasks = late.plan.merge_tasks;
  std::vector<std::vector<size_t>> compacted_units(merge_tasks.size());
  {
    std::vector<InputUnit> units;
    for (size_t i = 0; i < merge_tasks.size(); ++i) {
      for (const MergeTaskInput& input : merge_tasks[i].inputs) {
        if (input.kind != MergeTaskInput::Kind::kCompacted) continue;
        for (const CompactionInputFile& file : input.files) {
          compacted_units[i].push_back(units.size());
          units.push_back(InputUnit{file, kCompactedBatchRows, false, {}});
        }
      }
    }
    const size_t shift = units.size();
    for (auto& list : round.delta_units) {
      for (size_t& u : list) u += shift;
    }
    std::vector<std::vector<KeyBatch>> delta_keys(shift);
    for (auto& keys : round.delta_keys) delta_keys.push_back(std::move(keys));
    round.delta_keys = std::move(delta_keys);
    for (InputUnit& unit : round.units) units.push_back(std::move(unit));
    round.units = std::move(units);
  }
  {
    // Every DELETE file once (every bucket's merge lists the same ones).
    std::vector<std::pair<const CompactionInputFile*, const std::vector<std::string>*>> files;
    std::set<std::string> seen;
    for (const MergeTask& task : merge_tasks) {
      for (const MergeTaskInput& input : task.inputs) {
        if (input.kind != MergeTaskInput::Kind::kDelete) continue;
        for (const CompactionInputFile& file : input.files) {
          if (seen.insert(file.path).second) files.emplace_back(&file, &input.delete_columns);
        }
      }
    }
    std::vector<DeleteFile> read(files.size());
    DC_RETURN_NOT_OK(ParallelFor(files.size(), parallelism, [&](size_t i) -> Status {
      DC_ASSIGN_OR_RAISE(read[i], ReadDeletes(round, *files[i].first, *files[i].second, buckets));
      return Status::OK();
    }));
    for (size_t i = 0; i < files.size(); ++i) {
      round.deletes.emplace(files[i].first->path, std::move(read[i]));
    }
  }
  std::vector<BucketMerge> merges(merge_tasks.size());
  complete.assign(merge_tasks.size(), 1);
  // Largest buckets first (longest-first scheduling, as for the key reads).
  std::vector<size_t> merge_order(merge_tasks.size());
  {
    std::vector<int64_t> rows(merge_tasks.size());
    for (size_t i = 0; i < merge_tasks.size(); ++i) rows[i] = AnnouncedUpsertRows(merge_tasks[i]);
    std::iota(merge_order.begin(), merge_order.end(), 0);
    std::stable_sort(merge_order.begin(), merge_order.end(),
                     [&](size_t a, size_t b) { return rows[a] > rows[b]; });
  }
  DC_RETURN_NOT_OK(ParallelFor(merge_tasks.size(), parallelism, [&](size_t k) -> Status {
    const size_t i = merge_order[k];
    bool has_every_column = true;
    auto merged = MergeBucketKeys(round, merge_tasks[i], compacted_units[i], &has_every_column);
    if (!merged.ok()) {
      return merged.status().WithContext("merge of hash bucket " +
                                         std::to_string(merge_tasks[i].hash_bucket));
    }
    merges[i] = std::move(*merged);
    complete[i] = has_every_column ? 1 : 0;
    return Status::OK();
  }));
  if (std::find(complete.begin(), complete.end(), 0) != complete.end()) {
    return std::optional<LateMaterializedRound>();
  }
  round.delta_keys.clear();  // the keys are merged: only the winners are needed from here on

  // --- Materialize ---------------------------------------------------------------------------
  std::vector<std::unique_ptr<MergeOutputFiles>> outputs;
  if (!merge_tasks.empty()) DC_RETURN_NOT_OK(EnsureDir(round.fs, settings.output_dir));
  for (const MergeTask& task : merge_tasks) {
    DC_ASSIGN_OR_RAISE(auto out, MergeOutputFiles::Open(round.fs, ctx.schema.arrow(), task));
    outputs.push_back(std::move(out));
  }
  auto abort = [&]() {
    for (auto& out : outputs) out->Abort();
  };
  Materializer materializer(round, merges, outputs);
  auto input_bytes = materializer.Run(parallelism);
  if (!input_bytes.ok()) {
    abort();
    return input_bytes.status();
  }
  late.input_bytes = *input_bytes;
  // Closing a bucket's writer encodes its last row group: the round's last work, on every
  // thread rather than one bucket after another.
  std::vector<std::vector<MergedFile>> closed(merge_tasks.size());
  Status closing = ParallelFor(merge_tasks.size(), parallelism, [&](size_t i) -> Status {
    auto files = outputs[i]->Close(merge_tasks[i].write_empty_file && merges[i].has_rows);
    if (!files.ok()) {
      return files.status().WithContext("merge of hash bucket " +
                                        std::to_string(merge_tasks[i].hash_bucket));
    }
    closed[i] = std::move(*files);
    return Status::OK();
  });
  if (!closing.ok()) {
    abort();
    return closing;
  }
  for (size_t i = 0; i < merge_tasks.size(); ++i) {
    MergeTaskResult result;
    result.hash_bucket = merge_tasks[i].hash_bucket;
    result.stats = merges[i].stats;
    result.files = std::move(closed[i]);
    late.results.push_back(std::move(result));
  }
  late.merge_seconds = SecondsSince(merge_started);
  return std::optional<LateMaterializedRound>(std::move(late));
}

}  // namespace deltacat::compute
