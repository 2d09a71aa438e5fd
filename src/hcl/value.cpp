#include "hcl/value.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gdl::hcl {

const Value* Value::member(std::string_view key) const {
  for (const ValueMember& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

bool Value::wholly_known() const {
  if (kind == ValueKind::unknown || !unknown_ranges.empty()) return false;
  for (const Value& item : items) {
    if (!item.wholly_known()) return false;
  }
  for (const ValueMember& m : members) {
    if (!m.value.wholly_known()) return false;
  }
  return true;
}

bool count_within(const Value& v, std::size_t& budget) {
  if (budget == 0) return false;
  --budget;
  for (const Value& item : v.items) {
    if (!count_within(item, budget)) return false;
  }
  for (const ValueMember& m : v.members) {
    if (!count_within(m.value, budget)) return false;
  }
  return true;
}

bool holds_more_than(const Value& v, std::size_t limit) {
  std::size_t budget = limit;
  return !count_within(v, budget);
}

Value unknown_value(std::string why, const SourceFile* file, Span span) {
  Value v;
  v.why = std::move(why);
  v.file = file;
  v.span = span;
  return v;
}

Value string_value(std::string text, const SourceFile* file, Span span, bool verbatim) {
  Value v;
  v.kind = ValueKind::string;
  v.file = file;
  v.span = span;
  v.map.add(0, span.begin, verbatim && text.size() == span.size());
  v.text = std::move(text);
  return v;
}

Value number_value(double number, const SourceFile* file, Span span) {
  Value v;
  v.kind = ValueKind::number;
  v.number = number;
  v.text = number_text(number);
  v.file = file;
  v.span = span;
  return v;
}

Value bool_value(bool value, const SourceFile* file, Span span) {
  Value v;
  v.kind = ValueKind::boolean;
  v.boolean = value;
  v.text = value ? "true" : "false";
  v.file = file;
  v.span = span;
  return v;
}

Value null_value(const SourceFile* file, Span span) {
  Value v;
  v.kind = ValueKind::null;
  v.file = file;
  v.span = span;
  return v;
}

std::string number_text(double number) {
  if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15)
    return fmt::format("{}", static_cast<long long>(number));
  return fmt::format("{}", number);
}

std::optional<std::string> as_string(const Value& v) {
  // A string holding unknown values has no known text (its known parts are kept only for a
  // template around it).
  if (!v.unknown_ranges.empty()) return std::nullopt;
  switch (v.kind) {
    case ValueKind::string:
    case ValueKind::number:
    case ValueKind::boolean:
      return v.text;
    default:
      return std::nullopt;
  }
}

bool equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::unknown:
      return false;
    case ValueKind::null:
      return true;
    case ValueKind::string:
    case ValueKind::boolean:
      return a.text == b.text;
    case ValueKind::number:
      return a.number == b.number;
    case ValueKind::tuple:
      return a.items.size() == b.items.size() &&
             std::equal(a.items.begin(), a.items.end(), b.items.begin(), equal);
    case ValueKind::object:
      if (a.members.size() != b.members.size()) return false;
      for (const ValueMember& m : a.members) {
        const Value* other = b.member(m.key);
        if (other == nullptr || !equal(m.value, *other)) return false;
      }
      return true;
  }
  return false;
}

namespace {

// Whether Terraform's JSON encoding writes `c` as an escape.
bool needs_escape(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&';
}

void json_string(std::string_view text, std::string& out) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // Most of a policy's text needs no escape: appended a run at a time.
    std::size_t run = i;
    while (run < text.size() && !needs_escape(text[run])) ++run;
    out.append(text.substr(i, run - i));
    if (run == text.size()) break;
    const char c = text[run];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        // Terraform escapes <, > and & as \u003c, \u003e, \u0026 (Go's encoding/json).
        out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    }
    i = run + 1;
  }
  out += '"';
}

void write_json(const Value& v, std::string& out) {
  switch (v.kind) {
    case ValueKind::unknown:
    case ValueKind::null:
      out += "null";
      return;
    case ValueKind::string:
      json_string(v.text, out);
      return;
    case ValueKind::number:
    case ValueKind::boolean:
      out += v.text;
      return;
    case ValueKind::tuple:
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ',';
        write_json(v.items[i], out);
      }
      out += ']';
      return;
    case ValueKind::object: {
      std::vector<const ValueMember*> sorted;
      for (const auto& m : v.members) sorted.push_back(&m);
      std::sort(sorted.begin(), sorted.end(),
                [](const auto* a, const auto* b) { return a->key < b->key; });
      out += '{';
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0) out += ',';
        json_string(sorted[i]->key, out);
        out += ':';
        write_json(sorted[i]->value, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string to_json(const Value& v) {
  std::string out;
  write_json(v, out);
  return out;
}

}  // namespace gdl::hcl
