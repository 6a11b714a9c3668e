#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "deltacat/cli/cli_context.h"
#include "deltacat/types.h"

namespace deltacat::cli {

/// Registers `namespace create|list|describe|rename|drop`.
void AddNamespaceCommands(CLI::App& app, CliContext& ctx);
/// Registers `table create|list|describe|exists|rename|drop`.
void AddTableCommands(CLI::App& app, CliContext& ctx);
/// Registers `write`, `read` and `compact`.
void AddDataCommands(CLI::App& app, CliContext& ctx);
/// Registers `init`, `log`, `janitor` and `version`.
void AddAdminCommands(CLI::App& app, CliContext& ctx);

/// Makes `handler` the action of `command`; its Status becomes the CLI's outcome.
void SetHandler(CLI::App* command, CliContext& ctx, std::function<Status()> handler);

/// Parses repeated `key=value` options into properties: integers, true/false, else strings.
Result<Properties> ParseProperties(const std::vector<std::string>& assignments);

/// Splits "a,b,c" into its non-empty parts.
std::vector<std::string> SplitList(const std::string& text);

/// Prints properties as `  key: value` lines.
void PrintProperties(std::ostream& out, const Properties& properties, const std::string& indent);

/// Runs the CLI in-process (what `main` does): returns the exit code; errors are printed to
/// `err` as one line "<ErrorKind>: <message>".
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace deltacat::cli
