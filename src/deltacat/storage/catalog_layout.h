#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/result.h"

// Paths of everything in a catalog, relative to or joined with its root
// (storage-format.md §0, §2). Pure functions; nothing here touches a filesystem.

namespace deltacat::storage {

inline constexpr std::string_view kRevisionDirName = "rev";
inline constexpr std::string_view kTxnDirName = "txn";
inline constexpr std::string_view kRunningTxnDirName = "running";
inline constexpr std::string_view kPausedTxnDirName = "paused";
inline constexpr std::string_view kFailedTxnDirName = "failed";
inline constexpr std::string_view kSuccessTxnDirName = "success";
inline constexpr std::string_view kDataDirName = "data";
inline constexpr std::string_view kVersionDirName = "version";
/// Hidden directory of C++ seal markers (invisible to Python, which never lists `txn/`).
inline constexpr std::string_view kSealingTxnDirName = ".sealing";

/// `<root>/<ancestor_ids...>/<id>`: the immutable-ID directory of an object.
std::string ObjectDir(std::string_view root, const std::vector<std::string>& ancestor_ids,
                      std::string_view id);

/// `<root>/<ids...>`: the directory of the object whose ancestors and own ID are `path_ids`
/// (the catalog root itself for an empty list).
std::string ObjectDirOfPath(std::string_view root, const std::vector<std::string>& path_ids);

/// `<object_dir>/rev`.
std::string RevisionDir(std::string_view object_dir);

/// `<parent_dir>/<sha1_hex(canonical)>`: the name-resolution directory for a mutable name or
/// alias whose canonical string is `canonical` (storage-format.md §2.5).
std::string NameResolutionDir(std::string_view parent_dir, std::string_view canonical);

/// `<root>/txn/<status>`.
std::string TxnStatusDir(std::string_view root, std::string_view status_dir_name);

/// `<root>/txn/running/<txn_id>`.
std::string RunningTxnLogPath(std::string_view root, std::string_view txn_id);

/// `<root>/txn/paused/<txn_id>`.
std::string PausedTxnLogPath(std::string_view root, std::string_view txn_id);

/// `<root>/txn/.sealing/<txn_id>`: the marker a C++ transaction writes just before its final
/// conflict check (see Transaction), holding the decimal time it was written.
std::string SealingMarkerPath(std::string_view root, std::string_view txn_id);

/// `<root>/txn/failed/YYYY/MM/DD/hh/mm/<txn_id>` with the minute of the start time computed
/// the way Python does (python_time_partition.h). kInvalidArgument for a malformed ID.
Result<std::string> FailedTxnLogPath(std::string_view root, std::string_view txn_id);

/// `<root>/txn/success/YYYY/MM/DD/hh/mm/<txn_id>`: the directory holding the single success
/// log file of a transaction, with Python's minute.
Result<std::string> SuccessTxnLogDir(std::string_view root, std::string_view txn_id);

/// `<SuccessTxnLogDir>/<end_ns>`: the success log file, the commit point.
Result<std::string> SuccessTxnLogPath(std::string_view root, std::string_view txn_id,
                                      int64_t end_time);

/// Every directory a reader should look in for a transaction's success log, most likely
/// first: Python's minute; the integer-arithmetic minute when it differs (a start time in
/// the last 2 µs of a minute, written by a writer that computed it without float math); and
/// the legacy flat `<root>/txn/success/<txn_id>` (before Sept 2025, migrated by Python on
/// open).
Result<std::vector<std::string>> SuccessTxnLogDirCandidates(std::string_view root,
                                                            std::string_view txn_id);

/// Failed-log paths a reader should consider, like SuccessTxnLogDirCandidates.
Result<std::vector<std::string>> FailedTxnLogPathCandidates(std::string_view root,
                                                            std::string_view txn_id);

/// `path` relative to `root` ("a/b" for "<root>/a/b"); kInvalidArgument when `path` is not
/// strictly under `root`.
Result<std::string> RelativeToRoot(std::string_view root, std::string_view path);

}  // namespace deltacat::storage
