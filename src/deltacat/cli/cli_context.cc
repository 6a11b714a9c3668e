#include "deltacat/cli/cli_context.h"

namespace deltacat::cli {

Result<std::shared_ptr<Catalog>> CliContext::catalog() {
  if (!catalog_) {
    DC_ASSIGN_OR_RAISE(catalog_, Catalog::Open(catalog_uri_));
  }
  return catalog_;
}

}  // namespace deltacat::cli
