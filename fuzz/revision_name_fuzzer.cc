// Fuzzes the parsers of names found in a catalog directory: revision and name-mapping file
// names, transaction IDs (transaction-log file and directory names), catalog version markers
// and table versions. A name that parses prints back to a name that parses to the same value.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "deltacat/storage/catalog_version.h"
#include "deltacat/storage/model/table_version.h"
#include "deltacat/storage/revision_file_name.h"
#include "deltacat/storage/transaction_id.h"

using namespace deltacat::storage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  auto revision = ParseRevisionFileName(name);
  if (revision.ok()) {
    auto again = ParseRevisionFileName(revision->ToString());
    if (!again.ok() || !(*again == *revision)) std::abort();
    (void)revision->TargetId();
  }
  (void)NewerRevisionFirst(name, "00000000000000000001_create_1_x.mpk");
  auto txn = ParseTransactionId(name);
  if (txn.ok() && txn->start_time < 0) std::abort();
  (void)ParseCatalogVersionMarker(name);
  (void)ParseTableVersion(name);
  return 0;
}
