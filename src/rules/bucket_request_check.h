#pragma once
// The shared check behind GD301 (GetBucketLocation), GD302 (PutObject) and GD309 (an explicit
// Deny blocks either): simulate the request for every Region, with and without the context keys
// the request model only assumes, and report what fails.

#include <string_view>

#include "rules/setup_rule.h"

namespace gdl::support {

enum class BucketFailure { not_allowed, explicitly_denied };

// Reports, under `rule_id`, each Region group where GuardDuty's `request_name` request is
// `failure` (ImplicitDeny or ExplicitDeny) in a bucket policy of the setup.
void check_bucket_request(const SetupContext& ctx, std::string_view rule_id,
                          std::string_view request_name, BucketFailure failure,
                          std::vector<Diagnostic>& out);

}  // namespace gdl::support
