#pragma once
// Builds the policy model from the located JSON tree. Structural problems (wrong JSON types,
// unknown or misspelled elements, conflicting elements) are reported as GD102; the model keeps
// whatever could be understood so the other rules and the evaluator still run.

#include <optional>
#include <vector>

#include "json/value.h"
#include "policy/model.h"
#include "diag/diagnostic.h"

namespace gdl::policy {

struct BuildResult {
  std::optional<Policy> policy;  // absent when the document is not a policy-shaped object
  std::vector<Diagnostic> diagnostics;
};

BuildResult build_policy(const json::Value& root, const SourceFile& source);

// The closest candidate to `word` (case-insensitive edit distance at most 2), or empty.
std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates);

}  // namespace gdl::policy
