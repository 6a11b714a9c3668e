#include "deltacat/fs/filesystem_error.h"

#include <cerrno>
#include <string>

#include <arrow/util/io_util.h>

namespace deltacat {
namespace {

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

bool IsNotFoundFileSystemError(const arrow::Status& status) {
  if (status.ok()) return false;
  if (arrow::internal::ErrnoFromStatus(status) == ENOENT) return true;
  const std::string& message = status.message();
  // Arrow's S3 filesystem reports 404s as "Path does not exist" or the AWS error names.
  return Contains(message, "Path does not exist") || Contains(message, "NO_SUCH_KEY") ||
         Contains(message, "NoSuchKey") || Contains(message, "NO_SUCH_BUCKET") ||
         Contains(message, "NoSuchBucket") || Contains(message, "No such file or directory");
}

bool IsTransientFileSystemError(const arrow::Status& status) {
  if (status.ok()) return false;
  const int error_number = arrow::internal::ErrnoFromStatus(status);
  if (error_number == EAGAIN || error_number == EINTR || error_number == ETIMEDOUT ||
      error_number == ECONNRESET || error_number == ECONNREFUSED) {
    return true;
  }
  const std::string& message = status.message();
  // AWS SDK error names and S3 error codes as Arrow's S3 filesystem prints them.
  static constexpr std::string_view kTransientMarkers[] = {
      "NETWORK_CONNECTION",
      "THROTTLING",
      "Throttling",
      "SLOW_DOWN",
      "SlowDown",
      "REQUEST_TIMEOUT",
      "RequestTimeout",
      "SERVICE_UNAVAILABLE",
      "ServiceUnavailable",
      "INTERNAL_FAILURE",
      "InternalError",
      "REQUEST_TIME_TOO_SKEWED",
      "Connection refused",
      "Connection reset",
      "Couldn't connect",
      "Operation timed out",
      "Timeout was reached",
      "TooManyRequests",
      "curlCode: 28",
      "curlCode: 7,",
      "curlCode: 52",
      "curlCode: 56",
      "HTTP response code: 503",
      "HTTP response code: 500",
  };
  for (std::string_view marker : kTransientMarkers) {
    if (Contains(message, marker)) return true;
  }
  return false;
}

Status FileSystemError(const arrow::Status& status, std::string_view operation,
                       std::string_view path) {
  if (status.ok()) return Status::OK();
  const std::string context = std::string(operation) + " '" + std::string(path) + "'";
  Status converted = FromArrowStatus(status);
  // A DeltaCAT code that crossed Arrow (e.g. an injected fault) is kept as is.
  if (status.code() == arrow::StatusCode::UnknownError && status.detail() &&
      converted.code() != ErrorCode::kInternal) {
    return converted.WithContext(context);
  }
  ErrorCode code = ErrorCode::kIOError;
  if (IsNotFoundFileSystemError(status)) {
    code = ErrorCode::kFileNotFound;
  } else if (IsTransientFileSystemError(status)) {
    code = ErrorCode::kTransientIOError;
  } else if (status.IsCancelled()) {
    code = ErrorCode::kCancelled;
  } else if (status.IsOutOfMemory()) {
    code = ErrorCode::kOutOfMemory;
  }
  return Status(code, context + ": " + status.message());
}

}  // namespace deltacat
