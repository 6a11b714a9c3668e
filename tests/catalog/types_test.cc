#include "deltacat/types.h"

#include <gtest/gtest.h>

namespace deltacat {
namespace {

TEST(Types, WriteModesRoundTrip) {
  for (auto mode : {TableWriteMode::kAuto, TableWriteMode::kCreate, TableWriteMode::kAdd,
                    TableWriteMode::kAppend, TableWriteMode::kChrono, TableWriteMode::kReplace,
                    TableWriteMode::kMerge, TableWriteMode::kDelete}) {
    EXPECT_EQ(*ParseTableWriteMode(TableWriteModeName(mode)), mode);
  }
  EXPECT_EQ(*ParseTableWriteMode("MERGE"), TableWriteMode::kMerge);
  auto bad = ParseTableWriteMode("upsert");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("upsert"), std::string::npos);
}

TEST(Types, OtherEnumsUseTheOnDiskNames) {
  EXPECT_EQ(LifecycleStateName(LifecycleState::kActive), "active");
  EXPECT_EQ(*ParseLifecycleState("deprecated"), LifecycleState::kDeprecated);
  EXPECT_EQ(SchemaConsistencyTypeName(SchemaConsistencyType::kCoerce), "coerce");
  EXPECT_EQ(*ParseSchemaEvolutionMode("Disabled"), SchemaEvolutionMode::kDisabled);
  EXPECT_EQ(ReadOptimizationLevelName(ReadOptimizationLevel::kMax), "max");
  EXPECT_FALSE(ParseReadOptimizationLevel("fast").ok());
}

TEST(Types, TableRefParsesOptionalNamespace) {
  TableRef plain("orders");
  EXPECT_EQ(plain.ns, "default");
  EXPECT_EQ(plain.name, "orders");
  TableRef qualified("sales/orders");
  EXPECT_EQ(qualified.ns, "sales");
  EXPECT_EQ(qualified.name, "orders");
  EXPECT_EQ(qualified.ToString(), "sales/orders");
}

}  // namespace
}  // namespace deltacat
