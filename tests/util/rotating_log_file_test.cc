#include "deltacat/util/rotating_log_file.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace deltacat::util {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// All records of `path` and its generations, oldest generation first.
std::vector<std::string> ReadAllGenerationsOldestFirst(const std::string& path) {
  int oldest = 0;
  while (std::filesystem::exists(LogGenerationPath(path, oldest + 1))) ++oldest;
  std::vector<std::string> lines;
  for (int generation = oldest; generation >= 0; --generation) {
    for (auto& line : ReadLines(LogGenerationPath(path, generation))) lines.push_back(line);
  }
  return lines;
}

std::string Record(int i) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "record %04d\n", i);  // 12 bytes
  return buffer;
}

TEST(RotatingLogFile, KeepsTheNewestGenerationsInOrder) {
  testing::TempDir dir;
  const std::string path = dir.Child("app.log");
  auto file = RotatingLogFile::Open(path, {.max_bytes = 120, .backup_count = 3});
  ASSERT_TRUE(file.ok()) << file.status();
  // 10 records (120 bytes) fill a file; 45 records = 4 rotations + 5 records in the current one.
  for (int i = 1; i <= 45; ++i) ASSERT_TRUE((*file)->Append(Record(i)).ok());

  EXPECT_TRUE(std::filesystem::exists(LogGenerationPath(path, 3)));
  EXPECT_FALSE(std::filesystem::exists(LogGenerationPath(path, 4)));
  EXPECT_EQ(ReadLines(LogGenerationPath(path, 1)).front(), "record 0031");
  EXPECT_EQ(ReadLines(LogGenerationPath(path, 3)).front(), "record 0011");
  std::vector<std::string> expected;
  for (int i = 11; i <= 45; ++i) expected.push_back(Record(i).substr(0, 11));
  EXPECT_EQ(ReadAllGenerationsOldestFirst(path), expected);
}

TEST(RotatingLogFile, ZeroBackupsDiscardsAFullFile) {
  testing::TempDir dir;
  const std::string path = dir.Child("app.log");
  auto file = RotatingLogFile::Open(path, {.max_bytes = 120, .backup_count = 0});
  ASSERT_TRUE(file.ok()) << file.status();
  for (int i = 1; i <= 25; ++i) ASSERT_TRUE((*file)->Append(Record(i)).ok());
  EXPECT_FALSE(std::filesystem::exists(LogGenerationPath(path, 1)));
  auto lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines.front(), "record 0021");
}

TEST(RotatingLogFile, ZeroMaxBytesNeverRotates) {
  testing::TempDir dir;
  const std::string path = dir.Child("app.log");
  auto file = RotatingLogFile::Open(path, {.max_bytes = 0, .backup_count = 2});
  ASSERT_TRUE(file.ok()) << file.status();
  for (int i = 1; i <= 100; ++i) ASSERT_TRUE((*file)->Append(Record(i)).ok());
  EXPECT_FALSE(std::filesystem::exists(LogGenerationPath(path, 1)));
  EXPECT_EQ(ReadLines(path).size(), 100u);
}

TEST(RotatingLogFile, WriterFollowsARotationDoneByAnotherWriter) {
  testing::TempDir dir;
  const std::string path = dir.Child("app.log");
  // Two objects have separate descriptors and locks, like two processes.
  auto a = RotatingLogFile::Open(path, {.max_bytes = 24, .backup_count = 5});
  auto b = RotatingLogFile::Open(path, {.max_bytes = 24, .backup_count = 5});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Append(Record(1)).ok());
  ASSERT_TRUE((*a)->Append(Record(2)).ok());  // 24 bytes: a rotates
  ASSERT_TRUE((*b)->Append(Record(3)).ok());  // b's descriptor still points at app.log.1
  EXPECT_EQ(ReadLines(LogGenerationPath(path, 1)),
            (std::vector<std::string>{"record 0001", "record 0002"}));
  EXPECT_EQ(ReadLines(path), std::vector<std::string>{"record 0003"});
}

TEST(RotatingLogFile, SeveralProcessesLoseAndSplitNothing) {
  testing::TempDir dir;
  const std::string path = dir.Child("shared.log");
  constexpr int kChildren = 4;
  constexpr int kRecordsPerChild = 300;
  // Opened before fork(): each child must reopen, or the flock would be shared with the parent.
  auto file = RotatingLogFile::Open(path, {.max_bytes = 2048, .backup_count = 100000});
  ASSERT_TRUE(file.ok()) << file.status();
  std::vector<pid_t> children;
  for (int c = 0; c < kChildren; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int failures = 0;
      for (int s = 0; s < kRecordsPerChild; ++s) {
        std::ostringstream record;
        record << "child=" << c << " seq=" << s << " " << std::string(20 + s % 17, '.') << "\n";
        failures += (*file)->Append(record.str()).ok() ? 0 : 1;
      }
      ::_exit(failures == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }

  const auto lines = ReadAllGenerationsOldestFirst(path);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kChildren * kRecordsPerChild));
  EXPECT_TRUE(std::filesystem::exists(LogGenerationPath(path, 10)));  // it did rotate
  std::map<int, int> next_seq;  // per child, the sequence number expected next
  for (const auto& line : lines) {
    int c = -1, s = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "child=%d seq=%d", &c, &s), 2) << line;
    ASSERT_EQ(line.size(), line.find(' ', line.find("seq=")) + 1 + 20 + s % 17) << line;
    EXPECT_EQ(s, next_seq[c]) << "child " << c << " out of order or lost: " << line;
    next_seq[c] = s + 1;
  }
  for (int c = 0; c < kChildren; ++c) EXPECT_EQ(next_seq[c], kRecordsPerChild);
}

TEST(RotatingLogFile, MissingDirectoryIsAnIOErrorNamingThePath) {
  testing::TempDir dir;
  auto file = RotatingLogFile::Open(dir.Child("no/such/dir/app.log"), {});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), ErrorCode::kIOError);
  EXPECT_NE(file.status().message().find("no/such/dir"), std::string::npos);
}

}  // namespace
}  // namespace deltacat::util
