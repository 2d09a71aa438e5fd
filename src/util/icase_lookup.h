#pragma once
// Case-insensitive lookup in a sorted vector: the IAM data tables are views into the compiled-in
// text, sorted once and searched by binary search instead of hashed as lower-cased copies.

#include <algorithm>
#include <string_view>
#include <vector>

#include "util/text.h"

namespace gdl {

// Sorts `items` by `name(item)`, case-insensitively, keeping the original order among names that
// differ only in case (the first one written is the one found). Input that is sorted already is
// left as it is after one comparison per item (the shipped data files are).
template <typename T, typename Name>
void sort_by_name(std::vector<T>& items, Name name) {
  const auto less = [&](const T& a, const T& b) { return iless(name(a), name(b)); };
  if (!std::is_sorted(items.begin(), items.end(), less))
    std::stable_sort(items.begin(), items.end(), less);
}

// The first of the `items` sorted by sort_by_name whose name equals `wanted` case-insensitively,
// or nullptr.
template <typename T, typename Name>
const T* find_by_name(const std::vector<T>& items, std::string_view wanted, Name name) {
  const auto it =
      std::lower_bound(items.begin(), items.end(), wanted,
                       [&](const T& item, std::string_view w) { return iless(name(item), w); });
  return it != items.end() && iequals(name(*it), wanted) ? &*it : nullptr;
}

}  // namespace gdl
