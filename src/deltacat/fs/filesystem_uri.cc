#include "deltacat/fs/filesystem_uri.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <arrow/filesystem/localfs.h>

namespace deltacat {
namespace {

constexpr std::string_view kFileScheme = "file://";
constexpr std::string_view kS3Scheme = "s3://";
constexpr std::string_view kDefaultRegion = "us-east-1";

std::string_view StripTrailingSlashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

std::string GetEnv(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "invalid percent-escape in ", what, " '",
                       std::string(text), "'");
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

Result<FileSystemLocation> ResolveLocalPath(std::string_view path) {
  if (path.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty local path");
  if (path.find('\0') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "local path contains a NUL byte");
  }
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(std::filesystem::path(path), error);
  if (error) {
    return MakeError(ErrorCode::kIOError, "cannot make path '", std::string(path),
                     "' absolute: ", error.message());
  }
  std::string normal = absolute.lexically_normal().generic_string();
  normal = std::string(StripTrailingSlashes(normal));
  FileSystemLocation location;
  location.fs = std::make_shared<arrow::fs::LocalFileSystem>();
  location.root = normal;
  location.uri = normal;
  return location;
}

/// Splits "http(s)://host[:port][/]" into scheme and host:port. The URL is configuration,
/// not a secret, but user-info (user:password@) is refused and never echoed.
Status ParseEndpointUrl(const std::string& url, const char* variable,
                        arrow::fs::S3Options& options) {
  std::string_view rest(url);
  std::string scheme;
  if (rest.starts_with("http://")) {
    scheme = "http";
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    scheme = "https";
    rest.remove_prefix(8);
  } else {
    return MakeError(ErrorCode::kInvalidArgument, variable, " must start with http:// or https://");
  }
  rest = StripTrailingSlashes(rest);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return MakeError(ErrorCode::kInvalidArgument, variable, " has no host");
  if (rest.find('@') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, variable,
                     " must not contain credentials (user-info)");
  }
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, variable, " must be scheme://host[:port], got '",
                     url, "'");
  }
  options.scheme = scheme;
  options.endpoint_override = std::string(rest);
  return Status::OK();
}

Result<FileSystemLocation> ResolveS3Uri(std::string_view uri) {
  std::string_view rest = uri.substr(kS3Scheme.size());
  // Never echo a URI that may carry credentials.
  const size_t first_slash = rest.find('/');
  if (rest.substr(0, first_slash).find('@') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "S3 URIs must not contain credentials; use the AWS_* environment variables");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "S3 URI '", std::string(uri),
                     "' has a query or fragment; configure S3 through AWS_* environment variables");
  }
  rest = StripTrailingSlashes(rest);
  if (rest == "/") rest = "";
  const std::string_view bucket = rest.substr(0, rest.find('/'));
  if (bucket.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "S3 URI '", std::string(uri),
                     "' names no bucket");
  }
  if (rest.find("//") != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "S3 URI '", std::string(uri),
                     "' has an empty path component");
  }
  DC_ASSIGN_OR_RAISE(arrow::fs::S3Options options, S3OptionsFromEnvironment());
  auto made = arrow::fs::S3FileSystem::Make(options);
  if (!made.ok()) {
    return FromArrowStatus(made.status())
        .WithContext("cannot create S3 filesystem for '" + std::string("s3://") +
                     std::string(bucket) + "'");
  }
  FileSystemLocation location;
  location.fs = std::move(made).MoveValueUnsafe();
  location.root = std::string(rest);
  location.uri = std::string(kS3Scheme) + std::string(rest);
  return location;
}

}  // namespace

Result<arrow::fs::S3Options> S3OptionsFromEnvironment() {
  // The AWS SDK must be initialized before any of its objects (the credential chain) exist.
  DC_RETURN_NOT_OK(arrow::fs::EnsureS3Initialized());
  arrow::fs::S3Options options;
  try {
    // The default chain reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
    // then profiles and instance roles.
    options = arrow::fs::S3Options::Defaults();
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kIOError, "cannot set up AWS credentials: ", e.what());
  }
  options.region = GetEnv("AWS_REGION");
  if (options.region.empty()) options.region = GetEnv("AWS_DEFAULT_REGION");
  if (options.region.empty()) options.region = std::string(kDefaultRegion);
  const char* variable = "AWS_ENDPOINT_URL_S3";
  std::string endpoint = GetEnv(variable);
  if (endpoint.empty()) {
    variable = "AWS_ENDPOINT_URL";
    endpoint = GetEnv(variable);
  }
  if (!endpoint.empty()) DC_RETURN_NOT_OK(ParseEndpointUrl(endpoint, variable, options));
  // A custom endpoint (MinIO, moto, ...) gets path-style addressing.
  options.force_virtual_addressing = false;
  // Let the SDK retry briefly (its standard strategy also handles throttling); the bounded,
  // documented outer retries are file_ops' RetryPolicy. Arrow's default connect-retry
  // strategy would spend ~12 s per call on an unreachable endpoint.
  options.retry_strategy = arrow::fs::S3RetryStrategy::GetAwsStandardRetryStrategy(3);
  return options;
}

Result<FileSystemLocation> ResolveUri(std::string_view uri) {
  if (uri.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty catalog location");
  if (uri.starts_with(kS3Scheme)) return ResolveS3Uri(uri);
  if (uri.starts_with(kFileScheme)) {
    std::string_view rest = uri.substr(kFileScheme.size());
    if (rest.starts_with("localhost/")) rest.remove_prefix(std::string_view("localhost").size());
    if (!rest.starts_with("/")) {
      return MakeError(ErrorCode::kInvalidArgument, "file URI '", std::string(uri),
                       "' must be file:///absolute/path");
    }
    if (rest.find_first_of("?#") != std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "file URI '", std::string(uri),
                       "' has a query or fragment");
    }
    DC_ASSIGN_OR_RAISE(std::string path, PercentDecode(rest, "file URI"));
    return ResolveLocalPath(path);
  }
  const size_t scheme_end = uri.find("://");
  if (scheme_end != std::string_view::npos &&
      uri.substr(0, scheme_end).find('/') == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "unsupported URI scheme '",
                     std::string(uri.substr(0, scheme_end)),
                     "://' (supported: local paths, file://, s3://)");
  }
  return ResolveLocalPath(uri);
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  while (a.size() > 1 && a.back() == '/') a.remove_suffix(1);
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  std::string out(a);
  if (out.back() != '/') out.push_back('/');
  out.append(b);
  return out;
}

std::string_view ParentPath(std::string_view path) {
  path = StripTrailingSlashes(path);
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return path.substr(0, 1);
  std::string_view parent = path.substr(0, slash);
  return StripTrailingSlashes(parent);
}

std::string_view BaseName(std::string_view path) {
  path = StripTrailingSlashes(path);
  if (path == "/") return {};
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace deltacat
