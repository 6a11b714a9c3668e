#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/model/map_extras.h"
#include "deltacat/storage/model/partition_scheme.h"

namespace deltacat::storage {

/// A stream revision: `{streamLocator, partitionScheme, state, previousStreamId, watermark,
/// nativeObject, ancestor_ids}`.
struct Stream {
  /// `streamLocator`. On disk its table locator is the rename sentinel; see metafile.h.
  StreamLocator locator;
  std::optional<PartitionScheme> partition_scheme;  ///< `partitionScheme`
  std::optional<OpenEnum<CommitState>> state;       ///< `state`
  std::optional<std::string> previous_stream_id;    ///< `previousStreamId`
  std::optional<int64_t> watermark;                 ///< `watermark`
  MsgValue native_object;                           ///< `nativeObject`
  std::vector<std::string> ancestor_ids;            ///< [namespace, table, table version]
  MapExtras extras;
  bool operator==(const Stream&) const = default;
};

}  // namespace deltacat::storage
