#pragma once

#include <exception>
#include <string>
#include <utility>

#include <nanobind/nanobind.h>

#include "deltacat/result.h"
#include "deltacat/status.h"

namespace deltacat::python {

/// A failed deltacat::Status on its way out of a binding. The exception translator registered
/// by BindErrors raises it as the Python class named by ErrorName(code) (TableNotFoundError,
/// ValueError, ...), with the status message as the exception message.
class StatusError : public std::exception {
 public:
  explicit StatusError(Status status);
  const Status& status() const { return status_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  Status status_;
  std::string what_;
};

/// Throws StatusError when `status` failed.
void ThrowIfError(const Status& status);

/// Throws StatusError(code, message): for argument checks done in the bindings.
[[noreturn]] void ThrowError(ErrorCode code, std::string message);

/// The value of `result`, or throws StatusError with its error.
template <typename T>
T ValueOrThrow(Result<T> result) {
  ThrowIfError(result.status());
  return std::move(result).ValueOrDie();
}

/// Registers the StatusError translator and the module functions behind the Python exception
/// classes: `_set_error_classes(dict)` (name -> class, called by deltacat_cpp at import),
/// `_error_names()` and `_raise_error(name, message)` (tests).
void BindErrors(nanobind::module_& m);

}  // namespace deltacat::python
