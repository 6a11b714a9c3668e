#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "deltacat/result.h"

// The 2-level, base-1000 "exponential" partitioning of revision numbers into directories
// (storage-format.md §2.3): revision r lives under `<L1>/<L2>/` with
//   L1 = ceil(r / 10^6) * 10^6,   L2 = ceil((r - (L1/10^6 - 1) * 10^6) / 10^3) * 10^3.
// Used for metafile `rev/` directories and for name-mapping directories alike.

namespace deltacat::storage {

/// Highest revision number Python ever asks for (its MAX_REVISION_NUMBER, 10^19).
inline constexpr uint64_t kMaxRevision = 10'000'000'000'000'000'000ULL;

/// The two directory levels a revision lives in, as numbers.
struct RevisionPartition {
  uint64_t level1 = 0;  ///< multiple of 10^6, >= 10^6
  uint64_t level2 = 0;  ///< multiple of 10^3, in [10^3, 10^6]

  /// "<level1>/<level2>" (plain decimal, no padding).
  std::string ToPath() const;
  /// The largest revision the leaf can hold, which is also its ordering value:
  /// (level1 - 10^6) + level2.
  uint64_t OrderingValue() const { return level1 - 1'000'000 + level2; }
  bool operator==(const RevisionPartition&) const = default;
};

/// The partition of `revision`; kInvalidArgument for 0 or revisions above kMaxRevision.
Result<RevisionPartition> RevisionPartitionOf(uint64_t revision);

/// Parses a level-1 directory name the way Python's traversal does (a partial, 1-level
/// parse): all ASCII digits, > 0, a multiple of 10^3, fits uint64. Returns its ordering value
/// (the number itself), or nullopt for names Python skips.
std::optional<uint64_t> ParseRevisionLevel1Dir(std::string_view name);

/// Parses a leaf `<level1>/<level2>` pair the way Python does (the full 2-level parse): both
/// all digits and > 0, level1 a multiple of 10^6, level2 a multiple of 10^3. Returns the
/// leaf's ordering value, or nullopt for pairs Python skips.
std::optional<uint64_t> ParseRevisionLeafDir(std::string_view level1, std::string_view level2);

}  // namespace deltacat::storage
