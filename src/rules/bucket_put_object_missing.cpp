// GD302: GuardDuty's PutObject request, as GuardDuty really sends it for each exported Region, is
// not allowed by the bucket policy (no statement allows it; an explicit Deny is GD309).

#include "checks/request_check.h"
#include "checks/settings_view.h"

namespace gdl {
namespace {

class BucketPutObjectMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_request(ctx, id(), documents::Kind::bucket_policy, "PutObject",
                           support::RequestFailure::not_allowed, "AllowGuardDutyPutObject",
                           support::export_objects_arn(ctx.settings), out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_put_object_missing_rule() {
  return std::make_unique<BucketPutObjectMissingRule>();
}

}  // namespace gdl
