#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include <arrow/memory_pool.h>

namespace deltacat {

/// A standard allocator that draws from Arrow's default memory pool (jemalloc in the pyarrow
/// build) instead of the C heap.
///
/// Why: the compactor's large working vectors (encoded keys, key indexes, per-row markers) are
/// allocated and freed once per merge. glibc serves allocations that large with mmap and
/// returns them with munmap, so every merge faults in fresh pages, and the kernel zeroes each
/// one: on this project's benchmark machine a quarter of a compaction's CPU time went to that.
/// jemalloc keeps freed pages for a while and hands them to the next merge, and the pool counts
/// the bytes with Arrow's own, so one number tells what a round holds.
///
/// Like std::allocator, allocation failure throws std::bad_alloc.
template <typename T>
class ArrowPoolAllocator {
 public:
  using value_type = T;

  ArrowPoolAllocator() noexcept = default;
  template <typename U>
  ArrowPoolAllocator(const ArrowPoolAllocator<U>& /*other*/) noexcept {}  // NOLINT: rebinding

  T* allocate(std::size_t n) {
    uint8_t* out = nullptr;
    const auto bytes = static_cast<int64_t>(n * sizeof(T));
    if (!arrow::default_memory_pool()->Allocate(bytes, kAlignment, &out).ok()) {
      throw std::bad_alloc();
    }
    return reinterpret_cast<T*>(out);
  }

  void deallocate(T* pointer, std::size_t n) noexcept {
    arrow::default_memory_pool()->Free(reinterpret_cast<uint8_t*>(pointer),
                                       static_cast<int64_t>(n * sizeof(T)), kAlignment);
  }

  template <typename U>
  bool operator==(const ArrowPoolAllocator<U>& /*other*/) const noexcept {
    return true;  // one pool: memory from one allocator is freed by any other
  }

 private:
  static constexpr int64_t kAlignment = alignof(T) > 64 ? alignof(T) : 64;
};

/// A std::vector whose buffer lives in Arrow's default memory pool (see ArrowPoolAllocator).
template <typename T>
using PoolVector = std::vector<T, ArrowPoolAllocator<T>>;

}  // namespace deltacat
