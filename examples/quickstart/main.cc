// DeltaCAT C++ quickstart: the main job on a catalog at ./.deltacat (or the path given as the
// first argument): create a table with a merge key, write, upsert, delete, read, time travel,
// compact, read again.
#include <arrow/api.h>
#include <arrow/pretty_print.h>

#include <iostream>

#include "deltacat/catalog.h"
#include "deltacat/runtime.h"

namespace {

std::shared_ptr<arrow::Table> Users(std::vector<int64_t> ids, std::vector<std::string> names,
                                    std::vector<int64_t> ages) {
  arrow::Int64Builder id, age;
  arrow::StringBuilder name;
  (void)id.AppendValues(ids);
  (void)name.AppendValues(names);
  (void)age.AppendValues(ages);
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
                     arrow::field("age", arrow::int64())});
  return arrow::Table::Make(
      schema, {id.Finish().ValueOrDie(), name.Finish().ValueOrDie(), age.Finish().ValueOrDie()});
}

void Show(const std::string& title, const std::shared_ptr<arrow::Table>& table) {
  std::cout << "\n== " << title << " (" << table->num_rows() << " rows)\n";
  auto sorted = table->CombineChunks().ValueOrDie();
  (void)arrow::PrettyPrint(*sorted, {0}, &std::cout);
}

deltacat::Status Run(const std::string& root) {
  using namespace deltacat;
  DC_ASSIGN_OR_RAISE(auto catalog, Catalog::Open(root));
  std::cout << "catalog: " << catalog->root_uri() << "\n";
  const TableRef users("quickstart/users");

  // A fresh start each run: drop the previous run's table and namespace.
  DC_ASSIGN_OR_RAISE(bool namespace_exists, catalog->NamespaceExists("quickstart"));
  if (namespace_exists) {
    DC_ASSIGN_OR_RAISE(bool table_exists, catalog->TableExists(users));
    if (table_exists) DC_RETURN_NOT_OK(catalog->DropTable(users));
    DC_RETURN_NOT_OK(catalog->DropNamespace("quickstart"));
  }
  DC_RETURN_NOT_OK(catalog->CreateNamespace("quickstart").status());

  CreateTableOptions create;
  create.schema = Users({}, {}, {})->schema();
  create.merge_keys = {"id"};
  DC_RETURN_NOT_OK(catalog->CreateTable(users, create).status());

  WriteOptions merge;
  merge.mode = TableWriteMode::kMerge;
  DC_RETURN_NOT_OK(
      catalog->Write(users, Users({1, 2, 3}, {"ann", "bob", "cy"}, {31, 42, 27}), merge).status());
  DC_ASSIGN_OR_RAISE(auto history, catalog->Transactions(1));
  const int64_t after_first_write = history.front().end_time + 1;

  // Upsert: bob has a birthday, dee arrives.
  DC_RETURN_NOT_OK(catalog->Write(users, Users({2, 4}, {"bob", "dee"}, {43, 35}), merge).status());
  // Delete cy.
  WriteOptions del;
  del.mode = TableWriteMode::kDelete;
  DC_RETURN_NOT_OK(catalog->Write(users, Users({3}, {"cy"}, {27}), del).status());

  DC_ASSIGN_OR_RAISE(auto now, catalog->ReadTable(users));
  Show("users now", now);

  ReadOptions past;
  past.as_of = after_first_write;
  DC_ASSIGN_OR_RAISE(auto then, catalog->ReadTable(users, past));
  Show("users as of the first write (time travel)", then);

  DC_RETURN_NOT_OK(catalog->Compact(users));
  DC_ASSIGN_OR_RAISE(auto compacted, catalog->ReadTable(users));
  Show("users after compaction", compacted);
  return Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  deltacat::RuntimeScope runtime;
  std::cout << deltacat::VersionString() << "\n";
  auto status = Run(argc > 1 ? argv[1] : ".deltacat");
  if (!status.ok()) {
    std::cerr << status.ToString() << std::endl;
    return 1;
  }
  std::cout << "\nquickstart: done\n";
  return 0;
}
