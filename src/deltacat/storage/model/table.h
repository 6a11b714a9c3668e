#pragma once

#include <optional>
#include <string>
#include <vector>

#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/model/map_extras.h"

namespace deltacat::storage {

/// A table revision: `{tableLocator, description, properties, latest_active_table_version,
/// latest_table_version, nativeObject, ancestor_ids, id}`.
struct Table {
  /// `tableLocator`. On disk its namespace locator is the rename sentinel `{namespace: id}`;
  /// see metafile.h.
  TableLocator locator;
  std::optional<std::string> description;  ///< `description`
  MsgValue properties;                     ///< `properties`: a map, or nil
  /// `latest_active_table_version`: the version readers and writers use by default.
  std::optional<std::string> latest_active_table_version;
  std::optional<std::string> latest_table_version;  ///< `latest_table_version`
  MsgValue native_object;                           ///< `nativeObject`
  std::vector<std::string> ancestor_ids;            ///< `ancestor_ids`: [namespace id]
  std::string id;                                   ///< `id`: the table UUID4
  MapExtras extras;
  bool operator==(const Table&) const = default;
};

}  // namespace deltacat::storage
