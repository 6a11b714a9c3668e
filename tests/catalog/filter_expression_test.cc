#include "deltacat/catalog/filter_expression.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

namespace deltacat {
namespace {

namespace cp = arrow::compute;

std::shared_ptr<arrow::RecordBatch> SampleBatch() {
  arrow::Int64Builder id;
  arrow::StringBuilder name;
  arrow::DoubleBuilder score;
  EXPECT_TRUE(id.AppendValues({1, 2, 3, 4, 5}).ok());
  EXPECT_TRUE(name.AppendValues({"ann", "bob", "it's", "dan", "eve"}).ok());
  EXPECT_TRUE(score.AppendValues({1.5, 2.5, 3.5, 0.0, 0.0}, {true, true, true, false, true}).ok());
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
                     arrow::field("score", arrow::float64())});
  return arrow::RecordBatch::Make(
      schema, 5,
      {id.Finish().ValueOrDie(), name.Finish().ValueOrDie(), score.Finish().ValueOrDie()});
}

// The ids of the rows a filter keeps (null results drop the row, as in SQL).
std::vector<int64_t> Select(const std::string& text) {
  auto batch = SampleBatch();
  auto parsed = ParseFilterExpression(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok()) return {};
  auto bound = BindFilter(*parsed, *batch->schema());
  EXPECT_TRUE(bound.ok()) << bound.status();
  if (!bound.ok()) return {};
  auto mask = cp::ExecuteScalarExpression(*bound, cp::ExecBatch(*batch)).ValueOrDie();
  auto filtered = cp::Filter(batch, mask).ValueOrDie().record_batch();
  auto ids = std::static_pointer_cast<arrow::Int64Array>(filtered->column(0));
  return std::vector<int64_t>(ids->raw_values(), ids->raw_values() + ids->length());
}

TEST(FilterExpression, Comparisons) {
  EXPECT_EQ(Select("id = 3"), (std::vector<int64_t>{3}));
  EXPECT_EQ(Select("id == 3"), (std::vector<int64_t>{3}));
  EXPECT_EQ(Select("id != 3"), (std::vector<int64_t>{1, 2, 4, 5}));
  EXPECT_EQ(Select("id <> 3"), (std::vector<int64_t>{1, 2, 4, 5}));
  EXPECT_EQ(Select("id < 3"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Select("id <= 3"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Select("id > 3"), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(Select("id >= 3"), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(Select("3 < id"), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(Select("score > 2"), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Select("score >= -1e1"), (std::vector<int64_t>{1, 2, 3, 5}));
}

TEST(FilterExpression, BooleanLogicAndPrecedence) {
  EXPECT_EQ(Select("id = 1 or id = 2 and name = 'zzz'"), (std::vector<int64_t>{1}));
  EXPECT_EQ(Select("(id = 1 or id = 2) and name = 'bob'"), (std::vector<int64_t>{2}));
  EXPECT_EQ(Select("NOT id > 2"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Select("not (id > 2 AND id < 5)"), (std::vector<int64_t>{1, 2, 5}));
}

TEST(FilterExpression, MembershipNullsAndRanges) {
  EXPECT_EQ(Select("name in ('ann', 'eve', 'nobody')"), (std::vector<int64_t>{1, 5}));
  EXPECT_EQ(Select("id not in (1, 2)"), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(Select("score is null"), (std::vector<int64_t>{4}));
  EXPECT_EQ(Select("score IS NOT NULL"), (std::vector<int64_t>{1, 2, 3, 5}));
  EXPECT_EQ(Select("id between 2 and 4"), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(Select("id not between 2 and 4"), (std::vector<int64_t>{1, 5}));
}

TEST(FilterExpression, QuotingAndIdentifiers) {
  EXPECT_EQ(Select("name = 'it''s'"), (std::vector<int64_t>{3}));
  EXPECT_EQ(Select("name = \"it's\""), (std::vector<int64_t>{3}));
  EXPECT_EQ(Select("`name` = 'dan'"), (std::vector<int64_t>{4}));
}

TEST(FilterExpression, ReferencedColumns) {
  auto expression =
      ParseFilterExpression("a > 1 and (b = 'x' or a < 0) and c is null").ValueOrDie();
  EXPECT_EQ(ReferencedColumns(expression), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(FilterExpression, SyntaxErrorsAreTyped) {
  for (const char* bad : {"", "   ", "id =", "id = 'open", "(id = 1", "id = 1)", "id ! 1", "id ~ 1",
                          "and", "id in ()", "id in (1,", "id is 3", "id not 3", "id between 1",
                          "1.2.3 = id", "id = 1 id = 2"}) {
    auto parsed = ParseFilterExpression(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(FilterExpression, DeepNestingFailsCleanly) {
  std::string deep(100000, '(');
  auto parsed = ParseFilterExpression(deep + "id = 1" + std::string(100000, ')'));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument);
}

TEST(FilterExpression, UnknownColumnIsASchemaError) {
  auto batch = SampleBatch();
  auto parsed = ParseFilterExpression("nope = 1").ValueOrDie();
  auto bound = BindFilter(parsed, *batch->schema());
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().code(), ErrorCode::kSchemaValidation);
  EXPECT_NE(bound.status().message().find("nope"), std::string::npos);
}

TEST(FilterExpression, NonBooleanOrMistypedFiltersAreRejected) {
  auto batch = SampleBatch();
  EXPECT_EQ(ParseFilterExpression("id").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      BindFilter(ParseFilterExpression("name > 3").ValueOrDie(), *batch->schema()).status().code(),
      ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace deltacat
