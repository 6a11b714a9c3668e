#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <arrow/type_fwd.h>

#include "deltacat/io/column_statistics.h"
#include "deltacat/storage/model/manifest.h"
#include "deltacat/storage/msgpack_value.h"

/// Per-file column statistics kept in manifest entries, so that reads can skip files a filter
/// rules out (docs/format.md, "Column statistics in manifest entries").
///
/// They live under one extra key of the entry's `meta` map. Python DeltaCAT 2.0.0.post4 keeps
/// unknown keys of a manifest entry it reads (its models are dicts) and drops them when it
/// rebuilds an entry, so the statistics either travel with the file they describe or vanish;
/// they also record the row count they describe, and are ignored when it differs from the
/// entry's `record_count`.
namespace deltacat::compute {

/// The key of the statistics inside a manifest entry's `meta` map.
inline constexpr std::string_view kColumnStatisticsKey = "deltacat_cpp_column_stats";
/// Version of the statistics map written; other versions are ignored on read.
inline constexpr int64_t kColumnStatisticsVersion = 1;
/// Longest string or binary bound stored, in bytes: longer minimums are cut to a prefix (still
/// a lower bound); longer maximums become a prefix whose last character is incremented (still
/// an upper bound), or are left out when no such prefix exists.
inline constexpr size_t kMaxStatisticsBoundBytes = 64;

/// The manifest form of the statistics of a file of `record_count` rows: nil when `columns` is
/// empty (statistics were not collected).
storage::MsgValue EncodeColumnStatistics(const std::vector<io::ColumnStatistics>& columns,
                                         int64_t record_count);

/// Stores encoded statistics in `meta` (replacing earlier ones); a nil `statistics` removes
/// them.
void AttachColumnStatistics(storage::ManifestMeta& meta, storage::MsgValue statistics);

/// Statistics of one data file, typed as the table's current schema.
struct FileColumnStatistics {
  int64_t record_count = 0;  ///< rows of the file
  /// One per column of the schema the file recorded statistics for. min/max are scalars of the
  /// schema's field type, or nullptr when unknown (never recorded, omitted, or not convertible
  /// to the current type); nan_count is set for floating-point fields only when known.
  std::vector<io::ColumnStatistics> columns;
};

/// The statistics of a manifest entry converted to `schema` (by column name; type changes are
/// followed only where they preserve order: integer and float widening, string and binary to
/// their large forms). nullopt when the entry has none, they are malformed or of another
/// version, or they describe a different number of rows than the entry: statistics are an
/// optimisation, so bad ones are ignored rather than reported.
std::optional<FileColumnStatistics> DecodeColumnStatistics(const storage::ManifestMeta& meta,
                                                           const arrow::Schema& schema);

}  // namespace deltacat::compute
