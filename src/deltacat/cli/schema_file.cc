#include "deltacat/cli/schema_file.h"

#include <arrow/type.h>
#include <arrow/util/key_value_metadata.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <charconv>

namespace deltacat::cli {
namespace {

std::string Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

Status BadType(std::string_view name) {
  return MakeError(ErrorCode::kInvalidArgument, "unknown type '", name,
                   "' (examples: int64, string, float64, timestamp[us, UTC], decimal128(10, 2), "
                   "list<int64>)");
}

Result<int> ParseInt(std::string_view text, std::string_view type_name) {
  const std::string trimmed = Trim(text);
  int value = 0;
  auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (ec != std::errc() || end != trimmed.data() + trimmed.size()) return BadType(type_name);
  return value;
}

}  // namespace

Result<std::shared_ptr<arrow::DataType>> ParseTypeName(std::string_view raw) {
  const std::string name = Trim(raw);
  static const std::pair<std::string_view, const std::shared_ptr<arrow::DataType>& (*)()>
      kSimple[] = {
          {"bool", arrow::boolean},
          {"boolean", arrow::boolean},
          {"int8", arrow::int8},
          {"int16", arrow::int16},
          {"int32", arrow::int32},
          {"int64", arrow::int64},
          {"uint8", arrow::uint8},
          {"uint16", arrow::uint16},
          {"uint32", arrow::uint32},
          {"uint64", arrow::uint64},
          {"float32", arrow::float32},
          {"float", arrow::float32},
          {"float64", arrow::float64},
          {"double", arrow::float64},
          {"string", arrow::utf8},
          {"utf8", arrow::utf8},
          {"large_string", arrow::large_utf8},
          {"binary", arrow::binary},
          {"large_binary", arrow::large_binary},
          {"date32", arrow::date32},
          {"date64", arrow::date64},
      };
  for (const auto& [text, make] : kSimple) {
    if (name == text) return make();
  }
  if (name.rfind("timestamp[", 0) == 0 && name.back() == ']') {
    const std::string inner = name.substr(10, name.size() - 11);
    const size_t comma = inner.find(',');
    const std::string unit = Trim(inner.substr(0, comma));
    const std::string zone = comma == std::string::npos ? "" : Trim(inner.substr(comma + 1));
    arrow::TimeUnit::type time_unit;
    if (unit == "s") {
      time_unit = arrow::TimeUnit::SECOND;
    } else if (unit == "ms") {
      time_unit = arrow::TimeUnit::MILLI;
    } else if (unit == "us") {
      time_unit = arrow::TimeUnit::MICRO;
    } else if (unit == "ns") {
      time_unit = arrow::TimeUnit::NANO;
    } else {
      return BadType(name);
    }
    return arrow::timestamp(time_unit, zone);
  }
  for (std::string_view prefix : {"decimal128(", "decimal("}) {
    if (name.rfind(prefix, 0) == 0 && name.back() == ')') {
      const std::string inner = name.substr(prefix.size(), name.size() - prefix.size() - 1);
      const size_t comma = inner.find(',');
      if (comma == std::string::npos) return BadType(name);
      DC_ASSIGN_OR_RAISE(int precision, ParseInt(inner.substr(0, comma), name));
      DC_ASSIGN_OR_RAISE(int scale, ParseInt(inner.substr(comma + 1), name));
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return BadType(name);
      return arrow::decimal128(precision, scale);
    }
  }
  if (name.rfind("list<", 0) == 0 && name.back() == '>') {
    DC_ASSIGN_OR_RAISE(auto element, ParseTypeName(name.substr(5, name.size() - 6)));
    return arrow::list(element);
  }
  return BadType(name);
}

Result<SchemaFile> ParseSchemaJson(std::string_view json_text) {
  nlohmann::json document = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return MakeError(ErrorCode::kInvalidArgument, "schema file is not valid JSON");
  }
  const nlohmann::json* fields = &document;
  if (document.is_object()) {
    auto it = document.find("fields");
    if (it == document.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "schema file has no \"fields\" list");
    }
    fields = &*it;
  }
  if (!fields->is_array() || fields->empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "schema \"fields\" must be a non-empty list");
  }
  SchemaFile result;
  arrow::FieldVector arrow_fields;
  for (const auto& entry : *fields) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
        !entry.contains("type") || !entry["type"].is_string()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "each schema field needs a string \"name\" and \"type\"");
    }
    const std::string name = entry["name"].get<std::string>();
    DC_ASSIGN_OR_RAISE(auto type, ParseTypeName(entry["type"].get<std::string>()));
    bool nullable = true;
    if (auto it = entry.find("nullable"); it != entry.end()) {
      if (!it->is_boolean()) {
        return MakeError(ErrorCode::kInvalidArgument, "field '", name,
                         "': nullable must be a boolean");
      }
      nullable = it->get<bool>();
    }
    std::shared_ptr<const arrow::KeyValueMetadata> metadata;
    if (auto it = entry.find("doc"); it != entry.end() && it->is_string()) {
      metadata = arrow::key_value_metadata({"DELTACAT:doc"}, {it->get<std::string>()});
    }
    if (auto it = entry.find("merge_key"); it != entry.end()) {
      if (!it->is_boolean()) {
        return MakeError(ErrorCode::kInvalidArgument, "field '", name,
                         "': merge_key must be a boolean");
      }
      if (it->get<bool>()) result.merge_keys.push_back(name);
    }
    arrow_fields.push_back(arrow::field(name, std::move(type), nullable, std::move(metadata)));
  }
  result.schema = arrow::schema(std::move(arrow_fields));
  return result;
}

}  // namespace deltacat::cli
