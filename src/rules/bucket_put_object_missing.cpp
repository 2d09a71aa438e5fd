// GD302: GuardDuty's PutObject request, as GuardDuty really sends it for each exported Region, is
// not allowed by the bucket policy (no statement allows it; an explicit Deny is GD309); or the
// files create the export's bucket with no bucket policy at all.

#include <fmt/format.h>

#include "checks/request_check.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

class BucketPutObjectMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_request(ctx, id(), documents::Kind::bucket_policy, "PutObject",
                           support::RequestFailure::not_allowed, "AllowGuardDutyPutObject",
                           support::export_objects_arn(ctx.settings), out);
    // No policy, no Allow: GuardDuty, a service principal, gets into a bucket only through its
    // bucket policy (the guide: "attach a policy to your S3 bucket"). A note, not an error: a
    // policy attached by another configuration is not among the files read.
    if (!ctx.of_kind(documents::Kind::bucket_policy).empty()) return;
    for (const BucketWithoutPolicy& b : ctx.buckets_without_policy) {
      Diagnostic d = make_diagnostic(
          id(), b.at,
          fmt::format("exports may fail: {} exports to {}, which these files create with no "
                      "bucket policy, and without one GuardDuty is denied s3:GetBucketLocation "
                      "and s3:PutObject (if another configuration attaches its policy, check it "
                      "with that)",
                      b.destination, b.bucket));
      d.severity = Severity::note;
      if (!b.remedy.empty()) d.notes.push_back(b.remedy);
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_put_object_missing_rule() {
  return std::make_unique<BucketPutObjectMissingRule>();
}

}  // namespace gdl
