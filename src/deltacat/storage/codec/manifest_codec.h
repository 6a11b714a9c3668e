#pragma once

#include <string_view>

#include "deltacat/result.h"
#include "deltacat/storage/model/manifest.h"
#include "deltacat/storage/msgpack_value.h"

// msgpack codecs of manifests. Python writes these keys only when they are set, so the
// encoders leave out unset keys instead of writing nil.

namespace deltacat::storage {

Result<EntryParams> DecodeEntryParams(const MsgValue& value,
                                      std::string_view path = "entry_params");
MsgValue EncodeEntryParams(const EntryParams& params);

Result<ManifestMeta> DecodeManifestMeta(const MsgValue& value, std::string_view path = "meta");
MsgValue EncodeManifestMeta(const ManifestMeta& meta);

Result<ManifestEntry> DecodeManifestEntry(const MsgValue& value, std::string_view path = "entry");
MsgValue EncodeManifestEntry(const ManifestEntry& entry);

Result<ManifestAuthor> DecodeManifestAuthor(const MsgValue& value,
                                            std::string_view path = "author");
MsgValue EncodeManifestAuthor(const ManifestAuthor& author);

/// The manifest `id` is required.
Result<Manifest> DecodeManifest(const MsgValue& value, std::string_view path = "manifest");
MsgValue EncodeManifest(const Manifest& manifest);

}  // namespace deltacat::storage
