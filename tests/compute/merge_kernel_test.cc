// Merge kernel conformance: the kernel-level scenarios of compaction.md §16 (numbers in the test
// names), each run directly and through 1, 3 and 13 hash buckets (MergedRowsAcrossBuckets checks
// that bucketing never changes the result), plus partial upserts, ordering, types and errors.

#include "deltacat/compute/merge_kernel.h"

#include <gtest/gtest.h>

#include "compute_test_util.h"

namespace deltacat::compute {
namespace {

using testing::Col;
using testing::Delete;
using testing::MergedRowsAcrossBuckets;
using testing::RowsOf;
using testing::Sorted;
using testing::TableOf;
using testing::Upsert;

std::shared_ptr<arrow::Schema> PkV() {
  return arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("v", arrow::utf8())});
}

std::shared_ptr<arrow::Table> PkVTable(const std::string& pks, const std::string& values) {
  return TableOf({{"pk", arrow::int64(), pks}, {"v", arrow::utf8(), values}});
}

MergeOptions KeyedOptions(std::shared_ptr<arrow::Schema> schema,
                          std::vector<std::string> keys = {"pk"}) {
  MergeOptions options;
  options.output_schema = std::move(schema);
  options.merge_keys = std::move(keys);
  return options;
}

// --- Deduplication and ordering -----------------------------------------------------------

TEST(MergeKernel, S01BackfillUniqueKeys) {
  MergeInput input;
  input.slices.push_back(
      Upsert(1, PkVTable("[0,1,2,3,4,5,6,7,8,9]", R"(["a","b","c","d","e","f","g","h","i","j"])")));
  const auto rows = MergedRowsAcrossBuckets(input, KeyedOptions(PkV()));
  EXPECT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows.front(), "pk=0 v=a");
}

TEST(MergeKernel, S02DuplicateKeysWithinOneDeltaLastWins) {
  MergeInput input;
  input.slices.push_back(
      Upsert(1, PkVTable("[0,1,2,3,4,6,6,6,6,6]", R"(["0","1","2","3","4","5","6","7","8","9"])")));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkV())),
            Sorted({"pk=0 v=0", "pk=1 v=1", "pk=2 v=2", "pk=3 v=3", "pk=4 v=4", "pk=6 v=9"}));
}

TEST(MergeKernel, S03DuplicateKeysAcrossDeltasLaterPositionWins) {
  MergeInput input;
  // Given out of order: the kernel sorts by stream position, not by input order.
  input.slices.push_back(Upsert(2, PkVTable("[1]", R"(["b"])")));
  input.slices.push_back(Upsert(1, PkVTable("[1]", R"(["a"])")));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkV())), Sorted({"pk=1 v=b"}));

  // Within one position, slice (file) order decides.
  MergeInput same_position;
  same_position.slices.push_back(Upsert(5, PkVTable("[1]", R"(["first file"])")));
  same_position.slices.push_back(Upsert(5, PkVTable("[1]", R"(["second file"])")));
  EXPECT_EQ(MergedRowsAcrossBuckets(same_position, KeyedOptions(PkV())),
            Sorted({"pk=1 v=second file"}));
}

std::shared_ptr<arrow::Schema> PkSkSchema() {
  return arrow::schema({arrow::field("pk", arrow::utf8()), arrow::field("sk", arrow::int64())});
}

TEST(MergeKernel, S04SortKeyWinsWithinIncrements) {
  const std::string pks =
      R"(["0.1","0.1","0.1","0.1","0.2","0.2","0.2","0.2","0.3","0.3","0.3","0.3",)"
      R"("0.4","0.4","0.4","0.4","0.5","0.5","0.5","0.5"])";
  auto options = KeyedOptions(PkSkSchema());
  options.sort_keys = {{"sk", /*descending=*/false}};
  {
    MergeInput input;
    input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::utf8(), pks},
                                              {"sk", arrow::int64(),
                                               "[19,18,17,16,15,14,13,12,11,10,9,8,7,6,5,4,"
                                               "3,2,1,0]"}})));
    EXPECT_EQ(
        MergedRowsAcrossBuckets(input, options),
        Sorted({"pk=0.1 sk=19", "pk=0.2 sk=15", "pk=0.3 sk=11", "pk=0.4 sk=7", "pk=0.5 sk=3"}));
  }
  {
    MergeInput input;
    input.slices.push_back(Upsert(
        1,
        TableOf({{"pk", arrow::utf8(), pks},
                 {"sk", arrow::int64(), "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19]"}})));
    EXPECT_EQ(
        MergedRowsAcrossBuckets(input, options),
        Sorted({"pk=0.1 sk=3", "pk=0.2 sk=7", "pk=0.3 sk=11", "pk=0.4 sk=15", "pk=0.5 sk=19"}));
    // Descending keeps the smallest.
    options.sort_keys = {{"sk", /*descending=*/true}};
    EXPECT_EQ(
        MergedRowsAcrossBuckets(input, options),
        Sorted({"pk=0.1 sk=0", "pk=0.2 sk=4", "pk=0.3 sk=8", "pk=0.4 sk=12", "pk=0.5 sk=16"}));
  }
}

TEST(MergeKernel, S04SortKeyComparesAcrossSlicesOfOneRun) {
  auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("sk", arrow::int64()),
                     arrow::field("v", arrow::utf8())});
  auto options = KeyedOptions(schema);
  options.sort_keys = {{"sk", false}};
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 2]"},
                                            {"sk", arrow::int64(), "[9, 1]"},
                                            {"v", arrow::utf8(), R"(["old-high", "old-low"])"}})));
  input.slices.push_back(Upsert(2, TableOf({{"pk", arrow::int64(), "[1, 2]"},
                                            {"sk", arrow::int64(), "[5, 5]"},
                                            {"v", arrow::utf8(), R"(["new", "new"])"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk=1 sk=9 v=old-high", "pk=2 sk=5 v=new"}));
}

TEST(MergeKernel, S05SortKeyTiesGoToTheLaterArrival) {
  auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("sk", arrow::int64()),
                     arrow::field("v", arrow::utf8())});
  auto options = KeyedOptions(schema);
  options.sort_keys = {{"sk", false}};
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 1]"},
                                            {"sk", arrow::int64(), "[7, 7]"},
                                            {"v", arrow::utf8(), R"(["row0", "row1"])"}})));
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 2]"},
                                            {"sk", arrow::int64(), "[7, 3]"},
                                            {"v", arrow::utf8(), R"(["file2", "x"])"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk=1 sk=7 v=file2", "pk=2 sk=3 v=x"}));
}

TEST(MergeKernel, S05NullAndNaNSortKeysSortLastLikeArrow) {
  auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("sk", arrow::float64()),
                     arrow::field("v", arrow::utf8())});
  for (bool descending : {false, true}) {
    auto options = KeyedOptions(schema);
    options.sort_keys = {{"sk", descending}};
    MergeInput input;
    input.slices.push_back(
        Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 1, 1, 2, 2]"},
                           {"sk", arrow::float64(), "[5, null, 3, NaN, 4]"},
                           {"v", arrow::utf8(), R"(["five", "null", "three", "nan", "four"])"}})));
    EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
              Sorted({"pk=1 sk=null v=null", "pk=2 sk=nan v=nan"}))
        << "descending=" << descending;
  }
}

TEST(MergeKernel, S06SeveralSortKeysCompareLexicographically) {
  auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("sk1", arrow::int64()),
                     arrow::field("sk2", arrow::utf8())});
  auto options = KeyedOptions(schema);
  options.sort_keys = {{"sk1", false}, {"sk2", true}};
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 1, 1, 1]"},
                                            {"sk1", arrow::int64(), "[2, 3, 3, 1]"},
                                            {"sk2", arrow::utf8(), R"(["a", "c", "b", "z"])"}})));
  // sk1 = 3 wins; among those, descending sk2 keeps the smallest: "b".
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options), Sorted({"pk=1 sk1=3 sk2=b"}));
}

TEST(MergeKernel, S07IncrementBeatsCompactedBaseRegardlessOfSortKey) {
  auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("sk", arrow::int64()),
                     arrow::field("v", arrow::utf8())});
  auto options = KeyedOptions(schema);
  options.sort_keys = {{"sk", false}};
  MergeInput input;
  MergeSlice base = Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 2]"},
                                       {"sk", arrow::int64(), "[100, 100]"},
                                       {"v", arrow::utf8(), R"(["old", "old"])"}}));
  base.compacted = true;
  input.slices.push_back(base);
  input.slices.push_back(Upsert(2, TableOf({{"pk", arrow::int64(), "[1]"},
                                            {"sk", arrow::int64(), "[1]"},
                                            {"v", arrow::utf8(), R"(["new"])"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk=1 sk=1 v=new", "pk=2 sk=100 v=old"}));

  // Without the compacted flag both slices form one run and the higher sort key stays.
  input.slices[0].compacted = false;
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk=1 sk=100 v=old", "pk=2 sk=100 v=old"}));

  // A delete (even one matching nothing) also ends the run, as in Python.
  input.slices.push_back(Delete(2, TableOf({{"pk", arrow::int64(), "[99]"}})));
  input.slices[1].stream_position = 3;
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk=1 sk=1 v=new", "pk=2 sk=100 v=old"}));
}

TEST(MergeKernel, S08CompositeKeysAreTuples) {
  auto schema =
      arrow::schema({arrow::field("pk1", arrow::utf8()), arrow::field("pk2", arrow::int32()),
                     arrow::field("v", arrow::int64())});
  auto options = KeyedOptions(schema, {"pk1", "pk2"});
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk1", arrow::utf8(), R"(["0","0","1","1","0"])"},
                                            {"pk2", arrow::int32(), "[1, 2, 1, 2, 1]"},
                                            {"v", arrow::int64(), "[1, 2, 3, 4, 5]"}})));
  // ("ab","c") and ("a","bc") must not collide.
  input.slices.push_back(Upsert(2, TableOf({{"pk1", arrow::utf8(), R"(["ab", "a"])"},
                                            {"pk2", arrow::int32(), "[7, 7]"},
                                            {"v", arrow::int64(), "[6, 7]"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk1=0 pk2=1 v=5", "pk1=0 pk2=2 v=2", "pk1=1 pk2=1 v=3", "pk1=1 pk2=2 v=4",
                    "pk1=ab pk2=7 v=6", "pk1=a pk2=7 v=7"}));
}

TEST(MergeKernel, S09KeyTypesDeduplicate) {
  const std::vector<Col> keys = {
      {"int8", arrow::int8(), "[1, 2, 1, -1]"},
      {"uint64", arrow::uint64(), "[18446744073709551615, 2, 18446744073709551615, 0]"},
      {"string", arrow::utf8(), R"(["x", "y", "x", ""])"},
      {"large_string", arrow::large_utf8(), R"(["x", "y", "x", ""])"},
      {"binary", arrow::binary(), R"(["x", "y", "x", ""])"},
      {"bool", arrow::boolean(), "[true, false, true, null]"},
      {"date32", arrow::date32(), "[19724, 0, 19724, 1]"},
      {"timestamp", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), "[5, 6, 5, 7]"},
      {"decimal", arrow::decimal128(10, 2), R"(["1.50", "-2.00", "1.50", "0.00"])"},
      {"decimal256", arrow::decimal256(40, 2), R"(["1.50", "-2.00", "1.50", "0.00"])"},
      {"fixed", arrow::fixed_size_binary(2), R"(["ab", "cd", "ab", "ef"])"},
  };
  for (const auto& key : keys) {
    SCOPED_TRACE(key.name);
    auto table = TableOf({key, {"v", arrow::int64(), "[0, 1, 2, 3]"}});
    MergeInput input;
    input.slices.push_back(Upsert(1, table));
    auto options = KeyedOptions(table->schema(), {key.name});
    auto merged = MergeSlices(input, options);
    ASSERT_TRUE(merged.ok()) << merged.status().ToString();
    // Rows 0 and 2 share a key: row 2 wins and moves to row 2's place.
    const auto rows = RowsOf(*merged->table);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_NE(rows[1].find("v=2"), std::string::npos) << rows[1];
    EXPECT_EQ(merged->stats.deduped_rows, 1);
    MergedRowsAcrossBuckets(input, options);
  }
}

TEST(MergeKernel, S10NullKeysAreOneKey) {
  auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("sk", arrow::int64())});
  auto options = KeyedOptions(schema);
  options.sort_keys = {{"sk", false}};
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 2, null, 2, null, 1]"},
                                            {"sk", arrow::int64(), "[1, 2, 3, 4, 5, 6]"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk=1 sk=6", "pk=2 sk=4", "pk=null sk=5"}));
}

TEST(MergeKernel, S10NullsInCompositeKeysAndNullVersusEmptyString) {
  auto schema = arrow::schema({arrow::field("a", arrow::utf8()), arrow::field("b", arrow::int64()),
                               arrow::field("v", arrow::int64())});
  auto options = KeyedOptions(schema, {"a", "b"});
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"a", arrow::utf8(), R"([null, null, "", null])"},
                                            {"b", arrow::int64(), "[null, 3, null, null]"},
                                            {"v", arrow::int64(), "[1, 2, 3, 4]"}})));
  // (null, null) and (null, 3) differ; null differs from "" (Python's joined-string dedupe
  // conflates them; we compare typed values). Both still land in the same hash bucket.
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"a=null b=null v=4", "a=null b=3 v=2", "a= b=null v=3"}));
}

TEST(MergeKernel, S11DropDuplicatesFalseKeepsEveryRowButAppliesDeletes) {
  auto options = KeyedOptions(PkV());
  options.drop_duplicates = false;
  MergeInput input;
  input.slices.push_back(
      Upsert(1, PkVTable("[0,1,2,3,4,5,6,7,8,9]", R"(["a","a","a","a","a","a","a","a","a","a"])")));
  input.slices.push_back(
      Upsert(2, PkVTable("[0,1,2,3,4,5,6,7,8,9]", R"(["b","b","b","b","b","b","b","b","b","b"])")));
  auto rows = MergedRowsAcrossBuckets(input, options);
  EXPECT_EQ(rows.size(), 20u);
  input.slices.push_back(Delete(3, TableOf({{"pk", arrow::int64(), "[0, 1]"}})));
  rows = MergedRowsAcrossBuckets(input, options);
  EXPECT_EQ(rows.size(), 16u);
  EXPECT_EQ(rows.front(), "pk=2 v=a");
}

TEST(MergeKernel, S12NoMergeKeysConcatenatesAndDeletesByValue) {
  auto schema = arrow::schema(
      {arrow::field("sk_col_1", arrow::int64()), arrow::field("col_1", arrow::float64())});
  MergeOptions options;
  options.output_schema = schema;
  MergeInput input;
  input.slices.push_back(
      Upsert(1, TableOf({{"sk_col_1", arrow::int64(), "[1, 1, 2, 2, 3, 3]"},
                         {"col_1", arrow::float64(), "[1.0, 1.0, 2.0, 2.0, 3.0, 3.0]"}})));
  input.slices.push_back(Delete(2, TableOf({{"col_1", arrow::float64(), "[3.0]"}})));
  input.slices.push_back(Upsert(3, TableOf({{"sk_col_1", arrow::int64(), "[4, 5, 6]"},
                                            {"col_1", arrow::float64(), "[10.0, 11.0, 12.0]"}})));
  input.slices.push_back(Delete(4, TableOf({{"sk_col_1", arrow::int64(), "[6]"}})));
  auto merged = MergeSlices(input, options);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  // Unkeyed output is the input order minus deletes.
  EXPECT_EQ(RowsOf(*merged->table),
            (std::vector<std::string>{"sk_col_1=1 col_1=1", "sk_col_1=1 col_1=1",
                                      "sk_col_1=2 col_1=2", "sk_col_1=2 col_1=2",
                                      "sk_col_1=4 col_1=10", "sk_col_1=5 col_1=11"}));
  EXPECT_EQ(merged->stats.deleted_rows, 3);
  MergedRowsAcrossBuckets(input, options);
}

// --- Incremental ------------------------------------------------------------------------------

TEST(MergeKernel, S13IncrementalUpdateAndInsert) {
  auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("v", arrow::float64())});
  MergeInput input;
  MergeSlice base = Upsert(1, TableOf({{"pk", arrow::int64(), "[0,1,2,3,4,5,6,7,8,9]"},
                                       {"v", arrow::float64(), "[0,0,0,0,0,0,0,0,0,0]"}}));
  base.compacted = true;
  input.slices.push_back(base);
  input.slices.push_back(Upsert(2, TableOf({{"pk", arrow::int64(), "[8, 9, 10]"},
                                            {"v", arrow::float64(), "[200, 100, 7]"}})));
  const auto rows = MergedRowsAcrossBuckets(input, KeyedOptions(schema));
  EXPECT_EQ(rows, Sorted({"pk=0 v=0", "pk=1 v=0", "pk=2 v=0", "pk=3 v=0", "pk=4 v=0", "pk=5 v=0",
                          "pk=6 v=0", "pk=7 v=0", "pk=8 v=200", "pk=9 v=100", "pk=10 v=7"}));
}

TEST(MergeKernel, S14EmptyIncrementChangesNothing) {
  MergeInput input;
  input.slices.push_back(Upsert(1, PkVTable("[1, 2]", R"(["a", "b"])")));
  input.slices.push_back(Upsert(2, PkVTable("[]", "[]")));
  input.slices.push_back(Delete(3, TableOf({{"pk", arrow::int64(), "[]"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkV())), Sorted({"pk=1 v=a", "pk=2 v=b"}));
  MergeInput nothing;
  auto merged = MergeSlices(nothing, KeyedOptions(PkV()));
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->table->num_rows(), 0);
  EXPECT_TRUE(merged->table->schema()->Equals(*PkV()));
}

// --- Deletes ----------------------------------------------------------------------------------

std::shared_ptr<arrow::Schema> PkCol1() {
  return arrow::schema(
      {arrow::field("pk_col_1", arrow::int64()), arrow::field("col_1", arrow::utf8())});
}

std::shared_ptr<arrow::Table> PkCol1Table(const std::string& pks, const std::string& values) {
  return TableOf({{"pk_col_1", arrow::int64(), pks}, {"col_1", arrow::utf8(), values}});
}

std::shared_ptr<arrow::Table> Col1Table(const std::string& values) {
  return TableOf({{"col_1", arrow::utf8(), values}});
}

MergeSlice CompactedBase(std::shared_ptr<arrow::Table> table) {
  MergeSlice slice = Upsert(1, std::move(table));
  slice.compacted = true;
  return slice;
}

TEST(MergeKernel, S21aDeleteOnNonKeyColumn) {
  MergeInput input;
  input.slices.push_back(
      CompactedBase(PkCol1Table("[0,1,2,3,4,5]", R"(["996","997","998","999","fiz","buz"])")));
  input.slices.push_back(Upsert(2, PkCol1Table("[0,1,2]", R"(["0","1","2"])")));
  input.slices.push_back(Upsert(3, PkCol1Table("[2,3]", R"(["abc","def"])")));
  input.slices.push_back(Upsert(4, PkCol1Table("[4]", R"(["ghi"])")));
  input.slices.push_back(Delete(5, Col1Table(R"(["0","1","2","abc","def","ghi"])"), {"col_1"}));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkCol1(), {"pk_col_1"})),
            Sorted({"pk_col_1=5 col_1=buz"}));
}

TEST(MergeKernel, S21bDeleteMatchesOnlyCurrentValues) {
  MergeInput input;
  input.slices.push_back(
      CompactedBase(PkCol1Table("[0,1,2,3,4,5]", R"(["996","997","998","999","fiz","buz"])")));
  input.slices.push_back(Upsert(2, PkCol1Table("[0,1,2,3,4,5]", R"(["0","1","2","3","4","5"])")));
  input.slices.push_back(Upsert(3, PkCol1Table("[0]", R"(["foo"])")));
  input.slices.push_back(
      Delete(4, Col1Table(R"(["996","997","998","999","fiz","buz"])"), {"col_1"}));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkCol1(), {"pk_col_1"})),
            Sorted({"pk_col_1=0 col_1=foo", "pk_col_1=1 col_1=1", "pk_col_1=2 col_1=2",
                    "pk_col_1=3 col_1=3", "pk_col_1=4 col_1=4", "pk_col_1=5 col_1=5"}));
}

TEST(MergeKernel, S22UDDUUDD) {
  // Python's rebase-then-incremental case 21.
  MergeInput input;
  input.slices.push_back(
      CompactedBase(PkCol1Table("[0,1,2,3,4,5]", R"(["996","997","998","999","fiz","buz"])")));
  input.slices.push_back(Upsert(2, PkCol1Table("[0,1,2,3,4,5]", R"(["0","1","2","3","4","5"])")));
  input.slices.push_back(Delete(3, Col1Table(R"(["DOESNOTEXIST"])"), {"col_1"}));
  input.slices.push_back(Delete(4, PkCol1Table("[1]", R"(["1"])"), {"col_1"}));
  input.slices.push_back(Upsert(5, PkCol1Table("[2,3,6,7]", R"(["boo","bar","fiz","aaa"])")));
  input.slices.push_back(Delete(6, Col1Table(R"(["fiz","bar","boo"])"), {"col_1"}));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkCol1(), {"pk_col_1"})),
            Sorted({"pk_col_1=0 col_1=0", "pk_col_1=4 col_1=4", "pk_col_1=5 col_1=5",
                    "pk_col_1=7 col_1=aaa"}));
}

TEST(MergeKernel, S23UpsertThenDeleteHitsBaseAndIncrement) {
  MergeInput input;
  input.slices.push_back(CompactedBase(PkCol1Table("[0, 1]", R"(["0", "1"])")));
  input.slices.push_back(Upsert(2, PkCol1Table("[0]", R"(["1"])")));
  input.slices.push_back(Delete(3, Col1Table(R"(["1"])"), {"col_1"}));
  auto options = KeyedOptions(PkCol1(), {"pk_col_1"});
  EXPECT_TRUE(MergedRowsAcrossBuckets(input, options).empty());

  // S24: upsert again after the delete.
  input.slices.push_back(Upsert(4, PkCol1Table("[0]", R"(["1"])")));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options), Sorted({"pk_col_1=0 col_1=1"}));
}

TEST(MergeKernel, S25DeletesThenUpserts) {
  MergeInput input;
  input.slices.push_back(CompactedBase(PkCol1Table("[0,1,2,3,4]", R"(["0","1","2","3","4"])")));
  input.slices.push_back(Delete(2, Col1Table(R"(["1","1","2"])"), {"col_1"}));
  input.slices.push_back(Delete(3, TableOf({{"pk_col_1", arrow::int64(), "[0]"}})));
  input.slices.push_back(Upsert(4, PkCol1Table("[0, 3]", R"(["a", "b"])")));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkCol1(), {"pk_col_1"})),
            Sorted({"pk_col_1=0 col_1=a", "pk_col_1=3 col_1=b", "pk_col_1=4 col_1=4"}));
}

TEST(MergeKernel, S26CompositeDeleteKeyMatchesTuplesNotColumns) {
  MergeInput input;
  input.slices.push_back(
      CompactedBase(PkCol1Table("[10, 11, 10, 12]", R"(["10", "11", "x", "11"])")));
  // (10, "11") and (11, "10") are not deleted: Python 2.0.0.post4 ANDs per-column is_in and
  // would delete them; tuple semantics (compaction.md §16.26) keep them.
  input.slices.push_back(Upsert(2, PkCol1Table("[13, 14]", R"(["11", "10"])")));
  input.slices.push_back(
      Delete(3, PkCol1Table("[10, 11]", R"(["10", "11"])"), {"pk_col_1", "col_1"}));
  auto options = KeyedOptions(PkCol1(), {"pk_col_1"});
  options.drop_duplicates = false;  // keep both pk=10 rows so that the tuple match shows
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk_col_1=10 col_1=x", "pk_col_1=12 col_1=11", "pk_col_1=13 col_1=11",
                    "pk_col_1=14 col_1=10"}));
}

TEST(MergeKernel, S27NullSafeDeletes) {
  // Python's rebase-then-incremental case 31.
  MergeInput input;
  input.slices.push_back(CompactedBase(PkCol1Table(
      "[0,1,2,3,4,5,6,7,8,9,10,null]", R"(["0","1","2","3","4","5","6","7","8","9","10","11"])")));
  input.slices.push_back(Upsert(2, PkCol1Table("[10, 11, null, 13]", R"(["a","b","c","d"])")));
  input.slices.push_back(
      Delete(3, PkCol1Table("[10, 11]", R"(["a", "b"])"), {"pk_col_1", "col_1"}));
  input.slices.push_back(
      Delete(4, TableOf({{"pk_col_1", arrow::int64(), "[null]"}}), {"pk_col_1"}));
  input.slices.push_back(Delete(5, Col1Table(R"(["c"])"), {"col_1"}));
  input.slices.push_back(Delete(6, Col1Table(R"(["c"])"), {"col_1"}));
  input.slices.push_back(
      Delete(7, PkCol1Table("[10, 11]", R"(["a", "b"])"), {"pk_col_1", "col_1"}));
  input.slices.push_back(Delete(8, Col1Table(R"(["c"])"), {"col_1"}));
  auto merged = MergeSlices(input, KeyedOptions(PkCol1(), {"pk_col_1"}));
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->stats.deleted_rows, 3);
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkCol1(), {"pk_col_1"})),
            Sorted({"pk_col_1=0 col_1=0", "pk_col_1=1 col_1=1", "pk_col_1=2 col_1=2",
                    "pk_col_1=3 col_1=3", "pk_col_1=4 col_1=4", "pk_col_1=5 col_1=5",
                    "pk_col_1=6 col_1=6", "pk_col_1=7 col_1=7", "pk_col_1=8 col_1=8",
                    "pk_col_1=9 col_1=9", "pk_col_1=13 col_1=d"}));
}

TEST(MergeKernel, S28DeleteValidation) {
  auto options = KeyedOptions(PkCol1(), {"pk_col_1"});
  MergeInput input;
  input.slices.push_back(Upsert(1, PkCol1Table("[1, 2]", R"(["a", "b"])")));

  // A delete with columns but no rows is a no-op.
  MergeInput empty_delete = input;
  empty_delete.slices.push_back(Delete(2, Col1Table("[]"), {"col_1"}));
  EXPECT_EQ(MergedRowsAcrossBuckets(empty_delete, options).size(), 2u);

  // A delete column missing from the table schema is ignored (Python warns); the rest match.
  MergeInput unknown_column = input;
  unknown_column.slices.push_back(
      Delete(2, TableOf({{"col_1", arrow::utf8(), R"(["a"])"}, {"gone", arrow::int64(), "[5]"}}),
             {"col_1", "gone"}));
  EXPECT_EQ(MergedRowsAcrossBuckets(unknown_column, options), Sorted({"pk_col_1=2 col_1=b"}));

  // A delete without any column cannot say what to delete.
  MergeOptions unkeyed;
  unkeyed.output_schema = PkCol1();
  MergeInput no_columns = input;
  no_columns.slices.push_back(Delete(2, arrow::Table::MakeEmpty(arrow::schema({})).ValueOrDie()));
  EXPECT_EQ(MergeSlices(no_columns, unkeyed).status().code(), ErrorCode::kValidation);

  // A delete whose table lacks the columns it names.
  MergeInput missing = input;
  missing.slices.push_back(Delete(2, Col1Table(R"(["a"])"), {"pk_col_1"}));
  EXPECT_EQ(MergeSlices(missing, options).status().code(), ErrorCode::kInvalidArgument);
}

TEST(MergeKernel, DeleteDefaultsToMergeKeysAndIgnoresOtherPayloadColumns) {
  MergeInput input;
  input.slices.push_back(Upsert(1, PkCol1Table("[1, 2, 3]", R"(["a", "b", "c"])")));
  // The payload's col_1 values do not match; only the merge key counts.
  input.slices.push_back(Delete(2, PkCol1Table("[2, 3]", R"(["zz", "zz"])")));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkCol1(), {"pk_col_1"})),
            Sorted({"pk_col_1=1 col_1=a"}));
}

// --- Partial upserts --------------------------------------------------------------------------

std::shared_ptr<arrow::Schema> PkABC() {
  return arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("a", arrow::utf8()),
                        arrow::field("b", arrow::int64()), arrow::field("c", arrow::utf8())});
}

TEST(MergeKernel, PartialUpsertKeepsAbsentColumnsByKeyNotPosition) {
  MergeInput input;
  input.slices.push_back(CompactedBase(TableOf({{"pk", arrow::int64(), "[1, 2, 3]"},
                                                {"a", arrow::utf8(), R"(["a1", "a2", "a3"])"},
                                                {"b", arrow::int64(), "[10, 20, 30]"},
                                                {"c", arrow::utf8(), R"(["c1", "c2", "c3"])"}})));
  // Keys in a different order than the base, plus a new key: positional alignment (Python's
  // bug) would mix rows up.
  input.slices.push_back(Upsert(2, TableOf({{"pk", arrow::int64(), "[3, 4, 1]"},
                                            {"a", arrow::utf8(), R"(["A3", "A4", null])"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkABC())),
            Sorted({"pk=1 a=null b=10 c=c1", "pk=2 a=a2 b=20 c=c2", "pk=3 a=A3 b=30 c=c3",
                    "pk=4 a=A4 b=null c=null"}));
}

TEST(MergeKernel, PartialUpsertChainsAndDefaults) {
  auto options = KeyedOptions(PkABC());
  options.column_defaults["c"] = arrow::MakeScalar("default-c");
  options.column_defaults["b"] = arrow::MakeScalar(int32_t{-1});  // cast to int64
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 2]"},
                                            {"a", arrow::utf8(), R"(["a1", "a2"])"},
                                            {"b", arrow::int64(), "[10, 20]"},
                                            {"c", arrow::utf8(), R"(["c1", "c2"])"}})));
  input.slices.push_back(Upsert(
      2, TableOf({{"pk", arrow::int64(), "[1, 5]"}, {"a", arrow::utf8(), R"(["A1", "A5"])"}})));
  input.slices.push_back(
      Upsert(3, TableOf({{"pk", arrow::int64(), "[1, 5]"}, {"b", arrow::int64(), "[11, 55]"}})));
  // Columns present in the table but not provided (schema coercion filled them) stay absent.
  MergeSlice coerced = Upsert(4, TableOf({{"pk", arrow::int64(), "[2]"},
                                          {"a", arrow::utf8(), "[null]"},
                                          {"b", arrow::int64(), "[22]"},
                                          {"c", arrow::utf8(), "[null]"}}));
  coerced.provided_columns = std::vector<std::string>{"pk", "b"};
  input.slices.push_back(coerced);
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options),
            Sorted({"pk=1 a=A1 b=11 c=c1", "pk=2 a=a2 b=22 c=c2", "pk=5 a=A5 b=55 c=default-c"}));
}

TEST(MergeKernel, PartialUpsertAfterDeleteStartsFresh) {
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1]"},
                                            {"a", arrow::utf8(), R"(["a1"])"},
                                            {"b", arrow::int64(), "[10]"},
                                            {"c", arrow::utf8(), R"(["c1"])"}})));
  input.slices.push_back(Delete(2, TableOf({{"pk", arrow::int64(), "[1]"}})));
  input.slices.push_back(
      Upsert(3, TableOf({{"pk", arrow::int64(), "[1]"}, {"a", arrow::utf8(), R"(["again"])"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkABC())),
            Sorted({"pk=1 a=again b=null c=null"}));
}

TEST(MergeKernel, DeleteByValueSeesPartiallyMergedRows) {
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"pk", arrow::int64(), "[1, 2]"},
                                            {"a", arrow::utf8(), R"(["x", "y"])"},
                                            {"b", arrow::int64(), "[1, 2]"},
                                            {"c", arrow::utf8(), R"(["keep", "keep"])"}})));
  input.slices.push_back(
      Upsert(2, TableOf({{"pk", arrow::int64(), "[2]"}, {"b", arrow::int64(), "[3]"}})));
  // Row 2 is now (y, 3, keep): matches on (a, b) only through its merged values.
  input.slices.push_back(
      Delete(3, TableOf({{"a", arrow::utf8(), R"(["y", "x"])"}, {"b", arrow::int64(), "[3, 2]"}}),
             {"a", "b"}));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, KeyedOptions(PkABC())), Sorted({"pk=1 a=x b=1 c=keep"}));
}

TEST(MergeKernel, UnkeyedSlicesMissingColumnsGetDefaults) {
  MergeOptions options;
  options.output_schema = PkABC();
  options.column_defaults["b"] = arrow::MakeScalar(int64_t{7});
  MergeInput input;
  input.slices.push_back(
      Upsert(1, TableOf({{"pk", arrow::int64(), "[1]"}, {"a", arrow::utf8(), R"(["x"])"}})));
  input.slices.push_back(Upsert(2, TableOf({{"c", arrow::utf8(), R"(["only c"])"}})));
  // Deleting by the defaulted column value matches the defaulted rows.
  auto merged = MergeSlices(input, options);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(RowsOf(*merged->table),
            (std::vector<std::string>{"pk=1 a=x b=7 c=null", "pk=null a=null b=7 c=only c"}));
  input.slices.push_back(
      Delete(3, TableOf({{"b", arrow::int64(), "[7]"}, {"c", arrow::utf8(), "[null]"}})));
  EXPECT_EQ(MergedRowsAcrossBuckets(input, options), Sorted({"pk=null a=null b=7 c=only c"}));
}

// --- Order, types, streaming, errors --------------------------------------------------------

TEST(MergeKernel, OutputOrderIsTheWinningWritesStreamOrder) {
  MergeInput input;
  input.slices.push_back(Upsert(1, PkVTable("[1, 2, 3, 4]", R"(["a", "b", "c", "d"])")));
  input.slices.push_back(Upsert(2, PkVTable("[3, 5, 1]", R"(["C", "E", "A"])")));
  auto merged = MergeSlices(input, KeyedOptions(PkV()));
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(RowsOf(*merged->table),
            (std::vector<std::string>{"pk=2 v=b", "pk=4 v=d", "pk=3 v=C", "pk=5 v=E", "pk=1 v=A"}));
  EXPECT_EQ(merged->stats.input_rows, 7);
  EXPECT_EQ(merged->stats.deduped_rows, 2);
  EXPECT_EQ(merged->stats.output_rows, 5);
}

TEST(MergeKernel, SliceColumnsAreCastToTheOutputTypesAndReordered) {
  auto schema = arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("v", arrow::utf8()),
                               arrow::field("w", arrow::large_utf8())});
  MergeInput input;
  input.slices.push_back(Upsert(1, TableOf({{"w", arrow::utf8(), R"(["w1"])"},
                                            {"pk", arrow::int32(), "[1]"},
                                            {"v", arrow::utf8(), R"(["v1"])"}})));
  input.slices.push_back(
      Upsert(2, TableOf({{"pk", arrow::int64(), "[1]"}, {"v", arrow::large_utf8(), R"(["v2"])"}})));
  auto merged = MergeSlices(input, KeyedOptions(schema));
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_TRUE(merged->table->schema()->Equals(*schema));
  EXPECT_EQ(RowsOf(*merged->table), (std::vector<std::string>{"pk=1 v=v2 w=w1"}));
}

TEST(MergeKernel, ChunkedSlicesAndSmallOutputBatches) {
  auto pk = std::make_shared<arrow::ChunkedArray>(arrow::ArrayVector{
      testing::ArrayOf(arrow::int64(), "[1, 2, 3]"), testing::ArrayOf(arrow::int64(), "[4, 5]")});
  auto v = std::make_shared<arrow::ChunkedArray>(
      arrow::ArrayVector{testing::ArrayOf(arrow::utf8(), R"(["a"])"),
                         testing::ArrayOf(arrow::utf8(), R"(["b", "c", "d", "e"])")});
  MergeInput input;
  input.slices.push_back(Upsert(1, arrow::Table::Make(PkV(), {pk, v})));
  input.slices.push_back(Upsert(2, PkVTable("[2, 4]", R"(["B", "D"])")));
  auto stream = MergeStream::Make(KeyedOptions(PkV()));
  ASSERT_TRUE(stream.ok());
  for (const auto& slice : input.slices) ASSERT_TRUE((*stream)->Add(slice).ok());
  auto reader = (*stream)->Finish(/*max_rows_per_batch=*/1);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> rows;
  std::shared_ptr<arrow::RecordBatch> batch;
  int batches = 0;
  while (true) {
    ASSERT_TRUE((*reader)->ReadNext(&batch).ok());
    if (batch == nullptr) break;
    ++batches;
    EXPECT_EQ(batch->num_rows(), 1);
    auto table = arrow::Table::FromRecordBatches({batch}).ValueOrDie();
    for (auto& row : RowsOf(*table)) rows.push_back(row);
  }
  EXPECT_EQ(batches, 5);
  EXPECT_EQ(rows,
            (std::vector<std::string>{"pk=1 v=a", "pk=3 v=c", "pk=5 v=e", "pk=2 v=B", "pk=4 v=D"}));
  EXPECT_EQ((*stream)->Add(input.slices[0]).code(), ErrorCode::kIllegalState);
}

std::shared_ptr<arrow::Int32Array> Selection(const std::vector<int32_t>& rows) {
  arrow::Int32Builder builder;
  EXPECT_TRUE(builder.AppendValues(rows).ok());
  return std::static_pointer_cast<arrow::Int32Array>(builder.Finish().ValueOrDie());
}

TEST(MergeKernel, SelectedRowsAreReadInPlace) {
  MergeInput input;
  MergeSlice base = Upsert(1, PkVTable("[1,2,3,4,5,6]", R"(["a","b","c","d","e","f"])"));
  base.selection = Selection({0, 2, 3, 5});  // pk 1, 3, 4, 6
  input.slices.push_back(base);
  MergeSlice update = Upsert(2, PkVTable("[3,9,6,7]", R"(["C","x","F","y"])"));
  update.selection = Selection({0, 2});  // pk 3, 6
  input.slices.push_back(update);
  auto merged = MergeSlices(input, KeyedOptions(PkV()));
  ASSERT_TRUE(merged.ok()) << merged.status();
  // Output order: the untouched rows of the base (1, 4), then the update's rows (3, 6).
  EXPECT_EQ(RowsOf(*merged->table),
            (std::vector<std::string>{"pk=1 v=a", "pk=4 v=d", "pk=3 v=C", "pk=6 v=F"}));
  EXPECT_EQ(merged->stats.input_rows, 6);
  EXPECT_EQ(merged->stats.deduped_rows, 2);
}

TEST(MergeKernel, BadSelectionsAreRejected) {
  auto merge_one = [](MergeSlice slice) {
    MergeInput input;
    input.slices.push_back(std::move(slice));
    return MergeSlices(input, KeyedOptions(PkV())).status();
  };
  MergeSlice out_of_range = Upsert(1, PkVTable("[1,2]", R"(["a","b"])"));
  out_of_range.selection = Selection({1, 2});
  EXPECT_EQ(merge_one(out_of_range).code(), ErrorCode::kInvalidArgument);
  MergeSlice negative = Upsert(1, PkVTable("[1,2]", R"(["a","b"])"));
  negative.selection = Selection({-1});
  EXPECT_EQ(merge_one(negative).code(), ErrorCode::kInvalidArgument);
  MergeSlice chunked =
      Upsert(1, arrow::ConcatenateTables({PkVTable("[1]", R"(["a"])"), PkVTable("[2]", R"(["b"])")})
                    .ValueOrDie());
  chunked.selection = Selection({0});
  EXPECT_EQ(merge_one(chunked).code(), ErrorCode::kInvalidArgument);
  MergeSlice deletion = Delete(1, PkVTable("[1]", R"(["a"])"));
  deletion.selection = Selection({0});
  EXPECT_EQ(merge_one(deletion).code(), ErrorCode::kInvalidArgument);
}

TEST(MergeKernel, StreamRejectsOutOfOrderSlices) {
  auto stream = MergeStream::Make(KeyedOptions(PkV()));
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Add(Upsert(5, PkVTable("[1]", R"(["a"])"))).ok());
  EXPECT_TRUE((*stream)->Add(Upsert(5, PkVTable("[1]", R"(["b"])"))).ok());
  EXPECT_EQ((*stream)->Add(Upsert(4, PkVTable("[1]", R"(["c"])"))).code(),
            ErrorCode::kInvalidArgument);
  auto table = (*stream)->FinishTable();
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(RowsOf(**table), (std::vector<std::string>{"pk=1 v=b"}));
}

TEST(MergeKernel, InvalidOptionsAndSlices) {
  MergeOptions no_schema;
  EXPECT_EQ(MergeStream::Make(no_schema).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(MergeStream::Make(KeyedOptions(PkV(), {"nope"})).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(MergeStream::Make(KeyedOptions(PkV(), {"pk", "pk"})).status().code(),
            ErrorCode::kInvalidArgument);
  auto list_schema = arrow::schema({arrow::field("pk", arrow::list(arrow::int64()))});
  EXPECT_EQ(MergeStream::Make(KeyedOptions(list_schema)).status().code(),
            ErrorCode::kInvalidArgument);
  auto bad_sort = KeyedOptions(PkV());
  bad_sort.sort_keys = {{"missing", false}};
  EXPECT_EQ(MergeStream::Make(bad_sort).status().code(), ErrorCode::kInvalidArgument);
  auto bad_default = KeyedOptions(PkV());
  bad_default.column_defaults["pk"] = arrow::MakeScalar("not a number");
  EXPECT_EQ(MergeStream::Make(bad_default).status().code(), ErrorCode::kSchemaValidation);

  auto options = KeyedOptions(PkV());
  auto run = [&](MergeSlice slice) {
    MergeInput input;
    input.slices.push_back(std::move(slice));
    return MergeSlices(input, options).status();
  };
  EXPECT_EQ(run(Upsert(1, nullptr)).code(), ErrorCode::kInvalidArgument);
  // Missing merge key.
  EXPECT_EQ(run(Upsert(1, TableOf({{"v", arrow::utf8(), R"(["a"])"}}))).code(),
            ErrorCode::kInvalidArgument);
  // Column not in the schema.
  const Status extra =
      run(Upsert(1, TableOf({{"pk", arrow::int64(), "[1]"}, {"extra", arrow::int64(), "[1]"}})));
  EXPECT_EQ(extra.code(), ErrorCode::kSchemaValidation);
  EXPECT_NE(extra.message().find("extra"), std::string::npos) << extra.message();
  // Uncastable column.
  const Status uncastable = run(Upsert(1, TableOf({{"pk", arrow::utf8(), R"(["x"])"}})));
  EXPECT_EQ(uncastable.code(), ErrorCode::kSchemaValidation);
  EXPECT_NE(uncastable.message().find("stream position 1"), std::string::npos);
  // Provided column the table lacks.
  MergeSlice lying = Upsert(1, PkVTable("[1]", R"(["a"])"));
  lying.provided_columns = std::vector<std::string>{"pk", "ghost"};
  EXPECT_EQ(run(lying).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace deltacat::compute
