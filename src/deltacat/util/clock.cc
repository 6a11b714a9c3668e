#include "deltacat/util/clock.h"

#include <chrono>

namespace deltacat {
namespace {

class RealClock final : public Clock {
 public:
  int64_t NowNanos() override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

Clock::~Clock() = default;

std::shared_ptr<Clock> SystemClock() {
  static const std::shared_ptr<Clock> clock = std::make_shared<RealClock>();
  return clock;
}

int64_t ManualClock::NowNanos() {
  std::lock_guard<std::mutex> lock(mutex_);
  return now_;
}

void ManualClock::Set(int64_t nanos) {
  std::lock_guard<std::mutex> lock(mutex_);
  now_ = nanos;
}

void ManualClock::Advance(int64_t delta_nanos) {
  std::lock_guard<std::mutex> lock(mutex_);
  now_ += delta_nanos;
}

}  // namespace deltacat
