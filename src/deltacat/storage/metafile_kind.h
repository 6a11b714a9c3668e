#pragma once

#include <cstddef>
#include <string_view>

#include "deltacat/result.h"
#include "deltacat/storage/msgpack_value.h"

namespace deltacat::storage {

/// The six kinds of catalog objects that have revision directories (storage-format.md §1).
enum class MetafileKind { kNamespace, kTable, kTableVersion, kStream, kPartition, kDelta };

/// "namespace", "table", "table version", "stream", "partition" or "delta" (for messages).
std::string_view MetafileKindName(MetafileKind kind);

/// The top-level locator key that identifies a metafile of `kind` ("tableLocator", ...).
std::string_view LocatorKey(MetafileKind kind);

/// Number of ancestor IDs an object of `kind` has: 0 for a namespace ... 5 for a delta.
size_t AncestorCount(MetafileKind kind);

/// The kind of the ancestor at `depth` (0 = namespace ... 4 = partition).
MetafileKind KindAtDepth(size_t depth);

/// Detects the class of a decoded metafile from its top-level locator key, checking keys in
/// Python's order (tableLocator, namespaceLocator, tableVersionLocator, partitionLocator,
/// streamLocator, deltaLocator). kCorruptMetadata when `doc` is not a map or has none.
Result<MetafileKind> DetectMetafileKind(const MsgValue& doc);

/// The object-specific "not found" error kind (kTableNotFound, ...).
ErrorCode NotFoundCode(MetafileKind kind);

/// The object-specific "already exists" error kind (kTableAlreadyExists, ...).
ErrorCode AlreadyExistsCode(MetafileKind kind);

}  // namespace deltacat::storage
