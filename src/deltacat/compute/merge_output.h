#pragma once

#include <memory>
#include <vector>

#include <arrow/filesystem/filesystem.h>
#include <arrow/record_batch.h>
#include <arrow/type.h>

#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/io/rolling_data_file_writer.h"
#include "deltacat/result.h"

/// The output files of one hash bucket's merge: a rolling Parquet writer in the round's output
/// directory. Shared by the merge task and by late materialization, so that both cut files and
/// row groups the same way for the same rows.
namespace deltacat::compute {

/// Writes the merged rows of one bucket (possibly from several sub-partitions) to files of
/// `task.records_per_file` rows or `task.max_file_bytes` decoded bytes at most.
class MergeOutputFiles {
 public:
  /// Opens the writer for `task`'s bucket; `schema` is the output schema (its schema-level
  /// metadata is left out of the files, as Python writes them). `fs` must outlive the writer.
  static Result<std::unique_ptr<MergeOutputFiles>> Open(
      arrow::fs::FileSystem& fs, const std::shared_ptr<arrow::Schema>& schema,
      const MergeTask& task);

  /// Writes every batch of `reader`.
  Status Write(arrow::RecordBatchReader& reader);

  /// Writes one batch of output rows (the output schema's columns, in order).
  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);

  /// Closes the files; writes one empty file when nothing survived and `empty_file` is set.
  Result<std::vector<MergedFile>> Close(bool empty_file);

  /// Deletes what was written (after a failure).
  void Abort();

 private:
  MergeOutputFiles(arrow::fs::FileSystem& fs, const MergeTask& task) : fs_(fs), task_(task) {}
  arrow::fs::FileSystem& fs_;
  const MergeTask& task_;
  std::shared_ptr<arrow::Schema> file_schema_;
  std::unique_ptr<io::RollingDataFileWriter> writer_;
};

}  // namespace deltacat::compute
