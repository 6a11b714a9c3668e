#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace deltacat::storage {

/// String table of an on-disk enumeration. Each enum used with OpenEnum specializes this
/// with `static std::span<const std::pair<E, std::string_view>> Values()` (the canonical
/// string of every value) and `static std::optional<E> FromAlias(std::string_view)` (other
/// spellings Python accepts on read, e.g. "asc" for SortOrder::kAscending).
template <typename E>
struct EnumStrings;

/// An enumeration value as stored in a metafile: a known value of `E`, or a string this build
/// does not know. DeltaCAT enums are Python `str` enums written as their string value, and
/// newer writers add values (e.g. the `chrono` delta type), so an unknown string is kept and
/// written back verbatim rather than rejected.
template <typename E>
class OpenEnum {
 public:
  /// A known value; its string is the canonical on-disk spelling.
  OpenEnum(E value)  // NOLINT(google-explicit-constructor)
      : value_(value), text_(CanonicalString(value)) {}

  /// Any on-disk string: resolves canonical spellings and aliases, keeps the text as given.
  static OpenEnum Parse(std::string_view text) {
    OpenEnum result;
    result.text_ = std::string(text);
    for (const auto& [value, name] : EnumStrings<E>::Values()) {
      if (name == text) {
        result.value_ = value;
        return result;
      }
    }
    result.value_ = EnumStrings<E>::FromAlias(text);
    return result;
  }

  /// The known value, or nullopt for a string this build does not know.
  std::optional<E> known() const { return value_; }
  /// True when this is the known value `value`.
  bool is(E value) const { return value_ == value; }
  /// The string stored on disk.
  const std::string& str() const { return text_; }

  /// Equal when both denote the same known value, or both are the same unknown string.
  bool operator==(const OpenEnum& other) const {
    if (value_.has_value() || other.value_.has_value()) return value_ == other.value_;
    return text_ == other.text_;
  }
  bool operator==(E value) const { return is(value); }

  /// The canonical on-disk string of a known value.
  static std::string_view CanonicalString(E value) {
    for (const auto& [v, name] : EnumStrings<E>::Values()) {
      if (v == value) return name;
    }
    return {};
  }

 private:
  OpenEnum() = default;
  std::optional<E> value_;
  std::string text_;
};

}  // namespace deltacat::storage
