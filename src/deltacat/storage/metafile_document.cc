#include "deltacat/storage/metafile_document.h"

#include <array>

#include "deltacat/util/python_repr.h"

namespace deltacat::storage {

namespace {

// Keys from the top level of a `kind` metafile down to its table locator.
std::vector<std::string_view> PathToTableLocator(MetafileKind kind) {
  switch (kind) {
    case MetafileKind::kNamespace: return {};
    case MetafileKind::kTable: return {"tableLocator"};
    case MetafileKind::kTableVersion: return {"tableVersionLocator", "tableLocator"};
    case MetafileKind::kStream: return {"streamLocator", "tableVersionLocator", "tableLocator"};
    case MetafileKind::kPartition:
      return {"partitionLocator", "streamLocator", "tableVersionLocator", "tableLocator"};
    case MetafileKind::kDelta:
      return {"deltaLocator", "partitionLocator", "streamLocator", "tableVersionLocator",
              "tableLocator"};
  }
  return {};
}

// A locator map under `key` of `parent`: nullptr when absent or nil; an error when present
// but not a map.
Result<const MsgValue*> LocatorField(const MsgValue* parent, std::string_view key) {
  if (parent == nullptr) return nullptr;
  const MsgValue* value = parent->Find(key);
  if (value == nullptr || value->IsNil()) return nullptr;
  if (!value->IsMap()) {
    return MakeError(ErrorCode::kCorruptMetadata, "locator '", key, "' is a msgpack ",
                     value->TypeName(), ", expected a map");
  }
  return value;
}

Status ReadOptionalString(const MsgValue* map, std::string_view key,
                          std::optional<std::string>& out) {
  if (map == nullptr) return Status::OK();
  const MsgValue* value = map->Find(key);
  if (value == nullptr || value->IsNil()) return Status::OK();
  if (!value->IsString()) {
    return MakeError(ErrorCode::kCorruptMetadata, "locator field '", key, "' is a msgpack ",
                     value->TypeName(), ", expected a string");
  }
  out = *value->AsString();
  return Status::OK();
}

MsgValue SentinelTableLocator(std::string_view id) {
  return MsgValue::Map({
      {"namespaceLocator", MsgValue::Map({{"namespace", MsgValue::String(std::string(id))}})},
      {"tableName", MsgValue::String(std::string(id))},
  });
}

// Python tests locators for truthiness: nil and {} are both "absent".
bool IsTruthyMap(const MsgValue* value) {
  return value != nullptr && value->IsMap() && value->size() > 0;
}

void NormalizeEmptyPartitionValues(MsgValue* partition_locator) {
  if (partition_locator == nullptr || !partition_locator->IsMap()) return;
  MsgValue* values = partition_locator->FindMutable("partitionValues");
  if (values != nullptr && values->IsArray() && values->size() == 0) *values = MsgValue::Nil();
}

Result<std::string> PythonReprOf(const MsgValue& value, int depth);

Result<std::string> JoinReprs(const MsgArray& items, int depth) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    DC_ASSIGN_OR_RAISE(auto item, PythonReprOf(items[i], depth + 1));
    out += item;
  }
  out += "]";
  return out;
}

Result<std::string> PythonReprOf(const MsgValue& value, int depth) {
  if (depth > kMaxMsgpackDepth) {
    return Status(ErrorCode::kInvalidArgument, "value nested too deeply to print");
  }
  switch (value.type()) {
    case MsgValue::Type::kNil: return std::string("None");
    case MsgValue::Type::kBool: return std::string(*value.AsBool() ? "True" : "False");
    case MsgValue::Type::kInt: return std::to_string(*value.AsInt());
    case MsgValue::Type::kUint: return std::to_string(*value.AsUint());
    case MsgValue::Type::kDouble: return PythonRepr(PyValue(*value.AsDouble()));
    case MsgValue::Type::kString: return PythonRepr(PyValue(*value.AsString()));
    case MsgValue::Type::kBinary: return PythonRepr(PyValue::BytesOf(*value.AsBinary()));
    case MsgValue::Type::kArray: return JoinReprs(*value.AsArray(), depth);
    case MsgValue::Type::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : *value.AsMap()) {
        if (!first) out += ", ";
        first = false;
        out += PythonRepr(PyValue(key));
        out += ": ";
        DC_ASSIGN_OR_RAISE(auto text, PythonReprOf(item, depth + 1));
        out += text;
      }
      out += "}";
      return out;
    }
  }
  return Status(ErrorCode::kInvalidArgument, "unprintable value");
}

}  // namespace

Result<LocatorNames> ReadLocatorNames(MetafileKind kind, const MsgValue& doc) {
  LocatorNames names;
  const MsgValue* current = &doc;
  auto descend = [&](std::string_view key) -> Status {
    DC_ASSIGN_OR_RAISE(current, LocatorField(current, key));
    return Status::OK();
  };
  DC_RETURN_NOT_OK(descend(LocatorKey(kind)));
  if (kind == MetafileKind::kDelta) {
    if (current != nullptr) {
      const MsgValue* position = current->Find("streamPosition");
      if (position != nullptr && !position->IsNil()) {
        DC_ASSIGN_OR_RAISE(names.stream_position, position->GetInt("delta 'streamPosition'"));
      }
    }
    DC_RETURN_NOT_OK(descend("partitionLocator"));
  }
  if (kind >= MetafileKind::kPartition) {
    DC_RETURN_NOT_OK(ReadOptionalString(current, "partitionId", names.partition_id));
    if (current != nullptr) {
      const MsgValue* values = current->Find("partitionValues");
      if (values != nullptr) names.partition_values = *values;
    }
    DC_RETURN_NOT_OK(descend("streamLocator"));
  }
  if (kind >= MetafileKind::kStream) {
    DC_RETURN_NOT_OK(ReadOptionalString(current, "streamId", names.stream_id));
    DC_RETURN_NOT_OK(ReadOptionalString(current, "format", names.stream_format));
    DC_RETURN_NOT_OK(descend("tableVersionLocator"));
  }
  if (kind >= MetafileKind::kTableVersion) {
    DC_RETURN_NOT_OK(ReadOptionalString(current, "tableVersion", names.table_version));
    DC_RETURN_NOT_OK(descend("tableLocator"));
  }
  if (kind >= MetafileKind::kTable) {
    DC_RETURN_NOT_OK(ReadOptionalString(current, "tableName", names.table_name));
    DC_RETURN_NOT_OK(descend("namespaceLocator"));
  }
  DC_RETURN_NOT_OK(ReadOptionalString(current, "namespace", names.namespace_name));
  return names;
}

Result<std::string> MetafileIdOf(MetafileKind kind, const MsgValue& doc) {
  auto missing = [&](std::string_view what) {
    return MakeError(ErrorCode::kCorruptMetadata, MetafileKindName(kind), " metafile has no ",
                     what);
  };
  if (kind == MetafileKind::kNamespace || kind == MetafileKind::kTable) {
    const MsgValue* id = doc.Find("id");
    if (id == nullptr || id->IsNil()) return missing("'id'");
    return id->GetString(std::string(MetafileKindName(kind)) + " 'id'");
  }
  DC_ASSIGN_OR_RAISE(auto names, ReadLocatorNames(kind, doc));
  switch (kind) {
    case MetafileKind::kTableVersion:
      if (!names.table_version) return missing("table version in its locator");
      return *names.table_version;
    case MetafileKind::kStream:
      if (!names.stream_id) return missing("stream ID in its locator");
      return *names.stream_id;
    case MetafileKind::kPartition:
      if (!names.partition_id) return missing("partition ID in its locator");
      return *names.partition_id;
    case MetafileKind::kDelta:
      if (!names.stream_position) return missing("stream position in its locator");
      return std::to_string(*names.stream_position);
    default: break;
  }
  return missing("ID");
}

Result<std::vector<std::string>> StoredAncestorIds(const MsgValue& doc) {
  std::vector<std::string> ids;
  const MsgValue* value = doc.Find("ancestor_ids");
  if (value == nullptr || value->IsNil()) return ids;
  const MsgArray* items = value->AsArray();
  if (items == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "'ancestor_ids' is a msgpack ", value->TypeName(),
                     ", expected an array");
  }
  for (const auto& item : *items) {
    DC_ASSIGN_OR_RAISE(auto id, item.GetString("'ancestor_ids' item"));
    ids.push_back(std::move(id));
  }
  return ids;
}

const MsgValue* TableLocatorOf(MetafileKind kind, const MsgValue& doc) {
  if (kind == MetafileKind::kNamespace || kind == MetafileKind::kTable) return nullptr;
  const MsgValue* current = &doc;
  for (auto key : PathToTableLocator(kind)) {
    current = current->Find(key);
    if (current == nullptr || !current->IsMap()) return nullptr;
  }
  return current;
}

MsgValue* MutableTableLocatorOf(MetafileKind kind, MsgValue& doc) {
  if (kind == MetafileKind::kNamespace || kind == MetafileKind::kTable) return nullptr;
  MsgValue* current = &doc;
  for (auto key : PathToTableLocator(kind)) {
    current = current->FindMutable(key);
    if (current == nullptr || !current->IsMap()) return nullptr;
  }
  return current;
}

std::optional<std::string> CommitStateOf(const MsgValue& doc) {
  const MsgValue* state = doc.Find("state");
  if (state == nullptr || !state->IsString()) return std::nullopt;
  return *state->AsString();
}

Result<std::optional<std::string>> MutableNameCanonical(MetafileKind kind, const MsgValue& doc) {
  DC_ASSIGN_OR_RAISE(auto names, ReadLocatorNames(kind, doc));
  const bool staged = CommitStateOf(doc) == std::string(kStagedState);
  switch (kind) {
    case MetafileKind::kNamespace:
      return std::optional<std::string>(names.namespace_name.value_or("None"));
    case MetafileKind::kTable: return std::optional<std::string>(names.table_name.value_or("None"));
    case MetafileKind::kStream:
      if (staged) return std::optional<std::string>();
      return std::optional<std::string>(names.stream_format.value_or("None"));
    case MetafileKind::kPartition: {
      if (staged) return std::optional<std::string>();
      const MsgValue* scheme = doc.Find("partitionSchemeId");
      DC_ASSIGN_OR_RAISE(auto canonical,
                         PartitionAliasCanonical(names.partition_values,
                                                 scheme != nullptr ? *scheme : MsgValue()));
      return std::optional<std::string>(std::move(canonical));
    }
    default: return std::optional<std::string>();
  }
}

MsgValue LocatorForLog(MetafileKind kind, const MsgValue& doc) {
  const MsgValue* locator = doc.Find(LocatorKey(kind));
  return locator != nullptr ? *locator : MsgValue();
}

MsgValue LocatorAliasForLog(MetafileKind kind, const MsgValue& doc) {
  if (CommitStateOf(doc) == std::string(kStagedState)) return MsgValue();
  const MsgValue* locator = doc.Find(LocatorKey(kind));
  auto field = [&](std::string_view key) {
    const MsgValue* value = locator != nullptr ? locator->Find(key) : nullptr;
    return value != nullptr ? *value : MsgValue();
  };
  if (kind == MetafileKind::kStream) {
    return MsgValue::Map({{"format", field("format")}, {"parent", field("tableVersionLocator")}});
  }
  if (kind == MetafileKind::kPartition) {
    const MsgValue* scheme = doc.Find("partitionSchemeId");
    return MsgValue::Map({{"partition_values", field("partitionValues")},
                          {"partition_scheme_id", scheme != nullptr ? *scheme : MsgValue()},
                          {"parent", field("streamLocator")}});
  }
  return MsgValue();
}

MsgValue SerializableForm(MetafileKind kind, const MsgValue& doc, std::string_view id,
                          const std::vector<std::string>& ancestor_ids) {
  MsgValue out = doc;
  if (kind == MetafileKind::kTable) {
    MsgValue* locator = out.FindMutable("tableLocator");
    if (locator != nullptr && locator->IsMap()) {
      MsgValue* ns = locator->FindMutable("namespaceLocator");
      if (IsTruthyMap(ns)) {
        *ns = MsgValue::Map({{"namespace", MsgValue::String(std::string(id))}});
      }
    }
  } else if (kind != MetafileKind::kNamespace) {
    MsgValue* table_locator = MutableTableLocatorOf(kind, out);
    if (IsTruthyMap(table_locator)) *table_locator = SentinelTableLocator(id);
  }
  if (kind == MetafileKind::kPartition) {
    NormalizeEmptyPartitionValues(out.FindMutable("partitionLocator"));
  } else if (kind == MetafileKind::kDelta) {
    MsgValue* delta_locator = out.FindMutable("deltaLocator");
    if (delta_locator != nullptr && delta_locator->IsMap()) {
      NormalizeEmptyPartitionValues(delta_locator->FindMutable("partitionLocator"));
    }
  }
  MsgArray ids;
  for (const auto& ancestor : ancestor_ids) ids.push_back(MsgValue::String(ancestor));
  out.Set("ancestor_ids", MsgValue::Array(std::move(ids)));
  if (kind == MetafileKind::kNamespace || kind == MetafileKind::kTable) {
    out.Set("id", MsgValue::String(std::string(id)));
  }
  return out;
}

bool NeedsParentRestoration(MetafileKind kind, const MsgValue& doc, std::string_view id) {
  if (kind == MetafileKind::kNamespace) return false;
  if (kind == MetafileKind::kTable) {
    const MsgValue* locator = doc.Find("tableLocator");
    const MsgValue* ns = locator != nullptr ? locator->Find("namespaceLocator") : nullptr;
    const MsgValue* name = ns != nullptr ? ns->Find("namespace") : nullptr;
    return name != nullptr && name->IsString() && *name->AsString() == id;
  }
  const MsgValue* table_locator = TableLocatorOf(kind, doc);
  const MsgValue* name = table_locator != nullptr ? table_locator->Find("tableName") : nullptr;
  return name != nullptr && name->IsString() && *name->AsString() == id;
}

void RestoreParentLocator(MetafileKind kind, MsgValue& doc, const MsgValue& restored) {
  if (kind == MetafileKind::kNamespace) return;
  if (kind == MetafileKind::kTable) {
    MsgValue* locator = doc.FindMutable("tableLocator");
    if (locator != nullptr && locator->IsMap()) locator->Set("namespaceLocator", restored);
    return;
  }
  MsgValue* table_locator = MutableTableLocatorOf(kind, doc);
  if (table_locator != nullptr) *table_locator = restored;
}

Result<std::string> PythonStrOf(const MsgValue& value) {
  if (value.IsString()) return *value.AsString();
  return PythonReprOf(value, 0);
}

Result<std::string> PartitionAliasCanonical(const MsgValue& partition_values,
                                            const MsgValue& partition_scheme_id) {
  DC_ASSIGN_OR_RAISE(auto values, PythonStrOf(partition_values));
  DC_ASSIGN_OR_RAISE(auto scheme, PythonStrOf(partition_scheme_id));
  return values + "|" + scheme;
}

}  // namespace deltacat::storage
