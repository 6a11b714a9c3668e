#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "deltacat/result.h"

// Python buckets success and failed transaction logs by the UTC minute of the transaction's
// start time, computed through a float: `datetime.fromtimestamp(start_ns / 1e9, tz=utc)`
// (storage-format.md §2.7). The correctly rounded division followed by fromtimestamp's
// microsecond round-half-even makes start times up to ~600 ns before a minute boundary land
// in the next minute. These functions reproduce that exactly.

namespace deltacat::storage {

/// Zero-padded UTC year (4 digits), month, day, hour and minute directory names.
using MinutePartition = std::array<std::string, 5>;

/// What Python's epoch_timestamp_partition_transform returns for `epoch`: precision by digit
/// count (>= 19 digits: ns, >= 13: ms, >= 10: s), float conversion and microsecond
/// round-half-even as CPython does it. kInvalidArgument for negative values and values with
/// fewer than 10 digits (Python raises ValueError for both).
Result<MinutePartition> PythonMinutePartition(int64_t epoch);

/// The minute of `epoch_ns` by exact integer arithmetic (floor), which agrees with Python
/// except in the last ~600 ns before a minute boundary.
MinutePartition NaiveMinutePartition(int64_t epoch_ns);

/// Nanoseconds in a minute.
inline constexpr int64_t kNanosPerMinute = 60'000'000'000LL;

/// The window before a minute boundary in which writers never start a transaction (2 µs),
/// so that Python's float path and integer arithmetic agree for every C++ transaction.
inline constexpr int64_t kMinuteBoundaryGuardNanos = 2'000;

/// True when `epoch_ns` lies within `kMinuteBoundaryGuardNanos` before a minute boundary.
bool InMinuteBoundaryGuard(int64_t epoch_ns);

/// `epoch_ns` moved forward out of the guard window (to the next minute boundary) if needed.
int64_t AvoidMinuteBoundaryGuard(int64_t epoch_ns);

namespace internal {
/// The double nearest to num/den (ties to even), as CPython's int/int true division gives it.
/// `num` >= 0, 0 < `den` < 2^31.
double CorrectlyRoundedQuotient(int64_t num, int64_t den);
/// CPython's _PyTime_Round with _PyTime_ROUND_HALF_EVEN.
double RoundHalfEven(double x);
/// UTC calendar fields of `seconds` since the epoch (proleptic Gregorian).
MinutePartition MinutePartitionOfSeconds(int64_t seconds);
}  // namespace internal

}  // namespace deltacat::storage
