#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <arrow/array.h>
#include <arrow/record_batch.h>

#include "deltacat/result.h"

/// The in-process form of the hash-bucket step's spill files. When a round runs on this
/// process's thread pool and its input fits the memory budget, hash-bucket tasks keep their
/// bucketed record batches here, under the path the spill file would have had, instead of
/// writing Arrow IPC files that the merge tasks read straight back: that saves a copy into the
/// page cache, the page faults of reading it back and the file's framing. Specs stay plain data
/// (the path names the spill either way); only executors that share this process may ask for
/// it (HashBucketTask::keep_spills_in_memory).
namespace deltacat::compute {

/// Some rows of a record batch. In memory, the hash-bucket step does not copy a bucket's rows
/// out of an input batch: every bucket keeps the batch and the indices of its rows, so the rows
/// are copied once, when the merge writes the winners.
struct SelectedBatch {
  std::shared_ptr<arrow::RecordBatch> batch;
  /// The selected rows of `batch`, ascending; null = every row.
  std::shared_ptr<arrow::Int32Array> selection;

  int64_t num_rows() const { return selection ? selection->length() : batch->num_rows(); }

  /// The selected rows as a batch of their own (a copy unless every row is selected).
  Result<std::shared_ptr<arrow::RecordBatch>> Materialize() const;
};

/// A process-wide map from spill path to (selected) record batches. Thread-safe.
class MemorySpillStore {
 public:
  /// The store every task of this process uses.
  static MemorySpillStore& Global();

  /// Appends `batch` to the in-memory spill `path` (created on first use); returns its index.
  /// Its bytes are counted in proportion to the rows it selects.
  int32_t Append(const std::string& path, SelectedBatch batch);

  /// Whether `path` is an in-memory spill (with batches not yet taken).
  bool Contains(const std::string& path) const;

  /// Removes the batches `indices` of `path` from the store and returns them, so that their
  /// memory goes once the caller drops them: every batch belongs to one bucket's run and is
  /// read by that bucket's merge only. kInvalidArgument for an unknown path, an index out of
  /// range or a batch taken before.
  Result<std::vector<SelectedBatch>> Take(const std::string& path,
                                          const std::vector<int32_t>& indices);

  /// Drops every spill whose path is `dir` or under it (a round's scratch directory, when the
  /// round ends however it ends).
  void RemoveUnder(const std::string& dir);

  /// Decoded bytes held, input batches shared by several spills counted once in all (for tests
  /// and diagnostics).
  int64_t bytes() const;

 private:
  struct Spill {
    std::vector<SelectedBatch> batches;
    std::vector<int64_t> sizes;
    int64_t remaining = 0;  ///< batches not yet taken
  };
  mutable std::mutex mutex_;
  std::map<std::string, Spill> spills_;
  int64_t bytes_ = 0;
};

}  // namespace deltacat::compute
