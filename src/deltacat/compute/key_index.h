#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "deltacat/compute/key_encoding.h"
#include "deltacat/util/pool_allocator.h"

namespace deltacat::compute {

/// An open-addressing hash index from encoded keys (see EncodedRows) to dense ids 0, 1, 2, ...
/// in insertion order. Linear probing, power-of-two capacity, load factor at most 3/4. Ids are
/// never removed (callers mark them dead instead), so probing needs no tombstones.
///
/// Two slot layouts, chosen at construction:
///  - Inline keys (every key has the same encoded width, at most kMaxInlineKeyBytes, e.g. one
///    integer or timestamp column): the slot holds the key bytes themselves, so a probe compares
///    them in place. Merging is bound by memory latency, and this saves the two cache misses of
///    fetching a stored key (its row reference, then its bytes) on every duplicate.
///  - Otherwise the slot holds the key's full 64-bit hash; on a hash match the caller's
///    `key_of(id)` supplies the stored key's bytes to compare (the caller keeps the key bytes).
class KeyIndex {
 public:
  /// The longest keys kept in the slots.
  static constexpr int64_t kMaxInlineKeyBytes = 12;

  /// An index sized for about `expected_keys` keys without rehashing. `inline_key_bytes` > 0
  /// (and <= kMaxInlineKeyBytes) promises that every key has exactly that many bytes; the hash
  /// passed with an inline key must then be HashEncodedRow(key), because growing the table
  /// recomputes it from the key.
  explicit KeyIndex(int64_t expected_keys = 0, int64_t inline_key_bytes = 0)
      : inline_bytes_(
            inline_key_bytes > 0 && inline_key_bytes <= kMaxInlineKeyBytes ? inline_key_bytes : 0) {
    Reserve(expected_keys);
  }

  /// Number of keys (= the next id).
  int64_t size() const { return count_; }

  /// Whether keys are kept in the slots (a Find then touches nothing but the slots).
  bool inline_keys() const { return inline_bytes_ != 0; }

  /// The width of every key when keys are inline, else 0.
  int64_t inline_key_bytes() const { return inline_bytes_; }

  /// Starts loading the slot where a probe for `hash` begins. A hint for callers that know
  /// their next keys: the probe itself is then a cache hit. No effect on results.
  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }

  /// Grows the table so that `keys` keys fit without rehashing.
  void Reserve(int64_t keys) {
    const uint64_t wanted = std::bit_ceil(static_cast<uint64_t>(keys < 12 ? 16 : keys / 3 * 4 + 4));
    if (wanted > slots_.size()) Rehash(wanted);
  }

  /// The id of `key` (with hash `hash`), inserting it as id size() when absent.
  /// Returns {id, inserted}.
  template <typename KeyOf>
  std::pair<uint32_t, bool> FindOrInsert(uint64_t hash, std::string_view key, const KeyOf& key_of) {
    if (static_cast<uint64_t>(count_ + 1) * 4 > slots_.size() * 3) {
      Rehash(std::max<uint64_t>(16, slots_.size() * 2));
    }
    const Slot probe = SlotFor(hash, key);
    for (uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.id_plus_one == 0) {
        const auto id = static_cast<uint32_t>(count_++);
        slot = probe;
        slot.id_plus_one = id + 1;
        return {id, true};
      }
      if (Matches(slot, probe, key, key_of)) return {slot.id_plus_one - 1, false};
    }
  }

  /// The id of `key`, or -1 when absent.
  template <typename KeyOf>
  int64_t Find(uint64_t hash, std::string_view key, const KeyOf& key_of) const {
    if (slots_.empty()) return -1;
    const Slot probe = SlotFor(hash, key);
    for (uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.id_plus_one == 0) return -1;
      if (Matches(slot, probe, key, key_of)) return slot.id_plus_one - 1;
    }
  }

 private:
  struct Slot {
    uint64_t word = 0;         // inline: key bytes 0-7; otherwise the key's hash
    uint32_t tail = 0;         // inline: key bytes 8-11
    uint32_t id_plus_one = 0;  // 0 = empty
  };

  Slot SlotFor(uint64_t hash, std::string_view key) const {
    Slot slot;
    if (inline_bytes_ == 0) {
      slot.word = hash;
      return slot;
    }
    // Zero-padded: keys of one width compare equal exactly when their bytes do.
    const size_t n = std::min<size_t>(key.size(), static_cast<size_t>(kMaxInlineKeyBytes));
    char bytes[kMaxInlineKeyBytes] = {};
    std::memcpy(bytes, key.data(), n);
    std::memcpy(&slot.word, bytes, sizeof(slot.word));
    std::memcpy(&slot.tail, bytes + sizeof(slot.word), sizeof(slot.tail));
    return slot;
  }

  template <typename KeyOf>
  bool Matches(const Slot& slot, const Slot& probe, std::string_view key,
               const KeyOf& key_of) const {
    if (slot.word != probe.word || slot.tail != probe.tail) return false;
    if (inline_bytes_ != 0) return key.size() == static_cast<size_t>(inline_bytes_);
    return key_of(slot.id_plus_one - 1) == key;
  }

  /// The hash a slot was placed by.
  uint64_t HashOf(const Slot& slot) const {
    if (inline_bytes_ == 0) return slot.word;
    char bytes[kMaxInlineKeyBytes];
    std::memcpy(bytes, &slot.word, sizeof(slot.word));
    std::memcpy(bytes + sizeof(slot.word), &slot.tail, sizeof(slot.tail));
    return HashEncodedRow(std::string_view(bytes, static_cast<size_t>(inline_bytes_)));
  }

  void Rehash(uint64_t capacity) {
    PoolVector<Slot> slots(capacity);
    const uint64_t mask = capacity - 1;
    for (const Slot& slot : slots_) {
      if (slot.id_plus_one == 0) continue;
      uint64_t i = HashOf(slot) & mask;
      while (slots[i].id_plus_one != 0) i = (i + 1) & mask;
      slots[i] = slot;
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  int64_t inline_bytes_ = 0;
  int64_t count_ = 0;
  PoolVector<Slot> slots_;
  uint64_t mask_ = 0;
};

}  // namespace deltacat::compute
