// The executable's operator new and delete (src/app/thread_cache_new.cpp), linked into this
// program as they are into gd-export-lint. A block handed out twice, or smaller than asked
// for, shows as a pattern another owner overwrote; a block kept after its thread's cache is
// closed, or lost, shows under valgrind or as growth. Exits 1 with a message on any failure.

#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <new>
#include <random>
#include <thread>
#include <vector>

#include "util/block_cache.h"

namespace {

std::mutex g_failure_mutex;
int g_failures = 0;

void fail(const char* what, std::size_t n) {
  const std::lock_guard lock(g_failure_mutex);
  if (++g_failures <= 10) std::fprintf(stderr, "allocator test: %s (size %zu)\n", what, n);
}

struct Block {
  unsigned char* p = nullptr;
  std::size_t n = 0;
  unsigned char mark = 0;
};

Block make_block(std::size_t n, unsigned char mark, bool array) {
  auto* p = static_cast<unsigned char*>(array ? ::operator new[](n) : ::operator new(n));
  if (p == nullptr) fail("operator new returned nullptr", n);
  if (malloc_usable_size(p) < n) fail("a block smaller than asked for", n);
  std::memset(p, mark, n);
  return {p, n, mark};
}

// Checks the block's bytes are still its owner's, then frees it with one of the forms.
void free_block(const Block& b, std::uint_fast32_t form, bool array) {
  for (std::size_t i = 0; i < b.n; ++i) {
    if (b.p[i] != b.mark) {
      fail("a live block was overwritten: handed out twice?", b.n);
      break;
    }
  }
  if (array) {
    if (form % 2 == 0)
      ::operator delete[](b.p, b.n);
    else
      ::operator delete[](b.p);
  } else if (form % 3 == 0) {
    ::operator delete(b.p, b.n);
  } else if (form % 3 == 1) {
    ::operator delete(b.p);
  } else {
    ::operator delete(b.p, std::nothrow);
  }
}

// Threads allocate sizes on both sides of the largest class, keep some, and hand the others
// to whichever thread takes them next: every block is checked and freed by some thread.
void handoff(unsigned threads, unsigned rounds) {
  std::mutex mutex;
  std::deque<std::pair<Block, bool>> shared;
  auto work = [&](unsigned id) {
    std::mt19937 random(id + 1);  // result_type: std::uint_fast32_t
    std::uniform_int_distribution<std::size_t> size(0, gdl::util::BlockCache::kMaxUsable + 200);
    std::vector<std::pair<Block, bool>> mine;
    const auto mark = static_cast<unsigned char>(0x40 + id);
    for (unsigned i = 0; i < rounds; ++i) {
      const bool array = random() % 4 == 0;
      Block b = make_block(size(random), mark, array);
      if (random() % 2 == 0) {
        const std::lock_guard lock(mutex);
        shared.emplace_back(b, array);
      } else {
        mine.emplace_back(b, array);
      }
      if (mine.size() > 64) {
        for (const auto& [kept, kept_array] : mine) free_block(kept, random(), kept_array);
        mine.clear();
      }
      std::pair<Block, bool> taken;
      {
        const std::lock_guard lock(mutex);
        if (shared.empty()) continue;
        taken = shared.front();
        shared.pop_front();
      }
      free_block(taken.first, random(), taken.second);
    }
    for (const auto& [kept, kept_array] : mine) free_block(kept, random(), kept_array);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (std::thread& t : pool) t.join();
  for (const auto& [b, array] : shared) free_block(b, 0, array);
}

// A thread_local destroyed after the thread's cache is closed, or before it: either way its
// delete and new must work.
struct DeletesAtThreadExit {
  void* p = ::operator new(100);
  DeletesAtThreadExit() = default;
  DeletesAtThreadExit(const DeletesAtThreadExit&) = delete;
  DeletesAtThreadExit& operator=(const DeletesAtThreadExit&) = delete;
  ~DeletesAtThreadExit() {
    ::operator delete(p, 100);
    void* again = ::operator new(40);
    std::memset(again, 1, 40);
    ::operator delete(again);
  }
};

// A static destroyed after main's thread_locals (the cache closed): new and delete still work.
struct DeletesAtExit {
  std::vector<std::vector<int>> held;
  DeletesAtExit() = default;
  DeletesAtExit(const DeletesAtExit&) = delete;
  DeletesAtExit& operator=(const DeletesAtExit&) = delete;
  ~DeletesAtExit() {
    held.clear();
    held.shrink_to_fit();
    std::vector<int> late(1000, 7);
    if (late[999] != 7) std::abort();
  }
};
DeletesAtExit g_at_exit;

}  // namespace

int main() {
  handoff(4, 20000);

  // Threads that end with blocks in their caches, and thread_locals that delete at exit.
  for (int round = 0; round < 20; ++round) {
    std::thread t([] {
      thread_local DeletesAtThreadExit late;
      static_cast<void>(late);
      std::vector<Block> blocks;
      for (std::size_t n = 1; n < 2000; n += 7) blocks.push_back(make_block(n, 0x5a, false));
      for (const Block& b : blocks) free_block(b, 0, false);
    });
    t.join();
  }

  // Sizes no allocator can give: bad_alloc, or nullptr from the nothrow forms.
  const std::size_t huge = std::numeric_limits<std::size_t>::max() / 2;
  bool threw = false;
  try {
    void* p = ::operator new(huge);
    ::operator delete(p);
  } catch (const std::bad_alloc&) {
    threw = true;
  }
  if (!threw) fail("operator new of an impossible size did not throw bad_alloc", huge);
  if (::operator new(huge, std::nothrow) != nullptr)
    fail("nothrow operator new of an impossible size did not return nullptr", huge);
  if (::operator new[](huge, std::nothrow) != nullptr)
    fail("nothrow operator new[] of an impossible size did not return nullptr", huge);
  ::operator delete(nullptr);
  ::operator delete (nullptr, std::size_t{8});

  // A block of size 0 is a distinct, freeable block.
  void* a = ::operator new(0);
  void* b = ::operator new(0);
  if (a == nullptr || a == b) fail("operator new(0) must give distinct blocks", 0);
  ::operator delete (a, std::size_t{0});
  ::operator delete(b);

  for (int i = 0; i < 1000; ++i) g_at_exit.held.emplace_back(static_cast<std::size_t>(i % 50), i);

  if (g_failures != 0) {
    std::fprintf(stderr, "allocator test: %d failures\n", g_failures);
    return 1;
  }
  std::puts("allocator test: ok");
  return 0;
}
