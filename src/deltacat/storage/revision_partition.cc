#include "deltacat/storage/revision_partition.h"

#include <limits>

namespace deltacat::storage {

namespace {

constexpr uint64_t kLevel1Divisor = 1'000'000;
constexpr uint64_t kLevel2Divisor = 1'000;

// Decimal ASCII digits that fit uint64; nullopt otherwise (Python's int() has no bound, but
// its parser rejects values above 2^64-1 anyway).
std::optional<uint64_t> ParseDigits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

std::string RevisionPartition::ToPath() const {
  return std::to_string(level1) + "/" + std::to_string(level2);
}

Result<RevisionPartition> RevisionPartitionOf(uint64_t revision) {
  if (revision == 0 || revision > kMaxRevision) {
    return MakeError(ErrorCode::kInvalidArgument, "revision number ", revision,
                     " is out of range [1, 10^19]");
  }
  const uint64_t m1 = (revision + kLevel1Divisor - 1) / kLevel1Divisor;
  const uint64_t remaining = revision - (m1 - 1) * kLevel1Divisor;
  const uint64_t m2 = (remaining + kLevel2Divisor - 1) / kLevel2Divisor;
  return RevisionPartition{m1 * kLevel1Divisor, m2 * kLevel2Divisor};
}

std::optional<uint64_t> ParseRevisionLevel1Dir(std::string_view name) {
  auto value = ParseDigits(name);
  if (!value || *value == 0 || *value % kLevel2Divisor != 0) return std::nullopt;
  return value;
}

std::optional<uint64_t> ParseRevisionLeafDir(std::string_view level1, std::string_view level2) {
  auto l1 = ParseDigits(level1);
  auto l2 = ParseDigits(level2);
  if (!l1 || !l2 || *l1 == 0 || *l2 == 0) return std::nullopt;
  if (*l1 % kLevel1Divisor != 0 || *l2 % kLevel2Divisor != 0) return std::nullopt;
  const uint64_t base = *l1 - kLevel1Divisor;
  if (base > std::numeric_limits<uint64_t>::max() - *l2) return std::nullopt;
  return base + *l2;
}

}  // namespace deltacat::storage
