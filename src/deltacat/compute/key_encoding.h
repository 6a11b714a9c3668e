#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/array.h>
#include <arrow/type.h>

#include "deltacat/result.h"
#include "deltacat/status.h"
#include "deltacat/util/pool_allocator.h"

namespace deltacat::compute {

/// Whether values of `type` can be compared by the merge kernel's key encoding (merge keys and
/// delete columns): integers, floats (bitwise), bool, strings and binaries of every offset width
/// and view, dates, times, timestamps, durations, decimals, fixed-size binaries and the null
/// type. Nested and dictionary types are rejected with kInvalidArgument naming `column`.
Status CheckEncodableKeyType(const arrow::DataType& type, std::string_view column);

/// The encoded size (tag byte included) of every value of `type` when it is the same for all
/// values (fixed-width and null types), -1 for variable-width types.
int64_t FixedEncodedWidth(const arrow::DataType& type);

/// One tuple of column values per row, encoded so that two rows are equal exactly when their
/// bytes are equal: per column a tag byte (0 = null, 1 = valid), then the value's fixed-width
/// bytes (zeros for a null) or, for variable-width types, a 64-bit length and the bytes (nothing
/// for a null). Nulls therefore equal nulls, and a null differs from "". Values are compared by
/// type (both sides must have the same Arrow types), never stringified.
///
/// Encoding is column-at-a-time into one buffer (no per-row allocation); each row also gets an
/// XXH3-64 hash of its bytes for hash tables.
class EncodedRows {
 public:
  EncodedRows() = default;

  /// Encodes the rows of `columns` (all of length `num_rows`, types accepted by
  /// CheckEncodableKeyType) in the given column order.
  static Result<EncodedRows> Encode(const std::vector<std::shared_ptr<arrow::Array>>& columns,
                                    int64_t num_rows);

  /// Number of encoded rows.
  int64_t num_rows() const { return num_rows_; }

  /// The encoded bytes of row `i`.
  std::string_view row(int64_t i) const {
    if (stride_ > 0) {
      return {reinterpret_cast<const char*>(bytes_.data()) + i * stride_,
              static_cast<size_t>(stride_)};
    }
    return {reinterpret_cast<const char*>(bytes_.data()) + offsets_[i],
            static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }

  /// The XXH3-64 hash of row(i).
  uint64_t hash(int64_t i) const { return hashes_[i]; }

  /// Approximate heap bytes held.
  int64_t memory_bytes() const {
    return static_cast<int64_t>(bytes_.capacity() + offsets_.capacity() * sizeof(int64_t) +
                                hashes_.capacity() * sizeof(uint64_t));
  }

 private:
  int64_t num_rows_ = 0;
  int64_t stride_ = 0;  // > 0 when every column is fixed-width: no offsets needed
  PoolVector<uint8_t> bytes_;
  PoolVector<int64_t> offsets_;
  PoolVector<uint64_t> hashes_;
};

/// Appends the encoding of `array[i]` to `out`, byte-identical to one column of
/// EncodedRows::Encode. `array` must have a type accepted by CheckEncodableKeyType.
void AppendEncodedValue(const arrow::Array& array, int64_t i, std::string* out);

/// The hash EncodedRows uses for an encoded row.
uint64_t HashEncodedRow(std::string_view encoded);

}  // namespace deltacat::compute
