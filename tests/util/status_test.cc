#include "deltacat/status.h"

#include <arrow/result.h>
#include <gtest/gtest.h>

#include "deltacat/result.h"

namespace deltacat {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return MakeError(ErrorCode::kInvalidArgument, "odd value ", x);
  return x / 2;
}

Result<int> Quarter(int x) {
  DC_ASSIGN_OR_RAISE(int half, Half(x));
  DC_ASSIGN_OR_RAISE(int quarter, Half(half));
  return quarter;
}

arrow::Result<int> ArrowFails() { return arrow::Status::IOError("disk gone"); }

Status UsesArrow() {
  DC_ASSIGN_OR_RAISE(int v, ArrowFails());
  (void)v;
  return Status::OK();
}

TEST(Status, OkAndErrors) {
  EXPECT_TRUE(Status::OK().ok());
  Status s(ErrorCode::kTableNotFound, "table 't' not found");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "TableNotFoundError: table 't' not found");
  EXPECT_EQ(s.WithContext("reading x").message(), "reading x: table 't' not found");
}

TEST(Status, ResultPropagation) {
  EXPECT_EQ(*Quarter(8), 2);
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "odd value 3");
}

TEST(Status, ArrowErrorsMapToKinds) {
  EXPECT_EQ(UsesArrow().code(), ErrorCode::kIOError);
  EXPECT_EQ(FromArrowStatus(arrow::Status::OutOfMemory("x")).code(), ErrorCode::kOutOfMemory);
}

TEST(Status, KindSurvivesARoundTripThroughArrow) {
  Status original(ErrorCode::kConcurrentModification, "lost the race");
  Status back = FromArrowStatus(ToArrowStatus(original));
  EXPECT_EQ(back, original);
}

TEST(Status, RetryableKinds) {
  EXPECT_TRUE(IsRetryable(ErrorCode::kTransientIOError));
  EXPECT_FALSE(IsRetryable(ErrorCode::kConcurrentModification));
}

}  // namespace
}  // namespace deltacat
