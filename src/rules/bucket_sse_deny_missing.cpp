// GD304 bucket-sse-deny-missing: a GuardDuty upload without the SSE-KMS header is not explicitly
// denied (the guide's "Deny unencrypted object uploads" statement is missing or ineffective).

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/setup_rule.h"

namespace gdl {
namespace {

class BucketSseDenyMissingRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD304"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    const exportcfg::GuardDutyRequest* put =
        support::find_request(ctx.documented_requests, "PutObject");
    if (put == nullptr) return;
    iam::Request unencrypted = put->request;
    unencrypted.context.erase("s3:x-amz-server-side-encryption");
    unencrypted.context.erase("s3:x-amz-server-side-encryption-aws-kms-key-id");
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      if (doc->evaluator->evaluate(unencrypted, false).decision == iam::Decision::explicit_deny)
        continue;
      Diagnostic d = make_diagnostic(
          id(), support::statements_start(*doc),
          fmt::format("nothing denies an upload to {} without the SSE-KMS header: objects written "
                      "there need not be "
                      "encrypted with KMS",
                      support::export_objects_arn(ctx.settings)));
      d.fix = support::append_statement_fix(
          *doc, "add the guide's \"Deny unencrypted object uploads\" statement",
          support::upload_deny_statement_json(ctx.settings, "DenyUnencryptedObjectUploads",
                                              "s3:x-amz-server-side-encryption", "aws:kms"));
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_sse_deny_missing_rule() {
  return std::make_unique<BucketSseDenyMissingRule>();
}

}  // namespace gdl
