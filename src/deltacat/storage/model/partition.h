#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/model/map_extras.h"
#include "deltacat/storage/model/round_completion_info.h"

namespace deltacat::storage {

/// A partition ID that is assumed to exist but is not known.
inline constexpr std::string_view kUnknownPartitionId = "deadbeef-2fe7-4557-82c9-da53b1862003";
/// A partition ID intentionally left unspecified.
inline constexpr std::string_view kUnspecifiedPartitionId = "deadbeef-5bff-41ea-b82c-e531f445632b";

/// A partition revision.
struct Partition {
  /// `partitionLocator`. On disk its table locator is the rename sentinel; see metafile.h.
  PartitionLocator locator;
  std::optional<std::vector<std::string>> content_types;  ///< `contentTypes`
  std::optional<OpenEnum<CommitState>> state;             ///< `state`
  std::optional<int64_t> previous_stream_position;        ///< `previousStreamPosition`
  std::optional<std::string> previous_partition_id;       ///< `previousPartitionId`
  /// `streamPosition`: position of the newest ordered (APPEND/UPSERT/DELETE) delta.
  std::optional<int64_t> stream_position;
  std::optional<std::string> partition_scheme_id;  ///< `partitionSchemeId`
  /// `compactionRoundCompletionInfo`.
  std::optional<RoundCompletionInfo> compaction_round_completion_info;
  std::vector<std::string> ancestor_ids;  ///< [namespace, table, table version, stream]
  MapExtras extras;
  bool operator==(const Partition&) const = default;
};

}  // namespace deltacat::storage
