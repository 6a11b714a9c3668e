// The compaction benchmark's native side, driven by bench/compaction_benchmark.py:
//
//   compaction_bench generate ROOT --rows N --increments K [--seed S] [--rows-per-file F]
//       A catalog with one merge-keyed table: a backfill of N rows (int64 key, strings, double,
//       int32, timestamp, bool) and K increments, each an UPSERT delta updating 10% of the live
//       keys and inserting 2% new ones, and a DELETE delta removing 1% of the live keys. Not
//       compacted.
//   compaction_bench update ROOT --fraction P [--seed S]
//       One UPSERT delta updating P of the keys 0..max (the incremental-round input).
//   compaction_bench compact ROOT [--threads T] [--memory-budget SIZE] [--hash-buckets N]
//                              [--memory-spills 0|1] [--late-materialize 0|1]
//       Our compactor over the committed partition, in one transaction. SIZE is bytes or has
//       a unit (268435456, 256MiB, 2GiB). --late-materialize 1 forces late materialization
//       whatever the input size, 0 turns it off (default: the compactor decides).
//   compaction_bench floor ROOT OUT_DIR [--threads T]
//       The floor: Arrow reads every file a compaction of ROOT would read and writes as many
//       rows as the compaction would output (Parquet, same writer settings), nothing else.
//
// Each command prints one JSON object on stdout.

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <arrow/api.h>

#include "../tests/compute/compactor_test_table.h"
#include "bench_data.h"
#include "deltacat/compute/compaction_input.h"
#include "deltacat/compute/compaction_plan.h"
#include "deltacat/compute/executor.h"
#include "deltacat/io/rolling_data_file_writer.h"
#include "deltacat/util/byte_size.h"

namespace {

using deltacat::Result;
using deltacat::Status;
using deltacat::compute::testing::CompactorTestTable;
using deltacat::storage::DeltaType;

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The process's current resident set size (VmRSS), 0 if unknown.
int64_t CurrentRss() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

int64_t PeakRss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

/// Exits with a usage error for `--name value`.
[[noreturn]] void BadArgument(const std::string& name, const std::string& value,
                              const std::string& why) {
  std::cerr << "--" << name << " '" << value << "': " << why << std::endl;
  std::exit(2);
}

/// --name value arguments. Values must parse whole: std::stoll("256MiB") is 256, which once
/// turned a 256 MiB budget into a 256-byte one.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> named;
  int64_t Int(const std::string& name, int64_t fallback) const {
    return Parsed<int64_t>(
        name, fallback,
        [](const std::string& text, size_t* used) { return std::stoll(text, used); },
        "not an integer");
  }
  double Double(const std::string& name, double fallback) const {
    return Parsed<double>(
        name, fallback, [](const std::string& text, size_t* used) { return std::stod(text, used); },
        "not a number");
  }
  /// The value of --name read by `parse` (a std::sto* function), which must use all of it.
  template <typename T, typename Parse>
  T Parsed(const std::string& name, T fallback, Parse parse, const char* what) const {
    auto it = named.find(name);
    if (it == named.end()) return fallback;
    size_t used = 0;
    T value{};
    try {
      value = parse(it->second, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != it->second.size()) BadArgument(name, it->second, what);
    return value;
  }
  /// A byte count: digits with an optional unit ("268435456", "256MiB", "2G").
  int64_t Bytes(const std::string& name, int64_t fallback) const {
    auto it = named.find(name);
    if (it == named.end()) return fallback;
    auto bytes = deltacat::ParseByteSize(it->second);
    if (!bytes.ok()) BadArgument(name, it->second, bytes.status().message());
    return *bytes;
  }
};

Args Parse(int argc, char** argv) {
  Args args;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.starts_with("--") && i + 1 < argc) {
      args.named[arg.substr(2)] = argv[++i];
    } else {
      args.positional.push_back(arg);
    }
  }
  return args;
}

Result<deltacat::storage::Schema> BenchSchema() {
  return deltacat::compute::testing::MakeSchema({
      {"pk", arrow::int64(), true},
      {"name", arrow::utf8()},
      {"category", arrow::utf8()},
      {"amount", arrow::float64()},
      {"quantity", arrow::int32()},
      {"updated_at", arrow::timestamp(arrow::TimeUnit::MICRO)},
      {"active", arrow::boolean()},
  });
}

/// Rows for `keys` (values depend on the key and `version`).
std::shared_ptr<arrow::Table> MakeRows(const std::vector<int64_t>& keys, int64_t version,
                                       std::mt19937_64& random) {
  return deltacat::bench::MakeRows(keys, version, random);
}

std::shared_ptr<arrow::Table> KeysOnly(const std::vector<int64_t>& keys) {
  arrow::Int64Builder pk;
  (void)pk.AppendValues(keys);
  return arrow::Table::Make(arrow::schema({arrow::field("pk", arrow::int64())}),
                            {pk.Finish().ValueOrDie()});
}

/// `keys` cut into tables of at most `per_file` rows.
std::vector<std::shared_ptr<arrow::Table>> Files(const std::vector<int64_t>& keys, int64_t per_file,
                                                 int64_t version, std::mt19937_64& random) {
  std::vector<std::shared_ptr<arrow::Table>> files;
  for (size_t start = 0; start < keys.size(); start += static_cast<size_t>(per_file)) {
    const size_t end = std::min(keys.size(), start + static_cast<size_t>(per_file));
    std::vector<int64_t> part(keys.begin() + static_cast<ptrdiff_t>(start),
                              keys.begin() + static_cast<ptrdiff_t>(end));
    files.push_back(MakeRows(part, version, random));
  }
  return files;
}

int Fail(const Status& status) {
  std::cerr << status.ToString() << std::endl;
  return 1;
}

int Generate(const Args& args) {
  const std::string root = args.positional.at(0);
  const int64_t rows = args.Int("rows", 10000000);
  const int64_t increments = args.Int("increments", 9);
  const int64_t per_file = args.Int("rows-per-file", 1000000);
  std::mt19937_64 random(static_cast<uint64_t>(args.Int("seed", 42)));
  const auto started = Clock::now();
  auto schema = BenchSchema();
  if (!schema.ok()) return Fail(schema.status());
  auto properties = deltacat::storage::MsgValue::Map(
      {{"read_optimization_level", deltacat::storage::MsgValue::String("none")}});
  auto table = CompactorTestTable::Create(root, *schema, "bench", "orders", properties);
  if (!table.ok()) return Fail(table.status());
  std::vector<int64_t> live(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) live[static_cast<size_t>(i)] = i;
  int64_t next_key = rows;
  int64_t written_rows = rows;
  auto status = (*table)->WriteFiles(DeltaType::kUpsert, Files(live, per_file, 0, random));
  if (!status.ok()) return Fail(status);
  for (int64_t k = 1; k <= increments; ++k) {
    std::shuffle(live.begin(), live.end(), random);
    const auto updates = static_cast<size_t>(static_cast<double>(live.size()) * 0.10);
    const auto inserts = static_cast<size_t>(static_cast<double>(rows) * 0.02);
    const auto deletes = static_cast<size_t>(static_cast<double>(live.size()) * 0.01);
    std::vector<int64_t> upsert_keys(live.begin(), live.begin() + static_cast<ptrdiff_t>(updates));
    for (size_t i = 0; i < inserts; ++i) upsert_keys.push_back(next_key++);
    std::shuffle(upsert_keys.begin(), upsert_keys.end(), random);
    written_rows += static_cast<int64_t>(upsert_keys.size());
    status = (*table)->WriteFiles(DeltaType::kUpsert, Files(upsert_keys, per_file, k, random));
    if (!status.ok()) return Fail(status);
    // Delete keys that exist now (never one just inserted: indexes past the updates).
    std::vector<int64_t> delete_keys(live.end() - static_cast<ptrdiff_t>(deletes), live.end());
    live.resize(live.size() - deletes);
    for (int64_t key = next_key - static_cast<int64_t>(inserts); key < next_key; ++key) {
      live.push_back(key);
    }
    status = (*table)->WriteFiles(DeltaType::kDelete, {KeysOnly(delete_keys)});
    if (!status.ok()) return Fail(status);
  }
  std::cout << "{\"command\": \"generate\", \"seconds\": " << Seconds(started)
            << ", \"rows_written\": " << written_rows << ", \"live_rows\": " << live.size()
            << ", \"next_key\": " << next_key << "}" << std::endl;
  return 0;
}

int Update(const Args& args) {
  const std::string root = args.positional.at(0);
  const double fraction = args.Double("fraction", 0.01);
  const int64_t max_key = args.Int("max-key", 10000000);
  std::mt19937_64 random(static_cast<uint64_t>(args.Int("seed", 7)));
  auto table = CompactorTestTable::Open(root, "bench", "orders");
  if (!table.ok()) return Fail(table.status());
  const auto count = static_cast<int64_t>(static_cast<double>(max_key) * fraction);
  std::vector<int64_t> keys;
  std::uniform_int_distribution<int64_t> pick(0, max_key - 1);
  for (int64_t i = 0; i < count; ++i) keys.push_back(pick(random));
  auto status = (*table)->WriteFiles(DeltaType::kUpsert, Files(keys, 1000000, 100, random));
  if (!status.ok()) return Fail(status);
  std::cout << "{\"command\": \"update\", \"rows\": " << count << "}" << std::endl;
  return 0;
}

int Compact(const Args& args) {
  const std::string root = args.positional.at(0);
  auto table = CompactorTestTable::Open(root, "bench", "orders");
  if (!table.ok()) return Fail(table.status());
  const int threads = static_cast<int>(args.Int("threads", 0));
  deltacat::compute::ThreadPoolExecutor executor(
      deltacat::compute::ThreadPoolExecutor::Options{threads, nullptr});
  deltacat::compute::CompactionOptions options;
  options.executor = &executor;
  options.memory_budget_bytes = args.Bytes("memory-budget", 2LL << 30);
  options.allow_in_memory_spills = args.Int("memory-spills", 1) != 0;
  // --late-materialize 1 forces the late path whatever the input size, 0 turns it off; without
  // it the compactor decides by size.
  if (args.named.count("late-materialize")) {
    options.allow_late_materialization = args.Int("late-materialize", 1) != 0;
    options.late_materialization_min_input_bytes = 0;
  }
  if (args.named.count("hash-buckets")) {
    options.hash_buckets = static_cast<int32_t>(args.Int("hash-buckets", 8));
  }
  // What the process holds before compacting (code, Arrow and AWS SDK initialisation): the
  // compactor's own working memory is the peak minus this.
  const int64_t rss_before = CurrentRss();
  const auto started = Clock::now();
  auto result = (*table)->Compact(options);
  if (!result.ok()) return Fail(result.status());
  std::cout << "{\"command\": \"compact\", \"seconds\": " << Seconds(started)
            << ", \"threads\": " << executor.num_threads()
            << ", \"input_rows\": " << result->input_rows
            << ", \"previous_rows_read\": " << result->previous_rows_read
            << ", \"output_rows\": " << result->output_rows
            << ", \"deduped_rows\": " << result->deduped_rows
            << ", \"deleted_rows\": " << result->deleted_rows
            << ", \"files_written\": " << result->files_written
            << ", \"files_copied_by_reference\": " << result->files_copied_by_reference
            << ", \"hash_bucket_tasks\": " << result->hash_bucket_tasks
            << ", \"merge_tasks\": " << result->merge_tasks
            << ", \"max_sub_partitions\": " << result->max_sub_partitions
            << ", \"late_materialized\": " << (result->late_materialized ? "true" : "false")
            << ", \"rss_before_bytes\": " << rss_before << ", \"peak_rss_bytes\": " << PeakRss()
            << "}" << std::endl;
  return 0;
}

/// The files a compaction of the committed partition reads: the previous round's files and
/// every delta after its high watermark (DELETE deltas included; `deletes` gets 1 for theirs).
Result<std::vector<deltacat::compute::CompactionInputFile>> CompactionInputs(
    CompactorTestTable& table, int64_t* previous_rows, std::vector<uint8_t>* deletes = nullptr) {
  DC_ASSIGN_OR_RAISE(auto state, table.Committed());
  std::optional<int64_t> watermark;
  if (state.partition.compaction_round_completion_info) {
    watermark = state.partition.compaction_round_completion_info->SingleHighWatermark();
  }
  std::vector<deltacat::compute::CompactionInputFile> files;
  *previous_rows = 0;
  for (const auto& delta : state.deltas) {
    if (!delta.manifest || !delta.manifest->entries) continue;
    const bool previous = watermark && *delta.locator.stream_position <= *watermark;
    for (const auto& entry : *delta.manifest->entries) {
      files.push_back(deltacat::compute::InputFileOf(table.catalog(), entry));
      if (deletes != nullptr) deletes->push_back(delta.type == DeltaType::kDelete ? 1 : 0);
      if (previous) *previous_rows += entry.meta->record_count.value_or(0);
    }
  }
  return files;
}

int Floor(const Args& args) {
  const std::string root = args.positional.at(0);
  const std::string out_dir = args.positional.at(1);
  auto table = CompactorTestTable::Open(root, "bench", "orders");
  if (!table.ok()) return Fail(table.status());
  int64_t previous_rows = 0;
  std::vector<uint8_t> deletes;
  auto files = CompactionInputs(**table, &previous_rows, &deletes);
  if (!files.ok()) return Fail(files.status());
  const int64_t output_rows = args.Int("output-rows", 0);
  // The output rows are shared among the data files (DELETE files are read, not written).
  int64_t input_rows = 0;
  int64_t data_rows = 0;
  for (size_t i = 0; i < files->size(); ++i) {
    input_rows += (*files)[i].record_count;
    if (deletes[i] == 0) data_rows += (*files)[i].record_count;
  }
  int threads = static_cast<int>(args.Int("threads", 0));
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto schema = BenchSchema();
  if (!schema.ok()) return Fail(schema.status());
  const auto file_schema = schema->arrow()->RemoveMetadata();
  std::filesystem::create_directories(out_dir);
  auto fs = (*table)->catalog().fs;
  std::atomic<size_t> next{0};
  std::atomic<int64_t> rows_read{0}, bytes_read{0}, rows_written{0};
  std::atomic<int64_t> unclaimed{output_rows};
  std::atomic<bool> failed{false};
  const auto started = Clock::now();
  auto worker = [&]() {
    for (size_t i = next++; i < files->size(); i = next++) {
      const auto& file = (*files)[i];
      // This data file's share of the output rows, rounded up; the shares claimed stop at
      // output_rows, so exactly that many rows are written.
      const int64_t share = deletes[i] != 0 || data_rows == 0
                                ? 0
                                : (file.record_count * output_rows + data_rows - 1) / data_rows;
      const int64_t left = unclaimed.fetch_sub(share);
      const int64_t quota = std::clamp<int64_t>(left, 0, share);
      auto reader = deltacat::compute::OpenProjectedFile(*fs, file, schema->arrow());
      if (!reader.ok()) {
        std::cerr << reader.status().ToString() << std::endl;
        failed = true;
        return;
      }
      deltacat::io::RollingLimits limits;
      limits.max_rows_per_file = 4000000;
      auto writer = deltacat::io::RollingDataFileWriter::Open(
          fs, file_schema, deltacat::ContentType::kParquet, limits,
          [&, i]() -> Result<std::string> {
            return out_dir + "/floor-" + std::to_string(i) + "-" + deltacat::NewUuid4() + ".pq";
          });
      if (!writer.ok()) {
        failed = true;
        return;
      }
      int64_t written = 0;
      while (true) {
        std::shared_ptr<arrow::RecordBatch> batch;
        if (!(*reader)->ReadNext(&batch).ok()) {
          failed = true;
          return;
        }
        if (batch == nullptr) break;
        rows_read += batch->num_rows();
        bytes_read += deltacat::compute::BatchBytes(*batch);
        if (written >= quota || batch->num_columns() != file_schema->num_fields()) continue;
        auto slice = batch->Slice(0, std::min(batch->num_rows(), quota - written));
        auto replaced = slice->ReplaceSchema(file_schema);
        if (!replaced.ok() || !(*writer)->Write(*replaced).ok()) {
          failed = true;
          return;
        }
        written += slice->num_rows();
      }
      if (!(*writer)->Close().ok()) failed = true;
      rows_written += written;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  if (failed) return 1;
  std::cout << "{\"command\": \"floor\", \"seconds\": " << Seconds(started)
            << ", \"threads\": " << threads << ", \"files\": " << files->size()
            << ", \"rows_read\": " << rows_read << ", \"decoded_bytes_read\": " << bytes_read
            << ", \"previous_rows\": " << previous_rows << ", \"rows_written\": " << rows_written
            << ", \"peak_rss_bytes\": " << PeakRss() << "}" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: compaction_bench generate|update|compact|floor ROOT [...]" << std::endl;
    return 2;
  }
  const std::string command = argv[1];
  const Args args = Parse(argc, argv);
  if (command == "generate") return Generate(args);
  if (command == "update") return Update(args);
  if (command == "compact") return Compact(args);
  if (command == "floor") return Floor(args);
  std::cerr << "unknown command " << command << std::endl;
  return 2;
}
