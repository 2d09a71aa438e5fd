// GD305 bucket-key-deny-missing: a GuardDuty upload encrypted with another KMS key is not
// explicitly denied (the guide's "Deny incorrect encryption header" statement).

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/setup_rule.h"

namespace gdl {
namespace {

class BucketKeyDenyMissingRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD305"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    const exportcfg::GuardDutyRequest* put =
        support::find_request(ctx.documented_requests, "PutObject");
    if (put == nullptr) return;
    iam::Request other_key = put->request;
    other_key.set(
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        fmt::format("arn:{}:kms:{}:{}:key/00000000-1111-4222-8333-444444444444",
                    ctx.settings.partition, put->region, support::other_account(ctx.settings)));
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      if (doc->evaluator->evaluate(other_key, false).decision == iam::Decision::explicit_deny)
        continue;
      Diagnostic d = make_diagnostic(
          id(), support::statements_start(*doc),
          fmt::format("nothing denies an upload to {} encrypted with another KMS key: findings "
                      "could be written "
                      "with a key you do not control",
                      support::export_objects_arn(ctx.settings)));
      d.fix = support::append_statement_fix(
          *doc, "add the guide's \"Deny incorrect encryption header\" statement with your key ARN",
          support::upload_deny_statement_json(ctx.settings, "DenyIncorrectEncryptionHeader",
                                              support::kKeyIdKey, ctx.settings.key_arn.get()));
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_key_deny_missing_rule() {
  return std::make_unique<BucketKeyDenyMissingRule>();
}

}  // namespace gdl
