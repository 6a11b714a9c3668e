// Storage faults while writing and reading data files (fs layer's FaultInjectionFileSystem):
// error kinds survive the format libraries, so callers can retry transient ones.

#include <filesystem>
#include <memory>
#include <string>

#include <arrow/filesystem/localfs.h>
#include <gtest/gtest.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

class FaultInjectionTest : public ::testing::TestWithParam<ContentType> {
 protected:
  FaultInjectionTest()
      : fs_(std::make_shared<FaultInjectionFileSystem>(
            std::make_shared<arrow::fs::LocalFileSystem>())) {}

  std::string PathFor(const std::string& stem) const {
    return dir_.Child(stem + DataFileSuffix(GetParam(), DefaultEncodingFor(GetParam())));
  }

  deltacat::testing::TempDir dir_;
  std::shared_ptr<FaultInjectionFileSystem> fs_;
  std::shared_ptr<arrow::Table> table_ = testing::TableFor(GetParam());
};

TEST_P(FaultInjectionTest, TransientWriteFailuresStayTransientAndLeaveNoFile) {
  for (FsOp op : {FsOp::kOpenOutput, FsOp::kWrite, FsOp::kClose}) {
    SCOPED_TRACE(std::string(FsOpName(op)));
    const std::string path = PathFor("w");
    fs_->FailNth(op, 1, ErrorCode::kTransientIOError);
    auto written = WriteDataFile(*fs_, path, *table_, GetParam());
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.status().code(), ErrorCode::kTransientIOError) << written.status();
    EXPECT_FALSE(std::filesystem::exists(path));
    fs_->Revive();
    // The retry succeeds.
    DC_ASSERT_OK(WriteDataFile(*fs_, path, *table_, GetParam()).status());
    std::filesystem::remove(path);
  }
}

TEST_P(FaultInjectionTest, TransientReadFailuresStayTransient) {
  const std::string path = PathFor("r");
  DC_ASSERT_OK(WriteDataFile(*fs_, path, *table_, GetParam()).status());
  fs_->FailNth(FsOp::kRead, 1, ErrorCode::kTransientIOError);
  ReadOptions options;
  options.schema = table_->schema();
  auto read = ReadDataFile(*fs_, path, GetParam(), DefaultEncodingFor(GetParam()), options);
  EXPECT_EQ(read.status().code(), ErrorCode::kTransientIOError) << read.status();
  fs_->Revive();
  DC_ASSERT_OK_AND_ASSIGN(
      auto table, ReadDataFile(*fs_, path, GetParam(), DefaultEncodingFor(GetParam()), options));
  testing::ExpectTablesEqual(*table_, *table);
}

TEST_P(FaultInjectionTest, PartialReadsAndMidBodyResetsAreContinuedOrRetried) {
  const std::string path = PathFor("p");
  DC_ASSERT_OK(WriteDataFile(*fs_, path, *table_, GetParam()).status());
  ReadOptions options;
  options.schema = table_->schema();
  const int64_t before = fs_->read_calls();
  DC_ASSERT_OK(
      ReadDataFile(*fs_, path, GetParam(), DefaultEncodingFor(GetParam()), options).status());
  const int64_t clean_calls = fs_->read_calls() - before;
  ASSERT_GT(clean_calls, 0);
  // Every read call of a clean read, in turn, returns half of what it asked for, and the call
  // after it fails as a connection reset mid-body would.
  for (int64_t n = 1; n <= clean_calls; ++n) {
    SCOPED_TRACE("read call " + std::to_string(n));
    const int64_t injected = fs_->injected_failures();
    fs_->ShortenNthRead(n);
    fs_->FailNthRead(n + 1, ErrorCode::kTransientIOError);
    DC_ASSERT_OK_AND_ASSIGN(
        auto table, ReadDataFile(*fs_, path, GetParam(), DefaultEncodingFor(GetParam()), options));
    testing::ExpectTablesEqual(*table_, *table);
    EXPECT_EQ(fs_->injected_failures() - injected, 2);
    fs_->Revive();
  }
}

TEST_P(FaultInjectionTest, EndlessMidBodyFailuresGiveUpWithATransientError) {
  const std::string path = PathFor("e");
  DC_ASSERT_OK(WriteDataFile(*fs_, path, *table_, GetParam()).status());
  for (int64_t n = 1; n <= 50; ++n) fs_->FailNthRead(n, ErrorCode::kTransientIOError);
  ReadOptions options;
  options.schema = table_->schema();
  auto read = ReadDataFile(*fs_, path, GetParam(), DefaultEncodingFor(GetParam()), options);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kTransientIOError) << read.status();
  EXPECT_LT(fs_->injected_failures(), 50) << "retries must be bounded";
}

TEST_P(FaultInjectionTest, CrashWhileReadingIsATypedError) {
  const std::string path = PathFor("c");
  DC_ASSERT_OK(WriteDataFile(*fs_, path, *table_, GetParam()).status());
  ReadOptions options;
  options.schema = table_->schema();
  options.text_block_bytes = 4096;
  auto reader = OpenDataFile(*fs_, path, GetParam(), DefaultEncodingFor(GetParam()), options);
  fs_->CrashNow();
  if (reader.ok()) {
    Status status;
    while (status.ok()) {
      std::shared_ptr<arrow::RecordBatch> batch;
      status = FromArrowStatus((*reader)->ReadNext(&batch));
      if (!batch) break;
    }
    // Formats that read everything at open (the footer-sized test file) may finish cleanly.
    if (!status.ok()) {
      EXPECT_NE(status.code(), ErrorCode::kInternal) << status;
    }
  } else {
    EXPECT_NE(reader.status().code(), ErrorCode::kInternal) << reader.status();
  }
  auto again = ReadDataFile(*fs_, path, GetParam(), DefaultEncodingFor(GetParam()), options);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().code(), ErrorCode::kInternal) << again.status();
}

TEST_P(FaultInjectionTest, CrashWhileWritingIsATypedError) {
  const std::string path = PathFor("t");
  fs_->CrashAt(FsOp::kWrite, 1, /*leave_partial_write=*/true);
  auto written = WriteDataFile(*fs_, path, *table_, GetParam());
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.status().code(), ErrorCode::kInternal) << written.status();
  // A torn file may remain, as after a real crash: it is in no manifest, and the janitor
  // removes it. Nothing more can be asserted about the dead process.
}

INSTANTIATE_TEST_SUITE_P(Formats, FaultInjectionTest,
                         ::testing::Values(ContentType::kParquet, ContentType::kFeather,
                                           ContentType::kOrc, ContentType::kCsv,
                                           ContentType::kJson),
                         [](const ::testing::TestParamInfo<ContentType>& info) {
                           return std::string(ContentTypeShortName(info.param));
                         });

}  // namespace
}  // namespace deltacat::io
