#include "deltacat/util/logging.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <nlohmann/json.hpp>

#include "deltacat/util/log_redaction.h"
#include "deltacat/util/rotating_log_file.h"

namespace deltacat {
namespace {

std::string ToUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// An environment variable; empty counts as unset (so `VAR= cmd` restores the default).
std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

Status ReadLevel(const char* variable, LogLevel* level) {
  if (auto value = GetEnv(variable)) {
    auto parsed = ParseLogLevel(*value);
    if (!parsed.ok()) return parsed.status().WithContext(variable);
    *level = *parsed;
  }
  return Status::OK();
}

void ReadString(const char* variable, std::string* out) {
  if (auto value = GetEnv(variable)) *out = std::move(*value);
}

LogValue FromJson(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<std::int64_t>();
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value.get<std::uint64_t>());
  }
  if (value.is_number()) return value.get<double>();
  return value.dump();  // null, arrays and objects keep their JSON text
}

nlohmann::ordered_json ToJson(const LogContext& context) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& entry : context) {  // no structured binding: Clang 14 cannot capture one
    std::visit([&](const auto& v) { out[entry.first] = v; }, entry.second);
  }
  return out;
}

spdlog::level::level_enum ToSpdlogLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarning: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kCritical: return spdlog::level::critical;
    case LogLevel::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

// The files one family writes, resolved from its options.
struct FamilyOutputs {
  std::shared_ptr<util::RotatingLogFile> debug_file;  // receives DEBUG and above
  std::shared_ptr<util::RotatingLogFile> info_file;   // receives info_level and above
  LogLevel info_level = LogLevel::kInfo;
  LogLevel threshold = LogLevel::kOff;  // lowest level any file accepts
};

struct LoggingState {
  FamilyOutputs system;
  FamilyOutputs application;
  LogContext context;
  LogLevel console_level = LogLevel::kWarning;
};

// Process-wide owner of the configuration. Never destroyed, so logging from static destructors
// of other objects stays safe.
class LogManager {
 public:
  static LogManager& Instance() {
    static LogManager* manager = new LogManager();
    return *manager;
  }

  std::shared_ptr<const LoggingState> State() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (state_) return state_;
    // First use without ConfigureLogging: configure from the environment like importing
    // Python DeltaCAT does; a bad environment must not stop the program, so fall back.
    auto options = LoggingOptions::FromEnvironment();
    if (!options.ok()) {
      std::fprintf(stderr, "deltacat: logging falls back to defaults: %s\n",
                   options.status().ToString().c_str());
    }
    LoggingOptions effective = options.ok() ? *options : LoggingOptions();
    auto state = BuildState(effective);
    if (!state.ok()) {
      std::fprintf(stderr, "deltacat: logging to stderr only: %s\n",
                   state.status().ToString().c_str());
      auto console_only = std::make_shared<LoggingState>();
      console_only->context = effective.context;
      console_only->console_level = effective.console_level;
      state_ = std::move(console_only);
    } else {
      state_ = std::move(*state);
    }
    auto result = state_;
    lock.unlock();
    LogWarnings(effective.warnings);
    return result;
  }

  Status Configure(const LoggingOptions& options) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      DC_ASSIGN_OR_RAISE(state_, BuildState(options));
    }
    LogWarnings(options.warnings);
    return Status::OK();
  }

  void SetRayContext(const LogContext& context) {
    auto shared = context.empty() ? nullptr : std::make_shared<const LogContext>(context);
    std::lock_guard<std::mutex> lock(mutex_);
    ray_context_ = std::move(shared);
  }

  std::shared_ptr<const LogContext> RayContext() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ray_context_;
  }

  spdlog::logger& console() { return *console_; }

 private:
  LogManager() {
    console_ = std::make_shared<spdlog::logger>(
        "deltacat", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    console_->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    console_->set_level(spdlog::level::trace);  // we filter before calling it
  }

  static void LogWarnings(const std::vector<std::string>& warnings) {
    for (const auto& warning : warnings) LogWarning(warning);
  }

  // Called with mutex_ held. Builds the complete new state or fails without side effects on
  // the current one.
  Result<std::shared_ptr<const LoggingState>> BuildState(const LoggingOptions& options) {
    if (options.backup_count < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "log backup count must not be negative, got ",
                       options.backup_count);
    }
    const util::RotationPolicy policy{options.max_file_bytes, options.backup_count};
    auto state = std::make_shared<LoggingState>();
    DC_ASSIGN_OR_RAISE(state->system, OpenFamily(options.system, options, policy));
    DC_ASSIGN_OR_RAISE(state->application, OpenFamily(options.application, options, policy));
    state->context = options.context;
    state->console_level = options.console_level;
    return std::shared_ptr<const LoggingState>(std::move(state));
  }

  // The same rules as Python DeltaCAT's _configure_logger.
  Result<FamilyOutputs> OpenFamily(const LogFamilyOptions& family, const LoggingOptions& options,
                                   const util::RotationPolicy& policy) {
    FamilyOutputs out;
    if (family.level >= LogLevel::kOff) return out;
    if (family.directory.empty()) {
      return Status(ErrorCode::kInvalidArgument, "log directory is required");
    }
    if (family.info_file_name.empty() || family.debug_file_name.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "log file names are required for '",
                       family.directory, "'");
    }
    std::error_code ec;
    std::filesystem::create_directories(family.directory, ec);
    if (ec) {
      return MakeError(ErrorCode::kIOError, "cannot create log directory '", family.directory,
                       "': ", ec.message());
    }
    const std::string info_path = NormalPath(family.directory, family.info_file_name);
    const std::string debug_path = NormalPath(family.directory, family.debug_file_name);
    if (family.level <= LogLevel::kDebug) {
      DC_ASSIGN_OR_RAISE(out.debug_file, OpenShared(debug_path, policy));
      out.threshold = LogLevel::kDebug;
      if (!options.use_single_handler && info_path != debug_path) {
        DC_ASSIGN_OR_RAISE(out.info_file, OpenShared(info_path, policy));
        out.info_level = LogLevel::kInfo;
      }
    } else {
      DC_ASSIGN_OR_RAISE(out.info_file, OpenShared(info_path, policy));
      out.info_level = family.level;
      out.threshold = family.level;
    }
    return out;
  }

  static std::string NormalPath(const std::string& directory, const std::string& name) {
    std::error_code ec;
    auto path = std::filesystem::absolute(std::filesystem::path(directory) / name, ec);
    if (ec) path = std::filesystem::path(directory) / name;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    return (ec ? path.lexically_normal() : canonical).string();
  }

  // One open file per path and policy in the process, however often it is configured.
  Result<std::shared_ptr<util::RotatingLogFile>> OpenShared(const std::string& path,
                                                            const util::RotationPolicy& policy) {
    auto it = open_files_.find(path);
    if (it != open_files_.end()) {
      if (auto file = it->second.lock()) {
        if (file->policy().max_bytes == policy.max_bytes &&
            file->policy().backup_count == policy.backup_count) {
          return file;
        }
      }
    }
    DC_ASSIGN_OR_RAISE(auto file, util::RotatingLogFile::Open(path, policy));
    open_files_[path] = file;
    return file;
  }

  std::mutex mutex_;
  std::shared_ptr<const LoggingState> state_;
  std::shared_ptr<const LogContext> ray_context_;
  std::map<std::string, std::weak_ptr<util::RotatingLogFile>> open_files_;
  std::shared_ptr<spdlog::logger> console_;
};

void ReportWriteFailure(const Status& status) {
  static std::atomic<bool> reported{false};
  if (!reported.exchange(true)) {
    std::fprintf(stderr, "deltacat: cannot write log file (further failures not shown): %s\n",
                 status.ToString().c_str());
  }
}

LogContext Redacted(LogContext context) {
  for (auto& [key, value] : context) {
    if (util::IsSecretFieldName(key)) {
      value = std::string(util::kRedacted);
    } else if (auto* text = std::get_if<std::string>(&value)) {
      *text = util::RedactSecrets(*text);
    }
  }
  return context;
}

std::string_view BaseName(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Not cached: a forked child's thread has a new id.
std::int64_t CurrentThreadId() { return static_cast<std::int64_t>(::gettid()); }

std::string CurrentThreadName() {
  char name[32] = {};
  if (::pthread_getname_np(::pthread_self(), name, sizeof(name)) != 0) return {};
  return name;
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarning: return "WARNING";
    case LogLevel::kError: return "ERROR";
    case LogLevel::kCritical: return "CRITICAL";
    case LogLevel::kOff: return "OFF";
  }
  return "UNKNOWN";
}

Result<LogLevel> ParseLogLevel(std::string_view name) {
  static const std::map<std::string, LogLevel, std::less<>> kLevels = {
      {"NOTSET", LogLevel::kDebug},
      {"DEBUG", LogLevel::kDebug},
      {"INFO", LogLevel::kInfo},
      {"WARNING", LogLevel::kWarning},
      {"WARN", LogLevel::kWarning},
      {"ERROR", LogLevel::kError},
      {"CRITICAL", LogLevel::kCritical},
      {"FATAL", LogLevel::kCritical},
      {"OFF", LogLevel::kOff}};
  auto it = kLevels.find(ToUpper(name));
  if (it == kLevels.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "'", name,
                     "' is not a log level (DEBUG, INFO, WARNING, ERROR, CRITICAL or OFF)");
  }
  return it->second;
}

Result<LoggingOptions> LoggingOptions::FromEnvironment() {
  LoggingOptions options;
  DC_RETURN_NOT_OK(ReadLevel("DELTACAT_SYS_LOG_LEVEL", &options.system.level));
  DC_RETURN_NOT_OK(ReadLevel("DELTACAT_APP_LOG_LEVEL", &options.application.level));
  DC_RETURN_NOT_OK(ReadLevel("DELTACAT_CONSOLE_LOG_LEVEL", &options.console_level));
  ReadString("DELTACAT_SYS_LOG_DIR", &options.system.directory);
  ReadString("DELTACAT_APP_LOG_DIR", &options.application.directory);
  ReadString("DELTACAT_SYS_INFO_LOG_BASE_FILE_NAME", &options.system.info_file_name);
  ReadString("DELTACAT_SYS_DEBUG_LOG_BASE_FILE_NAME", &options.system.debug_file_name);
  ReadString("DELTACAT_APP_INFO_LOG_BASE_FILE_NAME", &options.application.info_file_name);
  ReadString("DELTACAT_APP_DEBUG_LOG_BASE_FILE_NAME", &options.application.debug_file_name);
  if (auto value = GetEnv("DELTACAT_LOGGER_USE_SINGLE_HANDLER")) {
    DC_ASSIGN_OR_RAISE(options.use_single_handler,
                       util::ParseLogBool("DELTACAT_LOGGER_USE_SINGLE_HANDLER", *value));
  }
  if (auto value = GetEnv("DELTACAT_LOGGER_CONTEXT")) {
    auto parsed = nlohmann::json::parse(*value, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) {
      for (const auto& [key, item] : parsed.items()) options.context[key] = FromJson(item);
    } else {
      options.warnings.push_back("DELTACAT_LOGGER_CONTEXT is not a JSON object; ignored");
    }
  }
  return options;
}

Status ConfigureLogging(const LoggingOptions& options) {
  return LogManager::Instance().Configure(options);
}

Status ConfigureLoggingFromEnvironment() {
  DC_ASSIGN_OR_RAISE(auto options, LoggingOptions::FromEnvironment());
  return ConfigureLogging(options);
}

void SetRayRuntimeContext(LogContext context) {
  LogManager::Instance().SetRayContext(Redacted(std::move(context)));
}

void FlushLogs() { LogManager::Instance().console().flush(); }

Logger Logger::System(std::string name) { return Logger(false, std::move(name)); }

Logger Logger::Application(std::string name) { return Logger(true, std::move(name)); }

Logger Logger::WithContext(const LogContext& context) const {
  Logger copy = *this;
  for (const auto& [key, value] : context) copy.context_.insert_or_assign(key, value);
  return copy;
}

bool Logger::IsEnabled(LogLevel level) const {
  if (level >= LogLevel::kOff) return false;
  auto state = LogManager::Instance().State();
  const FamilyOutputs& family = application_ ? state->application : state->system;
  return level >= family.threshold || level >= state->console_level;
}

void Logger::Log(LogLevel level, std::string_view message, const LogContext& context,
                 LogSite site) const {
  if (level >= LogLevel::kOff) return;
  auto& manager = LogManager::Instance();
  auto state = manager.State();
  const FamilyOutputs& family = application_ ? state->application : state->system;
  const bool to_files = level >= family.threshold;
  const bool to_console = level >= state->console_level;
  if (!to_files && !to_console) return;

  LogContext merged = state->context;
  for (const auto& [key, value] : context_) merged.insert_or_assign(key, value);
  for (const auto& [key, value] : context) merged.insert_or_assign(key, value);
  merged = Redacted(std::move(merged));
  const std::string redacted_message = util::RedactSecrets(message);
  const std::string thread_name = CurrentThreadName();
  const auto ray_context = manager.RayContext();

  util::LogRecord record;
  record.time = std::chrono::system_clock::now();
  record.level = level;
  record.logger_name = name_;
  record.message = redacted_message;
  record.context = &merged;
  record.ray_runtime_context = ray_context.get();
  record.file_name = BaseName(site.file());
  record.line = site.line();
  record.process_id = ::getpid();
  record.process_name = program_invocation_short_name;
  record.thread_id = CurrentThreadId();
  record.thread_name = thread_name;

  if (to_files) {
    const std::string line = util::FormatJsonLogLine(record);
    if (family.debug_file) {
      if (auto status = family.debug_file->Append(line); !status.ok()) ReportWriteFailure(status);
    }
    if (family.info_file && level >= family.info_level) {
      if (auto status = family.info_file->Append(line); !status.ok()) ReportWriteFailure(status);
    }
  }
  if (to_console) {
    manager.console().log(ToSpdlogLevel(level), util::FormatConsoleLogText(record));
  }
}

void LogDebug(std::string_view message, const LogContext& context, LogSite site) {
  Logger::System("deltacat").Log(LogLevel::kDebug, message, context, site);
}

void LogInfo(std::string_view message, const LogContext& context, LogSite site) {
  Logger::System("deltacat").Log(LogLevel::kInfo, message, context, site);
}

void LogWarning(std::string_view message, const LogContext& context, LogSite site) {
  Logger::System("deltacat").Log(LogLevel::kWarning, message, context, site);
}

void LogError(std::string_view message, const LogContext& context, LogSite site) {
  Logger::System("deltacat").Log(LogLevel::kError, message, context, site);
}

namespace util {

std::string FormatLogTimestamp(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buffer[40];
  const std::size_t n = std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + n, sizeof(buffer) - n, ".%03dZ", static_cast<int>(millis.count()));
  return buffer;
}

std::string FormatJsonLogLine(const LogRecord& record) {
  nlohmann::ordered_json json;
  json["level"] = LogLevelName(record.level);
  json["message"] = record.message;
  json["loggerName"] = record.logger_name;
  json["processName"] = record.process_name;
  json["processID"] = record.process_id;
  json["threadName"] = record.thread_name;
  json["threadID"] = record.thread_id;
  json["timestamp"] = FormatLogTimestamp(record.time);
  json["filename"] = record.file_name;
  json["lineno"] = record.line;
  if (record.ray_runtime_context && !record.ray_runtime_context->empty()) {
    json["ray_runtime_context"] = ToJson(*record.ray_runtime_context);
  }
  if (record.context && !record.context->empty()) {
    json["additional_context"] = ToJson(*record.context);
  }
  std::string line = json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  line.push_back('\n');
  return line;
}

std::string FormatConsoleLogText(const LogRecord& record) {
  std::string text(record.logger_name);
  text.append(": ").append(record.message);
  if (record.context && !record.context->empty()) {
    text.append(" {");
    bool first = true;
    for (const auto& [key, value] : *record.context) {
      if (!first) text.append(", ");
      first = false;
      text.append(key).append("=");
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
              text.append(v);
            } else if constexpr (std::is_same_v<T, bool>) {
              text.append(v ? "true" : "false");
            } else {
              text.append(nlohmann::json(v).dump());
            }
          },
          value);
    }
    text.append("}");
  }
  return text;
}

Result<bool> ParseLogBool(std::string_view variable, std::string_view value) {
  const std::string upper = ToUpper(value);
  if (upper == "1" || upper == "TRUE" || upper == "YES" || upper == "ON") return true;
  if (upper.empty() || upper == "0" || upper == "FALSE" || upper == "NO" || upper == "OFF") {
    return false;
  }
  return MakeError(ErrorCode::kInvalidArgument, variable, "='", value,
                   "' is not a boolean (true/false, 1/0, yes/no, on/off)");
}

}  // namespace util
}  // namespace deltacat
