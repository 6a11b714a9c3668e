// Reads the catalog written by the real Python package (deltacat 2.0.0.post4,
// tests/interop/golden/python_catalog; scenarios in python_catalog.scenarios.json) and checks
// what each scenario left visible, then lets C++ write to a copy of it.

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "deltacat/storage/janitor.h"
#include "deltacat/storage/metafile_document.h"
#include "deltacat/storage/transaction_history.h"
#include "metafile_builders.h"
#include "storage_test_fixture.h"

namespace deltacat::storage::testing {
namespace {

namespace fs = std::filesystem;

/// After every transaction of the golden run (they ended by 1795503695.6 s).
constexpr int64_t kGoldenNow = 1795503700000000000LL;

const fs::path kGolden = fs::path(DELTACAT_SOURCE_DIR) / "tests/interop/golden/python_catalog";

std::string Name(const MetafileRecord& record, const char* locator, const char* key) {
  const MsgValue* value = record.doc.Find(locator)->Find(key);
  return value != nullptr && value->IsString() ? *value->AsString() : "";
}

std::set<std::string> NamespaceNames(const std::vector<MetafileRecord>& records) {
  std::set<std::string> names;
  for (const auto& r : records) names.insert(Name(r, "namespaceLocator", "namespace"));
  return names;
}

class PythonGoldenCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kGolden)) GTEST_SKIP() << "no golden catalog at " << kGolden;
    auto location = ResolveUri(kGolden.string());
    ASSERT_TRUE(location.ok()) << location.status();
    golden_ = *location;
  }

  SnapshotReader At(int64_t snapshot) { return SnapshotReader(golden_, snapshot); }

  /// The deltas of the committed unpartitioned partition of `ns.table` version `version`.
  Result<std::vector<MetafileRecord>> Deltas(SnapshotReader& reader, const std::string& ns,
                                             const std::string& table,
                                             const std::string& version = "1") {
    DC_ASSIGN_OR_RAISE(auto tv, reader.GetTableVersion(ns, table, version));
    DC_ASSIGN_OR_RAISE(auto stream, reader.GetStream(tv));
    DC_ASSIGN_OR_RAISE(auto partition, reader.FindPartition(stream, MsgValue()));
    if (!partition) return Status(ErrorCode::kPartitionNotFound, table);
    return reader.ListDeltas(*partition);
  }

  FileSystemLocation golden_;
};

TEST_F(PythonGoldenCatalogTest, VisibleNamespacesMatchPython) {
  auto reader = At(kGoldenNow);
  ASSERT_OK_AND_ASSIGN(auto namespaces, reader.ListNamespaces());
  // S14: 'ghost' (abandoned) and 'paused_ns' (paused) are invisible; S16: 'doomed' is dropped.
  EXPECT_EQ(NamespaceNames(namespaces),
            (std::set<std::string>{"default", "ns1", "resumed_ns", "sales", "tmpns_renamed"}));
  // S16: Python's one-file-per-revision scan still lists 'doomed'.
  auto python = At(kGoldenNow);
  python.set_python_first_file_only(true);
  ASSERT_OK_AND_ASSIGN(auto python_namespaces, python.ListNamespaces());
  EXPECT_EQ(
      NamespaceNames(python_namespaces),
      (std::set<std::string>{"default", "doomed", "ns1", "resumed_ns", "sales", "tmpns_renamed"}));
  ASSERT_OK_AND_ASSIGN(auto doomed, reader.FindNamespace("doomed"));
  EXPECT_FALSE(doomed.has_value());
  // S02: ns1 was renamed to ns2, dropped, and re-created with a new UUID.
  ASSERT_OK_AND_ASSIGN(auto ns1, reader.GetNamespace("ns1"));
  EXPECT_EQ(ns1.id, "5c769767-1651-478d-bd93-101f6de4f848");
  EXPECT_EQ(*ns1.doc.Find("properties")->Find("recreated")->AsBool(), true);
  ASSERT_OK_AND_ASSIGN(auto ns2, reader.FindNamespace("ns2"));
  EXPECT_FALSE(ns2.has_value());
  ASSERT_OK_AND_ASSIGN(
      auto old_ns1,
      reader.ReadObject(MetafileKind::kNamespace, {"63a1a1f6-b270-4884-a9e8-b608b83bb5fc"}, true));
  ASSERT_TRUE(old_ns1.has_value());
  EXPECT_TRUE(old_ns1->deleted());
  // Before the rename (S02), ns1 had the old UUID.
  auto before_rename = At(1795503692539353160LL + 1);
  ASSERT_OK_AND_ASSIGN(auto early_ns1, before_rename.GetNamespace("ns1"));
  EXPECT_EQ(early_ns1.id, "63a1a1f6-b270-4884-a9e8-b608b83bb5fc");
  EXPECT_EQ(*early_ns1.doc.Find("properties")->Find("owner")->AsString(), "bob");
}

TEST_F(PythonGoldenCatalogTest, TablesRenamesAndSentinelsRestore) {
  auto reader = At(kGoldenNow);
  ASSERT_OK_AND_ASSIGN(auto sales, reader.GetNamespace("sales"));
  ASSERT_OK_AND_ASSIGN(auto tables, reader.ListTables(sales));
  std::set<std::string> names;
  for (const auto& t : tables) names.insert(Name(t, "tableLocator", "tableName"));
  EXPECT_EQ(names, (std::set<std::string>{"by_region", "events_renamed", "misc_keys", "multi_key",
                                          "multi_schema", "orders", "snapshot"}));
  for (const auto& t : tables) {
    ASSERT_OK_AND_ASSIGN(auto ns_name, ReadLocatorNames(MetafileKind::kTable, t.doc));
    EXPECT_EQ(ns_name.namespace_name, "sales");  // restored from the table's sentinel
  }
  ASSERT_OK_AND_ASSIGN(auto events, reader.FindTable("sales", "events"));
  EXPECT_FALSE(events.has_value());
  // S05/S06/S07: three APPENDs then four ADDs, read after the table rename.
  ASSERT_OK_AND_ASSIGN(auto deltas, Deltas(reader, "sales", "events_renamed"));
  ASSERT_EQ(deltas.size(), 7u);
  EXPECT_EQ(deltas[0].id, "1");
  EXPECT_EQ(deltas[1].id, "2");
  EXPECT_EQ(deltas[2].id, "3");
  for (const auto& delta : deltas) {
    ASSERT_OK_AND_ASSIGN(auto names, ReadLocatorNames(MetafileKind::kDelta, delta.doc));
    EXPECT_EQ(names.namespace_name, "sales");
    EXPECT_EQ(names.table_name, "events_renamed");
    EXPECT_EQ(names.table_version, "1");
  }
  // S07: namespace rename after the write.
  ASSERT_OK_AND_ASSIGN(auto t_deltas, Deltas(reader, "tmpns_renamed", "t"));
  ASSERT_FALSE(t_deltas.empty());
  ASSERT_OK_AND_ASSIGN(auto t_names, ReadLocatorNames(MetafileKind::kDelta, t_deltas[0].doc));
  EXPECT_EQ(t_names.namespace_name, "tmpns_renamed");
  // S09: the re-created table has one delta; S15: B won the conflict.
  ASSERT_OK_AND_ASSIGN(auto scratch, Deltas(reader, "default", "scratch"));
  EXPECT_EQ(scratch.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto contended, reader.GetTable("default", "contended"));
  EXPECT_EQ(*contended.doc.Find("description")->AsString(), "from B");
  // S12: versions and lifecycle states.
  ASSERT_OK_AND_ASSIGN(auto versioned, reader.GetTable("default", "versioned"));
  EXPECT_EQ(*versioned.doc.Find("latest_active_table_version")->AsString(), "2");
  ASSERT_OK_AND_ASSIGN(auto versions, reader.ListTableVersions(versioned));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(*versions[0].doc.Find("state")->AsString(), "deleted");
  EXPECT_EQ(*versions[1].doc.Find("state")->AsString(), "active");
}

TEST_F(PythonGoldenCatalogTest, PartitionsByValuesAndReplacement) {
  auto reader = At(kGoldenNow);
  struct Case {
    const char* table;
    MsgValue values;
    const char* partition_id;
  };
  const Case cases[] = {
      {"by_region", MsgValue::Array({Str("it's")}), "03fae708-2496-4bf3-ab18-1bb688ef90a4"},
      // S11: ['us-east'] was re-staged and committed over the original partition.
      {"by_region", MsgValue::Array({Str("us-east")}), "59dd77ca-0cd7-443a-a884-e59b2271676e"},
      {"multi_key", MsgValue::Array({MsgValue::Int(1), Str("x")}),
       "170e185e-982b-4985-876f-02520ca89906"},
      {"misc_keys", MsgValue::Array({MsgValue::Bool(true), MsgValue(), MsgValue::Double(1.5)}),
       "1c1af60d-a9ef-4b59-91fb-1995e0877486"},
  };
  for (const auto& c : cases) {
    ASSERT_OK_AND_ASSIGN(auto tv, reader.GetTableVersion("sales", c.table, "1"));
    ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(tv));
    ASSERT_OK_AND_ASSIGN(auto partition, reader.FindPartition(stream, c.values));
    ASSERT_TRUE(partition.has_value()) << c.table;
    EXPECT_EQ(partition->id, c.partition_id) << c.table;
  }
  ASSERT_OK_AND_ASSIGN(auto tv, reader.GetTableVersion("sales", "by_region", "1"));
  ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(tv));
  ASSERT_OK_AND_ASSIGN(auto committed, reader.ListPartitions(stream));
  EXPECT_EQ(committed.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto replaced,
                       reader.ReadObject(MetafileKind::kPartition,
                                         {stream.ancestor_ids[0], stream.ancestor_ids[1], "1",
                                          stream.id, "8799fc3f-f0c2-4c01-8ede-95cb9860d4c5"},
                                         true));
  ASSERT_TRUE(replaced.has_value());
  EXPECT_TRUE(replaced->deleted());
}

TEST_F(PythonGoldenCatalogTest, TimeTravelMatchesPythonReads) {
  // S13: end times of the three writes to default.tt; `as_of = end` excludes the commit.
  const int64_t ends[] = {1795503695283564207LL, 1795503695311350215LL, 1795503695353292061LL};
  auto first = At(ends[0]);
  EXPECT_EQ(first.GetTable("default", "tt").status().code(), ErrorCode::kTableNotFound);
  for (int k = 1; k <= 3; ++k) {
    auto reader = At(ends[k - 1] + 1);
    ASSERT_OK_AND_ASSIGN(auto deltas, Deltas(reader, "default", "tt"));
    EXPECT_EQ(deltas.size(), static_cast<size_t>(k)) << k;
    if (k > 1) {
      auto exclusive = At(ends[k - 1]);
      ASSERT_OK_AND_ASSIGN(auto before, Deltas(exclusive, "default", "tt"));
      EXPECT_EQ(before.size(), static_cast<size_t>(k - 1)) << k;
    }
  }
}

TEST_F(PythonGoldenCatalogTest, EveryVisibleMetafileDecodes) {
  auto reader = At(kGoldenNow);
  size_t objects = 0;
  ASSERT_OK_AND_ASSIGN(auto namespaces, reader.ListNamespaces());
  for (const auto& ns : namespaces) {
    ++objects;
    ASSERT_OK_AND_ASSIGN(auto tables, reader.ListTables(ns));
    for (const auto& table : tables) {
      ++objects;
      ASSERT_OK_AND_ASSIGN(auto versions, reader.ListTableVersions(table));
      for (const auto& tv : versions) {
        ++objects;
        ASSERT_OK_AND_ASSIGN(auto streams, reader.ListStreams(tv));
        for (const auto& stream : streams) {
          ++objects;
          ASSERT_OK_AND_ASSIGN(auto partitions, reader.ListPartitions(stream, true));
          for (const auto& partition : partitions) {
            ++objects;
            ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(partition));
            for (const auto& delta : deltas) {
              ++objects;
              ASSERT_OK_AND_ASSIGN(auto decoded, DecodeMetafile(delta.doc));
              EXPECT_FALSE(HasParentSentinel(decoded)) << delta.revision.path;
            }
            ASSERT_OK(DecodeMetafile(partition.doc).status());
          }
          ASSERT_OK(DecodeMetafile(stream.doc).status());
        }
        ASSERT_OK(DecodeMetafile(tv.doc).status());
      }
      ASSERT_OK(DecodeMetafile(table.doc).status());
    }
  }
  EXPECT_GT(objects, 60u);
}

TEST_F(PythonGoldenCatalogTest, TransactionHistoryMatchesTheLogs) {
  TransactionHistoryQuery query;
  ASSERT_OK_AND_ASSIGN(auto success, ListTransactions(golden_, query));
  EXPECT_EQ(success.size(), 60u);
  for (const auto& entry : success) {
    ASSERT_TRUE(entry.record.has_value());
    EXPECT_EQ(entry.record->id, entry.txn_id);
    EXPECT_EQ(entry.record->end_time, entry.end_time);
    for (const auto& op : entry.record->operations) {
      EXPECT_FALSE(op.type.empty());
    }
  }
  // S01 bootstrap: the first transaction created 'default' (plus a read probe).
  const auto& first = success.back();
  EXPECT_EQ(first.txn_id, "1795503691560882017_04cc6530-7139-4170-adba-1cf9bb4bf5cf");
  std::set<std::string> ops;
  for (const auto& op : first.record->operations) ops.insert(op.type);
  EXPECT_EQ(ops, (std::set<std::string>{"create", "read_exists"}));
  query.statuses = {TxnLogStatus::kRunning, TxnLogStatus::kPaused, TxnLogStatus::kFailed};
  ASSERT_OK_AND_ASSIGN(auto others, ListTransactions(golden_, query));
  std::map<TxnLogStatus, int> counts;
  for (const auto& entry : others) ++counts[entry.status];
  EXPECT_EQ(counts[TxnLogStatus::kRunning], 2);
  EXPECT_EQ(counts[TxnLogStatus::kPaused], 1);
  EXPECT_EQ(counts[TxnLogStatus::kFailed], 2);
}

class PythonGoldenCatalogCopyTest : public PythonGoldenCatalogTest {
 protected:
  void SetUp() override {
    PythonGoldenCatalogTest::SetUp();
    if (IsSkipped()) return;
    fs::copy(kGolden, copy_.path() / "catalog", fs::copy_options::recursive);
    auto location = ResolveUri((copy_.path() / "catalog").string());
    ASSERT_TRUE(location.ok());
    catalog_ = *location;
    clock_ = std::make_shared<TransactionClock>(std::make_shared<ManualClock>(kGoldenNow));
  }
  TransactionOptions Options() {
    TransactionOptions options;
    options.clock = clock_;
    return options;
  }
  ::deltacat::testing::TempDir copy_;
  FileSystemLocation catalog_;
  std::shared_ptr<TransactionClock> clock_;
};

TEST_F(PythonGoldenCatalogCopyTest, CppWritesOnTopOfPythonHistory) {
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(catalog_, Options()));
  ASSERT_OK_AND_ASSIGN(auto sales, txn.reader().GetNamespace("sales"));
  ASSERT_OK_AND_ASSIGN(
      auto updated,
      txn.Update(sales.doc, With(sales.doc, "properties", MsgValue::Map({{"team", Str("cpp")}}))));
  ASSERT_OK(txn.Create(TableDoc("sales", "from_cpp")).status());
  // 'doomed' was dropped by Python; its name can be reused.
  ASSERT_OK_AND_ASSIGN(auto doomed, txn.Create(NamespaceDoc("doomed")));
  EXPECT_EQ(doomed.locator_write_paths.size(), 1u);
  ASSERT_OK(txn.Commit().status());
  auto reader = SnapshotReader::AtNow(catalog_, *clock_);
  ASSERT_OK_AND_ASSIGN(auto sales_now, reader.GetNamespace("sales"));
  EXPECT_EQ(*sales_now.doc.Find("properties")->Find("team")->AsString(), "cpp");
  EXPECT_EQ(sales_now.revision.name.revision, updated.metafile.revision.name.revision);
  ASSERT_OK_AND_ASSIGN(auto table, reader.GetTable("sales", "from_cpp"));
  EXPECT_EQ(table.ancestor_ids, std::vector<std::string>{sales.id});
  ASSERT_OK_AND_ASSIGN(auto all, reader.ListNamespaces());
  EXPECT_EQ(NamespaceNames(all).count("doomed"), 1u);
}

TEST_F(PythonGoldenCatalogCopyTest, JanitorCleansPythonLeftoversAndKeepsTheVisibleState) {
  JanitorOptions options;
  options.now_ns = kGoldenNow + 24 * 3600LL * 1'000'000'000LL;
  ASSERT_OK_AND_ASSIGN(auto report, RunJanitor(catalog_, options));
  // S14's abandoned 'ghost' and S16's leftover update are dead; the paused one is kept.
  std::set<std::string> dead(report.dead_transactions.begin(), report.dead_transactions.end());
  EXPECT_EQ(dead.count("1795503695459628644_291f6a33-fc6c-44a9-9d36-26dbacf5a373"), 1u);
  EXPECT_EQ(dead.count("1795503695601077925_92bbecac-ff0c-4c96-b5f6-ee5c90f57659"), 1u);
  EXPECT_EQ(dead.count("1795503695466226419_80ef8461-b8ce-493c-b1a2-ccac30c66bb7"), 0u);
  auto reader = SnapshotReader(catalog_, kGoldenNow);
  ASSERT_OK_AND_ASSIGN(auto namespaces, reader.ListNamespaces());
  EXPECT_EQ(NamespaceNames(namespaces),
            (std::set<std::string>{"default", "ns1", "resumed_ns", "sales", "tmpns_renamed"}));
  // With the leftover gone, Python's scan agrees with ours on 'doomed'.
  auto python = SnapshotReader(catalog_, kGoldenNow);
  python.set_python_first_file_only(true);
  ASSERT_OK_AND_ASSIGN(auto python_namespaces, python.ListNamespaces());
  EXPECT_EQ(NamespaceNames(python_namespaces), NamespaceNames(namespaces));
}

}  // namespace
}  // namespace deltacat::storage::testing
