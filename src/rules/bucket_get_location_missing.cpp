// GD301: GuardDuty's GetBucketLocation request, as GuardDuty really sends it for each exported
// Region, is not allowed by the bucket policy (no statement allows it; an explicit Deny is GD309).

#include "checks/request_check.h"
#include "checks/settings_view.h"

namespace gdl {
namespace {

class BucketGetLocationMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_request(ctx, id(), documents::Kind::bucket_policy, "GetBucketLocation",
                           support::RequestFailure::not_allowed, "AllowGuardDutyGetBucketLocation",
                           support::bucket_arn(ctx.settings), out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_get_location_missing_rule() {
  return std::make_unique<BucketGetLocationMissingRule>();
}

}  // namespace gdl
