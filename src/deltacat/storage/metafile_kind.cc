#include "deltacat/storage/metafile_kind.h"

#include <array>
#include <utility>

namespace deltacat::storage {

std::string_view MetafileKindName(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return "namespace";
    case MetafileKind::kTable: return "table";
    case MetafileKind::kTableVersion: return "table version";
    case MetafileKind::kStream: return "stream";
    case MetafileKind::kPartition: return "partition";
    case MetafileKind::kDelta: return "delta";
  }
  return "metafile";
}

std::string_view LocatorKey(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return "namespaceLocator";
    case MetafileKind::kTable: return "tableLocator";
    case MetafileKind::kTableVersion: return "tableVersionLocator";
    case MetafileKind::kStream: return "streamLocator";
    case MetafileKind::kPartition: return "partitionLocator";
    case MetafileKind::kDelta: return "deltaLocator";
  }
  return "";
}

size_t AncestorCount(MetafileKind kind) { return static_cast<size_t>(kind); }

MetafileKind KindAtDepth(size_t depth) {
  return depth > static_cast<size_t>(MetafileKind::kDelta) ? MetafileKind::kDelta
                                                           : static_cast<MetafileKind>(depth);
}

Result<MetafileKind> DetectMetafileKind(const MsgValue& doc) {
  if (!doc.IsMap()) {
    return MakeError(ErrorCode::kCorruptMetadata, "metafile is a msgpack ", doc.TypeName(),
                     ", expected a map");
  }
  // Python's Metafile.get_class checks the keys in exactly this order.
  static constexpr std::array<std::pair<std::string_view, MetafileKind>, 6> kOrder = {{
      {"tableLocator", MetafileKind::kTable},
      {"namespaceLocator", MetafileKind::kNamespace},
      {"tableVersionLocator", MetafileKind::kTableVersion},
      {"partitionLocator", MetafileKind::kPartition},
      {"streamLocator", MetafileKind::kStream},
      {"deltaLocator", MetafileKind::kDelta},
  }};
  for (const auto& [key, kind] : kOrder) {
    if (doc.Contains(key)) return kind;
  }
  return Status(ErrorCode::kCorruptMetadata,
                "metafile has none of the top-level locator keys (namespaceLocator, "
                "tableLocator, tableVersionLocator, streamLocator, partitionLocator, "
                "deltaLocator)");
}

ErrorCode NotFoundCode(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return ErrorCode::kNamespaceNotFound;
    case MetafileKind::kTable: return ErrorCode::kTableNotFound;
    case MetafileKind::kTableVersion: return ErrorCode::kTableVersionNotFound;
    case MetafileKind::kStream: return ErrorCode::kStreamNotFound;
    case MetafileKind::kPartition: return ErrorCode::kPartitionNotFound;
    case MetafileKind::kDelta: return ErrorCode::kDeltaNotFound;
  }
  return ErrorCode::kObjectNotFound;
}

ErrorCode AlreadyExistsCode(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return ErrorCode::kNamespaceAlreadyExists;
    case MetafileKind::kTable: return ErrorCode::kTableAlreadyExists;
    case MetafileKind::kTableVersion: return ErrorCode::kTableVersionAlreadyExists;
    case MetafileKind::kStream: return ErrorCode::kStreamAlreadyExists;
    case MetafileKind::kPartition: return ErrorCode::kPartitionAlreadyExists;
    case MetafileKind::kDelta: return ErrorCode::kDeltaAlreadyExists;
  }
  return ErrorCode::kObjectAlreadyExists;
}

}  // namespace deltacat::storage
