#include "deltacat/compute/compaction_commit.h"

#include <utility>

#include "deltacat/compute/manifest_statistics.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/model/partition_scheme.h"
#include "deltacat/util/uuid.h"

namespace deltacat::compute {

using storage::MetafileRecord;

storage::Partition NewCompactedPartition(const MetafileRecord& stream_record,
                                         const storage::TableVersion& table_version,
                                         const storage::Partition& source,
                                         const std::optional<std::string>& previous_partition_id,
                                         std::string partition_id) {
  storage::Partition partition;
  auto stream = storage::DecodeStream(stream_record.doc);
  if (stream.ok()) partition.locator.stream_locator = stream->locator;
  partition.locator.partition_values = source.locator.partition_values;
  partition.locator.partition_id = std::move(partition_id);
  partition.content_types = table_version.content_types;
  partition.state = storage::CommitState::kStaged;
  partition.previous_partition_id = previous_partition_id;
  const bool unpartitioned =
      !source.locator.partition_values || source.locator.partition_values->empty();
  partition.partition_scheme_id =
      unpartitioned ? std::string(storage::kUnpartitionedSchemeId) : source.partition_scheme_id;
  partition.ancestor_ids = stream_record.PathIds();
  return partition;
}

storage::ManifestEntry CompactedManifestEntry(const MergedFile& file, int64_t schema_id,
                                              const std::optional<std::string>& sort_scheme_id) {
  storage::ManifestEntry entry;
  entry.url = file.url;
  storage::ManifestMeta meta;
  meta.record_count = file.record_count;
  meta.content_length = file.content_length;
  meta.source_content_length = file.source_content_length;
  meta.content_type = std::string(ContentTypeString(ContentType::kParquet));
  meta.content_encoding = std::string(ContentEncodingString(ContentEncoding::kIdentity));
  meta.entry_type = storage::EntryType::kData;
  meta.schema_id = schema_id;
  meta.sort_scheme_id = sort_scheme_id;
  AttachColumnStatistics(meta, file.column_statistics);
  entry.meta = std::move(meta);
  entry.mandatory = true;
  return entry;
}

Result<storage::Delta> NewCompactedDelta(const storage::Partition& partition,
                                         int64_t stream_position,
                                         std::vector<storage::ManifestEntry> entries) {
  DC_ASSIGN_OR_RAISE(storage::Manifest manifest,
                     storage::Manifest::Of(NewUuid4(), std::move(entries)));
  storage::Delta delta;
  delta.locator.partition_locator = partition.locator;
  delta.locator.stream_position = stream_position;
  delta.type = storage::DeltaType::kAppend;
  delta.meta = manifest.meta;
  delta.manifest = std::move(manifest);
  delta.previous_stream_position = 0;
  delta.ancestor_ids = partition.ancestor_ids;
  delta.ancestor_ids.push_back(*partition.locator.partition_id);
  return delta;
}

Result<MetafileRecord> CommitCompactedPartition(
    storage::Transaction& txn, const MetafileRecord& stream_record, storage::Partition staged,
    const storage::Delta& delta, storage::RoundCompletionInfo rci,
    const std::optional<MetafileRecord>& previous_committed) {
  // stage_partition
  DC_ASSIGN_OR_RAISE(storage::StagedWrite created, txn.Create(storage::EncodePartition(staged)));
  // commit_delta: the delta, then the partition's stream position
  DC_RETURN_NOT_OK(txn.Create(storage::EncodeDelta(delta)));
  storage::Partition positioned = staged;
  positioned.stream_position = delta.locator.stream_position;
  DC_ASSIGN_OR_RAISE(storage::StagedWrite updated,
                     txn.Update(created.metafile.doc, storage::EncodePartition(positioned)));
  // commit_partition: the committed partition must still be the one the round started from.
  auto values = staged.locator.partition_values && !staged.locator.partition_values->empty()
                    ? storage::MsgValue::Array(*staged.locator.partition_values)
                    : storage::MsgValue();
  DC_ASSIGN_OR_RAISE(auto committed_now,
                     txn.reader().FindPartition(stream_record, values, staged.partition_scheme_id));
  const std::optional<std::string> expected =
      previous_committed ? std::optional<std::string>(previous_committed->id) : std::nullopt;
  const std::optional<std::string> actual =
      committed_now ? std::optional<std::string>(committed_now->id) : std::nullopt;
  if (expected != actual) {
    return MakeError(ErrorCode::kConcurrentModification,
                     "concurrent modification: compaction expected committed partition ",
                     expected.value_or("(none)"), " but found ", actual.value_or("(none)"));
  }
  storage::Partition committed = std::move(positioned);
  committed.state = storage::CommitState::kCommitted;
  committed.compaction_round_completion_info = std::move(rci);
  storage::MsgValue committed_doc = storage::EncodePartition(committed);
  if (!committed_now) {
    DC_ASSIGN_OR_RAISE(storage::StagedWrite done,
                       txn.Update(updated.metafile.doc, std::move(committed_doc)));
    return std::move(done.metafile);
  }
  DC_ASSIGN_OR_RAISE(storage::StagedWrite done, txn.Replace(updated.metafile.doc, committed_doc));
  DC_RETURN_NOT_OK(txn.Replace(committed_now->doc, std::move(committed_doc)));
  return std::move(done.metafile);
}

}  // namespace deltacat::compute
