#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include <arrow/record_batch.h>

namespace deltacat::cli {

/// A progress line on stderr for long CLI operations: a bar when the total is known, else a
/// count, plus the elapsed time; redrawn in place ("\r") from a background thread and erased
/// when done. Inactive (prints nothing) unless `enabled`, which the CLI sets when stderr is a
/// terminal, so scripts and pipes never see it.
class Progress {
 public:
  /// Starts drawing `label` (e.g. "writing") counting `unit` (e.g. "rows"); `total` <= 0 means
  /// unknown.
  Progress(std::ostream& err, bool enabled, std::string label, std::string unit, int64_t total = 0);
  /// Stops the redraw thread and erases the line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Adds `n` units done (thread-safe).
  void Advance(int64_t n) { done_.fetch_add(n, std::memory_order_relaxed); }
  /// Changes what the line says it is doing (e.g. "committing").
  void SetLabel(std::string label);

  /// The line as it is drawn now (for tests): "label [====>    ] 40/100 rows 1.2s".
  std::string Render(int64_t elapsed_ms) const;

 private:
  void Run();

  std::ostream& err_;
  const bool enabled_;
  std::string label_;
  const std::string unit_;
  const int64_t total_;
  std::atomic<int64_t> done_{0};
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  size_t drawn_width_ = 0;
  std::thread thread_;
};

/// Whether stderr is a terminal (the CLI shows progress only then).
bool StderrIsTerminal();

/// Wraps `reader` so that every batch it yields advances `progress` by its row count.
std::shared_ptr<arrow::RecordBatchReader> CountingReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, Progress& progress);

}  // namespace deltacat::cli
