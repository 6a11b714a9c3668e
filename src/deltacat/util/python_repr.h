#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace deltacat {

/// Python's `None`.
struct PyNone {
  bool operator==(const PyNone&) const = default;
};

/// A Python `bytes` value (arbitrary octets), as opposed to a `str` (UTF-8 text).
struct PyBytes {
  std::string data;
  bool operator==(const PyBytes&) const = default;
};

/// A Python value of the kinds DeltaCAT stores as partition values: None, bool, int, float,
/// str, bytes, or a list of those. Used to reproduce CPython's `repr()` byte for byte, because
/// `str(partition_values)` is hashed into partition directory names (storage-format.md §2.6).
struct PyValue {
  using List = std::vector<PyValue>;
  using Variant = std::variant<PyNone, bool, int64_t, double, std::string, PyBytes, List>;

  /// None.
  PyValue() = default;
  PyValue(std::nullptr_t) {}             // NOLINT(google-explicit-constructor)
  PyValue(PyNone) {}                     // NOLINT(google-explicit-constructor)
  PyValue(bool b) : value(b) {}          // NOLINT(google-explicit-constructor)
  PyValue(int i) : value(int64_t{i}) {}  // NOLINT(google-explicit-constructor)
  PyValue(int64_t i) : value(i) {}       // NOLINT(google-explicit-constructor)
  PyValue(double d) : value(d) {}        // NOLINT(google-explicit-constructor)
  /// A Python str; `s` is UTF-8.
  PyValue(const char* s) : value(std::string(s)) {}       // NOLINT(google-explicit-constructor)
  PyValue(std::string s) : value(std::move(s)) {}         // NOLINT(google-explicit-constructor)
  PyValue(std::string_view s) : value(std::string(s)) {}  // NOLINT(google-explicit-constructor)
  PyValue(PyBytes b) : value(std::move(b)) {}             // NOLINT(google-explicit-constructor)
  PyValue(List l) : value(std::move(l)) {}                // NOLINT(google-explicit-constructor)
  /// A Python list, e.g. `PyValue::ListOf({1, "a", nullptr})`.
  static PyValue ListOf(std::initializer_list<PyValue> items) { return PyValue(List(items)); }
  /// A Python bytes value holding `octets`.
  static PyValue BytesOf(std::string_view octets) { return PyValue(PyBytes{std::string(octets)}); }

  bool is_none() const { return std::holds_alternative<PyNone>(value); }
  bool operator==(const PyValue&) const = default;

  Variant value;
};

/// Exactly what CPython 3.10's `repr(value)` prints — and so also `str(value)` for everything
/// but a top-level str. Follows CPython's rules:
/// - None/True/False as words; ints in decimal;
/// - floats in shortest round-trip form with Python's layout: `1.0`, `0.1`, `1e-05`, `1e+16`,
///   `inf`, `-inf`, `nan`, `-0.0` (exponent form when the decimal exponent is < -4 or >= 16);
/// - str quoted with `'`, or with `"` when it contains `'` but no `"`; `\\`, the quote, `\t`,
///   `\n`, `\r` escaped; other non-printable characters as `\xNN`, `\uNNNN` or `\UNNNNNNNN`;
///   printable non-ASCII kept as is. Printability is CPython 3.10's `str.isprintable()`
///   (Unicode 13.0 table, generated from CPython by dev/codegen/gen_python_printable.py).
///   Invalid UTF-8 bytes are shown as the lone surrogates U+DC80..U+DCFF (`'\udcff'`), as
///   Python's `surrogateescape` decoding would produce; UTF-8-encoded surrogates decode to
///   themselves (as `surrogatepass` would);
/// - bytes as `b'...'` with the same quote rule, `\xNN` for bytes outside 0x20..0x7e;
/// - lists as `[a, b]` with each item in repr form.
std::string PythonRepr(const PyValue& value);

/// CPython's `str(value)`: the text itself for a str, `PythonRepr` for everything else.
std::string PythonStr(const PyValue& value);

}  // namespace deltacat
