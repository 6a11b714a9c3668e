#include "deltacat/catalog/native_catalog.h"

#include <cstdlib>

#include "deltacat/catalog/table_properties.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/name_validation.h"
#include "deltacat/version.h"

namespace deltacat {
namespace {

using storage::MetafileRecord;
using storage::MsgValue;

constexpr std::string_view kDefaultNamespace = "default";

// The version marker C++ writes: "deltacat-cpp-<version>". Python splits marker names on the
// last '.', so this reads back as version "deltacat-cpp-0.1.0" and is left alone.
std::string VersionMarkerPrefix() { return std::string("deltacat-cpp-") + DELTACAT_CPP_VERSION; }

std::string DefaultRootUri() {
  if (const char* root = std::getenv("DELTACAT_ROOT"); root != nullptr && *root != '\0') {
    return root;
  }
  return ".deltacat";
}

Result<NamespaceInfo> ToNamespaceInfo(const MetafileRecord& record) {
  DC_ASSIGN_OR_RAISE(storage::Namespace ns, storage::DecodeNamespace(record.doc));
  NamespaceInfo info;
  info.name = ns.locator.namespace_name.value_or("");
  info.properties = PropertiesFromMsg(ns.properties);
  return info;
}

}  // namespace

// --- Catalog (public entry points) ---------------------------------------------------------------

Result<std::shared_ptr<Catalog>> Catalog::Open(const std::string& root_uri) {
  DC_ASSIGN_OR_RAISE(FileSystemLocation location,
                     ResolveUri(root_uri.empty() ? DefaultRootUri() : root_uri));
  DC_ASSIGN_OR_RAISE(auto catalog, NativeCatalog::Open(std::move(location)));
  return std::static_pointer_cast<Catalog>(catalog);
}

Result<DeltaInfo> Catalog::Write(const TableRef& table, std::shared_ptr<arrow::Table> data,
                                 WriteOptions options, Transaction* txn) {
  if (!data) return MakeError(ErrorCode::kInvalidArgument, "no data to write");
  auto reader = std::make_shared<arrow::TableBatchReader>(std::move(data));
  return Write(table, std::move(reader), std::move(options), txn);
}

Result<std::shared_ptr<arrow::Table>> Catalog::ReadTable(const TableRef& table, ReadOptions options,
                                                         Transaction* txn) {
  DC_ASSIGN_OR_RAISE(auto reader, Read(table, std::move(options), txn));
  return reader->ToTable();
}

// --- Transactions
// ----------------------------------------------------------------------------------

Status CatalogTransaction::Commit() {
  DC_ASSIGN_OR_RAISE(auto result, txn_.Commit());
  (void)result;
  return Status::OK();
}

Status CatalogTransaction::Abort() { return txn_.Abort(); }

NativeCatalog::NativeCatalog(FileSystemLocation location)
    : location_(std::move(location)), clock_(storage::TransactionClock::Default()) {}

Result<std::shared_ptr<NativeCatalog>> NativeCatalog::Open(FileSystemLocation location) {
  std::shared_ptr<NativeCatalog> catalog(new NativeCatalog(std::move(location)));
  DC_RETURN_NOT_OK(catalog->Bootstrap());
  return catalog;
}

Status NativeCatalog::Bootstrap() {
  auto& fs = *location_.fs;
  DC_RETURN_NOT_OK(EnsureDir(fs, location_.root));
  // The version marker: one per implementation version, never touching other markers.
  const std::string version_dir = JoinPath(location_.root, storage::kVersionDirName);
  DC_ASSIGN_OR_RAISE(auto markers, ListDir(fs, version_dir));
  const std::string prefix = VersionMarkerPrefix() + ".";
  bool has_marker = false;
  for (const auto& marker : markers) has_marker |= marker.name.rfind(prefix, 0) == 0;
  if (!has_marker) {
    DC_RETURN_NOT_OK(
        WriteFileAtomically(fs, JoinPath(version_dir, prefix + std::to_string(clock_->Now())), ""));
  }
  // Python creates the `default` namespace on first open; so do we. A concurrent opener may
  // win the race, which is fine.
  DC_ASSIGN_OR_RAISE(bool exists, NamespaceExists(std::string(kDefaultNamespace), nullptr));
  if (exists) return Status::OK();
  auto created = CreateNamespace(std::string(kDefaultNamespace), {}, nullptr);
  if (created.ok() || created.status().code() == ErrorCode::kNamespaceAlreadyExists ||
      created.status().code() == ErrorCode::kConcurrentModification) {
    return Status::OK();
  }
  return created.status();
}

Result<std::unique_ptr<Transaction>> NativeCatalog::BeginTransaction(
    std::optional<int64_t> as_of, std::optional<std::string> commit_message) {
  storage::TransactionOptions options;
  options.clock = clock_;
  options.commit_message = std::move(commit_message);
  if (as_of) {
    DC_ASSIGN_OR_RAISE(auto txn, storage::Transaction::BeginHistoric(location_, *as_of, options));
    return std::unique_ptr<Transaction>(new CatalogTransaction(this, std::move(txn)));
  }
  DC_ASSIGN_OR_RAISE(auto txn, storage::Transaction::Begin(location_, options));
  return std::unique_ptr<Transaction>(new CatalogTransaction(this, std::move(txn)));
}

Status NativeCatalog::InWriteTransaction(Transaction* txn,
                                         const std::function<Status(storage::Transaction&)>& body) {
  if (txn != nullptr) {
    auto* own = dynamic_cast<CatalogTransaction*>(txn);
    if (own == nullptr || own->owner() != this) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the transaction belongs to another catalog than ", location_.uri);
    }
    // A failed operation must not leave half of itself in the caller's transaction (Python's
    // quirk 12: its provisional files are gone but the transaction can still be sealed). If
    // it staged anything, the whole transaction is aborted, so a later Commit fails.
    storage::Transaction& joined = own->storage();
    const size_t staged_before = joined.operation_count();
    Status status = body(joined);
    if (!status.ok() && joined.state() == storage::TransactionState::kActive &&
        joined.operation_count() != staged_before) {
      (void)joined.Abort();
      return status.WithContext("transaction " + joined.id() +
                                " was aborted because this operation failed half way");
    }
    return status;
  }
  storage::TransactionOptions options;
  options.clock = clock_;
  // Committed right after the body, whose Commit checks every written file for conflicts:
  // checking each one after writing it too would only list its directory once more.
  options.fast_fail_conflicts = false;
  DC_ASSIGN_OR_RAISE(storage::Transaction implicit,
                     storage::Transaction::Begin(location_, options));
  Status status = body(implicit);
  if (!status.ok()) {
    (void)implicit.Abort();
    return status;
  }
  auto committed = implicit.Commit();
  return committed.ok() ? Status::OK() : committed.status();
}

Status NativeCatalog::InSnapshot(Transaction* txn, std::optional<int64_t> as_of,
                                 const std::function<Status(storage::SnapshotReader&)>& body) {
  if (txn != nullptr) {
    auto* own = dynamic_cast<CatalogTransaction*>(txn);
    if (own == nullptr || own->owner() != this) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the transaction belongs to another catalog than ", location_.uri);
    }
    if (as_of) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "as_of cannot be combined with a transaction; begin the transaction with "
                       "as_of instead");
    }
    return body(own->storage().reader());
  }
  if (as_of) {
    storage::TransactionOptions options;
    options.clock = clock_;
    DC_ASSIGN_OR_RAISE(auto historic,
                       storage::Transaction::BeginHistoric(location_, *as_of, options));
    return body(historic.reader());
  }
  auto reader = storage::SnapshotReader::AtNow(location_, *clock_);
  return body(reader);
}

// --- Namespaces ----------------------------------------------------------------------------------

Result<NamespaceInfo> NativeCatalog::CreateNamespace(const std::string& name, Properties properties,
                                                     Transaction* txn) {
  DC_RETURN_NOT_OK(storage::ValidateName("namespace", name));
  DC_RETURN_NOT_OK(InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    // Checked before anything is staged, so a failed create leaves no transaction behind.
    DC_ASSIGN_OR_RAISE(auto existing, t.reader().FindNamespace(name));
    if (existing) {
      return MakeError(ErrorCode::kNamespaceAlreadyExists, "Namespace ", name, " already exists");
    }
    storage::Namespace ns;
    ns.locator.namespace_name = name;
    ns.properties = properties.empty() ? MsgValue::Nil() : PropertiesToMsg(properties);
    DC_ASSIGN_OR_RAISE(auto written, t.Create(storage::EncodeNamespace(ns)));
    (void)written;
    return Status::OK();
  }));
  return NamespaceInfo{name, std::move(properties)};
}

Result<NamespaceInfo> NativeCatalog::GetNamespace(const std::string& name, Transaction* txn) {
  NamespaceInfo info;
  DC_RETURN_NOT_OK(InSnapshot(txn, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
    DC_ASSIGN_OR_RAISE(MetafileRecord record, reader.GetNamespace(name));
    DC_ASSIGN_OR_RAISE(info, ToNamespaceInfo(record));
    return Status::OK();
  }));
  return info;
}

Result<bool> NativeCatalog::NamespaceExists(const std::string& name, Transaction* txn) {
  bool exists = false;
  DC_RETURN_NOT_OK(InSnapshot(txn, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
    DC_ASSIGN_OR_RAISE(auto record, reader.FindNamespace(name));
    exists = record.has_value();
    return Status::OK();
  }));
  return exists;
}

Result<std::vector<NamespaceInfo>> NativeCatalog::ListNamespaces(Transaction* txn) {
  std::vector<NamespaceInfo> namespaces;
  DC_RETURN_NOT_OK(InSnapshot(txn, std::nullopt, [&](storage::SnapshotReader& reader) -> Status {
    DC_ASSIGN_OR_RAISE(auto records, reader.ListNamespaces());
    for (const auto& record : records) {
      DC_ASSIGN_OR_RAISE(NamespaceInfo info, ToNamespaceInfo(record));
      namespaces.push_back(std::move(info));
    }
    return Status::OK();
  }));
  std::sort(namespaces.begin(), namespaces.end(),
            [](const NamespaceInfo& a, const NamespaceInfo& b) { return a.name < b.name; });
  return namespaces;
}

Status NativeCatalog::AlterNamespace(const std::string& name, std::optional<Properties> properties,
                                     std::optional<std::string> new_name, Transaction* txn) {
  if (new_name) DC_RETURN_NOT_OK(storage::ValidateName("namespace", *new_name));
  return InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    DC_ASSIGN_OR_RAISE(MetafileRecord current, t.reader().GetNamespace(name));
    if (new_name && *new_name != name) {
      DC_ASSIGN_OR_RAISE(auto taken, t.reader().FindNamespace(*new_name));
      if (taken) {
        return MakeError(ErrorCode::kNamespaceAlreadyExists, "Namespace ", *new_name,
                         " already exists");
      }
    }
    DC_ASSIGN_OR_RAISE(storage::Namespace ns, storage::DecodeNamespace(current.doc));
    if (properties) ns.properties = PropertiesToMsg(*properties);
    if (new_name) ns.locator.namespace_name = *new_name;
    DC_ASSIGN_OR_RAISE(auto written, t.Update(current.doc, storage::EncodeNamespace(ns)));
    (void)written;
    return Status::OK();
  });
}

Status NativeCatalog::DropNamespace(const std::string& name, Transaction* txn) {
  return InWriteTransaction(txn, [&](storage::Transaction& t) -> Status {
    DC_ASSIGN_OR_RAISE(MetafileRecord current, t.reader().GetNamespace(name));
    DC_ASSIGN_OR_RAISE(auto written, t.Delete(current.doc));
    (void)written;
    return Status::OK();
  });
}

}  // namespace deltacat
