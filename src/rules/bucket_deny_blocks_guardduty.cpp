// GD309 bucket-deny-blocks-guardduty: an explicit Deny stops GuardDuty's correct GetBucketLocation
// or PutObject (conditions service principals never satisfy: organization ids, VPC endpoints,
// principal accounts; or a NotPrincipal Deny that does not spare GuardDuty).

#include "checks/request_check.h"

namespace gdl {
namespace {

class BucketDenyBlocksGuardDutyRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_request(ctx, id(), documents::Kind::bucket_policy, "GetBucketLocation",
                           support::RequestFailure::explicitly_denied, "", "", out);
    support::check_request(ctx, id(), documents::Kind::bucket_policy, "PutObject",
                           support::RequestFailure::explicitly_denied, "", "", out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_deny_blocks_guardduty_rule() {
  return std::make_unique<BucketDenyBlocksGuardDutyRule>();
}

}  // namespace gdl
