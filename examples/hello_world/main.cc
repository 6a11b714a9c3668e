// DeltaCAT's hello_world example in C++: the driver and one worker print the library and
// dependency versions; the worker writes the table {"hello": ["delta", "cat"]} to a local
// catalog ($DELTACAT_ROOT, else ./.deltacat) and the driver reads it back and prints it. A
// smoke test that a deployed build runs end to end.
//
//   build/bin/hello_world

#include <arrow/api.h>
#include <arrow/config.h>
#include <arrow/pretty_print.h>

#include <future>
#include <iostream>
#include <string>

#include "deltacat/catalog.h"
#include "deltacat/runtime.h"

namespace {

void PrintPackageVersionInfo(std::ostream& out) {
  out << "DeltaCAT C++ Version: " << deltacat::VersionString() << "\n"
      << "Arrow C++ Version: " << arrow::GetBuildInfo().version_string << "\n"
      << "Compiler: " << __VERSION__ << ", C++ " << __cplusplus << std::endl;
}

const deltacat::TableRef kHelloWorldTable("hello_world");

/// The worker's job: (re)write the two-row table. REPLACE keeps reruns from piling up rows.
deltacat::Status WriteHelloWorldTable(deltacat::Catalog& catalog) {
  arrow::StringBuilder hello;
  DC_RETURN_NOT_OK(hello.AppendValues({"delta", "cat"}));
  DC_ASSIGN_OR_RAISE(auto column, hello.Finish());
  auto table = arrow::Table::Make(arrow::schema({arrow::field("hello", arrow::utf8())}), {column});
  DC_ASSIGN_OR_RAISE(bool exists, catalog.TableExists(kHelloWorldTable));
  deltacat::WriteOptions options;
  options.mode = exists ? deltacat::TableWriteMode::kReplace : deltacat::TableWriteMode::kCreate;
  return catalog.Write(kHelloWorldTable, table, options).status();
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
  auto catalog = deltacat::Catalog::Open();
  if (!catalog.ok()) {
    std::cerr << "hello_world: " << catalog.status() << std::endl;
    return 1;
  }
  // One task on a worker thread; the driver waits for it (the Python original's Ray task was
  // fire-and-forget, so its output could be lost).
  auto worker = std::async(std::launch::async, [&catalog] {
    std::cout << "Hello, Worker!" << std::endl;
    PrintPackageVersionInfo(std::cout);
    return WriteHelloWorldTable(**catalog);
  });
  if (deltacat::Status written = worker.get(); !written.ok()) {
    std::cerr << "hello_world: " << written << std::endl;
    return 1;
  }
  auto table = (*catalog)->ReadTable(kHelloWorldTable);
  if (!table.ok()) {
    std::cerr << "hello_world: " << table.status() << std::endl;
    return 1;
  }
  std::cout << "Table " << kHelloWorldTable.name << " in " << (*catalog)->root_uri() << ":"
            << std::endl;
  (void)arrow::PrettyPrint(**table, {0}, &std::cout);
  return 0;
}
