// Several processes commit concurrently to the same and to different objects of one catalog:
// every commit lands or fails with ConcurrentModification, no committed update is lost, and
// writes to different objects (including deltas added to one partition) never conflict.

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/commit_lookup.h"
#include "deltacat/storage/revision_file_name.h"
#include "metafile_builders.h"
#include "storage_test_fixture.h"

namespace deltacat::storage::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kProcesses = 4;
constexpr int kRounds = 12;

class ConcurrencyTest : public StorageTest {
 protected:
  // Runs in a child process: alternately updates the shared namespace and, in one
  // transaction, its own namespace plus a new delta in the shared partition. Appends one line
  // per attempt to `log`: "<txn_id> <shared|own> <ok|conflict>". Returns the exit code.
  int Child(int child, const std::string& log) {
    std::ofstream out(log);
    TransactionOptions options;  // the real clock, as separate processes have
    for (int round = 0; round < kRounds; ++round) {
      auto txn = Transaction::Begin(catalog_, options);
      if (!txn.ok()) return 3;
      const bool shared = round % 2 == 0;
      Status status = [&]() -> Status {
        const std::string name = shared ? "shared" : "own-" + std::to_string(child);
        DC_ASSIGN_OR_RAISE(auto ns, txn->reader().GetNamespace(name));
        MsgValue next = With(ns.doc, "properties",
                             MsgValue::Map({{"child", MsgValue::Int(child)},
                                            {"round", MsgValue::Int(round)},
                                            {"txn", Str(txn->id())}}));
        DC_RETURN_NOT_OK(txn->Update(ns.doc, next));
        if (!shared) {
          DC_RETURN_NOT_OK(
              txn->Create(DeltaDoc("data", "t", "1", "s1", "p1", 1000 * child + round, "add")));
        }
        return txn->Commit().status();
      }();
      const char* outcome = status.ok() ? "ok" : "conflict";
      if (!status.ok() && status.code() != ErrorCode::kConcurrentModification) {
        out << txn->id() << " error " << status.ToString() << "\n";
        return 2;
      }
      if (!shared && !status.ok()) return 4;  // own objects must never conflict
      out << txn->id() << " " << (shared ? "shared" : "own") << " " << outcome << "\n";
    }
    return 0;
  }
};

TEST_F(ConcurrencyTest, ForkedWritersNeverLoseACommit) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    ASSERT_OK(txn.Create(NamespaceDoc("shared")).status());
    for (int child = 0; child < kProcesses; ++child) {
      ASSERT_OK(txn.Create(NamespaceDoc("own-" + std::to_string(child))).status());
    }
    ASSERT_OK(txn.Create(NamespaceDoc("data")).status());
    ASSERT_OK(txn.Create(TableDoc("data", "t")).status());
    ASSERT_OK(txn.Create(TableVersionDoc("data", "t", "1")).status());
    ASSERT_OK(txn.Create(StreamDoc("data", "t", "1", "s1")).status());
    ASSERT_OK(txn.Create(PartitionDoc("data", "t", "1", "s1", "p1")).status());
    ASSERT_OK(txn.Commit().status());
  }
  // Later transactions use the real clock: make sure it is past the setup's (fake) times.
  ASSERT_LT(kBaseTime, SystemClock()->NowNanos());

  std::vector<pid_t> children;
  for (int child = 0; child < kProcesses; ++child) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) _exit(Child(child, dir_.Child("log-" + std::to_string(child))));
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "child " << pid;
  }

  // What the children say happened.
  std::set<std::string> shared_ok;
  std::set<std::string> conflicted;
  size_t own_ok = 0;
  for (int child = 0; child < kProcesses; ++child) {
    std::ifstream in(dir_.Child("log-" + std::to_string(child)));
    std::string txn, object, outcome;
    while (in >> txn >> object >> outcome) {
      if (outcome == "ok") {
        (object == "shared" ? (void)shared_ok.insert(txn) : (void)++own_ok);
      } else {
        conflicted.insert(txn);
      }
    }
  }
  EXPECT_EQ(own_ok, static_cast<size_t>(kProcesses * kRounds / 2));
  EXPECT_EQ(shared_ok.size() + conflicted.size(), static_cast<size_t>(kProcesses * kRounds / 2));
  EXPECT_FALSE(shared_ok.empty());
  std::cerr << "shared commits: " << shared_ok.size() << ", conflicts: " << conflicted.size()
            << "\n";

  // What the shared namespace's revision directory says: committed revisions are 1..N with
  // exactly one committed file each, written by the setup and the reported winners.
  auto reader = SnapshotReader::AtNow(catalog_, *TransactionClock::Default());
  ASSERT_OK_AND_ASSIGN(auto shared, reader.GetNamespace("shared"));
  const fs::path rev_dir = fs::path(Root()) / shared.id / "rev";
  CommitLookup commits(catalog_.fs, Root());
  std::map<uint64_t, std::vector<std::string>> committed_by_revision;
  for (const auto& entry : fs::recursive_directory_iterator(rev_dir)) {
    if (!entry.is_regular_file()) continue;
    ASSERT_OK_AND_ASSIGN(auto name, ParseRevisionFileName(entry.path().filename().string()));
    EXPECT_EQ(conflicted.count(name.txn_id), 0u) << "a loser left " << entry.path();
    ASSERT_OK_AND_ASSIGN(auto end, commits.EndTimeNow(name.txn_id));
    if (end) committed_by_revision[name.revision].push_back(name.txn_id);
  }
  ASSERT_EQ(committed_by_revision.size(), shared_ok.size() + 1);
  std::set<std::string> committed_updates;
  uint64_t expected_revision = 1;
  for (const auto& [revision, txns] : committed_by_revision) {
    EXPECT_EQ(revision, expected_revision++);
    EXPECT_EQ(txns.size(), 1u) << "two commits share revision " << revision;
    if (revision > 1) committed_updates.insert(txns.begin(), txns.end());
  }
  EXPECT_EQ(committed_updates, shared_ok);
  // The visible state is the last winner's.
  const std::string last = committed_by_revision.rbegin()->second.front();
  const MsgValue* properties = shared.doc.Find("properties");
  ASSERT_TRUE(properties != nullptr && properties->Find("txn") != nullptr);
  EXPECT_EQ(*properties->Find("txn")->AsString(), last);

  // Every delta added concurrently to the one partition is there.
  ASSERT_OK_AND_ASSIGN(auto tv, reader.GetTableVersion("data", "t", "1"));
  ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(tv));
  ASSERT_OK_AND_ASSIGN(auto partition, reader.FindPartition(stream, MsgValue()));
  ASSERT_TRUE(partition.has_value());
  ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(*partition));
  EXPECT_EQ(deltas.size(), own_ok);
}

}  // namespace
}  // namespace deltacat::storage::testing
