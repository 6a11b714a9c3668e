// Truncated, corrupted and mismatched files: typed errors, never a crash.

#include <filesystem>
#include <random>
#include <set>
#include <string>

#include <arrow/filesystem/localfs.h>
#include <gtest/gtest.h>

#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_verifier.h"
#include "deltacat/io/data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

constexpr ContentType kAllTypes[] = {
    ContentType::kParquet, ContentType::kFeather, ContentType::kOrc,  ContentType::kCsv,
    ContentType::kTsv,     ContentType::kPsv,     ContentType::kJson, ContentType::kUnescapedTsv};

/// Reads the whole file; returns the first error (OK if it read).
Status ReadAll(arrow::fs::FileSystem& fs, const std::string& path, ContentType type,
               ContentEncoding encoding, const std::shared_ptr<arrow::Schema>& schema) {
  ReadOptions options;
  options.schema = schema;
  DC_ASSIGN_OR_RAISE(auto reader, OpenDataFile(fs, path, type, encoding, options));
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(reader->ReadNext(&batch));
    if (!batch) return Status::OK();
  }
}

bool IsTypedReadError(const Status& status) {
  static const std::set<ErrorCode> kExpected = {ErrorCode::kIOError, ErrorCode::kSchemaValidation,
                                                ErrorCode::kOutOfMemory};
  return kExpected.count(status.code()) > 0;
}

class CorruptFileTest : public ::testing::TestWithParam<ContentType> {
 protected:
  /// Writes the many-types table and returns its bytes.
  std::string WriteGood(const std::string& path) {
    auto written = WriteDataFile(fs_, path, *table_, GetParam());
    EXPECT_TRUE(written.ok()) << written.status();
    return testing::ReadBytes(path);
  }

  deltacat::testing::TempDir dir_;
  arrow::fs::LocalFileSystem fs_;
  std::shared_ptr<arrow::Table> table_ = testing::TableFor(GetParam());
  ContentEncoding encoding_ = DefaultEncodingFor(GetParam());
};

TEST_P(CorruptFileTest, TruncatedFilesGiveTypedErrors) {
  const std::string path = dir_.Child("t" + DataFileSuffix(GetParam(), encoding_));
  const std::string good = WriteGood(path);
  for (size_t keep : {size_t{0}, size_t{1}, size_t{4}, good.size() / 3, good.size() / 2,
                      good.size() - 9, good.size() - 1}) {
    SCOPED_TRACE("kept " + std::to_string(keep) + " of " + std::to_string(good.size()));
    testing::WriteBytes(path, good.substr(0, keep));
    Status status = ReadAll(fs_, path, GetParam(), encoding_, table_->schema());
    if (keep == 0 && !IsSchemaContentType(GetParam())) {
      // An empty text file is a valid file with no rows, even gzip-encoded: Python writes
      // nothing for an empty table either.
      EXPECT_TRUE(status.ok()) << status;
      continue;
    }
    ASSERT_FALSE(status.ok());
    EXPECT_TRUE(IsTypedReadError(status)) << status;
    EXPECT_NE(status.message().find(path), std::string::npos) << status;
    if (IsSchemaContentType(GetParam())) {
      auto rows = CountRows(fs_, path, GetParam(), encoding_);
      if (!rows.ok()) {
        EXPECT_TRUE(IsTypedReadError(rows.status())) << rows.status();
      }
    }
  }
}

TEST_P(CorruptFileTest, FlippedBytesNeverCrash) {
  const std::string path = dir_.Child("c" + DataFileSuffix(GetParam(), encoding_));
  const std::string good = WriteGood(path);
  std::mt19937 random(42);
  int errors = 0;
  for (int trial = 0; trial < 40; ++trial) {
    std::string bad = good;
    std::uniform_int_distribution<size_t> position(0, bad.size() - 1);
    for (int flips = 0; flips < 8; ++flips) bad[position(random)] ^= static_cast<char>(0x5a);
    testing::WriteBytes(path, bad);
    Status status = ReadAll(fs_, path, GetParam(), encoding_, table_->schema());
    if (!status.ok()) {
      ++errors;
      EXPECT_TRUE(IsTypedReadError(status)) << status;
    }
    (void)CountRows(fs_, path, GetParam(), encoding_);
    (void)ReadDataFileSchema(fs_, path, GetParam(), encoding_);
  }
  EXPECT_GT(errors, 0);  // corruption is noticed (a flip may also land in slack bytes)
}

TEST_P(CorruptFileTest, GarbageIsATypedError) {
  const std::string path = dir_.Child("g" + DataFileSuffix(GetParam(), encoding_));
  std::string garbage(4096, '\0');
  std::mt19937 random(7);
  for (char& c : garbage) c = static_cast<char>(random());
  testing::WriteBytes(path, garbage);
  Status status = ReadAll(fs_, path, GetParam(), encoding_, table_->schema());
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(IsTypedReadError(status)) << status;
}

INSTANTIATE_TEST_SUITE_P(AllContentTypes, CorruptFileTest, ::testing::ValuesIn(kAllTypes),
                         [](const ::testing::TestParamInfo<ContentType>& info) {
                           return std::string(ContentTypeShortName(info.param));
                         });

class VerifyDataFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = testing::TableFor(ContentType::kParquet);
    path_ = dir_.Child("v.parquet");
    auto written = WriteDataFile(fs_, path_, *table_, ContentType::kParquet);
    ASSERT_TRUE(written.ok()) << written.status();
    written_ = *written;
  }

  ExpectedDataFile FromManifest() const {
    ExpectedDataFile expected;
    expected.record_count = written_.record_count;
    expected.content_length = written_.content_length;
    expected.schema = table_->schema();
    return expected;
  }

  Status Verify(const ExpectedDataFile& expected) {
    return VerifyDataFile(fs_, path_, ContentType::kParquet, ContentEncoding::kIdentity, expected);
  }

  deltacat::testing::TempDir dir_;
  arrow::fs::LocalFileSystem fs_;
  std::shared_ptr<arrow::Table> table_;
  std::string path_;
  WrittenFile written_;
};

TEST_F(VerifyDataFileTest, AcceptsTheFileItsManifestDescribes) {
  DC_ASSERT_OK(Verify(FromManifest()));
  auto deep = FromManifest();
  deep.read_all_data = true;
  DC_ASSERT_OK(Verify(deep));
}

TEST_F(VerifyDataFileTest, DetectsWrongRowCountAndSize) {
  auto rows = FromManifest();
  rows.record_count = written_.record_count + 1;
  Status status = Verify(rows);
  EXPECT_EQ(status.code(), ErrorCode::kValidation) << status;
  EXPECT_NE(status.message().find(std::to_string(written_.record_count)), std::string::npos);

  auto size = FromManifest();
  size.content_length = written_.content_length - 1;
  status = Verify(size);
  EXPECT_EQ(status.code(), ErrorCode::kValidation) << status;
  EXPECT_NE(status.message().find(path_), std::string::npos) << status;
}

TEST_F(VerifyDataFileTest, DetectsSchemaMismatch) {
  auto missing = FromManifest();
  missing.schema = arrow::schema({arrow::field("not_there", arrow::int64())});
  Status status = Verify(missing);
  EXPECT_EQ(status.code(), ErrorCode::kSchemaValidation) << status;
  EXPECT_NE(status.message().find("not_there"), std::string::npos) << status;

  auto wrong_type = FromManifest();
  wrong_type.schema = arrow::schema({arrow::field("i8", arrow::list(arrow::int64()))});
  status = Verify(wrong_type);
  EXPECT_EQ(status.code(), ErrorCode::kSchemaValidation) << status;
}

TEST_F(VerifyDataFileTest, DetectsMissingAndCorruptFiles) {
  std::filesystem::remove(path_);
  EXPECT_EQ(Verify(FromManifest()).code(), ErrorCode::kFileNotFound);
  ExpectedDataFile rows_only;
  rows_only.record_count = 1;
  EXPECT_EQ(Verify(rows_only).code(), ErrorCode::kFileNotFound);

  testing::WriteBytes(path_, "PAR1 not really parquet PAR1");
  EXPECT_EQ(Verify(rows_only).code(), ErrorCode::kIOError);
}

TEST_F(VerifyDataFileTest, DeepVerificationDecodesEveryPage) {
  // Overwrite the middle of a large file's data pages; the footer still parses.
  arrow::StringBuilder builder;
  for (int i = 0; i < 20000; ++i) ASSERT_TRUE(builder.Append("value-" + std::to_string(i)).ok());
  auto table = arrow::Table::Make(arrow::schema({arrow::field("s", arrow::utf8())}),
                                  {builder.Finish().ValueOrDie()});
  WriteOptions options;
  options.parquet_dictionary = false;
  DC_ASSERT_OK_AND_ASSIGN(auto written,
                          WriteDataFile(fs_, path_, *table, ContentType::kParquet, options));
  std::string bytes = testing::ReadBytes(path_);
  for (size_t i = bytes.size() / 4; i < bytes.size() / 2; ++i) bytes[i] = '\xff';
  testing::WriteBytes(path_, bytes);

  ExpectedDataFile expected;
  expected.record_count = written.record_count;
  expected.content_length = written.content_length;
  DC_ASSERT_OK(Verify(expected));  // footer-level checks cannot see it
  expected.read_all_data = true;
  Status status = Verify(expected);
  EXPECT_EQ(status.code(), ErrorCode::kIOError) << status;
}

TEST_F(VerifyDataFileTest, TextFilesAreParsedWithTheSchema) {
  const auto table = testing::TableFor(ContentType::kCsv);
  const std::string path = dir_.Child("v.csv.gz");
  DC_ASSERT_OK_AND_ASSIGN(auto written, WriteDataFile(fs_, path, *table, ContentType::kCsv));
  ExpectedDataFile expected;
  expected.record_count = written.record_count;
  expected.content_length = written.content_length;
  expected.schema = table->schema();
  DC_ASSERT_OK(VerifyDataFile(fs_, path, ContentType::kCsv, ContentEncoding::kGzip, expected));
  expected.record_count = 1;
  EXPECT_EQ(VerifyDataFile(fs_, path, ContentType::kCsv, ContentEncoding::kGzip, expected).code(),
            ErrorCode::kValidation);
}

}  // namespace
}  // namespace deltacat::io
