#include "deltacat/compute/compaction_plan.h"

#include <algorithm>
#include <utility>

#include "deltacat/compute/compaction_input.h"
#include "deltacat/storage/codec/metafile_codec.h"

namespace deltacat::compute {
namespace {

/// Python's PYARROW_INFLATION_MULTIPLIER: decoded bytes per on-disk byte when unknown.
constexpr double kPyarrowInflation = 2.5;
constexpr int64_t kBytesPerRecordGuess = 100;

/// Python's Schema.merge_order_sort_keys: merge-order fields (their order inverted, since the
/// row sorting last wins), else event-time fields ascending.
std::vector<MergeSortKey> SortKeysOf(const storage::Schema& schema) {
  std::vector<MergeSortKey> keys;
  for (const storage::SchemaField& field : schema.fields()) {
    if (!field.options.merge_order) continue;
    const bool ascending = field.options.merge_order->sort_order.is(storage::SortOrder::kAscending);
    keys.push_back(MergeSortKey{field.name(), /*descending=*/ascending});
  }
  if (!keys.empty()) return keys;
  for (const storage::SchemaField& field : schema.fields()) {
    if (field.is_event_time()) keys.push_back(MergeSortKey{field.name(), false});
  }
  return keys;
}

Result<std::string> FieldName(const storage::FieldLocator& locator, const storage::Schema& schema,
                              int64_t stream_position) {
  if (const auto* name = std::get_if<std::string>(&locator)) return *name;
  if (const auto* id = std::get_if<int64_t>(&locator)) {
    if (const storage::SchemaField* field = schema.FieldById(*id)) return field->name();
    return MakeError(ErrorCode::kValidation, "DELETE delta at stream position ", stream_position,
                     " names delete field id ", *id, ", which the table schema does not have");
  }
  const auto& path = std::get<std::vector<std::string>>(locator);
  if (path.size() == 1) return path[0];
  return MakeError(ErrorCode::kNotImplemented, "DELETE delta at stream position ", stream_position,
                   " deletes by a nested field, which compaction does not support");
}

const std::optional<std::vector<storage::FieldLocator>>* EqualityColumns(
    const storage::Delta& delta) {
  auto from_meta = [](const std::optional<storage::ManifestMeta>& meta)
      -> const std::optional<std::vector<storage::FieldLocator>>* {
    if (meta && meta->entry_params && meta->entry_params->equality_field_locators &&
        !meta->entry_params->equality_field_locators->empty()) {
      return &meta->entry_params->equality_field_locators;
    }
    return nullptr;
  };
  if (auto* found = from_meta(delta.meta)) return found;
  if (delta.manifest) {
    if (auto* found = from_meta(delta.manifest->meta)) return found;
    if (delta.manifest->entries) {
      for (const auto& entry : *delta.manifest->entries) {
        if (auto* found = from_meta(entry.meta)) return found;
      }
    }
  }
  return nullptr;
}

MergeTaskInput::Kind InputKindOf(storage::DeltaType type) {
  switch (type) {
    case storage::DeltaType::kUpsert: return MergeTaskInput::Kind::kUpsert;
    case storage::DeltaType::kDelete: return MergeTaskInput::Kind::kDelete;
    default: return MergeTaskInput::Kind::kAppend;
  }
}

}  // namespace

Result<CompactionContext> LoadCompactionContext(const storage::MetafileRecord& table_version,
                                                const storage::MetafileRecord& stream,
                                                const storage::MetafileRecord& source_partition) {
  CompactionContext ctx;
  ctx.stream_record = stream;
  ctx.source_record = source_partition;
  DC_ASSIGN_OR_RAISE(ctx.table_version, storage::DecodeTableVersion(table_version.doc));
  DC_ASSIGN_OR_RAISE(ctx.source, storage::DecodePartition(source_partition.doc));
  DC_ASSIGN_OR_RAISE(auto schema, storage::CurrentSchema(ctx.table_version));
  if (!schema || !ctx.table_version.schema) {
    return MakeError(ErrorCode::kTableValidation, "table version ", table_version.id,
                     " has no schema; compaction needs one");
  }
  ctx.schema = std::move(*schema);
  ctx.schema_ipc = *ctx.table_version.schema;
  ctx.merge_keys = ctx.schema.MergeKeyNames();
  ctx.sort_keys = SortKeysOf(ctx.schema);
  if (!ctx.source.locator.partition_id) {
    return MakeError(ErrorCode::kInvalidArgument, "source partition has no partition ID");
  }
  return ctx;
}

CompactionInputFile InputFileOf(const FileSystemLocation& catalog,
                                const storage::ManifestEntry& entry) {
  CompactionInputFile file;
  file.path = ResolveEntryPath(catalog, entry.Location());
  if (entry.meta) {
    const storage::ManifestMeta& meta = *entry.meta;
    if (meta.content_type) {
      if (auto type = ParseContentType(*meta.content_type); type.ok()) file.content_type = *type;
    }
    if (meta.content_encoding) {
      if (auto encoding = ParseContentEncoding(*meta.content_encoding); encoding.ok()) {
        file.content_encoding = *encoding;
      }
    }
    file.record_count = meta.record_count.value_or(0);
    file.content_length = meta.content_length.value_or(0);
    if (meta.source_content_length && *meta.source_content_length > 0) {
      file.estimated_arrow_bytes = *meta.source_content_length;
    } else if (file.content_length > 0) {
      file.estimated_arrow_bytes =
          static_cast<int64_t>(static_cast<double>(file.content_length) * kPyarrowInflation);
    } else {
      file.estimated_arrow_bytes = file.record_count * kBytesPerRecordGuess;
    }
  }
  return file;
}

Result<std::vector<InputDelta>> DiscoverInputDeltas(storage::SnapshotReader& reader,
                                                    const FileSystemLocation& catalog,
                                                    const CompactionContext& ctx,
                                                    std::optional<int64_t> high_watermark,
                                                    int64_t last_stream_position) {
  DC_ASSIGN_OR_RAISE(auto records, reader.ListDeltas(ctx.source_record));
  std::vector<InputDelta> deltas;
  for (const storage::MetafileRecord& record : records) {
    DC_ASSIGN_OR_RAISE(storage::Delta delta, storage::DecodeDelta(record.doc));
    if (!delta.locator.stream_position) continue;
    const int64_t position = *delta.locator.stream_position;
    if (high_watermark && position <= *high_watermark) continue;
    if (position > last_stream_position) continue;
    InputDelta input;
    input.stream_position = position;
    if (delta.type && delta.type->known()) input.type = *delta.type->known();
    if (delta.type && !delta.type->known()) {
      return MakeError(ErrorCode::kNotImplemented, "delta at stream position ", position,
                       " has type '", delta.type->str(), "', which compaction does not know");
    }
    if (delta.manifest && delta.manifest->entries) {
      for (const auto& entry : *delta.manifest->entries) {
        input.files.push_back(InputFileOf(catalog, entry));
      }
    }
    if (input.type == storage::DeltaType::kDelete) {
      const auto* columns = EqualityColumns(delta);
      if (columns == nullptr) {
        return MakeError(ErrorCode::kValidation, "DELETE delta at stream position ", position,
                         " has no equality_field_locators naming its delete columns");
      }
      for (const auto& locator : **columns) {
        DC_ASSIGN_OR_RAISE(std::string name, FieldName(locator, ctx.schema, position));
        input.delete_columns.push_back(std::move(name));
      }
    }
    deltas.push_back(std::move(input));
  }
  std::stable_sort(deltas.begin(), deltas.end(), [](const InputDelta& a, const InputDelta& b) {
    return a.stream_position < b.stream_position;
  });
  return deltas;
}

std::vector<PlannedHashBucketTask> PlanHashBucketTasks(const std::vector<InputDelta>& deltas,
                                                       const CompactionContext& ctx,
                                                       const FileSystemRef& catalog,
                                                       const std::string& scratch_dir,
                                                       const TaskSizing& sizing) {
  std::vector<PlannedHashBucketTask> tasks;
  int64_t rows_before = 0;  // round-robin start of keyless tables, continued across tasks
  for (size_t d = 0; d < deltas.size(); ++d) {
    const InputDelta& delta = deltas[d];
    if (delta.type == storage::DeltaType::kDelete) continue;
    PlannedHashBucketTask* current = nullptr;
    int64_t current_bytes = 0;
    for (const CompactionInputFile& file : delta.files) {
      if (current == nullptr || current_bytes + file.estimated_arrow_bytes >
                                    std::max<int64_t>(sizing.hash_bucket_task_bytes, 1)) {
        PlannedHashBucketTask planned;
        planned.delta_index = d;
        HashBucketTask& task = planned.task;
        task.catalog = catalog;
        task.spill_path_prefix = JoinPath(scratch_dir, "hb-" + std::to_string(tasks.size()));
        task.schema = ctx.schema_ipc;
        task.merge_keys = ctx.merge_keys;
        task.hash_bucket_count = sizing.hash_bucket_count;
        task.chunk_bytes = sizing.chunk_bytes;
        task.keep_spills_in_memory = sizing.spills_in_memory;
        task.stream_reads = sizing.stream_reads;
        task.row_offset = rows_before;
        tasks.push_back(std::move(planned));
        current = &tasks.back();
        current_bytes = 0;
      }
      current->task.files.push_back(file);
      current_bytes += file.estimated_arrow_bytes;
      rows_before += file.record_count;
    }
  }
  return tasks;
}

MergePlan PlanMerges(const CompactionContext& ctx, const std::vector<InputDelta>& deltas,
                     const std::optional<PreviousRound>& previous,
                     const FileSystemLocation& catalog,
                     const std::vector<PlannedHashBucketTask>& tasks,
                     const std::vector<HashBucketResult>& results, const TaskSizing& sizing,
                     const MergeSettings& settings) {
  const bool has_deletes = std::any_of(deltas.begin(), deltas.end(), [](const InputDelta& delta) {
    return delta.type == storage::DeltaType::kDelete;
  });
  // bucket -> (delta index -> spill runs in task order)
  std::map<int32_t, std::map<size_t, std::vector<SpillRun>>> new_rows;
  for (size_t t = 0; t < tasks.size() && t < results.size(); ++t) {
    for (const auto& [bucket, runs] : results[t].buckets) {
      auto& slot = new_rows[bucket][tasks[t].delta_index];
      slot.insert(slot.end(), runs.begin(), runs.end());
    }
  }
  MergePlan plan;
  const std::vector<storage::ManifestEntry> no_entries;
  const auto& previous_entries =
      previous && previous->manifest.entries ? *previous->manifest.entries : no_entries;
  for (int32_t bucket = 0; bucket < sizing.hash_bucket_count; ++bucket) {
    std::vector<storage::ManifestEntry> base;
    if (previous) {
      if (auto range = previous->rci.EntryRangeOf(bucket)) {
        base.assign(previous_entries.begin() + range->start, previous_entries.begin() + range->end);
      }
    }
    const auto touched = new_rows.find(bucket);
    const bool has_new_rows = touched != new_rows.end();
    if (!has_new_rows && base.empty()) continue;
    if (!has_new_rows && !has_deletes && previous && !settings.disable_copy_by_reference) {
      plan.copied_by_reference.emplace(bucket, std::move(base));
      continue;
    }
    MergeTask task;
    task.catalog = settings.catalog;
    task.hash_bucket = bucket;
    task.schema = ctx.schema_ipc;
    task.merge_keys = ctx.merge_keys;
    task.sort_keys = ctx.sort_keys;
    task.drop_duplicates = settings.drop_duplicates;
    task.provided_columns = settings.provided_columns;
    task.output_dir = settings.output_dir;
    task.output_url_prefix = settings.output_url_prefix;
    task.records_per_file = settings.records_per_file;
    task.max_file_bytes = settings.max_file_bytes;
    task.memory_budget_bytes = sizing.merge_task_budget_bytes;
    task.output_row_group_rows = sizing.output_row_group_rows;
    task.output_data_page_bytes = sizing.output_data_page_bytes;
    task.output_dictionary_page_bytes = sizing.output_dictionary_page_bytes;
    task.stream_reads = sizing.stream_reads;
    task.spill_dir = JoinPath(settings.scratch_dir, "merge-" + std::to_string(bucket));
    if (!base.empty()) {
      MergeTaskInput compacted;
      compacted.kind = MergeTaskInput::Kind::kCompacted;
      // Before every increment, whatever positions the previous round's partition used.
      compacted.stream_position = INT64_MIN;
      for (const auto& entry : base) compacted.files.push_back(InputFileOf(catalog, entry));
      task.inputs.push_back(std::move(compacted));
    }
    for (size_t d = 0; d < deltas.size(); ++d) {
      const InputDelta& delta = deltas[d];
      MergeTaskInput input;
      input.kind = InputKindOf(delta.type);
      input.stream_position = delta.stream_position;
      if (delta.type == storage::DeltaType::kDelete) {
        input.files = delta.files;
        input.delete_columns = delta.delete_columns;
      } else {
        if (!has_new_rows) continue;
        auto runs = touched->second.find(d);
        if (runs == touched->second.end()) continue;
        input.spills = runs->second;
      }
      task.inputs.push_back(std::move(input));
    }
    plan.merge_tasks.push_back(std::move(task));
  }
  return plan;
}

}  // namespace deltacat::compute
