#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/field_locator.h"
#include "deltacat/storage/model/map_extras.h"
#include "deltacat/storage/model/transform.h"

namespace deltacat::storage {

/// ID of the unsorted scheme (the same value as the unpartitioned scheme ID).
inline constexpr std::string_view kUnsortedSchemeId = "deadbeef-7277-49a4-a195-fdc8ed235d42";
/// Name of the unsorted scheme.
inline constexpr std::string_view kUnsortedSchemeName = "unsorted_scheme";

/// A sort key. Python's SortKey is a tuple, stored as the 5-element array
/// `[key, sort_order, null_order, transform, native_object]`.
struct SortKey {
  std::optional<std::vector<FieldLocator>> key;            ///< [0]
  OpenEnum<SortOrder> sort_order = SortOrder::kAscending;  ///< [1]
  OpenEnum<NullOrder> null_order = NullOrder::kAtEnd;      ///< [2]
  std::optional<Transform> transform;                      ///< [3]
  MsgValue native_object;                                  ///< [4]
  /// Items after the fifth, kept for round trips.
  MsgArray extra_items;
  bool operator==(const SortKey&) const = default;
};

/// A sort scheme: `{keys, name, id, nativeObject}`; `keys` is nil when unsorted.
struct SortScheme {
  std::optional<std::vector<SortKey>> keys;  ///< `keys`
  std::optional<std::string> name;           ///< `name`
  std::optional<std::string> id;             ///< `id`
  MsgValue native_object;                    ///< `nativeObject`
  MapExtras extras;
  bool operator==(const SortScheme&) const = default;

  /// Python's UNSORTED_SCHEME.
  static SortScheme Unsorted();
};

}  // namespace deltacat::storage
