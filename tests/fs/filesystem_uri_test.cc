#include "deltacat/fs/filesystem_uri.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <arrow/filesystem/s3fs.h>
#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace deltacat {
namespace {

// S3 options are built with Arrow's S3 subsystem initialized; finalize it before exit.
class FinalizeS3 : public ::testing::Environment {
 public:
  void TearDown() override { (void)arrow::fs::EnsureS3Finalized(); }
};
[[maybe_unused]] ::testing::Environment* const kFinalizeS3 =
    ::testing::AddGlobalTestEnvironment(new FinalizeS3);

/// Sets environment variables for one scope and restores the previous values after.
class ScopedEnv {
 public:
  using Vars = std::vector<std::pair<const char*, std::optional<std::string>>>;
  explicit ScopedEnv(const Vars& vars) {
    for (const auto& [name, value] : vars) {
      const char* old = std::getenv(name);
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      if (value) {
        setenv(name, value->c_str(), 1);
      } else {
        unsetenv(name);
      }
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

/// No AWS configuration but fake static credentials (and no instance-metadata lookups).
ScopedEnv::Vars CleanAwsEnv() {
  return {
      {"AWS_REGION", std::nullopt},          {"AWS_DEFAULT_REGION", std::nullopt},
      {"AWS_ENDPOINT_URL", std::nullopt},    {"AWS_ENDPOINT_URL_S3", std::nullopt},
      {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},  {"AWS_SECRET_ACCESS_KEY", "super-secret-key-value"},
      {"AWS_EC2_METADATA_DISABLED", "true"},
  };
}

TEST(PathHelpers, JoinPath) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "/b"), "a/b");
  EXPECT_EQ(JoinPath("a//", "b/c"), "a/b/c");
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(JoinPath("a", ""), "a");
  EXPECT_EQ(JoinPath("/", "b"), "/b");
  EXPECT_EQ(JoinPath("/root", "x/y"), "/root/x/y");
  EXPECT_EQ(JoinPath("bucket/prefix", "rev"), "bucket/prefix/rev");
}

TEST(PathHelpers, ParentPath) {
  EXPECT_EQ(ParentPath("a/b/c"), "a/b");
  EXPECT_EQ(ParentPath("a/b/c/"), "a/b");
  EXPECT_EQ(ParentPath("/a"), "/");
  EXPECT_EQ(ParentPath("/"), "/");
  EXPECT_EQ(ParentPath("a"), "");
  EXPECT_EQ(ParentPath(""), "");
  EXPECT_EQ(ParentPath("bucket/key"), "bucket");
  EXPECT_EQ(ParentPath("/x/y"), "/x");
}

TEST(PathHelpers, BaseName) {
  EXPECT_EQ(BaseName("a/b/c"), "c");
  EXPECT_EQ(BaseName("a/b/"), "b");
  EXPECT_EQ(BaseName("a"), "a");
  EXPECT_EQ(BaseName("/"), "");
  EXPECT_EQ(BaseName(""), "");
  EXPECT_EQ(BaseName("/abs/file.mpk"), "file.mpk");
}

TEST(ResolveUri, AbsoluteLocalPath) {
  testing::TempDir dir;
  auto location = ResolveUri(dir.path().string() + "/catalog/");
  ASSERT_TRUE(location.ok()) << location.status();
  EXPECT_EQ(location->root, dir.path().string() + "/catalog");
  EXPECT_EQ(location->uri, location->root);
  EXPECT_EQ(location->fs->type_name(), "local");
}

TEST(ResolveUri, RelativeLocalPathIsMadeAbsoluteAndNormalized) {
  const std::string cwd = std::filesystem::current_path().lexically_normal().generic_string();
  auto location = ResolveUri("some/../cat/./x");
  ASSERT_TRUE(location.ok()) << location.status();
  EXPECT_EQ(location->root, JoinPath(cwd, "cat/x"));
  EXPECT_EQ(location->uri, location->root);
  auto dot = ResolveUri(".");
  ASSERT_TRUE(dot.ok()) << dot.status();
  EXPECT_EQ(dot->root, std::string(cwd.size() > 1 && cwd.back() == '/'
                                       ? std::string_view(cwd).substr(0, cwd.size() - 1)
                                       : std::string_view(cwd)));
}

TEST(ResolveUri, FileUris) {
  auto location = ResolveUri("file:///tmp/deltacat%20x/cat/");
  ASSERT_TRUE(location.ok()) << location.status();
  EXPECT_EQ(location->root, "/tmp/deltacat x/cat");
  EXPECT_EQ(location->uri, "/tmp/deltacat x/cat");
  auto localhost = ResolveUri("file://localhost/tmp/a");
  ASSERT_TRUE(localhost.ok()) << localhost.status();
  EXPECT_EQ(localhost->root, "/tmp/a");
  auto root = ResolveUri("file:///");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_EQ(root->root, "/");
}

TEST(ResolveUri, RejectsBadInput) {
  for (const char* bad : {"", "file://otherhost/x", "file://relative", "file:///a%zz",
                          "file:///a?x=1", "gs://bucket/x", "hdfs://nn/x", "s3://", "s3:///x",
                          "s3://bucket/a?region=x", "s3://bucket/a#frag", "s3://bucket//a"}) {
    auto location = ResolveUri(bad);
    EXPECT_FALSE(location.ok()) << bad;
    EXPECT_EQ(location.status().code(), ErrorCode::kInvalidArgument)
        << bad << ": " << location.status();
  }
}

TEST(ResolveUri, CredentialsInUrisAreRefusedWithoutEchoingThem) {
  auto location = ResolveUri("s3://AKIDEXAMPLE:hunter2secret@bucket/prefix");
  ASSERT_FALSE(location.ok());
  EXPECT_EQ(location.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(location.status().message().find("hunter2secret"), std::string::npos);
  EXPECT_EQ(location.status().message().find("AKIDEXAMPLE"), std::string::npos);
}

TEST(ResolveUri, S3UriCanonicalForm) {
  ScopedEnv env(CleanAwsEnv());
  auto location = ResolveUri("s3://my-bucket/some/prefix/");
  ASSERT_TRUE(location.ok()) << location.status();
  EXPECT_EQ(location->root, "my-bucket/some/prefix");
  EXPECT_EQ(location->uri, "s3://my-bucket/some/prefix");
  EXPECT_EQ(location->fs->type_name(), "s3");
  auto bucket_only = ResolveUri("s3://my-bucket");
  ASSERT_TRUE(bucket_only.ok()) << bucket_only.status();
  EXPECT_EQ(bucket_only->root, "my-bucket");
  EXPECT_EQ(bucket_only->uri, "s3://my-bucket");
}

TEST(S3OptionsFromEnvironment, DefaultsToUsEast1AndAwsEndpoints) {
  ScopedEnv env(CleanAwsEnv());
  auto options = S3OptionsFromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->region, "us-east-1");
  EXPECT_EQ(options->endpoint_override, "");
  EXPECT_EQ(options->scheme, "https");
  // Credentials come from the default chain, here the AWS_* variables.
  EXPECT_EQ(options->GetAccessKey(), "AKIDEXAMPLE");
}

TEST(S3OptionsFromEnvironment, RegionPrecedence) {
  ScopedEnv env(CleanAwsEnv());
  {
    ScopedEnv region(ScopedEnv::Vars{{"AWS_DEFAULT_REGION", "eu-west-1"}});
    EXPECT_EQ(S3OptionsFromEnvironment()->region, "eu-west-1");
    ScopedEnv preferred(ScopedEnv::Vars{{"AWS_REGION", "ap-south-1"}});
    EXPECT_EQ(S3OptionsFromEnvironment()->region, "ap-south-1");
  }
}

TEST(S3OptionsFromEnvironment, EndpointFromUrl) {
  ScopedEnv env(CleanAwsEnv());
  {
    ScopedEnv endpoint(ScopedEnv::Vars{{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"}});
    auto options = S3OptionsFromEnvironment();
    ASSERT_TRUE(options.ok()) << options.status();
    EXPECT_EQ(options->scheme, "http");
    EXPECT_EQ(options->endpoint_override, "127.0.0.1:5000");
    EXPECT_FALSE(options->force_virtual_addressing);
    // The S3-specific variable wins.
    ScopedEnv s3_endpoint(ScopedEnv::Vars{{"AWS_ENDPOINT_URL_S3", "https://minio.local:9000/"}});
    options = S3OptionsFromEnvironment();
    ASSERT_TRUE(options.ok()) << options.status();
    EXPECT_EQ(options->scheme, "https");
    EXPECT_EQ(options->endpoint_override, "minio.local:9000");
  }
}

TEST(S3OptionsFromEnvironment, BadEndpointsAreInvalidArguments) {
  ScopedEnv env(CleanAwsEnv());
  for (const char* bad : {"127.0.0.1:5000", "ftp://host", "http://", "http://host/path",
                          "http://user:pw-secret@host:1"}) {
    ScopedEnv endpoint(ScopedEnv::Vars{{"AWS_ENDPOINT_URL", std::string(bad)}});
    auto options = S3OptionsFromEnvironment();
    ASSERT_FALSE(options.ok()) << bad;
    EXPECT_EQ(options.status().code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_NE(options.status().message().find("AWS_ENDPOINT_URL"), std::string::npos);
    EXPECT_EQ(options.status().message().find("pw-secret"), std::string::npos);
  }
}

}  // namespace
}  // namespace deltacat
