#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/model/manifest.h"
#include "deltacat/storage/model/map_extras.h"

namespace deltacat::storage {

/// Highest stream position a delta may have (2^63 - 1).
inline constexpr int64_t kMaxDeltaStreamPosition = INT64_MAX;

/// A delta revision: `{deltaLocator, type, meta, properties, manifest,
/// previousStreamPosition, ancestor_ids}`. The manifest is stored inline.
struct Delta {
  /// `deltaLocator`. On disk its table locator is the rename sentinel; see metafile.h.
  DeltaLocator locator;
  std::optional<OpenEnum<DeltaType>> type;  ///< `type`
  std::optional<ManifestMeta> meta;         ///< `meta`: the manifest's meta
  MsgValue properties;                      ///< `properties`: a map, or nil
  std::optional<Manifest> manifest;         ///< `manifest`
  /// `previousStreamPosition`: the partition's stream position before an ordered delta.
  std::optional<int64_t> previous_stream_position;
  std::vector<std::string> ancestor_ids;  ///< [namespace, table, table version, stream, partition]
  MapExtras extras;
  bool operator==(const Delta&) const = default;
};

}  // namespace deltacat::storage
