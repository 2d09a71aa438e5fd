#pragma once
// Builds the policy model from the located JSON tree. Structural problems (wrong JSON types,
// unknown or misspelled elements, conflicting elements) are reported as GD102; the model keeps
// whatever could be understood so the other rules and the evaluator still run.

#include <optional>
#include <vector>

#include "diag/diagnostic.h"
#include "json/value.h"
#include "policy/model.h"
#include "util/text.h"

namespace gdl::policy {

struct BuildResult {
  std::optional<Policy> policy;  // absent when the document is not a policy-shaped object
  std::vector<Diagnostic> diagnostics;
};

BuildResult build_policy(const json::Value& root, const SourceFile& source);

// The same model, built by moving the tree's strings into it rather than copying them: the tree
// keeps its shape and spans, but the strings the model took are left empty. For a caller that
// drops the tree next (a scan models thousands of documents: the copies were one allocation per
// value).
BuildResult take_policy(json::Value& root, const SourceFile& source);

// A did-you-mean suggestion (util/text.h).
using gdl::closest_match;

}  // namespace gdl::policy
