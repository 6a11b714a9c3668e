#pragma once

// Shared helpers of the io tests: the many-types table and table comparison.

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <arrow/api.h>
#include <arrow/ipc/json_simple.h>
#include <gtest/gtest.h>

#include "deltacat/content_type.h"
#include "deltacat/status.h"

namespace deltacat::io::testing {

/// Fails the test with the status when it is an error.
#define DC_ASSERT_OK(expr)                                               \
  do {                                                                   \
    const ::deltacat::Status _st = ::deltacat::internal::ToStatus(expr); \
    ASSERT_TRUE(_st.ok()) << _st.ToString();                             \
  } while (false)

/// Assigns the value of a Result or fails the test with its status.
#define DC_ASSERT_OK_AND_ASSIGN(lhs, expr)                                                        \
  auto DC_CONCAT(_res_, __LINE__) = (expr);                                                       \
  ASSERT_TRUE(DC_CONCAT(_res_, __LINE__).ok()) << DC_CONCAT(_res_, __LINE__).status().ToString(); \
  lhs = std::move(DC_CONCAT(_res_, __LINE__)).ValueOrDie()

inline std::shared_ptr<arrow::Array> ArrayOf(const std::shared_ptr<arrow::DataType>& type,
                                             const std::string& json) {
  auto array = arrow::ipc::internal::json::ArrayFromJSON(type, json);
  EXPECT_TRUE(array.ok()) << type->ToString() << " " << json << ": " << array.status();
  return array.ValueOrDie();
}

/// A field with a PARQUET:field_id, as DeltaCAT schemas carry them.
inline std::shared_ptr<arrow::Field> FieldWithId(const std::string& name,
                                                 std::shared_ptr<arrow::DataType> type,
                                                 int field_id) {
  return arrow::field(name, std::move(type), /*nullable=*/true,
                      arrow::key_value_metadata({"PARQUET:field_id"}, {std::to_string(field_id)}));
}

/// Six rows of every type the brief lists, with a null in every column (at different rows),
/// extreme values, and text that needs quoting (delimiters, quotes, newlines, UTF-8).
inline std::shared_ptr<arrow::Table> ManyTypesTable() {
  struct Column {
    std::string name;
    std::shared_ptr<arrow::DataType> type;
    std::string json;
  };
  const std::vector<Column> columns = {
      {"i8", arrow::int8(), "[-128, null, 0, 127, 1, -1]"},
      {"i16", arrow::int16(), "[-32768, 7, null, 32767, 0, 1]"},
      {"i32", arrow::int32(), "[null, -5, 2147483647, 0, -2147483648, 3]"},
      {"i64", arrow::int64(), "[-9223372036854775808, 9223372036854775807, null, 42, 0, -1]"},
      {"u8", arrow::uint8(), "[0, 255, null, 1, 2, 3]"},
      {"u16", arrow::uint16(), "[null, 65535, 0, 1, 2, 3]"},
      {"u32", arrow::uint32(), "[4294967295, null, 0, 1, 2, 3]"},
      {"u64", arrow::uint64(), "[18446744073709551615, 0, 1, null, 2, 3]"},
      {"f32", arrow::float32(), "[1.5, null, -0.25, 3.0, 1e10, -7.125]"},
      {"f64", arrow::float64(), "[1e300, -2.5, null, 0.1, -1e-300, 5.0]"},
      {"b", arrow::boolean(), "[true, false, null, true, false, true]"},
      {"s", arrow::utf8(),
       R"(["plain", null, "", "comma, \"quote\"|pipe\ttab\nnewline \u00e9", "x", "  spaced  "])"},
      {"ls", arrow::large_utf8(),
       R"([null, "large", "\u00fcn\u00efc\u00f6d\u00e9", "", "y", "z"])"},
      {"bin", arrow::binary(), R"(["\u0000\u00ff", null, "", "abc", "d", "e"])"},
      {"d", arrow::date32(), "[-165, null, 19782, -719162, 0, 1]"},
      {"ts_us", arrow::timestamp(arrow::TimeUnit::MICRO),
       R"(["2020-01-02 03:04:05.000006", null, "1960-12-31 23:59:59", "2038-01-19 03:14:08",
           "1970-01-01 00:00:00", "2000-02-29 12:00:00.5"])"},
      {"ts_ns_utc", arrow::timestamp(arrow::TimeUnit::NANO, "UTC"),
       "[1, null, -1000000001, 1700000000123456789, 0, 2]"},
      {"ts_us_ny", arrow::timestamp(arrow::TimeUnit::MICRO, "America/New_York"),
       "[1622548800000000, null, 1638360000000500, null, 0, 1]"},
      {"dec", arrow::decimal128(10, 3),
       R"(["1234567.891", null, "-0.001", "0.000", "-9999999.999", "1.500"])"},
      {"l", arrow::list(arrow::int64()),
       "[[1, null, 3], null, [], [4611686018427387904], [0], []]"},
      {"st", arrow::struct_({arrow::field("x", arrow::int64()), arrow::field("y", arrow::utf8())}),
       R"([{"x": 1, "y": "a"}, null, {"x": null, "y": null}, {"x": -1, "y": ""},
           {"x": 2, "y": "b"}, {"x": 3, "y": "c"}])"},
  };
  arrow::FieldVector fields;
  arrow::ArrayVector arrays;
  int field_id = 1;
  for (const auto& column : columns) {
    fields.push_back(FieldWithId(column.name, column.type, field_id++));
    arrays.push_back(ArrayOf(column.type, column.json));
  }
  return arrow::Table::Make(arrow::schema(fields), arrays);
}

/// `table` without the named columns.
inline std::shared_ptr<arrow::Table> Drop(const std::shared_ptr<arrow::Table>& table,
                                          const std::set<std::string>& names) {
  std::vector<int> keep;
  for (int i = 0; i < table->num_columns(); ++i) {
    if (!names.count(table->field(i)->name())) keep.push_back(i);
  }
  return table->SelectColumns(keep).ValueOrDie();
}

/// Replaces column `name` of `table` by `array`.
inline std::shared_ptr<arrow::Table> Replace(const std::shared_ptr<arrow::Table>& table,
                                             const std::string& name,
                                             const std::shared_ptr<arrow::Array>& array) {
  int index = table->schema()->GetFieldIndex(name);
  return table->SetColumn(index, table->field(index), std::make_shared<arrow::ChunkedArray>(array))
      .ValueOrDie();
}

/// The columns each content type cannot carry (see format_types.h).
inline std::set<std::string> UnsupportedColumns(ContentType type) {
  switch (type) {
    case ContentType::kOrc: return {"u8", "u16", "u32", "u64"};
    case ContentType::kJson: return {"bin"};
    case ContentType::kCsv:
    case ContentType::kTsv:
    case ContentType::kPsv:
    case ContentType::kUnescapedTsv: return {"bin", "l", "st"};
    default: return {};
  }
}

/// The many-types table as `type` can carry it. Unescaped TSV cannot hold tabs, newlines or
/// quotes, and reads empty strings back as nulls, so its text columns avoid them.
inline std::shared_ptr<arrow::Table> TableFor(ContentType type) {
  auto table = Drop(ManyTypesTable(), UnsupportedColumns(type));
  if (type == ContentType::kUnescapedTsv) {
    table = Replace(table, "s",
                    ArrayOf(arrow::utf8(), R"(["plain", null, null, "comma, pipe|", "x", "y"])"));
    table = Replace(table, "ls", ArrayOf(arrow::large_utf8(), R"([null, "large", "z", null, "y",
                                                                  "\u00e9"])"));
  }
  return table;
}

/// Asserts equal names, types and values (NaN equals NaN; chunking and metadata ignored).
inline void ExpectTablesEqual(const arrow::Table& expected, const arrow::Table& actual) {
  ASSERT_EQ(expected.num_columns(), actual.num_columns())
      << "expected " << expected.schema()->ToString() << "\nactual " << actual.schema()->ToString();
  EXPECT_EQ(expected.num_rows(), actual.num_rows());
  const auto options = arrow::EqualOptions::Defaults().nans_equal(true);
  for (int i = 0; i < expected.num_columns(); ++i) {
    EXPECT_EQ(expected.field(i)->name(), actual.field(i)->name());
    EXPECT_TRUE(expected.field(i)->type()->Equals(*actual.field(i)->type()))
        << expected.field(i)->name() << ": expected " << expected.field(i)->type()->ToString()
        << ", got " << actual.field(i)->type()->ToString();
    if (!expected.column(i)->type()->Equals(*actual.column(i)->type())) continue;
    EXPECT_TRUE(expected.column(i)->Equals(*actual.column(i), options))
        << "column " << expected.field(i)->name() << "\nexpected " << expected.column(i)->ToString()
        << "\nactual " << actual.column(i)->ToString();
  }
}

/// The bytes of a local file.
inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Replaces the content of a local file.
inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace deltacat::io::testing
