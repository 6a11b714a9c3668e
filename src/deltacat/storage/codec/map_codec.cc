#include "deltacat/storage/codec/map_codec.h"

#include <unordered_map>

namespace deltacat::storage::codec {

std::string JoinPath(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (!out.empty()) out.push_back('.');
  out.append(key);
  return out;
}

std::string IndexPath(std::string_view parent, size_t index) {
  std::string out(parent);
  out.push_back('[');
  out.append(std::to_string(index));
  out.push_back(']');
  return out;
}

Result<MapReader> MapReader::Open(const MsgValue& value, std::string path) {
  const MsgMap* map = value.AsMap();
  if (map == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", path, " to be a map but found ",
                     value.TypeName());
  }
  return MapReader(map, std::move(path));
}

Status MapReader::WrongKind(std::string_view key, std::string_view expected,
                            const MsgValue& actual) const {
  return MakeError(ErrorCode::kCorruptMetadata, "expected ", PathOf(key), " to be ", expected,
                   " but found ", actual.TypeName());
}

const MsgValue* MapReader::Take(std::string_view key) {
  for (size_t i = 0; i < map_->size(); ++i) {
    if ((*map_)[i].first == key) {
      taken_[i] = true;
      return &(*map_)[i].second;
    }
  }
  return nullptr;
}

MsgValue MapReader::Raw(std::string_view key) {
  const MsgValue* value = Take(key);
  return value ? *value : MsgValue::Nil();
}

Result<std::optional<std::string>> MapReader::String(std::string_view key) {
  const MsgValue* value = Take(key);
  if (value == nullptr || value->IsNil()) return std::optional<std::string>();
  if (const std::string* s = value->AsString()) return std::optional<std::string>(*s);
  return WrongKind(key, "a str", *value);
}

Result<std::optional<std::string>> MapReader::Binary(std::string_view key) {
  const MsgValue* value = Take(key);
  if (value == nullptr || value->IsNil()) return std::optional<std::string>();
  if (const std::string* b = value->AsBinary()) return std::optional<std::string>(*b);
  return WrongKind(key, "bin", *value);
}

Result<std::optional<int64_t>> MapReader::Int(std::string_view key) {
  const MsgValue* value = Take(key);
  if (value == nullptr || value->IsNil()) return std::optional<int64_t>();
  DC_ASSIGN_OR_RAISE(int64_t v, value->GetInt(PathOf(key)));
  return std::optional<int64_t>(v);
}

Result<std::optional<double>> MapReader::Double(std::string_view key) {
  const MsgValue* value = Take(key);
  if (value == nullptr || value->IsNil()) return std::optional<double>();
  DC_ASSIGN_OR_RAISE(double v, value->GetDouble(PathOf(key)));
  return std::optional<double>(v);
}

Result<std::optional<bool>> MapReader::Bool(std::string_view key) {
  const MsgValue* value = Take(key);
  if (value == nullptr || value->IsNil()) return std::optional<bool>();
  DC_ASSIGN_OR_RAISE(bool v, value->GetBool(PathOf(key)));
  return std::optional<bool>(v);
}

namespace {
Result<std::optional<std::vector<std::string>>> ReadList(const MsgValue* value,
                                                         const std::string& path, bool binary) {
  using Out = std::optional<std::vector<std::string>>;
  if (value == nullptr || value->IsNil()) return Out();
  const MsgArray* items = value->AsArray();
  if (items == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", path, " to be an array but found ",
                     value->TypeName());
  }
  std::vector<std::string> out;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    std::string item_path = IndexPath(path, i);
    DC_ASSIGN_OR_RAISE(std::string item, binary ? (*items)[i].GetBinary(item_path)
                                                : (*items)[i].GetString(item_path));
    out.push_back(std::move(item));
  }
  return Out(std::move(out));
}
}  // namespace

Result<std::optional<std::vector<std::string>>> MapReader::StringList(std::string_view key) {
  return ReadList(Take(key), PathOf(key), /*binary=*/false);
}

Result<std::optional<std::vector<std::string>>> MapReader::BinaryList(std::string_view key) {
  return ReadList(Take(key), PathOf(key), /*binary=*/true);
}

Result<std::string> MapReader::RequiredString(std::string_view key) {
  const MsgValue* value = Take(key);
  if (value == nullptr || value->IsNil()) {
    return MakeError(ErrorCode::kCorruptMetadata, "missing required ", PathOf(key));
  }
  return value->GetString(PathOf(key));
}

MapExtras MapReader::Finish() const {
  MapExtras extras;
  extras.key_order.reserve(map_->size());
  for (size_t i = 0; i < map_->size(); ++i) {
    extras.key_order.push_back((*map_)[i].first);
    if (!taken_[i]) extras.unknown.push_back((*map_)[i]);
  }
  return extras;
}

void MapWriter::Put(std::string_view key, MsgValue value) {
  entries_.emplace_back(std::string(key), std::move(value));
}

MsgValue MapWriter::Finish(const MapExtras& extras) && {
  // Hash lookups throughout: a hostile file may carry any number of unknown keys.
  std::unordered_map<std::string_view, size_t> position;
  position.reserve(entries_.size() + extras.unknown.size());
  entries_.reserve(entries_.size() + extras.unknown.size());
  for (size_t i = 0; i < entries_.size(); ++i) position.emplace(entries_[i].first, i);
  for (const auto& entry : extras.unknown) {
    if (position.contains(entry.first)) continue;
    entries_.push_back(entry);
    position.emplace(entries_.back().first, entries_.size() - 1);
  }
  if (extras.key_order.empty()) return MsgValue::Map(std::move(entries_));

  // Python rewrites a dict it read in place: original keys keep their positions, new keys
  // go last. A key the original did not have and that is still nil was never set.
  // (Indexes first, moves last: `position` points into the entries' keys.)
  std::vector<size_t> order;
  order.reserve(entries_.size());
  std::vector<bool> used(entries_.size(), false);
  for (const std::string& key : extras.key_order) {
    auto it = position.find(key);
    if (it == position.end() || used[it->second]) continue;
    used[it->second] = true;
    order.push_back(it->second);
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (!used[i] && !entries_[i].second.IsNil()) order.push_back(i);
  }
  MsgMap ordered;
  ordered.reserve(order.size());
  for (size_t i : order) ordered.push_back(std::move(entries_[i]));
  return MsgValue::Map(std::move(ordered));
}

MsgValue ToMsg(const std::vector<std::string>& strings) {
  MsgArray items;
  items.reserve(strings.size());
  for (const std::string& s : strings) items.push_back(MsgValue::String(s));
  return MsgValue::Array(std::move(items));
}

MsgValue ToMsgBinaryList(const std::vector<std::string>& items) {
  MsgArray out;
  out.reserve(items.size());
  for (const std::string& b : items) out.push_back(MsgValue::Binary(b));
  return MsgValue::Array(std::move(out));
}

}  // namespace deltacat::storage::codec
