#pragma once

// A seeded catalog workload and its model, shared by the crash harness and the concurrency
// tests: three tables of the default namespace,
//   events     no merge keys: ADD and APPEND writes, schema changes (a nullable column added);
//   users_mor  merge key id, read_optimization_level=none: MERGE/DELETE stay uncompacted
//              (merge-on-read) until a COMPACT operation;
//   users_cow  merge key id, the default (max): every MERGE/DELETE compacts inline.
// Operation i is a pure function of (seed, i), so any process can replay or retry it, and the
// model says what every read must return after a prefix of the operations.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <arrow/api.h>

#include "deltacat/catalog.h"
#include "deltacat/catalog/native_catalog.h"
#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/commit_lookup.h"
#include "deltacat/storage/janitor.h"
#include "deltacat/storage/revision_file_name.h"
#include "deltacat/util/clock.h"

namespace deltacat::reliability {

enum class OpKind { kAdd, kAppend, kMerge, kDelete, kAlterSchema, kCompact };

inline const char* OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kAdd: return "add";
    case OpKind::kAppend: return "append";
    case OpKind::kMerge: return "merge";
    case OpKind::kDelete: return "delete";
    case OpKind::kAlterSchema: return "alter-schema";
    case OpKind::kCompact: return "compact";
  }
  return "?";
}

inline constexpr const char* kEvents = "events";
inline constexpr const char* kUsersMor = "users_mor";
inline constexpr const char* kUsersCow = "users_cow";
inline constexpr int64_t kUserKeySpace = 24;

/// One planned operation.
struct Op {
  int64_t index = 0;
  OpKind kind = OpKind::kAdd;
  std::string table;
  std::vector<int64_t> ids;  ///< rows written (ADD/APPEND/MERGE) or deleted (DELETE)

  std::string value() const { return "v" + std::to_string(index); }
  std::string new_column() const { return "x" + std::to_string(index); }
};

/// An operation of `kind` with number `index` (its rows and value), drawing from `rng`.
inline Op PlanOpOfKind(OpKind kind, int64_t index, std::mt19937_64& rng) {
  Op op;
  op.index = index;
  op.kind = kind;
  switch (op.kind) {
    case OpKind::kAdd:
    case OpKind::kAppend: {
      op.table = kEvents;
      const int rows = 1 + static_cast<int>(rng() % 3);
      for (int i = 0; i < rows; ++i) op.ids.push_back(index * 10 + i);
      break;
    }
    case OpKind::kMerge:
    case OpKind::kDelete: {
      op.table = rng() % 2 ? kUsersMor : kUsersCow;
      std::set<int64_t> ids;
      const int rows = 1 + static_cast<int>(rng() % (op.kind == OpKind::kMerge ? 4 : 2));
      while (static_cast<int>(ids.size()) < rows) {
        ids.insert(static_cast<int64_t>(rng() % kUserKeySpace));
      }
      op.ids.assign(ids.begin(), ids.end());
      break;
    }
    case OpKind::kAlterSchema: op.table = kEvents; break;
    case OpKind::kCompact: op.table = kUsersMor; break;
  }
  return op;
}

/// Operation `index` of the workload seeded by `seed`.
inline Op PlanOp(uint64_t seed, int64_t index) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(index));
  const int roll = static_cast<int>(rng() % 100);
  const OpKind kind = roll < 22   ? OpKind::kAdd
                      : roll < 36 ? OpKind::kAppend
                      : roll < 58 ? OpKind::kMerge
                      : roll < 72 ? OpKind::kDelete
                      : roll < 84 ? OpKind::kAlterSchema
                                  : OpKind::kCompact;
  return PlanOpOfKind(kind, index, rng);
}

inline constexpr OpKind kAllOpKinds[] = {OpKind::kAdd,    OpKind::kAppend,      OpKind::kMerge,
                                         OpKind::kDelete, OpKind::kAlterSchema, OpKind::kCompact};

/// What every read must return.
struct Model {
  std::vector<std::pair<int64_t, std::string>> events;  ///< sorted (id, v) rows
  std::vector<std::string> event_fields{"id", "v"};     ///< the events schema, in order
  std::map<int64_t, std::string> users_mor;
  std::map<int64_t, std::string> users_cow;

  void Apply(const Op& op) {
    switch (op.kind) {
      case OpKind::kAdd:
      case OpKind::kAppend:
        for (int64_t id : op.ids) events.emplace_back(id, op.value());
        std::sort(events.begin(), events.end());
        break;
      case OpKind::kMerge:
        for (int64_t id : op.ids) Users(op.table)[id] = op.value();
        break;
      case OpKind::kDelete:
        for (int64_t id : op.ids) Users(op.table).erase(id);
        break;
      case OpKind::kAlterSchema: event_fields.push_back(op.new_column()); break;
      case OpKind::kCompact: break;
    }
  }

  std::map<int64_t, std::string>& Users(const std::string& table) {
    return table == kUsersMor ? users_mor : users_cow;
  }

  bool operator==(const Model&) const = default;

  std::string Describe() const {
    std::ostringstream out;
    out << "events=" << events.size() << " rows, fields=[";
    for (const auto& field : event_fields) out << field << " ";
    out << "] users_mor={";
    for (const auto& [id, value] : users_mor) out << id << ":" << value << " ";
    out << "} users_cow={";
    for (const auto& [id, value] : users_cow) out << id << ":" << value << " ";
    out << "}";
    return out.str();
  }
};

inline std::shared_ptr<arrow::Table> Rows(const std::vector<int64_t>& ids,
                                          const std::string& value) {
  arrow::Int64Builder id_builder;
  arrow::StringBuilder value_builder;
  for (int64_t id : ids) {
    (void)id_builder.Append(id);
    (void)value_builder.Append(value);
  }
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("v", arrow::utf8())});
  return arrow::Table::Make(
      schema, {id_builder.Finish().ValueOrDie(), value_builder.Finish().ValueOrDie()});
}

/// Creates the three tables (one transaction).
inline Status SetUpTables(Catalog& catalog) {
  auto txn = catalog.BeginTransaction();
  DC_RETURN_NOT_OK(txn.status());
  CreateTableOptions events;
  events.schema = Rows({}, "")->schema();
  auto created = catalog.CreateTable(kEvents, events, txn->get());
  DC_RETURN_NOT_OK(created.status());
  CreateTableOptions mor = events;
  mor.merge_keys = {"id"};
  mor.table_properties = {{"read_optimization_level", std::string("none")}};
  created = catalog.CreateTable(kUsersMor, mor, txn->get());
  DC_RETURN_NOT_OK(created.status());
  CreateTableOptions cow = events;
  cow.merge_keys = {"id"};
  created = catalog.CreateTable(kUsersCow, cow, txn->get());
  DC_RETURN_NOT_OK(created.status());
  return (*txn)->Commit();
}

inline TableWriteMode ModeOf(OpKind kind) {
  switch (kind) {
    case OpKind::kAdd: return TableWriteMode::kAdd;
    case OpKind::kAppend: return TableWriteMode::kAppend;
    case OpKind::kMerge: return TableWriteMode::kMerge;
    default: return TableWriteMode::kDelete;
  }
}

/// Runs one operation through the catalog API.
inline Status RunOp(Catalog& catalog, const Op& op) {
  switch (op.kind) {
    case OpKind::kAdd:
    case OpKind::kAppend:
    case OpKind::kMerge:
    case OpKind::kDelete: {
      WriteOptions options;
      options.mode = ModeOf(op.kind);
      auto written = catalog.Write(op.table, Rows(op.ids, op.value()), options);
      return written.status();
    }
    case OpKind::kAlterSchema: {
      DC_ASSIGN_OR_RAISE(auto table, catalog.GetTable(op.table));
      if (!table.version || !table.version->schema) {
        return Status(ErrorCode::kIllegalState, "events has no schema");
      }
      AlterTableOptions options;
      DC_ASSIGN_OR_RAISE(options.new_schema,
                         table.version->schema->AddField(
                             table.version->schema->num_fields(),
                             arrow::field(op.new_column(), arrow::int64(), /*nullable=*/true)));
      return catalog.AlterTable(op.table, options);
    }
    case OpKind::kCompact: {
      CompactOptions options;
      options.threads = 1;
      return catalog.Compact(op.table, options);
    }
  }
  return Status(ErrorCode::kInvalidArgument, "unknown op");
}

/// Reads `table` as (id, v) rows, sorted.
inline Result<std::vector<std::pair<int64_t, std::string>>> ReadRows(
    Catalog& catalog, const std::string& table, std::optional<int64_t> as_of = std::nullopt) {
  ReadOptions options;
  options.columns = {"id", "v"};
  options.as_of = as_of;
  DC_ASSIGN_OR_RAISE(auto rows, catalog.ReadTable(table, options));
  DC_ASSIGN_OR_RAISE(rows, rows->CombineChunks());
  std::vector<std::pair<int64_t, std::string>> out;
  if (rows->num_rows() == 0) return out;
  auto ids = std::static_pointer_cast<arrow::Int64Array>(rows->column(0)->chunk(0));
  auto values = std::static_pointer_cast<arrow::StringArray>(rows->column(1)->chunk(0));
  for (int64_t i = 0; i < rows->num_rows(); ++i) {
    out.emplace_back(ids->Value(i), values->GetString(i));
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline Result<std::map<int64_t, std::string>> ReadUsers(
    Catalog& catalog, const std::string& table, std::optional<int64_t> as_of = std::nullopt) {
  DC_ASSIGN_OR_RAISE(auto rows, ReadRows(catalog, table, as_of));
  std::map<int64_t, std::string> out;
  for (auto& [id, value] : rows) {
    if (!out.emplace(id, value).second) {
      return Status(ErrorCode::kIllegalState,
                    table + " returned merge key " + std::to_string(id) + " twice");
    }
  }
  return out;
}

/// The catalog's current state, in model form.
inline Result<Model> ReadState(Catalog& catalog) {
  Model state;
  DC_ASSIGN_OR_RAISE(state.events, ReadRows(catalog, kEvents));
  DC_ASSIGN_OR_RAISE(auto events, catalog.GetTable(kEvents));
  state.event_fields.clear();
  for (const auto& field : events.version->schema->fields()) {
    state.event_fields.push_back(field->name());
  }
  DC_ASSIGN_OR_RAISE(state.users_mor, ReadUsers(catalog, kUsersMor));
  DC_ASSIGN_OR_RAISE(state.users_cow, ReadUsers(catalog, kUsersCow));
  return state;
}

/// What a janitor run (after every writer is known dead) removed and what it left.
struct JanitorCheck {
  size_t removed_files = 0;
  size_t removed_logs = 0;
  std::vector<std::string> problems;  ///< empty when everything is as it must be
};

/// Runs the janitor as an operator would after a crash (every writer is known dead, so no
/// timeout applies) and checks that it removed only files of uncommitted transactions and
/// left no revision or mapping file of an uncommitted transaction, no running log and no seal
/// marker behind.
inline JanitorCheck RunJanitorAfterCrash(const FileSystemLocation& location) {
  namespace fs = std::filesystem;
  JanitorCheck check;
  storage::JanitorOptions options;
  options.now_ns = SystemClock()->NowNanos();
  options.running_timeout_ns = 0;
  options.orphan_timeout_ns = 0;
  auto report = storage::RunJanitor(location, options);
  if (!report.ok()) {
    check.problems.push_back("janitor failed: " + report.status().ToString());
    return check;
  }
  check.removed_files = report->deleted_files.size();
  check.removed_logs = report->deleted_logs.size();
  storage::CommitLookup commits(location.fs, location.root);
  auto committed = [&](const std::string& txn_id) {
    auto end = commits.EndTimeNow(txn_id);
    return end.ok() && end->has_value();
  };
  for (const auto& path : report->deleted_files) {
    std::string file_name(BaseName(path));
    if (file_name.starts_with(".") && file_name.find(".tmp-") != std::string::npos) {
      file_name = file_name.substr(1, file_name.rfind(".tmp-") - 1);  // an atomic write's temp
    }
    auto name = storage::ParseRevisionFileName(file_name);
    if (!name.ok()) {
      if (file_name != std::string(BaseName(path))) continue;  // a stray temp file
      check.problems.push_back("janitor deleted a file that is no revision: " + path);
    } else if (committed(name->txn_id)) {
      check.problems.push_back("janitor deleted a committed file: " + path);
    }
  }
  const fs::path root(location.root);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), root).string();
    if (relative.rfind("txn/running/", 0) == 0 || relative.rfind("txn/.sealing/", 0) == 0) {
      check.problems.push_back("left behind: " + relative);
      continue;
    }
    const std::string file_name = entry.path().filename().string();
    if (file_name.starts_with(".") && file_name.find(".tmp-") != std::string::npos &&
        relative.rfind("data/", 0) != 0) {
      check.problems.push_back("temp file left behind: " + relative);
      continue;
    }
    if (relative.rfind("txn/", 0) == 0) continue;
    auto name = storage::ParseRevisionFileName(entry.path().filename().string());
    if (name.ok() && !committed(name->txn_id)) {
      check.problems.push_back("uncommitted revision left behind: " + relative);
    }
  }
  return check;
}

}  // namespace deltacat::reliability
