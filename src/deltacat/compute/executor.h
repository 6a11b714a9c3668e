#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/status.h"

/// Where compute work runs. Work is described by serializable task specs (a kind and an opaque
/// payload, e.g. JSON or msgpack), executed by handlers looked up by kind, and answered with
/// serialized results. Nothing is shared between tasks but their payloads and results, so the
/// same spec runs in this process's thread pool or, later, in a Ray task on another machine
/// (a Python Ray task calls the native ExecuteSerializedTask(spec) there).
namespace deltacat::compute {

/// One unit of work: which handler runs it and its serialized input.
struct TaskSpec {
  std::string kind;     ///< handler name in a TaskRegistry, e.g. "compactor.merge"
  std::string payload;  ///< the handler's serialized input (any bytes)
  /// Estimated peak working memory of the task in bytes (0: unknown). Not part of the wire
  /// form: it tells a scheduler such as Ray how much memory to reserve for the task.
  int64_t memory_bytes = 0;
};

/// A task's serialized output.
using TaskResult = std::string;

/// Runs one task: payload bytes in, result bytes (or an error) out. Must be thread-safe: the
/// same handler runs concurrently on different payloads.
using TaskHandler = std::function<Result<TaskResult>(std::string_view payload)>;

/// Task kinds and their handlers. Thread-safe.
class TaskRegistry {
 public:
  TaskRegistry() = default;
  TaskRegistry(const TaskRegistry&) = delete;
  TaskRegistry& operator=(const TaskRegistry&) = delete;

  /// The process-wide registry that the compute layer registers its task kinds in, and that
  /// ExecuteSerializedTask uses by default.
  static TaskRegistry& Global();

  /// Adds a handler; kInvalidArgument if `kind` is empty, the handler is empty, or the kind is
  /// already registered.
  Status Register(std::string kind, TaskHandler handler);

  /// Whether a handler for `kind` exists.
  bool Contains(std::string_view kind) const;

  /// Runs `spec` on the calling thread. kInvalidArgument for an unknown kind; a handler that
  /// throws gives kInternal (exceptions never cross this API).
  Result<TaskResult> Run(const TaskSpec& spec) const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, TaskHandler, std::less<>> handlers_;
};

/// The wire form of a task spec: a msgpack map {"kind": str, "payload": bin}.
std::string SerializeTaskSpec(const TaskSpec& spec);

/// Parses SerializeTaskSpec's output; kInvalidArgument describing what is wrong otherwise.
Result<TaskSpec> DeserializeTaskSpec(std::string_view bytes);

/// Deserializes a spec and runs it: the native entry point for remote workers (Ray).
Result<TaskResult> ExecuteSerializedTask(std::string_view spec_bytes,
                                         const TaskRegistry& registry = TaskRegistry::Global());

/// Runs a batch of tasks somewhere.
class Executor {
 public:
  virtual ~Executor() = default;

  /// Runs every task and returns their results in input order. If any task fails, returns the
  /// first failure observed (with the task's index and kind as context); tasks not yet started
  /// are skipped and the results of the others are dropped.
  virtual Result<std::vector<TaskResult>> Execute(const std::vector<TaskSpec>& tasks) = 0;

  /// How many tasks run at once (a compactor divides its memory budget by it); 0 when unknown.
  virtual int parallelism() const { return 0; }
};

/// Runs tasks on threads of this process. Each Execute call starts its own workers (the calling
/// thread is one of them), so calls may nest or run concurrently without deadlock. Tasks are
/// claimed in input order; results come back in input order whatever finishes first.
class ThreadPoolExecutor final : public Executor {
 public:
  /// Construction options.
  struct Options {
    /// Maximum tasks running at once; <= 0 means std::thread::hardware_concurrency().
    int num_threads = 0;
    /// Where handlers are looked up; nullptr means TaskRegistry::Global(). Must outlive the
    /// executor.
    const TaskRegistry* registry = nullptr;
  };

  /// An executor with default options.
  ThreadPoolExecutor();
  /// An executor with `options`.
  explicit ThreadPoolExecutor(Options options);

  /// The maximum number of tasks run at once.
  int num_threads() const { return num_threads_; }
  /// The registry the tasks' handlers are looked up in.
  const TaskRegistry* registry() const { return registry_; }

  /// The number of threads.
  int parallelism() const override { return num_threads_; }

  /// See Executor::Execute. Unknown task kinds are reported before any task runs.
  Result<std::vector<TaskResult>> Execute(const std::vector<TaskSpec>& tasks) override;

 private:
  int num_threads_;
  const TaskRegistry* registry_;
};

}  // namespace deltacat::compute
