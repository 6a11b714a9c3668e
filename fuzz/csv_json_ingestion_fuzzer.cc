// Fuzzes text ingestion: the data-file reader for CSV, TSV, PSV, unescaped TSV and JSON (what a
// catalog read decodes), with and without a table schema, and the CLI's input-file opener
// (what `deltacat write` ingests). The first input byte picks the path; the rest is the file.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <arrow/filesystem/mockfs.h>
#include <arrow/io/interfaces.h>
#include <arrow/type.h>

#include "deltacat/cli/input_files.h"
#include "deltacat/io/data_file_reader.h"

namespace {

constexpr deltacat::ContentType kTextTypes[] = {
    deltacat::ContentType::kCsv, deltacat::ContentType::kTsv, deltacat::ContentType::kPsv,
    deltacat::ContentType::kUnescapedTsv, deltacat::ContentType::kJson};
constexpr const char* kCliFormats[] = {"csv", "tsv", "psv", "json"};

void Drain(const std::shared_ptr<arrow::RecordBatchReader>& reader) {
  std::shared_ptr<arrow::RecordBatch> batch;
  while (reader->ReadNext(&batch).ok() && batch) (void)batch->ValidateFull();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);

  if ((selector & 0x80) != 0) {
    // The CLI reads local files: write one with the format's extension.
    static const std::string path = "/tmp/deltacat-fuzz-input-" + std::to_string(getpid());
    const std::string format = kCliFormats[selector % 4];
    const std::string file = path + "." + format;
    if (FILE* out = std::fopen(file.c_str(), "wb")) {
      std::fwrite(body.data(), 1, body.size(), out);
      std::fclose(out);
      auto reader = deltacat::cli::OpenInputFiles({file}, (selector & 0x40) ? format : "");
      if (reader.ok()) Drain(*reader);
      std::remove(file.c_str());
    }
    return 0;
  }

  static auto* mock = new arrow::fs::internal::MockFileSystem(arrow::fs::TimePoint{});
  {
    auto out = mock->OpenOutputStream("input");
    if (!out.ok() || !(*out)->Write(body).ok() || !(*out)->Close().ok()) return 0;
  }
  deltacat::io::ReadOptions options;
  options.use_threads = false;
  options.text_block_bytes = 1 << 12;  // several blocks even for small inputs
  if ((selector & 0x08) != 0) {
    options.schema =
        arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::utf8()),
                       arrow::field("c", arrow::float64())});
  }
  if ((selector & 0x10) != 0) options.columns = {"b"};
  const auto type = kTextTypes[selector % 5];
  auto reader = deltacat::io::OpenDataFile(*mock, "input", type,
                                           deltacat::ContentEncoding::kIdentity, options);
  if (reader.ok()) Drain(*reader);
  (void)deltacat::io::CountRows(*mock, "input", type, deltacat::ContentEncoding::kIdentity,
                                options);
  return 0;
}
