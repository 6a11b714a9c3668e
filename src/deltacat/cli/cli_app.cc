#include <charconv>
#include <iostream>

#include "deltacat/cli/commands.h"
#include "deltacat/cli/progress.h"
#include "deltacat/runtime.h"

namespace deltacat::cli {

void SetHandler(CLI::App* command, CliContext& ctx, std::function<Status()> handler) {
  command->callback([&ctx, handler = std::move(handler)]() { ctx.set_status(handler()); });
}

Result<Properties> ParseProperties(const std::vector<std::string>& assignments) {
  Properties properties;
  for (const auto& assignment : assignments) {
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "property '", assignment,
                       "' must have the form key=value");
    }
    const std::string key = assignment.substr(0, eq);
    const std::string value = assignment.substr(eq + 1);
    int64_t number = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (!value.empty() && ec == std::errc() && end == value.data() + value.size()) {
      properties[key] = number;
    } else if (value == "true" || value == "false") {
      properties[key] = value == "true";
    } else {
      properties[key] = value;
    }
  }
  return properties;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string part = text.substr(start, comma - start);
    const size_t first = part.find_first_not_of(' ');
    const size_t last = part.find_last_not_of(' ');
    if (first != std::string::npos) parts.push_back(part.substr(first, last - first + 1));
    start = comma + 1;
  }
  return parts;
}

void PrintProperties(std::ostream& out, const Properties& properties, const std::string& indent) {
  for (const auto& [key, value] : properties) {
    out << indent << key << ": ";
    std::visit(
        [&out](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>) {
            out << "null";
          } else if constexpr (std::is_same_v<V, bool>) {
            out << (v ? "true" : "false");
          } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
            out << "[";
            for (size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
            out << "]";
          } else {
            out << v;
          }
        },
        value);
    out << "\n";
  }
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CliContext ctx(out, err);
  CLI::App app{"deltacat: the DeltaCAT lakehouse catalog from the shell", "deltacat"};
  app.require_subcommand(1);
  app.add_option("--catalog", ctx.catalog_uri(),
                 "Catalog root URI: a local path or s3://bucket/prefix "
                 "(default: $DELTACAT_ROOT, else ./.deltacat)");
  AddAdminCommands(app, ctx);
  AddNamespaceCommands(app, ctx);
  AddTableCommands(app, ctx);
  AddDataCommands(app, ctx);
  ctx.set_show_progress(&err == &std::cerr && StderrIsTerminal());
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    // Help on a subcommand and usage errors are formatted by CLI11 itself.
    return app.exit(e, out, err);
  } catch (const std::exception& e) {
    // No exception crosses the CLI: a third-party throw is reported like any other error.
    ctx.set_status(Status(ErrorCode::kInternal, e.what()));
  }
  if (!ctx.status().ok()) {
    // Exactly one line, whatever the message holds (Arrow errors may span several).
    std::string line = ctx.status().ToString();
    for (char& c : line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    err << line << std::endl;
    return 1;
  }
  return ctx.exit_code();
}

}  // namespace deltacat::cli
