// Differential and continuation tests of our compactor against the real Python DeltaCAT
// (2.0.0.post4, run from the interop venv): random streams of upserts and deletes are written
// through our storage layer, the catalog is copied, Python's compactor v2 compacts one copy and
// ours the other, and both must read back (through Python) as the same rows. Then each side
// continues the other's compaction with further MERGE/DELETE rounds (Python continues from our
// round completion info, we continue from Python's) and the rows must still agree.

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "compute/compactor_test_table.h"
#include "compute/compute_test_util.h"
#include "integration/compaction_interop.h"
#include "support/temp_dir.h"

namespace deltacat::compute {
namespace {

using nlohmann::json;
using storage::DeltaType;
using testing::CompactorTestTable;
using testing::InteropPython;
using testing::JsonRows;
using testing::MakeSchema;
using testing::RunPythonSteps;
using testing::SortedJsonRows;

constexpr const char* kNs = "ns";
constexpr const char* kTable = "t";

/// One write of a random stream.
struct Op {
  DeltaType type = DeltaType::kUpsert;
  json rows;                         // column -> values
  std::vector<std::string> columns;  // delete columns (empty: merge keys)
};

/// `rows` as a table with its columns in schema order: Python's compactor resolves merge keys by
/// field id used as a column position, so data files must keep the schema's column order (as
/// Python's writer does).
std::shared_ptr<arrow::Table> ArrowOf(const json& rows) {
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<std::shared_ptr<arrow::Array>> arrays;
  for (const char* name : {"pk", "v", "n", "f"}) {
    if (!rows.contains(name)) continue;
    std::shared_ptr<arrow::DataType> type = std::string(name) == "v"   ? arrow::utf8()
                                            : std::string(name) == "f" ? arrow::float64()
                                                                       : arrow::int64();
    fields.push_back(arrow::field(name, type));
    arrays.push_back(testing::ArrayOf(type, rows[name].dump()));
  }
  return arrow::Table::Make(arrow::schema(fields), arrays);
}

class RandomStream {
 public:
  explicit RandomStream(uint64_t seed) : random_(seed) {}

  json Value(const char* column) {
    if (Chance(0.1)) return nullptr;
    if (std::string(column) == "v") return vocabulary_[Pick(vocabulary_.size())];
    if (std::string(column) == "f") return static_cast<double>(Pick(1000)) / 4.0;
    return static_cast<int64_t>(Pick(100));
  }

  Op Upsert(int rows) {
    Op op;
    op.rows = {
        {"pk", json::array()}, {"v", json::array()}, {"n", json::array()}, {"f", json::array()}};
    for (int i = 0; i < rows; ++i) {
      op.rows["pk"].push_back(static_cast<int64_t>(Pick(kKeys)));
      op.rows["v"].push_back(Value("v"));
      op.rows["n"].push_back(Value("n"));
      op.rows["f"].push_back(Value("f"));
    }
    return op;
  }

  Op DeleteByKey(int rows) {
    Op op;
    op.type = DeltaType::kDelete;
    op.rows = {{"pk", json::array()}};
    for (int i = 0; i < rows; ++i) op.rows["pk"].push_back(static_cast<int64_t>(Pick(kKeys + 5)));
    return op;
  }

  Op DeleteByValue() {
    Op op;
    op.type = DeltaType::kDelete;
    op.rows = {{"pk", json::array({-1})},
               {"v", json::array({vocabulary_[Pick(vocabulary_.size())]})}};
    op.columns = {"v"};
    return op;
  }

  Op Any() {
    const double roll = Unit();
    if (roll < 0.6) return Upsert(1 + static_cast<int>(Pick(12)));
    if (roll < 0.85) return DeleteByKey(1 + static_cast<int>(Pick(4)));
    return DeleteByValue();
  }

  /// A partial upsert of one key: only `n` supplied.
  Op Partial() {
    Op op;
    op.rows = {{"pk", json::array({static_cast<int64_t>(Pick(kKeys))})},
               {"n", json::array({static_cast<int64_t>(1000 + Pick(100))})}};
    return op;
  }

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random_); }
  double Unit() { return std::uniform_real_distribution<double>(0, 1)(random_); }
  bool Chance(double p) { return Unit() < p; }

 private:
  static constexpr size_t kKeys = 30;
  std::mt19937_64 random_;
  std::vector<std::string> vocabulary_ = {"a", "b", "c", "d", "e"};
};

json PythonStep(const Op& op) {
  json step = {{"namespace", kNs}, {"table", kTable}, {"rows", op.rows}};
  step["op"] = op.type == DeltaType::kDelete ? "delete" : "merge";
  if (!op.columns.empty()) step["columns"] = op.columns;
  return step;
}

json Read(const std::string& name) {
  return {{"op", "read"}, {"namespace", kNs}, {"table", kTable}, {"name", name}};
}
json Rci(const std::string& name) {
  return {{"op", "rci"}, {"namespace", kNs}, {"table", kTable}, {"name", name}};
}

std::set<std::string> BucketsOf(const json& rci) {
  std::set<std::string> buckets;
  if (rci.contains("hb_index_to_entry_range") && rci["hb_index_to_entry_range"].is_object()) {
    for (const auto& [bucket, range] : rci["hb_index_to_entry_range"].items()) {
      buckets.insert(bucket);
    }
  }
  return buckets;
}

class CompactionInterop : public ::testing::TestWithParam<int> {};

TEST_P(CompactionInterop, DifferentialAndContinuationBothWays) {
  const auto python = InteropPython();
  if (!python) GTEST_SKIP() << "no Python interop venv (set DELTACAT_INTEROP_PYTHON)";
  const int seed = GetParam();
  const int32_t buckets = std::vector<int32_t>{1, 3, 8}[seed % 3];  // seeds 1..6
  ::deltacat::testing::TempDir dir;
  const auto a = dir.path() / "a";
  const auto b = dir.path() / "b";

  auto schema = MakeSchema({{"pk", arrow::int64(), true},
                            {"v", arrow::utf8()},
                            {"n", arrow::int64()},
                            {"f", arrow::float64()}});
  ASSERT_TRUE(schema.ok()) << schema.status();
  auto properties = storage::MsgValue::Map(
      {{"default_compaction_hash_bucket_count", storage::MsgValue::Int(buckets)}});
  auto created = CompactorTestTable::Create(a.string(), *schema, kNs, kTable, properties);
  ASSERT_TRUE(created.ok()) << created.status();
  auto& table_a = *created;

  // A random stream of deltas, written by us, not compacted.
  RandomStream stream(static_cast<uint64_t>(seed) * 7919 + 1);
  for (int i = 0; i < 7; ++i) {
    const Op op = i == 0 ? stream.Upsert(20) : stream.Any();
    const int files = stream.Chance(0.3) ? 2 : 1;
    auto status = table_a->Write(op.type, ArrowOf(op.rows), files, op.columns);
    ASSERT_TRUE(status.ok()) << status;
  }
  testing::CopyCatalog(a, b);
  if (const char* keep = std::getenv("DELTACAT_COMPACTION_INTEROP_KEEP"); keep != nullptr) {
    // Debugging aid: the uncompacted input catalog.
    std::filesystem::remove_all(keep);
    testing::CopyCatalog(a, keep);
  }

  // Python compacts A, we compact B.
  auto out_a = RunPythonSteps(
      *python, a,
      json::array(
          {{{"op", "compact"}, {"namespace", kNs}, {"table", kTable}}, Read("rows"), Rci("rci")}),
      dir.path());
  ASSERT_FALSE(out_a.is_null());
  auto table_b = CompactorTestTable::Open(b.string(), kNs, kTable);
  ASSERT_TRUE(table_b.ok());
  CompactionOptions options;
  options.hash_buckets = buckets;
  auto ours = (*table_b)->Compact(options);
  ASSERT_TRUE(ours.ok()) << ours.status();
  if (const char* keep = std::getenv("DELTACAT_COMPACTION_INTEROP_KEEP"); keep != nullptr) {
    std::filesystem::remove_all(std::string(keep) + "-ours");
    testing::CopyCatalog(b, std::string(keep) + "-ours");
  }
  auto out_b = RunPythonSteps(*python, b, json::array({Read("rows"), Rci("rci")}), dir.path());
  ASSERT_FALSE(out_b.is_null());

  const auto rows_a = SortedJsonRows(out_a["rows"]);
  const auto rows_b = SortedJsonRows(out_b["rows"]);
  EXPECT_EQ(json(rows_a).dump(1), json(rows_b).dump(1)) << "seed " << seed;
  EXPECT_FALSE(rows_a.empty());
  // We read Python's output as Python does, and ours as well.
  auto ours_a = table_a->ReadCommitted();
  ASSERT_TRUE(ours_a.ok()) << ours_a.status();
  EXPECT_EQ(json(JsonRows(**ours_a)).dump(1), json(rows_a).dump(1));
  auto ours_b = (*table_b)->ReadCommitted();
  ASSERT_TRUE(ours_b.ok()) << ours_b.status();
  EXPECT_EQ(json(JsonRows(**ours_b)).dump(1), json(rows_b).dump(1));
  // Same bucket layout: the same buckets hold files.
  EXPECT_EQ(out_a["rci"]["hash_bucket_count"], buckets);
  EXPECT_EQ(out_b["rci"]["hash_bucket_count"], buckets);
  EXPECT_EQ(BucketsOf(out_a["rci"]), BucketsOf(out_b["rci"]));
  EXPECT_EQ(out_b["rci"]["compacted_stream_position"], 1);

  // Python post4's one-bucket path (local merge) cannot continue a round: an incremental round
  // drops every previous row (its merge never reads the compacted table), and a DELETE-only
  // round fails ("No deltas given to merge"). Only backfills agree there.
  if (buckets == 1) return;

  // Continue: Python on B (continues our round), we on A (continue Python's round).
  std::vector<Op> more = {stream.Upsert(6), stream.Partial(), stream.DeleteByKey(2),
                          stream.Upsert(3), stream.DeleteByValue()};
  json steps = json::array();
  for (const Op& op : more) steps.push_back(PythonStep(op));
  steps.push_back(Read("rows"));
  steps.push_back(Rci("rci"));
  auto out_b2 = RunPythonSteps(*python, b, steps, dir.path());
  ASSERT_FALSE(out_b2.is_null());
  for (const Op& op : more) {
    auto result = table_a->WriteAndCompact(op.type, ArrowOf(op.rows), options, 1, op.columns);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->committed);
  }
  auto out_a2 = RunPythonSteps(*python, a, json::array({Read("rows"), Rci("rci")}), dir.path());
  ASSERT_FALSE(out_a2.is_null());
  EXPECT_EQ(json(SortedJsonRows(out_a2["rows"])).dump(1),
            json(SortedJsonRows(out_b2["rows"])).dump(1))
      << "seed " << seed;
  EXPECT_EQ(out_a2["rci"]["hash_bucket_count"], buckets);
  EXPECT_EQ(out_b2["rci"]["hash_bucket_count"], buckets);
  // Python's round read our RCI: its compacted partition replaced ours.
  EXPECT_NE(out_b2["rci"]["partition_id"], out_b["rci"]["partition_id"]);
}

INSTANTIATE_TEST_SUITE_P(Seeds, CompactionInterop, ::testing::Values(1, 2, 3, 4, 5),
                         [](const auto& info) { return "seed" + std::to_string(info.param); });

}  // namespace
}  // namespace deltacat::compute
