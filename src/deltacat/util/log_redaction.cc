#include "deltacat/util/log_redaction.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace deltacat::util {
namespace {

constexpr std::array<std::string_view, 8> kSecretWords = {
    "secret",    "token",      "password",      "passwd",
    "signature", "credential", "authorization", "private_key"};

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsQuote(char c) { return c == '"' || c == '\''; }
bool EndsValue(char c) {
  return IsSpace(c) || IsQuote(c) || c == '\\' || c == '&' || c == ',' || c == ';' || c == '}' ||
         c == ']' || c == ')';
}

}  // namespace

bool IsSecretFieldName(std::string_view name) {
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view word) { return ContainsIgnoringCase(name, word); });
}

// A linear scan rather than std::regex: libstdc++'s regex recurses per character and can
// exhaust the stack on long values, and a logger must never crash on its input.
std::string RedactSecrets(std::string_view text) {
  if (!IsSecretFieldName(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;  // text[0, copied) is already in `out`
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (text[i] != ':' && text[i] != '=') continue;
    // The name before the separator: [name]["'][ ]:  (a JSON-escaped \" counts as a quote).
    std::size_t j = i;
    while (j > 0 && IsSpace(text[j - 1])) --j;
    if (j > 0 && IsQuote(text[j - 1])) --j;
    if (j > 0 && text[j - 1] == '\\') --j;
    const std::size_t name_end = j;
    while (j > 0 && IsNameChar(text[j - 1])) --j;
    if (j == name_end || !IsSecretFieldName(text.substr(j, name_end - j))) continue;
    // The value after it: :[ ]["']value
    std::size_t k = i + 1;
    while (k < n && IsSpace(text[k])) ++k;
    if (k < n && text[k] == '\\') ++k;
    if (k < n && IsQuote(text[k])) ++k;
    std::size_t value_end = k;
    while (value_end < n && !EndsValue(text[value_end])) ++value_end;
    if (value_end == k) continue;
    out.append(text.substr(copied, k - copied));
    out.append(kRedacted);
    copied = value_end;
    i = value_end - 1;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace deltacat::util
