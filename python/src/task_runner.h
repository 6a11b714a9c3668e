#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nanobind/nanobind.h>

#include "deltacat/remote_tasks.h"

namespace deltacat::python {

/// A RemoteTaskRunner implemented by a Python callable (deltacat_cpp.ray_executor.RayTaskRunner):
/// `runner(tasks: list[tuple[str, bytes, int]]) -> list[bytes]`, called with (kind, spec,
/// memory_bytes) per task, and `runner.parallelism() -> int`. Run() takes the GIL; an exception
/// the callable raises fails the batch and is kept, so the binding re-raises it unchanged once
/// the native call returns (RaiseIfFailed).
///
/// Holds Python references: create and destroy it with the GIL held.
class PyTaskRunner final : public RemoteTaskRunner {
 public:
  explicit PyTaskRunner(nanobind::object runner);
  ~PyTaskRunner() override;
  PyTaskRunner(const PyTaskRunner&) = delete;
  PyTaskRunner& operator=(const PyTaskRunner&) = delete;

  Result<std::vector<std::string>> Run(const std::vector<RemoteTask>& tasks) override;
  int parallelism() const override { return parallelism_; }

  /// Re-raises the exception a Run() call's callable raised, if any (GIL held).
  void RaiseIfFailed();

 private:
  nanobind::object runner_;
  int parallelism_ = 0;
  std::optional<nanobind::python_error> error_;
};

/// `execute(spec: bytes) -> bytes`: runs one serialized task spec in this process, without the
/// GIL (the entry point Ray workers call).
void BindRemoteTasks(nanobind::module_& m);

}  // namespace deltacat::python
