#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/model/map_extras.h"

// The compactor's round completion info, stored in `Partition.compactionRoundCompletionInfo`
// (deltacat/compute/compactor/model/round_completion_info.py). Locators inside it keep their
// real names (no rename sentinel).

namespace deltacat::storage {

/// `compactedPyarrowWriteResult`: `{files, paBytes, fileBytes, records}`.
struct PyArrowWriteResult {
  std::optional<int64_t> files;       ///< `files`
  std::optional<int64_t> pa_bytes;    ///< `paBytes`: in-memory Arrow bytes
  std::optional<int64_t> file_bytes;  ///< `fileBytes`
  std::optional<int64_t> records;     ///< `records`
  MapExtras extras;
  bool operator==(const PyArrowWriteResult&) const = default;
};

/// The high watermark of one source partition when a compaction read several sources:
/// an entry `canonical_string -> [PartitionLocator, stream_position]`.
struct SourceHighWatermark {
  std::string canonical_string;
  PartitionLocator partition_locator;
  int64_t stream_position = 0;
  bool operator==(const SourceHighWatermark&) const = default;
};

/// `highWatermark`: a stream position, or per-source positions.
using HighWatermark = std::variant<std::monostate, int64_t, std::vector<SourceHighWatermark>>;

/// One entry of `hbIndexToEntryRange`: `"<hash bucket>" -> [start, end]` (start inclusive,
/// end exclusive) over the compacted delta's manifest entries.
struct HashBucketEntryRange {
  int64_t hash_bucket = 0;
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const HashBucketEntryRange&) const = default;
};

/// What the previous compaction round produced; the compactor's input for the next round.
struct RoundCompletionInfo {
  HighWatermark high_watermark;                         ///< `highWatermark`
  std::optional<DeltaLocator> compacted_delta_locator;  ///< `compactedDeltaLocator`
  std::optional<PyArrowWriteResult>
      compacted_pyarrow_write_result;          ///< `compactedPyarrowWriteResult`
  std::optional<int64_t> sort_keys_bit_width;  ///< `sortKeysBitWidth`
  std::optional<PartitionLocator>
      rebase_source_partition_locator;  ///< `rebaseSourcePartitionLocator`
  std::optional<double> manifest_entry_copied_by_reference_ratio;  ///< percent, 0..100
  std::optional<std::string> compaction_audit_url;                 ///< `compactionAuditUrl`
  std::optional<int64_t> hash_bucket_count;                        ///< `hashBucketCount`
  std::optional<std::vector<HashBucketEntryRange>>
      hb_index_to_entry_range;                                    ///< `hbIndexToEntryRange`
  std::optional<OpenEnum<CompactorVersion>> compactor_version;    ///< `compactorVersion`
  std::optional<double> input_inflation;                          ///< `inputInflation`
  std::optional<double> input_average_record_size_bytes;          ///< `inputAverageRecordSizeBytes`
  std::optional<PartitionLocator> prev_source_partition_locator;  ///< `prevSourcePartitionLocator`
  MapExtras extras;
  bool operator==(const RoundCompletionInfo&) const = default;

  /// The single-source high watermark, if that is the form stored.
  std::optional<int64_t> SingleHighWatermark() const;
  /// The range of manifest entries of `hash_bucket`, if recorded.
  std::optional<HashBucketEntryRange> EntryRangeOf(int64_t hash_bucket) const;
};

}  // namespace deltacat::storage
