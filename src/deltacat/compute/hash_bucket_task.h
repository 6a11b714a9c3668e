#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/io/interfaces.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>

#include "deltacat/compute/compaction_tasks.h"
#include "deltacat/compute/memory_spill.h"
#include "deltacat/result.h"

/// The compactor's hash-bucket step: one task reads some input files of one delta in chunks,
/// computes every row's hash bucket with Python DeltaCAT's formula (hash_bucket.h) and spills
/// the chunk's rows grouped by bucket into an Arrow IPC file, one record batch per non-empty
/// bucket. Merge tasks then read exactly their bucket's batches (memory-mapped where the
/// filesystem is local) without reading anyone else's rows.
namespace deltacat::compute {

/// Runs a hash-bucket task. Memory: about three times `task.chunk_bytes`.
Result<HashBucketResult> RunHashBucketTask(const HashBucketTask& task);

/// The peak working memory of RunHashBucketTask: about three chunks of decoded input (read,
/// bucketed, being spilled), or three times its whole input when that is smaller than a chunk.
int64_t EstimateHashBucketTaskBytes(const HashBucketTask& task);

/// Rows per batch a hash-bucket task reads its files in: about `task.chunk_bytes` of decoded
/// data, from the files' manifest sizes.
int64_t HashBucketBatchRows(const HashBucketTask& task);

/// The task handler registered under kHashBucketTaskKind: payload and result are the
/// Serialize* forms of HashBucketTask and HashBucketResult.
Result<std::string> ExecuteHashBucketTask(std::string_view payload);

/// Reads the record batches `run.batches` of the spill `run.path`: from the process's
/// MemorySpillStore (input batches with the bucket's row indices, not copied) or from its Arrow
/// IPC file (every row of each batch; local files are memory-mapped, so the batches are
/// zero-copy views of the page cache).
Result<std::vector<SelectedBatch>> ReadSpillRunBatches(arrow::fs::FileSystem& fs,
                                                       const SpillRun& run);

/// ReadSpillRunBatches with the selected rows copied out into one table.
Result<std::shared_ptr<arrow::Table>> ReadSpillRun(arrow::fs::FileSystem& fs, const SpillRun& run);

}  // namespace deltacat::compute
