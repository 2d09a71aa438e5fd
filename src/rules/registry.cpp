// The one place where policy rules are registered. Adding a rule: write src/rules/<name>.cpp with
// a make_<name>_rule() factory, add its metadata to rules/, declare and list it here.

#include "rules/policy_rule.h"

namespace gdl {

std::unique_ptr<PolicyRule> make_policy_version_rule();
std::unique_ptr<PolicyRule> make_policy_element_rule();
std::unique_ptr<PolicyRule> make_policy_effect_rule();
std::unique_ptr<PolicyRule> make_policy_sid_rule();
std::unique_ptr<PolicyRule> make_action_name_rule();
std::unique_ptr<PolicyRule> make_resource_arn_rule();
std::unique_ptr<PolicyRule> make_condition_operator_rule();
std::unique_ptr<PolicyRule> make_literal_wildcard_rule();
std::unique_ptr<PolicyRule> make_condition_key_rule();
std::unique_ptr<PolicyRule> make_principal_format_rule();

std::span<const std::unique_ptr<PolicyRule>> policy_rules() {
  static const std::vector<std::unique_ptr<PolicyRule>> rules = [] {
    std::vector<std::unique_ptr<PolicyRule>> all;
    all.push_back(make_policy_version_rule());      // GD101
    all.push_back(make_policy_element_rule());      // GD102 (the builder reports the rest of GD102)
    all.push_back(make_policy_effect_rule());       // GD103
    all.push_back(make_policy_sid_rule());          // GD104
    all.push_back(make_action_name_rule());         // GD105
    all.push_back(make_resource_arn_rule());        // GD106
    all.push_back(make_condition_operator_rule());  // GD107
    all.push_back(make_literal_wildcard_rule());    // GD108
    all.push_back(make_condition_key_rule());       // GD109
    all.push_back(make_principal_format_rule());    // GD110
    return all;
  }();
  return rules;
}

}  // namespace gdl
