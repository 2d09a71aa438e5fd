#pragma once
// `simulate`: would AWS allow this exact request under this one policy? The evaluator's answer
// as one JSON object (decision, deciding statements, every statement's trace).

#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"
#include "source/source_file.h"

namespace gdl::analysis {

struct SimulateOutcome {
  std::string result;                     // the JSON result (or {"error": ...})
  bool evaluated = false;                 // the request was evaluated (not an error result)
  std::vector<Diagnostic> policy_errors;  // the policy file is not valid JSON
  std::string request_error;              // the request is not valid JSON
};

// Evaluates `request_json` under the policy in `policy`.
SimulateOutcome simulate(const SourceFile& policy, std::string_view request_json);

// One line of `simulate --batch`: {"policy": {...}, "request": {...}} to a result line.
std::string simulate_batch_line(std::string_view line);

}  // namespace gdl::analysis
