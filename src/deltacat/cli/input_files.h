#pragma once

#include <memory>
#include <string>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/table.h>

#include "deltacat/result.h"

namespace deltacat::cli {

/// Opens the files given to `deltacat write` as one stream of batches. The format comes from
/// `format` ("parquet", "feather", "orc", "csv", "tsv", "psv", "json") or else from each
/// file's extension (".csv.gz" etc. are decompressed). Text inputs have a header row, as files
/// users hand to a CLI do. All files must have the same schema (SchemaValidationError).
Result<std::shared_ptr<arrow::RecordBatchReader>> OpenInputFiles(
    const std::vector<std::string>& paths, const std::string& format);

/// The same rows as one table (the CLI reads its inputs whole).
Result<std::shared_ptr<arrow::Table>> ReadInputFiles(const std::vector<std::string>& paths,
                                                     const std::string& format);

}  // namespace deltacat::cli
