#include "deltacat/storage/codec/scheme_codec.h"

#include "deltacat/storage/codec/map_codec.h"

namespace deltacat::storage {

using codec::IndexPath;
using codec::kToMsg;
using codec::MapReader;
using codec::MapWriter;

Result<FieldLocator> DecodeFieldLocator(const MsgValue& value, std::string_view path) {
  if (const std::string* name = value.AsString()) return FieldLocator(*name);
  if (value.IsInteger()) {
    DC_ASSIGN_OR_RAISE(int64_t id, value.GetInt(path));
    return FieldLocator(id);
  }
  if (const MsgArray* parts = value.AsArray()) {
    std::vector<std::string> names;
    names.reserve(parts->size());
    for (size_t i = 0; i < parts->size(); ++i) {
      DC_ASSIGN_OR_RAISE(std::string part, (*parts)[i].GetString(IndexPath(path, i)));
      names.push_back(std::move(part));
    }
    return FieldLocator(std::move(names));
  }
  return MakeError(ErrorCode::kCorruptMetadata, "expected ", path,
                   " to be a field name, a nested field path or a field id but found ",
                   value.TypeName());
}

MsgValue EncodeFieldLocator(const FieldLocator& locator) {
  if (const auto* name = std::get_if<std::string>(&locator)) return MsgValue::String(*name);
  if (const auto* id = std::get_if<int64_t>(&locator)) return MsgValue::Int(*id);
  return codec::ToMsg(std::get<std::vector<std::string>>(locator));
}

Result<std::vector<FieldLocator>> DecodeFieldLocators(const MsgValue& value,
                                                      std::string_view path) {
  const MsgArray* items = value.AsArray();
  if (items == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", path,
                     " to be an array of field locators but found ", value.TypeName());
  }
  std::vector<FieldLocator> out;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    DC_ASSIGN_OR_RAISE(FieldLocator locator, DecodeFieldLocator((*items)[i], IndexPath(path, i)));
    out.push_back(std::move(locator));
  }
  return out;
}

MsgValue EncodeFieldLocators(const std::vector<FieldLocator>& locators) {
  MsgArray items;
  items.reserve(locators.size());
  for (const FieldLocator& locator : locators) items.push_back(EncodeFieldLocator(locator));
  return MsgValue::Array(std::move(items));
}

Result<TransformParameters> DecodeTransformParameters(const MsgValue& value,
                                                      std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  TransformParameters out;
  DC_ASSIGN_OR_RAISE(out.num_buckets, reader.Int("numBuckets"));
  DC_ASSIGN_OR_RAISE(out.bucketing_strategy, reader.Enum<BucketingStrategy>("bucketingStrategy"));
  DC_ASSIGN_OR_RAISE(out.width, reader.Int("width"));
  DC_ASSIGN_OR_RAISE(out.truncate_strategy, reader.Enum<TruncateStrategy>("truncateStrategy"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeTransformParameters(const TransformParameters& parameters) {
  MapWriter w;
  w.PutIfSet("numBuckets", parameters.num_buckets, kToMsg);
  w.PutIfSet("bucketingStrategy", parameters.bucketing_strategy, kToMsg);
  w.PutIfSet("width", parameters.width, kToMsg);
  w.PutIfSet("truncateStrategy", parameters.truncate_strategy, kToMsg);
  return std::move(w).Finish(parameters.extras);
}

Result<Transform> DecodeTransform(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  Transform out;
  DC_ASSIGN_OR_RAISE(std::string name, reader.RequiredString("name"));
  out.name = OpenEnum<TransformName>::Parse(name);
  DC_ASSIGN_OR_RAISE(out.parameters, reader.Nested("parameters", DecodeTransformParameters));
  DC_ASSIGN_OR_RAISE(out.return_type, reader.Binary("return_type"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeTransform(const Transform& transform) {
  MapWriter w;
  w.Put("name", codec::ToMsg(transform.name));
  w.PutIfSet("parameters", transform.parameters, EncodeTransformParameters);
  w.PutIfSet("return_type", transform.return_type, codec::ToMsgBinary);
  return std::move(w).Finish(transform.extras);
}

Result<PartitionKey> DecodePartitionKey(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  PartitionKey out;
  DC_ASSIGN_OR_RAISE(out.key, reader.Nested("key", DecodeFieldLocators));
  DC_ASSIGN_OR_RAISE(out.name, reader.String("name"));
  DC_ASSIGN_OR_RAISE(out.field_id, reader.Int("fieldId"));
  DC_ASSIGN_OR_RAISE(out.transform, reader.Nested("transform", DecodeTransform));
  out.native_object = reader.Raw("nativeObject");
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodePartitionKey(const PartitionKey& key) {
  MapWriter w;
  w.PutNullable("key", key.key, EncodeFieldLocators);
  w.PutNullable("name", key.name, kToMsg);
  w.PutNullable("fieldId", key.field_id, kToMsg);
  w.PutNullable("transform", key.transform, EncodeTransform);
  w.Put("nativeObject", key.native_object);
  return std::move(w).Finish(key.extras);
}

Result<PartitionScheme> DecodePartitionScheme(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  PartitionScheme out;
  DC_ASSIGN_OR_RAISE(out.keys, reader.NestedList("keys", DecodePartitionKey));
  DC_ASSIGN_OR_RAISE(out.name, reader.String("name"));
  DC_ASSIGN_OR_RAISE(out.id, reader.String("id"));
  out.native_object = reader.Raw("nativeObject");
  out.extras = reader.Finish();
  return out;
}

namespace {
template <typename T, typename Encode>
MsgValue EncodeList(const std::vector<T>& items, Encode&& encode) {
  MsgArray out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back(encode(item));
  return MsgValue::Array(std::move(out));
}
}  // namespace

MsgValue EncodePartitionScheme(const PartitionScheme& scheme) {
  MapWriter w;
  w.PutNullable("keys", scheme.keys,
                [](const auto& keys) { return EncodeList(keys, EncodePartitionKey); });
  w.PutNullable("name", scheme.name, kToMsg);
  w.PutNullable("id", scheme.id, kToMsg);
  w.Put("nativeObject", scheme.native_object);
  return std::move(w).Finish(scheme.extras);
}

Result<SortKey> DecodeSortKey(const MsgValue& value, std::string_view path) {
  const MsgArray* items = value.AsArray();
  if (items == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", path,
                     " to be a [key, sort_order, null_order, transform, native_object] array"
                     " but found ",
                     value.TypeName());
  }
  SortKey out;
  auto item = [&](size_t i) -> const MsgValue* {
    return i < items->size() && !(*items)[i].IsNil() ? &(*items)[i] : nullptr;
  };
  if (const MsgValue* key = item(0)) {
    DC_ASSIGN_OR_RAISE(out.key, DecodeFieldLocators(*key, IndexPath(path, 0)));
  }
  if (const MsgValue* order = item(1)) {
    DC_ASSIGN_OR_RAISE(std::string text, order->GetString(IndexPath(path, 1)));
    out.sort_order = OpenEnum<SortOrder>::Parse(text);
  }
  if (const MsgValue* order = item(2)) {
    DC_ASSIGN_OR_RAISE(std::string text, order->GetString(IndexPath(path, 2)));
    out.null_order = OpenEnum<NullOrder>::Parse(text);
  }
  if (const MsgValue* transform = item(3)) {
    DC_ASSIGN_OR_RAISE(out.transform, DecodeTransform(*transform, IndexPath(path, 3)));
  }
  if (items->size() > 4) out.native_object = (*items)[4];
  for (size_t i = 5; i < items->size(); ++i) out.extra_items.push_back((*items)[i]);
  return out;
}

MsgValue EncodeSortKey(const SortKey& key) {
  MsgArray items;
  items.push_back(key.key ? EncodeFieldLocators(*key.key) : MsgValue::Nil());
  items.push_back(codec::ToMsg(key.sort_order));
  items.push_back(codec::ToMsg(key.null_order));
  items.push_back(key.transform ? EncodeTransform(*key.transform) : MsgValue::Nil());
  items.push_back(key.native_object);
  for (const MsgValue& extra : key.extra_items) items.push_back(extra);
  return MsgValue::Array(std::move(items));
}

Result<SortScheme> DecodeSortScheme(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  SortScheme out;
  DC_ASSIGN_OR_RAISE(out.keys, reader.NestedList("keys", DecodeSortKey));
  DC_ASSIGN_OR_RAISE(out.name, reader.String("name"));
  DC_ASSIGN_OR_RAISE(out.id, reader.String("id"));
  out.native_object = reader.Raw("nativeObject");
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeSortScheme(const SortScheme& scheme) {
  MapWriter w;
  w.PutNullable("keys", scheme.keys,
                [](const auto& keys) { return EncodeList(keys, EncodeSortKey); });
  w.PutNullable("name", scheme.name, kToMsg);
  w.PutNullable("id", scheme.id, kToMsg);
  w.Put("nativeObject", scheme.native_object);
  return std::move(w).Finish(scheme.extras);
}

}  // namespace deltacat::storage
