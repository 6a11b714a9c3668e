#pragma once

// The transaction and snapshot suite every catalog backend must pass (local disk in
// tests/storage, S3 through moto in tests/integration): commit, abort, conflicts,
// read-your-writes, time travel, renames, replacement, crash leftovers, crash at every
// operation, janitor and history. It only uses the filesystem abstraction, so it runs
// unchanged on object stores (where nothing is renamed and directories are implicit).

#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/janitor.h"
#include "deltacat/storage/metafile_document.h"
#include "deltacat/storage/transaction_history.h"
#include "storage/metafile_builders.h"
#include "storage/storage_test_fixture.h"
#include "support/sweep_stride.h"

namespace deltacat::storage::testing {

/// A fresh, empty catalog location and whatever keeps it alive.
struct CatalogUnderTest {
  FileSystemLocation location;
  std::shared_ptr<void> owner;
};

/// A backend: a name for test output and a factory of empty catalogs.
struct StorageBackend {
  std::string name;
  std::function<CatalogUnderTest()> make;
  /// Crash points exercised by the crash test (every one for local disks; object stores are
  /// slow in emulation, so a stride may be given).
  int crash_stride = 1;
};

/// Prints the backend's name (test names and failure messages).
inline void PrintTo(const StorageBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string StorageBackendName(const ::testing::TestParamInfo<StorageBackend>& info) {
  return info.param.name;
}

class StorageConformance : public ::testing::TestWithParam<StorageBackend> {
 protected:
  void SetUp() override {
    catalog_ = GetParam().make();
    ASSERT_TRUE(catalog_.location.fs != nullptr);
    manual_clock_ = std::make_shared<ManualClock>(kBaseTime);
    clock_ = std::make_shared<TransactionClock>(manual_clock_);
  }

  const FileSystemLocation& Catalog() const { return catalog_.location; }
  const std::string& Root() const { return catalog_.location.root; }
  arrow::fs::FileSystem& Fs() { return *catalog_.location.fs; }

  TransactionOptions Options() const {
    TransactionOptions options;
    options.clock = clock_;
    return options;
  }
  Result<Transaction> Begin(const FileSystemLocation& location) {
    return Transaction::Begin(location, Options());
  }
  Result<Transaction> Begin() { return Begin(Catalog()); }
  SnapshotReader Now() { return SnapshotReader::AtNow(Catalog(), *clock_); }

  /// Every file under the catalog, relative to its root.
  std::vector<std::string> Files() {
    arrow::fs::FileSelector selector;
    selector.base_dir = Root();
    selector.recursive = true;
    selector.allow_not_found = true;
    std::vector<std::string> files;
    auto infos = Fs().GetFileInfo(selector);
    EXPECT_TRUE(infos.ok()) << infos.status().ToString();
    if (!infos.ok()) return files;
    for (const auto& info : *infos) {
      if (info.type() == arrow::fs::FileType::File) {
        files.push_back(info.path().substr(Root().size() + 1));
      }
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  bool FileExists(const std::string& path) {
    auto exists = Exists(Fs(), path);
    return exists.ok() && *exists;
  }

  /// namespace "ns" (property k=0), table "t", version 1, stream "s1", partition "p1".
  void CreateChain() {
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    ASSERT_OK(txn.Create(NamespaceDoc("ns", MsgValue::Map({{"k", MsgValue::Int(0)}}))).status());
    ASSERT_OK(txn.Create(TableDoc("ns", "t")).status());
    ASSERT_OK(txn.Create(TableVersionDoc("ns", "t", "1")).status());
    ASSERT_OK(txn.Create(StreamDoc("ns", "t", "1", "s1")).status());
    ASSERT_OK(txn.Create(PartitionDoc("ns", "t", "1", "s1", "p1")).status());
    ASSERT_OK(txn.Commit().status());
  }

  Result<MetafileRecord> Partition(SnapshotReader& reader) {
    DC_ASSIGN_OR_RAISE(auto tv, reader.GetTableVersion("ns", "t", "1"));
    DC_ASSIGN_OR_RAISE(auto stream, reader.GetStream(tv));
    DC_ASSIGN_OR_RAISE(auto partition, reader.FindPartition(stream, MsgValue()));
    if (!partition) return Status(ErrorCode::kPartitionNotFound, "p1");
    return std::move(*partition);
  }

  /// Step k: namespace property k, delta k appended with the partition's stream position.
  Status CommitStep(const FileSystemLocation& location, int k) {
    DC_ASSIGN_OR_RAISE(auto txn, Begin(location));
    auto& reader = txn.reader();
    DC_ASSIGN_OR_RAISE(auto ns, reader.GetNamespace("ns"));
    DC_RETURN_NOT_OK(
        txn.Update(ns.doc, With(ns.doc, "properties", MsgValue::Map({{"k", MsgValue::Int(k)}}))));
    DC_ASSIGN_OR_RAISE(auto partition, Partition(reader));
    DC_RETURN_NOT_OK(txn.Create(DeltaDoc("ns", "t", "1", "s1", "p1", k)));
    DC_RETURN_NOT_OK(
        txn.Update(partition.doc, With(partition.doc, "streamPosition", MsgValue::Int(k))));
    return txn.Commit().status();
  }

  /// The step visible now; also checks that the step is all-or-nothing.
  int VisibleStep() {
    auto reader = Now();
    auto ns = reader.GetNamespace("ns");
    EXPECT_TRUE(ns.ok()) << ns.status();
    if (!ns.ok()) return -1;
    const int k = static_cast<int>(*ns->doc.Find("properties")->Find("k")->AsInt());
    auto partition = Partition(reader);
    EXPECT_TRUE(partition.ok()) << partition.status();
    if (!partition.ok()) return -1;
    const MsgValue* position = partition->doc.Find("streamPosition");
    EXPECT_EQ(position->IsNil() ? 0 : *position->AsInt(), k);
    for (int p : {k, k + 1}) {
      if (p == 0) continue;
      auto delta = reader.FindDelta(*partition, p);
      EXPECT_TRUE(delta.ok()) << delta.status();
      if (delta.ok()) {
        EXPECT_EQ(delta->has_value(), p == k) << p;
      }
    }
    return k;
  }

  CatalogUnderTest catalog_;
  std::shared_ptr<ManualClock> manual_clock_;
  std::shared_ptr<TransactionClock> clock_;
};

TEST_P(StorageConformance, CommitThenRead) {
  CreateChain();
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  for (int64_t position : {3, 1, 2}) {
    ASSERT_OK(txn.Create(DeltaDoc("ns", "t", "1", "s1", "p1", position, "add")).status());
  }
  ASSERT_OK_AND_ASSIGN(auto committed, txn.Commit());
  ASSERT_TRUE(committed.success_log_path.has_value());
  EXPECT_TRUE(FileExists(*committed.success_log_path));
  EXPECT_FALSE(FileExists(RunningTxnLogPath(Root(), committed.txn_id)));
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto partition, Partition(reader));
  ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(partition));
  ASSERT_EQ(deltas.size(), 3u);
  EXPECT_EQ(deltas[0].id, "1");
  EXPECT_EQ(deltas[2].id, "3");
  ASSERT_OK_AND_ASSIGN(auto names, ReadLocatorNames(MetafileKind::kDelta, deltas[0].doc));
  EXPECT_EQ(names.table_name, "t");
  EXPECT_EQ(names.namespace_name, "ns");
}

TEST_P(StorageConformance, ReadYourWritesAndIsolation) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK(txn.Create(NamespaceDoc("mine")).status());
  ASSERT_OK_AND_ASSIGN(auto own, txn.reader().FindNamespace("mine"));
  EXPECT_TRUE(own.has_value());
  auto other = Now();
  ASSERT_OK_AND_ASSIGN(auto theirs, other.FindNamespace("mine"));
  EXPECT_FALSE(theirs.has_value());
  ASSERT_OK(txn.Commit().status());
  auto after = Now();
  ASSERT_OK_AND_ASSIGN(auto visible, after.FindNamespace("mine"));
  EXPECT_TRUE(visible.has_value());
}

TEST_P(StorageConformance, AbortLeavesOnlyTheFailedLog) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK(txn.Create(NamespaceDoc("gone")).status());
  ASSERT_OK(txn.Abort());
  const auto files = Files();
  ASSERT_EQ(files.size(), 1u) << ::testing::PrintToString(files);
  EXPECT_TRUE(files[0].starts_with("txn/failed/")) << files[0];
}

TEST_P(StorageConformance, ConflictsHaveExactlyOneWinner) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("shared")).status());
  ASSERT_OK(setup.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto older, Begin());
  ASSERT_OK_AND_ASSIGN(auto newer, Begin());
  ASSERT_OK_AND_ASSIGN(auto a, older.reader().GetNamespace("shared"));
  ASSERT_OK_AND_ASSIGN(auto b, newer.reader().GetNamespace("shared"));
  ASSERT_OK(older.Update(a.doc, With(a.doc, "properties", MsgValue::Map({{"by", Str("older")}})))
                .status());
  ASSERT_OK(newer.Update(b.doc, With(b.doc, "properties", MsgValue::Map({{"by", Str("newer")}})))
                .status());
  EXPECT_EQ(older.Commit().status().code(), ErrorCode::kConcurrentModification);
  ASSERT_OK(newer.Commit().status());
  // A writer that started before the winner committed loses when it writes afterwards.
  ASSERT_OK_AND_ASSIGN(auto late, Begin());
  ASSERT_OK_AND_ASSIGN(auto winner, Begin());
  ASSERT_OK_AND_ASSIGN(auto c, late.reader().GetNamespace("shared"));
  ASSERT_OK_AND_ASSIGN(auto d, winner.reader().GetNamespace("shared"));
  ASSERT_OK(winner.Update(d.doc, d.doc).status());
  ASSERT_OK(winner.Commit().status());
  EXPECT_EQ(late.Update(c.doc, c.doc).status().code(), ErrorCode::kConcurrentModification);
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto shared, reader.GetNamespace("shared"));
  EXPECT_EQ(*shared.doc.Find("properties")->Find("by")->AsString(), "newer");
}

TEST_P(StorageConformance, DifferentObjectsBothCommit) {
  CreateChain();
  ASSERT_OK_AND_ASSIGN(auto t1, Begin());
  ASSERT_OK_AND_ASSIGN(auto t2, Begin());
  ASSERT_OK(t1.Create(DeltaDoc("ns", "t", "1", "s1", "p1", 11, "add")).status());
  ASSERT_OK(t2.Create(DeltaDoc("ns", "t", "1", "s1", "p1", 22, "add")).status());
  ASSERT_OK(t1.Create(NamespaceDoc("x")).status());
  ASSERT_OK(t2.Create(NamespaceDoc("y")).status());
  ASSERT_OK(t2.Commit().status());
  ASSERT_OK(t1.Commit().status());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto partition, Partition(reader));
  ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(partition));
  EXPECT_EQ(deltas.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto namespaces, reader.ListNamespaces());
  EXPECT_EQ(namespaces.size(), 3u);
}

TEST_P(StorageConformance, TimeTravel) {
  CreateChain();
  std::vector<int64_t> ends;
  for (int k = 1; k <= 3; ++k) {
    manual_clock_->Advance(1000);
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    // Without ancestor IDs the delta is placed by names, which change with the rename.
    ASSERT_OK(txn.Create(DeltaDoc("ns", k == 3 ? "t2" : "t", "1", "s1", "p1", k, "add")).status());
    if (k == 2) {
      ASSERT_OK_AND_ASSIGN(auto table, txn.reader().GetTable("ns", "t"));
      MsgValue renamed = table.doc;
      renamed.FindMutable("tableLocator")->Set("tableName", Str("t2"));
      ASSERT_OK(txn.Update(table.doc, renamed).status());
    }
    ASSERT_OK_AND_ASSIGN(auto result, txn.Commit());
    ends.push_back(result.end_time);
  }
  manual_clock_->Advance(1'000'000);
  for (int k = 1; k <= 3; ++k) {
    ASSERT_OK_AND_ASSIGN(auto historic,
                         Transaction::BeginHistoric(Catalog(), ends[k - 1] + 1, Options()));
    auto& reader = historic.reader();
    ASSERT_OK_AND_ASSIGN(auto table, reader.GetTable("ns", k >= 2 ? "t2" : "t"));
    ASSERT_OK_AND_ASSIGN(auto versions, reader.ListTableVersions(table));
    ASSERT_EQ(versions.size(), 1u);
    ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(versions[0]));
    ASSERT_OK_AND_ASSIGN(auto partition, reader.FindPartition(stream, MsgValue()));
    ASSERT_TRUE(partition.has_value()) << "k=" << k;
    ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(*partition));
    EXPECT_EQ(deltas.size(), static_cast<size_t>(k));
    ASSERT_OK_AND_ASSIGN(auto names, ReadLocatorNames(MetafileKind::kDelta, deltas[0].doc));
    EXPECT_EQ(names.table_name, k >= 2 ? "t2" : "t");
  }
}

TEST_P(StorageConformance, RenameDeleteAndRecreate) {
  ASSERT_OK_AND_ASSIGN(auto create, Begin());
  ASSERT_OK_AND_ASSIGN(auto first, create.Create(NamespaceDoc("a")));
  ASSERT_OK(create.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto rename, Begin());
  ASSERT_OK_AND_ASSIGN(auto a, rename.reader().GetNamespace("a"));
  ASSERT_OK(rename.Update(a.doc, With(a.doc, "namespaceLocator", NamespaceLocator("b"))).status());
  ASSERT_OK(rename.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto drop, Begin());
  ASSERT_OK_AND_ASSIGN(auto b, drop.reader().GetNamespace("b"));
  EXPECT_EQ(b.id, first.metafile.id);
  ASSERT_OK(drop.Delete(b.doc).status());
  ASSERT_OK(drop.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto recreate, Begin());
  ASSERT_OK_AND_ASSIGN(auto second, recreate.Create(NamespaceDoc("a")));
  ASSERT_OK(recreate.Commit().status());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto now_a, reader.GetNamespace("a"));
  EXPECT_EQ(now_a.id, second.metafile.id);
  EXPECT_NE(now_a.id, first.metafile.id);
  ASSERT_OK_AND_ASSIGN(auto now_b, reader.FindNamespace("b"));
  EXPECT_FALSE(now_b.has_value());
}

TEST_P(StorageConformance, StagedPartitionCommitAndReplace) {
  CreateChain();
  ASSERT_OK_AND_ASSIGN(auto replace, Begin());
  ASSERT_OK_AND_ASSIGN(auto p2, replace.Create(PartitionDoc("ns", "t", "1", "s1", "p2", "staged")));
  MsgValue committed = With(p2.metafile.doc, "state", Str("committed"));
  ASSERT_OK(replace.Replace(p2.metafile.doc, committed).status());
  ASSERT_OK_AND_ASSIGN(auto p1, Partition(replace.reader()));
  EXPECT_EQ(p1.id, "p2");  // read-your-writes through the alias
  ASSERT_OK_AND_ASSIGN(auto old, replace.reader().ReadObject(
                                     MetafileKind::kPartition,
                                     {p1.ancestor_ids[0], p1.ancestor_ids[1], "1", "s1", "p1"}));
  ASSERT_TRUE(old.has_value());
  ASSERT_OK(replace.Replace(old->doc, committed).status());
  ASSERT_OK(replace.Commit().status());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto current, Partition(reader));
  EXPECT_EQ(current.id, "p2");
  ASSERT_OK_AND_ASSIGN(auto tv, reader.GetTableVersion("ns", "t", "1"));
  ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(tv));
  ASSERT_OK_AND_ASSIGN(auto partitions, reader.ListPartitions(stream));
  ASSERT_EQ(partitions.size(), 1u);
  EXPECT_EQ(partitions[0].id, "p2");
}

TEST_P(StorageConformance, CrashLeftoversAreInvisibleAndOverwritten) {
  CreateChain();
  auto faulty = std::make_shared<FaultInjectionFileSystem>(Catalog().fs);
  FileSystemLocation crashing = Catalog();
  crashing.fs = faulty;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Begin(crashing));
    ASSERT_OK_AND_ASSIGN(auto ns, txn.reader().GetNamespace("ns"));
    ASSERT_OK(
        txn.Update(ns.doc, With(ns.doc, "properties", MsgValue::Map({{"k", MsgValue::Int(7)}})))
            .status());
    faulty->CrashNow();  // dies before committing; its abort cannot clean up
  }
  EXPECT_EQ(VisibleStep(), 0);
  ASSERT_OK(CommitStep(Catalog(), 1));
  EXPECT_EQ(VisibleStep(), 1);
  // The janitor removes the dead writer's files once it is old enough.
  JanitorOptions options;
  options.now_ns = manual_clock_->NowNanos() + 2 * 3600LL * 1'000'000'000LL;
  ASSERT_OK_AND_ASSIGN(auto report, RunJanitor(Catalog(), options));
  EXPECT_EQ(report.dead_transactions.size(), 1u);
  EXPECT_EQ(report.deleted_files.size(), 1u);
  EXPECT_EQ(VisibleStep(), 1);
}

TEST_P(StorageConformance, CrashAtEveryOperationOfACommit) {
  CreateChain();
  auto faulty = std::make_shared<FaultInjectionFileSystem>(Catalog().fs);
  FileSystemLocation crashing = Catalog();
  crashing.fs = faulty;
  int step = 1;
  int crash_points = 0;
  const int64_t stride = GetParam().crash_stride * ::deltacat::testing::SweepStride();
  for (int64_t op = 1;; op += stride) {
    faulty->Revive();
    faulty->CrashAt(FsOp::kAny, op);
    Status attempt = CommitStep(crashing, step);
    if (!faulty->crashed()) {
      ASSERT_OK(attempt);
      ASSERT_EQ(VisibleStep(), step);
      break;
    }
    ++crash_points;
    faulty->Revive();
    const int visible = VisibleStep();
    ASSERT_TRUE(visible == step - 1 || visible == step) << "crash at op " << op;
    manual_clock_->Advance(61'000'000'000LL);
    if (visible == step - 1) {
      Status retry = CommitStep(Catalog(), step);
      ASSERT_TRUE(retry.ok()) << "retry after crash at op " << op << ": " << retry;
      ASSERT_EQ(VisibleStep(), step);
    }
    ++step;
  }
  EXPECT_GT(crash_points, 5 / ::deltacat::testing::SweepStride());
}

TEST_P(StorageConformance, HistoryListsCommits) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    ASSERT_OK(txn.Create(NamespaceDoc("h" + std::to_string(i))).status());
    ids.push_back(txn.id());
    ASSERT_OK(txn.Commit().status());
    manual_clock_->Advance(70'000'000'000LL);
  }
  TransactionHistoryQuery query;
  query.limit = 2;
  ASSERT_OK_AND_ASSIGN(auto entries, ListTransactions(Catalog(), query));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].txn_id, ids[2]);
  EXPECT_EQ(entries[1].txn_id, ids[1]);
  ASSERT_TRUE(entries[0].record.has_value());
  EXPECT_EQ(entries[0].record->operations.size(), 1u);
}

}  // namespace deltacat::storage::testing
