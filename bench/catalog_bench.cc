// The storage and catalog benchmarks' native side, driven by bench/run_benchmarks.py. Each
// command prints one JSON object on stdout; times exclude process start and data generation.
//
//   catalog_bench commits ROOT --count N [--rows R]
//       N small commits to one table: Catalog::Write APPEND of R rows each (a data file and
//       one transaction), the first one creating the table. Per-commit latency statistics.
//   catalog_bench history ROOT --add N [--per-txn K]
//       Adds N one-row deltas to table bench/history (created on first use), K writes per
//       transaction, so a partition's history can be grown step by step.
//   catalog_bench open-list ROOT [--table T] [--repeat R]
//       With a fresh snapshot each time: open the table (resolve table version "1", its stream
//       and partition) and list the partition's deltas. Best and median of R.
//   catalog_bench write ROOT ARROW_DIR --rows N [--rows-per-file F] [--seed S]
//       Generates N rows (the compaction benchmark's columns), then writes them (a) with Arrow's
//       Parquet writer directly into ARROW_DIR (files of F rows, our writer's settings: the
//       floor) and (b) with Catalog::Write APPEND into table bench/plain (files of F rows).
//   catalog_bench read ROOT [--table NS/T] [--repeat R]
//       Catalog::Read of the whole table, every batch consumed. Best and median of R.
//   catalog_bench filtered-read ROOT [--table NS/T] [--where EXPR] [--repeat R]
//       Catalog::Read with a filter (default "pk < 10000", selective on the table `write`
//       makes: its files hold disjoint pk ranges), every batch consumed, with file pruning by
//       manifest statistics and without (ReadOptions::prune_files). Best and median of R each,
//       and the files the pruned read skipped.
//   catalog_bench files ROOT [--table NS/T]
//       The absolute paths of the data files a read of the table opens.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include "bench_data.h"
#include "deltacat/catalog.h"
#include "deltacat/catalog/filter_expression.h"
#include "deltacat/compute/compaction_input.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/io/data_file_writer.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction_clock.h"
#include "deltacat/util/clock.h"

namespace {

using deltacat::Result;
using deltacat::Status;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int64_t PeakRss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

/// --name value arguments after the command.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> named;
  int64_t Int(const std::string& name, int64_t fallback) const {
    auto it = named.find(name);
    return it == named.end() ? fallback : std::stoll(it->second);
  }
  std::string Str(const std::string& name, const std::string& fallback) const {
    auto it = named.find(name);
    return it == named.end() ? fallback : it->second;
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

int Fail(const Status& status) {
  std::cerr << status.ToString() << std::endl;
  return 1;
}

/// Best, median and mean of a list of seconds.
struct Summary {
  double best = 0, median = 0, mean = 0, p90 = 0, p99 = 0, max = 0;
};

Summary Summarize(std::vector<double> values) {
  Summary s;
  if (values.empty()) return s;
  double total = 0;
  for (double v : values) total += v;
  std::sort(values.begin(), values.end());
  auto at = [&](double q) {
    return values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))];
  };
  s.best = values.front();
  s.median = at(0.5);
  s.mean = total / static_cast<double>(values.size());
  s.p90 = at(0.9);
  s.p99 = at(0.99);
  s.max = values.back();
  return s;
}

/// A JSON object built key by key.
class Json {
 public:
  Json& Add(const std::string& key, double value) {
    Sep() << '"' << key << "\": " << std::setprecision(9) << value;
    return *this;
  }
  Json& Add(const std::string& key, int64_t value) {
    Sep() << '"' << key << "\": " << value;
    return *this;
  }
  Json& Add(const std::string& key, const std::string& value) {
    Sep() << '"' << key << "\": \"" << value << '"';
    return *this;
  }
  Json& AddRaw(const std::string& key, const std::string& json) {
    Sep() << '"' << key << "\": " << json;
    return *this;
  }
  Json& AddSummary(const std::string& prefix, const Summary& s) {
    return Add(prefix + "_best", s.best)
        .Add(prefix + "_median", s.median)
        .Add(prefix + "_mean", s.mean)
        .Add(prefix + "_p90", s.p90)
        .Add(prefix + "_p99", s.p99)
        .Add(prefix + "_max", s.max);
  }
  std::string str() const { return "{" + out_.str() + "}"; }

 private:
  std::ostringstream& Sep() {
    if (!first_) out_ << ", ";
    first_ = false;
    return out_;
  }
  std::ostringstream out_;
  bool first_ = true;
};

std::shared_ptr<arrow::Table> SmallRows(int64_t first, int64_t rows) {
  arrow::Int64Builder id;
  arrow::StringBuilder value;
  for (int64_t i = 0; i < rows; ++i) {
    (void)id.Append(first + i);
    (void)value.Append("value-" + std::to_string(first + i));
  }
  return arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("value", arrow::utf8())}),
      {id.Finish().ValueOrDie(), value.Finish().ValueOrDie()});
}

/// Table properties for the commit and history benchmarks: read optimization NONE, so that an
/// append neither compacts inline (by default every 100 appended deltas) nor reads the deltas
/// since the last compaction to check that trigger (O(history) per commit, here as in
/// DeltaCAT): they measure commits.
deltacat::Properties CommitOnlyProperties() {
  return {{"read_optimization_level", std::string("none")}};
}

/// Creates namespace "bench" unless it exists.
Status EnsureBenchNamespace(deltacat::Catalog& catalog) {
  DC_ASSIGN_OR_RAISE(bool exists, catalog.NamespaceExists("bench"));
  if (exists) return Status::OK();
  auto created = catalog.CreateNamespace("bench");
  return created.ok() ? Status::OK() : created.status();
}

int Commits(const Args& args) {
  const int64_t count = args.Int("count", 1000);
  const int64_t rows = args.Int("rows", 10);
  auto catalog = deltacat::Catalog::Open(args.positional.at(0));
  if (!catalog.ok()) return Fail(catalog.status());
  if (auto s = EnsureBenchNamespace(**catalog); !s.ok()) return Fail(s);
  const deltacat::TableRef table("bench", "commits");
  std::vector<double> latencies;
  latencies.reserve(static_cast<size_t>(count));
  const auto started = Clock::now();
  for (int64_t i = 0; i < count; ++i) {
    auto data = SmallRows(i * rows, rows);
    deltacat::WriteOptions options;
    options.mode = i == 0 ? deltacat::TableWriteMode::kAuto : deltacat::TableWriteMode::kAppend;
    options.create.table_properties = CommitOnlyProperties();
    const auto t0 = Clock::now();
    auto written = (*catalog)->Write(table, data, options);
    latencies.push_back(Seconds(t0));
    if (!written.ok()) return Fail(written.status());
  }
  const double total = Seconds(started);
  // Growth with history: the first and the last 10% of the commits.
  const auto tenth = std::max<size_t>(1, latencies.size() / 10);
  const Summary first = Summarize({latencies.begin(), latencies.begin() + tenth});
  const Summary last = Summarize({latencies.end() - tenth, latencies.end()});
  Json json;
  json.Add("command", std::string("commits"))
      .Add("commits", count)
      .Add("rows_per_commit", rows)
      .Add("seconds", total)
      .AddSummary("latency", Summarize(latencies))
      .Add("first_tenth_mean", first.mean)
      .Add("last_tenth_mean", last.mean)
      .Add("peak_rss_bytes", PeakRss());
  std::cout << json.str() << std::endl;
  return 0;
}

int History(const Args& args) {
  const int64_t add = args.Int("add", 1000);
  const int64_t per_txn = std::max<int64_t>(1, args.Int("per-txn", 10));
  auto catalog = deltacat::Catalog::Open(args.positional.at(0));
  if (!catalog.ok()) return Fail(catalog.status());
  if (auto s = EnsureBenchNamespace(**catalog); !s.ok()) return Fail(s);
  const deltacat::TableRef table("bench", "history");
  auto exists = (*catalog)->TableExists(table);
  if (!exists.ok()) return Fail(exists.status());
  int64_t written = 0;
  const auto started = Clock::now();
  if (!*exists) {
    deltacat::WriteOptions options;
    options.create.table_properties = CommitOnlyProperties();
    auto created = (*catalog)->Write(table, SmallRows(0, 1), options);
    if (!created.ok()) return Fail(created.status());
    ++written;
  }
  while (written < add) {
    auto txn = (*catalog)->BeginTransaction();
    if (!txn.ok()) return Fail(txn.status());
    for (int64_t i = 0; i < per_txn && written < add; ++i, ++written) {
      deltacat::WriteOptions options;
      options.mode = deltacat::TableWriteMode::kAppend;
      auto w = (*catalog)->Write(table, SmallRows(written, 1), options, txn->get());
      if (!w.ok()) return Fail(w.status());
    }
    if (auto s = (*txn)->Commit(); !s.ok()) return Fail(s);
  }
  Json json;
  json.Add("command", std::string("history"))
      .Add("added", written)
      .Add("seconds", Seconds(started));
  std::cout << json.str() << std::endl;
  return 0;
}

int OpenList(const Args& args) {
  using deltacat::storage::MsgValue;
  const int64_t repeat = std::max<int64_t>(1, args.Int("repeat", 5));
  const std::string table = args.Str("table", "history");
  auto location = deltacat::ResolveUri(args.positional.at(0));
  if (!location.ok()) return Fail(location.status());
  auto clock = std::make_shared<deltacat::storage::TransactionClock>(deltacat::SystemClock());
  std::vector<double> open_times, list_times;
  int64_t deltas = 0, listings = 0;
  for (int64_t r = 0; r < repeat; ++r) {
    const auto t0 = Clock::now();
    auto reader = deltacat::storage::SnapshotReader::AtNow(*location, *clock);
    auto tv = reader.GetTableVersion("bench", table, "1");
    if (!tv.ok()) return Fail(tv.status());
    auto stream = reader.GetStream(*tv);
    if (!stream.ok()) return Fail(stream.status());
    auto partition = reader.FindPartition(*stream, MsgValue());
    if (!partition.ok()) return Fail(partition.status());
    if (!*partition) return Fail(Status(deltacat::ErrorCode::kPartitionNotFound, "no partition"));
    open_times.push_back(Seconds(t0));
    const auto t1 = Clock::now();
    auto listed = reader.ListDeltas(**partition);
    if (!listed.ok()) return Fail(listed.status());
    // Decoding is part of listing (Python returns Delta objects).
    for (const auto& record : *listed) {
      auto delta = deltacat::storage::DecodeDelta(record.doc);
      if (!delta.ok()) return Fail(delta.status());
    }
    list_times.push_back(Seconds(t1));
    deltas = static_cast<int64_t>(listed->size());
    listings = reader.listings();
  }
  Json json;
  json.Add("command", std::string("open-list"))
      .Add("deltas", deltas)
      .Add("fs_listings", listings)
      .AddSummary("open", Summarize(open_times))
      .AddSummary("list", Summarize(list_times));
  std::cout << json.str() << std::endl;
  return 0;
}

Status WriteArrowParquet(const std::shared_ptr<arrow::Table>& table, const std::string& path) {
  // The settings our data file writer uses (io::WriteOptions defaults).
  const deltacat::io::WriteOptions defaults;
  parquet::WriterProperties::Builder properties;
  properties.compression(defaults.parquet_compression)
      ->max_row_group_length(defaults.parquet_row_group_rows)
      ->data_pagesize(defaults.parquet_data_page_bytes);
  parquet::ArrowWriterProperties::Builder arrow_properties;
  arrow_properties.store_schema();
  DC_ASSIGN_OR_RAISE(auto sink, arrow::io::FileOutputStream::Open(path));
  DC_RETURN_NOT_OK(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink,
                                              defaults.parquet_row_group_rows, properties.build(),
                                              arrow_properties.build()));
  return deltacat::FromArrowStatus(sink->Close());
}

int Write(const Args& args) {
  const std::string root = args.positional.at(0);
  const std::string arrow_dir = args.positional.at(1);
  const int64_t rows = args.Int("rows", 10000000);
  const int64_t per_file = args.Int("rows-per-file", 1000000);
  std::mt19937_64 random(static_cast<uint64_t>(args.Int("seed", 42)));
  std::vector<std::shared_ptr<arrow::Table>> files;
  for (int64_t start = 0; start < rows; start += per_file) {
    std::vector<int64_t> keys(static_cast<size_t>(std::min(per_file, rows - start)));
    for (size_t i = 0; i < keys.size(); ++i) keys[i] = start + static_cast<int64_t>(i);
    files.push_back(deltacat::bench::MakeRows(keys, 0, random));
  }
  auto all = arrow::ConcatenateTables(files);
  if (!all.ok()) return Fail(deltacat::FromArrowStatus(all.status()));
  int64_t decoded_bytes = 0;
  for (const auto& file : files) {
    arrow::TableBatchReader batches(*file);
    std::shared_ptr<arrow::RecordBatch> batch;
    while (batches.ReadNext(&batch).ok() && batch != nullptr) {
      decoded_bytes += deltacat::compute::BatchBytes(*batch);
    }
  }

  std::filesystem::create_directories(arrow_dir);
  const auto arrow_started = Clock::now();
  for (size_t i = 0; i < files.size(); ++i) {
    auto status =
        WriteArrowParquet(files[i], arrow_dir + "/part-" + std::to_string(i) + ".parquet");
    if (!status.ok()) return Fail(status);
  }
  const double arrow_seconds = Seconds(arrow_started);

  auto catalog = deltacat::Catalog::Open(root);
  if (!catalog.ok()) return Fail(catalog.status());
  if (auto s = EnsureBenchNamespace(**catalog); !s.ok()) return Fail(s);
  deltacat::WriteOptions options;
  options.max_records_per_file = per_file;
  const auto ours_started = Clock::now();
  auto written = (*catalog)->Write(deltacat::TableRef("bench", "plain"), *all, options);
  if (!written.ok()) return Fail(written.status());
  const double ours_seconds = Seconds(ours_started);
  Json json;
  json.Add("command", std::string("write"))
      .Add("rows", rows)
      .Add("decoded_bytes", decoded_bytes)
      .Add("files", written->file_count)
      .Add("arrow_seconds", arrow_seconds)
      .Add("ours_seconds", ours_seconds)
      .Add("peak_rss_bytes", PeakRss());
  std::cout << json.str() << std::endl;
  return 0;
}

/// Reads every batch of `reader`: the row count; adds the batches' decoded bytes to `*bytes`
/// when given.
deltacat::Result<int64_t> Drain(arrow::RecordBatchReader& reader, int64_t* bytes = nullptr) {
  int64_t rows = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (batch == nullptr) return rows;
    rows += batch->num_rows();
    if (bytes != nullptr) *bytes += deltacat::compute::BatchBytes(*batch);
  }
}

int Read(const Args& args) {
  const int64_t repeat = std::max<int64_t>(1, args.Int("repeat", 3));
  const deltacat::TableRef table(args.Str("table", "bench/plain"));
  std::vector<double> times;
  int64_t rows = 0, bytes = 0;
  for (int64_t r = 0; r < repeat; ++r) {
    const auto started = Clock::now();
    auto catalog = deltacat::Catalog::Open(args.positional.at(0));
    if (!catalog.ok()) return Fail(catalog.status());
    auto reader = (*catalog)->Read(table);
    if (!reader.ok()) return Fail(reader.status());
    bytes = 0;
    auto drained = Drain(**reader, &bytes);
    if (!drained.ok()) return Fail(drained.status());
    rows = *drained;
    times.push_back(Seconds(started));
  }
  Json json;
  json.Add("command", std::string("read"))
      .Add("table", table.ns + "/" + table.name)
      .Add("rows", rows)
      .Add("decoded_bytes", bytes)
      .AddSummary("seconds", Summarize(times))
      .Add("peak_rss_bytes", PeakRss());
  std::cout << json.str() << std::endl;
  return 0;
}

int FilteredRead(const Args& args) {
  const int64_t repeat = std::max<int64_t>(1, args.Int("repeat", 3));
  const deltacat::TableRef table(args.Str("table", "bench/plain"));
  const std::string where = args.Str("where", "pk < 10000");
  auto filter = deltacat::ParseFilterExpression(where);
  if (!filter.ok()) return Fail(filter.status());
  Json json;
  json.Add("command", std::string("filtered-read"))
      .Add("table", table.ns + "/" + table.name)
      .Add("where", where);
  std::vector<double> medians;
  for (const bool prune : {true, false}) {
    std::vector<double> times;
    int64_t rows = 0;
    deltacat::ReadStatistics stats;
    for (int64_t r = 0; r < repeat; ++r) {
      const auto started = Clock::now();
      auto catalog = deltacat::Catalog::Open(args.positional.at(0));
      if (!catalog.ok()) return Fail(catalog.status());
      deltacat::ReadOptions options;
      options.filter = *filter;
      options.prune_files = prune;
      options.statistics = &stats;
      auto reader = (*catalog)->Read(table, options);
      if (!reader.ok()) return Fail(reader.status());
      auto drained = Drain(**reader);
      if (!drained.ok()) return Fail(drained.status());
      rows = *drained;
      times.push_back(Seconds(started));
    }
    const std::string prefix = prune ? "pruned_" : "unpruned_";
    const auto summary = Summarize(times);
    json.Add(prefix + "rows", rows)
        .Add(prefix + "files_total", stats.files_total)
        .Add(prefix + "files_pruned", stats.files_pruned)
        .AddSummary(prefix + "seconds", summary);
    medians.push_back(summary.median);
  }
  json.Add("unpruned_over_pruned", medians[0] > 0 ? medians[1] / medians[0] : 0.0)
      .Add("peak_rss_bytes", PeakRss());
  std::cout << json.str() << std::endl;
  return 0;
}

int Files(const Args& args) {
  using deltacat::storage::MsgValue;
  const deltacat::TableRef table(args.Str("table", "bench/plain"));
  auto location = deltacat::ResolveUri(args.positional.at(0));
  if (!location.ok()) return Fail(location.status());
  auto clock = std::make_shared<deltacat::storage::TransactionClock>(deltacat::SystemClock());
  auto reader = deltacat::storage::SnapshotReader::AtNow(*location, *clock);
  auto tv = reader.GetTableVersion(table.ns, table.name, "1");
  if (!tv.ok()) return Fail(tv.status());
  auto stream = reader.GetStream(*tv);
  if (!stream.ok()) return Fail(stream.status());
  auto partition = reader.FindPartition(*stream, MsgValue());
  if (!partition.ok()) return Fail(partition.status());
  if (!*partition) return Fail(Status(deltacat::ErrorCode::kPartitionNotFound, "no partition"));
  auto deltas = reader.ListDeltas(**partition);
  if (!deltas.ok()) return Fail(deltas.status());
  std::string list = "[";
  for (const auto& record : *deltas) {
    auto delta = deltacat::storage::DecodeDelta(record.doc);
    if (!delta.ok()) return Fail(delta.status());
    if (!delta->manifest || !delta->manifest->entries) continue;
    for (const auto& entry : *delta->manifest->entries) {
      std::string url = entry.Location();
      if (!url.empty() && url[0] != '/' && url.find("://") == std::string::npos) {
        url = location->root + "/" + url;
      }
      if (list.size() > 1) list += ", ";
      list += "\"" + url + "\"";
    }
  }
  list += "]";
  Json json;
  json.Add("command", std::string("files")).AddRaw("files", list);
  std::cout << json.str() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: catalog_bench commits|history|open-list|write|read|files ROOT [...]"
              << std::endl;
    return 2;
  }
  const std::string command = argv[1];
  const Args args = Parse(argc, argv);
  if (command == "commits") return Commits(args);
  if (command == "history") return History(args);
  if (command == "open-list") return OpenList(args);
  if (command == "write") return Write(args);
  if (command == "read") return Read(args);
  if (command == "filtered-read") return FilteredRead(args);
  if (command == "files") return Files(args);
  std::cerr << "unknown command " << command << std::endl;
  return 2;
}
