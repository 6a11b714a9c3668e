// File pruning by manifest column statistics: the statistics codec, the three-valued filter
// evaluation against statistics (checked against Arrow's own evaluation of random filters on
// random data), pruned catalog reads against unpruned ones, merge-on-read safety, and CHRONO
// deltas stored as Python-readable ADD deltas.
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/ipc/json_simple.h>
#include <gtest/gtest.h>

#include "deltacat/catalog.h"
#include "deltacat/catalog/chrono_delta.h"
#include "deltacat/catalog/filter_expression.h"
#include "deltacat/catalog/native_catalog.h"
#include "deltacat/catalog/statistics_pruning.h"
#include "deltacat/compute/manifest_statistics.h"
#include "deltacat/io/column_statistics.h"
#include "deltacat/storage/codec/manifest_codec.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "support/filtered_read.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

namespace cp = arrow::compute;

// The statistics a writer records for `batch`, through their manifest form.
std::optional<compute::FileColumnStatistics> RoundTrip(const arrow::RecordBatch& batch,
                                                       const arrow::Schema& read_schema) {
  io::ColumnStatisticsCollector collector(batch.schema());
  EXPECT_TRUE(collector.Update(batch).ok());
  storage::ManifestMeta meta;
  meta.record_count = batch.num_rows();
  compute::AttachColumnStatistics(
      meta, compute::EncodeColumnStatistics(collector.statistics(), batch.num_rows()));
  // Through msgpack bytes, as a manifest travels.
  auto bytes = storage::EncodeMsgpack(
      compute::EncodeColumnStatistics(collector.statistics(), batch.num_rows()));
  auto decoded = storage::DecodeMsgpack(bytes);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  compute::AttachColumnStatistics(meta, *decoded);
  return compute::DecodeColumnStatistics(meta, read_schema);
}

std::shared_ptr<arrow::Array> ArrayOf(const std::shared_ptr<arrow::DataType>& type,
                                      const std::string& json) {
  auto array = arrow::ipc::internal::json::ArrayFromJSON(type, json);
  EXPECT_TRUE(array.ok()) << array.status();
  return array.ValueOrDie();
}

const io::ColumnStatistics* Column(const compute::FileColumnStatistics& stats,
                                   const std::string& name) {
  for (const auto& column : stats.columns) {
    if (column.column == name) return &column;
  }
  return nullptr;
}

TEST(ManifestStatisticsTest, RoundTripsEveryOrderedType) {
  auto schema = arrow::schema({
      arrow::field("i8", arrow::int8()),
      arrow::field("u64", arrow::uint64()),
      arrow::field("f", arrow::float64()),
      arrow::field("b", arrow::boolean()),
      arrow::field("s", arrow::utf8()),
      arrow::field("bin", arrow::binary()),
      arrow::field("d", arrow::date32()),
      arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
      arrow::field("l", arrow::list(arrow::int32())),
  });
  auto batch = arrow::RecordBatch::Make(
      schema, 3,
      {ArrayOf(arrow::int8(), "[-3, null, 7]"),
       ArrayOf(arrow::uint64(), "[18446744073709551615, 1, 2]"),
       ArrayOf(arrow::float64(), "[NaN, -2.5, null]"),
       ArrayOf(arrow::boolean(), "[true, true, null]"),
       ArrayOf(arrow::utf8(), R"(["pear", "apple", null])"),
       ArrayOf(arrow::binary(), R"(["\u0001", "zz", "a"])"),
       ArrayOf(arrow::date32(), "[1, 20000, 3]"),
       ArrayOf(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), "[5, 1, 9]"),
       ArrayOf(arrow::list(arrow::int32()), "[[1], null, []]")});
  auto stats = RoundTrip(*batch, *schema);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->record_count, 3);
  auto expect = [&](const std::string& name, const std::string& min, const std::string& max,
                    int64_t nulls) {
    const auto* column = Column(*stats, name);
    ASSERT_NE(column, nullptr) << name;
    ASSERT_TRUE(column->min && column->max) << name;
    EXPECT_EQ(column->min->ToString(), min) << name;
    EXPECT_EQ(column->max->ToString(), max) << name;
    EXPECT_TRUE(column->min->type->Equals(*schema->GetFieldByName(name)->type())) << name;
    EXPECT_EQ(column->null_count, nulls) << name;
  };
  expect("i8", "-3", "7", 1);
  expect("u64", "1", "18446744073709551615", 0);
  expect("f", "-2.5", "-2.5", 1);
  expect("b", "true", "true", 1);
  expect("s", "apple", "pear", 1);
  const auto* d = Column(*stats, "d");
  ASSERT_TRUE(d->min && d->max);
  EXPECT_EQ(std::static_pointer_cast<arrow::Date32Scalar>(d->min)->value, 1);
  EXPECT_EQ(std::static_pointer_cast<arrow::Date32Scalar>(d->max)->value, 20000);
  EXPECT_EQ(Column(*stats, "f")->nan_count, 1);
  EXPECT_EQ(Column(*stats, "i8")->nan_count, std::nullopt);
  const auto* ts = Column(*stats, "ts");
  ASSERT_TRUE(ts->min && ts->max);
  EXPECT_EQ(std::static_pointer_cast<arrow::TimestampScalar>(ts->min)->value, 1);
  EXPECT_EQ(std::static_pointer_cast<arrow::TimestampScalar>(ts->max)->value, 9);
  const auto* bin = Column(*stats, "bin");
  ASSERT_TRUE(bin->min && bin->max);
  const auto* list = Column(*stats, "l");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->min, nullptr);
  EXPECT_EQ(list->null_count, 1);
}

TEST(ManifestStatisticsTest, LongStringsKeepValidBounds) {
  const std::string long_a = std::string(100, 'a');
  std::string multibyte;
  for (int i = 0; i < 40; ++i) multibyte += "\xC3\xA9";  // é
  multibyte += "z";
  const std::string max_chars = std::string(70, '\x7F');
  auto schema = arrow::schema({arrow::field("s", arrow::utf8())});
  for (const auto& [low, high] : std::vector<std::pair<std::string, std::string>>{
           {long_a, multibyte}, {"", max_chars}, {multibyte, multibyte}}) {
    arrow::StringBuilder builder;
    ASSERT_TRUE(builder.Append(low).ok());
    ASSERT_TRUE(builder.Append(high).ok());
    auto batch = arrow::RecordBatch::Make(schema, 2, {builder.Finish().ValueOrDie()});
    auto stats = RoundTrip(*batch, *schema);
    ASSERT_TRUE(stats.has_value());
    const auto* column = Column(*stats, "s");
    ASSERT_NE(column, nullptr);
    ASSERT_TRUE(column->min);
    const auto min = std::static_pointer_cast<arrow::StringScalar>(column->min)->ToString();
    EXPECT_LE(min.size(), compute::kMaxStatisticsBoundBytes);
    EXPECT_LE(min, std::min(low, high));
    if (column->max) {
      const auto max = std::static_pointer_cast<arrow::StringScalar>(column->max)->ToString();
      EXPECT_LE(max.size(), compute::kMaxStatisticsBoundBytes);
      EXPECT_GE(max, std::max(low, high));
    }
  }
}

TEST(ManifestStatisticsTest, IgnoresStatisticsOfAnotherRowCountOrVersion) {
  auto schema = arrow::schema({arrow::field("x", arrow::int32())});
  auto batch = arrow::RecordBatch::Make(schema, 2, {ArrayOf(arrow::int32(), "[1, 2]")});
  io::ColumnStatisticsCollector collector(schema);
  ASSERT_TRUE(collector.Update(*batch).ok());
  storage::ManifestMeta meta;
  meta.record_count = 3;  // the entry now describes another file
  compute::AttachColumnStatistics(meta, compute::EncodeColumnStatistics(collector.statistics(), 2));
  EXPECT_FALSE(compute::DecodeColumnStatistics(meta, *schema).has_value());
  meta.record_count = 2;
  EXPECT_TRUE(compute::DecodeColumnStatistics(meta, *schema).has_value());
  auto future = compute::EncodeColumnStatistics(collector.statistics(), 2);
  future.Set("version", storage::MsgValue::Int(99));
  compute::AttachColumnStatistics(meta, future);
  EXPECT_FALSE(compute::DecodeColumnStatistics(meta, *schema).has_value());
  // Encoded through the manifest codec, the key survives as an unknown meta key.
  compute::AttachColumnStatistics(meta, compute::EncodeColumnStatistics(collector.statistics(), 2));
  auto reread = storage::DecodeManifestMeta(storage::EncodeManifestMeta(meta));
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_TRUE(compute::DecodeColumnStatistics(*reread, *schema).has_value());
}

TEST(ManifestStatisticsTest, FollowsOrderPreservingTypeWidening) {
  auto written =
      arrow::schema({arrow::field("x", arrow::int32()), arrow::field("y", arrow::int32()),
                     arrow::field("s", arrow::utf8())});
  auto batch = arrow::RecordBatch::Make(
      written, 2,
      {ArrayOf(arrow::int32(), "[-4, 9]"), ArrayOf(arrow::int32(), "[1, 2]"),
       ArrayOf(arrow::utf8(), R"(["a", "b"])")});
  auto widened =
      arrow::schema({arrow::field("x", arrow::int64()), arrow::field("y", arrow::float64()),
                     arrow::field("s", arrow::large_utf8())});
  auto stats = RoundTrip(*batch, *widened);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(Column(*stats, "x")->min->ToString(), "-4");
  EXPECT_TRUE(Column(*stats, "x")->min->type->Equals(*arrow::int64()));
  EXPECT_TRUE(Column(*stats, "y")->max->type->Equals(*arrow::float64()));
  EXPECT_EQ(Column(*stats, "y")->nan_count, 0);  // widened integers are never NaN
  EXPECT_TRUE(Column(*stats, "s")->min->type->Equals(*arrow::large_utf8()));
  // A type change that does not preserve order drops the bounds.
  auto to_string = arrow::schema({arrow::field("x", arrow::utf8())});
  auto dropped = RoundTrip(*batch, *to_string);
  ASSERT_TRUE(dropped.has_value());
  EXPECT_EQ(Column(*dropped, "x")->min, nullptr);
}

// --- FileMayMatch against Arrow's evaluation ---------------------------------------------

std::shared_ptr<arrow::Schema> RandomSchema() {
  return arrow::schema({arrow::field("i", arrow::int32()), arrow::field("f", arrow::float64()),
                        arrow::field("s", arrow::utf8()), arrow::field("b", arrow::boolean()),
                        arrow::field("u", arrow::uint8())});
}

class RandomFilters {
 public:
  explicit RandomFilters(uint32_t seed) : rng_(seed) {}

  std::shared_ptr<arrow::RecordBatch> Batch(int64_t rows) {
    arrow::Int32Builder i;
    arrow::DoubleBuilder f;
    arrow::StringBuilder s;
    arrow::BooleanBuilder b;
    arrow::UInt8Builder u;
    static const double kFloats[] = {
        -1.5, 0.0, 2.5, std::nan(""), std::numeric_limits<double>::infinity(), -0.0, 7.0};
    for (int64_t r = 0; r < rows; ++r) {
      const bool all_null_file = null_heavy_;
      auto null = [&]() { return all_null_file || Pick(6) == 0; };
      EXPECT_TRUE((null() ? i.AppendNull() : i.Append(Pick(11) - 5)).ok());
      EXPECT_TRUE((null() ? f.AppendNull()
                          : f.Append(kFloats[Pick(nan_heavy_ ? 1 : 7) + (nan_heavy_ ? 3 : 0)]))
                      .ok());
      EXPECT_TRUE((null() ? s.AppendNull() : s.Append(Word())).ok());
      EXPECT_TRUE((null() ? b.AppendNull() : b.Append(Pick(2) == 0)).ok());
      EXPECT_TRUE((null() ? u.AppendNull() : u.Append(static_cast<uint8_t>(Pick(5) * 60))).ok());
    }
    return arrow::RecordBatch::Make(
        RandomSchema(), rows,
        {i.Finish().ValueOrDie(), f.Finish().ValueOrDie(), s.Finish().ValueOrDie(),
         b.Finish().ValueOrDie(), u.Finish().ValueOrDie()});
  }

  // Some files hold only nulls or only NaN, which exercises the edges of the evaluation.
  void NextFileKind() {
    null_heavy_ = Pick(12) == 0;
    nan_heavy_ = Pick(10) == 0;
  }

  std::string Filter(int depth = 0) {
    const int kind = depth >= 3 ? 0 : Pick(7);
    switch (kind) {
      case 1: return "(" + Filter(depth + 1) + ") and (" + Filter(depth + 1) + ")";
      case 2: return "(" + Filter(depth + 1) + ") or (" + Filter(depth + 1) + ")";
      case 3: return "not (" + Filter(depth + 1) + ")";
      default: return Predicate();
    }
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string Word() {
    static const char* kWords[] = {"", "a", "ab", "b", "zzz", "é", "ée"};
    if (Pick(8) == 0) {
      std::string long_word(Pick(2) == 0 ? 66 : 90, 'm');
      long_word += kWords[Pick(7)];
      return long_word;
    }
    return kWords[Pick(7)];
  }

  std::string Number() {
    static const char* kNumbers[] = {"-6", "-5",  "-1",   "0",   "1",   "2",   "3",   "5",
                                     "6",  "2.5", "-1.5", "7.0", "0.5", "255", "300", "-0.0"};
    return kNumbers[Pick(16)];
  }

  std::string StringLiteral() {
    static const char* kLiterals[] = {
        "''",   "'a'",
        "'ab'", "'b'",
        "'zz'", "'é'",
        "'m'",  "'mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmz'"};
    return kLiterals[Pick(8)];
  }

  std::string Op() {
    static const char* kOps[] = {"=", "!=", "<", "<=", ">", ">="};
    return kOps[Pick(6)];
  }

  std::string Predicate() {
    static const char* kNumericColumns[] = {"i", "f", "u"};
    const std::string numeric = kNumericColumns[Pick(3)];
    switch (Pick(11)) {
      case 0: return numeric + " " + Op() + " " + Number();
      case 1: return Number() + " " + Op() + " " + numeric;  // literal first
      case 2: return "s " + Op() + " " + StringLiteral();
      case 3: return "b = " + std::string(Pick(2) ? "true" : "false");
      case 4: return numeric + (Pick(2) ? " not" : "") + " in (" + Number() + ", " + Number() + ")";
      case 5: return "s in (" + StringLiteral() + ", " + StringLiteral() + ")";
      case 6: {
        static const char* kColumns[] = {"i", "f", "s", "b", "u"};
        return std::string(kColumns[Pick(5)]) + " is " + (Pick(2) ? "not " : "") + "null";
      }
      case 7: return numeric + " between " + Number() + " and " + Number();
      case 8: return numeric + " " + Op() + " null";
      case 9: return "i " + Op() + " u";  // column against column: never understood
      default: return numeric + " " + Op() + " " + Number();
    }
  }

  std::mt19937 rng_;
  bool null_heavy_ = false;
  bool nan_heavy_ = false;
};

TEST(StatisticsPruningTest, NeverPrunesAFileWithAMatchingRowOverRandomFilters) {
  RandomFilters random(20240917);
  const auto schema = RandomSchema();
  int64_t pruned = 0, matching = 0, checks = 0;
  for (int file = 0; file < 300; ++file) {
    random.NextFileKind();
    const int64_t rows = file % 25 == 0 ? 0 : 1 + file % 7;
    auto batch = random.Batch(rows);
    auto stats = RoundTrip(*batch, *schema);
    ASSERT_TRUE(stats.has_value());
    for (int f = 0; f < 25; ++f) {
      const std::string text = random.Filter();
      auto parsed = ParseFilterExpression(text);
      ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
      auto bound = BindFilter(*parsed, *schema);
      ASSERT_TRUE(bound.ok()) << text << ": " << bound.status();
      auto prepared = PrepareFilterForPruning(*bound);
      ASSERT_TRUE(prepared.ok()) << text;
      auto mask = cp::ExecuteScalarExpression(*bound, cp::ExecBatch(*batch));
      ASSERT_TRUE(mask.ok()) << text << ": " << mask.status();
      auto selected = cp::Filter(batch, *mask);
      ASSERT_TRUE(selected.ok());
      const bool any = selected->record_batch()->num_rows() > 0;
      const bool may = FileMayMatch(*prepared, *stats);
      ++checks;
      if (any) {
        ++matching;
        EXPECT_TRUE(may) << "pruned a file with a matching row: " << text << "\n"
                         << batch->ToString();
      }
      if (!may) ++pruned;
    }
  }
  RecordProperty("checks", static_cast<int>(checks));
  RecordProperty("non_matching", static_cast<int>(checks - matching));
  RecordProperty("pruned", static_cast<int>(pruned));
  // The evaluation is not vacuous: it prunes a good share of the non-matching files.
  EXPECT_GT(pruned, (checks - matching) / 10) << pruned << " of " << checks - matching;
}

TEST(StatisticsPruningTest, HandlesNaNNullsAndNegationConservatively) {
  auto schema =
      arrow::schema({arrow::field("f", arrow::float64()), arrow::field("i", arrow::int64())});
  auto batch = arrow::RecordBatch::Make(schema, 3,
                                        {ArrayOf(arrow::float64(), "[1.0, NaN, 1.0]"),
                                         ArrayOf(arrow::int64(), "[null, null, null]")});
  auto stats = RoundTrip(*batch, *schema);
  ASSERT_TRUE(stats.has_value());
  auto may = [&](const std::string& text) {
    auto bound = BindFilter(*ParseFilterExpression(text), *schema);
    EXPECT_TRUE(bound.ok()) << bound.status();
    return FileMayMatch(*PrepareFilterForPruning(*bound), *stats);
  };
  EXPECT_TRUE(may("f != 1"));       // NaN != 1 is true
  EXPECT_TRUE(may("not (f = 1)"));  // and so is not (NaN = 1)
  EXPECT_FALSE(may("f > 1"));
  EXPECT_FALSE(may("f < 1"));
  EXPECT_TRUE(may("f = 1"));
  EXPECT_FALSE(may("i = 3"));        // only nulls: comparisons are null
  EXPECT_FALSE(may("not (i = 3)"));  // not null is null
  EXPECT_TRUE(may("i is null"));
  EXPECT_FALSE(may("i is not null"));
  EXPECT_FALSE(may("f is null"));
  EXPECT_TRUE(may("i is null or f > 5"));
  EXPECT_FALSE(may("f = null"));
  EXPECT_TRUE(may("f > 0.5 and f < 1.5"));
  EXPECT_FALSE(may("f in (2, 3)"));
  EXPECT_TRUE(may("f not in (2, 3)"));
}

// --- Catalog reads ----------------------------------------------------------------------

std::shared_ptr<arrow::Table> Rows(int64_t first, int64_t count) {
  arrow::Int64Builder id;
  arrow::StringBuilder name;
  arrow::DoubleBuilder score;
  for (int64_t i = first; i < first + count; ++i) {
    EXPECT_TRUE(id.Append(i).ok());
    EXPECT_TRUE((i % 7 == 0 ? name.AppendNull() : name.Append("n" + std::to_string(i % 13))).ok());
    EXPECT_TRUE(
        (i % 11 == 0 ? score.Append(std::nan("")) : score.Append(static_cast<double>(i % 17) / 2))
            .ok());
  }
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
                     arrow::field("score", arrow::float64())});
  return arrow::Table::Make(
      schema, {id.Finish().ValueOrDie(), name.Finish().ValueOrDie(), score.Finish().ValueOrDie()});
}

std::shared_ptr<arrow::Table> SortedById(const std::shared_ptr<arrow::Table>& table) {
  auto indices = cp::SortIndices(arrow::Datum(table), cp::SortOptions({cp::SortKey("id")}));
  EXPECT_TRUE(indices.ok());
  auto sorted = cp::Take(arrow::Datum(table), *indices);
  EXPECT_TRUE(sorted.ok());
  return sorted->table()->CombineChunks().ValueOrDie();
}

class PruningCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Catalog::Open(dir_.Child("catalog"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    catalog_ = *opened;
  }

  std::shared_ptr<arrow::Table> Read(const std::string& table, const std::string& where, bool prune,
                                     ReadStatistics* stats) {
    auto read = testing::ReadWhere(*catalog_, table, where, prune);
    EXPECT_TRUE(read.rows.ok()) << where << ": " << read.rows.status();
    if (stats != nullptr) *stats = read.statistics;
    return read.rows.ok() ? SortedById(*read.rows) : nullptr;
  }

  std::vector<storage::Delta> Deltas(const std::string& table) {
    auto native = std::dynamic_pointer_cast<NativeCatalog>(catalog_);
    EXPECT_NE(native, nullptr);
    std::vector<storage::Delta> out;
    Status status =
        native->InSnapshot(nullptr, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
          DC_ASSIGN_OR_RAISE(auto resolved,
                             native->ResolveTable(reader, TableRef(table), std::nullopt));
          DC_ASSIGN_OR_RAISE(auto partitions, reader.ListPartitions(*resolved->stream));
          for (const auto& partition : partitions) {
            DC_ASSIGN_OR_RAISE(auto deltas, reader.ListDeltas(partition));
            for (const auto& record : deltas) {
              DC_ASSIGN_OR_RAISE(auto delta, storage::DecodeDelta(record.doc));
              out.push_back(std::move(delta));
            }
          }
          return Status::OK();
        });
    EXPECT_TRUE(status.ok()) << status;
    return out;
  }

  testing::TempDir dir_;
  std::shared_ptr<Catalog> catalog_;
};

TEST_F(PruningCatalogTest, SelectiveFilterSkipsFilesAndReturnsTheSameRows) {
  WriteOptions write;
  write.max_records_per_file = 50;
  ASSERT_TRUE(catalog_->Write("t", Rows(0, 1000), write).ok());  // 20 files, disjoint id ranges
  ReadStatistics pruned_stats, full_stats;
  auto pruned = Read("t", "id >= 900 and id < 925", true, &pruned_stats);
  auto full = Read("t", "id >= 900 and id < 925", false, &full_stats);
  EXPECT_EQ(pruned_stats.files_total, 20);
  EXPECT_EQ(pruned_stats.files_pruned, 19);
  EXPECT_EQ(pruned_stats.files_without_statistics, 0);
  EXPECT_FALSE(pruned_stats.merged_on_read);
  EXPECT_EQ(full_stats.files_pruned, 0);
  ASSERT_NE(pruned, nullptr);
  EXPECT_EQ(pruned->num_rows(), 25);
  EXPECT_EQ(pruned->ToString(), full->ToString());  // (text: NaN equals NaN)
}

TEST_F(PruningCatalogTest, RandomFiltersReadTheSameRowsPrunedOrNot) {
  WriteOptions write;
  write.max_records_per_file = 40;
  ASSERT_TRUE(catalog_->Write("t", Rows(0, 400), write).ok());
  WriteOptions add;
  add.mode = TableWriteMode::kAdd;
  add.max_records_per_file = 30;
  ASSERT_TRUE(catalog_->Write("t", Rows(1000, 90), add).ok());
  std::mt19937 rng(7);
  auto pick = [&rng](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  static const char* kOps[] = {"=", "!=", "<", "<=", ">", ">="};
  auto predicate = [&]() -> std::string {
    switch (pick(5)) {
      case 0: return "id " + std::string(kOps[pick(6)]) + " " + std::to_string(pick(1200));
      case 1: return "score " + std::string(kOps[pick(6)]) + " " + std::to_string(pick(18) / 2.0);
      case 2: return "name " + std::string(kOps[pick(6)]) + " 'n" + std::to_string(pick(14)) + "'";
      case 3:
        return std::string(pick(2) ? "name" : "score") + " is " + (pick(2) ? "not " : "") + "null";
      default:
        return "id between " + std::to_string(pick(1100)) + " and " + std::to_string(pick(1100));
    }
  };
  int64_t pruned_total = 0;
  for (int round = 0; round < 40; ++round) {
    std::string where = predicate();
    if (pick(2)) where = "(" + where + ") " + (pick(2) ? "and" : "or") + " (" + predicate() + ")";
    if (pick(4) == 0) where = "not (" + where + ")";
    ReadStatistics stats;
    auto pruned = Read("t", where, true, &stats);
    auto full = Read("t", where, false, nullptr);
    ASSERT_TRUE(pruned && full);
    EXPECT_EQ(pruned->ToString(), full->ToString()) << where;
    pruned_total += stats.files_pruned;
  }
  EXPECT_GT(pruned_total, 0);
}

// Pruning before the merge would be wrong: the newest version of key 1 (v = 1) does not match
// `v > 5`, and skipping its file would resurrect the older version (v = 10), which does.
TEST_F(PruningCatalogTest, MergeOnReadDoesNotResurrectOlderVersions) {
  CreateTableOptions create;
  create.schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("v", arrow::int64())});
  create.merge_keys = {"id"};
  create.table_properties = {{"read_optimization_level", std::string("none")}};
  ASSERT_TRUE(catalog_->CreateTable("k", create).ok());
  auto rows = [&](const std::string& ids, const std::string& values) {
    return arrow::Table::Make(create.schema,
                              {ArrayOf(arrow::int64(), ids), ArrayOf(arrow::int64(), values)});
  };
  WriteOptions merge;
  merge.mode = TableWriteMode::kMerge;
  ASSERT_TRUE(catalog_->Write("k", rows("[1, 2]", "[10, 20]"), merge).ok());
  ASSERT_TRUE(catalog_->Write("k", rows("[1]", "[1]"), merge).ok());
  auto read = testing::ReadWhere(*catalog_, "k", "v > 5");
  ASSERT_TRUE(read.rows.ok()) << read.rows.status();
  auto sorted = SortedById(*read.rows);
  EXPECT_TRUE(sorted->Equals(*rows("[2]", "[20]"))) << sorted->ToString();
  EXPECT_TRUE(read.statistics.merged_on_read);
  EXPECT_EQ(read.statistics.files_pruned, 0);
  // Compacted, the same table prunes (the compactor's files carry statistics too).
  ASSERT_TRUE(catalog_->Compact("k").ok());
  read = testing::ReadWhere(*catalog_, "k", "v > 100");
  ASSERT_TRUE(read.rows.ok()) << read.rows.status();
  EXPECT_EQ((*read.rows)->num_rows(), 0);
  EXPECT_FALSE(read.statistics.merged_on_read);
  EXPECT_EQ(read.statistics.files_without_statistics, 0);
  EXPECT_EQ(read.statistics.files_pruned, read.statistics.files_total);
  EXPECT_GT(read.statistics.files_total, 0);
}

// --- CHRONO ------------------------------------------------------------------------------

TEST_F(PruningCatalogTest, ChronoWritesAreMarkedAddDeltasAtMillisecondPositions) {
  WriteOptions chrono;
  chrono.mode = TableWriteMode::kChrono;
  ASSERT_TRUE(catalog_->Write("c", Rows(0, 2)).ok());  // created by APPEND
  std::vector<int64_t> positions;
  for (int i = 0; i < 3; ++i) {
    auto written = catalog_->Write("c", Rows(10 * (i + 1), 2), chrono);
    ASSERT_TRUE(written.ok()) << written.status();
    EXPECT_EQ(written->type, "chrono");
    positions.push_back(written->stream_position);
  }
  // Distinct and increasing even within one millisecond; in the epoch-millisecond range.
  EXPECT_LT(positions[0], positions[1]);
  EXPECT_LT(positions[1], positions[2]);
  EXPECT_GE(positions[0], kChronoPositionFloor);
  EXPECT_LT(positions[2], kChronoPositionCeiling);
  int chrono_deltas = 0;
  for (const auto& delta : Deltas("c")) {
    ASSERT_TRUE(delta.type.has_value());
    EXPECT_NE(delta.type->str(), "chrono");  // post4 cannot parse it
    if (IsChronoDelta(delta)) {
      ++chrono_deltas;
      EXPECT_EQ(delta.type->str(), "add");
      EXPECT_FALSE(delta.previous_stream_position.has_value());
    }
  }
  EXPECT_EQ(chrono_deltas, 3);
  // Read order: the APPEND first, then CHRONO writes in write order.
  auto rows = catalog_->ReadTable("c");
  ASSERT_TRUE(rows.ok()) << rows.status();
  auto ids = std::static_pointer_cast<arrow::Int64Array>(
      (*rows)->CombineChunks().ValueOrDie()->column(0)->chunk(0));
  std::vector<int64_t> order(ids->raw_values(), ids->raw_values() + ids->length());
  EXPECT_EQ(order, (std::vector<int64_t>{0, 1, 10, 11, 20, 21, 30, 31}));
}

TEST_F(PruningCatalogTest, ChronoAsTheFirstWriteOfACreatedTable) {
  CreateTableOptions create;
  create.schema = Rows(0, 0)->schema();
  ASSERT_TRUE(catalog_->CreateTable("fresh", create).ok());
  WriteOptions chrono;
  chrono.mode = TableWriteMode::kChrono;
  auto written = catalog_->Write("fresh", Rows(0, 3), chrono);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(written->type, "chrono");
  EXPECT_GE(written->stream_position, kChronoPositionFloor);
  auto rows = catalog_->ReadTable("fresh");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)->num_rows(), 3);
}

TEST_F(PruningCatalogTest, LegacyChronoTypedDeltasStillRead) {
  WriteOptions chrono;
  chrono.mode = TableWriteMode::kChrono;
  ASSERT_TRUE(catalog_->Write("c", Rows(0, 2)).ok());
  ASSERT_TRUE(catalog_->Write("c", Rows(5, 2), chrono).ok());
  // Rewrite the CHRONO delta the way earlier versions stored it: type "chrono", no marker.
  auto native = std::dynamic_pointer_cast<NativeCatalog>(catalog_);
  Status status = native->InWriteTransaction(nullptr, [&](storage::Transaction& txn) -> Status {
    auto& reader = txn.reader();
    DC_ASSIGN_OR_RAISE(auto resolved, native->ResolveTable(reader, TableRef("c"), std::nullopt));
    DC_ASSIGN_OR_RAISE(auto partitions, reader.ListPartitions(*resolved->stream));
    for (const auto& partition : partitions) {
      DC_ASSIGN_OR_RAISE(auto deltas, reader.ListDeltas(partition));
      for (const auto& record : deltas) {
        DC_ASSIGN_OR_RAISE(auto delta, storage::DecodeDelta(record.doc));
        if (!IsChronoDelta(delta)) continue;
        delta.type = storage::DeltaType::kChrono;
        delta.properties = storage::MsgValue::Nil();
        // (Keep the Result: .status() of a temporary would dangle inside the macro.)
        auto updated = txn.Update(record.doc, storage::EncodeDelta(delta));
        DC_RETURN_NOT_OK(updated.status());
      }
    }
    return Status::OK();
  });
  ASSERT_TRUE(status.ok()) << status;
  bool legacy = false;
  for (const auto& delta : Deltas("c")) legacy = legacy || delta.type->str() == "chrono";
  EXPECT_TRUE(legacy);
  auto rows = catalog_->ReadTable("c");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)->num_rows(), 4);
}

}  // namespace
}  // namespace deltacat
