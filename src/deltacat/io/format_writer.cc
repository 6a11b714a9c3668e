#include "deltacat/io/format_writer.h"

#include <algorithm>

#include <arrow/adapters/orc/adapter.h>
#include <arrow/csv/writer.h>
#include <arrow/ipc/writer.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include "deltacat/io/json_lines_writer.h"

namespace deltacat::io {
namespace {

class ParquetFormatWriter : public FormatWriter {
 public:
  static Result<std::unique_ptr<FormatWriter>> Make(
      const std::shared_ptr<arrow::io::OutputStream>& sink,
      const std::shared_ptr<arrow::Schema>& schema, const WriteOptions& options) {
    parquet::WriterProperties::Builder properties;
    properties.compression(options.parquet_compression)
        ->max_row_group_length(options.parquet_row_group_rows)
        ->data_pagesize(options.parquet_data_page_bytes)
        ->dictionary_pagesize_limit(options.parquet_dictionary_page_bytes);
    if (options.parquet_compression_level) {
      properties.compression_level(*options.parquet_compression_level);
    }
    if (!options.parquet_dictionary) properties.disable_dictionary();
    // Like pyarrow: embed the Arrow schema (ARROW:schema) so that types Parquet lacks
    // (large_string, tz, durations, ...) come back exactly; PARQUET:field_id field metadata
    // becomes the Parquet field ids.
    parquet::ArrowWriterProperties::Builder arrow_properties;
    arrow_properties.store_schema();
    auto writer = std::unique_ptr<ParquetFormatWriter>(new ParquetFormatWriter(sink));
    DC_ASSIGN_OR_RAISE(writer->writer_, parquet::arrow::FileWriter::Open(*schema, options.pool,
                                                                         sink, properties.build(),
                                                                         arrow_properties.build()));
    return std::unique_ptr<FormatWriter>(std::move(writer));
  }

  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch) override {
    // Fills the current row group up to max_row_group_length before starting the next one.
    return FromArrowStatus(writer_->WriteRecordBatch(*batch));
  }
  Status Finish() override { return FromArrowStatus(writer_->Close()); }

 private:
  explicit ParquetFormatWriter(std::shared_ptr<arrow::io::OutputStream> sink)
      : sink_(std::move(sink)) {}
  std::shared_ptr<arrow::io::OutputStream> sink_;
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
};

/// Feather V2, i.e. the Arrow IPC file format, as pyarrow's write_feather produces it.
class FeatherFormatWriter : public FormatWriter {
 public:
  static Result<std::unique_ptr<FormatWriter>> Make(
      const std::shared_ptr<arrow::io::OutputStream>& sink,
      const std::shared_ptr<arrow::Schema>& schema, const WriteOptions& options) {
    auto ipc_options = arrow::ipc::IpcWriteOptions::Defaults();
    ipc_options.memory_pool = options.pool;
    if (options.feather_compression != arrow::Compression::UNCOMPRESSED) {
      DC_ASSIGN_OR_RAISE(ipc_options.codec,
                         arrow::util::Codec::Create(options.feather_compression));
    }
    auto writer = std::unique_ptr<FeatherFormatWriter>(
        new FeatherFormatWriter(sink, std::max<int64_t>(1, options.feather_chunk_rows)));
    DC_ASSIGN_OR_RAISE(writer->writer_, arrow::ipc::MakeFileWriter(sink, schema, ipc_options));
    return std::unique_ptr<FormatWriter>(std::move(writer));
  }

  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch) override {
    for (int64_t offset = 0; offset < batch->num_rows(); offset += chunk_rows_) {
      DC_RETURN_NOT_OK(writer_->WriteRecordBatch(*batch->Slice(offset, chunk_rows_)));
    }
    return Status::OK();
  }
  Status Finish() override { return FromArrowStatus(writer_->Close()); }

 private:
  FeatherFormatWriter(std::shared_ptr<arrow::io::OutputStream> sink, int64_t chunk_rows)
      : sink_(std::move(sink)), chunk_rows_(chunk_rows) {}
  std::shared_ptr<arrow::io::OutputStream> sink_;
  int64_t chunk_rows_;
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer_;
};

class OrcFormatWriter : public FormatWriter {
 public:
  static Result<std::unique_ptr<FormatWriter>> Make(
      const std::shared_ptr<arrow::io::OutputStream>& sink,
      const std::shared_ptr<arrow::Schema>& schema, const WriteOptions& options) {
    arrow::adapters::orc::WriteOptions orc_options;
    orc_options.compression = options.orc_compression;
    auto writer = std::unique_ptr<OrcFormatWriter>(new OrcFormatWriter(sink));
    DC_ASSIGN_OR_RAISE(writer->writer_,
                       arrow::adapters::orc::ORCFileWriter::Open(sink.get(), orc_options));
    // The ORC writer learns the schema from the first batch; an empty one records it even
    // when no rows follow.
    DC_ASSIGN_OR_RAISE(auto empty, arrow::RecordBatch::MakeEmpty(schema, options.pool));
    DC_RETURN_NOT_OK(writer->writer_->Write(*empty));
    return std::unique_ptr<FormatWriter>(std::move(writer));
  }

  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch) override {
    return FromArrowStatus(writer_->Write(*batch));
  }
  Status Finish() override { return FromArrowStatus(writer_->Close()); }

 private:
  explicit OrcFormatWriter(std::shared_ptr<arrow::io::OutputStream> sink)
      : sink_(std::move(sink)) {}
  std::shared_ptr<arrow::io::OutputStream> sink_;
  std::unique_ptr<arrow::adapters::orc::ORCFileWriter> writer_;
};

/// CSV, TSV, PSV and unescaped TSV with the options of Python's
/// `content_type_to_writer_kwargs`: no header, quoting only where needed (never for
/// unescaped TSV, where a value holding a tab or newline is an error).
class DelimitedTextFormatWriter : public FormatWriter {
 public:
  static Result<std::unique_ptr<FormatWriter>> Make(ContentType content_type,
                                                    std::shared_ptr<arrow::io::OutputStream> sink,
                                                    const std::shared_ptr<arrow::Schema>& schema,
                                                    const WriteOptions& options) {
    auto csv_options = arrow::csv::WriteOptions::Defaults();
    csv_options.include_header = false;
    csv_options.io_context = arrow::io::IOContext(options.pool);
    csv_options.quoting_style = arrow::csv::QuotingStyle::Needed;
    switch (content_type) {
      case ContentType::kCsv: csv_options.delimiter = ','; break;
      case ContentType::kPsv: csv_options.delimiter = '|'; break;
      case ContentType::kTsv: csv_options.delimiter = '\t'; break;
      default:
        csv_options.delimiter = '\t';
        csv_options.quoting_style = arrow::csv::QuotingStyle::None;
        break;
    }
    auto writer = std::unique_ptr<DelimitedTextFormatWriter>(new DelimitedTextFormatWriter());
    DC_ASSIGN_OR_RAISE(writer->writer_,
                       arrow::csv::MakeCSVWriter(std::move(sink), schema, csv_options));
    return std::unique_ptr<FormatWriter>(std::move(writer));
  }

  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch) override {
    return FromArrowStatus(writer_->WriteRecordBatch(*batch));
  }
  Status Finish() override { return FromArrowStatus(writer_->Close()); }

 private:
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer_;
};

class JsonFormatWriter : public FormatWriter {
 public:
  JsonFormatWriter(std::shared_ptr<arrow::io::OutputStream> sink,
                   const std::shared_ptr<arrow::Schema>& schema, arrow::MemoryPool* pool)
      : sink_(std::move(sink)), writer_(sink_.get(), schema, pool) {}

  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch) override {
    return writer_.Write(*batch);
  }
  Status Finish() override { return Status::OK(); }

 private:
  std::shared_ptr<arrow::io::OutputStream> sink_;
  JsonLinesWriter writer_;
};

}  // namespace

Result<std::unique_ptr<FormatWriter>> MakeFormatWriter(
    ContentType content_type, std::shared_ptr<arrow::io::OutputStream> sink,
    const std::shared_ptr<arrow::Schema>& schema, const WriteOptions& options) {
  switch (content_type) {
    case ContentType::kParquet: return ParquetFormatWriter::Make(sink, schema, options);
    case ContentType::kFeather: return FeatherFormatWriter::Make(sink, schema, options);
    case ContentType::kOrc: return OrcFormatWriter::Make(sink, schema, options);
    case ContentType::kCsv:
    case ContentType::kTsv:
    case ContentType::kPsv:
    case ContentType::kUnescapedTsv:
      return DelimitedTextFormatWriter::Make(content_type, std::move(sink), schema, options);
    case ContentType::kJson:
      return std::unique_ptr<FormatWriter>(
          new JsonFormatWriter(std::move(sink), schema, options.pool));
    case ContentType::kAvro:
    case ContentType::kBinary: break;
  }
  return MakeError(ErrorCode::kNotImplemented, "no writer for ", ContentTypeString(content_type));
}

}  // namespace deltacat::io
