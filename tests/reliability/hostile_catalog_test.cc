// Hostile and bad input through the catalog API (issue 8): a catalog whose files were edited by
// someone else must not make us read outside the catalog, nor return data that does not match
// what its manifest says; bad names are refused before anything is written; huge msgpack
// lengths cannot force huge allocations. (Credentials in messages: tests/integration.)

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>

#include "catalog_workload.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/msgpack_value.h"
#include "support/temp_dir.h"

namespace deltacat::reliability {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteAll(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class HostileCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.Child("catalog");
    auto catalog = Catalog::Open(root_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *catalog;
    WriteOptions options;
    options.mode = TableWriteMode::kAuto;
    auto written = catalog_->Write("t", Rows({1, 2, 3}, "a"), options);
    ASSERT_TRUE(written.ok()) << written.status();
  }

  /// Rewrites every delta revision of the catalog in place with `edit` applied to each manifest
  /// entry (what an attacker with write access to the files could do).
  void EditManifestEntries(const std::function<void(storage::ManifestEntry&)>& edit) {
    int edited = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".mpk") continue;
      auto metafile = storage::DeserializeMetafileRevision(ReadAll(entry.path()));
      if (!metafile.ok()) continue;
      auto* delta = std::get_if<storage::Delta>(&*metafile);
      if (delta == nullptr || !delta->manifest || !delta->manifest->entries) continue;
      for (auto& manifest_entry : *delta->manifest->entries) edit(manifest_entry);
      WriteAll(entry.path(), storage::SerializeMetafileRevision(*metafile));
      ++edited;
    }
    ASSERT_GT(edited, 0);
  }

  /// The one data file the setup wrote.
  fs::path DataFile() {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      if (entry.is_regular_file() && entry.path().extension() == ".pq") {
        found.push_back(entry.path());
      }
    }
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? fs::path() : found.front();
  }

  testing::TempDir dir_;
  std::string root_;
  std::shared_ptr<Catalog> catalog_;
};

TEST_F(HostileCatalogTest, ManifestEntriesPointingOutsideTheRootAreRefused) {
  // A file outside the catalog that the edited manifests point at.
  const std::string outside = dir_.Child("secret.pq");
  fs::copy_file(DataFile(), outside);
  const std::vector<std::string> hostile = {
      "../secret.pq",
      "data/../../secret.pq",
      outside,                                            // absolute
      "file://" + outside,                                // absolute URI
      "s3://other-bucket/catalog/data/x.parquet",         // another bucket
      root_ + "-sibling/data/x.parquet",                  // a sibling that shares the root's prefix
      std::string("data/x") + '\0' + "/../../secret.pq",  // NUL
  };
  for (const auto& url : hostile) {
    EditManifestEntries([&](storage::ManifestEntry& entry) {
      entry.url = url;
      entry.uri.reset();
    });
    auto read = catalog_->ReadTable("t");
    ASSERT_FALSE(read.ok()) << "read through " << url;
    EXPECT_EQ(read.status().code(), ErrorCode::kCorruptMetadata) << url << ": " << read.status();
  }
}

TEST_F(HostileCatalogTest, DataFilesThatDoNotMatchTheirManifestAreTypedErrors) {
  const fs::path data = DataFile();
  const std::string original = ReadAll(data);
  // A different row count in a file of the same schema.
  {
    auto other = Rows({1, 2, 3, 4, 5, 6, 7}, "b");
    auto out = arrow::io::FileOutputStream::Open(data.string()).ValueOrDie();
    ASSERT_TRUE(parquet::arrow::WriteTable(*other, arrow::default_memory_pool(), out, 1024).ok());
    ASSERT_TRUE(out->Close().ok());
  }
  auto read = catalog_->ReadTable("t");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kValidation) << read.status();

  // The right size and rows, but one more byte: the size check catches a grown file.
  WriteAll(data, original + "x");
  read = catalog_->ReadTable("t");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kValidation) << read.status();

  // A file whose columns do not convert to the table schema (id as text). Its size is not
  // known to the manifest: remove the size and row count from it.
  {
    arrow::StringBuilder ids;
    ASSERT_TRUE(ids.AppendValues({"x", "y", "z"}).ok());
    arrow::StringBuilder values;
    ASSERT_TRUE(values.AppendValues({"a", "a", "a"}).ok());
    auto bad = arrow::Table::Make(
        arrow::schema({arrow::field("id", arrow::utf8()), arrow::field("v", arrow::utf8())}),
        {ids.Finish().ValueOrDie(), values.Finish().ValueOrDie()});
    auto out = arrow::io::FileOutputStream::Open(data.string()).ValueOrDie();
    ASSERT_TRUE(parquet::arrow::WriteTable(*bad, arrow::default_memory_pool(), out, 1024).ok());
    ASSERT_TRUE(out->Close().ok());
  }
  EditManifestEntries([](storage::ManifestEntry& entry) {
    if (entry.meta) entry.meta->content_length.reset();
  });
  read = catalog_->ReadTable("t");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kSchemaValidation) << read.status();

  // A missing file.
  fs::remove(data);
  read = catalog_->ReadTable("t");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kFileNotFound) << read.status();

  // The original file again reads fine (row count still matches).
  WriteAll(data, original);
  read = catalog_->ReadTable("t");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ((*read)->num_rows(), 3);
}

TEST_F(HostileCatalogTest, NamesWithSeparatorsNulDotSegmentsOrExcessiveLengthAreRejected) {
  const std::vector<std::string> bad = {
      "a/b", "a\\b", std::string("a\0b", 3), ".", "..", std::string(256, 'n'), "\xff\xfe", ""};
  for (const auto& name : bad) {
    EXPECT_EQ(catalog_->CreateNamespace(name).status().code(), ErrorCode::kInvalidArgument)
        << "namespace '" << name << "'";
    CreateTableOptions options;
    options.schema = Rows({}, "")->schema();
    EXPECT_EQ(catalog_->CreateTable(TableRef("default", name), options).status().code(),
              ErrorCode::kInvalidArgument)
        << "table '" << name << "'";
    EXPECT_FALSE(catalog_->RenameTable("t", name).ok()) << "rename to '" << name << "'";
  }
  // Nothing was created, and the table kept its name.
  auto namespaces = catalog_->ListNamespaces();
  ASSERT_TRUE(namespaces.ok());
  EXPECT_EQ(namespaces->size(), 1u);
  auto tables = catalog_->ListTables("default");
  ASSERT_TRUE(tables.ok());
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ(tables->front().name, "t");
  // The longest allowed name works.
  EXPECT_TRUE(catalog_->CreateNamespace(std::string(255, 'n')).ok());
}

TEST_F(HostileCatalogTest, HugeMsgpackLengthsInAMetafileAreTypedErrorsWithoutHugeAllocations) {
  // Every revision file replaced by a msgpack header announcing 4 GiB of string / 4 G array
  // items / 4 G map entries: reads fail with a typed error at once instead of allocating.
  const std::vector<std::string> headers = {
      std::string("\xdb\xff\xff\xff\xff", 5) + "abc",
      std::string("\xdd\xff\xff\xff\xff", 5) + std::string(8, '\xc0'),
      std::string("\xdf\xff\xff\xff\xff", 5) + std::string(8, '\xc0'),
      std::string("\xc6\xff\xff\xff\xff", 5) + "abc",
  };
  std::vector<fs::path> revisions;
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mpk") {
      revisions.push_back(entry.path());
    }
  }
  ASSERT_FALSE(revisions.empty());
  for (const auto& header : headers) {
    for (const auto& path : revisions) WriteAll(path, header);
    auto reopened = Catalog::Open(root_);
    if (!reopened.ok()) {
      EXPECT_EQ(reopened.status().code(), ErrorCode::kCorruptMetadata) << reopened.status();
      continue;
    }
    auto read = (*reopened)->ReadTable("t");
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.status().code(), ErrorCode::kCorruptMetadata) << read.status();
  }
}

}  // namespace
}  // namespace deltacat::reliability
