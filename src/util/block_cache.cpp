#include "util/block_cache.h"

#include <cstdlib>

namespace gdl::util {

void BlockCache::release() noexcept {
  for (Node*& head : heads_) {
    while (head != nullptr) {
      Node* next = head->next;
      std::free(head);
      head = next;
    }
  }
  bytes_ = {};
}

}  // namespace gdl::util
