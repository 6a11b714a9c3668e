#include "deltacat/storage/transaction_clock.h"

#include <algorithm>

#include "deltacat/storage/python_time_partition.h"

namespace deltacat::storage {

TransactionClock::TransactionClock(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}

std::shared_ptr<TransactionClock> TransactionClock::Default() {
  static const std::shared_ptr<TransactionClock> instance =
      std::make_shared<TransactionClock>(SystemClock());
  return instance;
}

int64_t TransactionClock::StartTime() {
  const int64_t now = clock_->NowNanos();
  std::lock_guard<std::mutex> lock(mutex_);
  const int64_t start =
      AvoidMinuteBoundaryGuard(std::max({now, max_end_time_ + 1, max_start_time_ + 1}));
  max_start_time_ = std::max(max_start_time_, start);
  return start;
}

int64_t TransactionClock::EndTime(int64_t start_time) {
  const int64_t now = clock_->NowNanos();
  std::lock_guard<std::mutex> lock(mutex_);
  const int64_t end = std::max({now, max_start_time_, start_time});
  max_end_time_ = std::max(max_end_time_, end);
  return end;
}

int64_t TransactionClock::Now() { return clock_->NowNanos(); }

}  // namespace deltacat::storage
