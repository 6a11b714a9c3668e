#include "deltacat/io/data_file_writer.h"

#include <exception>
#include <utility>

#include <arrow/io/compressed.h>
#include <arrow/table.h>
#include <arrow/util/byte_size.h>

#include "deltacat/fs/filesystem_error.h"
#include "deltacat/io/classified_streams.h"
#include "deltacat/io/encoded_stream.h"
#include "deltacat/io/format_types.h"
#include "deltacat/io/format_writer.h"

namespace deltacat::io {
namespace {

std::string ParentOf(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos || slash == 0 ? std::string() : path.substr(0, slash);
}

/// Opens `path` for writing, creating missing parent directories where the filesystem has
/// directories. Object stores never fail for a missing "directory", so they never get
/// directory marker objects from us.
Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(arrow::fs::FileSystem& fs,
                                                            const std::string& path) {
  auto stream = fs.OpenOutputStream(path);
  if (stream.ok()) return std::move(stream).MoveValueUnsafe();
  const std::string parent = ParentOf(path);
  if (!parent.empty()) {
    auto info = fs.GetFileInfo(parent);
    if (info.ok() && info->type() == arrow::fs::FileType::NotFound &&
        fs.CreateDir(parent, /*recursive=*/true).ok()) {
      stream = fs.OpenOutputStream(path);
      if (stream.ok()) return std::move(stream).MoveValueUnsafe();
    }
  }
  return FileSystemError(stream.status(), "cannot create data file", path);
}

/// Arrow's "invalid" while encoding means the data does not fit the format (e.g. a tab
/// inside an unescaped TSV value).
Status ClassifyWriteError(const Status& status) {
  if (status.code() == ErrorCode::kInvalidArgument || status.code() == ErrorCode::kNotImplemented) {
    return Status(ErrorCode::kContentTypeValidation, status.message());
  }
  return status;
}

/// The ORC library reports failures of the stream under it by throwing.
Status ThirdPartyException(const std::exception& e) {
  return MakeError(ErrorCode::kIOError, "exception from the format library: ", e.what());
}

}  // namespace

std::shared_ptr<arrow::fs::FileSystem> BorrowFileSystem(arrow::fs::FileSystem& fs) {
  // Aliasing constructor with an empty owner: a non-owning pointer.
  return std::shared_ptr<arrow::fs::FileSystem>(std::shared_ptr<arrow::fs::FileSystem>(), &fs);
}

Result<std::unique_ptr<DataFileWriter>> DataFileWriter::Open(
    std::shared_ptr<arrow::fs::FileSystem> fs, std::string path,
    std::shared_ptr<arrow::Schema> schema, ContentType content_type, const WriteOptions& options) {
  if (!fs || !schema) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "DataFileWriter::Open needs a filesystem and a "
                     "schema");
  }
  DC_RETURN_NOT_OK(CheckContentTypeCanStore(content_type, *schema)
                       .WithContext("cannot write data file '" + path + "'"));
  std::unique_ptr<DataFileWriter> writer(new DataFileWriter());
  writer->fs_ = std::move(fs);
  writer->path_ = std::move(path);
  writer->schema_ = std::move(schema);
  writer->content_type_ = content_type;
  writer->content_encoding_ = options.content_encoding.value_or(DefaultEncodingFor(content_type));
  writer->options_ = options;
  if (writer->options_.pool == nullptr) writer->options_.pool = arrow::default_memory_pool();
  arrow::MemoryPool* pool = writer->options_.pool;

  DC_ASSIGN_OR_RAISE(writer->codec_,
                     MakeEncodingCodec(writer->content_encoding_, options.content_encoding_level));
  DC_ASSIGN_OR_RAISE(auto raw, OpenOutput(*writer->fs_, writer->path_));
  writer->counting_ = std::make_shared<CountingOutputStream>(std::move(raw), writer->path_);
  writer->sink_ = writer->counting_;
  try {
    if (writer->codec_) {
      auto compressed =
          arrow::io::CompressedOutputStream::Make(writer->codec_.get(), writer->counting_, pool);
      if (!compressed.ok()) return writer->Fail(FromArrowStatus(compressed.status()));
      writer->sink_ = std::move(compressed).MoveValueUnsafe();
    }
    auto format_writer =
        MakeFormatWriter(content_type, writer->sink_, writer->schema_, writer->options_);
    if (!format_writer.ok()) return writer->Fail(ClassifyWriteError(format_writer.status()));
    writer->format_writer_ = std::move(format_writer).ValueOrDie();
  } catch (const std::exception& e) {
    return writer->Fail(ThirdPartyException(e));
  }
  if (options.collect_statistics) {
    writer->statistics_ = std::make_unique<ColumnStatisticsCollector>(writer->schema_);
  }
  return writer;
}

DataFileWriter::~DataFileWriter() { Abort(); }

Status DataFileWriter::Fail(const Status& status) {
  // The storage error itself, when the format library reported it in its own terms.
  const Status cause = counting_ && !counting_->storage_error().ok()
                           ? FromArrowStatus(counting_->storage_error())
                           : status;
  Abort();
  failure_ = cause.WithContext("cannot write data file '" + path_ + "' (" +
                               std::string(ContentTypeString(content_type_)) + ")");
  return failure_;
}

void DataFileWriter::Abort() {
  if (state_ != State::kOpen) return;
  state_ = State::kAborted;
  format_writer_.reset();
  if (sink_ && !sink_->closed()) (void)sink_->Abort();
  if (counting_ && !counting_->closed()) (void)counting_->Abort();
  // Whatever reached storage is garbage now; a missing file is fine.
  if (fs_) (void)fs_->DeleteFile(path_);
}

int64_t DataFileWriter::bytes_on_storage() const {
  return counting_ ? counting_->bytes_written() : 0;
}

Status DataFileWriter::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (state_ != State::kOpen) {
    return failure_.ok()
               ? MakeError(ErrorCode::kIllegalState, "data file '", path_, "' is already closed")
               : failure_;
  }
  if (!batch) return Fail(MakeError(ErrorCode::kInvalidArgument, "null record batch"));
  if (!batch->schema()->Equals(*schema_, /*check_metadata=*/false)) {
    return Fail(MakeError(ErrorCode::kSchemaValidation, "batch schema {",
                          batch->schema()->ToString(), "} differs from the file schema {",
                          schema_->ToString(), "}"));
  }
  try {
    if (statistics_) {
      if (Status status = statistics_->Update(*batch); !status.ok()) return Fail(status);
    }
    if (Status status = format_writer_->Write(batch); !status.ok()) {
      return Fail(ClassifyWriteError(status));
    }
    auto size = arrow::util::ReferencedBufferSize(*batch);
    if (!size.ok()) return Fail(FromArrowStatus(size.status()));
    source_bytes_written_ += *size;
    rows_written_ += batch->num_rows();
  } catch (const std::exception& e) {
    return Fail(ThirdPartyException(e));
  }
  return Status::OK();
}

Result<WrittenFile> DataFileWriter::Close() {
  if (state_ != State::kOpen) {
    return failure_.ok()
               ? MakeError(ErrorCode::kIllegalState, "data file '", path_, "' is already closed")
               : failure_;
  }
  try {
    if (Status status = format_writer_->Finish(); !status.ok()) {
      return Fail(ClassifyWriteError(status));
    }
    // Closing the encoding stream writes its trailer and closes the file under it.
    if (Status status = FromArrowStatus(sink_->Close()); !status.ok()) return Fail(status);
    if (!counting_->closed()) {
      if (Status status = FromArrowStatus(counting_->Close()); !status.ok()) return Fail(status);
    }
  } catch (const std::exception& e) {
    return Fail(ThirdPartyException(e));
  }
  state_ = State::kClosed;
  format_writer_.reset();
  WrittenFile file;
  file.path = path_;
  file.record_count = rows_written_;
  file.content_length = counting_->bytes_written();
  file.source_content_length = source_bytes_written_;
  file.content_type = content_type_;
  file.content_encoding = content_encoding_;
  if (statistics_) file.column_stats = statistics_->statistics();
  return file;
}

Result<WrittenFile> WriteDataFile(arrow::fs::FileSystem& fs, const std::string& path,
                                  const arrow::Table& table, ContentType content_type,
                                  const WriteOptions& options) {
  DC_ASSIGN_OR_RAISE(auto writer, DataFileWriter::Open(BorrowFileSystem(fs), path, table.schema(),
                                                       content_type, options));
  arrow::TableBatchReader batches(table);
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    if (auto status = batches.ReadNext(&batch); !status.ok()) {
      writer->Abort();
      return FromArrowStatus(status);
    }
    if (!batch) break;
    DC_RETURN_NOT_OK(writer->Write(batch));
  }
  DC_ASSIGN_OR_RAISE(WrittenFile file, writer->Close());
  // Python records pyarrow's Table.nbytes of the whole table; match it exactly.
  DC_ASSIGN_OR_RAISE(file.source_content_length, arrow::util::ReferencedBufferSize(table));
  return file;
}

Result<WrittenFile> WriteDataFile(arrow::fs::FileSystem& fs, const std::string& path,
                                  arrow::RecordBatchReader& reader, ContentType content_type,
                                  const WriteOptions& options) {
  DC_ASSIGN_OR_RAISE(auto writer, DataFileWriter::Open(BorrowFileSystem(fs), path, reader.schema(),
                                                       content_type, options));
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    if (auto status = reader.ReadNext(&batch); !status.ok()) {
      writer->Abort();
      return FromArrowStatus(status);
    }
    if (!batch) break;
    DC_RETURN_NOT_OK(writer->Write(batch));
  }
  return writer->Close();
}

}  // namespace deltacat::io
