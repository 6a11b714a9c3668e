// Every content type, with and without a container encoding, written and read back exactly.

#include <cmath>
#include <filesystem>
#include <string>

#include <arrow/filesystem/localfs.h>
#include <arrow/filesystem/mockfs.h>
#include <arrow/util/byte_size.h>
#include <gtest/gtest.h>

#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

using testing::ExpectTablesEqual;
using testing::ReadBytes;
using testing::TableFor;

struct RoundTripCase {
  ContentType type;
  ContentEncoding encoding;
};

std::string CaseName(const ::testing::TestParamInfo<RoundTripCase>& info) {
  return std::string(ContentTypeShortName(info.param.type)) + "_" +
         std::string(ContentEncodingString(info.param.encoding));
}

class RoundTripTest : public ::testing::TestWithParam<RoundTripCase> {
 protected:
  deltacat::testing::TempDir dir_;
  arrow::fs::LocalFileSystem fs_;
};

TEST_P(RoundTripTest, WritesAndReadsBackEveryCarriedType) {
  const auto [type, encoding] = GetParam();
  const auto table = TableFor(type);
  const std::string path = dir_.Child("data/part" + DataFileSuffix(type, encoding));
  WriteOptions options;
  options.content_encoding = encoding;
  DC_ASSERT_OK_AND_ASSIGN(WrittenFile written, WriteDataFile(fs_, path, *table, type, options));

  // What a manifest entry records.
  EXPECT_EQ(written.path, path);
  EXPECT_EQ(written.record_count, table->num_rows());
  EXPECT_EQ(written.content_type, type);
  EXPECT_EQ(written.content_encoding, encoding);
  EXPECT_EQ(written.content_length, static_cast<int64_t>(std::filesystem::file_size(path)));
  EXPECT_EQ(written.source_content_length, arrow::util::ReferencedBufferSize(*table).ValueOrDie());
  ASSERT_EQ(written.column_stats.size(), static_cast<size_t>(table->num_columns()));

  const std::string bytes = ReadBytes(path);
  if (encoding == ContentEncoding::kGzip) {
    ASSERT_GE(bytes.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);  // gzip magic
    EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);
  }
  if (type == ContentType::kParquet && encoding == ContentEncoding::kIdentity) {
    EXPECT_EQ(bytes.substr(0, 4), "PAR1");
  }

  ReadOptions read_options;
  read_options.schema = table->schema();
  DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs_, path, type, encoding, read_options));
  ExpectTablesEqual(*table, *read);

  DC_ASSERT_OK_AND_ASSIGN(int64_t rows, CountRows(fs_, path, type, encoding, read_options));
  EXPECT_EQ(rows, table->num_rows());
}

INSTANTIATE_TEST_SUITE_P(
    AllContentTypes, RoundTripTest,
    ::testing::Values(RoundTripCase{ContentType::kParquet, ContentEncoding::kIdentity},
                      RoundTripCase{ContentType::kParquet, ContentEncoding::kGzip},
                      RoundTripCase{ContentType::kFeather, ContentEncoding::kIdentity},
                      RoundTripCase{ContentType::kFeather, ContentEncoding::kZstd},
                      RoundTripCase{ContentType::kOrc, ContentEncoding::kIdentity},
                      RoundTripCase{ContentType::kOrc, ContentEncoding::kBzip2},
                      RoundTripCase{ContentType::kCsv, ContentEncoding::kGzip},
                      RoundTripCase{ContentType::kCsv, ContentEncoding::kIdentity},
                      RoundTripCase{ContentType::kCsv, ContentEncoding::kZstd},
                      RoundTripCase{ContentType::kCsv, ContentEncoding::kBzip2},
                      RoundTripCase{ContentType::kCsv, ContentEncoding::kDeflate},
                      RoundTripCase{ContentType::kTsv, ContentEncoding::kGzip},
                      RoundTripCase{ContentType::kTsv, ContentEncoding::kIdentity},
                      RoundTripCase{ContentType::kPsv, ContentEncoding::kGzip},
                      RoundTripCase{ContentType::kPsv, ContentEncoding::kIdentity},
                      RoundTripCase{ContentType::kUnescapedTsv, ContentEncoding::kGzip},
                      RoundTripCase{ContentType::kUnescapedTsv, ContentEncoding::kIdentity},
                      RoundTripCase{ContentType::kJson, ContentEncoding::kGzip},
                      RoundTripCase{ContentType::kJson, ContentEncoding::kIdentity}),
    CaseName);

TEST(RoundTripDefaultsTest, TextIsGzippedAndColumnarIsNotByDefault) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  for (ContentType type :
       {ContentType::kParquet, ContentType::kFeather, ContentType::kOrc, ContentType::kCsv,
        ContentType::kTsv, ContentType::kPsv, ContentType::kJson, ContentType::kUnescapedTsv}) {
    const auto table = TableFor(type);
    const std::string path =
        dir.Child(std::string("f") + DataFileSuffix(type, DefaultEncodingFor(type)));
    DC_ASSERT_OK_AND_ASSIGN(WrittenFile written, WriteDataFile(fs, path, *table, type));
    EXPECT_EQ(written.content_encoding, DefaultEncodingFor(type)) << ContentTypeString(type);
    const std::string bytes = ReadBytes(path);
    const bool gzipped = bytes.size() > 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
                         static_cast<unsigned char>(bytes[1]) == 0x8b;
    EXPECT_EQ(gzipped, DefaultEncodingFor(type) == ContentEncoding::kGzip)
        << ContentTypeString(type);
  }
}

TEST(RoundTripDefaultsTest, SelfDescribingFormatsNeedNoSchema) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  for (ContentType type : {ContentType::kParquet, ContentType::kFeather}) {
    const auto table = TableFor(type);
    const std::string path = dir.Child("f" + DataFileSuffix(type, ContentEncoding::kIdentity));
    DC_ASSERT_OK(WriteDataFile(fs, path, *table, type).status());
    DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs, path, type, ContentEncoding::kIdentity));
    ExpectTablesEqual(*table, *read);
    // Field ids (PARQUET:field_id) survive, so readers can match columns by id.
    for (int i = 0; i < table->num_columns(); ++i) {
      ASSERT_NE(read->field(i)->metadata(), nullptr) << read->field(i)->name();
      EXPECT_EQ(read->field(i)->metadata()->Get("PARQUET:field_id").ValueOr(""),
                std::to_string(i + 1));
    }
  }
}

TEST(RoundTripDefaultsTest, OrcNeedsTheSchemaForExactTypes) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  const auto table = TableFor(ContentType::kOrc);
  const std::string path = dir.Child("f.orc");
  DC_ASSERT_OK(WriteDataFile(fs, path, *table, ContentType::kOrc).status());
  DC_ASSERT_OK_AND_ASSIGN(auto read,
                          ReadDataFile(fs, path, ContentType::kOrc, ContentEncoding::kIdentity));
  // ORC has no microsecond timestamps or large strings: without the schema they come back as
  // ORC's types, with the same values.
  EXPECT_EQ(read->schema()->GetFieldByName("ts_us")->type()->ToString(), "timestamp[ns]");
  EXPECT_EQ(read->schema()->GetFieldByName("ls")->type()->id(), arrow::Type::STRING);
  EXPECT_EQ(read->num_rows(), table->num_rows());
}

TEST(RoundTripDefaultsTest, EmptyTablesRoundTrip) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  for (ContentType type :
       {ContentType::kParquet, ContentType::kFeather, ContentType::kOrc, ContentType::kCsv,
        ContentType::kTsv, ContentType::kPsv, ContentType::kJson, ContentType::kUnescapedTsv}) {
    const auto table = TableFor(type)->Slice(0, 0);
    const auto encoding = DefaultEncodingFor(type);
    const std::string path = dir.Child("empty" + DataFileSuffix(type, encoding));
    DC_ASSERT_OK_AND_ASSIGN(WrittenFile written, WriteDataFile(fs, path, *table, type));
    EXPECT_EQ(written.record_count, 0);
    ReadOptions options;
    options.schema = table->schema();
    DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs, path, type, encoding, options));
    EXPECT_EQ(read->num_rows(), 0) << ContentTypeString(type);
    EXPECT_TRUE(read->schema()->Equals(*table->schema(), /*check_metadata=*/false))
        << ContentTypeString(type) << ": " << read->schema()->ToString();
    DC_ASSERT_OK_AND_ASSIGN(int64_t rows, CountRows(fs, path, type, encoding, options));
    EXPECT_EQ(rows, 0);
  }
}

TEST(RoundTripDefaultsTest, WorksOnAnyArrowFileSystem) {
  // An in-memory filesystem stands in for object stores: only the FileSystem interface is used.
  arrow::fs::internal::MockFileSystem fs(arrow::fs::TimePoint{});
  for (ContentType type : {ContentType::kParquet, ContentType::kCsv, ContentType::kJson}) {
    const auto table = TableFor(type);
    const auto encoding = DefaultEncodingFor(type);
    const std::string path = "bucket/data/p1/file" + DataFileSuffix(type, encoding);
    DC_ASSERT_OK_AND_ASSIGN(WrittenFile written, WriteDataFile(fs, path, *table, type));
    DC_ASSERT_OK_AND_ASSIGN(auto info, fs.GetFileInfo(path));
    EXPECT_EQ(info.size(), written.content_length);
    ReadOptions options;
    options.schema = table->schema();
    DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs, path, type, encoding, options));
    ExpectTablesEqual(*table, *read);
  }
}

TEST(RoundTripDefaultsTest, NonFiniteFloats) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto schema = arrow::schema({arrow::field("f", arrow::float64())});
  auto values = testing::ArrayOf(arrow::float64(), "[1.0, null, 2.5]");
  // ArrayFromJSON has no NaN literal: build it.
  arrow::DoubleBuilder builder;
  ASSERT_TRUE(builder.AppendValues({std::nan(""), INFINITY, -INFINITY, 0.5}).ok());
  builder.UnsafeAppendNull();
  auto table = arrow::Table::Make(schema, {builder.Finish().ValueOrDie()});
  ReadOptions options;
  options.schema = schema;

  // Delimited text keeps NaN and infinities ("nan", "inf", "-inf").
  const std::string csv = dir.Child("f.csv.gz");
  DC_ASSERT_OK(WriteDataFile(fs, csv, *table, ContentType::kCsv).status());
  DC_ASSERT_OK_AND_ASSIGN(
      auto from_csv, ReadDataFile(fs, csv, ContentType::kCsv, ContentEncoding::kGzip, options));
  ExpectTablesEqual(*table, *from_csv);

  // JSON numbers cannot be NaN or infinite: they become null, as Polars writes them.
  const std::string json = dir.Child("f.json.gz");
  DC_ASSERT_OK(WriteDataFile(fs, json, *table, ContentType::kJson).status());
  DC_ASSERT_OK_AND_ASSIGN(
      auto from_json, ReadDataFile(fs, json, ContentType::kJson, ContentEncoding::kGzip, options));
  auto expected = arrow::Table::Make(
      schema, {testing::ArrayOf(arrow::float64(), "[null, null, null, 0.5, null]")});
  ExpectTablesEqual(*expected, *from_json);
}

TEST(RoundTripDefaultsTest, TypesBeyondTheBriefThatTextCarries) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("t64", arrow::time64(arrow::TimeUnit::MICRO)),
                     arrow::field("t32", arrow::time32(arrow::TimeUnit::SECOND)),
                     arrow::field("dur", arrow::duration(arrow::TimeUnit::MILLI)),
                     arrow::field("dict", arrow::dictionary(arrow::int32(), arrow::utf8())),
                     arrow::field("none", arrow::null())}),
      {testing::ArrayOf(arrow::time64(arrow::TimeUnit::MICRO), "[1, null, 86399999999]"),
       testing::ArrayOf(arrow::time32(arrow::TimeUnit::SECOND), "[null, 3600, 0]"),
       testing::ArrayOf(arrow::duration(arrow::TimeUnit::MILLI), "[5, -7, null]"),
       arrow::DictionaryArray::FromArrays(testing::ArrayOf(arrow::int32(), "[0, null, 1]"),
                                          testing::ArrayOf(arrow::utf8(), R"(["a", "b"])"))
           .ValueOrDie(),
       testing::ArrayOf(arrow::null(), "[null, null, null]")});
  ReadOptions options;
  options.schema = table->schema();
  for (ContentType type :
       {ContentType::kCsv, ContentType::kJson, ContentType::kParquet, ContentType::kFeather}) {
    const auto encoding = DefaultEncodingFor(type);
    const std::string path = dir.Child("extra" + DataFileSuffix(type, encoding));
    DC_ASSERT_OK(WriteDataFile(fs, path, *table, type).status());
    DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs, path, type, encoding, options));
    SCOPED_TRACE(ContentTypeString(type));
    ExpectTablesEqual(*table, *read);
  }
}

}  // namespace
}  // namespace deltacat::io

namespace deltacat::io {
namespace {

TEST(RoundTripDefaultsTest, ParquetAndFeatherCarryMapsAndHalfFloats) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto map_type = arrow::map(arrow::utf8(), arrow::int64());
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("m", map_type), arrow::field("h", arrow::float16())}),
      {testing::ArrayOf(map_type, R"([[["a", 1], ["b", null]], null, []])"),
       testing::ArrayOf(arrow::float16(), "[15360, null, 0]")});  // 1.0, null, 0.0
  for (ContentType type : {ContentType::kParquet, ContentType::kFeather}) {
    const std::string path = dir.Child("mh" + DataFileSuffix(type, ContentEncoding::kIdentity));
    DC_ASSERT_OK(WriteDataFile(fs, path, *table, type).status());
    DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs, path, type, ContentEncoding::kIdentity));
    SCOPED_TRACE(ContentTypeString(type));
    ExpectTablesEqual(*table, *read);
  }
}

}  // namespace
}  // namespace deltacat::io
