#include "deltacat/compute/hash_bucket.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <arrow/array/array_binary.h>
#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <arrow/type_traits.h>
#include <arrow/util/checked_cast.h>

#include "deltacat/compute/sha1_accelerated.h"

namespace deltacat::compute {
namespace {

using arrow::internal::checked_cast;

bool IsBinaryLike(arrow::Type::type id) {
  return arrow::is_base_binary_like(id) || id == arrow::Type::STRING_VIEW ||
         id == arrow::Type::BINARY_VIEW;
}

/// Sequential reader of a string-like or integer chunked column: one value per Next(), across
/// chunks. Integers are formatted in decimal as they are read (what Arrow's cast to string
/// gives), without materializing a string column.
class StringColumnCursor {
 public:
  explicit StringColumnCursor(std::shared_ptr<arrow::ChunkedArray> column)
      : column_(std::move(column)) {}

  /// The next value's bytes; false (and empty bytes) for a null.
  bool Next(std::string_view* value) {
    while (chunk_ == nullptr || position_ >= chunk_->length()) {
      chunk_ = column_->chunk(next_chunk_++).get();
      position_ = 0;
    }
    const int64_t i = position_++;
    if (chunk_->IsNull(i)) {
      *value = {};
      return false;
    }
    switch (chunk_->type_id()) {
      case arrow::Type::INT8:
        return Format(checked_cast<const arrow::Int8Array&>(*chunk_), i, value);
      case arrow::Type::INT16:
        return Format(checked_cast<const arrow::Int16Array&>(*chunk_), i, value);
      case arrow::Type::INT32:
        return Format(checked_cast<const arrow::Int32Array&>(*chunk_), i, value);
      case arrow::Type::INT64:
        return Format(checked_cast<const arrow::Int64Array&>(*chunk_), i, value);
      case arrow::Type::UINT8:
        return Format(checked_cast<const arrow::UInt8Array&>(*chunk_), i, value);
      case arrow::Type::UINT16:
        return Format(checked_cast<const arrow::UInt16Array&>(*chunk_), i, value);
      case arrow::Type::UINT32:
        return Format(checked_cast<const arrow::UInt32Array&>(*chunk_), i, value);
      case arrow::Type::UINT64:
        return Format(checked_cast<const arrow::UInt64Array&>(*chunk_), i, value);
      case arrow::Type::STRING:
      case arrow::Type::BINARY:
        *value = checked_cast<const arrow::BinaryArray&>(*chunk_).GetView(i);
        break;
      case arrow::Type::LARGE_STRING:
      case arrow::Type::LARGE_BINARY:
        *value = checked_cast<const arrow::LargeBinaryArray&>(*chunk_).GetView(i);
        break;
      default: *value = checked_cast<const arrow::BinaryViewArray&>(*chunk_).GetView(i); break;
    }
    return true;
  }

 private:
  template <typename ArrayType>
  bool Format(const ArrayType& array, int64_t i, std::string_view* value) {
    const auto result = std::to_chars(digits_, digits_ + sizeof(digits_), array.Value(i));
    *value = std::string_view(digits_, static_cast<size_t>(result.ptr - digits_));
    return true;
  }

  std::shared_ptr<arrow::ChunkedArray> column_;
  char digits_[24];  // the formatted integer of the last Next()
  const arrow::Array* chunk_ = nullptr;
  int next_chunk_ = 0;
  int64_t position_ = 0;
};

/// The key columns of `table` in sorted-name order, each as a string-like chunked array.
Result<std::vector<std::shared_ptr<arrow::ChunkedArray>>> StringKeyColumns(
    const arrow::Table& table, const std::vector<std::string>& merge_keys) {
  std::vector<std::string> sorted_keys = merge_keys;
  std::sort(sorted_keys.begin(), sorted_keys.end());
  if (std::adjacent_find(sorted_keys.begin(), sorted_keys.end()) != sorted_keys.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "merge keys list a column twice");
  }
  std::vector<std::shared_ptr<arrow::ChunkedArray>> columns;
  for (const auto& key : sorted_keys) {
    auto column = table.GetColumnByName(key);
    if (column == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument, "merge key column '", key,
                       "' is not in the table (columns: ", table.schema()->ToString(), ")");
    }
    if (!IsBinaryLike(column->type()->id()) && !arrow::is_integer(column->type()->id())) {
      // large_utf8 rather than utf8: the same text, without 2 GiB offset overflow on big chunks
      // (Python slices chunks for the same reason, `sliced_string_cast`).
      auto cast = arrow::compute::Cast(arrow::Datum(column), arrow::large_utf8());
      if (!cast.ok()) {
        return MakeError(
            ErrorCode::kInvalidArgument, "merge key column '", key, "' of type ",
            column->type()->ToString(),
            " cannot be converted to string for hash bucketing: ", cast.status().message());
      }
      column = cast->chunked_array();
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

/// Calls `on_digest(row, digest)` for every row of `table`, in order.
template <typename OnDigest>
Status ForEachDigest(const arrow::Table& table, const std::vector<std::string>& merge_keys,
                     OnDigest&& on_digest) {
  if (merge_keys.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "primary-key digests need merge keys");
  }
  DC_ASSIGN_OR_RAISE(auto columns, StringKeyColumns(table, merge_keys));
  std::vector<StringColumnCursor> cursors;
  cursors.reserve(columns.size());
  for (auto& column : columns) cursors.emplace_back(column);
  std::string joined;  // reused: no allocation per row once it reaches the longest key
  std::string_view value;
  const int64_t num_rows = table.num_rows();
  if (cursors.size() == 1) {  // nothing to join: hash the values in place, two at a time
    std::string first;        // the cursor reuses its buffer for the next integer
    std::array<uint8_t, 20> digests[2];
    int64_t row = 0;
    for (; row + 1 < num_rows; row += 2) {
      cursors[0].Next(&value);
      first.assign(value);
      cursors[0].Next(&value);
      Sha1DigestPairAccelerated(first, value, &digests[0], &digests[1]);
      on_digest(row, digests[0]);
      on_digest(row + 1, digests[1]);
    }
    if (row < num_rows) {
      cursors[0].Next(&value);
      on_digest(row, Sha1DigestAccelerated(value));
    }
    return Status::OK();
  }
  for (int64_t row = 0; row < num_rows; ++row) {
    joined.clear();
    for (size_t k = 0; k < cursors.size(); ++k) {
      if (k > 0) joined.append(kPrimaryKeyDelimiter);
      if (cursors[k].Next(&value)) joined.append(value);
    }
    on_digest(row, Sha1DigestAccelerated(joined));
  }
  return Status::OK();
}

Status CheckBucketCount(int32_t num_buckets) {
  if (num_buckets < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "hash bucket count must be >= 1, got ",
                     num_buckets);
  }
  return Status::OK();
}

}  // namespace

int32_t HashBucketOfDigest(std::span<const uint8_t, 20> digest, int32_t num_buckets) {
  if ((num_buckets & (num_buckets - 1)) == 0) {
    // A power of two divides 2^32, so only the last 32-bit word decides the remainder.
    const uint32_t last = (uint32_t{digest[16]} << 24) | (uint32_t{digest[17]} << 16) |
                          (uint32_t{digest[18]} << 8) | uint32_t{digest[19]};
    return static_cast<int32_t>(last & static_cast<uint32_t>(num_buckets - 1));
  }
  // Horner's rule on 32-bit big-endian words: remainder < 2^31, so remainder * 2^32 + word
  // fits in 64 bits, and 5 divisions replace 20.
  const auto modulus = static_cast<uint64_t>(num_buckets);
  uint64_t remainder = 0;
  for (size_t i = 0; i < digest.size(); i += 4) {
    const uint64_t word = (uint64_t{digest[i]} << 24) | (uint64_t{digest[i + 1]} << 16) |
                          (uint64_t{digest[i + 2]} << 8) | uint64_t{digest[i + 3]};
    remainder = ((remainder << 32) | word) % modulus;
  }
  return static_cast<int32_t>(remainder);
}

Result<std::shared_ptr<arrow::FixedSizeBinaryArray>> ComputePrimaryKeyDigests(
    const arrow::Table& table, const std::vector<std::string>& merge_keys) {
  constexpr int64_t kDigestBytes = 20;
  DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Buffer> buffer,
                     arrow::AllocateBuffer(table.num_rows() * kDigestBytes));
  uint8_t* out = buffer->mutable_data();
  DC_RETURN_NOT_OK(ForEachDigest(table, merge_keys, [&](int64_t row, const auto& digest) {
    std::memcpy(out + row * kDigestBytes, digest.data(), kDigestBytes);
  }));
  return std::make_shared<arrow::FixedSizeBinaryArray>(arrow::fixed_size_binary(kDigestBytes),
                                                       table.num_rows(), std::move(buffer));
}

Result<std::shared_ptr<arrow::Int32Array>> ComputeHashBuckets(
    const arrow::Table& table, const std::vector<std::string>& merge_keys, int32_t num_buckets) {
  DC_RETURN_NOT_OK(CheckBucketCount(num_buckets));
  const int64_t num_rows = table.num_rows();
  DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Buffer> buffer,
                     arrow::AllocateBuffer(num_rows * static_cast<int64_t>(sizeof(int32_t))));
  auto* out = reinterpret_cast<int32_t*>(buffer->mutable_data());
  if (merge_keys.empty()) {
    for (int64_t row = 0; row < num_rows; ++row) {
      out[row] = static_cast<int32_t>(row % num_buckets);
    }
  } else {
    DC_RETURN_NOT_OK(ForEachDigest(table, merge_keys, [&](int64_t row, const auto& digest) {
      out[row] = HashBucketOfDigest(digest, num_buckets);
    }));
  }
  return std::make_shared<arrow::Int32Array>(num_rows, std::move(buffer));
}

Result<std::shared_ptr<arrow::Int32Array>> ComputeHashBuckets(
    const arrow::RecordBatch& batch, const std::vector<std::string>& merge_keys,
    int32_t num_buckets) {
  DC_ASSIGN_OR_RAISE(auto table, arrow::Table::FromRecordBatches(batch.schema(), {batch.Slice(0)}));
  return ComputeHashBuckets(*table, merge_keys, num_buckets);
}

Result<std::vector<std::shared_ptr<arrow::Table>>> SplitByHashBucket(
    const std::shared_ptr<arrow::Table>& table, const std::vector<std::string>& merge_keys,
    int32_t num_buckets) {
  DC_ASSIGN_OR_RAISE(auto buckets, ComputeHashBuckets(*table, merge_keys, num_buckets));
  DC_ASSIGN_OR_RAISE(auto groups, GroupRowsByBucket<int64_t>(*buckets, num_buckets));
  DC_ASSIGN_OR_RAISE(
      arrow::Datum grouped,
      arrow::compute::Take(arrow::Datum(table), arrow::Datum(std::make_shared<arrow::Int64Array>(
                                                    table->num_rows(), groups.permutation))));
  const std::shared_ptr<arrow::Table>& grouped_table = grouped.table();
  std::vector<std::shared_ptr<arrow::Table>> result;
  result.reserve(static_cast<size_t>(num_buckets));
  for (int32_t b = 0; b < num_buckets; ++b) {
    result.push_back(grouped_table->Slice(groups.starts[b], groups.count(b)));
  }
  return result;
}

}  // namespace deltacat::compute
