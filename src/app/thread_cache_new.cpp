// The executable's operator new and delete: malloc and free behind a per-thread BlockCache
// (util/block_cache.h says why). Linked into gd-export-lint and its allocator test only, never
// into the library or a sanitizer build (whose own operator new must see every allocation).
//
// Blocks move freely between threads: a block freed by another thread than the one that made
// it joins the freeing thread's cache, and every cached block is a malloc block, so free() may
// take it from any thread. The aligned forms of new and delete are not replaced: libstdc++'s
// use aligned_alloc and free, and their blocks never reach these functions.
//
// Known limit: a thread whose first allocation comes after glibc ran its thread_local
// destructors (from a pthread_key_create destructor) registers its cache's release too late,
// and the blocks it keeps (at most kMaxBytes) are not freed. Nothing in this program does that.

#include <malloc.h>

#include <cstdlib>
#include <new>

#include "util/block_cache.h"

namespace {

using gdl::util::BlockCache;

// A thread's cache is opened on its first trip to malloc or free, and closed when the thread
// ends (thread_local destructors run before static ones, and a static destructor may still
// delete): while it is not open, blocks come from malloc and go back to free().
enum class CacheState : unsigned char { unused, open, closed };
constinit thread_local CacheState t_state = CacheState::unused;
// Trivially destructible: the hit paths below touch it without a first-use check.
constinit thread_local BlockCache t_blocks;

struct CacheCloser {
  CacheCloser() = default;
  CacheCloser(const CacheCloser&) = delete;
  CacheCloser& operator=(const CacheCloser&) = delete;
  ~CacheCloser() {
    t_state = CacheState::closed;
    t_blocks.release();
  }
};

// Out of line, like everything that is not a cache hit: registering the closer
// (__cxa_thread_atexit allocates with calloc, never with operator new).
[[gnu::noinline]] void open_cache() noexcept {
  t_state = CacheState::open;
  thread_local CacheCloser closer;
  static_cast<void>(closer);
}

[[gnu::noinline]] void* allocate_from_malloc(std::size_t n) {
  if (t_state == CacheState::unused) open_cache();
  const std::size_t c = BlockCache::class_for_request(n);
  const std::size_t size = c == BlockCache::kClasses ? n : BlockCache::class_size(c);
  for (;;) {
    if (void* p = std::malloc(size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

// A block of class `c`, or of the class malloc_usable_size() names when `c` is kClasses.
[[gnu::noinline]] void release_to_cache_or_free(void* p, std::size_t c) noexcept {
  if (p == nullptr) return;
  if (t_state == CacheState::unused) open_cache();
  if (c == BlockCache::kClasses) c = BlockCache::class_for_block(malloc_usable_size(p));
  if (c == BlockCache::kClasses || t_state != CacheState::open || !t_blocks.keep(p, c))
    std::free(p);
}

inline void* allocate(std::size_t n) {
  const std::size_t c = BlockCache::class_for_request(n);
  if (c != BlockCache::kClasses && t_state == CacheState::open) {
    if (void* block = t_blocks.take(c)) return block;
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
// A full class's block goes straight to free(), not through the slow path's second keep().
inline void release_sized(void* p, std::size_t n) noexcept {
  const std::size_t c = BlockCache::class_for_request(n);
  if (c != BlockCache::kClasses && t_state == CacheState::open) {
    if (p != nullptr && !t_blocks.keep(p, c)) std::free(p);
    return;
  }
  release_to_cache_or_free(p, c);
}

inline void release(void* p) noexcept {
  release_to_cache_or_free(p, BlockCache::kClasses);
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
