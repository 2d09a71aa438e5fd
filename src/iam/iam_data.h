#pragma once
// The IAM data tables shipped in rules/data (compiled in; every string_view here points into that
// text, which lives as long as the program): action names of the services we know,
// S3 action resource types, condition keys with their types, opt-in Regions.

#include <string>
#include <string_view>
#include <vector>

namespace gdl::data {

// The raw text of rules/data/<name>, or empty if there is no such file.
std::string_view file(std::string_view name);

// Services whose full action list we ship (s3, kms, guardduty, iam).
bool knows_service(std::string_view service);
// The action's canonical spelling ("s3:PutObject") if `action` names one, case-insensitively.
const std::string_view* find_action(std::string_view action);
// Every action of a known service, canonical spelling.
const std::vector<std::string_view>& actions_of(std::string_view service);

// S3 resource types an action applies to, comma-separated ("accesspointobject,object"); empty if
// unknown; "*" when the action takes no resource type.
std::string_view s3_resource_types(std::string_view action);
// Whether a comma-separated list of resource types holds `type`.
bool lists_type(std::string_view types, std::string_view type);

enum class KeyType { string, arn, boolean, numeric, date, ip, binary };
struct ConditionKey {
  std::string_view name;  // canonical spelling, placeholders as ${TagKey}
  KeyType type = KeyType::string;
  bool multivalued = false;
};
// Looks a condition key up case-insensitively; keys such as aws:RequestTag/Env match the
// placeholder entry aws:RequestTag/${TagKey}.
const ConditionKey* find_condition_key(std::string_view key);
// Whether we ship the keys of this prefix ("aws", "s3", "kms").
bool knows_key_prefix(std::string_view prefix);
const std::vector<std::string_view>& condition_key_names();

bool is_opt_in_region(std::string_view region);

}  // namespace gdl::data
