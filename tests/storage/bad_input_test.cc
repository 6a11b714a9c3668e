// Hostile and unusual on-disk input: every problem is a typed error naming the file, never a
// crash; legacy and very long histories are read correctly.

#include <filesystem>

#include <gtest/gtest.h>

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/catalog_version.h"
#include "deltacat/storage/metafile_document.h"
#include "deltacat/storage/revision_partition.h"
#include "deltacat/storage/revision_scanner.h"
#include "deltacat/storage/transaction_id.h"
#include "deltacat/util/sha1.h"
#include "deltacat/util/uuid.h"
#include "metafile_builders.h"
#include "storage_test_fixture.h"

namespace deltacat::storage::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNsId = "0b7e1c3a-5f0e-4d8e-9a61-3c7d2f1e4b5a";

class BadInputTest : public StorageTest {
 protected:
  /// A committed transaction ID (its success log ends at `end`).
  std::string CommittedTxn(int64_t start, int64_t end) {
    std::string id = NewTransactionId(start);
    EXPECT_TRUE(WriteFileAtomically(*catalog_.fs, *SuccessTxnLogPath(Root(), id, end), "").ok());
    return id;
  }

  /// Writes a revision (or mapping, with `extension` ".<id>") file straight to disk.
  std::string Put(const std::string& dir, uint64_t revision, TxnOpType op, const std::string& txn,
                  const std::string& bytes, const std::string& extension = ".mpk",
                  bool partitioned = true) {
    RevisionFileName name{revision, op, txn, extension};
    std::string leaf = partitioned ? JoinPath(dir, RevisionPartitionOf(revision)->ToPath()) : dir;
    std::string path = JoinPath(leaf, name.ToString());
    EXPECT_TRUE(WriteFileAtomically(*catalog_.fs, path, bytes).ok());
    return path;
  }

  std::string NamespaceBytes(const std::string& name, int64_t version = 0) {
    MsgValue doc =
        With(NamespaceDoc(name, MsgValue::Map({{"v", MsgValue::Int(version)}})), "id", Str(kNsId));
    doc.Set("ancestor_ids", MsgValue::Array());
    return EncodeMsgpack(doc);
  }

  /// Namespace `name` mapped to kNsId, committed by `txn`.
  void MapNamespace(const std::string& name, const std::string& txn) {
    Put(NameResolutionDir(Root(), name), 1, TxnOpType::kCreate, txn, "", std::string(".") + kNsId);
  }

  std::string NsRevDir() { return RevisionDir(JoinPath(Root(), kNsId)); }
};

TEST_F(BadInputTest, CorruptMetafilesAreTypedErrorsNamingTheFile) {
  const std::string txn = CommittedTxn(kBaseTime - 100, kBaseTime - 50);
  MapNamespace("bad", txn);
  const std::string good = NamespaceBytes("bad");
  const std::pair<std::string, ErrorCode> cases[] = {
      {"\xc1 garbage", ErrorCode::kCorruptMetadata},
      {good.substr(0, good.size() / 2), ErrorCode::kCorruptMetadata},  // truncated
      {"", ErrorCode::kCorruptMetadata},
      {EncodeMsgpack(MsgValue::Array()), ErrorCode::kCorruptMetadata},   // not a map
      {EncodeMsgpack(TableDoc("x", "y")), ErrorCode::kCorruptMetadata},  // wrong kind
      {EncodeMsgpack(NamespaceDoc("no-id")), ErrorCode::kCorruptMetadata},
      {EncodeMsgpack(With(NamespaceDoc("x"), "id", Str("another-id"))),
       ErrorCode::kCorruptMetadata},
  };
  for (const auto& [bytes, code] : cases) {
    fs::remove_all(NsRevDir());
    const std::string path = Put(NsRevDir(), 1, TxnOpType::kCreate, txn, bytes);
    auto reader = Now();
    auto ns = reader.FindNamespace("bad");
    ASSERT_FALSE(ns.ok());
    EXPECT_EQ(ns.status().code(), code) << ns.status();
    EXPECT_NE(ns.status().message().find(path), std::string::npos) << ns.status();
    auto listed = reader.ListNamespaces();
    EXPECT_EQ(listed.status().code(), code);
  }
}

TEST_F(BadInputTest, NonMsgpackRevisionsAreUnsupported) {
  const std::string txn = CommittedTxn(kBaseTime - 100, kBaseTime - 50);
  MapNamespace("json", txn);
  const std::string path = Put(NsRevDir(), 1, TxnOpType::kCreate, txn, "{}", ".json");
  auto reader = Now();
  auto ns = reader.FindNamespace("json");
  EXPECT_EQ(ns.status().code(), ErrorCode::kUnsupportedFormat);
  EXPECT_NE(ns.status().message().find(path), std::string::npos);
}

TEST_F(BadInputTest, BadRevisionFileNamesAreTypedErrors) {
  const std::string txn = CommittedTxn(kBaseTime - 100, kBaseTime - 50);
  MapNamespace("names", txn);
  Put(NsRevDir(), 1, TxnOpType::kCreate, txn, NamespaceBytes("names"));
  const std::string stray = JoinPath(NsRevDir(), "1000000/1000/README.txt");
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, stray, "hello"));
  auto reader = Now();
  auto ns = reader.FindNamespace("names");
  EXPECT_EQ(ns.status().code(), ErrorCode::kCorruptMetadata);
  EXPECT_NE(ns.status().message().find("README.txt"), std::string::npos) << ns.status();
  // Directories that are not partitions, and hidden files, are skipped like Python does.
  fs::remove(stray);
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, JoinPath(NsRevDir(), "junk/file"), "x"));
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, JoinPath(NsRevDir(), "1000000/1000/.tmp"), "x"));
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, JoinPath(NsRevDir(), "1500/1000/x"), "x"));
  auto reader2 = Now();
  ASSERT_OK_AND_ASSIGN(auto found, reader2.FindNamespace("names"));
  EXPECT_TRUE(found.has_value());
}

TEST_F(BadInputTest, MissingParentIsATypedError) {
  const std::string txn = CommittedTxn(kBaseTime - 100, kBaseTime - 50);
  const std::string table_id = "5a1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
  MsgValue table =
      SerializableForm(MetafileKind::kTable, With(TableDoc("gone", "orphan"), "id", Str(table_id)),
                       table_id, {kNsId});
  const std::string path = Put(RevisionDir(ObjectDir(Root(), {kNsId}, table_id)), 1,
                               TxnOpType::kCreate, txn, EncodeMsgpack(table));
  auto reader = Now();
  auto record = reader.ReadObject(MetafileKind::kTable, {kNsId, table_id});
  EXPECT_EQ(record.status().code(), ErrorCode::kCorruptMetadata);
  EXPECT_NE(record.status().message().find(path), std::string::npos) << record.status();
}

TEST_F(BadInputTest, SuccessLogDirectoryWithTwoFilesIsCorrupt) {
  const std::string txn = CommittedTxn(kBaseTime - 100, kBaseTime - 50);
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, *SuccessTxnLogPath(Root(), txn, kBaseTime - 40), ""));
  MapNamespace("twice", txn);
  auto reader = Now();
  auto ns = reader.FindNamespace("twice");
  EXPECT_EQ(ns.status().code(), ErrorCode::kCorruptMetadata) << ns.status();
  EXPECT_NE(ns.status().message().find(txn), std::string::npos);
}

TEST_F(BadInputTest, UnknownEnumStringsAndKeysArePreserved) {
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK(
      txn.Create(With(With(NamespaceDoc("odd"), "futureKey", MsgValue::Map({{"x", Str("y")}})),
                      "state", Str("some_future_state")))
          .status());
  ASSERT_OK(txn.Commit().status());
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("odd"));
  EXPECT_EQ(*ns.doc.Find("state")->AsString(), "some_future_state");
  EXPECT_EQ(*ns.doc.Find("futureKey")->Find("x")->AsString(), "y");
}

TEST_F(BadInputTest, NewerCatalogFormatsAreRefused) {
  ASSERT_OK(CheckCatalogVersionSupported(catalog_));
  ASSERT_OK_AND_ASSIGN(auto marker, EnsureCatalogVersionMarker(catalog_, kBaseTime));
  EXPECT_EQ(marker.version, CppCatalogVersion());
  ASSERT_OK_AND_ASSIGN(auto again, EnsureCatalogVersionMarker(catalog_, kBaseTime + 5));
  EXPECT_EQ(again, marker);
  const std::string version_dir = JoinPath(Root(), "version");
  ASSERT_OK(WriteFileAtomically(*catalog_.fs,
                                JoinPath(version_dir, "2.0.0.post4.1795503691556089417"), ""));
  ASSERT_OK(WriteFileAtomically(*catalog_.fs, JoinPath(version_dir, "not-a-marker"), ""));
  ASSERT_OK(CheckCatalogVersionSupported(catalog_));
  ASSERT_OK_AND_ASSIGN(auto markers, ReadCatalogVersionMarkers(catalog_));
  EXPECT_EQ(markers.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto python, ParseCatalogVersionMarker("2.0.0.post4.1795503691556089417"));
  EXPECT_EQ(python.version, "2.0.0.post4");
  EXPECT_EQ(python.starting_from, 1795503691556089417);
  for (const char* newer :
       {"3.0.0.1795503691556089417", "deltacat-cpp-99.0.0.1795503691556089417"}) {
    const std::string path = JoinPath(version_dir, newer);
    ASSERT_OK(WriteFileAtomically(*catalog_.fs, path, ""));
    Status status = CheckCatalogVersionSupported(catalog_);
    EXPECT_EQ(status.code(), ErrorCode::kUnsupportedFormat);
    EXPECT_NE(status.message().find(path), std::string::npos) << status;
    fs::remove(path);
  }
}

TEST_F(BadInputTest, LegacyUnpartitionedFilesAreRead) {
  const std::string t1 = CommittedTxn(kBaseTime - 300, kBaseTime - 250);
  const std::string t2 = CommittedTxn(kBaseTime - 200, kBaseTime - 150);
  // Pre-Sept-2025 layout: mapping and revision files directly in their directories.
  Put(NameResolutionDir(Root(), "legacy"), 1, TxnOpType::kCreate, t1, "", std::string(".") + kNsId,
      /*partitioned=*/false);
  Put(NsRevDir(), 1, TxnOpType::kCreate, t1, NamespaceBytes("legacy", 1), ".mpk", false);
  Put(NsRevDir(), 2, TxnOpType::kUpdate, t2, NamespaceBytes("legacy", 2), ".mpk", false);
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("legacy"));
  EXPECT_EQ(*ns.doc.Find("properties")->Find("v")->AsInt(), 2);
  // New partitioned revisions continue the numbering and win.
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK_AND_ASSIGN(auto current, txn.reader().GetNamespace("legacy"));
  ASSERT_OK_AND_ASSIGN(auto staged,
                       txn.Update(current.doc, With(current.doc, "properties",
                                                    MsgValue::Map({{"v", MsgValue::Int(3)}}))));
  EXPECT_EQ(staged.metafile.revision.name.revision, 3u);
  ASSERT_OK(txn.Commit().status());
  auto after = Now();
  ASSERT_OK_AND_ASSIGN(auto updated, after.GetNamespace("legacy"));
  EXPECT_EQ(*updated.doc.Find("properties")->Find("v")->AsInt(), 3);
}

TEST_F(BadInputTest, MillionRevisionBoundaryIsCrossedCorrectly) {
  const std::string committed = CommittedTxn(kBaseTime - 300, kBaseTime - 250);
  const std::string running = NewTransactionId(kBaseTime - 200);  // never committed
  MapNamespace("long", committed);
  Put(NsRevDir(), 999999, TxnOpType::kUpdate, committed, NamespaceBytes("long", 999999));
  Put(NsRevDir(), 1000000, TxnOpType::kUpdate, committed, NamespaceBytes("long", 1000000));
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("long"));
  EXPECT_EQ(*ns.doc.Find("properties")->Find("v")->AsInt(), 1000000);
  EXPECT_NE(ns.revision.path.find("/rev/1000000/1000000/"), std::string::npos);

  Put(NsRevDir(), 1000001, TxnOpType::kUpdate, committed, NamespaceBytes("long", 1000001));
  Put(NsRevDir(), 1000002, TxnOpType::kUpdate, running, NamespaceBytes("long", 1000002));
  auto reader2 = Now();
  ASSERT_OK_AND_ASSIGN(auto ns2, reader2.GetNamespace("long"));
  EXPECT_EQ(*ns2.doc.Find("properties")->Find("v")->AsInt(), 1000001);
  EXPECT_NE(ns2.revision.path.find("/rev/2000000/1000/"), std::string::npos);

  // A writer continues at 1000002 over the invisible leftover.
  ASSERT_OK_AND_ASSIGN(auto txn, Begin());
  ASSERT_OK_AND_ASSIGN(auto staged, txn.Update(ns2.doc, ns2.doc));
  EXPECT_EQ(staged.metafile.revision.name.revision, 1000002u);
  ASSERT_OK(txn.Commit().status());
}

TEST_F(BadInputTest, LeftoverThatSortsFirstIsSkippedUnlessReadingLikePython) {
  const std::string t1 = CommittedTxn(kBaseTime - 300, kBaseTime - 250);
  const std::string t2 = CommittedTxn(kBaseTime - 100, kBaseTime - 50);
  const std::string leftover = NewTransactionId(kBaseTime - 200);
  MapNamespace("doomed", t1);
  Put(NsRevDir(), 1, TxnOpType::kCreate, t1, NamespaceBytes("doomed"));
  // At revision 2: a committed delete, and an abandoned update whose name sorts first.
  Put(NsRevDir(), 2, TxnOpType::kDelete, t2, NamespaceBytes("doomed"));
  Put(NsRevDir(), 2, TxnOpType::kUpdate, leftover, NamespaceBytes("doomed"));
  auto reader = Now();
  ASSERT_OK_AND_ASSIGN(auto listed, reader.ListNamespaces());
  EXPECT_TRUE(listed.empty());
  auto python = Now();
  python.set_python_first_file_only(true);
  ASSERT_OK_AND_ASSIGN(auto python_listed, python.ListNamespaces());
  EXPECT_EQ(python_listed.size(), 1u);  // Python's list_namespaces still shows it
}

TEST_F(BadInputTest, ScannerOrdersPartitionsThenLegacyFilesNewestFirst) {
  const std::string txn = NewTransactionId(kBaseTime);
  const std::string dir = JoinPath(Root(), "scan");
  Put(dir, 1, TxnOpType::kCreate, txn, "", ".a", false);
  Put(dir, 5000, TxnOpType::kUpdate, txn, "", ".a", false);  // legacy files come last
  Put(dir, 2, TxnOpType::kUpdate, txn, "");
  Put(dir, 1001, TxnOpType::kUpdate, txn, "");
  Put(dir, 1001, TxnOpType::kReplace, txn, "");
  Put(dir, 3000000, TxnOpType::kDelete, txn, "");
  FileSystemLister lister(*catalog_.fs);
  RevisionScanner scanner(lister, dir);
  std::vector<std::pair<uint64_t, size_t>> groups;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto group, scanner.NextRevision());
    if (group.empty()) break;
    groups.emplace_back(group.front().name.revision, group.size());
  }
  // 5000 is a legacy file examined after partition 1001 and so skipped, as in Python.
  EXPECT_EQ(groups,
            (std::vector<std::pair<uint64_t, size_t>>{{3000000, 1}, {1001, 2}, {2, 1}, {1, 1}}));
  RevisionScanner bounded(lister, dir, 1000);
  ASSERT_OK_AND_ASSIGN(auto first, bounded.NextRevision());
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].name.revision, 2u);
}

}  // namespace
}  // namespace deltacat::storage::testing
