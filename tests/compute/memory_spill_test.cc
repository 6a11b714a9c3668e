// The in-process spill store of the hash-bucket step.

#include "deltacat/compute/memory_spill.h"

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
  EXPECT_EQ(store.Append("/s/round/hb-0-0.arrow", Batch(10)), 0);
  EXPECT_EQ(store.Append("/s/round/hb-0-0.arrow", Batch(20)), 1);
  EXPECT_EQ(store.Append("/s/round/hb-0-0.arrow", Batch(30)), 2);
  EXPECT_GE(store.bytes(), 60 * 8);
  EXPECT_TRUE(store.Contains("/s/round/hb-0-0.arrow"));
  EXPECT_FALSE(store.Contains("/s/round/hb-1-0.arrow"));

  auto taken = store.Take("/s/round/hb-0-0.arrow", {0, 2});
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_EQ(taken->size(), 2u);
  EXPECT_EQ((*taken)[0]->num_rows(), 10);
  EXPECT_EQ((*taken)[1]->num_rows(), 30);
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

TEST(MemorySpillStore, RemoveUnderDropsOneRoundsSpillsOnly) {
  MemorySpillStore store;
  store.Append("/s/round/hb-0-0.arrow", Batch(5));
  store.Append("/s/round/merge-1/part-0.arrow", Batch(5));
  store.Append("/s/round-2/hb-0-0.arrow", Batch(7));  // sorts between "/s/round" and "/s/round/"
  store.Append("/s/roundabout.arrow", Batch(3));
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
