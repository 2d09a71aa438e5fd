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
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gdl {

// A forward iterator over a list that gives its paths by position (PathList, PathSelection).
template <typename List>
class PathIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = std::string_view;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = std::string_view;

  PathIterator() = default;
  PathIterator(const List* list, std::size_t index) : list_(list), index_(index) {}
  std::string_view operator*() const { return (*list_)[index_]; }
  PathIterator& operator++() {
    ++index_;
    return *this;
  }
  PathIterator operator++(int) {
    PathIterator before = *this;
    ++index_;
    return before;
  }
  bool operator==(const PathIterator& other) const = default;

 private:
  const List* list_ = nullptr;
  std::size_t index_ = 0;
};

class PathList {
 public:
  using iterator = PathIterator<PathList>;

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

// Some paths of a shared list (a scan's files, held once however many work items take them)
// and a few of its own (files named on the command line), in an order of its own. Planning a
// scan used to copy every scanned path into its directory's item: the copies and the scan's
// list were both held at its peak. A path costs 4 bytes here beside the shared list's.
//
// Views (operator[], iteration) into the shared list stay valid while any selection of it
// lives; views into its own paths, while it lives and is not changed.
class PathSelection {
 public:
  using iterator = PathIterator<PathSelection>;

  PathSelection() = default;
  // Positions in the shared list are 31 bits: a list of 2^31 paths or more is refused (it would
  // not fit in memory beside the rest of a scan anyway).
  explicit PathSelection(std::shared_ptr<const PathList> shared) : shared_(std::move(shared)) {
    if (shared_->size() >= kOwn) throw std::length_error("too many files");
  }
  PathSelection(std::initializer_list<std::string_view> paths) {
    for (const std::string_view path : paths) push_back(path);
  }
  PathSelection(const PathSelection& other)
      : shared_(other.shared_),
        own_(other.own_ ? std::make_unique<PathList>(*other.own_) : nullptr),
        refs_(other.refs_) {}
  PathSelection& operator=(const PathSelection& other) {
    if (this != &other) *this = PathSelection(other);
    return *this;
  }
  PathSelection(PathSelection&&) noexcept = default;
  PathSelection& operator=(PathSelection&&) noexcept = default;
  ~PathSelection() = default;

  // A path of its own, after the others.
  void push_back(std::string_view path) {
    if (!own_) own_ = std::make_unique<PathList>();
    refs_.push_back(kOwn | static_cast<std::uint32_t>(own_->size()));
    own_->push_back(path);
  }
  // The shared list's path at `index`, after the others.
  void push_shared(std::size_t index) { refs_.push_back(static_cast<std::uint32_t>(index)); }
  void reserve(std::size_t paths) { refs_.reserve(refs_.size() + paths); }

  [[nodiscard]] std::size_t size() const { return refs_.size(); }
  [[nodiscard]] bool empty() const { return refs_.empty(); }
  std::string_view operator[](std::size_t i) const { return path(refs_[i]); }
  [[nodiscard]] iterator begin() const { return {this, 0}; }
  [[nodiscard]] iterator end() const { return {this, refs_.size()}; }

  // Byte order, as std::sort over std::strings; sized to fit (held for a whole run).
  void sort() {
    std::sort(refs_.begin(), refs_.end(),
              [this](std::uint32_t a, std::uint32_t b) { return path(a) < path(b); });
    refs_.shrink_to_fit();
  }
  // Drops the paths `remove` is true for, keeping the others' order. Its own paths' bytes are
  // kept (they are few).
  template <typename Predicate>
  void erase_if(Predicate remove) {
    std::erase_if(refs_, [&](std::uint32_t ref) { return remove(path(ref)); });
  }

  [[nodiscard]] std::vector<std::string> strings() const {
    return std::vector<std::string>(begin(), end());
  }
  // The same paths in the same order, wherever each is held.
  bool operator==(const PathSelection& other) const {
    return std::equal(begin(), end(), other.begin(), other.end());
  }
  bool operator==(const PathList& other) const {
    return std::equal(begin(), end(), other.begin(), other.end());
  }

 private:
  static constexpr std::uint32_t kOwn = std::uint32_t{1} << 31;
  [[nodiscard]] std::string_view path(std::uint32_t ref) const {
    return (ref & kOwn) != 0 ? (*own_)[ref & ~kOwn] : (*shared_)[ref];
  }

  // A scan makes a work item per directory: a selection is kept small (48 bytes), its own
  // list made only for the first path of its own.
  std::shared_ptr<const PathList> shared_;
  std::unique_ptr<PathList> own_;
  std::vector<std::uint32_t> refs_;  // a position in the shared list, or kOwn | one in *own_
};

}  // namespace gdl
