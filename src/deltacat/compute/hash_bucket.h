#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/array.h>
#include <arrow/buffer.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>
#include <arrow/type_traits.h>

#include "deltacat/compute/sha1_accelerated.h"
#include "deltacat/result.h"

namespace deltacat::compute {

/// The separator Python DeltaCAT puts between the string forms of the merge-key columns
/// (`compactor_v2/constants.py`, PK_DELIMITER).
inline constexpr std::string_view kPrimaryKeyDelimiter = "L6kl7u5f";

/// Python DeltaCAT's (compactor v2) primary-key digest of every row: the 20-byte SHA-1 of
///
///   join(kPrimaryKeyDelimiter, [utf8(row[k]) for k in sorted(merge_keys)])
///
/// where utf8() is Arrow's cast to string (a null becomes ""), byte-compatible with
/// `primary_key_index.generate_pk_hash_column(..., requires_hash=True)`. String and binary keys
/// contribute their bytes as they are; every other type goes through arrow::compute::Cast, the
/// same code PyArrow runs, so integers, decimals, dates, timestamps and booleans stringify
/// exactly as in Python. `merge_keys` may be given in any order (Python sorts them by name).
/// Errors: no merge keys, an unknown column, or a type Arrow cannot cast to string.
Result<std::shared_ptr<arrow::FixedSizeBinaryArray>> ComputePrimaryKeyDigests(
    const arrow::Table& table, const std::vector<std::string>& merge_keys);

/// The hash bucket of a digest: the 160-bit big-endian integer mod `num_buckets`, as Python's
/// `int(sha1_hexdigest, 16) % num_buckets` (`pk_digest_to_hash_bucket_index`).
int32_t HashBucketOfDigest(std::span<const uint8_t, 20> digest, int32_t num_buckets);

/// HashBucketOfDigest for a digest given as its five big-endian words.
int32_t HashBucketOfDigestWords(const Sha1Words& words, int32_t num_buckets);

/// The hash bucket (0 <= bucket < num_buckets) of every row, matching Python DeltaCAT's
/// compactor v2 bucket assignment exactly, so bucket layouts and round completion info written
/// by either implementation stay valid for the other.
///
/// The string form depends on the column type (e.g. a timestamp's unit decides its fraction
/// digits), so cast key columns to the table schema's types first, as the merge kernel does.
///
/// Without merge keys Python assigns each row to a random bucket (a uuid4 "hash"); we assign
/// row i to bucket i mod num_buckets instead (deterministic, balanced; nothing depends on where
/// unkeyed rows land). Errors: num_buckets < 1, unknown key columns, uncastable key types.
Result<std::shared_ptr<arrow::Int32Array>> ComputeHashBuckets(
    const arrow::Table& table, const std::vector<std::string>& merge_keys, int32_t num_buckets);

/// ComputeHashBuckets for one record batch.
Result<std::shared_ptr<arrow::Int32Array>> ComputeHashBuckets(
    const arrow::RecordBatch& batch, const std::vector<std::string>& merge_keys,
    int32_t num_buckets);

/// A stable permutation of rows that groups them by bucket: bucket b's rows, ascending, are
/// permutation[starts[b], starts[b + 1]). `Index` is int32_t or int64_t.
template <typename Index>
struct BucketGroups {
  using IndexArray = typename arrow::CTypeTraits<Index>::ArrayType;

  std::vector<int64_t> starts;
  std::shared_ptr<arrow::Buffer> permutation;

  int64_t count(int32_t bucket) const { return starts[bucket + 1] - starts[bucket]; }

  /// Bucket `bucket`'s rows as an index array viewing the permutation (no copy).
  std::shared_ptr<IndexArray> Rows(int32_t bucket) const {
    constexpr auto kWidth = static_cast<int64_t>(sizeof(Index));
    return std::make_shared<IndexArray>(
        count(bucket),
        arrow::SliceBuffer(permutation, starts[bucket] * kWidth, count(bucket) * kWidth));
  }
};

/// Groups rows by their bucket (`bucket_of[row]`, each below `num_buckets`) in one counting
/// pass.
template <typename Index, typename Bucket>
Result<BucketGroups<Index>> GroupRowsByBucket(std::span<const Bucket> bucket_of,
                                              int32_t num_buckets) {
  const auto rows = static_cast<int64_t>(bucket_of.size());
  BucketGroups<Index> groups;
  groups.starts.assign(static_cast<size_t>(num_buckets) + 1, 0);
  for (const Bucket bucket : bucket_of) ++groups.starts[bucket + 1];
  for (int32_t b = 0; b < num_buckets; ++b) groups.starts[b + 1] += groups.starts[b];
  auto buffer = arrow::AllocateBuffer(rows * static_cast<int64_t>(sizeof(Index)));
  if (!buffer.ok()) return MakeError(ErrorCode::kOutOfMemory, buffer.status().message());
  groups.permutation = std::move(buffer).ValueUnsafe();
  auto* permutation = reinterpret_cast<Index*>(groups.permutation->mutable_data());
  std::vector<int64_t> cursor(groups.starts.begin(), groups.starts.end() - 1);
  for (int64_t row = 0; row < rows; ++row) {
    permutation[cursor[bucket_of[row]]++] = static_cast<Index>(row);
  }
  return groups;
}

/// GroupRowsByBucket for the buckets ComputeHashBuckets returns.
template <typename Index>
Result<BucketGroups<Index>> GroupRowsByBucket(const arrow::Int32Array& buckets,
                                              int32_t num_buckets) {
  return GroupRowsByBucket<Index, int32_t>(
      std::span<const int32_t>(buckets.raw_values(), static_cast<size_t>(buckets.length())),
      num_buckets);
}

/// Splits `table` into `num_buckets` tables (index = bucket; empty tables keep the schema) by
/// ComputeHashBuckets. Rows keep their relative order within each bucket. One O(rows) counting
/// pass and one Take; the per-bucket tables are zero-copy slices of its result.
Result<std::vector<std::shared_ptr<arrow::Table>>> SplitByHashBucket(
    const std::shared_ptr<arrow::Table>& table, const std::vector<std::string>& merge_keys,
    int32_t num_buckets);

}  // namespace deltacat::compute
