// Compaction through a RemoteTaskRunner (the driver side of the Ray executor), ExecuteTask (the
// worker side), the lifetime of compaction intermediates, and writes that create their
// namespace.
#include "deltacat/remote_tasks.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include "deltacat/catalog.h"
#include "deltacat/storage/transaction_id.h"
#include "support/temp_dir.h"

namespace deltacat {
namespace {

std::shared_ptr<arrow::Table> Users(std::vector<int64_t> ids, std::vector<std::string> names) {
  arrow::Int64Builder id;
  arrow::StringBuilder name;
  // (Arrow's AppendValues copies from data() even when empty: a null pointer for UBSan.)
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

/// The table's rows sorted by id, as "id=name" strings.
std::vector<std::string> Rows(const std::shared_ptr<arrow::Table>& table) {
  auto sorted = arrow::compute::SortIndices(*table->GetColumnByName("id")).ValueOrDie();
  auto taken = arrow::compute::Take(table, sorted).ValueOrDie().table()->CombineChunks();
  auto ids = std::static_pointer_cast<arrow::Int64Array>((*taken)->GetColumnByName("id")->chunk(0));
  auto names =
      std::static_pointer_cast<arrow::StringArray>((*taken)->GetColumnByName("name")->chunk(0));
  std::vector<std::string> out;
  for (int64_t i = 0; i < ids->length(); ++i) {
    out.push_back(std::to_string(ids->Value(i)) + "=" + names->GetString(i));
  }
  return out;
}

/// Runs every task in this process through ExecuteTask, as a Ray worker would, and records
/// what it was given. Fails the first task of kind `fail_kind`.
class RecordingRunner final : public RemoteTaskRunner {
 public:
  Result<std::vector<std::string>> Run(const std::vector<RemoteTask>& tasks) override {
    std::vector<std::string> results;
    for (const RemoteTask& task : tasks) {
      {
        std::lock_guard lock(mutex);
        seen.push_back(task);
      }
      if (task.kind == fail_kind) {
        return MakeError(ErrorCode::kTransientIOError, "injected failure of a ", task.kind,
                         " task");
      }
      DC_ASSIGN_OR_RAISE(std::string result, ExecuteTask(task.spec));
      results.push_back(std::move(result));
    }
    return results;
  }
  int parallelism() const override { return 3; }

  std::mutex mutex;
  std::vector<RemoteTask> seen;
  std::string fail_kind;
};

class RemoteTasksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Catalog::Open(root());
    ASSERT_TRUE(opened.ok()) << opened.status();
    catalog_ = *opened;
    // Merge on read: the writes leave deltas for Compact to merge.
    CreateTableOptions options;
    options.schema = Users({}, {})->schema();
    options.merge_keys = {"id"};
    options.table_properties[std::string(table_property::kReadOptimizationLevel)] =
        std::string("NONE");
    ASSERT_TRUE(catalog_->CreateTable("users", options).ok());
    WriteOptions merge;
    merge.mode = TableWriteMode::kMerge;
    ASSERT_TRUE(catalog_->Write("users", Users({1, 2, 3}, {"a", "b", "c"}), merge).ok());
    ASSERT_TRUE(catalog_->Write("users", Users({2, 4}, {"B", "d"}), merge).ok());
    WriteOptions del;
    del.mode = TableWriteMode::kDelete;
    ASSERT_TRUE(catalog_->Write("users", Users({1}, {"x"}), del).ok());
  }

  std::string root() const { return dir_.Child("catalog"); }
  std::filesystem::path scratch_root() const {
    return dir_.path() / "catalog" / "compute" / "compactor" / "scratch";
  }
  int64_t SuccessfulTransactions() {
    auto records = catalog_->Transactions(1000);
    EXPECT_TRUE(records.ok()) << records.status();
    int64_t count = 0;
    for (const auto& record : *records) count += record.status == "SUCCESS" ? 1 : 0;
    return count;
  }

  testing::TempDir dir_;
  std::shared_ptr<Catalog> catalog_;
};

const std::vector<std::string> kMerged = {"2=B", "3=c", "4=d"};

TEST_F(RemoteTasksTest, CompactionRunsItsTasksThroughTheRunner) {
  auto runner = std::make_shared<RecordingRunner>();
  CompactOptions options;
  options.executor = "test";
  options.runner = runner;
  options.hash_buckets = 2;
  ASSERT_TRUE(catalog_->Compact("users", options).ok());
  EXPECT_EQ(Rows(*catalog_->ReadTable("users")), kMerged);

  int hash_bucket_tasks = 0, merge_tasks = 0;
  for (const RemoteTask& task : runner->seen) {
    hash_bucket_tasks += task.kind == "compactor.hash_bucket" ? 1 : 0;
    merge_tasks += task.kind == "compactor.merge" ? 1 : 0;
    EXPECT_GE(task.memory_bytes, int64_t{1} << 20) << task.kind;
    EXPECT_LE(task.memory_bytes, options.memory_budget_bytes) << task.kind;
  }
  EXPECT_GE(hash_bucket_tasks, 1);
  EXPECT_GE(merge_tasks, 1);
  // The round's intermediates are gone once it ends.
  EXPECT_TRUE(!std::filesystem::exists(scratch_root()) ||
              std::filesystem::is_empty(scratch_root()));
}

TEST_F(RemoteTasksTest, RemoteAndLocalCompactionGiveTheSameRows) {
  std::filesystem::copy(root(), dir_.Child("copy"), std::filesystem::copy_options::recursive);
  CompactOptions remote;
  remote.executor = "test";
  remote.runner = std::make_shared<RecordingRunner>();
  ASSERT_TRUE(catalog_->Compact("users", remote).ok());
  auto reopened = Catalog::Open(dir_.Child("copy"));
  ASSERT_TRUE(reopened.ok());
  ASSERT_TRUE((*reopened)->Compact("users").ok());
  EXPECT_EQ(Rows(*catalog_->ReadTable("users")), Rows(*(*reopened)->ReadTable("users")));
}

TEST_F(RemoteTasksTest, AFailedTaskLeavesTheTableUnchanged) {
  const int64_t before = SuccessfulTransactions();
  for (const char* kind : {"compactor.hash_bucket", "compactor.merge"}) {
    auto runner = std::make_shared<RecordingRunner>();
    runner->fail_kind = kind;
    CompactOptions options;
    options.executor = "test";
    options.runner = runner;
    Status status = catalog_->Compact("users", options);
    EXPECT_EQ(status.code(), ErrorCode::kTransientIOError) << status;
    EXPECT_NE(status.message().find("injected failure"), std::string::npos) << status;
    EXPECT_EQ(Rows(*catalog_->ReadTable("users")), kMerged);
    EXPECT_EQ(SuccessfulTransactions(), before);
    EXPECT_TRUE(!std::filesystem::exists(scratch_root()) ||
                std::filesystem::is_empty(scratch_root()));
  }
}

TEST_F(RemoteTasksTest, ANonLocalExecutorNeedsARunner) {
  CompactOptions options;
  options.executor = "ray";
  Status status = catalog_->Compact("users", options);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("ray"), std::string::npos) << status;
  options.executor = "local";
  options.threads = -1;
  EXPECT_EQ(catalog_->Compact("users", options).code(), ErrorCode::kInvalidArgument);
}

TEST_F(RemoteTasksTest, ExecuteTaskRejectsWhatIsNotATaskSpec) {
  for (std::string_view bad : {std::string_view(""), std::string_view("not msgpack"),
                               std::string_view("\x81\xa4kind\xa3xyz")}) {
    auto result = ExecuteTask(bad);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument) << result.status();
  }
}

void Touch(const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << "spill";
}

TEST_F(RemoteTasksTest, TheJanitorRemovesWhatACrashedRoundLeft) {
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string crashed = storage::NewTransactionId(now - 2 * 3600LL * 1'000'000'000LL);
  const std::string running = storage::NewTransactionId(now);
  Touch(scratch_root() / crashed / "spill-0.arrow");
  Touch(scratch_root() / running / "spill-0.arrow");
  Touch(scratch_root() / "not-a-transaction" / "x");

  auto report = catalog_->RunJanitor();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(std::filesystem::exists(scratch_root() / crashed));
  EXPECT_TRUE(std::filesystem::exists(scratch_root() / running / "spill-0.arrow"));
  EXPECT_TRUE(std::filesystem::exists(scratch_root() / "not-a-transaction" / "x"));
  EXPECT_NE(std::find(report->removed_paths.begin(), report->removed_paths.end(),
                      "compute/compactor/scratch/" + crashed),
            report->removed_paths.end());
}

TEST_F(RemoteTasksTest, ScratchOfAnEndedTransactionIsRemovedAtOnce) {
  // A committed transaction (the table's creation) whose round died after the commit.
  auto records = catalog_->Transactions(1);
  ASSERT_TRUE(records.ok() && !records->empty());
  const std::string committed = records->front().id;
  Touch(scratch_root() / committed / "spill-0.arrow");
  ASSERT_TRUE(catalog_->RunJanitor().ok());
  EXPECT_FALSE(std::filesystem::exists(scratch_root() / committed));
}

TEST_F(RemoteTasksTest, AWriteCreatesItsNamespaceWhenAsked) {
  WriteOptions options;
  options.create.auto_create_namespace = true;
  options.create.namespace_properties = {{"owner", std::string("ana")}};
  auto written = catalog_->Write(TableRef("fresh", "t"), Users({1}, {"a"}), options);
  ASSERT_TRUE(written.ok()) << written.status();
  auto ns = catalog_->GetNamespace("fresh");
  ASSERT_TRUE(ns.ok()) << ns.status();
  EXPECT_EQ(std::get<std::string>(ns->properties.at("owner")), "ana");
  EXPECT_EQ(Rows(*catalog_->ReadTable(TableRef("fresh", "t"))), std::vector<std::string>{"1=a"});

  // Without the flag a missing namespace is still an error, and so is a non-creating mode.
  auto refused = catalog_->Write(TableRef("other", "t"), Users({1}, {"a"}), WriteOptions{});
  EXPECT_EQ(refused.status().code(), ErrorCode::kNamespaceNotFound);
  WriteOptions append = options;
  append.mode = TableWriteMode::kAppend;
  EXPECT_EQ(catalog_->Write(TableRef("third", "t"), Users({1}, {"a"}), append).status().code(),
            ErrorCode::kTableNotFound);
}

}  // namespace
}  // namespace deltacat
