#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "deltacat/status.h"

namespace deltacat {

/// How the file helpers (file_ops.h) retry an operation that failed with a transient error
/// (ErrorCode::kTransientIOError: throttling, timeouts, dropped connections). Other errors are
/// returned at once. Attempt k (k >= 1) that fails transiently is followed by a sleep of
/// min(initial_backoff * multiplier^(k-1), max_backoff), scaled by a random factor in
/// [0.5, 1] when `jitter` is set; retrying stops after `max_attempts` attempts or when the
/// next sleep would push the total sleep past `max_total_backoff`. The last error is returned
/// with the number of attempts in its message.
struct RetryPolicy {
  /// Total attempts including the first; 1 disables retries.
  int max_attempts = 5;
  /// Sleep after the first failed attempt.
  std::chrono::milliseconds initial_backoff{50};
  /// Growth of the sleep per attempt.
  double multiplier = 4.0;
  /// Upper bound of a single sleep.
  std::chrono::milliseconds max_backoff{2000};
  /// Upper bound of the summed sleeps of one operation.
  std::chrono::milliseconds max_total_backoff{5000};
  /// Randomize each sleep (so many writers do not retry in lockstep).
  bool jitter = true;
  /// Performs a sleep; null means std::this_thread::sleep_for. Tests install a recorder.
  std::function<void(std::chrono::nanoseconds)> sleep;

  /// A policy that never retries.
  static RetryPolicy NoRetry() {
    RetryPolicy policy;
    policy.max_attempts = 1;
    return policy;
  }
};

/// Runs `attempt` (a callable returning Status) under `policy`: retries while it fails with
/// a retryable error (IsRetryable), within the policy's bounds.
Status RunWithRetry(const RetryPolicy& policy, const std::function<Status()>& attempt);

}  // namespace deltacat
