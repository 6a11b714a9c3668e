#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <arrow/filesystem/filesystem.h>
#include <arrow/filesystem/s3fs.h>

#include "deltacat/result.h"

namespace deltacat {

/// Where a catalog (or any tree of files) lives: a filesystem and a root path inside it.
struct FileSystemLocation {
  /// The filesystem holding the tree (LocalFileSystem or S3FileSystem).
  std::shared_ptr<arrow::fs::FileSystem> fs;
  /// The path of the tree inside `fs`: an absolute local path ("/data/catalog"), or
  /// "bucket/prefix" for S3. Never has a trailing slash (except the local root "/").
  std::string root;
  /// The canonical URI: "/abs/path" for local trees, "s3://bucket/prefix" for S3.
  std::string uri;
};

/// Resolves a user-given location to a filesystem and root path. Accepts:
/// - local paths, relative (to the current directory) or absolute, normalized lexically
///   ("a/../b/" -> "/cwd/b");
/// - `file:///abs/path` and `file://localhost/abs/path` (percent-escapes decoded);
/// - `s3://bucket[/prefix]`. The region comes from AWS_REGION, then AWS_DEFAULT_REGION, else
///   us-east-1; the endpoint from AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL (e.g.
///   "http://127.0.0.1:5000": scheme from the URL, host:port as the endpoint, path-style
///   addressing); credentials from the AWS default chain (AWS_ACCESS_KEY_ID,
///   AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, profiles, instance roles); the SDK's
///   standard retry strategy with 3 attempts (file_ops adds its own bounded retries).
///   Initializes Arrow's S3 subsystem on first use.
/// Fails with kInvalidArgument for empty input, other schemes, URIs with credentials, query
/// strings or fragments, and bucket-less S3 URIs. Error messages never contain credentials.
/// A process that resolved an s3:// URI must call arrow::fs::EnsureS3Finalized() before it
/// exits (after the last S3 filesystem is released), as Arrow requires. Each call makes a new
/// filesystem object; callers resolve once and keep the location.
Result<FileSystemLocation> ResolveUri(std::string_view uri);

/// The S3 options ResolveUri uses, built from the environment as described there. Exposed so
/// tests and tools can inspect or adjust them; never logs or prints credentials.
Result<arrow::fs::S3Options> S3OptionsFromEnvironment();

/// Joins two '/'-separated path parts with exactly one '/' between them. An empty part yields
/// the other one unchanged: JoinPath("a/", "/b") == "a/b", JoinPath("", "b") == "b",
/// JoinPath("/", "b") == "/b".
std::string JoinPath(std::string_view a, std::string_view b);

/// The parent of a '/'-separated path, ignoring trailing slashes: "a/b/c" -> "a/b",
/// "/a" -> "/", "a" -> "", "bucket/key" -> "bucket", "/" -> "/".
std::string_view ParentPath(std::string_view path);

/// The last component of a '/'-separated path, ignoring trailing slashes: "a/b/c" -> "c",
/// "a/b/" -> "b", "a" -> "a", "/" -> "".
std::string_view BaseName(std::string_view path);

}  // namespace deltacat
