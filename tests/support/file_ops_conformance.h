// Generic conformance tests for deltacat's file helpers (deltacat/fs/file_ops.h), run over every
// filesystem we support, in the spirit of Arrow's GenericFileSystemTest. Include this header in
// exactly one *_test.cc per test binary and instantiate it with the backends available there:
//
//   INSTANTIATE_TEST_SUITE_P(Local, FileOpsConformance,
//                            ::testing::Values(LocalBackend(), ...), BackendName);
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <arrow/filesystem/filesystem.h>
#include <gtest/gtest.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/fs/filesystem_uri.h"

namespace deltacat::testing {

/// A fresh, empty directory on some filesystem, for one test.
struct FsTestRoot {
  std::shared_ptr<arrow::fs::FileSystem> fs;
  /// Path of the directory inside `fs` (no trailing slash).
  std::string root;
  /// Whatever must stay alive while the root is used (a TempDir, a server, ...).
  std::shared_ptr<void> keep_alive;
};

/// A named way to make test roots.
struct FsBackend {
  std::string name;
  std::function<FsTestRoot()> make;
};

/// Lets gtest print a backend by name.
inline void PrintTo(const FsBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string BackendName(const ::testing::TestParamInfo<FsBackend>& info) {
  return info.param.name;
}

/// Every path under `dir`, recursively, relative to it, sorted; includes hidden names.
inline std::vector<std::string> RawTree(arrow::fs::FileSystem& fs, const std::string& dir) {
  arrow::fs::FileSelector selector;
  selector.base_dir = dir;
  selector.recursive = true;
  selector.allow_not_found = true;
  auto infos = fs.GetFileInfo(selector);
  EXPECT_TRUE(infos.ok()) << infos.status();
  std::vector<std::string> out;
  if (!infos.ok()) return out;
  for (const auto& info : *infos) {
    if (info.type() != arrow::fs::FileType::File) continue;
    out.push_back(info.path().substr(dir.size() + 1));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// A retry policy that records its sleeps instead of sleeping.
inline RetryPolicy RecordingRetry(std::shared_ptr<std::vector<std::chrono::nanoseconds>> sleeps) {
  RetryPolicy policy;
  policy.sleep = [sleeps](std::chrono::nanoseconds d) { sleeps->push_back(d); };
  return policy;
}

class FileOpsConformance : public ::testing::TestWithParam<FsBackend> {
 protected:
  void SetUp() override {
    root_ = GetParam().make();
    ASSERT_NE(root_.fs, nullptr);
  }
  arrow::fs::FileSystem& fs() { return *root_.fs; }
  std::string Path(const std::string& relative) const { return JoinPath(root_.root, relative); }
  std::string Read(const std::string& relative, int64_t max = 1 << 20) {
    auto read = ReadWholeFile(fs(), Path(relative), max);
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? *read : std::string();
  }
  void Write(const std::string& relative, std::string_view bytes) {
    auto written = WriteFileAtomically(fs(), Path(relative), bytes);
    ASSERT_TRUE(written.ok()) << written;
  }

  FsTestRoot root_;
};

TEST_P(FileOpsConformance, WriteThenReadRoundTrip) {
  const std::string binary("a\0b\xff\n", 5);
  Write("file.bin", binary);
  EXPECT_EQ(Read("file.bin"), binary);
  Write("empty", "");
  EXPECT_EQ(Read("empty"), "");
  std::string large(3 * 1024 * 1024 + 17, 'x');
  for (size_t i = 0; i < large.size(); i += 4096) large[i] = static_cast<char>(i / 4096);
  Write("large", large);
  EXPECT_EQ(Read("large", static_cast<int64_t>(large.size())), large);
}

TEST_P(FileOpsConformance, WriteReplacesAnExistingFile) {
  Write("f", "first version, long");
  Write("f", "second");
  EXPECT_EQ(Read("f"), "second");
}

TEST_P(FileOpsConformance, WriteCreatesNestedParents) {
  Write("a/b/c/d.txt", "deep");
  EXPECT_EQ(Read("a/b/c/d.txt"), "deep");
  auto listed = ListDir(fs(), Path("a/b"));
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(*listed, (std::vector<DirEntry>{{"c", true, -1}}));
}

TEST_P(FileOpsConformance, AtomicWriteLeavesNoTempFiles) {
  Write("x/one", "1");
  Write("x/one", "11");
  Write("x/two", "2");
  EXPECT_EQ(RawTree(fs(), root_.root), (std::vector<std::string>{"x/one", "x/two"}));
}

TEST_P(FileOpsConformance, ReadMissingFileIsFileNotFound) {
  auto read = ReadWholeFile(fs(), Path("nope/missing.mpk"), 100);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kFileNotFound) << read.status();
  EXPECT_NE(read.status().message().find("nope/missing.mpk"), std::string::npos) << read.status();
}

TEST_P(FileOpsConformance, BoundedReadRejectsOversizeFiles) {
  Write("ten", "0123456789");
  EXPECT_EQ(Read("ten", 10), "0123456789");
  auto read = ReadWholeFile(fs(), Path("ten"), 9);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kOutOfMemory) << read.status();
  EXPECT_NE(read.status().message().find(Path("ten")), std::string::npos) << read.status();
  EXPECT_NE(read.status().message().find("10 bytes"), std::string::npos) << read.status();
  auto negative = ReadWholeFile(fs(), Path("ten"), -1);
  EXPECT_EQ(negative.status().code(), ErrorCode::kInvalidArgument);
  // A huge claimed limit allocates only the real size.
  EXPECT_EQ(*ReadWholeFile(fs(), Path("ten"), int64_t{1} << 62), "0123456789");
}

TEST_P(FileOpsConformance, ListDirShowsSortedDirectChildrenOnly) {
  Write("d/b", "bb");
  Write("d/a", "a");
  Write("d/B", "");
  Write("d/sub/inner", "i");
  Write("d/_hidden", "h");
  Write("d/.dot", "d");
  Write("d/_sub/x", "x");
  Write("d/marker_$folder$", "");
  auto listed = ListDir(fs(), Path("d"));
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(*listed, (std::vector<DirEntry>{
                         {"B", false, 0}, {"a", false, 1}, {"b", false, 2}, {"sub", true, -1}}));
}

TEST_P(FileOpsConformance, ListDirOfMissingDirectoryIsEmpty) {
  auto listed = ListDir(fs(), Path("never/created"));
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_TRUE(listed->empty());
}

TEST_P(FileOpsConformance, ListDirIgnoresDirectoryMarkers) {
  // On S3, CreateDir writes a "<dir>/" marker object; it must not show up as a child.
  ASSERT_TRUE(fs().CreateDir(Path("m/empty"), true).ok());
  auto inside = ListDir(fs(), Path("m/empty"));
  ASSERT_TRUE(inside.ok()) << inside.status();
  EXPECT_TRUE(inside->empty());
  Write("m/empty/file", "f");
  inside = ListDir(fs(), Path("m/empty"));
  ASSERT_TRUE(inside.ok()) << inside.status();
  EXPECT_EQ(*inside, (std::vector<DirEntry>{{"file", false, 1}}));
  auto parent = ListDir(fs(), Path("m"));
  ASSERT_TRUE(parent.ok()) << parent.status();
  EXPECT_EQ(*parent, (std::vector<DirEntry>{{"empty", true, -1}}));
}

TEST_P(FileOpsConformance, ExistsForFilesDirectoriesAndMissingPaths) {
  Write("e/f", "x");
  EXPECT_TRUE(*Exists(fs(), Path("e/f")));
  EXPECT_TRUE(*Exists(fs(), Path("e")));
  EXPECT_FALSE(*Exists(fs(), Path("e/g")));
  EXPECT_FALSE(*Exists(fs(), Path("nowhere/at/all")));
}

TEST_P(FileOpsConformance, DeleteFileIfExistsIsIdempotent) {
  Write("del/f", "x");
  ASSERT_TRUE(DeleteFileIfExists(fs(), Path("del/f")).ok());
  EXPECT_FALSE(*Exists(fs(), Path("del/f")));
  auto again = DeleteFileIfExists(fs(), Path("del/f"));
  EXPECT_TRUE(again.ok()) << again;
  auto never = DeleteFileIfExists(fs(), Path("never/existed"));
  EXPECT_TRUE(never.ok()) << never;
}

TEST_P(FileOpsConformance, EnsureDirThenWriteInside) {
  ASSERT_TRUE(EnsureDir(fs(), Path("made/here")).ok());
  ASSERT_TRUE(EnsureDir(fs(), Path("made/here")).ok());  // idempotent
  Write("made/here/f", "x");
  EXPECT_EQ(Read("made/here/f"), "x");
}

TEST_P(FileOpsConformance, DeleteDirAndContents) {
  Write("tree/a", "1");
  Write("tree/sub/b", "2");
  ASSERT_TRUE(DeleteDirContents(fs(), Path("tree")).ok());
  EXPECT_TRUE(ListDir(fs(), Path("tree"))->empty());
  EXPECT_TRUE(RawTree(fs(), Path("tree")).empty());
  Write("tree2/a", "1");
  ASSERT_TRUE(DeleteDir(fs(), Path("tree2")).ok());
  EXPECT_FALSE(*Exists(fs(), Path("tree2")));
  auto missing = DeleteDir(fs(), Path("tree2"));
  EXPECT_TRUE(missing.ok()) << missing;
  auto missing_contents = DeleteDirContents(fs(), Path("nothing/here"));
  EXPECT_TRUE(missing_contents.ok()) << missing_contents;
}

// --- FaultInjectionFileSystem over the backend ----------------------------------------------

TEST_P(FileOpsConformance, InjectedFailureFailsTheWriteAndLeavesNothing) {
  auto faulty = std::make_shared<FaultInjectionFileSystem>(root_.fs);
  for (FsOp kind : {FsOp::kOpenOutput, FsOp::kWrite, FsOp::kClose}) {
    faulty->FailNth(kind, 1);
    auto written = WriteFileAtomically(*faulty, Path("inj/f"), "data");
    ASSERT_FALSE(written.ok()) << FsOpName(kind);
    EXPECT_EQ(written.code(), ErrorCode::kIOError) << written;
    EXPECT_NE(written.message().find("injected fault"), std::string::npos) << written;
    EXPECT_FALSE(*Exists(fs(), Path("inj/f"))) << FsOpName(kind);
    EXPECT_TRUE(RawTree(fs(), Path("inj")).empty()) << FsOpName(kind);
  }
  EXPECT_EQ(faulty->injected_failures(), 3);
  // Disarmed after firing once.
  ASSERT_TRUE(WriteFileAtomically(*faulty, Path("inj/f"), "data").ok());
  EXPECT_EQ(Read("inj/f"), "data");
}

TEST_P(FileOpsConformance, TransientFailuresAreRetried) {
  auto faulty = std::make_shared<FaultInjectionFileSystem>(root_.fs);
  auto sleeps = std::make_shared<std::vector<std::chrono::nanoseconds>>();
  const RetryPolicy retry = RecordingRetry(sleeps);
  faulty->FailNth(FsOp::kOpenOutput, 1, ErrorCode::kTransientIOError);
  faulty->FailNth(FsOp::kAny, 4, ErrorCode::kTransientIOError);
  ASSERT_TRUE(WriteFileAtomically(*faulty, Path("retry/f"), "ok", retry).ok());
  EXPECT_EQ(sleeps->size(), 2u);
  EXPECT_EQ(Read("retry/f"), "ok");
  EXPECT_TRUE(RawTree(fs(), Path("retry")) == std::vector<std::string>{"f"});

  faulty->FailNth(FsOp::kRead, 1, ErrorCode::kTransientIOError);
  auto read = ReadWholeFile(*faulty, Path("retry/f"), 10, retry);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, "ok");
  EXPECT_EQ(sleeps->size(), 3u);
}

TEST_P(FileOpsConformance, PersistentTransientFailureGivesUpBounded) {
  auto faulty = std::make_shared<FaultInjectionFileSystem>(root_.fs);
  auto sleeps = std::make_shared<std::vector<std::chrono::nanoseconds>>();
  RetryPolicy retry = RecordingRetry(sleeps);
  retry.max_attempts = 3;
  for (int i = 1; i <= 10; ++i) faulty->FailNth(FsOp::kList, i, ErrorCode::kTransientIOError);
  auto listed = ListDir(*faulty, root_.root, retry);
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), ErrorCode::kTransientIOError);
  EXPECT_NE(listed.status().message().find("3 attempts"), std::string::npos) << listed.status();
  EXPECT_EQ(faulty->count(FsOp::kList), 3);
  EXPECT_EQ(sleeps->size(), 2u);
}

// The crash-consistency property of WriteFileAtomically: whichever operation the process dies
// at, a reader afterwards sees the old file or the complete new one, never anything else, and
// listings show no stray names.
TEST_P(FileOpsConformance, CrashAtEveryStepOfAnAtomicWrite) {
  auto faulty = std::make_shared<FaultInjectionFileSystem>(root_.fs);
  const std::string old_bytes(1000, 'o');
  const std::string new_bytes(3000, 'n');
  Write("crash/f", old_bytes);
  faulty->ResetCounts();
  ASSERT_TRUE(WriteFileAtomically(*faulty, Path("crash/probe"), new_bytes).ok());
  const int64_t steps = faulty->count(FsOp::kAny);
  ASSERT_GE(steps, 3);
  // A torn write is a local-disk failure; S3 PUTs are all-or-nothing.
  const std::vector<bool> torn_modes =
      IsObjectStore(fs()) ? std::vector<bool>{false} : std::vector<bool>{false, true};
  for (bool partial : torn_modes) {
    for (int64_t n = 1; n <= steps; ++n) {
      SCOPED_TRACE("crash at operation " + std::to_string(n) + (partial ? " (torn)" : ""));
      faulty->CrashAt(FsOp::kAny, n, partial);
      auto written = WriteFileAtomically(*faulty, Path("crash/f"), new_bytes);
      EXPECT_FALSE(written.ok());
      EXPECT_TRUE(faulty->crashed());
      faulty->Revive();
      const std::string now = Read("crash/f", 10000);
      EXPECT_TRUE(now == old_bytes || now == new_bytes) << now.size() << " bytes";
      auto listed = ListDir(fs(), Path("crash"));
      ASSERT_TRUE(listed.ok()) << listed.status();
      EXPECT_EQ(*listed, (std::vector<DirEntry>{{"f", false, static_cast<int64_t>(now.size())},
                                                {"probe", false, 3000}}));
      Write("crash/f", old_bytes);  // reset for the next crash point
    }
  }
}

TEST_P(FileOpsConformance, NothingWorksAfterACrash) {
  Write("dead/f", "x");
  auto faulty = std::make_shared<FaultInjectionFileSystem>(root_.fs);
  auto file = faulty->OpenInputFile(Path("dead/f"));
  ASSERT_TRUE(file.ok());
  faulty->CrashNow();
  EXPECT_FALSE((*file)->ReadAt(0, 1).ok());
  EXPECT_EQ(ReadWholeFile(*faulty, Path("dead/f"), 10, RetryPolicy::NoRetry()).status().code(),
            ErrorCode::kIOError);
  EXPECT_FALSE(ListDir(*faulty, Path("dead")).ok());
  EXPECT_FALSE(Exists(*faulty, Path("dead/f")).ok());
  EXPECT_FALSE(DeleteFileIfExists(*faulty, Path("dead/f")).ok());
  EXPECT_TRUE(*Exists(fs(), Path("dead/f")));
  faulty->Revive();
  EXPECT_EQ(*ReadWholeFile(*faulty, Path("dead/f"), 10), "x");
}

TEST_P(FileOpsConformance, CrashedOutputStreamIsNeverPublished) {
  auto faulty = std::make_shared<FaultInjectionFileSystem>(root_.fs);
  ASSERT_TRUE(EnsureDir(fs(), Path("unpublished")).ok());
  {
    auto out = faulty->OpenOutputStream(Path("unpublished/f"));
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Write("abc", 3).ok());
    faulty->CrashAt(FsOp::kClose, 1);
    EXPECT_FALSE((*out)->Close().ok());
  }
  faulty->Revive();
  if (IsObjectStore(fs())) {
    // An object store never shows a partial object: the upload was aborted.
    EXPECT_FALSE(*Exists(fs(), Path("unpublished/f")));
  } else {
    // A local file is visible from its creation on, which is why WriteFileAtomically renames.
    EXPECT_TRUE(*Exists(fs(), Path("unpublished/f")));
  }
}

}  // namespace deltacat::testing
