// The catalog on S3 (moto_server on loopback) under faults (issue 8): the seeded catalog
// workload matches its model; transient failures (throttling, timeouts, connection resets:
// kTransientIOError) injected into every kind of S3 call are retried with backoff, bounded; a
// permanent failure is a typed error that commits nothing; credentials never appear in error
// messages.

#include <mutex>

#include <arrow/filesystem/s3fs.h>
#include <gtest/gtest.h>

#include "deltacat/fs/fault_injection_filesystem.h"
#include "deltacat/util/uuid.h"
#include "reliability/catalog_workload.h"
#include "support/moto_server.h"

namespace deltacat::reliability {
namespace {

constexpr char kBucket[] = "deltacat-reliability";
constexpr char kSecret[] = "reliability-secret-key-hunter2-0123456789";

testing::MotoServer* Moto() {
  static std::unique_ptr<testing::MotoServer> server;
  static std::once_flag once;
  std::call_once(once, [] {
    auto started = testing::MotoServer::Start();
    if (!started.ok()) {
      ADD_FAILURE() << started.status();
      return;
    }
    server = std::move(started).ValueOrDie();
    auto created = server->CreateBucket(kBucket);
    if (!created.ok()) ADD_FAILURE() << created;
  });
  return server.get();
}

/// A fresh catalog prefix on moto, with a recognisable secret key.
FileSystemLocation S3Location(const std::string& bucket = kBucket) {
  FileSystemLocation location;
  auto* moto = Moto();
  if (moto == nullptr) return location;
  arrow::fs::S3Options options = moto->Options();
  options.ConfigureAccessKey("AKIARELIABILITYTEST", kSecret);
  auto fs = arrow::fs::S3FileSystem::Make(options);
  EXPECT_TRUE(fs.ok()) << fs.status().ToString();
  if (!fs.ok()) return location;
  location.fs = *fs;
  location.root = bucket + "/catalog-" + NewUuid4();
  location.uri = "s3://" + location.root;
  return location;
}

class CatalogS3Reliability : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = S3Location();
    ASSERT_TRUE(location_.fs != nullptr);
    faulty_ = std::make_shared<FaultInjectionFileSystem>(location_.fs);
    FileSystemLocation through_faults = location_;
    through_faults.fs = faulty_;
    auto catalog = NativeCatalog::Open(through_faults);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *catalog;
    ASSERT_TRUE(SetUpTables(*catalog_).ok());
  }

  void ExpectModel(const std::string& where) {
    auto state = ReadState(*catalog_);
    ASSERT_TRUE(state.ok()) << where << ": " << state.status();
    EXPECT_TRUE(*state == model_) << where << "\n  read:  " << state->Describe()
                                  << "\n  model: " << model_.Describe();
  }

  FileSystemLocation location_;
  std::shared_ptr<FaultInjectionFileSystem> faulty_;
  std::shared_ptr<NativeCatalog> catalog_;
  Model model_;
};

TEST_F(CatalogS3Reliability, WorkloadMatchesTheModel) {
  for (int64_t i = 1; i <= 18; ++i) {
    const Op op = PlanOp(/*seed=*/7, i);
    Status status = RunOp(*catalog_, op);
    ASSERT_TRUE(status.ok()) << OpKindName(op.kind) << " #" << i << ": " << status;
    model_.Apply(op);
    if (i % 6 == 0) ExpectModel("after op " + std::to_string(i));
  }
  auto janitor = catalog_->RunJanitor();
  ASSERT_TRUE(janitor.ok()) << janitor.status();
  EXPECT_EQ(janitor->transactions_cleaned, 0);
  ExpectModel("after the janitor");
}

TEST_F(CatalogS3Reliability, TransientFailuresOfEveryKindAreRetried) {
  std::mt19937_64 rng(11);
  int64_t index = 1;
  int64_t injected = 0;
  for (FsOp kind : {FsOp::kRead, FsOp::kOpenOutput, FsOp::kWrite, FsOp::kClose, FsOp::kList,
                    FsOp::kStat, FsOp::kDelete}) {
    for (OpKind op_kind : kAllOpKinds) {
      const Op op = PlanOpOfKind(op_kind, index++, rng);
      // Two consecutive transient failures of this kind, early in the operation.
      faulty_->Revive();
      faulty_->FailNth(kind, 1, ErrorCode::kTransientIOError);
      faulty_->FailNth(kind, 2, ErrorCode::kTransientIOError);
      const int64_t before = faulty_->injected_failures();
      Status status = RunOp(*catalog_, op);
      injected += faulty_->injected_failures() - before;
      ASSERT_TRUE(status.ok()) << OpKindName(op.kind) << " with transient " << FsOpName(kind)
                               << " failures: " << status;
      model_.Apply(op);
    }
    faulty_->Revive();
    ExpectModel(std::string("after transient ") + std::string(FsOpName(kind)) + " failures");
  }
  EXPECT_GT(injected, 40);
  std::cout << "transient S3 failures injected and retried: " << injected << "\n";
}

TEST_F(CatalogS3Reliability, PartialReadsAndMidBodyResetsAreRetried) {
  std::mt19937_64 rng(13);
  int64_t index = 1;
  for (int round = 0; round < 3; ++round) {
    for (OpKind op_kind : kAllOpKinds) {
      const Op op = PlanOpOfKind(op_kind, index++, rng);
      ASSERT_TRUE(RunOp(*catalog_, op).ok());
      model_.Apply(op);
    }
  }
  // Reads of metafiles and data files whose S3 responses end early or are reset mid-body: a
  // reader sees exactly the committed state, never a truncated file.
  const int64_t before = faulty_->read_calls();
  ExpectModel("clean read");
  const int64_t calls = faulty_->read_calls() - before;
  ASSERT_GT(calls, 10);
  const int64_t injected = faulty_->injected_failures();
  for (int64_t n = 1; n <= calls; n += 4) faulty_->ShortenNthRead(n);
  for (int64_t n = 3; n <= calls; n += 8) faulty_->FailNthRead(n, ErrorCode::kTransientIOError);
  ExpectModel("partial reads and resets");
  EXPECT_GE(faulty_->injected_failures() - injected, calls / 4);
  std::cout << "S3 read calls " << calls
            << ", partial reads and resets injected: " << faulty_->injected_failures() - injected
            << "\n";
  faulty_->Revive();
}

TEST_F(CatalogS3Reliability, EndlessTransientFailuresGiveUpBoundedWithATypedError) {
  std::mt19937_64 rng(3);
  const Op op = PlanOpOfKind(OpKind::kAdd, 1, rng);
  faulty_->Revive();
  for (int64_t n = 1; n <= 200; ++n) faulty_->FailNth(FsOp::kAny, n, ErrorCode::kTransientIOError);
  Status status = RunOp(*catalog_, op);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kTransientIOError) << status;
  EXPECT_LT(faulty_->injected_failures(), 200) << "retries must be bounded";
  faulty_->Revive();
  ExpectModel("after giving up");
  // Once S3 recovers the same operation succeeds.
  ASSERT_TRUE(RunOp(*catalog_, op).ok());
  model_.Apply(op);
  ExpectModel("after recovery");
}

TEST_F(CatalogS3Reliability, PermanentFailuresAreTypedAndCommitNothing) {
  std::mt19937_64 rng(5);
  int64_t index = 1;
  for (OpKind op_kind : kAllOpKinds) {
    // Fail (permanently: an IOError such as AccessDenied) the 1st, 2nd, ... PUT completion of the
    // operation, up to its last one, which is the commit point.
    for (int64_t n = 1;; ++n) {
      const Op op = PlanOpOfKind(op_kind, index++, rng);
      faulty_->Revive();
      faulty_->FailNth(FsOp::kClose, n, ErrorCode::kIOError);
      Status status = RunOp(*catalog_, op);
      const bool fired = faulty_->injected_failures() > 0;
      faulty_->Revive();
      faulty_.reset(new FaultInjectionFileSystem(location_.fs));
      FileSystemLocation through_faults = location_;
      through_faults.fs = faulty_;
      catalog_ = *NativeCatalog::Open(through_faults);
      if (!fired) {
        ASSERT_TRUE(status.ok()) << status;
        model_.Apply(op);
        break;
      }
      ASSERT_FALSE(status.ok()) << OpKindName(op_kind) << ": failure of PUT " << n << " ignored";
      EXPECT_TRUE(status.code() == ErrorCode::kIOError) << status;
      EXPECT_EQ(status.message().find(kSecret), std::string::npos);
      ExpectModel(std::string(OpKindName(op_kind)) + " with PUT " + std::to_string(n) + " failed");
      if (HasFatalFailure()) return;
    }
  }
}

TEST(CatalogS3Credentials, SecretKeysNeverAppearInErrors) {
  std::vector<Status> errors;
  // A bucket that does not exist.
  FileSystemLocation missing = S3Location("no-such-bucket-reliability");
  ASSERT_TRUE(missing.fs != nullptr);
  auto opened = NativeCatalog::Open(missing);
  if (!opened.ok()) errors.push_back(opened.status());
  // An endpoint nobody listens on (connection refused: transient, retried, then given up).
  arrow::fs::S3Options unreachable = Moto()->Options();
  unreachable.endpoint_override = "127.0.0.1:9";
  unreachable.ConfigureAccessKey("AKIARELIABILITYTEST", kSecret);
  unreachable.connect_timeout = 1;
  unreachable.request_timeout = 1;
  FileSystemLocation dead;
  dead.fs = *arrow::fs::S3FileSystem::Make(unreachable);
  dead.root = std::string(kBucket) + "/x";
  dead.uri = "s3://" + dead.root;
  auto dead_open = NativeCatalog::Open(dead);
  ASSERT_FALSE(dead_open.ok());
  errors.push_back(dead_open.status());
  // Errors of a working catalog.
  FileSystemLocation good = S3Location();
  auto native = NativeCatalog::Open(good);
  ASSERT_TRUE(native.ok()) << native.status();
  std::shared_ptr<Catalog> catalog = *native;
  auto read = catalog->ReadTable("missing");
  errors.push_back(read.status());
  auto created = catalog->CreateNamespace("a/b");
  errors.push_back(created.status());
  ASSERT_FALSE(errors.empty());
  for (const auto& error : errors) {
    EXPECT_FALSE(error.ok());
    EXPECT_EQ(error.ToString().find(kSecret), std::string::npos) << error;
    EXPECT_EQ(error.ToString().find("hunter2"), std::string::npos) << error;
  }
  // A catalog URI with credentials in it is refused without echoing them.
  auto with_credentials = Catalog::Open(std::string("s3://AKIA:") + kSecret + "@bucket/x");
  ASSERT_FALSE(with_credentials.ok());
  EXPECT_EQ(with_credentials.status().ToString().find(kSecret), std::string::npos)
      << with_credentials.status();
}

}  // namespace
}  // namespace deltacat::reliability
