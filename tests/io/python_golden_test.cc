// Files written by Python DeltaCAT (tests/io/golden/make_golden.py) read back exactly.

#include <string>

#include <arrow/filesystem/localfs.h>
#include <arrow/io/file.h>
#include <arrow/ipc/reader.h>
#include <gtest/gtest.h>

#include "deltacat/io/column_statistics.h"
#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_verifier.h"
#include "io/io_test_util.h"

namespace deltacat::io {
namespace {

using testing::ExpectTablesEqual;

std::string GoldenPath(const std::string& name) {
  return std::string(DELTACAT_SOURCE_DIR) + "/tests/io/golden/" + name;
}

/// The table make_golden.py wrote into `name`, read with Arrow's IPC reader directly.
std::shared_ptr<arrow::Table> Expected(const std::string& name) {
  auto file = arrow::io::ReadableFile::Open(GoldenPath(name + ".expected.arrow")).ValueOrDie();
  auto reader = arrow::ipc::RecordBatchFileReader::Open(file).ValueOrDie();
  arrow::RecordBatchVector batches;
  for (int i = 0; i < reader->num_record_batches(); ++i) {
    batches.push_back(reader->ReadRecordBatch(i).ValueOrDie());
  }
  return arrow::Table::FromRecordBatches(reader->schema(), batches).ValueOrDie();
}

struct Golden {
  std::string name;
  ContentType type;
  ContentEncoding encoding;
};

class PythonGoldenTest : public ::testing::TestWithParam<Golden> {
 protected:
  arrow::fs::LocalFileSystem fs_;
};

TEST_P(PythonGoldenTest, ReadsWithTheTableSchema) {
  const auto& golden = GetParam();
  const auto expected = Expected(golden.name);
  ReadOptions options;
  options.schema = expected->schema();
  DC_ASSERT_OK_AND_ASSIGN(
      auto read, ReadDataFile(fs_, GoldenPath(golden.name), golden.type, golden.encoding, options));
  ExpectTablesEqual(*expected, *read);
  DC_ASSERT_OK_AND_ASSIGN(
      int64_t rows, CountRows(fs_, GoldenPath(golden.name), golden.type, golden.encoding, options));
  EXPECT_EQ(rows, expected->num_rows());

  ExpectedDataFile entry;
  entry.record_count = expected->num_rows();
  entry.schema = expected->schema();
  DC_ASSERT_OK(VerifyDataFile(fs_, GoldenPath(golden.name), golden.type, golden.encoding, entry));
}

TEST_P(PythonGoldenTest, ProjectsColumns) {
  const auto& golden = GetParam();
  const auto expected = Expected(golden.name);
  ReadOptions options;
  options.schema = expected->schema();
  options.columns = {"s", "i64"};
  DC_ASSERT_OK_AND_ASSIGN(
      auto read, ReadDataFile(fs_, GoldenPath(golden.name), golden.type, golden.encoding, options));
  auto projected = expected
                       ->SelectColumns({expected->schema()->GetFieldIndex("s"),
                                        expected->schema()->GetFieldIndex("i64")})
                       .ValueOrDie();
  ExpectTablesEqual(*projected, *read);
}

INSTANTIATE_TEST_SUITE_P(
    DeltacatPython, PythonGoldenTest,
    ::testing::Values(Golden{"python.parquet", ContentType::kParquet, ContentEncoding::kIdentity},
                      Golden{"python.feather", ContentType::kFeather, ContentEncoding::kIdentity},
                      Golden{"python.orc", ContentType::kOrc, ContentEncoding::kIdentity},
                      Golden{"python.csv.gz", ContentType::kCsv, ContentEncoding::kGzip},
                      Golden{"python.tsv.gz", ContentType::kTsv, ContentEncoding::kGzip},
                      Golden{"python.psv.gz", ContentType::kPsv, ContentEncoding::kGzip},
                      Golden{"python.unescaped_tsv.gz", ContentType::kUnescapedTsv,
                             ContentEncoding::kGzip},
                      Golden{"python.json.gz", ContentType::kJson, ContentEncoding::kGzip}),
    [](const ::testing::TestParamInfo<Golden>& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (c == '.') c = '_';
      }
      return name;
    });

TEST(PythonGoldenParquetTest, SelfDescribingWithFieldIds) {
  arrow::fs::LocalFileSystem fs;
  const auto expected = Expected("python.parquet");
  DC_ASSERT_OK_AND_ASSIGN(auto read,
                          ReadDataFile(fs, GoldenPath("python.parquet"), ContentType::kParquet,
                                       ContentEncoding::kIdentity));
  ExpectTablesEqual(*expected, *read);
  for (int i = 0; i < read->num_columns(); ++i) {
    ASSERT_NE(read->field(i)->metadata(), nullptr);
    EXPECT_EQ(read->field(i)->metadata()->Get("PARQUET:field_id").ValueOr(""),
              std::to_string(i + 1))
        << read->field(i)->name();
  }
}

TEST(PythonGoldenParquetTest, FooterStatisticsMatchComputedOnes) {
  arrow::fs::LocalFileSystem fs;
  const auto expected = Expected("python.parquet");
  ColumnStatisticsCollector collector(expected->schema());
  arrow::TableBatchReader batches(*expected);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (batches.ReadNext(&batch).ok() && batch) DC_ASSERT_OK(collector.Update(*batch));

  DC_ASSERT_OK_AND_ASSIGN(auto from_footer,
                          ReadParquetStatistics(fs, GoldenPath("python.parquet")));
  ASSERT_EQ(from_footer.size(), collector.statistics().size());
  for (size_t i = 0; i < from_footer.size(); ++i) {
    const auto& footer = from_footer[i];
    const auto& computed = collector.statistics()[i];
    SCOPED_TRACE(footer.column);
    EXPECT_EQ(footer.column, computed.column);
    const auto type = expected->field(static_cast<int>(i))->type();
    if (type->id() == arrow::Type::LIST || type->id() == arrow::Type::STRUCT) {
      EXPECT_FALSE(footer.null_count.has_value());  // leaf counts are not column counts
      EXPECT_EQ(footer.min, nullptr);
      continue;
    }
    EXPECT_EQ(footer.null_count, computed.null_count);
    ASSERT_NE(footer.min, nullptr);
    ASSERT_NE(computed.min, nullptr);
    EXPECT_TRUE(footer.min->Equals(*computed.min))
        << footer.min->ToString() << " vs " << computed.min->ToString();
    EXPECT_TRUE(footer.max->Equals(*computed.max))
        << footer.max->ToString() << " vs " << computed.max->ToString();
  }
}

}  // namespace
}  // namespace deltacat::io
