#pragma once

#include <arrow/compute/expression.h>

#include "deltacat/compute/manifest_statistics.h"
#include "deltacat/result.h"

namespace deltacat {

/// A read filter (bound to the table schema by BindFilter) made ready for FileMayMatch:
/// constant sub-expressions, such as literals Arrow wrapped in implicit casts, are folded.
Result<arrow::compute::Expression> PrepareFilterForPruning(
    const arrow::compute::Expression& bound_filter);

/// Whether a data file with `stats` may hold a row that `filter` (from PrepareFilterForPruning)
/// selects; false only when its statistics prove that none does, so that skipping the file
/// cannot lose rows.
///
/// The filter is evaluated over the set of outcomes (true, false, null) its rows can produce,
/// following Arrow compute's semantics: comparisons with null are null, comparisons with NaN
/// are false (`!=` true), `and`/`or` are Kleene, `not` swaps true and false (so `not` over an
/// unknown stays unknown). Comparisons are understood between a column (or an order-preserving
/// cast of one: numeric widening, string/binary to large, temporal unit changes) and a
/// literal; `is null`/`is not null` use null counts; anything else is unknown, and so are
/// columns without statistics.
bool FileMayMatch(const arrow::compute::Expression& filter,
                  const compute::FileColumnStatistics& stats);

}  // namespace deltacat
