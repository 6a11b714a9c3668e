#include "deltacat/storage/model/round_completion_info.h"

namespace deltacat::storage {

std::optional<int64_t> RoundCompletionInfo::SingleHighWatermark() const {
  if (const auto* position = std::get_if<int64_t>(&high_watermark)) return *position;
  return std::nullopt;
}

std::optional<HashBucketEntryRange> RoundCompletionInfo::EntryRangeOf(int64_t hash_bucket) const {
  if (!hb_index_to_entry_range) return std::nullopt;
  for (const HashBucketEntryRange& range : *hb_index_to_entry_range) {
    if (range.hash_bucket == hash_bucket) return range;
  }
  return std::nullopt;
}

}  // namespace deltacat::storage
