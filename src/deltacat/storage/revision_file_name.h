#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "deltacat/result.h"
#include "deltacat/storage/transaction_operation_type.h"

namespace deltacat::storage {

/// Extension of msgpack metafile revisions.
inline constexpr std::string_view kMetafileExtension = ".mpk";

/// The name of a revision file or a name-mapping file (storage-format.md §2.4, §2.5):
/// `<revision:020d>_<op>_<txn_id><extension>`, where the extension is ".mpk" for metafile
/// revisions and "." + the target object ID for mapping files.
struct RevisionFileName {
  uint64_t revision = 0;
  TxnOpType op = TxnOpType::kCreate;
  std::string txn_id;
  /// Including the leading '.', e.g. ".mpk".
  std::string extension;

  /// The file name, e.g. "00000000000000000001_create_1754104277284541000_241a...-....mpk".
  std::string ToString() const;
  /// For mapping files: the target ID (the extension without its '.').
  std::string_view TargetId() const;
  bool operator==(const RevisionFileName&) const = default;
};

/// Parses a revision or mapping file name strictly: the extension is everything from the last
/// '.', which must not be the first character and must be followed by at least one character;
/// the rest splits on '_' into exactly four parts: a revision of 1 to 20 ASCII digits in
/// [1, 10^19], a write op (create/update/replace/delete), and a transaction ID
/// `<start_ns>_<uuid>`. kCorruptMetadata naming `file_name` otherwise.
Result<RevisionFileName> ParseRevisionFileName(std::string_view file_name);

/// ParseRevisionFileName's checks, returning only the revision (allocates nothing unless the
/// name is bad): scans validate every name of a leaf but build entries only for those used.
Result<uint64_t> ParseRevisionNumber(std::string_view file_name);

/// The order in which Python examines the files of one leaf directory: descending file name,
/// compared byte-wise (descending revision for 20-digit names, then op name, then txn ID).
/// True when `a` comes before `b`.
bool NewerRevisionFirst(std::string_view a, std::string_view b);

}  // namespace deltacat::storage
