// The executable's operator new and delete: malloc and free behind a per-thread BlockCache
// (util/block_cache.h says why). Linked into gd-export-lint only, never into the library, the
// tests or a sanitizer build (whose own operator new must see every allocation).
//
// Blocks move freely between threads: a block freed by another thread than the one that made
// it joins the freeing thread's cache, and every cached block is a malloc block, so free() may
// take it from any thread.

#include <malloc.h>

#include <cstdlib>
#include <new>

#include "util/block_cache.h"

namespace {

using gdl::util::BlockCache;

// Set once the thread's cache is gone (thread_local destructors run before static ones, and a
// static destructor may still delete): blocks then go straight to free().
constinit thread_local bool t_cache_closed = false;

struct ThreadCache {
  BlockCache blocks;
  ThreadCache() = default;
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;
  ~ThreadCache() { t_cache_closed = true; }
};
thread_local ThreadCache t_cache;

// The slow paths, kept out of line so the fast ones save no registers: malloc (looping on the
// new_handler as the standard operator new does) and free.
[[gnu::noinline]] void* allocate_from_malloc(std::size_t n) {
  const std::size_t c = BlockCache::class_for_request(n);
  const std::size_t size = c == BlockCache::kClasses ? n : BlockCache::class_size(c);
  for (;;) {
    if (void* p = std::malloc(size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

// A block of class `c`, or of a class malloc_usable_size() must name when `c` is kClasses.
[[gnu::noinline]] void release_to_free(void* p, std::size_t c) noexcept {
  if (p == nullptr) return;
  if (c == BlockCache::kClasses) c = BlockCache::class_for_block(malloc_usable_size(p));
  if (c == BlockCache::kClasses || t_cache_closed || !t_cache.blocks.keep(p, c)) std::free(p);
}

inline void* allocate(std::size_t n) {
  const std::size_t c = BlockCache::class_for_request(n);
  if (c != BlockCache::kClasses && !t_cache_closed) {
    if (void* block = t_cache.blocks.take(c)) return block;
  }
  return allocate_from_malloc(n);
}

inline void* allocate_or_null(std::size_t n) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}

// operator new(n) gave a block of at least class_for_request(n): a sized delete names its class.
inline void release_sized(void* p, std::size_t n) noexcept {
  const std::size_t c = BlockCache::class_for_request(n);
  if (c != BlockCache::kClasses && p != nullptr && !t_cache_closed && t_cache.blocks.keep(p, c))
    return;
  release_to_free(p, c);
}

inline void release(void* p) noexcept {
  release_to_free(p, BlockCache::kClasses);
}

}  // namespace

void* operator new(std::size_t n) {
  return allocate(n);
}
void* operator new[](std::size_t n) {
  return allocate(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n);
}

void operator delete(void* p) noexcept {
  release(p);
}
void operator delete[](void* p) noexcept {
  release(p);
}
void operator delete(void* p, std::size_t n) noexcept {
  release_sized(p, n);
}
void operator delete[](void* p, std::size_t n) noexcept {
  release_sized(p, n);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  release(p);
}
