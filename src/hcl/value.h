#pragma once
// What an HCL expression is worth offline: a known value (string, number, bool, null, tuple,
// object), or unknown (a value only Terraform knows when it runs). Every value remembers where
// it was written (file and span), so a policy built from it reports findings in the user's file;
// a string also maps each of its bytes back to that file.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "source/source_file.h"

namespace gdl::hcl {

enum class ValueKind { unknown, null, string, number, boolean, tuple, object };

struct ValueMember;
class Scope;

// A whole resource, data source or module instance (`aws_s3_bucket.b`, an item of
// `aws_s3_bucket.b[*]` or of `[for b in aws_s3_bucket.b : b]`): the reference that names it.
// Its attributes are read through the scope when a step is applied to it.
struct InstanceRef {
  std::string root;
  std::vector<std::string> steps;
  // The reference as Terraform writes it, without the root: `aws_iam_policy_document.b[0]` by
  // count, `.b["0"]` by for_each (the steps alone cannot tell a key "0" from an index).
  std::string written;
  // The module it is in: a module's output or a module call's argument may carry it into
  // another, where the same name is another block.
  Scope* scope = nullptr;
};

struct Value {
  ValueKind kind = ValueKind::unknown;
  std::string text;  // string: the text; number: its shortest decimal form; bool: true/false
  double number = 0;
  bool boolean = false;
  std::vector<Value> items;          // tuple (lists and sets too)
  std::vector<ValueMember> members;  // object (maps too), keys unique
  const SourceFile* file = nullptr;  // where it was written
  Span span;
  // string: where each byte of `text` is in `file` (a byte an escape or another value produced
  // maps to the start of what produced it).
  OffsetMap map;
  // string: byte ranges of `text` that stand for unknown values (a template interpolating an
  // unknown value keeps its known text, so a policy around the value is still read).
  std::vector<std::pair<std::size_t, std::size_t>> unknown_ranges;
  // A string that is the JSON encoding of a value (jsonencode, a policy document's .json): the
  // value itself, with its own positions.
  std::shared_ptr<const Value> encodes;
  // unknown: why, for --verbose ("var.bucket has no default").
  std::string why;
  // unknown: the instance it is, when it is one. Only an attribute access or an index reads
  // through it; everything else (a template, jsonencode, a comparison) sees an unknown value.
  std::shared_ptr<const InstanceRef> instance;

  [[nodiscard]] bool known() const { return kind != ValueKind::unknown; }
  [[nodiscard]] bool is_string() const { return kind == ValueKind::string; }
  [[nodiscard]] const Value* member(std::string_view key) const;
  // Known all the way down (no unknown member, item or range).
  [[nodiscard]] bool wholly_known() const;
};

// An object's member. (Not std::pair: a pair of an incomplete Value inside Value is undefined,
// and libc++/clang rejects it.)
struct ValueMember {
  std::string key;
  Value value;
  Span key_span;  // where the key is written (an object literal's key), or empty
  ValueMember(std::string k, Value v, Span at = {})
      : key(std::move(k)), value(std::move(v)), key_span(at) {}
};

Value unknown_value(std::string why, const SourceFile* file, Span span);
Value string_value(std::string text, const SourceFile* file, Span span, bool verbatim = false);
Value number_value(double number, const SourceFile* file, Span span);
Value bool_value(bool value, const SourceFile* file, Span span);
Value null_value(const SourceFile* file, Span span);

// Whether `v` holds more than `limit` values (itself, its items and members, all the way down);
// it stops counting past the limit.
bool holds_more_than(const Value& v, std::size_t limit);
// Counts `v`'s values down from `budget`; false once the budget has run out.
bool count_within(const Value& v, std::size_t& budget);

// Terraform's text for a number: integers without a fraction, others in shortest form.
std::string number_text(double number);

// The value as a string where Terraform converts it (numbers, bools); nullopt otherwise.
std::optional<std::string> as_string(const Value& v);

// Equality as HCL defines it: same type and same value (positions do not count).
bool equal(const Value& a, const Value& b);

// JSON text of a known value (jsonencode), keys in lexicographic order as Terraform writes them.
std::string to_json(const Value& v);

}  // namespace gdl::hcl
