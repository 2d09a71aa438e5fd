#pragma once
// Scenario rules: data-driven setup rules. A scenario file (rules/scenarios/*.json built in, or
// any *.json in `--rules DIR`) holds the rule's metadata plus
//   "scenario": {"document": "bucket" | "key",
//                "requests": [{"principal": "*" | {"AWS": "..."} | {"Service": "..."},
//                              "action": "...", "resource": "...", "context": {"key": "value"}}],
//                "expect": "Allow" | "ExplicitDeny" | "ImplicitDeny" | "not Allow" | ...,
//                "message": "..."}
// Strings may use ${partition} ${account} ${otherAccount} ${region} ${bucket} ${prefixPath}
// ${keyArn} ${principal} ${detectorArn}; the message also ${statement} ${caller} ${action}
// ${resource}. A request whose decision does not meet "expect" is a finding.

#include <memory>
#include <vector>

#include "checks/setup_rule.h"
#include "diag/rule_catalog.h"

namespace gdl {

// Reads one scenario file; problems are GD004 diagnostics with positions. On success returns
// the rule and fills `info` with its metadata (not yet registered in the catalog).
std::unique_ptr<SetupRule> read_scenario_rule(const SourceFile& source, RuleInfo& info,
                                              std::vector<Diagnostic>& errors);

// The built-in scenario rules (rules/scenarios/*.json, compiled in).
std::vector<std::unique_ptr<SetupRule>> builtin_scenario_rules();

}  // namespace gdl
