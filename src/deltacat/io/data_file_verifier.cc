#include "deltacat/io/data_file_verifier.h"

#include <arrow/compute/cast.h>
#include <arrow/type.h>

#include "deltacat/io/data_file_reader.h"

namespace deltacat::io {
namespace {

Status CheckSize(arrow::fs::FileSystem& fs, const std::string& path, int64_t expected) {
  auto info = fs.GetFileInfo(path);
  if (!info.ok()) {
    return MakeError(ErrorCode::kIOError, "cannot stat data file '", path,
                     "': ", info.status().message());
  }
  if (info->type() == arrow::fs::FileType::NotFound) {
    return MakeError(ErrorCode::kFileNotFound, "data file '", path, "' does not exist");
  }
  if (info->type() != arrow::fs::FileType::File) {
    return MakeError(ErrorCode::kValidation, "data file '", path, "' is not a file");
  }
  if (info->size() != expected) {
    return MakeError(ErrorCode::kValidation, "data file '", path, "' is ", info->size(),
                     " bytes but its manifest entry says ", expected);
  }
  return Status::OK();
}

/// Every expected field must be in the file with a type Arrow can cast to the expected one.
Status CheckSchema(const arrow::Schema& file_schema, const arrow::Schema& expected,
                   const std::string& path) {
  for (const auto& field : expected.fields()) {
    auto found = file_schema.GetFieldByName(field->name());
    if (!found) {
      return MakeError(ErrorCode::kSchemaValidation, "data file '", path, "' has no column '",
                       field->name(), "'");
    }
    if (!found->type()->Equals(*field->type()) &&
        !arrow::compute::CanCast(*found->type(), *field->type())) {
      return MakeError(ErrorCode::kSchemaValidation, "column '", field->name(), "' of data file '",
                       path, "' is ", found->type()->ToString(), ", which cannot be read as ",
                       field->type()->ToString());
    }
  }
  return Status::OK();
}

}  // namespace

Status VerifyDataFile(arrow::fs::FileSystem& fs, const std::string& path, ContentType content_type,
                      ContentEncoding content_encoding, const ExpectedDataFile& expected) {
  if (expected.content_length) {
    DC_RETURN_NOT_OK(CheckSize(fs, path, *expected.content_length));
  }
  ReadOptions options;
  options.schema = expected.schema;
  const bool text = !IsSchemaContentType(content_type);
  if (expected.schema && !text) {
    DC_ASSIGN_OR_RAISE(auto file_schema,
                       ReadDataFileSchema(fs, path, content_type, content_encoding));
    DC_RETURN_NOT_OK(CheckSchema(*file_schema, *expected.schema, path));
  }
  int64_t rows = -1;
  if (expected.read_all_data || (text && expected.schema)) {
    // A full read with the schema: parses (and converts) every value.
    DC_ASSIGN_OR_RAISE(auto reader,
                       OpenDataFile(fs, path, content_type, content_encoding, options));
    rows = 0;
    while (true) {
      std::shared_ptr<arrow::RecordBatch> batch;
      DC_RETURN_NOT_OK(reader->ReadNext(&batch));
      if (!batch) break;
      rows += batch->num_rows();
    }
  } else if (expected.record_count) {
    DC_ASSIGN_OR_RAISE(rows, CountRows(fs, path, content_type, content_encoding, options));
  }
  if (expected.record_count && rows != *expected.record_count) {
    return MakeError(ErrorCode::kValidation, "data file '", path, "' has ", rows,
                     " rows but its manifest entry says ", *expected.record_count);
  }
  return Status::OK();
}

}  // namespace deltacat::io
