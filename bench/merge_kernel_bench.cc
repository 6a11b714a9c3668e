// Merge kernel and hash bucketing throughput.
//
//   build/bin/merge_kernel_bench [--benchmark_filter=...]
//
// MergeUpsertsDeletes: a 1M-row compacted base, 10% upserts (half updates, half new keys) and
// 1% deletes by key; items/s counts input rows (base + upserts + deletes). HashBuckets: Python
// DeltaCAT-compatible bucket assignment (SHA-1 of the stringified keys) for 1M rows.
// ResolveBucketWrites: ResolveLastWrites on one hash bucket's keys-only merge in the 10M-row
// compaction benchmark's shape (2.6M int64-key writes in 64Ki-row batches, about half of them
// superseded, 1% deletes), with scatter buffers of 4, 16 (the default) and 64 MiB.

#include <numeric>
#include <random>

#include <arrow/api.h>
#include <benchmark/benchmark.h>

#include "deltacat/compute/hash_bucket.h"
#include "deltacat/compute/last_write_by_key.h"
#include "deltacat/compute/merge_kernel.h"

namespace deltacat::compute {
namespace {

constexpr int64_t kBaseRows = 1'000'000;

std::shared_ptr<arrow::Array> Int64Column(const std::vector<int64_t>& values) {
  arrow::Int64Builder builder;
  (void)builder.AppendValues(values);
  return builder.Finish().ValueOrDie();
}

std::shared_ptr<arrow::Array> StringColumn(const std::vector<int64_t>& keys,
                                           const std::string& prefix) {
  arrow::StringBuilder builder;
  for (int64_t key : keys) (void)builder.Append(prefix + std::to_string(key));
  return builder.Finish().ValueOrDie();
}

std::shared_ptr<arrow::Array> DoubleColumn(size_t n, std::mt19937_64& rng) {
  arrow::DoubleBuilder builder;
  std::uniform_real_distribution<double> dist(0, 1000);
  for (size_t i = 0; i < n; ++i) (void)builder.Append(dist(rng));
  return builder.Finish().ValueOrDie();
}

/// Rows of (pk, name, amount, note) for the given keys; pk is int64 or "key-<n>" strings.
std::shared_ptr<arrow::Table> Rows(const std::vector<int64_t>& keys, bool string_keys,
                                   std::mt19937_64& rng) {
  auto pk = string_keys ? StringColumn(keys, "key-") : Int64Column(keys);
  auto schema = arrow::schema({arrow::field("pk", pk->type()), arrow::field("name", arrow::utf8()),
                               arrow::field("amount", arrow::float64()),
                               arrow::field("version", arrow::int64())});
  std::vector<int64_t> versions(keys.size());
  std::iota(versions.begin(), versions.end(), 0);
  return arrow::Table::Make(schema, {pk, StringColumn(keys, "customer number "),
                                     DoubleColumn(keys.size(), rng), Int64Column(versions)});
}

struct Workload {
  MergeInput input;
  MergeOptions options;
  int64_t input_rows = 0;
};

Workload MakeWorkload(bool string_keys) {
  std::mt19937_64 rng(42);
  std::vector<int64_t> base_keys(kBaseRows);
  std::iota(base_keys.begin(), base_keys.end(), 0);
  std::shuffle(base_keys.begin(), base_keys.end(), rng);
  std::vector<int64_t> upsert_keys;
  for (int64_t i = 0; i < kBaseRows / 10; ++i) {
    // Half update existing keys, half insert new ones.
    upsert_keys.push_back(i % 2 == 0 ? static_cast<int64_t>(rng() % kBaseRows) : kBaseRows + i);
  }
  std::vector<int64_t> delete_keys;
  for (int64_t i = 0; i < kBaseRows / 100; ++i) {
    delete_keys.push_back(static_cast<int64_t>(rng() % kBaseRows));
  }
  Workload workload;
  MergeSlice base;
  base.stream_position = 1;
  base.table = Rows(base_keys, string_keys, rng);
  base.compacted = true;
  MergeSlice upserts;
  upserts.stream_position = 2;
  upserts.table = Rows(upsert_keys, string_keys, rng);
  MergeSlice deletes;
  deletes.stream_position = 3;
  deletes.kind = SliceKind::kDelete;
  auto pk = string_keys ? StringColumn(delete_keys, "key-") : Int64Column(delete_keys);
  deletes.table = arrow::Table::Make(arrow::schema({arrow::field("pk", pk->type())}), {pk});
  workload.options.output_schema = base.table->schema();
  workload.options.merge_keys = {"pk"};
  workload.input_rows =
      base.table->num_rows() + upserts.table->num_rows() + deletes.table->num_rows();
  workload.input.slices = {base, upserts, deletes};
  return workload;
}

void MergeUpsertsDeletes(benchmark::State& state) {
  const Workload workload = MakeWorkload(/*string_keys=*/state.range(0) != 0);
  int64_t output_rows = 0;
  for (auto _ : state) {
    auto merged = MergeSlices(workload.input, workload.options);
    if (!merged.ok()) {
      state.SkipWithError(merged.status().ToString().c_str());
      return;
    }
    output_rows = merged->table->num_rows();
    benchmark::DoNotOptimize(merged->table);
  }
  state.SetItemsProcessed(state.iterations() * workload.input_rows);
  state.counters["output_rows"] = static_cast<double>(output_rows);
}
BENCHMARK(MergeUpsertsDeletes)
    ->ArgName("string_keys")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

void HashBuckets(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> keys(kBaseRows);
  std::iota(keys.begin(), keys.end(), 0);
  const auto table = Rows(keys, /*string_keys=*/state.range(0) != 0, rng);
  for (auto _ : state) {
    auto buckets = ComputeHashBuckets(*table, {"pk"}, 8);
    if (!buckets.ok()) {
      state.SkipWithError(buckets.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(*buckets);
  }
  state.SetItemsProcessed(state.iterations() * table->num_rows());
}
BENCHMARK(HashBuckets)->ArgName("string_keys")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void SplitIntoBuckets(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> keys(kBaseRows);
  std::iota(keys.begin(), keys.end(), 0);
  const auto table = Rows(keys, /*string_keys=*/false, rng);
  for (auto _ : state) {
    auto split = SplitByHashBucket(table, {"pk"}, 8);
    if (!split.ok()) {
      state.SkipWithError(split.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(*split);
  }
  state.SetItemsProcessed(state.iterations() * table->num_rows());
}
BENCHMARK(SplitIntoBuckets)->Unit(benchmark::kMillisecond);

void ResolveBucketWrites(benchmark::State& state) {
  constexpr int64_t kWrites = 2'600'000;
  constexpr int64_t kBatchRows = 64 * 1024;
  constexpr int64_t kDistinctKeys = kWrites / 2;
  std::mt19937_64 rng(11);
  std::vector<EncodedRows> encoded;
  std::vector<bool> deletes;
  for (int64_t done = 0; done < kWrites; done += kBatchRows) {
    const int64_t n = std::min(kBatchRows, kWrites - done);
    const bool is_delete = encoded.size() % 50 == 49;
    std::vector<int64_t> keys(static_cast<size_t>(is_delete ? n / 2 : n));
    for (auto& key : keys) key = static_cast<int64_t>(rng() % kDistinctKeys);
    auto rows = EncodedRows::Encode({Int64Column(keys)}, static_cast<int64_t>(keys.size()));
    if (!rows.ok()) {
      state.SkipWithError(rows.status().ToString().c_str());
      return;
    }
    encoded.push_back(std::move(*rows));
    deletes.push_back(is_delete);
  }
  std::vector<KeyWriteBatch> batches;
  int64_t total_rows = 0;
  for (size_t b = 0; b < encoded.size(); ++b) {
    batches.push_back(KeyWriteBatch{&encoded[b], deletes[b], deletes[b] ? 0 : total_rows});
    if (!deletes[b]) total_rows += encoded[b].num_rows();
  }
  int64_t live = 0;
  for (auto _ : state) {
    auto resolved =
        ResolveLastWrites(batches, total_rows, /*inline_key_bytes=*/9, state.range(0) << 20);
    if (!resolved.ok()) {
      state.SkipWithError(resolved.status().ToString().c_str());
      return;
    }
    live = resolved->live_rows;
    benchmark::DoNotOptimize(resolved->wins);
  }
  state.SetItemsProcessed(state.iterations() * kWrites);
  state.counters["live_rows"] = static_cast<double>(live);
}
BENCHMARK(ResolveBucketWrites)
    ->ArgName("scatter_mib")
    ->Arg(4)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace deltacat::compute

BENCHMARK_MAIN();
