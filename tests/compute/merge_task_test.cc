// Sub-partitioned merges (merge_task.h): which delete rows each sub-partition applies.

#include "deltacat/compute/merge_task.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <arrow/api.h>

#include "compute_test_util.h"

namespace deltacat::compute {
namespace {

using testing::ArrayOf;
using testing::Col;
using testing::TableOf;

constexpr uint32_t kParts = 7;

MergeTask KeyedTask(std::vector<std::string> merge_keys) {
  MergeTask task;
  task.merge_keys = std::move(merge_keys);
  return task;
}

MergeTaskInput DeleteInput(std::vector<std::string> columns) {
  MergeTaskInput input;
  input.kind = MergeTaskInput::Kind::kDelete;
  input.delete_columns = std::move(columns);
  return input;
}

/// `[first, first+1, ..., first+count-1]` as a JSON array.
std::string Range(int64_t first, int64_t count) {
  std::string json = "[";
  for (int64_t i = 0; i < count; ++i) {
    json += (i > 0 ? ", " : "") + std::to_string(first + i);
  }
  return json + "]";
}

/// The sub-partition an upsert row with key `pk` lands in.
uint32_t PartOfKey(int64_t pk) {
  auto parts =
      SubPartitionsOf({ArrayOf(arrow::int64(), "[" + std::to_string(pk) + "]")}, 1, kParts);
  EXPECT_TRUE(parts.ok()) << parts.status();
  return parts.ok() ? (*parts)[0] : kParts;
}

TEST(SubPartitionDeletes, DeletesByMergeKeyGoOnlyToTheirKeysSubPartition) {
  const auto schema = arrow::schema({arrow::field("pk", arrow::int64())});
  // Two chunks, the second with an int32 key column that the split casts like the merge does.
  auto first = TableOf({{"pk", arrow::int64(), Range(0, 500)}});
  auto second = TableOf({{"pk", arrow::int32(), Range(500, 500)}});
  auto split = SplitDeletesBySubPartition(KeyedTask({"pk"}), *schema, DeleteInput({"pk"}),
                                          {first, second}, kParts);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_TRUE(split->shared.empty());
  ASSERT_EQ(split->parts.size(), kParts);
  std::vector<int> seen(1000, 0);
  int parts_with_rows = 0;
  for (uint32_t p = 0; p < kParts; ++p) {
    parts_with_rows += split->parts[p].empty() ? 0 : 1;
    for (const auto& table : split->parts[p]) {
      EXPECT_GT(table->num_rows(), 0);
      auto column = table->column(0);
      for (const auto& chunk : column->chunks()) {
        for (int64_t r = 0; r < chunk->length(); ++r) {
          auto scalar = chunk->GetScalar(r).ValueOrDie();
          const int64_t pk = scalar->type->id() == arrow::Type::INT32
                                 ? std::static_pointer_cast<arrow::Int32Scalar>(scalar)->value
                                 : std::static_pointer_cast<arrow::Int64Scalar>(scalar)->value;
          ASSERT_GE(pk, 0);
          ASSERT_LT(pk, 1000);
          ++seen[pk];
          EXPECT_EQ(p, PartOfKey(pk)) << "delete of key " << pk;
        }
      }
    }
  }
  // Every delete row is applied exactly once, not once per sub-partition.
  for (int64_t pk = 0; pk < 1000; ++pk) EXPECT_EQ(seen[pk], 1) << pk;
  EXPECT_EQ(parts_with_rows, static_cast<int>(kParts));
}

TEST(SubPartitionDeletes, CompositeKeysInAnyOrderAndNullKeysSplitLikeTheUpserts) {
  const auto schema =
      arrow::schema({arrow::field("a", arrow::utf8()), arrow::field("b", arrow::int64())});
  // The delete names the keys in the other order; its columns come in that order too.
  auto deletes = TableOf({{"b", arrow::int64(), "[1, 2, null, 4, 5, 6, 7, 8]"},
                          {"a", arrow::utf8(), R"(["x", null, "y", "z", "x", "y", "z", "w"])"}});
  auto split = SplitDeletesBySubPartition(KeyedTask({"a", "b"}), *schema, DeleteInput({"b", "a"}),
                                          {deletes}, kParts);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_TRUE(split->shared.empty());
  int64_t rows = 0;
  for (uint32_t p = 0; p < kParts; ++p) {
    for (const auto& table : split->parts[p]) {
      rows += table->num_rows();
      auto a = table->GetColumnByName("a")->chunk(0);
      auto b = table->GetColumnByName("b")->chunk(0);
      auto parts = SubPartitionsOf({a, b}, table->num_rows(), kParts);
      ASSERT_TRUE(parts.ok()) << parts.status();
      for (uint32_t part : *parts) EXPECT_EQ(part, p);
    }
  }
  EXPECT_EQ(rows, 8);
}

TEST(SubPartitionDeletes, DeletesByOtherColumnsOrUnsplitMergesGoToEverySubPartition) {
  const auto schema =
      arrow::schema({arrow::field("pk", arrow::int64()), arrow::field("v", arrow::utf8())});
  auto by_value = TableOf({{"v", arrow::utf8(), R"(["a", "b"])"}});
  auto by_key = TableOf({{"pk", arrow::int64(), "[1, 2, 3]"}});
  auto by_both = TableOf({{"pk", arrow::int64(), "[1]"}, {"v", arrow::utf8(), R"(["a"])"}});
  auto expect_shared = [&](const MergeTask& task, const MergeTaskInput& input,
                           const std::shared_ptr<arrow::Table>& table) {
    auto split = SplitDeletesBySubPartition(task, *schema, input, {table}, kParts);
    ASSERT_TRUE(split.ok()) << split.status();
    ASSERT_EQ(split->shared.size(), 1u);
    EXPECT_EQ(split->shared[0], table);
    for (const auto& part : split->parts) EXPECT_TRUE(part.empty());
  };
  expect_shared(KeyedTask({"pk"}), DeleteInput({"v"}), by_value);
  expect_shared(KeyedTask({"pk"}), DeleteInput({"pk", "v"}), by_both);
  // Rows of one key do not share a sub-partition without drop_duplicates, nor without keys.
  MergeTask keep_duplicates = KeyedTask({"pk"});
  keep_duplicates.drop_duplicates = false;
  expect_shared(keep_duplicates, DeleteInput({"pk"}), by_key);
  expect_shared(KeyedTask({}), DeleteInput({"pk"}), by_key);
  // A delete column the table lacks falls back to the merge keys, as in the merge kernel.
  auto split = SplitDeletesBySubPartition(KeyedTask({"pk"}), *schema, DeleteInput({"missing"}),
                                          {by_key}, kParts);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_TRUE(split->shared.empty());
}

}  // namespace
}  // namespace deltacat::compute
