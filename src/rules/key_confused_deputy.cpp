// GD202: GuardDuty's grant in the key policy has no effective aws:SourceAccount / aws:SourceArn
// condition (confused deputy): simulated with another account's detector, it is still allowed.

#include "checks/confused_deputy_check.h"

namespace gdl {
namespace {

class KeyConfusedDeputyRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_confused_deputy(ctx, id(), documents::Kind::key_policy, "GenerateDataKey",
                                   "use this key", out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_confused_deputy_rule() {
  return std::make_unique<KeyConfusedDeputyRule>();
}

}  // namespace gdl
