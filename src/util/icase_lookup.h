#pragma once
// Case-insensitive lookup in a table of names: the IAM data tables are views into the compiled-in
// text, never lower-cased copies. A binary search with a case-insensitive comparison cost about
// 1,000 instructions per look-up (eight comparisons of names sharing long prefixes), and every
// action of every statement is looked up; a sorted array of the names' case-folded hashes costs
// one hash of the wanted name, integer comparisons and, mostly, one comparison of names.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "util/text.h"

namespace gdl {

// FNV-1a over the ASCII-lower-cased bytes: names that iequals() calls equal hash alike.
inline std::uint64_t icase_hash(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    hash = (hash ^ byte) * 1099511628211ULL;
  }
  return hash;
}

class IcaseIndex {
 public:
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

  IcaseIndex() = default;
  // `name(items[i])` is the name of item i, a view that must outlive the index unchanged (the
  // index holds it, so a look-up needs nothing else).
  template <typename T, typename Name>
  IcaseIndex(const std::vector<T>& items, Name name) {
    entries_.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string_view written = name(items[i]);
      entries_.push_back({icase_hash(written), i, written});
    }
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      return std::pair{a.hash, a.at} < std::pair{b.hash, b.at};  // by hash, then by position
    });
  }

  // The position of the first item (in the table's order) whose name equals `wanted`
  // case-insensitively, or npos.
  [[nodiscard]] std::size_t find(std::string_view wanted) const {
    const std::uint64_t hash = icase_hash(wanted);
    auto it = std::lower_bound(entries_.begin(), entries_.end(), hash,
                               [](const Entry& e, std::uint64_t h) { return e.hash < h; });
    for (; it != entries_.end() && it->hash == hash; ++it) {
      if (iequals(it->name, wanted)) return it->at;
    }
    return npos;
  }

 private:
  struct Entry {
    std::uint64_t hash;
    std::size_t at;
    std::string_view name;
  };
  std::vector<Entry> entries_;
};

}  // namespace gdl
