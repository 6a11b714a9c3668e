// Which types each format can carry, and the typed errors for the ones it cannot.

#include <filesystem>
#include <string>

#include <arrow/filesystem/localfs.h>
#include <gtest/gtest.h>

#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"
#include "deltacat/io/format_types.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

std::shared_ptr<arrow::Schema> OneColumn(const std::string& name,
                                         std::shared_ptr<arrow::DataType> type) {
  return arrow::schema({arrow::field("ok", arrow::int64()), arrow::field(name, std::move(type))});
}

struct Unsupported {
  ContentType content_type;
  std::shared_ptr<arrow::DataType> type;
};

class UnsupportedTypeTest : public ::testing::TestWithParam<Unsupported> {};

TEST_P(UnsupportedTypeTest, WriteFailsNamingTheColumnAndLeavesNoFile) {
  const auto& param = GetParam();
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto schema = OneColumn("bad_column", param.type);
  auto table = arrow::Table::MakeEmpty(schema).ValueOrDie();
  const std::string path =
      dir.Child("out" + DataFileSuffix(param.content_type, DefaultEncodingFor(param.content_type)));
  auto written = WriteDataFile(fs, path, *table, param.content_type);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), ErrorCode::kContentTypeValidation) << written.status();
  EXPECT_NE(written.status().message().find("bad_column"), std::string::npos) << written.status();
  EXPECT_NE(written.status().message().find(param.type->ToString()), std::string::npos)
      << written.status();
  EXPECT_FALSE(std::filesystem::exists(path));
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, UnsupportedTypeTest,
    ::testing::Values(
        // ORC has no unsigned integers, half floats, times, durations or dictionaries.
        Unsupported{ContentType::kOrc, arrow::uint8()},
        Unsupported{ContentType::kOrc, arrow::uint64()},
        Unsupported{ContentType::kOrc, arrow::time64(arrow::TimeUnit::MICRO)},
        Unsupported{ContentType::kOrc, arrow::duration(arrow::TimeUnit::SECOND)},
        Unsupported{ContentType::kOrc, arrow::dictionary(arrow::int32(), arrow::utf8())},
        Unsupported{ContentType::kOrc, arrow::list(arrow::uint16())},
        // Delimited text: flat text-representable columns only.
        Unsupported{ContentType::kCsv, arrow::binary()},
        Unsupported{ContentType::kCsv, arrow::list(arrow::int64())},
        Unsupported{ContentType::kTsv, arrow::struct_({arrow::field("x", arrow::int64())})},
        Unsupported{ContentType::kPsv, arrow::map(arrow::utf8(), arrow::int64())},
        Unsupported{ContentType::kUnescapedTsv, arrow::large_binary()},
        // JSON: nested is fine, binary is not (Python cannot write it either).
        Unsupported{ContentType::kJson, arrow::binary()},
        Unsupported{ContentType::kJson, arrow::list(arrow::binary())},
        Unsupported{ContentType::kJson, arrow::map(arrow::utf8(), arrow::int64())},
        Unsupported{ContentType::kJson, arrow::list(arrow::time32(arrow::TimeUnit::SECOND))},
        // Parquet: no intervals, unions or view types.
        Unsupported{ContentType::kParquet, arrow::month_day_nano_interval()},
        Unsupported{ContentType::kParquet, arrow::dense_union({arrow::field("a", arrow::int8())})},
        Unsupported{ContentType::kParquet, arrow::utf8_view()}),
    [](const ::testing::TestParamInfo<Unsupported>& info) {
      return std::string(ContentTypeShortName(info.param.content_type)) + "_" +
             std::to_string(info.index);
    });

TEST(TypeSupportTest, FeatherCarriesEverything) {
  for (const auto& type :
       {arrow::month_day_nano_interval(), arrow::dense_union({arrow::field("a", arrow::int8())}),
        arrow::map(arrow::utf8(), arrow::int64()), arrow::float16(), arrow::utf8_view()}) {
    DC_ASSERT_OK(CheckContentTypeCanStore(ContentType::kFeather, *OneColumn("c", type)));
  }
}

TEST(TypeSupportTest, NestedColumnsAreNamedInTheError) {
  auto status = CheckContentTypeCanStore(
      ContentType::kJson, *arrow::schema({arrow::field(
                              "outer", arrow::struct_({arrow::field("inner", arrow::binary())}))}));
  EXPECT_EQ(status.code(), ErrorCode::kContentTypeValidation);
  EXPECT_NE(status.message().find("outer"), std::string::npos) << status;
}

TEST(TypeSupportTest, AvroAndBinaryHaveNoTableWriterOrReader) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto table = arrow::Table::MakeEmpty(OneColumn("c", arrow::int64())).ValueOrDie();
  auto avro = WriteDataFile(fs, dir.Child("f.avro"), *table, ContentType::kAvro);
  EXPECT_EQ(avro.status().code(), ErrorCode::kNotImplemented) << avro.status();
  auto binary = WriteDataFile(fs, dir.Child("f.bin"), *table, ContentType::kBinary);
  EXPECT_EQ(binary.status().code(), ErrorCode::kContentTypeValidation) << binary.status();
  EXPECT_FALSE(std::filesystem::exists(dir.Child("f.avro")));

  testing::WriteBytes(dir.Child("f.avro"), "Obj\x01");
  auto read = OpenDataFile(fs, dir.Child("f.avro"), ContentType::kAvro, ContentEncoding::kIdentity);
  EXPECT_EQ(read.status().code(), ErrorCode::kNotImplemented) << read.status();
}

TEST(TypeSupportTest, SnappyEncodingIsNotImplemented) {
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto table = arrow::Table::MakeEmpty(OneColumn("c", arrow::int64())).ValueOrDie();
  WriteOptions options;
  options.content_encoding = ContentEncoding::kSnappy;
  auto written = WriteDataFile(fs, dir.Child("f.csv.sz"), *table, ContentType::kCsv, options);
  EXPECT_EQ(written.status().code(), ErrorCode::kNotImplemented) << written.status();
  EXPECT_FALSE(std::filesystem::exists(dir.Child("f.csv.sz")));
}

TEST(TypeSupportTest, UnescapedTsvRejectsValuesWithStructuralCharacters) {
  // Python fails the same way: there is no quoting to protect a tab or newline.
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto schema = arrow::schema({arrow::field("s", arrow::utf8())});
  for (const char* value : {R"(["a\tb"])", R"(["a\nb"])", R"(["a\"b"])"}) {
    auto table = arrow::Table::Make(schema, {testing::ArrayOf(arrow::utf8(), value)});
    const std::string path = dir.Child("f.gz");
    auto written = WriteDataFile(fs, path, *table, ContentType::kUnescapedTsv);
    ASSERT_FALSE(written.ok()) << value;
    EXPECT_EQ(written.status().code(), ErrorCode::kContentTypeValidation) << written.status();
    EXPECT_NE(written.status().message().find(path), std::string::npos) << written.status();
    EXPECT_FALSE(std::filesystem::exists(path));
  }
}

TEST(TypeSupportTest, UnescapedTsvReadsEmptyStringsAsNull) {
  // Python's reader kwargs for unescaped TSV: null_values=[""], strings_can_be_null.
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto schema = arrow::schema({arrow::field("s", arrow::utf8()), arrow::field("n", arrow::int8())});
  auto table = arrow::Table::Make(schema, {testing::ArrayOf(arrow::utf8(), R"(["", "x", null])"),
                                           testing::ArrayOf(arrow::int8(), "[1, 2, 3]")});
  DC_ASSERT_OK(WriteDataFile(fs, dir.Child("f.gz"), *table, ContentType::kUnescapedTsv).status());
  ReadOptions options;
  options.schema = schema;
  DC_ASSERT_OK_AND_ASSIGN(auto read, ReadDataFile(fs, dir.Child("f.gz"), ContentType::kUnescapedTsv,
                                                  ContentEncoding::kGzip, options));
  auto expected =
      arrow::Table::Make(schema, {testing::ArrayOf(arrow::utf8(), R"([null, "x", null])"),
                                  testing::ArrayOf(arrow::int8(), "[1, 2, 3]")});
  testing::ExpectTablesEqual(*expected, *read);
}

}  // namespace
}  // namespace deltacat::io
