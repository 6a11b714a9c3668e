#pragma once

#include <memory>
#include <string>

#include <arrow/table.h>

#include "deltacat/catalog.h"
#include "deltacat/catalog/filter_expression.h"

namespace deltacat::testing {

/// A filtered read and what file pruning did during it.
struct FilteredRead {
  Result<std::shared_ptr<arrow::Table>> rows = Status(ErrorCode::kInternal, "not read");
  ReadStatistics statistics;
};

/// Reads the rows of `table` matching `where` (filter expression text), with or without
/// skipping files by their statistics, and records the read's statistics.
inline FilteredRead ReadWhere(Catalog& catalog, const std::string& table, const std::string& where,
                              bool prune_files = true) {
  FilteredRead read;
  auto filter = ParseFilterExpression(where);
  if (!filter.ok()) {
    read.rows = filter.status();
    return read;
  }
  ReadOptions options;
  options.filter = std::move(filter).ValueOrDie();
  options.prune_files = prune_files;
  options.statistics = &read.statistics;
  read.rows = catalog.ReadTable(table, options);
  return read;
}

}  // namespace deltacat::testing
