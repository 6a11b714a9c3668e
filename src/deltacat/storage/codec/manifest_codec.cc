#include "deltacat/storage/codec/manifest_codec.h"

#include "deltacat/storage/codec/map_codec.h"
#include "deltacat/storage/codec/scheme_codec.h"

namespace deltacat::storage {

using codec::kToMsg;
using codec::MapReader;
using codec::MapWriter;

namespace {
std::optional<MsgValue> NonNil(MsgValue value) {
  if (value.IsNil()) return std::nullopt;
  return value;
}
}  // namespace

Result<EntryParams> DecodeEntryParams(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  EntryParams out;
  DC_ASSIGN_OR_RAISE(out.equality_field_locators,
                     reader.Nested("equality_field_locators", DecodeFieldLocators));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeEntryParams(const EntryParams& params) {
  MapWriter w;
  w.PutIfSet("equality_field_locators", params.equality_field_locators, EncodeFieldLocators);
  return std::move(w).Finish(params.extras);
}

Result<ManifestMeta> DecodeManifestMeta(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  ManifestMeta out;
  DC_ASSIGN_OR_RAISE(out.record_count, reader.Int("record_count"));
  DC_ASSIGN_OR_RAISE(out.content_length, reader.Int("content_length"));
  DC_ASSIGN_OR_RAISE(out.source_content_length, reader.Int("source_content_length"));
  DC_ASSIGN_OR_RAISE(out.content_type, reader.String("content_type"));
  out.content_type_parameters = NonNil(reader.Raw("content_type_parameters"));
  DC_ASSIGN_OR_RAISE(out.content_encoding, reader.String("content_encoding"));
  out.credentials = NonNil(reader.Raw("credentials"));
  DC_ASSIGN_OR_RAISE(out.entry_type, reader.Enum<EntryType>("entry_type"));
  DC_ASSIGN_OR_RAISE(out.entry_params, reader.Nested("entry_params", DecodeEntryParams));
  DC_ASSIGN_OR_RAISE(out.schema_id, reader.Int("schema_id"));
  DC_ASSIGN_OR_RAISE(out.sort_scheme_id, reader.String("sort_scheme_id"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeManifestMeta(const ManifestMeta& meta) {
  // The order of Python's ManifestMeta.of.
  MapWriter w;
  w.PutIfSet("record_count", meta.record_count, kToMsg);
  w.PutIfSet("content_length", meta.content_length, kToMsg);
  w.PutIfSet("source_content_length", meta.source_content_length, kToMsg);
  w.PutIfSet("content_type", meta.content_type, kToMsg);
  w.PutIfSet("content_type_parameters", meta.content_type_parameters, kToMsg);
  w.PutIfSet("content_encoding", meta.content_encoding, kToMsg);
  w.PutIfSet("credentials", meta.credentials, kToMsg);
  w.PutIfSet("entry_type", meta.entry_type, kToMsg);
  w.PutIfSet("entry_params", meta.entry_params, EncodeEntryParams);
  w.PutIfSet("schema_id", meta.schema_id, kToMsg);
  w.PutIfSet("sort_scheme_id", meta.sort_scheme_id, kToMsg);
  return std::move(w).Finish(meta.extras);
}

Result<ManifestEntry> DecodeManifestEntry(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  ManifestEntry out;
  DC_ASSIGN_OR_RAISE(out.url, reader.String("url"));
  DC_ASSIGN_OR_RAISE(out.uri, reader.String("uri"));
  DC_ASSIGN_OR_RAISE(out.meta, reader.Nested("meta", DecodeManifestMeta));
  DC_ASSIGN_OR_RAISE(out.mandatory, reader.Bool("mandatory"));
  DC_ASSIGN_OR_RAISE(out.id, reader.String("id"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeManifestEntry(const ManifestEntry& entry) {
  MapWriter w;
  w.PutIfSet("url", entry.url, kToMsg);
  w.PutIfSet("uri", entry.uri, kToMsg);
  w.PutIfSet("meta", entry.meta, EncodeManifestMeta);
  w.PutIfSet("mandatory", entry.mandatory, kToMsg);
  w.PutIfSet("id", entry.id, kToMsg);
  return std::move(w).Finish(entry.extras);
}

Result<ManifestAuthor> DecodeManifestAuthor(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  ManifestAuthor out;
  DC_ASSIGN_OR_RAISE(out.name, reader.String("name"));
  DC_ASSIGN_OR_RAISE(out.version, reader.String("version"));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeManifestAuthor(const ManifestAuthor& author) {
  MapWriter w;
  w.PutIfSet("name", author.name, kToMsg);
  w.PutIfSet("version", author.version, kToMsg);
  return std::move(w).Finish(author.extras);
}

Result<Manifest> DecodeManifest(const MsgValue& value, std::string_view path) {
  DC_ASSIGN_OR_RAISE(MapReader reader, MapReader::Open(value, std::string(path)));
  Manifest out;
  DC_ASSIGN_OR_RAISE(out.id, reader.RequiredString("id"));
  DC_ASSIGN_OR_RAISE(out.meta, reader.Nested("meta", DecodeManifestMeta));
  DC_ASSIGN_OR_RAISE(out.entries, reader.NestedList("entries", DecodeManifestEntry));
  DC_ASSIGN_OR_RAISE(out.author, reader.Nested("author", DecodeManifestAuthor));
  out.extras = reader.Finish();
  return out;
}

MsgValue EncodeManifest(const Manifest& manifest) {
  MapWriter w;
  w.Put("id", MsgValue::String(manifest.id));
  w.PutIfSet("meta", manifest.meta, EncodeManifestMeta);
  w.PutIfSet("entries", manifest.entries, [](const std::vector<ManifestEntry>& entries) {
    MsgArray items;
    items.reserve(entries.size());
    for (const ManifestEntry& entry : entries) items.push_back(EncodeManifestEntry(entry));
    return MsgValue::Array(std::move(items));
  });
  w.PutIfSet("author", manifest.author, EncodeManifestAuthor);
  return std::move(w).Finish(manifest.extras);
}

}  // namespace deltacat::storage
