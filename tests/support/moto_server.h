#pragma once

#include <memory>
#include <string>

#include <arrow/filesystem/s3fs.h>

#include "deltacat/result.h"

namespace deltacat::testing {

/// A real S3 endpoint for tests: starts venv/bin/moto_server on 127.0.0.1 on a free port,
/// waits (bounded) until it accepts connections, and kills it on destruction. Nothing listens
/// beyond loopback.
class MotoServer {
 public:
  /// Starts the server; fails if it is not installed or does not come up within the timeout.
  static Result<std::unique_ptr<MotoServer>> Start(double timeout_seconds = 60);
  ~MotoServer();
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  int port() const { return port_; }
  /// "127.0.0.1:<port>", for S3Options::endpoint_override and AWS_ENDPOINT_URL (with http://).
  std::string endpoint() const;
  /// S3 options pointing at this server with its fixed test credentials.
  arrow::fs::S3Options Options() const;
  /// Creates a bucket (idempotent).
  Status CreateBucket(const std::string& bucket) const;

 private:
  MotoServer(int pid, int port) : pid_(pid), port_(port) {}
  int pid_;
  int port_;
};

/// One moto server for the whole test process, started on first use and stopped at exit, with
/// `bucket` created on it (idempotent). Null, with a test failure recorded, when it cannot
/// start or the bucket cannot be created.
MotoServer* SharedMotoServer(const std::string& bucket);

}  // namespace deltacat::testing
