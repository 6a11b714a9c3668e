#pragma once

// Helpers for the compute tests: tables from JSON columns, rows as comparable strings, and
// running a merge through hash buckets.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <arrow/api.h>
#include <arrow/ipc/json_simple.h>
#include <gtest/gtest.h>

#include "deltacat/compute/hash_bucket.h"
#include "deltacat/compute/merge_kernel.h"

namespace deltacat::compute::testing {

/// One column: name, type and values as a JSON array (Arrow's simple JSON format).
struct Col {
  std::string name;
  std::shared_ptr<arrow::DataType> type;
  std::string json;
};

inline std::shared_ptr<arrow::Array> ArrayOf(const std::shared_ptr<arrow::DataType>& type,
                                             const std::string& json) {
  auto array = arrow::ipc::internal::json::ArrayFromJSON(type, json);
  EXPECT_TRUE(array.ok()) << array.status().ToString() << " for " << json;
  return array.ValueOrDie();
}

inline std::shared_ptr<arrow::Table> TableOf(const std::vector<Col>& cols) {
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<std::shared_ptr<arrow::Array>> arrays;
  for (const auto& col : cols) {
    fields.push_back(arrow::field(col.name, col.type));
    arrays.push_back(ArrayOf(col.type, col.json));
  }
  return arrow::Table::Make(arrow::schema(fields), arrays);
}

/// Every row as "name=value name=value ..." (scalar ToString; nulls print as "null").
inline std::vector<std::string> RowsOf(const arrow::Table& table) {
  std::vector<std::string> rows;
  const auto combined = table.CombineChunks().ValueOrDie();
  for (int64_t r = 0; r < combined->num_rows(); ++r) {
    std::string row;
    for (int c = 0; c < combined->num_columns(); ++c) {
      if (c > 0) row += ' ';
      auto scalar = combined->column(c)->GetScalar(r).ValueOrDie();
      row += combined->schema()->field(c)->name() + "=" +
             (scalar->is_valid ? scalar->ToString() : std::string("null"));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

inline std::vector<std::string> SortedRowsOf(const arrow::Table& table) {
  auto rows = RowsOf(table);
  std::sort(rows.begin(), rows.end());
  return rows;
}

inline std::vector<std::string> Sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

inline MergeSlice Upsert(int64_t position, std::shared_ptr<arrow::Table> table) {
  MergeSlice slice;
  slice.stream_position = position;
  slice.kind = SliceKind::kUpsert;
  slice.table = std::move(table);
  return slice;
}

inline MergeSlice Delete(int64_t position, std::shared_ptr<arrow::Table> table,
                         std::vector<std::string> columns = {}) {
  MergeSlice slice;
  slice.stream_position = position;
  slice.kind = SliceKind::kDelete;
  slice.table = std::move(table);
  slice.delete_columns = std::move(columns);
  return slice;
}

/// How MergeThroughBuckets hands a bucket its rows.
enum class BucketRows {
  kCopies,      ///< each bucket's rows copied out into a table of their own
  kSelections,  ///< the whole slice, with a selection of the bucket's rows (read in place)
};

/// Merges `input` after splitting every non-delete slice into `num_buckets` hash buckets (deletes
/// are broadcast to every bucket, as Python's compactor does), then concatenates the buckets.
inline Result<std::shared_ptr<arrow::Table>> MergeThroughBuckets(
    const MergeInput& input, const MergeOptions& options, int32_t num_buckets,
    BucketRows rows = BucketRows::kCopies) {
  std::vector<MergeInput> buckets(static_cast<size_t>(num_buckets));
  for (const auto& slice : input.slices) {
    if (slice.kind == SliceKind::kDelete) {
      for (auto& bucket : buckets) bucket.slices.push_back(slice);
      continue;
    }
    if (rows == BucketRows::kSelections) {
      DC_ASSIGN_OR_RAISE(auto whole, slice.table->CombineChunks());
      DC_ASSIGN_OR_RAISE(auto bucket_of,
                         ComputeHashBuckets(*whole, options.merge_keys, num_buckets));
      DC_ASSIGN_OR_RAISE(auto groups, GroupRowsByBucket<int32_t>(*bucket_of, num_buckets));
      for (int32_t b = 0; b < num_buckets; ++b) {
        MergeSlice piece = slice;
        piece.table = whole;
        piece.selection = groups.Rows(b);
        buckets[b].slices.push_back(std::move(piece));
      }
      continue;
    }
    DC_ASSIGN_OR_RAISE(auto pieces,
                       SplitByHashBucket(slice.table, options.merge_keys, num_buckets));
    for (int32_t b = 0; b < num_buckets; ++b) {
      MergeSlice piece = slice;
      piece.table = pieces[b];
      buckets[b].slices.push_back(std::move(piece));
    }
  }
  std::vector<std::shared_ptr<arrow::Table>> tables;
  for (const auto& bucket : buckets) {
    DC_ASSIGN_OR_RAISE(auto merged, MergeSlices(bucket, options));
    tables.push_back(merged.table);
  }
  DC_ASSIGN_OR_RAISE(auto table, arrow::ConcatenateTables(tables));
  return table;
}

/// The merged rows (sorted), checked to be identical with 1, 3 and 13 hash buckets and without
/// bucketing.
inline std::vector<std::string> MergedRowsAcrossBuckets(const MergeInput& input,
                                                        const MergeOptions& options) {
  auto direct = MergeSlices(input, options);
  EXPECT_TRUE(direct.ok()) << direct.status().ToString();
  if (!direct.ok()) return {};
  const auto expected = SortedRowsOf(*direct->table);
  for (int32_t buckets : {1, 3, 13}) {
    for (BucketRows rows : {BucketRows::kCopies, BucketRows::kSelections}) {
      auto bucketed = MergeThroughBuckets(input, options, buckets, rows);
      EXPECT_TRUE(bucketed.ok()) << bucketed.status().ToString();
      if (!bucketed.ok()) continue;
      EXPECT_TRUE(bucketed.ValueOrDie()->schema()->Equals(*options.output_schema));
      EXPECT_EQ(SortedRowsOf(*bucketed.ValueOrDie()), expected)
          << "with " << buckets << " buckets"
          << (rows == BucketRows::kSelections ? ", read through selections" : "");
    }
  }
  return expected;
}

}  // namespace deltacat::compute::testing
