#include "deltacat/compute/compaction_input.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include <arrow/compute/cast.h>
#include <arrow/util/byte_size.h>

#include "deltacat/io/data_file_reader.h"

namespace deltacat::compute {
namespace {

/// Buffer of a streamed Parquet column chunk read (see OpenProjectedFile's stream_reads).
constexpr int64_t kStreamReadBufferBytes = int64_t{1} << 20;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// Index of the file column holding schema field `name`, or -1.
int FindColumn(const arrow::Schema& file_schema, const std::string& name) {
  const int exact = file_schema.GetFieldIndex(name);
  if (exact >= 0) return exact;
  int found = -1;
  for (int i = 0; i < file_schema.num_fields(); ++i) {
    if (EqualsIgnoreCase(file_schema.field(i)->name(), name)) {
      if (found >= 0) return -1;  // ambiguous
      found = i;
    }
  }
  return found;
}

/// Selects, orders and casts the columns of another reader's batches.
class ProjectingReader final : public arrow::RecordBatchReader {
 public:
  ProjectingReader(std::shared_ptr<arrow::RecordBatchReader> inner,
                   std::shared_ptr<arrow::Schema> schema, std::vector<int> sources,
                   std::string file)
      : inner_(std::move(inner)),
        schema_(std::move(schema)),
        sources_(std::move(sources)),
        file_(std::move(file)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* out) override {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(inner_->ReadNext(&batch));
    if (batch == nullptr) {
      *out = nullptr;
      return arrow::Status::OK();
    }
    std::vector<std::shared_ptr<arrow::Array>> columns;
    columns.reserve(sources_.size());
    for (size_t i = 0; i < sources_.size(); ++i) {
      std::shared_ptr<arrow::Array> column = batch->column(sources_[i]);
      const auto& type = schema_->field(static_cast<int>(i))->type();
      if (!column->type()->Equals(*type)) {
        auto cast = arrow::compute::Cast(*column, type);
        if (!cast.ok()) {
          return ToArrowStatus(MakeError(ErrorCode::kSchemaValidation, file_, ": column '",
                                         schema_->field(static_cast<int>(i))->name(), "' of type ",
                                         column->type()->ToString(), " cannot be read as ",
                                         type->ToString(), ": ", cast.status().message()));
        }
        column = std::move(*cast);
      }
      columns.push_back(std::move(column));
    }
    *out = arrow::RecordBatch::Make(schema_, batch->num_rows(), std::move(columns));
    return arrow::Status::OK();
  }

 private:
  std::shared_ptr<arrow::RecordBatchReader> inner_;
  std::shared_ptr<arrow::Schema> schema_;
  std::vector<int> sources_;
  std::string file_;
};

/// Reader options for `batch_rows`-row batches; `stream_reads` (tight budgets) streams Parquet
/// column chunks through small buffers instead of pre-buffering whole row groups.
io::ReadOptions ReadOptionsFor(int64_t batch_rows, bool stream_reads) {
  io::ReadOptions options;
  options.batch_rows = batch_rows;
  if (stream_reads) {
    options.parquet_pre_buffer = false;
    options.parquet_stream_buffer_bytes = kStreamReadBufferBytes;
  }
  return options;
}

}  // namespace

std::string ResolveEntryPath(const FileSystemLocation& catalog, std::string_view url) {
  constexpr std::string_view kFile = "file://";
  constexpr std::string_view kS3 = "s3://";
  if (url.starts_with(kS3)) return std::string(url.substr(kS3.size()));
  if (url.starts_with(kFile)) {
    std::string_view rest = url.substr(kFile.size());
    if (rest.starts_with("localhost/")) rest.remove_prefix(std::string_view("localhost").size());
    return std::string(rest);
  }
  if (url.starts_with("/")) return std::string(url);
  return JoinPath(catalog.root, url);
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenProjectedFile(
    arrow::fs::FileSystem& fs, const CompactionInputFile& file,
    const std::shared_ptr<arrow::Schema>& schema, const std::vector<std::string>& columns,
    int64_t batch_rows, bool stream_reads) {
  io::ReadOptions options = ReadOptionsFor(batch_rows, stream_reads);
  // Self-describing formats are read as written and projected here; text formats have no
  // header, so they can only be read with the schema they were written with.
  if (!IsSchemaContentType(file.content_type)) options.schema = schema;
  auto opened = io::OpenDataFile(fs, file.path, file.content_type, file.content_encoding, options);
  if (!opened.ok()) return opened.status().WithContext("compaction input " + file.path);
  std::shared_ptr<arrow::RecordBatchReader> inner = std::move(*opened);
  const auto file_schema = inner->schema();
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<int> sources;
  for (const auto& field : schema->fields()) {
    if (!columns.empty() &&
        std::find(columns.begin(), columns.end(), field->name()) == columns.end()) {
      continue;
    }
    const int source = FindColumn(*file_schema, field->name());
    if (source < 0) continue;
    fields.push_back(arrow::field(field->name(), field->type(), field->nullable()));
    sources.push_back(source);
  }
  return std::shared_ptr<arrow::RecordBatchReader>(std::make_shared<ProjectingReader>(
      std::move(inner), arrow::schema(std::move(fields)), std::move(sources), file.path));
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenParquetColumns(
    arrow::fs::FileSystem& fs, const CompactionInputFile& file,
    const std::shared_ptr<arrow::Schema>& schema, const std::vector<std::string>& columns,
    int64_t batch_rows, bool stream_reads, bool* has_every_column) {
  if (file.content_type != ContentType::kParquet ||
      file.content_encoding != ContentEncoding::kIdentity) {
    return MakeError(ErrorCode::kInvalidArgument, "compaction input ", file.path,
                     " is not an unencoded Parquet file");
  }
  auto file_schema =
      io::ReadDataFileSchema(fs, file.path, file.content_type, file.content_encoding);
  if (!file_schema.ok()) return file_schema.status().WithContext("compaction input " + file.path);
  io::ReadOptions options = ReadOptionsFor(batch_rows, stream_reads);
  // On the calling thread (see the header): 10M-row backfill key reads 0.61 s to 0.53 s.
  options.use_threads = false;
  *has_every_column = true;
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<int> sources;
  for (const auto& field : schema->fields()) {
    const int source = FindColumn(**file_schema, field->name());
    if (source < 0) *has_every_column = false;
    if (source < 0 || std::find(columns.begin(), columns.end(), field->name()) == columns.end()) {
      continue;
    }
    sources.push_back(static_cast<int>(options.columns.size()));
    options.columns.push_back((*file_schema)->field(source)->name());
    fields.push_back(arrow::field(field->name(), field->type(), field->nullable()));
  }
  auto opened = io::OpenDataFile(fs, file.path, file.content_type, file.content_encoding, options);
  if (!opened.ok()) return opened.status().WithContext("compaction input " + file.path);
  return std::shared_ptr<arrow::RecordBatchReader>(std::make_shared<ProjectingReader>(
      std::move(*opened), arrow::schema(std::move(fields)), std::move(sources), file.path));
}

Result<std::shared_ptr<arrow::Table>> ReadProjectedFile(
    arrow::fs::FileSystem& fs, const CompactionInputFile& file,
    const std::shared_ptr<arrow::Schema>& schema, const std::vector<std::string>& columns,
    bool stream_reads) {
  DC_ASSIGN_OR_RAISE(
      auto reader, OpenProjectedFile(fs, file, schema, columns, int64_t{64} * 1024, stream_reads));
  auto table = reader->ToTable();
  if (!table.ok()) return FromArrowStatus(table.status()).WithContext(file.path);
  return std::move(*table);
}

int64_t BatchBytes(const arrow::RecordBatch& batch) {
  auto referenced = arrow::util::ReferencedBufferSize(batch);
  return referenced.ok() ? *referenced : arrow::util::TotalBufferSize(batch);
}

}  // namespace deltacat::compute
