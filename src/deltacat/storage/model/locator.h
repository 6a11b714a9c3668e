#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "deltacat/storage/model/map_extras.h"
#include "deltacat/storage/msgpack_value.h"

// Locators: the nested maps that name a catalog object and all of its parents
// (deltacat/storage/model/{namespace,table,table_version,stream,partition,delta}.py). Every
// value is nullable on disk; a missing parent locator is std::nullopt.

namespace deltacat::storage {

/// `{namespace}`.
struct NamespaceLocator {
  std::optional<std::string> namespace_name;  ///< key `namespace`
  MapExtras extras;
  bool operator==(const NamespaceLocator&) const = default;
};

/// `{namespaceLocator, tableName}`.
struct TableLocator {
  std::optional<NamespaceLocator> namespace_locator;  ///< key `namespaceLocator`
  std::optional<std::string> table_name;              ///< key `tableName`
  MapExtras extras;
  bool operator==(const TableLocator&) const = default;

  /// A locator naming `table_name` in namespace `namespace_name`.
  static TableLocator Of(std::string namespace_name, std::string table_name);
  /// The namespace name, if both it and its locator are present.
  std::optional<std::string> NamespaceName() const;
};

/// `{tableLocator, tableVersion}`. The table version is the object's immutable ID.
struct TableVersionLocator {
  std::optional<TableLocator> table_locator;  ///< key `tableLocator`
  std::optional<std::string> table_version;   ///< key `tableVersion`
  MapExtras extras;
  bool operator==(const TableVersionLocator&) const = default;
};

/// `{tableVersionLocator, streamId, format}`. The stream ID is the object's immutable ID.
struct StreamLocator {
  std::optional<TableVersionLocator> table_version_locator;  ///< key `tableVersionLocator`
  std::optional<std::string> stream_id;                      ///< key `streamId`
  std::optional<std::string> format;  ///< key `format`: a StreamFormat string
  MapExtras extras;
  bool operator==(const StreamLocator&) const = default;

  /// The table locator two levels up, if present.
  const TableLocator* FindTableLocator() const;
  /// Mutable access to the table locator two levels up, if present.
  TableLocator* FindMutableTableLocator();
};

/// `{streamLocator, partitionValues, partitionId}`. The partition ID is the object's immutable
/// ID. Partition values are nil for an unpartitioned partition: Python normalizes `[]` to
/// None, and the decoder does the same, so `partition_values` is never an empty array.
struct PartitionLocator {
  std::optional<StreamLocator> stream_locator;  ///< key `streamLocator`
  std::optional<MsgArray> partition_values;     ///< key `partitionValues`
  std::optional<std::string> partition_id;      ///< key `partitionId`
  MapExtras extras;
  bool operator==(const PartitionLocator&) const = default;

  /// The table locator three levels up, if present.
  const TableLocator* FindTableLocator() const;
  /// Mutable access to the table locator three levels up, if present.
  TableLocator* FindMutableTableLocator();
};

/// `{partitionLocator, streamPosition}`. The delta's immutable ID is str(streamPosition).
struct DeltaLocator {
  std::optional<PartitionLocator> partition_locator;  ///< key `partitionLocator`
  std::optional<int64_t> stream_position;             ///< key `streamPosition`
  MapExtras extras;
  bool operator==(const DeltaLocator&) const = default;

  /// The table locator four levels up, if present.
  const TableLocator* FindTableLocator() const;
  /// Mutable access to the table locator four levels up, if present.
  TableLocator* FindMutableTableLocator();
};

/// The alias of a committed stream (txn logs only): `{format, parent}`.
struct StreamLocatorAlias {
  std::optional<std::string> format;          ///< key `format`
  std::optional<TableVersionLocator> parent;  ///< key `parent`
  MapExtras extras;
  bool operator==(const StreamLocatorAlias&) const = default;
};

/// The alias of a committed partition (txn logs only):
/// `{partition_values, partition_scheme_id, parent}`.
struct PartitionLocatorAlias {
  std::optional<MsgArray> partition_values;        ///< key `partition_values`
  std::optional<std::string> partition_scheme_id;  ///< key `partition_scheme_id`
  std::optional<StreamLocator> parent;             ///< key `parent`
  MapExtras extras;
  bool operator==(const PartitionLocatorAlias&) const = default;
};

}  // namespace deltacat::storage
