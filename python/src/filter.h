#pragma once

#include <optional>
#include <string>

#include <arrow/compute/expression.h>
#include <nanobind/nanobind.h>

namespace deltacat::python {

/// The row filter of a read: `text` in the CLI's --where syntax, or `serialized`, a
/// pyarrow.compute.Expression serialized by pyarrow (Expression.__reduce__: both sides use the
/// same libarrow, so the bytes are arrow::compute::Serialize's). Neither gives nullopt; a bad
/// filter raises ValueError naming the problem.
std::optional<arrow::compute::Expression> ToFilter(const std::optional<std::string>& text,
                                                   nanobind::handle serialized);

}  // namespace deltacat::python
