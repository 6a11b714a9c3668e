// The storage conformance suite (transactions, snapshots, crash consistency, janitor,
// history) on S3: moto_server on loopback, one fresh prefix per test. On S3 nothing is
// renamed and directories are implicit; these tests check the protocol holds anyway.

#include <mutex>

#include <arrow/filesystem/s3fs.h>

#include "deltacat/util/uuid.h"
#include "storage/storage_conformance.h"
#include "support/moto_server.h"

namespace deltacat::storage::testing {
namespace {

constexpr char kBucket[] = "deltacat-storage-tests";

::deltacat::testing::MotoServer* Moto() { return ::deltacat::testing::SharedMotoServer(kBucket); }

CatalogUnderTest S3Catalog() {
  CatalogUnderTest catalog;
  auto* moto = Moto();
  if (moto == nullptr) return catalog;
  auto fs = arrow::fs::S3FileSystem::Make(moto->Options());
  EXPECT_TRUE(fs.ok()) << fs.status().ToString();
  if (!fs.ok()) return catalog;
  catalog.location.fs = *fs;
  catalog.location.root = std::string(kBucket) + "/catalog-" + NewUuid4();
  catalog.location.uri = "s3://" + catalog.location.root;
  return catalog;
}

INSTANTIATE_TEST_SUITE_P(S3, StorageConformance,
                         ::testing::Values(StorageBackend{"S3", S3Catalog, 3}), StorageBackendName);

TEST(StorageS3, CommitWritesNoDirectoryMarkersAndRenamesNothing) {
  CatalogUnderTest catalog = S3Catalog();
  ASSERT_TRUE(catalog.location.fs != nullptr);
  auto counting = std::make_shared<FaultInjectionFileSystem>(catalog.location.fs);
  FileSystemLocation location = catalog.location;
  location.fs = counting;
  TransactionOptions options;
  options.clock = std::make_shared<TransactionClock>(std::make_shared<ManualClock>(kBaseTime));
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(location, options));
  ASSERT_OK(txn.Create(NamespaceDoc("s3ns")).status());
  ASSERT_OK_AND_ASSIGN(auto committed, txn.Commit());
  EXPECT_EQ(counting->count(FsOp::kRename), 0);
  EXPECT_EQ(counting->count(FsOp::kCreateDir), 0);
  // Every object is a file named as the format says: no "dir/" markers.
  arrow::fs::FileSelector selector;
  selector.base_dir = location.root;
  selector.recursive = true;
  ASSERT_OK_AND_ASSIGN(auto infos, catalog.location.fs->GetFileInfo(selector));
  size_t files = 0;
  for (const auto& info : infos) {
    if (info.type() == arrow::fs::FileType::File) {
      ++files;
      EXPECT_FALSE(info.path().ends_with("/"));
    }
  }
  EXPECT_EQ(files, 3u);  // mapping, revision, success log
  auto reader = SnapshotReader::AtNow(location, *options.clock);
  ASSERT_OK_AND_ASSIGN(auto ns, reader.GetNamespace("s3ns"));
  EXPECT_EQ(ns.revision.name.txn_id, committed.txn_id);
}

}  // namespace
}  // namespace deltacat::storage::testing
