// The catalog API end to end on a local catalog: DDL, write modes, reads, time travel,
// transactions, and typed errors for bad input.
#include "deltacat/catalog.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include "deltacat/catalog/filter_expression.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

std::shared_ptr<arrow::Table> Users(std::vector<int64_t> ids, std::vector<std::string> names) {
  arrow::Int64Builder id;
  arrow::StringBuilder name;
  // (Arrow's AppendValues of an empty vector passes memcpy a null pointer: UBSan rejects it.)
  if (!ids.empty()) {
    EXPECT_TRUE(id.AppendValues(ids).ok());
  }
  if (!names.empty()) {
    EXPECT_TRUE(name.AppendValues(names).ok());
  }
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  return arrow::Table::Make(schema, {id.Finish().ValueOrDie(), name.Finish().ValueOrDie()});
}

std::vector<int64_t> Ids(const std::shared_ptr<arrow::Table>& table) {
  auto sorted = arrow::compute::SortIndices(*table->GetColumnByName("id")).ValueOrDie();
  auto ids =
      arrow::compute::Take(table->GetColumnByName("id"), sorted).ValueOrDie().chunked_array();
  std::vector<int64_t> out;
  for (const auto& chunk : ids->chunks()) {
    auto array = std::static_pointer_cast<arrow::Int64Array>(chunk);
    for (int64_t i = 0; i < array->length(); ++i) out.push_back(array->Value(i));
  }
  return out;
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Catalog::Open(dir_.Child("catalog"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    catalog_ = *opened;
  }
  testing::TempDir dir_;
  std::shared_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, BootstrapCreatesTheDefaultNamespace) {
  auto namespaces = catalog_->ListNamespaces();
  ASSERT_TRUE(namespaces.ok()) << namespaces.status();
  ASSERT_EQ(namespaces->size(), 1u);
  EXPECT_EQ(namespaces->front().name, "default");
  // Reopening does not create a second one.
  auto again = Catalog::Open(dir_.Child("catalog"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->ListNamespaces()->size(), 1u);
}

TEST_F(CatalogTest, NamespaceLifecycle) {
  ASSERT_TRUE(catalog_->CreateNamespace("sales", {{"owner", std::string("ana")}}).ok());
  EXPECT_EQ(catalog_->CreateNamespace("sales").status().code(), ErrorCode::kNamespaceAlreadyExists);
  auto ns = catalog_->GetNamespace("sales");
  ASSERT_TRUE(ns.ok()) << ns.status();
  EXPECT_EQ(std::get<std::string>(ns->properties.at("owner")), "ana");
  ASSERT_TRUE(catalog_->AlterNamespace("sales", std::nullopt, std::string("revenue")).ok());
  EXPECT_FALSE(*catalog_->NamespaceExists("sales"));
  EXPECT_TRUE(*catalog_->NamespaceExists("revenue"));
  ASSERT_TRUE(catalog_->DropNamespace("revenue").ok());
  EXPECT_EQ(catalog_->GetNamespace("revenue").status().code(), ErrorCode::kNamespaceNotFound);
  EXPECT_EQ(catalog_->CreateNamespace("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->CreateNamespace("a/b").status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(CatalogTest, AutoCreateThenAddAndRead) {
  auto first = catalog_->Write("users", Users({1, 2, 3}, {"a", "b", "c"}));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->type, "append");
  EXPECT_EQ(first->stream_position, 1);
  auto second = catalog_->Write("users", Users({4, 5}, {"d", "e"}));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->type, "add");
  EXPECT_GT(second->stream_position, (int64_t{1} << 48) - 1);
  auto rows = catalog_->ReadTable("users");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(Ids(*rows), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  auto definition = catalog_->GetTable("users");
  ASSERT_TRUE(definition.ok());
  ASSERT_TRUE(definition->version.has_value());
  EXPECT_EQ(definition->version->version, "1");
}

TEST_F(CatalogTest, ProjectionFilterAndFilePathColumn) {
  ASSERT_TRUE(catalog_->Write("users", Users({1, 2, 3}, {"a", "b", "c"})).ok());
  ReadOptions options;
  options.columns = {"ID"};  // matched case-insensitively, returned with the schema's name
  options.filter = *ParseFilterExpression("id >= 2");
  options.file_path_column = "path";
  auto rows = catalog_->ReadTable("users", options);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)->schema()->num_fields(), 2);
  EXPECT_EQ((*rows)->schema()->field(0)->name(), "id");
  EXPECT_EQ(Ids(*rows), (std::vector<int64_t>{2, 3}));
  ReadOptions bad;
  bad.columns = {"nope"};
  EXPECT_EQ(catalog_->ReadTable("users", bad).status().code(), ErrorCode::kSchemaValidation);
  ReadOptions bad_filter;
  bad_filter.filter = *ParseFilterExpression("nope = 1");
  EXPECT_EQ(catalog_->ReadTable("users", bad_filter).status().code(), ErrorCode::kSchemaValidation);
}

TEST_F(CatalogTest, ModeErrorsAreTypedAndWriteNothing) {
  EXPECT_EQ(
      catalog_->Write("missing", Users({1}, {"a"}), {TableWriteMode::kAppend}).status().code(),
      ErrorCode::kTableNotFound);
  ASSERT_TRUE(catalog_->Write("users", Users({1}, {"a"})).ok());
  WriteOptions create;
  create.mode = TableWriteMode::kCreate;
  EXPECT_EQ(catalog_->Write("users", Users({2}, {"b"}), create).status().code(),
            ErrorCode::kTableAlreadyExists);
  WriteOptions merge;
  merge.mode = TableWriteMode::kMerge;
  EXPECT_EQ(catalog_->Write("users", Users({2}, {"b"}), merge).status().code(),
            ErrorCode::kTableValidation);
  EXPECT_EQ(catalog_->Write("nons/users", Users({2}, {"b"})).status().code(),
            ErrorCode::kNamespaceNotFound);
  EXPECT_EQ(catalog_->ReadTable("nope").status().code(), ErrorCode::kTableNotFound);
  EXPECT_EQ(Ids(*catalog_->ReadTable("users")), (std::vector<int64_t>{1}));
}

TEST_F(CatalogTest, MergeKeysOnBadColumnsAreRejected) {
  CreateTableOptions options;
  options.schema = Users({}, {})->schema();
  options.merge_keys = {"missing"};
  EXPECT_EQ(catalog_->CreateTable("t", options).status().code(), ErrorCode::kSchemaValidation);
  options.schema = arrow::schema({arrow::field("score", arrow::float64())});
  options.merge_keys = {"score"};
  EXPECT_EQ(catalog_->CreateTable("t", options).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(*catalog_->TableExists("t"));
}

TEST_F(CatalogTest, MergeOnReadUpsertsAndDeletes) {
  CreateTableOptions options;
  options.schema = Users({}, {})->schema();
  options.merge_keys = {"id"};
  options.table_properties = {{"read_optimization_level", std::string("none")}};
  ASSERT_TRUE(catalog_->CreateTable("users", options).ok());
  WriteOptions merge;
  merge.mode = TableWriteMode::kMerge;
  ASSERT_TRUE(catalog_->Write("users", Users({1, 2, 3}, {"a", "b", "c"}), merge).ok());
  ASSERT_TRUE(catalog_->Write("users", Users({2, 4}, {"B", "d"}), merge).ok());
  WriteOptions del;
  del.mode = TableWriteMode::kDelete;
  ASSERT_TRUE(catalog_->Write("users", Users({1}, {"ignored"}), del).ok());
  auto rows = catalog_->ReadTable("users");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(Ids(*rows), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ((*rows)->num_rows(), 3);
}

TEST_F(CatalogTest, SchemaEvolvesOnWrite) {
  ASSERT_TRUE(catalog_->Write("users", Users({1}, {"a"})).ok());
  arrow::Int64Builder id;
  arrow::StringBuilder city;
  ASSERT_TRUE(id.Append(2).ok());
  ASSERT_TRUE(city.Append("Oslo").ok());
  auto with_city = arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("city", arrow::utf8())}),
      {id.Finish().ValueOrDie(), city.Finish().ValueOrDie()});
  ASSERT_TRUE(catalog_->Write("users", with_city).ok());
  auto definition = catalog_->GetTable("users");
  ASSERT_TRUE(definition.ok());
  EXPECT_EQ(definition->version->schema_id, 1);
  EXPECT_EQ(definition->version->schema->num_fields(), 3);
  auto rows = catalog_->ReadTable("users");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)->num_rows(), 2);
  EXPECT_EQ((*rows)->GetColumnByName("city")->null_count(), 1);
}

TEST_F(CatalogTest, TimeTravelAndTransactions) {
  ASSERT_TRUE(catalog_->Write("users", Users({1}, {"a"})).ok());
  auto history = catalog_->Transactions(10);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_FALSE(history->empty());
  const int64_t after_first = history->front().end_time + 1;
  ASSERT_TRUE(catalog_->Write("users", Users({2}, {"b"})).ok());
  ReadOptions as_of;
  as_of.as_of = after_first;
  auto past = catalog_->ReadTable("users", as_of);
  ASSERT_TRUE(past.ok()) << past.status();
  EXPECT_EQ(Ids(*past), (std::vector<int64_t>{1}));
  EXPECT_EQ(Ids(*catalog_->ReadTable("users")), (std::vector<int64_t>{1, 2}));

  // A multi-table transaction: invisible until commit, atomic, readable inside.
  auto txn = catalog_->BeginTransaction();
  ASSERT_TRUE(txn.ok()) << txn.status();
  ASSERT_TRUE(catalog_->Write("a", Users({1}, {"x"}), {}, txn->get()).ok());
  ASSERT_TRUE(catalog_->Write("b", Users({2}, {"y"}), {}, txn->get()).ok());
  EXPECT_TRUE(*catalog_->TableExists("a", txn->get()));
  EXPECT_FALSE(*catalog_->TableExists("a"));
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_TRUE(*catalog_->TableExists("a"));
  EXPECT_TRUE(*catalog_->TableExists("b"));

  // Abort discards everything.
  auto aborted = catalog_->BeginTransaction();
  ASSERT_TRUE(catalog_->Write("c", Users({3}, {"z"}), {}, aborted->get()).ok());
  ASSERT_TRUE((*aborted)->Abort().ok());
  EXPECT_FALSE(*catalog_->TableExists("c"));
}

TEST_F(CatalogTest, RenameAndDropTables) {
  ASSERT_TRUE(catalog_->Write("t", Users({1}, {"a"})).ok());
  ASSERT_TRUE(catalog_->RenameTable("t", "u").ok());
  EXPECT_FALSE(*catalog_->TableExists("t"));
  EXPECT_EQ(Ids(*catalog_->ReadTable("u")), (std::vector<int64_t>{1}));
  EXPECT_EQ(catalog_->RenameTable("missing", "x").code(), ErrorCode::kTableNotFound);
  ASSERT_TRUE(catalog_->DropTable("u").ok());
  EXPECT_FALSE(*catalog_->TableExists("u"));
  EXPECT_EQ(catalog_->DropTable("u").code(), ErrorCode::kTableNotFound);
  // The name can be reused.
  ASSERT_TRUE(catalog_->Write("u", Users({7}, {"g"})).ok());
  EXPECT_EQ(Ids(*catalog_->ReadTable("u")), (std::vector<int64_t>{7}));
}

TEST_F(CatalogTest, ReplaceSwapsAllData) {
  ASSERT_TRUE(catalog_->Write("t", Users({1, 2}, {"a", "b"})).ok());
  WriteOptions replace;
  replace.mode = TableWriteMode::kReplace;
  ASSERT_TRUE(catalog_->Write("t", Users({9}, {"z"}), replace).ok());
  EXPECT_EQ(Ids(*catalog_->ReadTable("t")), (std::vector<int64_t>{9}));
}

}  // namespace
}  // namespace deltacat

namespace deltacat {
namespace {

// The default (read_optimization_level=max): every MERGE/DELETE compacts inline, so the table
// always holds one compacted delta, as Python DeltaCAT expects.
TEST_F(CatalogTest, CopyOnWriteUpsertsAndDeletes) {
  CreateTableOptions options;
  options.schema = Users({}, {})->schema();
  options.merge_keys = {"id"};
  ASSERT_TRUE(catalog_->CreateTable("users", options).ok());
  WriteOptions merge;
  merge.mode = TableWriteMode::kMerge;
  ASSERT_TRUE(catalog_->Write("users", Users({1, 2, 3}, {"a", "b", "c"}), merge).ok());
  ASSERT_TRUE(catalog_->Write("users", Users({2, 4, 4}, {"B", "d", "D"}), merge).ok());
  WriteOptions del;
  del.mode = TableWriteMode::kDelete;
  ASSERT_TRUE(catalog_->Write("users", Users({1, 99}, {"x", "y"}), del).ok());
  auto rows = catalog_->ReadTable("users");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(Ids(*rows), (std::vector<int64_t>{2, 3, 4}));
  ASSERT_TRUE(catalog_->Compact("users").ok());
  EXPECT_EQ(Ids(*catalog_->ReadTable("users")), (std::vector<int64_t>{2, 3, 4}));
}

}  // namespace
}  // namespace deltacat
