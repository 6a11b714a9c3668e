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

/// Forwards writes to another stream and counts the bytes that reached it, so the size of a
/// file is known on close without asking the filesystem.
class CountingOutputStream : public arrow::io::OutputStream {
 public:
  explicit CountingOutputStream(std::shared_ptr<arrow::io::OutputStream> sink)
      : sink_(std::move(sink)) {}

  /// Bytes written so far.
  int64_t bytes_written() const { return bytes_written_; }

  arrow::Status Write(const void* data, int64_t nbytes) override;
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override;
  arrow::Status Flush() override { return sink_->Flush(); }
  arrow::Status Close() override { return sink_->Close(); }
  arrow::Status Abort() override { return sink_->Abort(); }
  arrow::Result<int64_t> Tell() const override { return bytes_written_; }
  bool closed() const override { return sink_->closed(); }

 private:
  std::shared_ptr<arrow::io::OutputStream> sink_;
  int64_t bytes_written_ = 0;
};

}  // namespace deltacat::io
