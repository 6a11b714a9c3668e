#include "deltacat/compute/round_completion.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "deltacat/storage/codec/locator_codec.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/model/locator_name.h"

namespace deltacat::compute {
namespace {

using storage::MetafileKind;
using storage::MetafileRecord;
using storage::MsgValue;

MsgValue PartitionValuesOf(const storage::PartitionLocator& locator) {
  if (!locator.partition_values || locator.partition_values->empty()) return MsgValue();
  return MsgValue::Array(*locator.partition_values);
}

Result<std::optional<storage::Partition>> PartitionById(storage::SnapshotReader& reader,
                                                        const MetafileRecord& stream,
                                                        const std::string& partition_id) {
  auto path = stream.PathIds();
  path.push_back(partition_id);
  DC_ASSIGN_OR_RAISE(auto record, reader.ReadObject(MetafileKind::kPartition, path));
  if (!record) return std::optional<storage::Partition>();
  DC_ASSIGN_OR_RAISE(storage::Partition partition, storage::DecodePartition(record->doc));
  return std::optional<storage::Partition>(std::move(partition));
}

/// Python's read_round_completion_info, which swallows every error into "no RCI".
Result<std::optional<storage::RoundCompletionInfo>> ReadRci(storage::SnapshotReader& reader,
                                                            const MetafileRecord& stream,
                                                            const storage::Partition& source) {
  using Out = std::optional<storage::RoundCompletionInfo>;
  DC_ASSIGN_OR_RAISE(
      auto current_record,
      reader.FindPartition(stream, PartitionValuesOf(source.locator), source.partition_scheme_id));
  if (!current_record) return Out();
  DC_ASSIGN_OR_RAISE(storage::Partition current, storage::DecodePartition(current_record->doc));
  std::optional<storage::Partition> holder;
  if (current.compaction_round_completion_info) {
    holder = std::move(current);
  } else if (current.previous_partition_id) {
    DC_ASSIGN_OR_RAISE(holder, PartitionById(reader, stream, *current.previous_partition_id));
    if (!holder) return Out();
  } else {
    holder = std::move(current);
  }
  if (!holder->compaction_round_completion_info) return Out();
  storage::RoundCompletionInfo rci = std::move(*holder->compaction_round_completion_info);
  if (!rci.prev_source_partition_locator) return Out();
  DC_ASSIGN_OR_RAISE(std::string recorded,
                     storage::CanonicalString(*rci.prev_source_partition_locator));
  DC_ASSIGN_OR_RAISE(std::string wanted, storage::CanonicalString(source.locator));
  if (recorded != wanted) return Out();  // written for another source: backfill
  return Out(std::move(rci));
}

}  // namespace

Result<std::optional<PreviousRound>> ReadPreviousRound(storage::SnapshotReader& reader,
                                                       const MetafileRecord& stream,
                                                       const storage::Partition& source) {
  using Out = std::optional<PreviousRound>;
  auto rci = ReadRci(reader, stream, source);
  // Like Python, a previous round that cannot be read means a backfill; corrupt metadata is
  // still an error, since silently recompacting would hide it.
  if (!rci.ok()) {
    if (rci.status().code() == ErrorCode::kCorruptMetadata) return rci.status();
    return Out();
  }
  if (!rci->has_value()) return Out();
  storage::RoundCompletionInfo& info = **rci;
  if (!info.compacted_delta_locator || !info.hb_index_to_entry_range ||
      !info.compacted_delta_locator->partition_locator ||
      !info.compacted_delta_locator->partition_locator->partition_id ||
      !info.compacted_delta_locator->stream_position || !info.SingleHighWatermark()) {
    return Out();
  }
  auto path = stream.PathIds();
  path.push_back(*info.compacted_delta_locator->partition_locator->partition_id);
  path.push_back(std::to_string(*info.compacted_delta_locator->stream_position));
  DC_ASSIGN_OR_RAISE(auto delta_record, reader.ReadObject(MetafileKind::kDelta, path));
  if (!delta_record) return Out();
  DC_ASSIGN_OR_RAISE(storage::Delta delta, storage::DecodeDelta(delta_record->doc));
  if (!delta.manifest) return Out();
  const int64_t entries =
      delta.manifest->entries ? static_cast<int64_t>(delta.manifest->entries->size()) : 0;
  for (const auto& range : *info.hb_index_to_entry_range) {
    if (range.start < 0 || range.end < range.start || range.end > entries) {
      return MakeError(ErrorCode::kCorruptMetadata, "round completion info of partition ",
                       *info.compacted_delta_locator->partition_locator->partition_id,
                       " maps hash bucket ", range.hash_bucket, " to entries [", range.start, ", ",
                       range.end, ") of a manifest with ", entries, " entries");
    }
  }
  PreviousRound round;
  round.rci = std::move(info);
  round.manifest = std::move(*delta.manifest);
  return Out(std::move(round));
}

storage::RoundCompletionInfo BuildRoundCompletionInfo(const RoundOutcome& outcome) {
  storage::RoundCompletionInfo rci;
  rci.high_watermark = *outcome.compacted_delta_locator.stream_position;
  rci.compacted_delta_locator = outcome.compacted_delta_locator;
  rci.compacted_pyarrow_write_result = outcome.write_result;
  rci.sort_keys_bit_width = outcome.sort_keys_bit_width;
  rci.manifest_entry_copied_by_reference_ratio = outcome.copied_by_reference_ratio;
  rci.compaction_audit_url = outcome.audit_url;
  rci.hash_bucket_count = outcome.hash_bucket_count;
  rci.hb_index_to_entry_range = outcome.entry_ranges;
  rci.compactor_version = storage::CompactorVersion::kV2;
  rci.input_inflation = outcome.input_inflation;
  rci.input_average_record_size_bytes = outcome.input_average_record_size_bytes;
  rci.prev_source_partition_locator = outcome.partition_locator;
  return rci;
}

std::optional<double> CopiedByReferenceRatio(int64_t referenced_files, int64_t files) {
  if (files == 0) return std::nullopt;
  // Python's round(x, 4) rounds the exact binary value half-to-even, as printf does.
  char text[64];
  std::snprintf(text, sizeof(text), "%.4f",
                static_cast<double>(referenced_files) / static_cast<double>(files));
  return std::strtod(text, nullptr) * 100;
}

}  // namespace deltacat::compute
