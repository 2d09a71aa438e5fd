#pragma once
// The run of `verify`: the same inputs, settings and setups as `check`; for each setup's bucket
// and key policy, who else can reach the findings (export/access.h) and which statements never
// apply, and with a policy from before a change, what the change newly grants.

#include <map>
#include <string>
#include <vector>

#include "analysis/check.h"
#include "export/access.h"

namespace gdl::analysis {

struct VerifiedDocument {
  std::string name;  // "bucket.json" or "stack.yaml (FindingsBucket PolicyDocument)"
  documents::Kind kind = documents::Kind::unknown;
  policy::Policy policy;  // a copy: the setup's documents are gone when the run ends
  exportcfg::ExportSettings settings;
  // "Statement[2] 'Sid' at line 12", by Statement index.
  std::map<std::size_t, std::string> statement_labels;
  std::vector<exportcfg::AccessAnswer> access;
  exportcfg::StatementAnswer statements;
};

struct VerifyRun {
  std::vector<VerifiedDocument> documents;  // sorted by name
  Report check_report;                      // what check found on the way (input errors)
};

// A witness in `simulate --request` JSON.
std::string request_json(const iam::Request& request);

// Runs the setups of `request` (its sink is ignored) and verifies every bucket and key policy.
VerifyRun verify(CheckRequest request);

}  // namespace gdl::analysis
