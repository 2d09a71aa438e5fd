// GD304 bucket-sse-deny-missing: a GuardDuty upload without the SSE-KMS header is not explicitly
// denied (the guide's "Deny unencrypted object uploads" statement is missing or ineffective).

#include <fmt/format.h>

#include "checks/fixes.h"
#include "checks/probes.h"
#include "checks/settings_view.h"

namespace gdl {
namespace {

void without_encryption(iam::Request& r, const exportcfg::GuardDutyRequest&,
                        const exportcfg::ExportSettings&) {
  r.context.erase("s3:x-amz-server-side-encryption");
  r.context.erase("s3:x-amz-server-side-encryption-aws-kms-key-id");
}

class BucketSseDenyMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_upload_denied(
        ctx, id(), without_encryption,
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
