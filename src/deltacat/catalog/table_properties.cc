#include "deltacat/catalog/table_properties.h"

namespace deltacat {
namespace {

using storage::MsgValue;

storage::MsgValue PropertyToMsg(const PropertyValue& value) {
  return std::visit(
      [](const auto& v) -> MsgValue {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) {
          return MsgValue::Nil();
        } else if constexpr (std::is_same_v<V, bool>) {
          return MsgValue::Bool(v);
        } else if constexpr (std::is_same_v<V, int64_t>) {
          return MsgValue::Int(v);
        } else if constexpr (std::is_same_v<V, double>) {
          return MsgValue::Double(v);
        } else if constexpr (std::is_same_v<V, std::string>) {
          return MsgValue::String(v);
        } else {
          storage::MsgArray items;
          for (const auto& item : v) items.push_back(MsgValue::String(item));
          return MsgValue::Array(std::move(items));
        }
      },
      value);
}

// Non-representable values (nested maps, binary) are shown as their debug JSON text.
PropertyValue PropertyFromMsg(const MsgValue& value) {
  if (value.IsNil()) return std::monostate{};
  if (auto b = value.AsBool()) return *b;
  if (auto i = value.AsInt()) return *i;
  if (auto d = value.AsDouble()) return *d;
  if (const auto* s = value.AsString()) return *s;
  if (const auto* array = value.AsArray()) {
    std::vector<std::string> items;
    for (const auto& item : *array) {
      if (const auto* s = item.AsString()) {
        items.push_back(*s);
      } else {
        items.push_back(storage::ToJsonForDebug(item));
      }
    }
    return items;
  }
  return storage::ToJsonForDebug(value);
}

void SetIfMissing(MsgValue& map, std::string_view key, MsgValue value) {
  if (!map.Contains(key)) map.Set(key, std::move(value));
}

Result<int64_t> IntProperty(const MsgValue& properties, std::string_view key, int64_t fallback) {
  const MsgValue* value = properties.Find(key);
  if (value == nullptr || value->IsNil()) return fallback;
  if (auto i = value->AsInt()) return *i;
  return MakeError(ErrorCode::kTableValidation, "table property ", key, " must be an integer, got ",
                   value->TypeName());
}

template <typename E>
Result<E> EnumProperty(const MsgValue& properties, std::string_view key, E fallback,
                       Result<E> (*parse)(std::string_view)) {
  const MsgValue* value = properties.Find(key);
  if (value == nullptr || value->IsNil()) return fallback;
  const std::string* text = value->AsString();
  if (text == nullptr) {
    return MakeError(ErrorCode::kTableValidation, "table property ", key, " must be a string");
  }
  auto parsed = parse(*text);
  if (!parsed.ok()) return Status(ErrorCode::kTableValidation, parsed.status().message());
  return parsed;
}

}  // namespace

const std::vector<std::string>& DefaultSupportedReaderTypes() {
  static const std::vector<std::string> kTypes{"numpy",           "pandas", "polars",     "pyarrow",
                                               "pyarrow_parquet", "daft",   "ray_dataset"};
  return kTypes;
}

MsgValue PropertiesToMsg(const Properties& properties) {
  MsgValue map = MsgValue::Map();
  for (const auto& [key, value] : properties) map.Set(key, PropertyToMsg(value));
  return map;
}

Properties PropertiesFromMsg(const MsgValue& value) {
  Properties properties;
  if (const auto* map = value.AsMap()) {
    for (const auto& [key, item] : *map) properties[key] = PropertyFromMsg(item);
  }
  return properties;
}

MsgValue WithDefaultTableProperties(const MsgValue& given, bool schemaless) {
  MsgValue properties = given.IsMap() ? given : MsgValue::Map();
  namespace tp = table_property;
  SetIfMissing(properties, tp::kReadOptimizationLevel, MsgValue::String("max"));
  SetIfMissing(properties, tp::kRecordsPerCompactedFile, MsgValue::Int(4000000));
  SetIfMissing(properties, tp::kAppendedRecordCountCompactionTrigger, MsgValue::Int(64000000));
  SetIfMissing(properties, tp::kAppendedFileCountCompactionTrigger, MsgValue::Int(1000));
  SetIfMissing(properties, tp::kAppendedDeltaCountCompactionTrigger, MsgValue::Int(100));
  SetIfMissing(properties, tp::kDefaultCompactionHashBucketCount, MsgValue::Int(8));
  SetIfMissing(properties, tp::kSchemaEvolutionMode, MsgValue::String("auto"));
  SetIfMissing(properties, tp::kDefaultSchemaConsistencyType, MsgValue::String("none"));
  if (schemaless) {
    SetIfMissing(properties, tp::kSupportedReaderTypes, MsgValue::Nil());
  } else {
    storage::MsgArray readers;
    for (const auto& reader : DefaultSupportedReaderTypes())
      readers.push_back(MsgValue::String(reader));
    SetIfMissing(properties, tp::kSupportedReaderTypes, MsgValue::Array(std::move(readers)));
  }
  return properties;
}

MsgValue MergeVersionProperties(const MsgValue& version_properties,
                                const MsgValue& table_properties) {
  MsgValue merged = version_properties.IsMap() ? version_properties : MsgValue::Map();
  if (const auto* table = table_properties.AsMap()) {
    for (const auto& [key, value] : *table) SetIfMissing(merged, key, value);
  }
  return merged;
}

Result<EffectiveTableProperties> ReadEffectiveProperties(const MsgValue& properties) {
  namespace tp = table_property;
  EffectiveTableProperties effective;
  DC_ASSIGN_OR_RAISE(effective.read_optimization_level,
                     EnumProperty<ReadOptimizationLevel>(properties, tp::kReadOptimizationLevel,
                                                         effective.read_optimization_level,
                                                         &ParseReadOptimizationLevel));
  DC_ASSIGN_OR_RAISE(
      effective.records_per_compacted_file,
      IntProperty(properties, tp::kRecordsPerCompactedFile, effective.records_per_compacted_file));
  DC_ASSIGN_OR_RAISE(effective.appended_record_count_compaction_trigger,
                     IntProperty(properties, tp::kAppendedRecordCountCompactionTrigger,
                                 effective.appended_record_count_compaction_trigger));
  DC_ASSIGN_OR_RAISE(effective.appended_file_count_compaction_trigger,
                     IntProperty(properties, tp::kAppendedFileCountCompactionTrigger,
                                 effective.appended_file_count_compaction_trigger));
  DC_ASSIGN_OR_RAISE(effective.appended_delta_count_compaction_trigger,
                     IntProperty(properties, tp::kAppendedDeltaCountCompactionTrigger,
                                 effective.appended_delta_count_compaction_trigger));
  DC_ASSIGN_OR_RAISE(effective.default_compaction_hash_bucket_count,
                     IntProperty(properties, tp::kDefaultCompactionHashBucketCount,
                                 effective.default_compaction_hash_bucket_count));
  DC_ASSIGN_OR_RAISE(effective.schema_evolution_mode,
                     EnumProperty<SchemaEvolutionMode>(properties, tp::kSchemaEvolutionMode,
                                                       effective.schema_evolution_mode,
                                                       &ParseSchemaEvolutionMode));
  DC_ASSIGN_OR_RAISE(effective.default_schema_consistency_type,
                     EnumProperty<SchemaConsistencyType>(
                         properties, tp::kDefaultSchemaConsistencyType,
                         effective.default_schema_consistency_type, &ParseSchemaConsistencyType));
  if (effective.default_compaction_hash_bucket_count < 1) {
    return MakeError(ErrorCode::kTableValidation, "table property ",
                     tp::kDefaultCompactionHashBucketCount, " must be at least 1");
  }
  return effective;
}

}  // namespace deltacat
