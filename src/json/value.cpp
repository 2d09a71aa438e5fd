#include "json/value.h"

#include <utility>

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
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(Value&&) noexcept = default;

// Destroys the tree iteratively: the default recursive destructor would overflow the stack on
// hostile input nested 100,000 levels deep.
Value::~Value() {
  if (items.empty() && members.empty()) return;
  std::vector<Value> pending;
  auto take_children = [&pending](Value& v) {
    for (auto& item : v.items) pending.push_back(std::move(item));
    for (auto& member : v.members) pending.push_back(std::move(member.value));
    v.items.clear();
    v.members.clear();
  };
  take_children(*this);
  while (!pending.empty()) {
    Value last = std::move(pending.back());
    pending.pop_back();
    take_children(last);
  }
}

const Member* Value::find(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    if (it->key == key) return &*it;
  }
  return nullptr;
}

}  // namespace gdl::json
