#pragma once

#include <string>

#include "deltacat/status.h"

namespace deltacat {

/// Process-wide set-up for programs that use DeltaCAT (Arrow compute registration where the
/// Arrow version needs it). Safe to call more than once.
Status InitializeRuntime();

/// Process-wide tear-down: finalizes Arrow's S3 subsystem if it was used. Call once, after the
/// last filesystem object is gone and before main returns; safe to call more than once.
Status FinalizeRuntime();

/// RAII form for `main`: initializes on construction, finalizes on destruction.
class RuntimeScope {
 public:
  RuntimeScope();
  ~RuntimeScope();
  RuntimeScope(const RuntimeScope&) = delete;
  RuntimeScope& operator=(const RuntimeScope&) = delete;
  /// The outcome of initialization.
  const Status& status() const { return status_; }

 private:
  Status status_;
};

/// "deltacat-cpp 0.1.0 (arrow 16.0.0)".
std::string VersionString();

}  // namespace deltacat
