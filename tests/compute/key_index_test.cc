// The merge kernel's hash index, in both slot layouts: inline keys and hashed keys.

#include "deltacat/compute/key_index.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace deltacat::compute {
namespace {

/// A fixed-width encoded key (like one int64 merge key: tag byte + 8 value bytes).
std::string Key(uint64_t value, size_t width = 9) {
  std::string key(width, '\0');
  key[0] = 1;
  for (size_t i = 1; i < width; ++i) {
    // The value's 8 bytes, then filler for wider keys.
    key[i] = static_cast<char>(i <= 8 ? (value >> (8 * (i - 1))) & 0xff : i);
  }
  return key;
}

/// Inserts keys 0..n-1 twice into a fresh index (growing it from empty, so it rehashes many
/// times) and checks ids, duplicates and misses.
void CheckIndex(int64_t inline_bytes, size_t width, uint64_t (*hash)(std::string_view)) {
  KeyIndex index(0, inline_bytes);
  std::vector<std::string> keys;
  auto key_of = [&](uint32_t id) { return std::string_view(keys[id]); };
  constexpr uint64_t kKeys = 20000;
  for (uint64_t v = 0; v < kKeys; ++v) {
    const std::string key = Key(v * 7919, width);
    const auto [id, inserted] = index.FindOrInsert(hash(key), key, key_of);
    ASSERT_TRUE(inserted) << v;
    ASSERT_EQ(id, v);
    keys.push_back(key);
  }
  EXPECT_EQ(index.size(), static_cast<int64_t>(kKeys));
  for (uint64_t v = 0; v < kKeys; ++v) {
    const std::string key = Key(v * 7919, width);
    const auto [id, inserted] = index.FindOrInsert(hash(key), key, key_of);
    ASSERT_FALSE(inserted) << v;
    ASSERT_EQ(id, v);
    ASSERT_EQ(index.Find(hash(key), key, key_of), static_cast<int64_t>(v));
  }
  for (uint64_t v = 0; v < 1000; ++v) {
    const std::string absent = Key(v * 7919 + 1, width);
    ASSERT_EQ(index.Find(hash(absent), absent, key_of), -1) << v;
  }
}

uint64_t RealHash(std::string_view key) { return HashEncodedRow(key); }
/// Every key in one probe chain: equality must come from the keys, never from the hash.
uint64_t ConstantHash(std::string_view /*key*/) { return 42; }

TEST(KeyIndex, InlineKeysGrowAndFind) { CheckIndex(9, 9, RealHash); }

TEST(KeyIndex, InlineKeysOfTheLongestWidth) {
  CheckIndex(KeyIndex::kMaxInlineKeyBytes, KeyIndex::kMaxInlineKeyBytes, RealHash);
}

TEST(KeyIndex, HashedKeysGrowAndFind) { CheckIndex(0, 9, RealHash); }

TEST(KeyIndex, KeysTooLongToInlineAreHashed) {
  CheckIndex(KeyIndex::kMaxInlineKeyBytes + 1, 17, RealHash);
}

TEST(KeyIndex, CollidingHashesAreResolvedByTheKeys) {
  for (int64_t inline_bytes : {int64_t{0}, int64_t{9}}) {
    // Sized up front: growing re-places inline keys by their real hash (see KeyIndex).
    KeyIndex index(1000, inline_bytes);
    std::vector<std::string> keys;
    auto key_of = [&](uint32_t id) { return std::string_view(keys[id]); };
    for (uint64_t v = 0; v < 300; ++v) {
      keys.push_back(Key(v));
      ASSERT_TRUE(index.FindOrInsert(ConstantHash(keys.back()), keys.back(), key_of).second);
    }
    for (uint64_t v = 0; v < 300; ++v) {
      ASSERT_EQ(index.Find(ConstantHash(Key(v)), Key(v), key_of), static_cast<int64_t>(v));
    }
    EXPECT_EQ(index.Find(ConstantHash(Key(999)), Key(999), key_of), -1);
  }
}

}  // namespace
}  // namespace deltacat::compute
