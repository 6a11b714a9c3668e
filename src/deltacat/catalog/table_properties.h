#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/msgpack_value.h"
#include "deltacat/types.h"

namespace deltacat {

/// Table and table-version properties with DeltaCAT's defaults filled in and typed
/// (catalog-api.md §8). Behaviour always reads the table version's copy.
struct EffectiveTableProperties {
  ReadOptimizationLevel read_optimization_level = ReadOptimizationLevel::kMax;
  int64_t records_per_compacted_file = 4000000;
  int64_t appended_record_count_compaction_trigger = 64000000;
  int64_t appended_file_count_compaction_trigger = 1000;
  int64_t appended_delta_count_compaction_trigger = 100;
  int64_t default_compaction_hash_bucket_count = 8;
  SchemaEvolutionMode schema_evolution_mode = SchemaEvolutionMode::kAuto;
  SchemaConsistencyType default_schema_consistency_type = SchemaConsistencyType::kNone;
};

/// The reader types Python DeltaCAT lists by default, in its order.
const std::vector<std::string>& DefaultSupportedReaderTypes();

/// Converts between the public property map and the stored msgpack map.
storage::MsgValue PropertiesToMsg(const Properties& properties);
Properties PropertiesFromMsg(const storage::MsgValue& value);

/// `given` plus a default for every well-known key it lacks, in Python's order (user keys
/// first). `schemaless` stores nil supported reader types, as Python does.
storage::MsgValue WithDefaultTableProperties(const storage::MsgValue& given, bool schemaless);

/// Table-version properties: `version_properties` over `table_properties` for missing keys.
storage::MsgValue MergeVersionProperties(const storage::MsgValue& version_properties,
                                         const storage::MsgValue& table_properties);

/// Reads the typed view; kTableValidation for a well-known key with a value of the wrong type.
Result<EffectiveTableProperties> ReadEffectiveProperties(const storage::MsgValue& properties);

}  // namespace deltacat
