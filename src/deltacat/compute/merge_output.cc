#include "deltacat/compute/merge_output.h"

#include <string>
#include <utility>

#include "deltacat/compute/manifest_statistics.h"
#include "deltacat/fs/file_ops.h"
#include "deltacat/util/uuid.h"

namespace deltacat::compute {

Result<std::unique_ptr<MergeOutputFiles>> MergeOutputFiles::Open(
    arrow::fs::FileSystem& fs, const std::shared_ptr<arrow::Schema>& schema,
    const MergeTask& task) {
  std::unique_ptr<MergeOutputFiles> out(new MergeOutputFiles(fs, task));
  // Python writes the table's fields with their DeltaCAT field metadata but without the
  // schema-level metadata (schema id, subschemas).
  out->file_schema_ = schema->RemoveMetadata();
  io::RollingLimits limits;
  limits.max_rows_per_file = task.records_per_file;
  limits.max_bytes_per_file = task.max_file_bytes;
  const std::string dir = task.output_dir;
  io::WriteOptions write_options;
  write_options.parquet_row_group_rows = task.output_row_group_rows;
  write_options.parquet_data_page_bytes = task.output_data_page_bytes;
  write_options.parquet_dictionary_page_bytes = task.output_dictionary_page_bytes;
  DC_ASSIGN_OR_RAISE(
      out->writer_,
      io::RollingDataFileWriter::Open(
          io::BorrowFileSystem(fs), out->file_schema_, ContentType::kParquet, limits,
          [dir]() -> Result<std::string> { return JoinPath(dir, NewUuid4() + ".pq"); },
          write_options));
  return out;
}

Status MergeOutputFiles::Write(arrow::RecordBatchReader& reader) {
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (batch == nullptr) return Status::OK();
    DC_RETURN_NOT_OK(Write(batch));
  }
}

Status MergeOutputFiles::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (batch->num_rows() == 0) return Status::OK();
  return writer_->Write(batch->ReplaceSchema(file_schema_).ValueOr(batch));
}

Result<std::vector<MergedFile>> MergeOutputFiles::Close(bool empty_file) {
  DC_ASSIGN_OR_RAISE(std::vector<io::WrittenFile> written, writer_->Close());
  if (written.empty() && empty_file) {
    DC_ASSIGN_OR_RAISE(auto empty, arrow::Table::MakeEmpty(file_schema_));
    const std::string path = JoinPath(task_.output_dir, NewUuid4() + ".pq");
    DC_ASSIGN_OR_RAISE(auto file, io::WriteDataFile(fs_, path, *empty, ContentType::kParquet));
    written.push_back(std::move(file));
  }
  std::vector<MergedFile> files;
  for (const io::WrittenFile& file : written) {
    MergedFile merged;
    merged.url = task_.output_url_prefix + std::string(BaseName(file.path));
    merged.record_count = file.record_count;
    merged.content_length = file.content_length;
    merged.source_content_length = file.source_content_length;
    merged.column_statistics = EncodeColumnStatistics(file.column_stats, file.record_count);
    files.push_back(std::move(merged));
  }
  return files;
}

void MergeOutputFiles::Abort() {
  if (writer_) writer_->Abort();
}

}  // namespace deltacat::compute
