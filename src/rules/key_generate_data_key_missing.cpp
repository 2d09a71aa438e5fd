// GD201 key-generate-data-key-missing: GuardDuty's kms:GenerateDataKey on the export key, as
// GuardDuty really sends it, is not allowed by the key policy.

#include "checks/request_check.h"

namespace gdl {
namespace {

class KeyGenerateDataKeyMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_request(ctx, id(), documents::Kind::key_policy, "GenerateDataKey",
                           support::RequestFailure::denied, "AllowGuardDutyKey", "*", out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_generate_data_key_missing_rule() {
  return std::make_unique<KeyGenerateDataKeyMissingRule>();
}

}  // namespace gdl
