// The catalog API against the real Python package (deltacat 2.0.0.post4, the interop venv),
// for every write mode (AUTO, CREATE, ADD, APPEND, REPLACE, MERGE, DELETE, and CHRONO, which
// post4 cannot write but reads as C++ stores it): Python writes and C++ reads exactly the rows
// Python reads; C++ writes, Python reads exactly those rows and writes on top (compacting
// manifests that carry C++'s column statistics), and C++ reads Python's updates, pruning by
// statistics where they exist.
//
// Python runs tests/integration/catalog_interop.py; the test is skipped without the venv.

#include <filesystem>
#include <fstream>
#include <sstream>

#include <arrow/api.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "deltacat/catalog.h"
#include "deltacat/catalog/filter_expression.h"
#include "integration/compaction_interop.h"
#include "support/filtered_read.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

namespace fs = std::filesystem;
using compute::testing::InteropPython;
using compute::testing::JsonRows;
using compute::testing::SortedJsonRows;
using nlohmann::json;

/// Runs catalog_interop.py with `steps` on `root`; returns its output document.
json RunCatalogSteps(const std::string& python, const fs::path& root, const json& steps,
                     const fs::path& work_dir) {
  static int counter = 0;
  const std::string n = std::to_string(++counter);
  const auto steps_path = work_dir / ("steps-" + n + ".json");
  const auto out_path = work_dir / ("out-" + n + ".json");
  const auto log_path = work_dir / ("python-" + n + ".log");
  std::ofstream(steps_path) << steps.dump(1);
  const std::string script =
      std::string(DELTACAT_SOURCE_DIR) + "/tests/integration/catalog_interop.py";
  const std::string command = "'" + python + "' '" + script + "' '" + root.string() + "' '" +
                              steps_path.string() + "' '" + out_path.string() + "' > '" +
                              log_path.string() + "' 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream log(log_path);
  std::stringstream text;
  text << log.rdbuf();
  if (rc != 0) {
    std::string tail = text.str();
    if (tail.size() > 6000) tail = tail.substr(tail.size() - 6000);
    ADD_FAILURE() << "python failed (" << rc << "):\n" << tail;
    return json();
  }
  json out = json::parse(std::ifstream(out_path));
  EXPECT_TRUE(out["errors"].empty()) << out["errors"].dump(1) << "\n" << text.str();
  return out;
}

/// Rows {"id": i, "name": s} in the given order (no sorting: APPEND order must round-trip).
std::vector<json> OrderedRows(const arrow::Table& table) {
  auto sorted = JsonRows(table);  // typed conversion; order restored below
  std::vector<json> rows;
  auto batch = table.CombineChunksToBatch().ValueOrDie();
  auto ids = std::static_pointer_cast<arrow::Int64Array>(batch->GetColumnByName("id"));
  for (int64_t r = 0; r < batch->num_rows(); ++r) {
    for (const auto& row : sorted) {
      if (row["id"] == ids->Value(r)) {
        rows.push_back(row);
        break;
      }
    }
  }
  return rows;
}

std::shared_ptr<arrow::Table> Rows(std::vector<int64_t> ids, std::vector<std::string> names) {
  arrow::Int64Builder id;
  arrow::StringBuilder name;
  EXPECT_TRUE(id.AppendValues(ids).ok());
  EXPECT_TRUE(name.AppendValues(names).ok());
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  return arrow::Table::Make(schema, {id.Finish().ValueOrDie(), name.Finish().ValueOrDie()});
}

json RowsJson(std::vector<int64_t> ids, std::vector<std::string> names) {
  std::vector<json> rows;
  for (size_t i = 0; i < ids.size(); ++i) rows.push_back({{"id", ids[i]}, {"name", names[i]}});
  std::sort(rows.begin(), rows.end(),
            [](const json& a, const json& b) { return a.dump() < b.dump(); });
  return rows;
}

json Write(const std::string& table, const std::string& mode, std::vector<int64_t> ids,
           std::vector<std::string> names, const std::string& name = "") {
  json rows = {{"id", ids}};
  if (!names.empty()) rows["name"] = names;
  json step = {{"op", "write"}, {"table", table}, {"mode", mode}, {"rows", rows}};
  if (!name.empty()) step["name"] = name;
  return step;
}

json CreateKeyed(const std::string& table) {
  return {{"op", "create"},
          {"table", table},
          {"fields",
           {{{"name", "id"}, {"type", "int64"}, {"merge_key", true}},
            {{"name", "name"}, {"type", "string"}}}}};
}

json Read(const std::string& table, bool ordered = false) {
  return {{"op", "read"}, {"table", table}, {"name", table}, {"ordered", ordered}};
}

class CatalogInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto python = InteropPython();
    if (!python) GTEST_SKIP() << "no interop venv (set DELTACAT_INTEROP_PYTHON)";
    python_ = *python;
    root_ = dir_.path() / "catalog";
  }

  std::shared_ptr<Catalog> Open() {
    auto opened = Catalog::Open(root_.string());
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? *opened : nullptr;
  }

  std::vector<json> CppRows(Catalog& catalog, const std::string& table) {
    auto read = catalog.ReadTable(table);
    EXPECT_TRUE(read.ok()) << table << ": " << read.status();
    if (!read.ok()) return {};
    return JsonRows(**read);
  }

  std::string python_;
  testing::TempDir dir_;
  fs::path root_;
};

TEST_F(CatalogInteropTest, PythonWritesEveryModeCppReadsExactly) {
  const json steps = {
      // AUTO creates (APPEND delta), then AUTO on the existing table adds (ADD delta).
      Write("auto_t", "auto", {1, 2, 3}, {"a", "b", "c"}, "auto_first"),
      Write("auto_t", "auto", {4}, {"d"}, "auto_second"),
      Write("create_t", "create", {1, 2}, {"a", "b"}),
      Write("add_t", "create", {1}, {"a"}),
      Write("add_t", "add", {2, 3}, {"b", "c"}),
      Write("append_t", "create", {1, 2}, {"a", "b"}),
      Write("append_t", "append", {3, 4}, {"c", "d"}),
      Write("append_t", "append", {5}, {"e"}),
      Write("replace_t", "create", {1, 2, 3}, {"a", "b", "c"}),
      Write("replace_t", "replace", {7, 8}, {"g", "h"}),
      CreateKeyed("merge_t"),
      Write("merge_t", "merge", {1, 2, 3}, {"a", "b", "c"}),
      Write("merge_t", "merge", {2, 4, 4}, {"B", "x", "D"}),
      CreateKeyed("delete_t"),
      Write("delete_t", "merge", {1, 2, 3}, {"a", "b", "c"}),
      Write("delete_t", "delete", {2, 99}, {}),
      Read("auto_t"),
      Read("create_t"),
      Read("add_t"),
      Read("append_t", /*ordered=*/true),
      Read("replace_t"),
      Read("merge_t"),
      Read("delete_t"),
  };
  const json out = RunCatalogSteps(python_, root_, steps, dir_.path());
  ASSERT_FALSE(out.is_null());
  EXPECT_EQ(out["auto_first"]["type"], "append");
  EXPECT_EQ(out["auto_first"]["stream_position"], 1);
  EXPECT_EQ(out["auto_second"]["type"], "add");

  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  const std::map<std::string, json> expected = {
      {"auto_t", RowsJson({1, 2, 3, 4}, {"a", "b", "c", "d"})},
      {"create_t", RowsJson({1, 2}, {"a", "b"})},
      {"add_t", RowsJson({1, 2, 3}, {"a", "b", "c"})},
      {"append_t", RowsJson({1, 2, 3, 4, 5}, {"a", "b", "c", "d", "e"})},
      {"replace_t", RowsJson({7, 8}, {"g", "h"})},
      {"merge_t", RowsJson({1, 2, 3, 4}, {"a", "B", "c", "D"})},
      {"delete_t", RowsJson({1, 3}, {"a", "c"})},
  };
  for (const auto& [table, rows] : expected) {
    EXPECT_EQ(json(SortedJsonRows(out[table])), rows) << "python's own read of " << table;
    EXPECT_EQ(json(CppRows(*catalog, table)), rows) << "C++ read of " << table;
  }
  // APPEND order round-trips exactly.
  auto append = catalog->ReadTable("append_t");
  ASSERT_TRUE(append.ok()) << append.status();
  EXPECT_EQ(json(OrderedRows(**append)), out["append_t"]);
  // Python's merge key is ours.
  auto merge = catalog->GetTable("merge_t");
  ASSERT_TRUE(merge.ok()) << merge.status();
  EXPECT_EQ(merge->version->merge_keys, std::vector<std::string>{"id"});
}

TEST_F(CatalogInteropTest, CppWritesEveryModePythonReadsAndUpdates) {
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  auto write = [&](const std::string& table, TableWriteMode mode,
                   std::shared_ptr<arrow::Table> rows) {
    WriteOptions options;
    options.mode = mode;
    auto written = catalog->Write(table, std::move(rows), options);
    ASSERT_TRUE(written.ok()) << table << ": " << written.status();
  };
  write("auto_t", TableWriteMode::kAuto, Rows({1, 2, 3}, {"a", "b", "c"}));
  write("auto_t", TableWriteMode::kAuto, Rows({4}, {"d"}));
  write("create_t", TableWriteMode::kCreate, Rows({1, 2}, {"a", "b"}));
  write("add_t", TableWriteMode::kCreate, Rows({1}, {"a"}));
  write("add_t", TableWriteMode::kAdd, Rows({2, 3}, {"b", "c"}));
  write("append_t", TableWriteMode::kCreate, Rows({1, 2}, {"a", "b"}));
  write("append_t", TableWriteMode::kAppend, Rows({3, 4}, {"c", "d"}));
  write("replace_t", TableWriteMode::kCreate, Rows({1, 2, 3}, {"a", "b", "c"}));
  write("replace_t", TableWriteMode::kReplace, Rows({7, 8}, {"g", "h"}));
  for (const std::string table : {"merge_t", "delete_t"}) {
    CreateTableOptions keyed;
    keyed.schema = Rows({}, {})->schema();
    keyed.merge_keys = {"id"};
    ASSERT_TRUE(catalog->CreateTable(table, keyed).ok());
    write(table, TableWriteMode::kMerge, Rows({1, 2, 3}, {"a", "b", "c"}));
  }
  write("merge_t", TableWriteMode::kMerge, Rows({2, 4, 4}, {"B", "x", "D"}));
  write("delete_t", TableWriteMode::kDelete, Rows({2, 99}, {"", ""}));

  const std::vector<std::string> tables = {"auto_t",    "create_t", "add_t",   "append_t",
                                           "replace_t", "merge_t",  "delete_t"};
  std::map<std::string, json> before;
  for (const auto& table : tables) before[table] = CppRows(*catalog, table);
  auto append_before = catalog->ReadTable("append_t");
  ASSERT_TRUE(append_before.ok()) << append_before.status();
  const json append_order = OrderedRows(**append_before);

  json steps = json::array();
  for (const auto& table : tables) {
    json step = Read(table, table == "append_t");
    step["name"] = "before_" + table;
    steps.push_back(step);
  }
  // Python writes on top of every C++ table, with the modes that apply to it.
  steps.push_back(Write("auto_t", "auto", {5}, {"e"}));
  steps.push_back(Write("create_t", "append", {3}, {"c"}));
  steps.push_back(Write("add_t", "add", {4}, {"d"}));
  steps.push_back(Write("append_t", "append", {5}, {"e"}));
  steps.push_back(Write("replace_t", "replace", {9}, {"i"}));
  steps.push_back(Write("merge_t", "merge", {1, 5}, {"A", "e"}));
  steps.push_back(Write("delete_t", "delete", {1}, {}));
  for (const auto& table : tables) steps.push_back(Read(table, table == "append_t"));
  const json out = RunCatalogSteps(python_, root_, steps, dir_.path());
  ASSERT_FALSE(out.is_null());

  // Python reads exactly what C++ wrote (APPEND order included).
  for (const auto& table : tables) {
    if (table == "append_t") {
      EXPECT_EQ(out["before_" + table], append_order);
    } else {
      EXPECT_EQ(json(SortedJsonRows(out["before_" + table])), before[table]) << table;
    }
  }
  EXPECT_EQ(before["merge_t"], RowsJson({1, 2, 3, 4}, {"a", "B", "c", "D"}));
  EXPECT_EQ(before["delete_t"], RowsJson({1, 3}, {"a", "c"}));
  EXPECT_EQ(before["replace_t"], RowsJson({7, 8}, {"g", "h"}));

  // C++ reads exactly what Python made of it.
  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  const std::map<std::string, json> expected = {
      {"auto_t", RowsJson({1, 2, 3, 4, 5}, {"a", "b", "c", "d", "e"})},
      {"create_t", RowsJson({1, 2, 3}, {"a", "b", "c"})},
      {"add_t", RowsJson({1, 2, 3, 4}, {"a", "b", "c", "d"})},
      {"append_t", RowsJson({1, 2, 3, 4, 5}, {"a", "b", "c", "d", "e"})},
      {"replace_t", RowsJson({9}, {"i"})},
      {"merge_t", RowsJson({1, 2, 3, 4, 5}, {"A", "B", "c", "D", "e"})},
      {"delete_t", RowsJson({3}, {"c"})},
  };
  for (const auto& [table, rows] : expected) {
    EXPECT_EQ(json(SortedJsonRows(out[table])), rows) << "python's read of " << table;
    EXPECT_EQ(json(CppRows(*reopened, table)), rows) << "C++ read of " << table;
  }
  auto append = reopened->ReadTable("append_t");
  ASSERT_TRUE(append.ok());
  EXPECT_EQ(json(OrderedRows(**append)), out["append_t"]);

  // And C++ keeps writing after Python: an upsert lands on Python's compacted partition.
  WriteOptions merge;
  merge.mode = TableWriteMode::kMerge;
  ASSERT_TRUE(reopened->Write("merge_t", Rows({5, 6}, {"E", "f"}), merge).ok());
  EXPECT_EQ(json(CppRows(*reopened, "merge_t")),
            RowsJson({1, 2, 3, 4, 5, 6}, {"A", "B", "c", "D", "E", "f"}));
}

// CHRONO both ways: C++ CHRONO deltas on a Python-created table read in Python (post4 sees
// ADD deltas at epoch-millisecond positions), Python writes on top, and both read the same rows
// in the same order. A filtered C++ read then prunes C++'s files by their statistics and reads
// Python's files, which have none.
TEST_F(CatalogInteropTest, ChronoWritesReadAndUpdateInPython) {
  const json create = {Write("chrono_t", "create", {1, 2}, {"a", "b"})};
  ASSERT_FALSE(RunCatalogSteps(python_, root_, create, dir_.path()).is_null());
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  WriteOptions chrono;
  chrono.mode = TableWriteMode::kChrono;
  auto first = catalog->Write("chrono_t", Rows({3, 4}, {"c", "d"}), chrono);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->type, "chrono");
  ASSERT_TRUE(catalog->Write("chrono_t", Rows({5}, {"e"}), chrono).ok());
  auto mine = catalog->ReadTable("chrono_t");
  ASSERT_TRUE(mine.ok()) << mine.status();
  const json cpp_order = OrderedRows(**mine);

  json steps = json::array();
  json before = Read("chrono_t", /*ordered=*/true);
  before["name"] = "before";
  steps.push_back(before);
  steps.push_back(Write("chrono_t", "add", {6}, {"f"}));
  steps.push_back(Write("chrono_t", "append", {7}, {"g"}));
  steps.push_back(Read("chrono_t", /*ordered=*/true));
  const json out = RunCatalogSteps(python_, root_, steps, dir_.path());
  ASSERT_FALSE(out.is_null());
  EXPECT_EQ(out["before"], cpp_order);
  EXPECT_EQ(json(SortedJsonRows(out["before"])),
            RowsJson({1, 2, 3, 4, 5}, {"a", "b", "c", "d", "e"}));

  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  auto after = reopened->ReadTable("chrono_t");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(json(OrderedRows(**after)), out["chrono_t"]);
  EXPECT_EQ(json(SortedJsonRows(out["chrono_t"])),
            RowsJson({1, 2, 3, 4, 5, 6, 7}, {"a", "b", "c", "d", "e", "f", "g"}));
  // And C++ keeps writing CHRONO after Python.
  ASSERT_TRUE(reopened->Write("chrono_t", Rows({8}, {"h"}), chrono).ok());

  const auto selected = testing::ReadWhere(*reopened, "chrono_t", "id >= 5");
  ASSERT_TRUE(selected.rows.ok()) << selected.rows.status();
  EXPECT_EQ(json(JsonRows(**selected.rows)), RowsJson({5, 6, 7, 8}, {"e", "f", "g", "h"}));
  EXPECT_EQ(selected.statistics.files_total, 6);
  EXPECT_EQ(selected.statistics.files_without_statistics, 3);  // Python's three files
  EXPECT_EQ(selected.statistics.files_pruned, 1);              // C++'s CHRONO file of ids 3-4
}

// Python compacts a merge-keyed table whose C++ manifests carry statistics: the entries it
// copies by reference keep them (and still describe their files), the files it rewrites have
// none, and pruned C++ reads equal unpruned ones throughout.
TEST_F(CatalogInteropTest, PythonCompactsManifestsCarryingStatistics) {
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  CreateTableOptions keyed;
  keyed.schema = Rows({}, {})->schema();
  keyed.merge_keys = {"id"};
  ASSERT_TRUE(catalog->CreateTable("k", keyed).ok());
  WriteOptions merge;
  merge.mode = TableWriteMode::kMerge;
  std::vector<int64_t> ids;
  std::vector<std::string> names;
  for (int64_t i = 0; i < 200; ++i) {
    ids.push_back(i);
    names.push_back("n" + std::to_string(i));
  }
  ASSERT_TRUE(catalog->Write("k", Rows(ids, names), merge).ok());
  // Python's upsert rewrites the buckets of ids 3 and 500 and copies the others by reference:
  // those keep C++'s statistics, still valid, and reads prune them.
  const json upsert = {Write("k", "merge", {3, 500}, {"three", "five hundred"})};
  ASSERT_FALSE(RunCatalogSteps(python_, root_, upsert, dir_.path()).is_null());
  {
    auto after_upsert = Open();
    ASSERT_NE(after_upsert, nullptr);
    const auto none = testing::ReadWhere(*after_upsert, "k", "id < 0");
    ASSERT_TRUE(none.rows.ok()) << none.rows.status();
    EXPECT_EQ((*none.rows)->num_rows(), 0);
    const ReadStatistics& stats = none.statistics;
    EXPECT_GT(stats.files_without_statistics, 0);
    EXPECT_LT(stats.files_without_statistics, stats.files_total);
    EXPECT_EQ(stats.files_pruned, stats.files_total - stats.files_without_statistics);
  }
  const json steps = {Write("k", "delete", {4}, {}), Read("k")};
  const json out = RunCatalogSteps(python_, root_, steps, dir_.path());
  ASSERT_FALSE(out.is_null());
  EXPECT_EQ(out["k"].size(), 200u);
  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(json(CppRows(*reopened, "k")), json(SortedJsonRows(out["k"])));
  for (const char* where : {"id >= 150", "id = 3", "name = 'five hundred'", "id < 0",
                            "not (id between 10 and 190)", "name is null"}) {
    const auto pruned = testing::ReadWhere(*reopened, "k", where);
    const auto full = testing::ReadWhere(*reopened, "k", where, /*prune_files=*/false);
    ASSERT_TRUE(pruned.rows.ok() && full.rows.ok()) << where;
    EXPECT_EQ(json(JsonRows(**pruned.rows)), json(JsonRows(**full.rows))) << where;
    const ReadStatistics& stats = pruned.statistics;
    EXPECT_FALSE(stats.merged_on_read);
    RecordProperty("files_total", static_cast<int>(stats.files_total));
    RecordProperty("files_without_statistics", static_cast<int>(stats.files_without_statistics));
    RecordProperty(std::string("files_pruned ") + where, static_cast<int>(stats.files_pruned));
  }
}

}  // namespace
}  // namespace deltacat
