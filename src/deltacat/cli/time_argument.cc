#include "deltacat/cli/time_argument.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <string>

namespace deltacat::cli {
namespace {

Status BadTime(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument, "invalid time '", text,
                   "': expected epoch nanoseconds or ISO-8601 such as 2026-11-24T06:59:11Z");
}

// Reads exactly `digits` decimal digits at `pos`.
bool ReadFixed(std::string_view text, size_t& pos, size_t digits, int& value) {
  if (pos + digits > text.size()) return false;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + digits, value);
  if (ec != std::errc() || end != text.data() + pos + digits) return false;
  pos += digits;
  return true;
}

}  // namespace

Result<int64_t> ParseTimeArgument(std::string_view text) {
  if (text.empty()) return BadTime(text);
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) {
    int64_t ns = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ns);
    if (ec != std::errc() || end != text.data() + text.size()) return BadTime(text);
    return ns;
  }

  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadFixed(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !ReadFixed(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !ReadFixed(text, pos, 2, day)) {
    return BadTime(text);
  }
  int64_t fraction_ns = 0;
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    if (!ReadFixed(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !ReadFixed(text, pos, 2, minute)) {
      return BadTime(text);
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadFixed(text, pos, 2, second)) return BadTime(text);
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        int64_t scale = 100000000;
        size_t digits = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (digits++ < 9) {
            fraction_ns += (text[pos] - '0') * scale;
            scale /= 10;
          }
          ++pos;
        }
        if (digits == 0) return BadTime(text);
      }
    }
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '-' ? -1 : 1;
      int offset_hours = 0, offset_minutes = 0;
      if (!ReadFixed(text, pos, 2, offset_hours)) return BadTime(text);
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (pos < text.size() && !ReadFixed(text, pos, 2, offset_minutes)) return BadTime(text);
      offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
    }
  }
  if (pos != text.size()) return BadTime(text);

  using namespace std::chrono;
  const year_month_day date{std::chrono::year(year), std::chrono::month(month),
                            std::chrono::day(day)};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return BadTime(text);
  const int64_t seconds = sys_days(date).time_since_epoch().count() * 86400LL + hour * 3600LL +
                          minute * 60LL + second - offset_seconds;
  return seconds * 1000000000LL + fraction_ns;
}

}  // namespace deltacat::cli
