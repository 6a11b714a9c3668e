#pragma once

#include <cstdint>
#include <vector>

#include "deltacat/compute/key_encoding.h"
#include "deltacat/compute/row_bits.h"
#include "deltacat/result.h"
#include "deltacat/util/pool_allocator.h"

/// The keyed merge without sort keys or partial upserts, resolved all at once: a key's final
/// state is decided by its last write alone (an upsert makes its row the winner, a delete leaves
/// the key dead), and the counts follow from each write's predecessor (an upsert over a live row
/// is a duplicate, a delete of a live row a deletion). So the writes can be reordered freely
/// across keys as long as each key's writes keep their order.
///
/// That is what makes it fast: instead of one key index of millions of keys, whose every probe
/// waits on DRAM, the writes are radix-partitioned by hash (stable, one pass) into partitions of
/// a few thousand, each resolved in a small table that stays in cache.
namespace deltacat::compute {

/// The most batches one resolution takes (a write's reference has 23 bits for its batch).
constexpr size_t kMaxKeyWriteBatches = size_t{1} << 23;

/// One batch of writes, in stream order: upsert rows or delete rows, encoded by the merge keys.
struct KeyWriteBatch {
  /// The rows' encoded merge keys (kept alive by the caller until resolution returns).
  const EncodedRows* keys = nullptr;
  /// A DELETE by the merge keys: kills the live row of every key it lists.
  bool is_delete = false;
  /// Upserts: the number the batch's first row has in the caller's global row numbering.
  int64_t first_global_row = 0;
};

/// What resolution found.
struct LastWrites {
  /// By global row (of upsert batches): set when the row is its key's winner.
  RowBits wins;
  int64_t deduped_rows = 0;  ///< upserts over a live row of their key
  int64_t deleted_rows = 0;  ///< deletes that found a live row
  int64_t live_rows = 0;     ///< keys whose last write is an upsert (= winners)
};

/// Resolves `batches` (in stream order) over `total_rows` global rows. `inline_key_bytes` > 0
/// (at most 12) promises every key has that many encoded bytes, so keys are compared in place;
/// otherwise equal 64-bit hashes are confirmed by comparing the encoded bytes. The writes are
/// reordered in groups of at most about `max_scatter_bytes` (24 bytes per write), so the
/// memory needed beyond the inputs and `wins` stays near that, whatever the merge's size.
/// kInvalidArgument when a batch has no keys or more than 2^40 rows.
Result<LastWrites> ResolveLastWrites(const std::vector<KeyWriteBatch>& batches, int64_t total_rows,
                                     int64_t inline_key_bytes,
                                     int64_t max_scatter_bytes = int64_t{16} << 20);

}  // namespace deltacat::compute
