#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/status.h"

namespace deltacat {

/// Severity of a log record. Names and numbers are Python logging's, which DeltaCAT's
/// `DELTACAT_*_LOG_LEVEL` variables use. kOff is only a threshold ("log nothing").
enum class LogLevel : int {
  kDebug = 10,
  kInfo = 20,
  kWarning = 30,
  kError = 40,
  kCritical = 50,
  kOff = 100,
};

/// "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" or "OFF".
std::string_view LogLevelName(LogLevel level);

/// Parses a level as DeltaCAT's variables spell it, case-insensitively: DEBUG, INFO, WARNING
/// (or WARN), ERROR, CRITICAL (or FATAL), NOTSET (= DEBUG, as in Python) and OFF. Anything
/// else is an InvalidArgument error naming the value.
Result<LogLevel> ParseLogLevel(std::string_view name);

/// One value of a record's structured context.
using LogValue = std::variant<std::string, std::int64_t, double, bool>;

/// Structured fields attached to records; they appear under "additional_context".
using LogContext = std::map<std::string, LogValue, std::less<>>;

/// Source position of a log call. As a defaulted parameter it captures the caller's file and
/// line (GCC and Clang evaluate __builtin_FILE/__builtin_LINE at the call site; we don't use
/// std::source_location because the project's clang-tidy 14 cannot parse libstdc++'s).
class LogSite {
 public:
  /// The position of the expression that constructs it, or the given one.
  constexpr LogSite(const char* file = __builtin_FILE(),  // NOLINT(google-explicit-constructor)
                    unsigned line = __builtin_LINE())
      : file_(file), line_(line) {}
  /// The source file path as the compiler saw it.
  constexpr const char* file() const { return file_; }
  /// The line number.
  constexpr unsigned line() const { return line_; }

 private:
  const char* file_;
  unsigned line_;
};

/// The default directory of both logger families, as in Python DeltaCAT.
inline constexpr std::string_view kDefaultLogDirectory = "/tmp/deltacat/var/output/logs/";

/// Where and how much one logger family writes.
struct LogFamilyOptions {
  /// Records below this level are dropped. At DEBUG (or lower) the debug file receives
  /// everything and the info file INFO and above; otherwise only the info file is written,
  /// with records at `level` and above.
  LogLevel level = LogLevel::kDebug;
  /// Directory of the two files; created when logging is configured.
  std::string directory{kDefaultLogDirectory};
  /// File name of the INFO-and-above file.
  std::string info_file_name;
  /// File name of the DEBUG file.
  std::string debug_file_name;
};

/// The process's logging configuration. `FromEnvironment()` reads DeltaCAT's variables:
///
/// | variable | field | default |
/// |---|---|---|
/// | DELTACAT_SYS_LOG_LEVEL / DELTACAT_APP_LOG_LEVEL | system/application.level | DEBUG |
/// | DELTACAT_SYS_LOG_DIR / DELTACAT_APP_LOG_DIR | .directory | /tmp/deltacat/var/output/logs/ |
/// | DELTACAT_SYS_INFO_LOG_BASE_FILE_NAME | system.info_file_name | deltacat-cpp.info.log |
/// | DELTACAT_SYS_DEBUG_LOG_BASE_FILE_NAME | system.debug_file_name | deltacat-cpp.debug.log |
/// | DELTACAT_APP_INFO_LOG_BASE_FILE_NAME | application.info_file_name | application.info.log |
/// | DELTACAT_APP_DEBUG_LOG_BASE_FILE_NAME | application.debug_file_name | application.debug.log |
/// | DELTACAT_LOGGER_CONTEXT | context (a JSON object) | none |
/// | DELTACAT_LOGGER_USE_SINGLE_HANDLER | use_single_handler | false |
/// | DELTACAT_CONSOLE_LOG_LEVEL (C++ only) | console_level | WARNING |
struct LoggingOptions {
  /// The library's own loggers ("sys" in DeltaCAT).
  LogFamilyOptions system{LogLevel::kDebug, std::string(kDefaultLogDirectory),
                          "deltacat-cpp.info.log", "deltacat-cpp.debug.log"};
  /// Loggers of programs built on the library ("app" in DeltaCAT).
  LogFamilyOptions application{LogLevel::kDebug, std::string(kDefaultLogDirectory),
                               "application.info.log", "application.debug.log"};
  /// When a family logs at DEBUG, write only its debug file (no separate info file), so log
  /// shippers that merge files see each record once.
  bool use_single_handler = false;
  /// Fields added to every record's "additional_context".
  LogContext context;
  /// Records at this level and above also go to stderr as one line of text; kOff disables.
  LogLevel console_level = LogLevel::kWarning;
  /// A file is rotated once it reaches this size; 0 disables rotation.
  std::uint64_t max_file_bytes = std::uint64_t{64} << 20;
  /// Rotated generations kept per file (file.1 newest ... file.N oldest); older ones are
  /// deleted. 0 keeps none: a full file is discarded.
  int backup_count = 10;
  /// Problems tolerated while reading the environment (e.g. DELTACAT_LOGGER_CONTEXT that is
  /// not a JSON object, which Python DeltaCAT ignores too); logged as warnings on configure.
  std::vector<std::string> warnings;

  /// Reads the variables above. An invalid level or boolean is an InvalidArgument error that
  /// names the variable and its value.
  static Result<LoggingOptions> FromEnvironment();
};

/// Replaces the process's logging configuration: creates the directories, opens the files
/// (a file already open for the same path is reused, so configuring twice never duplicates
/// records), then logs `options.warnings`. Until the first call, logging configures itself
/// from the environment on first use (falling back to the defaults, with a message on stderr,
/// when the environment is invalid). Thread-safe.
Status ConfigureLogging(const LoggingOptions& options);

/// `ConfigureLogging(LoggingOptions::FromEnvironment())`.
Status ConfigureLoggingFromEnvironment();

/// Sets the Ray runtime context (worker, node, job, task ids) that the Python layer's Ray
/// executor knows; records carry it under "ray_runtime_context" as in Python DeltaCAT. An
/// empty context removes the key.
void SetRayRuntimeContext(LogContext context);

/// Flushes buffered console output. Files are written unbuffered, one write per record.
void FlushLogs();

/// A named logger of one family. Cheap to copy; the configuration is looked up per record,
/// so a Logger created before `ConfigureLogging` follows the configuration in force.
///
/// Each record goes to the family's files as one JSON object per line with the keys of Python
/// DeltaCAT's records: level, message, loggerName, processName, processID, threadName,
/// threadID, timestamp (UTC, ISO 8601 with milliseconds and Z), filename, lineno,
/// additional_context (DELTACAT_LOGGER_CONTEXT, then the logger's bound context, then the
/// call's; later keys win) and ray_runtime_context when set. Secrets (AWS secret keys, session
/// tokens, passwords, presigned-URL signatures) are redacted from messages and context.
class Logger {
 public:
  /// A library ("sys") logger, configured by the DELTACAT_SYS_* variables.
  static Logger System(std::string name);
  /// An application ("app") logger, configured by the DELTACAT_APP_* variables.
  static Logger Application(std::string name);

  /// A copy whose records also carry `context` (merged over this logger's bound context).
  Logger WithContext(const LogContext& context) const;

  /// Whether a record at `level` would be written anywhere; lets callers skip building
  /// expensive messages.
  bool IsEnabled(LogLevel level) const;

  /// Logs `message` at `level` with `context` merged over the bound context.
  void Log(LogLevel level, std::string_view message, const LogContext& context = {},
           LogSite site = {}) const;
  /// Log at DEBUG.
  void Debug(std::string_view message, const LogContext& context = {}, LogSite site = {}) const {
    Log(LogLevel::kDebug, message, context, site);
  }
  /// Log at INFO.
  void Info(std::string_view message, const LogContext& context = {}, LogSite site = {}) const {
    Log(LogLevel::kInfo, message, context, site);
  }
  /// Log at WARNING.
  void Warning(std::string_view message, const LogContext& context = {}, LogSite site = {}) const {
    Log(LogLevel::kWarning, message, context, site);
  }
  /// Log at ERROR.
  void Error(std::string_view message, const LogContext& context = {}, LogSite site = {}) const {
    Log(LogLevel::kError, message, context, site);
  }
  /// Log at CRITICAL.
  void Critical(std::string_view message, const LogContext& context = {}, LogSite site = {}) const {
    Log(LogLevel::kCritical, message, context, site);
  }

  /// The logger's name ("loggerName" in records).
  const std::string& name() const { return name_; }
  /// Whether this is an application logger (else a library one).
  bool is_application() const { return application_; }

 private:
  Logger(bool application, std::string name) : application_(application), name_(std::move(name)) {}

  bool application_;
  std::string name_;
  LogContext context_;
};

/// Logs at DEBUG through the library logger "deltacat".
void LogDebug(std::string_view message, const LogContext& context = {}, LogSite site = {});
/// Logs at INFO through the library logger "deltacat".
void LogInfo(std::string_view message, const LogContext& context = {}, LogSite site = {});
/// Logs at WARNING through the library logger "deltacat".
void LogWarning(std::string_view message, const LogContext& context = {}, LogSite site = {});
/// Logs at ERROR through the library logger "deltacat".
void LogError(std::string_view message, const LogContext& context = {}, LogSite site = {});

}  // namespace deltacat
