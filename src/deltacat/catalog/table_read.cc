// The catalog's read path: resolve the snapshot's deltas and stream their rows, merging
// uncompacted upserts and deletes on the fly (merge on read).
#include <algorithm>
#include <cctype>
#include <deque>

#include <arrow/array/builder_binary.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/array/util.h>
#include <arrow/compute/api.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>

#include "deltacat/catalog/filter_expression.h"
#include "deltacat/catalog/native_catalog.h"
#include "deltacat/catalog/statistics_pruning.h"
#include "deltacat/compute/manifest_statistics.h"
#include "deltacat/compute/merge_kernel.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/io/data_file_reader.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/schema.h"

namespace deltacat {
namespace {

namespace cp = arrow::compute;
using storage::DeltaType;
using storage::MetafileRecord;

std::string Qualified(const TableRef& table) { return table.ns + "." + table.name; }

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// One data file to read, in read order.
struct ScanFile {
  std::string path;  // inside the catalog filesystem
  std::string url;   // as stored in the manifest
  ContentType content_type = ContentType::kParquet;
  ContentEncoding content_encoding = ContentEncoding::kIdentity;
  int64_t stream_position = 0;
  DeltaType delta_type = DeltaType::kAdd;
  std::vector<std::string> equality_columns;
  std::optional<int64_t> record_count;  // what the manifest entry says, checked on read
  std::optional<int64_t> content_length;
  // The entry's column statistics, typed as the table schema (only decoded for filtered
  // reads); nullopt when it has none.
  std::optional<compute::FileColumnStatistics> statistics;
};

// Resolves a manifest URL to a path in the catalog filesystem, refusing anything outside the
// catalog root (a hostile or corrupt manifest must not make us read other files).
Result<std::string> ResolveDataPath(const FileSystemLocation& catalog, const std::string& url) {
  auto has_dot_segment = [](std::string_view path) {
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      if (path.substr(start, end - start) == "..") return true;
      start = end + 1;
    }
    return false;
  };
  if (url.empty() || has_dot_segment(url) || url.find('\0') != std::string::npos) {
    return MakeError(ErrorCode::kCorruptMetadata, "manifest entry has an invalid url '", url, "'");
  }
  std::string path;
  const size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    path = url.substr(scheme + 3);
    if (url.rfind("file://", 0) == 0 && !path.empty() && path[0] != '/') path = "/" + path;
  } else if (url[0] == '/') {
    path = url;
  } else {
    return JoinPath(catalog.root, url);
  }
  const std::string root = catalog.root.back() == '/' ? catalog.root : catalog.root + "/";
  if (path.rfind(root, 0) != 0) {
    return MakeError(ErrorCode::kCorruptMetadata, "manifest entry url '", url,
                     "' points outside the catalog root ", catalog.uri);
  }
  return path;
}

// Matches requested column names to the schema: exactly, else case-insensitively (Python
// compares them case-insensitively but keeps the schema's spelling).
Result<std::vector<std::string>> ResolveColumns(const arrow::Schema& schema,
                                                const std::vector<std::string>& requested,
                                                const TableRef& table) {
  std::vector<std::string> resolved;
  for (const auto& name : requested) {
    if (schema.GetFieldIndex(name) >= 0) {
      resolved.push_back(name);
      continue;
    }
    std::optional<std::string> match;
    for (const auto& field : schema.fields()) {
      if (Lower(field->name()) == Lower(name)) match = field->name();
    }
    if (!match) {
      return MakeError(ErrorCode::kSchemaValidation, "One or more columns in ", "['", name,
                       "'] are not present in table ", Qualified(table));
    }
    resolved.push_back(*match);
  }
  return resolved;
}

// The data files of `partitions` in read order. `statistics_schema`, when set, is the schema
// the files' column statistics are decoded for.
Result<std::vector<ScanFile>> CollectFiles(storage::SnapshotReader& reader,
                                           const FileSystemLocation& catalog,
                                           const std::vector<MetafileRecord>& partitions,
                                           const arrow::Schema* statistics_schema,
                                           bool* has_merges) {
  std::vector<ScanFile> files;
  *has_merges = false;
  for (const auto& partition : partitions) {
    DC_ASSIGN_OR_RAISE(auto deltas, reader.ListDeltas(partition));
    for (const auto& record : deltas) {
      DC_ASSIGN_OR_RAISE(storage::Delta delta, storage::DecodeDelta(record.doc));
      const DeltaType type =
          delta.type && delta.type->known() ? *delta.type->known() : DeltaType::kUpsert;
      if (type == DeltaType::kUpsert || type == DeltaType::kDelete) *has_merges = true;
      if (!delta.manifest || !delta.manifest->entries) continue;
      for (const auto& entry : *delta.manifest->entries) {
        ScanFile file;
        file.url = entry.Location();
        DC_ASSIGN_OR_RAISE(file.path, ResolveDataPath(catalog, file.url));
        file.stream_position = delta.locator.stream_position.value_or(0);
        file.delta_type = type;
        if (entry.meta) {
          file.record_count = entry.meta->record_count;
          file.content_length = entry.meta->content_length;
          if (entry.meta->content_type) {
            DC_ASSIGN_OR_RAISE(file.content_type, ParseContentType(*entry.meta->content_type));
          }
          if (entry.meta->content_encoding) {
            DC_ASSIGN_OR_RAISE(file.content_encoding,
                               ParseContentEncoding(*entry.meta->content_encoding));
          }
          if (statistics_schema != nullptr) {
            file.statistics = compute::DecodeColumnStatistics(*entry.meta, *statistics_schema);
          }
          if (entry.meta->entry_params && entry.meta->entry_params->equality_field_locators) {
            for (const auto& locator : *entry.meta->entry_params->equality_field_locators) {
              if (const auto* name = std::get_if<std::string>(&locator)) {
                file.equality_columns.push_back(*name);
              }
            }
          }
        }
        files.push_back(std::move(file));
      }
    }
  }
  return files;
}

// Reads one file converted to `schema` (columns by name, types converted); columns the file
// lacks come back as the field's past default, or null.
Result<std::shared_ptr<arrow::Table>> ReadFileAsSchema(const FileSystemLocation& catalog,
                                                       const ScanFile& file,
                                                       const storage::Schema& schema,
                                                       bool only_present_columns) {
  io::ReadOptions options;
  if (file.content_length) {
    // A file that is not the one its manifest entry describes must not be read as if it were.
    auto info = catalog.fs->GetFileInfo(file.path);
    if (info.ok() && info->type() == arrow::fs::FileType::File &&
        info->size() != *file.content_length) {
      return MakeError(ErrorCode::kValidation, "data file ", file.url, " has ", info->size(),
                       " bytes but its manifest entry says ", *file.content_length);
    }
  }
  DC_ASSIGN_OR_RAISE(auto file_schema,
                     io::ReadDataFileSchema(*catalog.fs, file.path, file.content_type,
                                            file.content_encoding, options));
  std::vector<std::string> present;
  arrow::FieldVector fields;
  for (const auto& field : schema.arrow()->fields()) {
    if (file_schema->GetFieldIndex(field->name()) >= 0) {
      present.push_back(field->name());
      fields.push_back(field);
    }
  }
  options.schema = arrow::schema(fields);
  options.columns = present;
  DC_ASSIGN_OR_RAISE(auto table, io::ReadDataFile(*catalog.fs, file.path, file.content_type,
                                                  file.content_encoding, options));
  if (file.record_count && table->num_rows() != *file.record_count) {
    return MakeError(ErrorCode::kValidation, "data file ", file.url, " has ", table->num_rows(),
                     " rows but its manifest entry says ", *file.record_count);
  }
  if (only_present_columns) return table;
  arrow::ChunkedArrayVector columns;
  for (const auto& field : schema.fields()) {
    const int index = table->schema()->GetFieldIndex(field.name());
    if (index >= 0) {
      columns.push_back(table->column(index));
      continue;
    }
    std::shared_ptr<arrow::Array> filled;
    if (field.options.past_default && !field.options.past_default->IsNil()) {
      DC_ASSIGN_OR_RAISE(auto value, storage::DefaultValueToScalar(*field.options.past_default,
                                                                   field.arrow->type()));
      DC_ASSIGN_OR_RAISE(filled, arrow::MakeArrayFromScalar(*value, table->num_rows()));
    } else {
      DC_ASSIGN_OR_RAISE(filled, arrow::MakeArrayOfNull(field.arrow->type(), table->num_rows()));
    }
    columns.push_back(std::make_shared<arrow::ChunkedArray>(filled));
  }
  return arrow::Table::Make(schema.arrow(), columns, table->num_rows());
}

// Streams the rows of a list of files in order, applying the filter and the projection.
class ScanReader : public arrow::RecordBatchReader {
 public:
  ScanReader(FileSystemLocation catalog, std::vector<ScanFile> files,
             std::shared_ptr<storage::Schema> schema, std::shared_ptr<arrow::Schema> output,
             std::optional<cp::Expression> filter, std::vector<std::string> columns,
             std::optional<std::string> file_path_column)
      : catalog_(std::move(catalog)),
        files_(files.begin(), files.end()),
        schema_(std::move(schema)),
        output_(std::move(output)),
        filter_(std::move(filter)),
        columns_(std::move(columns)),
        file_path_column_(std::move(file_path_column)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return output_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    while (true) {
      if (pending_.empty()) {
        if (files_.empty()) {
          *batch = nullptr;
          return arrow::Status::OK();
        }
        ScanFile file = std::move(files_.front());
        files_.pop_front();
        auto table = ReadFileAsSchema(catalog_, file, *schema_, /*only_present_columns=*/false);
        if (!table.ok()) return ToArrowStatus(table.status().WithContext("reading " + file.url));
        auto batches = Finish(*table, file.url);
        if (!batches.ok()) return ToArrowStatus(batches.status());
        for (auto& b : *batches) pending_.push_back(std::move(b));
        continue;
      }
      *batch = std::move(pending_.front());
      pending_.pop_front();
      return arrow::Status::OK();
    }
  }

  /// Applies filter, projection and the file-path column to rows in the table schema.
  Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> Finish(
      const std::shared_ptr<arrow::Table>& rows, const std::string& url) const {
    std::vector<std::shared_ptr<arrow::RecordBatch>> out;
    arrow::TableBatchReader reader(rows);
    std::shared_ptr<arrow::RecordBatch> batch;
    while (true) {
      DC_RETURN_NOT_OK(reader.ReadNext(&batch));
      if (!batch) break;
      if (filter_) {
        DC_ASSIGN_OR_RAISE(auto mask, cp::ExecuteScalarExpression(*filter_, cp::ExecBatch(*batch)));
        DC_ASSIGN_OR_RAISE(auto filtered, cp::Filter(batch, mask));
        batch = filtered.record_batch();
      }
      if (batch->num_rows() == 0) continue;
      arrow::ArrayVector arrays;
      for (const auto& name : columns_) arrays.push_back(batch->GetColumnByName(name));
      if (file_path_column_) {
        arrow::StringBuilder builder;
        DC_RETURN_NOT_OK(builder.Reserve(batch->num_rows()));
        for (int64_t i = 0; i < batch->num_rows(); ++i) DC_RETURN_NOT_OK(builder.Append(url));
        DC_ASSIGN_OR_RAISE(auto paths, builder.Finish());
        arrays.push_back(paths);
      }
      out.push_back(arrow::RecordBatch::Make(output_, batch->num_rows(), arrays));
    }
    return out;
  }

 private:
  FileSystemLocation catalog_;
  std::deque<ScanFile> files_;
  std::shared_ptr<storage::Schema> schema_;
  std::shared_ptr<arrow::Schema> output_;
  std::optional<cp::Expression> filter_;
  std::vector<std::string> columns_;
  std::optional<std::string> file_path_column_;
  std::deque<std::shared_ptr<arrow::RecordBatch>> pending_;
};

// Merge on read: applies every delta in stream order with the merge kernel, then filters and
// projects the merged rows.
Result<std::shared_ptr<arrow::RecordBatchReader>> MergeOnRead(
    const FileSystemLocation& catalog, const std::vector<ScanFile>& files,
    const std::shared_ptr<storage::Schema>& schema, const ScanReader& finisher) {
  compute::MergeOptions options;
  options.output_schema = schema->arrow();
  options.merge_keys = schema->MergeKeyNames();
  for (const auto& field : schema->fields()) {
    if (field.options.past_default && !field.options.past_default->IsNil()) {
      DC_ASSIGN_OR_RAISE(
          options.column_defaults[field.name()],
          storage::DefaultValueToScalar(*field.options.past_default, field.arrow->type()));
    }
  }
  compute::MergeInput input;
  for (const auto& file : files) {
    compute::MergeSlice slice;
    slice.stream_position = file.stream_position;
    DC_ASSIGN_OR_RAISE(slice.table, ReadFileAsSchema(catalog, file, *schema,
                                                     /*only_present_columns=*/true));
    switch (file.delta_type) {
      case DeltaType::kDelete:
        slice.kind = compute::SliceKind::kDelete;
        slice.delete_columns = file.equality_columns;
        break;
      case DeltaType::kUpsert: slice.kind = compute::SliceKind::kUpsert; break;
      default: slice.kind = compute::SliceKind::kAppend; break;
    }
    input.slices.push_back(std::move(slice));
  }
  DC_ASSIGN_OR_RAISE(auto merged, compute::MergeSlices(input, options));
  DC_ASSIGN_OR_RAISE(auto batches, finisher.Finish(merged.table, ""));
  return arrow::RecordBatchReader::Make(std::move(batches), finisher.schema());
}

// Schemaless tables read as their manifest: one row per data file (catalog-api.md §6.8).
Result<std::shared_ptr<arrow::RecordBatchReader>> ReadManifestTable(
    storage::SnapshotReader& reader, const std::vector<MetafileRecord>& partitions) {
  arrow::StringBuilder id, path, content_type, content_encoding, author_name, author_version;
  arrow::BooleanBuilder mandatory;
  arrow::Int64Builder content_length, record_count, source_length, stream_position, previous;
  for (const auto& partition : partitions) {
    DC_ASSIGN_OR_RAISE(auto deltas, reader.ListDeltas(partition));
    for (const auto& record : deltas) {
      DC_ASSIGN_OR_RAISE(storage::Delta delta, storage::DecodeDelta(record.doc));
      if (!delta.manifest || !delta.manifest->entries) continue;
      for (const auto& entry : *delta.manifest->entries) {
        const auto& meta = entry.meta;
        auto append_string = [](arrow::StringBuilder& b, const std::optional<std::string>& v) {
          return v ? b.Append(*v) : b.AppendNull();
        };
        auto append_int = [](arrow::Int64Builder& b, const std::optional<int64_t>& v) {
          return v ? b.Append(*v) : b.AppendNull();
        };
        DC_RETURN_NOT_OK(append_string(id, entry.id));
        DC_RETURN_NOT_OK(mandatory.Append(entry.mandatory.value_or(true)));
        DC_RETURN_NOT_OK(
            append_string(content_encoding, meta ? meta->content_encoding : std::nullopt));
        DC_RETURN_NOT_OK(append_int(content_length, meta ? meta->content_length : std::nullopt));
        DC_RETURN_NOT_OK(append_string(content_type, meta ? meta->content_type : std::nullopt));
        DC_RETURN_NOT_OK(append_int(record_count, meta ? meta->record_count : std::nullopt));
        DC_RETURN_NOT_OK(
            append_int(source_length, meta ? meta->source_content_length : std::nullopt));
        DC_RETURN_NOT_OK(path.Append(entry.Location()));
        const auto& author = delta.manifest->author;
        DC_RETURN_NOT_OK(append_string(author_name, author ? author->name : std::nullopt));
        DC_RETURN_NOT_OK(append_string(author_version, author ? author->version : std::nullopt));
        DC_RETURN_NOT_OK(append_int(stream_position, delta.locator.stream_position));
        DC_RETURN_NOT_OK(append_int(previous, delta.previous_stream_position));
      }
    }
  }
  auto schema = arrow::schema(
      {arrow::field("id", arrow::utf8()), arrow::field("mandatory", arrow::boolean()),
       arrow::field("meta_content_encoding", arrow::utf8()),
       arrow::field("meta_content_length", arrow::int64()),
       arrow::field("meta_content_type", arrow::utf8()),
       arrow::field("meta_record_count", arrow::int64()),
       arrow::field("meta_source_content_length", arrow::int64()),
       arrow::field("path", arrow::utf8()), arrow::field("author_name", arrow::utf8()),
       arrow::field("author_version", arrow::utf8()),
       arrow::field("stream_position", arrow::int64()),
       arrow::field("previous_stream_position", arrow::int64())});
  arrow::ArrayVector arrays(12);
  DC_RETURN_NOT_OK(id.Finish(&arrays[0]));
  DC_RETURN_NOT_OK(mandatory.Finish(&arrays[1]));
  DC_RETURN_NOT_OK(content_encoding.Finish(&arrays[2]));
  DC_RETURN_NOT_OK(content_length.Finish(&arrays[3]));
  DC_RETURN_NOT_OK(content_type.Finish(&arrays[4]));
  DC_RETURN_NOT_OK(record_count.Finish(&arrays[5]));
  DC_RETURN_NOT_OK(source_length.Finish(&arrays[6]));
  DC_RETURN_NOT_OK(path.Finish(&arrays[7]));
  DC_RETURN_NOT_OK(author_name.Finish(&arrays[8]));
  DC_RETURN_NOT_OK(author_version.Finish(&arrays[9]));
  DC_RETURN_NOT_OK(stream_position.Finish(&arrays[10]));
  DC_RETURN_NOT_OK(previous.Finish(&arrays[11]));
  auto batch = arrow::RecordBatch::Make(schema, arrays[0]->length(), arrays);
  return arrow::RecordBatchReader::Make({batch}, schema);
}

}  // namespace

Result<std::shared_ptr<arrow::RecordBatchReader>> ReadFromTable(NativeCatalog& catalog,
                                                                storage::SnapshotReader& reader,
                                                                const TableRef& table,
                                                                const ReadOptions& options) {
  auto resolving = catalog.ResolveTable(reader, table, options.table_version);
  if (!resolving.ok() && resolving.status().code() == ErrorCode::kNamespaceNotFound) {
    // As Python's read_table: a table whose namespace is missing (also at an `as_of` before the
    // namespace existed) does not exist.
    return MakeError(ErrorCode::kTableNotFound, "Table does not exist: ", Qualified(table),
                     " (namespace ", table.ns, " does not exist)");
  }
  DC_ASSIGN_OR_RAISE(auto resolved, std::move(resolving));
  if (!resolved) {
    return MakeError(ErrorCode::kTableNotFound, "Table does not exist: ", Qualified(table));
  }
  if (!resolved->table_version) {
    return MakeError(ErrorCode::kTableVersionNotFound, "Table version ",
                     options.table_version.value_or("(latest active)"), " of ", Qualified(table),
                     " does not exist");
  }
  if (!resolved->stream) {
    return MakeError(ErrorCode::kStreamNotFound, "Table ", Qualified(table),
                     " has no deltacat stream");
  }
  DC_ASSIGN_OR_RAISE(storage::TableVersion version,
                     storage::DecodeTableVersion(resolved->table_version->doc));
  DC_ASSIGN_OR_RAISE(auto partitions, reader.ListPartitions(*resolved->stream));
  DC_ASSIGN_OR_RAISE(auto current_schema, storage::CurrentSchema(version));
  if (!current_schema) return ReadManifestTable(reader, partitions);
  auto schema = std::make_shared<storage::Schema>(std::move(*current_schema));

  // Output columns: the projection (schema order when none), then the file path column.
  std::vector<std::string> columns;
  if (options.columns.empty()) {
    for (const auto& field : schema->arrow()->fields()) columns.push_back(field->name());
  } else {
    DC_ASSIGN_OR_RAISE(columns, ResolveColumns(*schema->arrow(), options.columns, table));
  }
  arrow::FieldVector output_fields;
  for (const auto& name : columns) output_fields.push_back(schema->arrow()->GetFieldByName(name));
  if (options.file_path_column) {
    output_fields.push_back(arrow::field(*options.file_path_column, arrow::utf8()));
  }
  auto output = arrow::schema(output_fields);

  std::optional<cp::Expression> filter;
  if (options.filter) {
    DC_ASSIGN_OR_RAISE(filter, BindFilter(*options.filter, *schema->arrow()));
  }

  bool has_merges = false;
  DC_ASSIGN_OR_RAISE(auto files,
                     CollectFiles(reader, catalog.location(), partitions,
                                  filter ? schema->arrow().get() : nullptr, &has_merges));
  ReadStatistics statistics;
  statistics.files_total = static_cast<int64_t>(files.size());
  statistics.merged_on_read = has_merges && !schema->MergeKeyNames().empty();
  for (const auto& file : files) {
    if (!file.statistics) ++statistics.files_without_statistics;
  }
  // Merge on read filters the merged rows: skipping a file before the merge could drop the
  // newest version of a key and resurrect an older one that matches, or lose the columns a
  // partial upsert keeps from an older version. Only plain scans prune.
  if (filter && options.prune_files && !statistics.merged_on_read) {
    DC_ASSIGN_OR_RAISE(auto prune_filter, PrepareFilterForPruning(*filter));
    std::vector<ScanFile> kept;
    kept.reserve(files.size());
    for (auto& file : files) {
      if (file.statistics && !FileMayMatch(prune_filter, *file.statistics)) {
        ++statistics.files_pruned;
        continue;
      }
      kept.push_back(std::move(file));
    }
    files = std::move(kept);
  }
  if (options.statistics != nullptr) *options.statistics = statistics;
  auto scan = std::make_shared<ScanReader>(catalog.location(), files, schema, output, filter,
                                           columns, options.file_path_column);
  if (statistics.merged_on_read) return MergeOnRead(catalog.location(), files, schema, *scan);
  return std::static_pointer_cast<arrow::RecordBatchReader>(scan);
}

Result<std::shared_ptr<arrow::RecordBatchReader>> NativeCatalog::Read(const TableRef& table,
                                                                      ReadOptions options,
                                                                      Transaction* txn) {
  std::shared_ptr<arrow::RecordBatchReader> result;
  DC_RETURN_NOT_OK(InSnapshot(txn, options.as_of, [&](storage::SnapshotReader& reader) -> Status {
    DC_ASSIGN_OR_RAISE(result, ReadFromTable(*this, reader, table, options));
    return Status::OK();
  }));
  return result;
}

}  // namespace deltacat
