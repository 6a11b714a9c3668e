#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "deltacat/catalog.h"
#include "deltacat/result.h"

namespace deltacat::cli {

/// State shared by every command of one CLI invocation.
class CliContext {
 public:
  CliContext(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

  /// The --catalog option's value (empty: $DELTACAT_ROOT, else ./.deltacat).
  std::string& catalog_uri() { return catalog_uri_; }

  /// Opens the catalog on first use.
  Result<std::shared_ptr<Catalog>> catalog();

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  /// Whether long operations draw a progress line on err() (stderr is a terminal).
  bool show_progress() const { return show_progress_; }
  void set_show_progress(bool show) { show_progress_ = show; }

  /// The outcome of the command that ran (OK if none failed).
  const Status& status() const { return status_; }
  void set_status(Status status) { status_ = std::move(status); }
  /// Exit code for a successful command (`table exists` uses 1 for "no").
  int exit_code() const { return exit_code_; }
  void set_exit_code(int code) { exit_code_ = code; }

 private:
  std::ostream& out_;
  std::ostream& err_;
  std::string catalog_uri_;
  std::shared_ptr<Catalog> catalog_;
  Status status_;
  int exit_code_ = 0;
  bool show_progress_ = false;
};

}  // namespace deltacat::cli
