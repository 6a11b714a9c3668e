#pragma once

// Helpers of the compactor interop tests: running the real Python DeltaCAT on a catalog through
// compaction_interop.py, copying catalogs, and rows as comparable JSON.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <arrow/api.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace deltacat::compute::testing {

/// The interop venv's python (deltacat 2.0.0.post4): $DELTACAT_INTEROP_PYTHON, else
/// else <source>/venv-interop; nullopt when neither exists.
inline std::optional<std::string> InteropPython() {
  if (const char* env = std::getenv("DELTACAT_INTEROP_PYTHON"); env != nullptr && *env != 0) {
    return std::string(env);
  }
  const std::string candidate = std::string(DELTACAT_SOURCE_DIR) + "/venv-interop/bin/python";
  if (std::filesystem::exists(candidate)) return candidate;
  return std::nullopt;
}

/// Runs compaction_interop.py with `steps` on the catalog at `root`; returns its output
/// document, or a null json after a test failure.
inline nlohmann::json RunPythonSteps(const std::string& python, const std::filesystem::path& root,
                                     const nlohmann::json& steps,
                                     const std::filesystem::path& work_dir) {
  static int counter = 0;
  const auto steps_path = work_dir / ("steps-" + std::to_string(++counter) + ".json");
  const auto out_path = work_dir / ("out-" + std::to_string(counter) + ".json");
  const auto log_path = work_dir / ("python-" + std::to_string(counter) + ".log");
  std::ofstream(steps_path) << steps.dump(1);
  if (const char* keep = std::getenv("DELTACAT_COMPACTION_INTEROP_KEEP"); keep != nullptr) {
    std::ofstream(std::string(keep) + "-steps-" + std::to_string(counter) + ".json")
        << steps.dump(1);
  }
  const std::string script =
      std::string(DELTACAT_SOURCE_DIR) + "/tests/integration/compaction_interop.py";
  const std::string command = "'" + python + "' '" + script + "' '" + root.string() + "' '" +
                              steps_path.string() + "' '" + out_path.string() + "' > '" +
                              log_path.string() + "' 2>&1";
  const int rc = std::system(command.c_str());
  if (rc != 0) {
    std::ifstream log(log_path);
    std::stringstream text;
    text << log.rdbuf();
    std::string tail = text.str();
    if (tail.size() > 6000) tail = tail.substr(tail.size() - 6000);
    ADD_FAILURE() << "python failed (" << rc << ") on steps " << steps.dump() << ":\n" << tail;
    return nlohmann::json();
  }
  std::ifstream out(out_path);
  return nlohmann::json::parse(out);
}

/// Copies a catalog directory tree.
inline void CopyCatalog(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

/// The rows of `table` as JSON objects (int, float, string, bool, null), sorted canonically.
inline std::vector<nlohmann::json> JsonRows(const arrow::Table& table) {
  std::vector<nlohmann::json> rows;
  auto combined = table.CombineChunksToBatch().ValueOrDie();
  for (int64_t r = 0; r < combined->num_rows(); ++r) {
    nlohmann::json row = nlohmann::json::object();
    for (int c = 0; c < combined->num_columns(); ++c) {
      const auto& name = combined->schema()->field(c)->name();
      auto scalar = combined->column(c)->GetScalar(r).ValueOrDie();
      if (!scalar->is_valid) {
        row[name] = nullptr;
        continue;
      }
      switch (scalar->type->id()) {
        case arrow::Type::INT64:
          row[name] = std::static_pointer_cast<arrow::Int64Scalar>(scalar)->value;
          break;
        case arrow::Type::INT32:
          row[name] = std::static_pointer_cast<arrow::Int32Scalar>(scalar)->value;
          break;
        case arrow::Type::DOUBLE:
          row[name] = std::static_pointer_cast<arrow::DoubleScalar>(scalar)->value;
          break;
        case arrow::Type::BOOL:
          row[name] = std::static_pointer_cast<arrow::BooleanScalar>(scalar)->value;
          break;
        default: row[name] = scalar->ToString(); break;
      }
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a.dump() < b.dump(); });
  return rows;
}

/// Python's rows (a JSON array), sorted canonically.
inline std::vector<nlohmann::json> SortedJsonRows(const nlohmann::json& rows) {
  std::vector<nlohmann::json> out;
  if (!rows.is_array()) return out;
  for (const auto& row : rows) out.push_back(row);
  std::sort(out.begin(), out.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a.dump() < b.dump(); });
  return out;
}

}  // namespace deltacat::compute::testing
