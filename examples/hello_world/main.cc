// DeltaCAT's hello_world example in C++: the driver and one worker print the library and
// dependency versions, which makes it a smoke test that a deployed build runs.
//
//   build/bin/hello_world

#include <arrow/config.h>

#include <future>
#include <iostream>
#include <string>

#include "deltacat/runtime.h"

namespace {

void PrintPackageVersionInfo(std::ostream& out) {
  out << "DeltaCAT C++ Version: " << deltacat::VersionString() << "\n"
      << "Arrow C++ Version: " << arrow::GetBuildInfo().version_string << "\n"
      << "Compiler: " << __VERSION__ << ", C++ " << __cplusplus << std::endl;
}

// TODO(catalog): as DeltaCAT's hello_world does, have the worker write the two-row table
// {"hello": ["delta", "cat"]} to table "hello_world" of a local catalog under .deltacat/, and
// the driver read it back and print it. Needs the catalog layer, which does not exist yet.
void WriteAndReadHelloWorldTable() {
  std::cout << "TODO(catalog): table write/read-back skipped (no catalog yet)" << std::endl;
}

}  // namespace

int main() {
  deltacat::RuntimeScope runtime;
  if (!runtime.status().ok()) {
    std::cerr << "hello_world: " << runtime.status() << std::endl;
    return 1;
  }
  std::cout << "Hello, Driver!" << std::endl;
  PrintPackageVersionInfo(std::cout);
  // One task on a worker thread; the driver waits for it (the Python original's Ray task was
  // fire-and-forget, so its output could be lost).
  auto worker = std::async(std::launch::async, [] {
    std::cout << "Hello, Worker!" << std::endl;
    PrintPackageVersionInfo(std::cout);
  });
  worker.get();
  WriteAndReadHelloWorldTable();
  return 0;
}
