#include "deltacat/storage/janitor.h"

#include <chrono>
#include <map>
#include <set>

#include "deltacat/fs/file_ops.h"
#include "deltacat/fs/filesystem_error.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/commit_lookup.h"
#include "deltacat/storage/revision_file_name.h"
#include "deltacat/storage/transaction_id.h"
#include "deltacat/storage/txn_log_record.h"

namespace deltacat::storage {

namespace {

// Every file under `dir`, recursively (a missing dir is empty).
Result<std::vector<std::string>> ListFilesRecursively(arrow::fs::FileSystem& fs,
                                                      const std::string& dir) {
  std::vector<std::string> files;
  Status status = RunWithRetry(RetryPolicy(), [&]() -> Status {
    files.clear();
    arrow::fs::FileSelector selector;
    selector.base_dir = dir;
    selector.recursive = true;
    selector.allow_not_found = true;
    auto listed = fs.GetFileInfo(selector);
    if (!listed.ok()) {
      if (IsNotFoundFileSystemError(listed.status())) return Status::OK();
      return FileSystemError(listed.status(), "cannot list", dir);
    }
    for (const auto& info : *listed) {
      if (info.type() == arrow::fs::FileType::File) files.push_back(info.path());
    }
    return Status::OK();
  });
  DC_RETURN_NOT_OK(status);
  return files;
}

// The transaction that wrote a revision or mapping file, also for the hidden temp files
// ".<name>.tmp-<uuid>" an interrupted atomic write leaves behind.
std::optional<std::string> WriterOf(std::string_view file_name) {
  if (file_name.starts_with(".")) {
    const size_t tmp = file_name.rfind(".tmp-");
    if (tmp == std::string_view::npos || tmp <= 1) return std::nullopt;
    file_name = file_name.substr(1, tmp - 1);
  }
  auto parsed = ParseRevisionFileName(file_name);
  if (!parsed.ok()) return std::nullopt;
  return parsed->txn_id;
}

// A hidden temp file an interrupted atomic write left: ".<name>.tmp-<uuid>".
bool IsAtomicWriteTemp(std::string_view file_name) {
  const size_t tmp = file_name.rfind(".tmp-");
  return file_name.starts_with(".") && tmp != std::string_view::npos && tmp > 1;
}

// The transaction whose log an interrupted atomic write left as ".<txn_id>.tmp-<uuid>" (a
// running, paused, failed or seal-marker temp file).
std::optional<std::string> TxnOfTempLog(std::string_view file_name) {
  if (!file_name.starts_with(".")) return std::nullopt;
  const size_t tmp = file_name.rfind(".tmp-");
  if (tmp == std::string_view::npos || tmp <= 1) return std::nullopt;
  const std::string_view name = file_name.substr(1, tmp - 1);
  if (!ParseTransactionId(name).ok()) return std::nullopt;
  return std::string(name);
}

struct TxnFacts {
  std::vector<std::string> files;      // revision and mapping files found in the catalog
  std::vector<std::string> temp_logs;  // log temp files left by interrupted atomic writes
  std::optional<std::string> running;  // running log path
  std::optional<std::string> failed;   // failed log path
  bool paused = false;
  std::optional<std::string> marker;  // seal marker path
};

}  // namespace

Result<JanitorReport> RunJanitor(const FileSystemLocation& catalog, const JanitorOptions& options) {
  auto& fs = *catalog.fs;
  JanitorReport report;
  std::map<std::string, TxnFacts> txns;
  std::vector<std::string> stray_temps;

  // Revision and mapping files, by the transaction that wrote them.
  DC_ASSIGN_OR_RAISE(auto top, ListDir(fs, catalog.root));
  for (const auto& entry : top) {
    if (!entry.is_dir || entry.name == kTxnDirName || entry.name == kDataDirName ||
        entry.name == kVersionDirName) {
      continue;
    }
    DC_ASSIGN_OR_RAISE(auto files, ListFilesRecursively(fs, JoinPath(catalog.root, entry.name)));
    for (auto& file : files) {
      auto writer = WriterOf(BaseName(file));
      if (writer) {
        txns[*writer].files.push_back(std::move(file));
      } else if (IsAtomicWriteTemp(BaseName(file))) {
        stray_temps.push_back(std::move(file));
      }
    }
  }
  // Temp files of interrupted atomic writes outside any transaction (compaction audits and
  // other side files): removed once older than the orphan timeout, judged by their mtime.
  for (const auto& path : stray_temps) {
    auto info = fs.GetFileInfo(path);
    if (!info.ok() || info->type() != arrow::fs::FileType::File) continue;
    const int64_t mtime_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(info->mtime().time_since_epoch())
            .count();
    if (mtime_ns >= options.now_ns - options.orphan_timeout_ns) continue;
    if (!options.dry_run) DC_RETURN_NOT_OK(DeleteFileIfExists(fs, path));
    report.deleted_files.push_back(path);
  }

  // Transaction logs.
  // (Listed raw: ListDir hides the temp files this is also looking for.)
  auto flat_logs = [&](std::string_view status_dir, auto&& record) -> Status {
    const std::string dir = TxnStatusDir(catalog.root, status_dir);
    DC_ASSIGN_OR_RAISE(auto files, ListFilesRecursively(fs, dir));
    for (const auto& path : files) {
      if (ParentPath(path) != dir) continue;  // flat directories: nothing below belongs here
      const std::string name(BaseName(path));
      if (ParseTransactionId(name).ok()) {
        record(txns[name], path);
      } else if (auto txn_id = TxnOfTempLog(name)) {
        txns[*txn_id].temp_logs.push_back(path);
      }
    }
    return Status::OK();
  };
  DC_RETURN_NOT_OK(flat_logs(
      kRunningTxnDirName, [](TxnFacts& facts, const std::string& path) { facts.running = path; }));
  DC_RETURN_NOT_OK(flat_logs(kPausedTxnDirName,
                             [](TxnFacts& facts, const std::string&) { facts.paused = true; }));
  DC_RETURN_NOT_OK(flat_logs(
      kSealingTxnDirName, [](TxnFacts& facts, const std::string& path) { facts.marker = path; }));
  DC_ASSIGN_OR_RAISE(auto failed_logs,
                     ListFilesRecursively(fs, TxnStatusDir(catalog.root, kFailedTxnDirName)));
  for (auto& path : failed_logs) {
    const std::string name(BaseName(path));
    if (ParseTransactionId(name).ok()) {
      txns[name].failed = std::move(path);
    } else if (auto txn_id = TxnOfTempLog(name)) {
      txns[*txn_id].temp_logs.push_back(std::move(path));
    }
  }
  // Success-log temp files ("<minute dirs>/<txn_id>/.<end_ns>.tmp-<uuid>") of a writer that
  // died before renaming its success log into place.
  DC_ASSIGN_OR_RAISE(auto success_files,
                     ListFilesRecursively(fs, TxnStatusDir(catalog.root, kSuccessTxnDirName)));
  for (auto& path : success_files) {
    const std::string_view name = BaseName(path);
    if (!name.starts_with(".") || name.find(".tmp-") == std::string_view::npos) continue;
    const std::string txn_id(BaseName(ParentPath(path)));
    if (ParseTransactionId(txn_id).ok()) txns[txn_id].temp_logs.push_back(std::move(path));
  }

  CommitLookup commits(catalog.fs, catalog.root);
  for (auto& [txn_id, facts] : txns) {
    auto parts = ParseTransactionId(txn_id);
    if (!parts.ok()) continue;
    DC_ASSIGN_OR_RAISE(auto end, commits.EndTimeNow(txn_id));
    if (end) {
      // Committed: its files are history. Only bookkeeping it failed to remove goes.
      for (const auto& log : {facts.running, facts.marker}) {
        if (!log) continue;
        if (!options.dry_run) DC_RETURN_NOT_OK(DeleteFileIfExists(fs, *log));
        report.deleted_logs.push_back(*log);
      }
      for (const auto& temp : facts.temp_logs) {
        if (!options.dry_run) DC_RETURN_NOT_OK(DeleteFileIfExists(fs, temp));
        report.deleted_logs.push_back(temp);
      }
      continue;
    }
    if (facts.paused) continue;
    bool dead = false;
    if (facts.failed) {
      dead = !facts.files.empty() || facts.running || facts.marker || !facts.temp_logs.empty();
    } else if (facts.running) {
      dead = parts->start_time < options.now_ns - options.running_timeout_ns;
    } else {
      dead = parts->start_time < options.now_ns - options.orphan_timeout_ns;
    }
    if (!dead) continue;

    // Paths the logs list, in case the walk missed some (they must be this txn's files).
    std::set<std::string> doomed(facts.files.begin(), facts.files.end());
    for (const auto& log : {facts.failed, facts.running}) {
      if (!log) continue;
      auto record = ReadTxnLog(fs, *log);
      if (!record.ok()) continue;  // torn or foreign log: the walk still found the files
      for (const auto& paths : {record->AllMetafileWritePaths(), record->AllLocatorWritePaths()}) {
        for (const auto& relative : paths) {
          if (WriterOf(BaseName(relative)) == txn_id)
            doomed.insert(JoinPath(catalog.root, relative));
        }
      }
    }

    if (!facts.failed && !options.dry_run) {
      // Declare the transaction dead before touching its files (see Transaction::Commit).
      TxnLogRecord record;
      if (facts.running) {
        auto running = ReadTxnLog(fs, *facts.running);
        if (running.ok()) record = std::move(*running);
      }
      record.id = txn_id;
      record.start_time = parts->start_time;
      record.catalog_root_normalized = catalog.root;
      DC_ASSIGN_OR_RAISE(auto failed_path, FailedTxnLogPath(catalog.root, txn_id));
      DC_RETURN_NOT_OK(
          WriteFileAtomically(fs, failed_path, EncodeMsgpack(EncodeTxnLogRecord(record))));
      DC_ASSIGN_OR_RAISE(auto committed_meanwhile, commits.EndTimeNow(txn_id));
      if (committed_meanwhile) {
        DC_RETURN_NOT_OK(DeleteFileIfExists(fs, failed_path));
        continue;
      }
      report.written_failed_logs.push_back(failed_path);
    }
    for (const auto& path : doomed) {
      if (!options.dry_run) DC_RETURN_NOT_OK(DeleteFileIfExists(fs, path));
      report.deleted_files.push_back(path);
    }
    for (const auto& log : {facts.running, facts.marker}) {
      if (!log) continue;
      if (!options.dry_run) DC_RETURN_NOT_OK(DeleteFileIfExists(fs, *log));
      report.deleted_logs.push_back(*log);
    }
    for (const auto& temp : facts.temp_logs) {
      if (!options.dry_run) DC_RETURN_NOT_OK(DeleteFileIfExists(fs, temp));
      report.deleted_logs.push_back(temp);
    }
    report.dead_transactions.push_back(txn_id);
  }
  return report;
}

}  // namespace deltacat::storage
