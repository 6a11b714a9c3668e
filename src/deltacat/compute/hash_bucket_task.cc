#include "deltacat/compute/hash_bucket_task.h"

#include <algorithm>

#include <map>
#include <utility>

#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/datum.h>
#include <arrow/io/file.h>
#include <arrow/ipc/reader.h>
#include <arrow/ipc/writer.h>
#include <arrow/record_batch.h>

#include "deltacat/compute/compaction_input.h"
#include "deltacat/compute/hash_bucket.h"
#include "deltacat/compute/memory_spill.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/schema.h"

namespace deltacat::compute {
namespace {

/// The bucket of every row: Python's formula over the merge keys, or round-robin from
/// `*next_row` for tables without merge keys.
Result<std::shared_ptr<arrow::Int32Array>> BucketsOf(const arrow::RecordBatch& batch,
                                                     const HashBucketTask& task,
                                                     int64_t* next_row) {
  if (!task.merge_keys.empty()) {
    return ComputeHashBuckets(batch, task.merge_keys, task.hash_bucket_count);
  }
  const int64_t rows = batch.num_rows();
  DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Buffer> buffer,
                     arrow::AllocateBuffer(rows * static_cast<int64_t>(sizeof(int32_t))));
  auto* out = reinterpret_cast<int32_t*>(buffer->mutable_data());
  for (int64_t row = 0; row < rows; ++row) {
    out[row] = static_cast<int32_t>((*next_row + row) % task.hash_bucket_count);
  }
  *next_row += rows;
  return std::make_shared<arrow::Int32Array>(rows, std::move(buffer));
}

}  // namespace

int64_t HashBucketBatchRows(const HashBucketTask& task) {
  int64_t rows = 0;
  int64_t bytes = 0;
  for (const auto& file : task.files) {
    rows += file.record_count;
    bytes += file.estimated_arrow_bytes;
  }
  const int64_t row_bytes = rows > 0 && bytes > 0 ? std::max<int64_t>(bytes / rows, 1) : 100;
  return std::clamp<int64_t>(task.chunk_bytes / row_bytes, int64_t{4} << 10, int64_t{1} << 20);
}

namespace {

/// Where the bucketed batches go: an Arrow IPC file, or the process's MemorySpillStore.
class SpillFile {
 public:
  static Result<std::unique_ptr<SpillFile>> Open(arrow::fs::FileSystem& fs, std::string path,
                                                 const std::shared_ptr<arrow::Schema>& schema,
                                                 bool in_memory) {
    auto file = std::unique_ptr<SpillFile>(new SpillFile());
    file->path_ = std::move(path);
    if (in_memory) return file;
    DC_RETURN_NOT_OK(EnsureDir(fs, std::string(ParentPath(file->path_))));
    DC_ASSIGN_OR_RAISE(file->stream_, fs.OpenOutputStream(file->path_));
    DC_ASSIGN_OR_RAISE(file->writer_, arrow::ipc::MakeFileWriter(file->stream_, schema));
    return file;
  }

  const std::string& path() const { return path_; }

  /// Appends `batch`; returns its index in the file.
  Result<int32_t> Write(SelectedBatch batch) {
    if (writer_ == nullptr) return MemorySpillStore::Global().Append(path_, std::move(batch));
    DC_ASSIGN_OR_RAISE(auto rows, batch.Materialize());
    DC_RETURN_NOT_OK(writer_->WriteRecordBatch(*rows));
    return next_batch_++;
  }

  Status Close() {
    if (writer_ == nullptr) return Status::OK();
    DC_RETURN_NOT_OK(writer_->Close());
    DC_RETURN_NOT_OK(stream_->Close());
    return Status::OK();
  }

 private:
  SpillFile() = default;
  std::string path_;
  std::shared_ptr<arrow::io::OutputStream> stream_;
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer_;
  int32_t next_batch_ = 0;
};

/// Accumulates input batches of one column layout up to a batch's worth of rows, and spills
/// them by bucket: every bucket's rows of the chunk are gathered once (a Take per input batch,
/// concatenated only when the chunk had several) into a record batch of their own, so a bucket's
/// memory is freed as soon as its merge is done with it.
class BucketSpiller {
 public:
  BucketSpiller(const HashBucketTask& task, arrow::fs::FileSystem& fs, int64_t batch_rows)
      : task_(task), fs_(fs), batch_rows_(batch_rows) {}

  Status Add(std::shared_ptr<arrow::RecordBatch> batch) {
    if (pending_schema_ != nullptr && !pending_schema_->Equals(*batch->schema())) {
      DC_RETURN_NOT_OK(Flush());
      DC_RETURN_NOT_OK(CloseFile());
    }
    if (pending_schema_ == nullptr) pending_schema_ = batch->schema();
    pending_rows_ += batch->num_rows();
    pending_.push_back(std::move(batch));
    if (pending_rows_ >= batch_rows_) DC_RETURN_NOT_OK(Flush());
    return Status::OK();
  }

  /// Spills what is pending and closes the current file.
  Result<HashBucketResult> Finish() {
    DC_RETURN_NOT_OK(Flush());
    DC_RETURN_NOT_OK(CloseFile());
    HashBucketResult result;
    for (auto& [bucket, runs] : runs_) result.buckets.emplace_back(bucket, std::move(runs));
    result.spill_files = std::move(files_);
    return result;
  }

  /// Paths of every spill file created so far (for cleanup after a failure).
  const std::vector<std::string>& files() const { return files_; }

 private:
  Status Flush() {
    if (pending_.empty()) return Status::OK();
    std::vector<std::shared_ptr<arrow::RecordBatch>> pending = std::move(pending_);
    pending_.clear();
    pending_rows_ = 0;
    if (file_ == nullptr) {
      const std::string path =
          task_.spill_path_prefix + "-" + std::to_string(files_.size()) + ".arrow";
      files_.push_back(path);
      DC_ASSIGN_OR_RAISE(file_,
                         SpillFile::Open(fs_, path, pending_schema_, task_.keep_spills_in_memory));
    }
    if (task_.keep_spills_in_memory) return KeepSelections(pending);
    const int32_t n = task_.hash_bucket_count;
    // pieces[b]: bucket b's rows of each pending batch.
    std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> pieces(static_cast<size_t>(n));
    for (auto& batch : pending) {
      const int64_t rows = batch->num_rows();
      DC_ASSIGN_OR_RAISE(auto grouped, GroupByBucket<int64_t>(*batch));
      for (int32_t b = 0; b < n; ++b) {
        const int64_t count = grouped.count(b);
        if (count == 0) continue;
        if (count == rows) {
          pieces[b].push_back(batch);  // the whole batch is one bucket's: no copy
          continue;
        }
        // The grouping's rows are rows of this batch: no bounds check per column.
        DC_ASSIGN_OR_RAISE(arrow::Datum taken,
                           arrow::compute::Take(arrow::Datum(batch), arrow::Datum(grouped.Rows(b)),
                                                arrow::compute::TakeOptions::NoBoundsCheck()));
        pieces[b].push_back(taken.record_batch());
      }
      batch.reset();
    }
    pending.clear();

    for (int32_t b = 0; b < n; ++b) {
      if (pieces[b].empty()) continue;
      std::shared_ptr<arrow::RecordBatch> grouped;
      if (pieces[b].size() == 1) {
        grouped = std::move(pieces[b].front());
      } else {
        DC_ASSIGN_OR_RAISE(grouped, arrow::ConcatenateRecordBatches(pieces[b]));
      }
      pieces[b].clear();
      const int64_t count = grouped->num_rows();
      const int64_t bytes = BatchBytes(*grouped);
      DC_ASSIGN_OR_RAISE(int32_t index, file_->Write(SelectedBatch{std::move(grouped), nullptr}));
      AddToRun(b, index, count, bytes);
    }
    return Status::OK();
  }

  /// The in-memory form of Flush: no row is copied. Every bucket keeps each input batch with
  /// the indices of its rows; the merge reads them through the indices and copies only the rows
  /// that win, once, when it writes them.
  Status KeepSelections(const std::vector<std::shared_ptr<arrow::RecordBatch>>& pending) {
    for (const auto& batch : pending) {
      const int64_t rows = batch->num_rows();
      const int64_t batch_bytes = BatchBytes(*batch);
      DC_ASSIGN_OR_RAISE(auto grouped, GroupByBucket<int32_t>(*batch));
      for (int32_t b = 0; b < task_.hash_bucket_count; ++b) {
        const int64_t count = grouped.count(b);
        if (count == 0) continue;
        SelectedBatch selected{batch, nullptr};
        if (count < rows) selected.selection = grouped.Rows(b);
        DC_ASSIGN_OR_RAISE(int32_t index, file_->Write(std::move(selected)));
        AddToRun(b, index, count, batch_bytes * count / rows);
      }
    }
    return Status::OK();
  }

  /// `batch`'s rows grouped by bucket.
  template <typename Index>
  Result<BucketGroups<Index>> GroupByBucket(const arrow::RecordBatch& batch) {
    DC_ASSIGN_OR_RAISE(auto buckets, BucketsOf(batch, task_, &next_row_));
    return GroupRowsByBucket<Index>(*buckets, task_.hash_bucket_count);
  }

  void AddToRun(int32_t bucket, int32_t index, int64_t rows, int64_t bytes) {
    std::vector<SpillRun>& runs = runs_[bucket];
    if (runs.empty() || runs.back().path != file_->path()) {
      runs.push_back(SpillRun{file_->path(), {}, 0, 0});
    }
    SpillRun& run = runs.back();
    run.batches.push_back(index);
    run.rows += rows;
    run.bytes += bytes;
  }

  Status CloseFile() {
    if (file_ != nullptr) {
      DC_RETURN_NOT_OK(file_->Close());
      file_.reset();
    }
    pending_schema_.reset();
    return Status::OK();
  }

  const HashBucketTask& task_;
  arrow::fs::FileSystem& fs_;
  const int64_t batch_rows_;
  std::shared_ptr<arrow::Schema> pending_schema_;
  std::vector<std::shared_ptr<arrow::RecordBatch>> pending_;
  int64_t pending_rows_ = 0;
  int64_t next_row_ = 0;
  std::unique_ptr<SpillFile> file_;
  std::vector<std::string> files_;
  std::map<int32_t, std::vector<SpillRun>> runs_;
};

Result<HashBucketResult> Run(const HashBucketTask& task, arrow::fs::FileSystem& fs,
                             BucketSpiller& spiller, int64_t batch_rows) {
  DC_ASSIGN_OR_RAISE(storage::Schema schema, storage::Schema::Deserialize(task.schema));
  int64_t input_rows = 0;
  int64_t input_bytes = 0;
  for (const CompactionInputFile& file : task.files) {
    DC_ASSIGN_OR_RAISE(auto reader, OpenProjectedFile(fs, file, schema.arrow(), {}, batch_rows,
                                                      task.stream_reads));
    while (true) {
      std::shared_ptr<arrow::RecordBatch> batch;
      auto status = reader->ReadNext(&batch);
      if (!status.ok()) return FromArrowStatus(status).WithContext(file.path);
      if (batch == nullptr) break;
      if (batch->num_rows() == 0) continue;
      input_rows += batch->num_rows();
      input_bytes += BatchBytes(*batch);
      DC_RETURN_NOT_OK(spiller.Add(std::move(batch)));
    }
  }
  DC_ASSIGN_OR_RAISE(HashBucketResult result, spiller.Finish());
  result.input_rows = input_rows;
  result.input_bytes = input_bytes;
  return result;
}

}  // namespace

Result<HashBucketResult> RunHashBucketTask(const HashBucketTask& task) {
  if (task.hash_bucket_count < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "hash bucket count must be >= 1, got ",
                     task.hash_bucket_count);
  }
  DC_ASSIGN_OR_RAISE(FileSystemLocation catalog, ResolveTaskFileSystem(task.catalog));
  const int64_t batch_rows = HashBucketBatchRows(task);
  BucketSpiller spiller(task, *catalog.fs, batch_rows);
  auto result = Run(task, *catalog.fs, spiller, batch_rows);
  if (!result.ok()) {
    for (const std::string& path : spiller.files()) {
      if (task.keep_spills_in_memory) {
        MemorySpillStore::Global().RemoveUnder(path);
      } else {
        (void)DeleteFileIfExists(*catalog.fs, path);
      }
    }
  }
  return result;
}

Result<std::string> ExecuteHashBucketTask(std::string_view payload) {
  DC_ASSIGN_OR_RAISE(HashBucketTask task, DeserializeHashBucketTask(payload));
  DC_ASSIGN_OR_RAISE(HashBucketResult result, RunHashBucketTask(task));
  return SerializeHashBucketResult(result);
}

Result<std::vector<SelectedBatch>> ReadSpillRunBatches(arrow::fs::FileSystem& fs,
                                                       const SpillRun& run) {
  MemorySpillStore& store = MemorySpillStore::Global();
  if (store.Contains(run.path)) {
    DC_ASSIGN_OR_RAISE(auto batches, store.Take(run.path, run.batches));
    if (batches.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "empty spill run of ", run.path);
    }
    return batches;
  }
  std::shared_ptr<arrow::io::RandomAccessFile> file;
  if (fs.type_name() == "local") {
    DC_ASSIGN_OR_RAISE(file,
                       arrow::io::MemoryMappedFile::Open(run.path, arrow::io::FileMode::READ));
  } else {
    DC_ASSIGN_OR_RAISE(file, fs.OpenInputFile(run.path));
  }
  auto reader = arrow::ipc::RecordBatchFileReader::Open(file);
  if (!reader.ok()) return FromArrowStatus(reader.status()).WithContext("spill file " + run.path);
  std::vector<SelectedBatch> batches;
  batches.reserve(run.batches.size());
  for (int32_t index : run.batches) {
    if (index >= (*reader)->num_record_batches()) {
      return MakeError(ErrorCode::kInvalidArgument, "spill file ", run.path, " has no batch ",
                       index);
    }
    auto batch = (*reader)->ReadRecordBatch(index);
    if (!batch.ok()) return FromArrowStatus(batch.status()).WithContext("spill file " + run.path);
    batches.push_back(SelectedBatch{std::move(*batch), nullptr});
  }
  if (batches.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "empty spill run of ", run.path);
  }
  return batches;
}

Result<std::shared_ptr<arrow::Table>> ReadSpillRun(arrow::fs::FileSystem& fs, const SpillRun& run) {
  DC_ASSIGN_OR_RAISE(std::vector<SelectedBatch> selected, ReadSpillRunBatches(fs, run));
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  batches.reserve(selected.size());
  for (SelectedBatch& batch : selected) {
    DC_ASSIGN_OR_RAISE(auto rows, batch.Materialize());
    batch = SelectedBatch{};  // frees the input batch once no other bucket needs it
    batches.push_back(std::move(rows));
  }
  const auto schema = batches.front()->schema();
  DC_ASSIGN_OR_RAISE(auto table, arrow::Table::FromRecordBatches(schema, batches));
  return table;
}

int64_t EstimateHashBucketTaskBytes(const HashBucketTask& task) {
  int64_t input = 0;
  for (const auto& file : task.files) input += file.estimated_arrow_bytes;
  return 3 * std::max<int64_t>(std::min(input, task.chunk_bytes), int64_t{1} << 20);
}

}  // namespace deltacat::compute
