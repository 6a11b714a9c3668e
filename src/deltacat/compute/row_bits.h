#pragma once

#include <bit>
#include <cstdint>

#include "deltacat/util/pool_allocator.h"

namespace deltacat::compute {

/// One bit per row of a merge (its global rows): which rows win. A bitmap rather than a byte per
/// row: marking winners in hash order writes at random rows, and a bucket's bits fit a core's
/// cache where its bytes would not.
class RowBits {
 public:
  explicit RowBits(int64_t rows = 0) : words_(static_cast<size_t>((rows + 63) / 64), 0) {}

  void Set(int64_t row) { words_[static_cast<size_t>(row >> 6)] |= uint64_t{1} << (row & 63); }

  bool Test(int64_t row) const {
    return ((words_[static_cast<size_t>(row >> 6)] >> (row & 63)) & 1) != 0;
  }

  /// Calls `on_row(row)` for every set row in [begin, end), in ascending order.
  template <typename OnRow>
  void ForEachSet(int64_t begin, int64_t end, OnRow&& on_row) const {
    for (int64_t word = begin >> 6; word << 6 < end; ++word) {
      uint64_t bits = words_[static_cast<size_t>(word)];
      const int64_t base = word << 6;
      if (base < begin) bits &= ~uint64_t{0} << (begin - base);
      if (end - base < 64) bits &= (uint64_t{1} << (end - base)) - 1;
      while (bits != 0) {
        on_row(base + std::countr_zero(bits));
        bits &= bits - 1;
      }
    }
  }

  /// The number of set rows in [begin, end).
  int64_t Count(int64_t begin, int64_t end) const {
    int64_t count = 0;
    ForEachSet(begin, end, [&](int64_t) { ++count; });
    return count;
  }

 private:
  PoolVector<uint64_t> words_;
};

}  // namespace deltacat::compute
