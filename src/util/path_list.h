#pragma once
// A list of paths held in one buffer: a scan's files are its plan's largest memory, and as
// separate std::strings each 43-byte path cost 96 bytes (its header and a heap chunk) and left
// the heap fragmented behind it. Here a path costs its bytes and one offset.
//
// Views into the list (operator[], iteration) stay valid until the list is next changed or
// moved: a short list's bytes live inside the object (std::string's small buffer), so moving a
// list, or a vector of items holding lists, can move them.

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

namespace gdl {

class PathList {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    iterator() = default;
    iterator(const PathList* list, std::size_t index) : list_(list), index_(index) {}
    std::string_view operator*() const { return (*list_)[index_]; }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const iterator& other) const = default;

   private:
    const PathList* list_ = nullptr;
    std::size_t index_ = 0;
  };

  PathList() = default;
  PathList(std::initializer_list<std::string_view> paths) {
    for (const std::string_view path : paths) push_back(path);
  }

  void push_back(std::string_view path) {
    bytes_.append(path);
    ends_.push_back(bytes_.size());
  }
  // Room for `paths` more paths of `bytes` bytes in all.
  void reserve(std::size_t paths, std::size_t bytes) {
    bytes_.reserve(bytes_.size() + bytes);
    ends_.reserve(ends_.size() + paths);
  }
  // The other list's paths after this one's.
  void append(const PathList& other) {
    const std::size_t base = bytes_.size();
    const std::size_t count = other.ends_.size();  // `other` may be this list
    bytes_ += other.bytes_;
    for (std::size_t i = 0; i < count; ++i) ends_.push_back(base + other.ends_[i]);
  }

  [[nodiscard]] std::size_t size() const { return ends_.size(); }
  [[nodiscard]] bool empty() const { return ends_.empty(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }
  [[nodiscard]] iterator begin() const { return {this, 0}; }
  [[nodiscard]] iterator end() const { return {this, ends_.size()}; }

  // Byte order, as std::sort over std::strings.
  void sort() {
    std::vector<std::size_t> order(size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [this](std::size_t a, std::size_t b) { return (*this)[a] < (*this)[b]; });
    rebuild(order);
  }
  // Drops the paths `remove` is true for, keeping the others' order.
  template <typename Predicate>
  void erase_if(Predicate remove) {
    std::vector<std::size_t> kept;
    kept.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) {
      if (!remove((*this)[i])) kept.push_back(i);
    }
    if (kept.size() != size()) rebuild(kept);
  }
  // Empties the list and gives its memory back.
  void release() {
    std::string().swap(bytes_);
    std::vector<std::size_t>().swap(ends_);
  }

  [[nodiscard]] std::vector<std::string> strings() const {
    return std::vector<std::string>(begin(), end());
  }
  bool operator==(const PathList& other) const = default;

 private:
  // The list made of the paths at `indices`, in that order, sized to fit.
  void rebuild(const std::vector<std::size_t>& indices) {
    PathList result;
    std::size_t total = 0;
    for (const std::size_t i : indices) total += (*this)[i].size();
    result.bytes_.reserve(total);
    result.ends_.reserve(indices.size());
    for (const std::size_t i : indices) result.push_back((*this)[i]);
    *this = std::move(result);
  }

  std::string bytes_;              // the paths, one after another
  std::vector<std::size_t> ends_;  // where each path ends in bytes_
};

}  // namespace gdl
