#pragma once

#include "deltacat/status.h"
#include "deltacat/storage/model/metafile.h"

namespace deltacat::storage {

/// The object-specific "not found" error kind (kNamespaceNotFound, kTableNotFound, ...).
ErrorCode NotFoundCode(MetafileKind kind);

/// The object-specific "already exists" error kind (kNamespaceAlreadyExists, ...).
ErrorCode AlreadyExistsCode(MetafileKind kind);

/// Maps the generic metafile errors of a write (kObjectAlreadyExists, kObjectNotFound,
/// kObjectDeleted; storage-format.md §4.4) to the kinds of `kind`, keeping the message. A
/// deleted object is "not found" to callers. Other errors pass through.
Status ToObjectError(MetafileKind kind, const Status& status);

}  // namespace deltacat::storage
