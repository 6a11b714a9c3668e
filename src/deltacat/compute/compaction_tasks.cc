#include "deltacat/compute/compaction_tasks.h"

#include <utility>

#include "deltacat/storage/msgpack_value.h"

namespace deltacat::compute {
namespace {

using storage::MsgArray;
using storage::MsgMap;
using storage::MsgValue;

MsgValue Str(std::string_view s) { return MsgValue::String(std::string(s)); }
MsgValue Int(int64_t v) { return MsgValue::Int(v); }

MsgValue Strings(const std::vector<std::string>& values) {
  MsgArray items;
  items.reserve(values.size());
  for (const auto& v : values) items.push_back(Str(v));
  return MsgValue::Array(std::move(items));
}

template <typename T, typename Encode>
MsgValue ListOf(const std::vector<T>& values, Encode&& encode) {
  MsgArray items;
  items.reserve(values.size());
  for (const auto& v : values) items.push_back(encode(v));
  return MsgValue::Array(std::move(items));
}

/// Typed access to the keys of a payload map; every error is kInvalidArgument naming the
/// payload kind and key, since a malformed payload is a caller bug, not corrupt storage.
class Fields {
 public:
  static Result<Fields> Of(const MsgValue& value, std::string what) {
    if (!value.IsMap()) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed ", what,
                       ": expected a map but found ", value.TypeName());
    }
    return Fields(value, std::move(what));
  }

  Result<const MsgValue*> Get(std::string_view key) const {
    const MsgValue* v = value_->Find(key);
    if (v == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed ", what_, ": missing key '", key,
                       "'");
    }
    return v;
  }
  Status Bad(std::string_view key, const MsgValue& v, std::string_view expected) const {
    return MakeError(ErrorCode::kInvalidArgument, "malformed ", what_, ": key '", key,
                     "' should be ", expected, " but is ", v.TypeName());
  }
  Result<int64_t> Int(std::string_view key) const {
    DC_ASSIGN_OR_RAISE(const MsgValue* v, Get(key));
    auto i = v->AsInt();
    if (!i) return Bad(key, *v, "an integer");
    return *i;
  }
  Result<bool> Bool(std::string_view key) const {
    DC_ASSIGN_OR_RAISE(const MsgValue* v, Get(key));
    auto b = v->AsBool();
    if (!b) return Bad(key, *v, "a bool");
    return *b;
  }
  Result<std::string> String(std::string_view key) const {
    DC_ASSIGN_OR_RAISE(const MsgValue* v, Get(key));
    if (const std::string* s = v->AsString()) return *s;
    if (const std::string* b = v->AsBinary()) return *b;
    return Bad(key, *v, "a string");
  }
  Result<const MsgArray*> Array(std::string_view key) const {
    DC_ASSIGN_OR_RAISE(const MsgValue* v, Get(key));
    const MsgArray* a = v->AsArray();
    if (a == nullptr) return Bad(key, *v, "an array");
    return a;
  }
  Result<std::vector<std::string>> StringList(std::string_view key) const {
    DC_ASSIGN_OR_RAISE(const MsgArray* a, Array(key));
    std::vector<std::string> out;
    out.reserve(a->size());
    for (const MsgValue& item : *a) {
      const std::string* s = item.AsString();
      if (s == nullptr) return Bad(key, item, "an array of strings");
      out.push_back(*s);
    }
    return out;
  }
  template <typename T, typename Decode>
  Result<std::vector<T>> List(std::string_view key, Decode&& decode) const {
    DC_ASSIGN_OR_RAISE(const MsgArray* a, Array(key));
    std::vector<T> out;
    out.reserve(a->size());
    for (const MsgValue& item : *a) {
      DC_ASSIGN_OR_RAISE(T value, decode(item));
      out.push_back(std::move(value));
    }
    return out;
  }
  bool Has(std::string_view key) const {
    const MsgValue* v = value_->Find(key);
    return v != nullptr && !v->IsNil();
  }

 private:
  Fields(const MsgValue& value, std::string what) : value_(&value), what_(std::move(what)) {}
  const MsgValue* value_;
  std::string what_;
};

Result<MsgValue> Decode(std::string_view bytes, std::string_view what) {
  auto value = storage::DecodeMsgpack(bytes);
  if (!value.ok()) {
    return MakeError(ErrorCode::kInvalidArgument, "malformed ", what, ": ",
                     value.status().message());
  }
  return std::move(*value);
}

MsgValue EncodeRef(const FileSystemRef& ref) {
  return MsgValue::Map({{"key", Str(ref.key)}, {"uri", Str(ref.uri)}});
}
Result<FileSystemRef> DecodeRef(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "catalog reference"));
  FileSystemRef ref;
  DC_ASSIGN_OR_RAISE(ref.key, f.String("key"));
  DC_ASSIGN_OR_RAISE(ref.uri, f.String("uri"));
  return ref;
}

MsgValue EncodeFile(const CompactionInputFile& file) {
  return MsgValue::Map({{"path", Str(file.path)},
                        {"content_type", Str(ContentTypeString(file.content_type))},
                        {"content_encoding", Str(ContentEncodingString(file.content_encoding))},
                        {"record_count", Int(file.record_count)},
                        {"content_length", Int(file.content_length)},
                        {"estimated_arrow_bytes", Int(file.estimated_arrow_bytes)}});
}
Result<CompactionInputFile> DecodeFile(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "input file"));
  CompactionInputFile file;
  DC_ASSIGN_OR_RAISE(file.path, f.String("path"));
  DC_ASSIGN_OR_RAISE(std::string type, f.String("content_type"));
  DC_ASSIGN_OR_RAISE(file.content_type, ParseContentType(type));
  DC_ASSIGN_OR_RAISE(std::string encoding, f.String("content_encoding"));
  DC_ASSIGN_OR_RAISE(file.content_encoding, ParseContentEncoding(encoding));
  DC_ASSIGN_OR_RAISE(file.record_count, f.Int("record_count"));
  DC_ASSIGN_OR_RAISE(file.content_length, f.Int("content_length"));
  DC_ASSIGN_OR_RAISE(file.estimated_arrow_bytes, f.Int("estimated_arrow_bytes"));
  return file;
}

MsgValue EncodeRun(const SpillRun& run) {
  MsgArray batches;
  batches.reserve(run.batches.size());
  for (int32_t b : run.batches) batches.push_back(Int(b));
  return MsgValue::Map({{"path", Str(run.path)},
                        {"batches", MsgValue::Array(std::move(batches))},
                        {"rows", Int(run.rows)},
                        {"bytes", Int(run.bytes)}});
}
Result<SpillRun> DecodeRun(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "spill run"));
  SpillRun run;
  DC_ASSIGN_OR_RAISE(run.path, f.String("path"));
  DC_ASSIGN_OR_RAISE(run.rows, f.Int("rows"));
  DC_ASSIGN_OR_RAISE(run.bytes, f.Int("bytes"));
  DC_ASSIGN_OR_RAISE(const MsgArray* batches, f.Array("batches"));
  for (const MsgValue& b : *batches) {
    auto index = b.AsInt();
    if (!index || *index < 0 || *index > INT32_MAX) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed spill run: bad batch index");
    }
    run.batches.push_back(static_cast<int32_t>(*index));
  }
  return run;
}

}  // namespace

std::string SerializeHashBucketTask(const HashBucketTask& task) {
  return storage::EncodeMsgpack(MsgValue::Map({
      {"catalog", EncodeRef(task.catalog)},
      {"spill_path_prefix", Str(task.spill_path_prefix)},
      {"files", ListOf(task.files, EncodeFile)},
      {"schema", MsgValue::Binary(task.schema)},
      {"merge_keys", Strings(task.merge_keys)},
      {"hash_bucket_count", Int(task.hash_bucket_count)},
      {"chunk_bytes", Int(task.chunk_bytes)},
      {"row_offset", Int(task.row_offset)},
      {"keep_spills_in_memory", MsgValue::Bool(task.keep_spills_in_memory)},
      {"stream_reads", MsgValue::Bool(task.stream_reads)},
  }));
}

Result<HashBucketTask> DeserializeHashBucketTask(std::string_view bytes) {
  DC_ASSIGN_OR_RAISE(MsgValue value, Decode(bytes, "hash-bucket task"));
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "hash-bucket task"));
  HashBucketTask task;
  DC_ASSIGN_OR_RAISE(const MsgValue* catalog, f.Get("catalog"));
  DC_ASSIGN_OR_RAISE(task.catalog, DecodeRef(*catalog));
  DC_ASSIGN_OR_RAISE(task.spill_path_prefix, f.String("spill_path_prefix"));
  DC_ASSIGN_OR_RAISE(task.files, f.List<CompactionInputFile>("files", DecodeFile));
  DC_ASSIGN_OR_RAISE(task.schema, f.String("schema"));
  DC_ASSIGN_OR_RAISE(task.merge_keys, f.StringList("merge_keys"));
  DC_ASSIGN_OR_RAISE(int64_t buckets, f.Int("hash_bucket_count"));
  if (buckets < 1 || buckets > INT32_MAX) {
    return MakeError(ErrorCode::kInvalidArgument, "malformed hash-bucket task: bucket count ",
                     buckets);
  }
  task.hash_bucket_count = static_cast<int32_t>(buckets);
  DC_ASSIGN_OR_RAISE(task.chunk_bytes, f.Int("chunk_bytes"));
  DC_ASSIGN_OR_RAISE(task.row_offset, f.Int("row_offset"));
  if (f.Has("keep_spills_in_memory")) {
    DC_ASSIGN_OR_RAISE(task.keep_spills_in_memory, f.Bool("keep_spills_in_memory"));
  }
  if (f.Has("stream_reads")) {
    DC_ASSIGN_OR_RAISE(task.stream_reads, f.Bool("stream_reads"));
  }
  return task;
}

std::string SerializeHashBucketResult(const HashBucketResult& result) {
  MsgArray buckets;
  buckets.reserve(result.buckets.size());
  for (const auto& [bucket, runs] : result.buckets) {
    buckets.push_back(MsgValue::Map({{"bucket", Int(bucket)}, {"runs", ListOf(runs, EncodeRun)}}));
  }
  return storage::EncodeMsgpack(MsgValue::Map({
      {"buckets", MsgValue::Array(std::move(buckets))},
      {"input_rows", Int(result.input_rows)},
      {"input_bytes", Int(result.input_bytes)},
      {"spill_files", Strings(result.spill_files)},
  }));
}

Result<HashBucketResult> DeserializeHashBucketResult(std::string_view bytes) {
  DC_ASSIGN_OR_RAISE(MsgValue value, Decode(bytes, "hash-bucket result"));
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "hash-bucket result"));
  HashBucketResult result;
  DC_ASSIGN_OR_RAISE(const MsgArray* buckets, f.Array("buckets"));
  for (const MsgValue& item : *buckets) {
    DC_ASSIGN_OR_RAISE(Fields b, Fields::Of(item, "hash-bucket result bucket"));
    DC_ASSIGN_OR_RAISE(int64_t bucket, b.Int("bucket"));
    DC_ASSIGN_OR_RAISE(auto runs, b.List<SpillRun>("runs", DecodeRun));
    result.buckets.emplace_back(static_cast<int32_t>(bucket), std::move(runs));
  }
  DC_ASSIGN_OR_RAISE(result.input_rows, f.Int("input_rows"));
  DC_ASSIGN_OR_RAISE(result.input_bytes, f.Int("input_bytes"));
  DC_ASSIGN_OR_RAISE(result.spill_files, f.StringList("spill_files"));
  return result;
}

namespace {

std::string_view InputKindName(MergeTaskInput::Kind kind) {
  switch (kind) {
    case MergeTaskInput::Kind::kCompacted: return "compacted";
    case MergeTaskInput::Kind::kUpsert: return "upsert";
    case MergeTaskInput::Kind::kAppend: return "append";
    case MergeTaskInput::Kind::kDelete: return "delete";
  }
  return "upsert";
}

Result<MergeTaskInput::Kind> ParseInputKind(std::string_view name) {
  for (auto kind : {MergeTaskInput::Kind::kCompacted, MergeTaskInput::Kind::kUpsert,
                    MergeTaskInput::Kind::kAppend, MergeTaskInput::Kind::kDelete}) {
    if (InputKindName(kind) == name) return kind;
  }
  return MakeError(ErrorCode::kInvalidArgument, "malformed merge task: unknown input kind '", name,
                   "'");
}

MsgValue EncodeInput(const MergeTaskInput& input) {
  return MsgValue::Map({{"kind", Str(InputKindName(input.kind))},
                        {"stream_position", Int(input.stream_position)},
                        {"files", ListOf(input.files, EncodeFile)},
                        {"spills", ListOf(input.spills, EncodeRun)},
                        {"delete_columns", Strings(input.delete_columns)}});
}

Result<MergeTaskInput> DecodeInput(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "merge task input"));
  MergeTaskInput input;
  DC_ASSIGN_OR_RAISE(std::string kind, f.String("kind"));
  DC_ASSIGN_OR_RAISE(input.kind, ParseInputKind(kind));
  DC_ASSIGN_OR_RAISE(input.stream_position, f.Int("stream_position"));
  DC_ASSIGN_OR_RAISE(input.files, f.List<CompactionInputFile>("files", DecodeFile));
  DC_ASSIGN_OR_RAISE(input.spills, f.List<SpillRun>("spills", DecodeRun));
  DC_ASSIGN_OR_RAISE(input.delete_columns, f.StringList("delete_columns"));
  return input;
}

MsgValue EncodeSortKey(const MergeSortKey& key) {
  return MsgValue::Map(
      {{"column", Str(key.column)}, {"descending", MsgValue::Bool(key.descending)}});
}

Result<MergeSortKey> DecodeSortKey(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "merge task sort key"));
  MergeSortKey key;
  DC_ASSIGN_OR_RAISE(key.column, f.String("column"));
  DC_ASSIGN_OR_RAISE(key.descending, f.Bool("descending"));
  return key;
}

MsgValue EncodeMergedFile(const MergedFile& file) {
  MsgValue encoded = MsgValue::Map({{"url", Str(file.url)},
                                    {"record_count", Int(file.record_count)},
                                    {"content_length", Int(file.content_length)},
                                    {"source_content_length", Int(file.source_content_length)}});
  if (!file.column_statistics.IsNil()) encoded.Set("column_statistics", file.column_statistics);
  return encoded;
}

Result<MergedFile> DecodeMergedFile(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "merged file"));
  MergedFile file;
  DC_ASSIGN_OR_RAISE(file.url, f.String("url"));
  DC_ASSIGN_OR_RAISE(file.record_count, f.Int("record_count"));
  DC_ASSIGN_OR_RAISE(file.content_length, f.Int("content_length"));
  DC_ASSIGN_OR_RAISE(file.source_content_length, f.Int("source_content_length"));
  if (const MsgValue* statistics = value.Find("column_statistics")) {
    file.column_statistics = *statistics;
  }
  return file;
}

}  // namespace

std::string SerializeMergeTask(const MergeTask& task) {
  MsgValue map = MsgValue::Map({
      {"catalog", EncodeRef(task.catalog)},
      {"hash_bucket", Int(task.hash_bucket)},
      {"schema", MsgValue::Binary(task.schema)},
      {"merge_keys", Strings(task.merge_keys)},
      {"sort_keys", ListOf(task.sort_keys, EncodeSortKey)},
      {"drop_duplicates", MsgValue::Bool(task.drop_duplicates)},
      {"provided_columns",
       task.provided_columns ? Strings(*task.provided_columns) : MsgValue::Nil()},
      {"inputs", ListOf(task.inputs, EncodeInput)},
      {"output_dir", Str(task.output_dir)},
      {"output_url_prefix", Str(task.output_url_prefix)},
      {"records_per_file", Int(task.records_per_file)},
      {"max_file_bytes", Int(task.max_file_bytes)},
      {"memory_budget_bytes", Int(task.memory_budget_bytes)},
      {"spill_dir", Str(task.spill_dir)},
      {"write_empty_file", MsgValue::Bool(task.write_empty_file)},
      {"output_row_group_rows", Int(task.output_row_group_rows)},
      {"output_data_page_bytes", Int(task.output_data_page_bytes)},
      {"output_dictionary_page_bytes", Int(task.output_dictionary_page_bytes)},
      {"stream_reads", MsgValue::Bool(task.stream_reads)},
  });
  return storage::EncodeMsgpack(map);
}

Result<MergeTask> DeserializeMergeTask(std::string_view bytes) {
  DC_ASSIGN_OR_RAISE(MsgValue value, Decode(bytes, "merge task"));
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "merge task"));
  MergeTask task;
  DC_ASSIGN_OR_RAISE(const MsgValue* catalog, f.Get("catalog"));
  DC_ASSIGN_OR_RAISE(task.catalog, DecodeRef(*catalog));
  DC_ASSIGN_OR_RAISE(int64_t bucket, f.Int("hash_bucket"));
  task.hash_bucket = static_cast<int32_t>(bucket);
  DC_ASSIGN_OR_RAISE(task.schema, f.String("schema"));
  DC_ASSIGN_OR_RAISE(task.merge_keys, f.StringList("merge_keys"));
  DC_ASSIGN_OR_RAISE(task.sort_keys, f.List<MergeSortKey>("sort_keys", DecodeSortKey));
  DC_ASSIGN_OR_RAISE(task.drop_duplicates, f.Bool("drop_duplicates"));
  if (f.Has("provided_columns")) {
    DC_ASSIGN_OR_RAISE(task.provided_columns, f.StringList("provided_columns"));
  }
  DC_ASSIGN_OR_RAISE(task.inputs, f.List<MergeTaskInput>("inputs", DecodeInput));
  DC_ASSIGN_OR_RAISE(task.output_dir, f.String("output_dir"));
  DC_ASSIGN_OR_RAISE(task.output_url_prefix, f.String("output_url_prefix"));
  DC_ASSIGN_OR_RAISE(task.records_per_file, f.Int("records_per_file"));
  DC_ASSIGN_OR_RAISE(task.max_file_bytes, f.Int("max_file_bytes"));
  DC_ASSIGN_OR_RAISE(task.memory_budget_bytes, f.Int("memory_budget_bytes"));
  DC_ASSIGN_OR_RAISE(task.spill_dir, f.String("spill_dir"));
  DC_ASSIGN_OR_RAISE(task.write_empty_file, f.Bool("write_empty_file"));
  if (f.Has("output_row_group_rows")) {
    DC_ASSIGN_OR_RAISE(task.output_row_group_rows, f.Int("output_row_group_rows"));
    if (task.output_row_group_rows < 1) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed merge task: output row group rows ",
                       task.output_row_group_rows);
    }
  }
  for (auto [name, field] :
       {std::pair{"output_data_page_bytes", &task.output_data_page_bytes},
        std::pair{"output_dictionary_page_bytes", &task.output_dictionary_page_bytes}}) {
    if (!f.Has(name)) continue;
    DC_ASSIGN_OR_RAISE(*field, f.Int(name));
    if (*field < 1) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed merge task: ", name, " ", *field);
    }
  }
  if (f.Has("stream_reads")) {
    DC_ASSIGN_OR_RAISE(task.stream_reads, f.Bool("stream_reads"));
  }
  return task;
}

std::string SerializeMergeTaskResult(const MergeTaskResult& result) {
  return storage::EncodeMsgpack(MsgValue::Map({
      {"hash_bucket", Int(result.hash_bucket)},
      {"files", ListOf(result.files, EncodeMergedFile)},
      {"input_rows", Int(result.stats.input_rows)},
      {"deduped_rows", Int(result.stats.deduped_rows)},
      {"deleted_rows", Int(result.stats.deleted_rows)},
      {"output_rows", Int(result.stats.output_rows)},
      {"sub_partitions", Int(result.sub_partitions)},
  }));
}

Result<MergeTaskResult> DeserializeMergeTaskResult(std::string_view bytes) {
  DC_ASSIGN_OR_RAISE(MsgValue value, Decode(bytes, "merge task result"));
  DC_ASSIGN_OR_RAISE(Fields f, Fields::Of(value, "merge task result"));
  MergeTaskResult result;
  DC_ASSIGN_OR_RAISE(int64_t bucket, f.Int("hash_bucket"));
  result.hash_bucket = static_cast<int32_t>(bucket);
  DC_ASSIGN_OR_RAISE(result.files, f.List<MergedFile>("files", DecodeMergedFile));
  DC_ASSIGN_OR_RAISE(result.stats.input_rows, f.Int("input_rows"));
  DC_ASSIGN_OR_RAISE(result.stats.deduped_rows, f.Int("deduped_rows"));
  DC_ASSIGN_OR_RAISE(result.stats.deleted_rows, f.Int("deleted_rows"));
  DC_ASSIGN_OR_RAISE(result.stats.output_rows, f.Int("output_rows"));
  DC_ASSIGN_OR_RAISE(int64_t sub_partitions, f.Int("sub_partitions"));
  result.sub_partitions = static_cast<int32_t>(sub_partitions);
  return result;
}

int64_t AnnouncedUpsertRows(const MergeTask& task) {
  int64_t rows = 0;
  for (const MergeTaskInput& input : task.inputs) {
    if (input.kind == MergeTaskInput::Kind::kDelete) continue;
    for (const auto& file : input.files) rows += file.record_count;
    for (const auto& run : input.spills) rows += run.rows;
  }
  return rows;
}

}  // namespace deltacat::compute
