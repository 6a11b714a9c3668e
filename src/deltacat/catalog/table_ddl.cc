// Table DDL of the native catalog: create, get, list, alter, rename, drop.
#include <algorithm>

#include <arrow/type.h>
#include <arrow/type_traits.h>

#include "deltacat/catalog/native_catalog.h"
#include "deltacat/catalog/table_properties.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/name_validation.h"
#include "deltacat/storage/schema.h"
#include "deltacat/util/uuid.h"

namespace deltacat {
namespace {

using storage::MetafileRecord;
using storage::MsgValue;

std::string Qualified(const TableRef& table) { return table.ns + "." + table.name; }

Result<LifecycleState> ToPublicState(const storage::TableVersion& version) {
  if (!version.state) return LifecycleState::kActive;
  auto parsed = ParseLifecycleState(version.state->str());
  if (!parsed.ok()) return LifecycleState::kCreated;  // an unknown (newer) state is not active
  return parsed;
}

storage::LifecycleState ToStorageState(LifecycleState state) {
  return static_cast<storage::LifecycleState>(static_cast<int>(state));
}

Result<TableVersionInfo> ToVersionInfo(const MetafileRecord& record) {
  DC_ASSIGN_OR_RAISE(storage::TableVersion version, storage::DecodeTableVersion(record.doc));
  TableVersionInfo info;
  info.version = version.locator.table_version.value_or(record.id);
  DC_ASSIGN_OR_RAISE(auto schema, storage::CurrentSchema(version));
  if (schema) {
    info.schema = schema->arrow();
    info.schema_id = schema->id();
    info.merge_keys = schema->MergeKeyNames();
  }
  DC_ASSIGN_OR_RAISE(info.state, ToPublicState(version));
  info.description = version.description;
  info.properties = PropertiesFromMsg(version.properties);
  if (version.content_types) {
    std::vector<ContentType> types;
    for (const auto& text : *version.content_types) {
      auto type = ParseContentType(text);
      if (type.ok()) types.push_back(*type);
    }
    info.content_types = std::move(types);
  }
  return info;
}

// The schema a new table version stores: merge keys flagged, field ids assigned, schema id 0.
Result<std::optional<storage::Schema>> NewTableSchema(const CreateTableOptions& options) {
  if (!options.schema) {
    if (!options.merge_keys.empty()) {
      return MakeError(ErrorCode::kTableValidation,
                       "merge keys need a schema; a schemaless table cannot have merge keys");
    }
    return std::optional<storage::Schema>();
  }
  arrow::FieldVector fields = options.schema->fields();
  for (const auto& key : options.merge_keys) {
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const auto& field) { return field->name() == key; });
    if (it == fields.end()) {
      return MakeError(ErrorCode::kSchemaValidation, "merge key '", key,
                       "' is not a column of the schema");
    }
    storage::FieldOptions overrides;
    overrides.merge_key = true;
    auto built = storage::BuildField(*it, overrides);
    if (!built.ok()) {
      // Python raises ValueError from Field.of for bad merge-key types.
      return Status(ErrorCode::kInvalidArgument, built.status().message());
    }
    *it = built->arrow;
  }
  auto schema = storage::Schema::Of(arrow::schema(fields, options.schema->metadata()), 0);
  if (!schema.ok() && schema.status().code() == ErrorCode::kSchemaValidation) {
    return Status(ErrorCode::kInvalidArgument, schema.status().message());
  }
  DC_ASSIGN_OR_RAISE(storage::Schema result, std::move(schema));
  return std::optional<storage::Schema>(std::move(result));
}

Status ValidateProperties(const EffectiveTableProperties& properties,
                          const std::optional<storage::Schema>& schema) {
  if (properties.read_optimization_level == ReadOptimizationLevel::kModerate) {
    return MakeError(ErrorCode::kNotImplemented,
                     "read optimization level `moderate` is not yet supported");
  }
  (void)schema;  // NONE with merge keys is allowed here: reads merge (see docs/decisions.md)
  return Status::OK();
}

bool IsIntegerType(const arrow::DataType& type) { return arrow::is_integer(type.id()); }
bool IsSignedInteger(const arrow::DataType& type) { return arrow::is_signed_integer(type.id()); }

// Python's SchemaUpdate._is_type_compatible: same type, numeric widening, int -> float,
// string <-> string, binary <-> binary, structs gaining fields, compatible list/map items.
bool IsTypeCompatible(const arrow::DataType& old_type, const arrow::DataType& new_type) {
  if (old_type.Equals(new_type)) return true;
  if (IsIntegerType(old_type) && IsIntegerType(new_type)) {
    return arrow::bit_width(new_type.id()) >= arrow::bit_width(old_type.id()) &&
           IsSignedInteger(old_type) == IsSignedInteger(new_type);
  }
  if (arrow::is_floating(old_type.id()) && arrow::is_floating(new_type.id())) {
    return arrow::bit_width(new_type.id()) >= arrow::bit_width(old_type.id());
  }
  if (IsIntegerType(old_type) && arrow::is_floating(new_type.id())) return true;
  if (arrow::is_string(old_type.id()) && arrow::is_string(new_type.id())) return true;
  if (arrow::is_binary(old_type.id()) && arrow::is_binary(new_type.id())) return true;
  if (old_type.id() == arrow::Type::STRUCT && new_type.id() == arrow::Type::STRUCT) {
    const auto& new_struct = static_cast<const arrow::StructType&>(new_type);
    for (const auto& field : old_type.fields()) {
      auto match = new_struct.GetFieldByName(field->name());
      if (!match || !IsTypeCompatible(*field->type(), *match->type())) return false;
    }
    return true;
  }
  if (old_type.id() == arrow::Type::LIST && new_type.id() == arrow::Type::LIST) {
    return IsTypeCompatible(*old_type.field(0)->type(), *new_type.field(0)->type());
  }
  if (old_type.id() == arrow::Type::MAP && new_type.id() == arrow::Type::MAP) {
    const auto& a = static_cast<const arrow::MapType&>(old_type);
    const auto& b = static_cast<const arrow::MapType&>(new_type);
    return IsTypeCompatible(*a.key_type(), *b.key_type()) &&
           IsTypeCompatible(*a.item_type(), *b.item_type());
  }
  return false;
}

// Python's consistency-type evolution rule: anything may relax to NONE (or unset), COERCE and
// VALIDATE may swap, unset may gain a type; NONE may not tighten to COERCE or VALIDATE.
bool ConsistencyChangeAllowed(const storage::FieldOptions& before,
                              const storage::FieldOptions& after) {
  const auto& a = before.consistency_type;
  const auto& b = after.consistency_type;
  if (a == b || !b || b->is(storage::SchemaConsistencyType::kNone) || !a) return true;
  return !a->is(storage::SchemaConsistencyType::kNone);
}

Status Incompatible(const std::string& field, const std::string& why) {
  return MakeError(ErrorCode::kSchemaCompatibility, "field '", field, "': ", why);
}

// Applies a full replacement schema to `current` as DeltaCAT's SchemaUpdate would: fields are
// matched by name; matched fields keep their id, new fields get ids above every id the table
// version ever used (`max_field_id_ever`), so ids are never reused. Unless
// `allow_incompatible`, removals, type narrowing, tightened consistency, changed past defaults,
// changed merge order / event time and new non-nullable fields without defaults are
// SchemaCompatibilityError. Merge keys can never be removed or (un)flagged.
Result<storage::Schema> ApplySchemaUpdate(const storage::Schema& current, int64_t max_field_id_ever,
                                          const arrow::Schema& requested, bool allow_incompatible) {
  arrow::FieldVector fields;
  int64_t next_id = max_field_id_ever + 1;
  for (const auto& field : requested.fields()) {
    DC_ASSIGN_OR_RAISE(storage::FieldOptions wanted, storage::ReadFieldOptions(*field));
    const storage::SchemaField* old = current.FieldByName(field->name());
    storage::FieldOptions id_override;
    if (old == nullptr) {
      if (wanted.merge_key.value_or(false)) {
        return Incompatible(field->name(), "merge keys cannot be added to an existing table");
      }
      if (!allow_incompatible && !field->nullable() && !wanted.past_default &&
          !wanted.future_default) {
        return Incompatible(field->name(),
                            "adding a non-nullable field without default values would break "
                            "compatibility with existing data");
      }
      id_override.field_id = next_id++;
    } else {
      if (old->is_merge_key() != wanted.merge_key.value_or(false)) {
        return Incompatible(field->name(), "merge key status cannot be changed");
      }
      id_override.field_id = old->id();
      if (!allow_incompatible) {
        const auto& before = old->options;
        if (before.merge_order != wanted.merge_order) {
          return Incompatible(field->name(), "merge order cannot be changed");
        }
        if (before.event_time.value_or(false) != wanted.event_time.value_or(false)) {
          return Incompatible(field->name(), "event time status cannot be changed");
        }
        if (!ConsistencyChangeAllowed(before, wanted)) {
          return Incompatible(field->name(), "consistency type cannot be tightened from " +
                                                 before.consistency_type->str() + " to " +
                                                 wanted.consistency_type->str());
        }
        if (before.past_default != wanted.past_default) {
          return Incompatible(field->name(), "past_default is immutable once set");
        }
        if (!IsTypeCompatible(*old->arrow->type(), *field->type())) {
          return Incompatible(field->name(), "cannot change type from " +
                                                 old->arrow->type()->ToString() + " to " +
                                                 field->type()->ToString());
        }
        if (old->arrow->nullable() && !field->nullable() &&
            !(wanted.past_default && wanted.future_default)) {
          return Incompatible(field->name(),
                              "cannot become non-nullable without both past and future defaults");
        }
      }
    }
    auto built = storage::BuildField(field, id_override);
    if (!built.ok()) return Status(ErrorCode::kSchemaValidation, built.status().message());
    fields.push_back(built->arrow);
  }
  for (const auto& old : current.fields()) {
    if (requested.GetFieldIndex(old.name()) >= 0) continue;
    if (old.is_merge_key()) {
      return Incompatible(old.name(), "merge keys cannot be removed");
    }
    if (!allow_incompatible) {
      return Incompatible(old.name(),
                          "removing a field breaks compatibility with existing consumers; set "
                          "allow_incompatible_schema_changes to force it");
    }
  }
  return storage::Schema::Of(arrow::schema(fields, current.arrow()->metadata()), current.id() + 1);
}
}  // namespace

Result<std::optional<NativeCatalog::ResolvedTable>> NativeCatalog::ResolveTable(
    storage::SnapshotReader& reader, const TableRef& table,
    const std::optional<std::string>& version) {
  DC_ASSIGN_OR_RAISE(auto ns, reader.FindNamespace(table.ns));
  if (!ns) {
    return MakeError(ErrorCode::kNamespaceNotFound, "Namespace does not exist: ", table.ns);
  }
  DC_ASSIGN_OR_RAISE(auto table_record, reader.FindTable(table.ns, table.name));
  if (!table_record) return std::optional<ResolvedTable>();
  ResolvedTable resolved{*table_record, std::nullopt, std::nullopt};
  std::optional<std::string> wanted = version;
  if (wanted) {
    DC_ASSIGN_OR_RAISE(*wanted, storage::CanonicalTableVersion(*wanted));
  } else {
    DC_ASSIGN_OR_RAISE(storage::Table decoded, storage::DecodeTable(table_record->doc));
    wanted = decoded.latest_active_table_version;
  }
  if (wanted) {
    DC_ASSIGN_OR_RAISE(resolved.table_version,
                       reader.FindTableVersion(table.ns, table.name, *wanted));
    if (resolved.table_version) {
      DC_ASSIGN_OR_RAISE(resolved.stream, reader.FindStream(*resolved.table_version));
    }
  }
  return std::optional<ResolvedTable>(std::move(resolved));
}

Result<TableDefinition> NativeCatalog::ToDefinition(const ResolvedTable& resolved) const {
  DC_ASSIGN_OR_RAISE(storage::Table table, storage::DecodeTable(resolved.table.doc));
  TableDefinition definition;
  definition.ns = table.locator.NamespaceName().value_or("");
  definition.name = table.locator.table_name.value_or("");
  definition.description = table.description;
  definition.properties = PropertiesFromMsg(table.properties);
  definition.latest_table_version = table.latest_table_version;
  definition.latest_active_table_version = table.latest_active_table_version;
  if (resolved.table_version) {
    DC_ASSIGN_OR_RAISE(definition.version, ToVersionInfo(*resolved.table_version));
  }
  definition.has_stream = resolved.stream.has_value();
  return definition;
}

Result<TableDefinition> NativeCatalog::CreateTable(const TableRef& table,
                                                   CreateTableOptions options, Transaction* txn) {
  TableDefinition definition;
  DC_RETURN_NOT_OK(InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    DC_ASSIGN_OR_RAISE(definition, CreateTableIn(t, table, options));
    return Status::OK();
  }));
  return definition;
}

Result<TableDefinition> NativeCatalog::CreateTableIn(storage::Transaction& txn,
                                                     const TableRef& table,
                                                     const CreateTableOptions& options) {
  DC_RETURN_NOT_OK(storage::ValidateName("table", table.name));
  DC_RETURN_NOT_OK(storage::ValidateName("namespace", table.ns));
  auto& reader = txn.reader();
  DC_ASSIGN_OR_RAISE(auto ns, reader.FindNamespace(table.ns));
  if (!ns) {
    if (!options.auto_create_namespace) {
      return MakeError(ErrorCode::kNamespaceNotFound, "Namespace does not exist: ", table.ns);
    }
    storage::Namespace created;
    created.locator.namespace_name = table.ns;
    created.properties = options.namespace_properties.empty()
                             ? MsgValue::Nil()
                             : PropertiesToMsg(options.namespace_properties);
    DC_ASSIGN_OR_RAISE(auto written, txn.Create(storage::EncodeNamespace(created)));
    (void)written;
  }

  DC_ASSIGN_OR_RAISE(auto existing, ResolveTable(reader, table, options.table_version));
  if (existing && existing->table_version && existing->stream) {
    if (options.fail_if_exists) {
      return MakeError(ErrorCode::kTableAlreadyExists, "Table ", Qualified(table),
                       options.table_version ? "." + *options.table_version : std::string(),
                       " already exists");
    }
    return ToDefinition(*existing);
  }

  DC_ASSIGN_OR_RAISE(std::optional<storage::Schema> schema, NewTableSchema(options));
  const bool schemaless = !schema.has_value();
  MsgValue table_properties =
      WithDefaultTableProperties(PropertiesToMsg(options.table_properties), schemaless);

  // The new version's id: the next one after the table's latest, or the requested one if it
  // is exactly that.
  std::optional<storage::Table> table_state;
  std::optional<std::string> previous_version;
  if (existing) {
    DC_ASSIGN_OR_RAISE(table_state, storage::DecodeTable(existing->table.doc));
    previous_version = table_state->latest_table_version;
    if (options.table_properties.empty() && table_state->properties.IsMap()) {
      table_properties = table_state->properties;  // inherited from the parent table
    }
  }
  DC_ASSIGN_OR_RAISE(std::string next_version, storage::NextTableVersion(previous_version));
  std::string version_id = next_version;
  if (options.table_version) {
    DC_ASSIGN_OR_RAISE(version_id, storage::CanonicalTableVersion(*options.table_version));
    if (version_id != next_version) {
      return MakeError(ErrorCode::kTableVersionAlreadyExists, "Table version ", version_id, " of ",
                       Qualified(table), " cannot be created: the next version is ", next_version);
    }
  }

  MsgValue version_properties =
      MergeVersionProperties(PropertiesToMsg(options.table_version_properties), table_properties);
  DC_ASSIGN_OR_RAISE(EffectiveTableProperties effective,
                     ReadEffectiveProperties(version_properties));
  DC_RETURN_NOT_OK(ValidateProperties(effective, schema));
  if (options.content_types) {
    for (ContentType type : *options.content_types) {
      if (type == ContentType::kBinary) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "content type application/octet-stream cannot hold table data");
      }
    }
  }

  const bool active = options.lifecycle_state == LifecycleState::kActive;
  // Table: create it, or point it at the new version.
  storage::Table table_doc;
  if (table_state) {
    table_doc = *table_state;
  } else {
    table_doc.locator = storage::TableLocator::Of(table.ns, table.name);
    table_doc.description = options.table_description;
  }
  table_doc.properties = table_properties;
  table_doc.latest_table_version = version_id;
  // Unlike Python, creating an inactive version keeps the previous active pointer (the
  // documented behaviour; see docs/decisions.md).
  if (active) table_doc.latest_active_table_version = version_id;
  if (existing) {
    DC_ASSIGN_OR_RAISE(auto written,
                       txn.Update(existing->table.doc, storage::EncodeTable(table_doc)));
    (void)written;
  } else {
    DC_ASSIGN_OR_RAISE(auto written, txn.Create(storage::EncodeTable(table_doc)));
    (void)written;
  }

  storage::TableVersion version;
  version.locator.table_locator = storage::TableLocator::Of(table.ns, table.name);
  version.locator.table_version = version_id;
  if (schema) {
    DC_ASSIGN_OR_RAISE(std::string bytes, schema->Serialize());
    version.schema = bytes;
    version.schemas = std::vector<std::string>{bytes};
  }
  version.partition_scheme = storage::PartitionScheme::Unpartitioned();
  version.partition_schemes = std::vector<storage::PartitionScheme>{*version.partition_scheme};
  version.sort_scheme = storage::SortScheme::Unsorted();
  version.sort_schemes = std::vector<storage::SortScheme>{*version.sort_scheme};
  version.description = options.table_version_description ? options.table_version_description
                                                          : options.table_description;
  version.properties = version_properties;
  if (options.content_types) {
    std::vector<std::string> types;
    for (ContentType type : *options.content_types) {
      types.emplace_back(ContentTypeString(type));
    }
    version.content_types = std::move(types);
  }
  version.state = ToStorageState(options.lifecycle_state);
  version.previous_table_version = previous_version;
  DC_ASSIGN_OR_RAISE(auto version_written, txn.Create(storage::EncodeTableVersion(version)));

  storage::Stream stream;
  stream.locator.table_version_locator = version.locator;
  stream.locator.stream_id = NewUuid4();
  stream.locator.format = std::string(storage::kDefaultStreamFormat);
  stream.partition_scheme = version.partition_scheme;
  stream.state = storage::CommitState::kCommitted;
  DC_ASSIGN_OR_RAISE(auto stream_written, txn.Create(storage::EncodeStream(stream)));

  ResolvedTable resolved;
  DC_ASSIGN_OR_RAISE(auto table_record, reader.GetTable(table.ns, table.name));
  resolved.table = std::move(table_record);
  resolved.table_version = version_written.metafile;
  resolved.stream = stream_written.metafile;
  return ToDefinition(resolved);
}

Result<TableDefinition> NativeCatalog::GetTable(const TableRef& table,
                                                std::optional<std::string> table_version,
                                                Transaction* txn) {
  TableDefinition definition;
  DC_RETURN_NOT_OK(InSnapshot(txn, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
    DC_ASSIGN_OR_RAISE(auto resolved, ResolveTable(reader, table, table_version));
    if (!resolved) {
      return MakeError(ErrorCode::kTableNotFound, "Table does not exist: ", Qualified(table));
    }
    if (table_version && !resolved->table_version) {
      return MakeError(ErrorCode::kTableVersionNotFound, "Table version ", *table_version, " of ",
                       Qualified(table), " does not exist");
    }
    DC_ASSIGN_OR_RAISE(definition, ToDefinition(*resolved));
    return Status::OK();
  }));
  return definition;
}

Result<bool> NativeCatalog::TableExists(const TableRef& table, Transaction* txn) {
  bool exists = false;
  DC_RETURN_NOT_OK(InSnapshot(txn, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
    auto resolved = ResolveTable(reader, table, std::nullopt);
    if (!resolved.ok()) {
      if (resolved.status().code() == ErrorCode::kNamespaceNotFound) return Status::OK();
      return resolved.status();
    }
    exists = resolved->has_value() && (*resolved)->table_version && (*resolved)->stream;
    return Status::OK();
  }));
  return exists;
}

Result<std::vector<TableDefinition>> NativeCatalog::ListTables(const std::string& ns,
                                                               Transaction* txn) {
  std::vector<TableDefinition> tables;
  DC_RETURN_NOT_OK(InSnapshot(txn, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
    DC_ASSIGN_OR_RAISE(MetafileRecord ns_record, reader.GetNamespace(ns));
    DC_ASSIGN_OR_RAISE(auto records, reader.ListTables(ns_record));
    for (const auto& record : records) {
      DC_ASSIGN_OR_RAISE(storage::Table decoded, storage::DecodeTable(record.doc));
      DC_ASSIGN_OR_RAISE(auto resolved,
                         ResolveTable(reader, TableRef(ns, decoded.locator.table_name.value_or("")),
                                      std::nullopt));
      if (!resolved) continue;
      DC_ASSIGN_OR_RAISE(TableDefinition definition, ToDefinition(*resolved));
      tables.push_back(std::move(definition));
    }
    return Status::OK();
  }));
  std::sort(tables.begin(), tables.end(),
            [](const TableDefinition& a, const TableDefinition& b) { return a.name < b.name; });
  return tables;
}

Result<std::vector<TableVersionInfo>> NativeCatalog::ListTableVersions(const TableRef& table,
                                                                       Transaction* txn) {
  std::vector<TableVersionInfo> versions;
  DC_RETURN_NOT_OK(InSnapshot(txn, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
    DC_ASSIGN_OR_RAISE(MetafileRecord table_record, reader.GetTable(table.ns, table.name));
    DC_ASSIGN_OR_RAISE(auto records, reader.ListTableVersions(table_record));
    for (const auto& record : records) {
      DC_ASSIGN_OR_RAISE(TableVersionInfo info, ToVersionInfo(record));
      versions.push_back(std::move(info));
    }
    return Status::OK();
  }));
  return versions;
}

Status NativeCatalog::AlterTable(const TableRef& table, AlterTableOptions options,
                                 Transaction* txn) {
  return InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    auto& reader = t.reader();
    DC_ASSIGN_OR_RAISE(auto resolved, ResolveTable(reader, table, options.table_version));
    if (!resolved) {
      return MakeError(ErrorCode::kTableNotFound, "Table does not exist: ", Qualified(table));
    }
    if (!resolved->table_version) {
      return MakeError(ErrorCode::kTableVersionNotFound, "Table version ",
                       options.table_version.value_or("(latest active)"), " of ", Qualified(table),
                       " does not exist");
    }
    DC_ASSIGN_OR_RAISE(storage::Table table_doc, storage::DecodeTable(resolved->table.doc));
    DC_ASSIGN_OR_RAISE(storage::TableVersion version,
                       storage::DecodeTableVersion(resolved->table_version->doc));
    DC_ASSIGN_OR_RAISE(EffectiveTableProperties effective,
                       ReadEffectiveProperties(version.properties));

    bool table_changed = false;
    if (options.table_description) {
      table_doc.description = options.table_description;
      table_changed = true;
    }
    if (options.table_properties) {
      table_doc.properties = WithDefaultTableProperties(PropertiesToMsg(*options.table_properties),
                                                        !version.schema.has_value());
      table_changed = true;
    }

    bool version_changed = false;
    if (options.table_version_properties) {
      version.properties = MergeVersionProperties(
          PropertiesToMsg(*options.table_version_properties), version.properties);
      DC_ASSIGN_OR_RAISE(effective, ReadEffectiveProperties(version.properties));
      DC_RETURN_NOT_OK(ValidateProperties(effective, std::nullopt));
      version_changed = true;
    }
    if (options.table_version_description || options.table_description) {
      version.description = options.table_version_description ? options.table_version_description
                                                              : options.table_description;
      version_changed = true;
    }
    if (options.lifecycle_state) {
      version.state = ToStorageState(*options.lifecycle_state);
      version_changed = true;
      if (*options.lifecycle_state == LifecycleState::kActive) {
        // Activating moves the table's pointer only forward (Python's rule).
        const std::string id = version.locator.table_version.value_or("");
        auto current = table_doc.latest_active_table_version;
        bool newer = !current;
        if (current) {
          auto a = storage::ParseTableVersion(id);
          auto b = storage::ParseTableVersion(*current);
          newer = a.ok() && b.ok() &&
                  (a->number.size() != b->number.size() ? a->number.size() > b->number.size()
                                                        : a->number > b->number);
        }
        if (newer) {
          table_doc.latest_active_table_version = id;
          table_changed = true;
        }
      }
    }
    if (options.new_schema) {
      if (effective.schema_evolution_mode == SchemaEvolutionMode::kDisabled) {
        return MakeError(ErrorCode::kTableValidation,
                         "Schema evolution is disabled for this table (schema_evolution_mode = "
                         "disabled)");
      }
      DC_ASSIGN_OR_RAISE(auto current, storage::CurrentSchema(version));
      if (!current) {
        return MakeError(ErrorCode::kTableValidation, "a schemaless table cannot gain a schema");
      }
      DC_ASSIGN_OR_RAISE(auto history, storage::SchemaHistory(version));
      int64_t max_field_id = current->MaxFieldId();
      for (const auto& past : history) max_field_id = std::max(max_field_id, past.MaxFieldId());
      DC_ASSIGN_OR_RAISE(storage::Schema updated,
                         ApplySchemaUpdate(*current, max_field_id, *options.new_schema,
                                           options.allow_incompatible_schema_changes));
      DC_ASSIGN_OR_RAISE(std::string bytes, updated.Serialize());
      version.schema = bytes;
      if (!version.schemas) version.schemas.emplace();
      version.schemas->push_back(bytes);
      version_changed = true;
    }

    if (table_changed) {
      DC_ASSIGN_OR_RAISE(auto written,
                         t.Update(resolved->table.doc, storage::EncodeTable(table_doc)));
      (void)written;
    }
    if (version_changed) {
      DC_ASSIGN_OR_RAISE(auto written, t.Update(resolved->table_version->doc,
                                                storage::EncodeTableVersion(version)));
      (void)written;
    }
    return Status::OK();
  });
}

Status NativeCatalog::RenameTable(const TableRef& table, const std::string& new_name,
                                  Transaction* txn) {
  DC_RETURN_NOT_OK(storage::ValidateName("table", new_name));
  return InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    DC_ASSIGN_OR_RAISE(MetafileRecord current, t.reader().GetTable(table.ns, table.name));
    if (new_name != table.name) {
      DC_ASSIGN_OR_RAISE(auto taken, t.reader().FindTable(table.ns, new_name));
      if (taken) {
        return MakeError(ErrorCode::kTableAlreadyExists, "Table ", table.ns, ".", new_name,
                         " already exists");
      }
    }
    DC_ASSIGN_OR_RAISE(storage::Table decoded, storage::DecodeTable(current.doc));
    decoded.locator.table_name = new_name;
    DC_ASSIGN_OR_RAISE(auto written, t.Update(current.doc, storage::EncodeTable(decoded)));
    (void)written;
    return Status::OK();
  });
}

Status NativeCatalog::DropTable(const TableRef& table, std::optional<std::string> table_version,
                                Transaction* txn) {
  return InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    if (!table_version) {
      DC_ASSIGN_OR_RAISE(MetafileRecord current, t.reader().GetTable(table.ns, table.name));
      DC_ASSIGN_OR_RAISE(auto written, t.Delete(current.doc));
      (void)written;
      return Status::OK();
    }
    DC_ASSIGN_OR_RAISE(MetafileRecord current,
                       t.reader().GetTableVersion(table.ns, table.name, *table_version));
    DC_ASSIGN_OR_RAISE(storage::TableVersion version, storage::DecodeTableVersion(current.doc));
    version.state = storage::LifecycleState::kDeleted;
    DC_ASSIGN_OR_RAISE(auto written, t.Update(current.doc, storage::EncodeTableVersion(version)));
    (void)written;
    // Unlike Python (§16 quirk 2), the table's active pointer does not stay on a DELETED
    // version: it falls back to the newest remaining ACTIVE version, or to none.
    DC_ASSIGN_OR_RAISE(MetafileRecord table_record, t.reader().GetTable(table.ns, table.name));
    DC_ASSIGN_OR_RAISE(storage::Table table_doc, storage::DecodeTable(table_record.doc));
    const std::string dropped = version.locator.table_version.value_or("");
    if (table_doc.latest_active_table_version != dropped) return Status::OK();
    std::optional<std::string> fallback;
    std::optional<storage::ParsedTableVersion> fallback_parsed;
    DC_ASSIGN_OR_RAISE(auto versions, t.reader().ListTableVersions(table_record));
    for (const auto& record : versions) {
      DC_ASSIGN_OR_RAISE(storage::TableVersion other, storage::DecodeTableVersion(record.doc));
      const std::string id = other.locator.table_version.value_or("");
      DC_ASSIGN_OR_RAISE(LifecycleState state, ToPublicState(other));
      if (id == dropped || state != LifecycleState::kActive) continue;
      auto parsed = storage::ParseTableVersion(id);
      if (!parsed.ok()) continue;
      if (!fallback_parsed || parsed->number.size() > fallback_parsed->number.size() ||
          (parsed->number.size() == fallback_parsed->number.size() &&
           parsed->number > fallback_parsed->number)) {
        fallback = id;
        fallback_parsed = *parsed;
      }
    }
    table_doc.latest_active_table_version = fallback;
    DC_ASSIGN_OR_RAISE(auto table_written,
                       t.Update(table_record.doc, storage::EncodeTable(table_doc)));
    (void)table_written;
    return Status::OK();
  });
}

}  // namespace deltacat
