#include "deltacat/fs/filesystem_error.h"

#include <cerrno>

#include <arrow/util/io_util.h>
#include <gtest/gtest.h>

namespace deltacat {
namespace {

TEST(FileSystemError, NotFoundFromErrnoAndS3Messages) {
  const auto enoent = arrow::internal::IOErrorFromErrno(ENOENT, "Failed to open local file");
  Status status = FileSystemError(enoent, "cannot open", "/x/y");
  EXPECT_EQ(status.code(), ErrorCode::kFileNotFound);
  EXPECT_NE(status.message().find("cannot open '/x/y'"), std::string::npos) << status;
  EXPECT_EQ(
      FileSystemError(arrow::Status::IOError("Path does not exist 'b/k'"), "read", "b/k").code(),
      ErrorCode::kFileNotFound);
}

TEST(FileSystemError, TransientAwsErrors) {
  for (const char* message :
       {"When reading 'b/k': AWS Error NETWORK_CONNECTION during HeadObject operation: curlCode: "
        "7, Couldn't connect to server",
        "AWS Error SLOW_DOWN during PutObject operation: Please reduce your request rate.",
        "AWS Error SERVICE_UNAVAILABLE during GetObject operation",
        "AWS Error UNKNOWN (HTTP status 503) during ListObjectsV2 operation: HTTP response code: "
        "503",
        "AWS Error REQUEST_TIMEOUT during PutObject", "curlCode: 28, Timeout was reached"}) {
    const arrow::Status error = arrow::Status::IOError(message);
    EXPECT_TRUE(IsTransientFileSystemError(error)) << message;
    EXPECT_EQ(FileSystemError(error, "op", "b/k").code(), ErrorCode::kTransientIOError) << message;
  }
  EXPECT_EQ(FileSystemError(arrow::internal::IOErrorFromErrno(EAGAIN, "busy"), "op", "p").code(),
            ErrorCode::kTransientIOError);
}

TEST(FileSystemError, OtherIOErrors) {
  const Status denied =
      FileSystemError(arrow::internal::IOErrorFromErrno(EACCES, "open failed"), "open", "/p");
  EXPECT_EQ(denied.code(), ErrorCode::kIOError);
  EXPECT_NE(denied.message().find("'/p'"), std::string::npos);
  EXPECT_EQ(FileSystemError(arrow::Status::IOError("AWS Error ACCESS_DENIED"), "op", "b").code(),
            ErrorCode::kIOError);
  EXPECT_EQ(FileSystemError(arrow::Status::Invalid("weird"), "op", "b").code(),
            ErrorCode::kIOError);
  EXPECT_TRUE(FileSystemError(arrow::Status::OK(), "op", "b").ok());
}

TEST(FileSystemError, KeepsDeltacatCodesThatCrossedArrow) {
  const arrow::Status carried =
      ToArrowStatus(Status(ErrorCode::kTransientIOError, "injected fault"));
  const Status status = FileSystemError(carried, "write", "/f");
  EXPECT_EQ(status.code(), ErrorCode::kTransientIOError);
  EXPECT_NE(status.message().find("write '/f'"), std::string::npos);
}

}  // namespace
}  // namespace deltacat
