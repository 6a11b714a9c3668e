// The `deltacat` command-line tool.
#include <iostream>

#include "deltacat/cli/commands.h"
#include "deltacat/runtime.h"

int main(int argc, char** argv) {
  deltacat::RuntimeScope runtime;
  if (!runtime.status().ok()) {
    std::cerr << runtime.status().ToString() << std::endl;
    return 1;
  }
  return deltacat::cli::RunCli(argc, argv, std::cout, std::cerr);
}
