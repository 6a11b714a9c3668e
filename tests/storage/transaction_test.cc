#include "deltacat/storage/transaction.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/metafile_document.h"
#include "deltacat/storage/txn_log_record.h"
#include "deltacat/util/sha1.h"
#include "metafile_builders.h"
#include "storage_test_fixture.h"

namespace deltacat::storage::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> FilesUnder(const fs::path& dir) {
  std::vector<std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), dir).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string NamespaceName(const MetafileRecord& record) {
  return *record.doc.Find("namespaceLocator")->Find("namespace")->AsString();
}

class TransactionTest : public StorageTest {
 protected:
  /// Creates namespace/table/version 1/stream "s1" in one committed transaction.
  void CreateTableChain(const std::string& ns, const std::string& table) {
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    ASSERT_OK(txn.Create(NamespaceDoc(ns)).status());
    ASSERT_OK(txn.Create(TableDoc(ns, table)).status());
    ASSERT_OK(txn.Create(TableVersionDoc(ns, table, "1")).status());
    ASSERT_OK(txn.Create(StreamDoc(ns, table, "1", "s1")).status());
    ASSERT_OK(txn.Commit().status());
  }
};

TEST_F(TransactionTest, CommitMakesANamespaceVisibleWithPythonLayout) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK_AND_ASSIGN(auto staged,
                       txn.Create(NamespaceDoc("ns1", MsgValue::Map({{"owner", Str("alice")}}))));
  const std::string id = staged.metafile.id;
  const std::string txn_id = txn.id();
  ASSERT_OK_AND_ASSIGN(auto committed, txn.Commit());
  EXPECT_EQ(txn.state(), TransactionState::kCommitted);
  EXPECT_GE(committed.end_time, committed.start_time);

  const fs::path root = Root();
  const std::string rev1 = "00000000000000000001_create_" + txn_id;
  EXPECT_TRUE(fs::exists(root / Sha1Hex("ns1") / "1000000" / "1000" / (rev1 + "." + id)));
  EXPECT_TRUE(fs::exists(root / id / "rev" / "1000000" / "1000" / (rev1 + ".mpk")));
  ASSERT_TRUE(committed.success_log_path.has_value());
  EXPECT_EQ(*committed.success_log_path, *SuccessTxnLogPath(Root(), txn_id, committed.end_time));
  EXPECT_TRUE(fs::exists(*committed.success_log_path));
  EXPECT_FALSE(fs::exists(RunningTxnLogPath(Root(), txn_id)));
  for (auto dir : {"running", "failed", "success", "paused"}) {
    EXPECT_TRUE(fs::is_directory(root / "txn" / dir)) << dir;
  }

  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("ns1"));
  EXPECT_EQ(ns.id, id);
  EXPECT_EQ(*ns.doc.Find("properties")->Find("owner")->AsString(), "alice");
  ASSERT_OK_AND_ASSIGN(auto all, reader.ListNamespaces());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(NamespaceName(all[0]), "ns1");

  // The success log records the operation with relative paths and a real-name locator.
  ASSERT_OK_AND_ASSIGN(auto log, ReadTxnLog(*catalog_.fs, *committed.success_log_path));
  EXPECT_EQ(log.id, txn_id);
  EXPECT_EQ(log.end_time, committed.end_time);
  ASSERT_EQ(log.operations.size(), 1u);
  EXPECT_EQ(log.operations[0].type, "create");
  EXPECT_EQ(*log.operations[0].dest.locator.Find("namespace")->AsString(), "ns1");
  ASSERT_EQ(log.operations[0].metafile_write_paths.size(), 1u);
  EXPECT_EQ(log.operations[0].metafile_write_paths[0], id + "/rev/1000000/1000/" + rev1 + ".mpk");
  EXPECT_EQ(log.time_provider_type, "TransactionSystemTimeProvider");
}

TEST_F(TransactionTest, ReadsSeeOwnWritesButOthersDoNot) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK(txn.Create(NamespaceDoc("mine")).status());
  ASSERT_OK_AND_ASSIGN(auto own, txn.reader().FindNamespace("mine"));
  EXPECT_TRUE(own.has_value());
  auto other = Now();
  ASSERT_OK_AND_ASSIGN(auto theirs, other.FindNamespace("mine"));
  EXPECT_FALSE(theirs.has_value());
  EXPECT_TRUE(fs::exists(RunningTxnLogPath(Root(), txn.id())));
  ASSERT_OK(txn.Commit().status());
  auto after = Now();
  ASSERT_OK_AND_ASSIGN(auto visible, after.FindNamespace("mine"));
  EXPECT_TRUE(visible.has_value());
}

TEST_F(TransactionTest, AbortDeletesEverythingItWroteAndLeavesAFailedLog) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK(txn.Create(NamespaceDoc("gone")).status());
  const std::string txn_id = txn.id();
  ASSERT_OK(txn.Abort());
  EXPECT_EQ(txn.state(), TransactionState::kAborted);
  const auto files = FilesUnder(Root());
  for (const auto& file : files) {
    EXPECT_TRUE(file.starts_with("txn/failed/")) << file;
  }
  ASSERT_EQ(files.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto failed_path, FailedTxnLogPath(Root(), txn_id));
  ASSERT_OK_AND_ASSIGN(auto log, ReadTxnLog(*catalog_.fs, failed_path));
  ASSERT_EQ(log.operations.size(), 1u);
  EXPECT_EQ(log.operations[0].metafile_write_paths.size(), 1u);
  EXPECT_EQ(log.operations[0].locator_write_paths.size(), 1u);
  EXPECT_FALSE(txn.Create(NamespaceDoc("more")).ok());
}

TEST_F(TransactionTest, DestroyingAnActiveTransactionAborts) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    ASSERT_OK(txn.Create(NamespaceDoc("temp")).status());
  }
  for (const auto& file : FilesUnder(Root())) EXPECT_TRUE(file.starts_with("txn/failed/")) << file;
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.FindNamespace("temp"));
  EXPECT_FALSE(ns.has_value());
}

TEST_F(TransactionTest, ReadOnlyTransactionWritesNothing) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    ASSERT_OK_AND_ASSIGN(auto result, txn.Commit());
    EXPECT_FALSE(result.success_log_path.has_value());
  }
  EXPECT_TRUE(FilesUnder(Root()).empty());
}

TEST_F(TransactionTest, CreatingAnExistingNamespaceFailsWithATypedError) {
  ASSERT_OK_AND_ASSIGN(auto first, Begin());
  ASSERT_OK(first.Create(NamespaceDoc("dup")).status());
  ASSERT_OK(first.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto second, Begin());
  auto again = second.Create(NamespaceDoc("dup"));
  EXPECT_EQ(again.status().code(), ErrorCode::kNamespaceAlreadyExists) << again.status();
  EXPECT_EQ(second.state(), TransactionState::kFailed);
  EXPECT_EQ(second.Commit().status().code(), ErrorCode::kIllegalState);
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto all, reader.ListNamespaces());
  EXPECT_EQ(all.size(), 1u);
}

TEST_F(TransactionTest, InvalidDocumentsAreRejectedBeforeAnythingIsWritten) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  for (const std::string& bad :
       {std::string(""), std::string("a/b"), std::string("nul\0x", 5), std::string(256, 'x')}) {
    auto result = txn.Create(NamespaceDoc(bad));
    EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument) << result.status();
  }
  EXPECT_EQ(txn.Create(MsgValue::Map({{"nothing", MsgValue()}})).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(txn.Create(TableVersionDoc("ns", "t", "_hidden")).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(txn.state(), TransactionState::kActive);
  EXPECT_TRUE(FilesUnder(Root()).empty());
  ASSERT_OK(txn.Create(NamespaceDoc("fine")).status());
  ASSERT_OK(txn.Commit().status());
}

TEST_F(TransactionTest, MissingAncestorsAreTypedErrors) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  auto table = txn.Create(TableDoc("nowhere", "t"));
  EXPECT_EQ(table.status().code(), ErrorCode::kNamespaceNotFound) << table.status();
  ASSERT_OK_AND_ASSIGN(auto txn2, Begin());
  ASSERT_OK(txn2.Create(NamespaceDoc("ns")).status());
  auto tv = txn2.Create(TableVersionDoc("ns", "missing", "1"));
  EXPECT_EQ(tv.status().code(), ErrorCode::kTableNotFound) << tv.status();
}

TEST_F(TransactionTest, UpdatingAMissingOrDeletedObjectIsNotFound) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  MsgValue ghost = With(NamespaceDoc("ghost"), "id", Str("7d6e3a54-5c3c-4a5e-9f57-6f0d1e2a3b4c"));
  auto updated = txn.Update(ghost, ghost);
  EXPECT_EQ(updated.status().code(), ErrorCode::kNamespaceNotFound) << updated.status();
}

TEST_F(TransactionTest, RenameMovesTheNameMapping) {
  ASSERT_OK_AND_ASSIGN(auto create, Begin());
  ASSERT_OK_AND_ASSIGN(auto staged, create.Create(NamespaceDoc("old")));
  ASSERT_OK(create.Commit().status());

  ASSERT_OK_AND_ASSIGN(auto rename, Begin());
  ASSERT_OK_AND_ASSIGN(auto current, rename.reader().GetNamespace("old"));
  MsgValue renamed = current.doc;
  renamed.Set("namespaceLocator", NamespaceLocator("new"));
  ASSERT_OK_AND_ASSIGN(auto written, rename.Update(current.doc, renamed));
  EXPECT_EQ(written.locator_write_paths.size(), 2u);
  EXPECT_EQ(written.metafile.revision.name.revision, 2u);
  ASSERT_OK(rename.Commit().status());

  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto old_ns, reader.FindNamespace("old"));
  EXPECT_FALSE(old_ns.has_value());
  ASSERT_OK_AND_ASSIGN(auto new_ns, reader.GetNamespace("new"));
  EXPECT_EQ(new_ns.id, staged.metafile.id);
  const fs::path old_dir = fs::path(Root()) / Sha1Hex("old") / "1000000" / "1000";
  const auto old_files = FilesUnder(old_dir);
  ASSERT_EQ(old_files.size(), 2u);
  EXPECT_NE(old_files[1].find("_delete_"), std::string::npos);
}

TEST_F(TransactionTest, DeleteThenRecreateGivesANewObject) {
  ASSERT_OK_AND_ASSIGN(auto create, Begin());
  ASSERT_OK_AND_ASSIGN(auto first, create.Create(NamespaceDoc("again")));
  ASSERT_OK(create.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto drop, Begin());
  ASSERT_OK_AND_ASSIGN(auto current, drop.reader().GetNamespace("again"));
  ASSERT_OK(drop.Delete(current.doc).status());
  ASSERT_OK(drop.Commit().status());
  {
    auto reader = Now();
    ASSERT_OK_AND_ASSIGN(auto gone, reader.FindNamespace("again"));
    EXPECT_FALSE(gone.has_value());
    ASSERT_OK_AND_ASSIGN(auto all, reader.ListNamespaces());
    EXPECT_TRUE(all.empty());
    ASSERT_OK_AND_ASSIGN(auto tombstone,
                         reader.ReadObject(MetafileKind::kNamespace, {first.metafile.id}, true));
    ASSERT_TRUE(tombstone.has_value());
    EXPECT_TRUE(tombstone->deleted());
  }
  ASSERT_OK_AND_ASSIGN(auto recreate, Begin());
  ASSERT_OK_AND_ASSIGN(auto second, recreate.Create(NamespaceDoc("again")));
  ASSERT_OK(recreate.Commit().status());
  EXPECT_NE(second.metafile.id, first.metafile.id);
  EXPECT_EQ(fs::path(second.locator_write_paths[0]).filename().string().substr(0, 27),
            "00000000000000000003_create");
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("again"));
  EXPECT_EQ(ns.id, second.metafile.id);
}

TEST_F(TransactionTest, FullChainStoresSentinelsAndRestoresRealNames) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK_AND_ASSIGN(auto ns, txn.Create(NamespaceDoc("sales")));
  ASSERT_OK_AND_ASSIGN(auto table, txn.Create(TableDoc("sales", "orders")));
  ASSERT_OK_AND_ASSIGN(auto tv, txn.Create(TableVersionDoc("sales", "orders", "1")));
  ASSERT_OK_AND_ASSIGN(auto stream, txn.Create(StreamDoc("sales", "orders", "1", "s-1")));
  ASSERT_OK_AND_ASSIGN(auto partition,
                       txn.Create(PartitionDoc("sales", "orders", "1", "s-1", "p-1")));
  ASSERT_OK_AND_ASSIGN(auto delta, txn.Create(DeltaDoc("sales", "orders", "1", "s-1", "p-1", 1)));
  ASSERT_OK(txn.Commit().status());
  EXPECT_EQ(delta.metafile.ancestor_ids,
            (std::vector<std::string>{ns.metafile.id, table.metafile.id, "1", "s-1", "p-1"}));
  // Stream and partition aliases are mapped in their parents' directories.
  EXPECT_EQ(stream.locator_write_paths.size(), 1u);
  EXPECT_NE(stream.locator_write_paths[0].find(Sha1Hex("deltacat")), std::string::npos);
  EXPECT_NE(partition.locator_write_paths[0].find("618205b78748d2b5cc6ff3344257f6b1a0335c29"),
            std::string::npos);
  EXPECT_TRUE(tv.locator_write_paths.empty());
  EXPECT_TRUE(delta.locator_write_paths.empty());

  // On disk, parent names are sentinels equal to the object's own ID.
  ASSERT_OK_AND_ASSIGN(auto bytes,
                       ReadWholeFile(*catalog_.fs, delta.metafile_write_paths[0], 1 << 20));
  ASSERT_OK_AND_ASSIGN(auto raw, DecodeMsgpack(bytes));
  const MsgValue* raw_table = TableLocatorOf(MetafileKind::kDelta, raw);
  ASSERT_NE(raw_table, nullptr);
  EXPECT_EQ(*raw_table->Find("tableName")->AsString(), "1");
  ASSERT_OK_AND_ASSIGN(auto table_bytes,
                       ReadWholeFile(*catalog_.fs, table.metafile_write_paths[0], 1 << 20));
  ASSERT_OK_AND_ASSIGN(auto raw_table_doc, DecodeMsgpack(table_bytes));
  EXPECT_EQ(
      *raw_table_doc.Find("tableLocator")->Find("namespaceLocator")->Find("namespace")->AsString(),
      table.metafile.id);

  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto tv_read, reader.GetTableVersion("sales", "orders", "1"));
  ASSERT_OK_AND_ASSIGN(auto stream_read, reader.GetStream(tv_read));
  EXPECT_EQ(stream_read.id, "s-1");
  ASSERT_OK_AND_ASSIGN(auto part_read, reader.FindPartition(stream_read, MsgValue()));
  ASSERT_TRUE(part_read.has_value());
  ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(*part_read));
  ASSERT_EQ(deltas.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto names, ReadLocatorNames(MetafileKind::kDelta, deltas[0].doc));
  EXPECT_EQ(names.namespace_name, "sales");
  EXPECT_EQ(names.table_name, "orders");
  EXPECT_EQ(names.stream_position, 1);

  // Renaming the table is seen by every descendant without rewriting it.
  ASSERT_OK_AND_ASSIGN(auto rename, Begin());
  ASSERT_OK_AND_ASSIGN(auto current, rename.reader().GetTable("sales", "orders"));
  MsgValue renamed = current.doc;
  renamed.FindMutable("tableLocator")->Set("tableName", Str("purchases"));
  ASSERT_OK(rename.Update(current.doc, renamed).status());
  ASSERT_OK(rename.Commit().status());
  auto after = Now();
  ASSERT_OK_AND_ASSIGN(auto delta_after, after.FindDelta(*part_read, 1));
  ASSERT_TRUE(delta_after.has_value());
  ASSERT_OK_AND_ASSIGN(auto names_after, ReadLocatorNames(MetafileKind::kDelta, delta_after->doc));
  EXPECT_EQ(names_after.table_name, "purchases");
  ASSERT_OK_AND_ASSIGN(auto gone, after.FindTable("sales", "orders"));
  EXPECT_FALSE(gone.has_value());
}

TEST_F(TransactionTest, ConflictOnTheSameObjectHasExactlyOneWinner) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("shared")).status());
  ASSERT_OK(setup.Commit().status());

  ASSERT_OK_AND_ASSIGN(auto older, Begin());
  ASSERT_OK_AND_ASSIGN(auto newer, Begin());
  ASSERT_LT(older.id(), newer.id());
  ASSERT_OK_AND_ASSIGN(auto a, older.reader().GetNamespace("shared"));
  ASSERT_OK_AND_ASSIGN(auto b, newer.reader().GetNamespace("shared"));
  ASSERT_OK(older.Update(a.doc, With(a.doc, "properties", MsgValue::Map({{"by", Str("older")}})))
                .status());
  ASSERT_OK(newer.Update(b.doc, With(b.doc, "properties", MsgValue::Map({{"by", Str("newer")}})))
                .status());
  auto older_commit = older.Commit();
  EXPECT_EQ(older_commit.status().code(), ErrorCode::kConcurrentModification);
  ASSERT_OK(newer.Commit().status());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("shared"));
  EXPECT_EQ(*ns.doc.Find("properties")->Find("by")->AsString(), "newer");
}

TEST_F(TransactionTest, LoserThatWritesAfterTheWinnerCommittedIsRejected) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("shared")).status());
  ASSERT_OK(setup.Commit().status());

  ASSERT_OK_AND_ASSIGN(auto first, Begin());
  ASSERT_OK_AND_ASSIGN(auto second, Begin());
  ASSERT_OK_AND_ASSIGN(auto a, first.reader().GetNamespace("shared"));
  ASSERT_OK_AND_ASSIGN(auto b, second.reader().GetNamespace("shared"));
  // The newer transaction writes and commits first; the older one then writes the same revision.
  ASSERT_OK(second.Update(b.doc, b.doc).status());
  ASSERT_OK(second.Commit().status());
  auto late = first.Update(a.doc, a.doc);
  EXPECT_EQ(late.status().code(), ErrorCode::kConcurrentModification) << late.status();
}

TEST_F(TransactionTest, WithoutFastFailTheConflictIsFoundAtCommit) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("shared")).status());
  ASSERT_OK(setup.Commit().status());

  TransactionOptions commit_only = Options();
  commit_only.fast_fail_conflicts = false;
  ASSERT_OK_AND_ASSIGN(auto first, Transaction::Begin(catalog_, commit_only));
  ASSERT_OK_AND_ASSIGN(auto second, Begin());
  ASSERT_OK_AND_ASSIGN(auto a, first.reader().GetNamespace("shared"));
  ASSERT_OK_AND_ASSIGN(auto b, second.reader().GetNamespace("shared"));
  ASSERT_OK(second.Update(b.doc, b.doc).status());
  ASSERT_OK(second.Commit().status());
  // The same revision as the committed one: no check at write time, but Commit refuses.
  ASSERT_OK(first.Update(a.doc, a.doc).status());
  auto late = first.Commit();
  EXPECT_EQ(late.status().code(), ErrorCode::kConcurrentModification) << late.status();
  EXPECT_EQ(first.state(), TransactionState::kFailed);
  ASSERT_OK_AND_ASSIGN(auto history, ListDir(*catalog_.fs, JoinPath(Root(), "txn/running")));
  EXPECT_TRUE(history.empty());
}

TEST_F(TransactionTest, CachedReadsSeeEveryOwnWriteAndNothingCommittedLater) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("cached")).status());
  ASSERT_OK(setup.Commit().status());

  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK_AND_ASSIGN(auto before, txn.reader().GetNamespace("cached"));
  // Another transaction commits a newer revision after this one's snapshot: invisible.
  ASSERT_OK_AND_ASSIGN(auto other, Begin());
  ASSERT_OK_AND_ASSIGN(auto theirs, other.reader().GetNamespace("cached"));
  ASSERT_OK(other.Create(NamespaceDoc("later")).status());
  ASSERT_OK(other.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto later, txn.reader().FindNamespace("later"));
  EXPECT_FALSE(later.has_value());
  // Own writes replace what the reader listed before.
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(auto current, txn.reader().GetNamespace("cached"));
    ASSERT_OK_AND_ASSIGN(auto written,
                         txn.Update(current.doc, With(current.doc, "properties",
                                                      MsgValue::Map({{"n", MsgValue::Int(i)}}))));
    EXPECT_EQ(written.metafile.revision.name.revision, before.revision.name.revision + 1 + i);
    ASSERT_OK_AND_ASSIGN(auto reread, txn.reader().GetNamespace("cached"));
    EXPECT_EQ(reread.revision.path, written.metafile.revision.path);
    EXPECT_EQ(reread.doc.Find("properties")->Find("n")->AsInt(), i);
  }
  ASSERT_OK(txn.Create(NamespaceDoc("mine")).status());
  ASSERT_OK_AND_ASSIGN(auto namespaces, txn.reader().ListNamespaces());
  std::vector<std::string> names;
  for (const auto& ns : namespaces) {
    ASSERT_OK_AND_ASSIGN(auto locator, ReadLocatorNames(MetafileKind::kNamespace, ns.doc));
    names.push_back(locator.namespace_name.value_or(""));
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"cached", "mine"}));
  ASSERT_OK(txn.Commit().status());
  (void)theirs;
}

TEST_F(TransactionTest, WritesToDifferentObjectsBothCommit) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("x")).status());
  ASSERT_OK(setup.Create(NamespaceDoc("y")).status());
  ASSERT_OK(setup.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto t1, Begin());
  ASSERT_OK_AND_ASSIGN(auto t2, Begin());
  ASSERT_OK_AND_ASSIGN(auto x, t1.reader().GetNamespace("x"));
  ASSERT_OK_AND_ASSIGN(auto y, t2.reader().GetNamespace("y"));
  ASSERT_OK(t1.Update(x.doc, With(x.doc, "properties", MsgValue::Map({{"v", MsgValue::Int(1)}})))
                .status());
  ASSERT_OK(t2.Update(y.doc, With(y.doc, "properties", MsgValue::Map({{"v", MsgValue::Int(2)}})))
                .status());
  ASSERT_OK(t2.Commit().status());
  ASSERT_OK(t1.Commit().status());
}

TEST_F(TransactionTest, TimeTravelShowsExactlyTheCommitsBeforeTheSnapshot) {
  std::vector<int64_t> end_times;
  for (int k = 1; k <= 4; ++k) {
    manual_clock_->Advance(1000);
    ASSERT_OK_AND_ASSIGN(auto txn, Begin());
    if (k == 1) {
      ASSERT_OK(txn.Create(NamespaceDoc("tt", MsgValue::Map({{"k", MsgValue::Int(k)}}))).status());
    } else {
      ASSERT_OK_AND_ASSIGN(auto current, txn.reader().GetNamespace(k == 4 ? "renamed" : "tt"));
      MsgValue next = With(current.doc, "properties", MsgValue::Map({{"k", MsgValue::Int(k)}}));
      if (k == 3) next.Set("namespaceLocator", NamespaceLocator("renamed"));
      ASSERT_OK(txn.Update(current.doc, next).status());
    }
    ASSERT_OK_AND_ASSIGN(auto result, txn.Commit());
    end_times.push_back(result.end_time);
  }
  manual_clock_->Advance(1'000'000);
  for (int k = 1; k <= 4; ++k) {
    ASSERT_OK_AND_ASSIGN(auto historic,
                         Transaction::BeginHistoric(catalog_, end_times[k - 1] + 1, Options()));
    auto& reader = historic.reader();
    ASSERT_OK_AND_ASSIGN(auto all, reader.ListNamespaces());
    ASSERT_EQ(all.size(), 1u) << k;
    EXPECT_EQ(*all[0].doc.Find("properties")->Find("k")->AsInt(), k);
    EXPECT_EQ(NamespaceName(all[0]), k >= 3 ? "renamed" : "tt");
    ASSERT_OK_AND_ASSIGN(auto by_old_name, reader.FindNamespace("tt"));
    EXPECT_EQ(by_old_name.has_value(), k < 3);
    EXPECT_EQ(historic.Create(NamespaceDoc("nope")).status().code(), ErrorCode::kIllegalState);
  }
  SnapshotReader before(catalog_, end_times[0]);  // end times are exclusive
  ASSERT_OK_AND_ASSIGN(auto none, before.ListNamespaces());
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(Transaction::BeginHistoric(catalog_, manual_clock_->NowNanos() + 10, Options())
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(TransactionTest, SnapshotIgnoresATransactionThatEndsAfterItStarts) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("base")).status());
  ASSERT_OK(setup.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto writer, Begin());
  ASSERT_OK(writer.Create(NamespaceDoc("late")).status());
  ASSERT_OK_AND_ASSIGN(auto reader_txn, Begin());  // starts before the writer ends
  ASSERT_OK(writer.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto seen, reader_txn.reader().FindNamespace("late"));
  EXPECT_FALSE(seen.has_value());
  ASSERT_OK_AND_ASSIGN(auto base, reader_txn.reader().FindNamespace("base"));
  EXPECT_TRUE(base.has_value());
}

TEST_F(TransactionTest, StagedPartitionCommitAndReplace) {
  CreateTableChain("ns", "t");
  // Stage and commit the first partition.
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK_AND_ASSIGN(auto staged, txn.Create(PartitionDoc("ns", "t", "1", "s1", "p1", "staged")));
  EXPECT_TRUE(staged.locator_write_paths.empty());  // staged objects have no alias
  ASSERT_OK_AND_ASSIGN(
      auto committed,
      txn.Update(staged.metafile.doc, With(staged.metafile.doc, "state", Str("committed"))));
  ASSERT_EQ(committed.locator_write_paths.size(), 1u);
  EXPECT_NE(committed.locator_write_paths[0].find("_create_"), std::string::npos);
  ASSERT_OK(txn.Commit().status());

  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto tv, reader.GetTableVersion("ns", "t", "1"));
  ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(tv));
  ASSERT_OK_AND_ASSIGN(auto p1, reader.FindPartition(stream, MsgValue()));
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(p1->id, "p1");

  // Replace it with a new partition, as a compaction or REPLACE write does.
  ASSERT_OK_AND_ASSIGN(auto replace, Begin());
  ASSERT_OK_AND_ASSIGN(auto p2_staged,
                       replace.Create(With(PartitionDoc("ns", "t", "1", "s1", "p2", "staged"),
                                           "previousPartitionId", Str("p1"))));
  MsgValue p2_committed = With(p2_staged.metafile.doc, "state", Str("committed"));
  ASSERT_OK(replace.Replace(p2_staged.metafile.doc, p2_committed).status());
  ASSERT_OK_AND_ASSIGN(auto old_state,
                       replace.reader().ReadObject(MetafileKind::kPartition, p1->PathIds()));
  ASSERT_TRUE(old_state.has_value());
  ASSERT_OK_AND_ASSIGN(auto swapped, replace.Replace(old_state->doc, p2_committed));
  ASSERT_OK(replace.Commit().status());
  EXPECT_EQ(swapped.metafile_write_paths.size(), 1u);  // p1 tombstone; p2 already exists

  auto after = Now();
  ASSERT_OK_AND_ASSIGN(auto current, after.FindPartition(stream, MsgValue::Array()));
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->id, "p2");
  ASSERT_OK_AND_ASSIGN(auto partitions, after.ListPartitions(stream));
  ASSERT_EQ(partitions.size(), 1u);
  EXPECT_EQ(partitions[0].id, "p2");
  ASSERT_OK_AND_ASSIGN(auto p1_now, after.ReadObject(MetafileKind::kPartition, p1->PathIds()));
  EXPECT_FALSE(p1_now.has_value());
}

TEST_F(TransactionTest, ListsDeltasInStreamPositionOrder) {
  CreateTableChain("ns", "t");
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK(txn.Create(PartitionDoc("ns", "t", "1", "s1", "p1")).status());
  for (int64_t position : {10, 2, 1000, 1, 33}) {
    ASSERT_OK(txn.Create(DeltaDoc("ns", "t", "1", "s1", "p1", position)).status());
  }
  ASSERT_OK(txn.Commit().status());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto tv, reader.GetTableVersion("ns", "t", "1"));
  ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(tv));
  ASSERT_OK_AND_ASSIGN(auto partition, reader.FindPartition(stream, MsgValue()));
  ASSERT_TRUE(partition.has_value());
  ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(*partition));
  std::vector<std::string> ids;
  for (const auto& d : deltas) ids.push_back(d.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "10", "33", "1000"}));
  ASSERT_OK_AND_ASSIGN(auto tables, reader.ListTables(*reader.GetNamespace("ns")));
  EXPECT_EQ(tables.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto versions, reader.ListTableVersions(tables[0]));
  EXPECT_EQ(versions.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto streams, reader.ListStreams(versions[0]));
  EXPECT_EQ(streams.size(), 1u);
}

}  // namespace
}  // namespace deltacat::storage::testing

namespace deltacat::storage::testing {
namespace {

class SealMarkerTest : public TransactionTest {};

TEST_F(SealMarkerTest, NewerWriterYieldsToAnOlderOneThatIsCommitting) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("raced")).status());
  ASSERT_OK(setup.Commit().status());

  ASSERT_OK_AND_ASSIGN(auto older, Begin());
  ASSERT_OK_AND_ASSIGN(auto newer, Begin());
  ASSERT_OK_AND_ASSIGN(auto a, older.reader().GetNamespace("raced"));
  ASSERT_OK_AND_ASSIGN(auto b, newer.reader().GetNamespace("raced"));
  ASSERT_OK(older.Update(a.doc, a.doc).status());
  // The older transaction has passed its final check and is about to write its success log:
  // its seal marker exists. Python's rule alone would let the newer one commit as well.
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, SealingMarkerPath(Root(), older.id()),
                                std::to_string(manual_clock_->NowNanos())));
  auto newer_write = newer.Update(b.doc, b.doc);
  EXPECT_EQ(newer_write.status().code(), ErrorCode::kConcurrentModification)
      << newer_write.status();
}

TEST_F(SealMarkerTest, AnExpiredMarkerOfACrashedWriterNoLongerBlocks) {
  ASSERT_OK_AND_ASSIGN(auto setup, Begin());
  ASSERT_OK(setup.Create(NamespaceDoc("raced")).status());
  ASSERT_OK(setup.Commit().status());
  ASSERT_OK_AND_ASSIGN(auto older, Begin());
  ASSERT_OK_AND_ASSIGN(auto a, older.reader().GetNamespace("raced"));
  ASSERT_OK(older.Update(a.doc, a.doc).status());
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, SealingMarkerPath(Root(), older.id()),
                                std::to_string(manual_clock_->NowNanos())));
  manual_clock_->Advance(61'000'000'000LL);
  ASSERT_OK_AND_ASSIGN(auto newer, Begin());
  ASSERT_OK_AND_ASSIGN(auto b, newer.reader().GetNamespace("raced"));
  ASSERT_OK(newer.Update(b.doc, b.doc).status());
  ASSERT_OK(newer.Commit().status());
  EXPECT_FALSE(std::filesystem::exists(SealingMarkerPath(Root(), newer.id())));
}

}  // namespace
}  // namespace deltacat::storage::testing

namespace deltacat::storage::testing {
namespace {

TEST_F(TransactionTest, ModelStructsCanBeWrittenAndReadBack) {
  Namespace ns;
  ns.locator.namespace_name = "typed";
  ns.properties = MsgValue::Map({{"k", Str("v")}});
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK_AND_ASSIGN(auto staged, txn.Create(Metafile(ns)));
  EXPECT_FALSE(staged.metafile.id.empty());
  ASSERT_OK(txn.Commit().status());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto record, reader.GetNamespace("typed"));
  ASSERT_OK_AND_ASSIGN(auto model, record.ToModel());
  const auto& read = std::get<Namespace>(model);
  EXPECT_EQ(read.id, staged.metafile.id);
  EXPECT_EQ(read.locator.namespace_name, "typed");
  EXPECT_EQ(read.properties, ns.properties);

  Namespace renamed = read;
  renamed.locator.namespace_name = "typed2";
  ASSERT_OK_AND_ASSIGN(auto rename, Begin());
  ASSERT_OK(rename.Update(Metafile(read), Metafile(renamed)).status());
  ASSERT_OK(rename.Commit().status());
  auto after = Now();
  ASSERT_OK_AND_ASSIGN(auto found, after.FindNamespace("typed2"));
  EXPECT_TRUE(found.has_value());
}

}  // namespace
}  // namespace deltacat::storage::testing
