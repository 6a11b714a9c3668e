#include "deltacat/compute/manifest_statistics.h"

#include <cmath>
#include <string>
#include <utility>

#include <arrow/buffer.h>
#include <arrow/compute/cast.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/util/checked_cast.h>
#include <arrow/util/utf8.h>

#include "deltacat/storage/base64.h"
#include "deltacat/util/utf8.h"

namespace deltacat::compute {
namespace {

using arrow::internal::checked_cast;
using storage::MsgArray;
using storage::MsgMap;
using storage::MsgValue;

// The families of values the statistics distinguish; a bound converts to another type of its
// family only (conversions inside a family preserve order).
enum class Family { kBool, kSigned, kUnsigned, kFloating, kString, kBinary, kTemporal, kOther };

Family FamilyOf(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::BOOL: return Family::kBool;
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64: return Family::kSigned;
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64: return Family::kUnsigned;
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE: return Family::kFloating;
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING: return Family::kString;
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::FIXED_SIZE_BINARY: return Family::kBinary;
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIMESTAMP:
    case arrow::Type::TIME32:
    case arrow::Type::TIME64: return Family::kTemporal;
    default: return Family::kOther;
  }
}

// Length of the longest prefix of `text` of at most `limit` bytes that ends on a UTF-8
// character boundary.
size_t Utf8PrefixLength(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text.size();
  size_t length = limit;
  while (length > 0 && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) --length;
  return length;
}

// The code points of `text`; nullopt when it is not valid UTF-8 (no bound is then derived
// from it: an invalid byte has no place in code point order).
std::optional<std::vector<uint32_t>> CodePoints(std::string_view text) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < text.size();) {
    const uint32_t cp = DecodeUtf8(text, i);
    if (cp >= 0xD800 && cp <= 0xDFFF) return std::nullopt;  // a surrogate-escaped bad byte
    out.push_back(cp);
  }
  return out;
}

// An upper bound of every string that starts with `text`'s first `kMaxStatisticsBoundBytes`
// bytes, itself short and valid UTF-8: a character prefix whose last character is incremented
// (UTF-8 byte order is code point order). nullopt when every character is U+10FFFF or the
// text is not valid UTF-8.
std::optional<std::string> Utf8UpperBound(std::string_view text) {
  if (text.size() <= kMaxStatisticsBoundBytes) return std::string(text);
  // Leave room for the incremented character to grow by a byte or two.
  std::optional<std::vector<uint32_t>> decoded =
      CodePoints(text.substr(0, Utf8PrefixLength(text, kMaxStatisticsBoundBytes - 4)));
  if (!decoded) return std::nullopt;
  std::vector<uint32_t>& cps = *decoded;
  while (!cps.empty()) {
    uint32_t last = cps.back();
    cps.pop_back();
    if (last >= 0x10FFFF) continue;
    uint32_t next = last + 1;
    if (next >= 0xD800 && next <= 0xDFFF) next = 0xE000;  // surrogates are not characters
    std::string out;
    for (uint32_t cp : cps) AppendUtf8(out, cp);
    AppendUtf8(out, next);
    return out;
  }
  return std::nullopt;
}

// The same for bytes: a prefix whose last byte is incremented (bytes 0xFF are dropped first).
std::optional<std::string> BinaryUpperBound(std::string_view bytes) {
  if (bytes.size() <= kMaxStatisticsBoundBytes) return std::string(bytes);
  std::string out(bytes.substr(0, kMaxStatisticsBoundBytes));
  while (!out.empty()) {
    auto last = static_cast<unsigned char>(out.back());
    if (last == 0xFF) {
      out.pop_back();
      continue;
    }
    out.back() = static_cast<char>(last + 1);
    return out;
  }
  return std::nullopt;
}

std::string_view ScalarBytes(const arrow::Scalar& scalar) {
  return std::string_view(*checked_cast<const arrow::BaseBinaryScalar&>(scalar).value);
}

// The msgpack form of a bound (see docs/format.md); nullopt when it cannot be stored.
std::optional<MsgValue> EncodeBound(const arrow::Scalar& scalar, bool upper) {
  if (!scalar.is_valid) return std::nullopt;
  switch (scalar.type->id()) {
    case arrow::Type::BOOL:
      return MsgValue::Bool(checked_cast<const arrow::BooleanScalar&>(scalar).value);
    case arrow::Type::INT8:
      return MsgValue::Int(checked_cast<const arrow::Int8Scalar&>(scalar).value);
    case arrow::Type::INT16:
      return MsgValue::Int(checked_cast<const arrow::Int16Scalar&>(scalar).value);
    case arrow::Type::INT32:
      return MsgValue::Int(checked_cast<const arrow::Int32Scalar&>(scalar).value);
    case arrow::Type::INT64:
      return MsgValue::Int(checked_cast<const arrow::Int64Scalar&>(scalar).value);
    case arrow::Type::UINT8:
      return MsgValue::Int(checked_cast<const arrow::UInt8Scalar&>(scalar).value);
    case arrow::Type::UINT16:
      return MsgValue::Int(checked_cast<const arrow::UInt16Scalar&>(scalar).value);
    case arrow::Type::UINT32:
      return MsgValue::Int(checked_cast<const arrow::UInt32Scalar&>(scalar).value);
    case arrow::Type::UINT64:
      return MsgValue::Uint(checked_cast<const arrow::UInt64Scalar&>(scalar).value);
    case arrow::Type::FLOAT: {
      const double value = checked_cast<const arrow::FloatScalar&>(scalar).value;
      if (std::isnan(value)) return std::nullopt;
      return MsgValue::Double(value);
    }
    case arrow::Type::DOUBLE: {
      const double value = checked_cast<const arrow::DoubleScalar&>(scalar).value;
      if (std::isnan(value)) return std::nullopt;
      return MsgValue::Double(value);
    }
    case arrow::Type::DATE32:
      return MsgValue::Int(checked_cast<const arrow::Date32Scalar&>(scalar).value);
    case arrow::Type::DATE64:
      return MsgValue::Int(checked_cast<const arrow::Date64Scalar&>(scalar).value);
    case arrow::Type::TIMESTAMP:
      return MsgValue::Int(checked_cast<const arrow::TimestampScalar&>(scalar).value);
    case arrow::Type::TIME32:
      return MsgValue::Int(checked_cast<const arrow::Time32Scalar&>(scalar).value);
    case arrow::Type::TIME64:
      return MsgValue::Int(checked_cast<const arrow::Time64Scalar&>(scalar).value);
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING: {
      const std::string_view text = ScalarBytes(scalar);
      // Python's msgpack reader rejects invalid UTF-8 in str values: never write any.
      if (!arrow::util::ValidateUTF8(text)) return std::nullopt;
      if (!upper)
        return MsgValue::String(
            std::string(text.substr(0, Utf8PrefixLength(text, kMaxStatisticsBoundBytes))));
      auto bound = Utf8UpperBound(text);
      if (!bound) return std::nullopt;
      return MsgValue::String(std::move(*bound));
    }
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY: {
      const std::string_view bytes = ScalarBytes(scalar);
      if (!upper) {
        return MsgValue::String(storage::Base64Encode(
            bytes.substr(0, std::min(bytes.size(), kMaxStatisticsBoundBytes))));
      }
      auto bound = BinaryUpperBound(bytes);
      if (!bound) return std::nullopt;
      return MsgValue::String(storage::Base64Encode(*bound));
    }
    case arrow::Type::FIXED_SIZE_BINARY: {
      const std::string_view bytes = ScalarBytes(scalar);
      if (bytes.size() > kMaxStatisticsBoundBytes) return std::nullopt;  // cannot be cut
      return MsgValue::String(storage::Base64Encode(bytes));
    }
    default: return std::nullopt;
  }
}

// A bound read back as a scalar of `stored_type` (the type the file was written with).
std::shared_ptr<arrow::Scalar> DecodeBound(const MsgValue& value,
                                           const std::shared_ptr<arrow::DataType>& stored_type) {
  switch (FamilyOf(*stored_type)) {
    case Family::kBool:
      if (auto b = value.AsBool()) return std::make_shared<arrow::BooleanScalar>(*b);
      return nullptr;
    case Family::kTemporal: {
      auto integer = value.AsInt();
      if (!integer) return nullptr;
      auto temporal = arrow::MakeScalar(stored_type, *integer);
      return temporal.ok() ? *temporal : nullptr;
    }
    case Family::kSigned:
    case Family::kUnsigned: {
      std::shared_ptr<arrow::Scalar> integer;
      if (auto i = value.AsInt()) {
        integer = std::make_shared<arrow::Int64Scalar>(*i);
      } else if (auto u = value.AsUint()) {
        integer = std::make_shared<arrow::UInt64Scalar>(*u);
      } else {
        return nullptr;
      }
      auto cast = arrow::compute::Cast(integer, stored_type);  // safe: range-checked
      return cast.ok() ? cast->scalar() : nullptr;
    }
    case Family::kFloating: {
      if (!value.IsDouble() && !value.IsInteger()) return nullptr;
      auto cast = arrow::compute::Cast(std::make_shared<arrow::DoubleScalar>(*value.AsDouble()),
                                       stored_type, arrow::compute::CastOptions::Unsafe());
      return cast.ok() ? cast->scalar() : nullptr;
    }
    case Family::kString: {
      const std::string* text = value.AsString();
      if (text == nullptr) return nullptr;
      auto scalar = arrow::MakeScalar(stored_type, arrow::Buffer::FromString(*text));
      return scalar.ok() ? *scalar : nullptr;
    }
    case Family::kBinary: {
      const std::string* text = value.AsString();
      if (text == nullptr) return nullptr;
      auto bytes = storage::Base64Decode(*text);
      if (!bytes) return nullptr;
      if (stored_type->id() == arrow::Type::FIXED_SIZE_BINARY &&
          static_cast<int64_t>(bytes->size()) !=
              checked_cast<const arrow::FixedSizeBinaryType&>(*stored_type).byte_width()) {
        return nullptr;
      }
      auto scalar = arrow::MakeScalar(stored_type, arrow::Buffer::FromString(std::move(*bytes)));
      return scalar.ok() ? *scalar : nullptr;
    }
    default: return nullptr;
  }
}

// `bound` (of the stored type) as a scalar of `target`, where the conversion preserves order;
// nullptr otherwise.
std::shared_ptr<arrow::Scalar> ConvertBound(const std::shared_ptr<arrow::Scalar>& bound,
                                            const std::shared_ptr<arrow::DataType>& target) {
  if (!bound) return nullptr;
  if (bound->type->Equals(*target)) return bound;
  const Family from = FamilyOf(*bound->type);
  const Family to = FamilyOf(*target);
  const bool numeric_from =
      from == Family::kSigned || from == Family::kUnsigned || from == Family::kFloating;
  const bool numeric_to =
      to == Family::kSigned || to == Family::kUnsigned || to == Family::kFloating;
  const bool ordered = (numeric_from && numeric_to && !(from == Family::kFloating && to != from)) ||
                       (from == to && (from == Family::kString || from == Family::kBinary) &&
                        target->id() != arrow::Type::FIXED_SIZE_BINARY);
  if (!ordered) return nullptr;
  auto cast = arrow::compute::Cast(bound, target);
  return cast.ok() ? cast->scalar() : nullptr;
}

// The Arrow type a stored type name denotes, for the names statistics are written with.
std::shared_ptr<arrow::DataType> StoredType(const std::string& name,
                                            const std::shared_ptr<arrow::DataType>& current) {
  if (current->ToString() == name) return current;
  static const std::pair<const char*, std::shared_ptr<arrow::DataType>> kSimple[] = {
      {"bool", arrow::boolean()},
      {"int8", arrow::int8()},
      {"int16", arrow::int16()},
      {"int32", arrow::int32()},
      {"int64", arrow::int64()},
      {"uint8", arrow::uint8()},
      {"uint16", arrow::uint16()},
      {"uint32", arrow::uint32()},
      {"uint64", arrow::uint64()},
      {"float", arrow::float32()},
      {"double", arrow::float64()},
      {"string", arrow::utf8()},
      {"large_string", arrow::large_utf8()},
      {"binary", arrow::binary()},
      {"large_binary", arrow::large_binary()}};
  for (const auto& [simple, type] : kSimple) {
    if (name == simple) return type;
  }
  return nullptr;  // other types convert only to themselves
}

}  // namespace

MsgValue EncodeColumnStatistics(const std::vector<io::ColumnStatistics>& columns,
                                int64_t record_count) {
  if (columns.empty()) return MsgValue::Nil();
  MsgArray encoded;
  encoded.reserve(columns.size());
  for (const io::ColumnStatistics& column : columns) {
    MsgMap entry;
    entry.emplace_back("name", MsgValue::String(column.column));
    std::shared_ptr<arrow::DataType> type = column.min   ? column.min->type
                                            : column.max ? column.max->type
                                                         : nullptr;
    if (type) entry.emplace_back("type", MsgValue::String(type->ToString()));
    if (column.null_count) entry.emplace_back("null_count", MsgValue::Int(*column.null_count));
    if (column.nan_count) entry.emplace_back("nan_count", MsgValue::Int(*column.nan_count));
    if (column.min && column.max) {
      auto min = EncodeBound(*column.min, /*upper=*/false);
      auto max = EncodeBound(*column.max, /*upper=*/true);
      if (min) entry.emplace_back("min", std::move(*min));
      if (max) entry.emplace_back("max", std::move(*max));
    }
    encoded.push_back(MsgValue::Map(std::move(entry)));
  }
  return MsgValue::Map({{"version", MsgValue::Int(kColumnStatisticsVersion)},
                        {"record_count", MsgValue::Int(record_count)},
                        {"columns", MsgValue::Array(std::move(encoded))}});
}

void AttachColumnStatistics(storage::ManifestMeta& meta, MsgValue statistics) {
  auto& unknown = meta.extras.unknown;
  for (auto it = unknown.begin(); it != unknown.end(); ++it) {
    if (it->first == kColumnStatisticsKey) {
      unknown.erase(it);
      break;
    }
  }
  if (!statistics.IsNil())
    unknown.emplace_back(std::string(kColumnStatisticsKey), std::move(statistics));
}

std::optional<FileColumnStatistics> DecodeColumnStatistics(const storage::ManifestMeta& meta,
                                                           const arrow::Schema& schema) {
  const MsgValue* stored = nullptr;
  for (const auto& [key, value] : meta.extras.unknown) {
    if (key == kColumnStatisticsKey) stored = &value;
  }
  if (stored == nullptr || !stored->IsMap()) return std::nullopt;
  const MsgValue* version = stored->Find("version");
  const MsgValue* record_count = stored->Find("record_count");
  const MsgValue* columns = stored->Find("columns");
  if (version == nullptr || version->AsInt() != kColumnStatisticsVersion ||
      record_count == nullptr || !record_count->AsInt() || columns == nullptr ||
      !columns->IsArray()) {
    return std::nullopt;
  }
  // Statistics copied next to a different file (or a rewritten one) must not be trusted.
  if (!meta.record_count || *meta.record_count != *record_count->AsInt()) return std::nullopt;
  FileColumnStatistics out;
  out.record_count = *record_count->AsInt();
  for (const MsgValue& column : *columns->AsArray()) {
    const MsgValue* name = column.Find("name");
    if (name == nullptr || name->AsString() == nullptr) return std::nullopt;
    const auto field = schema.GetFieldByName(*name->AsString());
    if (!field) continue;  // a column dropped from the schema since
    io::ColumnStatistics stats;
    stats.column = field->name();
    if (const MsgValue* nulls = column.Find("null_count")) {
      if (auto count = nulls->AsInt(); count && *count >= 0 && *count <= out.record_count) {
        stats.null_count = *count;
      }
    }
    const MsgValue* type_name = column.Find("type");
    std::shared_ptr<arrow::DataType> stored_type;
    if (type_name != nullptr && type_name->AsString() != nullptr) {
      stored_type = StoredType(*type_name->AsString(), field->type());
    }
    const bool floating = FamilyOf(*field->type()) == Family::kFloating;
    if (floating) {
      if (stored_type && FamilyOf(*stored_type) != Family::kFloating &&
          FamilyOf(*stored_type) != Family::kOther) {
        stats.nan_count = 0;  // integers widened to floating point are never NaN
      } else if (const MsgValue* nans = column.Find("nan_count")) {
        if (auto count = nans->AsInt(); count && *count >= 0 && *count <= out.record_count) {
          stats.nan_count = *count;
        }
      }
    }
    if (stored_type) {
      if (const MsgValue* min = column.Find("min")) {
        stats.min = ConvertBound(DecodeBound(*min, stored_type), field->type());
      }
      if (const MsgValue* max = column.Find("max")) {
        stats.max = ConvertBound(DecodeBound(*max, stored_type), field->type());
      }
    }
    out.columns.push_back(std::move(stats));
  }
  return out;
}

}  // namespace deltacat::compute
