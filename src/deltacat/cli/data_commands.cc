#include "deltacat/catalog/filter_expression.h"
#include "deltacat/cli/commands.h"
#include "deltacat/cli/input_files.h"
#include "deltacat/cli/progress.h"
#include "deltacat/cli/python_driver.h"
#include "deltacat/cli/table_output.h"
#include "deltacat/cli/time_argument.h"
#include "deltacat/util/byte_size.h"

namespace deltacat::cli {

void AddDataCommands(CLI::App& app, CliContext& ctx) {
  struct Args {
    std::string table;
    std::vector<std::string> files;
    std::string mode = "auto";
    std::string input_format;
    std::string content_type = "parquet";
    std::string merge_keys;
    std::string columns;
    std::string where;
    std::string as_of;
    std::string output = "-";
    std::string output_format = "pretty";
    std::string table_version;
    bool read_stats = false;
    std::string memory_budget = "2GiB";
    std::string executor = "local";
    std::string ray_address;
    int32_t hash_buckets = 0;
    bool schemaless = false;
  };
  auto args = std::make_shared<Args>();
  const std::string table_help = "Table as [NAMESPACE/]TABLE";

  auto* write = app.add_subcommand("write", "Write data files to a table");
  write->add_option("TABLE", args->table, table_help)->required();
  write->add_option("FILE", args->files, "Input files (parquet, feather, orc, csv, tsv, psv, json)")
      ->required();
  write
      ->add_option("--mode", args->mode,
                   "auto, create, add, append, chrono, replace, merge or delete")
      ->capture_default_str();
  write->add_option("--input-format", args->input_format,
                    "Format of the input files (default: from the file extension)");
  write->add_option("--content-type", args->content_type, "Format the table stores the data in")
      ->capture_default_str();
  write->add_option("--merge-keys", args->merge_keys,
                    "Merge keys, when the write creates the table");
  write->add_flag("--schemaless", args->schemaless,
                  "Create a schemaless table if the write creates one");
  SetHandler(write, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    WriteOptions options;
    DC_ASSIGN_OR_RAISE(options.mode, ParseTableWriteMode(args->mode));
    DC_ASSIGN_OR_RAISE(options.content_type, ParseContentType(args->content_type));
    options.create.merge_keys = SplitList(args->merge_keys);
    options.schemaless = args->schemaless;
    std::shared_ptr<arrow::Table> input;
    {
      Progress reading(ctx.err(), ctx.show_progress(), "reading input", "files");
      DC_ASSIGN_OR_RAISE(input, ReadInputFiles(args->files, args->input_format));
      reading.Advance(static_cast<int64_t>(args->files.size()));
    }
    Progress progress(ctx.err(), ctx.show_progress(), "writing " + args->table, "rows",
                      input->num_rows());
    auto reader =
        CountingReader(std::make_shared<arrow::TableBatchReader>(std::move(input)), progress);
    DC_ASSIGN_OR_RAISE(DeltaInfo delta, catalog->Write(TableRef(args->table), reader, options));
    ctx.out() << "Wrote " << delta.record_count << " rows to " << args->table << " (" << delta.type
              << " delta at stream position " << delta.stream_position << ")\n";
    return Status::OK();
  });

  auto* read = app.add_subcommand("read", "Read a table");
  read->add_option("TABLE", args->table, table_help)->required();
  read->add_option("--columns", args->columns, "Comma-separated columns to read");
  read->add_option("--where", args->where,
                   "Row filter, e.g. \"id > 10 and name in ('a', 'b') and score is not null\"");
  read->add_option("--as-of", args->as_of,
                   "Time travel: epoch nanoseconds or ISO-8601 (e.g. 2026-11-24T07:00:00Z)");
  read->add_option("--table-version", args->table_version,
                   "Table version (default: latest active)");
  read->add_option("--output", args->output, "Output file, or - for stdout")->capture_default_str();
  read->add_option("--output-format", args->output_format, "csv, json, parquet, feather or pretty")
      ->capture_default_str();
  read->add_flag("--stats", args->read_stats,
                 "Print to stderr how many data files the read pruned by their statistics");
  SetHandler(read, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(OutputFormat format, ParseOutputFormat(args->output_format));
    ReadOptions options;
    options.columns = SplitList(args->columns);
    if (!args->where.empty()) {
      DC_ASSIGN_OR_RAISE(options.filter, ParseFilterExpression(args->where));
    }
    if (!args->as_of.empty()) {
      DC_ASSIGN_OR_RAISE(options.as_of, ParseTimeArgument(args->as_of));
    }
    if (!args->table_version.empty()) options.table_version = args->table_version;
    ReadStatistics statistics;
    options.statistics = &statistics;
    Progress progress(ctx.err(), ctx.show_progress(), "reading " + args->table, "rows");
    DC_ASSIGN_OR_RAISE(auto reader, catalog->Read(TableRef(args->table), options));
    if (args->read_stats) {
      ctx.err() << "files: " << statistics.files_total << " total, " << statistics.files_pruned
                << " pruned, " << statistics.files_without_statistics << " without statistics"
                << (statistics.merged_on_read ? ", merged on read" : "") << "\n";
    }
    auto counted = CountingReader(std::move(reader), progress);
    DC_ASSIGN_OR_RAISE(int64_t rows, WriteTableOutput(*counted, format, args->output, ctx.out()));
    (void)rows;
    return Status::OK();
  });

  auto* compact = app.add_subcommand("compact", "Compact a table (merge upserts and deletes)");
  compact->add_option("TABLE", args->table, table_help)->required();
  compact->add_option("--hash-buckets", args->hash_buckets,
                      "Hash bucket count (default: the previous round's, else the table property)");
  compact->add_option("--memory-budget", args->memory_budget, "Memory budget, e.g. 2GiB")
      ->capture_default_str();
  compact
      ->add_option("--executor", args->executor,
                   "local (a thread pool) or ray (tasks on a Ray cluster, run through "
                   "$DELTACAT_PYTHON -m deltacat_cpp.ray_compact)")
      ->capture_default_str();
  compact->add_option("--ray-address", args->ray_address,
                      "Ray cluster address for --executor ray (default: Ray's own choice)");
  SetHandler(compact, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    CompactOptions options;
    if (args->hash_buckets > 0) options.hash_buckets = args->hash_buckets;
    DC_ASSIGN_OR_RAISE(options.memory_budget_bytes, ParseByteSize(args->memory_budget));
    if (args->executor == "ray") {
      // Ray needs a Python driver: the same compaction, planned and committed by libdeltacat
      // inside deltacat_cpp, with its tasks on Ray.
      std::vector<std::string> module_args = {"--catalog", catalog->root_uri(),
                                              "--memory-budget-bytes",
                                              std::to_string(options.memory_budget_bytes)};
      if (options.hash_buckets) {
        module_args.insert(module_args.end(),
                           {"--hash-buckets", std::to_string(*options.hash_buckets)});
      }
      if (!args->ray_address.empty()) {
        module_args.insert(module_args.end(), {"--ray-address", args->ray_address});
      }
      const TableRef table(args->table);
      module_args.push_back(table.ns + "/" + table.name);
      return RunPythonModule("deltacat_cpp.ray_compact", module_args, ctx.out(), ctx.err());
    }
    if (!args->ray_address.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "--ray-address needs --executor ray");
    }
    if (args->executor != "local") {
      return MakeError(ErrorCode::kInvalidArgument, "unknown executor '", args->executor,
                       "': expected local or ray");
    }
    options.executor = args->executor;
    {
      Progress progress(ctx.err(), ctx.show_progress(), "compacting " + args->table, "");
      DC_RETURN_NOT_OK(catalog->Compact(TableRef(args->table), options));
    }
    ctx.out() << "Compacted " << args->table << "\n";
    return Status::OK();
  });
}

}  // namespace deltacat::cli
