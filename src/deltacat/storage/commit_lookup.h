#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/filesystem/filesystem.h>

#include "deltacat/result.h"

namespace deltacat::storage {

/// Finds out whether, and when, a transaction committed: the end time named by the single file
/// in its success log directory `txn/success/YYYY/MM/DD/hh/mm/<txn_id>/<end_ns>`
/// (storage-format.md §2.7, §4.6). Looks in Python's minute first, then the integer-arithmetic
/// minute when the start time lies just before a minute boundary, then the legacy flat
/// `txn/success/<txn_id>/`. Not thread-safe.
class CommitLookup {
 public:
  /// Looks up success logs of the catalog at `root` on `fs`.
  CommitLookup(std::shared_ptr<arrow::fs::FileSystem> fs, std::string root);

  /// The end time of `txn_id`, or nullopt when it has no success log, read from the
  /// filesystem now (for conflict checks, which must not use stale answers). A directory with
  /// more than one visible file or an unparsable end time is kCorruptMetadata (Python raises
  /// too); a malformed `txn_id` is kCorruptMetadata.
  Result<std::optional<int64_t>> EndTimeNow(std::string_view txn_id);

  /// Like EndTimeNow, but answers from a per-minute cache: the first lookup of a transaction
  /// lists its whole minute directory recursively (one request per 1000 keys on S3) and
  /// remembers every transaction in it. For snapshot reads, whose answers may be as of the
  /// first lookup.
  Result<std::optional<int64_t>> EndTimeCached(std::string_view txn_id);

  /// Number of filesystem listings issued so far (for tests and benchmarks).
  int64_t listings() const { return listings_; }

 private:
  struct MinuteIndex {
    // txn_id -> names of the visible files in its success directory.
    std::map<std::string, std::vector<std::string>, std::less<>> files;
  };
  Result<std::optional<int64_t>> EndTimeFromFiles(std::string_view txn_id, const std::string& dir,
                                                  const std::vector<std::string>& files);
  Result<const MinuteIndex*> IndexMinute(const std::string& minute_dir);
  Result<std::vector<std::string>> ListTxnDir(const std::string& dir);

  std::shared_ptr<arrow::fs::FileSystem> fs_;
  std::string root_;
  int64_t listings_ = 0;
  std::map<std::string, MinuteIndex> minutes_;
  std::map<std::string, std::optional<int64_t>, std::less<>> flat_;
};

}  // namespace deltacat::storage
