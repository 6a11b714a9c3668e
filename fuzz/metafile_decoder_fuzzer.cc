// Fuzzes the metafile revision decoder (the bytes of any `rev/*.mpk` file) and the manifest
// codec: any input gives a Status, never a crash, and whatever decodes re-encodes to bytes that
// decode to the same metafile.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "deltacat/storage/codec/manifest_codec.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/msgpack_value.h"

using namespace deltacat::storage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto metafile = DeserializeMetafileRevision(bytes);
  if (metafile.ok()) {
    const std::string again = SerializeMetafileRevision(*metafile);
    auto reread = DeserializeMetafileRevision(again);
    if (!reread.ok() || SerializeMetafileRevision(*reread) != again) std::abort();
  }
  auto value = DecodeMsgpack(bytes);
  if (value.ok()) {
    (void)ToJsonForDebug(*value);
    if (DecodeMsgpack(EncodeMsgpack(*value)).status().code() != deltacat::ErrorCode::kOk) {
      std::abort();
    }
    (void)DecodeManifest(*value);
    (void)DecodeManifestEntry(*value);
  }
  return 0;
}
