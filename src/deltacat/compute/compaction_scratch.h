#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"

/// The lifetime of a compaction round's intermediates (the hash-bucket step's spill files and
/// the merge step's sub-partition files). They live in one scratch directory per round, named
/// by the round's transaction id, on the catalog filesystem, so that tasks on any machine (a
/// thread pool or Ray workers) reach them by path. Nothing is reference-counted across
/// processes: the round that created the directory deletes it when it ends (whether it
/// committed or failed), and the janitor deletes the directories that a crashed round left.
namespace deltacat::compute {

/// `<root>/compute/compactor/scratch`: the parent of every round's scratch directory.
std::string CompactionScratchRoot(const FileSystemLocation& catalog);

/// `<root>/compute/compactor/scratch/<txn_id>`: the scratch directory of the round that runs
/// in transaction `txn_id`.
std::string CompactionScratchDir(const FileSystemLocation& catalog, std::string_view txn_id);

/// Deletes the scratch directories of rounds that can no longer be running: those whose
/// transaction has a success or failed log, and those whose transaction started more than
/// `running_timeout_ns` before `now_ns` (a crashed driver leaves no log at all). A directory
/// whose name is not a transaction id is not ours to judge and is left alone. Returns the
/// catalog-relative paths of the deleted directories; with `dry_run`, of those it would delete.
Result<std::vector<std::string>> RemoveAbandonedCompactionScratch(const FileSystemLocation& catalog,
                                                                  int64_t now_ns,
                                                                  int64_t running_timeout_ns,
                                                                  bool dry_run = false);

}  // namespace deltacat::compute
