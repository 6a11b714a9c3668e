// Late materialization (late_materialize.h): a round that merges keys only and then reads the
// winning rows writes exactly what the hash-bucket and merge tasks write: the same rows in the
// same order in the same files per bucket, with the same statistics, over random backfill and
// incremental rounds, bucket counts and thread counts; and rounds it cannot do exactly take the
// ordinary path.

#include "deltacat/compute/late_materialize.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <arrow/api.h>

#include "compute/compactor_test_table.h"
#include "compute_test_util.h"
#include "deltacat/compute/compactor.h"
#include "deltacat/compute/memory_spill.h"
#include "deltacat/compute/merge_kernel.h"
#include "support/temp_dir.h"

namespace deltacat::compute {
namespace {

using storage::DeltaType;
using testing::CompactorTestTable;
using testing::MakeSchema;
using testing::RowsOf;

storage::Schema TestSchema() {
  auto schema =
      MakeSchema({{"pk", arrow::int64(), true}, {"v", arrow::utf8()}, {"n", arrow::int64()}});
  EXPECT_TRUE(schema.ok()) << schema.status();
  return *schema;
}

/// `rows` random rows with keys below `max_key` (repeats within the table included); some
/// values are null.
std::shared_ptr<arrow::Table> RandomRows(std::mt19937_64& random, int64_t rows, int64_t max_key,
                                         const std::string& tag) {
  arrow::Int64Builder pks;
  arrow::StringBuilder values;
  arrow::Int64Builder numbers;
  std::uniform_int_distribution<int64_t> key(0, max_key - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t pk = key(random);
    EXPECT_TRUE(pks.Append(pk).ok());
    if (percent(random) < 5) {
      EXPECT_TRUE(values.AppendNull().ok());
    } else {
      EXPECT_TRUE(values.Append(tag + "-" + std::to_string(pk) + "-" + std::to_string(i)).ok());
    }
    if (percent(random) < 5) {
      EXPECT_TRUE(numbers.AppendNull().ok());
    } else {
      EXPECT_TRUE(numbers.Append(static_cast<int64_t>(random() % 1000)).ok());
    }
  }
  return arrow::Table::Make(
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("v", arrow::utf8()),
                     arrow::field("n", arrow::int64())}),
      {pks.Finish().ValueOrDie(), values.Finish().ValueOrDie(), numbers.Finish().ValueOrDie()});
}

/// Random keys to delete (the pk column only).
std::shared_ptr<arrow::Table> RandomDeletes(std::mt19937_64& random, int64_t rows,
                                            int64_t max_key) {
  arrow::Int64Builder pks;
  std::uniform_int_distribution<int64_t> key(0, max_key - 1);
  for (int64_t i = 0; i < rows; ++i) EXPECT_TRUE(pks.Append(key(random)).ok());
  return arrow::Table::Make(arrow::schema({arrow::field("pk", arrow::int64())}),
                            {pks.Finish().ValueOrDie()});
}

/// One delta of a random stream.
struct DeltaSpec {
  DeltaType type;
  std::shared_ptr<arrow::Table> rows;
  int files = 1;
};

std::vector<DeltaSpec> RandomStream(std::mt19937_64& random, int deltas, int64_t max_key,
                                    const std::string& tag) {
  std::vector<DeltaSpec> stream;
  stream.push_back({DeltaType::kUpsert, RandomRows(random, max_key, max_key, tag + "0"), 3});
  for (int d = 1; d < deltas; ++d) {
    const int kind = static_cast<int>(random() % 4);
    if (kind == 0) {
      stream.push_back({DeltaType::kDelete, RandomDeletes(random, max_key / 10, max_key), 1});
    } else if (kind == 1) {
      stream.push_back({DeltaType::kAppend,
                        RandomRows(random, max_key / 5, max_key * 5 / 4, tag + std::to_string(d)),
                        2});
    } else {
      stream.push_back({DeltaType::kUpsert,
                        RandomRows(random, max_key / 3, max_key * 5 / 4, tag + std::to_string(d)),
                        1 + static_cast<int>(random() % 3)});
    }
  }
  return stream;
}

void WriteStream(CompactorTestTable& table, const std::vector<DeltaSpec>& stream) {
  for (const DeltaSpec& delta : stream) {
    ASSERT_TRUE(table.Write(delta.type, delta.rows, delta.files).ok());
  }
}

/// Per bucket, each output file's record count, decoded size and rows in order.
struct OutputFile {
  int64_t records = 0;
  int64_t source_bytes = 0;
  std::vector<std::string> rows;
  bool operator==(const OutputFile&) const = default;
};

void PrintTo(const OutputFile& file, std::ostream* out) {
  *out << "{" << file.records << " records, " << file.source_bytes << " bytes, first row "
       << (file.rows.empty() ? std::string("-") : file.rows.front()) << "}";
}
using Layout = std::map<int64_t, std::vector<OutputFile>>;

Layout LayoutOf(CompactorTestTable& table) {
  Layout layout;
  auto state = table.Committed();
  EXPECT_TRUE(state.ok()) << state.status();
  if (!state.ok()) return layout;
  const auto& rci = *state->partition.compaction_round_completion_info;
  const auto& entries = *state->deltas[0].manifest->entries;
  for (const auto& range : *rci.hb_index_to_entry_range) {
    for (int64_t e = range.start; e < range.end; ++e) {
      auto rows = table.ReadFile(entries[e].Location(), state->schema);
      EXPECT_TRUE(rows.ok()) << rows.status();
      if (!rows.ok()) continue;
      OutputFile file;
      file.records = entries[e].meta->record_count.value_or(-1);
      file.source_bytes = entries[e].meta->source_content_length.value_or(-1);
      file.rows = RowsOf(**rows);
      layout[range.hash_bucket].push_back(std::move(file));
    }
  }
  return layout;
}

/// What the two paths must agree on besides the files.
std::vector<int64_t> Statistics(const CompactionResult& result) {
  const auto& rci = result.round_completion_info;
  return {result.input_rows,
          result.previous_rows_read,
          result.deduped_rows,
          result.deleted_rows,
          result.output_rows,
          result.files_written,
          result.files_copied_by_reference,
          result.hash_bucket_tasks,
          result.merge_tasks,
          static_cast<int64_t>(rci.input_inflation.value_or(-1) * 1e9),
          static_cast<int64_t>(rci.input_average_record_size_bytes.value_or(-1) * 1e6)};
}

struct Round {
  Layout layout;
  std::vector<int64_t> statistics;
  bool late = false;
};

Round CompactCopy(CompactorTestTable& table, int32_t buckets, int threads, bool late,
                  int64_t max_file_bytes) {
  ThreadPoolExecutor executor(ThreadPoolExecutor::Options{threads, nullptr});
  CompactionOptions options;
  options.hash_buckets = buckets;
  options.records_per_file = 250;
  options.max_file_bytes = max_file_bytes;
  options.executor = &executor;
  options.allow_late_materialization = late;
  options.late_materialization_min_input_bytes = 0;  // these rounds are small
  auto result = table.Compact(options);
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return {};
  EXPECT_EQ(MemorySpillStore::Global().bytes(), 0);
  return Round{LayoutOf(table), Statistics(*result), result->late_materialized};
}

TEST(MergeStreamWinners, AreTheRowsFinishReturnsInItsOrder) {
  // Slices of several chunks, with and without selections, and deletes between them.
  std::mt19937_64 random(3);
  MergeOptions options;
  options.output_schema = TestSchema().arrow();
  options.merge_keys = {"pk"};
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<MergeSlice> slices;
    for (int s = 0; s < 6; ++s) {
      if (random() % 4 == 0) {
        slices.push_back(testing::Delete(s, RandomDeletes(random, 10, 60)));
        continue;
      }
      auto rows = RandomRows(random, 40, 60, "s" + std::to_string(s));
      MergeSlice slice = testing::Upsert(s, rows);
      if (random() % 2 == 0) {
        // Two chunks: the kernel sees two record batches.
        auto chunked = arrow::ConcatenateTables({rows->Slice(0, 15), rows->Slice(15)});
        ASSERT_TRUE(chunked.ok());
        slice.table = *chunked;
      } else {
        std::vector<int32_t> picked;
        for (int32_t r = 0; r < 40; ++r) {
          if (random() % 3 != 0) picked.push_back(r);
        }
        arrow::Int32Builder builder;
        ASSERT_TRUE(builder.AppendValues(picked).ok());
        slice.selection = std::static_pointer_cast<arrow::Int32Array>(*builder.Finish());
      }
      slices.push_back(std::move(slice));
    }
    auto expected_stream = MergeStream::Make(options);
    auto winners_stream = MergeStream::Make(options);
    ASSERT_TRUE(expected_stream.ok() && winners_stream.ok());
    for (const MergeSlice& slice : slices) {
      ASSERT_TRUE((*expected_stream)->Add(slice).ok());
      ASSERT_TRUE((*winners_stream)->Add(slice).ok());
    }
    auto expected = (*expected_stream)->FinishTable();
    ASSERT_TRUE(expected.ok()) << expected.status();
    auto winners = (*winners_stream)->FinishWinners();
    ASSERT_TRUE(winners.ok()) << winners.status();
    std::vector<std::string> gathered;
    for (const WinningRows& won : *winners) {
      ASSERT_LT(won.slice, slices.size());
      const auto& table = slices[won.slice].table;
      ASSERT_FALSE(won.rows.empty());
      const auto all = RowsOf(*table);
      for (int64_t row : won.rows) gathered.push_back(all.at(static_cast<size_t>(row)));
    }
    EXPECT_EQ(gathered, RowsOf(**expected)) << "trial " << trial;
  }
}

TEST(LateMaterialization, WritesWhatTheMergeTasksWriteInBackfillAndIncrementalRounds) {
  ::deltacat::testing::TempDir dir;
  const storage::Schema schema = TestSchema();
  int config = 0;
  for (int32_t buckets : {1, 3, 13}) {
    for (int threads : {1, 3}) {
      ++config;
      const std::string name =
          std::to_string(buckets) + " buckets, " + std::to_string(threads) + " threads";
      std::mt19937_64 random(static_cast<uint64_t>(1000 + config));
      const std::vector<DeltaSpec> first = RandomStream(random, 6, 1500, "a");
      const std::vector<DeltaSpec> second = RandomStream(random, 4, 1500, "b");
      // Byte-limited files in some configurations (the limit looks at the written batches).
      const int64_t max_file_bytes = threads == 3 ? 7000 : int64_t{1} << 30;
      std::map<bool, std::vector<Round>> rounds;
      for (bool late : {true, false}) {
        const std::string root =
            dir.Child("c" + std::to_string(config) + (late ? "-late" : "-tasks"));
        auto table = CompactorTestTable::Create(root, schema);
        ASSERT_TRUE(table.ok()) << table.status();
        WriteStream(**table, first);
        rounds[late].push_back(CompactCopy(**table, buckets, threads, late, max_file_bytes));
        // The incremental round: the previous round's files of every touched bucket are input.
        WriteStream(**table, second);
        rounds[late].push_back(CompactCopy(**table, buckets, threads, late, max_file_bytes));
      }
      for (size_t r = 0; r < 2; ++r) {
        const std::string round = name + (r == 0 ? ", backfill" : ", incremental");
        EXPECT_TRUE(rounds[true][r].late) << round;
        EXPECT_FALSE(rounds[false][r].late) << round;
        EXPECT_FALSE(rounds[true][r].layout.empty()) << round;
        EXPECT_EQ(rounds[true][r].layout, rounds[false][r].layout) << round;
        EXPECT_EQ(rounds[true][r].statistics, rounds[false][r].statistics) << round;
      }
    }
  }
}

TEST(LateMaterialization, RoundsItCannotDoExactlyTakeTheOrdinaryPath) {
  ::deltacat::testing::TempDir dir;
  std::mt19937_64 random(5);
  {
    // A delete by a column that is not a merge key.
    auto table = CompactorTestTable::Create(dir.Child("by-value"), TestSchema());
    ASSERT_TRUE(table.ok());
    ASSERT_TRUE((*table)->Write(DeltaType::kUpsert, RandomRows(random, 500, 400, "a"), 2).ok());
    auto deletes = RandomRows(random, 20, 400, "x")->SelectColumns({2});
    ASSERT_TRUE(deletes.ok());
    ASSERT_TRUE((*table)->Write(DeltaType::kDelete, *deletes, 1, {"n"}).ok());
    CompactionOptions options;
    options.hash_buckets = 3;
    options.late_materialization_min_input_bytes = 0;
    auto result = (*table)->Compact(options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->late_materialized);
    EXPECT_GT(result->deleted_rows, 0);
  }
  {
    // A file written before a column was added is a partial upsert to the merge kernel.
    auto narrow = MakeSchema({{"pk", arrow::int64(), true}, {"v", arrow::utf8()}});
    ASSERT_TRUE(narrow.ok());
    auto table = CompactorTestTable::Create(dir.Child("evolved"), *narrow);
    ASSERT_TRUE(table.ok());
    auto rows = RandomRows(random, 300, 200, "a")->SelectColumns({0, 1});
    ASSERT_TRUE(rows.ok());
    ASSERT_TRUE((*table)->Write(DeltaType::kUpsert, *rows).ok());
    auto wide =
        MakeSchema({{"pk", arrow::int64(), true}, {"v", arrow::utf8()}, {"n", arrow::int64()}}, 1);
    ASSERT_TRUE(wide.ok());
    ASSERT_TRUE((*table)->EvolveSchema(*wide).ok());
    ASSERT_TRUE((*table)->Write(DeltaType::kUpsert, RandomRows(random, 100, 200, "b")).ok());
    CompactionOptions options;
    options.hash_buckets = 3;
    options.late_materialization_min_input_bytes = 0;
    auto result = (*table)->Compact(options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->late_materialized);
    EXPECT_EQ(MemorySpillStore::Global().bytes(), 0);
  }
  {
    // The same stream with every column everywhere runs late.
    auto table = CompactorTestTable::Create(dir.Child("plain"), TestSchema());
    ASSERT_TRUE(table.ok());
    ASSERT_TRUE((*table)->Write(DeltaType::kUpsert, RandomRows(random, 300, 200, "a")).ok());
    ASSERT_TRUE((*table)->Write(DeltaType::kDelete, RandomDeletes(random, 20, 200)).ok());
    CompactionOptions options;
    options.hash_buckets = 3;
    options.late_materialization_min_input_bytes = 0;
    auto result = (*table)->Compact(options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->late_materialized);
    // Without in-memory spills there is no late materialization either.
    ASSERT_TRUE((*table)->Write(DeltaType::kUpsert, RandomRows(random, 50, 200, "b")).ok());
    options.allow_in_memory_spills = false;
    result = (*table)->Compact(options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->late_materialized);
    // Nor below the input size where holding the input in memory is cheaper.
    ASSERT_TRUE((*table)->Write(DeltaType::kUpsert, RandomRows(random, 50, 200, "c")).ok());
    options.allow_in_memory_spills = true;
    options.late_materialization_min_input_bytes.reset();
    result = (*table)->Compact(options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->late_materialized);
  }
}

}  // namespace
}  // namespace deltacat::compute
