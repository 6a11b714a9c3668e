#include "deltacat/cli/commands.h"

namespace deltacat::cli {

void AddNamespaceCommands(CLI::App& app, CliContext& ctx) {
  auto* group =
      app.add_subcommand("namespace", "Create, list, describe, rename and drop namespaces");
  group->require_subcommand(1);

  struct Args {
    std::string name;
    std::string new_name;
    std::vector<std::string> properties;
  };
  auto args = std::make_shared<Args>();

  auto* create = group->add_subcommand("create", "Create a namespace");
  create->add_option("NAME", args->name, "Namespace name")->required();
  create->add_option("--property", args->properties, "Property key=value (repeatable)");
  SetHandler(create, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(Properties properties, ParseProperties(args->properties));
    DC_ASSIGN_OR_RAISE(auto ns, catalog->CreateNamespace(args->name, std::move(properties)));
    ctx.out() << "Created namespace " << ns.name << "\n";
    return Status::OK();
  });

  auto* list = group->add_subcommand("list", "List namespaces");
  SetHandler(list, ctx, [&ctx]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(auto namespaces, catalog->ListNamespaces());
    for (const auto& ns : namespaces) ctx.out() << ns.name << "\n";
    return Status::OK();
  });

  auto* describe = group->add_subcommand("describe", "Show a namespace and its properties");
  describe->add_option("NAME", args->name, "Namespace name")->required();
  SetHandler(describe, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_ASSIGN_OR_RAISE(auto ns, catalog->GetNamespace(args->name));
    DC_ASSIGN_OR_RAISE(auto tables, catalog->ListTables(args->name));
    ctx.out() << "namespace: " << ns.name << "\n";
    ctx.out() << "properties:\n";
    PrintProperties(ctx.out(), ns.properties, "  ");
    ctx.out() << "tables: " << tables.size() << "\n";
    return Status::OK();
  });

  auto* rename = group->add_subcommand("rename", "Rename a namespace (its tables move along)");
  rename->add_option("NAME", args->name, "Current name")->required();
  rename->add_option("NEW_NAME", args->new_name, "New name")->required();
  SetHandler(rename, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_RETURN_NOT_OK(catalog->AlterNamespace(args->name, std::nullopt, args->new_name));
    ctx.out() << "Renamed namespace " << args->name << " to " << args->new_name << "\n";
    return Status::OK();
  });

  auto* drop = group->add_subcommand("drop", "Drop a namespace");
  drop->add_option("NAME", args->name, "Namespace name")->required();
  SetHandler(drop, ctx, [&ctx, args]() -> Status {
    DC_ASSIGN_OR_RAISE(auto catalog, ctx.catalog());
    DC_RETURN_NOT_OK(catalog->DropNamespace(args->name));
    ctx.out() << "Dropped namespace " << args->name << "\n";
    return Status::OK();
  });
}

}  // namespace deltacat::cli
