// The file_ops conformance suite over the local filesystem, plain and through the fault
// injection decorator (armed with nothing, it must be invisible).
#include <atomic>
#include <thread>

#include <arrow/filesystem/localfs.h>

#include "deltacat/util/uuid.h"
#include "support/file_ops_conformance.h"
#include "support/temp_dir.h"

namespace deltacat::testing {
namespace {

FsTestRoot MakeLocalRoot() {
  auto dir = std::make_shared<TempDir>();
  FsTestRoot root;
  root.fs = std::make_shared<arrow::fs::LocalFileSystem>();
  root.root = dir->path().string();
  root.keep_alive = dir;
  return root;
}

FsBackend LocalBackend() { return FsBackend{"Local", MakeLocalRoot}; }

FsBackend LocalThroughFaultInjection() {
  return FsBackend{"LocalThroughFaultInjection", [] {
                     FsTestRoot root = MakeLocalRoot();
                     root.fs = std::make_shared<FaultInjectionFileSystem>(root.fs);
                     return root;
                   }};
}

FsBackend LocalResolvedFromRelativeUri() {
  return FsBackend{"LocalResolvedFromUri", [] {
                     FsTestRoot root = MakeLocalRoot();
                     auto location = ResolveUri("file://" + root.root + "/catalog/");
                     EXPECT_TRUE(location.ok()) << location.status();
                     root.fs = location->fs;
                     root.root = location->root;
                     return root;
                   }};
}

INSTANTIATE_TEST_SUITE_P(Local, FileOpsConformance,
                         ::testing::Values(LocalBackend(), LocalThroughFaultInjection(),
                                           LocalResolvedFromRelativeUri()),
                         BackendName);

// Local-only behaviour.

TEST(LocalFileOps, AtomicWriteUsesAHiddenTempNameInTheSameDirectory) {
  TempDir dir;
  auto base = std::make_shared<arrow::fs::LocalFileSystem>();
  FaultInjectionFileSystem faulty(base);
  const std::string path = dir.Child("d/meta.mpk");
  faulty.CrashAt(FsOp::kRename, 1);
  ASSERT_FALSE(WriteFileAtomically(faulty, path, "bytes").ok());
  const auto raw = RawTree(*base, dir.path().string());
  ASSERT_EQ(raw.size(), 1u);
  const std::string& temp = raw[0];
  EXPECT_TRUE(temp.starts_with("d/.meta.mpk.tmp-")) << temp;
  EXPECT_TRUE(IsUuid(temp.substr(std::string("d/.meta.mpk.tmp-").size()))) << temp;
  EXPECT_EQ(*ReadWholeFile(*base, dir.Child(temp), 100), "bytes");
  EXPECT_TRUE(ListDir(*base, dir.Child("d"))->empty());
}

TEST(LocalFileOps, ReadingADirectoryIsAnIOError) {
  TempDir dir;
  arrow::fs::LocalFileSystem fs;
  auto read = ReadWholeFile(fs, dir.path().string(), 100);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kIOError) << read.status();
  EXPECT_NE(read.status().message().find(dir.path().string()), std::string::npos);
}

TEST(LocalFileOps, ListingAFileIsAnIOError) {
  TempDir dir;
  arrow::fs::LocalFileSystem fs;
  ASSERT_TRUE(WriteFileAtomically(fs, dir.Child("f"), "x").ok());
  auto listed = ListDir(fs, dir.Child("f"));
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), ErrorCode::kIOError) << listed.status();
}

TEST(LocalFileOps, WriteUnderAFileFails) {
  TempDir dir;
  arrow::fs::LocalFileSystem fs;
  ASSERT_TRUE(WriteFileAtomically(fs, dir.Child("f"), "x").ok());
  auto written = WriteFileAtomically(fs, dir.Child("f/child"), "y");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.code(), ErrorCode::kIOError) << written;
  EXPECT_NE(written.message().find(dir.Child("f")), std::string::npos) << written;
}

TEST(LocalFileOps, EmptyPathsAreInvalidArguments) {
  arrow::fs::LocalFileSystem fs;
  EXPECT_EQ(ReadWholeFile(fs, "", 1).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(WriteFileAtomically(fs, "", "x").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ListDir(fs, "").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Exists(fs, "").status().code(), ErrorCode::kInvalidArgument);
}

TEST(LocalFileOps, ConcurrentAtomicWritersNeverExposeTornFiles) {
  TempDir dir;
  arrow::fs::LocalFileSystem fs;
  const std::string path = dir.Child("shared");
  const std::string a(64 * 1024, 'a');
  const std::string b(96 * 1024, 'b');
  ASSERT_TRUE(WriteFileAtomically(fs, path, a).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!stop) {
      auto read = ReadWholeFile(fs, path, 1 << 20);
      if (!read.ok() || (*read != a && *read != b)) ++bad;
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 50; ++i) {
        if (!WriteFileAtomically(fs, path, (i + w) % 2 ? a : b).ok()) ++bad;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  stop = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(RawTree(fs, dir.path().string()), std::vector<std::string>{"shared"});
}

}  // namespace
}  // namespace deltacat::testing
