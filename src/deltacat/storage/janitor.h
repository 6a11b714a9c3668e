#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"

namespace deltacat::storage {

/// How the janitor decides that a transaction is dead.
struct JanitorOptions {
  /// Current time (ns); transactions are aged by the start time in their ID.
  int64_t now_ns = 0;
  /// A transaction with a running log that started more than this long ago is dead.
  int64_t running_timeout_ns = 3600LL * 1'000'000'000LL;
  /// Revision or mapping files whose transaction has no log at all (no success, running, paused
  /// or failed log) are removed once the transaction started more than this long ago.
  int64_t orphan_timeout_ns = 3600LL * 1'000'000'000LL;
  /// Report what would be removed without removing anything.
  bool dry_run = false;
};

/// What a janitor run removed (or would remove, in a dry run).
struct JanitorReport {
  /// Transactions cleaned up: dead running ones, failed ones with leftovers, and orphans.
  std::vector<std::string> dead_transactions;
  /// Revision and name-mapping files deleted.
  std::vector<std::string> deleted_files;
  /// Running logs and seal markers deleted (of dead or of already committed transactions).
  std::vector<std::string> deleted_logs;
  /// Failed logs written for dead transactions that had none.
  std::vector<std::string> written_failed_logs;
};

/// Removes what dead transactions left behind (storage-format.md §4.8, with working timeouts):
/// - running logs older than `running_timeout_ns` whose transaction has no success log;
/// - transactions with a failed log but no success log, which may still have files;
/// - revision and mapping files of transactions with no log at all, once older than
///   `orphan_timeout_ns` (for example a process killed between writing a file and its log).
/// For each dead transaction it first writes a failed log (if none exists) and re-checks that
/// no success log appeared; a committing C++ transaction checks for that failed log after
/// writing its success log, so at most one of them proceeds. Then it deletes every revision
/// and mapping file named with the transaction's ID (found by walking the catalog, plus the
/// paths its logs list when they are such files), its running log and its seal marker, and the
/// hidden temp files (`.<name>.tmp-<uuid>`) an interrupted atomic write of one of its files or
/// logs left behind. Such temp files that belong to no transaction (compaction audits and other
/// side files) are removed once their mtime is older than `orphan_timeout_ns`.
/// Files of committed transactions, data files and logs of live or paused transactions are
/// never touched; running logs and seal markers left by committed transactions are removed.
Result<JanitorReport> RunJanitor(const FileSystemLocation& catalog, const JanitorOptions& options);

}  // namespace deltacat::storage
