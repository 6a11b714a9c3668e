// The backend conformance suite on the local filesystem.

#include "storage/storage_conformance.h"

#include "support/temp_dir.h"

namespace deltacat::storage::testing {
namespace {

CatalogUnderTest LocalCatalog() {
  auto dir = std::make_shared<::deltacat::testing::TempDir>();
  auto location = ResolveUri(dir->path().string());
  EXPECT_TRUE(location.ok()) << location.status();
  return CatalogUnderTest{location.ok() ? *location : FileSystemLocation{}, dir};
}

INSTANTIATE_TEST_SUITE_P(Local, StorageConformance,
                         ::testing::Values(StorageBackend{"Local", LocalCatalog, 1}),
                         StorageBackendName);

}  // namespace
}  // namespace deltacat::storage::testing
