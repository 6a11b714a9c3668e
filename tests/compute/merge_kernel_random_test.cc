// Randomized differential test: the merge kernel against a simple, obviously correct reference
// model (std::map from key to row, or a row list without keys) over seeded random streams of
// full and partial upserts, deletes by key, by value and by tuple, compacted bases, sort keys,
// null keys and defaults. Exact output order is compared, and every stream is also merged
// through 3 and 13 hash buckets.

#include <map>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#include "compute_test_util.h"
#include "deltacat/compute/merge_kernel.h"
#include "support/sweep_stride.h"

namespace deltacat::compute {
namespace {

// Columns: pk (int64), pk2 (utf8), a (utf8), b (int64), sk (int64). Index = column number.
constexpr int kColumns = 5;
const char* const kNames[kColumns] = {"pk", "pk2", "a", "b", "sk"};
bool IsIntColumn(int c) { return c == 0 || c == 3 || c == 4; }

/// A cell: null, or the value as text (ints as decimal text; ordering handled separately).
using Cell = std::optional<std::string>;
using Row = std::array<Cell, kColumns>;

struct Config {
  std::vector<int> merge_keys;  // column numbers
  bool drop_duplicates = true;
  bool sort_by_sk = false;
  bool sk_descending = false;
  std::optional<int64_t> default_b;
};

struct Slice {
  int64_t position = 0;
  SliceKind kind = SliceKind::kUpsert;
  bool compacted = false;
  std::vector<int> columns;           // upsert: provided columns; delete: delete columns
  bool via_provided_columns = false;  // upsert: table has every column, provided_columns subset
  std::vector<Row> rows;              // values of `columns` (others unset)
};

// --- Reference model --------------------------------------------------------------------

struct ModelRow {
  Row values;
  std::pair<size_t, size_t> order;  // (slice, row) of the winning write
  int epoch = 0;
};

Cell DefaultOf(const Config& config, int column) {
  if (column == 3 && config.default_b.has_value()) return std::to_string(*config.default_b);
  return std::nullopt;
}

/// Arrow sort order with nulls last in both directions; true when `candidate` sorts at or after
/// `current` (so it wins).
bool SortsAtOrAfter(const Cell& candidate, const Cell& current, bool descending) {
  if (!candidate.has_value()) return true;
  if (!current.has_value()) return false;
  const int64_t x = std::stoll(*candidate);
  const int64_t y = std::stoll(*current);
  return descending ? x <= y : x >= y;
}

std::vector<Row> ReferenceMerge(const Config& config, const std::vector<Slice>& slices) {
  const bool keyed = !config.merge_keys.empty() && config.drop_duplicates;
  std::map<std::vector<Cell>, ModelRow> live;  // keyed
  std::vector<std::optional<ModelRow>> all;    // unkeyed, in arrival order
  int epoch = 0;
  for (size_t s = 0; s < slices.size(); ++s) {
    const Slice& slice = slices[s];
    if (slice.kind == SliceKind::kDelete) {
      std::set<std::vector<Cell>> doomed;
      for (const Row& row : slice.rows) {
        std::vector<Cell> tuple;
        for (int c : slice.columns) tuple.push_back(row[c]);
        doomed.insert(tuple);
      }
      auto matches = [&](const Row& values) {
        std::vector<Cell> tuple;
        for (int c : slice.columns) tuple.push_back(values[c]);
        return doomed.count(tuple) > 0;
      };
      for (auto it = live.begin(); it != live.end();) {
        it = matches(it->second.values) ? live.erase(it) : std::next(it);
      }
      for (auto& row : all) {
        if (row.has_value() && matches(row->values)) row.reset();
      }
      ++epoch;
      continue;
    }
    for (size_t r = 0; r < slice.rows.size(); ++r) {
      Row written;
      for (int c = 0; c < kColumns; ++c) written[c] = DefaultOf(config, c);
      for (int c : slice.columns) written[c] = slice.rows[r][c];
      if (!keyed) {
        all.push_back(ModelRow{written, {s, r}, epoch});
        continue;
      }
      std::vector<Cell> key;
      for (int c : config.merge_keys) key.push_back(slice.rows[r][c]);
      auto it = live.find(key);
      if (it == live.end()) {
        live.emplace(key, ModelRow{written, {s, r}, epoch});
        continue;
      }
      ModelRow& current = it->second;
      if (config.sort_by_sk && current.epoch == epoch &&
          !SortsAtOrAfter(written[4], current.values[4], config.sk_descending)) {
        continue;
      }
      for (int c : slice.columns) current.values[c] = slice.rows[r][c];
      current.order = {s, r};
      current.epoch = epoch;
    }
    if (slice.compacted) ++epoch;
  }
  std::vector<const ModelRow*> rows;
  for (const auto& [key, row] : live) rows.push_back(&row);
  for (const auto& row : all) {
    if (row.has_value()) rows.push_back(&*row);
  }
  std::sort(rows.begin(), rows.end(),
            [](const ModelRow* x, const ModelRow* y) { return x->order < y->order; });
  std::vector<Row> out;
  for (const ModelRow* row : rows) out.push_back(row->values);
  return out;
}

std::string RowText(const Row& row) {
  std::string text;
  for (int c = 0; c < kColumns; ++c) {
    if (c > 0) text += ' ';
    text += std::string(kNames[c]) + "=" + (row[c].has_value() ? *row[c] : "null");
  }
  return text;
}

// --- Random streams -------------------------------------------------------------------------

class RandomStream {
 public:
  explicit RandomStream(uint32_t seed) : rng_(seed) {}

  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Pick(100) < percent; }

  Cell Value(int column) {
    if (Chance(column <= 1 ? 10 : 20)) return std::nullopt;
    switch (column) {
      case 0: return std::to_string(Pick(6));
      case 1: return std::string(1, "xy"[Pick(2)]);
      case 2: return std::string(1, "pqr"[Pick(3)]);
      default: return std::to_string(Pick(4));
    }
  }

  Config MakeConfig() {
    Config config;
    switch (Pick(4)) {
      case 0: break;  // no merge keys
      case 1:
      case 2: config.merge_keys = {0}; break;
      default: config.merge_keys = {0, 1};
    }
    config.drop_duplicates = !Chance(20);
    config.sort_by_sk = Chance(40);
    config.sk_descending = Chance(50);
    if (Chance(30)) config.default_b = 42;
    return config;
  }

  std::vector<Slice> MakeSlices(const Config& config) {
    std::vector<Slice> slices;
    const int count = 1 + Pick(9);
    int64_t position = 1;
    for (int i = 0; i < count; ++i) {
      Slice slice;
      if (!Chance(30)) ++position;  // sometimes several slices (files) share a position
      slice.position = position;
      if (i > 0 && Chance(30)) {
        slice.kind = SliceKind::kDelete;
        switch (Pick(4)) {
          case 0:
            slice.columns = config.merge_keys.empty() ? std::vector<int>{0} : config.merge_keys;
            break;
          case 1: slice.columns = {2}; break;
          case 2: slice.columns = {2, 3}; break;
          default: slice.columns = {3, 0};
        }
      } else {
        slice.kind = Chance(50) ? SliceKind::kUpsert : SliceKind::kAppend;
        slice.compacted = i == 0 && Chance(50);
        slice.columns = config.merge_keys;
        for (int c = 0; c < kColumns; ++c) {
          const bool is_key = std::find(config.merge_keys.begin(), config.merge_keys.end(), c) !=
                              config.merge_keys.end();
          if (!is_key && (Chance(75) || config.merge_keys.empty())) slice.columns.push_back(c);
        }
        std::sort(slice.columns.begin(), slice.columns.end());
        slice.via_provided_columns = Chance(30);
      }
      const int rows = Pick(slice.kind == SliceKind::kDelete ? 4 : 9);
      for (int r = 0; r < rows; ++r) {
        Row row;
        for (int c = 0; c < kColumns; ++c) row[c] = Value(c);
        slice.rows.push_back(row);
      }
      slices.push_back(std::move(slice));
    }
    return slices;
  }

 private:
  std::mt19937_64 rng_;
};

std::shared_ptr<arrow::DataType> TypeOf(int column) {
  return IsIntColumn(column) ? arrow::int64() : arrow::utf8();
}

std::shared_ptr<arrow::Array> ColumnArray(const std::vector<Row>& rows, int column) {
  if (IsIntColumn(column)) {
    arrow::Int64Builder builder;
    for (const Row& row : rows) {
      EXPECT_TRUE((row[column].has_value() ? builder.Append(std::stoll(*row[column]))
                                           : builder.AppendNull())
                      .ok());
    }
    return builder.Finish().ValueOrDie();
  }
  arrow::StringBuilder builder;
  for (const Row& row : rows) {
    EXPECT_TRUE(
        (row[column].has_value() ? builder.Append(*row[column]) : builder.AppendNull()).ok());
  }
  return builder.Finish().ValueOrDie();
}

MergeSlice ToMergeSlice(const Slice& slice) {
  MergeSlice out;
  out.stream_position = slice.position;
  out.kind = slice.kind;
  out.compacted = slice.compacted;
  std::vector<int> table_columns = slice.columns;
  if (slice.kind != SliceKind::kDelete && slice.via_provided_columns) {
    table_columns = {0, 1, 2, 3, 4};  // the unprovided ones hold random junk to be ignored
    std::vector<std::string> provided;
    for (int c : slice.columns) provided.emplace_back(kNames[c]);
    out.provided_columns = provided;
  }
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<std::shared_ptr<arrow::Array>> arrays;
  for (int c : table_columns) {
    fields.push_back(arrow::field(kNames[c], TypeOf(c)));
    arrays.push_back(ColumnArray(slice.rows, c));
  }
  out.table =
      arrow::Table::Make(arrow::schema(fields), arrays, static_cast<int64_t>(slice.rows.size()));
  if (slice.kind == SliceKind::kDelete) {
    for (int c : slice.columns) out.delete_columns.emplace_back(kNames[c]);
  }
  return out;
}

MergeOptions ToOptions(const Config& config) {
  MergeOptions options;
  std::vector<std::shared_ptr<arrow::Field>> fields;
  for (int c = 0; c < kColumns; ++c) fields.push_back(arrow::field(kNames[c], TypeOf(c)));
  options.output_schema = arrow::schema(fields);
  for (int c : config.merge_keys) options.merge_keys.emplace_back(kNames[c]);
  options.drop_duplicates = config.drop_duplicates;
  if (config.sort_by_sk) options.sort_keys = {{"sk", config.sk_descending}};
  if (config.default_b.has_value()) {
    options.column_defaults["b"] = arrow::MakeScalar(*config.default_b);
  }
  return options;
}

TEST(MergeKernelRandom, MatchesReferenceModel) {
  int64_t total_rows = 0;
  const auto stride = static_cast<uint32_t>(::deltacat::testing::SweepStride());
  for (uint32_t seed = 1; seed <= 400; seed += stride) {
    RandomStream random(seed);
    const Config config = random.MakeConfig();
    const std::vector<Slice> slices = random.MakeSlices(config);
    SCOPED_TRACE("seed " + std::to_string(seed));

    std::vector<std::string> expected;
    for (const Row& row : ReferenceMerge(config, slices)) expected.push_back(RowText(row));
    total_rows += static_cast<int64_t>(expected.size());

    MergeInput input;
    for (const Slice& slice : slices) input.slices.push_back(ToMergeSlice(slice));
    MergeOptions options = ToOptions(config);
    auto merged = MergeSlices(input, options);
    ASSERT_TRUE(merged.ok()) << merged.status().ToString();
    ASSERT_EQ(testing::RowsOf(*merged->table), expected);
    EXPECT_EQ(merged->stats.output_rows, static_cast<int64_t>(expected.size()));
    EXPECT_EQ(merged->stats.input_rows - merged->stats.deduped_rows - merged->stats.deleted_rows,
              merged->stats.output_rows);
    // Held writes resolved at once (radix partitions) or applied one by one through the key
    // index: the same rows, order and counts.
    for (const int64_t min_rows : {int64_t{0}, int64_t{1} << 60}) {
      MergeOptions resolution = options;
      resolution.partitioned_resolution_min_rows = min_rows;
      auto other = MergeSlices(input, resolution);
      ASSERT_TRUE(other.ok()) << other.status().ToString();
      ASSERT_EQ(testing::RowsOf(*other->table), expected) << "resolution from " << min_rows;
      EXPECT_EQ(other->stats.deduped_rows, merged->stats.deduped_rows) << min_rows;
      EXPECT_EQ(other->stats.deleted_rows, merged->stats.deleted_rows) << min_rows;
      EXPECT_EQ(other->stats.output_rows, merged->stats.output_rows) << min_rows;
    }
    options.partitioned_resolution_min_rows = 0;  // the bucketed merges below resolve at once

    std::sort(expected.begin(), expected.end());
    for (int32_t buckets : {3, 13}) {
      auto bucketed = testing::MergeThroughBuckets(input, options, buckets);
      ASSERT_TRUE(bucketed.ok()) << bucketed.status().ToString();
      ASSERT_EQ(testing::SortedRowsOf(**bucketed), expected) << buckets << " buckets";
      // The same buckets read in place through row selections: the same rows in the same order.
      auto selected =
          testing::MergeThroughBuckets(input, options, buckets, testing::BucketRows::kSelections);
      ASSERT_TRUE(selected.ok()) << selected.status().ToString();
      ASSERT_EQ(testing::RowsOf(**selected), testing::RowsOf(**bucketed))
          << buckets << " buckets, read through selections";
    }
  }
  EXPECT_GT(total_rows, 400 / stride);  // the streams are not trivially empty
}

}  // namespace
}  // namespace deltacat::compute
