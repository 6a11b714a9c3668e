#include "deltacat/fs/retry_policy.h"

#include <algorithm>
#include <random>
#include <string>
#include <thread>

namespace deltacat {
namespace {

double JitterFactor() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.5, 1.0)(generator);
}

}  // namespace

Status RunWithRetry(const RetryPolicy& policy, const std::function<Status()>& attempt) {
  using Nanos = std::chrono::nanoseconds;
  const int max_attempts = std::max(1, policy.max_attempts);
  Nanos total_slept{0};
  double backoff_nanos = static_cast<double>(Nanos(policy.initial_backoff).count());
  const double max_backoff_nanos = static_cast<double>(Nanos(policy.max_backoff).count());
  for (int attempt_number = 1;; ++attempt_number) {
    Status status = attempt();
    if (status.ok() || !IsRetryable(status.code())) return status;
    if (attempt_number >= max_attempts) {
      if (attempt_number == 1) return status;
      return status.WithContext("gave up after " + std::to_string(attempt_number) + " attempts");
    }
    double sleep_nanos = std::min(backoff_nanos, max_backoff_nanos);
    if (policy.jitter) sleep_nanos *= JitterFactor();
    const Nanos sleep(static_cast<int64_t>(sleep_nanos));
    if (total_slept + sleep > Nanos(policy.max_total_backoff)) {
      return status.WithContext("gave up after " + std::to_string(attempt_number) +
                                " attempts (retry time budget spent)");
    }
    if (policy.sleep) {
      policy.sleep(sleep);
    } else {
      std::this_thread::sleep_for(sleep);
    }
    total_slept += sleep;
    backoff_nanos *= std::max(1.0, policy.multiplier);
  }
}

}  // namespace deltacat
