#include "deltacat/storage/transaction_history.h"

#include <gtest/gtest.h>

#include "metafile_builders.h"
#include "storage_test_fixture.h"

namespace deltacat::storage::testing {
namespace {

class TransactionHistoryTest : public StorageTest {};

TEST_F(TransactionHistoryTest, ListsCommittedTransactionsNewestFirstAcrossMinuteBuckets) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    TransactionOptions options = Options();
    options.commit_message = "commit " + std::to_string(i);
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(catalog_, options));
    ASSERT_OK(txn.Create(NamespaceDoc("ns" + std::to_string(i))).status());
    ids.push_back(txn.id());
    ASSERT_OK(txn.Commit().status());
    manual_clock_->Advance(45'000'000'000LL);  // spread over several minute buckets
  }
  TransactionHistoryQuery query;
  ASSERT_OK_AND_ASSIGN(auto all, ListTransactions(catalog_, query));
  ASSERT_EQ(all.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(all[i].txn_id, ids[3 - i]);
    EXPECT_EQ(all[i].status, TxnLogStatus::kSuccess);
    ASSERT_TRUE(all[i].record.has_value());
    EXPECT_EQ(all[i].record->commit_message, "commit " + std::to_string(3 - i));
    ASSERT_TRUE(all[i].end_time.has_value());
    EXPECT_GE(*all[i].end_time, all[i].start_time);
    ASSERT_EQ(all[i].record->operations.size(), 1u);
    EXPECT_EQ(all[i].record->operations[0].type, "create");
  }
  query.limit = 2;
  ASSERT_OK_AND_ASSIGN(auto recent, ListTransactions(catalog_, query));
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].txn_id, ids[3]);
  EXPECT_EQ(recent[1].txn_id, ids[2]);

  query.limit.reset();
  query.min_start_time = all[2].start_time;
  query.max_start_time = all[1].start_time;
  query.read_records = false;
  ASSERT_OK_AND_ASSIGN(auto window, ListTransactions(catalog_, query));
  ASSERT_EQ(window.size(), 2u);
  EXPECT_EQ(window[0].txn_id, ids[2]);
  EXPECT_EQ(window[1].txn_id, ids[1]);
  EXPECT_FALSE(window[0].record.has_value());
}

TEST_F(TransactionHistoryTest, ListsRunningAndFailedTransactions) {
  ASSERT_OK_AND_ASSIGN(auto running, Begin());
  ASSERT_OK(running.Create(NamespaceDoc("open")).status());
  ASSERT_OK_AND_ASSIGN(auto failed, Begin());
  ASSERT_OK(failed.Create(NamespaceDoc("failed")).status());
  ASSERT_OK(failed.Abort());
  TransactionHistoryQuery query;
  query.statuses = {TxnLogStatus::kRunning, TxnLogStatus::kFailed, TxnLogStatus::kSuccess};
  ASSERT_OK_AND_ASSIGN(auto entries, ListTransactions(catalog_, query));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].txn_id, failed.id());
  EXPECT_EQ(entries[0].status, TxnLogStatus::kFailed);
  EXPECT_EQ(entries[1].txn_id, running.id());
  EXPECT_EQ(entries[1].status, TxnLogStatus::kRunning);
  EXPECT_EQ(ListTransactions(catalog_, TransactionHistoryQuery{.limit = 0}).status().code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace deltacat::storage::testing
