#include "deltacat/storage/transaction.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>
#include <utility>

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/directory_lister.h"
#include "deltacat/storage/metafile_document.h"
#include "deltacat/storage/name_validation.h"
#include "deltacat/storage/object_error_codes.h"
#include "deltacat/storage/revision_partition.h"
#include "deltacat/storage/transaction_id.h"
#include "deltacat/storage/txn_log_record.h"
#include "deltacat/util/uuid.h"

namespace deltacat::storage {

namespace {

/// Python aborts when this many other files share the revision being written.
constexpr size_t kConflictFileLimit = 1000;

Status InvalidDocument(const Status& status) {
  return Status(ErrorCode::kInvalidArgument, status.message());
}

/// The directory a revision or mapping file was written to, without its two partition levels.
std::string UnpartitionedDir(const std::string& file_path) {
  return std::string(ParentPath(ParentPath(ParentPath(file_path))));
}

Status ValidateDocumentNames(MetafileKind kind, const MsgValue& doc, const std::string& id) {
  auto names = ReadLocatorNames(kind, doc);
  if (!names.ok()) return InvalidDocument(names.status());
  switch (kind) {
    case MetafileKind::kNamespace:
      DC_RETURN_NOT_OK(ValidateName("namespace name", names->namespace_name.value_or("")));
      return ValidateDirectoryName("namespace ID", id);
    case MetafileKind::kTable:
      DC_RETURN_NOT_OK(ValidateName("table name", names->table_name.value_or("")));
      return ValidateDirectoryName("table ID", id);
    case MetafileKind::kTableVersion: return ValidateDirectoryName("table version", id);
    case MetafileKind::kStream:
      if (names->stream_format)
        DC_RETURN_NOT_OK(ValidateName("stream format", *names->stream_format));
      return ValidateDirectoryName("stream ID", id);
    case MetafileKind::kPartition: return ValidateDirectoryName("partition ID", id);
    case MetafileKind::kDelta:
      if (names->stream_position && *names->stream_position < 0) {
        return MakeError(ErrorCode::kInvalidArgument, "stream position ", *names->stream_position,
                         " is negative");
      }
      return ValidateDirectoryName("stream position", id);
  }
  return Status::OK();
}

}  // namespace

struct Transaction::Impl {
  Impl(const FileSystemLocation& location, std::shared_ptr<TransactionClock> time,
       std::string txn_id, int64_t start, bool is_historic, const TransactionOptions& options)
      : catalog(location),
        clock(std::move(time)),
        id(std::move(txn_id)),
        start_time(start),
        historic(is_historic),
        seal_marker_lease_ns(options.seal_marker_lease_ns),
        fast_fail_conflicts(options.fast_fail_conflicts),
        reader(location, start, id) {
    log.id = id;
    log.start_time = start_time;
    log.catalog_root_normalized = catalog.root;
    log.commit_message = options.commit_message;
    log.catalog_name = options.catalog_name;
    if (historic) log.historic_timestamp = start_time;
    // The snapshot time is the start time, never in the future: reads may be cached.
    reader.EnableCaching();
  }

  /// A document validated and completed in memory, before anything is written.
  struct Prepared {
    MetafileKind kind = MetafileKind::kNamespace;
    std::string id;
    std::vector<std::string> ancestors;
    MsgValue dest;
    std::optional<MsgValue> src;
    std::string src_id;
  };

  Result<Prepared> Prepare(TxnOpType type, MsgValue dest, const MsgValue* src);
  Result<std::vector<std::string>> ResolveAncestors(MetafileKind kind, const MsgValue& doc);
  Result<StagedWrite> Write(TxnOpType type, MsgValue dest, const MsgValue* src);
  Status Execute(TxnOpType type, Prepared& prepared, StagedWrite& staged);
  Status EnsureRunningLog();
  Result<RevisionEntry> WriteRevisionFile(const std::string& base_dir, TxnOpType op,
                                          const std::string& extension, std::string_view bytes,
                                          std::vector<std::string>& op_paths,
                                          std::vector<std::string>& staged_paths);
  Status CheckConflict(const std::string& path);
  Result<std::vector<RevisionEntry>> ConflictGroup(const std::string& path, uint64_t revision);
  Result<bool> HasFreshSealMarker(const std::string& other_txn_id);
  Status Fail(const Status& cause, std::optional<int64_t> end_time,
              const std::optional<std::string>& success_log, bool write_failed_log,
              TransactionState final_state);
  Result<CommitResult> Commit();

  FileSystemLocation catalog;
  std::shared_ptr<TransactionClock> clock;
  std::string id;
  int64_t start_time;
  bool historic;
  int64_t seal_marker_lease_ns;
  bool fast_fail_conflicts;
  TransactionState state = TransactionState::kActive;
  SnapshotReader reader;
  TxnLogRecord log;
  std::vector<std::string> written;
  bool running_log_written = false;
  // Object directories known to exist (ancestors checked by earlier operations).
  std::set<std::string, std::less<>> existing_dirs;
};

Result<std::vector<std::string>> Transaction::Impl::ResolveAncestors(MetafileKind kind,
                                                                     const MsgValue& doc) {
  DC_ASSIGN_OR_RAISE(auto names, ReadLocatorNames(kind, doc));
  std::vector<std::string> ids;
  const size_t count = AncestorCount(kind);
  auto require_dir = [&](MetafileKind ancestor_kind, const std::string& ancestor_id) -> Status {
    DC_RETURN_NOT_OK(ValidateDirectoryName("ancestor ID", ancestor_id));
    ids.push_back(ancestor_id);
    std::string dir = ObjectDirOfPath(catalog.root, ids);
    if (existing_dirs.contains(dir)) return Status::OK();
    DC_ASSIGN_OR_RAISE(bool exists, Exists(*catalog.fs, dir));
    if (!exists) {
      return MakeError(NotFoundCode(ancestor_kind), MetafileKindName(ancestor_kind), " '",
                       ancestor_id, "' does not exist");
    }
    existing_dirs.insert(std::move(dir));
    return Status::OK();
  };
  auto resolve = [&](MetafileKind ancestor_kind, const std::optional<std::string>& name,
                     std::string_view what) -> Status {
    if (!name) {
      return MakeError(ErrorCode::kInvalidArgument, "the ", MetafileKindName(kind),
                       " has no ancestor IDs and its locator names no ", what);
    }
    DC_ASSIGN_OR_RAISE(
        auto id, reader.ResolveName(NameResolutionDir(ObjectDirOfPath(catalog.root, ids), *name)));
    if (!id) {
      return MakeError(NotFoundCode(ancestor_kind), MetafileKindName(ancestor_kind), " '", *name,
                       "' does not exist");
    }
    return require_dir(ancestor_kind, *id);
  };
  auto immutable = [&](MetafileKind ancestor_kind, const std::optional<std::string>& value,
                       std::string_view what) -> Status {
    if (!value) {
      return MakeError(ErrorCode::kInvalidArgument, "the ", MetafileKindName(kind),
                       " has no ancestor IDs and its locator names no ", what);
    }
    return require_dir(ancestor_kind, *value);
  };
  if (count >= 1)
    DC_RETURN_NOT_OK(resolve(MetafileKind::kNamespace, names.namespace_name, "namespace"));
  if (count >= 2) DC_RETURN_NOT_OK(resolve(MetafileKind::kTable, names.table_name, "table"));
  if (count >= 3) {
    DC_RETURN_NOT_OK(immutable(MetafileKind::kTableVersion, names.table_version, "table version"));
  }
  if (count >= 4) DC_RETURN_NOT_OK(immutable(MetafileKind::kStream, names.stream_id, "stream ID"));
  if (count >= 5) {
    DC_RETURN_NOT_OK(immutable(MetafileKind::kPartition, names.partition_id, "partition ID"));
  }
  return ids;
}

Result<Transaction::Impl::Prepared> Transaction::Impl::Prepare(TxnOpType type, MsgValue dest,
                                                               const MsgValue* src) {
  Prepared prepared;
  auto kind = DetectMetafileKind(dest);
  if (!kind.ok()) return InvalidDocument(kind.status());
  prepared.kind = *kind;
  const bool needs_src = type == TxnOpType::kUpdate || type == TxnOpType::kReplace;
  if (needs_src != (src != nullptr)) {
    return MakeError(ErrorCode::kInvalidArgument, TxnOpTypeName(type),
                     needs_src ? " needs a source metafile" : " takes no source metafile");
  }
  const bool has_own_id =
      prepared.kind == MetafileKind::kNamespace || prepared.kind == MetafileKind::kTable;
  if (has_own_id) {
    const MsgValue* id = dest.Find("id");
    const bool missing =
        id == nullptr || id->IsNil() || (id->IsString() && id->AsString()->empty());
    if (missing && type == TxnOpType::kCreate) {
      dest.Set("id", MsgValue::String(NewUuid4()));
    }
  }
  auto id = MetafileIdOf(prepared.kind, dest);
  if (!id.ok()) return InvalidDocument(id.status());
  prepared.id = *id;
  DC_RETURN_NOT_OK(ValidateDocumentNames(prepared.kind, dest, prepared.id));
  if (src != nullptr) {
    auto src_kind = DetectMetafileKind(*src);
    if (!src_kind.ok()) return InvalidDocument(src_kind.status());
    if (*src_kind != prepared.kind) {
      return MakeError(ErrorCode::kInvalidArgument, "source metafile is a ",
                       MetafileKindName(*src_kind), " but the destination is a ",
                       MetafileKindName(prepared.kind));
    }
    auto src_id = MetafileIdOf(prepared.kind, *src);
    if (!src_id.ok()) return InvalidDocument(src_id.status());
    prepared.src_id = *src_id;
    DC_RETURN_NOT_OK(ValidateDirectoryName("source ID", prepared.src_id));
    prepared.src = *src;
  }
  auto stored = StoredAncestorIds(dest);
  if (!stored.ok()) return InvalidDocument(stored.status());
  prepared.ancestors = std::move(*stored);
  if (prepared.ancestors.empty() && prepared.src) {
    auto from_src = StoredAncestorIds(*prepared.src);
    if (!from_src.ok()) return InvalidDocument(from_src.status());
    prepared.ancestors = std::move(*from_src);
  }
  if (prepared.ancestors.empty() && AncestorCount(prepared.kind) > 0) {
    DC_ASSIGN_OR_RAISE(prepared.ancestors, ResolveAncestors(prepared.kind, dest));
  }
  if (prepared.ancestors.size() != AncestorCount(prepared.kind)) {
    return MakeError(ErrorCode::kInvalidArgument, "a ", MetafileKindName(prepared.kind), " has ",
                     AncestorCount(prepared.kind), " ancestor IDs, the metafile lists ",
                     prepared.ancestors.size());
  }
  for (const auto& ancestor : prepared.ancestors) {
    DC_RETURN_NOT_OK(ValidateDirectoryName("ancestor ID", ancestor));
  }
  // Documents read raw from disk carry sentinels; the log and the mappings need real names.
  for (MsgValue* doc : {&dest, prepared.src ? &*prepared.src : nullptr}) {
    if (doc == nullptr) continue;
    auto doc_id = MetafileIdOf(prepared.kind, *doc);
    if (doc_id.ok() && NeedsParentRestoration(prepared.kind, *doc, *doc_id)) {
      DC_ASSIGN_OR_RAISE(auto parent,
                         reader.RestoredParentLocator(prepared.kind, prepared.ancestors,
                                                      "metafile being written"));
      RestoreParentLocator(prepared.kind, *doc, parent);
    }
  }
  MsgArray ancestor_values;
  for (const auto& ancestor : prepared.ancestors)
    ancestor_values.push_back(MsgValue::String(ancestor));
  dest.Set("ancestor_ids", MsgValue::Array(std::move(ancestor_values)));
  prepared.dest = std::move(dest);
  return prepared;
}

Status Transaction::Impl::EnsureRunningLog() {
  if (running_log_written) return Status::OK();
  // The status directories are created together, paused last: when it exists, so do the
  // others (one stat instead of creating four directories on every transaction).
  bool ready = IsObjectStore(*catalog.fs);  // directories are implicit there
  if (!ready) {
    DC_ASSIGN_OR_RAISE(ready, Exists(*catalog.fs, TxnStatusDir(catalog.root, kPausedTxnDirName)));
  }
  for (auto status_dir :
       {kRunningTxnDirName, kFailedTxnDirName, kSuccessTxnDirName, kPausedTxnDirName}) {
    if (ready) break;
    DC_RETURN_NOT_OK(EnsureDir(*catalog.fs, TxnStatusDir(catalog.root, status_dir)));
  }
  DC_RETURN_NOT_OK(WriteFileAtomically(*catalog.fs, RunningTxnLogPath(catalog.root, id),
                                       EncodeMsgpack(EncodeTxnLogRecord(log))));
  running_log_written = true;
  return Status::OK();
}

Result<RevisionEntry> Transaction::Impl::WriteRevisionFile(
    const std::string& base_dir, TxnOpType op, const std::string& extension, std::string_view bytes,
    std::vector<std::string>& op_paths, std::vector<std::string>& staged_paths) {
  DC_ASSIGN_OR_RAISE(auto latest, reader.LatestVisibleRevision(base_dir));
  if (latest) {
    if (latest->name.op == TxnOpType::kDelete) {
      if (op != TxnOpType::kCreate) {
        return MakeError(ErrorCode::kObjectDeleted, TxnOpTypeName(op), " failed: '", latest->path,
                         "' marks the object deleted");
      }
    } else if (op == TxnOpType::kCreate) {
      return MakeError(ErrorCode::kObjectAlreadyExists, "create failed: '", latest->path,
                       "' already exists");
    }
  } else if (op != TxnOpType::kCreate) {
    return MakeError(ErrorCode::kObjectNotFound, TxnOpTypeName(op), " failed: nothing exists in '",
                     base_dir, "'");
  }
  RevisionFileName name;
  name.revision = (latest ? latest->name.revision : 0) + 1;
  name.op = op;
  name.txn_id = id;
  name.extension = extension;
  DC_ASSIGN_OR_RAISE(auto partition, RevisionPartitionOf(name.revision));
  const std::string path = JoinPath(JoinPath(base_dir, partition.ToPath()), name.ToString());
  // Recorded before writing: a failed write may still have left the file behind.
  written.push_back(path);
  DC_ASSIGN_OR_RAISE(auto relative, RelativeToRoot(catalog.root, path));
  op_paths.push_back(std::move(relative));
  staged_paths.push_back(path);
  DC_RETURN_NOT_OK(WriteFileAtomically(*catalog.fs, path, bytes));
  return RevisionEntry{path, std::move(name)};
}

Result<std::vector<RevisionEntry>> Transaction::Impl::ConflictGroup(const std::string& path,
                                                                    uint64_t revision) {
  // The group is what RevisionScanner(dir, revision).NextRevision() returns, read fresh. Files
  // of one revision number share one leaf, so the leaf alone answers unless the scan would
  // continue past it (no older file in it): then into older leaves, which only the full scan
  // finds, or, from the first leaf (which has none), into the legacy files directly in `dir`.
  const std::string leaf(ParentPath(path));
  // Python's 20-digit names: only those of `revision` are parsed (the snapshot read of this
  // directory has parsed them all already); others are compared by their revision digits.
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%020llu_", static_cast<unsigned long long>(revision));
  const std::string_view own_prefix(digits, 21);
  auto is_padded = [](std::string_view name) {
    if (name.size() <= 21 || name[20] != '_') return false;
    return std::all_of(name.begin(), name.begin() + 20,
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  std::vector<RevisionEntry> group;
  bool older_in_leaf = false;
  DC_RETURN_NOT_OK(
      VisitDirectory(*catalog.fs, leaf, [&](std::string_view name, bool is_dir) -> Status {
        if (is_dir) return Status::OK();
        const bool padded = is_padded(name);
        if (padded && !name.starts_with(own_prefix)) {
          if (name.substr(0, 20) < own_prefix.substr(0, 20)) older_in_leaf = true;
          return Status::OK();
        }
        auto parsed = ParseRevisionFileName(name);
        if (!parsed.ok()) return parsed.status().WithContext("in '" + leaf + "'");
        if (parsed->revision == revision) {
          group.push_back(RevisionEntry{JoinPath(leaf, name), std::move(*parsed)});
        } else if (parsed->revision < revision) {
          older_in_leaf = true;
        }
        return Status::OK();
      }));
  // The scanner's order: descending name.
  std::sort(group.begin(), group.end(), [](const RevisionEntry& a, const RevisionEntry& b) {
    return NewerRevisionFirst(BaseName(a.path), BaseName(b.path));
  });
  if (older_in_leaf) return group;
  const std::string dir = UnpartitionedDir(path);
  DC_ASSIGN_OR_RAISE(auto partition, RevisionPartitionOf(revision));
  auto expected_leaf = RelativeToRoot(dir, leaf);
  const bool first_leaf = partition.OrderingValue() == 1000 && expected_leaf.ok() &&
                          *expected_leaf == partition.ToPath();
  if (!first_leaf) {
    FileSystemLister lister(*catalog.fs);
    RevisionScanner scanner(lister, dir, revision);
    return scanner.NextRevision();
  }
  DC_ASSIGN_OR_RAISE(auto legacy, ListDirectory(*catalog.fs, dir));
  for (const auto& entry : legacy) {
    if (entry.is_dir) continue;
    auto parsed = ParseRevisionFileName(entry.name);  // unparsable legacy names are skipped
    if (parsed.ok() && parsed->revision == revision) {
      group.push_back(RevisionEntry{JoinPath(dir, entry.name), std::move(*parsed)});
    }
  }
  return group;
}

Status Transaction::Impl::CheckConflict(const std::string& path) {
  auto own = ParseRevisionFileName(BaseName(path));
  if (!own.ok()) return own.status();
  DC_ASSIGN_OR_RAISE(auto group, ConflictGroup(path, own->revision));
  const bool still_there = std::any_of(group.begin(), group.end(),
                                       [&](const RevisionEntry& e) { return e.path == path; });
  if (!still_there) {
    return MakeError(ErrorCode::kConcurrentModification, "transaction ", id, ": its file '", path,
                     "' disappeared (removed by a janitor?)");
  }
  std::vector<const RevisionEntry*> others;
  for (const auto& entry : group) {
    if (entry.name.txn_id != id) others.push_back(&entry);
  }
  if (others.size() >= kConflictFileLimit) {
    return MakeError(ErrorCode::kConcurrentModification, "aborting transaction ", id, ": ",
                     others.size(), " concurrent conflicts at '", UnpartitionedDir(path), "'");
  }
  for (const RevisionEntry* other : others) {
    // The transaction that started later wins the tie (larger ID).
    if (other->name.txn_id > id) {
      return MakeError(ErrorCode::kConcurrentModification, "aborting transaction ", id,
                       ": concurrent conflict at '", path, "' with transaction ",
                       other->name.txn_id, " at '", other->path, "'");
    }
  }
  for (const RevisionEntry* other : others) {
    DC_ASSIGN_OR_RAISE(auto end, reader.commits().EndTimeNow(other->name.txn_id));
    if (end) {
      return MakeError(ErrorCode::kConcurrentModification, "aborting transaction ", id,
                       ": conflict at '", path, "' with transaction ", other->name.txn_id,
                       ", which committed first");
    }
    DC_ASSIGN_OR_RAISE(bool sealing, HasFreshSealMarker(other->name.txn_id));
    if (sealing) {
      return MakeError(ErrorCode::kConcurrentModification, "aborting transaction ", id,
                       ": conflict at '", path, "' with transaction ", other->name.txn_id,
                       ", which is committing");
    }
  }
  return Status::OK();
}

Result<bool> Transaction::Impl::HasFreshSealMarker(const std::string& other_txn_id) {
  auto marker = ReadWholeFile(*catalog.fs, SealingMarkerPath(catalog.root, other_txn_id), 64);
  if (!marker.ok()) {
    if (marker.status().code() == ErrorCode::kFileNotFound) return false;
    return marker.status();
  }
  int64_t written_at = 0;
  for (char c : *marker) {
    if (c < '0' || c > '9' || written_at > (INT64_MAX - 9) / 10)
      return true;  // unreadable: assume live
    written_at = written_at * 10 + (c - '0');
  }
  return clock->Now() - written_at < seal_marker_lease_ns;
}

Status Transaction::Impl::Fail(const Status& cause, std::optional<int64_t> end_time,
                               const std::optional<std::string>& success_log, bool write_failed_log,
                               TransactionState final_state) {
  state = final_state;
  reader.InvalidateCaches();
  auto& fs = *catalog.fs;
  // Best effort throughout: whatever is left behind is invisible and the janitor removes it.
  if (success_log) (void)DeleteFileIfExists(fs, *success_log);
  if (write_failed_log) {
    log.end_time = end_time;
    auto failed_path = FailedTxnLogPath(catalog.root, id);
    if (failed_path.ok()) {
      (void)WriteFileAtomically(fs, *failed_path, EncodeMsgpack(EncodeTxnLogRecord(log)));
    }
  }
  for (auto it = written.rbegin(); it != written.rend(); ++it) {
    (void)DeleteFileIfExists(fs, *it);
  }
  if (running_log_written) (void)DeleteFileIfExists(fs, RunningTxnLogPath(catalog.root, id));
  return cause;
}

Status Transaction::Impl::Execute(TxnOpType type, Prepared& prepared, StagedWrite& staged) {
  TxnLogOperation& op_log = log.operations.back();
  const MetafileKind kind = prepared.kind;
  const std::string parent_dir = ObjectDirOfPath(catalog.root, prepared.ancestors);
  DC_ASSIGN_OR_RAISE(auto dest_name, MutableNameCanonical(kind, prepared.dest));
  std::optional<std::string> src_name;
  if (prepared.src) {
    DC_ASSIGN_OR_RAISE(src_name, MutableNameCanonical(kind, *prepared.src));
  }

  auto write_mapping = [&](const std::string& canonical, TxnOpType op,
                           const std::string& target_id) -> Status {
    auto entry = WriteRevisionFile(NameResolutionDir(parent_dir, canonical), op, "." + target_id,
                                   "", op_log.locator_write_paths, staged.locator_write_paths);
    return entry.status();
  };
  if (dest_name) {
    if (type == TxnOpType::kUpdate) {
      if (src_name != dest_name) {
        if (src_name)
          DC_RETURN_NOT_OK(write_mapping(*src_name, TxnOpType::kDelete, prepared.src_id));
        DC_RETURN_NOT_OK(write_mapping(*dest_name, TxnOpType::kCreate, prepared.id));
      }
    } else {
      DC_RETURN_NOT_OK(write_mapping(*dest_name, type, prepared.id));
    }
  }

  const std::string bytes =
      EncodeMsgpack(SerializableForm(kind, prepared.dest, prepared.id, prepared.ancestors));
  const std::string rev_dir = RevisionDir(JoinPath(parent_dir, prepared.id));
  std::optional<RevisionEntry> dest_entry;
  if ((type == TxnOpType::kUpdate || type == TxnOpType::kReplace) &&
      prepared.src_id != prepared.id) {
    // Replacing one object by another: tombstone the source (with the destination's content,
    // as Python does), then create the destination unless it already exists.
    auto tombstone = WriteRevisionFile(RevisionDir(JoinPath(parent_dir, prepared.src_id)),
                                       TxnOpType::kDelete, std::string(kMetafileExtension), bytes,
                                       op_log.metafile_write_paths, staged.metafile_write_paths);
    if (!tombstone.ok()) return tombstone.status();
    auto created =
        WriteRevisionFile(rev_dir, TxnOpType::kCreate, std::string(kMetafileExtension), bytes,
                          op_log.metafile_write_paths, staged.metafile_write_paths);
    if (created.ok()) {
      dest_entry = std::move(*created);
    } else if (created.status().code() != ErrorCode::kObjectAlreadyExists) {
      return created.status();
    }
  } else {
    DC_ASSIGN_OR_RAISE(auto entry,
                       WriteRevisionFile(rev_dir, type, std::string(kMetafileExtension), bytes,
                                         op_log.metafile_write_paths, staged.metafile_write_paths));
    dest_entry = std::move(entry);
  }
  if (fast_fail_conflicts) {
    for (const auto& path : staged.metafile_write_paths) DC_RETURN_NOT_OK(CheckConflict(path));
    for (const auto& path : staged.locator_write_paths) DC_RETURN_NOT_OK(CheckConflict(path));
  }

  staged.metafile.kind = kind;
  staged.metafile.id = prepared.id;
  staged.metafile.ancestor_ids = prepared.ancestors;
  staged.metafile.doc = prepared.dest;
  if (dest_entry) staged.metafile.revision = std::move(*dest_entry);
  return Status::OK();
}

Result<StagedWrite> Transaction::Impl::Write(TxnOpType type, MsgValue dest, const MsgValue* src) {
  if (state != TransactionState::kActive) {
    return MakeError(ErrorCode::kIllegalState, "transaction ", id, " is no longer active");
  }
  if (historic) {
    return MakeError(ErrorCode::kIllegalState, "cannot ", TxnOpTypeName(type),
                     " in the read-only historic transaction ", id);
  }
  if (!IsWriteOp(type)) {
    return MakeError(ErrorCode::kInvalidArgument, TxnOpTypeName(type), " is not a write");
  }
  DC_ASSIGN_OR_RAISE(auto prepared, Prepare(type, std::move(dest), src));

  TxnLogOperation op_log;
  op_log.type = std::string(TxnOpTypeName(type));
  op_log.dest = TxnLogMetafileRef{MsgValue::String(prepared.id),
                                  LocatorForLog(prepared.kind, prepared.dest),
                                  LocatorAliasForLog(prepared.kind, prepared.dest),
                                  {}};
  if (prepared.src) {
    op_log.src = TxnLogMetafileRef{MsgValue::String(prepared.src_id),
                                   LocatorForLog(prepared.kind, *prepared.src),
                                   LocatorAliasForLog(prepared.kind, *prepared.src),
                                   {}};
  }
  log.operations.push_back(std::move(op_log));

  StagedWrite staged;
  const size_t written_before = written.size();
  Status status = EnsureRunningLog();
  if (status.ok()) status = Execute(type, prepared, staged);
  for (size_t i = written_before; i < written.size(); ++i) {
    reader.ForgetOwnWrite(prepared.kind, written[i]);
  }
  if (!status.ok()) {
    return Fail(ToObjectError(prepared.kind, status), std::nullopt, std::nullopt,
                /*write_failed_log=*/true, TransactionState::kFailed);
  }
  return staged;
}

Result<CommitResult> Transaction::Impl::Commit() {
  if (state != TransactionState::kActive) {
    return MakeError(ErrorCode::kIllegalState, "transaction ", id, " is no longer active");
  }
  const int64_t end_time = clock->EndTime(start_time);
  CommitResult result{id, start_time, end_time, std::nullopt};
  if (written.empty()) {
    state = TransactionState::kCommitted;
    return result;
  }
  const std::string marker_path = SealingMarkerPath(catalog.root, id);
  const int64_t marker_time = clock->Now();
  Status marked = WriteFileAtomically(*catalog.fs, marker_path, std::to_string(marker_time));
  if (!marked.ok()) {
    (void)DeleteFileIfExists(*catalog.fs, marker_path);
    return Fail(marked, end_time, std::nullopt, true, TransactionState::kFailed);
  }
  auto fail = [&](const Status& status, const std::optional<std::string>& success_log,
                  bool write_failed_log) {
    Status failed =
        Fail(status, end_time, success_log, write_failed_log, TransactionState::kFailed);
    (void)DeleteFileIfExists(*catalog.fs, marker_path);
    return failed;
  };
  for (const auto& path : log.AllMetafileWritePaths()) {
    Status status = CheckConflict(JoinPath(catalog.root, path));
    if (!status.ok()) return fail(status, std::nullopt, true);
  }
  for (const auto& path : log.AllLocatorWritePaths()) {
    Status status = CheckConflict(JoinPath(catalog.root, path));
    if (!status.ok()) return fail(status, std::nullopt, true);
  }
  if (clock->Now() - marker_time >= seal_marker_lease_ns) {
    // Others may already treat our marker as expired; committing now could race them.
    return fail(MakeError(ErrorCode::kConcurrentModification, "transaction ", id,
                          " took longer than its seal marker lease to check for conflicts"),
                std::nullopt, true);
  }
  auto success_path = SuccessTxnLogPath(catalog.root, id, end_time);
  if (!success_path.ok()) return fail(success_path.status(), std::nullopt, true);
  log.end_time = end_time;
  Status written_log =
      WriteFileAtomically(*catalog.fs, *success_path, EncodeMsgpack(EncodeTxnLogRecord(log)));
  if (!written_log.ok()) return fail(written_log, *success_path, true);
  // Handshake with the janitor, which writes the failed log before deleting a transaction it
  // considers dead: whichever writes its marker first is seen by the other.
  auto failed_path = FailedTxnLogPath(catalog.root, id);
  if (failed_path.ok()) {
    auto declared_dead = Exists(*catalog.fs, *failed_path);
    if (declared_dead.ok() && *declared_dead) {
      return fail(MakeError(ErrorCode::kConcurrentModification, "transaction ", id,
                            " was declared dead by a janitor before it could commit"),
                  *success_path, /*write_failed_log=*/false);
    }
  }
  state = TransactionState::kCommitted;
  // Committed. Leftover markers and running logs are harmless (the janitor removes them).
  (void)DeleteFileIfExists(*catalog.fs, marker_path);
  (void)DeleteFileIfExists(*catalog.fs, RunningTxnLogPath(catalog.root, id));
  result.success_log_path = *success_path;
  return result;
}

Transaction::Transaction(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transaction::Transaction(Transaction&& other) noexcept = default;
Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    if (impl_) (void)Abort();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
Transaction::~Transaction() {
  if (impl_) (void)Abort();
}

Result<Transaction> Transaction::Begin(const FileSystemLocation& catalog,
                                       const TransactionOptions& options) {
  if (!catalog.fs) return Status(ErrorCode::kInvalidArgument, "catalog has no filesystem");
  auto clock = options.clock ? options.clock : TransactionClock::Default();
  const int64_t start = clock->StartTime();
  std::string txn_id = NewTransactionId(start);
  return Transaction(std::make_unique<Impl>(catalog, std::move(clock), std::move(txn_id), start,
                                            /*is_historic=*/false, options));
}

Result<Transaction> Transaction::BeginHistoric(const FileSystemLocation& catalog, int64_t as_of,
                                               const TransactionOptions& options) {
  if (!catalog.fs) return Status(ErrorCode::kInvalidArgument, "catalog has no filesystem");
  auto clock = options.clock ? options.clock : TransactionClock::Default();
  if (as_of < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "Historic timestamp ", as_of,
                     " cannot be negative.");
  }
  if (as_of > clock->Now()) {  // Python's message
    return MakeError(ErrorCode::kInvalidArgument, "Historic timestamp ", as_of,
                     " cannot be set in the future.");
  }
  std::string txn_id = NewTransactionId(as_of);
  return Transaction(std::make_unique<Impl>(catalog, std::move(clock), std::move(txn_id), as_of,
                                            /*is_historic=*/true, options));
}

const std::string& Transaction::id() const { return impl_->id; }
int64_t Transaction::start_time() const { return impl_->start_time; }
bool Transaction::historic() const { return impl_->historic; }
TransactionState Transaction::state() const { return impl_->state; }

size_t Transaction::operation_count() const { return impl_->log.operations.size(); }
const FileSystemLocation& Transaction::catalog() const { return impl_->catalog; }
SnapshotReader& Transaction::reader() { return impl_->reader; }

Result<StagedWrite> Transaction::Create(MsgValue metafile) {
  return impl_->Write(TxnOpType::kCreate, std::move(metafile), nullptr);
}
Result<StagedWrite> Transaction::Update(const MsgValue& src, MsgValue dest) {
  return impl_->Write(TxnOpType::kUpdate, std::move(dest), &src);
}
Result<StagedWrite> Transaction::Replace(const MsgValue& src, MsgValue dest) {
  return impl_->Write(TxnOpType::kReplace, std::move(dest), &src);
}
Result<StagedWrite> Transaction::Delete(MsgValue metafile) {
  return impl_->Write(TxnOpType::kDelete, std::move(metafile), nullptr);
}
Result<StagedWrite> Transaction::Write(TxnOpType type, MsgValue dest, const MsgValue* src) {
  return impl_->Write(type, std::move(dest), src);
}

Result<StagedWrite> Transaction::Create(const Metafile& metafile) {
  return Create(EncodeMetafile(metafile));
}
Result<StagedWrite> Transaction::Update(const Metafile& src, const Metafile& dest) {
  return Update(EncodeMetafile(src), EncodeMetafile(dest));
}
Result<StagedWrite> Transaction::Replace(const Metafile& src, const Metafile& dest) {
  return Replace(EncodeMetafile(src), EncodeMetafile(dest));
}
Result<StagedWrite> Transaction::Delete(const Metafile& metafile) {
  return Delete(EncodeMetafile(metafile));
}

Result<CommitResult> Transaction::Commit() { return impl_->Commit(); }

Status Transaction::Abort() {
  if (impl_->state != TransactionState::kActive) return Status::OK();
  if (impl_->written.empty() && !impl_->running_log_written) {
    impl_->state = TransactionState::kAborted;
    return Status::OK();
  }
  (void)impl_->Fail(Status::OK(), std::nullopt, std::nullopt, /*write_failed_log=*/true,
                    TransactionState::kAborted);
  return Status::OK();
}

}  // namespace deltacat::storage
