#include "deltacat/io/json_lines_writer.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <arrow/util/checked_cast.h>

namespace deltacat::io {
namespace {

using arrow::internal::checked_cast;

/// Renders one value of an array as JSON.
class ValueEncoder {
 public:
  explicit ValueEncoder(std::shared_ptr<arrow::Array> array) : array_(std::move(array)) {}
  virtual ~ValueEncoder() = default;

  /// Appends the JSON text of element `i` (`null` when it is null).
  void Append(int64_t i, std::string* out) const {
    if (array_->IsNull(i)) {
      out->append("null");
    } else {
      AppendValid(i, out);
    }
  }

 protected:
  virtual void AppendValid(int64_t i, std::string* out) const = 0;
  std::shared_ptr<arrow::Array> array_;
};

Result<std::unique_ptr<ValueEncoder>> MakeEncoder(const std::shared_ptr<arrow::Array>& array,
                                                  arrow::MemoryPool* pool);

class NullEncoder : public ValueEncoder {
 public:
  using ValueEncoder::ValueEncoder;

 protected:
  void AppendValid(int64_t, std::string* out) const override { out->append("null"); }
};

class BooleanEncoder : public ValueEncoder {
 public:
  using ValueEncoder::ValueEncoder;

 protected:
  void AppendValid(int64_t i, std::string* out) const override {
    out->append(checked_cast<const arrow::BooleanArray&>(*array_).Value(i) ? "true" : "false");
  }
};

template <typename ArrayType>
class IntegerEncoder : public ValueEncoder {
 public:
  using ValueEncoder::ValueEncoder;

 protected:
  void AppendValid(int64_t i, std::string* out) const override {
    char digits[24];
    auto value = checked_cast<const ArrayType&>(*array_).Value(i);
    auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
    out->append(digits, end);
  }
};

template <typename ArrayType>
class FloatEncoder : public ValueEncoder {
 public:
  using ValueEncoder::ValueEncoder;

 protected:
  void AppendValid(int64_t i, std::string* out) const override {
    auto value = checked_cast<const ArrayType&>(*array_).Value(i);
    if (!std::isfinite(value)) {
      out->append("null");  // JSON has no NaN or infinity; Polars writes null too
      return;
    }
    char digits[64];
    auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
    std::string_view text(digits, end - digits);
    out->append(text);
    // Keep "1.0" a float for readers that infer types (to_chars gives "1").
    if (text.find_first_of(".e") == std::string_view::npos) out->append(".0");
  }
};

template <typename ArrayType>
class StringEncoder : public ValueEncoder {
 public:
  using ValueEncoder::ValueEncoder;

 protected:
  void AppendValid(int64_t i, std::string* out) const override {
    AppendJsonString(checked_cast<const ArrayType&>(*array_).GetView(i), out);
  }
};

template <typename ArrayType>
class ListEncoder : public ValueEncoder {
 public:
  ListEncoder(std::shared_ptr<arrow::Array> array, std::unique_ptr<ValueEncoder> values)
      : ValueEncoder(std::move(array)), values_(std::move(values)) {}

 protected:
  void AppendValid(int64_t i, std::string* out) const override {
    const auto& list = checked_cast<const ArrayType&>(*array_);
    out->push_back('[');
    for (auto j = list.value_offset(i); j < list.value_offset(i) + list.value_length(i); ++j) {
      if (j != list.value_offset(i)) out->push_back(',');
      values_->Append(j, out);
    }
    out->push_back(']');
  }

 private:
  std::unique_ptr<ValueEncoder> values_;
};

class StructEncoder : public ValueEncoder {
 public:
  StructEncoder(std::shared_ptr<arrow::Array> array, std::vector<std::string> keys,
                std::vector<std::unique_ptr<ValueEncoder>> fields)
      : ValueEncoder(std::move(array)), keys_(std::move(keys)), fields_(std::move(fields)) {}

 protected:
  void AppendValid(int64_t i, std::string* out) const override {
    out->push_back('{');
    for (size_t f = 0; f < fields_.size(); ++f) {
      if (f != 0) out->push_back(',');
      out->append(keys_[f]);
      fields_[f]->Append(i, out);
    }
    out->push_back('}');
  }

 private:
  std::vector<std::string> keys_;
  std::vector<std::unique_ptr<ValueEncoder>> fields_;
};

class DictionaryEncoder : public ValueEncoder {
 public:
  DictionaryEncoder(std::shared_ptr<arrow::Array> array, std::unique_ptr<ValueEncoder> values)
      : ValueEncoder(std::move(array)), values_(std::move(values)) {}

 protected:
  void AppendValid(int64_t i, std::string* out) const override {
    values_->Append(checked_cast<const arrow::DictionaryArray&>(*array_).GetValueIndex(i), out);
  }

 private:
  std::unique_ptr<ValueEncoder> values_;
};

std::string JsonKey(const std::string& name) {
  std::string key;
  AppendJsonString(name, &key);
  key.push_back(':');
  return key;
}

/// Encodes `array` through its text rendering by Arrow's cast (the format Arrow's readers
/// parse back).
Result<std::unique_ptr<ValueEncoder>> MakeCastEncoder(const std::shared_ptr<arrow::Array>& array,
                                                      const std::shared_ptr<arrow::DataType>& to,
                                                      arrow::MemoryPool* pool) {
  arrow::compute::ExecContext context(pool);
  DC_ASSIGN_OR_RAISE(
      auto cast, arrow::compute::Cast(*array, to, arrow::compute::CastOptions::Safe(), &context));
  return MakeEncoder(cast, pool);
}

Result<std::unique_ptr<ValueEncoder>> MakeEncoder(const std::shared_ptr<arrow::Array>& array,
                                                  arrow::MemoryPool* pool) {
  using E = std::unique_ptr<ValueEncoder>;
  switch (array->type_id()) {
    case arrow::Type::NA: return E(new NullEncoder(array));
    case arrow::Type::BOOL: return E(new BooleanEncoder(array));
    case arrow::Type::INT8: return E(new IntegerEncoder<arrow::Int8Array>(array));
    case arrow::Type::INT16: return E(new IntegerEncoder<arrow::Int16Array>(array));
    case arrow::Type::INT32: return E(new IntegerEncoder<arrow::Int32Array>(array));
    case arrow::Type::INT64: return E(new IntegerEncoder<arrow::Int64Array>(array));
    case arrow::Type::UINT8: return E(new IntegerEncoder<arrow::UInt8Array>(array));
    case arrow::Type::UINT16: return E(new IntegerEncoder<arrow::UInt16Array>(array));
    case arrow::Type::UINT32: return E(new IntegerEncoder<arrow::UInt32Array>(array));
    case arrow::Type::UINT64: return E(new IntegerEncoder<arrow::UInt64Array>(array));
    case arrow::Type::FLOAT: return E(new FloatEncoder<arrow::FloatArray>(array));
    case arrow::Type::DOUBLE: return E(new FloatEncoder<arrow::DoubleArray>(array));
    case arrow::Type::HALF_FLOAT: return MakeCastEncoder(array, arrow::float32(), pool);
    case arrow::Type::STRING: return E(new StringEncoder<arrow::StringArray>(array));
    case arrow::Type::LARGE_STRING: return E(new StringEncoder<arrow::LargeStringArray>(array));
    case arrow::Type::DURATION: return MakeCastEncoder(array, arrow::int64(), pool);
    case arrow::Type::DECIMAL128:
    case arrow::Type::DECIMAL256:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIME32:
    case arrow::Type::TIME64:
    case arrow::Type::TIMESTAMP: return MakeCastEncoder(array, arrow::utf8(), pool);
    case arrow::Type::LIST: {
      const auto& list = checked_cast<const arrow::ListArray&>(*array);
      DC_ASSIGN_OR_RAISE(auto values, MakeEncoder(list.values(), pool));
      return E(new ListEncoder<arrow::ListArray>(array, std::move(values)));
    }
    case arrow::Type::LARGE_LIST: {
      const auto& list = checked_cast<const arrow::LargeListArray&>(*array);
      DC_ASSIGN_OR_RAISE(auto values, MakeEncoder(list.values(), pool));
      return E(new ListEncoder<arrow::LargeListArray>(array, std::move(values)));
    }
    case arrow::Type::STRUCT: {
      const auto& structs = checked_cast<const arrow::StructArray&>(*array);
      std::vector<std::string> keys;
      std::vector<std::unique_ptr<ValueEncoder>> fields;
      for (int f = 0; f < structs.num_fields(); ++f) {
        keys.push_back(JsonKey(structs.struct_type()->field(f)->name()));
        DC_ASSIGN_OR_RAISE(auto field, MakeEncoder(structs.field(f), pool));
        fields.push_back(std::move(field));
      }
      return E(new StructEncoder(array, std::move(keys), std::move(fields)));
    }
    case arrow::Type::DICTIONARY: {
      const auto& dictionary = checked_cast<const arrow::DictionaryArray&>(*array);
      DC_ASSIGN_OR_RAISE(auto values, MakeEncoder(dictionary.dictionary(), pool));
      return E(new DictionaryEncoder(array, std::move(values)));
    }
    default:
      return MakeError(ErrorCode::kContentTypeValidation, "JSON cannot hold values of type ",
                       array->type()->ToString());
  }
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0xF]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(c);  // UTF-8 passes through unescaped, as Polars writes it
        }
    }
  }
  out->push_back('"');
}

JsonLinesWriter::JsonLinesWriter(arrow::io::OutputStream* sink,
                                 std::shared_ptr<arrow::Schema> schema, arrow::MemoryPool* pool)
    : sink_(sink), schema_(std::move(schema)), pool_(pool) {
  for (const auto& field : schema_->fields()) keys_.push_back(JsonKey(field->name()));
}

Status JsonLinesWriter::Write(const arrow::RecordBatch& batch) {
  std::vector<std::unique_ptr<ValueEncoder>> columns;
  for (const auto& column : batch.columns()) {
    DC_ASSIGN_OR_RAISE(auto encoder, MakeEncoder(column, pool_));
    columns.push_back(std::move(encoder));
  }
  // Flush in chunks of about 1 MiB so that memory stays bounded for huge batches.
  constexpr size_t kFlushBytes = 1 << 20;
  buffer_.clear();
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    buffer_.push_back('{');
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c != 0) buffer_.push_back(',');
      buffer_.append(keys_[c]);
      columns[c]->Append(row, &buffer_);
    }
    buffer_.append("}\n");
    if (buffer_.size() >= kFlushBytes) {
      DC_RETURN_NOT_OK(sink_->Write(buffer_.data(), static_cast<int64_t>(buffer_.size())));
      buffer_.clear();
    }
  }
  if (!buffer_.empty()) {
    DC_RETURN_NOT_OK(sink_->Write(buffer_.data(), static_cast<int64_t>(buffer_.size())));
    buffer_.clear();
  }
  return Status::OK();
}

}  // namespace deltacat::io
