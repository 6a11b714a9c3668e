#pragma once

#include <string_view>

#include <arrow/status.h>

#include "deltacat/status.h"

namespace deltacat {

/// True when an Arrow filesystem error is worth retrying: throttling (SlowDown, 503),
/// timeouts, dropped or refused connections, and server-side 500s.
bool IsTransientFileSystemError(const arrow::Status& status);

/// True when an Arrow filesystem error means the path does not exist (ENOENT, S3 404).
bool IsNotFoundFileSystemError(const arrow::Status& status);

/// Converts an Arrow filesystem error into a DeltaCAT status that names the path:
/// not found -> kFileNotFound, transient -> kTransientIOError, other I/O -> kIOError.
/// A status that carries a DeltaCAT code (ToArrowStatus, e.g. from an injected fault) keeps
/// it. The message reads "<operation> '<path>': <arrow message>".
Status FileSystemError(const arrow::Status& status, std::string_view operation,
                       std::string_view path);

}  // namespace deltacat
