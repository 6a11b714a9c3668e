#include "deltacat/util/python_repr.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "deltacat/util/python_printable_table.h"
#include "deltacat/util/utf8.h"

namespace deltacat {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

bool IsPrintableNonAscii(uint32_t code_point) {
  const auto& table = util::kPythonPrintableRanges;
  // First range whose end is >= code_point; printable iff it also starts at or before it.
  auto it = std::lower_bound(
      table.begin(), table.end(), code_point,
      [](const util::CodePointRange& range, uint32_t cp) { return range.last < cp; });
  return it != table.end() && it->first <= code_point;
}

void AppendHexEscape(std::string& out, char marker, uint32_t value, int digits) {
  out.push_back('\\');
  out.push_back(marker);
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out.push_back(kHexDigits[(value >> shift) & 0xF]);
  }
}

/// CPython picks `"` only when the text has a `'` and no `"`.
char ChooseQuote(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  return (has_single && !has_double) ? '"' : '\'';
}

// Mirrors CPython's unicode_repr.
void AppendStrRepr(std::string& out, std::string_view text) {
  const char quote = ChooseQuote(text);
  out.push_back(quote);
  size_t pos = 0;
  while (pos < text.size()) {
    const uint32_t cp = DecodeUtf8(text, pos);
    if (cp == static_cast<uint32_t>(quote) || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      AppendHexEscape(out, 'x', cp, 2);
    } else if (cp < 0x7F) {
      out.push_back(static_cast<char>(cp));
    } else if (IsPrintableNonAscii(cp)) {
      AppendUtf8(out, cp);
    } else if (cp <= 0xFF) {
      AppendHexEscape(out, 'x', cp, 2);
    } else if (cp <= 0xFFFF) {
      AppendHexEscape(out, 'u', cp, 4);
    } else {
      AppendHexEscape(out, 'U', cp, 8);
    }
  }
  out.push_back(quote);
}

// Mirrors CPython's bytes_repr.
void AppendBytesRepr(std::string& out, std::string_view octets) {
  const char quote = ChooseQuote(octets);
  out.push_back('b');
  out.push_back(quote);
  for (char c : octets) {
    const auto byte = static_cast<uint8_t>(c);
    if (c == quote || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte >= 0x7F) {
      AppendHexEscape(out, 'x', byte, 2);
    } else {
      out.push_back(c);
    }
  }
  out.push_back(quote);
}

// Mirrors CPython's float_repr: shortest round-trip digits (PyOS_double_to_string mode 'r'),
// laid out in exponent form when the decimal point position is < -3 or > 16.
void AppendFloatRepr(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "nan";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-inf" : "inf";
    return;
  }
  if (std::signbit(value)) out.push_back('-');
  value = std::fabs(value);
  if (value == 0) {
    out += "0.0";
    return;
  }
  // Shortest round-trip digits in scientific form: "d[.ddd]e[+-]XX".
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  const std::string_view sci(buffer, static_cast<size_t>(result.ptr - buffer));
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  const std::string_view exponent_text = sci.substr(e_pos + 1);
  std::from_chars(exponent_text.data() + (exponent_text[0] == '+' ? 1 : 0),
                  exponent_text.data() + exponent_text.size(), exponent);
  // Python's decpt: value = 0.DIGITS * 10^decpt.
  const int decimal_point = exponent + 1;
  const int digit_count = static_cast<int>(digits.size());
  if (decimal_point <= -4 || decimal_point > 16) {
    out.push_back(digits[0]);
    if (digit_count > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(exponent < 0 ? '-' : '+');
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) out.push_back('0');
    out += std::to_string(magnitude);
  } else if (decimal_point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decimal_point), '0');
    out += digits;
  } else if (decimal_point >= digit_count) {
    out += digits;
    out.append(static_cast<size_t>(decimal_point - digit_count), '0');
    out += ".0";
  } else {
    out.append(digits, 0, static_cast<size_t>(decimal_point));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(decimal_point));
  }
}

void AppendRepr(std::string& out, const PyValue& value) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, PyNone>) {
          out += "None";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "True" : "False";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          out += std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          AppendFloatRepr(out, v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          AppendStrRepr(out, v);
        } else if constexpr (std::is_same_v<T, PyBytes>) {
          AppendBytesRepr(out, v.data);
        } else {
          out.push_back('[');
          for (size_t i = 0; i < v.size(); ++i) {
            if (i > 0) out += ", ";
            AppendRepr(out, v[i]);
          }
          out.push_back(']');
        }
      },
      value.value);
}

}  // namespace

std::string PythonRepr(const PyValue& value) {
  std::string out;
  AppendRepr(out, value);
  return out;
}

std::string PythonStr(const PyValue& value) {
  if (const auto* text = std::get_if<std::string>(&value.value)) return *text;
  return PythonRepr(value);
}

}  // namespace deltacat
