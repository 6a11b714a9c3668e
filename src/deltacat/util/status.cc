#include "deltacat/status.h"

#include <cstdio>
#include <cstdlib>

#include "deltacat/result.h"

namespace deltacat {
namespace {

/// Carries a DeltaCAT error code through Arrow interfaces, so that an error raised inside a
/// RecordBatchReader we implement comes back out with its original kind.
class DeltacatStatusDetail : public arrow::StatusDetail {
 public:
  static constexpr const char* kTypeId = "deltacat::DeltacatStatusDetail";
  explicit DeltacatStatusDetail(ErrorCode code) : code_(code) {}
  const char* type_id() const override { return kTypeId; }
  std::string ToString() const override { return std::string(ErrorName(code_)); }
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace

std::string_view ErrorName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "OK";
    case ErrorCode::kInvalidArgument: return "ValueError";
    case ErrorCode::kNotImplemented: return "NotImplementedError";
    case ErrorCode::kIllegalState: return "RuntimeError";
    case ErrorCode::kKeyError: return "KeyError";
    case ErrorCode::kFileNotFound: return "FileNotFoundError";
    case ErrorCode::kTimeout: return "TimeoutError";
    case ErrorCode::kValidation: return "ValidationError";
    case ErrorCode::kContentTypeValidation: return "ContentTypeValidationError";
    case ErrorCode::kSchemaValidation: return "SchemaValidationError";
    case ErrorCode::kSchemaCompatibility: return "SchemaCompatibilityError";
    case ErrorCode::kTableValidation: return "TableValidationError";
    case ErrorCode::kNamespaceNotFound: return "NamespaceNotFoundError";
    case ErrorCode::kTableNotFound: return "TableNotFoundError";
    case ErrorCode::kTableVersionNotFound: return "TableVersionNotFoundError";
    case ErrorCode::kStreamNotFound: return "StreamNotFoundError";
    case ErrorCode::kPartitionNotFound: return "PartitionNotFoundError";
    case ErrorCode::kDeltaNotFound: return "DeltaNotFoundError";
    case ErrorCode::kNamespaceAlreadyExists: return "NamespaceAlreadyExistsError";
    case ErrorCode::kTableAlreadyExists: return "TableAlreadyExistsError";
    case ErrorCode::kTableVersionAlreadyExists: return "TableVersionAlreadyExistsError";
    case ErrorCode::kStreamAlreadyExists: return "StreamAlreadyExistsError";
    case ErrorCode::kPartitionAlreadyExists: return "PartitionAlreadyExistsError";
    case ErrorCode::kDeltaAlreadyExists: return "DeltaAlreadyExistsError";
    case ErrorCode::kObjectNotFound: return "ObjectNotFoundError";
    case ErrorCode::kObjectDeleted: return "ObjectDeletedError";
    case ErrorCode::kObjectAlreadyExists: return "ObjectAlreadyExistsError";
    case ErrorCode::kConcurrentModification: return "ConcurrentModificationError";
    case ErrorCode::kCorruptMetadata: return "CorruptMetadataError";
    case ErrorCode::kUnsupportedFormat: return "UnsupportedFormatError";
    case ErrorCode::kIOError: return "NonRetryableIOError";
    case ErrorCode::kTransientIOError: return "RetryableIOError";
    case ErrorCode::kOutOfMemory: return "DependencyPyarrowCapacityError";
    case ErrorCode::kCommitStateUnknown: return "CommitStateUnknownError";
    case ErrorCode::kCancelled: return "CancelledError";
    case ErrorCode::kInternal: return "UnclassifiedDeltaCatError";
  }
  return "UnclassifiedDeltaCatError";
}

bool IsRetryable(ErrorCode code) {
  return code == ErrorCode::kTransientIOError || code == ErrorCode::kTimeout;
}

Status::Status(ErrorCode code, std::string message)
    : state_(code == ErrorCode::kOk
                 ? nullptr
                 : std::make_shared<const State>(State{code, std::move(message)})) {}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(ErrorName(code()));
  if (!message().empty()) {
    out += ": ";
    out += message();
  }
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string message(context);
  message += ": ";
  message += state_->message;
  return Status(state_->code, std::move(message));
}

bool Status::operator==(const Status& other) const {
  return code() == other.code() && message() == other.message();
}

std::ostream& operator<<(std::ostream& os, const Status& status) { return os << status.ToString(); }

Status FromArrowStatus(const arrow::Status& status) {
  if (status.ok()) return Status::OK();
  if (const auto& detail = status.detail();
      detail && std::string_view(detail->type_id()) == DeltacatStatusDetail::kTypeId) {
    return Status(static_cast<const DeltacatStatusDetail&>(*detail).code(), status.message());
  }
  ErrorCode code = ErrorCode::kInternal;
  switch (status.code()) {
    case arrow::StatusCode::OutOfMemory:
    case arrow::StatusCode::CapacityError: code = ErrorCode::kOutOfMemory; break;
    case arrow::StatusCode::KeyError: code = ErrorCode::kKeyError; break;
    case arrow::StatusCode::TypeError:
    case arrow::StatusCode::Invalid:
    case arrow::StatusCode::IndexError: code = ErrorCode::kInvalidArgument; break;
    case arrow::StatusCode::IOError: code = ErrorCode::kIOError; break;
    case arrow::StatusCode::Cancelled: code = ErrorCode::kCancelled; break;
    case arrow::StatusCode::NotImplemented: code = ErrorCode::kNotImplemented; break;
    case arrow::StatusCode::SerializationError: code = ErrorCode::kCorruptMetadata; break;
    case arrow::StatusCode::AlreadyExists: code = ErrorCode::kObjectAlreadyExists; break;
    default: code = ErrorCode::kInternal; break;
  }
  return Status(code, status.message());
}

arrow::Status ToArrowStatus(const Status& status) {
  if (status.ok()) return arrow::Status::OK();
  return arrow::Status(arrow::StatusCode::UnknownError, status.message(),
                       std::make_shared<DeltacatStatusDetail>(status.code()));
}

namespace internal {
void DieWithStatus(const Status& status) {
  std::fprintf(stderr, "deltacat: ValueOrDie() called on an error result: %s\n",
               status.ToString().c_str());
  std::abort();
}
}  // namespace internal

}  // namespace deltacat
