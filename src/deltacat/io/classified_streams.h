#pragma once

#include <memory>
#include <string>

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>
#include <arrow/result.h>
#include <arrow/status.h>

namespace deltacat::io {

/// Forwards to a file opened on a FileSystem and gives its errors DeltaCAT kinds (fs layer's
/// FileSystemError: not found, transient such as S3 throttling, other I/O), carried through
/// Arrow with ToArrowStatus so that format readers pass them up unchanged and callers can
/// retry kTransientIOError.
class ClassifiedInputFile : public arrow::io::RandomAccessFile {
 public:
  ClassifiedInputFile(std::shared_ptr<arrow::io::RandomAccessFile> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)) {}

  arrow::Status Close() override { return Classify(file_->Close()); }
  arrow::Status Abort() override { return Classify(file_->Abort()); }
  arrow::Result<int64_t> Tell() const override { return Classify(file_->Tell()); }
  bool closed() const override { return file_->closed(); }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return Classify(file_->Read(nbytes, out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    return Classify(file_->Read(nbytes));
  }
  arrow::Status Seek(int64_t position) override { return Classify(file_->Seek(position)); }
  arrow::Result<int64_t> GetSize() override { return Classify(file_->GetSize()); }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    return Classify(file_->ReadAt(position, nbytes, out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position, int64_t nbytes) override {
    return Classify(file_->ReadAt(position, nbytes));
  }
  bool supports_zero_copy() const override { return file_->supports_zero_copy(); }
  const arrow::io::IOContext& io_context() const override { return file_->io_context(); }

 private:
  arrow::Status Classify(const arrow::Status& status) const;
  template <typename T>
  arrow::Result<T> Classify(arrow::Result<T> result) const {
    if (result.ok()) return result;
    return Classify(result.status());
  }

  std::shared_ptr<arrow::io::RandomAccessFile> file_;
  std::string path_;
};

/// ClassifiedInputFile for sequential streams.
class ClassifiedInputStream : public arrow::io::InputStream {
 public:
  ClassifiedInputStream(std::shared_ptr<arrow::io::InputStream> stream, std::string path)
      : stream_(std::move(stream)), path_(std::move(path)) {}

  arrow::Status Close() override { return Classify(stream_->Close()); }
  arrow::Status Abort() override { return Classify(stream_->Abort()); }
  arrow::Result<int64_t> Tell() const override { return Classify(stream_->Tell()); }
  bool closed() const override { return stream_->closed(); }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return Classify(stream_->Read(nbytes, out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    return Classify(stream_->Read(nbytes));
  }
  bool supports_zero_copy() const override { return stream_->supports_zero_copy(); }
  const arrow::io::IOContext& io_context() const override { return stream_->io_context(); }

 private:
  arrow::Status Classify(const arrow::Status& status) const;
  template <typename T>
  arrow::Result<T> Classify(arrow::Result<T> result) const {
    if (result.ok()) return result;
    return Classify(result.status());
  }

  std::shared_ptr<arrow::io::InputStream> stream_;
  std::string path_;
};

/// Forwards writes to a file opened on a FileSystem, counts the bytes that reached it (so
/// the size of a file is known on close without asking the filesystem), and classifies its
/// errors like ClassifiedInputFile.
class CountingOutputStream : public arrow::io::OutputStream {
 public:
  CountingOutputStream(std::shared_ptr<arrow::io::OutputStream> sink, std::string path)
      : sink_(std::move(sink)), path_(std::move(path)) {}

  /// Bytes written so far.
  int64_t bytes_written() const { return bytes_written_; }
  /// The first storage error seen (classified), or OK. Format libraries that turn stream
  /// errors into exceptions lose their kind; the writer reports this one instead.
  const arrow::Status& storage_error() const { return storage_error_; }

  arrow::Status Write(const void* data, int64_t nbytes) override;
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override;
  arrow::Status Flush() override { return Classify(sink_->Flush()); }
  arrow::Status Close() override { return Classify(sink_->Close()); }
  arrow::Status Abort() override { return sink_->Abort(); }
  arrow::Result<int64_t> Tell() const override { return bytes_written_; }
  bool closed() const override { return sink_->closed(); }

 private:
  arrow::Status Classify(const arrow::Status& status);

  std::shared_ptr<arrow::io::OutputStream> sink_;
  std::string path_;
  int64_t bytes_written_ = 0;
  arrow::Status storage_error_;
};

}  // namespace deltacat::io
