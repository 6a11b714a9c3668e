// The winners' bitmap: set, test, and ranges that start and end inside and on word boundaries.

#include "deltacat/compute/row_bits.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace deltacat::compute {
namespace {

TEST(RowBits, RangesMatchAPlainVector) {
  std::mt19937_64 rng(11);
  for (const int64_t rows : {int64_t{0}, int64_t{1}, int64_t{63}, int64_t{64}, int64_t{65},
                             int64_t{200}, int64_t{1000}}) {
    RowBits bits(rows);
    std::vector<bool> plain(static_cast<size_t>(rows), false);
    for (int64_t row = 0; row < rows; ++row) {
      if (rng() % 3 == 0) {
        bits.Set(row);
        plain[static_cast<size_t>(row)] = true;
      }
    }
    for (int64_t row = 0; row < rows; ++row) {
      ASSERT_EQ(bits.Test(row), plain[static_cast<size_t>(row)]) << rows << " rows, row " << row;
    }
    // Every range whose ends are near a word boundary, plus random ones.
    std::vector<int64_t> ends = {0, 1, 62, 63, 64, 65, 127, 128, 129, rows - 1, rows};
    for (int i = 0; i < 20; ++i) ends.push_back(rows == 0 ? 0 : static_cast<int64_t>(rng() % rows));
    for (int64_t begin : ends) {
      for (int64_t end : ends) {
        if (begin < 0 || end > rows || begin > end) continue;
        std::vector<int64_t> expected;
        for (int64_t row = begin; row < end; ++row) {
          if (plain[static_cast<size_t>(row)]) expected.push_back(row);
        }
        std::vector<int64_t> seen;
        bits.ForEachSet(begin, end, [&](int64_t row) { seen.push_back(row); });
        ASSERT_EQ(seen, expected) << rows << " rows, [" << begin << ", " << end << ")";
        ASSERT_EQ(bits.Count(begin, end), static_cast<int64_t>(expected.size()));
      }
    }
  }
}

}  // namespace
}  // namespace deltacat::compute
