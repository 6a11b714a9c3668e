#include "deltacat/storage/object_error_codes.h"

namespace deltacat::storage {

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

Status ToObjectError(MetafileKind kind, const Status& status) {
  switch (status.code()) {
    case ErrorCode::kObjectAlreadyExists: return Status(AlreadyExistsCode(kind), status.message());
    case ErrorCode::kObjectNotFound:
    case ErrorCode::kObjectDeleted: return Status(NotFoundCode(kind), status.message());
    default: return status;
  }
}

}  // namespace deltacat::storage
