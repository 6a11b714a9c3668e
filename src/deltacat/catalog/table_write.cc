// The catalog's write path: one `Catalog::Write` inside one transaction (catalog-api.md §5).
#include <algorithm>
#include <optional>
#include <random>

#include <arrow/table.h>

#include "deltacat/catalog/chrono_delta.h"
#include "deltacat/catalog/native_catalog.h"
#include "deltacat/catalog/schema_enforcement.h"
#include "deltacat/catalog/table_properties.h"
#include "deltacat/compute/compactor.h"
#include "deltacat/compute/manifest_statistics.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/fs/retry_policy.h"
#include "deltacat/io/data_file_writer.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/schema.h"
#include "deltacat/util/uuid.h"
#include "deltacat/version.h"

namespace deltacat {
namespace {

using storage::DeltaType;
using storage::MetafileRecord;
using storage::MsgValue;

std::string Qualified(const TableRef& table) { return table.ns + "." + table.name; }

bool IsOrdered(DeltaType type) {
  return type == DeltaType::kAppend || type == DeltaType::kUpsert || type == DeltaType::kDelete;
}

// ADD deltas get a random 63-bit position above 2^48 - 1: Python post4 redraws below 2^32 and
// newer Python reserves positions below 2^48 for CHRONO, so this range suits both.
int64_t RandomAddPosition() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  constexpr uint64_t kFloor = (uint64_t{1} << 48) - 1;
  while (true) {
    const int64_t position = static_cast<int64_t>(rng() & INT64_MAX);
    if (static_cast<uint64_t>(position) > kFloor) return position;
  }
}

// Python names Parquet data files `<uuid>.pq` (docs/format.md, SPEC≠PKG #1); other types use
// the regular extensions.
std::string DataFileName(ContentType type) {
  const ContentEncoding encoding = DefaultEncodingFor(type);
  if (type == ContentType::kParquet) return NewUuid4() + ".pq";
  return NewUuid4() + DataFileSuffix(type, encoding);
}

Status CheckModeAgainstTable(TableWriteMode mode, const TableRef& table, bool table_found,
                             bool exists, const std::optional<std::string>& version) {
  const bool creating_mode = mode == TableWriteMode::kCreate || mode == TableWriteMode::kAuto;
  if (mode == TableWriteMode::kCreate && exists && !version) {
    return MakeError(ErrorCode::kTableAlreadyExists, "Table ", Qualified(table), " already exists");
  }
  if (!creating_mode && !table_found) {
    return MakeError(ErrorCode::kTableNotFound, "Table ", Qualified(table),
                     " does not exist and write mode is ", TableWriteModeName(mode));
  }
  if (version && exists && mode == TableWriteMode::kCreate) {
    return MakeError(ErrorCode::kTableVersionAlreadyExists, "Table version ", *version, " of ",
                     Qualified(table), " already exists");
  }
  if (!exists && !creating_mode) {
    return MakeError(ErrorCode::kTableVersionNotFound, "Table version ",
                     version.value_or("(latest active)"), " of ", Qualified(table),
                     " does not exist and write mode is ", TableWriteModeName(mode));
  }
  return Status::OK();
}

DeltaType DeltaTypeFor(TableWriteMode mode, bool created, bool has_merge_keys) {
  switch (mode) {
    case TableWriteMode::kAuto:
      if (has_merge_keys) return DeltaType::kUpsert;
      return created ? DeltaType::kAppend : DeltaType::kAdd;
    case TableWriteMode::kCreate:
    case TableWriteMode::kReplace: return has_merge_keys ? DeltaType::kUpsert : DeltaType::kAppend;
    case TableWriteMode::kAdd: return DeltaType::kAdd;
    case TableWriteMode::kAppend: return DeltaType::kAppend;
    case TableWriteMode::kChrono: return DeltaType::kChrono;
    case TableWriteMode::kMerge: return DeltaType::kUpsert;
    case TableWriteMode::kDelete: return DeltaType::kDelete;
  }
  return DeltaType::kAdd;
}

Status CheckModeAgainstMergeKeys(TableWriteMode mode, bool has_merge_keys) {
  if (has_merge_keys && (mode == TableWriteMode::kAdd || mode == TableWriteMode::kAppend ||
                         mode == TableWriteMode::kChrono)) {
    return MakeError(ErrorCode::kSchemaValidation, TableWriteModeName(mode),
                     " mode cannot be used with tables that have merge keys; use MERGE or AUTO");
  }
  if (!has_merge_keys && (mode == TableWriteMode::kMerge || mode == TableWriteMode::kDelete)) {
    std::string name(TableWriteModeName(mode));
    std::transform(name.begin(), name.end(), name.begin(), ::toupper);
    return MakeError(ErrorCode::kTableValidation, name,
                     " mode requires tables to have at least one merge key");
  }
  return Status::OK();
}

// The input rows as one table (the merge kernel and schema rules work on whole columns).
Result<std::shared_ptr<arrow::Table>> Collect(arrow::RecordBatchReader& data) {
  DC_ASSIGN_OR_RAISE(auto table, data.ToTable());
  return table;
}

// Projects a DELETE payload onto the merge keys: other columns are irrelevant to an equality
// delete and must not evolve the schema (catalog-api.md §16 quirk 5, fixed).
Result<std::shared_ptr<arrow::Table>> ProjectDeleteKeys(const std::shared_ptr<arrow::Table>& data,
                                                        const std::vector<std::string>& keys) {
  std::vector<int> indices;
  for (const auto& key : keys) {
    const int index = data->schema()->GetFieldIndex(key);
    if (index < 0) {
      return MakeError(ErrorCode::kSchemaValidation, "DELETE data lacks merge key column '", key,
                       "'");
    }
    indices.push_back(index);
  }
  return data->SelectColumns(indices);
}

// Stages REPLACE's new stream and commits it over the current one (Python's commit_stream).
Result<MetafileRecord> ReplaceStream(storage::Transaction& txn, const MetafileRecord& current) {
  DC_ASSIGN_OR_RAISE(storage::Stream old_stream, storage::DecodeStream(current.doc));
  storage::Stream staged;
  staged.locator = old_stream.locator;
  staged.locator.stream_id = NewUuid4();
  staged.partition_scheme = old_stream.partition_scheme;
  staged.state = storage::CommitState::kStaged;
  staged.previous_stream_id = old_stream.locator.stream_id;
  DC_ASSIGN_OR_RAISE(auto staged_written, txn.Create(storage::EncodeStream(staged)));
  storage::Stream committed = staged;
  committed.state = storage::CommitState::kCommitted;
  const MsgValue committed_doc = storage::EncodeStream(committed);
  DC_ASSIGN_OR_RAISE(auto first, txn.Replace(staged_written.metafile.doc, committed_doc));
  (void)first;
  DC_ASSIGN_OR_RAISE(auto second, txn.Replace(current.doc, committed_doc));
  return second.metafile;
}

Result<MetafileRecord> StagePartition(storage::Transaction& txn, const MetafileRecord& stream,
                                      const storage::TableVersion& version) {
  DC_ASSIGN_OR_RAISE(storage::Stream decoded, storage::DecodeStream(stream.doc));
  storage::Partition partition;
  partition.locator.stream_locator = decoded.locator;
  partition.locator.partition_id = NewUuid4();
  partition.content_types = version.content_types;
  partition.state = storage::CommitState::kStaged;
  partition.partition_scheme_id = std::string(storage::kUnpartitionedSchemeId);
  DC_ASSIGN_OR_RAISE(auto written, txn.Create(storage::EncodePartition(partition)));
  return written.metafile;
}

struct WrittenDelta {
  MetafileRecord partition;
  DeltaInfo info;
};

// Writes `data` as files of `partition` and commits the delta (and the partition's stream
// position for ordered deltas).
Result<WrittenDelta> CommitDelta(NativeCatalog& catalog, storage::Transaction& txn,
                                 MetafileRecord partition,
                                 const std::shared_ptr<arrow::Table>& data, DeltaType type,
                                 const WriteOptions& options, std::optional<int64_t> schema_id,
                                 const std::vector<std::string>& merge_keys) {
  const auto& location = catalog.location();
  DC_ASSIGN_OR_RAISE(storage::Partition partition_doc, storage::DecodePartition(partition.doc));

  std::vector<storage::ManifestEntry> entries;
  const int64_t rows = data->num_rows();
  const int64_t per_file = options.max_records_per_file > 0 ? options.max_records_per_file : rows;
  std::vector<std::string> written_paths;
  auto cleanup = [&]() {
    for (const auto& path : written_paths) (void)location.fs->DeleteFile(path);
  };
  for (int64_t offset = 0; offset < rows || (rows == 0 && offset == 0);
       offset += std::max<int64_t>(per_file, 1)) {
    auto slice = data->Slice(offset, per_file);
    const std::string relative = std::string(storage::kDataDirName) + "/" + partition.id + "/" +
                                 DataFileName(options.content_type);
    const std::string path = JoinPath(location.root, relative);
    // Throttling, timeouts and resets on object stores are retried (bounded); the slice is in
    // memory, so a retry rewrites the whole file under the same name.
    std::optional<io::WrittenFile> written;
    Status status = RunWithRetry(RetryPolicy(), [&]() -> Status {
      auto attempt = io::WriteDataFile(*location.fs, path, *slice, options.content_type);
      if (!attempt.ok()) return attempt.status();
      written = std::move(*attempt);
      return Status::OK();
    });
    if (!status.ok()) {
      cleanup();
      return status;
    }
    written_paths.push_back(path);
    storage::ManifestEntry entry;
    entry.url = relative;
    storage::ManifestMeta meta;
    meta.record_count = written->record_count;
    meta.content_length = written->content_length;
    meta.source_content_length = written->source_content_length;
    meta.content_type = std::string(ContentTypeString(written->content_type));
    meta.content_encoding = std::string(ContentEncodingString(written->content_encoding));
    meta.entry_type = storage::EntryType::kData;
    if (type == DeltaType::kUpsert || type == DeltaType::kDelete) {
      storage::EntryParams params;
      params.equality_field_locators.emplace();
      for (const auto& key : merge_keys) params.equality_field_locators->push_back(key);
      meta.entry_params = params;
    }
    meta.schema_id = schema_id;
    compute::AttachColumnStatistics(
        meta, compute::EncodeColumnStatistics(written->column_stats, written->record_count));
    entry.meta = meta;
    entries.push_back(std::move(entry));
    if (rows == 0) break;
  }

  storage::ManifestAuthor author;
  author.name = "deltacat-cpp";
  author.version = DELTACAT_CPP_VERSION;
  std::optional<storage::EntryParams> params;
  if (!entries.empty() && entries.front().meta->entry_params)
    params = entries.front().meta->entry_params;
  auto manifest = storage::Manifest::Of(NewUuid4(), std::move(entries), author,
                                        storage::EntryType::kData, params);
  if (!manifest.ok()) {
    cleanup();
    return manifest.status();
  }

  storage::Delta delta;
  delta.locator.partition_locator = partition_doc.locator;
  int64_t position = 0;
  if (IsOrdered(type)) {
    const int64_t previous = partition_doc.stream_position.value_or(0);
    position = previous + 1;
    delta.previous_stream_position = previous;
  } else if (type == DeltaType::kChrono) {
    auto next = NextChronoPosition(txn.reader(), partition, catalog.clock()->Now() / 1000000);
    if (!next.ok()) {
      cleanup();
      return next.status();
    }
    position = *next;
  } else {
    position = RandomAddPosition();
  }
  delta.locator.stream_position = position;
  // Python 2.0.0.post4 cannot read a `chrono` delta type: CHRONO is stored as a marked ADD.
  delta.type = type == DeltaType::kChrono ? DeltaType::kAdd : type;
  delta.meta = manifest->meta;
  delta.manifest = *manifest;
  delta.properties = options.delta_properties.empty() ? MsgValue::Nil()
                                                      : PropertiesToMsg(options.delta_properties);
  if (type == DeltaType::kChrono) {
    delta.properties.Set(kChronoPropertyKey, MsgValue::String(std::string(kChronoPropertyValue)));
  }
  auto created = txn.Create(storage::EncodeDelta(delta));
  if (!created.ok()) {
    cleanup();
    return created.status();
  }

  if (IsOrdered(type)) {
    partition_doc.stream_position = position;
    DC_ASSIGN_OR_RAISE(auto updated,
                       txn.Update(partition.doc, storage::EncodePartition(partition_doc)));
    partition = updated.metafile;
  }
  WrittenDelta result;
  result.partition = std::move(partition);
  result.info.stream_position = position;
  result.info.type = std::string(storage::OpenEnum<DeltaType>(type).str());
  result.info.record_count = rows;
  result.info.file_count = static_cast<int64_t>(written_paths.size());
  return result;
}

// Whether APPEND/ADD/CHRONO deltas reached a compaction trigger. Only deltas written after the
// last compaction count (Python also counts the compacted base: §16 quirk 3, fixed).
Result<bool> AppendTriggerReached(storage::SnapshotReader& reader, const MetafileRecord& partition,
                                  const EffectiveTableProperties& properties) {
  DC_ASSIGN_OR_RAISE(storage::Partition decoded, storage::DecodePartition(partition.doc));
  int64_t high_watermark = 0;
  if (decoded.compaction_round_completion_info) {
    if (auto hw = decoded.compaction_round_completion_info->SingleHighWatermark()) {
      high_watermark = *hw;
    }
  }
  DC_ASSIGN_OR_RAISE(auto deltas, reader.ListDeltas(partition));
  int64_t delta_count = 0, file_count = 0, record_count = 0;
  for (const auto& record : deltas) {
    DC_ASSIGN_OR_RAISE(storage::Delta delta, storage::DecodeDelta(record.doc));
    const int64_t position = delta.locator.stream_position.value_or(0);
    if (position <= high_watermark) continue;
    ++delta_count;
    if (delta.manifest && delta.manifest->entries) {
      file_count += static_cast<int64_t>(delta.manifest->entries->size());
    }
    if (delta.meta && delta.meta->record_count) record_count += *delta.meta->record_count;
  }
  auto reached = [](int64_t value, int64_t trigger) { return trigger > 0 && value >= trigger; };
  return reached(delta_count, properties.appended_delta_count_compaction_trigger) ||
         reached(file_count, properties.appended_file_count_compaction_trigger) ||
         reached(record_count, properties.appended_record_count_compaction_trigger);
}

}  // namespace

Result<DeltaInfo> WriteToTable(NativeCatalog& catalog, storage::Transaction& txn,
                               const TableRef& table, arrow::RecordBatchReader& data,
                               const WriteOptions& options) {
  auto& reader = txn.reader();
  const TableWriteMode mode = options.mode;
  auto found = catalog.ResolveTable(reader, table, options.table_version);
  // A missing namespace is created with the table when asked to (DeltaCAT's write_to_table
  // passes auto_create_namespace on to create_table).
  const bool missing_namespace = !found.ok() &&
                                 found.status().code() == ErrorCode::kNamespaceNotFound &&
                                 options.create.auto_create_namespace;
  if (!found.ok() && !missing_namespace) return found.status();
  std::optional<NativeCatalog::ResolvedTable> resolved;
  if (found.ok()) resolved = std::move(found).ValueOrDie();
  const bool exists = resolved && resolved->table_version && resolved->stream;
  DC_RETURN_NOT_OK(
      CheckModeAgainstTable(mode, table, resolved.has_value(), exists, options.table_version));
  DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Table> input, Collect(data));

  bool created = false;
  if (!exists) {
    CreateTableOptions create = options.create;
    create.table_version = options.table_version;
    if (options.schemaless) {
      create.schema = nullptr;
    } else if (!create.schema) {
      create.schema = input->schema()->RemoveMetadata();
    }
    if (create.content_types &&
        std::find(create.content_types->begin(), create.content_types->end(),
                  options.content_type) == create.content_types->end()) {
      return MakeError(ErrorCode::kInvalidArgument, "content type ",
                       ContentTypeString(options.content_type),
                       " is not among the table's content_types");
    }
    DC_ASSIGN_OR_RAISE(auto definition, catalog.CreateTableIn(txn, table, create));
    (void)definition;
    created = true;
    DC_ASSIGN_OR_RAISE(resolved, catalog.ResolveTable(reader, table, options.table_version));
    if (!resolved || !resolved->table_version || !resolved->stream) {
      return MakeError(ErrorCode::kInternal, "table ", Qualified(table),
                       " is not visible after creating it");
    }
  }

  MetafileRecord version_record = *resolved->table_version;
  DC_ASSIGN_OR_RAISE(storage::TableVersion version,
                     storage::DecodeTableVersion(version_record.doc));
  DC_ASSIGN_OR_RAISE(EffectiveTableProperties properties,
                     ReadEffectiveProperties(version.properties));
  DC_ASSIGN_OR_RAISE(std::optional<storage::Schema> schema, storage::CurrentSchema(version));

  if (schema && !IsSchemaContentType(options.content_type)) {
    return MakeError(ErrorCode::kTableValidation, "Content type '",
                     ContentTypeString(options.content_type),
                     "' cannot be written to a table with a schema; use a schemaless table");
  }
  if (version.content_types &&
      std::find(version.content_types->begin(), version.content_types->end(),
                ContentTypeString(options.content_type)) == version.content_types->end()) {
    return MakeError(ErrorCode::kTableValidation, "Content type ",
                     ContentTypeString(options.content_type), " is not supported by table ",
                     Qualified(table));
  }
  if ((version.partition_scheme && !version.partition_scheme->IsUnpartitioned())) {
    return MakeError(ErrorCode::kNotImplemented, "writes do not yet support partitioned tables");
  }
  const std::vector<std::string> merge_keys =
      schema ? schema->MergeKeyNames() : std::vector<std::string>{};
  DC_RETURN_NOT_OK(CheckModeAgainstMergeKeys(mode, !merge_keys.empty()));
  const DeltaType type = DeltaTypeFor(mode, created, !merge_keys.empty());

  // Schema rules, and evolution stored in the same transaction.
  std::shared_ptr<arrow::Table> rows = input;
  std::optional<int64_t> schema_id;
  if (schema) {
    if (type == DeltaType::kDelete) {
      DC_ASSIGN_OR_RAISE(rows, ProjectDeleteKeys(rows, merge_keys));
    } else if (type == DeltaType::kUpsert) {
      for (const auto& key : merge_keys) {
        if (rows->schema()->GetFieldIndex(key) < 0) {
          return MakeError(ErrorCode::kSchemaValidation, "upsert data lacks merge key column '",
                           key, "' of table ", Qualified(table));
        }
      }
    }
    SchemaEnforcementOptions enforcement;
    enforcement.evolution_mode = properties.schema_evolution_mode;
    enforcement.default_consistency = properties.default_schema_consistency_type;
    // Partial upserts keep absent columns absent; the merge fills them per key.
    enforcement.backfill_missing_fields = type != DeltaType::kUpsert && type != DeltaType::kDelete;
    const storage::Schema* current = &*schema;
    enforcement.decode_default =
        [current](const arrow::Field& field) -> Result<std::shared_ptr<arrow::Scalar>> {
      const auto* schema_field = current->FieldByName(field.name());
      if (schema_field == nullptr || !schema_field->options.future_default) {
        return std::shared_ptr<arrow::Scalar>();
      }
      return storage::DefaultValueToScalar(*schema_field->options.future_default, field.type());
    };
    DC_ASSIGN_OR_RAISE(EnforcedData enforced, EnforceSchema(*schema->arrow(), rows, enforcement));
    rows = enforced.data;
    schema_id = schema->id();
    if (enforced.schema_changed) {
      DC_ASSIGN_OR_RAISE(storage::Schema evolved,
                         storage::Schema::Of(enforced.schema, schema->id() + 1));
      DC_ASSIGN_OR_RAISE(std::string bytes, evolved.Serialize());
      version.schema = bytes;
      if (!version.schemas) version.schemas.emplace();
      version.schemas->push_back(bytes);
      DC_ASSIGN_OR_RAISE(auto updated,
                         txn.Update(version_record.doc, storage::EncodeTableVersion(version)));
      version_record = updated.metafile;
      schema_id = evolved.id();
    }
  }

  MetafileRecord stream = *resolved->stream;
  std::optional<MetafileRecord> partition;
  if (mode == TableWriteMode::kReplace) {
    DC_ASSIGN_OR_RAISE(stream, ReplaceStream(txn, stream));
  } else {
    DC_ASSIGN_OR_RAISE(partition, reader.FindPartition(stream, MsgValue::Nil()));
  }
  bool staged = false;
  if (!partition) {
    DC_ASSIGN_OR_RAISE(partition, StagePartition(txn, stream, version));
    staged = true;
  }

  DC_ASSIGN_OR_RAISE(WrittenDelta written, CommitDelta(catalog, txn, *partition, rows, type,
                                                       options, schema_id, merge_keys));
  MetafileRecord current_partition = written.partition;

  const bool merges = type == DeltaType::kUpsert || type == DeltaType::kDelete;
  const bool compact_inline =
      properties.read_optimization_level == ReadOptimizationLevel::kMax &&
      (merges ||
       (!staged && AppendTriggerReached(reader, current_partition, properties).ValueOr(false)));
  if (staged && !(merges && compact_inline)) {
    // Commit the staged partition (the compaction commits its own replacement instead, as in
    // Python, where the first staged UPSERT partition stays staged).
    DC_ASSIGN_OR_RAISE(storage::Partition decoded, storage::DecodePartition(current_partition.doc));
    decoded.state = storage::CommitState::kCommitted;
    DC_ASSIGN_OR_RAISE(auto committed,
                       txn.Update(current_partition.doc, storage::EncodePartition(decoded)));
    current_partition = committed.metafile;
  }
  if (compact_inline) {
    if (!schema) {
      // Schemaless tables are never compacted (§16 quirk 4, fixed).
      return written.info;
    }
    compute::CompactionOptions compaction;
    compaction.default_hash_buckets =
        static_cast<int32_t>(properties.default_compaction_hash_bucket_count);
    compaction.records_per_file = properties.records_per_compacted_file;
    DC_ASSIGN_OR_RAISE(auto result, compute::CompactPartition(txn, version_record, stream,
                                                              current_partition, compaction));
    (void)result;
  }
  return written.info;
}

Result<DeltaInfo> NativeCatalog::Write(const TableRef& table,
                                       std::shared_ptr<arrow::RecordBatchReader> data,
                                       WriteOptions options, Transaction* txn) {
  if (!data) return MakeError(ErrorCode::kInvalidArgument, "no data to write");
  DeltaInfo info;
  DC_RETURN_NOT_OK(InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    DC_ASSIGN_OR_RAISE(info, WriteToTable(*this, t, table, *data, options));
    return Status::OK();
  }));
  return info;
}

}  // namespace deltacat
