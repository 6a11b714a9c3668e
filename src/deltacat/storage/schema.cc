#include "deltacat/storage/schema.h"

#include <arrow/buffer.h>
#include <arrow/compute/cast.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/dictionary.h>
#include <arrow/ipc/reader.h>
#include <arrow/ipc/writer.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/type_traits.h>
#include <arrow/util/key_value_metadata.h>

#include <cctype>
#include <charconv>
#include <set>

#include "deltacat/storage/base64.h"

namespace deltacat::storage {
namespace {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

Status Invalid(std::string_view field, auto&&... message) {
  return MakeError(ErrorCode::kSchemaValidation, "field '", field, "': ", message...);
}

std::optional<std::string> MetadataValue(const arrow::KeyValueMetadata* metadata,
                                         std::string_view key) {
  if (metadata == nullptr) return std::nullopt;
  int index = metadata->FindKey(std::string(key));
  if (index < 0) return std::nullopt;
  return metadata->value(index);
}

/// Python's int(): optional surrounding whitespace and sign, then decimal digits.
std::optional<int64_t> ParsePythonInt(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

/// Python's _decode_metadata_value: base64(msgpack), else legacy raw msgpack.
std::optional<MsgValue> DecodeMetadataValue(std::string_view bytes) {
  if (std::optional<std::string> raw = Base64Decode(bytes)) {
    if (auto value = DecodeMsgpack(*raw); value.ok()) return std::move(*value);
  }
  if (auto value = DecodeMsgpack(bytes); value.ok()) return std::move(*value);
  return std::nullopt;
}

std::string EncodeMetadataValue(const MsgValue& value) {
  return Base64Encode(EncodeMsgpack(value));
}

/// Sets `key` in place or appends it, as a Python dict assignment does.
void SetKeyValue(KeyValues& kv, std::string_view key, std::string value) {
  for (auto& [k, v] : kv) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  kv.emplace_back(std::string(key), std::move(value));
}

std::shared_ptr<arrow::KeyValueMetadata> ToMetadata(const KeyValues& kv) {
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (const auto& [k, v] : kv) {
    keys.push_back(k);
    values.push_back(v);
  }
  return arrow::key_value_metadata(std::move(keys), std::move(values));
}

Status ValidateMergeKey(const arrow::Field& field, const FieldOptions& o) {
  arrow::Type::type id = field.type()->id();
  if (!(arrow::is_string(id) || arrow::is_primitive(id))) {
    return Invalid(field.name(), "a merge key must be a primitive type or (large) string, not ",
                   field.type()->ToString());
  }
  if (o.consistency_type && !o.consistency_type->is(SchemaConsistencyType::kValidate)) {
    return Invalid(field.name(), "a merge key must have the validate consistency type, not '",
                   o.consistency_type->str(), "'");
  }
  if (arrow::is_floating(id)) {
    return Invalid(field.name(), "a merge key cannot be floating point (", field.type()->ToString(),
                   ")");
  }
  return Status::OK();
}

Status ValidateMergeOrder(const arrow::Field& field, const FieldOptions& o) {
  if (!arrow::is_primitive(field.type()->id())) {
    return Invalid(field.name(), "a merge order field must be a primitive type, not ",
                   field.type()->ToString());
  }
  if (o.consistency_type && !o.consistency_type->is(SchemaConsistencyType::kValidate)) {
    return Invalid(field.name(), "a merge order field must have the validate consistency type");
  }
  return Status::OK();
}

Status ValidateEventTime(const arrow::Field& field, const FieldOptions& o) {
  arrow::Type::type id = field.type()->id();
  if (!arrow::is_integer(id) && !arrow::is_floating(id) && id != arrow::Type::DATE32 &&
      id != arrow::Type::DATE64) {
    return Invalid(field.name(), "an event time field must be numeric or a date, not ",
                   field.type()->ToString());
  }
  if (o.consistency_type && !o.consistency_type->is(SchemaConsistencyType::kValidate)) {
    return Invalid(field.name(), "an event time field must have the validate consistency type");
  }
  return Status::OK();
}

Status ValidateDefault(const arrow::Field& field, const MsgValue& value, std::string_view which) {
  // Containers are checked by Python through pyarrow's converters; accept them for nested
  // types and leave the element checks to the writer.
  if (value.IsArray() || value.IsMap()) {
    arrow::Type::type id = field.type()->id();
    if (arrow::is_nested(id)) return Status::OK();
    return Invalid(field.name(), "the ", which, " default ", ToJsonForDebug(value),
                   " does not fit type ", field.type()->ToString());
  }
  auto scalar = DefaultValueToScalar(value, field.type());
  if (!scalar.ok()) {
    return Invalid(field.name(), "the ", which,
                   " default does not fit: ", scalar.status().message());
  }
  return Status::OK();
}

Result<MergeOrder> MergeOrderFrom(const MsgValue& value, std::string_view field) {
  const MsgArray* items = value.AsArray();
  if (items == nullptr || items->size() != 2 || !(*items)[0].IsString() ||
      !(*items)[1].IsString()) {
    return Invalid(field, "DELTACAT:merge_order must be [sort_order, null_order], not ",
                   ToJsonForDebug(value));
  }
  return MergeOrder{OpenEnum<SortOrder>::Parse(*(*items)[0].AsString()),
                    OpenEnum<NullOrder>::Parse(*(*items)[1].AsString())};
}

/// `DELTACAT:subschemas`: base64(msgpack({name: [field ids]})).
Result<std::vector<std::pair<std::string, std::vector<int64_t>>>> DecodeSubschemas(
    std::string_view text) {
  std::optional<MsgValue> value = DecodeMetadataValue(text);
  const MsgMap* map = value ? value->AsMap() : nullptr;
  if (map == nullptr) {
    return MakeError(ErrorCode::kSchemaValidation,
                     "DELTACAT:subschemas is not a base64 msgpack map");
  }
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  for (const auto& [name, ids] : *map) {
    const MsgArray* items = ids.AsArray();
    if (items == nullptr) {
      return MakeError(ErrorCode::kSchemaValidation, "DELTACAT:subschemas['", name,
                       "'] is not a list of field ids");
    }
    std::vector<int64_t> field_ids;
    for (const MsgValue& id : *items) {
      DC_ASSIGN_OR_RAISE(int64_t field_id, id.GetInt("a subschema field id"));
      field_ids.push_back(field_id);
    }
    out.emplace_back(name, std::move(field_ids));
  }
  return out;
}

std::string EncodeSubschemas(const std::vector<std::pair<std::string, std::vector<int64_t>>>& s) {
  MsgValue map = MsgValue::Map();
  for (const auto& [name, ids] : s) {
    MsgArray items;
    for (int64_t id : ids) items.push_back(MsgValue::Int(id));
    map.Set(name, MsgValue::Array(std::move(items)));
  }
  return EncodeMetadataValue(map);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<std::shared_ptr<arrow::Schema>> ReadIpcSchema(std::string_view bytes) {
  auto buffer = std::make_shared<arrow::Buffer>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                static_cast<int64_t>(bytes.size()));
  arrow::io::BufferReader reader(buffer);
  arrow::ipc::DictionaryMemo memo;
  auto schema = arrow::ipc::ReadSchema(&reader, &memo);
  if (!schema.ok()) {
    return MakeError(ErrorCode::kCorruptMetadata, "not an Arrow IPC schema message (", bytes.size(),
                     " bytes): ", schema.status().message());
  }
  return std::move(schema).MoveValueUnsafe();
}

Result<std::string> WriteIpcSchema(const arrow::Schema& schema) {
  auto buffer = arrow::ipc::SerializeSchema(schema, arrow::default_memory_pool());
  if (!buffer.ok()) return FromArrowStatus(buffer.status());
  return (*buffer)->ToString();
}

}  // namespace

Result<FieldOptions> ReadFieldOptions(const arrow::Field& field) {
  FieldOptions o;
  const arrow::KeyValueMetadata* md = field.metadata().get();
  // Python tests `if bytes_val`: an empty value counts as absent.
  auto get = [&](std::string_view key) -> std::optional<std::string> {
    std::optional<std::string> v = MetadataValue(md, key);
    if (v && v->empty()) return std::nullopt;
    return v;
  };
  if (auto v = get(kFieldIdKey)) {
    o.field_id = ParsePythonInt(*v);
    if (!o.field_id) return Invalid(field.name(), "PARQUET:field_id '", *v, "' is not an integer");
  }
  if (get(kFieldMergeKeyKey)) o.merge_key = true;
  if (auto v = get(kFieldMergeOrderKey)) {
    std::optional<MsgValue> value = DecodeMetadataValue(*v);
    if (!value) return Invalid(field.name(), "DELTACAT:merge_order cannot be decoded");
    DC_ASSIGN_OR_RAISE(o.merge_order, MergeOrderFrom(*value, field.name()));
  }
  if (get(kFieldEventTimeKey)) o.event_time = true;
  for (auto [key, target] : {std::pair{kFieldPastDefaultKey, &o.past_default},
                             std::pair{kFieldFutureDefaultKey, &o.future_default}}) {
    if (auto v = get(key)) {
      std::optional<MsgValue> value = DecodeMetadataValue(*v);
      if (!value) return Invalid(field.name(), key, " cannot be decoded");
      // A stored nil is no default at all.
      if (!value->IsNil()) *target = std::move(*value);
    }
  }
  if (auto v = get(kFieldDocKey)) o.doc = *v;
  if (auto v = get(kFieldConsistencyTypeKey)) {
    o.consistency_type = OpenEnum<SchemaConsistencyType>::Parse(*v);
  }
  return o;
}

const std::string& SchemaField::name() const { return arrow->name(); }

Result<SchemaField> BuildField(const std::shared_ptr<arrow::Field>& base,
                               const FieldOptions& overrides) {
  DC_ASSIGN_OR_RAISE(FieldOptions stored, ReadFieldOptions(*base));
  FieldOptions o;
  o.field_id = overrides.field_id ? overrides.field_id : stored.field_id;
  o.merge_key = overrides.merge_key ? overrides.merge_key : stored.merge_key;
  o.merge_order = overrides.merge_order ? overrides.merge_order : stored.merge_order;
  o.event_time = overrides.event_time ? overrides.event_time : stored.event_time;
  o.doc = overrides.doc ? overrides.doc : stored.doc;
  o.past_default = overrides.past_default ? overrides.past_default : stored.past_default;
  o.future_default = overrides.future_default ? overrides.future_default : stored.future_default;
  o.consistency_type =
      overrides.consistency_type ? overrides.consistency_type : stored.consistency_type;
  if (o.merge_key && !*o.merge_key) o.merge_key.reset();
  if (o.event_time && !*o.event_time) o.event_time.reset();
  if (o.past_default && o.past_default->IsNil()) o.past_default.reset();
  if (o.future_default && o.future_default->IsNil()) o.future_default.reset();

  if (o.past_default && !o.future_default) o.future_default = o.past_default;
  // Critical columns must not be promoted to other types, or merges would break.
  if (!o.consistency_type && (o.merge_key || o.merge_order || o.event_time)) {
    o.consistency_type = SchemaConsistencyType::kValidate;
  }

  // The metadata, in the order Python's Field._build writes it.
  KeyValues kv;
  if (o.merge_key) {
    DC_RETURN_NOT_OK(ValidateMergeKey(*base, o));
    kv.emplace_back(kFieldMergeKeyKey, "True");
  }
  if (o.merge_order) {
    DC_RETURN_NOT_OK(ValidateMergeOrder(*base, o));
    kv.emplace_back(
        kFieldMergeOrderKey,
        EncodeMetadataValue(MsgValue::Array({MsgValue::String(o.merge_order->sort_order.str()),
                                             MsgValue::String(o.merge_order->null_order.str())})));
  }
  if (o.event_time) {
    DC_RETURN_NOT_OK(ValidateEventTime(*base, o));
    kv.emplace_back(kFieldEventTimeKey, "True");
  }
  if (o.past_default) {
    DC_RETURN_NOT_OK(ValidateDefault(*base, *o.past_default, "past"));
    kv.emplace_back(kFieldPastDefaultKey, EncodeMetadataValue(*o.past_default));
  }
  if (o.future_default) {
    DC_RETURN_NOT_OK(ValidateDefault(*base, *o.future_default, "future"));
    kv.emplace_back(kFieldFutureDefaultKey, EncodeMetadataValue(*o.future_default));
  }
  if (o.field_id) kv.emplace_back(kFieldIdKey, std::to_string(*o.field_id));
  if (o.doc) kv.emplace_back(kFieldDocKey, *o.doc);
  if (o.consistency_type) kv.emplace_back(kFieldConsistencyTypeKey, o.consistency_type->str());

  SchemaField out;
  out.arrow = arrow::field(base->name(), base->type(), base->nullable(), ToMetadata(kv));
  out.options = std::move(o);
  return out;
}

Result<std::shared_ptr<arrow::Scalar>> DefaultValueToScalar(
    const MsgValue& value, const std::shared_ptr<arrow::DataType>& type) {
  const arrow::Type::type id = type->id();
  auto mismatch = [&]() {
    return MakeError(ErrorCode::kSchemaValidation, "cannot treat default ", ToJsonForDebug(value),
                     " as type ", type->ToString());
  };
  if (value.IsNil()) return arrow::MakeNullScalar(type);

  std::shared_ptr<arrow::Scalar> source;
  arrow::compute::CastOptions options = arrow::compute::CastOptions::Safe();
  switch (value.type()) {
    case MsgValue::Type::kBool:
      if (id != arrow::Type::BOOL) return mismatch();
      return std::static_pointer_cast<arrow::Scalar>(
          std::make_shared<arrow::BooleanScalar>(*value.AsBool()));
    case MsgValue::Type::kInt:
    case MsgValue::Type::kUint:
      if (!arrow::is_integer(id) && !arrow::is_floating(id) && !arrow::is_decimal(id) &&
          !arrow::is_temporal(id) && id != arrow::Type::DURATION) {
        return mismatch();
      }
      if (value.type() == MsgValue::Type::kInt) {
        source = std::make_shared<arrow::Int64Scalar>(*value.AsInt());
      } else {
        source = std::make_shared<arrow::UInt64Scalar>(*value.AsUint());
      }
      break;
    case MsgValue::Type::kDouble:
      if (!arrow::is_integer(id) && !arrow::is_floating(id) && !arrow::is_decimal(id)) {
        return mismatch();
      }
      // pyarrow truncates floats into integer columns without complaint.
      options.allow_float_truncate = true;
      source = std::make_shared<arrow::DoubleScalar>(*value.AsDouble());
      break;
    case MsgValue::Type::kString:
    case MsgValue::Type::kBinary:
      if (!arrow::is_base_binary_like(id) && id != arrow::Type::FIXED_SIZE_BINARY) {
        return mismatch();
      }
      if (value.IsString()) {
        source = std::make_shared<arrow::StringScalar>(*value.AsString());
      } else {
        source = std::make_shared<arrow::BinaryScalar>(*value.AsBinary());
      }
      break;
    default:
      return MakeError(ErrorCode::kNotImplemented, "list and map defaults (", ToJsonForDebug(value),
                       ") have no scalar form here");
  }
  if (source->type->Equals(*type)) return source;
  options.to_type = type;
  auto cast = arrow::compute::Cast(arrow::Datum(source), options);
  if (!cast.ok()) {
    return MakeError(ErrorCode::kSchemaValidation, "cannot treat default ", ToJsonForDebug(value),
                     " as type ", type->ToString(), ": ", cast.status().message());
  }
  return cast->scalar();
}

Result<Schema> Schema::Build(
    const std::shared_ptr<arrow::Schema>& arrow, std::optional<int64_t> schema_id,
    std::optional<std::vector<std::pair<std::string, std::vector<std::string>>>>
        subschema_field_names) {
  if (schema_id && *schema_id < 0) {
    return MakeError(ErrorCode::kSchemaValidation, "schema id must be non-negative, got ",
                     *schema_id);
  }
  const arrow::FieldVector& inputs = arrow->fields();
  if (inputs.empty()) {
    return MakeError(ErrorCode::kSchemaValidation, "a schema must contain at least one field");
  }
  std::set<std::string> seen_names;
  std::string dupes;
  for (const auto& field : inputs) {
    if (!seen_names.insert(Lower(field->name())).second) {
      dupes += (dupes.empty() ? "'" : ", '") + field->name() + "'";
    }
  }
  if (!dupes.empty()) {
    return MakeError(ErrorCode::kSchemaValidation,
                     "field names must be unique (case-insensitive); duplicates: ", dupes);
  }

  // Field IDs: existing ones stay; missing ones are `max existing id + position`, exactly as
  // Python assigns them (which can collide with a later explicit id: an error there too).
  int64_t max_existing = 0;
  for (const auto& field : inputs) {
    DC_ASSIGN_OR_RAISE(SchemaField parsed, BuildField(field));
    max_existing = std::max(max_existing, parsed.id().value_or(0));
  }
  Schema schema;
  std::set<int64_t> ids;
  arrow::FieldVector fields;
  for (size_t i = 0; i < inputs.size(); ++i) {
    DC_ASSIGN_OR_RAISE(FieldOptions stored, ReadFieldOptions(*inputs[i]));
    int64_t id = stored.field_id
                     ? *stored.field_id
                     : ((max_existing + static_cast<int64_t>(i)) % kMaxFieldIdExclusive +
                        kMaxFieldIdExclusive) %
                           kMaxFieldIdExclusive;
    if (!ids.insert(id).second) {
      return MakeError(ErrorCode::kSchemaValidation, "duplicate field id ", id, " for field '",
                       inputs[i]->name(), "'");
    }
    FieldOptions with_id;
    with_id.field_id = id;
    DC_ASSIGN_OR_RAISE(SchemaField field, BuildField(inputs[i], with_id));
    fields.push_back(field.arrow);
    schema.fields_.push_back(std::move(field));
  }

  KeyValues metadata;
  if (const auto& md = arrow->metadata()) {
    for (int64_t i = 0; i < md->size(); ++i) metadata.emplace_back(md->key(i), md->value(i));
  }
  if (schema_id) {
    SetKeyValue(metadata, kSchemaIdKey, std::to_string(*schema_id));
  } else if (!MetadataValue(arrow->metadata().get(), kSchemaIdKey)) {
    SetKeyValue(metadata, kSchemaIdKey, "0");
  }
  if (subschema_field_names) {
    for (const auto& [name, field_names] : *subschema_field_names) {
      std::vector<int64_t> field_ids;
      for (const std::string& field_name : field_names) {
        const SchemaField* field = schema.FieldByName(field_name);
        if (field == nullptr) {
          return MakeError(ErrorCode::kSchemaValidation, "subschema '", name,
                           "' names unknown field '", field_name, "'");
        }
        field_ids.push_back(*field->id());
      }
      schema.subschemas_.emplace_back(name, std::move(field_ids));
    }
    SetKeyValue(metadata, kSubschemasKey, EncodeSubschemas(schema.subschemas_));
  } else if (auto stored = MetadataValue(arrow->metadata().get(), kSubschemasKey)) {
    DC_ASSIGN_OR_RAISE(schema.subschemas_, DecodeSubschemas(*stored));
  } else {
    SetKeyValue(metadata, kSubschemasKey, EncodeSubschemas({}));
  }

  std::string id_text;
  for (const auto& [key, value] : metadata) {
    if (key == kSchemaIdKey) id_text = value;
  }
  if (id_text.empty()) {
    schema.id_ = 0;
  } else if (auto parsed = ParsePythonInt(id_text)) {
    schema.id_ = *parsed;
  } else {
    return MakeError(ErrorCode::kSchemaValidation, "DELTACAT:schema_id '", id_text,
                     "' is not an integer");
  }
  schema.arrow_ = arrow::schema(std::move(fields), ToMetadata(metadata));
  return schema;
}

Result<Schema> Schema::Of(const std::shared_ptr<arrow::Schema>& arrow,
                          std::optional<int64_t> schema_id) {
  return Build(arrow, schema_id, std::vector<std::pair<std::string, std::vector<std::string>>>{});
}

Result<Schema> Schema::OfSubschemas(
    const std::vector<std::pair<std::string, std::shared_ptr<arrow::Schema>>>& subschemas,
    std::optional<int64_t> schema_id) {
  std::vector<std::shared_ptr<arrow::Schema>> schemas;
  std::vector<std::pair<std::string, std::vector<std::string>>> names;
  std::set<std::string> seen;
  for (const auto& [name, schema] : subschemas) {
    if (name.empty() || name.size() > kMaxTableVersionLength) {
      return MakeError(ErrorCode::kSchemaValidation, "invalid subschema name '", name,
                       "': it must have 1 to 1024 characters");
    }
    if (!seen.insert(name).second) {
      return MakeError(ErrorCode::kSchemaValidation, "duplicate subschema name '", name, "'");
    }
    schemas.push_back(schema);
    std::vector<std::string> field_names;
    for (const auto& field : schema->fields()) field_names.push_back(field->name());
    names.emplace_back(name, std::move(field_names));
  }
  if (schemas.empty()) {
    return MakeError(ErrorCode::kSchemaValidation, "a schema must contain at least one field");
  }
  // Field names must be unique across all subschemas before they are unified.
  std::set<std::string> field_names;
  for (const auto& [name, fields] : names) {
    for (const std::string& field : fields) {
      if (!field_names.insert(Lower(field)).second) {
        return MakeError(ErrorCode::kSchemaValidation, "field '", field,
                         "' appears in more than one subschema (names are case-insensitive)");
      }
    }
  }
  auto unified = arrow::UnifySchemas(schemas);
  if (!unified.ok()) return FromArrowStatus(unified.status());
  return Build(*unified, schema_id, std::move(names));
}

Result<Schema> Schema::Deserialize(std::string_view ipc_bytes) {
  DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Schema> arrow, ReadIpcSchema(ipc_bytes));
  auto schema = Build(arrow, std::nullopt, std::nullopt);
  if (!schema.ok()) {
    return MakeError(ErrorCode::kCorruptMetadata,
                     "stored schema is not a valid DeltaCAT schema: ", schema.status().message());
  }
  return schema;
}

Result<std::string> Schema::Serialize() const { return WriteIpcSchema(*arrow_); }

int64_t Schema::MaxFieldId() const {
  int64_t max_id = 0;
  bool any = false;
  for (const SchemaField& field : fields_) {
    if (!field.id()) continue;
    max_id = any ? std::max(max_id, *field.id()) : *field.id();
    any = true;
  }
  return max_id;
}

std::vector<int64_t> Schema::MergeKeys() const {
  std::vector<int64_t> ids;
  for (const SchemaField& field : fields_) {
    if (field.is_merge_key()) ids.push_back(*field.id());
  }
  return ids;
}

std::vector<std::string> Schema::MergeKeyNames() const {
  std::vector<std::string> names;
  for (const SchemaField& field : fields_) {
    if (field.is_merge_key()) names.push_back(field.name());
  }
  return names;
}

const SchemaField* Schema::FieldById(int64_t id) const {
  for (const SchemaField& field : fields_) {
    if (field.id() == id) return &field;
  }
  return nullptr;
}

const SchemaField* Schema::FieldByName(std::string_view name) const {
  for (const SchemaField& field : fields_) {
    if (field.name() == name) return &field;
  }
  return nullptr;
}

Result<Schema> Schema::WithSchemaId(int64_t schema_id) const {
  return Build(arrow_, schema_id, std::nullopt);
}

bool Schema::operator==(const Schema& other) const {
  return arrow_->Equals(*other.arrow_, /*check_metadata=*/true);
}

Result<std::optional<Schema>> CurrentSchema(const TableVersion& table_version) {
  // Python treats an empty schema value like nil.
  if (!table_version.schema || table_version.schema->empty()) return std::optional<Schema>();
  DC_ASSIGN_OR_RAISE(Schema schema, Schema::Deserialize(*table_version.schema));
  return std::optional<Schema>(std::move(schema));
}

Result<std::vector<Schema>> SchemaHistory(const TableVersion& table_version) {
  std::vector<Schema> out;
  if (!table_version.schemas) return out;
  for (size_t i = 0; i < table_version.schemas->size(); ++i) {
    auto schema = Schema::Deserialize((*table_version.schemas)[i]);
    if (!schema.ok()) return schema.status().WithContext("schemas[" + std::to_string(i) + "]");
    out.push_back(std::move(*schema));
  }
  return out;
}

Result<std::string> SerializeTransformReturnType(const std::shared_ptr<arrow::DataType>& type) {
  return WriteIpcSchema(*arrow::schema({arrow::field("return_type", type)}));
}

Result<std::shared_ptr<arrow::DataType>> DeserializeTransformReturnType(std::string_view bytes) {
  DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Schema> schema, ReadIpcSchema(bytes));
  if (schema->num_fields() < 1) {
    return MakeError(ErrorCode::kCorruptMetadata, "transform return_type schema has no field");
  }
  return schema->field(0)->type();
}

}  // namespace deltacat::storage
