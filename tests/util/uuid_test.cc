#include "deltacat/util/uuid.h"

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace deltacat {
namespace {

TEST(Uuid, NewUuid4HasCanonicalVersion4Shape) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewUuid4();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;                                          // version nibble
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // RFC 4122 variant
    for (char c : id) {
      EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
    }
  }
}

TEST(Uuid, UniqueAcrossThreads) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 2000;
  std::mutex mutex;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> local;
      local.reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) local.push_back(NewUuid4());
      std::lock_guard<std::mutex> lock(mutex);
      seen.insert(local.begin(), local.end());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(Uuid, IsUuidAcceptsCanonicalForms) {
  EXPECT_TRUE(IsUuid("deadbeef-7277-49a4-a195-fdc8ed235d42"));
  EXPECT_TRUE(IsUuid("DEADBEEF-7277-49A4-A195-FDC8ED235D42"));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));
}

TEST(Uuid, IsUuidRejectsOtherText) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("deadbeef72774 9a4a195fdc8ed235d42"));
  EXPECT_FALSE(IsUuid("deadbeef-7277-49a4-a195-fdc8ed235d4"));    // too short
  EXPECT_FALSE(IsUuid("deadbeef-7277-49a4-a195-fdc8ed235d423"));  // too long
  EXPECT_FALSE(IsUuid("deadbeef-7277-49a4-a195_fdc8ed235d42"));   // wrong separator
  EXPECT_FALSE(IsUuid("deadbeeg-7277-49a4-a195-fdc8ed235d42"));   // non-hex
  EXPECT_FALSE(IsUuid("{deadbeef-7277-49a4-a195-fdc8ed235d4}"));
  EXPECT_FALSE(IsUuid("59248c4dae276a021cb296d2ee0e6a0c962a8d7f"));  // a name digest
}

}  // namespace
}  // namespace deltacat
