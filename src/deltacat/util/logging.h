#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "deltacat/logging.h"

namespace deltacat::util {

/// Everything one log record carries, before formatting. Views point into the caller's data.
struct LogRecord {
  std::chrono::system_clock::time_point time;
  LogLevel level = LogLevel::kInfo;
  std::string_view logger_name;
  std::string_view message;
  /// The merged context ("additional_context"); omitted when empty.
  const LogContext* context = nullptr;
  /// The Ray runtime context ("ray_runtime_context"); omitted when null or empty.
  const LogContext* ray_runtime_context = nullptr;
  std::string_view file_name;
  std::uint32_t line = 0;
  std::int64_t process_id = 0;
  std::string_view process_name;
  std::int64_t thread_id = 0;
  std::string_view thread_name;
};

/// "2024-12-19T07:05:03.042Z": UTC, millisecond precision.
std::string FormatLogTimestamp(std::chrono::system_clock::time_point time);

/// One JSON object and a newline, with Python DeltaCAT's record keys (see deltacat::Logger).
/// Invalid UTF-8 is replaced rather than failing; the caller redacts secrets beforehand.
std::string FormatJsonLogLine(const LogRecord& record);

/// The human-readable form for stderr (the console sink adds time and level):
/// "loggerName: message {key=value, ...}".
std::string FormatConsoleLogText(const LogRecord& record);

/// Parses a DeltaCAT boolean variable: 1/true/yes/on and 0/false/no/off/"" (case-insensitive).
/// Python DeltaCAT treats any non-empty value, even "False", as true; we don't.
Result<bool> ParseLogBool(std::string_view variable, std::string_view value);

}  // namespace deltacat::util
