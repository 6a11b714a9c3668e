// The remote-task boundary of the library: ExecuteTask (include/deltacat/remote_tasks.h), the
// worker side, and RemoteExecutor, the driver side.
#include "deltacat/catalog/remote_executor.h"

#include <utility>

#include "deltacat/compute/compactor.h"

namespace deltacat {

Result<std::string> ExecuteTask(std::string_view spec) {
  // A fresh worker process has registered nothing yet.
  DC_RETURN_NOT_OK(compute::RegisterCompactorTasks(compute::TaskRegistry::Global()));
  return compute::ExecuteSerializedTask(spec);
}

RemoteExecutor::RemoteExecutor(std::shared_ptr<RemoteTaskRunner> runner)
    : runner_(std::move(runner)) {}

Result<std::vector<compute::TaskResult>> RemoteExecutor::Execute(
    const std::vector<compute::TaskSpec>& tasks) {
  std::vector<RemoteTask> remote;
  remote.reserve(tasks.size());
  for (const compute::TaskSpec& task : tasks) {
    remote.push_back(RemoteTask{task.kind, compute::SerializeTaskSpec(task), task.memory_bytes});
  }
  DC_ASSIGN_OR_RAISE(std::vector<std::string> results, runner_->Run(remote));
  if (results.size() != tasks.size()) {
    return MakeError(ErrorCode::kInternal, "the remote task runner returned ", results.size(),
                     " results for ", tasks.size(), " tasks");
  }
  return results;
}

int RemoteExecutor::parallelism() const { return runner_->parallelism(); }

}  // namespace deltacat
