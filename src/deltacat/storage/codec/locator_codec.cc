#include "deltacat/storage/codec/locator_codec.h"

#include "deltacat/storage/codec/map_codec.h"

namespace deltacat::storage {

using codec::kToMsg;
using codec::MapReader;
using codec::MapWriter;

namespace {

/// nil, or an array; `[]` reads as nil like Python's locator setter makes it.
Result<std::optional<MsgArray>> ReadPartitionValues(MapReader& reader, std::string_view key) {
  const MsgValue* value = reader.Take(key);
  if (value == nullptr || value->IsNil()) return std::optional<MsgArray>();
  const MsgArray* items = value->AsArray();
  if (items == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", reader.PathOf(key),
                     " to be an array or nil but found ", value->TypeName());
  }
  if (items->empty()) return std::optional<MsgArray>();
  return std::optional<MsgArray>(*items);
}

MsgValue PartitionValuesToMsg(const MsgArray& values) {
  return values.empty() ? MsgValue::Nil() : MsgValue::Array(values);
}

}  // namespace

Result<NamespaceLocator> DecodeNamespaceLocator(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  NamespaceLocator out;
  DC_ASSIGN_OR_RAISE(out.namespace_name, reader.String("namespace"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeNamespaceLocator(const NamespaceLocator& locator) {
  MapWriter w;
  w.PutNullable("namespace", locator.namespace_name, kToMsg);
  return std::move(w).Finish(locator.extras);
}

Result<TableLocator> DecodeTableLocator(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  TableLocator out;
  DC_ASSIGN_OR_RAISE(out.namespace_locator,
                     reader.Nested("namespaceLocator", DecodeNamespaceLocator));
  DC_ASSIGN_OR_RAISE(out.table_name, reader.String("tableName"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeTableLocator(const TableLocator& locator) {
  MapWriter w;
  w.PutNullable("namespaceLocator", locator.namespace_locator, EncodeNamespaceLocator);
  w.PutNullable("tableName", locator.table_name, kToMsg);
  return std::move(w).Finish(locator.extras);
}

Result<TableVersionLocator> DecodeTableVersionLocator(const MsgValue& value,
                                                      std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  TableVersionLocator out;
  DC_ASSIGN_OR_RAISE(out.table_locator, reader.Nested("tableLocator", DecodeTableLocator));
  DC_ASSIGN_OR_RAISE(out.table_version, reader.String("tableVersion"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeTableVersionLocator(const TableVersionLocator& locator) {
  MapWriter w;
  w.PutNullable("tableLocator", locator.table_locator, EncodeTableLocator);
  w.PutNullable("tableVersion", locator.table_version, kToMsg);
  return std::move(w).Finish(locator.extras);
}

Result<StreamLocator> DecodeStreamLocator(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  StreamLocator out;
  DC_ASSIGN_OR_RAISE(out.table_version_locator,
                     reader.Nested("tableVersionLocator", DecodeTableVersionLocator));
  DC_ASSIGN_OR_RAISE(out.stream_id, reader.String("streamId"));
  DC_ASSIGN_OR_RAISE(out.format, reader.String("format"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeStreamLocator(const StreamLocator& locator) {
  MapWriter w;
  w.PutNullable("tableVersionLocator", locator.table_version_locator, EncodeTableVersionLocator);
  w.PutNullable("streamId", locator.stream_id, kToMsg);
  w.PutNullable("format", locator.format, kToMsg);
  return std::move(w).Finish(locator.extras);
}

Result<PartitionLocator> DecodePartitionLocator(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  PartitionLocator out;
  DC_ASSIGN_OR_RAISE(out.stream_locator, reader.Nested("streamLocator", DecodeStreamLocator));
  DC_ASSIGN_OR_RAISE(out.partition_values, ReadPartitionValues(reader, "partitionValues"));
  DC_ASSIGN_OR_RAISE(out.partition_id, reader.String("partitionId"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodePartitionLocator(const PartitionLocator& locator) {
  MapWriter w;
  w.PutNullable("streamLocator", locator.stream_locator, EncodeStreamLocator);
  w.PutNullable("partitionValues", locator.partition_values, PartitionValuesToMsg);
  w.PutNullable("partitionId", locator.partition_id, kToMsg);
  return std::move(w).Finish(locator.extras);
}

Result<DeltaLocator> DecodeDeltaLocator(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  DeltaLocator out;
  DC_ASSIGN_OR_RAISE(out.partition_locator,
                     reader.Nested("partitionLocator", DecodePartitionLocator));
  DC_ASSIGN_OR_RAISE(out.stream_position, reader.Int("streamPosition"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeDeltaLocator(const DeltaLocator& locator) {
  MapWriter w;
  w.PutNullable("partitionLocator", locator.partition_locator, EncodePartitionLocator);
  w.PutNullable("streamPosition", locator.stream_position, kToMsg);
  return std::move(w).Finish(locator.extras);
}

Result<StreamLocatorAlias> DecodeStreamLocatorAlias(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  StreamLocatorAlias out;
  DC_ASSIGN_OR_RAISE(out.format, reader.String("format"));
  DC_ASSIGN_OR_RAISE(out.parent, reader.Nested("parent", DecodeTableVersionLocator));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeStreamLocatorAlias(const StreamLocatorAlias& alias) {
  MapWriter w;
  w.PutNullable("format", alias.format, kToMsg);
  w.PutNullable("parent", alias.parent, EncodeTableVersionLocator);
  return std::move(w).Finish(alias.extras);
}

Result<PartitionLocatorAlias> DecodePartitionLocatorAlias(const MsgValue& value,
                                                          std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  PartitionLocatorAlias out;
  DC_ASSIGN_OR_RAISE(out.partition_values, ReadPartitionValues(reader, "partition_values"));
  DC_ASSIGN_OR_RAISE(out.partition_scheme_id, reader.String("partition_scheme_id"));
  DC_ASSIGN_OR_RAISE(out.parent, reader.Nested("parent", DecodeStreamLocator));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodePartitionLocatorAlias(const PartitionLocatorAlias& alias) {
  MapWriter w;
  w.PutNullable("partition_values", alias.partition_values, PartitionValuesToMsg);
  w.PutNullable("partition_scheme_id", alias.partition_scheme_id, kToMsg);
  w.PutNullable("parent", alias.parent, EncodeStreamLocator);
  return std::move(w).Finish(alias.extras);
}

}  // namespace deltacat::storage
