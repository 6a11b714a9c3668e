// The in-process spill store of the hash-bucket step.

#include "deltacat/compute/memory_spill.h"

#include "deltacat/compute/compaction_input.h"

#include <gtest/gtest.h>

#include <arrow/api.h>

namespace deltacat::compute {
namespace {

std::shared_ptr<arrow::RecordBatch> Batch(int64_t rows) {
  arrow::Int64Builder builder;
  for (int64_t i = 0; i < rows; ++i) EXPECT_TRUE(builder.Append(i).ok());
  return arrow::RecordBatch::Make(arrow::schema({arrow::field("pk", arrow::int64())}), rows,
                                  {builder.Finish().ValueOrDie()});
}

TEST(MemorySpillStore, BatchesAreTakenOnceAndFreeTheirBytes) {
  MemorySpillStore store;
  EXPECT_EQ(store.Append("/s/round/hb-0-0.arrow", {Batch(10), nullptr}), 0);
  EXPECT_EQ(store.Append("/s/round/hb-0-0.arrow", {Batch(20), nullptr}), 1);
  EXPECT_EQ(store.Append("/s/round/hb-0-0.arrow", {Batch(30), nullptr}), 2);
  EXPECT_GE(store.bytes(), 60 * 8);
  EXPECT_TRUE(store.Contains("/s/round/hb-0-0.arrow"));
  EXPECT_FALSE(store.Contains("/s/round/hb-1-0.arrow"));

  auto taken = store.Take("/s/round/hb-0-0.arrow", {0, 2});
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_EQ(taken->size(), 2u);
  EXPECT_EQ((*taken)[0].batch->num_rows(), 10);
  EXPECT_EQ((*taken)[1].batch->num_rows(), 30);
  // A batch is read by one merge only: a second read is a clear error.
  auto again = store.Take("/s/round/hb-0-0.arrow", {2});
  EXPECT_EQ(again.status().code(), ErrorCode::kInvalidArgument) << again.status();
  EXPECT_EQ(store.Take("/s/round/hb-0-0.arrow", {3}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.Take("/s/round/nothing.arrow", {0}).status().code(), ErrorCode::kInvalidArgument);

  // The last batch taken removes the spill.
  ASSERT_TRUE(store.Take("/s/round/hb-0-0.arrow", {1}).ok());
  EXPECT_FALSE(store.Contains("/s/round/hb-0-0.arrow"));
  EXPECT_EQ(store.bytes(), 0);
}

TEST(MemorySpillStore, SelectionsShareTheirBatchAndCountTheirShare) {
  MemorySpillStore store;
  const auto batch = Batch(100);
  const int64_t whole = BatchBytes(*batch);
  arrow::Int32Builder first, second;
  for (int32_t row = 0; row < 100; ++row) {
    EXPECT_TRUE((row % 4 == 0 ? first : second).Append(row).ok());
  }
  const auto first_rows = std::static_pointer_cast<arrow::Int32Array>(first.Finish().ValueOrDie());
  const auto second_rows =
      std::static_pointer_cast<arrow::Int32Array>(second.Finish().ValueOrDie());
  store.Append("/s/round/hb-0-0.arrow", {batch, first_rows});
  store.Append("/s/round/hb-0-1.arrow", {batch, second_rows});
  // Counted once in all: a quarter and three quarters of the batch.
  EXPECT_NEAR(static_cast<double>(store.bytes()), static_cast<double>(whole), 2.0);

  auto taken = store.Take("/s/round/hb-0-0.arrow", {0});
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].num_rows(), 25);
  EXPECT_EQ((*taken)[0].batch, batch);  // not copied
  auto rows = (*taken)[0].Materialize();
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ((*rows)->num_rows(), 25);
  const auto& pk = static_cast<const arrow::Int64Array&>(*(*rows)->column(0));
  for (int64_t i = 0; i < 25; ++i) EXPECT_EQ(pk.Value(i), 4 * i);
  EXPECT_NEAR(static_cast<double>(store.bytes()), static_cast<double>(whole) * 0.75, 2.0);
}

TEST(MemorySpillStore, RemoveUnderDropsOneRoundsSpillsOnly) {
  MemorySpillStore store;
  store.Append("/s/round/hb-0-0.arrow", {Batch(5), nullptr});
  store.Append("/s/round/merge-1/part-0.arrow", {Batch(5), nullptr});
  store.Append("/s/round-2/hb-0-0.arrow",
               {Batch(7), nullptr});  // sorts between "/s/round" and "/s/round/"
  store.Append("/s/roundabout.arrow", {Batch(3), nullptr});
  const int64_t others = store.bytes();
  store.RemoveUnder("/s/round");
  EXPECT_FALSE(store.Contains("/s/round/hb-0-0.arrow"));
  EXPECT_FALSE(store.Contains("/s/round/merge-1/part-0.arrow"));
  EXPECT_TRUE(store.Contains("/s/round-2/hb-0-0.arrow"));
  EXPECT_TRUE(store.Contains("/s/roundabout.arrow"));
  EXPECT_LT(store.bytes(), others);
  store.RemoveUnder("/s/round-2/");
  store.RemoveUnder("/s/roundabout.arrow");
  EXPECT_EQ(store.bytes(), 0);
}

}  // namespace
}  // namespace deltacat::compute
