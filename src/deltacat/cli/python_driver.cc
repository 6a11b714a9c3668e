// Runs deltacat_cpp's Python command modules as child processes. The Ray executor needs a
// Python driver process (Ray's C++ API is not used), so `deltacat compact --executor ray`
// delegates to `python -m deltacat_cpp.ray_compact` and relays its output and error.
#include "deltacat/cli/python_driver.h"

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include "deltacat/status.h"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawnp

namespace deltacat::cli {
namespace {

/// Both ends of a pipe, closed on destruction.
struct Pipe {
  std::array<int, 2> fds{-1, -1};
  Pipe() = default;
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    for (int fd : fds) {
      if (fd >= 0) close(fd);
    }
  }
  void CloseEnd(int end) {
    if (fds[end] >= 0) close(fds[end]);
    fds[end] = -1;
  }
};

/// The error kind whose Python class name is `name`, if any.
ErrorCode ErrorCodeNamed(std::string_view name) {
  for (int code = static_cast<int>(ErrorCode::kInvalidArgument);
       code <= static_cast<int>(ErrorCode::kInternal); ++code) {
    if (ErrorName(static_cast<ErrorCode>(code)) == name) return static_cast<ErrorCode>(code);
  }
  return ErrorCode::kInternal;
}

}  // namespace

std::string PythonInterpreter() {
  const char* configured = std::getenv("DELTACAT_PYTHON");
  return configured != nullptr && *configured != '\0' ? configured : "python3";
}

Status RunPythonModule(const std::string& module, const std::vector<std::string>& args,
                       std::ostream& out, std::ostream& err) {
  const std::string python = PythonInterpreter();
  std::vector<std::string> argv_storage = {python, "-m", module};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  Pipe out_pipe, err_pipe;
  if (pipe(out_pipe.fds.data()) != 0 || pipe(err_pipe.fds.data()) != 0) {
    return MakeError(ErrorCode::kIOError, "cannot create a pipe: ", std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe.fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe.fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe.fds[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe.fds[0]);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, python.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "cannot run the Python interpreter '", python,
                     "' (", std::strerror(spawned),
                     "); set DELTACAT_PYTHON to a Python with deltacat_cpp and ray installed");
  }
  out_pipe.CloseEnd(1);
  err_pipe.CloseEnd(1);

  // Relay stdout as it comes; keep stderr's last line back until the exit status is known.
  std::string err_text;
  std::array<pollfd, 2> fds{pollfd{out_pipe.fds[0], POLLIN, 0}, pollfd{err_pipe.fds[0], POLLIN, 0}};
  std::array<char, 4096> buffer{};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
      if (n <= 0) {
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      if (i == 0) {
        out.write(buffer.data(), n);
        out.flush();
      } else {
        err_text.append(buffer.data(), static_cast<size_t>(n));
      }
    }
  }
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  const bool succeeded = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;

  while (!err_text.empty() && err_text.back() == '\n') err_text.pop_back();
  const size_t last_newline = err_text.rfind('\n');
  const std::string last_line =
      last_newline == std::string::npos ? err_text : err_text.substr(last_newline + 1);
  const std::string earlier =
      last_newline == std::string::npos ? "" : err_text.substr(0, last_newline + 1);
  if (succeeded) {
    if (!err_text.empty()) err << err_text << "\n";
    return Status::OK();
  }
  err << earlier;
  if (last_line.find("No module named 'deltacat_cpp") != std::string::npos ||
      last_line.find("No module named 'ray'") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "the Python interpreter '", python,
                     "' cannot run ", module, " (", last_line,
                     "); set DELTACAT_PYTHON to a Python with deltacat_cpp and ray installed");
  }
  const size_t colon = last_line.find(": ");
  if (colon != std::string::npos && colon > 0 &&
      last_line.substr(0, colon).find(' ') == std::string::npos) {
    return Status(ErrorCodeNamed(last_line.substr(0, colon)), last_line.substr(colon + 2));
  }
  return MakeError(ErrorCode::kInternal, python, " -m ", module, " failed",
                   WIFEXITED(wait_status)
                       ? " with exit code " + std::to_string(WEXITSTATUS(wait_status))
                       : std::string(" (killed by a signal)"),
                   last_line.empty() ? "" : ": " + last_line);
}

}  // namespace deltacat::cli
