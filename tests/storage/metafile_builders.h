#pragma once

// Builders of real-name metafile documents for storage tests (shapes per
// storage-format.md §3.4-§3.10; only the keys the storage layer cares about plus a few
// ordinary ones).

#include <cstdint>
#include <string>

#include "deltacat/storage/msgpack_value.h"
#include "deltacat/storage/snapshot_reader.h"

namespace deltacat::storage::testing {

inline MsgValue Str(const std::string& s) { return MsgValue::String(s); }

inline MsgValue NamespaceLocator(const std::string& ns) {
  return MsgValue::Map({{"namespace", Str(ns)}});
}
inline MsgValue TableLocator(const std::string& ns, const std::string& table) {
  return MsgValue::Map({{"namespaceLocator", NamespaceLocator(ns)}, {"tableName", Str(table)}});
}
inline MsgValue TableVersionLocator(const std::string& ns, const std::string& table,
                                    const std::string& version) {
  return MsgValue::Map({{"tableLocator", TableLocator(ns, table)}, {"tableVersion", Str(version)}});
}
inline MsgValue StreamLocator(const std::string& ns, const std::string& table,
                              const std::string& version, const std::string& stream_id,
                              const std::string& format = "deltacat") {
  return MsgValue::Map({{"tableVersionLocator", TableVersionLocator(ns, table, version)},
                        {"streamId", Str(stream_id)},
                        {"format", Str(format)}});
}
inline MsgValue PartitionLocator(const std::string& ns, const std::string& table,
                                 const std::string& version, const std::string& stream_id,
                                 const std::string& partition_id,
                                 const MsgValue& values = MsgValue()) {
  return MsgValue::Map({{"streamLocator", StreamLocator(ns, table, version, stream_id)},
                        {"partitionValues", values},
                        {"partitionId", Str(partition_id)}});
}

inline MsgValue NamespaceDoc(const std::string& name, const MsgValue& properties = MsgValue()) {
  return MsgValue::Map({{"namespaceLocator", NamespaceLocator(name)}, {"properties", properties}});
}

inline MsgValue TableDoc(const std::string& ns, const std::string& name,
                         const std::string& description = "") {
  return MsgValue::Map({{"tableLocator", TableLocator(ns, name)},
                        {"description", description.empty() ? MsgValue() : Str(description)},
                        {"properties", MsgValue()},
                        {"latest_active_table_version", MsgValue()},
                        {"latest_table_version", MsgValue()},
                        {"nativeObject", MsgValue()}});
}

inline MsgValue UnpartitionedScheme() {
  return MsgValue::Map({{"keys", MsgValue()},
                        {"name", Str("unpartitioned_scheme")},
                        {"id", Str(std::string(kUnpartitionedSchemeId))},
                        {"nativeObject", MsgValue()}});
}

inline MsgValue TableVersionDoc(const std::string& ns, const std::string& table,
                                const std::string& version) {
  return MsgValue::Map({{"tableVersionLocator", TableVersionLocator(ns, table, version)},
                        {"schema", MsgValue()},
                        {"partitionScheme", UnpartitionedScheme()},
                        {"state", Str("active")},
                        {"nativeObject", MsgValue()}});
}

inline MsgValue StreamDoc(const std::string& ns, const std::string& table,
                          const std::string& version, const std::string& stream_id,
                          const std::string& state = "committed") {
  return MsgValue::Map({{"streamLocator", StreamLocator(ns, table, version, stream_id)},
                        {"partitionScheme", UnpartitionedScheme()},
                        {"state", Str(state)},
                        {"previousStreamId", MsgValue()},
                        {"watermark", MsgValue()},
                        {"nativeObject", MsgValue()}});
}

inline MsgValue PartitionDoc(const std::string& ns, const std::string& table,
                             const std::string& version, const std::string& stream_id,
                             const std::string& partition_id,
                             const std::string& state = "committed",
                             const MsgValue& values = MsgValue(),
                             const std::string& scheme_id = std::string(kUnpartitionedSchemeId)) {
  return MsgValue::Map(
      {{"partitionLocator", PartitionLocator(ns, table, version, stream_id, partition_id, values)},
       {"contentTypes", MsgValue()},
       {"state", Str(state)},
       {"previousStreamPosition", MsgValue()},
       {"previousPartitionId", MsgValue()},
       {"streamPosition", MsgValue()},
       {"partitionSchemeId", Str(scheme_id)},
       {"compactionRoundCompletionInfo", MsgValue()}});
}

inline MsgValue DeltaDoc(const std::string& ns, const std::string& table,
                         const std::string& version, const std::string& stream_id,
                         const std::string& partition_id, int64_t position,
                         const std::string& type = "append") {
  return MsgValue::Map(
      {{"deltaLocator",
        MsgValue::Map(
            {{"partitionLocator", PartitionLocator(ns, table, version, stream_id, partition_id)},
             {"streamPosition", MsgValue::Int(position)}})},
       {"type", Str(type)},
       {"meta", MsgValue::Map({{"record_count", MsgValue::Int(1)}})},
       {"properties", MsgValue()},
       {"manifest", MsgValue::Map({{"id", Str("manifest-" + std::to_string(position))}})},
       {"previousStreamPosition", MsgValue()}});
}

/// `doc` with key `key` set to `value`.
inline MsgValue With(MsgValue doc, const std::string& key, MsgValue value) {
  doc.Set(key, std::move(value));
  return doc;
}

}  // namespace deltacat::storage::testing
