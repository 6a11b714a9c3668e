// Argument parsing helpers of the CLI: times, schema files, properties, output formats.
#include <arrow/api.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "deltacat/cli/commands.h"
#include "deltacat/cli/progress.h"
#include "deltacat/cli/schema_file.h"
#include "deltacat/cli/table_output.h"
#include "deltacat/cli/time_argument.h"

namespace deltacat::cli {
namespace {

TEST(TimeArgument, EpochNanosAndIso8601) {
  EXPECT_EQ(*ParseTimeArgument("1732430000000000000"), 1732430000000000000LL);
  EXPECT_EQ(*ParseTimeArgument("1970-01-01"), 0);
  EXPECT_EQ(*ParseTimeArgument("1970-01-02T00:00:00Z"), 86400LL * 1000000000LL);
  // 2026-11-24T06:59:11Z = 1795503551 s (checked with `date -u -d ... +%s`).
  EXPECT_EQ(*ParseTimeArgument("2026-11-24T06:59:11Z"), 1795503551LL * 1000000000LL);
  EXPECT_EQ(*ParseTimeArgument("2026-11-24 06:59:11.5"), 1795503551LL * 1000000000LL + 500000000);
  EXPECT_EQ(*ParseTimeArgument("2026-11-24T06:59:11.123456789Z"),
            1795503551LL * 1000000000LL + 123456789);
  EXPECT_EQ(*ParseTimeArgument("2026-11-24T07:59:11+01:00"), 1795503551LL * 1000000000LL);
  EXPECT_EQ(*ParseTimeArgument("2026-11-24T05:59:11-0100"), 1795503551LL * 1000000000LL);
}

TEST(TimeArgument, RejectsGarbage) {
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-02-30", "2026-11-24T25:00",
                          "2026-11-24T06:59:11Zjunk", "99999999999999999999", "2026-11-24T06"}) {
    auto parsed = ParseTimeArgument(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(SchemaFile, ParsesFieldsTypesAndMergeKeys) {
  auto parsed = ParseSchemaJson(R"json({"fields": [
      {"name": "id", "type": "int64", "nullable": false, "merge_key": true},
      {"name": "name", "type": "string", "doc": "display name"},
      {"name": "price", "type": "decimal128(10, 2)"},
      {"name": "at", "type": "timestamp[us, UTC]"},
      {"name": "tags", "type": "list<string>"}]})json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const auto& schema = *parsed->schema;
  ASSERT_EQ(schema.num_fields(), 5);
  EXPECT_TRUE(schema.field(0)->type()->Equals(arrow::int64()));
  EXPECT_FALSE(schema.field(0)->nullable());
  EXPECT_TRUE(schema.field(2)->type()->Equals(arrow::decimal128(10, 2)));
  EXPECT_TRUE(schema.field(3)->type()->Equals(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")));
  EXPECT_TRUE(schema.field(4)->type()->Equals(arrow::list(arrow::utf8())));
  EXPECT_EQ(parsed->merge_keys, std::vector<std::string>{"id"});
  EXPECT_EQ(schema.field(1)->metadata()->Get("DELTACAT:doc").ValueOrDie(), "display name");
}

TEST(SchemaFile, BadSchemasAreTypedErrors) {
  for (const char* bad : {"not json", "{}", R"({"fields": []})", R"({"fields": [{"name": "a"}]})",
                          R"([{"name": "a", "type": "int128"}])",
                          R"json([{"name": "a", "type": "decimal128(40, 2)"}])json",
                          R"([{"name": "a", "type": "int64", "nullable": "no"}])"}) {
    auto parsed = ParseSchemaJson(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(Properties, TypedValues) {
  auto properties = ParseProperties({"owner=ana", "records_per_compacted_file=1000", "flag=true"});
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(std::get<std::string>(properties->at("owner")), "ana");
  EXPECT_EQ(std::get<int64_t>(properties->at("records_per_compacted_file")), 1000);
  EXPECT_EQ(std::get<bool>(properties->at("flag")), true);
  EXPECT_EQ(ParseProperties({"novalue"}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(SplitList(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
}

std::shared_ptr<arrow::RecordBatchReader> SampleReader() {
  arrow::Int64Builder ids;
  arrow::StringBuilder names;
  EXPECT_TRUE(ids.AppendValues({1, 2}).ok());
  EXPECT_TRUE(names.Append("a\"b").ok());
  EXPECT_TRUE(names.AppendNull().ok());
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  auto table = arrow::Table::Make(schema, {ids.Finish().ValueOrDie(), names.Finish().ValueOrDie()});
  return std::make_shared<arrow::TableBatchReader>(table);
}

TEST(TableOutput, JsonLinesAndCsvAndPretty) {
  std::ostringstream json;
  ASSERT_EQ(*WriteTableOutput(*SampleReader(), OutputFormat::kJson, "-", json), 2);
  EXPECT_EQ(json.str(), "{\"id\": 1, \"name\": \"a\\\"b\"}\n{\"id\": 2, \"name\": null}\n");
  std::ostringstream csv;
  ASSERT_EQ(*WriteTableOutput(*SampleReader(), OutputFormat::kCsv, "-", csv), 2);
  EXPECT_EQ(csv.str(), "\"id\",\"name\"\n1,\"a\"\"b\"\n2,\n");
  std::ostringstream pretty;
  ASSERT_EQ(*WriteTableOutput(*SampleReader(), OutputFormat::kPretty, "-", pretty), 2);
  EXPECT_NE(pretty.str().find("(2 rows)"), std::string::npos);
  EXPECT_EQ(ParseOutputFormat("xml").status().code(), ErrorCode::kInvalidArgument);
}

TEST(Progress, RendersBarCountOrSpinnerAndStaysSilentWhenDisabled) {
  std::ostringstream err;
  {
    Progress bar(err, /*enabled=*/false, "writing t", "rows", 100);
    bar.Advance(40);
    EXPECT_EQ(bar.Render(1500), "writing t [============>                 ] 40/100 rows 1.5s");
    bar.Advance(100);  // clamped at the total
    EXPECT_EQ(bar.Render(0), "writing t [==============================] 100/100 rows 0.0s");
    Progress count(err, false, "reading t", "rows");
    count.Advance(7);
    EXPECT_EQ(count.Render(200), "reading t 7 rows 0.2s");
    Progress spinner(err, false, "compacting t", "");
    EXPECT_EQ(spinner.Render(100), "compacting t / 0.1s");
    spinner.SetLabel("committing");
    EXPECT_EQ(spinner.Render(0), "committing | 0.0s");
  }
  EXPECT_TRUE(err.str().empty());
}

TEST(Progress, EnabledDrawsAndErasesItsLine) {
  std::ostringstream err;
  {
    Progress progress(err, /*enabled=*/true, "reading t", "rows");
    progress.Advance(3);
  }
  const std::string drawn = err.str();
  EXPECT_EQ(drawn.front(), '\r');
  EXPECT_EQ(drawn.back(), '\r');  // whatever was drawn is erased at the end
}

TEST(CliErrors, AreOneLineWithTheErrorKind) {
  std::ostringstream out, err;
  const char* argv[] = {"deltacat", "--catalog", "/dev/null/not-a-dir", "namespace", "list"};
  EXPECT_EQ(RunCli(5, argv, out, err), 1);
  const std::string text = err.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(text.rfind("NonRetryableIOError: ", 0), 0u) << text;
}

}  // namespace
}  // namespace deltacat::cli
