#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "deltacat/util/clock.h"

namespace deltacat::storage {

/// Hands out transaction start and end times from a Clock with the guarantees of Python's
/// TransactionSystemTimeProvider, per TransactionClock instance: every start time is greater
/// than every end time handed out before it, and every end time is at least every start time
/// handed out before it; start times are unique. Where Python waits for the clock to catch up, this
/// bumps the time forward by the few nanoseconds needed, so it also works with a frozen
/// ManualClock. Start times never fall in the last 2 µs of a minute (python_time_partition.h), so
/// Python's float-based log partitioning and plain integer arithmetic agree on them. Thread-safe.
class TransactionClock {
 public:
  /// Times come from `clock` (not null).
  explicit TransactionClock(std::shared_ptr<Clock> clock);

  /// The process-wide instance over SystemClock(); share it so that transactions and
  /// snapshot reads in one process are ordered.
  static std::shared_ptr<TransactionClock> Default();

  /// A new transaction start time (also the snapshot time of a "now" read).
  int64_t StartTime();
  /// A new transaction end time, >= `start_time` as well.
  int64_t EndTime(int64_t start_time);
  /// The underlying clock's current time.
  int64_t Now();

 private:
  std::shared_ptr<Clock> clock_;
  std::mutex mutex_;
  int64_t max_end_time_ = 0;
  int64_t max_start_time_ = 0;
};

}  // namespace deltacat::storage
