#pragma once

#include <cstdint>
#include <string_view>

#include <arrow/array.h>
#include <arrow/type.h>

#include "deltacat/status.h"

namespace deltacat::compute {

/// Whether values of `type` can be ordered for sort keys (numbers, bool, strings, binaries,
/// temporal types, decimals); kInvalidArgument naming `column` otherwise.
Status CheckOrderableType(const arrow::DataType& type, std::string_view column);

/// Three-way comparison of a[i] with b[j] (arrays of the same type) in the order of a stable
/// Arrow `sort_by` with `null_placement="at_end"` (PyArrow's default, which Python DeltaCAT
/// uses for merge-order sort keys): values ascend, or descend when `descending`, and then come
/// NaNs, then nulls, in both directions. Returns <0, 0 or >0.
int CompareInSortOrder(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j,
                       bool descending);

}  // namespace deltacat::compute
