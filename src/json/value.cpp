#include "json/value.h"

#include <unordered_map>
#include <utility>
#include <vector>

namespace gdl::json {

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "boolean";
    case Kind::number:
      return "number";
    case Kind::string:
      return "string";
    case Kind::array:
      return "array";
    case Kind::object:
      return "object";
  }
  return "value";
}

Value::Value() = default;
Value::Value(Kind k, Span s) : kind(k), span(s) {}

namespace {

bool has_children(const Value& v) {
  return !v.items.empty() || !v.members.empty();
}

// Empties `root`'s subtree with a work list, never recursing: only children that have children
// of their own are moved out; leaves are destroyed in place by clear(), which cannot recurse.
void empty_with_work_list(Value& root) {
  std::vector<Value> pending;
  auto take_children = [&pending](Value& v) {
    for (auto& item : v.items) {
      if (has_children(item)) pending.push_back(std::move(item));
    }
    for (auto& member : v.members) {
      if (has_children(member.value)) pending.push_back(std::move(member.value));
    }
    v.items.clear();
    v.members.clear();
  };
  take_children(root);
  while (!pending.empty()) {
    Value last = std::move(pending.back());
    pending.pop_back();
    take_children(last);
  }
}

// A policy is a handful of levels deep: recursion this deep costs no work list (an allocation and
// a move of every inner value, 3% of a scan's instructions when it was the only way).
constexpr int kRecursionLimit = 32;

// Empties `v`'s subtree children first, so that no destructor under it has anything to recurse
// into; below kRecursionLimit levels, with the work list.
void empty_subtree(Value& v, int depth) {
  if (depth >= kRecursionLimit) {
    empty_with_work_list(v);
    return;
  }
  for (Value& item : v.items) {
    if (has_children(item)) empty_subtree(item, depth + 1);
  }
  for (Member& member : v.members) {
    if (has_children(member.value)) empty_subtree(member.value, depth + 1);
  }
  v.items.clear();
  v.members.clear();
}

}  // namespace

// Never recurses deeper than kRecursionLimit: the default recursive destructor would overflow
// the stack on hostile input nested 100,000 levels deep.
Value::~Value() {
  if (has_children(*this)) empty_subtree(*this, 0);
}

LastWins::LastWins(const std::vector<Member>& members) {
  const std::size_t n = members.size();
  if (n <= 64) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        if (members[i].key == members[j].key) {
          small_ |= std::uint64_t{1} << i;
          break;
        }
      }
    }
    return;
  }
  std::unordered_map<std::string_view, std::size_t> last;
  last.reserve(n);
  for (std::size_t i = 0; i < n; ++i) last[members[i].key] = i;
  large_.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) large_[i] = last[members[i].key] != i;
}

const Member* Value::find(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    if (it->key == key) return &*it;
  }
  return nullptr;
}

std::size_t compact_size(const Value& root) {
  auto string_size = [](std::string_view text) {
    std::size_t n = 2;
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      n += (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r') ? 2 : u < 0x20 ? 6 : 1;
    }
    return n;
  };
  std::size_t size = 0;
  std::vector<const Value*> pending{&root};
  while (!pending.empty()) {
    const Value* v = pending.back();
    pending.pop_back();
    switch (v->kind) {
      case Kind::null:
        size += 4;
        break;
      case Kind::boolean:
        size += v->boolean ? 4 : 5;
        break;
      case Kind::number:
        size += v->text.size();
        break;
      case Kind::string:
        size += string_size(v->text);
        break;
      case Kind::array:
        size += 2 + (v->items.empty() ? 0 : v->items.size() - 1);
        for (const Value& item : v->items) pending.push_back(&item);
        break;
      case Kind::object:
        size += 2 + (v->members.empty() ? 0 : v->members.size() - 1);
        for (const Member& m : v->members) {
          size += string_size(m.key) + 1;
          pending.push_back(&m.value);
        }
        break;
    }
  }
  return size;
}

}  // namespace gdl::json
