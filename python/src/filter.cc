#include "filter.h"

#include <Python.h>

#include <arrow/buffer.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include "bindings.h"
#include "deltacat/catalog/filter_expression.h"
#include "errors.h"

namespace nb = nanobind;

namespace deltacat::python {
namespace {

arrow::compute::Expression DeserializeExpression(nb::handle serialized) {
  // Copies the (small) serialized form into an Arrow buffer through the buffer protocol, so
  // pyarrow.Buffer, bytes and memoryview all work.
  Py_buffer view;
  if (PyObject_GetBuffer(serialized.ptr(), &view, PyBUF_SIMPLE) != 0) throw nb::python_error();
  auto buffer = arrow::Buffer::FromString(
      std::string(static_cast<const char*>(view.buf), static_cast<size_t>(view.len)));
  PyBuffer_Release(&view);
  Result<arrow::compute::Expression> expression =
      FromArrowResult(arrow::compute::Deserialize(std::move(buffer)));
  if (!expression.ok()) {
    ThrowError(ErrorCode::kInvalidArgument, "cannot use the pyarrow.compute.Expression filter: " +
                                                expression.status().message());
  }
  return *expression;
}

}  // namespace

std::optional<arrow::compute::Expression> ToFilter(const std::optional<std::string>& text,
                                                   nb::handle serialized) {
  if (text && !serialized.is_none()) {
    ThrowError(ErrorCode::kInvalidArgument,
               "give the filter as text or as an expression, not both");
  }
  if (text) return ValueOrThrow(ParseFilterExpression(*text));
  if (!serialized.is_none()) return DeserializeExpression(serialized);
  return std::nullopt;
}

void BindFilter(nb::module_& m) {
  m.def(
      "_parse_filter",
      [](const std::optional<std::string>& text, nb::handle serialized) {
        std::optional<arrow::compute::Expression> filter = ToFilter(text, serialized);
        return filter ? std::optional<std::string>(filter->ToString()) : std::nullopt;
      },
      nb::arg("text").none() = nb::none(), nb::arg("serialized").none() = nb::none(),
      "Parses a filter as a read would; returns Arrow's rendering of it, or None.");
}

}  // namespace deltacat::python
