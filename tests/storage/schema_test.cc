// DeltaCAT schema semantics over Arrow: byte-identical IPC schema messages with Python's
// Schema.of(...).serialize() (fixtures from testdata/gen_python_built.py and the golden
// catalog), field-metadata interpretation, field ID assignment, validation, defaults.

#include "deltacat/storage/schema.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "deltacat/storage/base64.h"
#include "deltacat/storage/codec/metafile_codec.h"

namespace deltacat::storage {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Fixture(const std::string& name) {
  fs::path path =
      fs::path(DELTACAT_SOURCE_DIR) / "tests/storage/testdata/python_built" / (name + ".bin");
  std::string bytes = ReadFile(path);
  EXPECT_FALSE(bytes.empty()) << "missing fixture " << path;
  return bytes;
}

std::string Describe(std::string_view bytes) {
  auto schema = Schema::Deserialize(bytes);
  return schema.ok() ? schema->arrow()->ToString(/*show_metadata=*/true)
                     : schema.status().ToString();
}

#define EXPECT_SAME_SCHEMA_BYTES(actual, expected)                   \
  EXPECT_EQ(actual, expected) << "actual:\n"                         \
                              << Describe(actual) << "\nexpected:\n" \
                              << Describe(expected)

std::shared_ptr<arrow::KeyValueMetadata> Md(
    std::vector<std::pair<std::string, std::string>> entries) {
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (auto& [k, v] : entries) {
    keys.push_back(k);
    values.push_back(v);
  }
  return arrow::key_value_metadata(keys, values);
}

TEST(Schema, NormalizesLikePython) {
  auto arrow_schema = arrow::schema(
      {arrow::field(
          "k", arrow::int32(), /*nullable=*/false,
          Md({{"DELTACAT:merge_key", "False"},
              {"x", "y"},
              {"DELTACAT:past_default", Base64Encode(EncodeMsgpack(MsgValue::Int(3)))}}))},
      Md({{"z", "1"}}));
  auto schema = Schema::Of(arrow_schema, 3);
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_SAME_SCHEMA_BYTES(*schema->Serialize(), Fixture("schema_normalized"));

  const SchemaField& k = schema->fields().at(0);
  EXPECT_EQ(k.id(), 0);
  EXPECT_TRUE(k.is_merge_key());  // any non-empty value means true, as in Python
  EXPECT_EQ(k.options.future_default, MsgValue::Int(3));
  EXPECT_TRUE(k.options.consistency_type->is(SchemaConsistencyType::kValidate));
  EXPECT_EQ(k.arrow->metadata()->FindKey("x"), -1);
  EXPECT_EQ(schema->id(), 3);
  EXPECT_EQ(schema->MergeKeys(), std::vector<int64_t>{0});
  EXPECT_EQ(schema->MergeKeyNames(), std::vector<std::string>{"k"});
  EXPECT_TRUE(schema->subschemas().empty());
  EXPECT_EQ(schema->arrow()->metadata()->Get("z").ValueOrDie(), "1");
}

TEST(Schema, AssignsMissingFieldIdsAfterTheHighestExistingOne) {
  auto schema = Schema::Of(
      arrow::schema({arrow::field("b", arrow::int64(), true, Md({{"PARQUET:field_id", "5"}})),
                     arrow::field("a", arrow::utf8())}));
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_SAME_SCHEMA_BYTES(*schema->Serialize(), Fixture("schema_field_ids"));
  EXPECT_EQ(schema->FieldByName("a")->id(), 6);
  EXPECT_EQ(schema->MaxFieldId(), 6);
  EXPECT_EQ(schema->FieldById(5)->name(), "b");
  EXPECT_EQ(schema->FieldById(7), nullptr);

  // No ids at all: 0, 1, 2 ...
  auto plain =
      Schema::Of(arrow::schema({arrow::field("x", arrow::int8()), arrow::field("y", arrow::int8()),
                                arrow::field("z", arrow::int8())}));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->FieldByName("z")->id(), 2);

  // An assigned id colliding with a later explicit one fails, as in Python.
  auto clash = Schema::Of(
      arrow::schema({arrow::field("a", arrow::int64()),
                     arrow::field("b", arrow::int64(), true, Md({{"PARQUET:field_id", "5"}}))}));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), ErrorCode::kSchemaValidation);
  EXPECT_NE(clash.status().message().find("duplicate field id 5"), std::string::npos);
}

TEST(Schema, EveryFieldSettingMatchesPython) {
  FieldOptions key;
  key.merge_key = true;
  key.doc = "the key";
  FieldOptions order;
  order.merge_order = MergeOrder{SortOrder::kDescending, NullOrder::kAtStart};
  FieldOptions event;
  event.event_time = true;
  FieldOptions price;
  price.past_default = MsgValue::Double(0.0);
  price.future_default = MsgValue::Double(1.5);
  FieldOptions name;
  name.future_default = MsgValue::String("n/a");
  name.consistency_type = SchemaConsistencyType::kCoerce;
  FieldOptions tags;
  tags.doc = "list field";
  std::vector<std::pair<std::shared_ptr<arrow::Field>, FieldOptions>> specs = {
      {arrow::field("id", arrow::int64(), false), key},
      {arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO)), order},
      {arrow::field("day", arrow::date32()), event},
      {arrow::field("price", arrow::float64()), price},
      {arrow::field("name", arrow::utf8()), name},
      {arrow::field("tags", arrow::list(arrow::utf8())), tags},
  };
  arrow::FieldVector fields;
  for (const auto& [field, options] : specs) {
    auto built = BuildField(field, options);
    ASSERT_TRUE(built.ok()) << built.status();
    fields.push_back(built->arrow);
  }
  auto schema = Schema::Of(arrow::schema(fields), 0);
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_SAME_SCHEMA_BYTES(*schema->Serialize(), Fixture("schema_all_settings"));

  // And reading Python's bytes gives the settings back.
  auto read = Schema::Deserialize(Fixture("schema_all_settings"));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(*read == *schema);
  const SchemaField& ts = *read->FieldByName("ts");
  EXPECT_EQ(ts.options.merge_order, (MergeOrder{SortOrder::kDescending, NullOrder::kAtStart}));
  EXPECT_TRUE(read->FieldByName("day")->is_event_time());
  EXPECT_EQ(read->FieldByName("price")->options.past_default, MsgValue::Double(0.0));
  EXPECT_EQ(read->FieldByName("price")->options.future_default, MsgValue::Double(1.5));
  EXPECT_EQ(read->FieldByName("id")->options.doc, "the key");
  EXPECT_FALSE(read->FieldByName("name")->options.past_default.has_value());
  EXPECT_TRUE(
      read->FieldByName("name")->options.consistency_type->is(SchemaConsistencyType::kCoerce));
}

TEST(Schema, SubschemasMatchPythonAndSurviveReading) {
  auto schema =
      Schema::OfSubschemas({{"base", arrow::schema({arrow::field("a", arrow::int64())})},
                            {"extra", arrow::schema({arrow::field("b", arrow::utf8())})}});
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_SAME_SCHEMA_BYTES(*schema->Serialize(), Fixture("schema_subschemas"));
  using Subschemas = std::vector<std::pair<std::string, std::vector<int64_t>>>;
  EXPECT_EQ(schema->subschemas(), (Subschemas{{"base", {0}}, {"extra", {1}}}));
  auto read = Schema::Deserialize(Fixture("schema_subschemas"));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->subschemas(), schema->subschemas());
  EXPECT_EQ(*read->Serialize(), Fixture("schema_subschemas"));

  auto clash = Schema::OfSubschemas({{"a", arrow::schema({arrow::field("X", arrow::int64())})},
                                     {"b", arrow::schema({arrow::field("x", arrow::utf8())})}});
  EXPECT_EQ(clash.status().code(), ErrorCode::kSchemaValidation);
  EXPECT_FALSE(
      Schema::OfSubschemas({{"", arrow::schema({arrow::field("x", arrow::int8())})}}).ok());
}

TEST(Schema, ValidatesLikePython) {
  auto expect_invalid = [](std::shared_ptr<arrow::Field> field, FieldOptions options,
                           std::string_view message) {
    auto built = BuildField(field, options);
    ASSERT_FALSE(built.ok()) << field->ToString();
    EXPECT_EQ(built.status().code(), ErrorCode::kSchemaValidation);
    EXPECT_NE(built.status().message().find(message), std::string::npos)
        << built.status().message();
  };
  FieldOptions merge_key;
  merge_key.merge_key = true;
  expect_invalid(arrow::field("f", arrow::float64()), merge_key, "cannot be floating point");
  expect_invalid(arrow::field("l", arrow::list(arrow::int64())), merge_key,
                 "must be a primitive type or (large) string");
  FieldOptions coerced_key = merge_key;
  coerced_key.consistency_type = SchemaConsistencyType::kCoerce;
  expect_invalid(arrow::field("k", arrow::int64()), coerced_key, "validate consistency type");
  FieldOptions event;
  event.event_time = true;
  expect_invalid(arrow::field("e", arrow::utf8()), event, "numeric or a date");
  FieldOptions order;
  order.merge_order = MergeOrder{};
  expect_invalid(arrow::field("o", arrow::utf8()), order, "must be a primitive type");
  FieldOptions bad_default;
  bad_default.past_default = MsgValue::String("x");
  expect_invalid(arrow::field("n", arrow::int64()), bad_default, "past default");
  bad_default.past_default = MsgValue::Int(300);
  expect_invalid(arrow::field("n", arrow::int8()), bad_default, "past default");

  // Merge keys may be strings, large strings, dates, ints.
  for (const auto& type : {arrow::utf8(), arrow::large_utf8(), arrow::date32(), arrow::uint8()}) {
    EXPECT_TRUE(BuildField(arrow::field("k", type), merge_key).ok()) << type->ToString();
  }

  EXPECT_EQ(Schema::Of(arrow::schema(arrow::FieldVector{})).status().code(),
            ErrorCode::kSchemaValidation);
  auto dupes = Schema::Of(
      arrow::schema({arrow::field("Name", arrow::int64()), arrow::field("name", arrow::int64())}));
  EXPECT_EQ(dupes.status().code(), ErrorCode::kSchemaValidation);
  EXPECT_NE(dupes.status().message().find("'name'"), std::string::npos);
  EXPECT_FALSE(Schema::Of(arrow::schema({arrow::field("a", arrow::int8())}), -1).ok());
  auto bad_id = Schema::Of(
      arrow::schema({arrow::field("a", arrow::int8(), true, Md({{"PARQUET:field_id", "x"}}))}));
  EXPECT_EQ(bad_id.status().code(), ErrorCode::kSchemaValidation);
}

TEST(Schema, DefaultsToScalars) {
  auto i = DefaultValueToScalar(MsgValue::Int(7), arrow::int32());
  ASSERT_TRUE(i.ok());
  EXPECT_EQ((*i)->ToString(), "7");
  EXPECT_TRUE((*i)->type->Equals(arrow::int32()));
  EXPECT_FALSE((*DefaultValueToScalar(MsgValue::Nil(), arrow::utf8()))->is_valid);
  EXPECT_EQ((*DefaultValueToScalar(MsgValue::Double(1.5), arrow::int64()))->ToString(), "1");
  EXPECT_EQ((*DefaultValueToScalar(MsgValue::String("x"), arrow::large_utf8()))->ToString(), "x");
  EXPECT_EQ((*DefaultValueToScalar(MsgValue::Bool(true), arrow::boolean()))->ToString(), "true");
  EXPECT_EQ(DefaultValueToScalar(MsgValue::Bool(true), arrow::int64()).status().code(),
            ErrorCode::kSchemaValidation);
  EXPECT_EQ(DefaultValueToScalar(MsgValue::Int(1), arrow::boolean()).status().code(),
            ErrorCode::kSchemaValidation);
  EXPECT_EQ(DefaultValueToScalar(MsgValue::Array(), arrow::list(arrow::int8())).status().code(),
            ErrorCode::kNotImplemented);
}

TEST(Schema, GoldenCatalogSchemasRoundTripByteForByte) {
  const fs::path root = fs::path(DELTACAT_SOURCE_DIR) / "tests/interop/golden/python_catalog";
  if (!fs::is_directory(root)) GTEST_SKIP() << "golden catalog not present";
  size_t schemas = 0;
  bool saw_orders = false;
  bool saw_evolved = false;
  bool saw_subschemas = false;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".mpk") continue;
    auto metafile = DeserializeMetafileRevision(ReadFile(entry.path()));
    ASSERT_TRUE(metafile.ok()) << metafile.status();
    const auto* tv = std::get_if<TableVersion>(&*metafile);
    if (tv == nullptr) continue;
    SCOPED_TRACE(entry.path().string());
    auto current = CurrentSchema(*tv);
    ASSERT_TRUE(current.ok()) << current.status();
    auto history = SchemaHistory(*tv);
    ASSERT_TRUE(history.ok()) << history.status();
    if (!current->has_value()) {
      EXPECT_TRUE(history->empty());
      continue;
    }
    // Python's stored schemas are already normalized: re-normalizing changes nothing.
    EXPECT_SAME_SCHEMA_BYTES(*(*current)->Serialize(), *tv->schema);
    ASSERT_EQ(history->size(), tv->schemas->size());
    for (size_t i = 0; i < history->size(); ++i) {
      EXPECT_SAME_SCHEMA_BYTES(*(*history)[i].Serialize(), (*tv->schemas)[i]);
      EXPECT_EQ((*history)[i].id(), static_cast<int64_t>(i));
      ++schemas;
    }
    EXPECT_TRUE(history->back() == **current);

    const Schema& schema = **current;
    if (tv->description == "orders table") {
      saw_orders = true;
      EXPECT_EQ(schema.MergeKeyNames(), std::vector<std::string>{"order_id"});
      EXPECT_EQ(schema.FieldByName("order_id")->options.doc, "primary key");
      EXPECT_FALSE(schema.FieldByName("order_id")->arrow->nullable());
      EXPECT_EQ(schema.FieldByName("amount")->options.future_default, MsgValue::Double(1.5));
      EXPECT_EQ(schema.FieldByName("version")->options.merge_order, MergeOrder{});
    }
    if (schema.id() == 2) {
      saw_evolved = true;
      EXPECT_EQ(schema.FieldByName("score")->options.past_default, MsgValue::Int(7));
      EXPECT_EQ(schema.FieldByName("score")->options.future_default, MsgValue::Int(9));
      EXPECT_TRUE(
          schema.FieldByName("tag")->options.consistency_type->is(SchemaConsistencyType::kNone));
      EXPECT_EQ(schema.MaxFieldId(), 3);
    }
    if (!schema.subschemas().empty()) {
      saw_subschemas = true;
      using Subschemas = std::vector<std::pair<std::string, std::vector<int64_t>>>;
      EXPECT_EQ(schema.subschemas(), (Subschemas{{"base", {0}}, {"extra", {1}}}));
    }
  }
  EXPECT_GT(schemas, 10u);
  EXPECT_TRUE(saw_orders);
  EXPECT_TRUE(saw_evolved);
  EXPECT_TRUE(saw_subschemas);
}

TEST(Schema, TransformReturnTypes) {
  EXPECT_EQ(*SerializeTransformReturnType(arrow::int32()), Fixture("return_type_bucket"));
  EXPECT_EQ(*SerializeTransformReturnType(arrow::null()), Fixture("return_type_void"));
  EXPECT_TRUE(
      (*DeserializeTransformReturnType(Fixture("return_type_bucket")))->Equals(arrow::int32()));
  EXPECT_TRUE(
      (*DeserializeTransformReturnType(Fixture("return_type_void")))->Equals(arrow::null()));
  Transform bucket = Transform::Bucket(4, *SerializeTransformReturnType(arrow::int32()));
  EXPECT_EQ(bucket.parameters->num_buckets, 4);
  EXPECT_TRUE(bucket.parameters->bucketing_strategy->is(BucketingStrategy::kDefault));
}

TEST(Schema, CorruptSchemaBytesFailCleanly) {
  for (std::string_view bad : {std::string_view(""), std::string_view("\xff\xff\xff\xff", 4),
                               std::string_view("not a schema")}) {
    auto schema = Schema::Deserialize(bad);
    ASSERT_FALSE(schema.ok());
    EXPECT_EQ(schema.status().code(), ErrorCode::kCorruptMetadata);
  }
  // Deterministic fuzzing of a real schema message: never a crash.
  const std::string original = Fixture("schema_all_settings");
  std::mt19937 rng(7);
  size_t failures = 0;
  for (int round = 0; round < 1000; ++round) {
    std::string bytes = original;
    for (int e = 0; e < 3; ++e) {
      size_t at = rng() % bytes.size();
      if (rng() % 4 == 0) {
        bytes.resize(at);
        if (bytes.empty()) break;
      } else {
        bytes[at] = static_cast<char>(rng() % 256);
      }
    }
    auto schema = Schema::Deserialize(bytes);
    if (!schema.ok()) {
      ++failures;
      EXPECT_EQ(schema.status().code(), ErrorCode::kCorruptMetadata);
    }
  }
  EXPECT_GT(failures, 0u);
}

TEST(Schema, WithSchemaIdKeepsEverythingElse) {
  auto schema = Schema::Deserialize(Fixture("schema_subschemas"));
  ASSERT_TRUE(schema.ok());
  auto next = schema->WithSchemaId(schema->id() + 1);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->id(), 1);
  EXPECT_EQ(next->subschemas(), schema->subschemas());
  EXPECT_EQ(next->arrow()->metadata()->Get(std::string(kSchemaIdKey)).ValueOrDie(), "1");
  EXPECT_TRUE(next->arrow()->Equals(*schema->arrow(), /*check_metadata=*/false));
}

}  // namespace
}  // namespace deltacat::storage
