#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <arrow/table.h>
#include <arrow/type.h>

#include "deltacat/result.h"
#include "deltacat/status.h"

/// The merge kernel: turns an ordered stream of delta slices (upserts, appends, deletes) into
/// the table they describe. Shared by merge-on-read and by the compactor's merge step.
///
/// Semantics (Python DeltaCAT compactor v2, `compactor_v2/steps/merge.py`, with the fixes noted):
///  - Slices are applied in (stream position, slice order) order; rows within a slice in order.
///  - With merge keys and drop_duplicates: a row replaces the live row with equal merge-key
///    values ("last writer wins"); keys compare by typed value, composite keys as tuples, and all
///    nulls of a key column are equal (one key). Unlike Python, a null key differs from "".
///  - Sort keys (merge order): within one run of upsert slices the row that sorts last (stable
///    Arrow sort with nulls and NaNs at the end) wins; a later run always wins over an earlier
///    one, whatever its sort keys. Runs are separated by DELETE slices and end after a slice
///    flagged `compacted` (a previous compaction's output), as in Python where an increment always
///    replaces the compacted row.
///  - Deletes are equality deletes applied in stream order: they remove the rows live at that
///    point whose delete-column values equal some row of the delete slice (nulls equal nulls);
///    rows written later are unaffected, so a key can be re-inserted after its delete. Delete
///    tuples match column-wise as tuples. (Python 2.0.0.post4's EqualityDeleteStrategy ANDs a
///    per-column `is_in`, which over-deletes with several delete columns; we do not copy that.)
///  - Partial upserts: an upsert slice that lacks some output columns (or lists fewer in
///    `provided_columns`) updates only the columns it provides, joined by key (Python aligns them
///    by position, a bug). Absent columns keep the replaced row's values; explicit nulls
///    overwrite. A key with no live row gets the column default (or null) for absent columns.
///  - Without merge keys, or with drop_duplicates = false, nothing is de-duplicated: the output
///    is every non-delete row, in order, minus the rows deletes removed (deletes by value).
///
/// Output row order: surviving rows are ordered by the position of the write that made them
/// win (their last upsert): by slice in stream order, then by row within the slice. Untouched
/// rows therefore keep their relative order and updated rows move to where their update is,
/// like Python's "kept compacted rows, then increments" (Python additionally orders increments
/// by sort key; we do not). The order never depends on threads; when callers merge hash buckets
/// separately and concatenate, the rows interleave by bucket instead.
namespace deltacat::compute {

/// What a slice does to the table.
enum class SliceKind : uint8_t {
  kUpsert,  ///< UPSERT: rows replace the live rows with equal merge keys.
  kAppend,  ///< APPEND/ADD/CHRONO: merged exactly like kUpsert when there are merge keys (as in
            ///< Python v2); plain inserts when there are none.
  kDelete,  ///< DELETE: equality delete of the live rows matching any of its rows.
};

/// One input unit: (part of) one delta at one stream position.
struct MergeSlice {
  /// The delta's stream position; slices apply in ascending position, ties in slice order.
  int64_t stream_position = 0;
  /// What the slice does.
  SliceKind kind = SliceKind::kUpsert;
  /// The rows. Column types are cast to the output schema's types (an impossible cast is a
  /// kSchemaValidation error); an upsert column that is not in the output schema is an error.
  std::shared_ptr<arrow::Table> table;
  /// Upserts: the columns the writer actually supplied (Python's `original_fields`); columns of
  /// `table` not listed are treated as absent (e.g. filled in by schema coercion). Unset = every
  /// column of `table`.
  std::optional<std::vector<std::string>> provided_columns;
  /// Deletes: the columns to match. Empty = the merge keys when there are any, otherwise every
  /// column of `table`. Columns not in the output schema are ignored (as Python does).
  std::vector<std::string> delete_columns;
  /// The rows are the output of an earlier compaction: they end the current sort-key run, so
  /// any later write supersedes them regardless of sort keys.
  bool compacted = false;
  /// Upserts and appends: when set, the slice's rows are the rows of `table` at these indices,
  /// in this order, read in place (the hash-bucket step's in-memory output, where buckets share
  /// input batches). `table` must then hold every column in one chunk, and every index must be
  /// a row of it (kInvalidArgument otherwise). Null = every row of `table`.
  std::shared_ptr<arrow::Int32Array> selection;
};

/// The ordered input of a merge.
struct MergeInput {
  /// Slices in any order; they are stably sorted by stream position.
  std::vector<MergeSlice> slices;
};

/// A merge-order sort key.
struct MergeSortKey {
  /// Column name (must be in the output schema).
  std::string column;
  /// Sort direction: the row that sorts last wins, so descending keeps the smallest value.
  bool descending = false;
};

/// How to merge.
struct MergeOptions {
  /// The table's current schema: the output columns, in order, with their types.
  std::shared_ptr<arrow::Schema> output_schema;
  /// Merge-key column names (may be empty: no de-duplication).
  std::vector<std::string> merge_keys;
  /// Merge-order sort keys, compared lexicographically (may be empty: stream order decides).
  std::vector<MergeSortKey> sort_keys;
  /// Whether rows with equal merge keys are de-duplicated (Python's drop_duplicates).
  bool drop_duplicates = true;
  /// Values for columns a row never received (absent from a partial upsert that inserted the
  /// key, or from a slice written before the column existed); cast to the field type. Columns
  /// without an entry get nulls.
  std::unordered_map<std::string, std::shared_ptr<arrow::Scalar>> column_defaults;
  /// Keyed merges without sort keys: from this many held upsert and delete rows up, the result
  /// is resolved at once by radix partitions instead of through the key index (same result;
  /// see last_write_by_key.h). Tests set 0 or a huge value to run either path.
  int64_t partitioned_resolution_min_rows = int64_t{1} << 16;
};

/// Row counts of a merge (for compaction audits).
struct MergeStats {
  int64_t input_rows = 0;    ///< rows of non-delete slices
  int64_t deduped_rows = 0;  ///< rows superseded by a row with the same merge keys
  int64_t deleted_rows = 0;  ///< live rows removed by deletes
  int64_t output_rows = 0;   ///< input_rows - deduped_rows - deleted_rows
};

/// The merged table and its statistics.
struct MergeResult {
  std::shared_ptr<arrow::Table> table;  ///< columns and types of options.output_schema
  MergeStats stats;
};

/// The surviving rows of one record batch of a slice (late materialization: the caller merges
/// only the key columns and gathers the other columns of these rows itself).
struct WinningRows {
  /// The slice, counted over every Add() call (deletes included), from 0.
  size_t slice = 0;
  /// Rows of the slice's table (the selected indices themselves for a slice with a selection),
  /// in output order.
  std::vector<int64_t> rows;
};

/// Merges `input` in one call: MergeStream fed with the slices sorted by stream position.
Result<MergeResult> MergeSlices(const MergeInput& input, const MergeOptions& options);

/// The incremental form of the kernel: feed slices in stream order with Add(), then read the
/// result once as a table or as a stream of record batches. Add() updates a hash index from
/// merge keys to the winning row reference (slice, row); values are only gathered (with
/// arrow::compute::Take) when the output is read, batch by batch.
///
/// Memory: the added slices' Arrow data (referenced, not copied, except for type casts) plus
/// about 40 bytes per distinct key and the encoded keys. A later bounded-memory reader can
/// build on this interface by adding pre-bucketed slices and spilling what Finish() returns.
class MergeStream {
 public:
  /// Validates `options` (columns exist, key and sort types, defaults castable).
  static Result<std::unique_ptr<MergeStream>> Make(MergeOptions options);

  ~MergeStream();
  MergeStream(const MergeStream&) = delete;
  MergeStream& operator=(const MergeStream&) = delete;

  /// Applies the next slice. Its stream position must be >= the previous slice's
  /// (kInvalidArgument otherwise). Validation errors leave the stream unchanged; after an
  /// allocation failure the stream must be discarded.
  Status Add(MergeSlice slice);

  /// A hint that about `rows` more upsert rows will be added, so the key index is sized once
  /// instead of growing step by step.
  void Reserve(int64_t rows);

  /// Statistics so far (output_rows = currently live rows). Before the result is read, this
  /// applies held writes through the key index, which large merges avoid: read the counts
  /// after Finish(), FinishWinners() or FinishTable() when they are only needed at the end.
  MergeStats stats() const;

  /// The result as record batches of at most `max_rows_per_batch` rows, in output order. A batch
  /// never spans two winning slices, so columns are zero-copy slices of the inputs where rows
  /// survive contiguously. Ends the stream: Add() fails afterwards. The reader keeps the data
  /// alive on its own.
  Result<std::shared_ptr<arrow::RecordBatchReader>> Finish(int64_t max_rows_per_batch = 1 << 20);

  /// The result as the rows that survive instead of their values: one entry per record batch
  /// of a slice that has survivors, in output order (the order Finish() returns the rows in;
  /// its batches never span two entries). Ends the stream. kInvalidArgument when a surviving
  /// row takes columns from other rows (partial upserts).
  Result<std::vector<WinningRows>> FinishWinners();

  /// The result as one table (chunked like Finish()'s batches). Ends the stream.
  Result<std::shared_ptr<arrow::Table>> FinishTable();

  /// Implementation detail (defined in merge_kernel.cc), shared with the output reader.
  struct State;

 private:
  explicit MergeStream(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace deltacat::compute
