#pragma once

// A catalog in a fresh temporary directory with a controllable clock, shared by the storage
// tests.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction.h"
#include "deltacat/storage/transaction_clock.h"
#include "deltacat/util/clock.h"
#include "support/temp_dir.h"

namespace deltacat::storage::testing {

/// 2026-11-24T07:01:40Z, in the middle of a minute.
inline constexpr int64_t kBaseTime = 1795503700000000000LL;

#define ASSERT_OK(expr)                                                  \
  do {                                                                   \
    const ::deltacat::Status _st = ::deltacat::internal::ToStatus(expr); \
    ASSERT_TRUE(_st.ok()) << _st.ToString();                             \
  } while (false)

#define ASSERT_OK_AND_ASSIGN(lhs, rexpr)                                                          \
  auto DC_CONCAT(_res_, __LINE__) = (rexpr);                                                      \
  ASSERT_TRUE(DC_CONCAT(_res_, __LINE__).ok()) << DC_CONCAT(_res_, __LINE__).status().ToString(); \
  lhs = std::move(DC_CONCAT(_res_, __LINE__)).ValueOrDie()

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto location = ResolveUri(dir_.path().string());
    ASSERT_TRUE(location.ok()) << location.status().ToString();
    catalog_ = *location;
    manual_clock_ = std::make_shared<ManualClock>(kBaseTime);
    clock_ = std::make_shared<TransactionClock>(manual_clock_);
  }

  TransactionOptions Options() const {
    TransactionOptions options;
    options.clock = clock_;
    return options;
  }

  Result<Transaction> Begin() { return Transaction::Begin(catalog_, Options()); }

  /// A reader at "now" on the test clock.
  SnapshotReader Now() { return SnapshotReader::AtNow(catalog_, *clock_); }

  std::string Root() const { return catalog_.root; }

  ::deltacat::testing::TempDir dir_;
  FileSystemLocation catalog_;
  std::shared_ptr<ManualClock> manual_clock_;
  std::shared_ptr<TransactionClock> clock_;
};

}  // namespace deltacat::storage::testing
