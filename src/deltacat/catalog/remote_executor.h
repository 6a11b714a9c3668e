#pragma once

#include <memory>
#include <vector>

#include "deltacat/compute/executor.h"
#include "deltacat/remote_tasks.h"

namespace deltacat {

/// The compute layer's Executor over a user's RemoteTaskRunner (e.g. Ray through Python):
/// specs go out in their wire form with their memory estimates, results come back as bytes.
class RemoteExecutor final : public compute::Executor {
 public:
  /// Runs tasks through `runner` (not null).
  explicit RemoteExecutor(std::shared_ptr<RemoteTaskRunner> runner);

  /// See compute::Executor::Execute; checks that the runner answered every task.
  Result<std::vector<compute::TaskResult>> Execute(
      const std::vector<compute::TaskSpec>& tasks) override;

  /// The runner's parallelism.
  int parallelism() const override;

 private:
  std::shared_ptr<RemoteTaskRunner> runner_;
};

}  // namespace deltacat
