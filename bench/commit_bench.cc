// Storage-layer benchmarks (run: build/bin/commit_bench):
// - SmallCommit: latency of small commits to one table, each appending one delta and moving
//   the partition's stream position (the shape of an APPEND write), 1,000 in a row;
// - AddDeltaCommit: the same with an unordered (ADD) delta that leaves the partition alone;
// - OpenTableAndListDeltas: resolving a table by name through its version, stream and
//   partition, then listing a partition of 10,000 deltas (committed by 1,000 transactions of
//   10 deltas each), with a fresh snapshot every iteration.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction.h"
#include "deltacat/storage/transaction_clock.h"
#include "deltacat/util/clock.h"
#include "deltacat/util/uuid.h"

namespace deltacat::storage {
namespace {

MsgValue Str(const std::string& s) { return MsgValue::String(s); }

MsgValue TableLocator(const std::string& ns, const std::string& table) {
  return MsgValue::Map(
      {{"namespaceLocator", MsgValue::Map({{"namespace", Str(ns)}})}, {"tableName", Str(table)}});
}
MsgValue TableVersionLocator(const std::string& ns, const std::string& table) {
  return MsgValue::Map({{"tableLocator", TableLocator(ns, table)}, {"tableVersion", Str("1")}});
}
MsgValue StreamLocator(const std::string& ns, const std::string& table) {
  return MsgValue::Map({{"tableVersionLocator", TableVersionLocator(ns, table)},
                        {"streamId", Str("stream-1")},
                        {"format", Str("deltacat")}});
}
MsgValue PartitionLocator(const std::string& ns, const std::string& table) {
  return MsgValue::Map({{"streamLocator", StreamLocator(ns, table)},
                        {"partitionValues", MsgValue()},
                        {"partitionId", Str("partition-1")}});
}
MsgValue Scheme() {
  return MsgValue::Map({{"keys", MsgValue()},
                        {"name", Str("unpartitioned_scheme")},
                        {"id", Str(std::string(kUnpartitionedSchemeId))}});
}
MsgValue Delta(const std::string& ns, const std::string& table, int64_t position) {
  MsgArray entries;
  entries.push_back(
      MsgValue::Map({{"url", Str("data/partition-1/" + NewUuid4() + ".pq")},
                     {"meta", MsgValue::Map({{"record_count", MsgValue::Int(100)},
                                             {"content_length", MsgValue::Int(4096)},
                                             {"content_type", Str("application/parquet")}})},
                     {"mandatory", MsgValue::Bool(true)}}));
  return MsgValue::Map(
      {{"deltaLocator", MsgValue::Map({{"partitionLocator", PartitionLocator(ns, table)},
                                       {"streamPosition", MsgValue::Int(position)}})},
       {"type", Str("append")},
       {"meta", MsgValue::Map({{"record_count", MsgValue::Int(100)}})},
       {"properties", MsgValue()},
       {"manifest",
        MsgValue::Map({{"id", Str(NewUuid4())}, {"entries", MsgValue::Array(entries)}})},
       {"previousStreamPosition", MsgValue()}});
}

/// A catalog in a temporary directory holding namespace "bench", table "t" with version 1,
/// its stream and one committed partition.
class BenchCatalog {
 public:
  BenchCatalog() {
    dir_ = std::filesystem::temp_directory_path() / ("deltacat-bench-" + NewUuid4());
    catalog_ = *ResolveUri(dir_.string());
    clock_ = std::make_shared<TransactionClock>(SystemClock());
    auto txn = Begin();
    (void)txn.Create(
        MsgValue::Map({{"namespaceLocator", MsgValue::Map({{"namespace", Str("bench")}})},
                       {"properties", MsgValue()}}));
    (void)txn.Create(MsgValue::Map({{"tableLocator", TableLocator("bench", "t")}}));
    (void)txn.Create(MsgValue::Map({{"tableVersionLocator", TableVersionLocator("bench", "t")},
                                    {"partitionScheme", Scheme()},
                                    {"state", Str("active")}}));
    (void)txn.Create(MsgValue::Map({{"streamLocator", StreamLocator("bench", "t")},
                                    {"partitionScheme", Scheme()},
                                    {"state", Str("committed")}}));
    (void)txn.Create(
        MsgValue::Map({{"partitionLocator", PartitionLocator("bench", "t")},
                       {"state", Str("committed")},
                       {"streamPosition", MsgValue()},
                       {"partitionSchemeId", Str(std::string(kUnpartitionedSchemeId))}}));
    auto committed = txn.Commit();
    if (!committed.ok()) std::abort();
  }
  ~BenchCatalog() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Transaction Begin() {
    TransactionOptions options;
    options.clock = clock_;
    auto txn = Transaction::Begin(catalog_, options);
    if (!txn.ok()) std::abort();
    return std::move(*txn);
  }

  /// One transaction committing `count` deltas from `position` on; `ordered` also moves the
  /// partition's stream position.
  Status CommitDeltas(int64_t position, int64_t count, bool ordered) {
    auto txn = Begin();
    auto& reader = txn.reader();
    DC_ASSIGN_OR_RAISE(auto tv, reader.GetTableVersion("bench", "t", "1"));
    DC_ASSIGN_OR_RAISE(auto stream, reader.GetStream(tv));
    DC_ASSIGN_OR_RAISE(auto partition, reader.FindPartition(stream, MsgValue()));
    if (!partition) return Status(ErrorCode::kPartitionNotFound, "partition");
    for (int64_t i = 0; i < count; ++i) {
      DC_RETURN_NOT_OK(txn.Create(Delta("bench", "t", position + i)));
    }
    if (ordered) {
      MsgValue updated = partition->doc;
      updated.Set("streamPosition", MsgValue::Int(position + count - 1));
      DC_RETURN_NOT_OK(txn.Update(partition->doc, updated));
    }
    return txn.Commit().status();
  }

  SnapshotReader Now() { return SnapshotReader::AtNow(catalog_, *clock_); }

 private:
  std::filesystem::path dir_;
  FileSystemLocation catalog_;
  std::shared_ptr<TransactionClock> clock_;
};

void SmallCommit(benchmark::State& state, bool ordered) {
  BenchCatalog catalog;
  int64_t position = 0;
  for (auto _ : state) {
    Status status = catalog.CommitDeltas(++position, 1, ordered);
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  }
  state.counters["commits"] = static_cast<double>(position);
}

void BM_SmallCommit(benchmark::State& state) { SmallCommit(state, /*ordered=*/true); }
void BM_AddDeltaCommit(benchmark::State& state) { SmallCommit(state, /*ordered=*/false); }
BENCHMARK(BM_SmallCommit)->Iterations(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AddDeltaCommit)->Iterations(1000)->Unit(benchmark::kMillisecond);

void BM_OpenTableAndListDeltas(benchmark::State& state) {
  const auto deltas = state.range(0);
  BenchCatalog catalog;
  constexpr int64_t kPerTransaction = 10;
  for (int64_t position = 1; position <= deltas; position += kPerTransaction) {
    if (!catalog.CommitDeltas(position, kPerTransaction, /*ordered=*/false).ok()) {
      state.SkipWithError("setup commit failed");
      return;
    }
  }
  int64_t listings = 0;
  for (auto _ : state) {
    auto reader = catalog.Now();
    auto tv = reader.GetTableVersion("bench", "t", "1");
    auto stream = reader.GetStream(*tv);
    auto partition = reader.FindPartition(*stream, MsgValue());
    auto listed = reader.ListDeltas(**partition);
    if (!listed.ok() || static_cast<int64_t>(listed->size()) != deltas) {
      state.SkipWithError("listing failed");
      return;
    }
    listings = reader.listings();
    benchmark::DoNotOptimize(listed);
  }
  state.counters["deltas"] = static_cast<double>(deltas);
  state.counters["fs_listings"] = static_cast<double>(listings);
}
BENCHMARK(BM_OpenTableAndListDeltas)->Arg(10000)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace deltacat::storage

BENCHMARK_MAIN();
