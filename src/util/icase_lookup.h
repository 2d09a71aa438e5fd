#pragma once
// Case-insensitive lookup in a sorted vector: the IAM data tables are views into the compiled-in
// text, shipped in order and searched by binary search instead of hashed as lower-cased copies.

#include <algorithm>
#include <string_view>
#include <vector>

#include "util/text.h"

namespace gdl {

// Whether `items` are in case-insensitive order of `name(item)` (names that differ only in case
// may follow each other in any order: the first one written is the one found).
template <typename T, typename Name>
bool is_sorted_by_name(const std::vector<T>& items, Name name) {
  return std::is_sorted(items.begin(), items.end(),
                        [&](const T& a, const T& b) { return iless(name(a), name(b)); });
}

// The first of the `items` (in the order is_sorted_by_name checks) whose name equals `wanted`
// case-insensitively, or nullptr.
template <typename T, typename Name>
const T* find_by_name(const std::vector<T>& items, std::string_view wanted, Name name) {
  const auto it =
      std::lower_bound(items.begin(), items.end(), wanted,
                       [&](const T& item, std::string_view w) { return iless(name(item), w); });
  return it != items.end() && iequals(name(*it), wanted) ? &*it : nullptr;
}

}  // namespace gdl
