#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/model/map_extras.h"
#include "deltacat/storage/model/partition_scheme.h"
#include "deltacat/storage/model/sort_scheme.h"

namespace deltacat::storage {

/// A table version revision. Schemas are kept as the Arrow IPC schema messages stored on
/// disk; schema.h interprets them.
struct TableVersion {
  /// `tableVersionLocator`. On disk its table locator is the rename sentinel; see metafile.h.
  TableVersionLocator locator;
  std::optional<std::string> schema;                      ///< `schema` (bin)
  std::optional<PartitionScheme> partition_scheme;        ///< `partitionScheme`
  std::optional<std::string> description;                 ///< `description`
  MsgValue properties;                                    ///< `properties`: a map, or nil
  std::optional<std::vector<std::string>> content_types;  ///< `contentTypes`; nil = any
  std::optional<SortScheme> sort_scheme;                  ///< `sortScheme`
  std::optional<int64_t> watermark;                       ///< `watermark`
  std::optional<OpenEnum<LifecycleState>> state;          ///< `state`
  std::optional<std::vector<std::string>> schemas;        ///< `schemas` (bin each), oldest first
  std::optional<std::vector<PartitionScheme>> partition_schemes;  ///< `partitionSchemes`
  /// `sortSchemes`: must be set whenever `sort_scheme` is (Python's reader fails otherwise).
  std::optional<std::vector<SortScheme>> sort_schemes;
  std::optional<std::string> previous_table_version;  ///< `previous_table_version`
  MsgValue native_object;                             ///< `nativeObject`
  std::vector<std::string> ancestor_ids;              ///< [namespace id, table id]
  MapExtras extras;
  bool operator==(const TableVersion&) const = default;
};

/// Maximum length of a table version string (Python's BYTES_PER_KIBIBYTE).
inline constexpr size_t kMaxTableVersionLength = 1024;

/// A parsed table version: optional `<prefix>.` and a decimal number, e.g. "v." and "12".
struct ParsedTableVersion {
  std::string prefix;  ///< including the trailing '.', or empty
  std::string number;  ///< decimal digits without leading zeros ("0" for zero)
};

/// Parses a table version as Python's `TableVersion.parse_table_version`
/// (`^(\w*\.)?(\d+)$`, at most 1024 characters); kInvalidArgument otherwise.
Result<ParsedTableVersion> ParseTableVersion(std::string_view table_version);

/// The canonical form Python stores ("v.0001" -> "v.1", "007" -> "7").
Result<std::string> CanonicalTableVersion(std::string_view table_version);

/// The version after `previous` ("v.1" -> "v.2"), or "1" when there is none.
Result<std::string> NextTableVersion(std::optional<std::string_view> previous);

}  // namespace deltacat::storage
