#include "deltacat/cli/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace deltacat::cli {
namespace {

constexpr int kBarWidth = 30;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

class CountingRecordBatchReader : public arrow::RecordBatchReader {
 public:
  CountingRecordBatchReader(std::shared_ptr<arrow::RecordBatchReader> inner, Progress& progress)
      : inner_(std::move(inner)), progress_(progress) {}
  std::shared_ptr<arrow::Schema> schema() const override { return inner_->schema(); }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    ARROW_RETURN_NOT_OK(inner_->ReadNext(batch));
    if (*batch) progress_.Advance((*batch)->num_rows());
    return arrow::Status::OK();
  }
  arrow::Status Close() override { return inner_->Close(); }

 private:
  std::shared_ptr<arrow::RecordBatchReader> inner_;
  Progress& progress_;
};

}  // namespace

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::ostream& err, bool enabled, std::string label, std::string unit,
                   int64_t total)
    : err_(err),
      enabled_(enabled),
      label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total) {
  if (enabled_) thread_ = std::thread([this] { Run(); });
}

Progress::~Progress() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
  // Erase the line so the command's own output starts on a clean line.
  err_ << "\r" << std::string(drawn_width_, ' ') << "\r" << std::flush;
}

void Progress::SetLabel(std::string label) {
  std::lock_guard<std::mutex> lock(mutex_);
  label_ = std::move(label);
}

std::string Progress::Render(int64_t elapsed_ms) const {
  std::string label;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    label = label_;
  }
  const int64_t done = done_.load(std::memory_order_relaxed);
  std::string line = label + " ";
  if (total_ > 0) {
    const int64_t clamped = std::min(done, total_);
    const int filled = static_cast<int>(clamped * kBarWidth / total_);
    line += "[" + std::string(filled, '=') + (filled < kBarWidth ? ">" : "") +
            std::string(std::max(0, kBarWidth - filled - 1), ' ') + "] " + std::to_string(clamped) +
            "/" + std::to_string(total_) + " " + unit_;
  } else if (!unit_.empty()) {
    line += std::to_string(done) + " " + unit_;
  } else {
    static constexpr char kSpinner[] = {'|', '/', '-', '\\'};
    line += kSpinner[(elapsed_ms / 100) % 4];
  }
  char elapsed[32];
  std::snprintf(elapsed, sizeof(elapsed), " %.1fs", static_cast<double>(elapsed_ms) / 1000.0);
  return line + elapsed;
}

void Progress::Run() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    // The first draw waits one interval, so fast commands never flash a bar.
    if (stop_cv_.wait_for(lock, kRedrawInterval, [this] { return stop_; })) break;
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    lock.unlock();
    const std::string line = Render(elapsed);
    lock.lock();
    const size_t pad = drawn_width_ > line.size() ? drawn_width_ - line.size() : 0;
    err_ << "\r" << line << std::string(pad, ' ') << std::flush;
    drawn_width_ = std::max(drawn_width_, line.size());
  }
}

std::shared_ptr<arrow::RecordBatchReader> CountingReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, Progress& progress) {
  return std::make_shared<CountingRecordBatchReader>(std::move(reader), progress);
}

}  // namespace deltacat::cli
