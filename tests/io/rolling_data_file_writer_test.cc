// Splitting output into files by rows and by bytes.

#include <filesystem>
#include <string>

#include <arrow/array/concatenate.h>
#include <arrow/filesystem/localfs.h>
#include <arrow/util/byte_size.h>
#include <gtest/gtest.h>

#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/rolling_data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

class RollingDataFileWriterTest : public ::testing::Test {
 protected:
  RollingDataFileWriterTest() : fs_(std::make_shared<arrow::fs::LocalFileSystem>()) {}

  NextFilePath Paths(const std::string& suffix) {
    return [this, suffix]() -> Result<std::string> {
      return dir_.Child("out/" + std::to_string(next_++) + suffix);
    };
  }

  static std::shared_ptr<arrow::RecordBatch> Batch(int64_t first, int64_t count) {
    arrow::Int64Builder ids;
    arrow::StringBuilder names;
    for (int64_t i = first; i < first + count; ++i) {
      EXPECT_TRUE(ids.Append(i).ok());
      EXPECT_TRUE(names.Append("name-" + std::to_string(i)).ok());
    }
    return arrow::RecordBatch::Make(Schema(), count,
                                    {ids.Finish().ValueOrDie(), names.Finish().ValueOrDie()});
  }

  static std::shared_ptr<arrow::Schema> Schema() {
    return arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  }

  /// Reads every file back and checks the ids are 0..n-1 in order.
  void ExpectIdsInOrder(const std::vector<WrittenFile>& files, ContentType type, int64_t n) {
    int64_t next_id = 0;
    for (const auto& file : files) {
      ReadOptions options;
      options.schema = Schema();
      DC_ASSERT_OK_AND_ASSIGN(auto table,
                              ReadDataFile(*fs_, file.path, type, file.content_encoding, options));
      EXPECT_EQ(table->num_rows(), file.record_count);
      auto ids = std::static_pointer_cast<arrow::Int64Array>(
          table->column(0)->num_chunks() == 1
              ? table->column(0)->chunk(0)
              : arrow::Concatenate(table->column(0)->chunks()).ValueOrDie());
      for (int64_t i = 0; i < ids->length(); ++i) EXPECT_EQ(ids->Value(i), next_id++);
    }
    EXPECT_EQ(next_id, n);
  }

  deltacat::testing::TempDir dir_;
  std::shared_ptr<arrow::fs::LocalFileSystem> fs_;
  int next_ = 0;
};

TEST_F(RollingDataFileWriterTest, SplitsByRowsExactly) {
  RollingLimits limits;
  limits.max_rows_per_file = 300;
  DC_ASSERT_OK_AND_ASSIGN(
      auto writer,
      RollingDataFileWriter::Open(fs_, Schema(), ContentType::kParquet, limits, Paths(".parquet")));
  // Batches that straddle file boundaries.
  DC_ASSERT_OK(writer->Write(Batch(0, 250)));
  DC_ASSERT_OK(writer->Write(Batch(250, 500)));
  DC_ASSERT_OK(writer->Write(Batch(750, 250)));
  DC_ASSERT_OK_AND_ASSIGN(auto files, writer->Close());
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0].record_count, 300);
  EXPECT_EQ(files[1].record_count, 300);
  EXPECT_EQ(files[2].record_count, 300);
  EXPECT_EQ(files[3].record_count, 100);
  for (const auto& file : files) {
    EXPECT_EQ(file.content_length, static_cast<int64_t>(std::filesystem::file_size(file.path)));
    ASSERT_EQ(file.column_stats.size(), 2u);
  }
  // Each file's statistics cover its own rows.
  EXPECT_EQ(files[1].column_stats[0].min->ToString(), "300");
  EXPECT_EQ(files[1].column_stats[0].max->ToString(), "599");
  ExpectIdsInOrder(files, ContentType::kParquet, 1000);
}

TEST_F(RollingDataFileWriterTest, SplitsByInMemoryBytes) {
  const auto sample = Batch(0, 1000);
  const int64_t total = arrow::util::ReferencedBufferSize(*sample).ValueOrDie();
  RollingLimits limits;
  limits.max_bytes_per_file = total / 4;
  DC_ASSERT_OK_AND_ASSIGN(auto writer, RollingDataFileWriter::Open(fs_, Schema(), ContentType::kCsv,
                                                                   limits, Paths(".csv.gz")));
  DC_ASSERT_OK(writer->Write(sample));
  DC_ASSERT_OK_AND_ASSIGN(auto files, writer->Close());
  ASSERT_GE(files.size(), 4u);
  ASSERT_LE(files.size(), 5u);
  int64_t rows = 0;
  for (const auto& file : files) {
    EXPECT_LE(file.source_content_length, limits.max_bytes_per_file + 64) << file.path;
    EXPECT_EQ(file.content_encoding, ContentEncoding::kGzip);
    rows += file.record_count;
  }
  EXPECT_EQ(rows, 1000);
  ExpectIdsInOrder(files, ContentType::kCsv, 1000);
}

TEST_F(RollingDataFileWriterTest, BothLimitsAndTinyLimitsStillMakeProgress) {
  RollingLimits limits;
  limits.max_rows_per_file = 7;
  limits.max_bytes_per_file = 1;  // smaller than one row: one row per file
  DC_ASSERT_OK_AND_ASSIGN(
      auto writer,
      RollingDataFileWriter::Open(fs_, Schema(), ContentType::kFeather, limits, Paths(".feather")));
  DC_ASSERT_OK(writer->Write(Batch(0, 5)));
  DC_ASSERT_OK_AND_ASSIGN(auto files, writer->Close());
  EXPECT_EQ(files.size(), 5u);
  ExpectIdsInOrder(files, ContentType::kFeather, 5);
}

TEST_F(RollingDataFileWriterTest, NoRowsNoFiles) {
  DC_ASSERT_OK_AND_ASSIGN(
      auto writer,
      RollingDataFileWriter::Open(fs_, Schema(), ContentType::kParquet, {}, Paths(".parquet")));
  DC_ASSERT_OK(writer->Write(Batch(0, 0)));
  DC_ASSERT_OK_AND_ASSIGN(auto files, writer->Close());
  EXPECT_TRUE(files.empty());
  EXPECT_EQ(next_, 0);
}

TEST_F(RollingDataFileWriterTest, AbortDeletesFinishedAndOpenFiles) {
  RollingLimits limits;
  limits.max_rows_per_file = 10;
  {
    DC_ASSERT_OK_AND_ASSIGN(
        auto writer, RollingDataFileWriter::Open(fs_, Schema(), ContentType::kParquet, limits,
                                                 Paths(".parquet")));
    DC_ASSERT_OK(writer->Write(Batch(0, 25)));
    EXPECT_EQ(writer->finished_files().size(), 2u);
    EXPECT_TRUE(std::filesystem::exists(writer->finished_files()[0].path));
    // Destroyed without Close: a failed task leaves nothing behind.
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir_.Child("out")));
}

TEST_F(RollingDataFileWriterTest, PathSourceErrorsAbortEverything) {
  RollingLimits limits;
  limits.max_rows_per_file = 10;
  int calls = 0;
  NextFilePath paths = [&]() -> Result<std::string> {
    if (++calls > 2) return MakeError(ErrorCode::kIllegalState, "out of names");
    return dir_.Child("out/" + std::to_string(calls) + ".parquet");
  };
  DC_ASSERT_OK_AND_ASSIGN(auto writer, RollingDataFileWriter::Open(
                                           fs_, Schema(), ContentType::kParquet, limits, paths));
  auto status = writer->Write(Batch(0, 25));
  EXPECT_EQ(status.code(), ErrorCode::kIllegalState) << status;
  EXPECT_TRUE(std::filesystem::is_empty(dir_.Child("out")));
  EXPECT_FALSE(writer->Close().ok());
}

TEST_F(RollingDataFileWriterTest, RejectsSchemasTheFormatCannotStore) {
  auto schema = arrow::schema({arrow::field("l", arrow::list(arrow::int64()))});
  auto writer = RollingDataFileWriter::Open(fs_, schema, ContentType::kCsv, {}, Paths(".csv.gz"));
  EXPECT_EQ(writer.status().code(), ErrorCode::kContentTypeValidation) << writer.status();
}

}  // namespace
}  // namespace deltacat::io
