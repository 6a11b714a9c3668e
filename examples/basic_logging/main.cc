// DeltaCAT's basic_logging example in C++: --var1, --var2 and --STAGE become environment
// variables (so a remote runner may pass them either way), then a driver and a worker thread
// log them through the application logger, configured by DeltaCAT's logging variables
// (DELTACAT_APP_LOG_DIR, DELTACAT_APP_LOG_LEVEL, ...).
//
//   build/bin/basic_logging --var1 "Try that" --var2 DeltaCAT --STAGE dev

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

#include "deltacat/logging.h"
#include "deltacat/runtime.h"

extern char** environ;

namespace {

constexpr const char* kArguments[] = {"var1", "var2", "STAGE"};

// `--name value` or `--name=value` for each known name -> setenv(name, value). Flags that are
// not given leave the environment alone. Returns false (after printing why) on anything else.
bool StoreArgumentsInEnvironment(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << "usage: basic_logging [--var1 V] [--var2 V] [--STAGE S]\n";
      std::exit(0);
    }
    bool known = false;
    for (const char* name : kArguments) {
      const std::string flag = std::string("--") + name;
      if (arg == flag && i + 1 < argc) {
        ::setenv(name, argv[++i], 1);
        known = true;
      } else if (arg.starts_with(flag + "=")) {
        ::setenv(name, std::string(arg.substr(flag.size() + 1)).c_str(), 1);
        known = true;
      }
      if (known) break;
    }
    if (!known) {
      std::cerr << "basic_logging: unknown or incomplete argument '" << arg << "'\n";
      return false;
    }
  }
  return true;
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value ? value : fallback;
}

// The environment as "K=V, ..."; the logger redacts secrets such as AWS_SECRET_ACCESS_KEY.
std::string EnvironmentDump() {
  std::string dump;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!dump.empty()) dump.append(", ");
    dump.append(*entry);
  }
  return dump;
}

// Logs `line` and says so on stdout, showing `shown` (what may be printed) instead of the line.
// The record names the caller's line (`site`), not this helper's.
void Log(const deltacat::Logger& logger, deltacat::LogLevel level, const std::string& who,
         const std::string& directory, const std::string& line, const std::string& shown = "",
         deltacat::LogSite site = {}) {
  std::cout << "Writing " << deltacat::LogLevelName(level) << " log line from " << who << " to "
            << directory << ": '" << (shown.empty() ? line : shown) << "'" << std::endl;
  logger.Log(level, line, {}, site);
}

}  // namespace

int main(int argc, char** argv) {
  deltacat::RuntimeScope runtime;
  if (!StoreArgumentsInEnvironment(argc, argv)) return 2;
  if (auto status = deltacat::ConfigureLoggingFromEnvironment(); !status.ok()) {
    std::cerr << "basic_logging: " << status << std::endl;
    return 2;
  }
  const std::string app_log_dir = EnvOr("DELTACAT_APP_LOG_DIR", "/tmp/deltacat/var/output/logs/");
  const std::string sys_log_dir = EnvOr("DELTACAT_SYS_LOG_DIR", "/tmp/deltacat/var/output/logs/");
  const std::string var1 = EnvOr("var1", "default1");
  const std::string var2 = EnvOr("var2", "default2");
  deltacat::LogContext context;
  if (const char* stage = std::getenv("STAGE")) context["stage"] = std::string(stage);

  const auto driver = deltacat::Logger::Application("basic_logging").WithContext(context);
  Log(driver, deltacat::LogLevel::kInfo, "Driver", app_log_dir, "Driver Variable 1: " + var1);
  Log(driver, deltacat::LogLevel::kInfo, "Driver", app_log_dir, "Driver Variable 2: " + var2);

  std::cout << "Starting worker..." << std::endl;
  std::thread worker([&] {
    const auto logger = deltacat::Logger::Application("basic_logging.worker").WithContext(context);
    Log(logger, deltacat::LogLevel::kDebug, "Worker", app_log_dir,
        "Worker System Environment: " + EnvironmentDump(),
        "Worker System Environment: ... (secrets redacted in the log file)");
    Log(logger, deltacat::LogLevel::kInfo, "Worker", app_log_dir, "Worker Variable 1: " + var1);
    Log(logger, deltacat::LogLevel::kInfo, "Worker", app_log_dir, "Worker Variable 2: " + var2);
  });
  worker.join();
  std::cout << "The driver is shutting down. Additional DeltaCAT system logs have been written to "
            << sys_log_dir << std::endl;
  return 0;
}
