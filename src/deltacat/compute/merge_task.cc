#include "deltacat/compute/merge_task.h"

#include <algorithm>
#include <set>
#include <utility>

#include <arrow/array/concatenate.h>
#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <arrow/datum.h>
#include <arrow/io/file.h>
#include <arrow/ipc/reader.h>
#include <arrow/ipc/writer.h>

#include "deltacat/compute/compaction_input.h"
#include "deltacat/compute/hash_bucket.h"
#include "deltacat/compute/hash_bucket_task.h"
#include "deltacat/compute/key_encoding.h"
#include "deltacat/compute/manifest_statistics.h"
#include "deltacat/compute/memory_spill.h"
#include "deltacat/compute/merge_output.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/io/rolling_data_file_writer.h"
#include "deltacat/storage/schema.h"
#include "deltacat/util/uuid.h"

namespace deltacat::compute {
namespace {

/// Rows per batch read from inputs and handed to the writer.
constexpr int64_t kBatchRows = int64_t{64} * 1024;

SliceKind SliceKindOf(MergeTaskInput::Kind kind) {
  switch (kind) {
    case MergeTaskInput::Kind::kDelete: return SliceKind::kDelete;
    case MergeTaskInput::Kind::kAppend: return SliceKind::kAppend;
    default: return SliceKind::kUpsert;
  }
}

/// What the merge of one bucket needs besides its inputs.
struct MergeContext {
  const MergeTask& task;
  arrow::fs::FileSystem& fs;
  storage::Schema schema;
  MergeOptions options;
};

Result<MergeOptions> BuildMergeOptions(const MergeTask& task, const storage::Schema& schema) {
  MergeOptions options;
  options.output_schema = schema.arrow();
  options.merge_keys = task.merge_keys;
  options.sort_keys = task.sort_keys;
  options.drop_duplicates = task.drop_duplicates;
  for (const storage::SchemaField& field : schema.fields()) {
    if (!field.options.past_default.has_value()) continue;
    DC_ASSIGN_OR_RAISE(auto scalar, storage::DefaultValueToScalar(*field.options.past_default,
                                                                  field.arrow->type()));
    options.column_defaults.emplace(field.name(), std::move(scalar));
  }
  return options;
}

/// The slice for `table` (or the rows `selection` lists), one piece of input `input`.
MergeSlice MakeSlice(const MergeContext& ctx, const MergeTaskInput& input,
                     std::shared_ptr<arrow::Table> table,
                     std::shared_ptr<arrow::Int32Array> selection = nullptr) {
  MergeSlice slice;
  slice.stream_position = input.stream_position;
  slice.kind = SliceKindOf(input.kind);
  slice.compacted = input.kind == MergeTaskInput::Kind::kCompacted;
  if (input.kind == MergeTaskInput::Kind::kDelete) {
    for (const auto& name : input.delete_columns) {
      if (table->schema()->GetFieldIndex(name) >= 0) slice.delete_columns.push_back(name);
    }
  } else if (!slice.compacted && ctx.task.provided_columns.has_value()) {
    // Python's original_fields: columns outside it were not supplied by the writer (added by
    // schema coercion), so existing rows keep their values there.
    std::vector<std::string> provided;
    for (const auto& field : table->schema()->fields()) {
      const auto& name = field->name();
      const bool listed =
          std::find(ctx.task.provided_columns->begin(), ctx.task.provided_columns->end(), name) !=
          ctx.task.provided_columns->end();
      const bool key = std::find(ctx.task.merge_keys.begin(), ctx.task.merge_keys.end(), name) !=
                       ctx.task.merge_keys.end();
      if (listed || key) provided.push_back(name);
    }
    slice.provided_columns = std::move(provided);
  }
  slice.table = std::move(table);
  slice.selection = std::move(selection);
  return slice;
}

/// Reads the delete tables of a DELETE input (its delete columns only).
Result<std::vector<std::shared_ptr<arrow::Table>>> ReadDeleteTables(const MergeContext& ctx,
                                                                    const MergeTaskInput& input) {
  std::vector<std::shared_ptr<arrow::Table>> tables;
  for (const CompactionInputFile& file : input.files) {
    DC_ASSIGN_OR_RAISE(auto table, ReadProjectedFile(ctx.fs, file, ctx.schema.arrow(),
                                                     input.delete_columns, ctx.task.stream_reads));
    if (table->num_columns() == 0) continue;  // no delete column is a table column: a no-op
    tables.push_back(std::move(table));
  }
  return tables;
}

/// One piece of a non-delete input: a table, or the rows of it that `selection` lists.
struct InputPiece {
  std::shared_ptr<arrow::Table> table;
  std::shared_ptr<arrow::Int32Array> selection;
};

/// The pieces of a non-delete input: one per compacted file, one per spilled batch. In-memory
/// spills are read in place, through their row selections.
Result<std::vector<InputPiece>> ReadInputPieces(const MergeContext& ctx,
                                                const MergeTaskInput& input) {
  std::vector<InputPiece> pieces;
  for (const CompactionInputFile& file : input.files) {
    DC_ASSIGN_OR_RAISE(
        auto table, ReadProjectedFile(ctx.fs, file, ctx.schema.arrow(), {}, ctx.task.stream_reads));
    pieces.push_back(InputPiece{std::move(table), nullptr});
  }
  for (const SpillRun& run : input.spills) {
    DC_ASSIGN_OR_RAISE(std::vector<SelectedBatch> batches, ReadSpillRunBatches(ctx.fs, run));
    for (SelectedBatch& selected : batches) {
      DC_ASSIGN_OR_RAISE(auto table, arrow::Table::FromRecordBatches({selected.batch}));
      pieces.push_back(InputPiece{std::move(table), std::move(selected.selection)});
    }
  }
  return pieces;
}

void Accumulate(MergeStats& total, const MergeStats& part) {
  total.input_rows += part.input_rows;
  total.deduped_rows += part.deduped_rows;
  total.deleted_rows += part.deleted_rows;
  total.output_rows += part.output_rows;
}

/// Merges everything in memory (the bucket fits its budget).
Status MergeInMemory(const MergeContext& ctx, MergeOutputFiles& out, MergeStats& stats) {
  DC_ASSIGN_OR_RAISE(auto stream, MergeStream::Make(ctx.options));
  // Size the key index once for every row the spec announces (reserving input by input
  // would regrow it, and its entry vector, once per input).
  stream->Reserve(AnnouncedUpsertRows(ctx.task));
  for (const MergeTaskInput& input : ctx.task.inputs) {
    if (input.kind == MergeTaskInput::Kind::kDelete) {
      DC_ASSIGN_OR_RAISE(auto tables, ReadDeleteTables(ctx, input));
      for (auto& table : tables) DC_RETURN_NOT_OK(stream->Add(MakeSlice(ctx, input, table)));
      continue;
    }
    DC_ASSIGN_OR_RAISE(auto pieces, ReadInputPieces(ctx, input));
    for (auto& piece : pieces) {
      DC_RETURN_NOT_OK(
          stream->Add(MakeSlice(ctx, input, std::move(piece.table), std::move(piece.selection))));
    }
  }
  DC_ASSIGN_OR_RAISE(auto reader, stream->Finish(kBatchRows));
  Accumulate(stats, stream->stats());  // after Finish: the counts of the resolved merge
  return out.Write(*reader);
}

// --- Sub-partitioned merge (bounded memory) -------------------------------------------------

/// Where a piece of input `input` landed in one sub-partition file.
struct SubPiece {
  size_t input = 0;
  std::vector<std::string> columns;  // the piece's own columns (the rest are filler nulls)
  std::vector<int32_t> batches;
};

/// One sub-partition: an IPC file in the full output schema, and its pieces in input order.
struct SubPartition {
  std::string path;
  std::shared_ptr<arrow::io::OutputStream> stream;
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer;
  int32_t next_batch = 0;
  std::vector<SubPiece> pieces;
};

/// Reads the batches of a spill file's run one at a time, through buffered reads.
class SpillRunReader : public arrow::RecordBatchReader {
 public:
  static Result<std::shared_ptr<SpillRunReader>> Open(arrow::fs::FileSystem& fs,
                                                      const SpillRun& run) {
    DC_ASSIGN_OR_RAISE(auto file, fs.OpenInputFile(run.path));
    auto reader = arrow::ipc::RecordBatchFileReader::Open(file);
    if (!reader.ok()) return FromArrowStatus(reader.status()).WithContext("spill file " + run.path);
    for (int32_t index : run.batches) {
      if (index < 0 || index >= (*reader)->num_record_batches()) {
        return MakeError(ErrorCode::kInvalidArgument, "spill file ", run.path, " has no batch ",
                         index);
      }
    }
    return std::shared_ptr<SpillRunReader>(new SpillRunReader(std::move(*reader), run));
  }

  std::shared_ptr<arrow::Schema> schema() const override { return file_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    if (next_ >= run_.batches.size()) {
      batch->reset();
      return arrow::Status::OK();
    }
    ARROW_ASSIGN_OR_RAISE(*batch, file_->ReadRecordBatch(run_.batches[next_++]));
    return arrow::Status::OK();
  }

 private:
  SpillRunReader(std::shared_ptr<arrow::ipc::RecordBatchFileReader> file, const SpillRun& run)
      : file_(std::move(file)), run_(run) {}
  std::shared_ptr<arrow::ipc::RecordBatchFileReader> file_;
  const SpillRun& run_;
  size_t next_ = 0;
};

/// Splits the non-delete inputs of the bucket into `count` sub-partition files by merge-key
/// hash (round-robin without merge keys), streaming batch by batch.
class SubPartitioner {
 public:
  SubPartitioner(const MergeContext& ctx, int32_t count) : ctx_(ctx), parts_(count) {}

  Status Split() {
    const auto& schema = ctx_.schema.arrow();
    for (size_t p = 0; p < parts_.size(); ++p) {
      parts_[p].path =
          JoinPath(ctx_.task.spill_dir, "bucket-" + std::to_string(ctx_.task.hash_bucket) +
                                            "-part-" + std::to_string(p) + ".arrow");
    }
    DC_RETURN_NOT_OK(EnsureDir(ctx_.fs, ctx_.task.spill_dir));
    for (auto& part : parts_) {
      DC_ASSIGN_OR_RAISE(part.stream, ctx_.fs.OpenOutputStream(part.path));
      DC_ASSIGN_OR_RAISE(part.writer, arrow::ipc::MakeFileWriter(part.stream, schema));
    }
    for (size_t i = 0; i < ctx_.task.inputs.size(); ++i) {
      const MergeTaskInput& input = ctx_.task.inputs[i];
      if (input.kind == MergeTaskInput::Kind::kDelete) continue;
      for (const CompactionInputFile& file : input.files) {
        DC_ASSIGN_OR_RAISE(auto reader, OpenProjectedFile(ctx_.fs, file, schema, {}, kBatchRows,
                                                          ctx_.task.stream_reads));
        DC_RETURN_NOT_OK(SplitPiece(i, *reader));
      }
      for (const SpillRun& run : input.spills) {
        if (MemorySpillStore::Global().Contains(run.path)) {
          DC_ASSIGN_OR_RAISE(auto table, ReadSpillRun(ctx_.fs, run));
          arrow::TableBatchReader reader(*table);
          reader.set_chunksize(kBatchRows);
          DC_RETURN_NOT_OK(SplitPiece(i, reader));
          continue;
        }
        // A run on disk is one hash-bucket task's rows of the bucket, many batches: read
        // them one at a time (a memory map of the whole run would stay resident).
        DC_ASSIGN_OR_RAISE(auto reader, SpillRunReader::Open(ctx_.fs, run));
        DC_RETURN_NOT_OK(SplitPiece(i, *reader));
      }
    }
    for (auto& part : parts_) {
      DC_RETURN_NOT_OK(part.writer->Close());
      DC_RETURN_NOT_OK(part.stream->Close());
      part.writer.reset();
      part.stream.reset();
    }
    return Status::OK();
  }

  std::vector<SubPartition>& parts() { return parts_; }

  void RemoveFiles() {
    for (auto& part : parts_) {
      if (part.writer) (void)part.writer->Close();
      if (part.stream) (void)part.stream->Close();
      if (!part.path.empty()) (void)DeleteFileIfExists(ctx_.fs, part.path);
    }
  }

 private:
  /// The batch widened to the full output schema (missing columns as nulls).
  Result<std::shared_ptr<arrow::RecordBatch>> Widen(const arrow::RecordBatch& batch) const {
    const auto& schema = ctx_.schema.arrow();
    std::vector<std::shared_ptr<arrow::Array>> columns;
    columns.reserve(static_cast<size_t>(schema->num_fields()));
    for (const auto& field : schema->fields()) {
      auto column = batch.GetColumnByName(field->name());
      if (column == nullptr) {
        DC_ASSIGN_OR_RAISE(column, arrow::MakeArrayOfNull(field->type(), batch.num_rows()));
      }
      columns.push_back(std::move(column));
    }
    return arrow::RecordBatch::Make(schema, batch.num_rows(), std::move(columns));
  }

  Status SplitPiece(size_t input, arrow::RecordBatchReader& reader) {
    std::vector<std::string> columns = reader.schema()->field_names();
    std::vector<SubPiece*> pieces(parts_.size(), nullptr);
    while (true) {
      std::shared_ptr<arrow::RecordBatch> batch;
      DC_RETURN_NOT_OK(reader.ReadNext(&batch));
      if (batch == nullptr) return Status::OK();
      const int64_t rows = batch->num_rows();
      if (rows == 0) continue;
      // The sub-partition of every row.
      std::vector<uint32_t> part_of(static_cast<size_t>(rows));
      const auto count = static_cast<uint32_t>(parts_.size());
      if (!ctx_.task.merge_keys.empty() && ctx_.task.drop_duplicates) {
        std::vector<std::shared_ptr<arrow::Array>> keys;
        for (const auto& key : ctx_.task.merge_keys) {
          auto column = batch->GetColumnByName(key);
          if (column == nullptr) {
            return MakeError(ErrorCode::kSchemaValidation, "merge key column '", key,
                             "' is missing from an input of hash bucket ", ctx_.task.hash_bucket);
          }
          keys.push_back(std::move(column));
        }
        DC_ASSIGN_OR_RAISE(part_of, SubPartitionsOf(keys, rows, count));
      } else {
        for (int64_t r = 0; r < rows; ++r) part_of[r] = (next_row_++) % count;
      }
      DC_ASSIGN_OR_RAISE(auto groups, GroupRowsByBucket<int64_t>(std::span<const uint32_t>(part_of),
                                                                 static_cast<int32_t>(count)));
      DC_ASSIGN_OR_RAISE(auto wide, Widen(*batch));
      DC_ASSIGN_OR_RAISE(
          arrow::Datum grouped,
          arrow::compute::Take(arrow::Datum(wide), arrow::Datum(std::make_shared<arrow::Int64Array>(
                                                       rows, groups.permutation))));
      const auto& grouped_batch = grouped.record_batch();
      for (uint32_t p = 0; p < count; ++p) {
        const int64_t n = groups.count(static_cast<int32_t>(p));
        if (n == 0) continue;
        SubPartition& part = parts_[p];
        DC_RETURN_NOT_OK(part.writer->WriteRecordBatch(*grouped_batch->Slice(groups.starts[p], n)));
        if (pieces[p] == nullptr) {
          part.pieces.push_back(SubPiece{input, columns, {}});
          pieces[p] = &part.pieces.back();
        }
        pieces[p]->batches.push_back(part.next_batch++);
      }
    }
  }

  const MergeContext& ctx_;
  std::vector<SubPartition> parts_;
  int64_t next_row_ = 0;
};

/// Selects `columns` of a widened sub-partition batch.
Result<std::shared_ptr<arrow::Table>> Narrow(const std::shared_ptr<arrow::Table>& table,
                                             const std::vector<std::string>& columns) {
  std::vector<int> indices;
  indices.reserve(columns.size());
  for (const auto& name : columns) indices.push_back(table->schema()->GetFieldIndex(name));
  return table->SelectColumns(indices);
}

Status MergeSubPartitions(const MergeContext& ctx, int32_t count, MergeOutputFiles& out,
                          MergeStats& stats) {
  SubPartitioner partitioner(ctx, count);
  Status status = [&]() -> Status {
    DC_RETURN_NOT_OK(partitioner.Split());
    // Deletes are small: read them once, and give each sub-partition only the delete rows
    // that can match its keys.
    std::vector<SubPartitionDeletes> deletes(ctx.task.inputs.size());
    for (size_t i = 0; i < ctx.task.inputs.size(); ++i) {
      const MergeTaskInput& input = ctx.task.inputs[i];
      if (input.kind != MergeTaskInput::Kind::kDelete) continue;
      DC_ASSIGN_OR_RAISE(auto tables, ReadDeleteTables(ctx, input));
      DC_ASSIGN_OR_RAISE(
          deletes[i], SplitDeletesBySubPartition(ctx.task, *ctx.schema.arrow(), input,
                                                 std::move(tables), static_cast<uint32_t>(count)));
    }
    for (size_t part_index = 0; part_index < partitioner.parts().size(); ++part_index) {
      SubPartition& part = partitioner.parts()[part_index];
      std::shared_ptr<arrow::io::RandomAccessFile> file;
      if (ctx.fs.type_name() == "local") {
        DC_ASSIGN_OR_RAISE(file,
                           arrow::io::MemoryMappedFile::Open(part.path, arrow::io::FileMode::READ));
      } else {
        DC_ASSIGN_OR_RAISE(file, ctx.fs.OpenInputFile(part.path));
      }
      DC_ASSIGN_OR_RAISE(auto reader, arrow::ipc::RecordBatchFileReader::Open(file));
      DC_ASSIGN_OR_RAISE(auto stream, MergeStream::Make(ctx.options));
      size_t next_piece = 0;
      for (size_t i = 0; i < ctx.task.inputs.size(); ++i) {
        const MergeTaskInput& input = ctx.task.inputs[i];
        if (input.kind == MergeTaskInput::Kind::kDelete) {
          for (const auto& table : deletes[i].shared) {
            DC_RETURN_NOT_OK(stream->Add(MakeSlice(ctx, input, table)));
          }
          for (auto& table : deletes[i].parts[part_index]) {
            DC_RETURN_NOT_OK(stream->Add(MakeSlice(ctx, input, std::move(table))));
          }
          continue;
        }
        for (; next_piece < part.pieces.size() && part.pieces[next_piece].input == i;
             ++next_piece) {
          const SubPiece& piece = part.pieces[next_piece];
          std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
          for (int32_t index : piece.batches) {
            DC_ASSIGN_OR_RAISE(auto batch, reader->ReadRecordBatch(index));
            batches.push_back(std::move(batch));
          }
          DC_ASSIGN_OR_RAISE(auto wide, arrow::Table::FromRecordBatches(reader->schema(), batches));
          DC_ASSIGN_OR_RAISE(auto table, Narrow(wide, piece.columns));
          DC_RETURN_NOT_OK(stream->Add(MakeSlice(ctx, input, std::move(table))));
        }
      }
      DC_ASSIGN_OR_RAISE(auto merged, stream->Finish(kBatchRows));
      Accumulate(stats, stream->stats());
      DC_RETURN_NOT_OK(out.Write(*merged));
      merged.reset();
      stream.reset();
      // The sub-partition is done: free its disk space before merging the next one.
      reader.reset();
      file.reset();
      DC_RETURN_NOT_OK(DeleteFileIfExists(ctx.fs, part.path));
    }
    return Status::OK();
  }();
  partitioner.RemoveFiles();
  return status;
}

int64_t FilesBytes(const std::vector<CompactionInputFile>& files) {
  int64_t bytes = 0;
  for (const auto& file : files) {
    bytes += file.estimated_arrow_bytes + kMergeIndexBytesPerRow * file.record_count;
  }
  return bytes;
}

}  // namespace

Result<std::vector<uint32_t>> SubPartitionsOf(
    const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t rows, uint32_t count) {
  DC_ASSIGN_OR_RAISE(const EncodedRows encoded, EncodedRows::Encode(keys, rows));
  std::vector<uint32_t> part_of(static_cast<size_t>(rows));
  // High bits: the low bits of the same hash pick the merge index's slots.
  for (int64_t r = 0; r < rows; ++r) part_of[r] = (encoded.hash(r) >> 40) % count;
  return part_of;
}

Result<SubPartitionDeletes> SplitDeletesBySubPartition(
    const MergeTask& task, const arrow::Schema& schema, const MergeTaskInput& input,
    std::vector<std::shared_ptr<arrow::Table>> tables, uint32_t count) {
  SubPartitionDeletes deletes;
  deletes.parts.resize(count);
  const bool split_by_key = !task.merge_keys.empty() && task.drop_duplicates && count > 1;
  const std::set<std::string> merge_keys(task.merge_keys.begin(), task.merge_keys.end());
  for (auto& table : tables) {
    // The delete columns as the merge kernel resolves them (MakeSlice, then MergeStream):
    // the input's delete columns the table has, else the merge keys; only output columns.
    std::vector<std::string> names;
    for (const auto& name : input.delete_columns) {
      if (table->schema()->GetFieldIndex(name) >= 0) names.push_back(name);
    }
    if (names.empty()) names = task.merge_keys;
    std::set<std::string> matched;
    for (const auto& name : names) {
      if (schema.GetFieldIndex(name) >= 0) matched.insert(name);
    }
    // Key columns as the split of the other inputs saw them (cast to the output types).
    std::vector<std::shared_ptr<arrow::Array>> keys;
    bool by_key = split_by_key && matched == merge_keys;
    for (size_t k = 0; by_key && k < task.merge_keys.size(); ++k) {
      auto column = table->GetColumnByName(task.merge_keys[k]);
      const auto field = schema.GetFieldByName(task.merge_keys[k]);
      if (column == nullptr || field == nullptr) {
        by_key = false;  // the merge kernel reports it
        break;
      }
      auto array = arrow::Concatenate(column->chunks());
      if (array.ok() && !(*array)->type()->Equals(*field->type())) {
        array = arrow::compute::Cast(**array, field->type());
      }
      if (!array.ok()) {
        by_key = false;  // the merge kernel reports it
        break;
      }
      keys.push_back(std::move(*array));
    }
    if (!by_key) {
      deletes.shared.push_back(std::move(table));
      continue;
    }
    const int64_t rows = table->num_rows();
    DC_ASSIGN_OR_RAISE(const std::vector<uint32_t> part_of, SubPartitionsOf(keys, rows, count));
    DC_ASSIGN_OR_RAISE(auto groups, GroupRowsByBucket<int64_t>(std::span<const uint32_t>(part_of),
                                                               static_cast<int32_t>(count)));
    DC_ASSIGN_OR_RAISE(
        arrow::Datum grouped,
        arrow::compute::Take(arrow::Datum(table), arrow::Datum(std::make_shared<arrow::Int64Array>(
                                                      rows, groups.permutation))));
    const std::shared_ptr<arrow::Table>& grouped_table = grouped.table();
    for (uint32_t p = 0; p < count; ++p) {
      const int64_t n = groups.count(static_cast<int32_t>(p));
      if (n > 0) deletes.parts[p].push_back(grouped_table->Slice(groups.starts[p], n));
    }
  }
  return deletes;
}

TaskIoSettings IoSettingsFor(int64_t task_share_bytes) {
  TaskIoSettings settings;
  if (task_share_bytes >= (int64_t{512} << 20)) {
    settings.row_group_rows = int64_t{1} << 20;
    settings.stream_reads = false;
    settings.reserve_bytes = int64_t{96} << 20;
  } else {
    settings.row_group_rows = int64_t{128} << 10;
    settings.data_page_bytes = int64_t{256} << 10;
    settings.dictionary_page_bytes = int64_t{64} << 10;
    settings.stream_reads = true;
    // Measured on the benchmark table (7 columns): a streamed reader holds about 2 MiB per
    // column (its 1 MiB read buffer and a decompressed page), the writer its pages and
    // dictionaries.
    settings.reserve_bytes = int64_t{16} << 20;
  }
  return settings;
}

namespace {

/// The allocator's slack under a round that has `available_bytes`: a quarter of it, at least
/// 16 MiB and at most 64 MiB (jemalloc kept 45-60 MiB of freed pages while merging at full
/// speed; small rounds free less per second).
int64_t AllocatorSlackBytes(int64_t available_bytes) {
  return std::clamp<int64_t>(available_bytes / 4, int64_t{16} << 20, int64_t{64} << 20);
}

/// Tasks are sized to 3/4 of what is available minus the slack: their estimates leave out
/// buffers inside Arrow and Parquet.
int64_t UsableBytes(int64_t available_bytes) {
  return available_bytes / 4 * 3 - AllocatorSlackBytes(available_bytes);
}

}  // namespace

Result<RoundMemory> PlanRoundMemory(int64_t budget_bytes, int64_t process_bytes,
                                    int max_parallelism, bool in_process) {
  constexpr int64_t kMiB = int64_t{1} << 20;
  // What the process holds counts against the budget, but at most half of it: a library
  // round inside a large process (a Python session holding tables) still gets half the budget
  // for itself instead of failing.
  auto available_under = [process_bytes](int64_t budget) {
    return budget - std::min(process_bytes, budget / 2);
  };
  RoundMemory round;
  round.parallelism = std::max(max_parallelism, 1);
  if (!in_process) {
    // Remote workers: this process's memory is not theirs; every task gets at least 1 MiB.
    round.available_bytes = std::max<int64_t>(available_under(budget_bytes), kMiB);
    round.usable_bytes = std::max<int64_t>(UsableBytes(round.available_bytes),
                                           std::min(round.available_bytes, kMiB));
    round.io = IoSettingsFor(round.usable_bytes / round.parallelism);
    round.task_budget_bytes =
        std::max<int64_t>(round.usable_bytes / round.parallelism - round.io.reserve_bytes, kMiB);
    return round;
  }
  round.available_bytes = available_under(budget_bytes);
  round.usable_bytes = UsableBytes(round.available_bytes);
  // One task needs its I/O buffers and a minimal working set; the tightest I/O settings
  // apply to any share small enough for this to matter.
  const int64_t task_floor = IoSettingsFor(0).reserve_bytes + kMinimumTaskBytes;
  if (round.usable_bytes < task_floor) {
    int64_t smallest = std::max<int64_t>(budget_bytes, kMiB) / kMiB * kMiB;
    while (UsableBytes(available_under(smallest)) < task_floor) smallest += kMiB;
    return MakeError(ErrorCode::kOutOfMemory, "memory budget of ", budget_bytes / kMiB,
                     " MiB is too small for a compaction round: the process already holds ",
                     process_bytes / kMiB, " MiB and one task needs ", task_floor / kMiB,
                     " MiB besides the allocator's slack; the smallest budget that works here is ",
                     smallest / kMiB, " MiB");
  }
  round.parallelism =
      static_cast<int>(std::clamp<int64_t>(round.usable_bytes / task_floor, 1, round.parallelism));
  round.io = IoSettingsFor(round.usable_bytes / round.parallelism);
  round.task_budget_bytes = std::max<int64_t>(
      round.usable_bytes / round.parallelism - round.io.reserve_bytes, kMinimumTaskBytes);
  return round;
}

int64_t EstimateMergeTaskBytes(const MergeTask& task) {
  int64_t bytes = 0;
  for (const MergeTaskInput& input : task.inputs) {
    bytes += FilesBytes(input.files);
    for (const SpillRun& run : input.spills) bytes += run.bytes + kMergeIndexBytesPerRow * run.rows;
  }
  return bytes;
}

Result<MergeTaskResult> RunMergeTask(const MergeTask& task) {
  DC_ASSIGN_OR_RAISE(FileSystemLocation catalog, ResolveTaskFileSystem(task.catalog));
  DC_ASSIGN_OR_RAISE(storage::Schema schema, storage::Schema::Deserialize(task.schema));
  DC_ASSIGN_OR_RAISE(MergeOptions options, BuildMergeOptions(task, schema));
  MergeContext ctx{task, *catalog.fs, std::move(schema), std::move(options)};

  MergeTaskResult result;
  result.hash_bucket = task.hash_bucket;
  const int64_t estimate = EstimateMergeTaskBytes(task);
  const int64_t budget = std::max<int64_t>(task.memory_budget_bytes, int64_t{1} << 20);
  // A bucket within its budget merges in memory. A bigger one splits evenly into sub-partitions
  // of half the budget: each sub-partition's merge runs while the allocators still hold what
  // the previous one freed (whole-budget sub-partitions peaked at 258-287 MiB of a 256 MiB
  // budget on the 10M-row benchmark, half-budget ones at 224-231 MiB).
  int64_t sub_partitions = 1;
  if (estimate > budget) {
    const int64_t target = std::max<int64_t>(budget / 2, 1);
    sub_partitions = std::clamp<int64_t>((estimate + target - 1) / target, 2, 4096);
  }
  result.sub_partitions = static_cast<int32_t>(sub_partitions);

  bool has_rows = false;
  for (const MergeTaskInput& input : task.inputs) {
    if (input.kind == MergeTaskInput::Kind::kDelete) continue;
    has_rows = has_rows || !input.files.empty() || !input.spills.empty();
  }

  // Every merge task of the round writes into the same new directory.
  DC_RETURN_NOT_OK(EnsureDir(ctx.fs, task.output_dir));
  DC_ASSIGN_OR_RAISE(std::unique_ptr<MergeOutputFiles> out,
                     MergeOutputFiles::Open(ctx.fs, ctx.schema.arrow(), task));
  Status status = sub_partitions == 1
                      ? MergeInMemory(ctx, *out, result.stats)
                      : MergeSubPartitions(ctx, result.sub_partitions, *out, result.stats);
  if (!status.ok()) {
    out->Abort();
    return status.WithContext("merge of hash bucket " + std::to_string(task.hash_bucket));
  }
  DC_ASSIGN_OR_RAISE(result.files, out->Close(task.write_empty_file && has_rows));
  return result;
}

Result<std::string> ExecuteMergeTask(std::string_view payload) {
  DC_ASSIGN_OR_RAISE(MergeTask task, DeserializeMergeTask(payload));
  DC_ASSIGN_OR_RAISE(MergeTaskResult result, RunMergeTask(task));
  return SerializeMergeTaskResult(result);
}

}  // namespace deltacat::compute
