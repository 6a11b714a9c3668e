// The streaming writer: bounded batches, atomicity on failure, Parquet settings.

#include <filesystem>
#include <string>

#include <arrow/filesystem/localfs.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>

#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

using testing::ArrayOf;

/// An output stream that fails once more than `fail_after_bytes` were written, or on Close.
class FailingOutputStream : public arrow::io::OutputStream {
 public:
  FailingOutputStream(std::shared_ptr<arrow::io::OutputStream> inner, int64_t fail_after_bytes,
                      bool fail_on_close)
      : inner_(std::move(inner)),
        fail_after_bytes_(fail_after_bytes),
        fail_on_close_(fail_on_close) {}
  arrow::Status Write(const void* data, int64_t nbytes) override {
    written_ += nbytes;
    if (written_ > fail_after_bytes_) return arrow::Status::IOError("injected write failure");
    return inner_->Write(data, nbytes);
  }
  arrow::Status Flush() override { return inner_->Flush(); }
  arrow::Status Close() override {
    if (fail_on_close_) {
      (void)inner_->Close();
      return arrow::Status::IOError("injected close failure");
    }
    return inner_->Close();
  }
  arrow::Status Abort() override { return inner_->Abort(); }
  arrow::Result<int64_t> Tell() const override { return written_; }
  bool closed() const override { return inner_->closed(); }

 private:
  std::shared_ptr<arrow::io::OutputStream> inner_;
  int64_t fail_after_bytes_;
  bool fail_on_close_;
  int64_t written_ = 0;
};

/// A local filesystem whose output streams fail as configured.
class FailingFileSystem : public arrow::fs::LocalFileSystem {
 public:
  int64_t fail_after_bytes = INT64_MAX;
  bool fail_on_close = false;

  using arrow::fs::LocalFileSystem::OpenOutputStream;
  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutputStream(
      const std::string& path,
      const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) override {
    ARROW_ASSIGN_OR_RAISE(auto inner, LocalFileSystem::OpenOutputStream(path, metadata));
    return std::make_shared<FailingOutputStream>(std::move(inner), fail_after_bytes, fail_on_close);
  }
};

std::shared_ptr<arrow::Schema> Schema() {
  return arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
}

std::shared_ptr<arrow::RecordBatch> Batch(const std::string& ids, const std::string& names) {
  return arrow::RecordBatch::Make(Schema(), ArrayOf(arrow::int64(), ids)->length(),
                                  {ArrayOf(arrow::int64(), ids), ArrayOf(arrow::utf8(), names)});
}

class DataFileWriterTest : public ::testing::Test {
 protected:
  DataFileWriterTest() : fs_(std::make_shared<arrow::fs::LocalFileSystem>()) {}
  deltacat::testing::TempDir dir_;
  std::shared_ptr<arrow::fs::LocalFileSystem> fs_;
};

TEST_F(DataFileWriterTest, StreamsBatchesIntoOneFile) {
  const std::string path = dir_.Child("nested/dirs/are/created/f.parquet");
  DC_ASSERT_OK_AND_ASSIGN(auto writer,
                          DataFileWriter::Open(fs_, path, Schema(), ContentType::kParquet));
  DC_ASSERT_OK(writer->Write(Batch("[1, 2]", R"(["a", "b"])")));
  DC_ASSERT_OK(writer->Write(Batch("[3]", R"([null])")));
  DC_ASSERT_OK(writer->Write(Batch("[]", "[]")));
  EXPECT_EQ(writer->rows_written(), 3);
  EXPECT_GT(writer->source_bytes_written(), 0);
  DC_ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());
  EXPECT_EQ(file.record_count, 3);
  EXPECT_EQ(file.content_length, static_cast<int64_t>(std::filesystem::file_size(path)));
  EXPECT_EQ(file.column_stats[1].null_count, 1);

  DC_ASSERT_OK_AND_ASSIGN(
      auto read, ReadDataFile(*fs_, path, ContentType::kParquet, ContentEncoding::kIdentity));
  auto expected = arrow::Table::Make(Schema(), {ArrayOf(arrow::int64(), "[1, 2, 3]"),
                                                ArrayOf(arrow::utf8(), R"(["a", "b", null])")});
  testing::ExpectTablesEqual(*expected, *read);
  // Closing twice is an error, not a crash; the file stays.
  EXPECT_EQ(writer->Close().status().code(), ErrorCode::kIllegalState);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(DataFileWriterTest, MismatchedBatchAbortsAndDeletesTheFile) {
  const std::string path = dir_.Child("f.parquet");
  DC_ASSERT_OK_AND_ASSIGN(auto writer,
                          DataFileWriter::Open(fs_, path, Schema(), ContentType::kParquet));
  DC_ASSERT_OK(writer->Write(Batch("[1]", R"(["a"])")));
  auto other = arrow::RecordBatch::Make(arrow::schema({arrow::field("id", arrow::int32())}), 1,
                                        {ArrayOf(arrow::int32(), "[1]")});
  auto status = writer->Write(other);
  EXPECT_EQ(status.code(), ErrorCode::kSchemaValidation) << status;
  EXPECT_NE(status.message().find(path), std::string::npos) << status;
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(writer->Write(Batch("[2]", R"(["b"])")).code(), ErrorCode::kSchemaValidation);
  EXPECT_EQ(writer->Close().status().code(), ErrorCode::kSchemaValidation);
}

TEST_F(DataFileWriterTest, AbortAndDestructionDeletePartialFiles) {
  const std::string aborted = dir_.Child("aborted.csv.gz");
  DC_ASSERT_OK_AND_ASSIGN(auto writer,
                          DataFileWriter::Open(fs_, aborted, Schema(), ContentType::kCsv));
  DC_ASSERT_OK(writer->Write(Batch("[1]", R"(["a"])")));
  writer->Abort();
  writer->Abort();  // idempotent
  EXPECT_FALSE(std::filesystem::exists(aborted));
  EXPECT_EQ(writer->Write(Batch("[1]", R"(["a"])")).code(), ErrorCode::kIllegalState);

  const std::string dropped = dir_.Child("dropped.orc");
  {
    DC_ASSERT_OK_AND_ASSIGN(auto unclosed,
                            DataFileWriter::Open(fs_, dropped, Schema(), ContentType::kOrc));
    DC_ASSERT_OK(unclosed->Write(Batch("[1]", R"(["a"])")));
    EXPECT_TRUE(std::filesystem::exists(dropped));
  }
  EXPECT_FALSE(std::filesystem::exists(dropped));
}

TEST_F(DataFileWriterTest, StorageFailuresAreIOErrorsAndLeaveNoFile) {
  auto table = arrow::Table::Make(Schema(), {ArrayOf(arrow::int64(), "[1, 2, 3]"),
                                             ArrayOf(arrow::utf8(), R"(["a", "b", "c"])")});
  for (ContentType type : {ContentType::kParquet, ContentType::kFeather, ContentType::kOrc,
                           ContentType::kCsv, ContentType::kJson}) {
    SCOPED_TRACE(ContentTypeString(type));
    for (bool fail_on_close : {false, true}) {
      FailingFileSystem fs;
      fs.fail_after_bytes = fail_on_close ? INT64_MAX : 10;
      fs.fail_on_close = fail_on_close;
      const std::string path = dir_.Child("fail" + DataFileSuffix(type, DefaultEncodingFor(type)));
      auto written = WriteDataFile(fs, path, *table, type);
      ASSERT_FALSE(written.ok());
      EXPECT_EQ(written.status().code(), ErrorCode::kIOError) << written.status();
      EXPECT_NE(written.status().message().find("injected"), std::string::npos) << written.status();
      EXPECT_FALSE(std::filesystem::exists(path));
    }
  }
}

TEST_F(DataFileWriterTest, FailingSourceReaderAbortsTheFile) {
  class FailingReader : public arrow::RecordBatchReader {
   public:
    std::shared_ptr<arrow::Schema> schema() const override { return Schema(); }
    arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* out) override {
      if (calls_++ == 0) {
        *out = Batch("[1]", R"(["a"])");
        return arrow::Status::OK();
      }
      return arrow::Status::IOError("source went away");
    }

   private:
    int calls_ = 0;
  };
  FailingReader reader;
  const std::string path = dir_.Child("src.parquet");
  auto written = WriteDataFile(*fs_, path, reader, ContentType::kParquet);
  EXPECT_EQ(written.status().code(), ErrorCode::kIOError) << written.status();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(DataFileWriterTest, ParquetDefaultsToSnappyLikePyarrowAndZstdIsAnOption) {
  auto table = arrow::Table::Make(Schema(), {ArrayOf(arrow::int64(), "[1, 2, 3]"),
                                             ArrayOf(arrow::utf8(), R"(["a", "b", "c"])")});
  auto codec_of = [](const std::string& path) {
    auto file = arrow::io::ReadableFile::Open(path).ValueOrDie();
    auto reader = parquet::ParquetFileReader::Open(file);
    return reader->metadata()->RowGroup(0)->ColumnChunk(0)->compression();
  };
  const std::string snappy = dir_.Child("snappy.parquet");
  DC_ASSERT_OK(WriteDataFile(*fs_, snappy, *table, ContentType::kParquet).status());
  EXPECT_EQ(codec_of(snappy), arrow::Compression::SNAPPY);

  WriteOptions options;
  options.parquet_compression = arrow::Compression::ZSTD;
  options.parquet_compression_level = 3;
  const std::string zstd = dir_.Child("zstd.parquet");
  DC_ASSERT_OK(WriteDataFile(*fs_, zstd, *table, ContentType::kParquet, options).status());
  EXPECT_EQ(codec_of(zstd), arrow::Compression::ZSTD);
  DC_ASSERT_OK_AND_ASSIGN(
      auto read, ReadDataFile(*fs_, zstd, ContentType::kParquet, ContentEncoding::kIdentity));
  testing::ExpectTablesEqual(*table, *read);
}

TEST_F(DataFileWriterTest, ParquetKeepsTheArrowSchemaAndFieldIds) {
  auto schema = arrow::schema({testing::FieldWithId("id", arrow::int64(), 7),
                               testing::FieldWithId("name", arrow::large_utf8(), 9)});
  auto table = arrow::Table::Make(
      schema, {ArrayOf(arrow::int64(), "[1]"), ArrayOf(arrow::large_utf8(), R"(["a"])")});
  const std::string path = dir_.Child("ids.parquet");
  DC_ASSERT_OK(WriteDataFile(*fs_, path, *table, ContentType::kParquet).status());
  auto file = arrow::io::ReadableFile::Open(path).ValueOrDie();
  auto reader = parquet::ParquetFileReader::Open(file);
  const auto* parquet_schema = reader->metadata()->schema();
  EXPECT_EQ(parquet_schema->Column(0)->schema_node()->field_id(), 7);
  EXPECT_EQ(parquet_schema->Column(1)->schema_node()->field_id(), 9);
  EXPECT_TRUE(reader->metadata()->key_value_metadata()->Contains("ARROW:schema"));
}

TEST_F(DataFileWriterTest, EncodingLevelIsConfigurable) {
  arrow::StringBuilder builder;
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(builder.Append("row " + std::to_string(i % 50)).ok());
  auto table = arrow::Table::Make(arrow::schema({arrow::field("s", arrow::utf8())}),
                                  {builder.Finish().ValueOrDie()});
  WriteOptions fast;
  fast.content_encoding_level = 1;
  DC_ASSERT_OK_AND_ASSIGN(
      auto level1, WriteDataFile(*fs_, dir_.Child("l1.csv.gz"), *table, ContentType::kCsv, fast));
  DC_ASSERT_OK_AND_ASSIGN(auto standard,
                          WriteDataFile(*fs_, dir_.Child("l9.csv.gz"), *table, ContentType::kCsv));
  EXPECT_GT(level1.content_length, 0);
  EXPECT_LE(standard.content_length, level1.content_length);
}

TEST_F(DataFileWriterTest, OpenValidatesArguments) {
  EXPECT_EQ(DataFileWriter::Open(nullptr, "x", Schema(), ContentType::kParquet).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(DataFileWriter::Open(fs_, "x", nullptr, ContentType::kParquet).status().code(),
            ErrorCode::kInvalidArgument);
  // A path under a regular file cannot be created.
  testing::WriteBytes(dir_.Child("plain"), "x");
  auto opened =
      DataFileWriter::Open(fs_, dir_.Child("plain/f.parquet"), Schema(), ContentType::kParquet);
  EXPECT_EQ(opened.status().code(), ErrorCode::kIOError) << opened.status();
}

}  // namespace
}  // namespace deltacat::io
