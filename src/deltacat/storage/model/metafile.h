#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "deltacat/status.h"
#include "deltacat/storage/model/delta.h"
#include "deltacat/storage/model/namespace.h"
#include "deltacat/storage/model/partition.h"
#include "deltacat/storage/model/stream.h"
#include "deltacat/storage/model/table.h"
#include "deltacat/storage/model/table_version.h"

// A metafile revision of any kind, and the object-level rules shared by all kinds: the
// immutable ID, `ancestor_ids`, and the rename-proofing parent sentinel (format spec §3.3-3.4;
// Python's Metafile.id / to_serializable / from_serializable).

namespace deltacat::storage {

/// The kinds of metafile, in the order Python detects them by top-level key.
enum class MetafileKind { kNamespace, kTable, kTableVersion, kStream, kPartition, kDelta };

/// Any metafile revision.
using Metafile = std::variant<Namespace, Table, TableVersion, Stream, Partition, Delta>;

/// The kind held.
MetafileKind KindOf(const Metafile& metafile);
/// Python's class name: "Namespace", "Table", "TableVersion", "Stream", "Partition", "Delta".
std::string_view MetafileKindName(MetafileKind kind);
/// The top-level key that identifies the kind ("namespaceLocator", ...).
std::string_view LocatorKey(MetafileKind kind);
/// How many IDs `ancestor_ids` holds for this kind: 0 for a namespace ... 5 for a delta.
size_t AncestorCount(MetafileKind kind);

/// The immutable ID that names the object's directory: the UUID `id` of a namespace or table,
/// the table version string, the stream ID, the partition ID, or str(stream position) of a
/// delta (Python prints a missing position as "None").
std::string MetafileId(const Namespace& m);
std::string MetafileId(const Table& m);
std::string MetafileId(const TableVersion& m);
std::string MetafileId(const Stream& m);
std::string MetafileId(const Partition& m);
std::string MetafileId(const Delta& m);
std::string MetafileId(const Metafile& metafile);

/// The alias a committed stream is found by (its format under the table version), or nullopt
/// for a staged stream (Python's `StreamLocatorAlias.of`).
std::optional<StreamLocatorAlias> LocatorAliasOf(const Stream& stream);
/// The alias a committed partition is found by (its values and scheme ID under the stream),
/// or nullopt for a staged partition (Python's `PartitionLocatorAlias.of`).
std::optional<PartitionLocatorAlias> LocatorAliasOf(const Partition& partition);

/// The stored ancestor IDs, root first.
const std::vector<std::string>& AncestorIds(const Metafile& metafile);
/// Mutable access to the ancestor IDs, for writers filling them in.
std::vector<std::string>& MutableAncestorIds(Metafile& metafile);
/// kCorruptMetadata unless `ancestor_ids` has the size its kind requires.
Status ValidateAncestorIds(const Metafile& metafile);

// --- Rename-proofing sentinel (§3.4) ---------------------------------------------------------
//
// On disk a metafile does not store its parents' mutable names. A table stores
// `{namespace: <table id>}` as its namespace locator; a table version, stream, partition or
// delta stores `{namespaceLocator: {namespace: <own id>}, tableName: <own id>}` as its table
// locator. Readers detect the sentinel (the stored name equals the object's own ID) and put
// back the parent's current locator, read from the ancestor's latest revision: the namespace
// for a table (1 level up), the table for the others (1 to 4 levels up).

/// The copy Python writes (`to_serializable`): parent names replaced by the sentinel. Objects
/// without the parent locator are returned unchanged.
Metafile WithParentSentinel(const Metafile& metafile);

/// True when the stored parent locator is the sentinel and must be restored.
bool HasParentSentinel(const Metafile& metafile);

/// How many directory levels above the object's own directory the ancestor whose latest
/// revision restores the sentinel lives: 1 for a table (its namespace) and a table version
/// (its table), 2 for a stream, 3 for a partition, 4 for a delta; 0 for a namespace.
int SentinelSourceLevel(MetafileKind kind);

/// Replaces a table's sentinel namespace locator with `namespace_locator` (from the parent
/// namespace's latest revision). A no-op when the table holds no sentinel.
void RestoreParent(Table& table, const NamespaceLocator& namespace_locator);
/// Replaces the sentinel table locator of a table version, stream, partition or delta with
/// `table_locator` (the restored locator of the ancestor table's latest revision). A no-op
/// when the object holds no sentinel.
void RestoreParent(TableVersion& table_version, const TableLocator& table_locator);
void RestoreParent(Stream& stream, const TableLocator& table_locator);
void RestoreParent(Partition& partition, const TableLocator& table_locator);
void RestoreParent(Delta& delta, const TableLocator& table_locator);

/// Restores `metafile` from the decoded latest revision of its sentinel source
/// (SentinelSourceLevel): a Namespace for a table, a Table (already restored) for the rest.
/// kInvalidArgument when `source` is of the wrong kind; OK and unchanged without a sentinel.
Status RestoreParent(Metafile& metafile, const Metafile& source);

}  // namespace deltacat::storage
