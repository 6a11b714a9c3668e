#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Defines arrow::Table, which Arrow's filesystem headers only forward-declare: without the
// definition, clang-tidy takes that declaration for a misplaced storage::Table.
#include <arrow/table.h>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/commit_lookup.h"
#include "deltacat/storage/directory_lister.h"
#include "deltacat/storage/model/metafile.h"
#include "deltacat/storage/model/partition_scheme.h"
#include "deltacat/storage/msgpack_value.h"
#include "deltacat/storage/revision_scanner.h"

namespace deltacat::storage {

class TransactionClock;

/// The default stream format.
inline constexpr std::string_view kDefaultStreamFormat = "deltacat";

/// Largest metafile revision accepted (deltas carry their manifest inline).
inline constexpr int64_t kMaxMetafileBytes = 1LL << 30;

/// A metafile revision as seen by a snapshot.
struct MetafileRecord {
  MetafileKind kind = MetafileKind::kNamespace;
  /// The object's immutable ID (its directory name).
  std::string id;
  /// IDs of its ancestors, root first (from the directory it was found in).
  std::vector<std::string> ancestor_ids;
  /// The decoded revision with its parent locators restored to real names.
  MsgValue doc;
  /// The revision file this came from.
  RevisionEntry revision;

  /// `ancestor_ids` followed by `id`: the path of the object below the catalog root.
  std::vector<std::string> PathIds() const;
  /// True when the revision is a `delete` tombstone.
  bool deleted() const { return revision.name.op == TxnOpType::kDelete; }
  /// The document decoded into its model struct (Namespace, Table, ...).
  Result<Metafile> ToModel() const { return DecodeMetafile(doc); }
};

/// Reads a catalog as of a snapshot time S (storage-format.md §4.6): a revision file is
/// visible iff it was written by `own_txn_id`, or its transaction has a success log whose end
/// time is < S. Resolves names through name-resolution directories, takes the latest visible
/// revision of objects (checking every file of a revision number and taking the visible one),
/// restores sentinel parent locators within the snapshot, and lists children skipping deleted
/// objects. Time travel is a reader with S = as_of. Caches what cannot change for a snapshot
/// (success-log lookups per minute directory, restored parent locators); a transaction that
/// reads its own writes calls InvalidateCaches after each write. Not thread-safe.
class SnapshotReader {
 public:
  /// A reader of `catalog` at snapshot time `snapshot_time`, seeing the files of transaction
  /// `own_txn_id` (if not empty) as committed.
  SnapshotReader(FileSystemLocation catalog, int64_t snapshot_time, std::string own_txn_id = "");

  /// A reader at "now", a fresh start time from `clock` (so it sees every transaction that
  /// committed through the same clock before this call).
  static SnapshotReader AtNow(FileSystemLocation catalog, TransactionClock& clock);

  const FileSystemLocation& catalog() const { return catalog_; }
  int64_t snapshot_time() const { return snapshot_time_; }
  const std::string& own_txn_id() const { return own_txn_id_; }

  // --- Revisions and names -------------------------------------------------------------------

  /// Whether the transaction that wrote `entry` is visible in this snapshot.
  Result<bool> IsVisible(const RevisionEntry& entry);

  /// The latest visible revision file of a `rev/` or name-resolution directory, which may be a
  /// `delete`; nullopt when none is visible. Listings go through `lister` (default: the
  /// filesystem).
  Result<std::optional<RevisionEntry>> LatestVisibleRevision(const std::string& dir,
                                                             DirectoryLister* lister = nullptr);

  /// The ID a name-resolution directory maps to, or nullopt when its latest visible mapping is
  /// missing or a `delete`.
  Result<std::optional<std::string>> ResolveName(const std::string& name_dir);

  // --- Objects by ID path ----------------------------------------------------------------------

  /// Reads and decodes one revision file of the object of `kind` at `path_ids`, restoring its
  /// parent locators. Errors name the file: kCorruptMetadata for undecodable content, another
  /// metafile kind, an ID that does not match the directory, or a missing parent;
  /// kUnsupportedFormat for non-msgpack (".json") revisions.
  Result<MetafileRecord> ReadRevision(MetafileKind kind, const RevisionEntry& entry,
                                      const std::vector<std::string>& path_ids);

  /// The latest visible state of the object at `path_ids` (ancestors then its own ID); nullopt
  /// when it does not exist in this snapshot or is deleted (unless `include_deleted`).
  Result<std::optional<MetafileRecord>> ReadObject(MetafileKind kind,
                                                   const std::vector<std::string>& path_ids,
                                                   bool include_deleted = false);

  // --- Lookups by name (nullopt when absent) ---------------------------------------------------

  Result<std::optional<MetafileRecord>> FindNamespace(std::string_view name);
  Result<std::optional<MetafileRecord>> FindTable(std::string_view namespace_name,
                                                  std::string_view table_name);
  Result<std::optional<MetafileRecord>> FindTableVersion(std::string_view namespace_name,
                                                         std::string_view table_name,
                                                         std::string_view table_version);
  /// The committed stream of a table version by its format alias (the default stream for
  /// "deltacat").
  Result<std::optional<MetafileRecord>> FindStream(const MetafileRecord& table_version,
                                                   std::string_view format = kDefaultStreamFormat);
  /// The committed partition of `stream` by partition values (nil or [] for unpartitioned, which
  /// forces the unpartitioned scheme) and scheme ID (default: the stream's current scheme).
  Result<std::optional<MetafileRecord>> FindPartition(
      const MetafileRecord& stream, const MsgValue& partition_values,
      std::optional<std::string> partition_scheme_id = std::nullopt);
  /// The delta of `partition` at `stream_position`.
  Result<std::optional<MetafileRecord>> FindDelta(const MetafileRecord& partition,
                                                  int64_t stream_position);

  // --- Lookups by name (typed not-found errors) -----------------------------------------------

  Result<MetafileRecord> GetNamespace(std::string_view name);
  Result<MetafileRecord> GetTable(std::string_view namespace_name, std::string_view table_name);
  Result<MetafileRecord> GetTableVersion(std::string_view namespace_name,
                                         std::string_view table_name,
                                         std::string_view table_version);
  Result<MetafileRecord> GetStream(const MetafileRecord& table_version,
                                   std::string_view format = kDefaultStreamFormat);

  // --- Listings (deleted objects skipped) ------------------------------------------------------

  /// The children of kind `child_kind` of the object at `parent_path_ids` (the root for an
  /// empty list), in directory-name order.
  Result<std::vector<MetafileRecord>> ListChildren(MetafileKind child_kind,
                                                   const std::vector<std::string>& parent_path_ids);
  Result<std::vector<MetafileRecord>> ListNamespaces();
  Result<std::vector<MetafileRecord>> ListTables(const MetafileRecord& ns);
  Result<std::vector<MetafileRecord>> ListTableVersions(const MetafileRecord& table);
  Result<std::vector<MetafileRecord>> ListStreams(const MetafileRecord& table_version,
                                                  bool include_staged = true);
  Result<std::vector<MetafileRecord>> ListPartitions(const MetafileRecord& stream,
                                                     bool include_staged = false);
  /// The deltas of a partition sorted by ascending stream position.
  Result<std::vector<MetafileRecord>> ListDeltas(const MetafileRecord& partition);

  /// The real-name locator a `kind` metafile under `ancestor_ids` restores its sentinel from:
  /// the parent namespace's `namespaceLocator` for a table, the ancestor table's restored
  /// `tableLocator` otherwise. Read within the snapshot (falling back, like Python, to the
  /// newest revision file when the snapshot sees none) and cached. `context` names the file
  /// being restored in errors.
  Result<MsgValue> RestoredParentLocator(MetafileKind kind,
                                         const std::vector<std::string>& ancestor_ids,
                                         const std::string& context);

  /// Python parity switch (storage-format.md §4.6, docs/format.md §12.2): Python examines only
  /// the first file (in name order) of each revision number, so an invisible leftover that
  /// sorts before a committed file at the same revision hides it. By default this reader checks
  /// every file of a revision and takes the visible one; `true` reproduces Python exactly.
  void set_python_first_file_only(bool value) { python_first_file_only_ = value; }

  /// Forgets everything cached: restored parents, and listings and metafiles (EnableCaching).
  void InvalidateCaches();

  /// Makes the reader remember, for its lifetime, directory listings and decoded metafiles
  /// (except deltas, which a listing reads once each): a commit otherwise lists the same
  /// name-resolution and `rev/` directories and reads the same parents several times. Only for
  /// readers whose snapshot time S is not in the future, such as a transaction's reader: a
  /// revision file visible at S belongs to a transaction that ended before S, so it was
  /// written before S and any listing taken after S shows it; later files of others are
  /// invisible anyway. Files the reader's own transaction writes must be reported with
  /// ForgetOwnWrite. Conflict checks never go through this reader.
  void EnableCaching();

  /// Tells a caching reader that its own transaction wrote (or deleted) the `kind` metafile or
  /// mapping file at `path`: the listings of the directories above it are dropped, and so are
  /// restored parents when a namespace or table changed.
  void ForgetOwnWrite(MetafileKind kind, const std::string& path);

  /// The success-log lookup this reader uses.
  CommitLookup& commits() { return commits_; }

  /// Filesystem operations that listed a directory so far (for benchmarks and tests).
  int64_t listings() const;

  ~SnapshotReader();
  SnapshotReader(SnapshotReader&&) noexcept;
  SnapshotReader& operator=(SnapshotReader&&) noexcept;

 private:
  class CountingLister;
  Result<std::vector<MetafileRecord>> ListChildrenWith(MetafileKind child_kind,
                                                       const std::vector<std::string>& parent_ids,
                                                       DirectoryLister& lister);

  FileSystemLocation catalog_;
  int64_t snapshot_time_;
  std::string own_txn_id_;
  CommitLookup commits_;
  std::unique_ptr<CountingLister> lister_;
  bool python_first_file_only_ = false;
  // Restored `namespaceLocator` / `tableLocator` by the parent's object directory.
  std::map<std::string, MsgValue> parent_locators_;
  // With EnableCaching: decoded (not yet restored) metafiles by revision file path.
  bool cache_metafiles_ = false;
  std::map<std::string, MsgValue, std::less<>> metafiles_;
};

}  // namespace deltacat::storage
