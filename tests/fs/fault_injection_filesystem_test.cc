#include "deltacat/fs/fault_injection_filesystem.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <arrow/filesystem/localfs.h>
#include <gtest/gtest.h>

#include "deltacat/fs/file_ops.h"
#include "deltacat/fs/filesystem_uri.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

class FaultInjectionTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Child(name); }
  /// Writes through the decorator with plain (non-atomic) stream calls.
  arrow::Status PlainWrite(const std::string& name, std::string_view bytes) {
    ARROW_ASSIGN_OR_RAISE(auto out, faulty_->OpenOutputStream(Path(name)));
    ARROW_RETURN_NOT_OK(out->Write(bytes.data(), static_cast<int64_t>(bytes.size())));
    return out->Close();
  }
  std::string ReadBase(const std::string& name) {
    auto read = ReadWholeFile(*base_, Path(name), 1 << 20);
    return read.ok() ? *read : "<" + read.status().ToString() + ">";
  }

  testing::TempDir dir_;
  std::shared_ptr<arrow::fs::LocalFileSystem> base_ =
      std::make_shared<arrow::fs::LocalFileSystem>();
  std::shared_ptr<FaultInjectionFileSystem> faulty_ =
      std::make_shared<FaultInjectionFileSystem>(base_);
};

TEST_F(FaultInjectionTest, CountsOperationsByKind) {
  ASSERT_TRUE(faulty_->CreateDir(Path("d")).ok());
  ASSERT_TRUE(PlainWrite("d/f", "hello").ok());
  ASSERT_TRUE(faulty_->GetFileInfo(Path("d/f")).ok());
  arrow::fs::FileSelector selector;
  selector.base_dir = Path("d");
  ASSERT_TRUE(faulty_->GetFileInfo(selector).ok());
  ASSERT_TRUE(faulty_->OpenInputFile(Path("d/f")).ok());
  ASSERT_TRUE(faulty_->Move(Path("d/f"), Path("d/g")).ok());
  ASSERT_TRUE(faulty_->CopyFile(Path("d/g"), Path("d/h")).ok());
  ASSERT_TRUE(faulty_->DeleteFile(Path("d/h")).ok());
  EXPECT_EQ(faulty_->count(FsOp::kCreateDir), 1);
  EXPECT_EQ(faulty_->count(FsOp::kOpenOutput), 1);
  EXPECT_EQ(faulty_->count(FsOp::kWrite), 1);
  EXPECT_EQ(faulty_->count(FsOp::kClose), 1);
  EXPECT_EQ(faulty_->count(FsOp::kStat), 1);
  EXPECT_EQ(faulty_->count(FsOp::kList), 1);
  EXPECT_EQ(faulty_->count(FsOp::kRead), 1);
  EXPECT_EQ(faulty_->count(FsOp::kRename), 1);
  EXPECT_EQ(faulty_->count(FsOp::kCopy), 1);
  EXPECT_EQ(faulty_->count(FsOp::kDelete), 1);
  EXPECT_EQ(faulty_->count(FsOp::kAny), 10);
  EXPECT_EQ(faulty_->injected_failures(), 0);
  faulty_->ResetCounts();
  EXPECT_EQ(faulty_->count(FsOp::kAny), 0);
}

TEST_F(FaultInjectionTest, FailsTheNthOperationOfAKindOnce) {
  faulty_->FailNth(FsOp::kStat, 2);
  EXPECT_TRUE(faulty_->GetFileInfo(Path("a")).ok());
  ASSERT_TRUE(faulty_->CreateDir(Path("other")).ok());  // other kinds do not count
  auto second = faulty_->GetFileInfo(Path("b"));
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsIOError());
  EXPECT_NE(second.status().message().find("injected fault: stat"), std::string::npos);
  EXPECT_NE(second.status().message().find(Path("b")), std::string::npos);
  EXPECT_TRUE(faulty_->GetFileInfo(Path("c")).ok());
  EXPECT_FALSE(faulty_->crashed());
  EXPECT_EQ(faulty_->injected_failures(), 1);
}

TEST_F(FaultInjectionTest, FailsTheNthOperationOfAnyKind) {
  faulty_->FailNth(FsOp::kAny, 3);
  EXPECT_TRUE(faulty_->CreateDir(Path("x")).ok());
  EXPECT_TRUE(faulty_->GetFileInfo(Path("x")).ok());
  EXPECT_FALSE(faulty_->DeleteDir(Path("x")).ok());
  EXPECT_TRUE(faulty_->DeleteDir(Path("x")).ok());
}

TEST_F(FaultInjectionTest, InjectedCodesTravelThroughArrow) {
  faulty_->FailNth(FsOp::kRead, 1, ErrorCode::kTransientIOError);
  ASSERT_TRUE(WriteFileAtomically(*base_, Path("f"), "x").ok());
  auto read = ReadWholeFile(*faulty_, Path("f"), 10, RetryPolicy::NoRetry());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kTransientIOError);
}

TEST_F(FaultInjectionTest, CrashFailsThatAndEveryLaterOperation) {
  ASSERT_TRUE(faulty_->CreateDir(Path("d")).ok());
  faulty_->CrashAt(FsOp::kRename, 1);
  ASSERT_TRUE(PlainWrite("d/f", "x").ok());  // not a rename: unaffected
  EXPECT_FALSE(faulty_->crashed());
  auto moved = faulty_->Move(Path("d/f"), Path("d/g"));
  EXPECT_FALSE(moved.ok());
  EXPECT_NE(moved.message().find("injected crash"), std::string::npos);
  EXPECT_TRUE(faulty_->crashed());
  const int64_t counted = faulty_->count(FsOp::kAny);
  EXPECT_FALSE(faulty_->GetFileInfo(Path("d/f")).ok());
  EXPECT_FALSE(faulty_->CreateDir(Path("e")).ok());
  EXPECT_FALSE(faulty_->OpenOutputStream(Path("d/z")).ok());
  EXPECT_EQ(faulty_->count(FsOp::kAny), counted);  // a dead process does nothing
  EXPECT_EQ(faulty_->injected_failures(), 4);
  // Nothing reached the base after the crash.
  EXPECT_EQ(ReadBase("d/f"), "x");
  EXPECT_FALSE(*Exists(*base_, Path("d/g")));
  EXPECT_FALSE(*Exists(*base_, Path("e")));
  faulty_->Revive();
  EXPECT_TRUE(faulty_->Move(Path("d/f"), Path("d/g")).ok());
}

TEST_F(FaultInjectionTest, CrashOnAWriteCanLeaveATornFile) {
  faulty_->CrashAt(FsOp::kWrite, 2, /*leave_partial_write=*/true);
  auto out = faulty_->OpenOutputStream(Path("torn"));
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE((*out)->Write("0123", 4).ok());
  EXPECT_FALSE((*out)->Write("456789", 6).ok());
  EXPECT_FALSE((*out)->Close().ok());
  EXPECT_EQ(ReadBase("torn"), "0123456");  // the first write plus half of the second
}

TEST_F(FaultInjectionTest, CrashOnOpenOutputCanLeaveAnEmptyFile) {
  faulty_->CrashAt(FsOp::kOpenOutput, 1, /*leave_partial_write=*/true);
  EXPECT_FALSE(faulty_->OpenOutputStream(Path("empty")).ok());
  EXPECT_EQ(ReadBase("empty"), "");
}

TEST_F(FaultInjectionTest, StreamsOpenedBeforeACrashDie) {
  ASSERT_TRUE(WriteFileAtomically(*base_, Path("in"), "input").ok());
  auto input = faulty_->OpenInputStream(Path("in"));
  auto file = faulty_->OpenInputFile(Path("in"));
  auto out = faulty_->OpenOutputStream(Path("out"));
  ASSERT_TRUE(input.ok() && file.ok() && out.ok());
  faulty_->CrashNow();
  EXPECT_FALSE((*input)->Read(1).ok());
  EXPECT_FALSE((*file)->ReadAt(0, 1).ok());
  EXPECT_FALSE((*file)->GetSize().ok());
  EXPECT_FALSE((*out)->Write("x", 1).ok());
  EXPECT_FALSE((*out)->Flush().ok());
  EXPECT_FALSE((*out)->Close().ok());
}

TEST_F(FaultInjectionTest, ResetCountsKeepsArmedFaultsRelative) {
  faulty_->FailNth(FsOp::kStat, 2);
  EXPECT_TRUE(faulty_->GetFileInfo(Path("a")).ok());
  faulty_->ResetCounts();
  EXPECT_FALSE(faulty_->GetFileInfo(Path("b")).ok());
}

TEST_F(FaultInjectionTest, ReviveDisarmsPendingFaults) {
  faulty_->FailNth(FsOp::kStat, 1);
  faulty_->CrashAt(FsOp::kList, 1);
  faulty_->Revive();
  EXPECT_TRUE(faulty_->GetFileInfo(Path("a")).ok());
  EXPECT_TRUE(ListDir(*faulty_, dir_.path().string()).ok());
}

TEST_F(FaultInjectionTest, CountsAreExactUnderConcurrency) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  faulty_->FailNth(FsOp::kStat, 500);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!faulty_->GetFileInfo(Path("nothing")).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(faulty_->count(FsOp::kStat), kThreads * kPerThread);
  EXPECT_EQ(failures.load(), 1);
}

TEST_F(FaultInjectionTest, BehavesAsItsBase) {
  EXPECT_EQ(faulty_->type_name(), "local");
  EXPECT_FALSE(IsObjectStore(*faulty_));
  EXPECT_TRUE(faulty_->Equals(*faulty_));
  EXPECT_FALSE(faulty_->Equals(*base_));
  EXPECT_EQ(faulty_->base(), base_);
  EXPECT_EQ(FsOpName(FsOp::kOpenOutput), "open-output");
  EXPECT_EQ(FsOpName(FsOp::kAny), "any");
}

TEST_F(FaultInjectionTest, StreamsOutliveTheDecorator) {
  auto out = faulty_->OpenOutputStream(Path("late"));
  ASSERT_TRUE(out.ok());
  faulty_.reset();
  ASSERT_TRUE((*out)->Write("ok", 2).ok());
  ASSERT_TRUE((*out)->Close().ok());
  EXPECT_EQ(ReadBase("late"), "ok");
}

}  // namespace
}  // namespace deltacat
