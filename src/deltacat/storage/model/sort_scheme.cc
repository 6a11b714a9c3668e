#include "deltacat/storage/model/sort_scheme.h"

namespace deltacat::storage {

SortScheme SortScheme::Unsorted() {
  SortScheme scheme;
  scheme.name = std::string(kUnsortedSchemeName);
  scheme.id = std::string(kUnsortedSchemeId);
  return scheme;
}

}  // namespace deltacat::storage
