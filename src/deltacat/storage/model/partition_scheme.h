#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/storage/model/field_locator.h"
#include "deltacat/storage/model/map_extras.h"
#include "deltacat/storage/model/transform.h"

namespace deltacat::storage {

/// ID of the scheme of every unpartitioned table version (and of unpartitioned partitions).
inline constexpr std::string_view kUnpartitionedSchemeId = "deadbeef-7277-49a4-a195-fdc8ed235d42";
/// Name of the unpartitioned scheme.
inline constexpr std::string_view kUnpartitionedSchemeName = "unpartitioned_scheme";

/// One partition key: `{key, name, fieldId, transform, nativeObject}`.
struct PartitionKey {
  std::optional<std::vector<FieldLocator>> key;  ///< `key`: the source field(s)
  std::optional<std::string> name;               ///< `name`
  std::optional<int64_t> field_id;               ///< `fieldId`
  std::optional<Transform> transform;            ///< `transform`
  MsgValue native_object;                        ///< `nativeObject` (nil in practice)
  MapExtras extras;
  bool operator==(const PartitionKey&) const = default;
};

/// A partition scheme: `{keys, name, id, nativeObject}`; `keys` is nil when unpartitioned.
struct PartitionScheme {
  std::optional<std::vector<PartitionKey>> keys;  ///< `keys`
  std::optional<std::string> name;                ///< `name`
  std::optional<std::string> id;                  ///< `id`
  MsgValue native_object;                         ///< `nativeObject`
  MapExtras extras;
  bool operator==(const PartitionScheme&) const = default;

  /// Python's UNPARTITIONED_SCHEME.
  static PartitionScheme Unpartitioned();
  /// True when this scheme has no keys.
  bool IsUnpartitioned() const { return !keys.has_value() || keys->empty(); }
};

}  // namespace deltacat::storage
