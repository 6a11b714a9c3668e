#include "deltacat/util/clock.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace deltacat {
namespace {

TEST(Clock, SystemClockIsNanosSinceEpoch) {
  auto clock = SystemClock();
  ASSERT_NE(clock, nullptr);
  EXPECT_EQ(clock, SystemClock());
  const int64_t now = clock->NowNanos();
  // After 2020-01-01 and before 2255 (the int64 nanosecond range ends in 2262).
  EXPECT_GT(now, int64_t{1577836800} * 1000000000);
  EXPECT_LT(now, int64_t{9000000000} * 1000000000);
  EXPECT_GE(clock->NowNanos(), now - int64_t{1000000000});
}

TEST(ManualClock, SetAndAdvance) {
  ManualClock clock(1754104277284541000);
  EXPECT_EQ(clock.NowNanos(), 1754104277284541000);
  clock.Advance(1000);
  EXPECT_EQ(clock.NowNanos(), 1754104277284542000);
  clock.Set(5);
  EXPECT_EQ(clock.NowNanos(), 5);
  clock.Advance(-5);
  EXPECT_EQ(clock.NowNanos(), 0);
}

TEST(ManualClock, UsableThroughTheInterface) {
  std::shared_ptr<Clock> clock = std::make_shared<ManualClock>(42);
  EXPECT_EQ(clock->NowNanos(), 42);
}

TEST(ManualClock, ConcurrentAdvancesAreAllApplied) {
  ManualClock clock;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) clock.Advance(1);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(clock.NowNanos(), 40000);
}

}  // namespace
}  // namespace deltacat
