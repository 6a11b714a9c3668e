#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace deltacat::compute {

/// An open-addressing hash index from encoded keys (see EncodedRows) to dense ids 0, 1, 2, ...
/// in insertion order. The index stores only hashes and ids; the caller keeps the key bytes and
/// supplies `key_of(id)` so that collisions are resolved by comparing the actual keys.
/// Linear probing, power-of-two capacity, load factor at most 3/4. Ids are never removed
/// (callers mark them dead instead), so probing needs no tombstones.
class KeyIndex {
 public:
  /// An index sized for about `expected_keys` keys without rehashing.
  explicit KeyIndex(int64_t expected_keys = 0) { Reserve(expected_keys); }

  /// Number of keys (= the next id).
  int64_t size() const { return static_cast<int64_t>(hashes_.size()); }

  /// Grows the table so that `keys` keys fit without rehashing.
  void Reserve(int64_t keys) {
    const uint64_t wanted = std::bit_ceil(static_cast<uint64_t>(keys < 12 ? 16 : keys / 3 * 4 + 4));
    if (wanted > slots_.size()) Rehash(wanted);
  }

  /// The id of `key` (with hash `hash`), inserting it as id size() when absent.
  /// Returns {id, inserted}.
  template <typename KeyOf>
  std::pair<uint32_t, bool> FindOrInsert(uint64_t hash, std::string_view key, const KeyOf& key_of) {
    if ((hashes_.size() + 1) * 4 > slots_.size() * 3)
      Rehash(std::max<uint64_t>(16, slots_.size() * 2));
    const uint32_t tag = Tag(hash);
    for (uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.id_plus_one == 0) {
        const auto id = static_cast<uint32_t>(hashes_.size());
        slot = Slot{tag, id + 1};
        hashes_.push_back(hash);
        return {id, true};
      }
      if (slot.tag == tag && hashes_[slot.id_plus_one - 1] == hash &&
          key_of(slot.id_plus_one - 1) == key) {
        return {slot.id_plus_one - 1, false};
      }
    }
  }

  /// The id of `key`, or -1 when absent.
  template <typename KeyOf>
  int64_t Find(uint64_t hash, std::string_view key, const KeyOf& key_of) const {
    if (slots_.empty()) return -1;
    const uint32_t tag = Tag(hash);
    for (uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.id_plus_one == 0) return -1;
      if (slot.tag == tag && hashes_[slot.id_plus_one - 1] == hash &&
          key_of(slot.id_plus_one - 1) == key) {
        return slot.id_plus_one - 1;
      }
    }
  }

 private:
  struct Slot {
    uint32_t tag = 0;          // high hash bits, to skip most non-matching ids without a lookup
    uint32_t id_plus_one = 0;  // 0 = empty
  };

  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }

  void Rehash(uint64_t capacity) {
    std::vector<Slot> slots(capacity);
    const uint64_t mask = capacity - 1;
    for (size_t id = 0; id < hashes_.size(); ++id) {
      uint64_t i = hashes_[id] & mask;
      while (slots[i].id_plus_one != 0) i = (i + 1) & mask;
      slots[i] = Slot{Tag(hashes_[id]), static_cast<uint32_t>(id + 1)};
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  std::vector<uint64_t> hashes_;  // by id
};

}  // namespace deltacat::compute
