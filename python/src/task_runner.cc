// The Python side of remote task execution: PyTaskRunner (the driver hands batches of task
// specs to a Python callable, e.g. one that submits Ray tasks) and `execute` (a worker runs a
// spec).

#include "task_runner.h"

#include <utility>

#include <nanobind/stl/string.h>

#include "errors.h"

namespace nb = nanobind;

namespace deltacat::python {

PyTaskRunner::PyTaskRunner(nb::object runner) : runner_(std::move(runner)) {
  if (nb::hasattr(runner_, "parallelism")) {
    parallelism_ = nb::cast<int>(runner_.attr("parallelism")());
  }
}

PyTaskRunner::~PyTaskRunner() = default;

Result<std::vector<std::string>> PyTaskRunner::Run(const std::vector<RemoteTask>& tasks) {
  nb::gil_scoped_acquire gil;
  try {
    nb::list batch;
    for (const RemoteTask& task : tasks) {
      batch.append(nb::make_tuple(task.kind, nb::bytes(task.spec.data(), task.spec.size()),
                                  task.memory_bytes));
    }
    nb::object answered = runner_(batch);
    std::vector<std::string> results;
    for (nb::handle item : answered) {
      if (!nb::isinstance<nb::bytes>(item)) {
        return MakeError(ErrorCode::kInternal, "the task runner returned a ",
                         nb::type_name(item.type()).c_str(), ", not bytes");
      }
      auto bytes = nb::borrow<nb::bytes>(item);
      results.emplace_back(static_cast<const char*>(bytes.data()), bytes.size());
    }
    return results;
  } catch (nb::python_error& e) {
    std::string message = e.what();
    error_.emplace(std::move(e));
    return MakeError(ErrorCode::kInternal, "the task runner failed: ", message);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, "the task runner failed: ", e.what());
  }
}

void PyTaskRunner::RaiseIfFailed() {
  if (!error_) return;
  nb::python_error error = std::move(*error_);
  error_.reset();
  throw std::move(error);
}

void BindRemoteTasks(nb::module_& m) {
  m.def(
      "execute",
      [](nb::bytes spec) {
        std::string spec_bytes(static_cast<const char*>(spec.data()), spec.size());
        Result<std::string> executed = [&] {
          nb::gil_scoped_release release;
          return ExecuteTask(spec_bytes);
        }();
        const std::string result = ValueOrThrow(std::move(executed));
        return nb::bytes(result.data(), result.size());
      },
      nb::arg("spec"),
      "Runs one serialized compute task spec (as handed to a task runner) in this process and "
      "returns its serialized result; releases the GIL. ValueError for bytes that are not a "
      "task spec; otherwise the task's own error (e.g. RetryableIOError).");
}

}  // namespace deltacat::python
