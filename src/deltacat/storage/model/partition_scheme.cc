#include "deltacat/storage/model/partition_scheme.h"

namespace deltacat::storage {

PartitionScheme PartitionScheme::Unpartitioned() {
  PartitionScheme scheme;
  scheme.name = std::string(kUnpartitionedSchemeName);
  scheme.id = std::string(kUnpartitionedSchemeId);
  return scheme;
}

}  // namespace deltacat::storage
