#pragma once
// The typed IAM policy model. Every element keeps its source span so any later diagnostic can
// point at the exact statement, element or value.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_file.h"

namespace gdl::policy {

// The text a container gives a value known only when it is deployed (a Terraform data source, a
// variable without a value): no request ever carries it.
inline constexpr std::string_view kUnknownValue = "tf-unknown";

// A value that is not the policy's own text: a container's unknown, or a "${...}" template left
// unresolved (Principal and Action take no policy variables).
inline bool is_unresolved(std::string_view text) {
  return text == kUnknownValue || text.find("${") != std::string_view::npos;
}

// One string as written in the policy (numbers and booleans in condition values are kept as
// their text: `false` is "false", `1.2` is "1.2").
struct Text {
  std::string value;
  Span span;
};

// An element that accepts a string or an array of strings (Action, Resource, principal lists).
struct TextList {
  bool present = false;
  Span span;  // the whole element value
  Span key_span;
  std::vector<Text> items;
};

enum class Effect { allow, deny, invalid };

struct PrincipalEntry {
  std::string type;  // "AWS", "Service", "Federated", "CanonicalUser" (as written)
  Span type_span;
  Text value;
};

struct PrincipalElement {
  bool present = false;
  bool everyone = false;  // "Principal": "*"
  Span span;
  Span key_span;
  std::vector<PrincipalEntry> entries;
};

struct ConditionClause {
  Text op;   // "StringEquals", "ForAnyValue:StringLike", "ArnLikeIfExists", ...
  Text key;  // "aws:SourceAccount"
  Span values_span;
  std::vector<Text> values;
};

struct Statement {
  std::size_t index = 0;  // position in the Statement array, 0-based
  Span span;
  std::optional<Text> sid;
  std::optional<Text> effect_text;
  Effect effect = Effect::invalid;
  PrincipalElement principal;
  bool principal_negated = false;  // NotPrincipal
  TextList action;
  bool action_negated = false;  // NotAction
  TextList resource;
  bool resource_negated = false;  // NotResource
  bool has_condition = false;
  Span condition_span;
  std::vector<ConditionClause> conditions;

  // "Statement[2] 'AllowPutObject'" style label for messages.
  [[nodiscard]] std::string label() const;

  // Whether the Condition block has the operator `op` at another key than the one at `except`:
  // renaming that key into `op` would make a duplicate key.
  [[nodiscard]] bool has_other_operator(std::string_view op, Span except) const {
    for (const ConditionClause& c : conditions) {
      if (c.op.value == op && !(c.op.span == except)) return true;
    }
    return false;
  }
};

struct Policy {
  Span span;
  std::optional<Text> version;
  bool version_misspelt = false;    // a top-level key is a misspelling of "Version" (GD102 says so)
  bool version_not_string = false;  // "Version" holds a number, list... (GD102 says so)
  bool bare_statement = false;      // a statement without its policy (GD102 says so, and its fix)
  std::optional<Text> id;
  bool statement_present = false;
  Span statement_span;
  std::vector<Statement> statements;

  // Policy variables are substituted only under Version 2012-10-17 ("IAM JSON policy elements:
  // Version"; without it, "${...}" is literal text).
  [[nodiscard]] bool variables_enabled() const { return version && version->value == "2012-10-17"; }
};

}  // namespace gdl::policy
