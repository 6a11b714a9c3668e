#pragma once

// A catalog with one table, written through our storage layer the way Python DeltaCAT's
// write_to_table writes it (docs/format.md §11.2, §14), for the compactor tests: deltas of
// every type into the committed partition, MERGE/DELETE with inline compaction in the same
// transaction, and reads of the committed partition's rows.

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <arrow/api.h>
#include <arrow/compute/cast.h>

#include "deltacat/compute/compactor.h"
#include "deltacat/compute/hash_bucket.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/schema.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction.h"
#include "deltacat/storage/transaction_clock.h"
#include "deltacat/util/uuid.h"

namespace deltacat::compute::testing {

/// A field of a test schema.
struct TestField {
  std::string name;
  std::shared_ptr<arrow::DataType> type;
  bool merge_key = false;
  std::optional<storage::MergeOrder> merge_order;
  std::optional<storage::MsgValue> past_default;
};

/// A DeltaCAT schema from test fields (field ids 0, 1, ...).
inline Result<storage::Schema> MakeSchema(const std::vector<TestField>& fields,
                                          int64_t schema_id = 0) {
  std::vector<std::shared_ptr<arrow::Field>> arrow_fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    storage::FieldOptions options;
    options.field_id = static_cast<int64_t>(i);
    if (fields[i].merge_key) options.merge_key = true;
    options.merge_order = fields[i].merge_order;
    options.past_default = fields[i].past_default;
    DC_ASSIGN_OR_RAISE(auto field,
                       storage::BuildField(arrow::field(fields[i].name, fields[i].type), options));
    arrow_fields.push_back(field.arrow);
  }
  return storage::Schema::Of(arrow::schema(arrow_fields), schema_id);
}

/// One table in a catalog at a local path.
class CompactorTestTable {
 public:
  /// Creates namespace `ns`, table `table`, table version "1" with `schema` and its stream.
  static Result<std::unique_ptr<CompactorTestTable>> Create(const std::string& root,
                                                            const storage::Schema& schema,
                                                            const std::string& ns = "ns",
                                                            const std::string& table = "t") {
    DC_ASSIGN_OR_RAISE(FileSystemLocation catalog, ResolveUri(root));
    auto t = std::unique_ptr<CompactorTestTable>(new CompactorTestTable(catalog, ns, table));
    DC_ASSIGN_OR_RAISE(auto txn, t->Begin());
    storage::Namespace namespace_doc;
    namespace_doc.locator.namespace_name = ns;
    DC_ASSIGN_OR_RAISE(auto ns_write, txn.Create(storage::EncodeNamespace(namespace_doc)));
    storage::Table table_doc;
    table_doc.locator = storage::TableLocator::Of(ns, table);
    table_doc.latest_active_table_version = "1";
    table_doc.latest_table_version = "1";
    table_doc.ancestor_ids = {ns_write.metafile.id};
    DC_ASSIGN_OR_RAISE(auto table_write, txn.Create(storage::EncodeTable(table_doc)));
    storage::TableVersion tv;
    tv.locator.table_locator = table_doc.locator;
    tv.locator.table_version = "1";
    DC_ASSIGN_OR_RAISE(std::string schema_bytes, schema.Serialize());
    tv.schema = schema_bytes;
    tv.schemas = std::vector<std::string>{schema_bytes};
    tv.partition_scheme = storage::PartitionScheme::Unpartitioned();
    tv.partition_schemes = std::vector<storage::PartitionScheme>{tv.partition_scheme.value()};
    tv.sort_scheme = storage::SortScheme::Unsorted();
    tv.sort_schemes = std::vector<storage::SortScheme>{tv.sort_scheme.value()};
    tv.state = LifecycleState::kActive;
    tv.ancestor_ids = {ns_write.metafile.id, table_write.metafile.id};
    DC_RETURN_NOT_OK(txn.Create(storage::EncodeTableVersion(tv)));
    storage::Stream stream;
    stream.locator.table_version_locator = tv.locator;
    stream.locator.stream_id = NewUuid4();
    stream.locator.format = "deltacat";
    stream.partition_scheme = storage::PartitionScheme::Unpartitioned();
    stream.state = storage::CommitState::kCommitted;
    stream.ancestor_ids = {ns_write.metafile.id, table_write.metafile.id, "1"};
    DC_RETURN_NOT_OK(txn.Create(storage::EncodeStream(stream)));
    DC_RETURN_NOT_OK(txn.Commit());
    return t;
  }

  /// A table that already exists in the catalog at `root` (e.g. written by Python).
  static Result<std::unique_ptr<CompactorTestTable>> Open(const std::string& root,
                                                          const std::string& ns,
                                                          const std::string& table) {
    DC_ASSIGN_OR_RAISE(FileSystemLocation catalog, ResolveUri(root));
    return std::unique_ptr<CompactorTestTable>(new CompactorTestTable(catalog, ns, table));
  }

  const FileSystemLocation& catalog() const { return catalog_; }
  void set_catalog(FileSystemLocation catalog) { catalog_ = std::move(catalog); }

  /// A read-write transaction on the catalog.
  Result<storage::Transaction> Begin() {
    storage::TransactionOptions options;
    options.clock = clock_;
    return storage::Transaction::Begin(catalog_, options);
  }

  /// The table version, stream and committed partition (nullopt: none) as seen by `reader`.
  struct Objects {
    storage::MetafileRecord table_version;
    storage::MetafileRecord stream;
    std::optional<storage::MetafileRecord> partition;
  };
  Result<Objects> Find(storage::SnapshotReader& reader) {
    Objects objects;
    DC_ASSIGN_OR_RAISE(objects.table_version, reader.GetTableVersion(ns_, table_, "1"));
    DC_ASSIGN_OR_RAISE(objects.stream, reader.GetStream(objects.table_version));
    DC_ASSIGN_OR_RAISE(objects.partition,
                       reader.FindPartition(objects.stream, storage::MsgValue()));
    return objects;
  }

  /// Writes `data` as a delta of `type` into `partition` within `txn`, in `files` files:
  /// data files under data/<partition>/, the delta at the partition's next stream position
  /// (a random high one for ADD), and the partition's new stream position. Returns the
  /// partition as updated.
  Result<storage::MetafileRecord> WriteDelta(storage::Transaction& txn,
                                             const storage::MetafileRecord& partition,
                                             storage::DeltaType type,
                                             const std::shared_ptr<arrow::Table>& data,
                                             int files = 1,
                                             std::vector<std::string> delete_columns = {}) {
    DC_ASSIGN_OR_RAISE(storage::Partition p, storage::DecodePartition(partition.doc));
    DC_ASSIGN_OR_RAISE(auto objects, Find(txn.reader()));
    DC_ASSIGN_OR_RAISE(auto tv, storage::DecodeTableVersion(objects.table_version.doc));
    DC_ASSIGN_OR_RAISE(auto schema, storage::CurrentSchema(tv));
    std::optional<storage::EntryParams> params;
    if (type == storage::DeltaType::kUpsert || type == storage::DeltaType::kDelete) {
      std::vector<std::string> columns = delete_columns;
      if (columns.empty() && schema) columns = schema->MergeKeyNames();
      if (!columns.empty()) {
        storage::EntryParams entry_params;
        std::vector<storage::FieldLocator> locators(columns.begin(), columns.end());
        entry_params.equality_field_locators = std::move(locators);
        params = std::move(entry_params);
      }
    }
    std::vector<storage::ManifestEntry> entries;
    const int64_t rows = data->num_rows();
    for (int f = 0; f < files; ++f) {
      const int64_t begin = rows * f / files;
      const int64_t end = rows * (f + 1) / files;
      auto slice = data->Slice(begin, end - begin);
      const std::string name = NewUuid4() + ".pq";
      const std::string url = "data/" + partition.id + "/" + name;
      DC_ASSIGN_OR_RAISE(auto written, io::WriteDataFile(*catalog_.fs, JoinPath(catalog_.root, url),
                                                         *slice, ContentType::kParquet));
      storage::ManifestEntry entry;
      entry.url = url;
      storage::ManifestMeta meta;
      meta.record_count = written.record_count;
      meta.content_length = written.content_length;
      meta.source_content_length = written.source_content_length;
      meta.content_type = "application/parquet";
      meta.content_encoding = "identity";
      meta.entry_type = storage::EntryType::kData;
      meta.entry_params = params;
      if (schema) meta.schema_id = schema->id();
      entry.meta = std::move(meta);
      entries.push_back(std::move(entry));
    }
    storage::ManifestAuthor author;
    author.name = "deltacat.write_to_table";
    author.version = "2.0.0.post4";
    DC_ASSIGN_OR_RAISE(storage::Manifest manifest,
                       storage::Manifest::Of(NewUuid4(), std::move(entries), author,
                                             storage::EntryType::kData, params));
    storage::Delta delta;
    delta.locator.partition_locator = p.locator;
    const bool ordered = type != storage::DeltaType::kAdd;
    if (ordered) {
      delta.previous_stream_position = p.stream_position.value_or(0);
      delta.locator.stream_position = p.stream_position.value_or(0) + 1;
    } else {
      std::uniform_int_distribution<int64_t> positions(int64_t{1} << 33, INT64_MAX);
      delta.locator.stream_position = positions(random_);
    }
    delta.type = type;
    delta.meta = manifest.meta;
    delta.manifest = std::move(manifest);
    delta.ancestor_ids = partition.PathIds();
    DC_RETURN_NOT_OK(txn.Create(storage::EncodeDelta(delta)));
    if (!ordered) return partition;
    storage::Partition updated = p;
    updated.stream_position = delta.locator.stream_position;
    DC_ASSIGN_OR_RAISE(auto write, txn.Update(partition.doc, storage::EncodePartition(updated)));
    return write.metafile;
  }

  /// Stages a new partition (previousPartitionId = the committed one) within `txn`.
  Result<storage::MetafileRecord> StagePartition(storage::Transaction& txn) {
    DC_ASSIGN_OR_RAISE(auto objects, Find(txn.reader()));
    DC_ASSIGN_OR_RAISE(auto stream, storage::DecodeStream(objects.stream.doc));
    storage::Partition p;
    p.locator.stream_locator = stream.locator;
    p.locator.partition_id = NewUuid4();
    p.state = storage::CommitState::kStaged;
    if (objects.partition) p.previous_partition_id = objects.partition->id;
    p.partition_scheme_id = std::string(storage::kUnpartitionedSchemeId);
    p.ancestor_ids = objects.stream.PathIds();
    DC_ASSIGN_OR_RAISE(auto write, txn.Create(storage::EncodePartition(p)));
    return write.metafile;
  }

  /// Writes a delta into the committed partition in its own transaction, without compacting
  /// (a partition is staged and committed first when there is none).
  Status Write(storage::DeltaType type, const std::shared_ptr<arrow::Table>& data, int files = 1,
               std::vector<std::string> delete_columns = {}) {
    DC_ASSIGN_OR_RAISE(auto txn, Begin());
    DC_ASSIGN_OR_RAISE(auto objects, Find(txn.reader()));
    storage::MetafileRecord partition;
    if (objects.partition) {
      partition = *objects.partition;
      DC_ASSIGN_OR_RAISE(partition, WriteDelta(txn, partition, type, data, files, delete_columns));
    } else {
      DC_ASSIGN_OR_RAISE(partition, StagePartition(txn));
      DC_ASSIGN_OR_RAISE(partition, WriteDelta(txn, partition, type, data, files, delete_columns));
      DC_ASSIGN_OR_RAISE(storage::Partition p, storage::DecodePartition(partition.doc));
      p.state = storage::CommitState::kCommitted;
      DC_RETURN_NOT_OK(txn.Update(partition.doc, storage::EncodePartition(p)));
    }
    return txn.Commit().status();
  }

  /// Python's MERGE/DELETE at read_optimization_level=max: the delta goes into the committed
  /// partition (or a new staged one on a fresh table), then compaction runs in the same
  /// transaction.
  Result<CompactionResult> WriteAndCompact(storage::DeltaType type,
                                           const std::shared_ptr<arrow::Table>& data,
                                           CompactionOptions options = {}, int files = 1,
                                           std::vector<std::string> delete_columns = {}) {
    DC_ASSIGN_OR_RAISE(auto txn, Begin());
    DC_ASSIGN_OR_RAISE(auto objects, Find(txn.reader()));
    storage::MetafileRecord partition;
    if (objects.partition) {
      partition = *objects.partition;
    } else {
      DC_ASSIGN_OR_RAISE(partition, StagePartition(txn));
    }
    DC_ASSIGN_OR_RAISE(partition, WriteDelta(txn, partition, type, data, files, delete_columns));
    DC_ASSIGN_OR_RAISE(auto result, CompactPartition(txn, objects.table_version, objects.stream,
                                                     partition, options));
    DC_RETURN_NOT_OK(txn.Commit());
    return result;
  }

  /// Compacts the committed partition in its own transaction.
  Result<CompactionResult> Compact(CompactionOptions options = {}) {
    DC_ASSIGN_OR_RAISE(auto txn, Begin());
    DC_ASSIGN_OR_RAISE(auto objects, Find(txn.reader()));
    if (!objects.partition) {
      return MakeError(ErrorCode::kPartitionNotFound, "no committed partition to compact");
    }
    DC_ASSIGN_OR_RAISE(auto result, CompactPartition(txn, objects.table_version, objects.stream,
                                                     *objects.partition, options));
    DC_RETURN_NOT_OK(txn.Commit());
    return result;
  }

  /// A reader at "now".
  storage::SnapshotReader Reader() { return storage::SnapshotReader::AtNow(catalog_, *clock_); }

  /// The committed partition and its deltas (ascending).
  struct CommittedState {
    storage::MetafileRecord partition_record;
    storage::Partition partition;
    std::vector<storage::Delta> deltas;
    storage::Schema schema;
  };
  Result<CommittedState> Committed() {
    auto reader = Reader();
    DC_ASSIGN_OR_RAISE(auto objects, Find(reader));
    if (!objects.partition) {
      return MakeError(ErrorCode::kPartitionNotFound, "no committed partition");
    }
    CommittedState state;
    state.partition_record = *objects.partition;
    DC_ASSIGN_OR_RAISE(state.partition, storage::DecodePartition(objects.partition->doc));
    DC_ASSIGN_OR_RAISE(auto records, reader.ListDeltas(*objects.partition));
    for (const auto& record : records) {
      DC_ASSIGN_OR_RAISE(auto delta, storage::DecodeDelta(record.doc));
      state.deltas.push_back(std::move(delta));
    }
    DC_ASSIGN_OR_RAISE(auto tv, storage::DecodeTableVersion(objects.table_version.doc));
    DC_ASSIGN_OR_RAISE(auto schema, storage::CurrentSchema(tv));
    state.schema = std::move(*schema);
    return state;
  }

  /// Reads one data file as the table schema (missing columns as nulls).
  Result<std::shared_ptr<arrow::Table>> ReadFile(const std::string& url,
                                                 const storage::Schema& schema) {
    io::ReadOptions options;
    options.schema = schema.arrow()->RemoveMetadata();
    options.fill_missing_columns_with_nulls = true;
    return io::ReadDataFile(*catalog_.fs, JoinPath(catalog_.root, url), ContentType::kParquet,
                            ContentEncoding::kIdentity, options);
  }

  /// Every row of every delta of the committed partition, as the table schema.
  Result<std::shared_ptr<arrow::Table>> ReadCommitted() {
    DC_ASSIGN_OR_RAISE(auto state, Committed());
    std::vector<std::shared_ptr<arrow::Table>> tables;
    for (const auto& delta : state.deltas) {
      if (!delta.manifest || !delta.manifest->entries) continue;
      for (const auto& entry : *delta.manifest->entries) {
        DC_ASSIGN_OR_RAISE(auto table, ReadFile(entry.Location(), state.schema));
        tables.push_back(std::move(table));
      }
    }
    if (tables.empty()) return arrow::Table::MakeEmpty(state.schema.arrow()->RemoveMetadata());
    DC_ASSIGN_OR_RAISE(auto table, arrow::ConcatenateTables(tables));
    return table;
  }

 private:
  CompactorTestTable(FileSystemLocation catalog, std::string ns, std::string table)
      : catalog_(std::move(catalog)), ns_(std::move(ns)), table_(std::move(table)) {}

  FileSystemLocation catalog_;
  std::string ns_;
  std::string table_;
  std::shared_ptr<storage::TransactionClock> clock_ = storage::TransactionClock::Default();
  std::mt19937_64 random_{42};
};

}  // namespace deltacat::compute::testing
