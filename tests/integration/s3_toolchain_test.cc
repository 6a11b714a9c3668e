// Round-trips a Parquet file through Arrow's S3FileSystem against a real S3 protocol server
// (moto_server on loopback, started and stopped by the test).
#include <arrow/api.h>
#include <arrow/filesystem/s3fs.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>

#include "support/moto_server.h"

namespace deltacat {
namespace {

TEST(S3Toolchain, ParquetRoundTripThroughMoto) {
  auto server_result = testing::MotoServer::Start();
  ASSERT_TRUE(server_result.ok()) << server_result.status();
  auto server = std::move(server_result).ValueOrDie();
  auto created = server->CreateBucket("smoke");
  ASSERT_TRUE(created.ok()) << created;
  auto fs = arrow::fs::S3FileSystem::Make(server->Options()).ValueOrDie();

  auto schema = arrow::schema({arrow::field("x", arrow::int32())});
  arrow::Int32Builder builder;
  ASSERT_TRUE(builder.AppendValues({1, 2, 3, 4, 5}).ok());
  auto table = arrow::Table::Make(schema, {builder.Finish().ValueOrDie()});
  {
    auto out = fs->OpenOutputStream("smoke/dir/t.parquet").ValueOrDie();
    ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), out, 2).ok());
    ASSERT_TRUE(out->Close().ok());
  }
  auto info = fs->GetFileInfo("smoke/dir/t.parquet").ValueOrDie();
  EXPECT_EQ(info.type(), arrow::fs::FileType::File);
  EXPECT_GT(info.size(), 0);

  auto in = fs->OpenInputFile("smoke/dir/t.parquet").ValueOrDie();
  std::unique_ptr<parquet::arrow::FileReader> reader;
  ASSERT_TRUE(parquet::arrow::OpenFile(in, arrow::default_memory_pool(), &reader).ok());
  std::shared_ptr<arrow::Table> back;
  ASSERT_TRUE(reader->ReadTable(&back).ok());
  EXPECT_TRUE(back->Equals(*table));

  ASSERT_TRUE(fs->DeleteFile("smoke/dir/t.parquet").ok());
  EXPECT_EQ(fs->GetFileInfo("smoke/dir/t.parquet").ValueOrDie().type(),
            arrow::fs::FileType::NotFound);
}

}  // namespace
}  // namespace deltacat
