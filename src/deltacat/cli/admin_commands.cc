#include <iomanip>

#include "deltacat/cli/commands.h"
#include "deltacat/runtime.h"

namespace deltacat::cli {

void AddAdminCommands(CLI::App& app, CliContext& ctx) {
  auto* init = app.add_subcommand("init", "Create the catalog (if needed) and print its root");
  SetHandler(init, ctx, [&ctx]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    ctx.out() << "Initialized DeltaCAT catalog at " << catalog->root_uri() << "\n";
    return Status::OK();
  });

  auto* log = app.add_subcommand("log", "Show the transaction history, newest first");
  auto limit = std::make_shared<int64_t>(20);
  log->add_option("--limit", *limit, "How many transactions to show")->capture_default_str();
  SetHandler(log, ctx, [&ctx, limit]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(auto history, catalog->Transactions(*limit));
    for (const auto& txn : history) {
      ctx.out() << txn.id << "  " << txn.status << "  start=" << txn.start_time
                << "  end=" << txn.end_time << "  ops=" << txn.operation_types.size();
      if (txn.commit_message) ctx.out() << "  message=" << std::quoted(*txn.commit_message);
      ctx.out() << "\n";
    }
    return Status::OK();
  });

  auto* janitor = app.add_subcommand(
      "janitor", "Remove what dead or failed writers left behind (never committed data)");
  SetHandler(janitor, ctx, [&ctx]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(auto report, catalog->RunJanitor());
    for (const auto& path : report.removed_paths) ctx.out() << "removed " << path << "\n";
    ctx.out() << "cleaned " << report.transactions_cleaned << " transaction(s), removed "
              << report.removed_paths.size() << " file(s)\n";
    return Status::OK();
  });

  auto* version = app.add_subcommand("version", "Print the version of deltacat and Arrow");
  SetHandler(version, ctx, [&ctx]() -> Status {
    ctx.out() << VersionString() << "\n";
    return Status::OK();
  });
}

}  // namespace deltacat::cli
