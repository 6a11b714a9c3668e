#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/field_locator.h"
#include "deltacat/storage/model/map_extras.h"

// Manifests are stored inline in each delta metafile (deltacat/storage/model/manifest.py).
// Unlike the metafiles, these structures omit null keys instead of writing nil.

namespace deltacat::storage {

/// Parameters of a manifest entry: `{equality_field_locators?}`.
struct EntryParams {
  /// `equality_field_locators`: the key columns of an equality delete.
  std::optional<std::vector<FieldLocator>> equality_field_locators;
  MapExtras extras;
  bool operator==(const EntryParams&) const = default;
};

/// Metadata of one manifest entry or of a whole manifest (then sums and shared values).
/// Every key is written only when set, in this order.
struct ManifestMeta {
  std::optional<int64_t> record_count;           ///< `record_count`
  std::optional<int64_t> content_length;         ///< `content_length`: bytes on disk
  std::optional<int64_t> source_content_length;  ///< `source_content_length`: Arrow bytes
  /// `content_type`: a ContentType MIME string (see deltacat/content_type.h).
  std::optional<std::string> content_type;
  /// `content_type_parameters`: a list of str->str maps, kept as read.
  std::optional<MsgValue> content_type_parameters;
  /// `content_encoding`: a ContentEncoding string ("identity", "gzip", ...).
  std::optional<std::string> content_encoding;
  std::optional<MsgValue> credentials;            ///< `credentials`: a str->str map, kept as read
  std::optional<OpenEnum<EntryType>> entry_type;  ///< `entry_type`
  std::optional<EntryParams> entry_params;        ///< `entry_params`
  std::optional<int64_t> schema_id;               ///< `schema_id`
  std::optional<std::string> sort_scheme_id;      ///< `sort_scheme_id`
  MapExtras extras;
  bool operator==(const ManifestMeta&) const = default;
};

/// One data file of a delta: `{url|uri, meta?, mandatory, id?}`.
struct ManifestEntry {
  /// `url`: relative to the catalog root for files DeltaCAT wrote; absolute or a URI
  /// otherwise (see §3.11 of the format spec for resolution).
  std::optional<std::string> url;
  std::optional<std::string> uri;        ///< `uri`: an alias Python accepts in place of `url`
  std::optional<ManifestMeta> meta;      ///< `meta`
  std::optional<bool> mandatory = true;  ///< `mandatory` (Python always writes true)
  std::optional<std::string> id;         ///< `id`
  MapExtras extras;
  bool operator==(const ManifestEntry&) const = default;

  /// The file location: `url`, or else `uri` (empty if neither is set).
  const std::string& Location() const;
};

/// Who wrote a manifest: `{name?, version?}`.
struct ManifestAuthor {
  std::optional<std::string> name;     ///< `name`
  std::optional<std::string> version;  ///< `version`
  MapExtras extras;
  bool operator==(const ManifestAuthor&) const = default;
};

/// A delta's manifest: `{id, meta?, entries?, author?}`.
struct Manifest {
  std::string id;                                     ///< `id` (required): a UUID4
  std::optional<ManifestMeta> meta;                   ///< `meta`
  std::optional<std::vector<ManifestEntry>> entries;  ///< `entries`
  std::optional<ManifestAuthor> author;               ///< `author`
  MapExtras extras;
  bool operator==(const Manifest&) const = default;

  /// Builds a manifest as Python's `Manifest.of` does: the manifest-level meta sums record
  /// counts and lengths (missing ones count 0), keeps content type, encoding, credentials
  /// and content-type parameters of the first entry when every entry shares them, takes the
  /// highest schema ID, and the sort scheme ID when all entries that have one agree.
  /// `entry_type` / `entry_params` are recorded at manifest level as given. Like Python, fails
  /// (kInvalidArgument) when an entry's type, params, credentials or content-type parameters
  /// differ from the given/first ones.
  static Result<Manifest> Of(std::string id, std::vector<ManifestEntry> entries,
                             std::optional<ManifestAuthor> author = std::nullopt,
                             std::optional<EntryType> entry_type = std::nullopt,
                             std::optional<EntryParams> entry_params = std::nullopt);
};

}  // namespace deltacat::storage
