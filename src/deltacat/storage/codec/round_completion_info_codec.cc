#include "deltacat/storage/codec/round_completion_info_codec.h"

#include <charconv>

#include "deltacat/storage/codec/locator_codec.h"
#include "deltacat/storage/codec/map_codec.h"

namespace deltacat::storage {

using codec::IndexPath;
using codec::JoinPath;
using codec::kToMsg;
using codec::MapReader;
using codec::MapWriter;

Result<PyArrowWriteResult> DecodePyArrowWriteResult(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  PyArrowWriteResult out;
  DC_ASSIGN_OR_RAISE(out.files, reader.Int("files"));
  DC_ASSIGN_OR_RAISE(out.pa_bytes, reader.Int("paBytes"));
  DC_ASSIGN_OR_RAISE(out.file_bytes, reader.Int("fileBytes"));
  DC_ASSIGN_OR_RAISE(out.records, reader.Int("records"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodePyArrowWriteResult(const PyArrowWriteResult& result) {
  MapWriter w;
  w.PutNullable("files", result.files, kToMsg);
  w.PutNullable("paBytes", result.pa_bytes, kToMsg);
  w.PutNullable("fileBytes", result.file_bytes, kToMsg);
  w.PutNullable("records", result.records, kToMsg);
  return std::move(w).Finish(result.extras);
}

namespace {

Result<int64_t> ParseDecimal(std::string_view text, const std::string& path) {
  int64_t value = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected the keys of ", path,
                     " to be decimal hash bucket indexes but found '", text, "'");
  }
  return value;
}

/// A `[first, second]` pair of ints.
Result<std::pair<int64_t, int64_t>> DecodeIntPair(const MsgValue& value, const std::string& path) {
  const MsgArray* items = value.AsArray();
  if (items == nullptr || items->size() != 2) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", path,
                     " to be a 2-element array but found ",
                     items ? std::to_string(items->size()) + " elements" : value.TypeName());
  }
  DC_ASSIGN_OR_RAISE(int64_t first, (*items)[0].GetInt(IndexPath(path, 0)));
  DC_ASSIGN_OR_RAISE(int64_t second, (*items)[1].GetInt(IndexPath(path, 1)));
  return std::make_pair(first, second);
}

Result<HighWatermark> DecodeHighWatermark(const MsgValue* value, const std::string& path) {
  if (value == nullptr || value->IsNil()) return HighWatermark();
  if (value->IsInteger()) {
    DC_ASSIGN_OR_RAISE(int64_t position, value->GetInt(path));
    return HighWatermark(position);
  }
  const MsgMap* sources = value->AsMap();
  if (sources == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", path,
                     " to be an int or a map but found ", value->TypeName());
  }
  std::vector<SourceHighWatermark> out;
  out.reserve(sources->size());
  for (const auto& [canonical, entry] : *sources) {
    std::string entry_path = JoinPath(path, canonical);
    const MsgArray* pair = entry.AsArray();
    if (pair == nullptr || pair->size() != 2) {
      return MakeError(ErrorCode::kCorruptMetadata, "expected ", entry_path,
                       " to be a [partitionLocator, streamPosition] array");
    }
    SourceHighWatermark source;
    source.canonical_string = canonical;
    DC_ASSIGN_OR_RAISE(source.partition_locator,
                       DecodePartitionLocator((*pair)[0], IndexPath(entry_path, 0)));
    DC_ASSIGN_OR_RAISE(source.stream_position, (*pair)[1].GetInt(IndexPath(entry_path, 1)));
    out.push_back(std::move(source));
  }
  return HighWatermark(std::move(out));
}

MsgValue EncodeHighWatermark(const HighWatermark& watermark) {
  if (const auto* position = std::get_if<int64_t>(&watermark)) return MsgValue::Int(*position);
  if (const auto* sources = std::get_if<std::vector<SourceHighWatermark>>(&watermark)) {
    MsgValue out = MsgValue::Map();
    for (const SourceHighWatermark& source : *sources) {
      out.Set(source.canonical_string,
              MsgValue::Array({EncodePartitionLocator(source.partition_locator),
                               MsgValue::Int(source.stream_position)}));
    }
    return out;
  }
  return MsgValue::Nil();
}

Result<std::optional<std::vector<HashBucketEntryRange>>> DecodeEntryRanges(
    const MsgValue* value, const std::string& path) {
  using Out = std::optional<std::vector<HashBucketEntryRange>>;
  if (value == nullptr || value->IsNil()) return Out();
  const MsgMap* ranges = value->AsMap();
  if (ranges == nullptr) {
    return MakeError(ErrorCode::kCorruptMetadata, "expected ", path, " to be a map but found ",
                     value->TypeName());
  }
  std::vector<HashBucketEntryRange> out;
  out.reserve(ranges->size());
  for (const auto& [bucket, range] : *ranges) {
    HashBucketEntryRange entry;
    DC_ASSIGN_OR_RAISE(entry.hash_bucket, ParseDecimal(bucket, path));
    DC_ASSIGN_OR_RAISE(auto start_end, DecodeIntPair(range, JoinPath(path, bucket)));
    entry.start = start_end.first;
    entry.end = start_end.second;
    out.push_back(entry);
  }
  return Out(std::move(out));
}

MsgValue EncodeEntryRanges(const std::vector<HashBucketEntryRange>& ranges) {
  MsgValue out = MsgValue::Map();
  for (const HashBucketEntryRange& range : ranges) {
    out.Set(std::to_string(range.hash_bucket),
            MsgValue::Array({MsgValue::Int(range.start), MsgValue::Int(range.end)}));
  }
  return out;
}

}  // namespace

Result<RoundCompletionInfo> DecodeRoundCompletionInfo(const MsgValue& value,
                                                      std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  RoundCompletionInfo out;
  DC_ASSIGN_OR_RAISE(out.high_watermark, DecodeHighWatermark(reader.Take("highWatermark"),
                                                             reader.PathOf("highWatermark")));
  DC_ASSIGN_OR_RAISE(out.compacted_delta_locator,
                     reader.Nested("compactedDeltaLocator", DecodeDeltaLocator));
  DC_ASSIGN_OR_RAISE(out.compacted_pyarrow_write_result,
                     reader.Nested("compactedPyarrowWriteResult", DecodePyArrowWriteResult));
  DC_ASSIGN_OR_RAISE(out.sort_keys_bit_width, reader.Int("sortKeysBitWidth"));
  DC_ASSIGN_OR_RAISE(out.rebase_source_partition_locator,
                     reader.Nested("rebaseSourcePartitionLocator", DecodePartitionLocator));
  DC_ASSIGN_OR_RAISE(out.manifest_entry_copied_by_reference_ratio,
                     reader.Double("manifestEntryCopiedByReferenceRatio"));
  DC_ASSIGN_OR_RAISE(out.compaction_audit_url, reader.String("compactionAuditUrl"));
  DC_ASSIGN_OR_RAISE(out.hash_bucket_count, reader.Int("hashBucketCount"));
  DC_ASSIGN_OR_RAISE(
      out.hb_index_to_entry_range,
      DecodeEntryRanges(reader.Take("hbIndexToEntryRange"), reader.PathOf("hbIndexToEntryRange")));
  DC_ASSIGN_OR_RAISE(out.compactor_version, reader.Enum<CompactorVersion>("compactorVersion"));
  DC_ASSIGN_OR_RAISE(out.input_inflation, reader.Double("inputInflation"));
  DC_ASSIGN_OR_RAISE(out.input_average_record_size_bytes,
                     reader.Double("inputAverageRecordSizeBytes"));
  DC_ASSIGN_OR_RAISE(out.prev_source_partition_locator,
                     reader.Nested("prevSourcePartitionLocator", DecodePartitionLocator));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeRoundCompletionInfo(const RoundCompletionInfo& info) {
  // The order of Python's RoundCompletionInfo.of.
  MapWriter w;
  w.Put("highWatermark", EncodeHighWatermark(info.high_watermark));
  w.PutNullable("compactedDeltaLocator", info.compacted_delta_locator, EncodeDeltaLocator);
  w.PutNullable("compactedPyarrowWriteResult", info.compacted_pyarrow_write_result,
                EncodePyArrowWriteResult);
  w.PutNullable("sortKeysBitWidth", info.sort_keys_bit_width, kToMsg);
  w.PutNullable("rebaseSourcePartitionLocator", info.rebase_source_partition_locator,
                EncodePartitionLocator);
  w.PutNullable("manifestEntryCopiedByReferenceRatio",
                info.manifest_entry_copied_by_reference_ratio, kToMsg);
  w.PutNullable("compactionAuditUrl", info.compaction_audit_url, kToMsg);
  w.PutNullable("hashBucketCount", info.hash_bucket_count, kToMsg);
  w.PutNullable("hbIndexToEntryRange", info.hb_index_to_entry_range, EncodeEntryRanges);
  w.PutNullable("compactorVersion", info.compactor_version, kToMsg);
  w.PutNullable("inputInflation", info.input_inflation, kToMsg);
  w.PutNullable("inputAverageRecordSizeBytes", info.input_average_record_size_bytes, kToMsg);
  w.PutNullable("prevSourcePartitionLocator", info.prev_source_partition_locator,
                EncodePartitionLocator);
  return std::move(w).Finish(info.extras);
}

}  // namespace deltacat::storage
