#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <arrow/type_fwd.h>

#include "deltacat/result.h"

namespace deltacat::io {

/// Statistics of one top-level column of a data file, used to prune files by filters.
struct ColumnStatistics {
  std::string column;                 ///< the column name
  std::optional<int64_t> null_count;  ///< nullopt when unknown (e.g. nested Parquet columns)
  /// Smallest and largest non-null value, typed as the column. nullptr when unknown: the type
  /// has no order (lists, structs, ...), every value is null (or NaN), or the file did not
  /// record them. NaN never counts as a minimum or maximum (as in Parquet).
  std::shared_ptr<arrow::Scalar> min;
  std::shared_ptr<arrow::Scalar> max;
  /// NaN values of a floating-point column (they are outside [min, max]); nullopt for other
  /// types and when unknown.
  std::optional<int64_t> nan_count;
};

/// True when Arrow can compute a min/max of `type` (numbers, decimals, booleans, dates, times,
/// timestamps, strings and binaries).
bool HasOrderedStatistics(const arrow::DataType& type);

/// Accumulates the statistics of the batches written to one file, with Arrow compute.
class ColumnStatisticsCollector {
 public:
  /// Collects statistics for every top-level field of `schema`.
  explicit ColumnStatisticsCollector(const std::shared_ptr<arrow::Schema>& schema);

  /// Folds one batch (of the schema given at construction) into the statistics.
  Status Update(const arrow::RecordBatch& batch);

  /// The statistics so far, one per top-level field in schema order.
  const std::vector<ColumnStatistics>& statistics() const { return statistics_; }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  std::vector<ColumnStatistics> statistics_;
};

/// Merges two [min, max] ranges of the same type (either side may be unknown = nullptr, in
/// which case the other side is taken). Used to combine per-batch and per-row-group values.
Status MergeMinMax(std::shared_ptr<arrow::Scalar>* min, std::shared_ptr<arrow::Scalar>* max,
                   const std::shared_ptr<arrow::Scalar>& other_min,
                   const std::shared_ptr<arrow::Scalar>& other_max);

}  // namespace deltacat::io
