#include "deltacat/logging.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "deltacat/util/logging.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

constexpr const char* kLoggingVariables[] = {
    "DELTACAT_SYS_LOG_LEVEL",
    "DELTACAT_APP_LOG_LEVEL",
    "DELTACAT_SYS_LOG_DIR",
    "DELTACAT_APP_LOG_DIR",
    "DELTACAT_SYS_INFO_LOG_BASE_FILE_NAME",
    "DELTACAT_SYS_DEBUG_LOG_BASE_FILE_NAME",
    "DELTACAT_APP_INFO_LOG_BASE_FILE_NAME",
    "DELTACAT_APP_DEBUG_LOG_BASE_FILE_NAME",
    "DELTACAT_LOGGER_CONTEXT",
    "DELTACAT_LOGGER_USE_SINGLE_HANDLER",
    "DELTACAT_CONSOLE_LOG_LEVEL",
};

// Clears DeltaCAT's logging variables for a test and restores them afterwards.
class ScopedLoggingEnvironment {
 public:
  ScopedLoggingEnvironment() {
    for (const char* name : kLoggingVariables) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(name);
    }
  }
  ~ScopedLoggingEnvironment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  void Set(const char* name, const char* value) { ::setenv(name, value, 1); }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

std::vector<nlohmann::json> ReadRecords(const std::string& path) {
  std::vector<nlohmann::json> records;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    auto record = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(record.is_discarded()) << "not JSON: " << line;
    records.push_back(record);
  }
  return records;
}

std::vector<std::string> Messages(const std::string& path) {
  std::vector<std::string> messages;
  for (const auto& record : ReadRecords(path)) messages.push_back(record["message"]);
  return messages;
}

// Options writing both families under `dir`, nothing on the console.
LoggingOptions OptionsIn(const testing::TempDir& dir) {
  LoggingOptions options;
  options.system.directory = dir.Child("sys");
  options.application.directory = dir.Child("app");
  options.console_level = LogLevel::kOff;
  return options;
}

TEST(LogLevel, ParsesDeltacatSpellings) {
  EXPECT_EQ(*ParseLogLevel("DEBUG"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("info"), LogLevel::kInfo);
  EXPECT_EQ(*ParseLogLevel("Warn"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("WARNING"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("CRITICAL"), LogLevel::kCritical);
  EXPECT_EQ(*ParseLogLevel("NOTSET"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("off"), LogLevel::kOff);
  auto bad = ParseLogLevel("LOUD");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("LOUD"), std::string::npos);
  EXPECT_EQ(LogLevelName(LogLevel::kWarning), "WARNING");
}

TEST(LoggingOptions, DefaultsMatchDeltacat) {
  ScopedLoggingEnvironment env;
  auto options = LoggingOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->system.level, LogLevel::kDebug);
  EXPECT_EQ(options->application.level, LogLevel::kDebug);
  EXPECT_EQ(options->system.directory, "/tmp/deltacat/var/output/logs/");
  EXPECT_EQ(options->application.directory, "/tmp/deltacat/var/output/logs/");
  EXPECT_EQ(options->application.info_file_name, "application.info.log");
  EXPECT_EQ(options->application.debug_file_name, "application.debug.log");
  EXPECT_EQ(options->system.info_file_name, "deltacat-cpp.info.log");
  EXPECT_FALSE(options->use_single_handler);
  EXPECT_TRUE(options->context.empty());
  EXPECT_EQ(options->console_level, LogLevel::kWarning);
}

TEST(LoggingOptions, ReadsEveryVariable) {
  ScopedLoggingEnvironment env;
  env.Set("DELTACAT_SYS_LOG_LEVEL", "error");
  env.Set("DELTACAT_APP_LOG_LEVEL", "INFO");
  env.Set("DELTACAT_SYS_LOG_DIR", "/tmp/s");
  env.Set("DELTACAT_APP_LOG_DIR", "/tmp/a");
  env.Set("DELTACAT_SYS_INFO_LOG_BASE_FILE_NAME", "worker-dc.sys.info.out");
  env.Set("DELTACAT_SYS_DEBUG_LOG_BASE_FILE_NAME", "worker-dc.sys.debug.out");
  env.Set("DELTACAT_APP_INFO_LOG_BASE_FILE_NAME", "worker-dc.app.info.out");
  env.Set("DELTACAT_APP_DEBUG_LOG_BASE_FILE_NAME", "worker-dc.app.debug.out");
  env.Set("DELTACAT_LOGGER_USE_SINGLE_HANDLER", "True");
  env.Set("DELTACAT_LOGGER_CONTEXT", R"({"cluster": "c1", "shard": 7, "ratio": 0.5, "on": true})");
  env.Set("DELTACAT_CONSOLE_LOG_LEVEL", "off");
  auto options = LoggingOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->system.level, LogLevel::kError);
  EXPECT_EQ(options->application.level, LogLevel::kInfo);
  EXPECT_EQ(options->system.directory, "/tmp/s");
  EXPECT_EQ(options->application.directory, "/tmp/a");
  EXPECT_EQ(options->system.info_file_name, "worker-dc.sys.info.out");
  EXPECT_EQ(options->system.debug_file_name, "worker-dc.sys.debug.out");
  EXPECT_EQ(options->application.info_file_name, "worker-dc.app.info.out");
  EXPECT_EQ(options->application.debug_file_name, "worker-dc.app.debug.out");
  EXPECT_TRUE(options->use_single_handler);
  EXPECT_EQ(options->context.at("cluster"), LogValue(std::string("c1")));
  EXPECT_EQ(options->context.at("shard"), LogValue(std::int64_t{7}));
  EXPECT_EQ(options->context.at("ratio"), LogValue(0.5));
  EXPECT_EQ(options->context.at("on"), LogValue(true));
  EXPECT_EQ(options->console_level, LogLevel::kOff);
  EXPECT_TRUE(options->warnings.empty());
}

TEST(LoggingOptions, InvalidValuesAreErrorsNamingTheVariable) {
  ScopedLoggingEnvironment env;
  env.Set("DELTACAT_APP_LOG_LEVEL", "LOUD");
  auto bad_level = LoggingOptions::FromEnvironment();
  ASSERT_FALSE(bad_level.ok());
  EXPECT_NE(bad_level.status().message().find("DELTACAT_APP_LOG_LEVEL"), std::string::npos);
  EXPECT_NE(bad_level.status().message().find("LOUD"), std::string::npos);

  env.Set("DELTACAT_APP_LOG_LEVEL", "DEBUG");
  env.Set("DELTACAT_LOGGER_USE_SINGLE_HANDLER", "maybe");
  auto bad_bool = LoggingOptions::FromEnvironment();
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_NE(bad_bool.status().message().find("DELTACAT_LOGGER_USE_SINGLE_HANDLER"),
            std::string::npos);

  // Unlike Python's bool("False"), "False" means false.
  env.Set("DELTACAT_LOGGER_USE_SINGLE_HANDLER", "False");
  EXPECT_FALSE(LoggingOptions::FromEnvironment()->use_single_handler);
}

TEST(LoggingOptions, InvalidContextIsIgnoredWithAWarning) {
  ScopedLoggingEnvironment env;
  env.Set("DELTACAT_LOGGER_CONTEXT", "{not json");
  auto options = LoggingOptions::FromEnvironment();
  ASSERT_TRUE(options.ok());
  EXPECT_TRUE(options->context.empty());
  ASSERT_EQ(options->warnings.size(), 1u);

  testing::TempDir dir;
  auto configured = OptionsIn(dir);
  configured.warnings = options->warnings;
  ASSERT_TRUE(ConfigureLogging(configured).ok());
  auto messages = Messages(dir.Child("sys/deltacat-cpp.info.log"));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("DELTACAT_LOGGER_CONTEXT"), std::string::npos);
}

TEST(LogFormat, JsonRecordHasDeltacatKeys) {
  const LogContext context = {{"table", std::string("t1")}, {"rows", std::int64_t{3}}};
  const LogContext ray = {{"job_id", std::string("01000000")}};
  util::LogRecord record;
  record.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1734591903042));
  record.level = LogLevel::kWarning;
  record.logger_name = "deltacat.storage";
  record.message = "hello \"world\"\n";
  record.context = &context;
  record.ray_runtime_context = &ray;
  record.file_name = "writer.cc";
  record.line = 42;
  record.process_id = 1234;
  record.process_name = "deltacat";
  record.thread_id = 1240;
  record.thread_name = "worker-1";
  const std::string line = util::FormatJsonLogLine(record);
  ASSERT_EQ(line.back(), '\n');
  ASSERT_EQ(line.find('\n'), line.size() - 1) << "one record, one line";
  auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["level"], "WARNING");
  EXPECT_EQ(json["message"], "hello \"world\"\n");
  EXPECT_EQ(json["loggerName"], "deltacat.storage");
  EXPECT_EQ(json["processName"], "deltacat");
  EXPECT_EQ(json["processID"], 1234);
  EXPECT_EQ(json["threadName"], "worker-1");
  EXPECT_EQ(json["threadID"], 1240);
  EXPECT_EQ(json["timestamp"], "2024-12-19T07:05:03.042Z");
  EXPECT_EQ(json["filename"], "writer.cc");
  EXPECT_EQ(json["lineno"], 42);
  EXPECT_EQ(json["additional_context"], (nlohmann::json{{"rows", 3}, {"table", "t1"}}));
  EXPECT_EQ(json["ray_runtime_context"], (nlohmann::json{{"job_id", "01000000"}}));
}

TEST(LogFormat, InvalidUtf8IsReplacedNotFatal) {
  util::LogRecord record;
  record.message = "bad \xff\xfe bytes";
  auto json = nlohmann::json::parse(util::FormatJsonLogLine(record), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_NE(json["message"].get<std::string>().find("bytes"), std::string::npos);
  EXPECT_EQ(json.count("additional_context"), 0u);
  EXPECT_EQ(json.count("ray_runtime_context"), 0u);
}

TEST(Logger, DebugLevelWritesDebugAndInfoFiles) {
  testing::TempDir dir;
  ASSERT_TRUE(ConfigureLogging(OptionsIn(dir)).ok());
  auto logger = Logger::Application("example");
  logger.Debug("d1");
  logger.Info("i1");
  logger.Error("e1");
  EXPECT_EQ(Messages(dir.Child("app/application.debug.log")),
            (std::vector<std::string>{"d1", "i1", "e1"}));
  EXPECT_EQ(Messages(dir.Child("app/application.info.log")),
            (std::vector<std::string>{"i1", "e1"}));
  EXPECT_TRUE(Messages(dir.Child("sys/deltacat-cpp.debug.log")).empty());
}

TEST(Logger, SingleHandlerWritesOnlyTheDebugFile) {
  testing::TempDir dir;
  auto options = OptionsIn(dir);
  options.use_single_handler = true;
  ASSERT_TRUE(ConfigureLogging(options).ok());
  Logger::Application("example").Info("i1");
  EXPECT_EQ(Messages(dir.Child("app/application.debug.log")), std::vector<std::string>{"i1"});
  EXPECT_FALSE(std::filesystem::exists(dir.Child("app/application.info.log")));
}

TEST(Logger, HigherLevelWritesOnlyTheInfoFileFromThatLevel) {
  testing::TempDir dir;
  auto options = OptionsIn(dir);
  options.application.level = LogLevel::kWarning;
  ASSERT_TRUE(ConfigureLogging(options).ok());
  auto logger = Logger::Application("example");
  EXPECT_FALSE(logger.IsEnabled(LogLevel::kInfo));
  EXPECT_TRUE(logger.IsEnabled(LogLevel::kWarning));
  logger.Debug("d1");
  logger.Info("i1");
  logger.Warning("w1");
  logger.Critical("c1");
  EXPECT_EQ(Messages(dir.Child("app/application.info.log")),
            (std::vector<std::string>{"w1", "c1"}));
  EXPECT_FALSE(std::filesystem::exists(dir.Child("app/application.debug.log")));
}

TEST(Logger, LibraryAndApplicationFamiliesUseTheirOwnFiles) {
  testing::TempDir dir;
  ASSERT_TRUE(ConfigureLogging(OptionsIn(dir)).ok());
  LogInfo("from the library", {{"op", std::string("commit")}});
  Logger::Application("app").Info("from the app");
  auto sys = ReadRecords(dir.Child("sys/deltacat-cpp.info.log"));
  ASSERT_EQ(sys.size(), 1u);
  EXPECT_EQ(sys[0]["message"], "from the library");
  EXPECT_EQ(sys[0]["loggerName"], "deltacat");
  EXPECT_EQ(sys[0]["additional_context"]["op"], "commit");
  EXPECT_EQ(sys[0]["filename"], "logging_test.cc");
  EXPECT_EQ(sys[0]["processID"], ::getpid());
  EXPECT_EQ(Messages(dir.Child("app/application.info.log")),
            std::vector<std::string>{"from the app"});
}

TEST(Logger, ContextMergesEnvironmentThenBoundThenCall) {
  testing::TempDir dir;
  auto options = OptionsIn(dir);
  options.context = {{"cluster", std::string("c1")}, {"who", std::string("env")}};
  ASSERT_TRUE(ConfigureLogging(options).ok());
  auto logger = Logger::Application("example").WithContext(
      {{"who", std::string("bound")}, {"table", std::string("t")}});
  logger.Info("m", {{"table", std::string("call")}, {"rows", std::int64_t{5}}});
  auto records = ReadRecords(dir.Child("app/application.info.log"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["additional_context"],
            (nlohmann::json{{"cluster", "c1"}, {"rows", 5}, {"table", "call"}, {"who", "bound"}}));
}

TEST(Logger, SecretsNeverReachTheFiles) {
  testing::TempDir dir;
  ASSERT_TRUE(ConfigureLogging(OptionsIn(dir)).ok());
  Logger::Application("example").Info(
      "env: AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENG url: https://b/k?X-Amz-Signature=f00d",
      {{"aws_session_token", std::string("FwoGZXIv")},
       {"url", std::string("https://b/k?X-Amz-Security-Token=abc&X-Amz-Expires=60")}});
  std::ifstream in(dir.Child("app/application.info.log"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("wJalrXUtnFEMIK7MDENG"), std::string::npos) << text;
  EXPECT_EQ(text.find("f00d"), std::string::npos) << text;
  EXPECT_EQ(text.find("FwoGZXIv"), std::string::npos) << text;
  EXPECT_EQ(text.find("abc&"), std::string::npos) << text;
  EXPECT_NE(text.find("X-Amz-Expires=60"), std::string::npos) << text;
}

TEST(Logger, ConfiguringTwiceDoesNotDuplicateRecords) {
  testing::TempDir dir;
  ASSERT_TRUE(ConfigureLogging(OptionsIn(dir)).ok());
  ASSERT_TRUE(ConfigureLogging(OptionsIn(dir)).ok());
  Logger::Application("example").Info("once");
  EXPECT_EQ(Messages(dir.Child("app/application.info.log")), std::vector<std::string>{"once"});
}

TEST(Logger, SameFileForBothLevelsIsWrittenOnce) {
  testing::TempDir dir;
  auto options = OptionsIn(dir);
  options.application.info_file_name = "all.log";
  options.application.debug_file_name = "all.log";
  ASSERT_TRUE(ConfigureLogging(options).ok());
  Logger::Application("example").Info("once");
  EXPECT_EQ(Messages(dir.Child("app/all.log")), std::vector<std::string>{"once"});
}

TEST(Logger, LoggerCreatedEarlierFollowsTheNewConfiguration) {
  testing::TempDir first;
  testing::TempDir second;
  ASSERT_TRUE(ConfigureLogging(OptionsIn(first)).ok());
  auto logger = Logger::Application("example");
  logger.Info("one");
  ASSERT_TRUE(ConfigureLogging(OptionsIn(second)).ok());
  logger.Info("two");
  EXPECT_EQ(Messages(first.Child("app/application.info.log")), std::vector<std::string>{"one"});
  EXPECT_EQ(Messages(second.Child("app/application.info.log")), std::vector<std::string>{"two"});
}

TEST(Logger, RecordsCarryRayRuntimeContextAndThreadIdentity) {
  testing::TempDir dir;
  ASSERT_TRUE(ConfigureLogging(OptionsIn(dir)).ok());
  SetRayRuntimeContext({{"worker_id", std::string("w1")}, {"node_id", std::string("n1")}});
  auto logger = Logger::Application("example");
  logger.Info("driver");
  std::thread worker([&] { logger.Info("worker"); });
  worker.join();
  SetRayRuntimeContext({});
  logger.Info("after");
  auto records = ReadRecords(dir.Child("app/application.info.log"));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0]["ray_runtime_context"],
            (nlohmann::json{{"node_id", "n1"}, {"worker_id", "w1"}}));
  EXPECT_NE(records[0]["threadID"], records[1]["threadID"]);
  EXPECT_EQ(records[0]["processID"], records[1]["processID"]);
  EXPECT_EQ(records[2].count("ray_runtime_context"), 0u);
}

TEST(Logger, ConsoleGetsTextFromItsLevel) {
  testing::TempDir dir;
  auto options = OptionsIn(dir);
  options.console_level = LogLevel::kWarning;
  ASSERT_TRUE(ConfigureLogging(options).ok());
  ::testing::internal::CaptureStderr();
  Logger::Application("example").Info("quiet");
  Logger::Application("example").Warning("loud", {{"k", std::int64_t{1}}});
  FlushLogs();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("quiet"), std::string::npos) << err;
  EXPECT_NE(err.find("warning example: loud {k=1}"), std::string::npos) << err;
}

TEST(Logger, UnwritableDirectoryIsAConfigurationError) {
  testing::TempDir dir;
  std::ofstream(dir.Child("file")) << "x";
  auto options = OptionsIn(dir);
  options.application.directory = dir.Child("file/sub");
  Status status = ConfigureLogging(options);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kIOError);
  EXPECT_NE(status.message().find("file/sub"), std::string::npos) << status;
}

TEST(Logger, SeveralProcessesShareOneRotatingLogDirectory) {
  testing::TempDir dir;
  constexpr int kChildren = 3;
  constexpr int kRecordsPerChild = 200;
  auto options = OptionsIn(dir);
  options.max_file_bytes = 16 * 1024;
  options.backup_count = 1000;
  options.use_single_handler = true;
  std::vector<pid_t> children;
  for (int c = 0; c < kChildren; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      if (!ConfigureLogging(options).ok()) ::_exit(1);
      auto logger = Logger::Application("child");
      for (int s = 0; s < kRecordsPerChild; ++s) {
        logger.Info("record", {{"child", std::int64_t{c}}, {"seq", std::int64_t{s}}});
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const std::string path = dir.Child("app/application.debug.log");
  ASSERT_TRUE(std::filesystem::exists(path + ".1")) << "expected at least one rotation";
  std::vector<int> count(kChildren * kRecordsPerChild, 0);
  for (int generation = 0;
       std::filesystem::exists(generation == 0 ? path : path + "." + std::to_string(generation));
       ++generation) {
    for (const auto& record :
         ReadRecords(generation == 0 ? path : path + "." + std::to_string(generation))) {
      const int c = record["additional_context"]["child"];
      const int s = record["additional_context"]["seq"];
      ++count[c * kRecordsPerChild + s];
    }
  }
  for (std::size_t i = 0; i < count.size(); ++i) EXPECT_EQ(count[i], 1) << "record " << i;
}

}  // namespace
}  // namespace deltacat
