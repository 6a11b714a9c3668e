// Concurrent writers through the catalog API (issue 8): several processes, each with several
// threads sharing one Catalog, write one shared table and tables of their own, while reader
// threads in the test process read beside them.
//   - ADD writes (to the shared table and to the writers' own tables) never conflict and all
//     land (once the table has its partition: the first write to a table creates it, and
//     concurrent first writes race on that, as in Python DeltaCAT);
//   - APPEND writes to one table, MERGE writes to one merge-keyed table and schema changes of one
//     table each either commit or fail with ConcurrentModification (any other error fails the
//     test), and the final state equals the successful commits applied in commit order;
//   - readers only ever see committed snapshots: every ADD's rows all or none, only values of
//     commits that succeeded, and a snapshot never older than one seen before.
// DELTACAT_CONCURRENCY_ROUNDS (default 3) sizes a run.

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "catalog_workload.h"
#include "child_process.h"
#include "support/temp_dir.h"

namespace deltacat::reliability {
namespace {

constexpr int kProcesses = 3;
constexpr int kThreadsPerProcess = 2;
constexpr const char* kShared = "shared";      // ADD target of every writer
constexpr const char* kOrdered = "ordered";    // APPEND target of every writer
constexpr const char* kUsers = "users";        // MERGE target of every writer
constexpr const char* kEvolving = "evolving";  // schema changes of every writer
constexpr int64_t kUserKeys = 4;
constexpr int kRowsPerAdd = 3;

/// Commits `write` in its own transaction tagged `tag` (the commit message), so the parent can
/// find its commit time in the history.
Status Tagged(Catalog& catalog, const std::string& tag,
              const std::function<Status(Transaction*)>& write) {
  DC_ASSIGN_OR_RAISE(auto txn, catalog.BeginTransaction(std::nullopt, tag));
  Status status = write(txn.get());
  if (!status.ok()) {
    (void)txn->Abort();
    return status;
  }
  return txn->Commit();
}

/// One writer thread: `rounds` rounds of ADD (shared and own table), APPEND, MERGE and a schema
/// change. Appends "<kind> <tag> <ok|conflict>" lines to `out`; returns false on any error that
/// is not a ConcurrentModification of a conflicting kind.
bool WriterThread(Catalog& catalog, const std::string& who, int rounds, std::mutex& mutex,
                  std::ostream& out, std::string& error) {
  for (int round = 0; round < rounds; ++round) {
    const std::string tag = who + "." + std::to_string(round);
    struct Attempt {
      const char* kind;
      std::function<Status(Transaction*)> write;
      bool may_conflict;
    };
    std::vector<int64_t> add_ids;
    for (int i = 0; i < kRowsPerAdd; ++i) add_ids.push_back(static_cast<int64_t>(i));
    const std::vector<Attempt> attempts = {
        {"add",
         [&](Transaction* txn) {
           WriteOptions options;
           options.mode = TableWriteMode::kAdd;
           auto written = catalog.Write(kShared, Rows(add_ids, "add:" + tag), options, txn);
           return written.status();
         },
         false},
        {"own",
         [&](Transaction* txn) {
           WriteOptions options;
           options.mode = TableWriteMode::kAdd;
           auto written = catalog.Write("own_" + who, Rows({round}, "own:" + tag), options, txn);
           return written.status();
         },
         false},
        {"append",
         [&](Transaction* txn) {
           WriteOptions options;
           options.mode = TableWriteMode::kAppend;
           auto written = catalog.Write(kOrdered, Rows({round}, "append:" + tag), options, txn);
           return written.status();
         },
         true},
        {"merge",
         [&](Transaction* txn) {
           WriteOptions options;
           options.mode = TableWriteMode::kMerge;
           const int64_t key = round % kUserKeys;
           auto written = catalog.Write(kUsers, Rows({key, (key + 1) % kUserKeys}, "merge:" + tag),
                                        options, txn);
           return written.status();
         },
         true},
        {"schema",
         [&](Transaction* txn) -> Status {
           DC_ASSIGN_OR_RAISE(auto table, catalog.GetTable(kEvolving, std::nullopt, txn));
           AlterTableOptions options;
           auto schema = table.version->schema;
           DC_ASSIGN_OR_RAISE(
               options.new_schema,
               schema->AddField(
                   schema->num_fields(),
                   arrow::field("c_" + who + "_" + std::to_string(round), arrow::int64())));
           return catalog.AlterTable(kEvolving, options, txn);
         },
         true},
    };
    for (const auto& attempt : attempts) {
      Status status = Tagged(catalog, std::string(attempt.kind) + ":" + tag, attempt.write);
      const bool conflict = status.code() == ErrorCode::kConcurrentModification;
      if (!status.ok() && !(conflict && attempt.may_conflict)) {
        std::lock_guard<std::mutex> lock(mutex);
        error = std::string(attempt.kind) + " " + tag + ": " + status.ToString();
        return false;
      }
      std::lock_guard<std::mutex> lock(mutex);
      out << attempt.kind << " " << tag << " " << (status.ok() ? "ok" : "conflict") << "\n";
      out.flush();
    }
  }
  return true;
}

/// A writer process: threads sharing one Catalog. Exit code 0 when every attempt behaved.
[[noreturn]] void WriterProcessMain() {
  const std::string root = std::getenv("DELTACAT_CONCURRENCY_CHILD");
  const std::string name = std::getenv("DELTACAT_CONCURRENCY_CHILD_NAME");
  const int rounds = static_cast<int>(EnvInt("DELTACAT_CONCURRENCY_ROUNDS", 3));
  std::ofstream out(std::getenv("DELTACAT_CONCURRENCY_CHILD_LOG"));
  auto catalog = Catalog::Open(root);
  if (!catalog.ok()) {
    out << "error open " << catalog.status().ToString() << "\n";
    _exit(2);
  }
  std::mutex mutex;
  std::vector<std::thread> threads;
  std::atomic<bool> ok{true};
  std::string error;
  for (int t = 0; t < kThreadsPerProcess; ++t) {
    threads.emplace_back([&, t] {
      if (!WriterThread(**catalog, name + "t" + std::to_string(t), rounds, mutex, out, error)) {
        ok = false;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (!ok) {
    out << "error " << error << "\n";
    out.flush();
    _exit(3);
  }
  out.flush();
  _exit(0);
}

const bool kIsConcurrencyWriter = [] {
  if (std::getenv("DELTACAT_CONCURRENCY_CHILD") != nullptr) WriterProcessMain();
  return false;
}();

/// The value column's tags ("add:p0t1.2" -> "p0t1.2") of a read.
std::multiset<std::string> Tags(const std::vector<std::pair<int64_t, std::string>>& rows) {
  std::multiset<std::string> tags;
  for (const auto& [id, value] : rows) tags.insert(value.substr(value.find(':') + 1));
  return tags;
}

TEST(CatalogConcurrency, ProcessesAndThreadsCommitOrConflictAndReadersSeeOnlyCommits) {
  testing::TempDir dir;
  const std::string root = dir.Child("catalog");
  const int rounds = static_cast<int>(EnvInt("DELTACAT_CONCURRENCY_ROUNDS", 3));
  auto opened = Catalog::Open(root);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Catalog& catalog = **opened;
  {
    CreateTableOptions plain;
    plain.schema = Rows({}, "")->schema();
    CreateTableOptions merge = plain;
    merge.merge_keys = {"id"};
    merge.table_properties = {{"read_optimization_level", std::string("none")}};
    ASSERT_TRUE(catalog.CreateTable(kShared, plain).ok());
    ASSERT_TRUE(catalog.CreateTable(kOrdered, plain).ok());
    ASSERT_TRUE(catalog.CreateTable(kEvolving, plain).ok());
    ASSERT_TRUE(catalog.CreateTable(kUsers, merge).ok());
    for (int p = 0; p < kProcesses; ++p) {
      for (int t = 0; t < kThreadsPerProcess; ++t) {
        ASSERT_TRUE(
            catalog.CreateTable("own_p" + std::to_string(p) + "t" + std::to_string(t), plain).ok());
      }
    }
  }
  // The first write to a table creates its partition: concurrent first writes race on that (in
  // Python DeltaCAT too), so every table gets one write before the writers start.
  int seed_commits = 0;
  auto seed = [&](const std::string& kind, const std::string& table, TableWriteMode mode,
                  std::vector<int64_t> ids) {
    const std::string message = kind + ":seed" + (kind == "own" ? "_" + table : "") + ".0";
    Status status = Tagged(catalog, message, [&](Transaction* txn) {
      WriteOptions options;
      options.mode = mode;
      auto written = catalog.Write(table, Rows(ids, message), options, txn);
      return written.status();
    });
    ASSERT_TRUE(status.ok()) << status;
    ++seed_commits;
  };
  seed("add", kShared, TableWriteMode::kAdd, {0, 1, 2});
  seed("append", kOrdered, TableWriteMode::kAppend, {0});
  seed("merge", kUsers, TableWriteMode::kMerge, {0, 1});
  for (int p = 0; p < kProcesses; ++p) {
    for (int t = 0; t < kThreadsPerProcess; ++t) {
      seed("own", "own_p" + std::to_string(p) + "t" + std::to_string(t), TableWriteMode::kAdd,
           {-1});
    }
  }

  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid =
        SpawnSelf({"DELTACAT_CONCURRENCY_CHILD=" + root,
                   "DELTACAT_CONCURRENCY_CHILD_NAME=p" + std::to_string(p),
                   "DELTACAT_CONCURRENCY_CHILD_LOG=" + dir.Child("log-" + std::to_string(p))});
    ASSERT_GT(pid, 0);
    children.push_back(pid);
  }

  // Readers beside the writers.
  std::atomic<bool> writers_done{false};
  std::mutex seen_mutex;
  std::set<std::string> values_seen;  // "merge:<tag>" and "add:<tag>"
  std::vector<std::string> reader_errors;
  int64_t reads = 0;
  auto reader = [&] {
    std::set<std::string> previous_adds;
    while (!writers_done) {
      auto shared = ReadRows(catalog, kShared);
      auto users = ReadUsers(catalog, kUsers);
      std::lock_guard<std::mutex> lock(seen_mutex);
      if (!shared.ok() || !users.ok()) {
        reader_errors.push_back(!shared.ok() ? shared.status().ToString()
                                             : users.status().ToString());
        return;
      }
      ++reads;
      std::multiset<std::string> tags = Tags(*shared);
      std::set<std::string> adds(tags.begin(), tags.end());
      for (const auto& tag : adds) {
        if (tags.count(tag) != kRowsPerAdd) {
          reader_errors.push_back("torn ADD " + tag + ": " + std::to_string(tags.count(tag)) +
                                  " rows");
        }
        values_seen.insert("add:" + tag);
      }
      for (const auto& tag : previous_adds) {
        if (adds.count(tag) == 0) reader_errors.push_back("snapshot went back: lost " + tag);
      }
      previous_adds = std::move(adds);
      for (const auto& [id, value] : *users) values_seen.insert(value);
    }
  };
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) readers.emplace_back(reader);

  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer " << pid;
  }
  writers_done = true;
  for (auto& thread : readers) thread.join();
  for (const auto& error : reader_errors) ADD_FAILURE() << "reader: " << error;

  // What the writers report.
  std::map<std::string, std::set<std::string>> ok_tags;  // kind -> tags that committed
  std::map<std::string, int> conflicts;
  for (int p = 0; p < kProcesses; ++p) {
    std::ifstream in(dir.Child("log-" + std::to_string(p)));
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream words(line);
      std::string kind, tag, outcome;
      words >> kind >> tag >> outcome;
      ASSERT_NE(kind, "error") << line;
      if (outcome == "ok") {
        ok_tags[kind].insert(tag);
      } else {
        ++conflicts[kind];
      }
    }
  }
  const size_t attempts_per_kind = static_cast<size_t>(kProcesses * kThreadsPerProcess * rounds);
  EXPECT_EQ(ok_tags["add"].size(), attempts_per_kind) << "an ADD did not land";
  EXPECT_EQ(ok_tags["own"].size(), attempts_per_kind);
  EXPECT_EQ(conflicts["add"] + conflicts["own"], 0);
  for (const char* kind : {"append", "merge", "schema"}) {
    EXPECT_EQ(ok_tags[kind].size() + static_cast<size_t>(conflicts[kind]), attempts_per_kind);
    EXPECT_FALSE(ok_tags[kind].empty()) << kind;
  }

  // Commit order of the successful transactions, from the history.
  auto history = catalog.Transactions(100000);
  ASSERT_TRUE(history.ok()) << history.status();
  std::map<int64_t, std::string> committed_by_end;  // end time -> "kind:tag"
  std::set<std::string> committed_messages;
  for (const auto& record : *history) {
    if (record.status != "SUCCESS" || !record.commit_message) continue;
    committed_by_end.emplace(record.end_time, *record.commit_message);
    committed_messages.insert(*record.commit_message);
  }
  for (const auto& [kind, tags] : ok_tags) {
    for (const auto& tag : tags) {
      EXPECT_EQ(committed_messages.count(kind + ":" + tag), 1u) << kind << ":" << tag;
    }
  }
  EXPECT_EQ(committed_messages.size(), ok_tags["add"].size() + ok_tags["own"].size() +
                                           ok_tags["append"].size() + ok_tags["merge"].size() +
                                           ok_tags["schema"].size() +
                                           static_cast<size_t>(seed_commits))
      << "a transaction reported as conflicting committed";

  // The final state is the successful commits replayed in commit order.
  std::vector<std::pair<int64_t, std::string>> expected_shared;
  std::vector<std::pair<int64_t, std::string>> expected_ordered;
  std::map<int64_t, std::string> expected_users;
  std::vector<std::string> expected_fields{"id", "v"};
  for (const auto& [end, message] : committed_by_end) {
    const std::string kind = message.substr(0, message.find(':'));
    const std::string tag = message.substr(message.find(':') + 1);
    const std::string who = tag.substr(0, tag.find('.'));
    const int round = std::stoi(tag.substr(tag.find('.') + 1));
    if (who == "seed" && kind == "merge") {
      expected_users[0] = expected_users[1] = message;
    } else if (kind == "add") {
      for (int i = 0; i < kRowsPerAdd; ++i) expected_shared.emplace_back(i, message);
    } else if (kind == "append") {
      expected_ordered.emplace_back(round, message);
    } else if (kind == "merge") {
      const int64_t key = round % kUserKeys;
      expected_users[key] = message;
      expected_users[(key + 1) % kUserKeys] = message;
    } else if (kind == "schema") {
      expected_fields.push_back("c_" + who + "_" + std::to_string(round));
    }
  }
  std::sort(expected_shared.begin(), expected_shared.end());
  std::sort(expected_ordered.begin(), expected_ordered.end());
  auto shared = ReadRows(catalog, kShared);
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_EQ(*shared, expected_shared);
  auto ordered = ReadRows(catalog, kOrdered);
  ASSERT_TRUE(ordered.ok()) << ordered.status();
  EXPECT_EQ(*ordered, expected_ordered);
  auto users = ReadUsers(catalog, kUsers);
  ASSERT_TRUE(users.ok()) << users.status();
  EXPECT_EQ(*users, expected_users);
  auto evolving = catalog.GetTable(kEvolving);
  ASSERT_TRUE(evolving.ok()) << evolving.status();
  std::vector<std::string> fields;
  for (const auto& field : evolving->version->schema->fields()) fields.push_back(field->name());
  EXPECT_EQ(fields, expected_fields);
  for (int p = 0; p < kProcesses; ++p) {
    for (int t = 0; t < kThreadsPerProcess; ++t) {
      auto own = ReadRows(catalog, "own_p" + std::to_string(p) + "t" + std::to_string(t));
      ASSERT_TRUE(own.ok()) << own.status();
      EXPECT_EQ(own->size(), static_cast<size_t>(rounds) + 1);
    }
  }

  // Readers saw only values of commits that succeeded.
  for (const auto& value : values_seen) {
    EXPECT_EQ(committed_messages.count(value), 1u) << "a reader saw uncommitted " << value;
  }
  std::cout << "catalog concurrency: " << kProcesses << " processes x " << kThreadsPerProcess
            << " threads x " << rounds << " rounds; committed: add " << ok_tags["add"].size()
            << ", own-table add " << ok_tags["own"].size() << ", append "
            << ok_tags["append"].size() << " (conflicts " << conflicts["append"] << "), merge "
            << ok_tags["merge"].size() << " (conflicts " << conflicts["merge"] << "), schema "
            << ok_tags["schema"].size() << " (conflicts " << conflicts["schema"] << "); " << reads
            << " concurrent snapshot reads\n";
}

}  // namespace
}  // namespace deltacat::reliability
