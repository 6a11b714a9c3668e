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

/// Room for a formatted 64-bit integer (20 digits and a sign).
constexpr size_t kMaxDigits = 24;

/// Rows whose messages are gathered before one Sha1DigestWordsAccelerated call.
constexpr size_t kDigestWindow = 512;

/// Gathers the rows' digest messages and hashes them a window at a time, handing every row's
/// digest to `on_digest(row, words)` in row order.
template <typename OnDigest>
class DigestWindow {
 public:
  explicit DigestWindow(OnDigest& on_digest) : on_digest_(on_digest) {}

  /// Room for the next row's formatted integer (kMaxDigits), valid until the row is hashed.
  char* Digits() { return digits_[count_].data(); }

  /// The next row's message (bytes that stay valid until the row is hashed).
  void Add(std::string_view message) {
    messages_[count_] = message;
    if (++count_ == kDigestWindow) Flush();
  }

  /// Hashes the rows added since the last flush.
  void Flush() {
    if (count_ == 0) return;
    Sha1DigestWordsAccelerated(std::span<const std::string_view>(messages_.data(), count_),
                               std::span<Sha1Words>(words_.data(), count_));
    for (size_t i = 0; i < count_; ++i) on_digest_(next_row_ + static_cast<int64_t>(i), words_[i]);
    next_row_ += static_cast<int64_t>(count_);
    count_ = 0;
  }

 private:
  OnDigest& on_digest_;
  std::array<std::string_view, kDigestWindow> messages_;
  std::array<Sha1Words, kDigestWindow> words_;
  std::array<std::array<char, kMaxDigits>, kDigestWindow> digits_;
  size_t count_ = 0;
  int64_t next_row_ = 0;
};

/// Calls `visit(array)` with `chunk` as its concrete integer array type; false (and no call)
/// when `chunk` is not an integer array.
template <typename Visit>
bool VisitIntegers(const arrow::Array& chunk, Visit&& visit) {
  switch (chunk.type_id()) {
    case arrow::Type::INT8: visit(checked_cast<const arrow::Int8Array&>(chunk)); return true;
    case arrow::Type::INT16: visit(checked_cast<const arrow::Int16Array&>(chunk)); return true;
    case arrow::Type::INT32: visit(checked_cast<const arrow::Int32Array&>(chunk)); return true;
    case arrow::Type::INT64: visit(checked_cast<const arrow::Int64Array&>(chunk)); return true;
    case arrow::Type::UINT8: visit(checked_cast<const arrow::UInt8Array&>(chunk)); return true;
    case arrow::Type::UINT16: visit(checked_cast<const arrow::UInt16Array&>(chunk)); return true;
    case arrow::Type::UINT32: visit(checked_cast<const arrow::UInt32Array&>(chunk)); return true;
    case arrow::Type::UINT64: visit(checked_cast<const arrow::UInt64Array&>(chunk)); return true;
    default: return false;
  }
}

/// Integer keys formatted straight into their SHA-1 blocks, hashed a window at a time on
/// machines with Sha1PaddedBlockWords: no views, no padding per lane. The digests are those
/// of DigestWindow (the decimal string form; a null is the empty message).
template <typename OnDigest>
class IntegerDigestWindow {
 public:
  explicit IntegerDigestWindow(OnDigest& on_digest) : on_digest_(on_digest) {}

  template <typename Integer>
  void Add(Integer value) {
    char* block = reinterpret_cast<char*>(blocks_[count_]);
    std::memset(block, 0, kZeroedBytes);
    const auto result = std::to_chars(block, block + kMaxDigits, value);
    Finish(static_cast<size_t>(result.ptr - block));
  }

  void AddNull() {
    std::memset(blocks_[count_], 0, kZeroedBytes);
    Finish(0);
  }

  void Flush() {
    if (count_ == 0) return;
    Sha1PaddedBlockWords(&blocks_[0][0], bit_lengths_.data(), count_, words_.data());
    for (size_t i = 0; i < count_; ++i) on_digest_(next_row_ + static_cast<int64_t>(i), words_[i]);
    next_row_ += static_cast<int64_t>(count_);
    count_ = 0;
  }

 private:
  /// A formatted 64-bit integer has at most 20 characters; with its 0x80 marker it fits the
  /// first 6 words, all that Sha1PaddedBlockWords reads of such messages.
  static constexpr size_t kZeroedBytes = 24;

  void Finish(size_t length) {
    blocks_[count_][length] = 0x80;
    bit_lengths_[count_] = static_cast<uint32_t>(length * 8);
    if (++count_ == kDigestWindow) Flush();
  }

  OnDigest& on_digest_;
  alignas(64) uint8_t blocks_[kDigestWindow][64];
  std::array<uint32_t, kDigestWindow> bit_lengths_;
  std::array<Sha1Words, kDigestWindow> words_;
  size_t count_ = 0;
  int64_t next_row_ = 0;
};

/// Adds every row of `chunk`, an integer array (nothing otherwise), to `window`.
template <typename Window>
void AddIntegers(const arrow::Array& chunk, Window& window) {
  auto add = [&](const auto& array) {
    const int64_t length = array.length();
    if (array.null_count() == 0) {
      for (int64_t i = 0; i < length; ++i) window.Add(array.Value(i));
      return;
    }
    for (int64_t i = 0; i < length; ++i) {
      if (array.IsNull(i)) {
        window.AddNull();
      } else {
        window.Add(array.Value(i));
      }
    }
  };
  VisitIntegers(chunk, add);
}

/// Calls `on_value(i, bytes)` for every row i of `chunk`, a string-like or integer array, with
/// the value's string form: integers in decimal (what Arrow's cast to string gives), strings
/// and binaries as they are, and nulls as empty bytes (Python's cast gives null, which joins as
/// ""). `digits(i)` gives room for row i's formatted integer.
template <typename Digits, typename OnValue>
void ForEachStringForm(const arrow::Array& chunk, const Digits& digits, OnValue&& on_value) {
  const int64_t length = chunk.length();
  auto integers = [&](const auto& array) {
    for (int64_t i = 0; i < length; ++i) {
      if (array.IsNull(i)) {
        on_value(i, std::string_view());
        continue;
      }
      char* out = digits(i);
      const auto result = std::to_chars(out, out + kMaxDigits, array.Value(i));
      on_value(i, std::string_view(out, static_cast<size_t>(result.ptr - out)));
    }
  };
  auto strings = [&](const auto& array) {
    for (int64_t i = 0; i < length; ++i) {
      on_value(i, array.IsNull(i) ? std::string_view() : std::string_view(array.GetView(i)));
    }
  };
  if (VisitIntegers(chunk, integers)) return;
  switch (chunk.type_id()) {
    case arrow::Type::STRING:
    case arrow::Type::BINARY: return strings(checked_cast<const arrow::BinaryArray&>(chunk));
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
      return strings(checked_cast<const arrow::LargeBinaryArray&>(chunk));
    default: return strings(checked_cast<const arrow::BinaryViewArray&>(chunk));
  }
}

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

/// Calls `on_digest(row, words)` with the digest of every row of `table`, in row order.
template <typename OnDigest>
Status ForEachDigest(const arrow::Table& table, const std::vector<std::string>& merge_keys,
                     OnDigest&& on_digest) {
  if (merge_keys.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "primary-key digests need merge keys");
  }
  DC_ASSIGN_OR_RAISE(auto columns, StringKeyColumns(table, merge_keys));
  if (columns.size() == 1 && arrow::is_integer(columns[0]->type()->id()) &&
      Sha1HasPaddedBlockPath()) {
    auto window = std::make_unique<IntegerDigestWindow<OnDigest>>(on_digest);
    for (const auto& chunk : columns[0]->chunks()) AddIntegers(*chunk, *window);
    window->Flush();
    return Status::OK();
  }
  auto window = std::make_unique<DigestWindow<OnDigest>>(on_digest);
  if (columns.size() == 1) {  // nothing to join: hash the values in place
    for (const auto& chunk : columns[0]->chunks()) {
      ForEachStringForm(
          *chunk, [&](int64_t) { return window->Digits(); },
          [&](int64_t, std::string_view value) { window->Add(value); });
    }
    window->Flush();
    return Status::OK();
  }
  // Several keys: every row's message is its key values joined, built column by column.
  const int64_t num_rows = table.num_rows();
  std::vector<std::string> joined(static_cast<size_t>(std::min<int64_t>(num_rows, kDigestWindow)));
  std::array<std::array<char, kMaxDigits>, kDigestWindow> digits;
  for (int64_t begin = 0; begin < num_rows; begin += kDigestWindow) {
    const int64_t count = std::min<int64_t>(kDigestWindow, num_rows - begin);
    for (int64_t i = 0; i < count; ++i) joined[i].clear();
    for (size_t k = 0; k < columns.size(); ++k) {
      const auto slice = columns[k]->Slice(begin, count);
      int64_t offset = 0;
      for (const auto& chunk : slice->chunks()) {
        ForEachStringForm(
            *chunk, [&](int64_t i) { return digits[offset + i].data(); },
            [&](int64_t i, std::string_view value) {
              if (k > 0) joined[offset + i].append(kPrimaryKeyDelimiter);
              joined[offset + i].append(value);
            });
        offset += chunk->length();
      }
    }
    for (int64_t i = 0; i < count; ++i) window->Add(joined[i]);
    window->Flush();
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

int32_t HashBucketOfDigestWords(const Sha1Words& words, int32_t num_buckets) {
  if ((num_buckets & (num_buckets - 1)) == 0) {
    // A power of two divides 2^32, so only the last 32-bit word decides the remainder.
    return static_cast<int32_t>(words[4] & static_cast<uint32_t>(num_buckets - 1));
  }
  // Horner's rule on the 32-bit big-endian words: remainder < 2^31, so remainder * 2^32 + word
  // fits in 64 bits, and 5 divisions replace 20.
  const auto modulus = static_cast<uint64_t>(num_buckets);
  uint64_t remainder = 0;
  for (const uint32_t word : words) remainder = ((remainder << 32) | word) % modulus;
  return static_cast<int32_t>(remainder);
}

int32_t HashBucketOfDigest(std::span<const uint8_t, 20> digest, int32_t num_buckets) {
  Sha1Words words{};
  for (size_t i = 0; i < words.size(); ++i) {
    words[i] = (uint32_t{digest[4 * i]} << 24) | (uint32_t{digest[4 * i + 1]} << 16) |
               (uint32_t{digest[4 * i + 2]} << 8) | uint32_t{digest[4 * i + 3]};
  }
  return HashBucketOfDigestWords(words, num_buckets);
}

Result<std::shared_ptr<arrow::FixedSizeBinaryArray>> ComputePrimaryKeyDigests(
    const arrow::Table& table, const std::vector<std::string>& merge_keys) {
  constexpr int64_t kDigestBytes = 20;
  DC_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Buffer> buffer,
                     arrow::AllocateBuffer(table.num_rows() * kDigestBytes));
  uint8_t* out = buffer->mutable_data();
  DC_RETURN_NOT_OK(ForEachDigest(table, merge_keys, [&](int64_t row, const Sha1Words& words) {
    const std::array<uint8_t, 20> digest = Sha1WordsToBytes(words);
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
    DC_RETURN_NOT_OK(ForEachDigest(table, merge_keys, [&](int64_t row, const Sha1Words& words) {
      out[row] = HashBucketOfDigestWords(words, num_buckets);
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
