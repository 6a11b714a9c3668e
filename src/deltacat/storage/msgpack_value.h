#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "deltacat/result.h"

namespace deltacat::storage {

class MsgValue;

/// A msgpack array.
using MsgArray = std::vector<MsgValue>;
/// A msgpack map: string keys in insertion order (Python dicts keep insertion order, and
/// Python's msgpack reader only accepts string keys).
using MsgMap = std::vector<std::pair<std::string, MsgValue>>;

/// A msgpack `bin` payload, kept apart from `str` because DeltaCAT stores Arrow schemas as bin.
struct MsgBinary {
  std::string bytes;
  bool operator==(const MsgBinary&) const = default;
};

/// A decoded msgpack value: the generic tree every metafile is read into and written from.
///
/// Integers: every value that fits int64 is kInt, whatever encoding it arrived in (Python does
/// not distinguish either); only values above INT64_MAX are kUint. Equality compares integers
/// by value and maps without regard to key order (as Python's dict equality does).
class MsgValue {
 public:
  /// The kind of value held.
  enum class Type { kNil, kBool, kInt, kUint, kDouble, kString, kBinary, kArray, kMap };

  /// nil.
  MsgValue() = default;

  /// nil.
  static MsgValue Nil() { return MsgValue(); }
  /// true/false.
  static MsgValue Bool(bool value);
  /// A signed integer.
  static MsgValue Int(int64_t value);
  /// An unsigned integer (stored as kInt when it fits int64).
  static MsgValue Uint(uint64_t value);
  /// A float64.
  static MsgValue Double(double value);
  /// A UTF-8 string (msgpack `str`).
  static MsgValue String(std::string value);
  /// Raw bytes (msgpack `bin`).
  static MsgValue Binary(std::string bytes);
  /// An array.
  static MsgValue Array(MsgArray items = {});
  /// A map.
  static MsgValue Map(MsgMap entries = {});

  /// The kind of value held.
  Type type() const;
  /// Kind tests.
  bool IsNil() const { return type() == Type::kNil; }
  bool IsBool() const { return type() == Type::kBool; }
  /// True for kInt and kUint.
  bool IsInteger() const { return type() == Type::kInt || type() == Type::kUint; }
  bool IsDouble() const { return type() == Type::kDouble; }
  bool IsString() const { return type() == Type::kString; }
  bool IsBinary() const { return type() == Type::kBinary; }
  bool IsArray() const { return type() == Type::kArray; }
  bool IsMap() const { return type() == Type::kMap; }

  /// Typed views: nullopt/nullptr when the value is of another kind.
  std::optional<bool> AsBool() const;
  /// The integer, if it is one that fits int64.
  std::optional<int64_t> AsInt() const;
  /// The integer, if it is one that is non-negative.
  std::optional<uint64_t> AsUint() const;
  /// A float64, or an integer converted to double (Python writes `0` for float fields too).
  std::optional<double> AsDouble() const;
  /// The str bytes (UTF-8), or nullptr.
  const std::string* AsString() const;
  /// Mutable str bytes, or nullptr.
  std::string* AsMutableString();
  /// The bin bytes, or nullptr.
  const std::string* AsBinary() const;
  /// The array items, or nullptr.
  const MsgArray* AsArray() const;
  /// Mutable array items, or nullptr.
  MsgArray* AsMutableArray();
  /// The map entries in order, or nullptr.
  const MsgMap* AsMap() const;
  /// Mutable map entries, or nullptr.
  MsgMap* AsMutableMap();

  /// Checked accessors for decoders: a kCorruptMetadata error naming `what` (e.g. "table
  /// 'description'") and the actual kind when the value is of another kind.
  Result<bool> GetBool(std::string_view what) const;
  Result<int64_t> GetInt(std::string_view what) const;
  Result<uint64_t> GetUint(std::string_view what) const;
  Result<double> GetDouble(std::string_view what) const;
  Result<std::string> GetString(std::string_view what) const;
  Result<std::string> GetBinary(std::string_view what) const;

  /// Map lookup: the value under `key`, or nullptr (also when this is not a map).
  const MsgValue* Find(std::string_view key) const;
  /// Mutable map lookup.
  MsgValue* FindMutable(std::string_view key);
  /// True when this is a map that has `key`.
  bool Contains(std::string_view key) const { return Find(key) != nullptr; }
  /// Sets `key` in place (keeping its position) or appends it. A non-map becomes an empty map
  /// first.
  void Set(std::string_view key, MsgValue value);
  /// Removes `key`; returns whether it was present.
  bool Erase(std::string_view key);

  /// Number of array items or map entries; 0 for scalars.
  size_t size() const;

  /// A short name of the kind ("nil", "int", "str", "bin", "map", ...) for messages.
  std::string_view TypeName() const;

  /// Deep semantic equality (see the class comment).
  bool operator==(const MsgValue& other) const;

 private:
  using Storage = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string,
                               MsgBinary, MsgArray, MsgMap>;
  explicit MsgValue(Storage storage) : storage_(std::move(storage)) {}
  Storage storage_;
};

/// Deepest nesting of arrays and maps accepted by DecodeMsgpack (Python's reader stops at
/// 1024 as well).
inline constexpr int kMaxMsgpackDepth = 1024;

/// Decodes exactly one msgpack object spanning all of `bytes`. Hostile-input safe: every
/// declared length is checked against the remaining input before anything is allocated, the
/// nesting depth is bounded, strings must be valid UTF-8, map keys must be strings, and ext
/// types are rejected; every failure is a kCorruptMetadata error with the byte offset.
Result<MsgValue> DecodeMsgpack(std::string_view bytes);

/// Encodes like Python's `msgpack.dumps` (msgpack-python >= 1.0): non-negative integers in the
/// smallest unsigned form, negative ones in the smallest signed form, float64 for doubles,
/// str8/16/32 for strings, bin8/16/32 for binary, and the smallest array/map headers.
std::string EncodeMsgpack(const MsgValue& value);

/// A JSON rendering for logs, test failures and the CLI's debug dumps: binary becomes
/// "b64:<base64>", non-finite doubles become strings. Not a storage format.
std::string ToJsonForDebug(const MsgValue& value);

}  // namespace deltacat::storage
