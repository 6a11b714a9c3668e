#include "deltacat/storage/model/table_version.h"

#include <cctype>

namespace deltacat::storage {
namespace {

// Python's `\w` on str patterns: letters, digits and '_'. Non-ASCII bytes are let through
// (Python accepts Unicode word characters there; exact Unicode classes are out of scope).
bool IsWordChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;
}

bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Status InvalidVersion(std::string_view table_version) {
  return MakeError(ErrorCode::kInvalidArgument, "Invalid table version ", table_version,
                   ". Valid table versions are of the form `TableVersionName.1` or simply `1`.");
}

}  // namespace

Result<ParsedTableVersion> ParseTableVersion(std::string_view table_version) {
  if (table_version.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Table version to parse is undefined.");
  }
  if (table_version.size() > kMaxTableVersionLength) {
    return MakeError(ErrorCode::kInvalidArgument, "Invalid table version ", table_version,
                     ". Table version identifier cannot be greater than ", kMaxTableVersionLength,
                     " characters.");
  }
  std::string_view text = table_version;
  // Python's `$` also matches just before a final newline.
  if (text.back() == '\n') text.remove_suffix(1);
  ParsedTableVersion parsed;
  std::string_view number = text;
  size_t dot = text.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view prefix = text.substr(0, dot);
    for (char c : prefix) {
      if (!IsWordChar(c)) return InvalidVersion(table_version);
    }
    parsed.prefix = std::string(text.substr(0, dot + 1));
    number = text.substr(dot + 1);
  }
  if (!IsAllDigits(number)) return InvalidVersion(table_version);
  size_t first_nonzero = number.find_first_not_of('0');
  parsed.number =
      first_nonzero == std::string_view::npos ? "0" : std::string(number.substr(first_nonzero));
  return parsed;
}

Result<std::string> CanonicalTableVersion(std::string_view table_version) {
  DC_ASSIGN_OR_RAISE(ParsedTableVersion parsed, ParseTableVersion(table_version));
  return parsed.prefix + parsed.number;
}

Result<std::string> NextTableVersion(std::optional<std::string_view> previous) {
  if (!previous) return std::string("1");
  DC_ASSIGN_OR_RAISE(ParsedTableVersion parsed, ParseTableVersion(*previous));
  // Decimal increment on the digit string: versions are arbitrary-precision in Python.
  std::string number = parsed.number;
  int i = static_cast<int>(number.size()) - 1;
  while (i >= 0 && number[i] == '9') {
    number[i] = '0';
    --i;
  }
  if (i < 0) {
    number.insert(number.begin(), '1');
  } else {
    ++number[i];
  }
  return parsed.prefix + number;
}

}  // namespace deltacat::storage
