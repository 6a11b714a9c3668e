#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "deltacat/result.h"

namespace deltacat {

/// How `Catalog::Write` treats the target table (DeltaCAT's `TableWriteMode`).
enum class TableWriteMode {
  kAuto,     ///< create the table if missing; else ADD (no merge keys) or MERGE (merge keys)
  kCreate,   ///< the table (or the named version) must not exist
  kAdd,      ///< unordered append (no merge keys)
  kAppend,   ///< ordered append (no merge keys)
  kChrono,   ///< append positioned by wall-clock milliseconds (no merge keys)
  kReplace,  ///< replace all data of the table version
  kMerge,    ///< upsert by merge keys
  kDelete,   ///< delete rows whose merge keys match
};

/// "auto", "create", ... (the Python enum values).
std::string_view TableWriteModeName(TableWriteMode mode);
/// Parses a mode name case-insensitively ("merge", "MERGE", "upsert" is not accepted).
Result<TableWriteMode> ParseTableWriteMode(std::string_view name);

/// Lifecycle of a table version (DeltaCAT's `LifecycleState`).
enum class LifecycleState { kCreated, kUnreleased, kActive, kDeprecated, kBeta, kDeleted };
std::string_view LifecycleStateName(LifecycleState state);
Result<LifecycleState> ParseLifecycleState(std::string_view name);

/// Per-field handling of written columns whose type differs from the schema.
enum class SchemaConsistencyType { kNone, kCoerce, kValidate };
std::string_view SchemaConsistencyTypeName(SchemaConsistencyType type);
Result<SchemaConsistencyType> ParseSchemaConsistencyType(std::string_view name);

/// What a write does with columns the schema does not have (table property).
enum class SchemaEvolutionMode { kAuto, kManual, kDisabled };
std::string_view SchemaEvolutionModeName(SchemaEvolutionMode mode);
Result<SchemaEvolutionMode> ParseSchemaEvolutionMode(std::string_view name);

/// Table property `read_optimization_level`: MAX compacts merge-keyed writes inline (copy on
/// write, DeltaCAT's behaviour); NONE leaves merging to reads (merge on read).
enum class ReadOptimizationLevel { kNone, kModerate, kMax };
std::string_view ReadOptimizationLevelName(ReadOptimizationLevel level);
Result<ReadOptimizationLevel> ParseReadOptimizationLevel(std::string_view name);

/// A property value as DeltaCAT stores it (msgpack-compatible scalars and string lists).
using PropertyValue =
    std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<std::string>>;

/// Free-form properties of namespaces, tables and table versions.
using Properties = std::map<std::string, PropertyValue>;

/// Well-known table property keys (the Python `TableProperty` values).
namespace table_property {
inline constexpr std::string_view kReadOptimizationLevel = "read_optimization_level";
inline constexpr std::string_view kRecordsPerCompactedFile = "records_per_compacted_file";
inline constexpr std::string_view kAppendedRecordCountCompactionTrigger =
    "appended_record_count_compaction_trigger";
inline constexpr std::string_view kAppendedFileCountCompactionTrigger =
    "appended_file_count_compaction_trigger";
inline constexpr std::string_view kAppendedDeltaCountCompactionTrigger =
    "appended_delta_count_compaction_trigger";
inline constexpr std::string_view kDefaultCompactionHashBucketCount =
    "default_compaction_hash_bucket_count";
inline constexpr std::string_view kSchemaEvolutionMode = "schema_evolution_mode";
inline constexpr std::string_view kDefaultSchemaConsistencyType = "default_schema_consistency_type";
inline constexpr std::string_view kSupportedReaderTypes = "supported_reader_types";
}  // namespace table_property

/// A table reference: `[NAMESPACE/]TABLE`; the namespace defaults to "default".
struct TableRef {
  std::string ns = "default";
  std::string name;

  TableRef() = default;
  /// Parses "table" or "namespace/table".
  TableRef(std::string_view qualified);  // NOLINT(google-explicit-constructor)
  TableRef(const char* qualified) : TableRef(std::string_view(qualified)) {}         // NOLINT
  TableRef(const std::string& qualified) : TableRef(std::string_view(qualified)) {}  // NOLINT
  TableRef(std::string ns_name, std::string table_name)
      : ns(std::move(ns_name)), name(std::move(table_name)) {}

  /// "namespace/table".
  std::string ToString() const;
  bool operator==(const TableRef&) const = default;
};

}  // namespace deltacat
