#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"
#include "deltacat/storage/model/locator.h"

/// The compaction audit: a JSON file with the statistics of the last compaction round of a
/// partition, at the path Python DeltaCAT uses (`compute/compactor/compaction-audit/
/// <sha1(source partition canonical string)>.json`) and with the keys of Python's
/// CompactionSessionAuditInfo (camelCase), so that tools reading Python's audits read ours.
/// Ray-specific keys are left out; `compactorImplementation` names this implementation.
namespace deltacat::compute {

/// The statistics of one round.
struct CompactionAudit {
  int32_t hash_bucket_count = 0;
  int64_t input_size_bytes = 0;  ///< on-disk bytes of the input deltas (and, after the round,
                                 ///< of the previous compacted files)
  int64_t input_file_count = 0;  ///< same, in files
  int64_t input_records = 0;     ///< rows read: incremental and previous compacted
  int64_t estimated_in_memory_size_bytes_during_discovery = 0;
  int64_t uniform_deltas_created = 0;  ///< hash-bucket tasks
  int64_t hash_bucket_processed_size_bytes = 0;
  double delta_discovery_time_in_seconds = 0;
  double hash_bucket_time_in_seconds = 0;
  double merge_time_in_seconds = 0;
  double compaction_time_in_seconds = 0;
  int64_t records_deduped = 0;
  int64_t records_deleted = 0;
  int64_t untouched_file_count = 0;
  std::optional<double> untouched_file_ratio;
  int64_t untouched_record_count = 0;
  int64_t untouched_size_bytes = 0;
  int64_t output_file_count = 0;
  int64_t output_size_bytes = 0;
  int64_t output_size_pyarrow_bytes = 0;
  int64_t peak_memory_used_bytes_compaction_session_process = 0;
  std::optional<double> observed_input_inflation;
  std::optional<double> observed_input_average_record_size_bytes;
};

/// The audit file of compactions of `source`, relative to the catalog root.
Result<std::string> CompactionAuditRelativePath(const storage::PartitionLocator& source);

/// The absolute audit URL Python stores in the round completion info: "<catalog>/<relative>".
std::string CompactionAuditUrl(const FileSystemLocation& catalog, const std::string& relative);

/// The audit as JSON (auditUrl relative to the catalog root, as Python writes the file).
std::string CompactionAuditJson(const CompactionAudit& audit, const std::string& relative_path);

/// Writes (replaces) the audit file.
Status WriteCompactionAudit(const FileSystemLocation& catalog, const std::string& relative_path,
                            const CompactionAudit& audit);

}  // namespace deltacat::compute
