#pragma once
// The rule registry. Each rule's metadata (rules/<ID>-<name>.json) says how it is implemented:
// "policy" and "setup" rules are made by make_<name>_rule() in src/rules/<name>.cpp, listed in a
// table cmake/gen_registry.cmake writes from the metadata; "reader" rules are reported by the
// parser, the container readers or the settings reader. The id is written once, in the metadata,
// and given to the rule here. Adding a rule: scripts/new-rule.

#include <memory>
#include <span>
#include <string_view>

#include "checks/policy_rule.h"
#include "checks/setup_rule.h"

namespace gdl {

template <typename Rule>
struct RuleFactory {
  std::string_view id;
  std::unique_ptr<Rule> (*make)();
};

// Generated from rules/*.json.
std::span<const RuleFactory<PolicyRule>> policy_rule_factories();
std::span<const RuleFactory<SetupRule>> setup_rule_factories();

}  // namespace gdl
