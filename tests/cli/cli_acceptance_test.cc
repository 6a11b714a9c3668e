// The real `deltacat` binary (build/bin/deltacat, next to this test binary) run as a
// subprocess: the acceptance scenarios of catalog-api.md section (b) that the CLI exposes, every
// command and flag of issue 4, `--help` everywhere, and bad input for every command: each a
// one-line typed error ("TableNotFoundError: ..."), a non-zero exit, and an unchanged catalog.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <arrow/ipc/api.h>
#include <arrow/ipc/json_simple.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>

#include "support/temp_dir.h"

namespace deltacat::cli {
namespace {

namespace fs = std::filesystem;

fs::path BinDir() { return fs::read_symlink("/proc/self/exe").parent_path(); }

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const CliRun& run) {
  return os << "exit " << run.exit_code << "\n--- stdout\n" << run.out << "--- stderr\n" << run.err;
}

/// The lines of `text`, sorted (for tables whose row order is not defined).
std::vector<std::string> Sorted(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

/// The number of lines of `text` (a final line without '\n' counts).
int LineCount(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines + (!text.empty() && text.back() != '\n');
}

class CliAcceptanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = BinDir() / "deltacat";
    ASSERT_TRUE(fs::exists(binary_)) << binary_ << " (run `make build`)";
    work_ = dir_.path();
    catalog_ = work_ / "catalog";
  }

  /// Runs `deltacat --catalog <catalog> args...` in the work directory.
  CliRun Dc(const std::vector<std::string>& args, bool with_catalog = true) {
    std::string command = "cd " + Quote(work_.string()) + " && " + Quote(binary_.string());
    if (with_catalog) command += " --catalog " + Quote(catalog_.string());
    for (const auto& arg : args) command += " " + Quote(arg);
    const fs::path out = work_ / "stdout.txt", err = work_ / "stderr.txt";
    command += " > " + Quote(out.string()) + " 2> " + Quote(err.string()) + " < /dev/null";
    const int status = std::system(command.c_str());
    CliRun run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = ReadFile(out);
    run.err = ReadFile(err);
    return run;
  }

  /// Runs a command that must succeed.
  CliRun Ok(const std::vector<std::string>& args) {
    CliRun run = Dc(args);
    EXPECT_EQ(run.exit_code, 0) << "deltacat " << ::testing::PrintToString(args) << "\n" << run;
    return run;
  }

  /// Every file of the catalog with its size and content: what "nothing written" compares.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> files;
    if (!fs::exists(catalog_)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(catalog_)) {
      const std::string relative = fs::relative(entry.path(), catalog_).string();
      files[relative] = entry.is_regular_file() ? ReadFile(entry.path()) : "<dir>";
    }
    return files;
  }

  /// Runs a command that must fail with one line "<kind>: ..." and leave the catalog as it was.
  void Fails(const std::vector<std::string>& args, const std::string& kind) {
    const auto before = Snapshot();
    CliRun run = Dc(args);
    const std::string shown = "deltacat " + ::testing::PrintToString(args) + "\n";
    EXPECT_NE(run.exit_code, 0) << shown << run;
    EXPECT_EQ(run.err.rfind(kind + ": ", 0), 0u) << shown << run;
    EXPECT_EQ(LineCount(run.err), 1) << shown << run;
    EXPECT_TRUE(run.out.empty()) << shown << run;
    const auto after = Snapshot();
    if (after != before) {
      std::string changed;
      for (const auto& [path, content] : after) {
        auto it = before.find(path);
        if (it == before.end() || it->second != content) changed += "  + " + path + "\n";
      }
      for (const auto& [path, content] : before) {
        if (!after.count(path)) changed += "  - " + path + "\n";
      }
      ADD_FAILURE() << shown << "changed the catalog:\n" << changed;
    }
  }

  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path path = work_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  fs::path WriteParquet(const std::string& name, const std::shared_ptr<arrow::Table>& table) {
    const fs::path path = work_ / name;
    auto sink = arrow::io::FileOutputStream::Open(path.string()).ValueOrDie();
    EXPECT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink, 1024).ok());
    EXPECT_TRUE(sink->Close().ok());
    return path;
  }

  std::shared_ptr<arrow::Table> ReadParquet(const fs::path& path) {
    auto file = arrow::io::ReadableFile::Open(path.string()).ValueOrDie();
    std::unique_ptr<parquet::arrow::FileReader> reader;
    EXPECT_TRUE(parquet::arrow::OpenFile(file, arrow::default_memory_pool(), &reader).ok());
    std::shared_ptr<arrow::Table> table;
    EXPECT_TRUE(reader->ReadTable(&table).ok());
    return table;
  }

  /// A merge-keyed `users` table (id int64 key, name string, age int64) with 3 rows.
  void MakeUsers() {
    Write("users.csv", "id,name,age\n1,ann,31\n2,bob,42\n3,cy,27\n");
    Ok({"table", "create", "users", "--schema", "users.csv", "--merge-keys", "id"});
    Ok({"write", "users", "users.csv"});
  }

  testing::TempDir dir_;
  fs::path binary_;
  fs::path work_;
  fs::path catalog_;
};

// --- Scenarios of section (b) through the CLI --------------------------------------------------

TEST_F(CliAcceptanceTest, InitAndNamespaces) {  // 1, 6-8
  CliRun init = Ok({"init"});
  EXPECT_NE(init.out.find(catalog_.string()), std::string::npos) << init;
  EXPECT_EQ(Ok({"namespace", "list"}).out, "default\n");
  Ok({"namespace", "create", "n1", "--property", "owner=me"});
  EXPECT_NE(Ok({"namespace", "describe", "n1"}).out.find("owner: me"), std::string::npos);
  Fails({"namespace", "create", "n1"}, "NamespaceAlreadyExistsError");
  Write("t.csv", "id,name\n1,a\n");
  Ok({"write", "n1/t", "t.csv"});
  Ok({"namespace", "rename", "n1", "n2"});
  EXPECT_EQ(Ok({"namespace", "list"}).out, "default\nn2\n");
  EXPECT_EQ(Ok({"table", "list", "--namespace", "n2"}).out, "n2/t\n");
  Ok({"namespace", "create", "n3"});
  Fails({"namespace", "rename", "n2", "n3"}, "NamespaceAlreadyExistsError");
  Ok({"namespace", "drop", "n2"});
  Fails({"table", "list", "--namespace", "n2"}, "NamespaceNotFoundError");
  Fails({"namespace", "drop", "n2"}, "NamespaceNotFoundError");
  Fails({"namespace", "describe", "n2"}, "NamespaceNotFoundError");
  Fails({"namespace", "rename", "n2", "n4"}, "NamespaceNotFoundError");
  Fails({"namespace", "create", "a/b"}, "ValueError");
}

TEST_F(CliAcceptanceTest, TableDdl) {  // 10, 14, 15
  Ok({"table", "create", "loose", "--schemaless"});
  EXPECT_NE(Ok({"table", "describe", "loose"}).out.find("schema: none"), std::string::npos);
  Fails({"table", "create", "loose", "--schemaless"}, "TableAlreadyExistsError");
  Ok({"table", "create", "loose", "--schemaless", "--if-not-exists"});
  Write("schema.json", R"({"fields": [{"name": "id", "type": "int64", "merge_key": true},
                                       {"name": "name", "type": "string"}]})");
  Ok({"table", "create", "keyed", "--schema", "schema.json", "--description", "from json",
      "--property", "appended_delta_count_compaction_trigger=5"});
  CliRun describe = Ok({"table", "describe", "keyed"});
  EXPECT_NE(describe.out.find("id: int64 [merge key]"), std::string::npos) << describe;
  EXPECT_NE(describe.out.find("description: from json"), std::string::npos) << describe;
  EXPECT_NE(describe.out.find("appended_delta_count_compaction_trigger: 5"), std::string::npos);
  CliRun exists = Dc({"table", "exists", "keyed"});
  EXPECT_EQ(exists.exit_code, 0);
  EXPECT_EQ(exists.out, "true\n");
  CliRun missing = Dc({"table", "exists", "nope"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "false\n");
  Ok({"table", "rename", "keyed", "renamed"});
  EXPECT_EQ(Dc({"table", "exists", "keyed"}).exit_code, 1);
  EXPECT_EQ(Ok({"table", "list"}).out, "default/loose\ndefault/renamed\n");
  Fails({"table", "rename", "missing", "x"}, "TableNotFoundError");
  Fails({"table", "rename", "renamed", "loose"}, "TableAlreadyExistsError");
  Ok({"table", "drop", "renamed"});
  Fails({"table", "drop", "renamed"}, "TableNotFoundError");
  Fails({"table", "describe", "renamed"}, "TableNotFoundError");
}

TEST_F(CliAcceptanceTest, SchemaFromDataFiles) {
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int32()), arrow::field("score", arrow::float64())}),
      {arrow::ipc::internal::json::ArrayFromJSON(arrow::int32(), "[1]").ValueOrDie(),
       arrow::ipc::internal::json::ArrayFromJSON(arrow::float64(), "[1.5]").ValueOrDie()});
  WriteParquet("s.parquet", table);
  Ok({"table", "create", "from_parquet", "--schema", "s.parquet", "--merge-keys", "id"});
  CliRun described = Ok({"table", "describe", "from_parquet"});
  EXPECT_NE(described.out.find("id: int32 [merge key]"), std::string::npos) << described;
  EXPECT_NE(described.out.find("score: double"), std::string::npos) << described;
  EXPECT_EQ(Ok({"read", "from_parquet"}).out.find("(0 rows)") != std::string::npos, true);
  Write("s.tsv", "a\tb\n1\tx\n");
  Ok({"table", "create", "from_tsv", "--schema", "s.tsv"});
  EXPECT_NE(Ok({"table", "describe", "from_tsv"}).out.find("b: string"), std::string::npos);
  Write("rows.json", "{\"k\": 1, \"v\": \"x\"}\n");  // JSON lines data, not a schema document
  Ok({"table", "create", "from_jsonl", "--schema", "rows.json"});
  EXPECT_NE(Ok({"table", "describe", "from_jsonl"}).out.find("k: int64"), std::string::npos);
  Write("data.txt", "a,b\n1,2\n");
  Ok({"table", "create", "from_txt", "--schema", "data.txt", "--input-format", "csv"});
  // The table's schema is used only for the table: no rows were written.
  EXPECT_NE(Ok({"read", "from_txt"}).out.find("(0 rows)"), std::string::npos);
}

TEST_F(CliAcceptanceTest, WriteModesAndReads) {  // 16-21, 25, 45, 46
  Write("a.csv", "id,name\n1,a\n2,b\n3,c\n");
  Write("b.csv", "id,name,city\n4,d,x\n");
  CliRun first = Ok({"write", "t", "a.csv"});
  EXPECT_NE(first.out.find("append delta at stream position 1"), std::string::npos) << first;
  CliRun second = Ok({"write", "t", "b.csv"});
  EXPECT_NE(second.out.find("add delta"), std::string::npos) << second;
  EXPECT_EQ(Ok({"read", "t", "--output-format", "csv"}).out,
            "\"id\",\"name\",\"city\"\n1,\"a\",\n2,\"b\",\n3,\"c\",\n4,\"d\",\"x\"\n");
  Fails({"write", "t", "a.csv", "--mode", "create"}, "TableAlreadyExistsError");
  Fails({"write", "nope", "a.csv", "--mode", "append"}, "TableNotFoundError");
  Fails({"write", "nope", "a.csv", "--mode", "replace"}, "TableNotFoundError");
  Fails({"write", "t", "a.csv", "--mode", "merge"}, "TableValidationError");
  Fails({"write", "t", "a.csv", "--mode", "delete"}, "TableValidationError");
  Ok({"write", "o", "a.csv", "--mode", "create"});
  Ok({"write", "o", "b.csv", "--mode", "append"});
  Ok({"write", "o", "a.csv", "--mode", "chrono"});
  Ok({"write", "o", "a.csv", "--mode", "add"});
  EXPECT_NE(Ok({"read", "o"}).out.find("(10 rows)"), std::string::npos);
  // Every file's statistics rule `id > 3` out but b.csv's (id 4).
  CliRun pruned = Ok({"read", "o", "--where", "id > 3", "--stats", "--output-format", "csv"});
  EXPECT_NE(pruned.err.find("files: 4 total, 3 pruned, 0 without statistics"), std::string::npos)
      << pruned;
  EXPECT_EQ(pruned.out, "\"id\",\"name\",\"city\"\n4,\"d\",\"x\"\n");
  Ok({"write", "o", "b.csv", "--mode", "replace"});
  EXPECT_EQ(Ok({"read", "o", "--output-format", "json"}).out,
            "{\"id\": 4, \"name\": \"d\", \"city\": \"x\"}\n");

  // Merge keys: upsert, delete, merge on a key table with append-family modes refused.
  Write("k.csv", "id,name\n1,a\n2,b\n3,c\n");
  Ok({"write", "k", "k.csv", "--merge-keys", "id"});
  Write("up.csv", "id,name\n2,B\n4,d\n");
  Ok({"write", "k", "up.csv", "--mode", "merge"});
  Write("del.csv", "id\n1\n99\n");
  CliRun deleted = Ok({"write", "k", "del.csv", "--mode", "delete"});
  EXPECT_NE(deleted.out.find("delete delta"), std::string::npos) << deleted;
  // A merge-keyed table's rows come in hash-bucket order after compaction: compare sorted.
  EXPECT_EQ(Sorted(Ok({"read", "k", "--output-format", "csv"}).out),
            Sorted("\"id\",\"name\"\n2,\"B\"\n3,\"c\"\n4,\"d\"\n"));
  for (const char* mode : {"append", "add", "chrono"}) {
    Fails({"write", "k", "up.csv", "--mode", mode}, "SchemaValidationError");
  }

  // Projection, filter, file path; output to a file in every format.
  EXPECT_EQ(Sorted(Ok({"read", "k", "--columns", "name", "--where", "id >= 3 and name != 'x'",
                       "--output-format", "csv"})
                       .out),
            Sorted("\"name\"\n\"c\"\n\"d\"\n"));
  EXPECT_EQ(Sorted(Ok({"read", "k", "--where", "name in ('B', 'd') or id is null",
                       "--output-format", "csv"})
                       .out),
            Sorted("\"id\",\"name\"\n2,\"B\"\n4,\"d\"\n"));
  Ok({"read", "k", "--output", (work_ / "k.parquet").string(), "--output-format", "parquet"});
  EXPECT_EQ(ReadParquet(work_ / "k.parquet")->num_rows(), 3);
  Ok({"read", "k", "--output", (work_ / "k.feather").string(), "--output-format", "feather"});
  auto feather = arrow::io::ReadableFile::Open((work_ / "k.feather").string()).ValueOrDie();
  EXPECT_EQ(arrow::ipc::RecordBatchFileReader::Open(feather).ValueOrDie()->CountRows().ValueOrDie(),
            3);
  Ok({"read", "k", "--output", (work_ / "k.json").string(), "--output-format", "json"});
  EXPECT_EQ(LineCount(ReadFile(work_ / "k.json")), 3);
  CliRun pretty = Ok({"read", "k", "--output-format", "pretty"});
  EXPECT_NE(pretty.out.find("id | name"), std::string::npos) << pretty;
  Fails({"read", "missing"}, "TableNotFoundError");
  Fails({"read", "k", "--table-version", "9"}, "TableVersionNotFoundError");
}

TEST_F(CliAcceptanceTest, TimeTravelCompactLogJanitorVersion) {  // 57, 58, compaction
  MakeUsers();
  CliRun log = Ok({"log", "--limit", "1"});
  ASSERT_EQ(LineCount(log.out), 1) << log;
  // The end time of the last write, +1 ns: everything committed up to it is visible.
  const size_t end = log.out.find("end=");
  ASSERT_NE(end, std::string::npos);
  const int64_t after_first = std::stoll(log.out.substr(end + 4)) + 1;
  Write("up.csv", "id,name,age\n2,bob,43\n4,dee,35\n");
  Ok({"write", "users", "up.csv", "--mode", "merge"});
  const auto now = Sorted(Ok({"read", "users", "--output-format", "csv"}).out);
  EXPECT_EQ(now, Sorted("\"id\",\"name\",\"age\"\n1,\"ann\",31\n2,\"bob\",43\n3,\"cy\",27\n"
                        "4,\"dee\",35\n"));
  const auto past = Sorted("\"id\",\"name\",\"age\"\n1,\"ann\",31\n2,\"bob\",42\n3,\"cy\",27\n");
  EXPECT_EQ(
      Sorted(Ok({"read", "users", "--as-of", std::to_string(after_first), "--output-format", "csv"})
                 .out),
      past);
  // The same instant as ISO-8601 (UTC, nanoseconds).
  const time_t seconds = static_cast<time_t>(after_first / 1000000000);
  char iso[64];
  std::strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", std::gmtime(&seconds));
  char fraction[16];
  std::snprintf(fraction, sizeof(fraction), ".%09lldZ",
                static_cast<long long>(after_first % 1000000000));
  EXPECT_EQ(
      Sorted(Ok({"read", "users", "--as-of", std::string(iso) + fraction, "--output-format", "csv"})
                 .out),
      past);
  Fails({"read", "users", "--as-of", "1970-01-01T00:00:01Z"}, "TableNotFoundError");
  Fails({"read", "users", "--as-of", "2200-01-01"}, "ValueError");
  Fails({"read", "users", "--as-of", "yesterday"}, "ValueError");

  CliRun compacted = Ok({"compact", "users", "--hash-buckets", "8", "--memory-budget", "256MiB"});
  EXPECT_EQ(compacted.out, "Compacted users\n");
  EXPECT_EQ(Sorted(Ok({"read", "users", "--output-format", "csv"}).out), now);
  Fails({"compact", "missing"}, "TableNotFoundError");
  Fails({"compact", "users", "--memory-budget", "lots"}, "ValueError");
  Fails({"compact", "users", "--executor", "nope"}, "ValueError");
  Fails({"compact", "users", "--ray-address", "auto"}, "ValueError");

  CliRun history = Ok({"log"});
  EXPECT_GE(LineCount(history.out), 4) << history;
  EXPECT_NE(history.out.find("SUCCESS"), std::string::npos);
  CliRun janitor = Ok({"janitor"});
  EXPECT_NE(janitor.out.find("cleaned 0 transaction(s)"), std::string::npos) << janitor;
  CliRun version = Dc({"version"}, /*with_catalog=*/false);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("deltacat"), std::string::npos) << version;
  EXPECT_NE(version.out.find("16.0.0"), std::string::npos) << version;
}

// --- Bad input: one typed line, non-zero exit, catalog unchanged -------------------------------

TEST_F(CliAcceptanceTest, BadInputForEveryCommand) {
  MakeUsers();
  Ok({"write", "plain", "users.csv"});
  Write("wrong_types.csv", "id,name,age\nx,ann,31\n");
  Write("unknown_col.csv", "id,nickname\n1,a\n");
  Write("no_key.csv", "name\nann\n");
  Write("other.csv", "a,b\n1,2\n");
  Write("garbage.parquet", "this is not parquet");
  Write("garbage.csv", "");
  Write("bad.json", "{\"fields\": [{\"name\": \"a\", \"type\": \"int128\"}]}");
  Write("float_key.json", R"({"fields": [{"name": "f", "type": "float64", "merge_key": true}]})");
  Write("data.unknown", "x");

  // Unknown table / namespace.
  Fails({"read", "nope"}, "TableNotFoundError");
  Fails({"read", "nons/users"}, "TableNotFoundError");  // as Python's read_table
  Fails({"write", "nons/users", "users.csv"}, "NamespaceNotFoundError");
  Fails({"write", "nope", "users.csv", "--mode", "merge"}, "TableNotFoundError");
  Fails({"write", "nope", "users.csv", "--mode", "delete"}, "TableNotFoundError");
  Fails({"write", "nope", "users.csv", "--mode", "add"}, "TableNotFoundError");
  Fails({"table", "describe", "nope"}, "TableNotFoundError");
  Fails({"table", "drop", "nons/users"}, "NamespaceNotFoundError");
  Fails({"table", "rename", "nope", "x"}, "TableNotFoundError");
  Fails({"table", "create", "nons/t", "--schemaless"}, "NamespaceNotFoundError");
  Fails({"table", "list", "--namespace", "nons"}, "NamespaceNotFoundError");
  Fails({"compact", "nope"}, "TableNotFoundError");
  Fails({"namespace", "describe", "nons"}, "NamespaceNotFoundError");
  Fails({"namespace", "drop", "nons"}, "NamespaceNotFoundError");

  // Wrong schema: a type that does not convert, a merge write without the key, MANUAL evolution.
  Fails({"write", "users", "wrong_types.csv", "--mode", "merge"}, "SchemaValidationError");
  Fails({"write", "users", "no_key.csv", "--mode", "delete"}, "SchemaValidationError");
  Fails({"write", "users", "no_key.csv", "--mode", "merge"}, "SchemaValidationError");
  Write("schema_manual.json", R"({"fields": [{"name": "id", "type": "int64"}]})");
  Ok({"table", "create", "manual", "--schema", "schema_manual.json", "--property",
      "schema_evolution_mode=manual"});
  Fails({"write", "manual", "unknown_col.csv", "--mode", "append"}, "SchemaValidationError");

  // Unknown columns on read, a filter naming a missing column, bad filter syntax.
  Fails({"read", "users", "--columns", "id,nope"}, "SchemaValidationError");
  Fails({"read", "users", "--where", "nope = 1"}, "SchemaValidationError");
  Fails({"read", "users", "--where", "id >"}, "ValueError");
  Fails({"read", "users", "--where", "name > 5"}, "ValueError");

  // Merge keys on a float or a missing column.
  Fails({"table", "create", "f", "--schema", "float_key.json"}, "ValueError");
  Fails({"table", "create", "f", "--schema", "users.csv", "--merge-keys", "nope"},
        "SchemaValidationError");
  Write("floats.csv", "f,g\n1.5,a\n");
  Fails({"table", "create", "f", "--schema", "floats.csv", "--merge-keys", "f"}, "ValueError");
  Fails({"write", "f", "floats.csv", "--merge-keys", "f"}, "ValueError");
  Fails({"write", "f", "floats.csv", "--merge-keys", "nope"}, "SchemaValidationError");

  // Unreadable or mismatched input files.
  Fails({"write", "users", "missing.csv"}, "FileNotFoundError");
  Fails({"write", "users", "garbage.parquet"}, "ValueError");
  Fails({"write", "users", "garbage.csv"}, "ValueError");
  Fails({"write", "users", "data.unknown"}, "ValueError");
  Fails({"write", "users", "users.csv", "other.csv"}, "SchemaValidationError");
  Fails({"write", "users", "users.csv", "--input-format", "xml"}, "ValueError");
  Fails({"table", "create", "g", "--schema", "garbage.parquet"}, "ValueError");
  Fails({"table", "create", "g", "--schema", "bad.json"}, "ValueError");
  Fails({"table", "create", "g", "--schema", "missing.json"}, "FileNotFoundError");
  Fails({"table", "create", "g"}, "ValueError");

  // Bad options.
  Fails({"write", "users", "users.csv", "--mode", "upsert"}, "ValueError");
  Fails({"write", "users", "users.csv", "--content-type", "text/nope"},
        "ContentTypeValidationError");
  Fails({"write", "users", "users.csv", "--content-type", "csv"}, "TableValidationError");
  Fails({"read", "users", "--output-format", "xml"}, "ValueError");
  Fails({"read", "users", "--output", "/nonexistent/dir/out.csv", "--output-format", "csv"},
        "NonRetryableIOError");
  Fails({"namespace", "create", "bad", "--property", "novalue"}, "ValueError");
  Fails({"table", "create", "p", "--schemaless", "--property", "read_optimization_level=moderate"},
        "NotImplementedError");
  Fails({"log", "--limit", "0"}, "ValueError");

  // Nothing above changed the data.
  EXPECT_EQ(Sorted(Ok({"read", "users", "--output-format", "csv"}).out),
            Sorted("\"id\",\"name\",\"age\"\n1,\"ann\",31\n2,\"bob\",42\n3,\"cy\",27\n"));
}

TEST_F(CliAcceptanceTest, UsageErrorsAndHelp) {
  // Usage errors are CLI11's (non-zero exit, nothing written).
  EXPECT_NE(Dc({}).exit_code, 0);
  EXPECT_NE(Dc({"frobnicate"}).exit_code, 0);
  EXPECT_NE(Dc({"read"}).exit_code, 0);
  EXPECT_NE(Dc({"write", "t"}).exit_code, 0);
  EXPECT_NE(Dc({"read", "t", "--bogus"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(catalog_));

  // --help on every command, without touching the catalog.
  const std::vector<std::vector<std::string>> commands = {
      {},
      {"init"},
      {"namespace"},
      {"namespace", "create"},
      {"namespace", "list"},
      {"namespace", "describe"},
      {"namespace", "rename"},
      {"namespace", "drop"},
      {"table"},
      {"table", "create"},
      {"table", "list"},
      {"table", "describe"},
      {"table", "exists"},
      {"table", "rename"},
      {"table", "drop"},
      {"write"},
      {"read"},
      {"compact"},
      {"log"},
      {"janitor"},
      {"version"},
  };
  for (auto args : commands) {
    const std::string name = args.empty() ? "deltacat" : args.back();
    args.push_back("--help");
    CliRun help = Dc(args);
    EXPECT_EQ(help.exit_code, 0) << ::testing::PrintToString(args) << help;
    EXPECT_NE(help.out.find("Usage"), std::string::npos) << ::testing::PrintToString(args) << help;
    EXPECT_NE(help.out.find(name), std::string::npos) << ::testing::PrintToString(args) << help;
  }
  EXPECT_FALSE(fs::exists(catalog_));
  // Flags issue 4 lists are documented in the help.
  const std::string read_help = Dc({"read", "--help"}).out;
  for (const char* flag : {"--columns", "--where", "--as-of", "--output", "--output-format"}) {
    EXPECT_NE(read_help.find(flag), std::string::npos) << flag;
  }
  const std::string write_help = Dc({"write", "--help"}).out;
  for (const char* flag : {"--mode", "--input-format"}) {
    EXPECT_NE(write_help.find(flag), std::string::npos) << flag;
  }
  const std::string create_help = Dc({"table", "create", "--help"}).out;
  for (const char* flag : {"--schema", "--merge-keys", "--property"}) {
    EXPECT_NE(create_help.find(flag), std::string::npos) << flag;
  }
}

TEST_F(CliAcceptanceTest, DefaultCatalogIsDeltacatRootElseDotDeltacat) {
  Write("t.csv", "id\n1\n");
  // No --catalog and no DELTACAT_ROOT: ./.deltacat in the working directory.
  std::string command = "cd " + Quote(work_.string()) + " && env -u DELTACAT_ROOT " +
                        Quote(binary_.string()) + " write t t.csv > /dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_TRUE(fs::exists(work_ / ".deltacat" / "version"));
  command = "cd " + Quote(work_.string()) + " && DELTACAT_ROOT=" + Quote(catalog_.string()) + " " +
            Quote(binary_.string()) + " write t t.csv > /dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_TRUE(fs::exists(catalog_ / "version"));
}

TEST_F(CliAcceptanceTest, NoProgressOutputWhenStderrIsNotATerminal) {
  MakeUsers();
  CliRun read = Ok({"read", "users"});
  EXPECT_TRUE(read.err.empty()) << read;
  CliRun compacted = Ok({"compact", "users"});
  EXPECT_TRUE(compacted.err.empty()) << compacted;
}

}  // namespace
}  // namespace deltacat::cli
