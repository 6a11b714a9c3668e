// Crash consistency through the catalog API (issue 8). Writer processes run the seeded workload
// of catalog_workload.h (ADD, APPEND, MERGE, DELETE, schema changes, compactions) and are
// SIGKILLed at random points: at a random filesystem operation (the fault-injecting filesystem's
// crash hook raises SIGKILL right before it runs) or after a random delay (the parent kills
// them). After every crash: the catalog opens; every read equals the model after the last
// operation the writer reported done, or after the interrupted one as well (a crash past the
// commit point); the janitor removes the leftovers without touching committed files; a retry of
// the interrupted operation succeeds. A second test crashes in-process at every filesystem
// operation of each operation kind (the fault-injecting filesystem's CrashAt).
//
// DELTACAT_CRASH_POINTS (default 30) and DELTACAT_CRASH_SEED (default 1) size and seed a run;
// `make test-crash` runs the long one. The seed fixes the workload and the kill points: a run is
// reproducible up to the timer kills, whose landing point depends on timing.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "catalog_workload.h"
#include "child_process.h"
#include "deltacat/fs/fault_injection_filesystem.h"
#include "support/sweep_stride.h"
#include "support/temp_dir.h"

namespace deltacat::reliability {
namespace {

// --- The writer process ----------------------------------------------------------------------

/// Appends one line to the journal with a single write(2): it survives SIGKILL.
void Journal(int fd, const std::string& line) {
  const std::string text = line + "\n";
  (void)!write(fd, text.data(), text.size());
}

/// The writer: runs operations FIRST_OP, FIRST_OP+1, ... of the workload until killed (or
/// MAX_OPS are done), journaling "begin <i> <kind>" and "done <i>" around each.
[[noreturn]] void WriterMain() {
  const std::string root = std::getenv("DELTACAT_CRASH_CHILD");
  const uint64_t seed = static_cast<uint64_t>(EnvInt("DELTACAT_CRASH_CHILD_SEED", 1));
  const int64_t first = EnvInt("DELTACAT_CRASH_CHILD_FIRST_OP", 1);
  const int64_t max_ops = EnvInt("DELTACAT_CRASH_CHILD_MAX_OPS", 1000);
  const int64_t kill_at = EnvInt("DELTACAT_CRASH_CHILD_KILL_AT", 0);
  const int fd = open(std::getenv("DELTACAT_CRASH_CHILD_JOURNAL"),
                      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) _exit(10);
  auto location = ResolveUri(root);
  if (!location.ok()) _exit(11);
  auto faulty = std::make_shared<FaultInjectionFileSystem>(location->fs);
  if (kill_at > 0) {
    faulty->SetCrashHook([fd](FsOp op, std::string_view path) {
      Journal(fd, "crash " + std::string(FsOpName(op)));
      raise(SIGKILL);
    });
    faulty->CrashAt(FsOp::kAny, kill_at);
  }
  location->fs = faulty;
  Journal(fd, "ready");
  auto catalog = NativeCatalog::Open(*location);
  if (!catalog.ok()) {
    Journal(fd, "error open " + catalog.status().ToString());
    _exit(12);
  }
  for (int64_t i = first; i < first + max_ops; ++i) {
    const Op op = PlanOp(seed, i);
    Journal(fd, "begin " + std::to_string(i) + " " + OpKindName(op.kind));
    Status status = RunOp(**catalog, op);
    if (!status.ok()) {
      Journal(fd, "error " + std::to_string(i) + " " + status.ToString());
      _exit(13);
    }
    Journal(fd, "done " + std::to_string(i));
  }
  _exit(0);
}

// The test binary doubles as the writer: started with DELTACAT_CRASH_CHILD set, it runs the
// writer before gtest's main (no fork of a process that runs Arrow threads).
const bool kIsWriter = [] {
  if (std::getenv("DELTACAT_CRASH_CHILD") != nullptr) WriterMain();
  return false;
}();

/// What the journal of one writer life says.
struct WriterLife {
  bool ready = false;
  int64_t last_begun = 0;  ///< 0: none
  std::string last_begun_kind;
  int64_t last_done = 0;
  std::string crash_fs_op;  ///< the filesystem operation it was killed at, if any
  std::string error;
};

WriterLife ReadJournal(const std::string& path) {
  WriterLife life;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "ready") {
      life.ready = true;
    } else if (word == "begin") {
      words >> life.last_begun >> life.last_begun_kind;
    } else if (word == "done") {
      words >> life.last_done;
    } else if (word == "crash") {
      words >> life.crash_fs_op;
    } else if (word == "error") {
      life.error = line;
    }
  }
  return life;
}

pid_t SpawnWriter(const std::string& root, uint64_t seed, int64_t first_op, int64_t kill_at,
                  const std::string& journal) {
  return SpawnSelf({"DELTACAT_CRASH_CHILD=" + root,
                    "DELTACAT_CRASH_CHILD_SEED=" + std::to_string(seed),
                    "DELTACAT_CRASH_CHILD_FIRST_OP=" + std::to_string(first_op),
                    "DELTACAT_CRASH_CHILD_KILL_AT=" + std::to_string(kill_at),
                    "DELTACAT_CRASH_CHILD_JOURNAL=" + journal});
}

// --- The checks after a crash ----------------------------------------------------------------

/// Statistics of one run, printed for RELIABILITY.md.
struct CrashStats {
  int64_t crash_points = 0;
  std::map<std::string, int64_t> by_operation;  ///< catalog operation in flight ("idle": none)
  std::map<std::string, int64_t> by_fs_op;      ///< filesystem operation killed at ("timer")
  int64_t committed_before_kill = 0;  ///< the interrupted operation had passed its commit point
  int64_t retried = 0;
  int64_t janitor_removed_files = 0;
  int64_t janitor_removed_logs = 0;

  void Print(const std::string& title) const {
    std::cout << title << ": " << crash_points << " crash points; committed before the kill "
              << committed_before_kill << ", retried " << retried << "; janitor removed "
              << janitor_removed_files << " revision/mapping files and " << janitor_removed_logs
              << " logs\n  by catalog operation:";
    for (const auto& [kind, n] : by_operation) std::cout << " " << kind << "=" << n;
    std::cout << "\n  by filesystem operation:";
    for (const auto& [kind, n] : by_fs_op) std::cout << " " << kind << "=" << n;
    std::cout << "\n";
  }
};

/// Checks the catalog after a crash while operation `op` (nullopt: none) was in flight and
/// `model` holds the operations before it; runs the janitor; retries `op` unless it had
/// committed. On return `model` includes `op`.
void RecoverAndCheck(const std::string& root, Model& model, const std::optional<Op>& op,
                     CrashStats& stats, const std::string& where) {
  auto catalog = Catalog::Open(root);
  ASSERT_TRUE(catalog.ok()) << where << ": the catalog does not open: " << catalog.status();
  auto state = ReadState(**catalog);
  ASSERT_TRUE(state.ok()) << where << ": read after crash: " << state.status();
  Model with_op = model;
  if (op) with_op.Apply(*op);
  const bool committed = op && op->kind != OpKind::kCompact && *state == with_op;
  ASSERT_TRUE(*state == model || *state == with_op)
      << where << ": torn state after crash\n  read:     " << state->Describe()
      << "\n  before:   " << model.Describe() << "\n  after op: " << with_op.Describe();

  auto location = ResolveUri(root);
  ASSERT_TRUE(location.ok());
  JanitorCheck janitor = RunJanitorAfterCrash(*location);
  for (const auto& problem : janitor.problems) ADD_FAILURE() << where << ": " << problem;
  stats.janitor_removed_files += static_cast<int64_t>(janitor.removed_files);
  stats.janitor_removed_logs += static_cast<int64_t>(janitor.removed_logs);
  auto after_janitor = ReadState(**catalog);
  ASSERT_TRUE(after_janitor.ok()) << where << ": read after janitor: " << after_janitor.status();
  ASSERT_TRUE(*after_janitor == *state) << where << ": the janitor changed what reads return";

  if (committed) {
    ++stats.committed_before_kill;
  } else if (op) {
    Status retry = RunOp(**catalog, *op);
    ASSERT_TRUE(retry.ok()) << where << ": retry of " << OpKindName(op->kind) << " #" << op->index
                            << " failed: " << retry;
    ++stats.retried;
    auto retried = ReadState(**catalog);
    ASSERT_TRUE(retried.ok()) << retried.status();
    ASSERT_TRUE(*retried == with_op) << where << ": state after retry " << retried->Describe()
                                     << "\n  expected " << with_op.Describe();
  }
  model = with_op;
}

class CrashHarness : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.Child("catalog");
    auto catalog = Catalog::Open(root_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    ASSERT_TRUE(SetUpTables(**catalog).ok());
  }

  testing::TempDir dir_;
  std::string root_;
};

TEST_F(CrashHarness, SigkilledWritersLeaveTheLastCommittedStateAndRecover) {
  const int64_t target = EnvInt("DELTACAT_CRASH_POINTS", 30 / ::deltacat::testing::SweepStride());
  const uint64_t seed = static_cast<uint64_t>(EnvInt("DELTACAT_CRASH_SEED", 1));
  std::mt19937_64 rng(seed);
  Model model;
  CrashStats stats;
  int64_t next_op = 1;
  for (int64_t life = 0; stats.crash_points < target; ++life) {
    const std::string journal = dir_.Child("journal-" + std::to_string(life));
    // Three of four lives die at a random filesystem operation, the others after a random
    // delay from the moment the writer is ready.
    const bool timer_kill = rng() % 4 == 3;
    const int64_t kill_at = timer_kill ? 0 : 1 + static_cast<int64_t>(rng() % 240);
    const auto delay = std::chrono::microseconds(rng() % 400'000);
    const pid_t pid = SpawnWriter(root_, seed, next_op, kill_at, journal);
    ASSERT_GT(pid, 0);
    if (timer_kill) {
      while (!ReadJournal(journal).ready) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      std::this_thread::sleep_for(delay);
      kill(pid, SIGKILL);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    const WriterLife lifeline = ReadJournal(journal);
    ASSERT_TRUE(lifeline.error.empty()) << "writer failed: " << lifeline.error;
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "writer " << life << " was not killed (status " << status << ")";

    // Operations reported done are committed; the one begun after them is in doubt.
    for (int64_t i = next_op; i <= lifeline.last_done; ++i) model.Apply(PlanOp(seed, i));
    std::optional<Op> in_flight;
    if (lifeline.last_begun > lifeline.last_done) in_flight = PlanOp(seed, lifeline.last_begun);
    ++stats.crash_points;
    ++stats.by_operation[in_flight ? OpKindName(in_flight->kind) : "idle"];
    ++stats.by_fs_op[timer_kill ? "timer" : lifeline.crash_fs_op];
    const std::string where = "crash point " + std::to_string(stats.crash_points) + " (seed " +
                              std::to_string(seed) + ", life " + std::to_string(life) +
                              (timer_kill ? ", timer" : ", fs op " + std::to_string(kill_at)) +
                              ", op " + std::to_string(lifeline.last_begun) + ")";
    RecoverAndCheck(root_, model, in_flight, stats, where);
    if (HasFatalFailure()) return;
    next_op = std::max(next_op, std::max(lifeline.last_done, lifeline.last_begun) + 1);
  }
  stats.Print("SIGKILL crash harness (seed " + std::to_string(seed) + ", " +
              std::to_string(next_op - 1) + " operations)");
  RecordProperty("crash_points", static_cast<int>(stats.crash_points));
  // Sanitizer builds sample a quarter of the crash points: seven can land in fewer kinds.
  const size_t kinds_wanted = stats.crash_points >= 20 ? 4 : 2;
  EXPECT_GE(stats.by_operation.size(), kinds_wanted)
      << "crashes should land in several operation kinds";
}

TEST_F(CrashHarness, InjectedCrashAtEveryFilesystemOperationOfEachKind) {
  // For each operation kind, crash at filesystem operation 1, 1 + stride, ... of one operation
  // (opening the catalog included) until an attempt runs to completion; each crash is
  // in-process (the fault-injecting filesystem fails that operation and everything after it)
  // and is followed by the same recovery checks as a SIGKILL. Long runs use stride 1.
  const int64_t stride =
      EnvInt("DELTACAT_CRASH_POINTS", 30) >= 100 ? 1 : 23 * ::deltacat::testing::SweepStride();
  std::mt19937_64 rng(static_cast<uint64_t>(EnvInt("DELTACAT_CRASH_SEED", 1)) + 1000);
  Model model;
  CrashStats stats;
  auto location = ResolveUri(root_);
  ASSERT_TRUE(location.ok());
  int64_t index = 1;
  for (OpKind kind : kAllOpKinds) {
    for (int64_t n = 1;; n += stride) {
      const Op op = PlanOpOfKind(kind, index++, rng);
      auto faulty = std::make_shared<FaultInjectionFileSystem>(location->fs);
      FileSystemLocation crashing = *location;
      crashing.fs = faulty;
      std::string crashed_at;
      faulty->SetCrashHook(
          [&crashed_at](FsOp fs_op, std::string_view) { crashed_at = FsOpName(fs_op); });
      faulty->CrashAt(FsOp::kAny, n);
      Status attempt = [&]() -> Status {
        DC_ASSIGN_OR_RAISE(auto catalog, NativeCatalog::Open(crashing));
        return RunOp(*catalog, op);
      }();
      if (!faulty->crashed()) {
        ASSERT_TRUE(attempt.ok()) << attempt;
        model.Apply(op);
        auto catalog = Catalog::Open(root_);
        ASSERT_TRUE(catalog.ok());
        auto state = ReadState(**catalog);
        ASSERT_TRUE(state.ok()) << state.status();
        ASSERT_TRUE(*state == model) << state->Describe() << " vs " << model.Describe();
        break;
      }
      ++stats.crash_points;
      ++stats.by_operation[OpKindName(op.kind)];
      ++stats.by_fs_op[crashed_at];
      RecoverAndCheck(root_, model, op, stats,
                      std::string(OpKindName(op.kind)) + " #" + std::to_string(op.index) +
                          " crashed at filesystem operation " + std::to_string(n));
      if (HasFatalFailure()) return;
    }
  }
  stats.Print("Injected crash points (stride " + std::to_string(stride) + ")");
  RecordProperty("crash_points", static_cast<int>(stats.crash_points));
  EXPECT_EQ(stats.by_operation.size(), 6u);
}

}  // namespace
}  // namespace deltacat::reliability
