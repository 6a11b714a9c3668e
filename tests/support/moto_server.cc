#include "support/moto_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace deltacat::testing {
namespace {

int FindFreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool AcceptsConnections(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

}  // namespace

Result<std::unique_ptr<MotoServer>> MotoServer::Start(double timeout_seconds) {
  const std::string binary = std::string(DELTACAT_VENV_BIN) + "/moto_server";
  if (!std::filesystem::exists(binary)) {
    return MakeError(ErrorCode::kIllegalState, "moto_server not installed at ", binary,
                     " (run `make install`)");
  }
  const int port = FindFreeLoopbackPort();
  if (port <= 0) return MakeError(ErrorCode::kIOError, "no free loopback port");
  const std::string port_text = std::to_string(port);
  const pid_t pid = fork();
  if (pid < 0) return MakeError(ErrorCode::kIOError, "fork failed");
  if (pid == 0) {
    setpgid(0, 0);  // own process group, so the destructor can kill moto and its children
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    execl(binary.c_str(), binary.c_str(), "-H", "127.0.0.1", "-p", port_text.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::unique_ptr<MotoServer> server(new MotoServer(pid, port));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (AcceptsConnections(port)) return server;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = -1;
      return MakeError(ErrorCode::kIllegalState, "moto_server exited during start-up");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return MakeError(ErrorCode::kTimeout, "moto_server did not accept connections within ",
                   timeout_seconds, "s");
}

MotoServer::~MotoServer() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  kill(pid_, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::string MotoServer::endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

arrow::fs::S3Options MotoServer::Options() const {
  auto options = arrow::fs::S3Options::FromAccessKey("testing", "testing");
  options.endpoint_override = endpoint();
  options.scheme = "http";
  options.region = "us-east-1";
  options.allow_bucket_creation = true;
  options.allow_bucket_deletion = true;
  return options;
}

Status MotoServer::CreateBucket(const std::string& bucket) const {
  DC_RETURN_NOT_OK(arrow::fs::EnsureS3Initialized());
  DC_ASSIGN_OR_RAISE(auto fs, arrow::fs::S3FileSystem::Make(Options()));
  return FromArrowStatus(fs->CreateDir(bucket));
}

}  // namespace deltacat::testing

namespace deltacat::testing {
namespace {
// Arrow's S3 subsystem must be finalized before static destruction; every test binary that
// uses MotoServer links this file, so the environment is registered exactly where needed.
class FinalizeS3Environment : public ::testing::Environment {
 public:
  void TearDown() override { (void)arrow::fs::EnsureS3Finalized(); }
};
[[maybe_unused]] ::testing::Environment* const kFinalizeS3 =
    ::testing::AddGlobalTestEnvironment(new FinalizeS3Environment);
}  // namespace
MotoServer* SharedMotoServer(const std::string& bucket) {
  static std::unique_ptr<MotoServer> server;
  static std::once_flag once;
  std::call_once(once, [] {
    auto started = MotoServer::Start();
    if (!started.ok()) {
      ADD_FAILURE() << started.status();
      return;
    }
    server = std::move(started).ValueOrDie();
  });
  if (server == nullptr) return nullptr;
  Status created = server->CreateBucket(bucket);
  if (!created.ok()) {
    ADD_FAILURE() << created;
    return nullptr;
  }
  return server.get();
}

}  // namespace deltacat::testing
