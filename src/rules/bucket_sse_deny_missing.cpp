// GD304 bucket-sse-deny-missing: a GuardDuty upload without the SSE-KMS header is not refused
// (the guide's "Deny unencrypted object uploads" statement is missing or ineffective).

#include <fmt/format.h>

#include <vector>

#include "checks/fixes.h"
#include "checks/probes.h"
#include "checks/settings_view.h"

namespace gdl {
namespace {

// GuardDuty's upload without the SSE-KMS header, and with S3-managed encryption instead: an
// Allow that admits ["aws:kms", "AES256"] refuses the first and not the second.
std::vector<iam::Request> without_kms(const exportcfg::GuardDutyRequest& put,
                                      const exportcfg::ExportSettings&) {
  iam::Request none = put.request;
  none.context.erase("s3:x-amz-server-side-encryption");
  none.context.erase("s3:x-amz-server-side-encryption-aws-kms-key-id");
  iam::Request s3_managed = none;
  s3_managed.set("s3:x-amz-server-side-encryption", "AES256");
  return {std::move(none), std::move(s3_managed)};
}

class BucketSseDenyMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_upload_denied(
        ctx, id(), without_kms,
        fmt::format("nothing denies an upload to {} without the SSE-KMS header: objects written "
                    "there need not be "
                    "encrypted with KMS",
                    support::export_objects_arn(ctx.settings)),
        "add the guide's \"Deny unencrypted object uploads\" statement",
        support::upload_deny_statement_json(ctx.settings, "DenyUnencryptedObjectUploads",
                                            "s3:x-amz-server-side-encryption", "aws:kms"),
        out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_sse_deny_missing_rule() {
  return std::make_unique<BucketSseDenyMissingRule>();
}

}  // namespace gdl
