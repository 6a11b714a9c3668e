#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

namespace deltacat {

/// A source of wall-clock time. Services take a Clock so tests can control time.
class Clock {
 public:
  virtual ~Clock();
  /// Nanoseconds since the Unix epoch (UTC).
  virtual int64_t NowNanos() = 0;
};

/// The process-wide real clock (std::chrono::system_clock). Never null; thread-safe.
std::shared_ptr<Clock> SystemClock();

/// A clock that only moves when told to, for tests. Thread-safe.
class ManualClock : public Clock {
 public:
  /// Starts at `start_nanos` nanoseconds since the epoch.
  explicit ManualClock(int64_t start_nanos = 0) : now_(start_nanos) {}
  int64_t NowNanos() override;
  /// Sets the time to `nanos` (may move backwards, to test clock skew).
  void Set(int64_t nanos);
  /// Moves the time by `delta_nanos` (may be negative).
  void Advance(int64_t delta_nanos);

 private:
  std::mutex mutex_;
  int64_t now_;
};

}  // namespace deltacat
