#include "deltacat/compute/value_order.h"

#include <cmath>

#include <arrow/array/array_binary.h>
#include <arrow/array/array_decimal.h>
#include <arrow/array/array_primitive.h>
#include <arrow/util/checked_cast.h>
#include <arrow/util/decimal.h>
#include <arrow/util/float16.h>

namespace deltacat::compute {
namespace {

using arrow::internal::checked_cast;

/// 0 = an ordinary value, 1 = NaN, 2 = null: the rank of the "tail" a value sorts into.
template <typename T>
int TailRank(bool valid, const T& value) {
  if (!valid) return 2;
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(value)) return 1;
  }
  return 0;
}

template <typename T>
int ThreeWay(const T& x, const T& y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

template <typename ArrayType>
int CompareTyped(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j,
                 bool descending) {
  const auto& ta = checked_cast<const ArrayType&>(a);
  const auto& tb = checked_cast<const ArrayType&>(b);
  const bool va = ta.IsValid(i);
  const bool vb = tb.IsValid(j);
  if (!va || !vb) return ThreeWay(va ? 0 : 2, vb ? 0 : 2);
  const auto x = ta.GetView(i);
  const auto y = tb.GetView(j);
  const int rank_x = TailRank(true, x);
  const int rank_y = TailRank(true, y);
  if (rank_x != 0 || rank_y != 0) return ThreeWay(rank_x, rank_y);
  const int order = ThreeWay(x, y);
  return descending ? -order : order;
}

int CompareHalfFloat(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j,
                     bool descending) {
  const auto& ta = checked_cast<const arrow::HalfFloatArray&>(a);
  const auto& tb = checked_cast<const arrow::HalfFloatArray&>(b);
  const bool va = ta.IsValid(i);
  const bool vb = tb.IsValid(j);
  if (!va || !vb) return ThreeWay(va ? 0 : 2, vb ? 0 : 2);
  const float x = arrow::util::Float16::FromBits(ta.Value(i)).ToFloat();
  const float y = arrow::util::Float16::FromBits(tb.Value(j)).ToFloat();
  const int rank_x = TailRank(true, x);
  const int rank_y = TailRank(true, y);
  if (rank_x != 0 || rank_y != 0) return ThreeWay(rank_x, rank_y);
  const int order = ThreeWay(x, y);
  return descending ? -order : order;
}

/// Decimal arrays' GetView gives raw bytes, so compare the decoded values instead.
template <typename ArrayType, typename DecimalType>
int CompareDecimal(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j,
                   bool descending) {
  const auto& ta = checked_cast<const ArrayType&>(a);
  const auto& tb = checked_cast<const ArrayType&>(b);
  const bool va = ta.IsValid(i);
  const bool vb = tb.IsValid(j);
  if (!va || !vb) return ThreeWay(va ? 0 : 2, vb ? 0 : 2);
  const DecimalType x(ta.GetValue(i));
  const DecimalType y(tb.GetValue(j));
  const int order = ThreeWay(x, y);
  return descending ? -order : order;
}

}  // namespace

Status CheckOrderableType(const arrow::DataType& type, std::string_view column) {
  switch (type.id()) {
    case arrow::Type::NA:
    case arrow::Type::BOOL:
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
    case arrow::Type::HALF_FLOAT:
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIME32:
    case arrow::Type::TIME64:
    case arrow::Type::TIMESTAMP:
    case arrow::Type::DURATION:
    case arrow::Type::DECIMAL128:
    case arrow::Type::DECIMAL256:
    case arrow::Type::STRING:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW:
    case arrow::Type::FIXED_SIZE_BINARY: return Status::OK();
    default:
      return MakeError(ErrorCode::kInvalidArgument, "sort key column '", column, "' has type ",
                       type.ToString(), ", which has no supported ordering");
  }
}

int CompareInSortOrder(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j,
                       bool descending) {
  switch (a.type_id()) {
    case arrow::Type::NA: return 0;
    case arrow::Type::BOOL: return CompareTyped<arrow::BooleanArray>(a, i, b, j, descending);
    case arrow::Type::INT8: return CompareTyped<arrow::Int8Array>(a, i, b, j, descending);
    case arrow::Type::INT16: return CompareTyped<arrow::Int16Array>(a, i, b, j, descending);
    case arrow::Type::INT32: return CompareTyped<arrow::Int32Array>(a, i, b, j, descending);
    case arrow::Type::DATE32: return CompareTyped<arrow::Date32Array>(a, i, b, j, descending);
    case arrow::Type::TIME32: return CompareTyped<arrow::Time32Array>(a, i, b, j, descending);
    case arrow::Type::INT64: return CompareTyped<arrow::Int64Array>(a, i, b, j, descending);
    case arrow::Type::DATE64: return CompareTyped<arrow::Date64Array>(a, i, b, j, descending);
    case arrow::Type::TIME64: return CompareTyped<arrow::Time64Array>(a, i, b, j, descending);
    case arrow::Type::TIMESTAMP: return CompareTyped<arrow::TimestampArray>(a, i, b, j, descending);
    case arrow::Type::DURATION: return CompareTyped<arrow::DurationArray>(a, i, b, j, descending);
    case arrow::Type::UINT8: return CompareTyped<arrow::UInt8Array>(a, i, b, j, descending);
    case arrow::Type::UINT16: return CompareTyped<arrow::UInt16Array>(a, i, b, j, descending);
    case arrow::Type::UINT32: return CompareTyped<arrow::UInt32Array>(a, i, b, j, descending);
    case arrow::Type::UINT64: return CompareTyped<arrow::UInt64Array>(a, i, b, j, descending);
    case arrow::Type::HALF_FLOAT: return CompareHalfFloat(a, i, b, j, descending);
    case arrow::Type::FLOAT: return CompareTyped<arrow::FloatArray>(a, i, b, j, descending);
    case arrow::Type::DOUBLE: return CompareTyped<arrow::DoubleArray>(a, i, b, j, descending);
    case arrow::Type::DECIMAL128:
      return CompareDecimal<arrow::Decimal128Array, arrow::Decimal128>(a, i, b, j, descending);
    case arrow::Type::DECIMAL256:
      return CompareDecimal<arrow::Decimal256Array, arrow::Decimal256>(a, i, b, j, descending);
    case arrow::Type::STRING:
    case arrow::Type::BINARY: return CompareTyped<arrow::BinaryArray>(a, i, b, j, descending);
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
      return CompareTyped<arrow::LargeBinaryArray>(a, i, b, j, descending);
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW:
      return CompareTyped<arrow::BinaryViewArray>(a, i, b, j, descending);
    case arrow::Type::FIXED_SIZE_BINARY:
      return CompareTyped<arrow::FixedSizeBinaryArray>(a, i, b, j, descending);
    default: return 0;  // rejected by CheckOrderableType
  }
}

}  // namespace deltacat::compute
