#pragma once
// Which of many ranges of a file may meet a given range. Findings used to be compared with every
// placement and every statement of their setup: quadratic on a template with thousands of
// policies. The ranges are sorted by their low end, beside the highest high end so far, so a
// query walks back only over the ranges that can still reach it.

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gdl {

class IntervalIndex {
 public:
  // Adds the closed range [low, high] (low <= high) under `id`.
  void add(std::size_t low, std::size_t high, std::size_t id) {
    entries_.push_back({low, high, id});
  }

  // Call once, after the last add() and before the first query.
  void build() {
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry& a, const Entry& b) { return a.low < b.low; });
    highest_so_far_.clear();
    highest_so_far_.reserve(entries_.size());
    std::size_t highest = 0;
    for (const Entry& e : entries_) highest_so_far_.push_back(highest = std::max(highest, e.high));
  }

  // The ids of the ranges that meet [from, to] (low <= to and high >= from), in increasing id
  // order, into `ids` (a buffer the caller reuses across queries).
  void meeting(std::size_t from, std::size_t to, std::vector<std::size_t>& ids) const {
    ids.clear();
    auto k = static_cast<std::size_t>(
        std::upper_bound(entries_.begin(), entries_.end(), to,
                         [](std::size_t value, const Entry& e) { return value < e.low; }) -
        entries_.begin());
    while (k > 0 && highest_so_far_[k - 1] >= from) {
      --k;
      if (entries_[k].high >= from) ids.push_back(entries_[k].id);
    }
    std::sort(ids.begin(), ids.end());
  }

 private:
  struct Entry {
    std::size_t low;
    std::size_t high;
    std::size_t id;
  };
  std::vector<Entry> entries_;
  std::vector<std::size_t> highest_so_far_;  // the largest `high` of entries_[0..k]
};

// The same per file: ranges of different files never meet. The names are views: the caller
// keeps them alive as long as the index.
class FileIntervalIndex {
 public:
  void add(std::string_view file, std::size_t low, std::size_t high, std::size_t id) {
    by_file_[file].add(low, high, id);
  }

  void build() {
    for (auto& [file, index] : by_file_) index.build();
  }

  void meeting(std::string_view file, std::size_t from, std::size_t to,
               std::vector<std::size_t>& ids) const {
    ids.clear();
    if (const auto it = by_file_.find(file); it != by_file_.end())
      it->second.meeting(from, to, ids);
  }

 private:
  std::unordered_map<std::string_view, IntervalIndex> by_file_;
};

}  // namespace gdl
