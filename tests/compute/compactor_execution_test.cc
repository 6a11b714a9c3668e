// Compactor execution: serializable task specs, determinism across thread counts, bounded
// memory (sub-partitioned merges), schema evolution, crash atomicity with a fault-injecting
// filesystem, and the audit file.

#include "deltacat/compute/compactor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <arrow/filesystem/localfs.h>
#include <nlohmann/json.hpp>

#include "compute/compactor_test_table.h"
#include "compute_test_util.h"
#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/compute/memory_spill.h"
#include "deltacat/compute/merge_task.h"
#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/storage/janitor.h"
#include "support/temp_dir.h"

namespace deltacat::compute {
namespace {

using storage::DeltaType;
using testing::CompactorTestTable;
using testing::MakeSchema;
using testing::RowsOf;
using testing::Sorted;
using testing::SortedRowsOf;
using testing::TableOf;

/// A table of `rows` rows: pk = start .. start+rows-1 (scrambled order), v = prefix + pk.
std::shared_ptr<arrow::Table> Rows(int64_t start, int64_t rows, const std::string& prefix) {
  arrow::Int64Builder pks;
  arrow::StringBuilder values;
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t pk = start + (i * 7919) % rows;
    EXPECT_TRUE(pks.Append(pk).ok());
    EXPECT_TRUE(values.Append(prefix + std::to_string(pk)).ok());
  }
  return arrow::Table::Make(
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("v", arrow::utf8())}),
      {pks.Finish().ValueOrDie(), values.Finish().ValueOrDie()});
}

std::unique_ptr<CompactorTestTable> NewTable(const std::string& root) {
  auto schema = MakeSchema({{"pk", arrow::int64(), true}, {"v", arrow::utf8()}});
  EXPECT_TRUE(schema.ok()) << schema.status();
  auto table = CompactorTestTable::Create(root, *schema);
  EXPECT_TRUE(table.ok()) << table.status();
  return std::move(*table);
}

/// Runs tasks through a thread pool while looking like a remote executor (Ray): the compactor
/// sizes its tasks for workers elsewhere and shares no memory with them.
class RemoteLikeExecutor final : public Executor {
 public:
  explicit RemoteLikeExecutor(ThreadPoolExecutor& pool) : pool_(pool) {}
  Result<std::vector<TaskResult>> Execute(const std::vector<TaskSpec>& tasks) override {
    return pool_.Execute(tasks);
  }
  int parallelism() const override { return pool_.parallelism(); }

 private:
  ThreadPoolExecutor& pool_;
};

/// An uncompacted input: a backfill and a few update/insert/delete deltas.
void WriteInput(CompactorTestTable& table, int64_t rows) {
  ASSERT_TRUE(table.Write(DeltaType::kUpsert, Rows(0, rows, "a"), 3).ok());
  ASSERT_TRUE(table.Write(DeltaType::kUpsert, Rows(rows / 2, rows, "b"), 2).ok());
  ASSERT_TRUE(table.Write(DeltaType::kDelete, Rows(0, rows / 10, "x")).ok());
  ASSERT_TRUE(table.Write(DeltaType::kUpsert, Rows(5, 10, "c")).ok());
}

/// Per bucket, the rows of each output file in order.
std::map<int64_t, std::vector<std::vector<std::string>>> Layout(CompactorTestTable& table) {
  std::map<int64_t, std::vector<std::vector<std::string>>> layout;
  auto state = table.Committed();
  EXPECT_TRUE(state.ok()) << state.status();
  if (!state.ok()) return layout;
  const auto& rci = *state->partition.compaction_round_completion_info;
  const auto& entries = *state->deltas[0].manifest->entries;
  for (const auto& range : *rci.hb_index_to_entry_range) {
    for (int64_t e = range.start; e < range.end; ++e) {
      auto rows = table.ReadFile(entries[e].Location(), state->schema);
      EXPECT_TRUE(rows.ok()) << rows.status();
      layout[range.hash_bucket].push_back(RowsOf(**rows));
    }
  }
  return layout;
}

TEST(CompactorTasks, SpecsRoundTripThroughTheirWireForm) {
  HashBucketTask hb;
  hb.catalog = {"key", "/cat"};
  hb.spill_path_prefix = "/cat/scratch/hb-1";
  hb.files = {CompactionInputFile{"/cat/data/p/f.pq", ContentType::kParquet,
                                  ContentEncoding::kIdentity, 10, 100, 250}};
  hb.schema = std::string("\x00\x01schema", 8);
  hb.merge_keys = {"pk"};
  hb.hash_bucket_count = 13;
  hb.chunk_bytes = 123;
  hb.row_offset = 7;
  hb.keep_spills_in_memory = true;
  hb.stream_reads = true;
  auto hb2 = DeserializeHashBucketTask(SerializeHashBucketTask(hb));
  ASSERT_TRUE(hb2.ok()) << hb2.status();
  EXPECT_EQ(SerializeHashBucketTask(*hb2), SerializeHashBucketTask(hb));
  EXPECT_EQ(hb2->schema, hb.schema);
  EXPECT_EQ(hb2->files[0].estimated_arrow_bytes, 250);
  EXPECT_TRUE(hb2->keep_spills_in_memory);
  EXPECT_TRUE(hb2->stream_reads);

  MergeTask merge;
  merge.catalog = {"", "s3://bucket/cat"};
  merge.hash_bucket = 4;
  merge.merge_keys = {"a", "b"};
  merge.sort_keys = {MergeSortKey{"sk", true}};
  merge.provided_columns = std::vector<std::string>{"a", "b", "v"};
  MergeTaskInput input;
  input.kind = MergeTaskInput::Kind::kDelete;
  input.stream_position = 9;
  input.files = hb.files;
  input.delete_columns = {"v"};
  merge.inputs = {input};
  merge.inputs.push_back(MergeTaskInput{
      MergeTaskInput::Kind::kUpsert, 10, {}, {SpillRun{"/s/hb-0-0.arrow", {0, 3}, 5, 40}}, {}});
  merge.output_row_group_rows = 4096;
  merge.output_data_page_bytes = 65536;
  merge.output_dictionary_page_bytes = 16384;
  merge.stream_reads = true;
  auto merge2 = DeserializeMergeTask(SerializeMergeTask(merge));
  ASSERT_TRUE(merge2.ok()) << merge2.status();
  EXPECT_EQ(SerializeMergeTask(*merge2), SerializeMergeTask(merge));
  EXPECT_EQ(merge2->inputs[1].spills[0].batches, (std::vector<int32_t>{0, 3}));
  EXPECT_EQ(merge2->output_row_group_rows, 4096);
  EXPECT_EQ(merge2->output_data_page_bytes, 65536);
  EXPECT_EQ(merge2->output_dictionary_page_bytes, 16384);
  EXPECT_TRUE(merge2->stream_reads);

  // Malformed payloads are invalid arguments, never crashes.
  EXPECT_EQ(DeserializeMergeTask("\x81\xa1x\x01").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(DeserializeHashBucketTask("garbage").status().code(), ErrorCode::kInvalidArgument);
}

TEST(CompactorExecution, OutputDoesNotDependOnTheThreadCountNorOnWhereSpillsLive) {
  ::deltacat::testing::TempDir dir;
  const std::string base = dir.Child("base");
  auto table = NewTable(base);
  WriteInput(*table, 3000);
  std::optional<std::map<int64_t, std::vector<std::vector<std::string>>>> expected;
  for (bool in_memory : {true, false}) {
    for (int threads : {1, 2, 4}) {
      const std::string name = std::to_string(threads) +
                               (in_memory ? " threads, memory spills" : " threads, spill files");
      const std::string root =
          dir.Child("t" + std::to_string(threads) + (in_memory ? "-memory" : "-files"));
      std::filesystem::copy(base, root, std::filesystem::copy_options::recursive);
      auto copy = CompactorTestTable::Open(root, "ns", "t");
      ASSERT_TRUE(copy.ok());
      ThreadPoolExecutor executor(ThreadPoolExecutor::Options{threads, nullptr});
      CompactionOptions options;
      options.hash_buckets = 5;
      options.records_per_file = 700;
      options.executor = &executor;
      options.allow_in_memory_spills = in_memory;
      auto result = (*copy)->Compact(options);
      ASSERT_TRUE(result.ok()) << result.status();
      // Whichever way the spills went, nothing of them is left behind.
      EXPECT_EQ(MemorySpillStore::Global().bytes(), 0) << name;
      EXPECT_FALSE(std::filesystem::exists(root + "/compute/compactor/scratch") &&
                   !std::filesystem::is_empty(root + "/compute/compactor/scratch"))
          << name;
      auto layout = Layout(**copy);
      if (!expected) {
        expected = layout;
        EXPECT_EQ(layout.size(), 5u);
      } else {
        EXPECT_EQ(layout, *expected) << name;
      }
    }
  }
}

TEST(CompactorExecution, ATaskRegistryOfItsOwnWorksOnceTheKindsAreRegistered) {
  ::deltacat::testing::TempDir dir;
  auto table = NewTable(dir.Child("cat"));
  WriteInput(*table, 100);
  TaskRegistry registry;
  ThreadPoolExecutor executor(ThreadPoolExecutor::Options{2, &registry});
  CompactionOptions options;
  options.executor = &executor;
  // Late materialization runs no tasks: the round must go through the executor's registry.
  options.allow_late_materialization = false;
  auto missing = table->Compact(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidArgument) << missing.status();
  ASSERT_TRUE(RegisterCompactorTasks(registry).ok());
  ASSERT_TRUE(RegisterCompactorTasks(registry).ok());  // idempotent
  auto result = table->Compact(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->committed);
}

TEST(CompactorExecution, BucketsLargerThanTheirBudgetMergeInSubPartitions) {
  ::deltacat::testing::TempDir dir;
  const std::string base = dir.Child("base");
  auto table = NewTable(base);
  WriteInput(*table, 40000);
  std::filesystem::copy(base, dir.Child("small"), std::filesystem::copy_options::recursive);
  CompactionOptions options;
  options.hash_buckets = 2;
  auto unbounded = table->Compact(options);
  ASSERT_TRUE(unbounded.ok()) << unbounded.status();
  EXPECT_EQ(unbounded->max_sub_partitions, 1);

  auto small = CompactorTestTable::Open(dir.Child("small"), "ns", "t");
  ASSERT_TRUE(small.ok());
  // Tasks run by remote workers get at least 1 MiB each, whatever this process holds (in this
  // process, a 2 MiB budget is refused: see RoundMemory below).
  ThreadPoolExecutor pool(ThreadPoolExecutor::Options{2, nullptr});
  RemoteLikeExecutor executor(pool);
  options.executor = &executor;
  options.memory_budget_bytes = 2 << 20;  // 1 MiB per concurrent task
  auto bounded = (*small)->Compact(options);
  ASSERT_TRUE(bounded.ok()) << bounded.status();
  EXPECT_GT(bounded->max_sub_partitions, 1);
  EXPECT_EQ(bounded->output_rows, unbounded->output_rows);
  EXPECT_EQ(bounded->deduped_rows, unbounded->deduped_rows);
  EXPECT_EQ(bounded->deleted_rows, unbounded->deleted_rows);
  auto a = table->ReadCommitted();
  auto b = (*small)->ReadCommitted();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(SortedRowsOf(**a), SortedRowsOf(**b));
  // The scratch directory is gone.
  EXPECT_FALSE(std::filesystem::exists(dir.Child("small") + "/compute/compactor/scratch") &&
               !std::filesystem::is_empty(dir.Child("small") + "/compute/compactor/scratch"));
}

constexpr int64_t kMiB = int64_t{1} << 20;

TEST(RoundMemory, LargeBudgetsKeepEveryThreadAndArrowsDefaultIo) {
  auto memory = PlanRoundMemory(2048 * kMiB, 23 * kMiB, 2, true);
  ASSERT_TRUE(memory.ok()) << memory.status();
  EXPECT_EQ(memory->parallelism, 2);
  EXPECT_EQ(memory->available_bytes, 2025 * kMiB);
  // 3/4 of what is available minus 64 MiB of allocator slack, shared by two tasks.
  EXPECT_EQ(memory->usable_bytes, 2025 * kMiB / 4 * 3 - 64 * kMiB);
  EXPECT_FALSE(memory->io.stream_reads);
  EXPECT_EQ(memory->io.row_group_rows, 1 << 20);
  EXPECT_EQ(memory->io.data_page_bytes, kMiB);
  EXPECT_EQ(memory->io.dictionary_page_bytes, kMiB);
  EXPECT_EQ(memory->task_budget_bytes, memory->usable_bytes / 2 - memory->io.reserve_bytes);
}

TEST(RoundMemory, SmallBudgetsStreamAndRunFewerTasks) {
  auto two = PlanRoundMemory(128 * kMiB, 23 * kMiB, 2, true);
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->parallelism, 2);
  EXPECT_TRUE(two->io.stream_reads);
  EXPECT_LT(two->io.dictionary_page_bytes, kMiB);
  EXPECT_LT(two->io.data_page_bytes, kMiB);
  EXPECT_GE(two->task_budget_bytes, kMinimumTaskBytes);
  EXPECT_LE(two->parallelism * (two->task_budget_bytes + two->io.reserve_bytes), two->usable_bytes);

  // 96 MiB cannot hold two tasks' I/O buffers: one task at a time.
  auto one = PlanRoundMemory(96 * kMiB, 23 * kMiB, 2, true);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->parallelism, 1);
  EXPECT_LE(one->task_budget_bytes + one->io.reserve_bytes, one->usable_bytes);
}

TEST(RoundMemory, BudgetsBelowTheFloorAreRefusedNamingTheSmallestThatWorks) {
  auto refused = PlanRoundMemory(64 * kMiB, 23 * kMiB, 2, true);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kOutOfMemory);
  const std::string message = refused.status().message();
  EXPECT_NE(message.find("64 MiB"), std::string::npos) << message;
  const std::string marker = "the smallest budget that works here is ";
  const auto at = message.find(marker);
  ASSERT_NE(at, std::string::npos) << message;
  const int64_t smallest = std::stoll(message.substr(at + marker.size()));
  EXPECT_GT(smallest, 64);
  EXPECT_TRUE(PlanRoundMemory(smallest * kMiB, 23 * kMiB, 2, true).ok());
  EXPECT_FALSE(PlanRoundMemory((smallest - 1) * kMiB, 23 * kMiB, 2, true).ok());
  // A process already over a small budget.
  EXPECT_FALSE(PlanRoundMemory(16 * kMiB, 23 * kMiB, 1, true).ok());
  // A large process (a Python session holding tables) counts against at most half the
  // budget: the default budget still runs a round with half of it.
  auto large_process = PlanRoundMemory(2048 * kMiB, 3072 * kMiB, 2, true);
  ASSERT_TRUE(large_process.ok()) << large_process.status();
  EXPECT_EQ(large_process->available_bytes, 1024 * kMiB);
  EXPECT_EQ(large_process->parallelism, 2);
  // Remote workers do not share this process's memory: their tasks get at least 1 MiB.
  auto remote = PlanRoundMemory(2 * kMiB, 23 * kMiB, 2, false);
  ASSERT_TRUE(remote.ok()) << remote.status();
  EXPECT_EQ(remote->parallelism, 2);
  EXPECT_GE(remote->task_budget_bytes, kMiB);
}

TEST(CompactorExecution, AnInProcessRoundBelowTheBudgetFloorFailsAndCommitsNothing) {
  ::deltacat::testing::TempDir dir;
  auto table = NewTable(dir.Child("cat"));
  WriteInput(*table, 2000);
  auto before = table->ReadCommitted();
  ASSERT_TRUE(before.ok()) << before.status();
  CompactionOptions options;
  options.hash_buckets = 2;
  options.memory_budget_bytes = 2 * kMiB;
  auto result = table->Compact(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kOutOfMemory) << result.status();
  auto after = table->ReadCommitted();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(SortedRowsOf(**after), SortedRowsOf(**before));
}

TEST(CompactorExecution, S37OlderRowsGetTheNewColumnsPastDefault) {
  ::deltacat::testing::TempDir dir;
  auto table = NewTable(dir.Child("cat"));
  ASSERT_TRUE(table->Write(DeltaType::kUpsert, Rows(0, 6, "a")).ok());
  CompactionOptions options;
  options.hash_buckets = 3;
  ASSERT_TRUE(table->Compact(options).ok());
  auto evolved = MakeSchema({{"pk", arrow::int64(), true},
                             {"v", arrow::utf8()},
                             {"w", arrow::int64(), false, std::nullopt, storage::MsgValue::Int(7)}},
                            1);
  ASSERT_TRUE(evolved.ok()) << evolved.status();
  ASSERT_TRUE(table->EvolveSchema(*evolved).ok());
  ASSERT_TRUE(table
                  ->Write(DeltaType::kUpsert, TableOf({{"pk", arrow::int64(), "[1, 10]"},
                                                       {"v", arrow::utf8(), R"(["new1", "new10"])"},
                                                       {"w", arrow::int64(), "[100, null]"}}))
                  .ok());
  options.disable_copy_by_reference = true;
  auto result = table->Compact(options);
  ASSERT_TRUE(result.ok()) << result.status();
  auto rows = table->ReadCommitted();
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(SortedRowsOf(**rows),
            Sorted({"pk=0 v=a0 w=7", "pk=1 v=new1 w=100", "pk=2 v=a2 w=7", "pk=3 v=a3 w=7",
                    "pk=4 v=a4 w=7", "pk=5 v=a5 w=7", "pk=10 v=new10 w=null"}));
  auto state = table->Committed();
  ASSERT_TRUE(state.ok());
  for (const auto& entry : *state->deltas[0].manifest->entries) {
    EXPECT_EQ(entry.meta->schema_id, 1);
  }
}

TEST(CompactorExecution, WritesPythonsAuditFile) {
  ::deltacat::testing::TempDir dir;
  auto table = NewTable(dir.Child("cat"));
  WriteInput(*table, 200);
  auto result = table->Compact();
  ASSERT_TRUE(result.ok()) << result.status();
  const auto& rci = result->round_completion_info;
  ASSERT_TRUE(rci.compaction_audit_url);
  EXPECT_TRUE(rci.compaction_audit_url->starts_with(dir.Child("cat") + "/compute/compactor/"
                                                                       "compaction-audit/"));
  std::ifstream file(*rci.compaction_audit_url);
  ASSERT_TRUE(file.good()) << *rci.compaction_audit_url;
  std::stringstream text;
  text << file.rdbuf();
  auto audit = nlohmann::json::parse(text.str());
  EXPECT_EQ(audit["compactorVersion"], "V2");
  EXPECT_EQ(audit["hashBucketCount"], 8);
  EXPECT_EQ(audit["outputFileCount"], rci.compacted_pyarrow_write_result->files.value());
  EXPECT_TRUE(audit["auditUrl"].get<std::string>().starts_with("compute/compactor/"));
  EXPECT_EQ(audit["recordsDeleted"], result->deleted_rows);
}

// --- Crash atomicity ----------------------------------------------------------------------

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = NewTable(dir_.Child("cat"));
    WriteInput(*table_, 500);
    ASSERT_TRUE(table_->Compact().ok());
    expected_before_ = Rows();
    ASSERT_TRUE(table_->Write(DeltaType::kUpsert, ::deltacat::compute::Rows(0, 50, "z")).ok());
    auto before = table_->Committed();
    ASSERT_TRUE(before.ok());
    partition_before_ = before->partition_record.id;
    fault_ =
        std::make_shared<FaultInjectionFileSystem>(std::make_shared<arrow::fs::LocalFileSystem>());
    FileSystemLocation faulty = table_->catalog();
    faulty.fs = fault_;
    table_->set_catalog(faulty);
  }

  /// The restart after a crash: the janitor removes what the dead transaction left (its
  /// revision files and seal marker would otherwise conflict with later writers).
  void Restart() {
    fault_->Revive();
    storage::JanitorOptions options;
    options.now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     1'000'000'000LL;
    options.running_timeout_ns = 0;
    options.orphan_timeout_ns = 0;
    auto report = storage::RunJanitor(table_->catalog(), options);
    ASSERT_TRUE(report.ok()) << report.status();
  }

  std::vector<std::string> Rows() {
    auto rows = table_->ReadCommitted();
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? SortedRowsOf(**rows) : std::vector<std::string>{};
  }

  ::deltacat::testing::TempDir dir_;
  std::unique_ptr<CompactorTestTable> table_;
  std::shared_ptr<FaultInjectionFileSystem> fault_;
  std::vector<std::string> expected_before_;
  std::string partition_before_;
};

TEST_F(CrashTest, ACrashBetweenMergeAndCommitLeavesReadersOnTheOldState) {
  // A successful round, on a copy, counts the file creations it makes.
  // Crash at each of the round's file creations (data files, spill files, metafiles, the
  // success log) in turn: readers must see the old partition, or the complete new one once
  // the success log was written.
  fault_->ResetCounts();
  int64_t opens = 0;
  {
    const std::string copy_root = dir_.Child("copy");
    std::filesystem::copy(dir_.Child("cat"), copy_root, std::filesystem::copy_options::recursive);
    auto copy = CompactorTestTable::Open(copy_root, "ns", "t");
    ASSERT_TRUE(copy.ok());
    auto counting =
        std::make_shared<FaultInjectionFileSystem>(std::make_shared<arrow::fs::LocalFileSystem>());
    FileSystemLocation location = (*copy)->catalog();
    location.fs = counting;
    (*copy)->set_catalog(location);
    ASSERT_TRUE((*copy)->Compact().ok());
    opens = counting->count(FsOp::kOpenOutput);
  }
  ASSERT_GT(opens, 5);
  bool saw_new_state = false;
  for (int64_t n = 1; n <= opens; n += std::max<int64_t>(1, opens / 12)) {
    SCOPED_TRACE("crash at file creation " + std::to_string(n) + " of " + std::to_string(opens));
    fault_->CrashAt(FsOp::kOpenOutput, n);
    auto result = table_->Compact();
    Restart();
    auto state = table_->Committed();
    ASSERT_TRUE(state.ok()) << state.status();
    if (result.ok()) {
      saw_new_state = true;
      break;
    }
    EXPECT_EQ(state->partition_record.id, partition_before_);
    EXPECT_EQ(state->deltas.size(), 2u);  // the compacted delta and the pending upsert
  }
  // After the crashes a normal round completes and gives the right rows.
  auto result = table_->Compact();
  if (!saw_new_state) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->committed);
  }
  // Keys 5..14 and 50..749 before; the pending upsert adds 0..49.
  ASSERT_EQ(expected_before_.size(), 710u);
  auto rows = Rows();
  EXPECT_EQ(rows.size(), 750u);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=0 v=z0"), 1);
}

TEST_F(CrashTest, AFailedCommitAfterACompletedMergeChangesNothing) {
  auto txn = table_->Begin();
  ASSERT_TRUE(txn.ok());
  auto objects = table_->Find(txn->reader());
  ASSERT_TRUE(objects.ok());
  auto result = CompactPartition(*txn, objects->table_version, objects->stream, *objects->partition,
                                 CompactionOptions{});
  ASSERT_TRUE(result.ok()) << result.status();
  fault_->CrashNow();  // the process dies before the transaction's success log
  EXPECT_FALSE(txn->Commit().ok());
  Restart();
  auto state = table_->Committed();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->partition_record.id, partition_before_);
  ASSERT_TRUE(state->partition.compaction_round_completion_info);
  // Re-running the round works.
  auto again = table_->Compact();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->committed);
  auto rows = Rows();
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=49 v=z49"), 1);
}

}  // namespace
}  // namespace deltacat::compute
