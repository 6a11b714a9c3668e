// `deltacat compact --executor ray` runs `$DELTACAT_PYTHON -m deltacat_cpp.ray_compact`: the
// arguments it passes and how the child's output and errors come back, with a stand-in
// interpreter (a shell script). The real Ray run is tested in tests/ray.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "deltacat/cli/commands.h"
#include "deltacat/cli/python_driver.h"
#include "support/temp_dir.h"

namespace deltacat::cli {
namespace {

/// Sets an environment variable for the test's lifetime.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class PythonDriverTest : public ::testing::Test {
 protected:
  /// A stand-in interpreter that runs `body` (sh) with the arguments it was given.
  std::string FakePython(const std::string& body) {
    const std::string path = dir_.Child("fake-python");
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }

  int Run(std::vector<std::string> args) {
    std::vector<const char*> argv = {"deltacat"};
    for (const auto& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    return RunCli(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }

  testing::TempDir dir_;
  std::ostringstream out_, err_;
};

TEST_F(PythonDriverTest, CompactOnRayRunsTheModuleWithTheCatalogAndOptions) {
  const std::string args_file = dir_.Child("args");
  ScopedEnv python("DELTACAT_PYTHON", FakePython("echo \"$@\" > " + args_file +
                                                 "\necho 'ray noise' >&2\necho \"Compacted t\""));
  const std::string catalog = dir_.Child("catalog");
  ASSERT_EQ(Run({"--catalog", catalog, "compact", "sales/t", "--executor", "ray", "--ray-address",
                 "127.0.0.1:6379", "--hash-buckets", "4", "--memory-budget", "1MiB"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "Compacted t\n");
  EXPECT_NE(err_.str().find("ray noise"), std::string::npos);
  std::ifstream in(args_file);
  std::string passed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(passed, "-m deltacat_cpp.ray_compact --catalog " + catalog +
                        " --memory-budget-bytes 1048576 --hash-buckets 4 --ray-address "
                        "127.0.0.1:6379 sales/t\n");
}

TEST_F(PythonDriverTest, TheModulesErrorBecomesTheCommandsError) {
  ScopedEnv python("DELTACAT_PYTHON",
                   FakePython("echo 'a warning' >&2\n"
                              "echo 'TableNotFoundError: Table does not exist: default.t' >&2\n"
                              "exit 1"));
  EXPECT_EQ(Run({"--catalog", dir_.Child("c"), "compact", "t", "--executor", "ray"}), 1);
  EXPECT_NE(err_.str().find("a warning"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("TableNotFoundError: Table does not exist: default.t"),
            std::string::npos)
      << err_.str();
  auto status = RunPythonModule("m", {}, out_, err_);
  EXPECT_EQ(status.code(), ErrorCode::kTableNotFound);
  EXPECT_EQ(status.message(), "Table does not exist: default.t");
}

TEST_F(PythonDriverTest, AMissingInterpreterOrModuleIsExplained) {
  {
    ScopedEnv python("DELTACAT_PYTHON", dir_.Child("no-such-python"));
    auto status = RunPythonModule("deltacat_cpp.ray_compact", {}, out_, err_);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(status.message().find("DELTACAT_PYTHON"), std::string::npos) << status;
  }
  ScopedEnv python("DELTACAT_PYTHON",
                   FakePython("echo \"ModuleNotFoundError: No module named 'deltacat_cpp'\" >&2\n"
                              "exit 1"));
  auto status = RunPythonModule("deltacat_cpp.ray_compact", {}, out_, err_);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("DELTACAT_PYTHON"), std::string::npos) << status;
  // A crash without an error line still fails, with the exit code.
  ScopedEnv crash("DELTACAT_PYTHON", FakePython("exit 3"));
  status = RunPythonModule("m", {}, out_, err_);
  EXPECT_EQ(status.code(), ErrorCode::kInternal);
  EXPECT_NE(status.message().find("exit code 3"), std::string::npos) << status;
}

TEST_F(PythonDriverTest, OtherExecutorsAndStrayRayAddressesAreRefused) {
  EXPECT_EQ(Run({"--catalog", dir_.Child("c"), "compact", "t", "--executor", "spark"}), 1);
  EXPECT_NE(err_.str().find("unknown executor 'spark'"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"--catalog", dir_.Child("c"), "compact", "t", "--ray-address", "x:1"}), 1);
  EXPECT_NE(err_.str().find("--ray-address needs --executor ray"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace deltacat::cli
