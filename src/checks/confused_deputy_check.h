#pragma once
// The shared check behind GD202 (key) and GD303 (bucket): GuardDuty acting for another account
// (another aws:SourceAccount and aws:SourceArn) makes the same request; if the policy still
// allows it, the grant is open to any account's GuardDuty.

#include "checks/setup_rule.h"

namespace gdl::support {

void check_confused_deputy(const SetupContext& ctx, std::string_view rule_id, documents::Kind kind,
                           std::string_view request_name, std::string_view what,
                           std::vector<Diagnostic>& out);

}  // namespace gdl::support
