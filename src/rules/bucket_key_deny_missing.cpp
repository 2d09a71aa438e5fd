// GD305 bucket-key-deny-missing: a GuardDuty upload encrypted with another KMS key is not
// refused (the guide's "Deny incorrect encryption header" statement).

#include <fmt/format.h>

#include <vector>

#include "checks/explain.h"
#include "checks/fixes.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "export/setup.h"

namespace gdl {
namespace {

// GuardDuty's upload with another account's key, and with SSE-KMS but no key named (S3 then
// uses the AWS managed key aws/s3): an Allow whose key condition is ...IfExists admits it.
std::vector<iam::Request> with_another_key(const exportcfg::GuardDutyRequest& put,
                                           const exportcfg::ExportSettings& s) {
  iam::Request other = put.request;
  other.set(support::kKeyIdKey,
            fmt::format("arn:{}:kms:{}:{}:key/00000000-1111-4222-8333-444444444444", s.partition,
                        put.region, support::other_account(s)));
  iam::Request managed = put.request;
  managed.context.erase(support::kKeyIdKey);
  return {std::move(other), std::move(managed)};
}

class BucketKeyDenyMissingRule final : public SetupRule {
 public:
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    support::check_upload_denied(
        ctx, id(), with_another_key,
        fmt::format("nothing denies an upload to {} encrypted with another KMS key: findings could "
                    "be written with a "
                    "key you do not control",
                    support::export_objects_arn(ctx.settings)),
        "add the guide's \"Deny incorrect encryption header\" statement with your key ARN",
        support::upload_deny_statement_json(ctx.settings, "DenyIncorrectEncryptionHeader",
                                            support::kKeyIdKey,
                                            exportcfg::shown(ctx.settings.key_arn, "<KEY_ARN>")),
        out);
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_key_deny_missing_rule() {
  return std::make_unique<BucketKeyDenyMissingRule>();
}

}  // namespace gdl
