#include "deltacat/storage/model/locator_name.h"

#include "deltacat/util/python_repr.h"
#include "deltacat/util/sha1.h"

namespace deltacat::storage {
namespace {

std::string StrOrNone(const std::optional<std::string>& s) { return s ? *s : "None"; }

Result<PyValue> ToPyValue(const MsgValue& value) {
  switch (value.type()) {
    case MsgValue::Type::kNil: return PyValue();
    case MsgValue::Type::kBool: return PyValue(*value.AsBool());
    case MsgValue::Type::kInt: return PyValue(*value.AsInt());
    case MsgValue::Type::kDouble: return PyValue(*value.AsDouble());
    case MsgValue::Type::kString: return PyValue(*value.AsString());
    case MsgValue::Type::kBinary: return PyValue::BytesOf(*value.AsBinary());
    case MsgValue::Type::kArray: {
      PyValue::List items;
      for (const MsgValue& item : *value.AsArray()) {
        DC_ASSIGN_OR_RAISE(PyValue py, ToPyValue(item));
        items.push_back(std::move(py));
      }
      return PyValue(std::move(items));
    }
    case MsgValue::Type::kUint:
    case MsgValue::Type::kMap: break;
  }
  return MakeError(ErrorCode::kInvalidArgument, "partition value ", ToJsonForDebug(value),
                   " has no supported Python repr (use None, bool, int64, float, str, bytes or "
                   "lists of them)");
}

}  // namespace

Result<std::string> PartitionValuesString(const std::optional<MsgArray>& partition_values) {
  if (!partition_values) return std::string("None");
  DC_ASSIGN_OR_RAISE(PyValue list, ToPyValue(MsgValue::Array(*partition_values)));
  return PythonRepr(list);
}

std::string CanonicalString(const NamespaceLocator& locator) {
  return StrOrNone(locator.namespace_name);
}

std::string CanonicalString(const TableLocator& locator) { return StrOrNone(locator.table_name); }

std::string CanonicalString(const TableVersionLocator& locator) {
  return StrOrNone(locator.table_version);
}

std::string CanonicalString(const StreamLocator& locator) {
  return StrOrNone(locator.stream_id) + "|" + StrOrNone(locator.format);
}

Result<std::string> CanonicalString(const PartitionLocator& locator) {
  DC_ASSIGN_OR_RAISE(std::string values, PartitionValuesString(locator.partition_values));
  return values + "|" + StrOrNone(locator.partition_id);
}

std::string CanonicalString(const DeltaLocator& locator) {
  return locator.stream_position ? std::to_string(*locator.stream_position) : "None";
}

std::string CanonicalString(const StreamLocatorAlias& alias) { return StrOrNone(alias.format); }

Result<std::string> CanonicalString(const PartitionLocatorAlias& alias) {
  DC_ASSIGN_OR_RAISE(std::string values, PartitionValuesString(alias.partition_values));
  return values + "|" + StrOrNone(alias.partition_scheme_id);
}

std::string LocatorDigest(std::string_view canonical_string) { return Sha1Hex(canonical_string); }

}  // namespace deltacat::storage
