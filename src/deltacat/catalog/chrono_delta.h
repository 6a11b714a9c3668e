#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

#include "deltacat/storage/model/delta.h"
#include "deltacat/storage/snapshot_reader.h"

// CHRONO writes as Python DeltaCAT 2.0.0.post4 can read them (docs/format.md, "CHRONO
// deltas"): post4 has no `chrono` delta type, so a CHRONO delta is stored as an `add` delta at
// stream position = epoch milliseconds, marked chrono in its properties.
namespace deltacat {

/// The delta property that marks an `add` delta as written by a CHRONO write.
inline constexpr std::string_view kChronoPropertyKey = "deltacat_cpp.delta_type";
/// Its value.
inline constexpr std::string_view kChronoPropertyValue = "chrono";

/// Positions of CHRONO deltas are epoch milliseconds: above every ordered (APPEND, UPSERT,
/// DELETE) position in practice and below the positions of C++ ADD deltas (> 2^48 - 1).
inline constexpr int64_t kChronoPositionFloor = int64_t{1} << 32;
inline constexpr int64_t kChronoPositionCeiling = int64_t{1} << 48;

/// True for a delta a CHRONO write produced: an `add` delta with the chrono marker, or a
/// `chrono`-typed delta (what earlier C++ versions and newer Python write).
inline bool IsChronoDelta(const storage::Delta& delta) {
  if (!delta.type) return false;
  if (delta.type->is(storage::DeltaType::kChrono)) return true;
  if (!delta.type->is(storage::DeltaType::kAdd)) return false;
  const storage::MsgValue* marker = delta.properties.Find(kChronoPropertyKey);
  return marker != nullptr && marker->AsString() != nullptr &&
         *marker->AsString() == kChronoPropertyValue;
}

/// The position of a new CHRONO delta in `partition`: the current epoch milliseconds, or one
/// more than the newest position already in the CHRONO range when the clock has not passed it
/// (two writes in one millisecond, or a clock that went back), so that CHRONO deltas never
/// share a position and read in write order.
inline Result<int64_t> NextChronoPosition(storage::SnapshotReader& reader,
                                          const storage::MetafileRecord& partition,
                                          int64_t now_millis) {
  DC_ASSIGN_OR_RAISE(auto deltas, reader.ListDeltas(partition));
  int64_t position = now_millis;
  for (const auto& record : deltas) {
    int64_t existing = 0;
    const auto* end = record.id.data() + record.id.size();
    auto [ptr, ec] = std::from_chars(record.id.data(), end, existing);
    if (ec != std::errc() || ptr != end) continue;
    if (existing >= kChronoPositionFloor && existing < kChronoPositionCeiling) {
      position = std::max(position, existing + 1);
    }
  }
  return position;
}

}  // namespace deltacat
