// The per-thread cache of freed blocks behind the executable's operator new
// (src/util/block_cache.h, src/app/thread_cache_new.cpp).

#include "util/block_cache.h"

#include <doctest/doctest.h>
#include <malloc.h>

#include <cstdlib>
#include <vector>

using gdl::util::BlockCache;

TEST_CASE("block cache: a request's class holds it, and a block serves the classes it can") {
  struct Row {
    std::size_t request;
    std::size_t request_class;  // class_for_request
    std::size_t usable;
    std::size_t block_class;  // class_for_block(usable)
  };
  const Row rows[] = {
      {0, 0, 0, BlockCache::kClasses},  // smaller than any class: freed, never kept
      {1, 0, 24, 0},
      {24, 0, 24, 0},
      {25, 1, 40, 1},
      {40, 1, 47, 1},  // a block between classes serves the smaller
      {41, 2, 56, 2},
      {1032, 63, 1032, 63},
      {1033, BlockCache::kClasses, 1033, BlockCache::kClasses},
      {4096, BlockCache::kClasses, 4104, BlockCache::kClasses},
  };
  for (const Row& row : rows) {
    CAPTURE(row.request);
    CHECK(BlockCache::class_for_request(row.request) == row.request_class);
    CHECK(BlockCache::class_for_block(row.usable) == row.block_class);
    if (row.request_class != BlockCache::kClasses)
      CHECK(BlockCache::class_size(row.request_class) >= row.request);
  }
  for (std::size_t n = 0; n <= BlockCache::kMaxUsable; ++n) {
    const std::size_t c = BlockCache::class_for_request(n);
    REQUIRE(c < BlockCache::kClasses);
    CHECK(BlockCache::class_size(c) >= n);
    CHECK((c == 0 || BlockCache::class_size(c - 1) < n));  // the smallest class that holds n
  }
}

TEST_CASE("block cache: malloc gives a class's size exactly, so a freed block keeps its class") {
  // The cache's classes are glibc's usable sizes: a block malloc returns for class_size(c) bytes
  // is of class c when it is freed (class_for_block of its usable size).
  for (std::size_t c = 0; c < BlockCache::kClasses; ++c) {
    void* p = std::malloc(BlockCache::class_size(c));
    REQUIRE(p != nullptr);
    CAPTURE(c);
    CHECK(BlockCache::class_for_block(malloc_usable_size(p)) == c);
    std::free(p);
  }
}

TEST_CASE("block cache: kept blocks come back last in, first out, per class, within the budget") {
  BlockCache cache;
  CHECK(cache.take(3) == nullptr);
  void* a = std::malloc(BlockCache::class_size(3));
  void* b = std::malloc(BlockCache::class_size(3));
  void* other = std::malloc(BlockCache::class_size(5));
  REQUIRE(cache.keep(a, 3));
  REQUIRE(cache.keep(b, 3));
  REQUIRE(cache.keep(other, 5));
  CHECK(cache.bytes_kept() == 2 * BlockCache::chunk_size(3) + BlockCache::chunk_size(5));
  CHECK(cache.take(4) == nullptr);
  CHECK(cache.take(3) == b);
  CHECK(cache.take(3) == a);
  CHECK(cache.take(3) == nullptr);
  CHECK(cache.bytes_kept() == BlockCache::chunk_size(5));
  std::free(a);
  std::free(b);

  // The budget: each class has its share, and once a class's is spent keep() refuses (the
  // caller frees the block) while the other classes still keep theirs.
  const std::size_t c = BlockCache::kClasses - 1;
  std::vector<void*> refused;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < BlockCache::kClassBytes / BlockCache::chunk_size(c) + 2; ++i) {
    void* p = std::malloc(BlockCache::class_size(c));
    REQUIRE(p != nullptr);
    if (cache.keep(p, c)) {
      ++kept;
    } else {
      refused.push_back(p);
    }
  }
  CHECK(kept == BlockCache::kClassBytes / BlockCache::chunk_size(c));
  CHECK(refused.size() == 2);
  CHECK(cache.bytes_kept() == kept * BlockCache::chunk_size(c) + BlockCache::chunk_size(5));
  void* small = std::malloc(BlockCache::class_size(0));
  CHECK(cache.keep(small, 0));  // another class's share is untouched
  static_assert(BlockCache::kClassBytes * BlockCache::kClasses <= BlockCache::kMaxBytes);
  for (void* p : refused) std::free(p);
  cache.release();  // frees `other` and every kept block (LeakSanitizer checks under CI's ASan)
  CHECK(cache.bytes_kept() == 0);
  CHECK(cache.take(5) == nullptr);
}
