#include "deltacat/compute/merge_kernel.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include <arrow/array/concatenate.h>
#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>

#include "deltacat/compute/key_encoding.h"
#include "deltacat/compute/key_index.h"
#include "deltacat/compute/last_write_by_key.h"
#include "deltacat/compute/value_order.h"

namespace deltacat::compute {
namespace {

/// A reference to one stored input row: (segment << kRowBits) | row. Ordering RowRefs orders rows
/// by segment (= stream order) then row, which is the output order.
using RowRef = uint64_t;
constexpr int kRowBits = 40;
constexpr uint64_t kMaxSegments = uint64_t{1} << (64 - kRowBits);
constexpr uint64_t kRowMask = (uint64_t{1} << kRowBits) - 1;
/// In an entry's per-column sources: "the column comes from the entry's primary row".
constexpr RowRef kFromPrimary = ~uint64_t{0};

RowRef MakeRef(uint64_t segment, int64_t row) {
  return (segment << kRowBits) | static_cast<uint64_t>(row);
}
uint32_t SegmentOf(RowRef ref) { return static_cast<uint32_t>(ref >> kRowBits); }
int64_t RowOf(RowRef ref) { return static_cast<int64_t>(ref & kRowMask); }

/// One record batch of an upsert/append slice, with its columns mapped to the output fields.
/// A segment's rows are the batch's rows, or the ones its selection lists.
struct Segment {
  std::vector<std::shared_ptr<arrow::Array>> columns;  // by batch column
  std::vector<int> column_of_field;                    // output field -> columns index or -1
  std::shared_ptr<arrow::Int32Array> selection;        // null = every row of the batch
  const int32_t* selected = nullptr;                   // selection's values
  int64_t num_rows = 0;
  int64_t first_global_row = 0;  // rows of all earlier segments
  size_t slice = 0;              // index of its slice among all added slices
  int64_t first_table_row = 0;   // row of the slice's table where the batch starts
  uint32_t epoch = 0;            // sort-key run (see MergeStream docs)
  bool partial = false;          // lacks some output field
  EncodedRows keys;              // keyed mode: the merge-key tuples
  PoolVector<uint8_t> alive;     // unkeyed mode: 1 while the row is live

  /// The batch row of segment row `row`.
  int64_t BatchRow(int64_t row) const { return selected != nullptr ? selected[row] : row; }

  /// Batch column `column` restricted to the segment's rows (a copy when there is a selection).
  Result<std::shared_ptr<arrow::Array>> Rows(int column) const {
    if (selection == nullptr) return columns[column];
    // CheckSelection validated the indices when the slice was added.
    DC_ASSIGN_OR_RAISE(arrow::Datum taken,
                       arrow::compute::Take(arrow::Datum(columns[column]), arrow::Datum(selection),
                                            arrow::compute::TakeOptions::NoBoundsCheck()));
    return taken.make_array();
  }
};

/// A distinct merge key (keyed mode).
struct Entry {
  RowRef key_row = 0;    // a row holding the key's encoded bytes (its first writer)
  RowRef primary = 0;    // the winning write; most columns come from it
  int32_t sources = -1;  // slot of per-column sources (partial upserts), -1 = all from primary
  bool alive = false;
};

/// A slice after validation, before it changes any state.
struct PreparedSlice {
  SliceKind kind = SliceKind::kUpsert;
  bool compacted = false;
  std::vector<Segment> segments;  // upserts/appends
  // Deletes:
  std::vector<int> delete_fields;  // output fields matched (empty = no-op)
  bool delete_by_merge_keys = false;
  std::vector<EncodedRows> delete_rows;  // one per batch, in delete_fields order
};

std::string SliceName(const MergeSlice& slice) {
  const char* kind = slice.kind == SliceKind::kDelete   ? "DELETE"
                     : slice.kind == SliceKind::kAppend ? "APPEND"
                                                        : "UPSERT";
  return std::string(kind) + " slice at stream position " + std::to_string(slice.stream_position);
}

/// `column` cast to `type` (no-op when equal), with a schema error naming slice and column.
Result<std::shared_ptr<arrow::ChunkedArray>> CastColumn(
    const std::shared_ptr<arrow::ChunkedArray>& column, const arrow::Field& field,
    const MergeSlice& slice) {
  if (column->type()->Equals(*field.type())) return column;
  auto cast = arrow::compute::Cast(arrow::Datum(column), field.type());
  if (!cast.ok()) {
    return MakeError(ErrorCode::kSchemaValidation, SliceName(slice), ": column '", field.name(),
                     "' of type ", column->type()->ToString(), " cannot be cast to ",
                     field.type()->ToString(), ": ", cast.status().message());
  }
  return cast->chunked_array();
}

/// Splits a table of output-ordered columns into aligned record batches (zero-copy).
Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> AlignedBatches(
    const std::shared_ptr<arrow::Table>& table) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  if (table->num_columns() == 0) {
    if (table->num_rows() > 0) {
      batches.push_back(arrow::RecordBatch::Make(table->schema(), table->num_rows(),
                                                 std::vector<std::shared_ptr<arrow::Array>>{}));
    }
    return batches;
  }
  arrow::TableBatchReader reader(*table);
  DC_ASSIGN_OR_RAISE(batches, reader.ToRecordBatches());
  return batches;
}

/// An Int64 array over `values` without copying.
std::shared_ptr<arrow::Int64Array> Int64Indices(std::vector<int64_t> values) {
  const auto length = static_cast<int64_t>(values.size());
  return std::make_shared<arrow::Int64Array>(length, arrow::Buffer::FromVector(std::move(values)));
}

/// `values` at `indices`, which the kernel made itself from rows of `values` (no bounds check).
Result<std::shared_ptr<arrow::Array>> TakeArray(const std::shared_ptr<arrow::Array>& values,
                                                const std::shared_ptr<arrow::Array>& indices) {
  DC_ASSIGN_OR_RAISE(arrow::Datum taken,
                     arrow::compute::Take(arrow::Datum(values), arrow::Datum(indices),
                                          arrow::compute::TakeOptions::NoBoundsCheck()));
  return taken.make_array();
}

/// kInvalidArgument unless every index of `selection` is a row of a batch of `rows` rows.
Status CheckSelection(const arrow::Int32Array& selection, int64_t rows, const MergeSlice& slice) {
  if (selection.null_count() > 0) {
    return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " has a null row selection");
  }
  const int32_t* values = selection.raw_values();
  for (int64_t i = 0; i < selection.length(); ++i) {
    if (values[i] < 0 || values[i] >= rows) {
      return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " selects row ", values[i],
                       " of a table of ", rows, " rows");
    }
  }
  return Status::OK();
}

}  // namespace

struct MergeStream::State {
  MergeOptions options;
  int num_fields = 0;
  std::vector<int> merge_key_fields;
  struct SortField {
    int field;
    bool descending;
  };
  std::vector<SortField> sort_fields;
  bool keyed = false;                                           // merge keys and drop_duplicates
  std::vector<std::shared_ptr<arrow::Scalar>> default_scalars;  // per field (null scalar if none)
  std::vector<std::shared_ptr<arrow::Array>> default_arrays;    // per field, length 1

  std::vector<Segment> segments;
  int64_t total_rows = 0;
  uint32_t epoch = 0;
  std::optional<int64_t> last_position;
  size_t slices_added = 0;
  bool finished = false;
  MergeStats stats;

  // Keyed mode.
  /// Without sort keys, full-row upserts and deletes by the merge keys are held back (as
  /// `pending` writes) and resolved all at once when the result is read: ResolveLastWrites,
  /// which is much faster on large merges than the key index. Anything that needs the live
  /// rows before that (a partial upsert, a delete by other columns, stats()) applies the held
  /// writes to the index in order and ends the deferral.
  bool deferring = false;
  struct PendingWrites {
    uint32_t segment = 0;     // an upsert segment, or
    EncodedRows delete_keys;  // with is_delete: the rows of a delete by the merge keys
    bool is_delete = false;
  };
  std::vector<PendingWrites> pending;
  int64_t reserve_hint = 0;  // Reserve() rows not yet reserved in the index
  bool resolved = false;     // the result came from ResolveLastWrites
  RowBits resolved_wins;     // then: the global rows that win
  KeyIndex index;
  PoolVector<Entry> entries;
  PoolVector<RowRef> source_pool;  // num_fields RowRefs per slot
  std::vector<int32_t> free_source_slots;
  std::vector<RowRef> scratch_sources;
  std::string scratch_key;

  std::string_view KeyOf(uint32_t id) const {
    const RowRef ref = entries[id].key_row;
    return segments[SegmentOf(ref)].keys.row(RowOf(ref));
  }

  /// Where field `f` of `entry` comes from.
  RowRef SourceOf(const Entry& entry, int f) const {
    if (entry.sources >= 0) {
      const RowRef ref = source_pool[static_cast<size_t>(entry.sources) * num_fields + f];
      if (ref != kFromPrimary) return ref;
    }
    return entry.primary;
  }

  /// The array and index holding field `f` of row `ref`: the row's own value, or the field's
  /// default when its slice did not provide the field.
  std::pair<const arrow::Array*, int64_t> ValueAt(int f, RowRef ref) const {
    const Segment& segment = segments[SegmentOf(ref)];
    const int column = segment.column_of_field[f];
    if (column < 0) return {default_arrays[f].get(), 0};
    return {segment.columns[column].get(), segment.BatchRow(RowOf(ref))};
  }

  /// Whether write `candidate` replaces the live `entry` under the sort keys.
  bool CandidateWins(RowRef candidate, const Entry& entry) const {
    if (sort_fields.empty()) return true;
    if (segments[SegmentOf(entry.primary)].epoch != segments[SegmentOf(candidate)].epoch) {
      return true;  // a later run always wins
    }
    for (const SortField& key : sort_fields) {
      const auto [a, i] = ValueAt(key.field, candidate);
      const auto [b, j] = ValueAt(key.field, SourceOf(entry, key.field));
      const int order = CompareInSortOrder(*a, i, *b, j, key.descending);
      if (order != 0) return order > 0;
    }
    return true;  // ties go to the later arrival
  }

  void ReleaseSources(Entry& entry) {
    if (entry.sources >= 0) {
      free_source_slots.push_back(entry.sources);
      entry.sources = -1;
    }
  }

  /// `entry` takes the provided columns of `candidate`; the rest keep their current sources.
  void WritePartial(Entry& entry, RowRef candidate, const Segment& segment) {
    scratch_sources.resize(static_cast<size_t>(num_fields));
    for (int f = 0; f < num_fields; ++f) {
      scratch_sources[f] = segment.column_of_field[f] >= 0 ? kFromPrimary : SourceOf(entry, f);
    }
    if (entry.sources < 0) {
      if (!free_source_slots.empty()) {
        entry.sources = free_source_slots.back();
        free_source_slots.pop_back();
      } else {
        entry.sources = static_cast<int32_t>(source_pool.size() / num_fields);
        source_pool.resize(source_pool.size() + num_fields);
      }
    }
    std::copy(scratch_sources.begin(), scratch_sources.end(),
              source_pool.begin() + static_cast<ptrdiff_t>(entry.sources) * num_fields);
    entry.primary = candidate;
  }

  void Kill(Entry& entry) {
    entry.alive = false;
    ReleaseSources(entry);
    ++stats.deleted_rows;
    --stats.output_rows;
  }

  /// Rows ahead of the current one whose index slot (kSlotLead) and, once that has arrived,
  /// entry (kEntryLead) are prefetched. Probes into an index of millions of keys are cache
  /// misses, one after another; loading them early lets them overlap.
  static constexpr int64_t kSlotLead = 16;
  static constexpr int64_t kEntryLead = 8;

  void PrefetchAhead(const EncodedRows& keys, int64_t row) const {
    const int64_t rows = keys.num_rows();
    if (row + kSlotLead < rows) index.Prefetch(keys.hash(row + kSlotLead));
    if (index.inline_keys() && row + kEntryLead < rows) {
      const int64_t id = index.Find(keys.hash(row + kEntryLead), keys.row(row + kEntryLead),
                                    [this](uint32_t i) { return KeyOf(i); });
      if (id >= 0) __builtin_prefetch(&entries[static_cast<size_t>(id)]);
    }
  }

  void ApplyKeyedUpserts(uint32_t segment_index) {
    const Segment& segment = segments[segment_index];
    index.Reserve(index.size() + segment.num_rows);
    for (int64_t row = 0; row < segment.num_rows; ++row) {
      PrefetchAhead(segment.keys, row);
      const RowRef candidate = MakeRef(segment_index, row);
      const auto [id, inserted] = index.FindOrInsert(segment.keys.hash(row), segment.keys.row(row),
                                                     [this](uint32_t i) { return KeyOf(i); });
      ++stats.output_rows;
      if (inserted) {
        entries.push_back(Entry{candidate, candidate, -1, true});
        continue;
      }
      Entry& entry = entries[id];
      if (!entry.alive) {  // re-insert after a delete: nothing to inherit
        entry.alive = true;
        entry.primary = candidate;
        continue;
      }
      --stats.output_rows;
      ++stats.deduped_rows;
      if (!CandidateWins(candidate, entry)) continue;
      if (segment.partial) {
        WritePartial(entry, candidate, segment);
      } else {
        ReleaseSources(entry);
        entry.primary = candidate;
      }
    }
  }

  void ApplyKeyedDeleteByMergeKeys(const EncodedRows& rows) {
    for (int64_t r = 0; r < rows.num_rows(); ++r) {
      PrefetchAhead(rows, r);
      const int64_t id =
          index.Find(rows.hash(r), rows.row(r), [this](uint32_t i) { return KeyOf(i); });
      if (id >= 0 && entries[id].alive) Kill(entries[id]);
    }
  }

  /// Applies the held writes to the key index, in order, and stops deferring.
  void ApplyPending() {
    deferring = false;
    if (reserve_hint > 0) {
      index.Reserve(index.size() + reserve_hint);
      entries.reserve(entries.size() + static_cast<size_t>(reserve_hint));
      reserve_hint = 0;
    }
    for (const PendingWrites& writes : pending) {
      if (writes.is_delete) {
        ApplyKeyedDeleteByMergeKeys(writes.delete_keys);
      } else {
        ApplyKeyedUpserts(writes.segment);
      }
    }
    pending.clear();
  }

  /// Brings the result up to date before it is read: large deferred merges are resolved at
  /// once, small ones (and non-deferred ones) through the index.
  Status SettleForResult() {
    if (pending.empty()) return Status::OK();
    int64_t pending_rows = 0;
    for (const PendingWrites& writes : pending) {
      pending_rows +=
          writes.is_delete ? writes.delete_keys.num_rows() : segments[writes.segment].num_rows;
    }
    if (!deferring || pending_rows < options.partitioned_resolution_min_rows ||
        pending.size() > kMaxKeyWriteBatches) {
      ApplyPending();
      return Status::OK();
    }
    std::vector<KeyWriteBatch> batches;
    batches.reserve(pending.size());
    for (const PendingWrites& writes : pending) {
      if (writes.is_delete) {
        batches.push_back({&writes.delete_keys, true, 0});
      } else {
        const Segment& segment = segments[writes.segment];
        batches.push_back({&segment.keys, false, segment.first_global_row});
      }
    }
    DC_ASSIGN_OR_RAISE(LastWrites last,
                       ResolveLastWrites(batches, total_rows, index.inline_key_bytes()));
    stats.deduped_rows += last.deduped_rows;
    stats.deleted_rows += last.deleted_rows;
    stats.output_rows += last.live_rows;
    resolved_wins = std::move(last.wins);
    resolved = true;
    pending.clear();
    return Status::OK();
  }

  /// The global rows that are a live key's winning write (keyed mode).
  Result<RowBits> WinsByGlobalRow() {
    if (resolved) return std::move(resolved_wins);
    RowBits wins(total_rows);
    for (const Entry& entry : entries) {
      if (!entry.alive) continue;
      if (entry.sources >= 0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "a merge with partial upserts cannot report its winners by row");
      }
      const Segment& segment = segments[SegmentOf(entry.primary)];
      wins.Set(segment.first_global_row + RowOf(entry.primary));
    }
    return wins;
  }

  /// The delete tuples of `slice` as a hash set; `key_of` maps set ids to their bytes.
  struct DeleteSet {
    KeyIndex index;
    std::vector<std::pair<size_t, int64_t>> rows;  // id -> (batch, row)
  };
  static DeleteSet BuildDeleteSet(const PreparedSlice& slice) {
    DeleteSet set;
    int64_t total = 0;
    for (const auto& rows : slice.delete_rows) total += rows.num_rows();
    set.index.Reserve(total);
    for (size_t b = 0; b < slice.delete_rows.size(); ++b) {
      const EncodedRows& rows = slice.delete_rows[b];
      for (int64_t r = 0; r < rows.num_rows(); ++r) {
        const auto [id, inserted] =
            set.index.FindOrInsert(rows.hash(r), rows.row(r), [&](uint32_t i) {
              return slice.delete_rows[set.rows[i].first].row(set.rows[i].second);
            });
        if (inserted) set.rows.emplace_back(b, r);
      }
    }
    return set;
  }

  Status ApplyDeleteByValues(const PreparedSlice& slice) {
    const DeleteSet set = BuildDeleteSet(slice);
    if (set.rows.empty()) return Status::OK();
    auto in_set = [&](std::string_view encoded) {
      return set.index.Find(HashEncodedRow(encoded), encoded, [&](uint32_t i) {
        return slice.delete_rows[set.rows[i].first].row(set.rows[i].second);
      }) >= 0;
    };
    if (keyed) {
      for (Entry& entry : entries) {
        if (!entry.alive) continue;
        scratch_key.clear();
        for (int f : slice.delete_fields) {
          const auto [array, i] = ValueAt(f, SourceOf(entry, f));
          AppendEncodedValue(*array, i, &scratch_key);
        }
        if (in_set(scratch_key)) Kill(entry);
      }
      return Status::OK();
    }
    for (Segment& segment : segments) {
      if (std::find(segment.alive.begin(), segment.alive.end(), 1) == segment.alive.end()) {
        continue;
      }
      std::vector<std::shared_ptr<arrow::Array>> columns;
      for (int f : slice.delete_fields) {
        const int column = segment.column_of_field[f];
        if (column >= 0) {
          DC_ASSIGN_OR_RAISE(auto rows, segment.Rows(column));
          columns.push_back(std::move(rows));
        } else {
          // The row never had this column: compare its default (or null), built once per
          // segment rather than per row.
          DC_ASSIGN_OR_RAISE(auto filled,
                             arrow::MakeArrayFromScalar(*default_scalars[f], segment.num_rows));
          columns.push_back(std::move(filled));
        }
      }
      DC_ASSIGN_OR_RAISE(const EncodedRows encoded, EncodedRows::Encode(columns, segment.num_rows));
      for (int64_t r = 0; r < segment.num_rows; ++r) {
        if (segment.alive[r] != 0 && in_set(encoded.row(r))) {
          segment.alive[r] = 0;
          ++stats.deleted_rows;
          --stats.output_rows;
        }
      }
    }
    return Status::OK();
  }

  Result<PreparedSlice> Prepare(const MergeSlice& slice) const;
  Status Apply(PreparedSlice prepared);
};

Result<PreparedSlice> MergeStream::State::Prepare(const MergeSlice& slice) const {
  if (slice.table == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " has no table");
  }
  const arrow::Schema& output = *options.output_schema;
  const arrow::Table& table = *slice.table;
  PreparedSlice prepared;
  prepared.kind = slice.kind;
  prepared.compacted = slice.compacted;
  {
    std::unordered_set<std::string> seen;
    for (const auto& field : table.schema()->fields()) {
      if (!seen.insert(field->name()).second) {
        return MakeError(ErrorCode::kSchemaValidation, SliceName(slice), " has two columns named '",
                         field->name(), "'");
      }
    }
  }

  if (slice.kind == SliceKind::kDelete) {
    if (slice.selection != nullptr) {
      return MakeError(ErrorCode::kInvalidArgument, SliceName(slice),
                       " has a row selection, which only upserts and appends take");
    }
    std::vector<std::string> names = slice.delete_columns;
    if (names.empty()) names = options.merge_keys;
    if (names.empty()) names = table.schema()->field_names();
    if (names.empty()) {
      return MakeError(ErrorCode::kValidation, SliceName(slice), " has no delete columns");
    }
    std::vector<std::string> kept;
    for (const auto& name : names) {
      const int f = output.GetFieldIndex(name);
      if (f < 0) continue;  // not a table column: ignored, as Python does
      if (std::find(prepared.delete_fields.begin(), prepared.delete_fields.end(), f) !=
          prepared.delete_fields.end()) {
        continue;
      }
      if (table.schema()->GetFieldIndex(name) < 0) {
        return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " lacks delete column '",
                         name, "'");
      }
      DC_RETURN_NOT_OK(CheckEncodableKeyType(*output.field(f)->type(), name));
      prepared.delete_fields.push_back(f);
    }
    if (prepared.delete_fields.empty()) return prepared;
    if (keyed) {
      std::vector<int> sorted_delete = prepared.delete_fields;
      std::vector<int> sorted_keys = merge_key_fields;
      std::sort(sorted_delete.begin(), sorted_delete.end());
      std::sort(sorted_keys.begin(), sorted_keys.end());
      if (sorted_delete == sorted_keys) {
        prepared.delete_by_merge_keys = true;
        prepared.delete_fields = merge_key_fields;  // encode in the index's column order
      }
    }
    std::vector<std::shared_ptr<arrow::Field>> fields;
    std::vector<std::shared_ptr<arrow::ChunkedArray>> columns;
    for (int f : prepared.delete_fields) {
      const auto& field = output.field(f);
      DC_ASSIGN_OR_RAISE(auto column,
                         CastColumn(table.GetColumnByName(field->name()), *field, slice));
      fields.push_back(field);
      columns.push_back(std::move(column));
    }
    auto projected = arrow::Table::Make(arrow::schema(fields), columns, table.num_rows());
    DC_ASSIGN_OR_RAISE(auto batches, AlignedBatches(projected));
    for (const auto& batch : batches) {
      DC_ASSIGN_OR_RAISE(auto rows, EncodedRows::Encode(batch->columns(), batch->num_rows()));
      prepared.delete_rows.push_back(std::move(rows));
    }
    return prepared;
  }

  // Upsert / append.
  std::unordered_set<std::string> provided;
  if (slice.provided_columns.has_value()) {
    for (const auto& name : *slice.provided_columns) {
      if (table.schema()->GetFieldIndex(name) < 0) {
        return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " lists provided column '",
                         name, "', which its table does not have");
      }
      provided.insert(name);
    }
  } else {
    for (const auto& field : table.schema()->fields()) provided.insert(field->name());
  }
  for (const auto& name : provided) {
    if (output.GetFieldIndex(name) < 0) {
      return MakeError(ErrorCode::kSchemaValidation, SliceName(slice), ": column '", name,
                       "' is not in the table schema ", output.ToString());
    }
  }
  if (keyed) {
    for (int f : merge_key_fields) {
      if (provided.count(output.field(f)->name()) == 0) {
        return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " lacks merge key column '",
                         output.field(f)->name(), "'");
      }
    }
  }
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<std::shared_ptr<arrow::ChunkedArray>> columns;
  std::vector<int> column_of_field(static_cast<size_t>(num_fields), -1);
  for (int f = 0; f < num_fields; ++f) {
    const auto& field = output.field(f);
    if (provided.count(field->name()) == 0) continue;
    DC_ASSIGN_OR_RAISE(auto column,
                       CastColumn(table.GetColumnByName(field->name()), *field, slice));
    column_of_field[f] = static_cast<int>(columns.size());
    fields.push_back(field);
    columns.push_back(std::move(column));
  }
  const bool partial = static_cast<int>(columns.size()) < num_fields;
  auto projected = arrow::Table::Make(arrow::schema(fields), columns, table.num_rows());
  DC_ASSIGN_OR_RAISE(auto batches, AlignedBatches(projected));
  if (slice.selection != nullptr && batches.size() > 1) {
    return MakeError(ErrorCode::kInvalidArgument, SliceName(slice),
                     " selects rows of a table of several chunks");
  }
  int64_t first_table_row = 0;
  for (const auto& batch : batches) {
    Segment segment;
    segment.first_table_row = first_table_row;
    first_table_row += batch->num_rows();
    segment.columns = batch->columns();
    segment.column_of_field = column_of_field;
    segment.num_rows = batch->num_rows();
    segment.partial = partial;
    if (slice.selection != nullptr) {
      DC_RETURN_NOT_OK(CheckSelection(*slice.selection, batch->num_rows(), slice));
      segment.selection = slice.selection;
      segment.selected = slice.selection->raw_values();
      segment.num_rows = slice.selection->length();
    }
    if (segment.num_rows > static_cast<int64_t>(kRowMask)) {
      return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " has a batch of ",
                       segment.num_rows, " rows, more than the kernel addresses");
    }
    if (keyed) {
      std::vector<std::shared_ptr<arrow::Array>> key_columns;
      for (int f : merge_key_fields) {
        DC_ASSIGN_OR_RAISE(auto keys, segment.Rows(column_of_field[f]));
        key_columns.push_back(std::move(keys));
      }
      DC_ASSIGN_OR_RAISE(segment.keys, EncodedRows::Encode(key_columns, segment.num_rows));
    }
    prepared.segments.push_back(std::move(segment));
  }
  if (segments.size() + prepared.segments.size() >= kMaxSegments) {
    return MakeError(ErrorCode::kOutOfMemory, "merge input has more than ", kMaxSegments,
                     " record batches");
  }
  if (keyed) {
    int64_t rows = 0;
    for (const auto& segment : prepared.segments) rows += segment.num_rows;
    if (index.size() + rows >= int64_t{UINT32_MAX}) {
      return MakeError(ErrorCode::kOutOfMemory, "merge input has more than ", UINT32_MAX - 1,
                       " distinct keys; split it into more hash buckets");
    }
  }
  return prepared;
}

Status MergeStream::State::Apply(PreparedSlice prepared) {
  if (prepared.kind == SliceKind::kDelete) {
    if (!prepared.delete_fields.empty()) {
      if (prepared.delete_by_merge_keys && deferring) {
        for (EncodedRows& rows : prepared.delete_rows)
          pending.push_back({0, std::move(rows), true});
      } else if (prepared.delete_by_merge_keys) {
        for (const EncodedRows& rows : prepared.delete_rows) ApplyKeyedDeleteByMergeKeys(rows);
      } else {
        if (keyed) ApplyPending();
        DC_RETURN_NOT_OK(ApplyDeleteByValues(prepared));
      }
    }
    ++epoch;  // a delete ends the sort-key run
    return Status::OK();
  }
  for (Segment& segment : prepared.segments) {
    segment.slice = slices_added;
    segment.epoch = epoch;
    segment.first_global_row = total_rows;
    total_rows += segment.num_rows;
    stats.input_rows += segment.num_rows;
    const auto segment_index = static_cast<uint32_t>(segments.size());
    if (!keyed) {
      segment.alive.assign(static_cast<size_t>(segment.num_rows), 1);
      stats.output_rows += segment.num_rows;
    }
    const bool partial = segment.partial;
    segments.push_back(std::move(segment));
    if (!keyed) continue;
    if (deferring && !partial) {
      pending.push_back({segment_index, {}, false});
      continue;
    }
    ApplyPending();
    ApplyKeyedUpserts(segment_index);
  }
  if (prepared.compacted) ++epoch;
  return Status::OK();
}

using State = MergeStream::State;

namespace {

/// Reads the merge result batch by batch; owns (shares) the stream's state.
class MergeOutputReader : public arrow::RecordBatchReader {
 public:
  MergeOutputReader(std::shared_ptr<MergeStream::State> state, int64_t max_rows_per_batch);

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    auto result = Next();
    if (!result.ok()) return ToArrowStatus(result.status());
    *batch = std::move(result).ValueOrDie();
    return arrow::Status::OK();
  }

 private:
  Result<std::shared_ptr<arrow::RecordBatch>> Next();
  Result<std::shared_ptr<arrow::Array>> Gather(int f, const std::vector<RowRef>& refs) const;

  std::shared_ptr<MergeStream::State> state_;
  std::shared_ptr<arrow::Schema> schema_;
  int64_t max_rows_;
  PoolVector<uint32_t> winner_;  // keyed: entry id whose primary is this global row, or ~0
  uint32_t segment_ = 0;
  int64_t row_ = 0;
};

constexpr uint32_t kNoWinner = ~uint32_t{0};
/// A winning row of a resolved merge: no entry, every column from the row itself.
constexpr uint32_t kWinsWhole = ~uint32_t{0} - 1;

}  // namespace

// The reader needs the State definition, so its members are defined after it.
MergeOutputReader::MergeOutputReader(std::shared_ptr<MergeStream::State> state,
                                     int64_t max_rows_per_batch)
    : state_(std::move(state)),
      schema_(state_->options.output_schema),
      max_rows_(max_rows_per_batch) {
  if (state_->keyed && state_->resolved) {
    winner_.assign(static_cast<size_t>(state_->total_rows), kNoWinner);
    state_->resolved_wins.ForEachSet(0, state_->total_rows,
                                     [&](int64_t row) { winner_[row] = kWinsWhole; });
    state_->resolved_wins = RowBits();
  } else if (state_->keyed) {
    winner_.assign(static_cast<size_t>(state_->total_rows), kNoWinner);
    for (size_t id = 0; id < state_->entries.size(); ++id) {
      const Entry& entry = state_->entries[id];
      if (!entry.alive) continue;
      const Segment& segment = state_->segments[SegmentOf(entry.primary)];
      winner_[segment.first_global_row + RowOf(entry.primary)] = static_cast<uint32_t>(id);
    }
  }
}

Result<std::shared_ptr<arrow::Array>> MergeOutputReader::Gather(
    int f, const std::vector<RowRef>& refs) const {
  // Group the references by segment (stable), take each group from its segment in one call,
  // then put the values back into output order with one more Take.
  const State& state = *state_;
  const auto n = static_cast<int64_t>(refs.size());
  std::vector<int64_t> order(refs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return SegmentOf(refs[a]) < SegmentOf(refs[b]); });
  std::vector<std::shared_ptr<arrow::Array>> pieces;
  std::vector<int64_t> position_of(refs.size());
  for (int64_t begin = 0; begin < n;) {
    const uint32_t segment_index = SegmentOf(refs[order[begin]]);
    int64_t end = begin;
    std::vector<int64_t> rows;
    const Segment& segment = state.segments[segment_index];
    while (end < n && SegmentOf(refs[order[end]]) == segment_index) {
      position_of[order[end]] = end;
      rows.push_back(segment.BatchRow(RowOf(refs[order[end]])));
      ++end;
    }
    const int column = segment.column_of_field[f];
    if (column < 0) {
      DC_ASSIGN_OR_RAISE(auto piece,
                         arrow::MakeArrayFromScalar(*state.default_scalars[f], end - begin));
      pieces.push_back(std::move(piece));
    } else {
      DC_ASSIGN_OR_RAISE(auto piece,
                         TakeArray(segment.columns[column], Int64Indices(std::move(rows))));
      pieces.push_back(std::move(piece));
    }
    begin = end;
  }
  DC_ASSIGN_OR_RAISE(auto grouped, arrow::Concatenate(pieces));
  return TakeArray(grouped, Int64Indices(std::move(position_of)));
}

Result<std::shared_ptr<arrow::RecordBatch>> MergeOutputReader::Next() {
  const State& state = *state_;
  // Collect the next run of winning rows of one segment.
  std::vector<int64_t> rows;
  std::vector<uint32_t> ids;  // keyed: the entries of `rows`
  uint32_t segment_index = 0;
  while (segment_ < state.segments.size() && rows.empty()) {
    segment_index = segment_;
    const Segment& segment = state.segments[segment_];
    for (; row_ < segment.num_rows && static_cast<int64_t>(rows.size()) < max_rows_; ++row_) {
      if (state.keyed) {
        const uint32_t id = winner_[segment.first_global_row + row_];
        if (id == kNoWinner) continue;
        if (id != kWinsWhole) ids.push_back(id);
      } else if (segment.alive[row_] == 0) {
        continue;
      }
      rows.push_back(row_);
    }
    if (row_ >= segment.num_rows) {
      ++segment_;
      row_ = 0;
    }
  }
  if (rows.empty()) return std::shared_ptr<arrow::RecordBatch>();

  const Segment& segment = state.segments[segment_index];
  const auto n = static_cast<int64_t>(rows.size());
  bool contiguous = rows.back() - rows.front() + 1 == n;
  if (segment.selected != nullptr) {
    // Batch rows: the winners of a selected segment are contiguous in the batch only when
    // their selected indices are.
    for (int64_t& row : rows) row = segment.selected[row];
    for (int64_t i = 1; contiguous && i < n; ++i) contiguous = rows[i] == rows[i - 1] + 1;
  }
  std::shared_ptr<arrow::Array> indices;  // built on first use, shared by the columns
  std::vector<std::shared_ptr<arrow::Array>> columns;
  columns.reserve(static_cast<size_t>(state.num_fields));
  const bool any_sources = std::any_of(ids.begin(), ids.end(),
                                       [&](uint32_t id) { return state.entries[id].sources >= 0; });
  for (int f = 0; f < state.num_fields; ++f) {
    bool from_primary = true;
    if (any_sources) {
      from_primary = std::none_of(ids.begin(), ids.end(), [&](uint32_t id) {
        const Entry& entry = state.entries[id];
        return entry.sources >= 0 &&
               state.source_pool[static_cast<size_t>(entry.sources) * state.num_fields + f] !=
                   kFromPrimary;
      });
    }
    if (!from_primary) {
      std::vector<RowRef> refs;
      refs.reserve(ids.size());
      for (uint32_t id : ids) refs.push_back(state.SourceOf(state.entries[id], f));
      DC_ASSIGN_OR_RAISE(auto column, Gather(f, refs));
      columns.push_back(std::move(column));
      continue;
    }
    const int column = segment.column_of_field[f];
    if (column < 0) {
      DC_ASSIGN_OR_RAISE(auto filled, arrow::MakeArrayFromScalar(*state.default_scalars[f], n));
      columns.push_back(std::move(filled));
    } else if (contiguous) {
      columns.push_back(segment.columns[column]->Slice(rows.front(), n));
    } else {
      if (indices == nullptr) indices = Int64Indices(rows);
      DC_ASSIGN_OR_RAISE(auto taken, TakeArray(segment.columns[column], indices));
      columns.push_back(std::move(taken));
    }
  }
  return arrow::RecordBatch::Make(schema_, n, std::move(columns));
}

MergeStream::MergeStream(std::shared_ptr<State> state) : state_(std::move(state)) {}
MergeStream::~MergeStream() = default;

Result<std::unique_ptr<MergeStream>> MergeStream::Make(MergeOptions options) {
  if (options.output_schema == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "merge options need an output schema");
  }
  auto state = std::make_shared<State>();
  const arrow::Schema& schema = *options.output_schema;
  state->num_fields = schema.num_fields();
  {
    std::unordered_set<std::string> seen;
    for (const auto& field : schema.fields()) {
      if (!seen.insert(field->name()).second) {
        return MakeError(ErrorCode::kSchemaValidation, "output schema has two columns named '",
                         field->name(), "'");
      }
    }
  }
  for (const auto& key : options.merge_keys) {
    const int f = schema.GetFieldIndex(key);
    if (f < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "merge key '", key,
                       "' is not a column of the output schema");
    }
    if (std::find(state->merge_key_fields.begin(), state->merge_key_fields.end(), f) !=
        state->merge_key_fields.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "merge key '", key, "' is listed twice");
    }
    DC_RETURN_NOT_OK(CheckEncodableKeyType(*schema.field(f)->type(), key));
    state->merge_key_fields.push_back(f);
  }
  for (const auto& key : options.sort_keys) {
    const int f = schema.GetFieldIndex(key.column);
    if (f < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "sort key '", key.column,
                       "' is not a column of the output schema");
    }
    DC_RETURN_NOT_OK(CheckOrderableType(*schema.field(f)->type(), key.column));
    state->sort_fields.push_back({f, key.descending});
  }
  for (const auto& [name, value] : options.column_defaults) {
    if (schema.GetFieldIndex(name) < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "default given for column '", name,
                       "', which is not in the output schema");
    }
  }
  for (const auto& field : schema.fields()) {
    std::shared_ptr<arrow::Scalar> scalar = arrow::MakeNullScalar(field->type());
    const auto it = options.column_defaults.find(field->name());
    if (it != options.column_defaults.end() && it->second != nullptr) {
      auto cast = it->second->CastTo(field->type());
      if (!cast.ok()) {
        return MakeError(ErrorCode::kSchemaValidation, "default for column '", field->name(), "' (",
                         it->second->ToString(), ") cannot be cast to ", field->type()->ToString(),
                         ": ", cast.status().message());
      }
      scalar = *cast;
    }
    DC_ASSIGN_OR_RAISE(auto array, arrow::MakeArrayFromScalar(*scalar, 1));
    state->default_scalars.push_back(std::move(scalar));
    state->default_arrays.push_back(std::move(array));
  }
  state->keyed = !state->merge_key_fields.empty() && options.drop_duplicates;
  if (state->keyed) {
    // Keys of one short fixed width (e.g. a single integer key) live in the index's slots.
    int64_t key_width = 0;
    for (int f : state->merge_key_fields) {
      const int64_t width = FixedEncodedWidth(*schema.field(f)->type());
      key_width = width < 0 || key_width < 0 ? -1 : key_width + width;
    }
    if (key_width > 0) state->index = KeyIndex(0, key_width);
    state->deferring = state->sort_fields.empty();
  }
  state->options = std::move(options);
  return std::unique_ptr<MergeStream>(new MergeStream(std::move(state)));
}

Status MergeStream::Add(MergeSlice slice) {
  State& state = *state_;
  if (state.finished) {
    return MakeError(ErrorCode::kIllegalState, "merge stream already finished");
  }
  if (state.last_position.has_value() && slice.stream_position < *state.last_position) {
    return MakeError(ErrorCode::kInvalidArgument, SliceName(slice), " arrived after position ",
                     *state.last_position, "; slices must be added in stream order");
  }
  DC_ASSIGN_OR_RAISE(PreparedSlice prepared, state.Prepare(slice));
  state.last_position = slice.stream_position;
  Status status = state.Apply(std::move(prepared));
  ++state.slices_added;
  return status;
}

MergeStats MergeStream::stats() const {
  // Counting needs every write applied; once the result is read, the counts are final.
  if (!state_->finished && !state_->pending.empty()) state_->ApplyPending();
  return state_->stats;
}

void MergeStream::Reserve(int64_t rows) {
  if (state_->keyed && rows > 0 && state_->deferring) {
    state_->reserve_hint += rows;  // the index may never be needed
  } else if (state_->keyed && rows > 0) {
    state_->index.Reserve(state_->index.size() + rows);
    state_->entries.reserve(state_->entries.size() + static_cast<size_t>(rows));
  }
}

Result<std::shared_ptr<arrow::RecordBatchReader>> MergeStream::Finish(int64_t max_rows_per_batch) {
  if (max_rows_per_batch < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "max_rows_per_batch must be >= 1, got ",
                     max_rows_per_batch);
  }
  if (state_->finished) {
    return MakeError(ErrorCode::kIllegalState, "merge stream already finished");
  }
  DC_RETURN_NOT_OK(state_->SettleForResult());
  state_->finished = true;
  std::shared_ptr<arrow::RecordBatchReader> reader =
      std::make_shared<MergeOutputReader>(state_, max_rows_per_batch);
  return reader;
}

Result<std::vector<WinningRows>> MergeStream::FinishWinners() {
  State& state = *state_;
  if (state.finished) {
    return MakeError(ErrorCode::kIllegalState, "merge stream already finished");
  }
  DC_RETURN_NOT_OK(state.SettleForResult());
  state.finished = true;
  RowBits wins;  // keyed: the global rows that are some live entry's primary
  if (state.keyed) {
    DC_ASSIGN_OR_RAISE(wins, state.WinsByGlobalRow());
  }
  std::vector<WinningRows> winners;
  for (const Segment& segment : state.segments) {
    WinningRows rows;
    rows.slice = segment.slice;
    const int64_t first = segment.first_global_row;
    if (state.keyed) {
      rows.rows.reserve(static_cast<size_t>(wins.Count(first, first + segment.num_rows)));
      wins.ForEachSet(first, first + segment.num_rows, [&](int64_t global) {
        rows.rows.push_back(segment.first_table_row + segment.BatchRow(global - first));
      });
    } else {
      for (int64_t row = 0; row < segment.num_rows; ++row) {
        if (segment.alive[row] != 0) {
          rows.rows.push_back(segment.first_table_row + segment.BatchRow(row));
        }
      }
    }
    if (!rows.rows.empty()) winners.push_back(std::move(rows));
  }
  return winners;
}

Result<std::shared_ptr<arrow::Table>> MergeStream::FinishTable() {
  DC_ASSIGN_OR_RAISE(auto reader, Finish());
  DC_ASSIGN_OR_RAISE(auto batches, reader->ToRecordBatches());
  DC_ASSIGN_OR_RAISE(auto table,
                     arrow::Table::FromRecordBatches(state_->options.output_schema, batches));
  return table;
}

Result<MergeResult> MergeSlices(const MergeInput& input, const MergeOptions& options) {
  DC_ASSIGN_OR_RAISE(auto stream, MergeStream::Make(options));
  std::vector<size_t> order(input.slices.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return input.slices[a].stream_position < input.slices[b].stream_position;
  });
  int64_t upsert_rows = 0;
  for (const auto& slice : input.slices) {
    if (slice.kind != SliceKind::kDelete && slice.table != nullptr) {
      upsert_rows += slice.table->num_rows();
    }
  }
  stream->Reserve(upsert_rows);
  for (size_t i : order) DC_RETURN_NOT_OK(stream->Add(input.slices[i]));
  MergeResult result;
  DC_ASSIGN_OR_RAISE(result.table, stream->FinishTable());
  result.stats = stream->stats();
  return result;
}

}  // namespace deltacat::compute
