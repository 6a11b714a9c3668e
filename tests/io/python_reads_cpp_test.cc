// Python DeltaCAT reads what the C++ writer wrote (the other direction of python_golden_test).
//
// Needs the interop venv (deltacat 2.0.0.post4 + pyarrow 16): $DELTACAT_INTEROP_PYTHON, or
// <source>/venv-interop/bin/python. Skipped when neither exists.

#include <cstdlib>
#include <filesystem>
#include <string>

#include <arrow/filesystem/localfs.h>
#include <arrow/io/file.h>
#include <arrow/ipc/writer.h>
#include <gtest/gtest.h>

#include "deltacat/io/data_file_writer.h"
#include "io/io_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::io {
namespace {

std::string InteropPython() {
  if (const char* configured = std::getenv("DELTACAT_INTEROP_PYTHON")) return configured;
  return std::string(DELTACAT_SOURCE_DIR) + "/venv-interop/bin/python";
}

// For each "<file> <content type> <encoding>" line of manifest.txt: read <file> the way
// Python DeltaCAT reads a manifest entry (deltacat.types.tables.read_file, with the table's
// column names and schema), and compare with <file>.expected.arrow.
constexpr const char* kReaderScript = R"PY(
import sys
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs
import pyarrow.ipc as ipc
from deltacat.types.media import (ContentType, ContentEncoding, DatasetType,
                                  DELIMITED_TEXT_CONTENT_TYPES)
from deltacat.types.tables import read_file
from deltacat.utils.pyarrow import ReadKwargsProviderPyArrowSchemaOverride

failures = []
directory = sys.argv[1]
for line in open(f"{directory}/manifest.txt"):
    name, content_type, encoding = line.split()
    path = f"{directory}/{name}"
    expected = ipc.open_file(path + ".expected.arrow").read_all()
    # The schema override applies to delimited text (for Parquet it selects a Daft reader).
    provider = (ReadKwargsProviderPyArrowSchemaOverride(schema=expected.schema)
                if content_type in DELIMITED_TEXT_CONTENT_TYPES else None)
    table = read_file(path, ContentType(content_type), ContentEncoding(encoding),
                      DatasetType.PYARROW, column_names=expected.schema.names,
                      file_reader_kwargs_provider=provider, filesystem=pafs.LocalFileSystem())
    if table.num_rows != expected.num_rows or table.column_names != expected.column_names:
        failures.append(f"{name}: got {table.num_rows} rows {table.column_names}")
        continue
    for field in expected.schema:
        want = expected.column(field.name)
        got = table.column(field.name)
        if content_type == "application/json" and field.name not in ("i8", "s", "b", "l", "st"):
            continue  # pyarrow infers JSON types (dates as timestamps, decimals as strings)
        if content_type in ("text/csv", "text/tsv", "text/psv") and (
                pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            # pyarrow's default CSV options read an empty (null) field as "" for strings.
            want = pc.fill_null(want, "")
        if not got.type.equals(want.type):
            try:
                got = got.cast(want.type)
            except Exception as e:
                failures.append(f"{name}.{field.name}: {got.type} -> {want.type}: {e}")
                continue
        if not got.equals(want):
            failures.append(f"{name}.{field.name}: expected {want.to_pylist()} got {got.to_pylist()}")
compared = sum(1 for _ in open(f"{directory}/manifest.txt"))
print("\n".join(failures) if failures else f"all {compared} files read back")
sys.exit(1 if failures else 0)
)PY";

TEST(PythonReadsCppTest, DeltacatReadsEveryContentTypeWeWrite) {
  const std::string python = InteropPython();
  if (!std::filesystem::exists(python)) {
    GTEST_SKIP() << "no interop venv at " << python << " (set DELTACAT_INTEROP_PYTHON)";
  }
  deltacat::testing::TempDir dir;
  arrow::fs::LocalFileSystem fs;
  std::string manifest;
  for (ContentType type :
       {ContentType::kParquet, ContentType::kFeather, ContentType::kOrc, ContentType::kCsv,
        ContentType::kTsv, ContentType::kPsv, ContentType::kUnescapedTsv, ContentType::kJson}) {
    const auto table = testing::TableFor(type);
    const auto encoding = DefaultEncodingFor(type);
    const std::string name =
        "cpp_" + std::string(ContentTypeShortName(type)) + DataFileSuffix(type, encoding);
    DC_ASSERT_OK(WriteDataFile(fs, dir.Child(name), *table, type).status());
    auto sink = arrow::io::FileOutputStream::Open(dir.Child(name + ".expected.arrow")).ValueOrDie();
    auto writer = arrow::ipc::MakeFileWriter(sink, table->schema()).ValueOrDie();
    ASSERT_TRUE(writer->WriteTable(*table).ok());
    ASSERT_TRUE(writer->Close().ok());
    ASSERT_TRUE(sink->Close().ok());
    manifest += name + " " + std::string(ContentTypeString(type)) + " " +
                std::string(ContentEncodingString(encoding)) + "\n";
  }
  testing::WriteBytes(dir.Child("manifest.txt"), manifest);
  testing::WriteBytes(dir.Child("read.py"), kReaderScript);
  const std::string log = dir.Child("python.log");
  const std::string command = "'" + python + "' '" + dir.Child("read.py") + "' '" +
                              dir.path().string() + "' > '" + log + "' 2>&1";
  const int rc = std::system(command.c_str());
  EXPECT_EQ(rc, 0) << testing::ReadBytes(log);
}

}  // namespace
}  // namespace deltacat::io
