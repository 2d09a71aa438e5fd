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

void* allocate(std::size_t n) noexcept {
  const std::size_t c = BlockCache::class_for_request(n);
  if (c == BlockCache::kClasses) return std::malloc(n == 0 ? 1 : n);
  if (!t_cache_closed) {
    if (void* block = t_cache.blocks.take(c)) return block;
  }
  return std::malloc(BlockCache::class_size(c));
}

// A block of class `c`, or of a size malloc_usable_size() must name when `c` is unknown.
void deallocate(void* p, std::size_t c) noexcept {
  if (p == nullptr) return;
  if (c == BlockCache::kClasses) c = BlockCache::class_for_block(malloc_usable_size(p));
  if (c == BlockCache::kClasses || t_cache_closed || !t_cache.blocks.keep(p, c)) std::free(p);
}

void* allocate_or_throw(std::size_t n) {
  for (;;) {
    if (void* p = allocate(n)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* allocate_or_null(std::size_t n) noexcept {
  try {
    return allocate_or_throw(n);
  } catch (...) {
    return nullptr;
  }
}

// The class a sized delete names: operator new(n) gave a block of at least class_for_request(n).
std::size_t sized_class(std::size_t n) {
  return BlockCache::class_for_request(n);
}

}  // namespace

void* operator new(std::size_t n) {
  return allocate_or_throw(n);
}
void* operator new[](std::size_t n) {
  return allocate_or_throw(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n);
}

void operator delete(void* p) noexcept {
  deallocate(p, BlockCache::kClasses);
}
void operator delete[](void* p) noexcept {
  deallocate(p, BlockCache::kClasses);
}
void operator delete(void* p, std::size_t n) noexcept {
  deallocate(p, sized_class(n));
}
void operator delete[](void* p, std::size_t n) noexcept {
  deallocate(p, sized_class(n));
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  deallocate(p, BlockCache::kClasses);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  deallocate(p, BlockCache::kClasses);
}
