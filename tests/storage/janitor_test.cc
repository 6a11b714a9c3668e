#include "deltacat/storage/janitor.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "metafile_builders.h"
#include "storage_test_fixture.h"

namespace deltacat::storage::testing {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kHour = 3600LL * 1'000'000'000LL;

class JanitorTest : public StorageTest {
 protected:
  /// A transaction that writes `name` and then "dies": the process loses the filesystem, so
  /// neither its cleanup nor its success log happen. Returns its ID.
  std::string LeaveCrashedWriter(const std::string& name) {
    auto faulty = std::make_shared<FaultInjectionFileSystem>(catalog_.fs);
    FileSystemLocation location = catalog_;
    location.fs = faulty;
    auto txn = Transaction::Begin(location, Options());
    EXPECT_TRUE(txn.ok());
    EXPECT_TRUE(txn->Create(NamespaceDoc(name)).ok());
    std::string id = txn->id();
    faulty->CrashNow();
    return id;  // the destructor's abort fails against the crashed filesystem
  }

  JanitorOptions At(int64_t now) {
    JanitorOptions options;
    options.now_ns = now;
    return options;
  }

  size_t CountFiles(const std::string& needle) {
    size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(Root())) {
      if (entry.is_regular_file() && entry.path().string().find(needle) != std::string::npos) {
        ++count;
      }
    }
    return count;
  }
};

TEST_F(JanitorTest, RemovesADeadRunningTransactionButNotALiveOne) {
  ASSERT_OK_AND_ASSIGN(auto committed, Begin());
  ASSERT_OK(committed.Create(NamespaceDoc("kept")).status());
  ASSERT_OK(committed.Commit().status());
  const std::string committed_id = committed.id();
  const std::string dead = LeaveCrashedWriter("dead");
  EXPECT_EQ(CountFiles(dead), 3u);  // mapping, revision, running log

  // Young: left alone.
  ASSERT_OK_AND_ASSIGN(auto early, RunJanitor(catalog_, At(kBaseTime + kHour / 2)));
  EXPECT_TRUE(early.dead_transactions.empty());
  EXPECT_EQ(CountFiles(dead), 3u);

  // Dry run reports without removing.
  JanitorOptions dry = At(kBaseTime + 2 * kHour);
  dry.dry_run = true;
  ASSERT_OK_AND_ASSIGN(auto preview, RunJanitor(catalog_, dry));
  EXPECT_EQ(preview.dead_transactions, std::vector<std::string>{dead});
  EXPECT_EQ(preview.deleted_files.size(), 2u);
  EXPECT_EQ(CountFiles(dead), 3u);

  ASSERT_OK_AND_ASSIGN(auto report, RunJanitor(catalog_, At(kBaseTime + 2 * kHour)));
  EXPECT_EQ(report.dead_transactions, std::vector<std::string>{dead});
  EXPECT_EQ(report.deleted_files.size(), 2u);
  EXPECT_EQ(report.deleted_logs.size(), 1u);
  ASSERT_EQ(report.written_failed_logs.size(), 1u);
  EXPECT_EQ(CountFiles(dead), 1u);  // only the failed log remains
  EXPECT_TRUE(fs::exists(*FailedTxnLogPath(Root(), dead)));
  // Committed files are untouched.
  EXPECT_EQ(CountFiles(committed_id), 3u);  // mapping, revision, success log
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto kept, reader.FindNamespace("kept"));
  EXPECT_TRUE(kept.has_value());

  // Idempotent.
  ASSERT_OK_AND_ASSIGN(auto again, RunJanitor(catalog_, At(kBaseTime + 3 * kHour)));
  EXPECT_TRUE(again.dead_transactions.empty());
  EXPECT_TRUE(again.deleted_files.empty());
}

TEST_F(JanitorTest, CleansFailedTransactionsWithLeftoversAndOrphanFiles) {
  // A failed log whose cleanup did not finish (Python's FAILED state: failed + running).
  const std::string failed = LeaveCrashedWriter("failed");
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, *FailedTxnLogPath(Root(), failed), "not msgpack"));
  // Files of a transaction with no log at all.
  const std::string orphan = LeaveCrashedWriter("orphan");
  ASSERT_OK(DeleteFileIfExists(*catalog_.fs, RunningTxnLogPath(Root(), orphan)));
  // Data files are never touched, whatever their names.
  const std::string data_file = Root() + "/data/p/" + fs::path(failed).filename().string();
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, data_file + ".pq", "data"));

  ASSERT_OK_AND_ASSIGN(auto report, RunJanitor(catalog_, At(kBaseTime + 2 * kHour)));
  std::sort(report.dead_transactions.begin(), report.dead_transactions.end());
  std::vector<std::string> expected = {failed, orphan};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(report.dead_transactions, expected);
  EXPECT_EQ(report.deleted_files.size(), 4u);
  EXPECT_EQ(report.written_failed_logs.size(), 1u);  // the orphan's
  EXPECT_EQ(CountFiles(orphan), 1u);
  EXPECT_EQ(CountFiles(failed), 2u);  // failed log + the data file
  EXPECT_TRUE(fs::exists(data_file + ".pq"));
}

TEST_F(JanitorTest, RemovesBookkeepingLeftOverByACommittedTransaction) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK(txn.Create(NamespaceDoc("done")).status());
  const std::string id = txn.id();
  ASSERT_OK(txn.Commit().status());
  // As if the process died between writing the success log and deleting the running log.
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, RunningTxnLogPath(Root(), id), "x"));
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, SealingMarkerPath(Root(), id), "1"));
  ASSERT_OK_AND_ASSIGN(auto report, RunJanitor(catalog_, At(kBaseTime)));
  EXPECT_TRUE(report.dead_transactions.empty());
  EXPECT_EQ(report.deleted_logs.size(), 2u);
  EXPECT_TRUE(report.deleted_files.empty());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto done, reader.FindNamespace("done"));
  EXPECT_TRUE(done.has_value());
}

TEST_F(JanitorTest, ACommitRacingTheJanitorFailsCleanly) {
  ASSERT_OK_AND_ASSIGN(auto slow, Begin());
  ASSERT_OK(slow.Create(NamespaceDoc("slow")).status());
  // The janitor declares the (old) transaction dead while it is still working.
  ASSERT_OK_AND_ASSIGN(auto report, RunJanitor(catalog_, At(kBaseTime + 2 * kHour)));
  EXPECT_EQ(report.dead_transactions, std::vector<std::string>{slow.id()});
  auto committed = slow.Commit();
  EXPECT_EQ(committed.status().code(), ErrorCode::kConcurrentModification) << committed.status();
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.FindNamespace("slow"));
  EXPECT_FALSE(ns.has_value());
}

TEST_F(JanitorTest, LeavesPausedTransactionsAlone) {
  const std::string paused = LeaveCrashedWriter("paused");
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, PausedTxnLogPath(Root(), paused), "x"));
  ASSERT_OK(DeleteFileIfExists(*catalog_.fs, RunningTxnLogPath(Root(), paused)));
  ASSERT_OK_AND_ASSIGN(auto report, RunJanitor(catalog_, At(kBaseTime + 100 * kHour)));
  EXPECT_TRUE(report.dead_transactions.empty());
  EXPECT_EQ(CountFiles(paused), 3u);
}

}  // namespace
}  // namespace deltacat::storage::testing
