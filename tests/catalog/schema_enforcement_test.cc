#include "deltacat/catalog/schema_enforcement.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

namespace deltacat {
namespace {

std::shared_ptr<arrow::Field> Field(const std::string& name, std::shared_ptr<arrow::DataType> type,
                                    int64_t id, std::optional<std::string> consistency = {},
                                    bool nullable = true) {
  std::vector<std::string> keys{"PARQUET:field_id"}, values{std::to_string(id)};
  if (consistency) {
    keys.push_back("DELTACAT:consistency_type");
    values.push_back(*consistency);
  }
  return arrow::field(name, std::move(type), nullable, arrow::key_value_metadata(keys, values));
}

template <typename Builder, typename T>
std::shared_ptr<arrow::Array> Array(std::vector<T> values) {
  Builder builder;
  EXPECT_TRUE(builder.AppendValues(values).ok());
  return builder.Finish().ValueOrDie();
}

std::shared_ptr<arrow::Table> Data(std::vector<std::shared_ptr<arrow::Field>> fields,
                                   std::vector<std::shared_ptr<arrow::Array>> columns) {
  return arrow::Table::Make(arrow::schema(fields), columns);
}

TEST(SchemaEnforcement, ValidateRequiresTheExactType) {
  auto schema = arrow::schema({Field("id", arrow::int32(), 0, "validate")});
  auto data =
      Data({arrow::field("id", arrow::int64())}, {Array<arrow::Int64Builder, int64_t>({1})});
  auto result = EnforceSchema(*schema, data, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kSchemaValidation);
  EXPECT_NE(result.status().message().find("Data type mismatch for field 'id'"), std::string::npos);
}

TEST(SchemaEnforcement, CoerceCastsSafely) {
  auto schema = arrow::schema({Field("id", arrow::int32(), 0, "coerce")});
  auto fits =
      Data({arrow::field("id", arrow::int64())}, {Array<arrow::Int64Builder, int64_t>({1, 2})});
  auto result = EnforceSchema(*schema, fits, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->data->column(0)->type()->Equals(arrow::int32()));
  EXPECT_FALSE(result->schema_changed);
  auto overflow = Data({arrow::field("id", arrow::int64())},
                       {Array<arrow::Int64Builder, int64_t>({int64_t{1} << 40})});
  auto bad = EnforceSchema(*schema, overflow, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Cannot coerce data for field 'id'"), std::string::npos);
}

TEST(SchemaEnforcement, NonePromotesAndWidensTheSchema) {
  auto schema = arrow::schema({Field("count", arrow::int32(), 0, "none")});
  auto wide = Data({arrow::field("count", arrow::int64())},
                   {Array<arrow::Int64Builder, int64_t>({2147483649LL})});
  auto result = EnforceSchema(*schema, wide, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->schema_changed);
  EXPECT_TRUE(result->schema->field(0)->type()->Equals(arrow::int64()));
  EXPECT_EQ(FieldIdOf(*result->schema->field(0)), 0);  // metadata kept
  auto to_double =
      Data({arrow::field("count", arrow::float64())}, {Array<arrow::DoubleBuilder, double>({1.5})});
  auto promoted = EnforceSchema(*result->schema, to_double, {});
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_TRUE(promoted->schema->field(0)->type()->Equals(arrow::float64()));
  auto strings = Data({arrow::field("count", arrow::utf8())},
                      {Array<arrow::StringBuilder, std::string>({"x"})});
  auto bad = EnforceSchema(*promoted->schema, strings, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Cannot unify types"), std::string::npos);
}

TEST(SchemaEnforcement, NarrowDataIsStoredInTheSchemaType) {
  auto schema = arrow::schema({Field("n", arrow::int64(), 0)});
  auto narrow =
      Data({arrow::field("n", arrow::int32())}, {Array<arrow::Int32Builder, int32_t>({7})});
  auto result = EnforceSchema(*schema, narrow, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->schema_changed);
  EXPECT_TRUE(result->data->column(0)->type()->Equals(arrow::int64()));
}

TEST(SchemaEnforcement, EvolutionAddsFieldsOrRejectsThem) {
  auto schema = arrow::schema({Field("id", arrow::int64(), 0), Field("name", arrow::utf8(), 1)});
  auto data = Data({arrow::field("id", arrow::int64()), arrow::field("city", arrow::utf8())},
                   {Array<arrow::Int64Builder, int64_t>({4}),
                    Array<arrow::StringBuilder, std::string>({"Oslo"})});
  auto added = EnforceSchema(*schema, data, {});
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_EQ(added->schema->num_fields(), 3);
  EXPECT_EQ(added->schema->field(2)->name(), "city");
  EXPECT_EQ(FieldIdOf(*added->schema->field(2)), 2);
  EXPECT_EQ(added->schema->field(2)->metadata()->Get("DELTACAT:consistency_type").ValueOrDie(),
            "none");
  // Input columns first, then backfilled ones (name is null).
  EXPECT_EQ(added->data->schema()->field(2)->name(), "name");
  EXPECT_EQ(added->data->column(2)->null_count(), 1);
  EXPECT_EQ(added->supplied_columns, (std::vector<std::string>{"id", "city"}));

  SchemaEnforcementOptions manual;
  manual.evolution_mode = SchemaEvolutionMode::kManual;
  auto rejected = EnforceSchema(*schema, data, manual);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("Field 'city' is not present in the schema"),
            std::string::npos);
}

TEST(SchemaEnforcement, MissingRequiredFieldsAndDefaults) {
  auto schema =
      arrow::schema({Field("req", arrow::utf8(), 0, "validate", false),
                     Field("d", arrow::int64(), 1, {}, false), Field("n", arrow::utf8(), 2)});
  auto without_req =
      Data({arrow::field("n", arrow::utf8())}, {Array<arrow::StringBuilder, std::string>({"x"})});
  auto missing = EnforceSchema(*schema, without_req, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("Field 'req' is required"), std::string::npos);

  SchemaEnforcementOptions options;
  options.decode_default = [](const arrow::Field& field) -> Result<std::shared_ptr<arrow::Scalar>> {
    if (field.name() == "d") return arrow::MakeScalar(int64_t{42});
    return std::shared_ptr<arrow::Scalar>();
  };
  auto with_req = Data({arrow::field("req", arrow::utf8(), false)},
                       {Array<arrow::StringBuilder, std::string>({"r"})});
  auto filled = EnforceSchema(*schema, with_req, options);
  ASSERT_TRUE(filled.ok()) << filled.status();
  auto d =
      std::static_pointer_cast<arrow::Int64Array>(filled->data->GetColumnByName("d")->chunk(0));
  EXPECT_EQ(d->Value(0), 42);
  EXPECT_EQ(filled->data->GetColumnByName("n")->null_count(), 1);

  options.backfill_missing_fields = false;  // partial upsert: keep absent columns absent
  auto partial = EnforceSchema(*schema, with_req, options);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(partial->data->num_columns(), 1);
}

TEST(SchemaEnforcement, MergeKeysAreAlwaysValidated) {
  auto key = arrow::field(
      "k", arrow::int32(), true,
      arrow::key_value_metadata({"PARQUET:field_id", "DELTACAT:merge_key"}, {"0", "True"}));
  auto data = Data({arrow::field("k", arrow::int64())}, {Array<arrow::Int64Builder, int64_t>({1})});
  auto result = EnforceSchema(*arrow::schema({key}), data, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kSchemaValidation);
}

}  // namespace
}  // namespace deltacat
