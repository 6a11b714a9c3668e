#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "deltacat/result.h"
#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/msgpack_value.h"

// Canonical strings of locators (Python's `Locator.canonical_string()`: the locator's name
// parts, each through `str()`, joined with "|") and their SHA-1 digests, which name the
// name-resolution directories of namespaces, tables, stream aliases and partition aliases.
// A missing part prints as Python's "None".

namespace deltacat::storage {

/// Python's `str(partition_values)`: "None" for nil, CPython's list repr otherwise
/// (e.g. `['a', 1, None, True, 1.5]`). kInvalidArgument for values Python's repr is not
/// reproduced for here (maps, integers above INT64_MAX).
Result<std::string> PartitionValuesString(const std::optional<MsgArray>& partition_values);

/// `namespace`.
std::string CanonicalString(const NamespaceLocator& locator);
/// `tableName`.
std::string CanonicalString(const TableLocator& locator);
/// `tableVersion`.
std::string CanonicalString(const TableVersionLocator& locator);
/// `streamId|format`.
std::string CanonicalString(const StreamLocator& locator);
/// `str(partitionValues)|partitionId`: the key of a multi-source RCI high watermark.
Result<std::string> CanonicalString(const PartitionLocator& locator);
/// `str(streamPosition)`.
std::string CanonicalString(const DeltaLocator& locator);
/// `format`: the stream alias name (e.g. "deltacat").
std::string CanonicalString(const StreamLocatorAlias& alias);
/// `str(partition_values)|partition_scheme_id`: the partition alias name, e.g.
/// "None|deadbeef-7277-49a4-a195-fdc8ed235d42" for every unpartitioned partition.
Result<std::string> CanonicalString(const PartitionLocatorAlias& alias);

/// The name-resolution directory of a canonical string: 40 lowercase hex characters of
/// SHA-1(UTF-8 bytes), e.g. "8783dc5c5ecd47bd6265e89a5294778a579bf43b" for "deltacat".
std::string LocatorDigest(std::string_view canonical_string);

}  // namespace deltacat::storage
