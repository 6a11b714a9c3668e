// The `deltacat` command-line tool.
#include <iostream>

#include "deltacat/cli/commands.h"
#include "deltacat/logging.h"
#include "deltacat/runtime.h"

int main(int argc, char** argv) {
  deltacat::RuntimeScope runtime;
  if (!runtime.status().ok()) {
    std::cerr << runtime.status().ToString() << std::endl;
    return 1;
  }
  // DELTACAT_* logging variables work as in Python DeltaCAT; a bad one is reported, not fatal.
  if (auto logging = deltacat::ConfigureLoggingFromEnvironment(); !logging.ok()) {
    std::cerr << "deltacat: logging not configured: " << logging.ToString() << std::endl;
  }
  return deltacat::cli::RunCli(argc, argv, std::cout, std::cerr);
}
