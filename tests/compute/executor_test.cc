#include "deltacat/compute/executor.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace deltacat::compute {
namespace {

std::vector<TaskSpec> Specs(const std::string& kind, int count) {
  std::vector<TaskSpec> specs;
  for (int i = 0; i < count; ++i) specs.push_back({kind, std::to_string(i)});
  return specs;
}

TEST(TaskRegistry, RegisterRunAndRejectDuplicates) {
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("echo",
                            [](std::string_view payload) -> Result<TaskResult> {
                              return std::string(payload) + "!";
                            })
                  .ok());
  EXPECT_TRUE(registry.Contains("echo"));
  EXPECT_FALSE(registry.Contains("other"));
  EXPECT_EQ(*registry.Run({"echo", "hi"}), "hi!");
  EXPECT_EQ(
      registry
          .Register("echo", [](std::string_view) -> Result<TaskResult> { return std::string(); })
          .code(),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      registry.Register("", [](std::string_view) -> Result<TaskResult> { return std::string(); })
          .code(),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(registry.Register("empty", TaskHandler{}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(registry.Run({"other", ""}).status().code(), ErrorCode::kInvalidArgument);
}

TEST(TaskRegistry, ExceptionsBecomeInternalErrors) {
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("throws",
                            [](std::string_view) -> Result<TaskResult> {
                              throw std::runtime_error("boom");
                            })
                  .ok());
  const auto result = registry.Run({"throws", ""});
  EXPECT_EQ(result.status().code(), ErrorCode::kInternal);
  EXPECT_NE(result.status().message().find("boom"), std::string::npos);
}

TEST(TaskSpecSerialization, RoundTripsBinaryPayloads) {
  const std::string payload("\0\x01\xff msgpack \0 bytes", 19);
  const TaskSpec spec{"compactor.merge", payload};
  const std::string bytes = SerializeTaskSpec(spec);
  auto parsed = DeserializeTaskSpec(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->kind, "compactor.merge");
  EXPECT_EQ(parsed->payload, payload);
}

TEST(TaskSpecSerialization, RejectsMalformedSpecs) {
  EXPECT_EQ(DeserializeTaskSpec("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(DeserializeTaskSpec("\xc1").status().code(), ErrorCode::kInvalidArgument);
  // A msgpack string, not a map.
  EXPECT_EQ(DeserializeTaskSpec("\xa3"
                                "abc")
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  // {"kind": "x"} without a payload.
  EXPECT_EQ(DeserializeTaskSpec("\x81\xa4kind\xa1x").status().code(), ErrorCode::kInvalidArgument);
  // A map claiming 2^32-1 entries in 5 bytes must not allocate.
  EXPECT_EQ(DeserializeTaskSpec("\xdf\xff\xff\xff\xff").status().code(),
            ErrorCode::kInvalidArgument);
  // Truncated serialization.
  const std::string bytes = SerializeTaskSpec({"kind", "payload"});
  EXPECT_EQ(
      DeserializeTaskSpec(std::string_view(bytes).substr(0, bytes.size() - 3)).status().code(),
      ErrorCode::kInvalidArgument);
}

TEST(TaskSpecSerialization, ExecuteSerializedTaskRunsTheHandler) {
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("double",
                            [](std::string_view payload) -> Result<TaskResult> {
                              return std::to_string(2 * std::stoi(std::string(payload)));
                            })
                  .ok());
  EXPECT_EQ(*ExecuteSerializedTask(SerializeTaskSpec({"double", "21"}), registry), "42");
  EXPECT_EQ(ExecuteSerializedTask(SerializeTaskSpec({"nope", ""}), registry).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(ThreadPoolExecutor, ResultsComeBackInInputOrder) {
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("slow-first",
                            [](std::string_view payload) -> Result<TaskResult> {
                              const int i = std::stoi(std::string(payload));
                              // Earlier tasks finish later.
                              std::this_thread::sleep_for(std::chrono::milliseconds(20 - i));
                              return "r" + std::string(payload);
                            })
                  .ok());
  ThreadPoolExecutor executor({.num_threads = 4, .registry = &registry});
  auto results = executor.Execute(Specs("slow-first", 20));
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ((*results)[i], "r" + std::to_string(i));
}

TEST(ThreadPoolExecutor, RunsTasksInParallel) {
  // Every task waits until all four are running at once; that only completes in parallel.
  constexpr int kTasks = 4;
  std::mutex mutex;
  std::condition_variable all_started;
  int started = 0;
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("rendezvous",
                            [&](std::string_view) -> Result<TaskResult> {
                              std::unique_lock lock(mutex);
                              ++started;
                              all_started.notify_all();
                              if (!all_started.wait_for(lock, std::chrono::seconds(120),
                                                        [&] { return started == kTasks; })) {
                                return MakeError(ErrorCode::kTimeout, "tasks did not overlap");
                              }
                              return std::string("met");
                            })
                  .ok());
  ThreadPoolExecutor executor({.num_threads = kTasks, .registry = &registry});
  auto results = executor.Execute(Specs("rendezvous", kTasks));
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  EXPECT_EQ(*results, std::vector<TaskResult>(kTasks, "met"));
}

TEST(ThreadPoolExecutor, NeverRunsMoreThanNumThreadsAtOnce) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("count",
                            [&](std::string_view) -> Result<TaskResult> {
                              const int now = ++running;
                              int seen = most.load();
                              while (now > seen && !most.compare_exchange_weak(seen, now)) {
                              }
                              std::this_thread::sleep_for(std::chrono::milliseconds(2));
                              --running;
                              return std::string();
                            })
                  .ok());
  ThreadPoolExecutor executor({.num_threads = 2, .registry = &registry});
  ASSERT_TRUE(executor.Execute(Specs("count", 30)).ok());
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
}

TEST(ThreadPoolExecutor, FirstErrorWinsAndLaterTasksAreSkipped) {
  std::atomic<int> ran{0};
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("fail-at-2",
                            [&](std::string_view payload) -> Result<TaskResult> {
                              ++ran;
                              if (payload == "2") {
                                return MakeError(ErrorCode::kTableNotFound, "no table t");
                              }
                              return std::string(payload);
                            })
                  .ok());
  ThreadPoolExecutor sequential({.num_threads = 1, .registry = &registry});
  auto result = sequential.Execute(Specs("fail-at-2", 10));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kTableNotFound);  // the task's own kind
  EXPECT_NE(result.status().message().find("task 2 of 10 (kind 'fail-at-2')"), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find("no table t"), std::string::npos);
  EXPECT_EQ(ran.load(), 3);  // tasks 3..9 never started
}

TEST(ThreadPoolExecutor, ParallelFailureSkipsTheRemainingQueue) {
  std::atomic<int> ran{0};
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("fail-first",
                            [&](std::string_view payload) -> Result<TaskResult> {
                              ++ran;
                              if (payload == "0") return MakeError(ErrorCode::kIOError, "disk");
                              std::this_thread::sleep_for(std::chrono::milliseconds(5));
                              return std::string();
                            })
                  .ok());
  ThreadPoolExecutor executor({.num_threads = 2, .registry = &registry});
  auto result = executor.Execute(Specs("fail-first", 200));
  EXPECT_EQ(result.status().code(), ErrorCode::kIOError);
  EXPECT_LT(ran.load(), 200);
}

TEST(ThreadPoolExecutor, UnknownKindsFailBeforeAnythingRuns) {
  std::atomic<int> ran{0};
  TaskRegistry registry;
  ASSERT_TRUE(registry
                  .Register("known",
                            [&](std::string_view) -> Result<TaskResult> {
                              ++ran;
                              return std::string();
                            })
                  .ok());
  ThreadPoolExecutor executor({.num_threads = 2, .registry = &registry});
  std::vector<TaskSpec> specs = Specs("known", 3);
  specs.push_back({"unknown", ""});
  EXPECT_EQ(executor.Execute(specs).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ran.load(), 0);
}

TEST(ThreadPoolExecutor, NestedExecuteDoesNotDeadlock) {
  TaskRegistry registry;
  ThreadPoolExecutor executor({.num_threads = 1, .registry = &registry});
  ASSERT_TRUE(registry
                  .Register("leaf",
                            [](std::string_view payload) -> Result<TaskResult> {
                              return std::string(payload);
                            })
                  .ok());
  ASSERT_TRUE(registry
                  .Register("fan-out",
                            [&](std::string_view) -> Result<TaskResult> {
                              DC_ASSIGN_OR_RAISE(auto parts, executor.Execute(Specs("leaf", 3)));
                              return parts[0] + parts[1] + parts[2];
                            })
                  .ok());
  auto results = executor.Execute(Specs("fan-out", 2));
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  EXPECT_EQ(*results, (std::vector<TaskResult>{"012", "012"}));
}

TEST(ThreadPoolExecutor, DefaultsAndEmptyInput) {
  ThreadPoolExecutor executor;
  EXPECT_EQ(executor.num_threads(),
            std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
  auto results = executor.Execute({});
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results->empty());
}

TEST(ThreadPoolExecutor, UsesTheGlobalRegistryByDefault) {
  static std::atomic<int> calls{0};
  // The global registry is process-wide; register a kind unique to this test.
  ASSERT_TRUE(TaskRegistry::Global()
                  .Register("executor_test.global",
                            [](std::string_view payload) -> Result<TaskResult> {
                              ++calls;
                              return std::string(payload);
                            })
                  .ok());
  ThreadPoolExecutor executor({.num_threads = 2});
  auto results = executor.Execute(Specs("executor_test.global", 5));
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(calls.load(), 5);
  EXPECT_EQ(*ExecuteSerializedTask(SerializeTaskSpec({"executor_test.global", "x"})), "x");
}

}  // namespace
}  // namespace deltacat::compute
