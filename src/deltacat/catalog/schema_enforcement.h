#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <arrow/table.h>
#include <arrow/type.h>

#include "deltacat/result.h"
#include "deltacat/types.h"

namespace deltacat {

/// What the schema says about one field, as far as writes are concerned.
struct FieldWriteRules {
  std::optional<SchemaConsistencyType> consistency;  ///< nullopt: unset (treated as NONE)
  bool is_merge_key = false;
  std::shared_ptr<arrow::Scalar> future_default;  ///< fills the column when data lacks it
};

/// Reads a field's write rules from its DeltaCAT metadata. `decode_default` turns the stored
/// `DELTACAT:future_default` value into a scalar of the field's type (it lives with the schema
/// codec); nullptr means defaults are ignored.
using DefaultDecoder =
    std::function<Result<std::shared_ptr<arrow::Scalar>>(const arrow::Field& field)>;
Result<FieldWriteRules> FieldWriteRulesOf(const arrow::Field& field,
                                          const DefaultDecoder& decode_default);

/// Options of one schema enforcement run.
struct SchemaEnforcementOptions {
  SchemaEvolutionMode evolution_mode = SchemaEvolutionMode::kAuto;
  /// Consistency type given to fields added by evolution (table property
  /// default_schema_consistency_type).
  SchemaConsistencyType default_consistency = SchemaConsistencyType::kNone;
  /// false for partial upserts: schema fields absent from the data stay absent (the merge
  /// keeps the previous values), instead of being filled with defaults or nulls.
  bool backfill_missing_fields = true;
  DefaultDecoder decode_default;
};

/// The outcome: data that fits the (possibly evolved) schema.
struct EnforcedData {
  std::shared_ptr<arrow::Table> data;
  /// The table schema after this write: equal to the input schema unless fields were added or
  /// widened (then the caller stores it as a new schema id).
  std::shared_ptr<arrow::Schema> schema;
  bool schema_changed = false;
  /// The columns the writer supplied (before any backfill), for partial upserts.
  std::vector<std::string> supplied_columns;
};

/// Applies DeltaCAT's write-time schema rules (catalog-api.md §7.3-7.5) to `data`:
/// - columns present in the schema are validated (VALIDATE: exact type), safely cast (COERCE)
///   or promoted (NONE/unset: Arrow's permissive type unification; the schema field widens when
///   the data is wider, e.g. int32 -> int64, int64 -> double, string -> binary);
/// - columns absent from the schema are added (evolution AUTO: nullable, next field id,
///   `default_consistency`) or rejected (MANUAL/DISABLED);
/// - schema fields absent from the data are filled with their future default, else nulls, else
///   rejected (non-nullable without a default), unless `backfill_missing_fields` is false.
/// Errors are SchemaValidationError naming the field. Output column order: the data's columns,
/// then backfilled ones. Field metadata (ids, merge keys) comes from the schema.
Result<EnforcedData> EnforceSchema(const arrow::Schema& table_schema,
                                   const std::shared_ptr<arrow::Table>& data,
                                   const SchemaEnforcementOptions& options);

/// The field id stored in `PARQUET:field_id`, or nullopt.
std::optional<int64_t> FieldIdOf(const arrow::Field& field);

/// The largest field id in `schema` (-1 if none).
int64_t MaxFieldId(const arrow::Schema& schema);

}  // namespace deltacat
