#include "deltacat/compute/last_write_by_key.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

#include <arrow/buffer.h>

namespace deltacat::compute {
namespace {

/// A write's reference: bit 63 = delete, bits 40-62 = batch, bits 0-39 = row of the batch.
constexpr int kRowBits = 40;
constexpr uint64_t kRowMask = (uint64_t{1} << kRowBits) - 1;
constexpr uint64_t kDeleteBit = uint64_t{1} << 63;
static_assert(kMaxKeyWriteBatches == uint64_t{1} << (63 - kRowBits));

/// Writes per partition aimed at: the partition's table (a power of two of at least 4/3 as
/// many 24-byte slots, at most 256 KiB here) then stays in a core's L2 cache.
constexpr int64_t kTargetPartitionWrites = 4096;
constexpr int kMaxPartitionBits = 12;
constexpr int64_t kMaxInlineBytes = 12;

/// One write, with its key in place (inline keys) or its key's hash. No initializers: a
/// buffer of them is filled by the scatter pass, not zeroed first.
struct Write {
  uint64_t word;      // inline: key bytes 0-7; otherwise the 64-bit hash
  uint32_t tail;      // inline: key bytes 8-11
  uint32_t hash_low;  // low 32 bits of the hash: the slot in a partition's table
  uint64_t ref;
};

/// A key's last write so far in a partition's table. A slot belongs to the partition whose
/// number + 1 is in `owner`, so the table is never cleared between partitions.
struct Slot {
  uint64_t word = 0;
  uint32_t tail = 0;
  uint32_t owner = 0;
  uint64_t ref = 0;
};

/// Bytes [0, n) of `p` (n <= 8) as one integer (equal bytes give equal integers), read
/// without a byte loop: byte copies into a buffer that is then read whole would stall store
/// forwarding on every row.
inline __attribute__((always_inline)) uint64_t LoadUpTo8(const char* p, size_t n) {
  if (n >= 4) {
    uint32_t low = 0;
    uint32_t high = 0;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + n - 4, 4);  // overlaps `low` when n < 8: the same bytes
    return low | (static_cast<uint64_t>(high) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  const auto byte = [p](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(p[i])); };
  return byte(0) | (byte(n / 2) << (8 * (n / 2))) | (byte(n - 1) << (8 * (n - 1)));
}

class Resolver {
 public:
  Resolver(const std::vector<KeyWriteBatch>& batches, int64_t inline_bytes, int64_t scatter_bytes)
      : batches_(batches), inline_bytes_(inline_bytes), scatter_bytes_(scatter_bytes) {}

  Result<LastWrites> Run(int64_t total_rows) {
    int64_t writes = 0;
    for (const KeyWriteBatch& batch : batches_) {
      if (batch.keys == nullptr) {
        return MakeError(ErrorCode::kInvalidArgument, "a key write batch has no keys");
      }
      if (static_cast<uint64_t>(batch.keys->num_rows()) > kRowMask) {
        return MakeError(ErrorCode::kInvalidArgument, "a key write batch has ",
                         batch.keys->num_rows(), " rows, more than 2^40");
      }
      writes += batch.keys->num_rows();
    }
    if (batches_.size() > kMaxKeyWriteBatches) {
      return MakeError(ErrorCode::kInvalidArgument, "more than ", kMaxKeyWriteBatches,
                       " key write batches");
    }
    LastWrites out;
    out.wins = RowBits(total_rows);
    if (writes == 0) return out;

    // Partition by the hash's top bits (a table's slot uses its low bits).
    const auto wanted =
        static_cast<uint64_t>((writes + kTargetPartitionWrites - 1) / kTargetPartitionWrites);
    const int bits =
        std::min(kMaxPartitionBits, static_cast<int>(std::bit_width(std::bit_ceil(wanted))) - 1);
    const size_t partitions = size_t{1} << bits;
    auto partition_of = [bits](uint64_t hash) -> size_t {
      return bits == 0 ? 0 : static_cast<size_t>(hash >> (64 - bits));
    };
    std::vector<int64_t> begin(partitions + 1, 0);
    for (const KeyWriteBatch& batch : batches_) {
      const EncodedRows& keys = *batch.keys;
      for (int64_t r = 0; r < keys.num_rows(); ++r) ++begin[partition_of(keys.hash(r)) + 1];
    }
    for (size_t p = 0; p < partitions; ++p) begin[p + 1] += begin[p];
    // The writes are scattered one group of partitions at a time into a buffer of at most
    // about scatter_bytes_: whatever the merge's size, resolving it holds and faults in a few
    // megabytes (each group rereads the hashes, which is cheap next to the scatter).
    int group_bits = 0;
    while (group_bits < bits &&
           (writes * static_cast<int64_t>(sizeof(Write)) >> group_bits) > scatter_bytes_) {
      ++group_bits;
    }
    const size_t per_group = partitions >> group_bits;
    int64_t largest_group = 0;
    int64_t largest = 0;
    for (size_t first = 0; first < partitions; first += per_group) {
      largest_group = std::max(largest_group, begin[first + per_group] - begin[first]);
    }
    for (size_t p = 0; p < partitions; ++p) largest = std::max(largest, begin[p + 1] - begin[p]);
    DC_ASSIGN_OR_RAISE(std::unique_ptr<arrow::Buffer> buffer,
                       arrow::AllocateBuffer(largest_group * static_cast<int64_t>(sizeof(Write))));
    auto* sorted = reinterpret_cast<Write*>(buffer->mutable_data());
    PoolVector<Slot> table(TableSize(largest));
    std::vector<int64_t> cursor(per_group);
    for (size_t first = 0; first < partitions; first += per_group) {
      const int64_t base = begin[first];
      for (size_t p = 0; p < per_group; ++p) cursor[p] = begin[first + p] - base;
      for (size_t b = 0; b < batches_.size(); ++b) {
        const EncodedRows& keys = *batches_[b].keys;
        const uint64_t batch_ref =
            (static_cast<uint64_t>(b) << kRowBits) | (batches_[b].is_delete ? kDeleteBit : 0);
        for (int64_t r = 0; r < keys.num_rows(); ++r) {
          const uint64_t hash = keys.hash(r);
          const size_t p = partition_of(hash) - first;
          if (p >= per_group) continue;  // another group's
          sorted[cursor[p]++] = WriteOf(hash, keys.row(r), batch_ref | static_cast<uint64_t>(r));
        }
      }
      for (size_t p = first; p < first + per_group; ++p) {
        ResolvePartition(sorted + (begin[p] - base), begin[p + 1] - begin[p],
                         static_cast<uint32_t>(p + 1), table.data(), out);
      }
    }
    return out;
  }

 private:
  /// Applies a partition's writes (in stream order) in `table`, whose slots it marks with
  /// `owner`, then records its winners.
  void ResolvePartition(const Write* writes, int64_t count, uint32_t owner, Slot* table,
                        LastWrites& out) const {
    if (count == 0) return;
    const size_t size = TableSize(count);
    const uint64_t mask = size - 1;
    for (int64_t w = 0; w < count; ++w) Apply(writes[w], owner, table, mask, out);
    for (size_t s = 0; s < size; ++s) {
      const Slot& slot = table[s];
      if (slot.owner != owner || (slot.ref & kDeleteBit) != 0) continue;
      ++out.live_rows;
      out.wins.Set(GlobalRowOf(slot.ref));
    }
  }

  /// Slots for a partition of `writes` writes: its keys (at most the writes) fill at most 3/4.
  static size_t TableSize(int64_t writes) {
    return std::bit_ceil(static_cast<size_t>(std::max<int64_t>(16, writes + writes / 3 + 1)));
  }

  Write WriteOf(uint64_t hash, std::string_view key, uint64_t ref) const {
    Write write{hash, 0, static_cast<uint32_t>(hash), ref};
    if (inline_bytes_ != 0) {
      // Keys of one width are equal exactly when these words are.
      const size_t n = key.size();
      write.word = LoadUpTo8(key.data(), std::min<size_t>(n, 8));
      write.tail = static_cast<uint32_t>(n > 8 ? LoadUpTo8(key.data() + 8, n - 8) : 0);
    }
    return write;
  }

  std::string_view KeyOf(uint64_t ref) const {
    return batches_[(ref & ~kDeleteBit) >> kRowBits].keys->row(
        static_cast<int64_t>(ref & kRowMask));
  }

  int64_t GlobalRowOf(uint64_t ref) const {
    return batches_[ref >> kRowBits].first_global_row + static_cast<int64_t>(ref & kRowMask);
  }

  void Apply(const Write& write, uint32_t owner, Slot* table, uint64_t mask,
             LastWrites& out) const {
    const bool is_delete = (write.ref & kDeleteBit) != 0;
    for (uint64_t i = write.hash_low & mask;; i = (i + 1) & mask) {
      Slot& slot = table[i];
      if (slot.owner != owner) {
        if (is_delete) return;  // nothing live to delete
        slot = Slot{write.word, write.tail, owner, write.ref};
        return;
      }
      if (slot.word != write.word || slot.tail != write.tail) continue;
      if (inline_bytes_ == 0 && KeyOf(slot.ref) != KeyOf(write.ref)) continue;
      const bool was_live = (slot.ref & kDeleteBit) == 0;
      if (is_delete) {
        if (!was_live) return;  // already dead: the delete finds nothing
        ++out.deleted_rows;
      } else if (was_live) {
        ++out.deduped_rows;
      }
      slot.ref = write.ref;
      return;
    }
  }

  const std::vector<KeyWriteBatch>& batches_;
  int64_t inline_bytes_;
  int64_t scatter_bytes_;
};

}  // namespace

Result<LastWrites> ResolveLastWrites(const std::vector<KeyWriteBatch>& batches, int64_t total_rows,
                                     int64_t inline_key_bytes, int64_t max_scatter_bytes) {
  const int64_t inline_bytes =
      inline_key_bytes > 0 && inline_key_bytes <= kMaxInlineBytes ? inline_key_bytes : 0;
  return Resolver(batches, inline_bytes, max_scatter_bytes).Run(total_rows);
}

}  // namespace deltacat::compute
