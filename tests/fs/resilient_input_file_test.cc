// ResilientInputFile over the fault-injecting filesystem: responses cut short are continued,
// transient failures mid-body retried with backoff (bounded), other errors returned at once.

#include "deltacat/fs/resilient_input_file.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <arrow/filesystem/localfs.h>
#include <gtest/gtest.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/fs/file_ops.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

class ResilientInputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 100000; ++i) contents_.push_back(static_cast<char>('a' + i % 26));
    path_ = dir_.Child("data.bin");
    ASSERT_TRUE(WriteFileAtomically(*base_, path_, contents_).ok());
    retry_.sleep = [this](std::chrono::nanoseconds slept) { sleeps_.push_back(slept); };
  }

  std::shared_ptr<ResilientInputFile> Open() {
    auto file = faulty_->OpenInputFile(path_);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    return std::make_shared<ResilientInputFile>(*file, path_, retry_);
  }

  testing::TempDir dir_;
  std::shared_ptr<arrow::fs::LocalFileSystem> base_ =
      std::make_shared<arrow::fs::LocalFileSystem>();
  std::shared_ptr<FaultInjectionFileSystem> faulty_ =
      std::make_shared<FaultInjectionFileSystem>(base_);
  std::string path_;
  std::string contents_;
  RetryPolicy retry_;
  std::vector<std::chrono::nanoseconds> sleeps_;
};

TEST_F(ResilientInputFileTest, TheFaultInjectorShortensAReadThatTheDecoratorCompletes) {
  // Without the decorator the partial read is silently short.
  auto raw = faulty_->OpenInputFile(path_);
  ASSERT_TRUE(raw.ok());
  faulty_->ShortenNthRead(1);
  auto short_read = (*raw)->ReadAt(0, 1000);
  ASSERT_TRUE(short_read.ok());
  EXPECT_EQ((*short_read)->size(), 500);

  auto file = Open();
  faulty_->ShortenNthRead(1);
  faulty_->ShortenNthRead(2);
  auto read = file->ReadAt(100, 1000);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ((*read)->ToString(), contents_.substr(100, 1000));
  EXPECT_TRUE(sleeps_.empty()) << "a read that makes progress is continued at once";
}

TEST_F(ResilientInputFileTest, SequentialReadsSurviveShortReadsAndResets) {
  auto file = Open();
  std::string out;
  int64_t call = 0;
  while (true) {
    ++call;
    if (call % 3 == 0) faulty_->ShortenNthRead(1);
    if (call % 5 == 0) faulty_->FailNthRead(1, ErrorCode::kTransientIOError);
    auto chunk = file->Read(7777);
    ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
    if ((*chunk)->size() == 0) break;
    out += (*chunk)->ToString();
  }
  EXPECT_EQ(out, contents_);
  EXPECT_FALSE(sleeps_.empty()) << "resets are retried after a backoff";
  auto tell = file->Tell();
  ASSERT_TRUE(tell.ok());
  EXPECT_EQ(*tell, static_cast<int64_t>(contents_.size()));
}

TEST_F(ResilientInputFileTest, ReadsPastTheEndReturnWhatExists) {
  auto file = Open();
  auto tail = file->ReadAt(static_cast<int64_t>(contents_.size()) - 10, 100);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ((*tail)->ToString(), contents_.substr(contents_.size() - 10));
  auto beyond = file->ReadAt(static_cast<int64_t>(contents_.size()) + 5, 100);
  ASSERT_TRUE(beyond.ok());
  EXPECT_EQ((*beyond)->size(), 0);
}

TEST_F(ResilientInputFileTest, EndlessResetsGiveUpBoundedWithATypedError) {
  auto file = Open();
  for (int64_t n = 1; n <= 100; ++n) faulty_->FailNthRead(n, ErrorCode::kTransientIOError);
  auto read = file->ReadAt(0, 1000);
  ASSERT_FALSE(read.ok());
  const Status status = FromArrowStatus(read.status());
  EXPECT_EQ(status.code(), ErrorCode::kTransientIOError) << status;
  EXPECT_NE(status.message().find(path_), std::string::npos) << status;
  EXPECT_EQ(static_cast<int>(sleeps_.size()) + 1, retry_.max_attempts);
}

TEST_F(ResilientInputFileTest, ReadsThatStopMakingProgressAreRetriedThenFail) {
  auto file = Open();
  // Each attempt's read is cut to half of half ... of one byte: zero bytes, no progress.
  for (int64_t n = 1; n <= 100; ++n) faulty_->ShortenNthRead(n);
  auto read = file->ReadAt(0, 1);
  ASSERT_FALSE(read.ok());
  const Status status = FromArrowStatus(read.status());
  EXPECT_EQ(status.code(), ErrorCode::kTransientIOError) << status;
  EXPECT_NE(status.message().find("0 of 1 bytes"), std::string::npos) << status;
}

TEST_F(ResilientInputFileTest, PermanentErrorsAreReturnedAtOnce) {
  auto file = Open();
  faulty_->FailNthRead(1, ErrorCode::kIOError);
  auto read = file->ReadAt(0, 1000);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(FromArrowStatus(read.status()).code(), ErrorCode::kIOError);
  EXPECT_TRUE(sleeps_.empty());
  // The next read works: the fault fired once.
  auto again = file->ReadAt(0, 1000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->ToString(), contents_.substr(0, 1000));
}

}  // namespace
}  // namespace deltacat
