#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/result.h"
#include "deltacat/storage/model/delta.h"
#include "deltacat/storage/model/partition.h"
#include "deltacat/storage/model/round_completion_info.h"
#include "deltacat/storage/model/stream.h"
#include "deltacat/storage/model/table_version.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction.h"

/// Materializing a compaction round in the catalog, with exactly the metafile operations of
/// Python DeltaCAT (docs/format.md §11.3, §14): stage a new partition (`previousPartitionId` =
/// the committed one), create one APPEND delta in it, update the partition's stream position,
/// then commit the partition with the round completion info, which is an UPDATE when nothing
/// was committed for these partition values before, else REPLACE of the staged revision and
/// REPLACE of the old committed partition (its tombstone).
namespace deltacat::compute {

/// The staged partition of a compaction round (not written yet).
storage::Partition NewCompactedPartition(const storage::MetafileRecord& stream_record,
                                         const storage::TableVersion& table_version,
                                         const storage::Partition& source,
                                         const std::optional<std::string>& previous_partition_id,
                                         std::string partition_id);

/// A manifest entry for a file written by a merge task.
storage::ManifestEntry CompactedManifestEntry(const MergedFile& file, int64_t schema_id,
                                              const std::optional<std::string>& sort_scheme_id);

/// The compacted APPEND delta at `stream_position` of `partition` holding `entries`.
Result<storage::Delta> NewCompactedDelta(const storage::Partition& partition,
                                         int64_t stream_position,
                                         std::vector<storage::ManifestEntry> entries);

/// Writes the staged partition, the delta and the partition commit (with `rci`) through
/// `txn`. `previous_committed` is the partition committed for the same values when the round
/// started (nullopt if none); a different one committed since is a kConcurrentModification
/// error. Returns the committed partition as written.
Result<storage::MetafileRecord> CommitCompactedPartition(
    storage::Transaction& txn, const storage::MetafileRecord& stream_record,
    storage::Partition staged, const storage::Delta& delta, storage::RoundCompletionInfo rci,
    const std::optional<storage::MetafileRecord>& previous_committed);

}  // namespace deltacat::compute
