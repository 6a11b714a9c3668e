#include "deltacat/cli/input_files.h"

#include <arrow/adapters/orc/adapter.h>
#include <arrow/buffer.h>
#include <arrow/csv/api.h>
#include <arrow/io/compressed.h>
#include <arrow/io/file.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/api.h>
#include <arrow/json/api.h>
#include <arrow/table.h>
#include <arrow/util/compression.h>
#include <parquet/arrow/reader.h>

namespace deltacat::cli {
namespace {

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<std::string> FormatOf(const std::string& path, const std::string& requested) {
  if (!requested.empty()) return requested;
  std::string name = path;
  if (EndsWith(name, ".gz")) name.resize(name.size() - 3);
  for (const auto& [suffix, format] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{{".parquet", "parquet"},
                                                                            {".pq", "parquet"},
                                                                            {".feather", "feather"},
                                                                            {".arrow", "feather"},
                                                                            {".ipc", "feather"},
                                                                            {".orc", "orc"},
                                                                            {".csv", "csv"},
                                                                            {".tsv", "tsv"},
                                                                            {".psv", "psv"},
                                                                            {".json", "json"},
                                                                            {".jsonl", "json"},
                                                                            {".ndjson", "json"}}) {
    if (EndsWith(name, suffix)) return std::string(format);
  }
  return MakeError(ErrorCode::kInvalidArgument, "cannot tell the format of '", path,
                   "' from its extension; pass --input-format");
}

// Opens a local file; gzip is decompressed up front (CLI inputs are read whole anyway).
Result<std::shared_ptr<arrow::io::InputStream>> OpenStream(const std::string& path) {
  auto file = arrow::io::ReadableFile::Open(path);
  if (!file.ok()) return MakeError(ErrorCode::kFileNotFound, "cannot open input file ", path);
  if (!EndsWith(path, ".gz")) return std::static_pointer_cast<arrow::io::InputStream>(*file);
  DC_ASSIGN_OR_RAISE(auto codec, arrow::util::Codec::Create(arrow::Compression::GZIP));
  DC_ASSIGN_OR_RAISE(auto stream, arrow::io::CompressedInputStream::Make(
                                      codec.get(), *file, arrow::default_memory_pool()));
  arrow::BufferVector chunks;
  while (true) {
    DC_ASSIGN_OR_RAISE(auto chunk, stream->Read(1 << 20));
    if (chunk->size() == 0) break;
    chunks.push_back(std::move(chunk));
  }
  DC_ASSIGN_OR_RAISE(auto whole, arrow::ConcatenateBuffers(chunks));
  return std::static_pointer_cast<arrow::io::InputStream>(
      std::make_shared<arrow::io::BufferReader>(std::move(whole)));
}

Result<std::shared_ptr<arrow::Table>> ReadOne(const std::string& path, const std::string& format) {
  if (format == "parquet" || format == "feather" || format == "orc") {
    auto file = arrow::io::ReadableFile::Open(path);
    if (!file.ok()) return MakeError(ErrorCode::kFileNotFound, "cannot open input file ", path);
    if (format == "parquet") {
      std::unique_ptr<parquet::arrow::FileReader> reader;
      DC_RETURN_NOT_OK(parquet::arrow::OpenFile(*file, arrow::default_memory_pool(), &reader));
      std::shared_ptr<arrow::Table> table;
      DC_RETURN_NOT_OK(reader->ReadTable(&table));
      return table;
    }
    if (format == "feather") {
      DC_ASSIGN_OR_RAISE(auto reader, arrow::ipc::RecordBatchFileReader::Open(*file));
      return reader->ToTable();
    }
    DC_ASSIGN_OR_RAISE(auto reader, arrow::adapters::orc::ORCFileReader::Open(
                                        *file, arrow::default_memory_pool()));
    return reader->Read();
  }
  DC_ASSIGN_OR_RAISE(auto stream, OpenStream(path));
  if (format == "json") {
    DC_ASSIGN_OR_RAISE(auto reader,
                       arrow::json::TableReader::Make(arrow::default_memory_pool(), stream,
                                                      arrow::json::ReadOptions::Defaults(),
                                                      arrow::json::ParseOptions::Defaults()));
    return reader->Read();
  }
  auto parse = arrow::csv::ParseOptions::Defaults();
  if (format == "tsv") {
    parse.delimiter = '\t';
  } else if (format == "psv") {
    parse.delimiter = '|';
  } else if (format != "csv") {
    return MakeError(ErrorCode::kInvalidArgument, "unknown input format '", format,
                     "' (expected parquet, feather, orc, csv, tsv, psv or json)");
  }
  DC_ASSIGN_OR_RAISE(auto reader,
                     arrow::csv::TableReader::Make(arrow::io::default_io_context(), stream,
                                                   arrow::csv::ReadOptions::Defaults(), parse,
                                                   arrow::csv::ConvertOptions::Defaults()));
  return reader->Read();
}

}  // namespace

Result<std::shared_ptr<arrow::Table>> ReadInputFiles(const std::vector<std::string>& paths,
                                                     const std::string& format) {
  if (paths.empty()) return MakeError(ErrorCode::kInvalidArgument, "no input files");
  std::vector<std::shared_ptr<arrow::Table>> tables;
  for (const auto& path : paths) {
    DC_ASSIGN_OR_RAISE(std::string file_format, FormatOf(path, format));
    auto table = ReadOne(path, file_format);
    if (!table.ok()) {
      // Arrow's reader errors are IOError/Invalid; name the file and keep one line.
      Status status = table.status();
      if (status.code() == ErrorCode::kInternal || status.code() == ErrorCode::kIOError) {
        status = Status(ErrorCode::kInvalidArgument, status.message());
      }
      std::string context = "cannot read ";
      context += file_format;
      context += " input file ";
      context += path;
      return status.WithContext(context);
    }
    if (!tables.empty() && !(*table)->schema()->Equals(*tables.front()->schema(), false)) {
      return MakeError(ErrorCode::kSchemaValidation, "input file ", path,
                       " has a different schema than ", paths.front(), ": ",
                       (*table)->schema()->ToString(), " vs ",
                       tables.front()->schema()->ToString());
    }
    tables.push_back(std::move(table).ValueOrDie());
  }
  DC_ASSIGN_OR_RAISE(auto combined, arrow::ConcatenateTables(tables));
  DC_ASSIGN_OR_RAISE(combined, combined->CombineChunks());
  return combined;
}

Result<std::shared_ptr<arrow::RecordBatchReader>> OpenInputFiles(
    const std::vector<std::string>& paths, const std::string& format) {
  DC_ASSIGN_OR_RAISE(auto combined, ReadInputFiles(paths, format));
  return std::static_pointer_cast<arrow::RecordBatchReader>(
      std::make_shared<arrow::TableBatchReader>(std::move(combined)));
}

}  // namespace deltacat::cli
