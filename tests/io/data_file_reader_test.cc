// Projection, target schemas, type conversion and streaming of OpenDataFile.

#include <string>

#include <arrow/filesystem/localfs.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/file_reader.h>

#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

using testing::ArrayOf;
using testing::ExpectTablesEqual;

class DataFileReaderTest : public ::testing::Test {
 protected:
  std::string Write(const arrow::Table& table, ContentType type, const std::string& name,
                    const WriteOptions& options = {}) {
    const std::string path = dir_.Child(name);
    auto written = WriteDataFile(fs_, path, table, type, options);
    EXPECT_TRUE(written.ok()) << written.status();
    return path;
  }

  deltacat::testing::TempDir dir_;
  arrow::fs::LocalFileSystem fs_;
};

TEST_F(DataFileReaderTest, ProjectsColumnsInRequestedOrder) {
  for (ContentType type : {ContentType::kParquet, ContentType::kFeather, ContentType::kOrc,
                           ContentType::kCsv, ContentType::kJson}) {
    const auto source = testing::TableFor(type);
    const auto encoding = DefaultEncodingFor(type);
    const std::string path = Write(*source, type, "p" + DataFileSuffix(type, encoding));
    ReadOptions options;
    options.schema = source->schema();
    options.columns = {"ts_us", "i8", "s"};
    DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs_, path, type, encoding, options));
    auto expected = source
                        ->SelectColumns({source->schema()->GetFieldIndex("ts_us"),
                                         source->schema()->GetFieldIndex("i8"),
                                         source->schema()->GetFieldIndex("s")})
                        .ValueOrDie();
    SCOPED_TRACE(ContentTypeString(type));
    ExpectTablesEqual(*expected, *read);
  }
}

TEST_F(DataFileReaderTest, MissingProjectedColumnIsSchemaValidationNamingIt) {
  const auto table = testing::TableFor(ContentType::kParquet);
  const std::string parquet = Write(*table, ContentType::kParquet, "m.parquet");
  ReadOptions options;
  options.columns = {"i8", "no_such_column"};
  auto read =
      OpenDataFile(fs_, parquet, ContentType::kParquet, ContentEncoding::kIdentity, options);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kSchemaValidation);
  EXPECT_NE(read.status().message().find("no_such_column"), std::string::npos) << read.status();
  EXPECT_NE(read.status().message().find(parquet), std::string::npos) << read.status();

  // Not in the table schema either.
  options.schema = table->schema();
  read = OpenDataFile(fs_, parquet, ContentType::kParquet, ContentEncoding::kIdentity, options);
  EXPECT_EQ(read.status().code(), ErrorCode::kSchemaValidation) << read.status();

  // Text formats know their columns from the schema.
  const auto csv_table = testing::TableFor(ContentType::kCsv);
  const std::string csv = Write(*csv_table, ContentType::kCsv, "m.csv.gz");
  options.schema = csv_table->schema();
  read = OpenDataFile(fs_, csv, ContentType::kCsv, ContentEncoding::kGzip, options);
  EXPECT_EQ(read.status().code(), ErrorCode::kSchemaValidation) << read.status();
  EXPECT_NE(read.status().message().find("no_such_column"), std::string::npos) << read.status();
}

TEST_F(DataFileReaderTest, NamesMatchCaseInsensitivelyLikePython) {
  auto table = arrow::Table::Make(arrow::schema({arrow::field("UserId", arrow::int64())}),
                                  {ArrayOf(arrow::int64(), "[1, 2]")});
  const std::string path = Write(*table, ContentType::kParquet, "c.parquet");
  ReadOptions options;
  options.columns = {"userid"};
  DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs_, path, ContentType::kParquet,
                                                  ContentEncoding::kIdentity, options));
  ASSERT_EQ(read->num_columns(), 1);
  EXPECT_EQ(read->field(0)->name(), "UserId");  // the exact schema name, not the request
}

TEST_F(DataFileReaderTest, CastsSelfDescribingFilesToTheTableSchema) {
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("n", arrow::int32()), arrow::field("s", arrow::utf8())}),
      {ArrayOf(arrow::int32(), "[1, null, -3]"), ArrayOf(arrow::utf8(), R"(["a", "b", null])")});
  const std::string path = Write(*table, ContentType::kParquet, "w.parquet");
  // Widening (what schema evolution allows) converts.
  ReadOptions options;
  options.schema =
      arrow::schema({arrow::field("n", arrow::int64()), arrow::field("s", arrow::large_utf8())});
  DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs_, path, ContentType::kParquet,
                                                  ContentEncoding::kIdentity, options));
  auto expected =
      arrow::Table::Make(options.schema, {ArrayOf(arrow::int64(), "[1, null, -3]"),
                                          ArrayOf(arrow::large_utf8(), R"(["a", "b", null])")});
  ExpectTablesEqual(*expected, *read);

  // A conversion that loses data is a typed error naming the column.
  options.schema =
      arrow::schema({arrow::field("n", arrow::int32()), arrow::field("s", arrow::int64())});
  DC_ASSERT_OK_AND_ASSIGN(auto reader, OpenDataFile(fs_, path, ContentType::kParquet,
                                                    ContentEncoding::kIdentity, options));
  auto all = reader->ToTable();
  ASSERT_FALSE(all.ok());
  Status status = FromArrowStatus(all.status());
  EXPECT_EQ(status.code(), ErrorCode::kSchemaValidation) << status;
  EXPECT_NE(status.message().find("'s'"), std::string::npos) << status;
  EXPECT_NE(status.message().find(path), std::string::npos) << status;
}

TEST_F(DataFileReaderTest, MissingColumnsCanBeFilledWithNulls) {
  auto table = arrow::Table::Make(arrow::schema({arrow::field("a", arrow::int64())}),
                                  {ArrayOf(arrow::int64(), "[1, 2]")});
  const std::string path = Write(*table, ContentType::kFeather, "old.feather");
  ReadOptions options;
  options.schema = arrow::schema(
      {arrow::field("a", arrow::int64()), arrow::field("added_later", arrow::utf8())});
  auto strict = ReadDataFile(fs_, path, ContentType::kFeather, ContentEncoding::kIdentity, options);
  EXPECT_EQ(strict.status().code(), ErrorCode::kSchemaValidation) << strict.status();

  options.fill_missing_columns_with_nulls = true;
  DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs_, path, ContentType::kFeather,
                                                  ContentEncoding::kIdentity, options));
  auto expected = arrow::Table::Make(
      options.schema, {ArrayOf(arrow::int64(), "[1, 2]"), ArrayOf(arrow::utf8(), "[null, null]")});
  ExpectTablesEqual(*expected, *read);

  // Only missing columns requested: no data is decoded, the row count still comes through.
  options.columns = {"added_later"};
  DC_ASSERT_OK_AND_ASSIGN(
      read, ReadDataFile(fs_, path, ContentType::kFeather, ContentEncoding::kIdentity, options));
  EXPECT_EQ(read->num_rows(), 2);
  EXPECT_EQ(read->column(0)->null_count(), 2);
}

TEST_F(DataFileReaderTest, TextWithTargetSchemaNeverInfers) {
  // Values that inference would turn into numbers, dates and booleans stay what the table
  // says they are.
  auto schema = arrow::schema(
      {arrow::field("zip", arrow::utf8()), arrow::field("flag", arrow::utf8()),
       arrow::field("day", arrow::utf8()), arrow::field("amount", arrow::decimal128(12, 2)),
       arrow::field("small", arrow::int8())});
  auto table =
      arrow::Table::Make(schema, {ArrayOf(arrow::utf8(), R"(["00501", "02134", null])"),
                                  ArrayOf(arrow::utf8(), R"(["true", "false", "1"])"),
                                  ArrayOf(arrow::utf8(), R"(["2020-01-01", "", "x"])"),
                                  ArrayOf(arrow::decimal128(12, 2), R"(["1.10", "-2.00", null])"),
                                  ArrayOf(arrow::int8(), "[1, null, -1]")});
  for (ContentType type :
       {ContentType::kCsv, ContentType::kTsv, ContentType::kPsv, ContentType::kJson}) {
    const auto encoding = DefaultEncodingFor(type);
    const std::string path = Write(*table, type, "t" + DataFileSuffix(type, encoding));
    ReadOptions options;
    options.schema = schema;
    DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs_, path, type, encoding, options));
    SCOPED_TRACE(ContentTypeString(type));
    ExpectTablesEqual(*table, *read);
  }
}

TEST_F(DataFileReaderTest, TextWithoutSchemaIsInferredLikePyarrow) {
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::utf8())}),
      {ArrayOf(arrow::int64(), "[1, 2]"), ArrayOf(arrow::utf8(), R"(["x", "y"])")});
  const std::string csv = Write(*table, ContentType::kCsv, "n.csv.gz");
  DC_ASSERT_OK_AND_ASSIGN(auto read,
                          ReadDataFile(fs_, csv, ContentType::kCsv, ContentEncoding::kGzip));
  ASSERT_EQ(read->num_columns(), 2);
  EXPECT_EQ(read->field(0)->name(), "f0");  // no header: generated names
  EXPECT_EQ(read->field(1)->name(), "f1");
  EXPECT_EQ(read->field(0)->type()->id(), arrow::Type::INT64);
  EXPECT_EQ(read->num_rows(), 2);
  DC_ASSERT_OK_AND_ASSIGN(int64_t rows,
                          CountRows(fs_, csv, ContentType::kCsv, ContentEncoding::kGzip));
  EXPECT_EQ(rows, 2);

  const std::string json = Write(*table, ContentType::kJson, "n.json.gz");
  DC_ASSERT_OK_AND_ASSIGN(read,
                          ReadDataFile(fs_, json, ContentType::kJson, ContentEncoding::kGzip));
  ExpectTablesEqual(*table, *read);  // JSON carries names; these types infer exactly
}

TEST_F(DataFileReaderTest, TextWrittenWithAnotherSchemaFailsTyped) {
  auto table = arrow::Table::Make(arrow::schema({arrow::field("a", arrow::int64())}),
                                  {ArrayOf(arrow::int64(), "[1, 2]")});
  const std::string csv = Write(*table, ContentType::kCsv, "old.csv.gz");
  ReadOptions options;
  options.schema =
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::int64())});
  auto read = ReadDataFile(fs_, csv, ContentType::kCsv, ContentEncoding::kGzip, options);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kSchemaValidation) << read.status();
  EXPECT_NE(read.status().message().find(csv), std::string::npos) << read.status();

  // Values that do not parse as the schema's types.
  options.schema = arrow::schema({arrow::field("a", arrow::date32())});
  read = ReadDataFile(fs_, csv, ContentType::kCsv, ContentEncoding::kGzip, options);
  EXPECT_EQ(read.status().code(), ErrorCode::kSchemaValidation) << read.status();
  const std::string json = Write(*table, ContentType::kJson, "old.json.gz");
  options.schema = arrow::schema({arrow::field("a", arrow::list(arrow::int64()))});
  read = ReadDataFile(fs_, json, ContentType::kJson, ContentEncoding::kGzip, options);
  EXPECT_EQ(read.status().code(), ErrorCode::kSchemaValidation) << read.status();
}

TEST_F(DataFileReaderTest, ParquetStreamsOneRowGroupAtATime) {
  arrow::Int64Builder builder;
  for (int64_t i = 0; i < 10000; ++i) ASSERT_TRUE(builder.Append(i).ok());
  auto table = arrow::Table::Make(arrow::schema({arrow::field("i", arrow::int64())}),
                                  {builder.Finish().ValueOrDie()});
  WriteOptions write_options;
  write_options.parquet_row_group_rows = 1000;
  const std::string path = Write(*table, ContentType::kParquet, "rg.parquet", write_options);
  {
    auto file = arrow::io::ReadableFile::Open(path).ValueOrDie();
    auto reader = parquet::ParquetFileReader::Open(file);
    EXPECT_EQ(reader->metadata()->num_row_groups(), 10);
  }
  ReadOptions options;
  options.batch_rows = 256;
  DC_ASSERT_OK_AND_ASSIGN(auto reader, OpenDataFile(fs_, path, ContentType::kParquet,
                                                    ContentEncoding::kIdentity, options));
  int64_t rows = 0;
  int batches = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ASSERT_TRUE(reader->ReadNext(&batch).ok());
    if (!batch) break;
    EXPECT_LE(batch->num_rows(), 256);
    rows += batch->num_rows();
    ++batches;
  }
  EXPECT_EQ(rows, 10000);
  EXPECT_GE(batches, 10000 / 256);
  DC_ASSERT_OK_AND_ASSIGN(int64_t counted,
                          CountRows(fs_, path, ContentType::kParquet, ContentEncoding::kIdentity));
  EXPECT_EQ(counted, 10000);
}

TEST_F(DataFileReaderTest, ReadsDataFileSchemas) {
  const auto table = testing::TableFor(ContentType::kParquet);
  const std::string path = Write(*table, ContentType::kParquet, "s.parquet");
  DC_ASSERT_OK_AND_ASSIGN(auto schema, ReadDataFileSchema(fs_, path, ContentType::kParquet,
                                                          ContentEncoding::kIdentity));
  EXPECT_TRUE(schema->Equals(*table->schema(), /*check_metadata=*/false));
}

TEST_F(DataFileReaderTest, MissingFileIsFileNotFound) {
  for (ContentType type : {ContentType::kParquet, ContentType::kCsv, ContentType::kJson,
                           ContentType::kOrc, ContentType::kFeather}) {
    auto read = OpenDataFile(fs_, dir_.Child("absent"), type, DefaultEncodingFor(type));
    EXPECT_EQ(read.status().code(), ErrorCode::kFileNotFound) << read.status();
    auto rows = CountRows(fs_, dir_.Child("absent"), type, DefaultEncodingFor(type));
    EXPECT_EQ(rows.status().code(), ErrorCode::kFileNotFound) << rows.status();
  }
}

}  // namespace
}  // namespace deltacat::io
