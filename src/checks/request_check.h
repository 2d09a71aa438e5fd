#pragma once
// The shared check behind GD201 (GenerateDataKey), GD301 (GetBucketLocation), GD302 (PutObject)
// and GD309 (an explicit Deny blocks a bucket request): simulate GuardDuty's request for every
// Region, with and without the context keys the request model only assumes, and report what
// fails: an error where it fails either way (in the Regions the user configured), a note where
// the outcome depends on an assumption (an assumed key, an inferred Region, a stand-in).

#include <string_view>

#include "checks/setup_rule.h"

namespace gdl::support {

// not_allowed: no statement allows it (an explicit Deny is GD309's or GD306's); denied: either
// (the key policy, where no other rule reports a Deny); explicitly_denied: a Deny decides.
enum class RequestFailure { not_allowed, denied, explicitly_denied };

// Reports, under `rule_id`, each Region group where GuardDuty's `request_name` request is
// `failure` (not allowed, or denied by a Deny other than a key-id one, which is GD306's) in a
// document of `kind`. `sid` and `resource` shape the fix for a request nothing allows.
void check_request(const SetupContext& ctx, std::string_view rule_id, documents::Kind kind,
                   std::string_view request_name, RequestFailure failure, std::string_view sid,
                   const std::string& resource, std::vector<Diagnostic>& out);

}  // namespace gdl::support
