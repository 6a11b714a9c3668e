#include "deltacat/cli/table_output.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

#include <arrow/csv/api.h>
#include <arrow/io/file.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/api.h>
#include <arrow/scalar.h>
#include <arrow/table.h>
#include <parquet/arrow/writer.h>

namespace deltacat::cli {
namespace {

// Streams bytes to a std::ostream (stdout) through Arrow's OutputStream interface.
class OstreamOutputStream : public arrow::io::OutputStream {
 public:
  explicit OstreamOutputStream(std::ostream& out) : out_(out) {}
  arrow::Status Close() override {
    closed_ = true;
    out_.flush();
    return arrow::Status::OK();
  }
  bool closed() const override { return closed_; }
  arrow::Result<int64_t> Tell() const override { return position_; }
  arrow::Status Write(const void* data, int64_t nbytes) override {
    out_.write(static_cast<const char*>(data), nbytes);
    position_ += nbytes;
    return out_ ? arrow::Status::OK() : arrow::Status::IOError("write to stdout failed");
  }
  arrow::Status Flush() override {
    out_.flush();
    return arrow::Status::OK();
  }

 private:
  std::ostream& out_;
  int64_t position_ = 0;
  bool closed_ = false;
};

std::string EscapeJson(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
          out += buffer;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

std::string PrettyValue(const arrow::Array& array, int64_t row) {
  if (array.IsNull(row)) return "null";
  auto scalar = array.GetScalar(row);
  if (!scalar.ok()) return "?";
  return (*scalar)->ToString();
}

Result<int64_t> WritePretty(arrow::RecordBatchReader& reader, std::ostream& out) {
  // Buffers the rows to size the columns; the CLI's pretty output is for humans, so tables are
  // expected to be small (use --output-format csv for bulk data).
  std::vector<std::vector<std::string>> cells;
  const auto schema = reader.schema();
  std::vector<std::string> header;
  for (const auto& field : schema->fields()) header.push_back(field->name());
  std::vector<size_t> widths(header.size());
  for (size_t c = 0; c < header.size(); ++c) widths[c] = header[c].size();
  int64_t rows = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (!batch) break;
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::vector<std::string> line;
      for (int c = 0; c < batch->num_columns(); ++c) {
        line.push_back(PrettyValue(*batch->column(c), r));
        widths[c] = std::max(widths[c], line.back().size());
      }
      cells.push_back(std::move(line));
    }
    rows += batch->num_rows();
  }
  auto print_row = [&](const std::vector<std::string>& line) {
    for (size_t c = 0; c < line.size(); ++c) {
      out << (c ? " | " : "") << line[c] << std::string(widths[c] - line[c].size(), ' ');
    }
    out << "\n";
  };
  print_row(header);
  for (size_t c = 0; c < widths.size(); ++c) out << (c ? "-+-" : "") << std::string(widths[c], '-');
  out << "\n";
  for (const auto& line : cells) print_row(line);
  out << "(" << rows << (rows == 1 ? " row" : " rows") << ")\n";
  return rows;
}

Result<int64_t> WriteJsonLines(arrow::RecordBatchReader& reader, std::ostream& out) {
  const auto schema = reader.schema();
  int64_t rows = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (!batch) break;
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      out << "{";
      for (int c = 0; c < batch->num_columns(); ++c) {
        out << (c ? ", " : "") << EscapeJson(schema->field(c)->name()) << ": "
            << JsonValue(*batch->column(c), r);
      }
      out << "}\n";
    }
    rows += batch->num_rows();
  }
  return rows;
}

/// Streams every batch of `reader` into `writer` (Parquet, IPC or CSV), closes it, and
/// returns the row count.
template <typename Writer>
Result<int64_t> CopyBatches(arrow::RecordBatchReader& reader, Writer& writer) {
  int64_t rows = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    DC_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (!batch) break;
    DC_RETURN_NOT_OK(writer.WriteRecordBatch(*batch));
    rows += batch->num_rows();
  }
  DC_RETURN_NOT_OK(writer.Close());
  return rows;
}

Result<int64_t> WriteArrowFormat(arrow::RecordBatchReader& reader, OutputFormat format,
                                 const std::shared_ptr<arrow::io::OutputStream>& sink) {
  if (format == OutputFormat::kParquet) {
    DC_ASSIGN_OR_RAISE(auto writer, parquet::arrow::FileWriter::Open(
                                        *reader.schema(), arrow::default_memory_pool(), sink));
    return CopyBatches(reader, *writer);
  }
  if (format == OutputFormat::kFeather) {
    DC_ASSIGN_OR_RAISE(auto writer, arrow::ipc::MakeFileWriter(sink, reader.schema()));
    return CopyBatches(reader, *writer);
  }
  auto options = arrow::csv::WriteOptions::Defaults();
  DC_ASSIGN_OR_RAISE(auto writer, arrow::csv::MakeCSVWriter(sink, reader.schema(), options));
  return CopyBatches(reader, *writer);
}

}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "pretty") return OutputFormat::kPretty;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  if (name == "parquet") return OutputFormat::kParquet;
  if (name == "feather") return OutputFormat::kFeather;
  return MakeError(ErrorCode::kInvalidArgument, "unknown output format '", name,
                   "' (expected csv, json, parquet, feather or pretty)");
}

std::string JsonValue(const arrow::Array& array, int64_t row) {
  if (array.IsNull(row)) return "null";
  auto scalar_result = array.GetScalar(row);
  if (!scalar_result.ok()) return "null";
  const auto& scalar = **scalar_result;
  switch (scalar.type->id()) {
    case arrow::Type::BOOL:
      return static_cast<const arrow::BooleanScalar&>(scalar).value ? "true" : "false";
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64: return scalar.ToString();
    case arrow::Type::HALF_FLOAT:
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE: {
      std::string text = scalar.ToString();
      // JSON has no NaN or infinity.
      if (text.find_first_of("ni") != std::string::npos) return EscapeJson(text);
      return text;
    }
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
      return EscapeJson(static_cast<const arrow::BaseBinaryScalar&>(scalar).view());
    default: return EscapeJson(scalar.ToString());
  }
}

Result<int64_t> WriteTableOutput(arrow::RecordBatchReader& reader, OutputFormat format,
                                 const std::string& path, std::ostream& stdout_stream) {
  const bool to_stdout = path.empty() || path == "-";
  if (format == OutputFormat::kPretty || format == OutputFormat::kJson) {
    std::ofstream file;
    if (!to_stdout) {
      file.open(path, std::ios::binary | std::ios::trunc);
      if (!file) return MakeError(ErrorCode::kIOError, "cannot open output file ", path);
    }
    std::ostream& out = to_stdout ? stdout_stream : file;
    auto rows =
        format == OutputFormat::kPretty ? WritePretty(reader, out) : WriteJsonLines(reader, out);
    out.flush();
    if (!out)
      return MakeError(ErrorCode::kIOError, "writing ", to_stdout ? "stdout" : path, " failed");
    return rows;
  }
  std::shared_ptr<arrow::io::OutputStream> sink;
  if (to_stdout) {
    sink = std::make_shared<OstreamOutputStream>(stdout_stream);
  } else {
    DC_ASSIGN_OR_RAISE(sink, arrow::io::FileOutputStream::Open(path));
  }
  DC_ASSIGN_OR_RAISE(int64_t rows, WriteArrowFormat(reader, format, sink));
  if (!sink->closed()) DC_RETURN_NOT_OK(sink->Close());
  return rows;
}

}  // namespace deltacat::cli
