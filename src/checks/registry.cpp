#include "checks/registry.h"

#include <algorithm>

#include "checks/scenario_rule.h"

namespace gdl {

namespace {

template <typename Rule>
std::vector<std::unique_ptr<Rule>> make_all(std::span<const RuleFactory<Rule>> factories) {
  std::vector<std::unique_ptr<Rule>> rules;
  for (const RuleFactory<Rule>& f : factories) {
    rules.push_back(f.make());
    rules.back()->set_id(std::string(f.id));
  }
  return rules;
}

}  // namespace

std::span<const std::unique_ptr<SetupRule>> setup_rules() {
  static const std::vector<std::unique_ptr<SetupRule>> rules = [] {
    auto all = make_all(setup_rule_factories());
    // Data-driven scenario rules: rules/scenarios/*.json (GD310 bucket-public-write, ...).
    for (auto& rule : builtin_scenario_rules()) all.push_back(std::move(rule));
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a->id() < b->id(); });
    return all;
  }();
  return rules;
}

std::span<const std::unique_ptr<PolicyRule>> policy_rules() {
  static const std::vector<std::unique_ptr<PolicyRule>> rules = make_all(policy_rule_factories());
  return rules;
}

}  // namespace gdl
