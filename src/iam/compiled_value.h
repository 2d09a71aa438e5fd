#pragma once
// Internal to iam/: policy values compiled once per policy. A value is split into the policy's
// own text (where * and ? are wildcards) and policy variables ("IAM JSON policy elements:
// Variables and tags"), resolved against each request; ARN values are also split into their six
// components, matched separately ("Condition operators", ARN).

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam/request.h"
#include "iam/wildcard.h"

namespace gdl::iam::detail {

// A policy value split into the policy's own text (where * and ? are wildcards) and variables.
struct ValuePiece {
  bool variable = false;
  std::string text;                     // policy text, or the variable's key name
  std::optional<std::string> fallback;  // ${key, 'default'}
};

std::vector<ValuePiece> split_variables(std::string_view text);

// A value from the policy, compiled once. When it holds variables, it is resolved per request.
struct CompiledValue {
  std::string_view text;  // as written: a view into the policy, which outlives its evaluator
  bool has_variables = false;
  std::vector<ValuePiece> pieces;  // when has_variables
  Pattern pattern;                 // when !has_variables
  Pattern arn_parts[6];            // ARN operators: one pattern per ARN component
  bool arn_split = false;
};

// Resolves variables against the request. nullopt: a variable has no value and no default, so
// the value "matches nothing" ("Policy variables with no value").
std::optional<Pattern> resolve_pattern(const CompiledValue& v, const Request& request,
                                       bool fold_case, bool glob);

// Matches `text` against a glob value; only a value with policy variables builds a new pattern.
bool pattern_matches(const CompiledValue& v, std::string_view text, const Request& request,
                     bool fold_case);

std::optional<std::string> resolve_text(const CompiledValue& v, const Request& request);

CompiledValue compile_value(std::string_view text, bool variables, bool fold_case, bool glob);

// Splits a resolved ARN value into its six components, keeping which characters came from the
// policy text (wildcards) and which from variables (literal: ${*} is a literal '*').
std::optional<std::array<Pattern, 6>> resolve_arn_parts(const CompiledValue& v,
                                                        const Request& request);

// ArnEquals/ArnLike: "Each of the six colon-delimited components of the ARN is checked separately"
// (Condition operators, ARN). A value with fewer than six components matches nothing, except "*".
bool arn_matches(const CompiledValue& v, std::string_view request_value, const Request& request);

}  // namespace gdl::iam::detail
