// Proves the Arrow C++ toolchain from the pinned pyarrow wheel works end to end: Parquet
// write and read, and a compute kernel.
#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>

#include "deltacat/runtime.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

std::shared_ptr<arrow::Table> MakeTable() {
  arrow::Int64Builder ids;
  arrow::StringBuilder names;
  for (int64_t i = 0; i < 1000; ++i) {
    EXPECT_TRUE(ids.Append(i).ok());
    EXPECT_TRUE(names.Append("name-" + std::to_string(i)).ok());
  }
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  return arrow::Table::Make(schema, {ids.Finish().ValueOrDie(), names.Finish().ValueOrDie()});
}

TEST(ArrowToolchain, ParquetRoundTrip) {
  ASSERT_TRUE(InitializeRuntime().ok());
  testing::TempDir dir;
  const std::string path = dir.Child("t.parquet");
  auto table = MakeTable();
  {
    auto out = arrow::io::FileOutputStream::Open(path).ValueOrDie();
    ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), out, 256).ok());
    ASSERT_TRUE(out->Close().ok());
  }
  auto in = arrow::io::ReadableFile::Open(path).ValueOrDie();
  std::unique_ptr<parquet::arrow::FileReader> reader;
  ASSERT_TRUE(parquet::arrow::OpenFile(in, arrow::default_memory_pool(), &reader).ok());
  std::shared_ptr<arrow::Table> back;
  ASSERT_TRUE(reader->ReadTable(&back).ok());
  EXPECT_TRUE(back->Equals(*table));
  EXPECT_EQ(reader->num_row_groups(), 4);
}

TEST(ArrowToolchain, ComputeKernel) {
  auto table = MakeTable();
  auto sum = arrow::compute::Sum(table->column(0)).ValueOrDie();
  EXPECT_EQ(sum.scalar_as<arrow::Int64Scalar>().value, 999 * 1000 / 2);
  auto filtered =
      arrow::compute::CallFunction("greater", {table->column(0), arrow::MakeScalar(int64_t{989})})
          .ValueOrDie();
  auto count = arrow::compute::Sum(filtered).ValueOrDie();  // booleans sum to the true count
  EXPECT_EQ(count.scalar_as<arrow::UInt64Scalar>().value, 10u);
}

TEST(ArrowToolchain, VersionStringNamesThePinnedArrow) {
  EXPECT_NE(VersionString().find("arrow 16.0.0"), std::string::npos) << VersionString();
}

}  // namespace
}  // namespace deltacat
