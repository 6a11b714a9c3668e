// The file_ops conformance suite over S3 (moto_server on loopback), with the filesystem
// resolved from an s3:// URI and the standard AWS_* environment variables, as users do it.
#include <cstdlib>
#include <mutex>

#include <arrow/filesystem/s3fs.h>
#include <gtest/gtest.h>

#include "deltacat/util/uuid.h"
#include "support/file_ops_conformance.h"
#include "support/moto_server.h"

namespace deltacat::testing {
namespace {

constexpr char kBucket[] = "deltacat-fs-tests";

/// One moto server for the whole binary, started on first use; the AWS_* variables point
/// ResolveUri at it.
MotoServer& SharedMoto() {
  static std::once_flag once;
  MotoServer* server = SharedMotoServer(kBucket);
  if (server == nullptr) std::abort();
  std::call_once(once, [server] {
    setenv("AWS_ENDPOINT_URL", ("http://" + server->endpoint()).c_str(), 1);
    setenv("AWS_ACCESS_KEY_ID", "testing", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-value", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    unsetenv("AWS_ENDPOINT_URL_S3");
    unsetenv("AWS_SESSION_TOKEN");
  });
  return *server;
}

/// A fresh prefix in the test bucket, resolved the way a user's s3:// catalog URI is.
FsTestRoot MakeS3Root() {
  SharedMoto();
  auto location = ResolveUri(std::string("s3://") + kBucket + "/t-" + NewUuid4() + "/");
  EXPECT_TRUE(location.ok()) << location.status();
  FsTestRoot root;
  if (!location.ok()) return root;
  root.fs = location->fs;
  root.root = location->root;
  return root;
}

INSTANTIATE_TEST_SUITE_P(
    S3, FileOpsConformance,
    ::testing::Values(FsBackend{"S3", MakeS3Root},
                      FsBackend{"S3ThroughFaultInjection",
                                [] {
                                  FsTestRoot root = MakeS3Root();
                                  root.fs = std::make_shared<FaultInjectionFileSystem>(root.fs);
                                  return root;
                                }}),
    BackendName);

TEST(S3ResolveUri, CanonicalFormAndEndpointFromEnvironment) {
  MotoServer& moto = SharedMoto();
  auto location = ResolveUri(std::string("s3://") + kBucket + "/some//prefix");
  ASSERT_FALSE(location.ok());  // empty path components are refused
  EXPECT_EQ(location.status().code(), ErrorCode::kInvalidArgument);
  location = ResolveUri(std::string("s3://") + kBucket + "/some/prefix//");
  ASSERT_TRUE(location.ok()) << location.status();
  EXPECT_EQ(location->root, std::string(kBucket) + "/some/prefix");
  EXPECT_EQ(location->uri, std::string("s3://") + kBucket + "/some/prefix");
  EXPECT_EQ(location->fs->type_name(), "s3");
  const auto options = static_cast<arrow::fs::S3FileSystem&>(*location->fs).options();
  EXPECT_EQ(options.endpoint_override, moto.endpoint());
  EXPECT_EQ(options.scheme, "http");
  EXPECT_EQ(options.region, "us-east-1");
  EXPECT_FALSE(options.force_virtual_addressing);
  EXPECT_TRUE(IsObjectStore(*location->fs));
}

TEST(S3ResolveUri, AtomicWriteIsASinglePutWithoutTempObjects) {
  FsTestRoot root = MakeS3Root();
  auto faulty = std::make_shared<FaultInjectionFileSystem>(root.fs);
  ASSERT_TRUE(WriteFileAtomically(*faulty, JoinPath(root.root, "a/b/c"), "put").ok());
  EXPECT_EQ(faulty->count(FsOp::kOpenOutput), 1);
  EXPECT_EQ(faulty->count(FsOp::kRename), 0);
  EXPECT_EQ(faulty->count(FsOp::kCreateDir), 0);
  EXPECT_EQ(RawTree(*root.fs, root.root), std::vector<std::string>{"a/b/c"});
}

TEST(S3ResolveUri, MissingBucketIsNotFoundOrIOErrorNamingThePath) {
  SharedMoto();
  auto location = ResolveUri("s3://no-such-bucket-deltacat/prefix");
  ASSERT_TRUE(location.ok()) << location.status();
  auto read =
      ReadWholeFile(*location->fs, JoinPath(location->root, "f"), 10, RetryPolicy::NoRetry());
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(read.status().code() == ErrorCode::kFileNotFound ||
              read.status().code() == ErrorCode::kIOError)
      << read.status();
  EXPECT_NE(read.status().message().find("no-such-bucket-deltacat/prefix/f"), std::string::npos)
      << read.status();
  EXPECT_EQ(read.status().message().find("testing-secret-value"), std::string::npos);
}

TEST(S3ResolveUri, UnreachableEndpointIsTransientAndBounded) {
  SharedMoto();
  const std::string saved = std::getenv("AWS_ENDPOINT_URL");
  // A loopback port nobody listens on: connection refused.
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
  auto location = ResolveUri(std::string("s3://") + kBucket + "/x");
  setenv("AWS_ENDPOINT_URL", saved.c_str(), 1);
  ASSERT_TRUE(location.ok()) << location.status();
  auto sleeps = std::make_shared<std::vector<std::chrono::nanoseconds>>();
  RetryPolicy retry = RecordingRetry(sleeps);
  retry.max_attempts = 2;
  auto read = ReadWholeFile(*location->fs, JoinPath(location->root, "f"), 10, retry);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kTransientIOError) << read.status();
  EXPECT_EQ(sleeps->size(), 1u);
  EXPECT_EQ(read.status().message().find("testing-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace deltacat::testing
