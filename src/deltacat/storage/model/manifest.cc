#include "deltacat/storage/model/manifest.h"

#include <algorithm>
#include <set>

namespace deltacat::storage {

const std::string& ManifestEntry::Location() const {
  static const std::string kEmpty;
  if (url && !url->empty()) return *url;
  if (uri && !uri->empty()) return *uri;
  return kEmpty;
}

Result<Manifest> Manifest::Of(std::string id, std::vector<ManifestEntry> entries,
                              std::optional<ManifestAuthor> author,
                              std::optional<EntryType> entry_type,
                              std::optional<EntryParams> entry_params) {
  static const ManifestMeta kNoMeta;
  auto meta_of = [](const ManifestEntry& entry) -> const ManifestMeta& {
    return entry.meta ? *entry.meta : kNoMeta;
  };

  ManifestMeta meta;
  int64_t records = 0;
  int64_t content_length = 0;
  int64_t source_content_length = 0;
  if (!entries.empty()) {
    const ManifestMeta& first = meta_of(entries.front());
    meta.content_type = first.content_type;
    meta.content_encoding = first.content_encoding;
    meta.credentials = first.credentials;
    meta.content_type_parameters = first.content_type_parameters;

    // Schema IDs only grow with evolution: the manifest records the newest.
    int64_t max_schema_id = -1;
    std::set<std::string> sort_scheme_ids;
    for (const ManifestEntry& entry : entries) {
      const ManifestMeta& m = meta_of(entry);
      max_schema_id = std::max(max_schema_id, m.schema_id.value_or(-1));
      if (m.sort_scheme_id) sort_scheme_ids.insert(*m.sort_scheme_id);
    }
    if (max_schema_id >= 0) meta.schema_id = max_schema_id;
    if (sort_scheme_ids.size() == 1) meta.sort_scheme_id = *sort_scheme_ids.begin();

    for (size_t i = 0; i < entries.size(); ++i) {
      const ManifestMeta& m = meta_of(entries[i]);
      if (m.content_type != meta.content_type) meta.content_type.reset();
      if (m.content_encoding != meta.content_encoding) meta.content_encoding.reset();
      if (entry_type && !(m.entry_type && m.entry_type->is(*entry_type))) {
        return MakeError(ErrorCode::kInvalidArgument, "manifest entry ", i, " has entry type '",
                         m.entry_type ? m.entry_type->str() : "None", "' but expected '",
                         OpenEnum<EntryType>::CanonicalString(*entry_type), "'");
      }
      if (entry_params && m.entry_params != entry_params) {
        return MakeError(ErrorCode::kInvalidArgument, "manifest entry ", i,
                         " has different entry params than the manifest");
      }
      if (meta.credentials && m.credentials != meta.credentials) {
        return MakeError(ErrorCode::kInvalidArgument, "manifest entry ", i,
                         " has different credentials than the first entry");
      }
      if (meta.content_type_parameters &&
          m.content_type_parameters != meta.content_type_parameters) {
        return MakeError(ErrorCode::kInvalidArgument, "manifest entry ", i,
                         " has different content type parameters than the first entry");
      }
      records += m.record_count.value_or(0);
      content_length += m.content_length.value_or(0);
      source_content_length += m.source_content_length.value_or(0);
    }
  }
  meta.record_count = records;
  meta.content_length = content_length;
  meta.source_content_length = source_content_length;
  if (entry_type) meta.entry_type = *entry_type;
  meta.entry_params = std::move(entry_params);

  Manifest manifest;
  manifest.id = std::move(id);
  manifest.meta = std::move(meta);
  manifest.entries = std::move(entries);
  manifest.author = std::move(author);
  return manifest;
}

}  // namespace deltacat::storage
