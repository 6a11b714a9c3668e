// Parquet write and read throughput of the io layer against Arrow's parquet::arrow API used
// directly with the same settings (the floor our wrappers should stay close to).
//
//   build/bin/io_bench --benchmark_counters_tabular=true
//
// Rows/s is the `items_per_second` counter. The table has 1 Mi rows of an int64 key, a
// double, a short string and a timestamp, like a typical DeltaCAT delta.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <arrow/api.h>
#include <arrow/filesystem/localfs.h>
#include <arrow/io/file.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include "deltacat/io/data_file_reader.h"
#include "deltacat/io/data_file_writer.h"

namespace {

constexpr int64_t kRows = int64_t{1} << 20;

std::shared_ptr<arrow::Table> BenchTable() {
  static const std::shared_ptr<arrow::Table> table = [] {
    arrow::Int64Builder ids;
    arrow::DoubleBuilder values;
    arrow::StringBuilder names;
    arrow::TimestampBuilder times(arrow::timestamp(arrow::TimeUnit::MICRO),
                                  arrow::default_memory_pool());
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (int64_t i = 0; i < kRows; ++i) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      (void)ids.Append(i);
      (void)values.Append(static_cast<double>(state % 1000000) / 100.0);
      (void)names.Append("customer-" + std::to_string(state % 50000));
      (void)times.Append(1700000000000000 + static_cast<int64_t>(state % 86400000000ULL));
    }
    auto schema =
        arrow::schema({arrow::field("id", arrow::int64()), arrow::field("value", arrow::float64()),
                       arrow::field("name", arrow::utf8()),
                       arrow::field("at", arrow::timestamp(arrow::TimeUnit::MICRO))});
    return arrow::Table::Make(schema, {ids.Finish().ValueOrDie(), values.Finish().ValueOrDie(),
                                       names.Finish().ValueOrDie(), times.Finish().ValueOrDie()});
  }();
  return table;
}

/// A scratch directory for the benchmark files, removed at exit.
const std::string& ScratchDir() {
  static const std::string dir = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "deltacat-io-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    std::atexit([] { std::filesystem::remove_all(ScratchDir()); });
    return pattern;
  }();
  return dir;
}

/// The writer properties DeltaCAT's defaults amount to (pyarrow's): Snappy, 1 Mi-row row
/// groups, dictionaries, statistics, the Arrow schema stored.
std::shared_ptr<parquet::WriterProperties> FloorWriterProperties() {
  return parquet::WriterProperties::Builder()
      .compression(arrow::Compression::SNAPPY)
      ->max_row_group_length(int64_t{1} << 20)
      ->build();
}

void SetRowCounters(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kRows);
}

void BM_WriteParquet_DeltaCat(benchmark::State& state) {
  const auto table = BenchTable();
  arrow::fs::LocalFileSystem fs;
  const std::string path = ScratchDir() + "/deltacat.parquet";
  deltacat::io::WriteOptions options;
  options.collect_statistics = state.range(0) != 0;
  for (auto _ : state) {
    auto written =
        deltacat::io::WriteDataFile(fs, path, *table, deltacat::ContentType::kParquet, options);
    if (!written.ok()) state.SkipWithError(written.status().ToString().c_str());
  }
  SetRowCounters(state);
}
BENCHMARK(BM_WriteParquet_DeltaCat)
    ->ArgName("stats")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_WriteParquet_ArrowFloor(benchmark::State& state) {
  const auto table = BenchTable();
  const std::string path = ScratchDir() + "/floor.parquet";
  const auto arrow_properties = parquet::ArrowWriterProperties::Builder().store_schema()->build();
  for (auto _ : state) {
    auto sink = arrow::io::FileOutputStream::Open(path).ValueOrDie();
    auto status =
        parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink, int64_t{1} << 20,
                                   FloorWriterProperties(), arrow_properties);
    if (status.ok()) status = sink->Close();
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  }
  SetRowCounters(state);
}
BENCHMARK(BM_WriteParquet_ArrowFloor)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The file both readers read (written once with the DeltaCAT defaults).
const std::string& ReadInput() {
  static const std::string path = [] {
    arrow::fs::LocalFileSystem fs;
    std::string file = ScratchDir() + "/input.parquet";
    auto written =
        deltacat::io::WriteDataFile(fs, file, *BenchTable(), deltacat::ContentType::kParquet);
    if (!written.ok()) std::abort();
    return file;
  }();
  return path;
}

void BM_ReadParquet_DeltaCat(benchmark::State& state) {
  arrow::fs::LocalFileSystem fs;
  const std::string& path = ReadInput();
  for (auto _ : state) {
    auto reader = deltacat::io::OpenDataFile(fs, path, deltacat::ContentType::kParquet,
                                             deltacat::ContentEncoding::kIdentity);
    if (!reader.ok()) {
      state.SkipWithError(reader.status().ToString().c_str());
      break;
    }
    int64_t rows = 0;
    std::shared_ptr<arrow::RecordBatch> batch;
    while ((*reader)->ReadNext(&batch).ok() && batch) rows += batch->num_rows();
    if (rows != kRows) state.SkipWithError("row count mismatch");
  }
  SetRowCounters(state);
}
BENCHMARK(BM_ReadParquet_DeltaCat)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadParquet_ArrowFloor(benchmark::State& state) {
  const std::string& path = ReadInput();
  parquet::ArrowReaderProperties properties;
  properties.set_batch_size(int64_t{64} * 1024);
  properties.set_use_threads(true);
  for (auto _ : state) {
    auto file = arrow::io::ReadableFile::Open(path).ValueOrDie();
    parquet::arrow::FileReaderBuilder builder;
    std::unique_ptr<parquet::arrow::FileReader> reader;
    auto status = builder.Open(file);
    if (status.ok()) status = builder.properties(properties)->Build(&reader);
    std::unique_ptr<arrow::RecordBatchReader> batches;
    if (status.ok()) status = reader->GetRecordBatchReader(&batches);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
    int64_t rows = 0;
    std::shared_ptr<arrow::RecordBatch> batch;
    while (batches->ReadNext(&batch).ok() && batch) rows += batch->num_rows();
    if (rows != kRows) state.SkipWithError("row count mismatch");
  }
  SetRowCounters(state);
}
BENCHMARK(BM_ReadParquet_ArrowFloor)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
