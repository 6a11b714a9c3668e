#pragma once

#include <string_view>

#include "deltacat/status.h"

namespace deltacat::storage {

/// Longest name accepted, in bytes (a common filesystem name limit).
inline constexpr size_t kMaxNameBytes = 255;

/// Checks a user-given name (namespace, table, ...) before anything is written: it must be
/// non-empty, at most 255 bytes, valid UTF-8, not "." or "..", and contain no path separator
/// ('/' or '\\') and no NUL. `kind` names
/// what is checked in the error ("namespace name"). kInvalidArgument otherwise.
Status ValidateName(std::string_view kind, std::string_view name);

/// Checks a string used verbatim as a directory name (object IDs, table versions, stream
/// positions): ValidateName's rules, plus not "." or "..", and not starting with '.' or '_'
/// (names that Python's listings silently skip, which would make the object invisible).
Status ValidateDirectoryName(std::string_view kind, std::string_view name);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace deltacat::storage
