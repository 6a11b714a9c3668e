#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace deltacat::storage {

/// Standard base64 (RFC 4648, with '=' padding), as Python's base64.b64encode writes it.
std::string Base64Encode(std::string_view bytes);

/// Decodes standard padded base64; nullopt for anything else (wrong length, characters outside
/// the alphabet, misplaced padding).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace deltacat::storage
