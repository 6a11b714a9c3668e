#include "deltacat/fs/fault_injection_filesystem.h"

#include <mutex>
#include <utility>
#include <vector>

#include <arrow/buffer.h>
#include <arrow/io/interfaces.h>

namespace deltacat {

namespace {
constexpr size_t kKindCount = static_cast<size_t>(FsOp::kAny) + 1;
}  // namespace

std::string_view FsOpName(FsOp op) {
  switch (op) {
    case FsOp::kOpenOutput: return "open-output";
    case FsOp::kWrite: return "write";
    case FsOp::kClose: return "close";
    case FsOp::kDelete: return "delete";
    case FsOp::kList: return "list";
    case FsOp::kStat: return "stat";
    case FsOp::kRead: return "read";
    case FsOp::kRename: return "rename";
    case FsOp::kCopy: return "copy";
    case FsOp::kCreateDir: return "create-dir";
    case FsOp::kAny: return "any";
  }
  return "unknown";
}

/// Counters, armed faults and the crash flag, shared with every stream the decorator opened.
class FaultInjectionFileSystem::State {
 public:
  /// What an operation that is about to run must do.
  struct Decision {
    arrow::Status status;        ///< OK: run it; otherwise fail with this
    bool crash_here = false;     ///< this very operation is the crash point
    bool leave_partial = false;  ///< ... and should leave a torn write behind
  };

  Decision Begin(FsOp op, std::string_view path) {
    std::lock_guard<std::mutex> lock(mutex_);
    Decision decision;
    if (crashed_) {
      ++injected_;
      decision.status = CrashError(op, path);
      return decision;
    }
    ++counts_[static_cast<size_t>(op)];
    ++counts_[static_cast<size_t>(FsOp::kAny)];
    const Rule* fired = nullptr;
    size_t fired_index = 0;
    for (size_t i = 0; i < rules_.size(); ++i) {
      const Rule& rule = rules_[i];
      const bool matches = rule.kind == FsOp::kAny || rule.kind == op;
      if (!matches || counts_[static_cast<size_t>(rule.kind)] != rule.target) continue;
      // A crash wins over a plain failure armed for the same operation.
      if (fired == nullptr || (rule.crash && !fired->crash)) {
        fired = &rule;
        fired_index = i;
      }
    }
    if (fired == nullptr) return decision;
    const Rule rule = *fired;
    rules_.erase(rules_.begin() + static_cast<std::ptrdiff_t>(fired_index));
    ++injected_;
    if (rule.crash) {
      // A crash harness may end the process right here, before the operation runs.
      if (crash_hook_) crash_hook_(op, path);
      crashed_ = true;
      decision.crash_here = true;
      decision.leave_partial = rule.leave_partial;
      decision.status = CrashError(op, path);
    } else {
      std::string message =
          "injected fault: " + std::string(FsOpName(op)) + " '" + std::string(path) + "'";
      decision.status = rule.code == ErrorCode::kIOError
                            ? arrow::Status::IOError(message)
                            : ToArrowStatus(Status(rule.code, std::move(message)));
    }
    return decision;
  }

  /// What a read call on an opened stream or file must do.
  struct ReadDecision {
    arrow::Status status;  ///< OK: run it; otherwise fail with this
    bool shorten = false;  ///< return only half of the requested bytes
  };

  ReadDecision BeginRead(std::string_view path) {
    std::lock_guard<std::mutex> lock(mutex_);
    ReadDecision decision;
    if (crashed_) {
      ++injected_;
      decision.status = CrashError(FsOp::kRead, path);
      return decision;
    }
    ++read_calls_;
    for (size_t i = 0; i < read_rules_.size(); ++i) {
      if (read_rules_[i].target != read_calls_) continue;
      const ReadRule rule = read_rules_[i];
      read_rules_.erase(read_rules_.begin() + static_cast<std::ptrdiff_t>(i));
      ++injected_;
      if (rule.shorten) {
        decision.shorten = true;
      } else {
        decision.status = ToArrowStatus(Status(
            rule.code, "injected fault: read of '" + std::string(path) + "' failed mid-body"));
      }
      break;
    }
    return decision;
  }

  void ArmRead(int64_t n, bool shorten, ErrorCode code) {
    std::lock_guard<std::mutex> lock(mutex_);
    read_rules_.push_back(ReadRule{read_calls_ + (n < 1 ? 1 : n), shorten, code});
  }
  int64_t read_calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return read_calls_;
  }

  /// For stream calls that are not counted: fail only when dead.
  arrow::Status CheckAlive(FsOp op, std::string_view path) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!crashed_) return arrow::Status::OK();
    ++injected_;
    return CrashError(op, path);
  }

  void Arm(FsOp kind, int64_t n, bool crash, bool leave_partial, ErrorCode code) {
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t target = counts_[static_cast<size_t>(kind)] + (n < 1 ? 1 : n);
    rules_.push_back(Rule{kind, target, crash, leave_partial, code});
  }
  void CrashNow() {
    std::lock_guard<std::mutex> lock(mutex_);
    crashed_ = true;
  }
  bool crashed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return crashed_;
  }
  void Revive() {
    std::lock_guard<std::mutex> lock(mutex_);
    crashed_ = false;
    rules_.clear();
    read_rules_.clear();
  }
  int64_t count(FsOp kind) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return counts_[static_cast<size_t>(kind)];
  }
  void ResetCounts() {
    std::lock_guard<std::mutex> lock(mutex_);
    // Keep armed faults pointing at the same future operations.
    for (Rule& rule : rules_) rule.target -= counts_[static_cast<size_t>(rule.kind)];
    counts_.fill(0);
  }
  int64_t injected() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return injected_;
  }
  void SetCrashHook(CrashHook hook) {
    std::lock_guard<std::mutex> lock(mutex_);
    crash_hook_ = std::move(hook);
  }

 private:
  struct Rule {
    FsOp kind;
    int64_t target;  // fire when counts_[kind] reaches this
    bool crash;
    bool leave_partial;
    ErrorCode code;
  };
  struct ReadRule {
    int64_t target;  // fire when read_calls_ reaches this
    bool shorten;
    ErrorCode code;
  };

  static arrow::Status CrashError(FsOp op, std::string_view path) {
    return arrow::Status::IOError("injected crash: filesystem is dead (", FsOpName(op), " '", path,
                                  "')");
  }

  mutable std::mutex mutex_;
  std::array<int64_t, kKindCount> counts_{};
  std::vector<Rule> rules_;
  int64_t read_calls_ = 0;
  std::vector<ReadRule> read_rules_;
  bool crashed_ = false;
  int64_t injected_ = 0;
  CrashHook crash_hook_;
};

namespace {

using State = FaultInjectionFileSystem::State;

class FaultInjectionOutputStream final : public arrow::io::OutputStream {
 public:
  FaultInjectionOutputStream(std::shared_ptr<State> state,
                             std::shared_ptr<arrow::io::OutputStream> base, std::string path)
      : state_(std::move(state)), base_(std::move(base)), path_(std::move(path)) {}

  ~FaultInjectionOutputStream() override {
    // A dead process never completes an upload; otherwise the base's own destructor decides.
    if (!done_ && state_->crashed()) (void)base_->Abort();
  }

  arrow::Status Write(const void* data, int64_t nbytes) override {
    const State::Decision decision = state_->Begin(FsOp::kWrite, path_);
    if (decision.status.ok()) return base_->Write(data, nbytes);
    if (decision.crash_here && decision.leave_partial) {
      (void)base_->Write(data, nbytes / 2);
      (void)base_->Close();
      done_ = true;
    } else if (decision.crash_here) {
      AbortBase();
    }
    return decision.status;
  }

  arrow::Status Flush() override {
    ARROW_RETURN_NOT_OK(state_->CheckAlive(FsOp::kWrite, path_));
    return base_->Flush();
  }

  arrow::Status Close() override {
    if (state_->crashed()) {
      AbortBase();
      return state_->CheckAlive(FsOp::kClose, path_);
    }
    if (done_) return arrow::Status::OK();
    const State::Decision decision = state_->Begin(FsOp::kClose, path_);
    if (!decision.status.ok()) {
      if (decision.crash_here || state_->crashed()) AbortBase();
      return decision.status;
    }
    done_ = true;
    return base_->Close();
  }

  arrow::Status Abort() override {
    if (done_) return arrow::Status::OK();
    done_ = true;
    return base_->Abort();
  }

  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }
  bool closed() const override { return done_ || base_->closed(); }

 private:
  void AbortBase() {
    if (!done_) (void)base_->Abort();
    done_ = true;
  }

  std::shared_ptr<State> state_;
  std::shared_ptr<arrow::io::OutputStream> base_;
  std::string path_;
  bool done_ = false;
};

/// Counts a read call and applies an armed read fault: returns the number of bytes to
/// actually ask the base for (half of `nbytes` for a partial read) or the injected error.
arrow::Result<int64_t> BeginRead(State& state, const std::string& path, int64_t nbytes) {
  State::ReadDecision decision = state.BeginRead(path);
  ARROW_RETURN_NOT_OK(decision.status);
  return decision.shorten ? nbytes / 2 : nbytes;
}

class FaultInjectionInputStream final : public arrow::io::InputStream {
 public:
  FaultInjectionInputStream(std::shared_ptr<State> state,
                            std::shared_ptr<arrow::io::InputStream> base, std::string path)
      : state_(std::move(state)), base_(std::move(base)), path_(std::move(path)) {}

  arrow::Status Close() override { return base_->Close(); }
  arrow::Status Abort() override { return base_->Abort(); }
  bool closed() const override { return base_->closed(); }
  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, BeginRead(*state_, path_, nbytes));
    return base_->Read(nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, BeginRead(*state_, path_, nbytes));
    return base_->Read(nbytes);
  }

 private:
  std::shared_ptr<State> state_;
  std::shared_ptr<arrow::io::InputStream> base_;
  std::string path_;
};

class FaultInjectionRandomAccessFile final : public arrow::io::RandomAccessFile {
 public:
  FaultInjectionRandomAccessFile(std::shared_ptr<State> state,
                                 std::shared_ptr<arrow::io::RandomAccessFile> base,
                                 std::string path)
      : state_(std::move(state)), base_(std::move(base)), path_(std::move(path)) {}

  arrow::Status Close() override { return base_->Close(); }
  arrow::Status Abort() override { return base_->Abort(); }
  bool closed() const override { return base_->closed(); }
  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }
  arrow::Status Seek(int64_t position) override { return base_->Seek(position); }
  arrow::Result<int64_t> GetSize() override {
    ARROW_RETURN_NOT_OK(state_->CheckAlive(FsOp::kRead, path_));
    return base_->GetSize();
  }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, BeginRead(*state_, path_, nbytes));
    return base_->Read(nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, BeginRead(*state_, path_, nbytes));
    return base_->Read(nbytes);
  }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, BeginRead(*state_, path_, nbytes));
    return base_->ReadAt(position, nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position, int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(nbytes, BeginRead(*state_, path_, nbytes));
    return base_->ReadAt(position, nbytes);
  }

 private:
  std::shared_ptr<State> state_;
  std::shared_ptr<arrow::io::RandomAccessFile> base_;
  std::string path_;
};

}  // namespace

FaultInjectionFileSystem::FaultInjectionFileSystem(std::shared_ptr<arrow::fs::FileSystem> base)
    : arrow::fs::FileSystem(base->io_context()),
      base_(std::move(base)),
      state_(std::make_shared<State>()) {}

FaultInjectionFileSystem::~FaultInjectionFileSystem() = default;

void FaultInjectionFileSystem::FailNth(FsOp kind, int64_t n, ErrorCode code) {
  state_->Arm(kind, n, /*crash=*/false, /*leave_partial=*/false,
              code == ErrorCode::kOk ? ErrorCode::kIOError : code);
}
void FaultInjectionFileSystem::CrashAt(FsOp kind, int64_t n, bool leave_partial_write) {
  state_->Arm(kind, n, /*crash=*/true, leave_partial_write, ErrorCode::kIOError);
}
void FaultInjectionFileSystem::ShortenNthRead(int64_t n) {
  state_->ArmRead(n, /*shorten=*/true, ErrorCode::kOk);
}
void FaultInjectionFileSystem::FailNthRead(int64_t n, ErrorCode code) {
  state_->ArmRead(n, /*shorten=*/false, code == ErrorCode::kOk ? ErrorCode::kIOError : code);
}
int64_t FaultInjectionFileSystem::read_calls() const { return state_->read_calls(); }
void FaultInjectionFileSystem::CrashNow() { state_->CrashNow(); }
bool FaultInjectionFileSystem::crashed() const { return state_->crashed(); }
void FaultInjectionFileSystem::SetCrashHook(CrashHook hook) {
  state_->SetCrashHook(std::move(hook));
}
void FaultInjectionFileSystem::Revive() { state_->Revive(); }
int64_t FaultInjectionFileSystem::count(FsOp kind) const { return state_->count(kind); }
void FaultInjectionFileSystem::ResetCounts() { state_->ResetCounts(); }
int64_t FaultInjectionFileSystem::injected_failures() const { return state_->injected(); }

std::string FaultInjectionFileSystem::type_name() const { return base_->type_name(); }

bool FaultInjectionFileSystem::Equals(const arrow::fs::FileSystem& other) const {
  if (this == &other) return true;
  const auto* decorated = dynamic_cast<const FaultInjectionFileSystem*>(&other);
  return decorated != nullptr && decorated->state_ == state_ && base_->Equals(*decorated->base_);
}

arrow::Result<std::string> FaultInjectionFileSystem::NormalizePath(std::string path) {
  return base_->NormalizePath(std::move(path));
}

arrow::Result<std::string> FaultInjectionFileSystem::PathFromUri(
    const std::string& uri_string) const {
  return base_->PathFromUri(uri_string);
}

arrow::Result<arrow::fs::FileInfo> FaultInjectionFileSystem::GetFileInfo(const std::string& path) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kStat, path).status);
  return base_->GetFileInfo(path);
}

arrow::Result<arrow::fs::FileInfoVector> FaultInjectionFileSystem::GetFileInfo(
    const arrow::fs::FileSelector& select) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kList, select.base_dir).status);
  return base_->GetFileInfo(select);
}

arrow::Status FaultInjectionFileSystem::CreateDir(const std::string& path, bool recursive) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kCreateDir, path).status);
  return base_->CreateDir(path, recursive);
}

arrow::Status FaultInjectionFileSystem::DeleteDir(const std::string& path) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kDelete, path).status);
  return base_->DeleteDir(path);
}

arrow::Status FaultInjectionFileSystem::DeleteDirContents(const std::string& path,
                                                          bool missing_dir_ok) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kDelete, path).status);
  return base_->DeleteDirContents(path, missing_dir_ok);
}

arrow::Status FaultInjectionFileSystem::DeleteRootDirContents() {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kDelete, "/").status);
  return base_->DeleteRootDirContents();
}

arrow::Status FaultInjectionFileSystem::DeleteFile(const std::string& path) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kDelete, path).status);
  return base_->DeleteFile(path);
}

arrow::Status FaultInjectionFileSystem::Move(const std::string& src, const std::string& dest) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kRename, dest).status);
  return base_->Move(src, dest);
}

arrow::Status FaultInjectionFileSystem::CopyFile(const std::string& src, const std::string& dest) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kCopy, dest).status);
  return base_->CopyFile(src, dest);
}

namespace {

/// Counts an open for reading (failing it when armed), then wraps what `open` returns in
/// `Wrapper` so that its read calls can be shortened, failed or crashed.
template <typename Wrapper, typename Open>
auto OpenWrappedInput(const std::shared_ptr<State>& state, const std::string& path, Open&& open)
    -> decltype(open()) {
  ARROW_RETURN_NOT_OK(state->Begin(FsOp::kRead, path).status);
  ARROW_ASSIGN_OR_RAISE(auto opened, open());
  return std::make_shared<Wrapper>(state, std::move(opened), path);
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::io::InputStream>> FaultInjectionFileSystem::OpenInputStream(
    const std::string& path) {
  return OpenWrappedInput<FaultInjectionInputStream>(state_, path,
                                                     [&] { return base_->OpenInputStream(path); });
}

arrow::Result<std::shared_ptr<arrow::io::InputStream>> FaultInjectionFileSystem::OpenInputStream(
    const arrow::fs::FileInfo& info) {
  return OpenWrappedInput<FaultInjectionInputStream>(state_, info.path(),
                                                     [&] { return base_->OpenInputStream(info); });
}

arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> FaultInjectionFileSystem::OpenInputFile(
    const std::string& path) {
  return OpenWrappedInput<FaultInjectionRandomAccessFile>(
      state_, path, [&] { return base_->OpenInputFile(path); });
}

arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> FaultInjectionFileSystem::OpenInputFile(
    const arrow::fs::FileInfo& info) {
  return OpenWrappedInput<FaultInjectionRandomAccessFile>(
      state_, info.path(), [&] { return base_->OpenInputFile(info); });
}

arrow::Result<std::shared_ptr<arrow::io::OutputStream>> FaultInjectionFileSystem::WrapOutput(
    const std::string& path, arrow::Result<std::shared_ptr<arrow::io::OutputStream>> opened) {
  ARROW_ASSIGN_OR_RAISE(auto stream, std::move(opened));
  return std::make_shared<FaultInjectionOutputStream>(state_, std::move(stream), path);
}

arrow::Result<std::shared_ptr<arrow::io::OutputStream>> FaultInjectionFileSystem::OpenOutputStream(
    const std::string& path, const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  const State::Decision decision = state_->Begin(FsOp::kOpenOutput, path);
  if (!decision.status.ok()) {
    // A torn create: the (empty) file appears, then the process dies.
    if (decision.crash_here && decision.leave_partial) {
      auto created = base_->OpenOutputStream(path, metadata);
      if (created.ok()) (void)(*created)->Close();
    }
    return decision.status;
  }
  return WrapOutput(path, base_->OpenOutputStream(path, metadata));
}

arrow::Result<std::shared_ptr<arrow::io::OutputStream>> FaultInjectionFileSystem::OpenAppendStream(
    const std::string& path, const std::shared_ptr<const arrow::KeyValueMetadata>& metadata) {
  ARROW_RETURN_NOT_OK(state_->Begin(FsOp::kOpenOutput, path).status);
  return WrapOutput(path, base_->OpenAppendStream(path, metadata));
}

}  // namespace deltacat
