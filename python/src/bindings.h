#pragma once

#include <nanobind/nanobind.h>

namespace deltacat::python {

/// The result types: Namespace, TableVersion, TableDefinition, Delta, TransactionRecord,
/// JanitorReport (value_types.cc).
void BindValueTypes(nanobind::module_& m);

/// Catalog, Transaction and CreateTableOptions (catalog_bindings.cc).
void BindCatalog(nanobind::module_& m);

/// `_parse_filter`: the --where filter syntax, for checking filters without a catalog
/// (filter.cc).
void BindFilter(nanobind::module_& m);

}  // namespace deltacat::python
