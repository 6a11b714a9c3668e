#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/model/manifest.h"
#include "deltacat/storage/model/partition.h"
#include "deltacat/storage/model/round_completion_info.h"
#include "deltacat/storage/snapshot_reader.h"

/// Round completion info (RCI): how a compaction round finds the previous one and what it
/// records for the next, exactly as Python DeltaCAT's compactor v2 reads and writes it
/// (`compactor/utils/round_completion_reader.py`, `compactor_v2/private/compaction_utils.py`),
/// so that either implementation continues the other's rounds.
namespace deltacat::compute {

/// The previous round a compaction continues from.
struct PreviousRound {
  storage::RoundCompletionInfo rci;
  /// The manifest of the compacted delta the RCI points to.
  storage::Manifest manifest;
};

/// Python's `read_round_completion_info` for an in-place compaction of `source` (destination =
/// source): the RCI of the partition currently committed for the source's partition values, or
/// else of that partition's `previousPartitionId`; valid only when its
/// `prevSourcePartitionLocator` names `source` (same canonical string), otherwise (and when
/// nothing is committed yet) there is no previous round and the compaction is a backfill. Also
/// loads the compacted delta's manifest. A previous round whose compacted delta is gone or has
/// no bucket ranges is ignored (a backfill over every delta of the source is still correct).
Result<std::optional<PreviousRound>> ReadPreviousRound(storage::SnapshotReader& reader,
                                                       const storage::MetafileRecord& stream,
                                                       const storage::Partition& source);

/// What a compaction round produced, for BuildRoundCompletionInfo.
struct RoundOutcome {
  storage::DeltaLocator compacted_delta_locator;  ///< the new delta (real names)
  storage::PartitionLocator partition_locator;    ///< the new partition (real names)
  storage::PyArrowWriteResult write_result;       ///< totals, referenced files included
  int64_t sort_keys_bit_width = 0;
  std::optional<double> copied_by_reference_ratio;  ///< percent
  std::string audit_url;                            ///< absolute, as Python stores it
  int32_t hash_bucket_count = 1;
  std::vector<storage::HashBucketEntryRange> entry_ranges;
  std::optional<double> input_inflation;
  std::optional<double> input_average_record_size_bytes;
};

/// The RCI of an in-place round: high watermark = the compacted delta's stream position, and
/// the new partition as `prevSourcePartitionLocator`.
storage::RoundCompletionInfo BuildRoundCompletionInfo(const RoundOutcome& outcome);

/// Python's manifestEntryCopiedByReferenceRatio: round(referenced / files, 4) * 100, or
/// nullopt when no file was produced.
std::optional<double> CopiedByReferenceRatio(int64_t referenced_files, int64_t files);

}  // namespace deltacat::compute
