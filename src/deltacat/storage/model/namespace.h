#pragma once

#include <string>
#include <vector>

#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/model/map_extras.h"

namespace deltacat::storage {

/// A namespace revision: `{namespaceLocator, properties, ancestor_ids, id}`.
struct Namespace {
  NamespaceLocator locator;               ///< `namespaceLocator` (real name)
  MsgValue properties;                    ///< `properties`: a map, or nil
  std::vector<std::string> ancestor_ids;  ///< `ancestor_ids`: always empty
  std::string id;                         ///< `id`: the namespace UUID4 (its directory name)
  MapExtras extras;
  bool operator==(const Namespace&) const = default;
};

}  // namespace deltacat::storage
