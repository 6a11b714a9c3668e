#include "deltacat/compute/executor.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <msgpack.hpp>

#include "deltacat/fs/retry_policy.h"

namespace deltacat::compute {
namespace {

std::string TaskContext(size_t index, size_t count, std::string_view kind) {
  return "task " + std::to_string(index) + " of " + std::to_string(count) + " (kind '" +
         std::string(kind) + "')";
}

}  // namespace

TaskRegistry& TaskRegistry::Global() {
  static TaskRegistry registry;
  return registry;
}

Status TaskRegistry::Register(std::string kind, TaskHandler handler) {
  if (kind.empty()) return MakeError(ErrorCode::kInvalidArgument, "task kind must not be empty");
  if (!handler) {
    return MakeError(ErrorCode::kInvalidArgument, "task kind '", kind, "' has an empty handler");
  }
  std::unique_lock lock(mutex_);
  if (handlers_.count(kind) != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "task kind '", kind, "' is already registered");
  }
  handlers_.emplace(std::move(kind), std::move(handler));
  return Status::OK();
}

bool TaskRegistry::Contains(std::string_view kind) const {
  std::shared_lock lock(mutex_);
  return handlers_.find(kind) != handlers_.end();
}

Result<TaskResult> TaskRegistry::Run(const TaskSpec& spec) const {
  TaskHandler handler;
  {
    std::shared_lock lock(mutex_);
    const auto it = handlers_.find(spec.kind);
    if (it == handlers_.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "no handler registered for task kind '",
                       spec.kind, "'");
    }
    handler = it->second;  // copied so the lock is not held while the task runs
  }
  auto run_once = [&]() -> Result<TaskResult> {
    try {
      return handler(spec.payload);
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInternal, "task kind '", spec.kind, "' threw: ", e.what());
    } catch (...) {
      return MakeError(ErrorCode::kInternal, "task kind '", spec.kind, "' threw a non-exception");
    }
  };
  // Tasks are idempotent (they write under names derived from their payload), so a task that
  // failed with a retryable error (S3 throttling, a timeout, ...) is rerun, bounded, as Ray
  // reruns failed tasks.
  std::optional<TaskResult> result;
  DC_RETURN_NOT_OK(RunWithRetry(RetryPolicy(), [&]() -> Status {
    auto attempt = run_once();
    if (!attempt.ok()) return attempt.status();
    result = std::move(*attempt);
    return Status::OK();
  }));
  return std::move(*result);
}

std::string SerializeTaskSpec(const TaskSpec& spec) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(&buffer);
  packer.pack_map(2);
  packer.pack(std::string_view("kind"));
  packer.pack(std::string_view(spec.kind));
  packer.pack(std::string_view("payload"));
  packer.pack_bin(static_cast<uint32_t>(spec.payload.size()));
  packer.pack_bin_body(spec.payload.data(), static_cast<uint32_t>(spec.payload.size()));
  return std::string(buffer.data(), buffer.size());
}

Result<TaskSpec> DeserializeTaskSpec(std::string_view bytes) {
  msgpack::object_handle handle;
  try {
    // Limits: a spec is one small map; they stop a malformed length from allocating wildly.
    const msgpack::unpack_limit limit(/*array=*/16, /*map=*/16, /*str=*/bytes.size(),
                                      /*bin=*/bytes.size(), /*ext=*/bytes.size(), /*depth=*/4);
    handle = msgpack::unpack(bytes.data(), bytes.size(), nullptr, nullptr, limit);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, "task spec is not valid msgpack: ", e.what());
  }
  const msgpack::object& root = handle.get();
  if (root.type != msgpack::type::MAP) {
    return MakeError(ErrorCode::kInvalidArgument, "task spec must be a msgpack map");
  }
  std::optional<std::string> kind;
  std::optional<std::string> payload;
  for (uint32_t i = 0; i < root.via.map.size; ++i) {
    const msgpack::object_kv& kv = root.via.map.ptr[i];
    if (kv.key.type != msgpack::type::STR) continue;
    const std::string_view key(kv.key.via.str.ptr, kv.key.via.str.size);
    const msgpack::object& value = kv.val;
    if (key == "kind") {
      if (value.type != msgpack::type::STR) {
        return MakeError(ErrorCode::kInvalidArgument, "task spec 'kind' must be a string");
      }
      kind.emplace(value.via.str.ptr, value.via.str.size);
    } else if (key == "payload") {
      if (value.type == msgpack::type::BIN) {
        payload.emplace(value.via.bin.ptr, value.via.bin.size);
      } else if (value.type == msgpack::type::STR) {
        payload.emplace(value.via.str.ptr, value.via.str.size);
      } else {
        return MakeError(ErrorCode::kInvalidArgument, "task spec 'payload' must be bytes");
      }
    }
  }
  if (!kind.has_value() || !payload.has_value()) {
    return MakeError(ErrorCode::kInvalidArgument, "task spec lacks '",
                     kind.has_value() ? "payload" : "kind", "'");
  }
  return TaskSpec{std::move(*kind), std::move(*payload)};
}

Result<TaskResult> ExecuteSerializedTask(std::string_view spec_bytes,
                                         const TaskRegistry& registry) {
  DC_ASSIGN_OR_RAISE(TaskSpec spec, DeserializeTaskSpec(spec_bytes));
  return registry.Run(spec);
}

ThreadPoolExecutor::ThreadPoolExecutor() : ThreadPoolExecutor(Options{}) {}

ThreadPoolExecutor::ThreadPoolExecutor(Options options)
    : num_threads_(options.num_threads > 0
                       ? options.num_threads
                       : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))),
      registry_(options.registry != nullptr ? options.registry : &TaskRegistry::Global()) {}

Result<std::vector<TaskResult>> ThreadPoolExecutor::Execute(const std::vector<TaskSpec>& tasks) {
  const size_t count = tasks.size();
  for (size_t i = 0; i < count; ++i) {
    if (!registry_->Contains(tasks[i].kind)) {
      return MakeError(ErrorCode::kInvalidArgument, "no handler registered for task kind '",
                       tasks[i].kind, "' (", TaskContext(i, count, tasks[i].kind), ")");
    }
  }

  std::vector<TaskResult> results(count);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  Status first_error;

  auto work = [&] {
    while (!failed.load(std::memory_order_acquire)) {
      const size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) return;
      Result<TaskResult> result = registry_->Run(tasks[i]);
      if (result.ok()) {
        results[i] = std::move(result).ValueOrDie();
        continue;
      }
      std::lock_guard lock(error_mutex);
      if (!failed.load(std::memory_order_relaxed)) {
        first_error = result.status().WithContext(TaskContext(i, count, tasks[i].kind));
        failed.store(true, std::memory_order_release);
      }
      return;
    }
  };

  const size_t workers = std::min(count, static_cast<size_t>(num_threads_));
  std::vector<std::thread> threads;
  if (workers > 1) threads.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // fewer threads than asked for: the others still drain the queue
    }
  }
  work();
  for (auto& thread : threads) thread.join();

  if (failed.load()) return first_error;
  return results;
}

}  // namespace deltacat::compute
