// Statistics computed while writing, and read back from Parquet footers.

#include <cmath>
#include <string>

#include <arrow/filesystem/localfs.h>
#include <gtest/gtest.h>

#include "deltacat/io/column_statistics.h"
#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

using testing::ArrayOf;

const ColumnStatistics& StatsOf(const std::vector<ColumnStatistics>& all, const std::string& name) {
  for (const auto& stats : all) {
    if (stats.column == name) return stats;
  }
  static const ColumnStatistics kNone;
  ADD_FAILURE() << "no statistics for " << name;
  return kNone;
}

void ExpectMinMax(const ColumnStatistics& stats, const std::shared_ptr<arrow::DataType>& type,
                  const std::string& min_json, const std::string& max_json) {
  SCOPED_TRACE(stats.column);
  ASSERT_NE(stats.min, nullptr);
  ASSERT_NE(stats.max, nullptr);
  auto expected_min = ArrayOf(type, "[" + min_json + "]")->GetScalar(0).ValueOrDie();
  auto expected_max = ArrayOf(type, "[" + max_json + "]")->GetScalar(0).ValueOrDie();
  EXPECT_TRUE(stats.min->Equals(*expected_min))
      << stats.min->ToString() << " != " << expected_min->ToString();
  EXPECT_TRUE(stats.max->Equals(*expected_max))
      << stats.max->ToString() << " != " << expected_max->ToString();
}

TEST(ColumnStatisticsTest, WrittenFilesCarryNullCountsAndMinMax) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  const auto table = testing::ManyTypesTable();
  DC_ASSERT_OK_AND_ASSIGN(WrittenFile written,
                          WriteDataFile(fs, dir.Child("s.feather"), *table, ContentType::kFeather));
  const auto& stats = written.column_stats;
  ASSERT_EQ(stats.size(), static_cast<size_t>(table->num_columns()));
  for (const auto& column : stats) {
    EXPECT_EQ(column.null_count, column.column == "ts_us_ny" ? 2 : 1) << column.column;
  }

  ExpectMinMax(StatsOf(stats, "i8"), arrow::int8(), "-128", "127");
  ExpectMinMax(StatsOf(stats, "i64"), arrow::int64(), "-9223372036854775808",
               "9223372036854775807");
  ExpectMinMax(StatsOf(stats, "u64"), arrow::uint64(), "0", "18446744073709551615");
  ExpectMinMax(StatsOf(stats, "f32"), arrow::float32(), "-7.125", "1e10");
  ExpectMinMax(StatsOf(stats, "f64"), arrow::float64(), "-2.5", "1e300");
  ExpectMinMax(StatsOf(stats, "b"), arrow::boolean(), "false", "true");
  ExpectMinMax(StatsOf(stats, "s"), arrow::utf8(), R"("")", R"("x")");
  ExpectMinMax(StatsOf(stats, "ls"), arrow::large_utf8(), R"("")",
               R"("\u00fcn\u00efc\u00f6d\u00e9")");
  ExpectMinMax(StatsOf(stats, "d"), arrow::date32(), "-719162", "19782");
  ExpectMinMax(StatsOf(stats, "ts_ns_utc"), arrow::timestamp(arrow::TimeUnit::NANO, "UTC"),
               "-1000000001", "1700000000123456789");
  ExpectMinMax(StatsOf(stats, "dec"), arrow::decimal128(10, 3), R"("-9999999.999")",
               R"("1234567.891")");
  // Lists and structs have no order: null counts only.
  EXPECT_EQ(StatsOf(stats, "l").min, nullptr);
  EXPECT_EQ(StatsOf(stats, "st").max, nullptr);
}

TEST(ColumnStatisticsTest, MergesAcrossBatchesAndIgnoresNaNAndAllNullBatches) {
  auto schema =
      arrow::schema({arrow::field("f", arrow::float64()), arrow::field("s", arrow::utf8())});
  ColumnStatisticsCollector collector(schema);
  arrow::DoubleBuilder nan_only;
  ASSERT_TRUE(nan_only.AppendValues({std::nan(""), std::nan("")}).ok());
  auto batch1 = arrow::RecordBatch::Make(
      schema, 2, {nan_only.Finish().ValueOrDie(), ArrayOf(arrow::utf8(), "[null, null]")});
  auto batch2 = arrow::RecordBatch::Make(
      schema, 3,
      {ArrayOf(arrow::float64(), "[5, null, -1]"), ArrayOf(arrow::utf8(), R"(["m", "b", null])")});
  auto batch3 = arrow::RecordBatch::Make(
      schema, 2, {ArrayOf(arrow::float64(), "[7, 0]"), ArrayOf(arrow::utf8(), R"(["z", "a"])")});
  DC_ASSERT_OK(collector.Update(*batch1));
  const auto& after_first = collector.statistics();
  EXPECT_EQ(after_first[0].min, nullptr);  // only NaN: no min/max
  EXPECT_EQ(after_first[1].min, nullptr);  // only nulls
  DC_ASSERT_OK(collector.Update(*batch2));
  DC_ASSERT_OK(collector.Update(*batch3));
  const auto& stats = collector.statistics();
  EXPECT_EQ(stats[0].null_count, 1);
  EXPECT_EQ(stats[1].null_count, 3);
  ExpectMinMax(stats[0], arrow::float64(), "-1", "7");
  ExpectMinMax(stats[1], arrow::utf8(), R"("a")", R"("z")");
}

TEST(ColumnStatisticsTest, CollectionCanBeTurnedOff) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  WriteOptions options;
  options.collect_statistics = false;
  DC_ASSERT_OK_AND_ASSIGN(WrittenFile written,
                          WriteDataFile(fs, dir.Child("n.parquet"), *testing::ManyTypesTable(),
                                        ContentType::kParquet, options));
  EXPECT_TRUE(written.column_stats.empty());
}

TEST(ColumnStatisticsTest, ParquetFooterAgreesWithWrittenStatisticsAcrossRowGroups) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  const auto table = testing::ManyTypesTable();
  WriteOptions options;
  options.parquet_row_group_rows = 2;  // three row groups, each with its own statistics
  const std::string path = dir.Child("rg.parquet");
  DC_ASSERT_OK_AND_ASSIGN(WrittenFile written,
                          WriteDataFile(fs, path, *table, ContentType::kParquet, options));
  DC_ASSERT_OK_AND_ASSIGN(auto footer, ReadParquetStatistics(fs, path));
  ASSERT_EQ(footer.size(), written.column_stats.size());
  for (size_t i = 0; i < footer.size(); ++i) {
    const auto& from_footer = footer[i];
    const auto& computed = written.column_stats[i];
    SCOPED_TRACE(from_footer.column);
    const auto type_id = table->field(static_cast<int>(i))->type()->id();
    if (type_id == arrow::Type::LIST || type_id == arrow::Type::STRUCT) {
      EXPECT_FALSE(from_footer.null_count.has_value());
      continue;
    }
    EXPECT_EQ(from_footer.null_count, computed.null_count);
    ASSERT_NE(from_footer.min, nullptr);
    EXPECT_TRUE(from_footer.min->Equals(*computed.min))
        << from_footer.min->ToString() << " vs " << computed.min->ToString();
    EXPECT_TRUE(from_footer.max->Equals(*computed.max))
        << from_footer.max->ToString() << " vs " << computed.max->ToString();
  }
}

}  // namespace
}  // namespace deltacat::io
