#pragma once
// The located JSON tree: every value and every object key carries its byte span in the source.
// Unlike a DOM, objects keep every member in source order, duplicates included.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_file.h"

namespace gdl::json {

enum class Kind : std::uint8_t { null, boolean, number, string, array, object };

std::string_view to_string(Kind kind);

struct Member;

struct Value {
  Kind kind = Kind::null;
  bool boolean = false;
  Span span;
  std::string text;             // decoded string value, or the number's source text
  std::vector<Value> items;     // array elements
  std::vector<Member> members;  // object members in source order

  // Defined out of line: Member is incomplete here, and std::vector<Member> may only be
  // instantiated once it is complete (clang insists, C++20's constexpr vector).
  Value();
  Value(Kind k, Span s);
  Value(Value&&) noexcept;
  Value& operator=(Value&&) noexcept;
  Value(const Value&) = delete;  // trees can be huge: copies must be explicit (clone())
  Value& operator=(const Value&) = delete;
  ~Value();

  [[nodiscard]] bool is_string() const { return kind == Kind::string; }
  [[nodiscard]] bool is_array() const { return kind == Kind::array; }
  [[nodiscard]] bool is_object() const { return kind == Kind::object; }
  // The member named `key`; with duplicate keys the last one wins, as in most JSON parsers.
  [[nodiscard]] const Member* find(std::string_view key) const;
};

struct Member {
  std::string key;
  Span key_span;
  Value value;
};

// Inline now that Member is complete: a container's elements are moved whenever it grows.
inline Value::Value(Value&&) noexcept = default;
inline Value& Value::operator=(Value&&) noexcept = default;

// Which members of an object a later member with the same key shadows. CloudFormation keeps
// the last of a repeated key (aws/aws-cli#2404; a YAML template deploys last-wins), and so do
// most JSON readers and Value::find: readers skip the shadowed ones, and GD002 reports the
// repetition. Small objects (all real policy objects) are compared pairwise without allocating.
class LastWins {
 public:
  explicit LastWins(const std::vector<Member>& members);
  [[nodiscard]] bool shadowed(std::size_t i) const {
    return large_.empty() ? ((small_ >> i) & 1U) != 0 : large_[i];
  }

 private:
  std::uint64_t small_ = 0;
  std::vector<bool> large_;
};

// Calls `visit(value)` for `root` and every value under it, depth first, without recursion (the
// tree may come from hostile input). Works on const and mutable trees alike.
template <typename Tree, typename Visit>
void for_each_value(Tree& root, Visit&& visit) {
  std::vector<Tree*> pending{&root};
  while (!pending.empty()) {
    Tree* v = pending.back();
    pending.pop_back();
    visit(*v);
    for (auto& item : v->items) pending.push_back(&item);
    for (auto& m : v->members) pending.push_back(&m.value);
  }
}

// The bytes `root` takes written as compact JSON (what CloudFormation submits for a policy
// written in a template). Iterative: the tree may come from hostile input.
std::size_t compact_size(const Value& root);

}  // namespace gdl::json
