#include "deltacat/io/format_types.h"

#include <string>

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <arrow/util/checked_cast.h>
#include <arrow/util/value_parsing.h>

namespace deltacat::io {
namespace {

using arrow::internal::checked_cast;

enum class Where { kTopLevel, kNested };

/// Why `type` cannot be stored in `content_type`, or empty when it can.
std::string UnsupportedReason(ContentType content_type, const arrow::DataType& type, Where where);

std::string ChildrenReason(ContentType content_type, const arrow::DataType& type) {
  for (const auto& child : type.fields()) {
    std::string reason = UnsupportedReason(content_type, *child->type(), Where::kNested);
    if (!reason.empty()) return reason;
  }
  return {};
}

std::string ParquetReason(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::SPARSE_UNION:
    case arrow::Type::DENSE_UNION:
    case arrow::Type::INTERVAL_MONTHS:
    case arrow::Type::INTERVAL_DAY_TIME:
    case arrow::Type::INTERVAL_MONTH_DAY_NANO:
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW:
    case arrow::Type::LIST_VIEW:
    case arrow::Type::LARGE_LIST_VIEW:
    case arrow::Type::RUN_END_ENCODED: return "Parquet has no representation for it";
    default: return ChildrenReason(ContentType::kParquet, type);
  }
}

std::string OrcReason(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::BOOL:
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::FIXED_SIZE_BINARY:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIMESTAMP:
    case arrow::Type::DECIMAL128: return {};
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
    case arrow::Type::FIXED_SIZE_LIST:
    case arrow::Type::STRUCT:
    case arrow::Type::MAP: return ChildrenReason(ContentType::kOrc, type);
    default:
      return "ORC has no such type (no unsigned integers, half floats, times, durations, "
             "dictionaries or null columns)";
  }
}

bool IsFlatTextScalar(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::NA:
    case arrow::Type::BOOL:
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
    case arrow::Type::HALF_FLOAT:
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
    case arrow::Type::DECIMAL128:
    case arrow::Type::DECIMAL256:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIMESTAMP:
    case arrow::Type::DURATION:
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING: return true;
    default: return false;
  }
}

std::string DelimitedTextReason(const arrow::DataType& type) {
  if (IsFlatTextScalar(type)) return {};
  switch (type.id()) {
    case arrow::Type::TIME32:
    case arrow::Type::TIME64: return {};
    case arrow::Type::DICTIONARY: {
      const auto& value_type = *checked_cast<const arrow::DictionaryType&>(type).value_type();
      if (IsFlatTextScalar(value_type)) return {};
      return "delimited text can only hold dictionaries of flat scalar values";
    }
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::FIXED_SIZE_BINARY:
      return "delimited text holds UTF-8 text only; write binary to Parquet or Feather";
    default: return "delimited text holds flat columns only (no lists, structs, maps or unions)";
  }
}

std::string JsonReason(const arrow::DataType& type, Where where) {
  if (IsFlatTextScalar(type)) return {};
  switch (type.id()) {
    case arrow::Type::TIME32:
    case arrow::Type::TIME64:
      if (where == Where::kTopLevel) return {};
      return "JSON times are only supported as top-level columns";
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
    case arrow::Type::STRUCT: return ChildrenReason(ContentType::kJson, type);
    case arrow::Type::DICTIONARY: {
      const auto& value_type = *checked_cast<const arrow::DictionaryType&>(type).value_type();
      return JsonReason(value_type, where);
    }
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::FIXED_SIZE_BINARY:
      return "JSON holds UTF-8 text only (Python DeltaCAT cannot write it either); write binary "
             "to Parquet or Feather";
    default: return "JSON has no representation for it (maps, unions, intervals, ...)";
  }
}

std::string UnsupportedReason(ContentType content_type, const arrow::DataType& type, Where where) {
  if (type.id() == arrow::Type::EXTENSION) {
    const auto& storage = *checked_cast<const arrow::ExtensionType&>(type).storage_type();
    if (content_type == ContentType::kParquet || content_type == ContentType::kFeather) {
      return UnsupportedReason(content_type, storage, where);
    }
    return "extension types can only be stored in Parquet or Feather";
  }
  switch (content_type) {
    case ContentType::kParquet: return ParquetReason(type);
    case ContentType::kFeather: return {};
    case ContentType::kOrc: return OrcReason(type);
    case ContentType::kCsv:
    case ContentType::kTsv:
    case ContentType::kPsv:
    case ContentType::kUnescapedTsv: return DelimitedTextReason(type);
    case ContentType::kJson: return JsonReason(type, where);
    case ContentType::kAvro:
    case ContentType::kBinary: return "no table writer exists for this content type";
  }
  return "unknown content type";
}

/// Parses "HH:MM:SS[.fraction]" strings into a time32/time64 array.
template <typename TimeType>
Result<std::shared_ptr<arrow::Array>> ParseTimes(const arrow::Array& strings,
                                                 const std::shared_ptr<arrow::DataType>& type,
                                                 arrow::MemoryPool* pool) {
  using CType = typename TimeType::c_type;
  const auto& time_type = checked_cast<const TimeType&>(*type);
  arrow::NumericBuilder<TimeType> builder(type, pool);
  DC_RETURN_NOT_OK(builder.Reserve(strings.length()));
  auto append = [&](const auto& typed) -> Status {
    for (int64_t i = 0; i < typed.length(); ++i) {
      if (typed.IsNull(i)) {
        builder.UnsafeAppendNull();
        continue;
      }
      std::string_view text = typed.GetView(i);
      CType value{};
      if (!arrow::internal::ParseValue<TimeType>(time_type, text.data(), text.size(), &value)) {
        return MakeError(ErrorCode::kSchemaValidation, "cannot parse '", text, "' as ",
                         type->ToString());
      }
      builder.UnsafeAppend(value);
    }
    return Status::OK();
  };
  if (strings.type_id() == arrow::Type::STRING) {
    DC_RETURN_NOT_OK(append(checked_cast<const arrow::StringArray&>(strings)));
  } else {
    DC_RETURN_NOT_OK(append(checked_cast<const arrow::LargeStringArray&>(strings)));
  }
  std::shared_ptr<arrow::Array> out;
  DC_RETURN_NOT_OK(builder.Finish(&out));
  return out;
}

}  // namespace

Status CheckContentTypeCanStore(ContentType content_type, const arrow::Schema& schema) {
  if (content_type == ContentType::kAvro) {
    return MakeError(ErrorCode::kNotImplemented,
                     "writing application/avro is not supported by DeltaCAT C++ (Arrow C++ has "
                     "no Avro writer); use Parquet, Feather or ORC");
  }
  if (content_type == ContentType::kBinary) {
    return MakeError(ErrorCode::kContentTypeValidation,
                     "application/octet-stream has no table writer");
  }
  for (const auto& field : schema.fields()) {
    std::string reason = UnsupportedReason(content_type, *field->type(), Where::kTopLevel);
    if (!reason.empty()) {
      return MakeError(ErrorCode::kContentTypeValidation, "column '", field->name(), "' of type ",
                       field->type()->ToString(), " cannot be stored as ",
                       ContentTypeString(content_type), ": ", reason);
    }
  }
  return Status::OK();
}

std::shared_ptr<arrow::DataType> DecodeTypeFor(ContentType content_type,
                                               const std::shared_ptr<arrow::DataType>& type) {
  const bool json = content_type == ContentType::kJson;
  if (!json && !IsDelimitedTextContentType(content_type)) return type;
  switch (type->id()) {
    case arrow::Type::DURATION: return arrow::int64();
    case arrow::Type::HALF_FLOAT: return arrow::float32();
    case arrow::Type::DICTIONARY:
      return DecodeTypeFor(content_type,
                           checked_cast<const arrow::DictionaryType&>(*type).value_type());
    default: break;
  }
  if (!json) return type;
  switch (type->id()) {
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIME32:
    case arrow::Type::TIME64: return arrow::utf8();
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST: {
      const auto& child = type->field(0);
      return arrow::list(child->WithType(DecodeTypeFor(content_type, child->type())));
    }
    case arrow::Type::STRUCT: {
      arrow::FieldVector children;
      for (const auto& child : type->fields()) {
        children.push_back(child->WithType(DecodeTypeFor(content_type, child->type())));
      }
      return arrow::struct_(children);
    }
    default: return type;
  }
}

Result<std::shared_ptr<arrow::Array>> ConvertArray(const std::shared_ptr<arrow::Array>& array,
                                                   const std::shared_ptr<arrow::DataType>& type,
                                                   arrow::MemoryPool* pool) {
  if (array->type()->Equals(*type)) return array;
  const bool from_text =
      array->type_id() == arrow::Type::STRING || array->type_id() == arrow::Type::LARGE_STRING;
  if (from_text && type->id() == arrow::Type::TIME32) {
    return ParseTimes<arrow::Time32Type>(*array, type, pool);
  }
  if (from_text && type->id() == arrow::Type::TIME64) {
    return ParseTimes<arrow::Time64Type>(*array, type, pool);
  }
  arrow::compute::ExecContext context(pool);
  auto cast = arrow::compute::Cast(*array, type, arrow::compute::CastOptions::Safe(), &context);
  if (!cast.ok()) {
    return MakeError(ErrorCode::kSchemaValidation, "cannot convert ", array->type()->ToString(),
                     " to ", type->ToString(), ": ", cast.status().message());
  }
  return std::move(cast).MoveValueUnsafe();
}

}  // namespace deltacat::io
