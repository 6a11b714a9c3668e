// Compactor conformance: the scenarios of compaction.md §16 (numbers in the test names), each
// run end to end (catalog in a temp dir, Parquet files, transactions) with 1, 3 and 13 hash
// buckets. Every round is checked against the on-disk invariants Python relies on: one APPEND
// delta at position 1 in a new committed partition, RCI bucket ranges contiguous over the
// manifest, every file holding rows of its range's bucket only.

#include "deltacat/compute/compactor.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "compute/compactor_test_table.h"
#include "compute_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::compute {
namespace {

using storage::DeltaType;
using testing::Col;
using testing::CompactorTestTable;
using testing::MakeSchema;
using testing::Sorted;
using testing::SortedRowsOf;
using testing::TableOf;
using testing::TestField;

#define ASSERT_OK(expr)                                                  \
  do {                                                                   \
    const ::deltacat::Status _st = ::deltacat::internal::ToStatus(expr); \
    ASSERT_TRUE(_st.ok()) << _st.ToString();                             \
  } while (false)

std::shared_ptr<arrow::Table> PkV(const std::string& pks, const std::string& values) {
  return TableOf({{"pk", arrow::int64(), pks}, {"v", arrow::utf8(), values}});
}

class CompactorConformance : public ::testing::TestWithParam<int32_t> {
 protected:
  void Open(const std::vector<TestField>& fields) {
    auto schema = MakeSchema(fields);
    ASSERT_TRUE(schema.ok()) << schema.status();
    auto table = CompactorTestTable::Create(dir_.path().string(), *schema);
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = std::move(*table);
  }
  void OpenPkV() { Open({{"pk", arrow::int64(), true}, {"v", arrow::utf8()}}); }

  CompactionOptions Options() const {
    CompactionOptions options;
    options.hash_buckets = GetParam();
    options.records_per_file = records_per_file_;
    return options;
  }

  /// MERGE (UPSERT + inline compaction), checking the invariants afterwards.
  void Merge(std::shared_ptr<arrow::Table> data, CompactionOptions options) {
    auto result = table_->WriteAndCompact(DeltaType::kUpsert, data, options);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_TRUE(result->committed);
    CheckInvariants();
  }
  void Merge(std::shared_ptr<arrow::Table> data) { Merge(std::move(data), Options()); }
  void Delete(std::shared_ptr<arrow::Table> data, std::vector<std::string> columns = {}) {
    auto result = table_->WriteAndCompact(DeltaType::kDelete, data, Options(), 1, columns);
    ASSERT_TRUE(result.ok()) << result.status();
    CheckInvariants();
  }
  /// Writes without compacting (accumulates deltas in the committed partition).
  void Write(DeltaType type, std::shared_ptr<arrow::Table> data,
             std::vector<std::string> columns = {}) {
    ASSERT_OK(table_->Write(type, data, 1, columns));
  }
  CompactionResult Compact() {
    auto result = table_->Compact(Options());
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return {};
    if (result->committed) CheckInvariants();
    return *result;
  }

  std::vector<std::string> Rows() {
    auto table = table_->ReadCommitted();
    EXPECT_TRUE(table.ok()) << table.status();
    return table.ok() ? SortedRowsOf(**table) : std::vector<std::string>{};
  }

  /// The invariants of a compacted partition (compaction.md §5.10).
  void CheckInvariants() {
    auto state = table_->Committed();
    ASSERT_TRUE(state.ok()) << state.status();
    const auto& partition = state->partition;
    ASSERT_TRUE(partition.state && partition.state->is(storage::CommitState::kCommitted));
    ASSERT_EQ(state->deltas.size(), 1u);
    const auto& delta = state->deltas[0];
    EXPECT_TRUE(delta.type && delta.type->is(storage::DeltaType::kAppend));
    EXPECT_EQ(delta.locator.stream_position, 1);
    EXPECT_EQ(delta.previous_stream_position, 0);
    EXPECT_EQ(partition.stream_position, 1);
    ASSERT_TRUE(partition.compaction_round_completion_info);
    const auto& rci = *partition.compaction_round_completion_info;
    EXPECT_EQ(rci.SingleHighWatermark(), 1);
    EXPECT_EQ(rci.hash_bucket_count, GetParam());
    EXPECT_EQ(rci.compactor_version, storage::CompactorVersion::kV2);
    ASSERT_TRUE(rci.prev_source_partition_locator);
    EXPECT_EQ(rci.prev_source_partition_locator->partition_id, partition.locator.partition_id);
    ASSERT_TRUE(rci.compacted_delta_locator);
    EXPECT_EQ(rci.compacted_delta_locator->partition_locator->partition_id,
              partition.locator.partition_id);
    ASSERT_TRUE(rci.compacted_delta_locator->partition_locator->FindTableLocator());
    EXPECT_EQ(rci.compacted_delta_locator->partition_locator->FindTableLocator()->table_name, "t");
    const auto entries = delta.manifest && delta.manifest->entries
                             ? *delta.manifest->entries
                             : std::vector<storage::ManifestEntry>{};
    ASSERT_TRUE(rci.hb_index_to_entry_range);
    int64_t next = 0;
    int64_t last_bucket = -1;
    int64_t records = 0;
    const auto keys = state->schema.MergeKeyNames();
    for (const auto& range : *rci.hb_index_to_entry_range) {
      EXPECT_GT(range.hash_bucket, last_bucket);
      EXPECT_LT(range.hash_bucket, GetParam());
      last_bucket = range.hash_bucket;
      EXPECT_EQ(range.start, next);
      EXPECT_GT(range.end, range.start);
      next = range.end;
      for (int64_t e = range.start; e < range.end && e < static_cast<int64_t>(entries.size());
           ++e) {
        auto rows = table_->ReadFile(entries[e].Location(), state->schema);
        ASSERT_TRUE(rows.ok()) << rows.status();
        EXPECT_LE((*rows)->num_rows(), records_per_file_);
        EXPECT_EQ(entries[e].meta->record_count, (*rows)->num_rows());
        records += (*rows)->num_rows();
        if (keys.empty() || (*rows)->num_rows() == 0) continue;
        auto buckets = ComputeHashBuckets(**rows, keys, GetParam());
        ASSERT_TRUE(buckets.ok()) << buckets.status();
        for (int64_t r = 0; r < (*buckets)->length(); ++r) {
          EXPECT_EQ((*buckets)->Value(r), range.hash_bucket) << "row " << r << " of entry " << e;
        }
      }
    }
    EXPECT_EQ(next, static_cast<int64_t>(entries.size()));
    ASSERT_TRUE(rci.compacted_pyarrow_write_result);
    EXPECT_EQ(rci.compacted_pyarrow_write_result->files, static_cast<int64_t>(entries.size()));
    EXPECT_EQ(rci.compacted_pyarrow_write_result->records, records);
  }

  ::deltacat::testing::TempDir dir_;
  std::unique_ptr<CompactorTestTable> table_;
  int64_t records_per_file_ = 4000000;
};

INSTANTIATE_TEST_SUITE_P(Buckets, CompactorConformance, ::testing::Values(1, 3, 13),
                         [](const auto& info) { return "N" + std::to_string(info.param); });

// --- Deduplication and ordering -----------------------------------------------------------

TEST_P(CompactorConformance, S01BackfillUniqueKeys) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,5,6,7,8,9]", R"(["a","b","c","d","e","f","g","h","i","j"])"));
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows.front(), "pk=0 v=a");
}

TEST_P(CompactorConformance, S02DuplicateKeysWithinOneDeltaLastWins) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,6,6,6,6,6]", R"(["0","1","2","3","4","5","6","7","8","9"])"));
  EXPECT_EQ(Rows(),
            Sorted({"pk=0 v=0", "pk=1 v=1", "pk=2 v=2", "pk=3 v=3", "pk=4 v=4", "pk=6 v=9"}));
}

TEST_P(CompactorConformance, S03DuplicateKeysAcrossDeltasLaterPositionWins) {
  OpenPkV();
  Write(DeltaType::kUpsert, PkV("[1, 2]", R"(["a", "x"])"));
  Write(DeltaType::kUpsert, PkV("[1]", R"(["b"])"));
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=1 v=b", "pk=2 v=x"}));
}

TEST_P(CompactorConformance, S04SortKeyWinsWithinTheIncrements) {
  // merge_order DESCENDING keeps the largest value (Python inverts it into an ascending sort).
  Open({{"pk", arrow::utf8(), true},
        {"sk", arrow::int64(), false,
         storage::MergeOrder{storage::SortOrder::kDescending, storage::NullOrder::kAtEnd}}});
  Merge(TableOf(
      {{"pk", arrow::utf8(),
        R"(["a","a","a","a","b","b","b","b","c","c","c","c","d","d","d","d","e","e","e","e"])"},
       {"sk", arrow::int64(), "[19,18,17,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1,0]"}}));
  EXPECT_EQ(Rows(), Sorted({"pk=a sk=19", "pk=b sk=15", "pk=c sk=11", "pk=d sk=7", "pk=e sk=3"}));
}

TEST_P(CompactorConformance, S04AscendingMergeOrderKeepsTheSmallest) {
  Open({{"pk", arrow::utf8(), true},
        {"sk", arrow::int64(), false,
         storage::MergeOrder{storage::SortOrder::kAscending, storage::NullOrder::kAtEnd}}});
  Merge(TableOf(
      {{"pk", arrow::utf8(), R"(["a","a","a","b","b"])"}, {"sk", arrow::int64(), "[5,3,9,2,8]"}}));
  EXPECT_EQ(Rows(), Sorted({"pk=a sk=3", "pk=b sk=2"}));
}

TEST_P(CompactorConformance, S05SortKeyTiesGoToTheLaterArrival) {
  Open({{"pk", arrow::int64(), true},
        {"sk", arrow::int64(), false,
         storage::MergeOrder{storage::SortOrder::kDescending, storage::NullOrder::kAtEnd}},
        {"v", arrow::utf8()}});
  Write(DeltaType::kUpsert, TableOf({{"pk", arrow::int64(), "[1, 1]"},
                                     {"sk", arrow::int64(), "[5, 5]"},
                                     {"v", arrow::utf8(), R"(["first", "second"])"}}));
  Write(DeltaType::kUpsert, TableOf({{"pk", arrow::int64(), "[1]"},
                                     {"sk", arrow::int64(), "[5]"},
                                     {"v", arrow::utf8(), R"(["third"])"}}));
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=1 sk=5 v=third"}));
}

TEST_P(CompactorConformance, S07AnIncrementBeatsTheBaseWhateverItsSortKey) {
  Open({{"pk", arrow::int64(), true},
        {"sk", arrow::int64(), false,
         storage::MergeOrder{storage::SortOrder::kDescending, storage::NullOrder::kAtEnd}},
        {"v", arrow::utf8()}});
  Merge(TableOf({{"pk", arrow::int64(), "[1]"},
                 {"sk", arrow::int64(), "[100]"},
                 {"v", arrow::utf8(), R"(["old"])"}}));
  Merge(TableOf({{"pk", arrow::int64(), "[1]"},
                 {"sk", arrow::int64(), "[1]"},
                 {"v", arrow::utf8(), R"(["new"])"}}));
  EXPECT_EQ(Rows(), Sorted({"pk=1 sk=1 v=new"}));
}

TEST_P(CompactorConformance, S08CompositeMergeKeys) {
  Open({{"pk1", arrow::utf8(), true}, {"pk2", arrow::int64(), true}, {"v", arrow::int64()}});
  Merge(TableOf({{"pk1", arrow::utf8(), R"(["0","0","1","1","0"])"},
                 {"pk2", arrow::int64(), "[1,2,1,2,1]"},
                 {"v", arrow::int64(), "[1,2,3,4,5]"}}));
  Merge(TableOf({{"pk1", arrow::utf8(), R"(["1"])"},
                 {"pk2", arrow::int64(), "[1]"},
                 {"v", arrow::int64(), "[30]"}}));
  EXPECT_EQ(Rows(),
            Sorted({"pk1=0 pk2=1 v=5", "pk1=0 pk2=2 v=2", "pk1=1 pk2=1 v=30", "pk1=1 pk2=2 v=4"}));
}

TEST_P(CompactorConformance, S09KeyTypes) {
  Open({{"s", arrow::utf8(), true},
        {"i", arrow::int64(), true},
        {"ts", arrow::timestamp(arrow::TimeUnit::MICRO), true},
        {"dt", arrow::date32(), true},
        {"b", arrow::boolean(), true},
        {"v", arrow::int64()}});
  auto data = TableOf({{"s", arrow::utf8(), R"(["x","x","y"])"},
                       {"i", arrow::int64(), "[1,1,1]"},
                       {"ts", arrow::timestamp(arrow::TimeUnit::MICRO), "[1000,1000,1000]"},
                       {"dt", arrow::date32(), "[19000,19000,19000]"},
                       {"b", arrow::boolean(), "[true,true,false]"},
                       {"v", arrow::int64(), "[1,2,3]"}});
  Merge(data);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].find("v=2"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find("v=3"), std::string::npos) << rows[1];
}

TEST_P(CompactorConformance, S10NullKeysAreOneKey) {
  Open({{"pk", arrow::int64(), true},
        {"sk", arrow::int64(), false,
         storage::MergeOrder{storage::SortOrder::kDescending, storage::NullOrder::kAtEnd}}});
  Merge(TableOf({{"pk", arrow::int64(), "[1, 2, null, 2, null, 1]"},
                 {"sk", arrow::int64(), "[1, 2, 3, 4, 5, 6]"}}));
  EXPECT_EQ(Rows(), Sorted({"pk=1 sk=6", "pk=2 sk=4", "pk=null sk=5"}));
}

TEST_P(CompactorConformance, S10NullsInCompositeKeys) {
  Open({{"a", arrow::int64(), true}, {"b", arrow::int64(), true}, {"v", arrow::int64()}});
  Merge(TableOf({{"a", arrow::int64(), "[null, null, null]"},
                 {"b", arrow::int64(), "[null, 3, null]"},
                 {"v", arrow::int64(), "[1, 2, 3]"}}));
  EXPECT_EQ(Rows(), Sorted({"a=null b=null v=3", "a=null b=3 v=2"}));
}

TEST_P(CompactorConformance, S11WithoutDropDuplicatesEveryRowStays) {
  OpenPkV();
  Write(DeltaType::kUpsert, PkV("[0,1,2]", R"(["a","b","c"])"));
  Write(DeltaType::kUpsert, PkV("[0,1,2]", R"(["d","e","f"])"));
  Write(DeltaType::kDelete, PkV("[1]", R"(["?"])"));
  auto options = Options();
  options.drop_duplicates = false;
  auto result = table_->Compact(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Rows(), Sorted({"pk=0 v=a", "pk=0 v=d", "pk=2 v=c", "pk=2 v=f"}));
}

TEST_P(CompactorConformance, S12WithoutMergeKeysRowsConcatenateAndDeletesMatchValues) {
  Open({{"col_1", arrow::float64()}, {"sk", arrow::int64()}});
  Write(DeltaType::kAppend, TableOf({{"col_1", arrow::float64(), "[1, 1, 2, 2, 3, 3]"},
                                     {"sk", arrow::int64(), "[1, 1, 2, 2, 3, 3]"}}));
  Compact();
  EXPECT_EQ(Rows().size(), 6u);
  Write(DeltaType::kDelete, TableOf({{"col_1", arrow::float64(), "[3.0]"}}), {"col_1"});
  Write(DeltaType::kAppend,
        TableOf({{"col_1", arrow::float64(), "[4, 5, 6]"}, {"sk", arrow::int64(), "[4, 5, 6]"}}));
  Write(DeltaType::kDelete, TableOf({{"sk", arrow::int64(), "[6]"}}), {"sk"});
  Compact();
  EXPECT_EQ(Rows(), Sorted({"col_1=1 sk=1", "col_1=1 sk=1", "col_1=2 sk=2", "col_1=2 sk=2",
                            "col_1=4 sk=4", "col_1=5 sk=5"}));
}

// --- Incremental rounds and watermarks ------------------------------------------------------

TEST_P(CompactorConformance, S13IncrementalUpdateAndInsert) {
  Open({{"pk", arrow::int64(), true}, {"v", arrow::float64()}});
  Merge(TableOf({{"pk", arrow::int64(), "[0,1,2,3,4,5,6,7,8,9]"},
                 {"v", arrow::float64(), "[0,0,0,0,0,0,0,0,0,0]"}}));
  Merge(TableOf({{"pk", arrow::int64(), "[8, 9, 10]"}, {"v", arrow::float64(), "[200, 100, 5]"}}));
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 11u);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=8 v=200"), 1);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=9 v=100"), 1);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=10 v=5"), 1);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=0 v=0"), 1);
}

TEST_P(CompactorConformance, S14EmptyIncrementKeepsEveryFileByReference) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,5,6,7,8,9]", R"(["a","b","c","d","e","f","g","h","i","j"])"));
  const auto before = Rows();
  auto old_state = table_->Committed();
  ASSERT_TRUE(old_state.ok());
  auto result = table_->WriteAndCompact(DeltaType::kUpsert, PkV("[]", "[]"), Options());
  ASSERT_TRUE(result.ok()) << result.status();
  CheckInvariants();
  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(result->files_written, 0);
  EXPECT_EQ(result->files_copied_by_reference,
            static_cast<int64_t>(old_state->deltas[0].manifest->entries->size()));
  auto state = table_->Committed();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(
      state->partition.compaction_round_completion_info->manifest_entry_copied_by_reference_ratio,
      100.0);
}

TEST_P(CompactorConformance, S15NoNewDeltasCommitsNothing) {
  OpenPkV();
  Merge(PkV("[1, 2]", R"(["a", "b"])"));
  auto before = table_->Committed();
  ASSERT_TRUE(before.ok());
  const auto result = Compact();
  EXPECT_FALSE(result.committed);
  auto after = table_->Committed();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->partition_record.id, before->partition_record.id);
  EXPECT_EQ(after->partition, before->partition);
}

TEST_P(CompactorConformance, S16WatermarkIsExclusiveAndLastPositionInclusive) {
  OpenPkV();
  Write(DeltaType::kUpsert, PkV("[1]", R"(["a"])"));  // position 1
  Write(DeltaType::kUpsert, PkV("[1]", R"(["b"])"));  // position 2
  Write(DeltaType::kUpsert, PkV("[2]", R"(["c"])"));  // position 3
  auto options = Options();
  options.last_stream_position = 2;
  auto result = table_->Compact(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->input_deltas, 2);
  auto state = table_->Committed();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->deltas.size(), 1u);
  EXPECT_EQ(state->deltas[0].locator.stream_position, 2);
  EXPECT_EQ(state->partition.compaction_round_completion_info->SingleHighWatermark(), 2);
  EXPECT_EQ(Rows(), Sorted({"pk=1 v=b"}));
  // Nothing above the watermark: no round.
  result = table_->Compact(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->committed);
  // A new delta (position 3 of the new partition) is applied exactly once.
  Write(DeltaType::kUpsert, PkV("[3]", R"(["d"])"));
  options.last_stream_position.reset();
  result = table_->Compact(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->input_deltas, 1);
  EXPECT_EQ(Rows(), Sorted({"pk=1 v=b", "pk=3 v=d"}));
}

TEST_P(CompactorConformance, S19ChangingTheBucketCountIsAValidationError) {
  OpenPkV();
  Merge(PkV("[1, 2]", R"(["a", "b"])"));
  auto options = Options();
  options.hash_buckets = GetParam() + 1;
  auto result = table_->WriteAndCompact(DeltaType::kUpsert, PkV("[3]", R"(["c"])"), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kValidation) << result.status();
  // Without a requested count, the previous round's count is used.
  options.hash_buckets.reset();
  options.default_hash_buckets = GetParam() + 5;
  result = table_->WriteAndCompact(DeltaType::kUpsert, PkV("[3]", R"(["c"])"), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->hash_bucket_count, GetParam());
  CheckInvariants();
}

TEST_P(CompactorConformance, S20InPlaceCompactionReplacesThePartition) {
  OpenPkV();
  Merge(PkV("[1, 2]", R"(["a", "b"])"));
  auto first = table_->Committed();
  ASSERT_TRUE(first.ok());
  // The first MERGE on a fresh table staged a partition that is never committed; the
  // compacted partition was committed with no previous partition.
  EXPECT_FALSE(first->partition.previous_partition_id.has_value());
  Merge(PkV("[2, 3]", R"(["B", "c"])"));
  auto second = table_->Committed();
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->partition_record.id, first->partition_record.id);
  EXPECT_EQ(second->partition.previous_partition_id, first->partition_record.id);
  // The old partition is tombstoned.
  auto reader = table_->Reader();
  auto old =
      reader.ReadObject(storage::MetafileKind::kPartition, first->partition_record.PathIds());
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_FALSE(old->has_value());
  EXPECT_EQ(Rows(), Sorted({"pk=1 v=a", "pk=2 v=B", "pk=3 v=c"}));
}

// --- Deletes --------------------------------------------------------------------------------

TEST_P(CompactorConformance, S21aDeleteOnANonKeyColumn) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,5]", R"(["996","997","998","999","fiz","buz"])"));
  Write(DeltaType::kUpsert, PkV("[0,1,2]", R"(["0","1","2"])"));
  Write(DeltaType::kUpsert, PkV("[2,3]", R"(["abc","def"])"));
  Write(DeltaType::kUpsert, PkV("[4]", R"(["ghi"])"));
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["0","1","2","abc","def","ghi"])"}}),
        {"v"});
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=5 v=buz"}));
}

TEST_P(CompactorConformance, S21bADeleteOfOverwrittenValuesMatchesNothing) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,5]", R"(["996","997","998","999","fiz","buz"])"));
  Write(DeltaType::kUpsert, PkV("[0,1,2,3,4,5]", R"(["0","1","2","3","4","5"])"));
  Write(DeltaType::kUpsert, PkV("[0]", R"(["foo"])"));
  Write(DeltaType::kDelete,
        TableOf({{"v", arrow::utf8(), R"(["996","997","998","999","fiz","buz"])"}}), {"v"});
  Compact();
  EXPECT_EQ(Rows(),
            Sorted({"pk=0 v=foo", "pk=1 v=1", "pk=2 v=2", "pk=3 v=3", "pk=4 v=4", "pk=5 v=5"}));
}

TEST_P(CompactorConformance, S22DeletesAffectOnlyEarlierRows) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,5,6,7]", R"(["0","1","2","3","4","5","6","7"])"));
  Write(DeltaType::kUpsert, PkV("[1,2]", R"(["x","y"])"));    // U
  Write(DeltaType::kDelete, PkV("[1,3]", R"([null,null])"));  // D pk
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["y","DOESNOTEXIST"])"}}), {"v"});
  Write(DeltaType::kUpsert, PkV("[1]", R"(["again"])"));                              // U
  Write(DeltaType::kUpsert, PkV("[7]", R"(["aaa"])"));                                // U
  Write(DeltaType::kDelete, PkV("[6]", "[null]"));                                    // D
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["again"])"}}), {"v"});  // D
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=0 v=0", "pk=4 v=4", "pk=5 v=5", "pk=7 v=aaa"}));
}

TEST_P(CompactorConformance, S23UpsertThenDeleteHitsBaseAndIncrement) {
  OpenPkV();
  Merge(PkV("[0, 1]", R"(["0", "1"])"));
  Write(DeltaType::kUpsert, PkV("[0]", R"(["1"])"));
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["1"])"}}), {"v"});
  Compact();
  EXPECT_TRUE(Rows().empty());
  // The schema survives an empty result.
  auto table = table_->ReadCommitted();
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)->num_columns(), 2);
}

TEST_P(CompactorConformance, S24UpsertDeleteUpsert) {
  OpenPkV();
  Merge(PkV("[0, 1]", R"(["0", "1"])"));
  Write(DeltaType::kUpsert, PkV("[0]", R"(["1"])"));
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["1"])"}}), {"v"});
  Write(DeltaType::kUpsert, PkV("[0]", R"(["1"])"));
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=0 v=1"}));
}

TEST_P(CompactorConformance, S25DeleteDeleteUpsert) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4]", R"(["0","1","2","3","4"])"));
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["1","1","2"])"}}), {"v"});
  Write(DeltaType::kDelete, PkV("[0]", "[null]"));
  Write(DeltaType::kUpsert, PkV("[0, 3]", R"(["a", "b"])"));
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=0 v=a", "pk=3 v=b", "pk=4 v=4"}));
}

TEST_P(CompactorConformance, S26CompositeDeleteKeysMatchTuples) {
  OpenPkV();
  Merge(PkV("[10, 11, 12]", R"(["10", "11", "12"])"));
  // (10, "11") matches no row although each value exists in some row.
  Delete(PkV("[10, 11]", R"(["11", "11"])"), {"pk", "v"});
  EXPECT_EQ(Rows(), Sorted({"pk=10 v=10", "pk=12 v=12"}));
}

TEST_P(CompactorConformance, S27NullSafeDeletes) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,5,6,7,8,9,10,null]",
            R"(["0","1","2","3","4","5","6","7","8","9","10","11"])"));
  Write(DeltaType::kUpsert, PkV("[10, 11, null, 13]", R"(["a", "b", "c", "d"])"));
  Write(DeltaType::kDelete, PkV("[10, 11]", R"(["a", "b"])"), {"pk", "v"});
  Write(DeltaType::kDelete, PkV("[null]", "[null]"), {"pk"});
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["c"])"}}), {"v"});
  Write(DeltaType::kDelete, TableOf({{"v", arrow::utf8(), R"(["c"])"}}), {"v"});
  Write(DeltaType::kDelete, PkV("[10, 11]", R"(["a", "b"])"), {"pk", "v"});
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=0 v=0", "pk=1 v=1", "pk=2 v=2", "pk=3 v=3", "pk=4 v=4", "pk=5 v=5",
                            "pk=6 v=6", "pk=7 v=7", "pk=8 v=8", "pk=9 v=9", "pk=13 v=d"}));
}

TEST_P(CompactorConformance, S28DeleteWithoutDeleteColumnsIsAValidationError) {
  Open({{"a", arrow::int64()}, {"v", arrow::utf8()}});  // no merge keys: no default columns
  Write(DeltaType::kAppend,
        TableOf({{"a", arrow::int64(), "[1]"}, {"v", arrow::utf8(), R"(["x"])"}}));
  Write(DeltaType::kDelete, TableOf({{"a", arrow::int64(), "[1]"}}));
  auto result = table_->Compact(Options());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kValidation) << result.status();
}

TEST_P(CompactorConformance, S28EmptyDeletesAndUnknownDeleteColumnsAreNoOps) {
  OpenPkV();
  Merge(PkV("[1, 2]", R"(["a", "b"])"));
  Write(DeltaType::kDelete, PkV("[]", "[]"));
  Write(DeltaType::kDelete, TableOf({{"nope", arrow::int64(), "[1]"}}), {"nope"});
  Compact();
  EXPECT_EQ(Rows(), Sorted({"pk=1 v=a", "pk=2 v=b"}));
}

TEST_P(CompactorConformance, S30ADeleteDisablesCopyByReference) {
  OpenPkV();
  Merge(PkV(
      "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19]",
      R"(["0","1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17","18","19"])"));
  Write(DeltaType::kUpsert, PkV("[0]", R"(["zero"])"));
  Write(DeltaType::kDelete, PkV("[999]", "[null]"));
  const auto result = Compact();
  EXPECT_EQ(result.files_copied_by_reference, 0);
  EXPECT_EQ(Rows().size(), 20u);
}

// --- Layout, reuse and metadata ----------------------------------------------------------------

TEST_P(CompactorConformance, S31FilesHoldAtMostRecordsPerFileRowsOfOneBucket) {
  records_per_file_ = 10;
  OpenPkV();
  std::string pks = "[", values = "[";
  for (int i = 0; i < 47; ++i) {
    pks += (i ? "," : "") + std::to_string(i);
    values += std::string(i ? "," : "") + "\"" + std::to_string(i) + "\"";
  }
  Merge(PkV(pks + "]", values + "]"));  // CheckInvariants checks sizes and buckets
  EXPECT_EQ(Rows().size(), 47u);
  auto state = table_->Committed();
  ASSERT_TRUE(state.ok());
  EXPECT_GE(state->deltas[0].manifest->entries->size(),
            state->partition.compaction_round_completion_info->hb_index_to_entry_range->size());
}

TEST_P(CompactorConformance, S34UntouchedBucketsAreCopiedByReference) {
  OpenPkV();
  std::string pks = "[", values = "[";
  for (int i = 0; i < 100; ++i) {
    pks += (i ? "," : "") + std::to_string(i);
    values += std::string(i ? "," : "") + "\"v" + std::to_string(i) + "\"";
  }
  Merge(PkV(pks + "]", values + "]"));
  auto before = table_->Committed();
  ASSERT_TRUE(before.ok());
  const auto& old_rci = *before->partition.compaction_round_completion_info;
  auto result = table_->WriteAndCompact(DeltaType::kUpsert, PkV("[5]", R"(["five"])"), Options());
  ASSERT_TRUE(result.ok()) << result.status();
  CheckInvariants();
  auto after = table_->Committed();
  ASSERT_TRUE(after.ok());
  const auto& new_rci = *after->partition.compaction_round_completion_info;
  // Bucket of key 5.
  auto key = PkV("[5]", R"(["x"])");
  auto bucket = ComputeHashBuckets(*key, {"pk"}, GetParam());
  ASSERT_TRUE(bucket.ok());
  const int32_t touched = (*bucket)->Value(0);
  int64_t expected_untouched = 0;
  for (const auto& range : *old_rci.hb_index_to_entry_range) {
    if (range.hash_bucket == touched) continue;
    expected_untouched += range.end - range.start;
    auto new_range = new_rci.EntryRangeOf(range.hash_bucket);
    ASSERT_TRUE(new_range);
    ASSERT_EQ(new_range->end - new_range->start, range.end - range.start);
    for (int64_t i = 0; i < range.end - range.start; ++i) {
      EXPECT_EQ((*after->deltas[0].manifest->entries)[new_range->start + i].Location(),
                (*before->deltas[0].manifest->entries)[range.start + i].Location());
    }
  }
  EXPECT_EQ(result->files_copied_by_reference, expected_untouched);
  auto rows = Rows();
  EXPECT_EQ(rows.size(), 100u);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=5 v=five"), 1);

  // With copy by reference disabled, everything is rewritten and the rows are the same.
  auto options = Options();
  options.disable_copy_by_reference = true;
  result = table_->WriteAndCompact(DeltaType::kUpsert, PkV("[6]", R"(["six"])"), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->files_copied_by_reference, 0);
  rows = Rows();
  EXPECT_EQ(rows.size(), 100u);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "pk=6 v=six"), 1);
}

TEST_P(CompactorConformance, S36RecordAccounting) {
  OpenPkV();
  Merge(PkV("[0,1,2,3,4,5,6,7,8,9]", R"(["a","b","c","d","e","f","g","h","i","j"])"));
  Write(DeltaType::kUpsert, PkV("[0, 1, 1, 20]", R"(["x","y","z","w"])"));
  Write(DeltaType::kDelete, PkV("[2, 3]", "[null, null]"));
  const auto result = Compact();
  EXPECT_EQ(result.input_rows, 4);
  EXPECT_EQ(result.deleted_rows, 2);
  EXPECT_EQ(result.output_rows, 9);
  EXPECT_EQ(
      result.previous_rows_read + result.input_rows - result.deduped_rows - result.deleted_rows,
      result.output_rows);
  EXPECT_EQ(Rows().size(), 9u);
}

TEST_P(CompactorConformance, S38PartialUpsertKeepsUnsuppliedColumns) {
  Open({{"id", arrow::int64(), true},
        {"name", arrow::utf8()},
        {"age", arrow::int64()},
        {"city", arrow::utf8()}});
  Merge(TableOf({{"id", arrow::int64(), "[1, 2, 3]"},
                 {"name", arrow::utf8(), R"(["Alice", "Bob", "Charlie"])"},
                 {"age", arrow::int64(), "[25, 30, 35]"},
                 {"city", arrow::utf8(), R"(["NYC", "LA", "Chicago"])"}}));
  // The writer supplied id, name and age; the file may carry a coerced null city.
  auto options = Options();
  options.original_fields = std::vector<std::string>{"id", "name", "age"};
  Merge(TableOf({{"id", arrow::int64(), "[4, 1, 2]"},
                 {"name", arrow::utf8(), R"(["Dave", "Alice_U", "Bob_U"])"},
                 {"age", arrow::int64(), "[40, 26, null]"},
                 {"city", arrow::utf8(), "[null, null, null]"}}),
        options);
  EXPECT_EQ(Rows(),
            Sorted({"id=1 name=Alice_U age=26 city=NYC", "id=2 name=Bob_U age=null city=LA",
                    "id=3 name=Charlie age=35 city=Chicago", "id=4 name=Dave age=40 city=null"}));
  // A file lacking a column is a partial upsert as well.
  Merge(TableOf({{"id", arrow::int64(), "[3]"}, {"age", arrow::int64(), "[36]"}}));
  const auto rows = Rows();
  EXPECT_EQ(std::count(rows.begin(), rows.end(), "id=3 name=Charlie age=36 city=Chicago"), 1);
}

}  // namespace
}  // namespace deltacat::compute
