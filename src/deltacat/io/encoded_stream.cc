#include "deltacat/io/encoded_stream.h"

#include <array>

#include <arrow/buffer.h>
#include <arrow/io/compressed.h>
#include <arrow/io/memory.h>

namespace deltacat::io {
namespace {

/// Decompression is stateless per codec object (each stream makes its own decompressor), so
/// one codec per encoding serves every reader.
Result<arrow::util::Codec*> SharedDecodingCodec(ContentEncoding encoding) {
  static const auto codecs = [] {
    std::array<std::shared_ptr<arrow::util::Codec>, 6> out;
    for (auto encoding : {ContentEncoding::kGzip, ContentEncoding::kDeflate, ContentEncoding::kZstd,
                          ContentEncoding::kBzip2}) {
      auto codec = MakeEncodingCodec(encoding, std::nullopt);
      if (codec.ok()) out[static_cast<size_t>(encoding)] = std::move(*codec);
    }
    return out;
  }();
  const auto& codec = codecs[static_cast<size_t>(encoding)];
  if (!codec) {
    // Report why (e.g. snappy, or a codec missing from this Arrow build).
    auto why = MakeEncodingCodec(encoding, std::nullopt);
    if (!why.ok()) return why.status();
    return MakeError(ErrorCode::kNotImplemented, "content encoding '",
                     ContentEncodingString(encoding), "' is not available");
  }
  return codec.get();
}

}  // namespace

Result<std::unique_ptr<arrow::util::Codec>> MakeEncodingCodec(ContentEncoding encoding,
                                                              std::optional<int> level) {
  arrow::Compression::type compression = arrow::Compression::UNCOMPRESSED;
  arrow::util::GZipCodecOptions gzip_options;
  switch (encoding) {
    case ContentEncoding::kIdentity: return std::unique_ptr<arrow::util::Codec>();
    case ContentEncoding::kGzip:
      compression = arrow::Compression::GZIP;
      gzip_options.gzip_format = arrow::util::GZipFormat::GZIP;
      break;
    case ContentEncoding::kDeflate:
      // HTTP "deflate" is the zlib format (RFC 1950), which Python's ".zz" files hold too.
      compression = arrow::Compression::GZIP;
      gzip_options.gzip_format = arrow::util::GZipFormat::ZLIB;
      break;
    case ContentEncoding::kZstd: compression = arrow::Compression::ZSTD; break;
    case ContentEncoding::kBzip2: compression = arrow::Compression::BZ2; break;
    case ContentEncoding::kSnappy:
      return MakeError(ErrorCode::kNotImplemented,
                       "content encoding 'snappy' has no streaming (framed) codec in Arrow; "
                       "Python DeltaCAT cannot read or write it either");
  }
  if (!arrow::util::Codec::IsAvailable(compression)) {
    return MakeError(ErrorCode::kNotImplemented, "content encoding '",
                     ContentEncodingString(encoding), "' is not available in this Arrow build");
  }
  arrow::Result<std::unique_ptr<arrow::util::Codec>> codec;
  if (compression == arrow::Compression::GZIP) {
    if (level) gzip_options.compression_level = *level;
    codec = arrow::util::Codec::Create(compression, gzip_options);
  } else if (level) {
    codec = arrow::util::Codec::Create(compression, *level);
  } else {
    codec = arrow::util::Codec::Create(compression);
  }
  if (!codec.ok()) {
    return MakeError(ErrorCode::kInvalidArgument, "cannot create a ",
                     ContentEncodingString(encoding), " codec: ", codec.status().message());
  }
  return std::move(codec).MoveValueUnsafe();
}

Result<std::shared_ptr<arrow::io::InputStream>> DecodeInputStream(
    std::shared_ptr<arrow::io::InputStream> raw, ContentEncoding encoding,
    arrow::MemoryPool* pool) {
  if (encoding == ContentEncoding::kIdentity) return raw;
  DC_ASSIGN_OR_RAISE(arrow::util::Codec * codec, SharedDecodingCodec(encoding));
  DC_ASSIGN_OR_RAISE(auto decoded, arrow::io::CompressedInputStream::Make(codec, raw, pool));
  return std::shared_ptr<arrow::io::InputStream>(std::move(decoded));
}

Result<std::shared_ptr<arrow::Buffer>> DecodeToBuffer(std::shared_ptr<arrow::io::InputStream> raw,
                                                      ContentEncoding encoding, int64_t max_bytes,
                                                      arrow::MemoryPool* pool) {
  DC_ASSIGN_OR_RAISE(auto decoded, DecodeInputStream(std::move(raw), encoding, pool));
  DC_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create(1 << 20, pool));
  constexpr int64_t kChunk = 1 << 20;
  while (true) {
    DC_ASSIGN_OR_RAISE(auto chunk, decoded->Read(kChunk));
    if (chunk->size() == 0) break;
    DC_ASSIGN_OR_RAISE(int64_t position, sink->Tell());
    if (position + chunk->size() > max_bytes) {
      return MakeError(ErrorCode::kOutOfMemory, "decoded content exceeds the limit of ", max_bytes,
                       " bytes");
    }
    DC_RETURN_NOT_OK(sink->Write(chunk));
  }
  return FromArrowResult(sink->Finish());
}

}  // namespace deltacat::io
