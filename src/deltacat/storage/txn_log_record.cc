#include "deltacat/storage/txn_log_record.h"

#include <utility>

#include "deltacat/fs/file_ops.h"

namespace deltacat::storage {

namespace {

MsgValue OptionalInt(const std::optional<int64_t>& value) {
  return value ? MsgValue::Int(*value) : MsgValue();
}

MsgValue StringArray(const std::vector<std::string>& items) {
  MsgArray array;
  array.reserve(items.size());
  for (const auto& item : items) array.push_back(MsgValue::String(item));
  return MsgValue::Array(std::move(array));
}

MsgValue EncodeRef(const TxnLogMetafileRef& ref) {
  MsgMap map = {{"id", ref.id}, {"locator", ref.locator}, {"locator_alias", ref.locator_alias}};
  for (const auto& entry : ref.extra) map.push_back(entry);
  return MsgValue::Map(std::move(map));
}

Result<std::optional<int64_t>> DecodeOptionalInt(const MsgValue& map, std::string_view key,
                                                 std::string_view what) {
  const MsgValue* value = map.Find(key);
  if (value == nullptr || value->IsNil()) return std::optional<int64_t>();
  DC_ASSIGN_OR_RAISE(auto number, value->GetInt(std::string(what) + " '" + std::string(key) + "'"));
  return std::optional<int64_t>(number);
}

Result<std::optional<std::string>> DecodeOptionalString(const MsgValue& map, std::string_view key,
                                                        std::string_view what) {
  const MsgValue* value = map.Find(key);
  if (value == nullptr || value->IsNil()) return std::optional<std::string>();
  DC_ASSIGN_OR_RAISE(auto text,
                     value->GetString(std::string(what) + " '" + std::string(key) + "'"));
  return std::optional<std::string>(std::move(text));
}

Result<std::vector<std::string>> DecodePaths(const MsgValue& map, std::string_view key,
                                             std::string_view what) {
  std::vector<std::string> paths;
  const MsgValue* value = map.Find(key);
  if (value == nullptr || value->IsNil()) return paths;
  const MsgArray* items = value->AsArray();
  if (items == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, what, " '", key, "' is a msgpack ",
                     value->TypeName(), ", expected an array");
  }
  for (const auto& item : *items) {
    DC_ASSIGN_OR_RAISE(auto path, item.GetString(std::string(what) + " path"));
    paths.push_back(std::move(path));
  }
  return paths;
}

Result<TxnLogMetafileRef> DecodeRef(const MsgValue& value, std::string_view what) {
  if (!value.IsMap()) {
    return MakeError(ErrorCode::kCorruptMetadata, what, " is a msgpack ", value.TypeName(),
                     ", expected a map");
  }
  TxnLogMetafileRef ref;
  for (const auto& [key, item] : *value.AsMap()) {
    if (key == "id") {
      ref.id = item;
    } else if (key == "locator") {
      ref.locator = item;
    } else if (key == "locator_alias") {
      ref.locator_alias = item;
    } else {
      ref.extra.emplace_back(key, item);
    }
  }
  return ref;
}

Result<TxnLogOperation> DecodeOperation(const MsgValue& value, std::string_view what) {
  if (!value.IsMap()) {
    return MakeError(ErrorCode::kCorruptMetadata, what, " is a msgpack ", value.TypeName(),
                     ", expected a map");
  }
  TxnLogOperation op;
  const MsgValue* type = value.Find("type");
  if (type == nullptr) return MakeError(ErrorCode::kCorruptMetadata, what, " has no 'type'");
  DC_ASSIGN_OR_RAISE(op.type, type->GetString(std::string(what) + " 'type'"));
  const MsgValue* dest = value.Find("dest_metafile");
  if (dest == nullptr || dest->IsNil()) {
    return MakeError(ErrorCode::kCorruptMetadata, what, " has no 'dest_metafile'");
  }
  DC_ASSIGN_OR_RAISE(op.dest, DecodeRef(*dest, std::string(what) + " 'dest_metafile'"));
  const MsgValue* src = value.Find("src_metafile");
  if (src != nullptr && !src->IsNil()) {
    DC_ASSIGN_OR_RAISE(auto ref, DecodeRef(*src, std::string(what) + " 'src_metafile'"));
    op.src = std::move(ref);
  }
  DC_ASSIGN_OR_RAISE(op.read_limit, DecodeOptionalInt(value, "read_limit", what));
  DC_ASSIGN_OR_RAISE(op.metafile_write_paths, DecodePaths(value, "metafile_write_paths", what));
  DC_ASSIGN_OR_RAISE(op.locator_write_paths, DecodePaths(value, "locator_write_paths", what));
  for (const auto& [key, item] : *value.AsMap()) {
    if (key != "type" && key != "dest_metafile" && key != "src_metafile" && key != "read_limit" &&
        key != "metafile_write_paths" && key != "locator_write_paths") {
      op.extra.emplace_back(key, item);
    }
  }
  return op;
}

}  // namespace

std::vector<std::string> TxnLogRecord::AllMetafileWritePaths() const {
  std::vector<std::string> paths;
  for (const auto& op : operations) {
    paths.insert(paths.end(), op.metafile_write_paths.begin(), op.metafile_write_paths.end());
  }
  return paths;
}

std::vector<std::string> TxnLogRecord::AllLocatorWritePaths() const {
  std::vector<std::string> paths;
  for (const auto& op : operations) {
    paths.insert(paths.end(), op.locator_write_paths.begin(), op.locator_write_paths.end());
  }
  return paths;
}

MsgValue EncodeTxnLogRecord(const TxnLogRecord& record) {
  MsgArray operations;
  operations.reserve(record.operations.size());
  for (const auto& op : record.operations) {
    MsgMap map = {
        {"type", MsgValue::String(op.type)},
        {"dest_metafile", EncodeRef(op.dest)},
        {"src_metafile", op.src ? EncodeRef(*op.src) : MsgValue()},
        {"read_limit", OptionalInt(op.read_limit)},
        {"metafile_write_paths", StringArray(op.metafile_write_paths)},
        {"locator_write_paths", StringArray(op.locator_write_paths)},
    };
    for (const auto& entry : op.extra) map.push_back(entry);
    operations.push_back(MsgValue::Map(std::move(map)));
  }
  MsgMap map = {{"operations", MsgValue::Array(std::move(operations))}};
  if (record.commit_message)
    map.emplace_back("commit_message", MsgValue::String(*record.commit_message));
  map.emplace_back("_time_provider",
                   MsgValue::Map({{"type", MsgValue::String(record.time_provider_type)},
                                  {"params", MsgValue::Map()}}));
  if (record.historic_timestamp) {
    map.emplace_back("historic_timestamp", MsgValue::Int(*record.historic_timestamp));
  }
  map.emplace_back("start_time", MsgValue::Int(record.start_time));
  map.emplace_back("catalog_root_normalized", MsgValue::String(record.catalog_root_normalized));
  if (record.catalog_name) map.emplace_back("catalog_name", MsgValue::String(*record.catalog_name));
  map.emplace_back("id", MsgValue::String(record.id));
  if (record.pause_time) map.emplace_back("pause_time", MsgValue::Int(*record.pause_time));
  if (record.end_time) map.emplace_back("end_time", MsgValue::Int(*record.end_time));
  for (const auto& entry : record.extra) map.push_back(entry);
  return MsgValue::Map(std::move(map));
}

Result<TxnLogRecord> DecodeTxnLogRecord(const MsgValue& value, std::string_view what) {
  if (!value.IsMap()) {
    return MakeError(ErrorCode::kCorruptMetadata, what, ": transaction log is a msgpack ",
                     value.TypeName(), ", expected a map");
  }
  TxnLogRecord record;
  const MsgValue* id = value.Find("id");
  if (id == nullptr) return MakeError(ErrorCode::kCorruptMetadata, what, ": no 'id'");
  DC_ASSIGN_OR_RAISE(record.id, id->GetString(std::string(what) + " 'id'"));
  const MsgValue* start = value.Find("start_time");
  if (start == nullptr) return MakeError(ErrorCode::kCorruptMetadata, what, ": no 'start_time'");
  DC_ASSIGN_OR_RAISE(record.start_time, start->GetInt(std::string(what) + " 'start_time'"));
  DC_ASSIGN_OR_RAISE(record.end_time, DecodeOptionalInt(value, "end_time", what));
  DC_ASSIGN_OR_RAISE(record.pause_time, DecodeOptionalInt(value, "pause_time", what));
  DC_ASSIGN_OR_RAISE(record.historic_timestamp,
                     DecodeOptionalInt(value, "historic_timestamp", what));
  DC_ASSIGN_OR_RAISE(record.commit_message, DecodeOptionalString(value, "commit_message", what));
  DC_ASSIGN_OR_RAISE(record.catalog_name, DecodeOptionalString(value, "catalog_name", what));
  DC_ASSIGN_OR_RAISE(auto root, DecodeOptionalString(value, "catalog_root_normalized", what));
  record.catalog_root_normalized = root.value_or("");
  const MsgValue* provider = value.Find("_time_provider");
  if (provider != nullptr && provider->IsMap()) {
    DC_ASSIGN_OR_RAISE(auto type, DecodeOptionalString(*provider, "type", what));
    if (type) record.time_provider_type = *type;
  }
  const MsgValue* operations = value.Find("operations");
  if (operations == nullptr || !operations->IsArray()) {
    return MakeError(ErrorCode::kCorruptMetadata, what,
                     ": 'operations' is missing or not an array");
  }
  size_t index = 0;
  for (const auto& item : *operations->AsArray()) {
    DC_ASSIGN_OR_RAISE(auto op, DecodeOperation(item, std::string(what) + " operation " +
                                                          std::to_string(index++)));
    record.operations.push_back(std::move(op));
  }
  for (const auto& [key, item] : *value.AsMap()) {
    if (key != "id" && key != "start_time" && key != "end_time" && key != "pause_time" &&
        key != "historic_timestamp" && key != "commit_message" && key != "catalog_name" &&
        key != "catalog_root_normalized" && key != "_time_provider" && key != "operations") {
      record.extra.emplace_back(key, item);
    }
  }
  return record;
}

Result<TxnLogRecord> ReadTxnLog(arrow::fs::FileSystem& fs, const std::string& path) {
  DC_ASSIGN_OR_RAISE(auto bytes, ReadWholeFile(fs, path, kMaxTxnLogBytes));
  auto decoded = DecodeMsgpack(bytes);
  if (!decoded.ok()) return decoded.status().WithContext("transaction log '" + path + "'");
  return DecodeTxnLogRecord(*decoded, "transaction log '" + path + "'");
}

}  // namespace deltacat::storage
