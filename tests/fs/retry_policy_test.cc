#include "deltacat/fs/retry_policy.h"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

namespace deltacat {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

struct Recorder {
  std::vector<nanoseconds> sleeps;
  RetryPolicy Policy(bool jitter = false) {
    RetryPolicy policy;
    policy.jitter = jitter;
    policy.sleep = [this](nanoseconds d) { sleeps.push_back(d); };
    return policy;
  }
};

TEST(RetryPolicy, SuccessNeedsNoRetry) {
  Recorder recorder;
  int calls = 0;
  EXPECT_TRUE(RunWithRetry(recorder.Policy(), [&] {
                ++calls;
                return Status::OK();
              }).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(recorder.sleeps.empty());
}

TEST(RetryPolicy, NonRetryableErrorsReturnAtOnce) {
  Recorder recorder;
  int calls = 0;
  Status status = RunWithRetry(recorder.Policy(), [&] {
    ++calls;
    return Status(ErrorCode::kFileNotFound, "gone");
  });
  EXPECT_EQ(status.code(), ErrorCode::kFileNotFound);
  EXPECT_EQ(status.message(), "gone");
  EXPECT_EQ(calls, 1);
}

TEST(RetryPolicy, TransientErrorsRetryWithExponentialBackoff) {
  Recorder recorder;
  int calls = 0;
  Status status = RunWithRetry(recorder.Policy(), [&] {
    return ++calls < 4 ? Status(ErrorCode::kTransientIOError, "slow down") : Status::OK();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(recorder.sleeps,
            (std::vector<nanoseconds>{milliseconds(50), milliseconds(200), milliseconds(800)}));
}

TEST(RetryPolicy, GivesUpAfterMaxAttemptsWithTheLastError) {
  Recorder recorder;
  int calls = 0;
  Status status = RunWithRetry(recorder.Policy(), [&] {
    ++calls;
    return Status(ErrorCode::kTimeout, "attempt " + std::to_string(calls));
  });
  EXPECT_EQ(status.code(), ErrorCode::kTimeout);
  EXPECT_EQ(calls, 5);
  EXPECT_NE(status.message().find("attempt 5"), std::string::npos) << status;
  EXPECT_NE(status.message().find("5 attempts"), std::string::npos) << status;
  // 50, 200, 800, then 3200 capped at max_backoff 2000: 3050 ms total, under the 5 s budget.
  EXPECT_EQ(recorder.sleeps, (std::vector<nanoseconds>{milliseconds(50), milliseconds(200),
                                                       milliseconds(800), milliseconds(2000)}));
}

TEST(RetryPolicy, TotalBackoffBudgetStopsEarly) {
  Recorder recorder;
  RetryPolicy policy = recorder.Policy();
  policy.max_attempts = 100;
  policy.max_total_backoff = milliseconds(1000);
  int calls = 0;
  Status status = RunWithRetry(policy, [&] {
    ++calls;
    return Status(ErrorCode::kTransientIOError, "throttled");
  });
  EXPECT_EQ(status.code(), ErrorCode::kTransientIOError);
  EXPECT_NE(status.message().find("budget"), std::string::npos) << status;
  EXPECT_EQ(recorder.sleeps, (std::vector<nanoseconds>{milliseconds(50), milliseconds(200)}));
  EXPECT_EQ(calls, 3);
}

TEST(RetryPolicy, JitterStaysWithinHalfToFullBackoff) {
  Recorder recorder;
  RetryPolicy policy = recorder.Policy(/*jitter=*/true);
  policy.max_total_backoff = milliseconds(100000);
  policy.max_attempts = 4;
  (void)RunWithRetry(policy, [] { return Status(ErrorCode::kTransientIOError, "x"); });
  ASSERT_EQ(recorder.sleeps.size(), 3u);
  const nanoseconds full[] = {milliseconds(50), milliseconds(200), milliseconds(800)};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_GE(recorder.sleeps[i], full[i] / 2);
    EXPECT_LE(recorder.sleeps[i], full[i]);
  }
}

TEST(RetryPolicy, NoRetryPolicyTriesOnce) {
  int calls = 0;
  Status status = RunWithRetry(RetryPolicy::NoRetry(), [&] {
    ++calls;
    return Status(ErrorCode::kTransientIOError, "x");
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(status.message(), "x");
}

}  // namespace
}  // namespace deltacat
