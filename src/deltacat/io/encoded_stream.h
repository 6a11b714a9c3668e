#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <arrow/io/interfaces.h>
#include <arrow/util/compression.h>

#include "deltacat/content_type.h"
#include "deltacat/result.h"

namespace deltacat::io {

/// A codec that (de)compresses `encoding` as a stream, or nullptr for identity. Gzip, bzip2,
/// zstd and deflate (zlib format, Python's ".zz") are supported; snappy has no streaming
/// format in Arrow and gives kNotImplemented. `level` nullopt = Arrow's default (the level
/// pyarrow, and therefore Python DeltaCAT, uses).
Result<std::unique_ptr<arrow::util::Codec>> MakeEncodingCodec(ContentEncoding encoding,
                                                              std::optional<int> level);

/// An input stream of the decoded bytes of `raw`; `raw` itself for identity.
Result<std::shared_ptr<arrow::io::InputStream>> DecodeInputStream(
    std::shared_ptr<arrow::io::InputStream> raw, ContentEncoding encoding, arrow::MemoryPool* pool);

/// Reads the decoded content of `raw` fully into memory (for formats that need random access
/// but were stored with a container encoding). More than `max_bytes` decoded bytes give
/// kOutOfMemory, so a compression bomb cannot exhaust memory.
Result<std::shared_ptr<arrow::Buffer>> DecodeToBuffer(std::shared_ptr<arrow::io::InputStream> raw,
                                                      ContentEncoding encoding, int64_t max_bytes,
                                                      arrow::MemoryPool* pool);

}  // namespace deltacat::io
