#include "deltacat/compute/compaction_audit.h"

#include <nlohmann/json.hpp>

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/model/locator_name.h"
#include "deltacat/version.h"

namespace deltacat::compute {
namespace {

nlohmann::json Optional(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

Result<std::string> CompactionAuditRelativePath(const storage::PartitionLocator& source) {
  DC_ASSIGN_OR_RAISE(std::string canonical, storage::CanonicalString(source));
  return "compute/compactor/compaction-audit/" + storage::LocatorDigest(canonical) + ".json";
}

std::string CompactionAuditUrl(const FileSystemLocation& catalog, const std::string& relative) {
  return JoinPath(catalog.uri, relative);
}

std::string CompactionAuditJson(const CompactionAudit& audit, const std::string& relative_path) {
  // Keys in the order Python's audit fills them.
  nlohmann::ordered_json json;
  json["deltacatVersion"] = DELTACAT_CPP_VERSION;
  json["compactorImplementation"] = "deltacat-cpp";
  json["auditUrl"] = relative_path;
  json["hashBucketCount"] = audit.hash_bucket_count;
  json["compactorVersion"] = "V2";
  json["inputSizeBytes"] = audit.input_size_bytes;
  json["inputFileCount"] = audit.input_file_count;
  json["estimatedInMemorySizeBytesDuringDiscovery"] =
      audit.estimated_in_memory_size_bytes_during_discovery;
  json["uniformDeltasCreated"] = audit.uniform_deltas_created;
  json["deltaDiscoveryTimeInSeconds"] = audit.delta_discovery_time_in_seconds;
  json["hashBucketTimeInSeconds"] = audit.hash_bucket_time_in_seconds;
  json["hashBucketProcessedSizeBytes"] = audit.hash_bucket_processed_size_bytes;
  json["inputRecords"] = audit.input_records;
  json["mergeTimeInSeconds"] = audit.merge_time_in_seconds;
  json["recordsDeduped"] = audit.records_deduped;
  json["recordsDeleted"] = audit.records_deleted;
  json["compactionTimeInSeconds"] = audit.compaction_time_in_seconds;
  json["peakMemoryUsedBytesCompactionSessionProcess"] =
      audit.peak_memory_used_bytes_compaction_session_process;
  json["untouchedFileCount"] = audit.untouched_file_count;
  json["untouchedFileRatio"] = Optional(audit.untouched_file_ratio);
  json["untouchedRecordCount"] = audit.untouched_record_count;
  json["untouchedSizeBytes"] = audit.untouched_size_bytes;
  json["outputFileCount"] = audit.output_file_count;
  json["outputSizeBytes"] = audit.output_size_bytes;
  json["outputSizePyarrowBytes"] = audit.output_size_pyarrow_bytes;
  json["pyarrowVersion"] = DELTACAT_ARROW_PIN;
  json["observedInputInflation"] = Optional(audit.observed_input_inflation);
  json["observedInputAverageRecordSizeBytes"] =
      Optional(audit.observed_input_average_record_size_bytes);
  return json.dump();
}

Status WriteCompactionAudit(const FileSystemLocation& catalog, const std::string& relative_path,
                            const CompactionAudit& audit) {
  return WriteFileAtomically(*catalog.fs, JoinPath(catalog.root, relative_path),
                             CompactionAuditJson(audit, relative_path));
}

}  // namespace deltacat::compute
