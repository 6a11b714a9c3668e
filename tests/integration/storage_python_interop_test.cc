// C++ writes a catalog, the real Python package (deltacat 2.0.0.post4, the interop venv)
// reads it and writes on top of it, and C++ reads Python's changes back.
//
// The interop Python is $DELTACAT_INTEROP_PYTHON, else <source>/venv-interop/bin/python; the
// test is skipped when neither exists.

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "deltacat/storage/catalog_version.h"
#include "deltacat/storage/metafile_document.h"
#include "storage/metafile_builders.h"
#include "storage/storage_test_fixture.h"

namespace deltacat::storage::testing {
namespace {

namespace fs = std::filesystem;

std::string InteropPython() {
  if (const char* env = std::getenv("DELTACAT_INTEROP_PYTHON"); env != nullptr && *env) return env;
  const fs::path venv = fs::path(DELTACAT_SOURCE_DIR) / "venv-interop/bin/python";
  return fs::exists(venv) ? venv.string() : "";
}

/// Runs the interop script on `root` and parses its JSON output.
nlohmann::json RunPython(const std::string& python, const std::string& root) {
  const std::string script =
      (fs::path(DELTACAT_SOURCE_DIR) / "tests/integration/storage_python_interop.py").string();
  const std::string command = "'" + python + "' '" + script + "' '" + root + "' 2>/dev/null";
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
    pclose(pipe);
  }
  // The package may print progress lines; the result is the last line.
  const size_t last = output.find_last_of('\n', output.size() >= 2 ? output.size() - 2 : 0);
  const std::string json = last == std::string::npos ? output : output.substr(last + 1);
  return nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
}

MsgValue SortScheme() {
  return MsgValue::Map({{"keys", MsgValue()},
                        {"name", Str("unsorted_scheme")},
                        {"id", Str("deadbeef-7277-49a4-a195-fdc8ed235d42")},
                        {"nativeObject", MsgValue()}});
}

class StoragePythonInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    python_ = InteropPython();
    if (python_.empty()) GTEST_SKIP() << "no interop venv (set DELTACAT_INTEROP_PYTHON)";
    auto location = ResolveUri(dir_.path().string());
    ASSERT_TRUE(location.ok());
    catalog_ = *location;
  }

  std::string python_;
  ::deltacat::testing::TempDir dir_;
  FileSystemLocation catalog_;
};

TEST_F(StoragePythonInteropTest, PythonReadsAndExtendsACppCatalog) {
  // C++ side: a table with one APPEND and one ADD delta, as the catalog layer writes them.
  {
    ASSERT_OK(EnsureCatalogVersionMarker(catalog_, SystemClock()->NowNanos()).status());
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(catalog_));
    ASSERT_OK(txn.Create(NamespaceDoc("cppns", MsgValue::Map({{"owner", Str("cpp")}}))).status());
    ASSERT_OK(txn.Create(NamespaceDoc("other")).status());
    MsgValue table = TableDoc("cppns", "events", "from C++");
    table.Set("latest_active_table_version", Str("1"));
    table.Set("latest_table_version", Str("1"));
    ASSERT_OK(txn.Create(table).status());
    MsgValue tv = TableVersionDoc("cppns", "events", "1");
    tv.Set("partitionSchemes", MsgValue::Array({UnpartitionedScheme()}));
    tv.Set("sortScheme", SortScheme());
    tv.Set("sortSchemes", MsgValue::Array({SortScheme()}));
    ASSERT_OK(txn.Create(tv).status());
    ASSERT_OK(txn.Create(StreamDoc("cppns", "events", "1", "3f1e2d3c-4b5a-4697-8877-665544332211"))
                  .status());
    ASSERT_OK(txn.Commit().status());
  }
  const std::string stream_id = "3f1e2d3c-4b5a-4697-8877-665544332211";
  const std::string partition_id = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(catalog_));
    ASSERT_OK_AND_ASSIGN(auto staged, txn.Create(PartitionDoc("cppns", "events", "1", stream_id,
                                                              partition_id, "staged")));
    MsgValue delta = DeltaDoc("cppns", "events", "1", stream_id, partition_id, 1, "append");
    delta.Set("previousStreamPosition", MsgValue::Int(0));
    ASSERT_OK(txn.Create(delta).status());
    MsgValue positioned = With(staged.metafile.doc, "streamPosition", MsgValue::Int(1));
    ASSERT_OK(txn.Update(staged.metafile.doc, positioned).status());
    ASSERT_OK(txn.Update(positioned, With(positioned, "state", Str("committed"))).status());
    ASSERT_OK(txn.Commit().status());
  }
  const int64_t add_position = 5234986320171838473LL;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(catalog_));
    ASSERT_OK(
        txn.Create(DeltaDoc("cppns", "events", "1", stream_id, partition_id, add_position, "add"))
            .status());
    ASSERT_OK(txn.Commit().status());
  }

  // Python side.
  const nlohmann::json seen = RunPython(python_, catalog_.root);
  ASSERT_TRUE(seen.is_object()) << "the interop script printed no JSON";
  EXPECT_EQ(seen["deltacat_version"], "2.0.0.post4");
  EXPECT_EQ(seen["namespaces"], nlohmann::json({"cppns", "default", "other"}))
      << seen["namespaces"];
  EXPECT_EQ(seen["namespace_properties"], nlohmann::json({{"owner", "cpp"}}));
  EXPECT_EQ(seen["table"], nlohmann::json({"cppns", "events", "from C++", "1"})) << seen["table"];
  EXPECT_EQ(seen["tables"], nlohmann::json({"events"}));
  EXPECT_EQ(seen["table_version"], "1") << seen["table_version"];
  const auto& partition = seen["partition"];
  ASSERT_TRUE(partition.is_object() && !partition.contains("error")) << partition;
  EXPECT_EQ(partition["stream_id"], stream_id);
  EXPECT_EQ(partition["partition_id"], partition_id);
  EXPECT_EQ(partition["partition_state"], "committed");
  EXPECT_EQ(partition["stream_position"], 1);
  EXPECT_EQ(partition["deltas"], nlohmann::json({{1, "cppns", "events", "append"},
                                                 {add_position, "cppns", "events", "add"}}));
  // dc.transactions(): our three commits plus Python's bootstrap of namespace "default".
  EXPECT_EQ(seen["history"], nlohmann::json({{1, {"create"}},
                                             {2, {"create", "read_exists"}},
                                             {4, {"create", "update"}},
                                             {5, {"create"}}}))
      << seen["history"];
  EXPECT_EQ(seen["update_namespace"], "ok") << seen["update_namespace"];
  EXPECT_EQ(seen["rename_table"], "ok") << seen["rename_table"];
  EXPECT_EQ(seen["create_namespace"], "pyns") << seen["create_namespace"];

  // C++ reads what Python wrote.
  auto reader = SnapshotReader::AtNow(catalog_, *TransactionClock::Default());
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("cppns"));
  EXPECT_EQ(*ns.doc.Find("properties")->Find("by")->AsString(), "python");
  ASSERT_OK_AND_ASSIGN(auto pyns, reader.FindNamespace("pyns"));
  EXPECT_TRUE(pyns.has_value());
  ASSERT_OK_AND_ASSIGN(auto old_name, reader.FindTable("cppns", "events"));
  EXPECT_FALSE(old_name.has_value());
  ASSERT_OK_AND_ASSIGN(auto tv, reader.GetTableVersion("cppns", "events_py", "1"));
  ASSERT_OK_AND_ASSIGN(auto stream, reader.GetStream(tv));
  ASSERT_OK_AND_ASSIGN(auto part, reader.FindPartition(stream, MsgValue()));
  ASSERT_TRUE(part.has_value());
  ASSERT_OK_AND_ASSIGN(auto deltas, reader.ListDeltas(*part));
  ASSERT_EQ(deltas.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto names, ReadLocatorNames(MetafileKind::kDelta, deltas[0].doc));
  EXPECT_EQ(names.table_name, "events_py");
  ASSERT_OK_AND_ASSIGN(auto markers, ReadCatalogVersionMarkers(catalog_));
  std::set<std::string> versions;
  for (const auto& marker : markers) versions.insert(marker.version);
  EXPECT_EQ(versions, (std::set<std::string>{"2.0.0.post4", CppCatalogVersion()}));
  ASSERT_OK(CheckCatalogVersionSupported(catalog_));
}

}  // namespace
}  // namespace deltacat::storage::testing
