#include "deltacat/storage/name_validation.h"

#include <cstdint>

namespace deltacat::storage {

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<uint8_t>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto cc = static_cast<uint8_t>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
        (length == 4 && code < 0x10000) || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

Status ValidateName(std::string_view kind, std::string_view name) {
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, kind, " must not be empty");
  if (name.size() > kMaxNameBytes) {
    return MakeError(ErrorCode::kInvalidArgument, kind, " is ", name.size(),
                     " bytes long; the limit is ", kMaxNameBytes);
  }
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, kind, " '", name,
                     "' must not contain a path separator ('/' or '\\')");
  }
  if (name == "." || name == "..") {
    return MakeError(ErrorCode::kInvalidArgument, kind, " '", name,
                     "' is a path dot-segment, not a name");
  }
  if (name.find('\0') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, kind, " must not contain NUL characters");
  }
  if (!IsValidUtf8(name)) {
    return MakeError(ErrorCode::kInvalidArgument, kind, " is not valid UTF-8");
  }
  return Status::OK();
}

Status ValidateDirectoryName(std::string_view kind, std::string_view name) {
  DC_RETURN_NOT_OK(ValidateName(kind, name));
  if (name == "." || name == ".." || name.front() == '.' || name.front() == '_') {
    return MakeError(ErrorCode::kInvalidArgument, kind, " '", name,
                     "' must not start with '.' or '_' (such directories are ignored by "
                     "DeltaCAT listings)");
  }
  return Status::OK();
}

}  // namespace deltacat::storage
