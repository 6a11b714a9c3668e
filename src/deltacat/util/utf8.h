#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace deltacat {

/// Appends code point `code_point` (at most U+10FFFF) to `out` as UTF-8.
void AppendUtf8(std::string& out, uint32_t code_point);

/// Decodes the code point of `text` starting at byte `pos` (< text.size()) and advances `pos`
/// past it. A byte that does not start valid UTF-8 (bad lead or continuation byte, truncated,
/// overlong, beyond U+10FFFF) decodes alone to U+DC00 + byte, Python's "surrogateescape".
uint32_t DecodeUtf8(std::string_view text, size_t& pos);

}  // namespace deltacat
