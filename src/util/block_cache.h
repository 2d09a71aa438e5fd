#pragma once
// Freed small blocks kept per size class for the next allocation of the same thread.
//
// A scan builds and drops a located tree, a policy model and a compiled evaluator per file: a
// few hundred small blocks each, 310,000 allocations on 400 files. glibc's per-thread cache
// keeps only seven freed blocks per size; the rest go through its arena (a third of all
// allocation instructions, and the fastbin consolidations that large requests trigger). This
// keeps every freed small block, up to a byte budget, for the next request of its class.
//
// The classes are glibc's own usable sizes on 64-bit (24, 40, 56, ... bytes: a chunk is a
// multiple of 16 with an 8-byte header). A block malloc returns for a class's size is of that
// class, or of the next when glibc hands out a whole free chunk rather than leave a remainder
// below its minimum chunk: either way it serves the class its request was sized for, and
// malloc_usable_size() of any block names the largest class it can serve. (The budget counts
// such a block at its request's class, 16 bytes short.)
// Not thread-safe: one cache per thread (src/app/thread_cache_new.cpp). Trivially destructible,
// so a thread_local one needs no registration on the allocation path: its owner calls release()
// (the app's does when the thread ends). It holds at most kMaxBytes of glibc chunks (usable
// bytes and each chunk's 8-byte header), each size class within its share of that.

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>

namespace gdl::util {

class BlockCache {
 public:
  static constexpr std::size_t kClasses = 64;
  static constexpr std::size_t kMaxUsable = 24 + 16 * (kClasses - 1);  // 1,032 bytes
  static constexpr std::size_t kMaxBytes = std::size_t{1} << 23;       // kept per thread
  // Each class has its share of the budget: a burst of one size (a big tree's nodes) must not
  // fill the cache with blocks nothing asks for again, leaving none for the sizes in use. With
  // 16 KB a class (a 1 MB budget), a file's tree and model overflowed the busiest classes into
  // glibc: 33 malloc calls a file in a scan, 17 with 128 KB, and `--jobs 1` 6% faster
  // (bench/README.md, twenty-fifth round). The budget is an upper bound: peak RSS did not move.
  static constexpr std::size_t kClassBytes = kMaxBytes / kClasses;  // 128 KB

  // The class whose blocks hold `n` bytes; kClasses when `n` is larger than every class.
  static constexpr std::size_t class_for_request(std::size_t n) {
    return n <= 24 ? 0 : n > kMaxUsable ? kClasses : (n - 24 + 15) / 16;
  }
  // The largest class a block of `usable` bytes can serve; kClasses when none (too large to
  // keep, or smaller than the first class).
  static constexpr std::size_t class_for_block(std::size_t usable) {
    return usable < 24 || usable > kMaxUsable ? kClasses : (usable - 24) / 16;
  }
  static constexpr std::size_t class_size(std::size_t c) { return 24 + 16 * c; }

  // The glibc chunk a block of class `c` takes: its usable bytes and the size word before them.
  static constexpr std::size_t chunk_size(std::size_t c) { return class_size(c) + 8; }

  constexpr BlockCache() = default;
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache() = default;  // the owner calls release(): see above

  // A kept block of class `c` (at least class_size(c) bytes), or nullptr when there is none.
  void* take(std::size_t c) noexcept {
    Node* n = heads_[c];
    if (n == nullptr) return nullptr;
    heads_[c] = n->next;
    bytes_[c] -= static_cast<std::uint32_t>(chunk_size(c));
    return n;
  }
  // Keeps `block` (at least class_size(c) bytes) for take(c); false when the class's share of
  // the budget is spent, and the caller frees it.
  bool keep(void* block, std::size_t c) noexcept {
    if (bytes_[c] + chunk_size(c) > kClassBytes) return false;
    heads_[c] = new (block) Node{heads_[c]};
    bytes_[c] += static_cast<std::uint32_t>(chunk_size(c));
    return true;
  }
  // Frees every kept block (they are malloc blocks).
  void release() noexcept;

  [[nodiscard]] std::size_t bytes_kept() const {
    std::size_t sum = 0;
    for (const std::uint32_t b : bytes_) sum += b;
    return sum;
  }

 private:
  struct Node {
    Node* next;
  };
  std::array<Node*, kClasses> heads_{};
  std::array<std::uint32_t, kClasses> bytes_{};
};

}  // namespace gdl::util
