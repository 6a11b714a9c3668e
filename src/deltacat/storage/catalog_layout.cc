#include "deltacat/storage/catalog_layout.h"

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/storage/python_time_partition.h"
#include "deltacat/storage/transaction_id.h"
#include "deltacat/util/sha1.h"

namespace deltacat::storage {

namespace {

std::string JoinMinute(std::string dir, const MinutePartition& minute) {
  for (const auto& part : minute) dir = JoinPath(dir, part);
  return dir;
}

}  // namespace

std::string ObjectDir(std::string_view root, const std::vector<std::string>& ancestor_ids,
                      std::string_view id) {
  std::string dir(root);
  for (const auto& ancestor : ancestor_ids) dir = JoinPath(dir, ancestor);
  return JoinPath(dir, id);
}

std::string ObjectDirOfPath(std::string_view root, const std::vector<std::string>& path_ids) {
  std::string dir(root);
  for (const auto& id : path_ids) dir = JoinPath(dir, id);
  return dir;
}

std::string RevisionDir(std::string_view object_dir) {
  return JoinPath(object_dir, kRevisionDirName);
}

std::string NameResolutionDir(std::string_view parent_dir, std::string_view canonical) {
  return JoinPath(parent_dir, Sha1Hex(canonical));
}

std::string TxnStatusDir(std::string_view root, std::string_view status_dir_name) {
  return JoinPath(JoinPath(root, kTxnDirName), status_dir_name);
}

std::string RunningTxnLogPath(std::string_view root, std::string_view txn_id) {
  return JoinPath(TxnStatusDir(root, kRunningTxnDirName), txn_id);
}

std::string PausedTxnLogPath(std::string_view root, std::string_view txn_id) {
  return JoinPath(TxnStatusDir(root, kPausedTxnDirName), txn_id);
}

std::string SealingMarkerPath(std::string_view root, std::string_view txn_id) {
  return JoinPath(TxnStatusDir(root, kSealingTxnDirName), txn_id);
}

Result<std::string> FailedTxnLogPath(std::string_view root, std::string_view txn_id) {
  DC_ASSIGN_OR_RAISE(auto parts, ParseTransactionId(txn_id));
  DC_ASSIGN_OR_RAISE(auto minute, PythonMinutePartition(parts.start_time));
  return JoinPath(JoinMinute(TxnStatusDir(root, kFailedTxnDirName), minute), txn_id);
}

Result<std::string> SuccessTxnLogDir(std::string_view root, std::string_view txn_id) {
  DC_ASSIGN_OR_RAISE(auto parts, ParseTransactionId(txn_id));
  DC_ASSIGN_OR_RAISE(auto minute, PythonMinutePartition(parts.start_time));
  return JoinPath(JoinMinute(TxnStatusDir(root, kSuccessTxnDirName), minute), txn_id);
}

Result<std::string> SuccessTxnLogPath(std::string_view root, std::string_view txn_id,
                                      int64_t end_time) {
  DC_ASSIGN_OR_RAISE(auto dir, SuccessTxnLogDir(root, txn_id));
  return JoinPath(dir, std::to_string(end_time));
}

namespace {

Result<std::vector<std::string>> StatusCandidates(std::string_view root, std::string_view txn_id,
                                                  std::string_view status) {
  DC_ASSIGN_OR_RAISE(auto parts, ParseTransactionId(txn_id));
  const std::string status_dir = TxnStatusDir(root, status);
  std::vector<std::string> candidates;
  auto python = PythonMinutePartition(parts.start_time);
  if (python.ok()) candidates.push_back(JoinPath(JoinMinute(status_dir, *python), txn_id));
  const MinutePartition naive = NaiveMinutePartition(parts.start_time);
  if (!python.ok() || naive != *python) {
    candidates.push_back(JoinPath(JoinMinute(status_dir, naive), txn_id));
  }
  candidates.push_back(JoinPath(status_dir, txn_id));
  return candidates;
}

}  // namespace

Result<std::vector<std::string>> SuccessTxnLogDirCandidates(std::string_view root,
                                                            std::string_view txn_id) {
  return StatusCandidates(root, txn_id, kSuccessTxnDirName);
}

Result<std::vector<std::string>> FailedTxnLogPathCandidates(std::string_view root,
                                                            std::string_view txn_id) {
  return StatusCandidates(root, txn_id, kFailedTxnDirName);
}

Result<std::string> RelativeToRoot(std::string_view root, std::string_view path) {
  std::string prefix(root);
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  if (path.size() <= prefix.size() || path.substr(0, prefix.size()) != prefix) {
    return MakeError(ErrorCode::kInvalidArgument, "path '", path,
                     "' is not under the catalog root '", root, "'");
  }
  return std::string(path.substr(prefix.size()));
}

}  // namespace deltacat::storage
