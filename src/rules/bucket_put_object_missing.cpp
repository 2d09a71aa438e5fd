// GD302: GuardDuty's PutObject request, as GuardDuty really sends it for each exported Region, is
// not allowed by the bucket policy (no statement allows it; an explicit Deny is GD309).

#include "rules/bucket_request_check.h"

namespace gdl {
namespace {

class BucketPutObjectMissingRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD302"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_bucket_request(ctx, id(), "PutObject", support::BucketFailure::not_allowed, out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_put_object_missing_rule() {
  return std::make_unique<BucketPutObjectMissingRule>();
}

}  // namespace gdl
