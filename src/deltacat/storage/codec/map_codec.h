#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/model/map_extras.h"
#include "deltacat/storage/model/open_enum.h"
#include "deltacat/storage/msgpack_value.h"

// Building blocks of the model codecs: read the fields of a msgpack map with typed, path-named
// errors while collecting the keys nobody asked for, and write maps that keep those keys and
// the original key order (MapExtras).

namespace deltacat::storage::codec {

/// Joins a field path for error messages: "table" + "tableLocator" -> "table.tableLocator".
std::string JoinPath(std::string_view parent, std::string_view key);
/// "keys" + 3 -> "keys[3]".
std::string IndexPath(std::string_view parent, size_t index);

/// The T of a decoder `Result<T>(const MsgValue&, std::string_view path)`.
template <typename R>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
  using type = T;
};
template <typename Decode>
using DecodedType =
    typename ResultValue<std::invoke_result_t<Decode, const MsgValue&, std::string_view>>::type;

/// Reads the fields of one msgpack map. Absent and nil read alike (as nullopt) for optional
/// fields; a present value of the wrong kind is a kCorruptMetadata error naming its path.
class MapReader {
 public:
  /// Fails (kCorruptMetadata) unless `value` is a map. `path` names it in errors.
  static Result<MapReader> Open(const MsgValue& value, std::string path);

  /// The path of this map, for errors.
  const std::string& path() const { return path_; }
  /// The path of one of its keys.
  std::string PathOf(std::string_view key) const { return JoinPath(path_, key); }

  /// The value under `key`, or nullptr; either way the key counts as modelled.
  const MsgValue* Take(std::string_view key);
  /// The value under `key` (nil if absent), for fields kept as generic msgpack.
  MsgValue Raw(std::string_view key);

  /// A str, or nil/absent.
  Result<std::optional<std::string>> String(std::string_view key);
  /// A bin, or nil/absent.
  Result<std::optional<std::string>> Binary(std::string_view key);
  /// An int that fits int64 (any msgpack integer encoding), or nil/absent.
  Result<std::optional<int64_t>> Int(std::string_view key);
  /// A float (or an int, read as float), or nil/absent.
  Result<std::optional<double>> Double(std::string_view key);
  /// A bool, or nil/absent.
  Result<std::optional<bool>> Bool(std::string_view key);
  /// An array of str, or nil.
  Result<std::optional<std::vector<std::string>>> StringList(std::string_view key);
  /// An array of bin, or nil.
  Result<std::optional<std::vector<std::string>>> BinaryList(std::string_view key);
  /// A required str: absent or nil is an error too.
  Result<std::string> RequiredString(std::string_view key);

  /// An enum stored as its string value; unknown strings are kept.
  template <typename E>
  Result<std::optional<OpenEnum<E>>> Enum(std::string_view key) {
    DC_ASSIGN_OR_RAISE(std::optional<std::string> text, String(key));
    if (!text) return std::optional<OpenEnum<E>>();
    return std::optional<OpenEnum<E>>(OpenEnum<E>::Parse(*text));
  }

  /// A nested structure decoded by `decode(const MsgValue&, std::string_view path)`; nil or
  /// absent gives nullopt.
  template <typename Decode, typename T = DecodedType<Decode>>
  Result<std::optional<T>> Nested(std::string_view key, Decode&& decode) {
    const MsgValue* value = Take(key);
    if (value == nullptr || value->IsNil()) return std::optional<T>();
    DC_ASSIGN_OR_RAISE(T decoded, decode(*value, PathOf(key)));
    return std::optional<T>(std::move(decoded));
  }

  /// An array of nested structures, or nil.
  template <typename Decode, typename T = DecodedType<Decode>>
  Result<std::optional<std::vector<T>>> NestedList(std::string_view key, Decode&& decode) {
    const MsgValue* value = Take(key);
    if (value == nullptr || value->IsNil()) return std::optional<std::vector<T>>();
    const MsgArray* items = value->AsArray();
    if (items == nullptr) return WrongKind(key, "an array", *value);
    std::vector<T> out;
    out.reserve(items->size());
    for (size_t i = 0; i < items->size(); ++i) {
      DC_ASSIGN_OR_RAISE(T decoded, decode((*items)[i], IndexPath(PathOf(key), i)));
      out.push_back(std::move(decoded));
    }
    return std::optional<std::vector<T>>(std::move(out));
  }

  /// The keys nobody took, and the original key order.
  MapExtras Finish() const;

 private:
  MapReader(const MsgMap* map, std::string path)
      : map_(map), taken_(map->size(), false), path_(std::move(path)) {}
  Status WrongKind(std::string_view key, std::string_view expected, const MsgValue& actual) const;

  const MsgMap* map_;
  std::vector<bool> taken_;
  std::string path_;
};

/// Writes a map field by field in the order Python's constructors insert them.
class MapWriter {
 public:
  /// Always writes `key`.
  void Put(std::string_view key, MsgValue value);
  /// Writes `key`, as nil when unset (how Python's metafile `of()` constructors write).
  template <typename T, typename Convert>
  void PutNullable(std::string_view key, const std::optional<T>& value, Convert&& convert) {
    Put(key, value ? convert(*value) : MsgValue::Nil());
  }
  /// Writes `key` only when set (how manifests and their metadata are written).
  template <typename T, typename Convert>
  void PutIfSet(std::string_view key, const std::optional<T>& value, Convert&& convert) {
    if (value) Put(key, convert(*value));
  }

  /// The finished map: unknown keys appended; then, when the struct was decoded, the original
  /// key order restored and keys that were absent and are still nil left out again.
  MsgValue Finish(const MapExtras& extras) &&;

 private:
  MsgMap entries_;
};

/// Conversions used with MapWriter.
inline MsgValue ToMsg(const std::string& s) { return MsgValue::String(s); }
inline MsgValue ToMsg(int64_t v) { return MsgValue::Int(v); }
inline MsgValue ToMsg(bool v) { return MsgValue::Bool(v); }
inline MsgValue ToMsg(double v) { return MsgValue::Double(v); }
inline MsgValue ToMsg(const MsgValue& v) { return v; }
MsgValue ToMsg(const std::vector<std::string>& strings);
template <typename E>
MsgValue ToMsg(const OpenEnum<E>& e) {
  return MsgValue::String(e.str());
}
/// Binary payloads need saying so: a std::string is written as str by default.
inline MsgValue ToMsgBinary(const std::string& bytes) { return MsgValue::Binary(bytes); }
MsgValue ToMsgBinaryList(const std::vector<std::string>& items);

/// Adapts a ToMsg overload set for MapWriter's templates.
inline constexpr auto kToMsg = [](const auto& v) { return ToMsg(v); };

}  // namespace deltacat::storage::codec
