#include "deltacat/storage/codec/metafile_codec.h"

#include "deltacat/storage/codec/locator_codec.h"
#include "deltacat/storage/codec/manifest_codec.h"
#include "deltacat/storage/codec/map_codec.h"
#include "deltacat/storage/codec/round_completion_info_codec.h"
#include "deltacat/storage/codec/scheme_codec.h"

namespace deltacat::storage {

using codec::kToMsg;
using codec::MapReader;
using codec::MapWriter;

namespace {

/// The top-level locator: present (detection found it) and a map.
template <typename Decode>
auto RequiredLocator(MapReader& reader, std::string_view key, Decode&& decode)
    -> decltype(decode(std::declval<const MsgValue&>(), std::string_view())) {
  const MsgValue* value = reader.Take(key);
  if (value == nullptr || value->IsNil()) {
    return MakeError(ErrorCode::kCorruptMetadata, "missing required ", reader.PathOf(key));
  }
  return decode(*value, reader.PathOf(key));
}

Result<std::vector<std::string>> AncestorIdsOf(MapReader& reader) {
  DC_ASSIGN_OR_RAISE(auto ids, reader.StringList("ancestor_ids"));
  return ids ? std::move(*ids) : std::vector<std::string>();
}

Result<std::string> IdOf(MapReader& reader) {
  DC_ASSIGN_OR_RAISE(auto id, reader.String("id"));
  return id.value_or("");
}

void PutAncestorsAndId(MapWriter& w, const std::vector<std::string>& ancestor_ids,
                       const std::string* id) {
  w.Put("ancestor_ids", codec::ToMsg(ancestor_ids));
  if (id != nullptr && !id->empty()) w.Put("id", MsgValue::String(*id));
}

template <typename T, typename Encode>
MsgValue EncodeList(const std::vector<T>& items, Encode&& encode) {
  MsgArray out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back(encode(item));
  return MsgValue::Array(std::move(out));
}

}  // namespace

Result<Namespace> DecodeNamespace(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, "Namespace"));
  Namespace out;
  DC_ASSIGN_OR_RAISE(out.locator,
                     RequiredLocator(reader, "namespaceLocator", DecodeNamespaceLocator));
  out.properties = reader.Raw("properties");
  DC_ASSIGN_OR_RAISE(out.ancestor_ids, AncestorIdsOf(reader));
  DC_ASSIGN_OR_RAISE(out.id, IdOf(reader));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeNamespace(const Namespace& ns) {
  MapWriter w;
  w.Put("namespaceLocator", EncodeNamespaceLocator(ns.locator));
  w.Put("properties", ns.properties);
  PutAncestorsAndId(w, ns.ancestor_ids, &ns.id);
  return std::move(w).Finish(ns.extras);
}

Result<Table> DecodeTable(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, "Table"));
  Table out;
  DC_ASSIGN_OR_RAISE(out.locator, RequiredLocator(reader, "tableLocator", DecodeTableLocator));
  DC_ASSIGN_OR_RAISE(out.description, reader.String("description"));
  out.properties = reader.Raw("properties");
  DC_ASSIGN_OR_RAISE(out.latest_active_table_version, reader.String("latest_active_table_version"));
  DC_ASSIGN_OR_RAISE(out.latest_table_version, reader.String("latest_table_version"));
  out.native_object = reader.Raw("nativeObject");
  DC_ASSIGN_OR_RAISE(out.ancestor_ids, AncestorIdsOf(reader));
  DC_ASSIGN_OR_RAISE(out.id, IdOf(reader));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeTable(const Table& table) {
  MapWriter w;
  w.Put("tableLocator", EncodeTableLocator(table.locator));
  w.PutNullable("description", table.description, kToMsg);
  w.Put("properties", table.properties);
  w.PutNullable("latest_active_table_version", table.latest_active_table_version, kToMsg);
  w.PutNullable("latest_table_version", table.latest_table_version, kToMsg);
  w.Put("nativeObject", table.native_object);
  PutAncestorsAndId(w, table.ancestor_ids, &table.id);
  return std::move(w).Finish(table.extras);
}

Result<TableVersion> DecodeTableVersion(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, "TableVersion"));
  TableVersion out;
  DC_ASSIGN_OR_RAISE(out.locator,
                     RequiredLocator(reader, "tableVersionLocator", DecodeTableVersionLocator));
  DC_ASSIGN_OR_RAISE(out.schema, reader.Binary("schema"));
  DC_ASSIGN_OR_RAISE(out.partition_scheme, reader.Nested("partitionScheme", DecodePartitionScheme));
  DC_ASSIGN_OR_RAISE(out.description, reader.String("description"));
  out.properties = reader.Raw("properties");
  DC_ASSIGN_OR_RAISE(out.content_types, reader.StringList("contentTypes"));
  DC_ASSIGN_OR_RAISE(out.sort_scheme, reader.Nested("sortScheme", DecodeSortScheme));
  DC_ASSIGN_OR_RAISE(out.watermark, reader.Int("watermark"));
  DC_ASSIGN_OR_RAISE(out.state, reader.Enum<LifecycleState>("state"));
  DC_ASSIGN_OR_RAISE(out.schemas, reader.BinaryList("schemas"));
  DC_ASSIGN_OR_RAISE(out.partition_schemes,
                     reader.NestedList("partitionSchemes", DecodePartitionScheme));
  DC_ASSIGN_OR_RAISE(out.sort_schemes, reader.NestedList("sortSchemes", DecodeSortScheme));
  DC_ASSIGN_OR_RAISE(out.previous_table_version, reader.String("previous_table_version"));
  out.native_object = reader.Raw("nativeObject");
  DC_ASSIGN_OR_RAISE(out.ancestor_ids, AncestorIdsOf(reader));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeTableVersion(const TableVersion& tv) {
  // The order of Python's TableVersion.of.
  MapWriter w;
  w.Put("tableVersionLocator", EncodeTableVersionLocator(tv.locator));
  w.PutNullable("schema", tv.schema, codec::ToMsgBinary);
  w.PutNullable("partitionScheme", tv.partition_scheme, EncodePartitionScheme);
  w.PutNullable("description", tv.description, kToMsg);
  w.Put("properties", tv.properties);
  w.PutNullable("contentTypes", tv.content_types, kToMsg);
  w.PutNullable("sortScheme", tv.sort_scheme, EncodeSortScheme);
  w.PutNullable("watermark", tv.watermark, kToMsg);
  w.PutNullable("state", tv.state, kToMsg);
  w.PutNullable("schemas", tv.schemas, codec::ToMsgBinaryList);
  w.PutNullable("partitionSchemes", tv.partition_schemes,
                [](const auto& schemes) { return EncodeList(schemes, EncodePartitionScheme); });
  w.PutNullable("sortSchemes", tv.sort_schemes,
                [](const auto& schemes) { return EncodeList(schemes, EncodeSortScheme); });
  w.PutNullable("previous_table_version", tv.previous_table_version, kToMsg);
  w.Put("nativeObject", tv.native_object);
  PutAncestorsAndId(w, tv.ancestor_ids, nullptr);
  return std::move(w).Finish(tv.extras);
}

Result<Stream> DecodeStream(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, "Stream"));
  Stream out;
  DC_ASSIGN_OR_RAISE(out.locator, RequiredLocator(reader, "streamLocator", DecodeStreamLocator));
  DC_ASSIGN_OR_RAISE(out.partition_scheme, reader.Nested("partitionScheme", DecodePartitionScheme));
  DC_ASSIGN_OR_RAISE(out.state, reader.Enum<CommitState>("state"));
  DC_ASSIGN_OR_RAISE(out.previous_stream_id, reader.String("previousStreamId"));
  DC_ASSIGN_OR_RAISE(out.watermark, reader.Int("watermark"));
  out.native_object = reader.Raw("nativeObject");
  DC_ASSIGN_OR_RAISE(out.ancestor_ids, AncestorIdsOf(reader));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeStream(const Stream& stream) {
  MapWriter w;
  w.Put("streamLocator", EncodeStreamLocator(stream.locator));
  w.PutNullable("partitionScheme", stream.partition_scheme, EncodePartitionScheme);
  w.PutNullable("state", stream.state, kToMsg);
  w.PutNullable("previousStreamId", stream.previous_stream_id, kToMsg);
  w.PutNullable("watermark", stream.watermark, kToMsg);
  w.Put("nativeObject", stream.native_object);
  PutAncestorsAndId(w, stream.ancestor_ids, nullptr);
  return std::move(w).Finish(stream.extras);
}

Result<Partition> DecodePartition(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, "Partition"));
  Partition out;
  DC_ASSIGN_OR_RAISE(out.locator,
                     RequiredLocator(reader, "partitionLocator", DecodePartitionLocator));
  DC_ASSIGN_OR_RAISE(out.content_types, reader.StringList("contentTypes"));
  DC_ASSIGN_OR_RAISE(out.state, reader.Enum<CommitState>("state"));
  DC_ASSIGN_OR_RAISE(out.previous_stream_position, reader.Int("previousStreamPosition"));
  DC_ASSIGN_OR_RAISE(out.previous_partition_id, reader.String("previousPartitionId"));
  DC_ASSIGN_OR_RAISE(out.stream_position, reader.Int("streamPosition"));
  DC_ASSIGN_OR_RAISE(out.partition_scheme_id, reader.String("partitionSchemeId"));
  DC_ASSIGN_OR_RAISE(out.compaction_round_completion_info,
                     reader.Nested("compactionRoundCompletionInfo", DecodeRoundCompletionInfo));
  DC_ASSIGN_OR_RAISE(out.ancestor_ids, AncestorIdsOf(reader));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodePartition(const Partition& partition) {
  MapWriter w;
  w.Put("partitionLocator", EncodePartitionLocator(partition.locator));
  w.PutNullable("contentTypes", partition.content_types, kToMsg);
  w.PutNullable("state", partition.state, kToMsg);
  w.PutNullable("previousStreamPosition", partition.previous_stream_position, kToMsg);
  w.PutNullable("previousPartitionId", partition.previous_partition_id, kToMsg);
  w.PutNullable("streamPosition", partition.stream_position, kToMsg);
  w.PutNullable("partitionSchemeId", partition.partition_scheme_id, kToMsg);
  w.PutNullable("compactionRoundCompletionInfo", partition.compaction_round_completion_info,
                EncodeRoundCompletionInfo);
  PutAncestorsAndId(w, partition.ancestor_ids, nullptr);
  return std::move(w).Finish(partition.extras);
}

Result<Delta> DecodeDelta(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, "Delta"));
  Delta out;
  DC_ASSIGN_OR_RAISE(out.locator, RequiredLocator(reader, "deltaLocator", DecodeDeltaLocator));
  DC_ASSIGN_OR_RAISE(out.type, reader.Enum<DeltaType>("type"));
  DC_ASSIGN_OR_RAISE(out.meta, reader.Nested("meta", DecodeManifestMeta));
  out.properties = reader.Raw("properties");
  DC_ASSIGN_OR_RAISE(out.manifest, reader.Nested("manifest", DecodeManifest));
  DC_ASSIGN_OR_RAISE(out.previous_stream_position, reader.Int("previousStreamPosition"));
  DC_ASSIGN_OR_RAISE(out.ancestor_ids, AncestorIdsOf(reader));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeDelta(const Delta& delta) {
  MapWriter w;
  w.Put("deltaLocator", EncodeDeltaLocator(delta.locator));
  w.PutNullable("type", delta.type, kToMsg);
  w.PutNullable("meta", delta.meta, EncodeManifestMeta);
  w.Put("properties", delta.properties);
  w.PutNullable("manifest", delta.manifest, EncodeManifest);
  w.PutNullable("previousStreamPosition", delta.previous_stream_position, kToMsg);
  PutAncestorsAndId(w, delta.ancestor_ids, nullptr);
  return std::move(w).Finish(delta.extras);
}

Result<MetafileKind> DetectMetafileKind(const MsgValue& value) {
  if (!value.IsMap()) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected a metafile to be a map but found ",
                     value.TypeName());
  }
  for (MetafileKind kind :
       {MetafileKind::kTable, MetafileKind::kNamespace, MetafileKind::kTableVersion,
        MetafileKind::kPartition, MetafileKind::kStream, MetafileKind::kDelta}) {
    if (value.Contains(LocatorKey(kind))) return kind;
  }
  return MakeError(ErrorCode::kCorruptMetadata,
                   "not a metafile: no namespaceLocator, tableLocator, tableVersionLocator, "
                   "streamLocator, partitionLocator or deltaLocator key");
}

Result<Metafile> DecodeMetafile(const MsgValue& value) {
  DC_ASSIGN_OR_RAISE(MetafileKind kind, DetectMetafileKind(value));
  switch (kind) {
    case MetafileKind::kNamespace: return Result<Metafile>(DecodeNamespace(value));
    case MetafileKind::kTable: return Result<Metafile>(DecodeTable(value));
    case MetafileKind::kTableVersion: return Result<Metafile>(DecodeTableVersion(value));
    case MetafileKind::kStream: return Result<Metafile>(DecodeStream(value));
    case MetafileKind::kPartition: return Result<Metafile>(DecodePartition(value));
    case MetafileKind::kDelta: return Result<Metafile>(DecodeDelta(value));
  }
  return MakeError(ErrorCode::kInternal, "unhandled metafile kind");
}

MsgValue EncodeMetafile(const Metafile& metafile) {
  return std::visit(
      [](const auto& m) -> MsgValue {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Namespace>) return EncodeNamespace(m);
        if constexpr (std::is_same_v<M, Table>) return EncodeTable(m);
        if constexpr (std::is_same_v<M, TableVersion>) return EncodeTableVersion(m);
        if constexpr (std::is_same_v<M, Stream>) return EncodeStream(m);
        if constexpr (std::is_same_v<M, Partition>) return EncodePartition(m);
        if constexpr (std::is_same_v<M, Delta>) return EncodeDelta(m);
      },
      metafile);
}

MsgValue EncodeMetafileLocator(const Metafile& metafile) {
  return std::visit(
      [](const auto& m) -> MsgValue {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Namespace>) return EncodeNamespaceLocator(m.locator);
        if constexpr (std::is_same_v<M, Table>) return EncodeTableLocator(m.locator);
        if constexpr (std::is_same_v<M, TableVersion>) return EncodeTableVersionLocator(m.locator);
        if constexpr (std::is_same_v<M, Stream>) return EncodeStreamLocator(m.locator);
        if constexpr (std::is_same_v<M, Partition>) return EncodePartitionLocator(m.locator);
        if constexpr (std::is_same_v<M, Delta>) return EncodeDeltaLocator(m.locator);
      },
      metafile);
}

MsgValue EncodeMetafileLocatorAlias(const Metafile& metafile) {
  if (const auto* stream = std::get_if<Stream>(&metafile)) {
    if (auto alias = LocatorAliasOf(*stream)) return EncodeStreamLocatorAlias(*alias);
  } else if (const auto* partition = std::get_if<Partition>(&metafile)) {
    if (auto alias = LocatorAliasOf(*partition)) return EncodePartitionLocatorAlias(*alias);
  }
  return MsgValue::Nil();
}

std::string SerializeMetafileRevision(const Metafile& metafile) {
  return EncodeMsgpack(EncodeMetafile(WithParentSentinel(metafile)));
}

Result<Metafile> DeserializeMetafileRevision(std::string_view bytes) {
  DC_ASSIGN_OR_RAISE(MsgValue value, DecodeMsgpack(bytes));
  return DecodeMetafile(value);
}

}  // namespace deltacat::storage
