#include "deltacat/io/column_statistics.h"

#include <cmath>

#include <arrow/api.h>
#include <arrow/array/concatenate.h>
#include <arrow/compute/api_aggregate.h>
#include <arrow/util/checked_cast.h>

namespace deltacat::io {
namespace {

using arrow::internal::checked_cast;

/// The [min, max] of `array` (null when every value is null or NaN).
Status ComputeMinMax(const arrow::Array& array, std::shared_ptr<arrow::Scalar>* min,
                     std::shared_ptr<arrow::Scalar>* max) {
  min->reset();
  max->reset();
  arrow::compute::ScalarAggregateOptions options(/*skip_nulls=*/true, /*min_count=*/1);
  auto computed = arrow::compute::MinMax(array, options);
  // A type without a min_max kernel simply has no min/max statistics.
  if (computed.status().IsNotImplemented()) return Status::OK();
  DC_ASSIGN_OR_RAISE(arrow::Datum result, std::move(computed));
  const auto& pair = checked_cast<const arrow::StructScalar&>(*result.scalar());
  if (!pair.is_valid || pair.value.size() != 2 || !pair.value[0]->is_valid ||
      !pair.value[1]->is_valid) {
    return Status::OK();
  }
  // Arrow skips NaN; a column of only NaN comes back as [+inf, -inf]. Treat it as no values.
  if (arrow::is_floating(array.type_id())) {
    DC_ASSIGN_OR_RAISE(auto lo, pair.value[0]->CastTo(arrow::float64()));
    DC_ASSIGN_OR_RAISE(auto hi, pair.value[1]->CastTo(arrow::float64()));
    if (checked_cast<const arrow::DoubleScalar&>(*lo).value >
        checked_cast<const arrow::DoubleScalar&>(*hi).value) {
      return Status::OK();
    }
  }
  *min = pair.value[0];
  *max = pair.value[1];
  return Status::OK();
}

/// NaN values in a float or double array (nullopt for other types).
std::optional<int64_t> CountNaN(const arrow::Array& array) {
  auto count = [](const auto& typed) {
    int64_t nans = 0;
    for (int64_t i = 0; i < typed.length(); ++i) {
      if (typed.IsValid(i) && std::isnan(typed.Value(i))) ++nans;
    }
    return nans;
  };
  switch (array.type_id()) {
    case arrow::Type::FLOAT: return count(checked_cast<const arrow::FloatArray&>(array));
    case arrow::Type::DOUBLE: return count(checked_cast<const arrow::DoubleArray&>(array));
    default: return std::nullopt;
  }
}

}  // namespace

bool HasOrderedStatistics(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::BOOL:
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
    case arrow::Type::DECIMAL128:
    case arrow::Type::DECIMAL256:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIME32:
    case arrow::Type::TIME64:
    case arrow::Type::TIMESTAMP:
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::FIXED_SIZE_BINARY: return true;
    default: return false;
  }
}

Status MergeMinMax(std::shared_ptr<arrow::Scalar>* min, std::shared_ptr<arrow::Scalar>* max,
                   const std::shared_ptr<arrow::Scalar>& other_min,
                   const std::shared_ptr<arrow::Scalar>& other_max) {
  if (!other_min || !other_max || !other_min->is_valid || !other_max->is_valid) {
    return Status::OK();
  }
  if (!*min || !*max) {
    *min = other_min;
    *max = other_max;
    return Status::OK();
  }
  arrow::ArrayVector parts;
  for (const arrow::Scalar* scalar : {min->get(), max->get(), other_min.get(), other_max.get()}) {
    DC_ASSIGN_OR_RAISE(auto part, arrow::MakeArrayFromScalar(*scalar, 1));
    parts.push_back(std::move(part));
  }
  DC_ASSIGN_OR_RAISE(auto combined, arrow::Concatenate(parts));
  return ComputeMinMax(*combined, min, max);
}

ColumnStatisticsCollector::ColumnStatisticsCollector(const std::shared_ptr<arrow::Schema>& schema)
    : schema_(schema) {
  statistics_.reserve(schema->num_fields());
  for (const auto& field : schema->fields()) {
    const bool floating =
        field->type()->id() == arrow::Type::FLOAT || field->type()->id() == arrow::Type::DOUBLE;
    statistics_.push_back(ColumnStatistics{field->name(), 0, nullptr, nullptr,
                                           floating ? std::optional<int64_t>(0) : std::nullopt});
  }
}

Status ColumnStatisticsCollector::Update(const arrow::RecordBatch& batch) {
  if (batch.num_columns() != static_cast<int>(statistics_.size())) {
    return MakeError(ErrorCode::kInternal, "statistics: batch has ", batch.num_columns(),
                     " columns, expected ", statistics_.size());
  }
  for (int i = 0; i < batch.num_columns(); ++i) {
    const arrow::Array& column = *batch.column(i);
    ColumnStatistics& stats = statistics_[i];
    *stats.null_count += column.null_count();
    if (stats.nan_count) {
      if (auto nans = CountNaN(column)) {
        *stats.nan_count += *nans;
      } else {
        stats.nan_count.reset();
      }
    }
    if (column.length() == column.null_count() || !HasOrderedStatistics(*column.type())) {
      continue;
    }
    std::shared_ptr<arrow::Scalar> batch_min;
    std::shared_ptr<arrow::Scalar> batch_max;
    DC_RETURN_NOT_OK(ComputeMinMax(column, &batch_min, &batch_max));
    DC_RETURN_NOT_OK(MergeMinMax(&stats.min, &stats.max, batch_min, batch_max));
  }
  return Status::OK();
}

}  // namespace deltacat::io
