#include <fstream>
#include <sstream>

#include <arrow/type.h>

#include "deltacat/cli/commands.h"
#include "deltacat/cli/input_files.h"
#include "deltacat/cli/schema_file.h"

namespace deltacat::cli {
namespace {

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kFileNotFound, "cannot open ", path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A --schema file: a JSON schema document, else a data file whose Arrow schema is used (a
// `.json` file that is not a schema document is read as JSON-lines data).
Result<SchemaFile> LoadSchema(const std::string& path, const std::string& input_format) {
  const bool json_name = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (input_format.empty() && json_name) {
    DC_ASSIGN_OR_RAISE(std::string text, ReadTextFile(path));
    auto parsed = ParseSchemaJson(text);
    if (parsed.ok()) return parsed;
    const auto first = text.find_first_not_of(" \t\r\n");
    const bool schema_like = (first != std::string::npos && text[first] == '[') ||
                             text.find("\"fields\"") != std::string::npos;
    if (schema_like) return parsed.status().WithContext("schema file " + path);
  }
  DC_ASSIGN_OR_RAISE(auto data, ReadInputFiles({path}, input_format));
  SchemaFile result;
  result.schema = data->schema()->RemoveMetadata();
  return result;
}

void PrintDefinition(std::ostream& out, const TableDefinition& table) {
  out << "table: " << table.ns << "/" << table.name << "\n";
  if (table.description) out << "description: " << *table.description << "\n";
  out << "latest version: " << table.latest_table_version.value_or("-") << "\n";
  out << "latest active version: " << table.latest_active_table_version.value_or("-") << "\n";
  out << "properties:\n";
  PrintProperties(out, table.properties, "  ");
  if (!table.version) return;
  const auto& version = *table.version;
  out << "version: " << version.version << " (" << LifecycleStateName(version.state) << ")\n";
  if (!version.schema) {
    out << "schema: none (schemaless)\n";
    return;
  }
  out << "schema (id " << version.schema_id << "):\n";
  for (const auto& field : version.schema->fields()) {
    const bool is_key = std::find(version.merge_keys.begin(), version.merge_keys.end(),
                                  field->name()) != version.merge_keys.end();
    out << "  " << field->name() << ": " << field->type()->ToString()
        << (field->nullable() ? "" : " not null") << (is_key ? " [merge key]" : "") << "\n";
  }
}

}  // namespace

void AddTableCommands(CLI::App& app, CliContext& ctx) {
  auto* group = app.add_subcommand("table", "Create, list, describe, rename and drop tables");
  group->require_subcommand(1);

  struct Args {
    std::string table;
    std::string new_name;
    std::string schema_file;
    std::string input_format;
    std::string merge_keys;
    std::string description;
    std::string ns = "default";
    std::string version;
    std::vector<std::string> properties;
    bool schemaless = false;
    bool if_not_exists = false;
  };
  auto args = std::make_shared<Args>();
  const std::string table_help = "Table as [NAMESPACE/]TABLE";

  auto* create = group->add_subcommand("create", "Create a table");
  create->add_option("TABLE", args->table, table_help)->required();
  create->add_option("--schema", args->schema_file,
                     "Schema: a JSON schema file ({\"fields\": [{\"name\": ..., \"type\": ...}]}) "
                     "or a data file (parquet, feather, orc, csv, tsv, psv, json) to take it from");
  create->add_option("--input-format", args->input_format,
                     "Format of a --schema data file (default: from its extension)");
  create->add_option("--merge-keys", args->merge_keys, "Comma-separated merge key columns");
  create->add_option("--description", args->description, "Table description");
  create->add_option("--property", args->properties, "Table property key=value (repeatable)");
  create->add_flag("--schemaless", args->schemaless, "Create a table without a schema");
  create->add_flag("--if-not-exists", args->if_not_exists, "Succeed if the table already exists");
  SetHandler(create, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    CreateTableOptions options;
    if (!args->schema_file.empty()) {
      if (args->schemaless) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--schema and --schemaless exclude each other");
      }
      DC_ASSIGN_OR_RAISE(SchemaFile schema, LoadSchema(args->schema_file, args->input_format));
      options.schema = schema.schema;
      options.merge_keys = schema.merge_keys;
    } else if (!args->schemaless) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "give the table a schema with --schema FILE (a JSON schema or a data file "
                       "such as data.parquet), or pass --schemaless");
    }
    for (const auto& key : SplitList(args->merge_keys)) {
      if (std::find(options.merge_keys.begin(), options.merge_keys.end(), key) ==
          options.merge_keys.end()) {
        options.merge_keys.push_back(key);
      }
    }
    if (!args->description.empty()) options.table_description = args->description;
    DC_ASSIGN_OR_RAISE(options.table_properties, ParseProperties(args->properties));
    options.fail_if_exists = !args->if_not_exists;
    const TableRef ref(args->table);
    DC_ASSIGN_OR_RAISE(auto table, catalog->CreateTable(ref, std::move(options)));
    ctx.out() << "Created table " << table.ns << "/" << table.name << "\n";
    return Status::OK();
  });

  auto* list = group->add_subcommand("list", "List the tables of a namespace");
  list->add_option("--namespace", args->ns, "Namespace")->capture_default_str();
  SetHandler(list, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(auto tables, catalog->ListTables(args->ns));
    for (const auto& table : tables) ctx.out() << table.ns << "/" << table.name << "\n";
    return Status::OK();
  });

  auto* describe = group->add_subcommand("describe", "Show a table's schema and properties");
  describe->add_option("TABLE", args->table, table_help)->required();
  describe->add_option("--table-version", args->version, "Table version (default: latest active)");
  SetHandler(describe, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    std::optional<std::string> version;
    if (!args->version.empty()) version = args->version;
    DC_ASSIGN_OR_RAISE(auto table, catalog->GetTable(TableRef(args->table), version));
    PrintDefinition(ctx.out(), table);
    return Status::OK();
  });

  auto* exists = group->add_subcommand(
      "exists", "Print true/false; the exit code is 0 if the table exists, 1 if not");
  exists->add_option("TABLE", args->table, table_help)->required();
  SetHandler(exists, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(bool found, catalog->TableExists(TableRef(args->table)));
    ctx.out() << (found ? "true" : "false") << "\n";
    ctx.set_exit_code(found ? 0 : 1);
    return Status::OK();
  });

  auto* rename = group->add_subcommand("rename", "Rename a table within its namespace");
  rename->add_option("TABLE", args->table, table_help)->required();
  rename->add_option("NEW_NAME", args->new_name, "New table name")->required();
  SetHandler(rename, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_RETURN_NOT_OK(catalog->RenameTable(TableRef(args->table), args->new_name));
    ctx.out() << "Renamed table " << args->table << " to " << args->new_name << "\n";
    return Status::OK();
  });

  auto* drop = group->add_subcommand("drop", "Drop a table");
  drop->add_option("TABLE", args->table, table_help)->required();
  SetHandler(drop, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_RETURN_NOT_OK(catalog->DropTable(TableRef(args->table)));
    ctx.out() << "Dropped table " << args->table << "\n";
    return Status::OK();
  });
}

}  // namespace deltacat::cli
