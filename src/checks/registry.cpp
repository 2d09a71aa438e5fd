// The one place where policy rules are registered. Adding a rule: write src/rules/<name>.cpp with
// a make_<name>_rule() factory, add its metadata to rules/, declare and list it here.

#include <algorithm>

#include "checks/policy_rule.h"
#include "checks/scenario_rule.h"

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
std::unique_ptr<PolicyRule> make_placeholder_left_rule();

// GuardDuty export setup rules.
std::unique_ptr<SetupRule> make_key_generate_data_key_missing_rule();
std::unique_ptr<SetupRule> make_bucket_get_location_missing_rule();
std::unique_ptr<SetupRule> make_bucket_put_object_missing_rule();
std::unique_ptr<SetupRule> make_bucket_deny_blocks_guardduty_rule();
std::unique_ptr<SetupRule> make_policy_size_rule();
std::unique_ptr<SetupRule> make_key_confused_deputy_rule();
std::unique_ptr<SetupRule> make_bucket_confused_deputy_rule();
std::unique_ptr<SetupRule> make_bucket_sse_deny_missing_rule();
std::unique_ptr<SetupRule> make_bucket_key_deny_missing_rule();
std::unique_ptr<SetupRule> make_bucket_key_mismatch_rule();
std::unique_ptr<SetupRule> make_bucket_https_deny_missing_rule();
std::unique_ptr<SetupRule> make_bucket_https_deny_scope_rule();
std::unique_ptr<SetupRule> make_guardduty_principal_rule();
std::unique_ptr<SetupRule> make_source_condition_mismatch_rule();
std::unique_ptr<SetupRule> make_key_grant_too_broad_rule();
std::unique_ptr<SetupRule> make_key_lockout_risk_rule();
std::unique_ptr<SetupRule> make_key_resource_rule();
std::unique_ptr<SetupRule> make_key_bucket_region_rule();
std::unique_ptr<SetupRule> make_key_arn_mismatch_rule();
std::unique_ptr<SetupRule> make_account_mismatch_rule();
std::unique_ptr<SetupRule> make_configurer_permissions_missing_rule();

std::span<const std::unique_ptr<SetupRule>> setup_rules() {
  static const std::vector<std::unique_ptr<SetupRule>> rules = [] {
    std::vector<std::unique_ptr<SetupRule>> all;
    all.push_back(make_policy_size_rule());                     // GD006
    all.push_back(make_key_generate_data_key_missing_rule());   // GD201
    all.push_back(make_key_confused_deputy_rule());             // GD202
    all.push_back(make_key_grant_too_broad_rule());             // GD203
    all.push_back(make_key_lockout_risk_rule());                // GD204
    all.push_back(make_key_resource_rule());                    // GD205
    all.push_back(make_bucket_get_location_missing_rule());     // GD301
    all.push_back(make_bucket_put_object_missing_rule());       // GD302
    all.push_back(make_bucket_confused_deputy_rule());          // GD303
    all.push_back(make_bucket_sse_deny_missing_rule());         // GD304
    all.push_back(make_bucket_key_deny_missing_rule());         // GD305
    all.push_back(make_bucket_key_mismatch_rule());             // GD306
    all.push_back(make_bucket_https_deny_missing_rule());       // GD307
    all.push_back(make_bucket_https_deny_scope_rule());         // GD308
    all.push_back(make_bucket_deny_blocks_guardduty_rule());    // GD309
    all.push_back(make_guardduty_principal_rule());             // GD311
    all.push_back(make_source_condition_mismatch_rule());       // GD312
    all.push_back(make_key_bucket_region_rule());               // GD401
    all.push_back(make_key_arn_mismatch_rule());                // GD402
    all.push_back(make_account_mismatch_rule());                // GD403
    all.push_back(make_configurer_permissions_missing_rule());  // GD501
    // Data-driven scenario rules: rules/scenarios/*.json (GD310 bucket-public-write, ...).
    for (auto& rule : builtin_scenario_rules()) all.push_back(std::move(rule));
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a->id() < b->id(); });
    return all;
  }();
  return rules;
}

std::span<const std::unique_ptr<PolicyRule>> policy_rules() {
  static const std::vector<std::unique_ptr<PolicyRule>> rules = [] {
    std::vector<std::unique_ptr<PolicyRule>> all;
    all.push_back(make_placeholder_left_rule());    // GD005
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
