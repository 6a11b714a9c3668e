#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/model/metafile.h"
#include "deltacat/storage/msgpack_value.h"

// Generic access to a metafile's msgpack map (storage-format.md §3.3, §3.4): IDs, ancestor
// IDs, names along the locator chain, mutable names and aliases, the sentinel substitution of
// parent names on write and its restoration on read. Works on the generic MsgValue tree, so
// unknown keys survive every rewrite.

namespace deltacat::storage {

/// CommitState "staged".
inline constexpr std::string_view kStagedState = "staged";

/// The names found along a metafile's locator chain (nullopt where absent or nil). These are
/// real names only after restoration; on disk the namespace and table names are sentinels.
struct LocatorNames {
  std::optional<std::string> namespace_name;
  std::optional<std::string> table_name;
  std::optional<std::string> table_version;
  std::optional<std::string> stream_id;
  std::optional<std::string> stream_format;
  std::optional<std::string> partition_id;
  /// `partitionValues` as stored (nil when unpartitioned).
  MsgValue partition_values;
  std::optional<int64_t> stream_position;
};

/// The names along the locator chain of a `kind` metafile. kCorruptMetadata when a locator
/// on the chain is not a map or a name has the wrong type.
Result<LocatorNames> ReadLocatorNames(MetafileKind kind, const MsgValue& doc);

/// The immutable ID of a metafile: `id` for namespaces and tables, the table version string,
/// the stream ID, the partition ID, or the decimal stream position of a delta.
/// kCorruptMetadata (or kInvalidArgument for documents being written) when missing.
Result<std::string> MetafileIdOf(MetafileKind kind, const MsgValue& doc);

/// `ancestor_ids` as stored: empty when absent or nil; kCorruptMetadata when not an array of
/// strings.
Result<std::vector<std::string>> StoredAncestorIds(const MsgValue& doc);

/// The table locator map inside the locator chain of a table version, stream, partition or
/// delta (nullptr when absent, for other kinds, or when not a map).
const MsgValue* TableLocatorOf(MetafileKind kind, const MsgValue& doc);
/// Mutable variant of TableLocatorOf.
MsgValue* MutableTableLocatorOf(MetafileKind kind, MsgValue& doc);

/// The `state` string of a stream or partition, if any.
std::optional<std::string> CommitStateOf(const MsgValue& doc);

/// The canonical string of the object's mutable name or alias, which is hashed into its
/// name-resolution directory: the namespace name, the table name, the stream format of a
/// non-staged stream, or `str(partition_values) + "|" + str(scheme_id)` of a non-staged
/// partition. nullopt for table versions, deltas, and staged streams and partitions.
Result<std::optional<std::string>> MutableNameCanonical(MetafileKind kind, const MsgValue& doc);

/// The real-name locator of a metafile as recorded in transaction logs (a copy of its
/// top-level locator map).
MsgValue LocatorForLog(MetafileKind kind, const MsgValue& doc);

/// The locator alias recorded in transaction logs: `{format, parent}` for non-staged streams,
/// `{partition_values, partition_scheme_id, parent}` for non-staged partitions, else nil.
MsgValue LocatorAliasForLog(MetafileKind kind, const MsgValue& doc);

/// The on-disk form of a metafile (storage-format.md §3.4): parent names replaced by the
/// sentinel `id`, empty partition values normalized to nil, and `ancestor_ids` set.
MsgValue SerializableForm(MetafileKind kind, const MsgValue& doc, std::string_view id,
                          const std::vector<std::string>& ancestor_ids);

/// True when the stored document carries the sentinel instead of its parent's names and needs
/// RestoreParentLocator: the table's namespace equals its `id`, or the table locator's
/// `tableName` equals the object's ID.
bool NeedsParentRestoration(MetafileKind kind, const MsgValue& doc, std::string_view id);

/// Replaces the sentinel with real names: for a table, `restored` is the parent namespace's
/// `namespaceLocator`; for the other kinds it is the ancestor table's (restored)
/// `tableLocator`.
void RestoreParentLocator(MetafileKind kind, MsgValue& doc, const MsgValue& restored);

/// `str(value)` as CPython prints it for values decoded from msgpack (None, bools, ints,
/// floats, str, bytes, lists and dicts), e.g. "['a', 1, None]". kInvalidArgument for values
/// Python could not produce.
Result<std::string> PythonStrOf(const MsgValue& value);

/// `str(partition_values) + "|" + str(partition_scheme_id)`, the partition alias's canonical
/// string. An empty list prints as "[]" (as Python would for a file that stores []).
Result<std::string> PartitionAliasCanonical(const MsgValue& partition_values,
                                            const MsgValue& partition_scheme_id);

}  // namespace deltacat::storage
