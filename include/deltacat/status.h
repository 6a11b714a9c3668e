#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <arrow/status.h>

namespace deltacat {

/// Error kinds. Each mirrors one of Python DeltaCAT's exception classes (or one of the Python
/// builtins that are part of its contract), so the CLI and the Python module map them 1:1.
/// `ErrorName()` gives the Python class name.
enum class ErrorCode : int {
  kOk = 0,
  // Python builtins that DeltaCAT raises as part of its API contract.
  kInvalidArgument,  ///< ValueError
  kNotImplemented,   ///< NotImplementedError
  kIllegalState,     ///< RuntimeError
  kKeyError,         ///< KeyError
  kFileNotFound,     ///< FileNotFoundError (e.g. an unknown transaction id)
  kTimeout,          ///< TimeoutError
  // DeltaCatError subclasses, non-retryable.
  kValidation,                 ///< ValidationError
  kContentTypeValidation,      ///< ContentTypeValidationError
  kSchemaValidation,           ///< SchemaValidationError
  kSchemaCompatibility,        ///< SchemaCompatibilityError
  kTableValidation,            ///< TableValidationError
  kNamespaceNotFound,          ///< NamespaceNotFoundError
  kTableNotFound,              ///< TableNotFoundError
  kTableVersionNotFound,       ///< TableVersionNotFoundError
  kStreamNotFound,             ///< StreamNotFoundError
  kPartitionNotFound,          ///< PartitionNotFoundError
  kDeltaNotFound,              ///< DeltaNotFoundError
  kNamespaceAlreadyExists,     ///< NamespaceAlreadyExistsError
  kTableAlreadyExists,         ///< TableAlreadyExistsError
  kTableVersionAlreadyExists,  ///< TableVersionAlreadyExistsError
  kStreamAlreadyExists,        ///< StreamAlreadyExistsError
  kPartitionAlreadyExists,     ///< PartitionAlreadyExistsError
  kDeltaAlreadyExists,         ///< DeltaAlreadyExistsError
  kObjectNotFound,             ///< ObjectNotFoundError (low-level metafile operations)
  kObjectDeleted,              ///< ObjectDeletedError
  kObjectAlreadyExists,        ///< ObjectAlreadyExistsError
  kConcurrentModification,     ///< ConcurrentModificationError: the commit did not happen
  kCorruptMetadata,            ///< a metafile, log or name that cannot be decoded (names the file)
  kUnsupportedFormat,          ///< a catalog or file written by a newer, unknown format
  kIOError,                    ///< NonRetryableDownloadFileError / NonRetryableUploadFileError
  kTransientIOError,           ///< RetryableError: throttling, timeouts; retried with backoff
  kOutOfMemory,                ///< DependencyPyarrowCapacityError / memory budget exceeded
  kCommitStateUnknown,         ///< the commit may or may not have happened (e.g. lost S3 response)
  kCancelled,                  ///< the operation was cancelled by its caller
  kInternal,                   ///< UnclassifiedDeltaCatError: a bug; please report it
};

/// The Python exception class name for an error code, e.g. "TableNotFoundError".
std::string_view ErrorName(ErrorCode code);

/// Whether a retry of the same operation may succeed (DeltaCAT's RetryableError family).
bool IsRetryable(ErrorCode code);

/// Outcome of an operation: OK, or an error kind with a message. Cheap to copy when OK.
class [[nodiscard]] Status {
 public:
  /// An OK status.
  Status() noexcept = default;
  /// An error status; `code` must not be kOk.
  Status(ErrorCode code, std::string message);

  /// An OK status.
  static Status OK() { return Status(); }

  /// True when the operation succeeded.
  bool ok() const { return state_ == nullptr; }
  /// The error kind (kOk when ok()).
  ErrorCode code() const { return state_ ? state_->code : ErrorCode::kOk; }
  /// The message (empty when ok()).
  const std::string& message() const;
  /// "TableNotFoundError: table 'x' does not exist in namespace 'default'", or "OK".
  std::string ToString() const;

  /// A copy whose message is prefixed with `context` (e.g. the file being read).
  Status WithContext(std::string_view context) const;

  bool operator==(const Status& other) const;

 private:
  struct State {
    ErrorCode code;
    std::string message;
  };
  std::shared_ptr<const State> state_;
};

std::ostream& operator<<(std::ostream& os, const Status& status);

/// String conversion used by MakeError for each part.
inline std::string ToStringPiece(std::string_view s) { return std::string(s); }
inline std::string ToStringPiece(const std::string& s) { return s; }
inline std::string ToStringPiece(const char* s) { return s ? std::string(s) : std::string(); }
inline std::string ToStringPiece(char c) { return std::string(1, c); }
template <typename T>
requires std::is_arithmetic_v<T> std::string ToStringPiece(T value) {
  return std::to_string(value);
}

/// Builds an error status from streamed parts: `MakeError(ErrorCode::kTableNotFound, "table '",
/// name, "'")`.
template <typename... Args>
Status MakeError(ErrorCode code, Args&&... args) {
  std::string message;
  (message.append(ToStringPiece(std::forward<Args>(args))), ...);
  return Status(code, std::move(message));
}

/// Converts an Arrow status. A status that crossed Arrow from our own code (see ToArrowStatus)
/// gets its original code back; Arrow's own errors map to the nearest kind.
Status FromArrowStatus(const arrow::Status& status);

/// Converts to an Arrow status that carries the DeltaCAT code, for Arrow interfaces we
/// implement (e.g. RecordBatchReader::ReadNext).
arrow::Status ToArrowStatus(const Status& status);

namespace internal {
inline bool IsOk(const Status& s) { return s.ok(); }
inline bool IsOk(const arrow::Status& s) { return s.ok(); }
inline Status ToStatus(const Status& s) { return s; }
inline Status ToStatus(Status&& s) { return std::move(s); }
inline Status ToStatus(const arrow::Status& s) { return FromArrowStatus(s); }
}  // namespace internal

}  // namespace deltacat

/// Returns from the enclosing function if `expr` (a deltacat::Status or arrow::Status) failed.
#define DC_RETURN_NOT_OK(expr)                                      \
  do {                                                              \
    auto&& _dc_status = (expr);                                     \
    if (!::deltacat::internal::IsOk(_dc_status)) [[unlikely]] {     \
      return ::deltacat::internal::ToStatus(std::move(_dc_status)); \
    }                                                               \
  } while (false)

#define DC_CONCAT_INNER(a, b) a##b
#define DC_CONCAT(a, b) DC_CONCAT_INNER(a, b)
