#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/model/metafile.h"
#include "deltacat/storage/msgpack_value.h"
#include "deltacat/storage/snapshot_reader.h"
#include "deltacat/storage/transaction_clock.h"
#include "deltacat/storage/transaction_operation_type.h"

namespace deltacat::storage {

/// How a transaction is started.
struct TransactionOptions {
  /// Source of start/end times; null means TransactionClock::Default().
  std::shared_ptr<TransactionClock> clock;
  /// Stored in the transaction log (`commit_message`).
  std::optional<std::string> commit_message;
  /// Stored in the transaction log (`catalog_name`).
  std::optional<std::string> catalog_name;
  /// How long another transaction's seal marker counts as "about to commit" (see Transaction).
  int64_t seal_marker_lease_ns = 60'000'000'000LL;
  /// Python's fast fail: check each written file for conflicts right after writing it, as
  /// well as for all of them at commit (storage-format.md §4.5). False leaves the check to
  /// Commit alone: the outcome is the same (a conflict fails the transaction before its success
  /// log), only reported later. For transactions committed right after their writes, where
  /// the early check is one more listing of each revision directory written.
  bool fast_fail_conflicts = true;
};

/// Where a transaction is in its life.
enum class TransactionState { kActive, kCommitted, kFailed, kAborted };

/// What one write operation put on disk.
struct StagedWrite {
  /// The destination metafile as written: real parent names, its ID and ancestor IDs filled
  /// in (a new namespace or table gets a fresh UUID4), and the revision file written for it.
  MetafileRecord metafile;
  /// Revision files written (full paths inside the filesystem).
  std::vector<std::string> metafile_write_paths;
  /// Name-mapping files written (full paths inside the filesystem).
  std::vector<std::string> locator_write_paths;
};

/// The outcome of a successful commit.
struct CommitResult {
  std::string txn_id;
  int64_t start_time = 0;
  int64_t end_time = 0;
  /// The success log (the commit point); nullopt when the transaction wrote nothing.
  std::optional<std::string> success_log_path;
};

/// A DeltaCAT 2.0 transaction over one catalog (storage-format.md §4), with Python's exact
/// protocol. Each write operation immediately writes its name-mapping and revision files under
/// their final names, numbered from the latest revision visible to the transaction (its own
/// writes included) and checked for concurrent conflicts; the first write also writes the
/// `txn/running` log. Commit re-checks every file for conflicts and then writes the
/// `txn/success/.../<txn_id>/<end_ns>` log, the single atomic commit point (temp file + rename
/// locally, one PUT on object stores). Any failure writes the `txn/failed` log, deletes
/// everything the transaction wrote and removes the running log; the transaction is then
/// failed and refuses further work.
///
/// Python's rule has a known race (storage-format.md §4.5): the older of two conflicting
/// transactions can pass its final check just before the newer one writes its file, and the
/// newer one can pass its check just before the older one's success log appears. Between C++
/// writers the race is closed with a seal marker (`txn/.sealing/<txn_id>`, invisible to
/// Python): a transaction writes its marker before its final conflict check and removes it
/// after its success log; a newer transaction treats an older conflicting one with a fresh
/// marker (younger than `seal_marker_lease_ns`) like a committed one and aborts. Dekker-style,
/// at most one of two conflicting C++ transactions commits. A crashed writer's marker blocks
/// conflicting writers only until its lease expires.
///
/// Metafiles are msgpack maps in real-name form (as SnapshotReader returns them, or as the
/// model codecs encode them); the transaction adds `id`, `ancestor_ids` and the on-disk
/// sentinels itself. Errors: kInvalidArgument for malformed documents or names (nothing
/// written, the transaction stays usable); the object-specific kinds (kTableAlreadyExists,
/// kTableNotFound, ... for not-found and deleted objects alike, kNamespaceNotFound etc. for
/// missing ancestors); kConcurrentModification when another transaction won; I/O errors.
///
/// Move-only. Destroying an active transaction that wrote something aborts it. Not
/// thread-safe.
class Transaction {
 public:
  /// Starts a read-write transaction on `catalog` now.
  static Result<Transaction> Begin(const FileSystemLocation& catalog,
                                   const TransactionOptions& options = {});
  /// Starts a read-only transaction whose snapshot is `as_of` (ns since the epoch, not in the
  /// future): time travel. Writes fail with kIllegalState; nothing is ever written.
  static Result<Transaction> BeginHistoric(const FileSystemLocation& catalog, int64_t as_of,
                                           const TransactionOptions& options = {});

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  /// Aborts if still active and something was written.
  ~Transaction();

  /// "<start_ns>_<uuid4>".
  const std::string& id() const;
  /// The start time, which is also the snapshot time of its reads.
  int64_t start_time() const;
  /// True for BeginHistoric transactions.
  bool historic() const;
  TransactionState state() const;
  /// How many write operations the transaction has staged so far.
  size_t operation_count() const;
  /// The catalog this transaction works on.
  const FileSystemLocation& catalog() const;

  /// Reads at this transaction's snapshot, seeing its own writes.
  SnapshotReader& reader();

  /// Creates an object: requires that it does not exist or was deleted.
  Result<StagedWrite> Create(MsgValue metafile);
  /// Updates `src` (the current state) to `dest`. A changed name or alias moves the name
  /// mapping; a different ID than `src` replaces `src` (tombstone) with `dest`.
  Result<StagedWrite> Update(const MsgValue& src, MsgValue dest);
  /// Replaces `src` with `dest` (commit of a staged stream or partition over a committed one).
  Result<StagedWrite> Replace(const MsgValue& src, MsgValue dest);
  /// Deletes an object; `metafile` is its last state and becomes the tombstone's content.
  Result<StagedWrite> Delete(MsgValue metafile);
  /// The same operations on model structs (encoded with EncodeMetafile; real parent names). A
  /// new namespace or table with an empty `id` gets a fresh UUID4.
  Result<StagedWrite> Create(const Metafile& metafile);
  Result<StagedWrite> Update(const Metafile& src, const Metafile& dest);
  Result<StagedWrite> Replace(const Metafile& src, const Metafile& dest);
  Result<StagedWrite> Delete(const Metafile& metafile);

  /// Any of the above by type (kCreate, kUpdate, kReplace, kDelete).
  Result<StagedWrite> Write(TxnOpType type, MsgValue dest, const MsgValue* src = nullptr);

  /// Seals the transaction: conflict check of every written file, then the success log.
  Result<CommitResult> Commit();
  /// Abandons the transaction: failed log, delete its files, remove the running log. A no-op
  /// for a transaction that wrote nothing or is already finished.
  Status Abort();

 private:
  struct Impl;
  explicit Transaction(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace deltacat::storage
