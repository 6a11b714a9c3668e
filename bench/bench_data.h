#pragma once

// The benchmarks' generated rows: an int64 key and a handful of typed columns (two strings, a
// double, an int32, a timestamp, a bool), shaped like a typical DeltaCAT table.

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <arrow/api.h>

namespace deltacat::bench {

/// The columns of MakeRows' tables (no DeltaCAT metadata).
inline std::shared_ptr<arrow::Schema> BenchArrowSchema() {
  return arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("name", arrow::utf8()),
                        arrow::field("category", arrow::utf8()),
                        arrow::field("amount", arrow::float64()),
                        arrow::field("quantity", arrow::int32()),
                        arrow::field("updated_at", arrow::timestamp(arrow::TimeUnit::MICRO)),
                        arrow::field("active", arrow::boolean())});
}

/// Rows for `keys` (values depend on the key, `version` and `random`).
inline std::shared_ptr<arrow::Table> MakeRows(const std::vector<int64_t>& keys, int64_t version,
                                              std::mt19937_64& random) {
  static const char* kCategories[] = {"books",  "garden", "toys",   "music", "games",
                                      "sports", "tools",  "beauty", "food",  "office"};
  arrow::Int64Builder pk;
  arrow::StringBuilder name, category;
  arrow::DoubleBuilder amount;
  arrow::Int32Builder quantity;
  arrow::TimestampBuilder updated(arrow::timestamp(arrow::TimeUnit::MICRO),
                                  arrow::default_memory_pool());
  arrow::BooleanBuilder active;
  const auto n = static_cast<int64_t>(keys.size());
  (void)pk.Reserve(n);
  (void)amount.Reserve(n);
  (void)quantity.Reserve(n);
  (void)updated.Reserve(n);
  (void)active.Reserve(n);
  for (int64_t key : keys) {
    const uint64_t r = random();
    (void)pk.Append(key);
    (void)name.Append("customer-" + std::to_string(key) + "-v" + std::to_string(version));
    (void)category.Append(kCategories[r % 10]);
    (void)amount.Append(static_cast<double>(r % 1000000) / 100.0);
    (void)quantity.Append(static_cast<int32_t>(r % 1000));
    (void)updated.Append(1700000000000000 + version * 1000000 + static_cast<int64_t>(r % 1000));
    (void)active.Append((r >> 20) % 2 == 0);
  }
  return arrow::Table::Make(
      BenchArrowSchema(),
      {pk.Finish().ValueOrDie(), name.Finish().ValueOrDie(), category.Finish().ValueOrDie(),
       amount.Finish().ValueOrDie(), quantity.Finish().ValueOrDie(), updated.Finish().ValueOrDie(),
       active.Finish().ValueOrDie()});
}

}  // namespace deltacat::bench
