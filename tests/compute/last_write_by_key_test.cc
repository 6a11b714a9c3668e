// Resolution of a keyed merge by each key's last write (radix partitions), against a plain
// map replaying the writes one at a time.

#include "deltacat/compute/last_write_by_key.h"

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <arrow/api.h>
#include <gtest/gtest.h>

namespace deltacat::compute {
namespace {

/// A batch of writes as test data: keys (nullopt = a null key), upserts or deletes.
struct TestBatch {
  std::vector<std::optional<int64_t>> keys;
  bool is_delete = false;
};

std::shared_ptr<arrow::Array> KeyArray(const std::vector<std::optional<int64_t>>& keys,
                                       bool as_strings) {
  if (as_strings) {
    arrow::StringBuilder builder;
    for (const auto& key : keys) {
      EXPECT_TRUE(
          (key ? builder.Append("key-" + std::to_string(*key)) : builder.AppendNull()).ok());
    }
    return builder.Finish().ValueOrDie();
  }
  arrow::Int64Builder builder;
  for (const auto& key : keys) {
    EXPECT_TRUE((key ? builder.Append(*key) : builder.AppendNull()).ok());
  }
  return builder.Finish().ValueOrDie();
}

/// The expected result: replays the writes in order on a map from key to its live row.
LastWrites Replay(const std::vector<TestBatch>& batches, int64_t total_rows) {
  LastWrites expected;
  expected.wins = RowBits(total_rows);
  std::map<std::optional<int64_t>, int64_t> live;  // key -> global row
  int64_t next_row = 0;
  for (const TestBatch& batch : batches) {
    for (const auto& key : batch.keys) {
      const auto found = live.find(key);
      if (batch.is_delete) {
        if (found != live.end()) {
          ++expected.deleted_rows;
          live.erase(found);
        }
        continue;
      }
      if (found != live.end()) ++expected.deduped_rows;
      live[key] = next_row++;
    }
  }
  for (const auto& [key, row] : live) expected.wins.Set(row);
  expected.live_rows = static_cast<int64_t>(live.size());
  return expected;
}

void ExpectResolved(const std::vector<TestBatch>& batches, bool string_keys,
                    int64_t max_scatter_bytes = int64_t{16} << 20) {
  std::vector<EncodedRows> encoded;
  encoded.reserve(batches.size());
  std::vector<KeyWriteBatch> writes;
  int64_t total_rows = 0;
  for (const TestBatch& batch : batches) {
    auto rows = EncodedRows::Encode({KeyArray(batch.keys, string_keys)},
                                    static_cast<int64_t>(batch.keys.size()));
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    encoded.push_back(std::move(*rows));
  }
  for (size_t b = 0; b < batches.size(); ++b) {
    writes.push_back({&encoded[b], batches[b].is_delete, total_rows});
    if (!batches[b].is_delete) total_rows += static_cast<int64_t>(batches[b].keys.size());
  }
  // Int64 keys encode to 9 bytes (tag + value): compared in place. Strings: by hash and bytes.
  auto resolved = ResolveLastWrites(writes, total_rows, string_keys ? 0 : 9, max_scatter_bytes);
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  const LastWrites expected = Replay(batches, total_rows);
  EXPECT_EQ(resolved->deduped_rows, expected.deduped_rows);
  EXPECT_EQ(resolved->deleted_rows, expected.deleted_rows);
  EXPECT_EQ(resolved->live_rows, expected.live_rows);
  for (int64_t row = 0; row < total_rows; ++row) {
    ASSERT_EQ(resolved->wins.Test(row), expected.wins.Test(row)) << "global row " << row;
  }
  EXPECT_EQ(resolved->wins.Count(0, total_rows), expected.live_rows);
}

TEST(LastWriteByKey, SmallStreamOfUpsertsAndDeletes) {
  // Re-insert after a delete, a delete of a key never written, a key deleted twice in one
  // batch, null keys as one key, duplicates within a batch, and keys equal but for one byte.
  const std::vector<TestBatch> batches = {
      {{1, 2, 3, 2, std::nullopt}, false},
      {{2, 2, 9, std::nullopt}, true},
      {{2, 4, std::nullopt, std::nullopt}, false},
      {{4}, true},
      {{4, 1}, false},
      // Keys that differ from 1 only in their last encoded byte (a value's top byte).
      {{(int64_t{1} << 56) + 1, (int64_t{2} << 56) + 1, (int64_t{1} << 56) + 1}, false},
      {{(int64_t{2} << 56) + 1}, true},
  };
  for (bool strings : {false, true}) {
    SCOPED_TRACE(strings ? "string keys" : "int64 keys");
    ExpectResolved(batches, strings);
  }
}

TEST(LastWriteByKey, RandomStreamsOverManyPartitions) {
  // Enough writes for hundreds of partitions, and few enough keys that every key is written
  // and deleted many times.
  for (uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    const int64_t key_space = seed == 3 ? 50 : 40000;
    std::vector<TestBatch> batches;
    for (int b = 0; b < 60; ++b) {
      TestBatch batch;
      batch.is_delete = rng() % 4 == 0;
      const size_t rows = rng() % (batch.is_delete ? 2000 : 20000);
      for (size_t i = 0; i < rows; ++i) {
        if (rng() % 500 == 0) {
          batch.keys.emplace_back(std::nullopt);
        } else {
          batch.keys.emplace_back(static_cast<int64_t>(rng() % key_space) - key_space / 2);
        }
      }
      batches.push_back(std::move(batch));
    }
    for (bool strings : {false, true}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (strings ? ", string keys" : ", int64 keys"));
      ExpectResolved(batches, strings);
      // Scattered a few partitions at a time (64 KiB of writes): the same result.
      ExpectResolved(batches, strings, 64 << 10);
    }
  }
}

TEST(LastWriteByKey, KeysEqualButForTheirLastByte) {
  // Pairs of keys whose in-place words are equal and whose last bytes differ: with thousands
  // of pairs per partition, some meet on one probe path, where only the last bytes tell them
  // apart.
  TestBatch upserts;
  TestBatch deletes;
  deletes.is_delete = true;
  for (int64_t v = 0; v < 30000; ++v) {
    upserts.keys.emplace_back(v);
    upserts.keys.emplace_back(v + (int64_t{1} << 56));
    if (v % 3 == 0) deletes.keys.emplace_back(v + (int64_t{1} << 56));
  }
  ExpectResolved({upserts, deletes}, false);
}

TEST(LastWriteByKey, NoWritesAndEmptyBatches) {
  ExpectResolved({}, false);
  ExpectResolved({{{}, false}, {{}, true}}, false);
  auto rejected = ResolveLastWrites({KeyWriteBatch{nullptr, false, 0}}, 0, 0);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace deltacat::compute
