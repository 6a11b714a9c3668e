#include "deltacat/catalog/schema_enforcement.h"

#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include <arrow/array/util.h>
#include <arrow/compute/api.h>
#include <arrow/util/key_value_metadata.h>

namespace deltacat {
namespace {

constexpr std::string_view kFieldIdKey = "PARQUET:field_id";
constexpr std::string_view kMergeKeyKey = "DELTACAT:merge_key";
constexpr std::string_view kConsistencyKey = "DELTACAT:consistency_type";

std::optional<std::string> MetadataValue(const arrow::Field& field, std::string_view key) {
  const auto& metadata = field.metadata();
  if (!metadata) return std::nullopt;
  const int index = metadata->FindKey(std::string(key));
  if (index < 0) return std::nullopt;
  return metadata->value(index);
}

// A cast that fails on overflow and truncation (Arrow's safe cast), for COERCE and promotion.
Result<std::shared_ptr<arrow::ChunkedArray>> SafeCast(
    const std::shared_ptr<arrow::ChunkedArray>& column,
    const std::shared_ptr<arrow::DataType>& type) {
  if (column->type()->Equals(*type)) return column;
  DC_ASSIGN_OR_RAISE(arrow::Datum cast,
                     arrow::compute::Cast(column, type, arrow::compute::CastOptions::Safe()));
  return cast.chunked_array();
}

// A column of `rows` copies of `value` (or nulls) of `type`.
Result<std::shared_ptr<arrow::ChunkedArray>> FilledColumn(
    const std::shared_ptr<arrow::Scalar>& value, const std::shared_ptr<arrow::DataType>& type,
    int64_t rows) {
  std::shared_ptr<arrow::Array> array;
  if (value && value->is_valid) {
    std::shared_ptr<arrow::Scalar> typed = value;
    if (!value->type->Equals(*type)) {
      DC_ASSIGN_OR_RAISE(typed, value->CastTo(type));
    }
    DC_ASSIGN_OR_RAISE(array, arrow::MakeArrayFromScalar(*typed, rows));
  } else {
    DC_ASSIGN_OR_RAISE(array, arrow::MakeArrayOfNull(type, rows));
  }
  return std::make_shared<arrow::ChunkedArray>(arrow::ArrayVector{array}, type);
}

std::shared_ptr<const arrow::KeyValueMetadata> AddedFieldMetadata(
    int64_t field_id, SchemaConsistencyType consistency) {
  return arrow::key_value_metadata(
      {std::string(kFieldIdKey), std::string(kConsistencyKey)},
      {std::to_string(field_id), std::string(SchemaConsistencyTypeName(consistency))});
}

}  // namespace

std::optional<int64_t> FieldIdOf(const arrow::Field& field) {
  auto text = MetadataValue(field, kFieldIdKey);
  if (!text) return std::nullopt;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return id;
}

int64_t MaxFieldId(const arrow::Schema& schema) {
  int64_t max_id = -1;
  for (const auto& field : schema.fields()) {
    if (auto id = FieldIdOf(*field)) max_id = std::max(max_id, *id);
  }
  return max_id;
}

Result<FieldWriteRules> FieldWriteRulesOf(const arrow::Field& field,
                                          const DefaultDecoder& decode_default) {
  FieldWriteRules rules;
  // Python treats any non-empty merge-key value as true.
  if (auto value = MetadataValue(field, kMergeKeyKey)) rules.is_merge_key = !value->empty();
  if (auto value = MetadataValue(field, kConsistencyKey)) {
    auto parsed = ParseSchemaConsistencyType(*value);
    if (!parsed.ok()) {
      return MakeError(ErrorCode::kCorruptMetadata, "field '", field.name(),
                       "' has an unknown consistency type '", *value, "'");
    }
    rules.consistency = *parsed;
  }
  // Merge keys are always validated, whatever their metadata says.
  if (rules.is_merge_key) rules.consistency = SchemaConsistencyType::kValidate;
  if (decode_default) {
    DC_ASSIGN_OR_RAISE(rules.future_default, decode_default(field));
  }
  return rules;
}

Result<EnforcedData> EnforceSchema(const arrow::Schema& table_schema,
                                   const std::shared_ptr<arrow::Table>& data,
                                   const SchemaEnforcementOptions& options) {
  EnforcedData result;
  arrow::FieldVector schema_fields = table_schema.fields();
  std::unordered_map<std::string, int> schema_index;
  for (int i = 0; i < static_cast<int>(schema_fields.size()); ++i) {
    schema_index.emplace(schema_fields[i]->name(), i);
  }
  int64_t next_field_id = MaxFieldId(table_schema) + 1;

  arrow::FieldVector out_fields;
  arrow::ChunkedArrayVector out_columns;
  std::unordered_set<std::string> supplied;
  for (int c = 0; c < data->num_columns(); ++c) {
    const auto& data_field = data->schema()->field(c);
    auto column = data->column(c);
    const std::string& name = data_field->name();
    if (!supplied.insert(name).second) {
      return MakeError(ErrorCode::kSchemaValidation, "column '", name,
                       "' appears more than once in the written data");
    }
    result.supplied_columns.push_back(name);

    auto found = schema_index.find(name);
    if (found == schema_index.end()) {
      if (options.evolution_mode != SchemaEvolutionMode::kAuto) {
        return MakeError(ErrorCode::kSchemaValidation, "Field '", name,
                         "' is not present in the schema and schema evolution mode is ",
                         SchemaEvolutionModeName(options.evolution_mode));
      }
      auto added = arrow::field(name, data_field->type(), /*nullable=*/true,
                                AddedFieldMetadata(next_field_id++, options.default_consistency));
      schema_index.emplace(name, static_cast<int>(schema_fields.size()));
      schema_fields.push_back(added);
      result.schema_changed = true;
      out_fields.push_back(added);
      out_columns.push_back(std::move(column));
      continue;
    }

    auto& schema_field = schema_fields[found->second];
    DC_ASSIGN_OR_RAISE(FieldWriteRules rules, FieldWriteRulesOf(*schema_field, nullptr));
    const auto consistency = rules.consistency.value_or(SchemaConsistencyType::kNone);
    const auto& expected = schema_field->type();
    if (consistency == SchemaConsistencyType::kValidate) {
      if (!column->type()->Equals(*expected)) {
        return MakeError(ErrorCode::kSchemaValidation, "Data type mismatch for field '", name,
                         "': expected ", expected->ToString(), ", got ",
                         column->type()->ToString());
      }
    } else if (consistency == SchemaConsistencyType::kCoerce) {
      auto cast = SafeCast(column, expected);
      if (!cast.ok()) {
        return MakeError(ErrorCode::kSchemaValidation, "Cannot coerce data for field '", name,
                         "' from ", column->type()->ToString(), " to ", expected->ToString(), ": ",
                         cast.status().message());
      }
      column = *cast;
    } else if (!column->type()->Equals(*expected)) {
      // Type promotion: unify permissively; the schema widens when the data is wider.
      auto unified = schema_field->MergeWith(*data_field->WithMetadata(schema_field->metadata()),
                                             arrow::Field::MergeOptions::Permissive());
      if (!unified.ok()) {
        return MakeError(ErrorCode::kSchemaValidation, "Cannot unify types for field '", name,
                         "': schema has ", expected->ToString(), ", data has ",
                         column->type()->ToString());
      }
      const auto& target = (*unified)->type();
      if (target->Equals(*expected)) {
        // The data is narrower: store it in the schema's type when that works.
        auto cast = SafeCast(column, expected);
        if (cast.ok()) column = *cast;
      } else {
        auto cast = SafeCast(column, target);
        if (!cast.ok()) {
          return MakeError(ErrorCode::kSchemaValidation, "Cannot unify types for field '", name,
                           "': ", cast.status().message());
        }
        column = *cast;
        schema_field = schema_field->WithType(target);
        result.schema_changed = true;
      }
    }
    if (!schema_field->nullable() && column->null_count() > 0) {
      return MakeError(ErrorCode::kSchemaValidation, "Field '", name,
                       "' is not nullable but the data has ", column->null_count(), " null(s)");
    }
    out_fields.push_back(schema_field);
    out_columns.push_back(std::move(column));
  }

  if (options.backfill_missing_fields) {
    for (const auto& schema_field : schema_fields) {
      if (supplied.count(schema_field->name())) continue;
      DC_ASSIGN_OR_RAISE(FieldWriteRules rules,
                         FieldWriteRulesOf(*schema_field, options.decode_default));
      if (!rules.future_default && !schema_field->nullable()) {
        return MakeError(ErrorCode::kSchemaValidation, "Field '", schema_field->name(),
                         "' is required but not present and no future_default is set");
      }
      DC_ASSIGN_OR_RAISE(
          auto column, FilledColumn(rules.future_default, schema_field->type(), data->num_rows()));
      out_fields.push_back(schema_field);
      out_columns.push_back(std::move(column));
    }
  }

  result.schema = arrow::schema(schema_fields, table_schema.metadata());
  result.data = arrow::Table::Make(arrow::schema(out_fields), out_columns, data->num_rows());
  return result;
}

}  // namespace deltacat
