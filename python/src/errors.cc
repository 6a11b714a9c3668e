#include "errors.h"

#include <Python.h>

#include <string_view>
#include <utility>

#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

namespace nb = nanobind;

namespace deltacat::python {
namespace {

// name -> Python exception class, filled by deltacat_cpp/_errors.py at import. A plain strong
// reference that is never released: the classes live as long as the interpreter.
PyObject* g_error_classes = nullptr;

// The builtin a code maps to when the Python layer has not registered a class (e.g. when
// _native is imported on its own).
PyObject* BuiltinFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return PyExc_ValueError;
    case ErrorCode::kNotImplemented: return PyExc_NotImplementedError;
    case ErrorCode::kIllegalState: return PyExc_RuntimeError;
    case ErrorCode::kKeyError: return PyExc_KeyError;
    case ErrorCode::kFileNotFound: return PyExc_FileNotFoundError;
    case ErrorCode::kTimeout: return PyExc_TimeoutError;
    case ErrorCode::kOutOfMemory: return PyExc_MemoryError;
    default: return PyExc_RuntimeError;
  }
}

PyObject* ClassFor(ErrorCode code) {
  if (g_error_classes != nullptr) {
    const std::string_view name = ErrorName(code);
    // Borrowed reference; no Python error is set when the key is missing.
    PyObject* cls = PyDict_GetItemString(g_error_classes, std::string(name).c_str());
    if (cls != nullptr) return cls;
  }
  return BuiltinFor(code);
}

constexpr int kFirstErrorCode = static_cast<int>(ErrorCode::kInvalidArgument);
constexpr int kLastErrorCode = static_cast<int>(ErrorCode::kInternal);

}  // namespace

StatusError::StatusError(Status status) : status_(std::move(status)), what_(status_.ToString()) {}

void ThrowIfError(const Status& status) {
  if (!status.ok()) throw StatusError(status);
}

void ThrowError(ErrorCode code, std::string message) {
  throw StatusError(Status(code, std::move(message)));
}

void BindErrors(nb::module_& m) {
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const StatusError& e) {
      PyErr_SetString(ClassFor(e.status().code()), e.status().message().c_str());
    }
  });

  m.def(
      "_set_error_classes",
      [](nb::dict classes) {
        for (auto [name, cls] : classes) {
          if (!PyType_Check(cls.ptr()) || !PyObject_IsSubclass(cls.ptr(), PyExc_BaseException)) {
            throw nb::type_error("_set_error_classes: values must be exception classes");
          }
        }
        PyObject* old = g_error_classes;
        g_error_classes = classes.release().ptr();
        Py_XDECREF(old);
      },
      nb::arg("classes"),
      "Registers the Python exception class raised for each DeltaCAT error name.");

  m.def(
      "_error_names",
      [] {
        std::vector<std::pair<std::string, bool>> names;
        for (int code = kFirstErrorCode; code <= kLastErrorCode; ++code) {
          const auto error_code = static_cast<ErrorCode>(code);
          names.emplace_back(std::string(ErrorName(error_code)), IsRetryable(error_code));
        }
        return names;
      },
      "(name, is_retryable) for every error kind libdeltacat can return.");

  m.def(
      "_raise_error",
      [](const std::string& name, const std::string& message) {
        for (int code = kFirstErrorCode; code <= kLastErrorCode; ++code) {
          const auto error_code = static_cast<ErrorCode>(code);
          if (ErrorName(error_code) == name) ThrowError(error_code, message);
        }
        ThrowError(ErrorCode::kInvalidArgument, "unknown error name '" + name + "'");
      },
      nb::arg("name"), nb::arg("message"),
      "Raises the exception for a libdeltacat error name, as a failed call would (tests).");
}

}  // namespace deltacat::python
