#pragma once
// A request as the evaluator sees it: who asks, for what action, on which resource, with which
// request context. Nothing is implied: a context key that is not listed is absent.

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdl::iam {

struct RequestPrincipal {
  enum class Kind { anonymous, aws, service };
  Kind kind = Kind::anonymous;
  std::string value;  // an ARN or 12-digit account id (aws), a service name (service)
};

struct ContextValue {
  std::vector<std::string> values;
  bool multivalued = false;  // given as an array
};

// The request context, keyed by the lower-cased key name. Requests carry a handful of keys, and
// thousands of requests are built per scan: a vector sorted by key costs one allocation where a
// node-based map cost one per key. Iterates in key order, as std::map did.
class ContextMap {
 public:
  using value_type = std::pair<std::string, ContextValue>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  [[nodiscard]] iterator begin() { return entries_.begin(); }
  [[nodiscard]] iterator end() { return entries_.end(); }
  [[nodiscard]] const_iterator begin() const { return entries_.begin(); }
  [[nodiscard]] const_iterator end() const { return entries_.end(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  void reserve(std::size_t n) { entries_.reserve(n); }

  [[nodiscard]] const_iterator find(std::string_view key) const {
    const auto it = lower_bound(key);
    return it != entries_.end() && it->first == key ? it : entries_.end();
  }
  // Inserts the key, or replaces its value. A key after every other (keys inserted in order)
  // goes at the end without a search.
  void insert_or_assign(std::string key, ContextValue value) {
    if (entries_.empty() || entries_.back().first < key) {
      entries_.emplace_back(std::move(key), std::move(value));
      return;
    }
    const auto it = lower_bound(key);
    if (it != entries_.end() && it->first == key) {
      it->second = std::move(value);
    } else {
      entries_.emplace(it, std::move(key), std::move(value));
    }
  }
  // Inserts the key unless it is present (std::map::emplace).
  void emplace(std::string key, ContextValue value) {
    const auto it = lower_bound(key);
    if (it == entries_.end() || it->first != key)
      entries_.emplace(it, std::move(key), std::move(value));
  }
  // The key's value, inserted empty if absent (std::map::operator[]).
  ContextValue& operator[](std::string_view key) {
    auto it = lower_bound(key);
    if (it == entries_.end() || it->first != key)
      it = entries_.emplace(it, std::string(key), ContextValue{});
    return it->second;
  }
  std::size_t erase(std::string_view key) {
    const auto it = lower_bound(key);
    if (it == entries_.end() || it->first != key) return 0;
    entries_.erase(it);
    return 1;
  }

 private:
  [[nodiscard]] const_iterator lower_bound(std::string_view key) const {
    return std::lower_bound(entries_.begin(), entries_.end(), key,
                            [](const value_type& e, std::string_view k) { return e.first < k; });
  }
  [[nodiscard]] iterator lower_bound(std::string_view key) {
    return std::lower_bound(entries_.begin(), entries_.end(), key,
                            [](const value_type& e, std::string_view k) { return e.first < k; });
  }

  std::vector<value_type> entries_;
};

struct Request {
  RequestPrincipal principal;
  std::string action;
  std::string resource;
  // Keyed by the lower-cased key name: condition key names are case-insensitive.
  ContextMap context;

  void set(std::string_view key, std::string value);
  void set(std::string_view key, std::vector<std::string> values);
  [[nodiscard]] const ContextValue* find(std::string_view key) const;
  // find() of a key already lower-cased (a compiled condition's).
  [[nodiscard]] const ContextValue* find_lowered(std::string_view lowered_key) const {
    const auto it = context.find(lowered_key);
    return it == context.end() ? nullptr : &it->second;
  }
};

}  // namespace gdl::iam
