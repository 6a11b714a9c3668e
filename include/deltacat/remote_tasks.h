#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/result.h"

/// Running DeltaCAT's compute tasks somewhere other than this process's thread pool, e.g. as
/// Ray tasks (the Python module's executor="ray"). The library plans the work natively and
/// hands out serialized task specs; a RemoteTaskRunner ships each spec to a worker, which
/// passes it to ExecuteTask (in its own copy of the library) and ships the result bytes back.
/// Tasks share nothing but their specs, results and files on the catalog's filesystem, so a
/// worker must reach the catalog by its URI (an s3:// catalog, or a local path on one machine).
namespace deltacat {

/// One serialized task of a batch.
struct RemoteTask {
  std::string kind;  ///< e.g. "compactor.hash_bucket", "compactor.merge" (for logs and names)
  std::string spec;  ///< the bytes to pass to ExecuteTask
  /// Estimated peak working memory in bytes, to reserve on the worker (0: unknown).
  int64_t memory_bytes = 0;
};

/// Runs batches of tasks elsewhere. Implementations may retry failed tasks; a batch either
/// returns every result or an error, after which the library abandons the whole job.
class RemoteTaskRunner {
 public:
  virtual ~RemoteTaskRunner() = default;

  /// Runs every task (each through ExecuteTask on some worker) and returns their result bytes
  /// in input order, or the first error.
  virtual Result<std::vector<std::string>> Run(const std::vector<RemoteTask>& tasks) = 0;

  /// How many tasks run at once (e.g. the cluster's CPUs); 0 when unknown. The compactor divides
  /// its memory budget by it to size tasks.
  virtual int parallelism() const { return 0; }
};

/// Executes one serialized task spec in this process and returns its serialized result: the
/// entry point of remote workers. kInvalidArgument for bytes that are not a task spec or name
/// an unknown kind; otherwise the task's own error.
Result<std::string> ExecuteTask(std::string_view spec);

}  // namespace deltacat
