// Crash consistency: a process dying at any filesystem operation of a commit leaves the
// previous state readable (or, past the commit point, the new one, entirely), and a retry
// succeeds.

#include <gtest/gtest.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/storage/metafile_document.h"
#include "metafile_builders.h"
#include "storage_test_fixture.h"
#include "support/sweep_stride.h"

namespace deltacat::storage::testing {
namespace {

class CrashTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    ASSERT_OK(txn.Create(NamespaceDoc("ns", MsgValue::Map({{"k", MsgValue::Int(0)}}))).status());
    ASSERT_OK(txn.Create(TableDoc("ns", "t")).status());
    ASSERT_OK(txn.Create(TableVersionDoc("ns", "t", "1")).status());
    ASSERT_OK(txn.Create(StreamDoc("ns", "t", "1", "s1")).status());
    ASSERT_OK(txn.Create(PartitionDoc("ns", "t", "1", "s1", "p1")).status());
    ASSERT_OK(txn.Commit().status());
  }

  /// Commit number k: bumps the namespace's property k, appends delta k to the partition and
  /// moves its stream position, and creates table "t<k>" (a name mapping).
  Status CommitStep(const FileSystemLocation& location, int k) {
    DC_ASSIGN_OR_RAISE(auto txn, Transaction::Begin(location, Options()));
    auto& reader = txn.reader();
    DC_ASSIGN_OR_RAISE(auto ns, reader.GetNamespace("ns"));
    DC_RETURN_NOT_OK(
        txn.Update(ns.doc, With(ns.doc, "properties", MsgValue::Map({{"k", MsgValue::Int(k)}}))));
    DC_ASSIGN_OR_RAISE(auto tv, reader.GetTableVersion("ns", "t", "1"));
    DC_ASSIGN_OR_RAISE(auto stream, reader.GetStream(tv));
    DC_ASSIGN_OR_RAISE(auto partition, reader.FindPartition(stream, MsgValue()));
    if (!partition) return Status(ErrorCode::kPartitionNotFound, "p1");
    DC_RETURN_NOT_OK(txn.Create(DeltaDoc("ns", "t", "1", "s1", "p1", k)));
    DC_RETURN_NOT_OK(
        txn.Update(partition->doc, With(partition->doc, "streamPosition", MsgValue::Int(k))));
    DC_RETURN_NOT_OK(txn.Create(TableDoc("ns", "t" + std::to_string(k))));
    return txn.Commit().status();
  }

  /// The committed step visible now, checking that each step is all-or-nothing.
  int VisibleStep() {
    auto reader = Now();
    auto ns = reader.GetNamespace("ns");
    EXPECT_TRUE(ns.ok()) << ns.status();
    if (!ns.ok()) return -1;
    const int k = static_cast<int>(*ns->doc.Find("properties")->Find("k")->AsInt());
    auto tv = reader.GetTableVersion("ns", "t", "1");
    EXPECT_TRUE(tv.ok()) << tv.status();
    auto stream = reader.GetStream(*tv);
    EXPECT_TRUE(stream.ok()) << stream.status();
    auto partition = reader.FindPartition(*stream, MsgValue());
    EXPECT_TRUE(partition.ok() && partition->has_value());
    const MsgValue* position = (*partition)->doc.Find("streamPosition");
    EXPECT_EQ(position->IsNil() ? 0 : *position->AsInt(), k);
    // Delta k exists exactly when step k is visible; delta k+1 never does.
    for (int position : {k, k + 1}) {
      if (position == 0) continue;
      auto delta = reader.FindDelta(**partition, position);
      EXPECT_TRUE(delta.ok()) << delta.status();
      EXPECT_EQ(delta->has_value(), position == k) << position;
      auto table = reader.FindTable("ns", "t" + std::to_string(position));
      EXPECT_TRUE(table.ok()) << table.status();
      EXPECT_EQ(table->has_value(), position == k) << position;
    }
    return k;
  }

  void CrashAtEveryOperation(bool leave_partial_writes) {
    auto faulty = std::make_shared<FaultInjectionFileSystem>(catalog_.fs);
    FileSystemLocation crashing = catalog_;
    crashing.fs = faulty;
    int step = 1;
    int crash_points = 0;
    const int stride = ::deltacat::testing::SweepStride();
    for (int64_t op = 1;; op += stride) {
      faulty->Revive();
      faulty->CrashAt(FsOp::kAny, op, leave_partial_writes);
      Status attempt = CommitStep(crashing, step);
      if (!faulty->crashed()) {
        ASSERT_OK(attempt);  // the crash point lies beyond the last operation: done
        ASSERT_EQ(VisibleStep(), step);
        break;
      }
      ++crash_points;
      faulty->Revive();
      const int visible = VisibleStep();
      ASSERT_TRUE(visible == step - 1 || visible == step) << "crash at op " << op;
      manual_clock_->Advance(61'000'000'000LL);  // the restart: seal markers expire
      if (visible == step - 1) {
        Status retry = CommitStep(catalog_, step);
        ASSERT_TRUE(retry.ok()) << "retry after crash at op " << op << ": " << retry;
        ASSERT_EQ(VisibleStep(), step);
      }
      ++step;
    }
    EXPECT_GT(crash_points, 30 / stride);
    RecordProperty("crash_points", crash_points);
  }
};

TEST_F(CrashTest, CrashAtEveryOperationKeepsCommitsAtomicAndRetriable) {
  CrashAtEveryOperation(/*leave_partial_writes=*/false);
}

TEST_F(CrashTest, TornWritesAtEveryOperationAreInvisible) {
  CrashAtEveryOperation(/*leave_partial_writes=*/true);
}

}  // namespace
}  // namespace deltacat::storage::testing
