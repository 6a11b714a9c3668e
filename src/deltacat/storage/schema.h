#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <arrow/type_fwd.h>

#include "deltacat/result.h"
#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/table_version.h"
#include "deltacat/storage/msgpack_value.h"

// DeltaCAT schemas: an Arrow schema whose field and schema metadata carry DeltaCAT's semantics
// (format spec §3.12, docs/format.md §8; Python's deltacat/storage/model/schema.py). Table
// versions store schemas as encapsulated Arrow IPC schema messages (Schema::Serialize).

namespace deltacat::storage {

/// Field metadata keys.
inline constexpr std::string_view kFieldIdKey = "PARQUET:field_id";
inline constexpr std::string_view kFieldDocKey = "DELTACAT:doc";
inline constexpr std::string_view kFieldMergeKeyKey = "DELTACAT:merge_key";
inline constexpr std::string_view kFieldMergeOrderKey = "DELTACAT:merge_order";
inline constexpr std::string_view kFieldEventTimeKey = "DELTACAT:event_time";
inline constexpr std::string_view kFieldPastDefaultKey = "DELTACAT:past_default";
inline constexpr std::string_view kFieldFutureDefaultKey = "DELTACAT:future_default";
inline constexpr std::string_view kFieldConsistencyTypeKey = "DELTACAT:consistency_type";
/// Schema metadata keys.
inline constexpr std::string_view kSchemaIdKey = "DELTACAT:schema_id";
inline constexpr std::string_view kSubschemasKey = "DELTACAT:subschemas";
/// Field IDs stay below INT32_MAX - 200 (Iceberg reserves the rest).
inline constexpr int64_t kMaxFieldIdExclusive = 2147483447;
/// Name Python gives the original schema when a first subschema is added.
inline constexpr std::string_view kBaseSchemaName = "_base";

/// Merge order of a field: `[sort_order, null_order]`, stored as base64(msgpack(array)).
struct MergeOrder {
  OpenEnum<SortOrder> sort_order = SortOrder::kAscending;
  OpenEnum<NullOrder> null_order = NullOrder::kAtEnd;
  bool operator==(const MergeOrder&) const = default;
};

/// DeltaCAT's settings of one field (Python's `Field.of` arguments). Unset members mean "as
/// the field's metadata says" when passed as overrides.
struct FieldOptions {
  std::optional<int64_t> field_id;
  std::optional<bool> merge_key;
  std::optional<MergeOrder> merge_order;
  std::optional<bool> event_time;
  std::optional<std::string> doc;
  std::optional<MsgValue> past_default;
  std::optional<MsgValue> future_default;
  std::optional<OpenEnum<SchemaConsistencyType>> consistency_type;
  bool operator==(const FieldOptions&) const = default;
};

/// Reads the DeltaCAT settings from a field's metadata exactly as Python does (e.g. any
/// non-empty `DELTACAT:merge_key` value means true; defaults are base64(msgpack), with legacy
/// raw msgpack accepted). kSchemaValidation for values that cannot be parsed.
Result<FieldOptions> ReadFieldOptions(const arrow::Field& field);

/// A field of a DeltaCAT schema: its settings, and the Arrow field carrying exactly the
/// metadata Python writes for them (other field metadata is dropped, as Python drops it).
struct SchemaField {
  std::shared_ptr<arrow::Field> arrow;
  FieldOptions options;

  const std::string& name() const;
  std::optional<int64_t> id() const { return options.field_id; }
  bool is_merge_key() const { return options.merge_key.value_or(false); }
  bool is_event_time() const { return options.event_time.value_or(false); }
};

/// Python's `Field.of(base, ...)`: settings from `overrides`, else from `base`'s metadata; a
/// past default without a future default becomes both; merge-key, merge-order and event-time
/// fields default to the `validate` consistency type. Fails (kSchemaValidation) when a merge
/// key is not a primitive or (large) string type or is floating point, a merge-order field is
/// not primitive, an event-time field is not an integer, float or date, such a field has a
/// consistency type other than `validate`, or a default does not fit the field type.
Result<SchemaField> BuildField(const std::shared_ptr<arrow::Field>& base,
                               const FieldOptions& overrides = {});

/// A default value as an Arrow scalar of `type` (nil gives a null scalar). kSchemaValidation
/// when the value does not fit the type; kNotImplemented for list/map values.
Result<std::shared_ptr<arrow::Scalar>> DefaultValueToScalar(
    const MsgValue& value, const std::shared_ptr<arrow::DataType>& type);

/// A DeltaCAT schema: normalized Arrow schema plus the decoded field settings.
class Schema {
 public:
  /// Python's `Schema.of(arrow_schema, schema_id)`: field names must be unique
  /// (case-insensitively); missing field IDs are assigned in field order as
  /// `max existing id + position` (0, 1, 2, ... when there are none); every field is rebuilt
  /// with BuildField; other schema metadata is kept; `DELTACAT:schema_id` is set to
  /// `schema_id` (or kept, or "0"); `DELTACAT:subschemas` is set to `gA==` (no subschemas).
  static Result<Schema> Of(const std::shared_ptr<arrow::Schema>& arrow,
                           std::optional<int64_t> schema_id = std::nullopt);

  /// Python's `Schema.of({name: arrow_schema, ...}, schema_id)`: the union of named
  /// subschemas (field names unique across all of them), with the name -> field IDs map
  /// stored in `DELTACAT:subschemas`.
  static Result<Schema> OfSubschemas(
      const std::vector<std::pair<std::string, std::shared_ptr<arrow::Schema>>>& subschemas,
      std::optional<int64_t> schema_id = std::nullopt);

  /// Reads a stored IPC schema message and interprets it like `Schema.of`. Unlike Python,
  /// which resets `DELTACAT:subschemas` to `gA==` on every read, the stored subschema map is
  /// kept. kCorruptMetadata for bytes that are not a valid schema message.
  static Result<Schema> Deserialize(std::string_view ipc_bytes);

  /// The encapsulated IPC schema message (`pyarrow.Schema.serialize()`), stored as msgpack bin.
  Result<std::string> Serialize() const;

  /// The normalized Arrow schema with all DeltaCAT metadata.
  const std::shared_ptr<arrow::Schema>& arrow() const { return arrow_; }
  /// The fields in order.
  const std::vector<SchemaField>& fields() const { return fields_; }
  /// `DELTACAT:schema_id`.
  int64_t id() const { return id_; }
  /// Highest field ID (0 for no fields).
  int64_t MaxFieldId() const;
  /// Field IDs of the merge keys, in field order (empty when there are none).
  std::vector<int64_t> MergeKeys() const;
  /// Names of the merge keys, in field order.
  std::vector<std::string> MergeKeyNames() const;
  /// The field with this ID, or nullptr.
  const SchemaField* FieldById(int64_t id) const;
  /// The field with this name (exact match), or nullptr.
  const SchemaField* FieldByName(std::string_view name) const;
  /// Subschema name -> field IDs, in stored order; empty for a single schema.
  const std::vector<std::pair<std::string, std::vector<int64_t>>>& subschemas() const {
    return subschemas_;
  }
  /// The same schema under another schema ID.
  Result<Schema> WithSchemaId(int64_t schema_id) const;

  /// Same Arrow schema including all metadata.
  bool operator==(const Schema& other) const;

 private:
  static Result<Schema> Build(
      const std::shared_ptr<arrow::Schema>& arrow, std::optional<int64_t> schema_id,
      std::optional<std::vector<std::pair<std::string, std::vector<std::string>>>>
          subschema_field_names);

  std::shared_ptr<arrow::Schema> arrow_;
  std::vector<SchemaField> fields_;
  int64_t id_ = 0;
  std::vector<std::pair<std::string, std::vector<int64_t>>> subschemas_;
};

/// The current schema of a table version, if it has one.
Result<std::optional<Schema>> CurrentSchema(const TableVersion& table_version);
/// Every schema of a table version, oldest first.
Result<std::vector<Schema>> SchemaHistory(const TableVersion& table_version);

/// A transform `return_type`: an IPC schema message with one nullable field named
/// `return_type` of `type` (what Python stores for bucket/year/month/day/hour/void).
Result<std::string> SerializeTransformReturnType(const std::shared_ptr<arrow::DataType>& type);
/// The type stored in a transform `return_type`.
Result<std::shared_ptr<arrow::DataType>> DeserializeTransformReturnType(std::string_view bytes);

}  // namespace deltacat::storage
