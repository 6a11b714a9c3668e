#include "deltacat/io/data_file_reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <set>
#include <utility>

#include <arrow/adapters/orc/adapter.h>
#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <arrow/csv/api.h>
#include <arrow/io/buffered.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/feather.h>
#include <arrow/ipc/reader.h>
#include <arrow/json/api.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/statistics.h>

#include "deltacat/fs/filesystem_error.h"
#include "deltacat/fs/resilient_input_file.h"
#include "deltacat/io/classified_streams.h"
#include "deltacat/io/encoded_stream.h"
#include "deltacat/io/format_types.h"

namespace deltacat::io {
namespace {

// --- Errors ---------------------------------------------------------------------------------

/// Whether an Arrow CSV/JSON parse error says the text does not fit the schema it was read
/// with (column count or value types), rather than that the file is damaged.
bool IsTextSchemaMismatch(const std::string& message) {
  return (message.find("Expected ") != std::string::npos &&
          message.find(" columns, got ") != std::string::npos) ||
         message.find("conversion error") != std::string::npos ||
         message.find(" changed from ") != std::string::npos;
}

/// Gives an error from reading `path` its final kind and names the file. Arrow's own
/// failures (bad magic, truncated footer, undecodable page, parse errors) mean the file is
/// unreadable: kIOError, like Python's NonRetryableDownloadTableError.
Status ReadError(const std::string& path, ContentType content_type, const Status& status) {
  std::string context =
      "cannot read data file '" + path + "' as " + std::string(ContentTypeString(content_type));
  if (status.code() == ErrorCode::kInvalidArgument && !IsSchemaContentType(content_type) &&
      IsTextSchemaMismatch(status.message())) {
    return Status(ErrorCode::kSchemaValidation, context + ": " + status.message());
  }
  switch (status.code()) {
    case ErrorCode::kSchemaValidation:
    case ErrorCode::kFileNotFound:
    case ErrorCode::kNotImplemented:
    case ErrorCode::kOutOfMemory:
    case ErrorCode::kContentTypeValidation:
    case ErrorCode::kTransientIOError:
    case ErrorCode::kCancelled: return status.WithContext(context);
    default: break;
  }
  // The ORC reader turns a failed read into an exception, keeping only the text of our status
  // (whose detail names its kind): a transient failure whose retries were spent stays one.
  const std::string transient_detail =
      "Detail: " + std::string(ErrorName(ErrorCode::kTransientIOError));
  if (status.message().find(transient_detail) != std::string::npos) {
    return Status(ErrorCode::kTransientIOError, context + ": " + status.message());
  }
  return Status(ErrorCode::kIOError, context + ": " + status.message());
}

/// Turns an open failure into kFileNotFound when the file is simply not there.
Status OpenError(arrow::fs::FileSystem& fs, const std::string& path, const arrow::Status& status) {
  auto info = fs.GetFileInfo(path);
  if (info.ok() && info->type() == arrow::fs::FileType::NotFound) {
    return MakeError(ErrorCode::kFileNotFound, "data file '", path, "' does not exist");
  }
  return FileSystemError(status, "open", path);
}

Status CheckReadable(ContentType content_type) {
  if (content_type == ContentType::kAvro) {
    return MakeError(ErrorCode::kNotImplemented,
                     "reading application/avro is not supported by DeltaCAT C++ (Arrow C++ has "
                     "no Avro reader)");
  }
  if (content_type == ContentType::kBinary) {
    return MakeError(ErrorCode::kContentTypeValidation,
                     "application/octet-stream files hold no table");
  }
  return Status::OK();
}

// --- Opening the bytes ----------------------------------------------------------------------

/// Opens the file so that responses cut short or failing mid-body (object stores) are
/// continued or retried rather than read as a truncated file.
Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenResilient(arrow::fs::FileSystem& fs,
                                                                   const std::string& path) {
  auto file = fs.OpenInputFile(path);
  if (!file.ok()) return OpenError(fs, path, file.status());
  return std::shared_ptr<arrow::io::RandomAccessFile>(
      std::make_shared<ResilientInputFile>(std::move(file).MoveValueUnsafe(), path));
}

/// A random-access view of the decoded file: the file itself for identity encoding, or the
/// decoded bytes in memory.
Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenRandomAccess(arrow::fs::FileSystem& fs,
                                                                      const std::string& path,
                                                                      ContentEncoding encoding,
                                                                      const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto file, OpenResilient(fs, path));
  if (encoding == ContentEncoding::kIdentity) {
    return std::shared_ptr<arrow::io::RandomAccessFile>(
        std::make_shared<ClassifiedInputFile>(std::move(file), path));
  }
  auto classified = std::make_shared<ClassifiedInputStream>(std::move(file), path);
  DC_ASSIGN_OR_RAISE(auto buffer, DecodeToBuffer(std::move(classified), encoding,
                                                 options.max_decoded_file_bytes, options.pool));
  return std::shared_ptr<arrow::io::RandomAccessFile>(
      std::make_shared<arrow::io::BufferReader>(std::move(buffer)));
}

/// A buffered stream of the decoded file (buffering lets us peek for empty files).
Result<std::shared_ptr<arrow::io::InputStream>> OpenDecodedStream(arrow::fs::FileSystem& fs,
                                                                  const std::string& path,
                                                                  ContentEncoding encoding,
                                                                  const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto file, OpenResilient(fs, path));
  auto classified = std::make_shared<ClassifiedInputStream>(std::move(file), path);
  DC_ASSIGN_OR_RAISE(auto decoded,
                     DecodeInputStream(std::move(classified), encoding, options.pool));
  DC_ASSIGN_OR_RAISE(auto buffered,
                     arrow::io::BufferedInputStream::Create(1 << 16, options.pool, decoded));
  return std::shared_ptr<arrow::io::InputStream>(std::move(buffered));
}

Result<bool> IsEmptyStream(arrow::io::InputStream& stream) {
  DC_ASSIGN_OR_RAISE(std::string_view head, stream.Peek(1));
  return head.empty();
}

// --- Column resolution ----------------------------------------------------------------------

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// Index of `name` in `schema`: the exact name, else the only case-insensitive match; -1.
int FindField(const arrow::Schema& schema, const std::string& name) {
  int exact = schema.GetFieldIndex(name);
  if (exact >= 0) return exact;
  int found = -1;
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (EqualsIgnoreCase(schema.field(i)->name(), name)) {
      if (found >= 0) return -1;  // ambiguous
      found = i;
    }
  }
  return found;
}

/// One column of the output: its field, and the file column it comes from (empty = nulls).
struct OutputColumn {
  std::shared_ptr<arrow::Field> field;
  std::string file_column;
};

/// Decides the output columns from the requested names, the target schema and the columns
/// the file has (`file_schema`; for text formats the target schema itself).
Result<std::vector<OutputColumn>> PlanColumns(const arrow::Schema& file_schema,
                                              const ReadOptions& options, const std::string& path) {
  if (options.schema) {
    std::set<std::string> seen;
    for (const auto& field : options.schema->fields()) {
      if (!seen.insert(field->name()).second) {
        return MakeError(ErrorCode::kSchemaValidation, "the read schema has two columns named '",
                         field->name(), "'");
      }
    }
  }
  const arrow::Schema& names_from = options.schema ? *options.schema : file_schema;
  std::vector<std::string> names = options.columns;
  if (names.empty()) {
    for (const auto& field : names_from.fields()) names.push_back(field->name());
  }
  std::vector<OutputColumn> plan;
  for (const auto& name : names) {
    std::shared_ptr<arrow::Field> field;
    if (options.schema) {
      int index = FindField(*options.schema, name);
      if (index < 0) {
        return MakeError(ErrorCode::kSchemaValidation, "column '", name,
                         "' is not in the table schema {", options.schema->ToString(), "}");
      }
      field = options.schema->field(index);
    }
    int file_index = FindField(file_schema, name);
    if (file_index < 0) {
      if (!options.schema || !options.fill_missing_columns_with_nulls) {
        return MakeError(ErrorCode::kSchemaValidation, "column '", name,
                         "' is not present in data file '", path, "'");
      }
      plan.push_back(OutputColumn{field, ""});
      continue;
    }
    if (!field) field = file_schema.field(file_index);
    plan.push_back(OutputColumn{field, file_schema.field(file_index)->name()});
  }
  return plan;
}

std::shared_ptr<arrow::Schema> OutputSchema(const std::vector<OutputColumn>& plan) {
  arrow::FieldVector fields;
  for (const auto& column : plan) fields.push_back(column.field);
  return arrow::schema(std::move(fields));
}

/// The distinct file columns the plan needs, in plan order.
std::vector<std::string> NeededFileColumns(const std::vector<OutputColumn>& plan) {
  std::vector<std::string> names;
  for (const auto& column : plan) {
    if (!column.file_column.empty() &&
        std::find(names.begin(), names.end(), column.file_column) == names.end()) {
      names.push_back(column.file_column);
    }
  }
  return names;
}

// --- Readers --------------------------------------------------------------------------------

/// Adapts the batches of a format reader to the plan: picks, converts and null-fills the
/// columns, and gives every error its kind and the file's name.
class CoercingBatchReader : public arrow::RecordBatchReader {
 public:
  CoercingBatchReader(std::shared_ptr<arrow::RecordBatchReader> inner,
                      std::vector<OutputColumn> plan, std::string path, ContentType content_type,
                      bool validate_full, arrow::MemoryPool* pool, std::shared_ptr<void> keep_alive)
      : inner_(std::move(inner)),
        plan_(std::move(plan)),
        schema_(OutputSchema(plan_)),
        path_(std::move(path)),
        content_type_(content_type),
        validate_full_(validate_full),
        pool_(pool),
        keep_alive_(std::move(keep_alive)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* out) override {
    out->reset();
    if (done_) return arrow::Status::OK();
    Status status;
    try {
      status = Next(out);
    } catch (const std::exception& e) {
      status = MakeError(ErrorCode::kIOError, "unexpected exception: ", e.what());
    }
    if (!status.ok()) {
      done_ = true;
      out->reset();
      return ToArrowStatus(ReadError(path_, content_type_, status));
    }
    return arrow::Status::OK();
  }

  arrow::Status Close() override {
    done_ = true;
    return inner_ ? inner_->Close() : arrow::Status::OK();
  }

 private:
  Status Next(std::shared_ptr<arrow::RecordBatch>* out) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(inner_->ReadNext(&batch));
    if (!batch) {
      done_ = true;
      return Status::OK();
    }
    if (validate_full_) DC_RETURN_NOT_OK(batch->ValidateFull());
    arrow::ArrayVector columns;
    columns.reserve(plan_.size());
    for (const auto& column : plan_) {
      if (column.file_column.empty()) {
        DC_ASSIGN_OR_RAISE(auto nulls,
                           arrow::MakeArrayOfNull(column.field->type(), batch->num_rows(), pool_));
        columns.push_back(std::move(nulls));
        continue;
      }
      auto source = batch->GetColumnByName(column.file_column);
      if (!source) {
        return MakeError(ErrorCode::kSchemaValidation, "column '", column.file_column,
                         "' is missing from a batch of the file");
      }
      auto converted = ConvertArray(source, column.field->type(), pool_);
      if (!converted.ok()) {
        return converted.status().WithContext("column '" + column.field->name() + "'");
      }
      columns.push_back(std::move(converted).ValueOrDie());
    }
    *out = arrow::RecordBatch::Make(schema_, batch->num_rows(), std::move(columns));
    return Status::OK();
  }

  std::shared_ptr<arrow::RecordBatchReader> inner_;
  std::vector<OutputColumn> plan_;
  std::shared_ptr<arrow::Schema> schema_;
  std::string path_;
  ContentType content_type_;
  bool validate_full_;
  arrow::MemoryPool* pool_;
  std::shared_ptr<void> keep_alive_;  // owners the inner reader depends on
  bool done_ = false;
};

/// Batches with no columns, only row counts (when no file column is needed).
class RowCountOnlyReader : public arrow::RecordBatchReader {
 public:
  RowCountOnlyReader(int64_t rows, int64_t batch_rows)
      : remaining_(rows), batch_rows_(std::max<int64_t>(1, batch_rows)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return arrow::schema({}); }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* out) override {
    out->reset();
    if (remaining_ <= 0) return arrow::Status::OK();
    int64_t rows = std::min(remaining_, batch_rows_);
    remaining_ -= rows;
    *out = arrow::RecordBatch::Make(schema(), rows, arrow::ArrayVector{});
    return arrow::Status::OK();
  }

 private:
  int64_t remaining_;
  int64_t batch_rows_;
};

/// Iterates the record batches of an Arrow IPC file.
class IpcFileBatchReader : public arrow::RecordBatchReader {
 public:
  explicit IpcFileBatchReader(std::shared_ptr<arrow::ipc::RecordBatchFileReader> reader)
      : reader_(std::move(reader)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return reader_->schema(); }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* out) override {
    out->reset();
    if (next_ >= reader_->num_record_batches()) return arrow::Status::OK();
    ARROW_ASSIGN_OR_RAISE(*out, reader_->ReadRecordBatch(next_++));
    return arrow::Status::OK();
  }

 private:
  std::shared_ptr<arrow::ipc::RecordBatchFileReader> reader_;
  int next_ = 0;
};

std::shared_ptr<arrow::RecordBatchReader> Coerce(std::shared_ptr<arrow::RecordBatchReader> inner,
                                                 std::vector<OutputColumn> plan,
                                                 const std::string& path, ContentType type,
                                                 const ReadOptions& options,
                                                 std::shared_ptr<void> keep_alive,
                                                 bool validate_full = false) {
  return std::make_shared<CoercingBatchReader>(std::move(inner), std::move(plan), path, type,
                                               validate_full, options.pool, std::move(keep_alive));
}

std::shared_ptr<arrow::RecordBatchReader> EmptyReader(
    const std::shared_ptr<arrow::Schema>& schema) {
  return arrow::RecordBatchReader::Make({}, schema).ValueOrDie();
}

// Parquet.

void CollectLeaves(const parquet::arrow::SchemaField& field, std::vector<int>* leaves) {
  if (field.is_leaf()) {
    leaves->push_back(field.column_index);
    return;
  }
  for (const auto& child : field.children) CollectLeaves(child, leaves);
}

Result<std::unique_ptr<parquet::arrow::FileReader>> OpenParquet(arrow::fs::FileSystem& fs,
                                                                const std::string& path,
                                                                ContentEncoding encoding,
                                                                const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto file, OpenRandomAccess(fs, path, encoding, options));
  parquet::ArrowReaderProperties arrow_properties;
  arrow_properties.set_batch_size(std::max<int64_t>(1, options.batch_rows));
  arrow_properties.set_use_threads(options.use_threads);
  parquet::arrow::FileReaderBuilder builder;
  DC_RETURN_NOT_OK(builder.Open(std::move(file)));
  std::unique_ptr<parquet::arrow::FileReader> reader;
  DC_RETURN_NOT_OK(builder.memory_pool(options.pool)->properties(arrow_properties)->Build(&reader));
  return reader;
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenParquetBatches(arrow::fs::FileSystem& fs,
                                                                     const std::string& path,
                                                                     ContentEncoding encoding,
                                                                     const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto reader, OpenParquet(fs, path, encoding, options));
  std::shared_ptr<arrow::Schema> file_schema;
  DC_RETURN_NOT_OK(reader->GetSchema(&file_schema));
  DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*file_schema, options, path));
  const auto needed = NeededFileColumns(plan);
  std::shared_ptr<parquet::arrow::FileReader> owner(std::move(reader));
  const int64_t num_rows = owner->parquet_reader()->metadata()->num_rows();
  if (needed.empty()) {
    return Coerce(std::make_shared<RowCountOnlyReader>(num_rows, options.batch_rows),
                  std::move(plan), path, ContentType::kParquet, options, owner);
  }
  std::vector<int> leaves;
  for (const auto& name : needed) {
    int index = file_schema->GetFieldIndex(name);
    if (index < 0) {
      return MakeError(ErrorCode::kSchemaValidation, "column '", name,
                       "' is ambiguous in data file '", path, "'");
    }
    CollectLeaves(owner->manifest().schema_fields[index], &leaves);
  }
  std::vector<int> row_groups(owner->num_row_groups());
  for (int i = 0; i < owner->num_row_groups(); ++i) row_groups[i] = i;
  std::unique_ptr<arrow::RecordBatchReader> batches;
  DC_RETURN_NOT_OK(owner->GetRecordBatchReader(row_groups, leaves, &batches));
  return Coerce(std::shared_ptr<arrow::RecordBatchReader>(std::move(batches)), std::move(plan),
                path, ContentType::kParquet, options, owner);
}

// Feather.

bool IsFeatherV1(arrow::io::RandomAccessFile& file) {
  auto head = file.ReadAt(0, 4);
  return head.ok() && (*head)->ToString() == "FEA1";
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenFeatherBatches(arrow::fs::FileSystem& fs,
                                                                     const std::string& path,
                                                                     ContentEncoding encoding,
                                                                     const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto file, OpenRandomAccess(fs, path, encoding, options));
  if (IsFeatherV1(*file)) {
    // Legacy Feather V1 (pyarrow writes V2): read through the feather API.
    DC_ASSIGN_OR_RAISE(auto v1, arrow::ipc::feather::Reader::Open(file));
    std::shared_ptr<arrow::Table> table;
    DC_RETURN_NOT_OK(v1->Read(&table));
    DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*table->schema(), options, path));
    return Coerce(std::make_shared<arrow::TableBatchReader>(table), std::move(plan), path,
                  ContentType::kFeather, options, nullptr);
  }
  auto ipc_options = arrow::ipc::IpcReadOptions::Defaults();
  ipc_options.memory_pool = options.pool;
  ipc_options.use_threads = options.use_threads;
  DC_ASSIGN_OR_RAISE(auto probe, arrow::ipc::RecordBatchFileReader::Open(file, ipc_options));
  DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*probe->schema(), options, path));
  const auto needed = NeededFileColumns(plan);
  if (needed.empty()) {
    DC_ASSIGN_OR_RAISE(int64_t rows, probe->CountRows());
    return Coerce(std::make_shared<RowCountOnlyReader>(rows, options.batch_rows), std::move(plan),
                  path, ContentType::kFeather, options, nullptr);
  }
  for (const auto& name : needed) {
    int index = probe->schema()->GetFieldIndex(name);
    if (index < 0) {
      return MakeError(ErrorCode::kSchemaValidation, "column '", name,
                       "' is ambiguous in data file '", path, "'");
    }
    ipc_options.included_fields.push_back(index);
  }
  std::sort(ipc_options.included_fields.begin(), ipc_options.included_fields.end());
  DC_ASSIGN_OR_RAISE(auto reader, arrow::ipc::RecordBatchFileReader::Open(file, ipc_options));
  // IPC buffers are taken as stored: validate them fully, so a corrupt file gives an error
  // rather than out-of-bounds reads later.
  return Coerce(std::make_shared<IpcFileBatchReader>(std::move(reader)), std::move(plan), path,
                ContentType::kFeather, options, nullptr, /*validate_full=*/true);
}

// ORC.

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenOrcBatches(arrow::fs::FileSystem& fs,
                                                                 const std::string& path,
                                                                 ContentEncoding encoding,
                                                                 const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto file, OpenRandomAccess(fs, path, encoding, options));
  DC_ASSIGN_OR_RAISE(auto reader, arrow::adapters::orc::ORCFileReader::Open(file, options.pool));
  DC_ASSIGN_OR_RAISE(auto file_schema, reader->ReadSchema());
  DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*file_schema, options, path));
  const auto needed = NeededFileColumns(plan);
  std::shared_ptr<arrow::adapters::orc::ORCFileReader> owner(std::move(reader));
  if (needed.empty()) {
    return Coerce(std::make_shared<RowCountOnlyReader>(owner->NumberOfRows(), options.batch_rows),
                  std::move(plan), path, ContentType::kOrc, options, owner);
  }
  DC_ASSIGN_OR_RAISE(auto batches,
                     owner->GetRecordBatchReader(std::max<int64_t>(1, options.batch_rows), needed));
  return Coerce(std::move(batches), std::move(plan), path, ContentType::kOrc, options, owner);
}

// Delimited text.

struct CsvOptions {
  arrow::csv::ReadOptions read = arrow::csv::ReadOptions::Defaults();
  arrow::csv::ParseOptions parse = arrow::csv::ParseOptions::Defaults();
  arrow::csv::ConvertOptions convert = arrow::csv::ConvertOptions::Defaults();
};

/// Reader options matching Python's `content_type_to_reader_kwargs` for the delimiter and
/// quoting, and DataFileWriter's output for nulls (see OpenDataFile).
CsvOptions MakeCsvOptions(ContentType content_type, const ReadOptions& options) {
  CsvOptions csv;
  csv.read.use_threads = options.use_threads;
  csv.read.block_size = std::max<int32_t>(1 << 12, options.text_block_bytes);
  csv.parse.ignore_empty_lines = false;  // a single-column null row is an empty line
  switch (content_type) {
    case ContentType::kCsv: csv.parse.delimiter = ','; break;
    case ContentType::kPsv: csv.parse.delimiter = '|'; break;
    default: csv.parse.delimiter = '\t'; break;
  }
  csv.convert.null_values = {""};
  csv.convert.strings_can_be_null = true;
  if (content_type == ContentType::kUnescapedTsv) {
    csv.parse.quoting = false;
  } else {
    csv.parse.newlines_in_values = true;             // quoted values may hold newlines
    csv.convert.quoted_strings_can_be_null = false;  // "" is an empty string, not null
  }
  return csv;
}

Result<std::shared_ptr<arrow::Table>> ReadWholeCsv(std::shared_ptr<arrow::io::InputStream> stream,
                                                   const CsvOptions& csv,
                                                   const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto reader, arrow::csv::TableReader::Make(arrow::io::IOContext(options.pool),
                                                                std::move(stream), csv.read,
                                                                csv.parse, csv.convert));
  return FromArrowResult(reader->Read());
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenDelimitedTextBatches(
    arrow::fs::FileSystem& fs, const std::string& path, ContentType content_type,
    ContentEncoding encoding, const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto stream, OpenDecodedStream(fs, path, encoding, options));
  CsvOptions csv = MakeCsvOptions(content_type, options);
  DC_ASSIGN_OR_RAISE(bool empty, IsEmptyStream(*stream));
  if (!options.schema) {
    // No names, no types: pyarrow's behaviour (f0, f1, ... and whole-file inference).
    csv.read.autogenerate_column_names = true;
    if (empty) {
      DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(arrow::Schema({}), options, path));
      return EmptyReader(OutputSchema(plan));
    }
    DC_ASSIGN_OR_RAISE(auto table, ReadWholeCsv(std::move(stream), csv, options));
    DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*table->schema(), options, path));
    return Coerce(std::make_shared<arrow::TableBatchReader>(table), std::move(plan), path,
                  content_type, options, nullptr);
  }
  DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*options.schema, options, path));
  if (empty) return EmptyReader(OutputSchema(plan));
  for (const auto& field : options.schema->fields()) {
    csv.read.column_names.push_back(field->name());
    csv.convert.column_types[field->name()] = DecodeTypeFor(content_type, field->type());
  }
  csv.convert.include_columns = NeededFileColumns(plan);
  DC_ASSIGN_OR_RAISE(auto reader, arrow::csv::StreamingReader::Make(
                                      arrow::io::IOContext(options.pool), std::move(stream),
                                      csv.read, csv.parse, csv.convert));
  return Coerce(std::move(reader), std::move(plan), path, content_type, options, nullptr);
}

// JSON.

arrow::json::ReadOptions MakeJsonReadOptions(const ReadOptions& options) {
  auto read = arrow::json::ReadOptions::Defaults();
  read.use_threads = options.use_threads;
  read.block_size = std::max<int32_t>(1 << 12, options.text_block_bytes);
  return read;
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenJsonBatches(arrow::fs::FileSystem& fs,
                                                                  const std::string& path,
                                                                  ContentEncoding encoding,
                                                                  const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto stream, OpenDecodedStream(fs, path, encoding, options));
  DC_ASSIGN_OR_RAISE(bool empty, IsEmptyStream(*stream));
  auto parse = arrow::json::ParseOptions::Defaults();
  if (!options.schema) {
    if (empty) {
      DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(arrow::Schema({}), options, path));
      return EmptyReader(OutputSchema(plan));
    }
    // Inference must see the whole file (a key may first appear late).
    DC_ASSIGN_OR_RAISE(auto reader,
                       arrow::json::TableReader::Make(options.pool, std::move(stream),
                                                      MakeJsonReadOptions(options), parse));
    DC_ASSIGN_OR_RAISE(auto table, reader->Read());
    DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*table->schema(), options, path));
    return Coerce(std::make_shared<arrow::TableBatchReader>(table), std::move(plan), path,
                  ContentType::kJson, options, nullptr);
  }
  // Keys are names: every schema field "exists" (absent keys are nulls).
  DC_ASSIGN_OR_RAISE(auto plan, PlanColumns(*options.schema, options, path));
  if (empty) return EmptyReader(OutputSchema(plan));
  arrow::FieldVector decode_fields;
  for (const auto& name : NeededFileColumns(plan)) {
    const auto& field = options.schema->GetFieldByName(name);
    decode_fields.push_back(field->WithType(DecodeTypeFor(ContentType::kJson, field->type())));
  }
  if (decode_fields.empty()) {
    // Count objects without decoding any value.
    decode_fields.push_back(arrow::field("\x01", arrow::null()));
  }
  parse.explicit_schema = arrow::schema(std::move(decode_fields));
  parse.unexpected_field_behavior = arrow::json::UnexpectedFieldBehavior::Ignore;
  DC_ASSIGN_OR_RAISE(auto reader, arrow::json::StreamingReader::Make(
                                      std::move(stream), MakeJsonReadOptions(options), parse,
                                      arrow::io::IOContext(options.pool)));
  return Coerce(std::move(reader), std::move(plan), path, ContentType::kJson, options, nullptr);
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenBatches(arrow::fs::FileSystem& fs,
                                                              const std::string& path,
                                                              ContentType content_type,
                                                              ContentEncoding encoding,
                                                              const ReadOptions& options) {
  DC_RETURN_NOT_OK(CheckReadable(content_type));
  switch (content_type) {
    case ContentType::kParquet: return OpenParquetBatches(fs, path, encoding, options);
    case ContentType::kFeather: return OpenFeatherBatches(fs, path, encoding, options);
    case ContentType::kOrc: return OpenOrcBatches(fs, path, encoding, options);
    case ContentType::kJson: return OpenJsonBatches(fs, path, encoding, options);
    default: return OpenDelimitedTextBatches(fs, path, content_type, encoding, options);
  }
}

/// `scalar` as `type`, through the compute cast (Scalar::CastTo lacks many casts).
Result<std::shared_ptr<arrow::Scalar>> CastScalar(const std::shared_ptr<arrow::Scalar>& scalar,
                                                  const std::shared_ptr<arrow::DataType>& type) {
  if (scalar->type->Equals(*type)) return scalar;
  DC_ASSIGN_OR_RAISE(arrow::Datum cast, arrow::compute::Cast(arrow::Datum(scalar), type));
  return cast.scalar();
}

/// Parquet decimal statistics as Arrow scalars of `type` (Arrow 16's StatisticsAsScalars has
/// no decimal support): unscaled integers, or big-endian two's complement bytes.
Status DecimalStatisticsAsScalars(const parquet::Statistics& statistics,
                                  const std::shared_ptr<arrow::DataType>& type,
                                  std::shared_ptr<arrow::Scalar>* min,
                                  std::shared_ptr<arrow::Scalar>* max) {
  auto decode = [&](const std::string& encoded) -> Result<std::shared_ptr<arrow::Scalar>> {
    const auto* bytes = reinterpret_cast<const uint8_t*>(encoded.data());
    const auto length = static_cast<int32_t>(encoded.size());
    switch (statistics.physical_type()) {
      case parquet::Type::INT32: {
        if (length != 4) break;
        int32_t unscaled;
        std::memcpy(&unscaled, bytes, 4);
        return FromArrowResult(arrow::MakeScalar(type, arrow::Decimal128(unscaled)));
      }
      case parquet::Type::INT64: {
        if (length != 8) break;
        int64_t unscaled;
        std::memcpy(&unscaled, bytes, 8);
        return FromArrowResult(arrow::MakeScalar(type, arrow::Decimal128(unscaled)));
      }
      case parquet::Type::FIXED_LEN_BYTE_ARRAY:
      case parquet::Type::BYTE_ARRAY: {
        if (type->id() == arrow::Type::DECIMAL256) {
          DC_ASSIGN_OR_RAISE(auto value, arrow::Decimal256::FromBigEndian(bytes, length));
          return FromArrowResult(arrow::MakeScalar(type, value));
        }
        DC_ASSIGN_OR_RAISE(auto value, arrow::Decimal128::FromBigEndian(bytes, length));
        return FromArrowResult(arrow::MakeScalar(type, value));
      }
      default: break;
    }
    return MakeError(ErrorCode::kNotImplemented, "unsupported decimal statistics");
  };
  if (type->id() == arrow::Type::DECIMAL256 &&
      statistics.physical_type() != parquet::Type::FIXED_LEN_BYTE_ARRAY &&
      statistics.physical_type() != parquet::Type::BYTE_ARRAY) {
    return MakeError(ErrorCode::kNotImplemented, "unsupported decimal statistics");
  }
  DC_ASSIGN_OR_RAISE(*min, decode(statistics.EncodeMin()));
  DC_ASSIGN_OR_RAISE(*max, decode(statistics.EncodeMax()));
  return Status::OK();
}

/// Runs `body`, converting escaped exceptions and giving errors the file's name.
template <typename T, typename Body>
Result<T> Guarded(const std::string& path, ContentType content_type, Body&& body) {
  Result<T> result = [&]() -> Result<T> {
    try {
      return body();
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kIOError, "unexpected exception: ", e.what());
    }
  }();
  if (!result.ok()) return ReadError(path, content_type, result.status());
  return result;
}

ReadOptions WithPool(ReadOptions options) {
  if (options.pool == nullptr) options.pool = arrow::default_memory_pool();
  return options;
}

Result<int64_t> CountTextRows(arrow::fs::FileSystem& fs, const std::string& path,
                              ContentType content_type, ContentEncoding encoding,
                              const ReadOptions& options) {
  ReadOptions counting = options;
  counting.columns.clear();
  counting.fill_missing_columns_with_nulls = false;
  if (content_type == ContentType::kJson) {
    // An empty projection makes the JSON reader count objects without decoding values.
    counting.schema = arrow::schema({arrow::field("\x01", arrow::null())});
  } else {
    // Decode one column, as text (never fails to convert).
    std::string first = options.schema && options.schema->num_fields() > 0
                            ? options.schema->field(0)->name()
                            : "f0";
    if (options.schema) {
      arrow::FieldVector fields;
      for (const auto& field : options.schema->fields()) {
        fields.push_back(field->WithType(arrow::utf8()));
      }
      counting.schema = arrow::schema(std::move(fields));
      counting.columns = {first};
    } else {
      // Without a schema the column count is unknown: read with inference.
      counting.schema = nullptr;
    }
  }
  DC_ASSIGN_OR_RAISE(auto reader, OpenBatches(fs, path, content_type, encoding, counting));
  int64_t rows = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(reader->ReadNext(&batch));
    if (!batch) break;
    rows += batch->num_rows();
  }
  return rows;
}

}  // namespace

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenDataFile(arrow::fs::FileSystem& fs,
                                                               const std::string& path,
                                                               ContentType content_type,
                                                               ContentEncoding content_encoding,
                                                               const ReadOptions& options) {
  const ReadOptions resolved = WithPool(options);
  return Guarded<std::shared_ptr<arrow::RecordBatchReader>>(path, content_type, [&] {
    return OpenBatches(fs, path, content_type, content_encoding, resolved);
  });
}

Result<std::shared_ptr<arrow::Table>> ReadDataFile(arrow::fs::FileSystem& fs,
                                                   const std::string& path,
                                                   ContentType content_type,
                                                   ContentEncoding content_encoding,
                                                   const ReadOptions& options) {
  DC_ASSIGN_OR_RAISE(auto reader, OpenDataFile(fs, path, content_type, content_encoding, options));
  auto table = reader->ToTable();
  if (!table.ok()) return FromArrowStatus(table.status());
  return std::move(table).MoveValueUnsafe();
}

Result<int64_t> CountRows(arrow::fs::FileSystem& fs, const std::string& path,
                          ContentType content_type, ContentEncoding content_encoding,
                          const ReadOptions& options) {
  const ReadOptions resolved = WithPool(options);
  return Guarded<int64_t>(path, content_type, [&]() -> Result<int64_t> {
    DC_RETURN_NOT_OK(CheckReadable(content_type));
    switch (content_type) {
      case ContentType::kParquet: {
        DC_ASSIGN_OR_RAISE(auto file, OpenRandomAccess(fs, path, content_encoding, resolved));
        // Throws on a corrupt footer; Guarded turns that into kIOError.
        auto reader = parquet::ParquetFileReader::Open(std::move(file));
        return reader->metadata()->num_rows();
      }
      case ContentType::kFeather: {
        DC_ASSIGN_OR_RAISE(auto file, OpenRandomAccess(fs, path, content_encoding, resolved));
        if (IsFeatherV1(*file)) break;
        DC_ASSIGN_OR_RAISE(auto reader, arrow::ipc::RecordBatchFileReader::Open(file));
        return FromArrowResult(reader->CountRows());
      }
      case ContentType::kOrc: {
        DC_ASSIGN_OR_RAISE(auto file, OpenRandomAccess(fs, path, content_encoding, resolved));
        DC_ASSIGN_OR_RAISE(auto reader,
                           arrow::adapters::orc::ORCFileReader::Open(file, resolved.pool));
        return reader->NumberOfRows();
      }
      default: return CountTextRows(fs, path, content_type, content_encoding, resolved);
    }
    // Feather V1: count by reading.
    DC_ASSIGN_OR_RAISE(auto reader,
                       OpenBatches(fs, path, content_type, content_encoding, resolved));
    DC_ASSIGN_OR_RAISE(auto table, reader->ToTable());
    return table->num_rows();
  });
}

Result<std::shared_ptr<arrow::Schema>> ReadDataFileSchema(arrow::fs::FileSystem& fs,
                                                          const std::string& path,
                                                          ContentType content_type,
                                                          ContentEncoding content_encoding,
                                                          const ReadOptions& options) {
  const ReadOptions resolved = WithPool(options);
  using SchemaPtr = std::shared_ptr<arrow::Schema>;
  return Guarded<SchemaPtr>(path, content_type, [&]() -> Result<SchemaPtr> {
    DC_RETURN_NOT_OK(CheckReadable(content_type));
    switch (content_type) {
      case ContentType::kParquet: {
        DC_ASSIGN_OR_RAISE(auto reader, OpenParquet(fs, path, content_encoding, resolved));
        SchemaPtr schema;
        DC_RETURN_NOT_OK(reader->GetSchema(&schema));
        return schema;
      }
      case ContentType::kOrc: {
        DC_ASSIGN_OR_RAISE(auto file, OpenRandomAccess(fs, path, content_encoding, resolved));
        DC_ASSIGN_OR_RAISE(auto reader,
                           arrow::adapters::orc::ORCFileReader::Open(file, resolved.pool));
        return FromArrowResult(reader->ReadSchema());
      }
      default: break;
    }
    if (resolved.schema && content_type != ContentType::kFeather) return resolved.schema;
    ReadOptions all = resolved;
    all.columns.clear();
    all.schema = nullptr;
    DC_ASSIGN_OR_RAISE(auto reader, OpenBatches(fs, path, content_type, content_encoding, all));
    return reader->schema();
  });
}

Result<std::vector<ColumnStatistics>> ReadParquetStatistics(arrow::fs::FileSystem& fs,
                                                            const std::string& path) {
  using Stats = std::vector<ColumnStatistics>;
  ReadOptions options = WithPool(ReadOptions{});
  return Guarded<Stats>(path, ContentType::kParquet, [&]() -> Result<Stats> {
    DC_ASSIGN_OR_RAISE(auto reader, OpenParquet(fs, path, ContentEncoding::kIdentity, options));
    std::shared_ptr<arrow::Schema> schema;
    DC_RETURN_NOT_OK(reader->GetSchema(&schema));
    const auto metadata = reader->parquet_reader()->metadata();
    const auto& fields = reader->manifest().schema_fields;
    Stats out;
    for (int f = 0; f < schema->num_fields(); ++f) {
      const auto& field = schema->field(f);
      ColumnStatistics stats{field->name(), std::nullopt, nullptr, nullptr};
      // Leaf statistics describe the top-level column only for flat columns.
      if (f < static_cast<int>(fields.size()) && fields[f].is_leaf()) {
        const int column = fields[f].column_index;
        int64_t nulls = 0;
        bool nulls_known = true;
        bool min_max_known = HasOrderedStatistics(*field->type());
        for (int rg = 0; rg < metadata->num_row_groups(); ++rg) {
          auto chunk = metadata->RowGroup(rg)->ColumnChunk(column);
          auto rg_stats = chunk->is_stats_set() ? chunk->statistics() : nullptr;
          if (!rg_stats) {
            nulls_known = min_max_known = false;
            break;
          }
          if (rg_stats->HasNullCount()) {
            nulls += rg_stats->null_count();
          } else {
            nulls_known = false;
          }
          if (!min_max_known) continue;
          if (!rg_stats->HasMinMax()) {
            // A row group of only nulls (or NaN) has none, and needs none.
            if (rg_stats->num_values() > 0 && field->type()->id() != arrow::Type::FLOAT &&
                field->type()->id() != arrow::Type::DOUBLE) {
              min_max_known = false;
            }
            continue;
          }
          std::shared_ptr<arrow::Scalar> rg_min;
          std::shared_ptr<arrow::Scalar> rg_max;
          const bool decimal = field->type()->id() == arrow::Type::DECIMAL128 ||
                               field->type()->id() == arrow::Type::DECIMAL256;
          const bool converted =
              decimal ? DecimalStatisticsAsScalars(*rg_stats, field->type(), &rg_min, &rg_max).ok()
                      : parquet::arrow::StatisticsAsScalars(*rg_stats, &rg_min, &rg_max).ok();
          if (!converted) {
            min_max_known = false;
            continue;
          }
          auto typed_min = CastScalar(rg_min, field->type());
          auto typed_max = CastScalar(rg_max, field->type());
          if (!typed_min.ok() || !typed_max.ok()) {
            min_max_known = false;
            continue;
          }
          DC_RETURN_NOT_OK(MergeMinMax(&stats.min, &stats.max, *typed_min, *typed_max));
        }
        if (nulls_known) stats.null_count = nulls;
        if (!min_max_known) stats.min = stats.max = nullptr;
      }
      out.push_back(std::move(stats));
    }
    return out;
  });
}

}  // namespace deltacat::io
