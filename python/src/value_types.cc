// The catalog's result structs as read-only Python classes. Names follow Python DeltaCAT where
// it has one (Namespace.namespace, TableVersion.table_version, TableDefinition.table_version,
// Delta.stream_position); schemas come back as pyarrow.Schema, enums as deltacat_cpp enums.

#include <string>

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "arrow_stream.h"
#include "bindings.h"
#include "conversions.h"
#include "deltacat/catalog.h"

namespace nb = nanobind;

namespace deltacat::python {
namespace {

std::string Quoted(const std::optional<std::string>& value) {
  return value ? "'" + *value + "'" : "None";
}

nb::object OptionalContentTypes(const std::optional<std::vector<ContentType>>& types) {
  if (!types) return nb::none();
  nb::list list;
  for (ContentType type : *types) list.append(FromContentType(type));
  return list;
}

}  // namespace

void BindValueTypes(nb::module_& m) {
  nb::class_<NamespaceInfo>(m, "Namespace", "A namespace: its name and properties.")
      .def_ro("name", &NamespaceInfo::name, "The namespace name.")
      .def_prop_ro(
          "namespace", [](const NamespaceInfo& info) { return info.name; },
          "The namespace name (Python DeltaCAT's Namespace.namespace).")
      .def_prop_ro(
          "properties", [](const NamespaceInfo& info) { return FromProperties(info.properties); },
          "Free-form properties.")
      .def("__repr__",
           [](const NamespaceInfo& info) { return "Namespace(name='" + info.name + "')"; });

  nb::class_<TableVersionInfo>(m, "TableVersion", "One version of a table.")
      .def_ro("table_version", &TableVersionInfo::version, "The version id, e.g. \"1\".")
      .def_prop_ro(
          "schema", [](const TableVersionInfo& info) { return ExportSchema(info.schema); },
          "The pyarrow.Schema (with DeltaCAT field metadata), or None for a schemaless table.")
      .def_ro("schema_id", &TableVersionInfo::schema_id, "The id of the current schema.")
      .def_ro("merge_keys", &TableVersionInfo::merge_keys, "Names of the merge-key fields.")
      .def_prop_ro(
          "state", [](const TableVersionInfo& info) { return FromLifecycleState(info.state); },
          "The LifecycleState.")
      .def_ro("description", &TableVersionInfo::description, "The version description.")
      .def_prop_ro(
          "properties",
          [](const TableVersionInfo& info) { return FromProperties(info.properties); },
          "The table version's properties (these govern its behaviour).")
      .def_prop_ro(
          "content_types",
          [](const TableVersionInfo& info) { return OptionalContentTypes(info.content_types); },
          "The ContentTypes writes may use, or None for all.")
      .def("__repr__", [](const TableVersionInfo& info) {
        return "TableVersion(table_version='" + info.version +
               "', state=" + std::string(LifecycleStateName(info.state)) +
               ", schema_id=" + std::to_string(info.schema_id) + ")";
      });

  nb::class_<TableDefinition>(m, "TableDefinition",
                              "A table with its resolved table version (Python DeltaCAT's "
                              "TableDefinition).")
      .def_ro("namespace", &TableDefinition::ns, "The namespace name.")
      .def_ro("table_name", &TableDefinition::name, "The table name.")
      .def_ro("description", &TableDefinition::description, "The table description.")
      .def_prop_ro(
          "properties", [](const TableDefinition& def) { return FromProperties(def.properties); },
          "The table's properties.")
      .def_ro("latest_table_version", &TableDefinition::latest_table_version,
              "The newest version id.")
      .def_ro("latest_active_table_version", &TableDefinition::latest_active_table_version,
              "The newest ACTIVE version id (what reads and writes use by default).")
      .def_ro("table_version", &TableDefinition::version,
              "The resolved TableVersion, or None when no (active) version resolves.")
      .def_ro("has_stream", &TableDefinition::has_stream,
              "Whether the resolved version has its deltacat stream.")
      .def("__repr__", [](const TableDefinition& def) {
        return "TableDefinition(namespace='" + def.ns + "', table_name='" + def.name +
               "', table_version=" +
               (def.version ? "'" + def.version->version + "'" : std::string("None")) + ")";
      });

  nb::class_<DeltaInfo>(m, "Delta", "The delta a write committed.")
      .def_ro("stream_position", &DeltaInfo::stream_position, "Position in the partition.")
      .def_ro("type", &DeltaInfo::type,
              "\"append\", \"add\", \"chrono\", \"upsert\" or \"delete\".")
      .def_ro("record_count", &DeltaInfo::record_count, "Rows written.")
      .def_ro("file_count", &DeltaInfo::file_count, "Data files written.")
      .def("__repr__", [](const DeltaInfo& delta) {
        return "Delta(stream_position=" + std::to_string(delta.stream_position) + ", type='" +
               delta.type + "', record_count=" + std::to_string(delta.record_count) +
               ", file_count=" + std::to_string(delta.file_count) + ")";
      });

  nb::class_<TransactionRecord>(m, "TransactionRecord", "One transaction of the history.")
      .def_ro("transaction_id", &TransactionRecord::id, "`<start_ns>_<uuid4>`.")
      .def_ro("commit_message", &TransactionRecord::commit_message, "The commit message.")
      .def_ro("start_time", &TransactionRecord::start_time, "Start, ns since the epoch.")
      .def_ro("end_time", &TransactionRecord::end_time, "End, ns since the epoch.")
      .def_ro("status", &TransactionRecord::status,
              "\"SUCCESS\", \"RUNNING\", \"FAILED\" or \"PAUSED\".")
      .def_ro("operation_types", &TransactionRecord::operation_types,
              "The operation types, in order.")
      .def("__repr__", [](const TransactionRecord& record) {
        return "TransactionRecord(transaction_id='" + record.id + "', status='" + record.status +
               "', commit_message=" + Quoted(record.commit_message) + ")";
      });

  nb::class_<JanitorReport>(m, "JanitorReport", "What one janitor run removed.")
      .def_ro("transactions_cleaned", &JanitorReport::transactions_cleaned,
              "Dead or failed transactions whose files were removed.")
      .def_ro("removed_paths", &JanitorReport::removed_paths,
              "Catalog-relative paths of the removed files.")
      .def("__repr__", [](const JanitorReport& report) {
        return "JanitorReport(transactions_cleaned=" + std::to_string(report.transactions_cleaned) +
               ", removed_paths=" + std::to_string(report.removed_paths.size()) + " paths)";
      });
}

}  // namespace deltacat::python
