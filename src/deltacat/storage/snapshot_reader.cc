#include "deltacat/storage/snapshot_reader.h"

#include <algorithm>
#include <utility>

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/metafile_document.h"
#include "deltacat/storage/name_validation.h"
#include "deltacat/storage/transaction_clock.h"

namespace deltacat::storage {

/// Lists through the filesystem and counts the listings; optionally remembers them.
class SnapshotReader::CountingLister : public DirectoryLister {
 public:
  explicit CountingLister(arrow::fs::FileSystem& fs) : fs_(fs) {}
  Result<std::vector<DirEntry>> List(const std::string& dir) override {
    if (caching_) {
      auto cached = listings_.find(dir);
      if (cached != listings_.end()) return cached->second;
    }
    ++count_;
    DC_ASSIGN_OR_RAISE(auto entries, ListDirectory(fs_, dir));
    if (caching_) listings_.emplace(dir, entries);
    return entries;
  }
  int64_t count() const { return count_; }
  void Add(int64_t n) { count_ += n; }
  void EnableCaching() { caching_ = true; }
  void Clear() { listings_.clear(); }
  /// Drops the listings of `path` and of every directory above it.
  void Forget(std::string_view path) {
    while (!path.empty() && !listings_.empty()) {
      listings_.erase(std::string(path));
      const std::string_view parent = ParentPath(path);
      if (parent.size() >= path.size()) break;
      path = parent;
    }
  }

 private:
  arrow::fs::FileSystem& fs_;
  int64_t count_ = 0;
  bool caching_ = false;
  std::map<std::string, std::vector<DirEntry>> listings_;
};

namespace {

// Name-resolution directories are 40 lowercase hex digits; object IDs are UUIDs (36 chars),
// table versions (digits, maybe with a "prefix."), or stream positions (digits). A 40-digit
// all-decimal name could be a table version, so only names with a hex letter are skipped.
bool IsNameResolutionDirName(std::string_view name) {
  if (name.size() != 40) return false;
  bool has_letter = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'f') {
      has_letter = true;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return has_letter;
}

bool IsReservedRootEntry(std::string_view name) {
  return name == kTxnDirName || name == kDataDirName || name == kVersionDirName;
}

Result<int64_t> ParsePosition(std::string_view text) {
  if (text.empty() || text.size() > 19) {
    return MakeError(ErrorCode::kCorruptMetadata, "delta directory '", text,
                     "' is not a stream position");
  }
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return MakeError(ErrorCode::kCorruptMetadata, "delta directory '", text,
                       "' is not a stream position");
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(INT64_MAX)) {
    return MakeError(ErrorCode::kCorruptMetadata, "delta directory '", text,
                     "' is beyond the largest stream position");
  }
  return static_cast<int64_t>(value);
}

}  // namespace

std::vector<std::string> MetafileRecord::PathIds() const {
  std::vector<std::string> ids = ancestor_ids;
  ids.push_back(id);
  return ids;
}

SnapshotReader::SnapshotReader(FileSystemLocation catalog, int64_t snapshot_time,
                               std::string own_txn_id)
    : catalog_(std::move(catalog)),
      snapshot_time_(snapshot_time),
      own_txn_id_(std::move(own_txn_id)),
      commits_(catalog_.fs, catalog_.root),
      lister_(std::make_unique<CountingLister>(*catalog_.fs)) {}

SnapshotReader SnapshotReader::AtNow(FileSystemLocation catalog, TransactionClock& clock) {
  return SnapshotReader(std::move(catalog), clock.StartTime());
}

Result<bool> SnapshotReader::IsVisible(const RevisionEntry& entry) {
  if (!own_txn_id_.empty() && entry.name.txn_id == own_txn_id_) return true;
  auto end = commits_.EndTimeCached(entry.name.txn_id);
  if (!end.ok()) return end.status().WithContext("checking '" + entry.path + "'");
  return end->has_value() && **end < snapshot_time_;
}

Result<std::optional<RevisionEntry>> SnapshotReader::LatestVisibleRevision(
    const std::string& dir, DirectoryLister* lister) {
  RevisionScanner scanner(lister != nullptr ? *lister : *lister_, dir);
  while (true) {
    DC_ASSIGN_OR_RAISE(auto group, scanner.NextRevision());
    if (group.empty()) return std::optional<RevisionEntry>();
    for (auto& entry : group) {
      DC_ASSIGN_OR_RAISE(bool visible, IsVisible(entry));
      if (visible) return std::optional<RevisionEntry>(std::move(entry));
      if (python_first_file_only_) break;
    }
  }
}

Result<std::optional<std::string>> SnapshotReader::ResolveName(const std::string& name_dir) {
  DC_ASSIGN_OR_RAISE(auto latest, LatestVisibleRevision(name_dir));
  if (!latest || latest->name.op == TxnOpType::kDelete) return std::optional<std::string>();
  const std::string_view target = latest->name.TargetId();
  if (!ValidateDirectoryName("mapped ID", target).ok()) {
    return MakeError(ErrorCode::kCorruptMetadata, "name mapping file '", latest->path,
                     "' names an invalid object ID");
  }
  return std::optional<std::string>(std::string(target));
}

Result<MsgValue> SnapshotReader::RestoredParentLocator(MetafileKind kind,
                                                       const std::vector<std::string>& ancestor_ids,
                                                       const std::string& file) {
  const bool from_namespace = kind == MetafileKind::kTable;
  const size_t depth = from_namespace ? 1 : 2;
  if (ancestor_ids.size() < depth) {
    return MakeError(ErrorCode::kCorruptMetadata, "cannot restore the parent names of '", file,
                     "': it has no ", from_namespace ? "namespace" : "table", " ancestor");
  }
  const std::vector<std::string> parent_ids(ancestor_ids.begin(), ancestor_ids.begin() + depth);
  const std::string parent_dir = ObjectDirOfPath(catalog_.root, parent_ids);
  auto cached = parent_locators_.find(parent_dir);
  if (cached != parent_locators_.end()) return cached->second;
  const std::string rev_dir = RevisionDir(parent_dir);
  DC_ASSIGN_OR_RAISE(auto latest, LatestVisibleRevision(rev_dir));
  if (!latest) {
    // Python restores from the newest revision file whatever its transaction; do the same
    // when the snapshot sees none (e.g. a parent created by a concurrent transaction).
    DC_ASSIGN_OR_RAISE(auto newest, NewestRevisionFiles(*lister_, rev_dir));
    if (newest.empty()) {
      return MakeError(ErrorCode::kCorruptMetadata, "cannot restore the parent names of '", file,
                       "': its ", from_namespace ? "namespace" : "table", " '", parent_ids.back(),
                       "' has no revisions");
    }
    latest = std::move(newest.front());
  }
  const MetafileKind parent_kind = from_namespace ? MetafileKind::kNamespace : MetafileKind::kTable;
  DC_ASSIGN_OR_RAISE(auto parent, ReadRevision(parent_kind, *latest, parent_ids));
  const MsgValue* locator =
      from_namespace ? parent.doc.Find("namespaceLocator") : parent.doc.Find("tableLocator");
  if (locator == nullptr || !locator->IsMap()) {
    return MakeError(ErrorCode::kCorruptMetadata, "parent metafile '", latest->path,
                     "' has no locator to restore '", file, "' from");
  }
  parent_locators_[parent_dir] = *locator;
  return *locator;
}

Result<MetafileRecord> SnapshotReader::ReadRevision(MetafileKind kind, const RevisionEntry& entry,
                                                    const std::vector<std::string>& path_ids) {
  if (path_ids.size() != AncestorCount(kind) + 1) {
    return MakeError(ErrorCode::kInvalidArgument, "a ", MetafileKindName(kind), " needs ",
                     AncestorCount(kind), " ancestors, got ",
                     path_ids.empty() ? 0 : path_ids.size() - 1);
  }
  if (entry.name.extension != kMetafileExtension) {
    return MakeError(ErrorCode::kUnsupportedFormat, "metafile '", entry.path,
                     "' is not msgpack (extension '", entry.name.extension,
                     "'); only .mpk metafiles are supported");
  }
  const std::string context = "metafile '" + entry.path + "'";
  MetafileRecord record;
  auto cached = metafiles_.find(entry.path);
  if (cached != metafiles_.end()) {
    record.doc = cached->second;
  } else {
    DC_ASSIGN_OR_RAISE(auto bytes, ReadWholeFile(*catalog_.fs, entry.path, kMaxMetafileBytes));
    auto decoded = DecodeMsgpack(bytes);
    if (!decoded.ok()) return decoded.status().WithContext(context);
    record.doc = std::move(*decoded);
    // Revision files are immutable once named; deltas are read once by a listing.
    if (cache_metafiles_ && kind != MetafileKind::kDelta)
      metafiles_.emplace(entry.path, record.doc);
  }
  record.kind = kind;
  record.id = path_ids.back();
  record.ancestor_ids.assign(path_ids.begin(), path_ids.end() - 1);
  record.revision = entry;
  auto detected = DetectMetafileKind(record.doc);
  if (!detected.ok()) return detected.status().WithContext(context);
  if (*detected != kind) {
    return MakeError(ErrorCode::kCorruptMetadata, context, ": expected a ", MetafileKindName(kind),
                     " but found a ", MetafileKindName(*detected));
  }
  auto doc_id = MetafileIdOf(kind, record.doc);
  if (!doc_id.ok()) return doc_id.status().WithContext(context);
  // A replace writes the replacing object's content as the tombstone of the replaced one, so
  // only live revisions must carry their directory's ID.
  if (!record.deleted() && *doc_id != record.id) {
    return MakeError(ErrorCode::kCorruptMetadata, context, ": holds ", MetafileKindName(kind), " '",
                     *doc_id, "' but lives in directory '", record.id, "'");
  }
  if (NeedsParentRestoration(kind, record.doc, *doc_id)) {
    DC_ASSIGN_OR_RAISE(auto parent, RestoredParentLocator(kind, record.ancestor_ids, entry.path));
    RestoreParentLocator(kind, record.doc, parent);
  }
  return record;
}

Result<std::optional<MetafileRecord>> SnapshotReader::ReadObject(
    MetafileKind kind, const std::vector<std::string>& path_ids, bool include_deleted) {
  const std::string rev_dir = RevisionDir(ObjectDirOfPath(catalog_.root, path_ids));
  DC_ASSIGN_OR_RAISE(auto latest, LatestVisibleRevision(rev_dir));
  if (!latest) return std::optional<MetafileRecord>();
  if (latest->name.op == TxnOpType::kDelete && !include_deleted) {
    return std::optional<MetafileRecord>();
  }
  DC_ASSIGN_OR_RAISE(auto record, ReadRevision(kind, *latest, path_ids));
  return std::optional<MetafileRecord>(std::move(record));
}

Result<std::optional<MetafileRecord>> SnapshotReader::FindNamespace(std::string_view name) {
  DC_ASSIGN_OR_RAISE(auto id, ResolveName(NameResolutionDir(catalog_.root, name)));
  if (!id) return std::optional<MetafileRecord>();
  return ReadObject(MetafileKind::kNamespace, {*id});
}

Result<std::optional<MetafileRecord>> SnapshotReader::FindTable(std::string_view namespace_name,
                                                                std::string_view table_name) {
  DC_ASSIGN_OR_RAISE(auto ns_id, ResolveName(NameResolutionDir(catalog_.root, namespace_name)));
  if (!ns_id) return std::optional<MetafileRecord>();
  const std::string ns_dir = ObjectDirOfPath(catalog_.root, {*ns_id});
  DC_ASSIGN_OR_RAISE(auto table_id, ResolveName(NameResolutionDir(ns_dir, table_name)));
  if (!table_id) return std::optional<MetafileRecord>();
  return ReadObject(MetafileKind::kTable, {*ns_id, *table_id});
}

Result<std::optional<MetafileRecord>> SnapshotReader::FindTableVersion(
    std::string_view namespace_name, std::string_view table_name, std::string_view table_version) {
  DC_RETURN_NOT_OK(ValidateDirectoryName("table version", table_version));
  DC_ASSIGN_OR_RAISE(auto table, FindTable(namespace_name, table_name));
  if (!table) return std::optional<MetafileRecord>();
  auto path = table->PathIds();
  path.emplace_back(table_version);
  return ReadObject(MetafileKind::kTableVersion, path);
}

Result<std::optional<MetafileRecord>> SnapshotReader::FindStream(
    const MetafileRecord& table_version, std::string_view format) {
  const std::string tv_dir = ObjectDirOfPath(catalog_.root, table_version.PathIds());
  DC_ASSIGN_OR_RAISE(auto stream_id, ResolveName(NameResolutionDir(tv_dir, format)));
  if (!stream_id) return std::optional<MetafileRecord>();
  auto path = table_version.PathIds();
  path.push_back(*stream_id);
  return ReadObject(MetafileKind::kStream, path);
}

Result<std::optional<MetafileRecord>> SnapshotReader::FindPartition(
    const MetafileRecord& stream, const MsgValue& partition_values,
    std::optional<std::string> partition_scheme_id) {
  const bool unpartitioned =
      partition_values.IsNil() || (partition_values.IsArray() && partition_values.size() == 0);
  MsgValue values = unpartitioned ? MsgValue() : partition_values;
  std::string scheme;
  if (unpartitioned) {
    scheme = std::string(kUnpartitionedSchemeId);
  } else if (partition_scheme_id) {
    scheme = *partition_scheme_id;
  } else {
    const MsgValue* partition_scheme = stream.doc.Find("partitionScheme");
    const MsgValue* id = partition_scheme != nullptr ? partition_scheme->Find("id") : nullptr;
    if (id == nullptr || !id->IsString()) {
      return MakeError(ErrorCode::kInvalidArgument, "stream '", stream.id,
                       "' has no partition scheme ID to look partitions up by");
    }
    scheme = *id->AsString();
  }
  DC_ASSIGN_OR_RAISE(auto canonical,
                     PartitionAliasCanonical(values, MsgValue::String(std::move(scheme))));
  const std::string stream_dir = ObjectDirOfPath(catalog_.root, stream.PathIds());
  DC_ASSIGN_OR_RAISE(auto partition_id, ResolveName(NameResolutionDir(stream_dir, canonical)));
  if (!partition_id) return std::optional<MetafileRecord>();
  auto path = stream.PathIds();
  path.push_back(*partition_id);
  return ReadObject(MetafileKind::kPartition, path);
}

Result<std::optional<MetafileRecord>> SnapshotReader::FindDelta(const MetafileRecord& partition,
                                                                int64_t stream_position) {
  if (stream_position < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "stream position ", stream_position,
                     " is negative");
  }
  auto path = partition.PathIds();
  path.push_back(std::to_string(stream_position));
  return ReadObject(MetafileKind::kDelta, path);
}

Result<MetafileRecord> SnapshotReader::GetNamespace(std::string_view name) {
  DC_ASSIGN_OR_RAISE(auto ns, FindNamespace(name));
  if (!ns) {
    return MakeError(ErrorCode::kNamespaceNotFound, "namespace '", name, "' does not exist");
  }
  return std::move(*ns);
}

Result<MetafileRecord> SnapshotReader::GetTable(std::string_view namespace_name,
                                                std::string_view table_name) {
  DC_ASSIGN_OR_RAISE(auto table, FindTable(namespace_name, table_name));
  if (!table) {
    DC_ASSIGN_OR_RAISE(auto ns, FindNamespace(namespace_name));
    if (!ns) {
      return MakeError(ErrorCode::kNamespaceNotFound, "namespace '", namespace_name,
                       "' does not exist");
    }
    return MakeError(ErrorCode::kTableNotFound, "table '", namespace_name, ".", table_name,
                     "' does not exist");
  }
  return std::move(*table);
}

Result<MetafileRecord> SnapshotReader::GetTableVersion(std::string_view namespace_name,
                                                       std::string_view table_name,
                                                       std::string_view table_version) {
  DC_ASSIGN_OR_RAISE(auto table, GetTable(namespace_name, table_name));
  DC_RETURN_NOT_OK(ValidateDirectoryName("table version", table_version));
  auto path = table.PathIds();
  path.emplace_back(table_version);
  DC_ASSIGN_OR_RAISE(auto tv, ReadObject(MetafileKind::kTableVersion, path));
  if (!tv) {
    return MakeError(ErrorCode::kTableVersionNotFound, "table version '", namespace_name, ".",
                     table_name, "' version ", table_version, " does not exist");
  }
  return std::move(*tv);
}

Result<MetafileRecord> SnapshotReader::GetStream(const MetafileRecord& table_version,
                                                 std::string_view format) {
  DC_ASSIGN_OR_RAISE(auto stream, FindStream(table_version, format));
  if (!stream) {
    return MakeError(ErrorCode::kStreamNotFound, "no committed '", format,
                     "' stream in table version '", table_version.id, "'");
  }
  return std::move(*stream);
}

Result<std::vector<MetafileRecord>> SnapshotReader::ListChildrenWith(
    MetafileKind child_kind, const std::vector<std::string>& parent_ids, DirectoryLister& lister) {
  if (parent_ids.size() != AncestorCount(child_kind)) {
    return MakeError(ErrorCode::kInvalidArgument, "listing ", MetafileKindName(child_kind),
                     "s needs ", AncestorCount(child_kind), " parent IDs, got ", parent_ids.size());
  }
  const std::string parent_dir = ObjectDirOfPath(catalog_.root, parent_ids);
  DC_ASSIGN_OR_RAISE(auto entries, lister.List(parent_dir));
  std::vector<MetafileRecord> children;
  for (const auto& entry : entries) {
    if (!entry.is_dir || entry.name == kRevisionDirName || IsNameResolutionDirName(entry.name)) {
      continue;
    }
    if (parent_ids.empty() && IsReservedRootEntry(entry.name)) continue;
    const std::string rev_dir = RevisionDir(JoinPath(parent_dir, entry.name));
    DC_ASSIGN_OR_RAISE(auto latest, LatestVisibleRevision(rev_dir, &lister));
    if (!latest || latest->name.op == TxnOpType::kDelete) continue;
    auto path = parent_ids;
    path.push_back(entry.name);
    DC_ASSIGN_OR_RAISE(auto record, ReadRevision(child_kind, *latest, path));
    children.push_back(std::move(record));
  }
  return children;
}

Result<std::vector<MetafileRecord>> SnapshotReader::ListChildren(
    MetafileKind child_kind, const std::vector<std::string>& parent_path_ids) {
  if (child_kind == MetafileKind::kDelta) {
    // Deltas have nothing below their rev/ directories, so one recursive listing of the
    // partition answers every listing the scan needs.
    lister_->Add(1);
    DC_ASSIGN_OR_RAISE(
        auto tree,
        PrefetchedTreeLister::Fetch(*catalog_.fs, ObjectDirOfPath(catalog_.root, parent_path_ids)));
    return ListChildrenWith(child_kind, parent_path_ids, *tree);
  }
  return ListChildrenWith(child_kind, parent_path_ids, *lister_);
}

Result<std::vector<MetafileRecord>> SnapshotReader::ListNamespaces() {
  return ListChildren(MetafileKind::kNamespace, {});
}

Result<std::vector<MetafileRecord>> SnapshotReader::ListTables(const MetafileRecord& ns) {
  return ListChildren(MetafileKind::kTable, ns.PathIds());
}

Result<std::vector<MetafileRecord>> SnapshotReader::ListTableVersions(const MetafileRecord& table) {
  return ListChildren(MetafileKind::kTableVersion, table.PathIds());
}

namespace {
std::vector<MetafileRecord> WithoutStaged(std::vector<MetafileRecord> records) {
  std::erase_if(records, [](const MetafileRecord& record) {
    return CommitStateOf(record.doc) == std::string(kStagedState);
  });
  return records;
}
}  // namespace

Result<std::vector<MetafileRecord>> SnapshotReader::ListStreams(const MetafileRecord& table_version,
                                                                bool include_staged) {
  DC_ASSIGN_OR_RAISE(auto streams, ListChildren(MetafileKind::kStream, table_version.PathIds()));
  return include_staged ? std::move(streams) : WithoutStaged(std::move(streams));
}

Result<std::vector<MetafileRecord>> SnapshotReader::ListPartitions(const MetafileRecord& stream,
                                                                   bool include_staged) {
  DC_ASSIGN_OR_RAISE(auto partitions, ListChildren(MetafileKind::kPartition, stream.PathIds()));
  return include_staged ? std::move(partitions) : WithoutStaged(std::move(partitions));
}

Result<std::vector<MetafileRecord>> SnapshotReader::ListDeltas(const MetafileRecord& partition) {
  DC_ASSIGN_OR_RAISE(auto deltas, ListChildren(MetafileKind::kDelta, partition.PathIds()));
  std::vector<std::pair<int64_t, size_t>> order;
  order.reserve(deltas.size());
  for (size_t i = 0; i < deltas.size(); ++i) {
    DC_ASSIGN_OR_RAISE(auto position, ParsePosition(deltas[i].id));
    order.emplace_back(position, i);
  }
  std::sort(order.begin(), order.end());
  std::vector<MetafileRecord> sorted;
  sorted.reserve(deltas.size());
  for (const auto& [position, index] : order) sorted.push_back(std::move(deltas[index]));
  return sorted;
}

void SnapshotReader::InvalidateCaches() {
  parent_locators_.clear();
  metafiles_.clear();
  lister_->Clear();
}

void SnapshotReader::EnableCaching() {
  cache_metafiles_ = true;
  lister_->EnableCaching();
}

void SnapshotReader::ForgetOwnWrite(MetafileKind kind, const std::string& path) {
  lister_->Forget(path);
  if (kind == MetafileKind::kNamespace || kind == MetafileKind::kTable) parent_locators_.clear();
}

int64_t SnapshotReader::listings() const { return lister_->count() + commits_.listings(); }

SnapshotReader::~SnapshotReader() = default;
SnapshotReader::SnapshotReader(SnapshotReader&&) noexcept = default;
SnapshotReader& SnapshotReader::operator=(SnapshotReader&&) noexcept = default;

}  // namespace deltacat::storage
