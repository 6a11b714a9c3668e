#pragma once

#include <string>
#include <string_view>

#include "deltacat/result.h"
#include "deltacat/storage/model/metafile.h"
#include "deltacat/storage/msgpack_value.h"

// msgpack codecs of the six metafile kinds, type detection, and the byte-level entry points
// for metafile revision files.
//
// The Decode*/Encode* functions translate exactly what is in the struct: they neither add nor
// remove the rename sentinel (see metafile.h). SerializeMetafileRevision applies it, as
// Python's writer does; DeserializeMetafileRevision leaves it for the caller to restore.

namespace deltacat::storage {

Result<Namespace> DecodeNamespace(const MsgValue& value);
MsgValue EncodeNamespace(const Namespace& ns);

Result<Table> DecodeTable(const MsgValue& value);
MsgValue EncodeTable(const Table& table);

/// `schema`/`schemas` must be bin (Arrow IPC schema messages).
Result<TableVersion> DecodeTableVersion(const MsgValue& value);
MsgValue EncodeTableVersion(const TableVersion& table_version);

Result<Stream> DecodeStream(const MsgValue& value);
MsgValue EncodeStream(const Stream& stream);

Result<Partition> DecodePartition(const MsgValue& value);
MsgValue EncodePartition(const Partition& partition);

Result<Delta> DecodeDelta(const MsgValue& value);
MsgValue EncodeDelta(const Delta& delta);

/// The kind of a decoded metafile map by its top-level locator key, checked in Python's
/// order (tableLocator, namespaceLocator, tableVersionLocator, partitionLocator,
/// streamLocator, deltaLocator); kCorruptMetadata if there is none.
Result<MetafileKind> DetectMetafileKind(const MsgValue& value);

/// Decodes any metafile map, dispatching on DetectMetafileKind.
Result<Metafile> DecodeMetafile(const MsgValue& value);
/// Encodes any metafile as it is (no sentinel substitution).
MsgValue EncodeMetafile(const Metafile& metafile);

/// The metafile's own locator as a map (`namespaceLocator`, `tableLocator`, ...), e.g. for a
/// transaction log's `dest_metafile.locator`. Encoded as it is: no sentinel.
MsgValue EncodeMetafileLocator(const Metafile& metafile);
/// The metafile's locator alias (LocatorAliasOf) as a map, or nil when it has none (every kind
/// but committed streams and partitions), e.g. for `dest_metafile.locator_alias`.
MsgValue EncodeMetafileLocatorAlias(const Metafile& metafile);

/// The bytes of a revision file for `metafile`: the parent sentinel applied
/// (WithParentSentinel), then msgpack-encoded. `ancestor_ids` (and `id` for namespaces and
/// tables) must already be filled in.
std::string SerializeMetafileRevision(const Metafile& metafile);

/// Decodes the bytes of a revision file. The parent sentinel stays in place: check
/// HasParentSentinel and call RestoreParent with the ancestor's latest revision.
/// kCorruptMetadata for anything that is not a metafile.
Result<Metafile> DeserializeMetafileRevision(std::string_view bytes);

}  // namespace deltacat::storage
