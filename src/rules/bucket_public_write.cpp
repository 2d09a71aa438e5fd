// GD310 bucket-public-write: anyone (an anonymous caller, or any principal of another account)
// may write objects into the bucket without restricting conditions.

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/setup_rule.h"

namespace gdl {
namespace {

class BucketPublicWriteRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD310"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      for (const bool anonymous : {true, false}) {
        iam::Request r;
        if (anonymous) {
          r.principal = {iam::RequestPrincipal::Kind::anonymous, ""};
        } else {
          r.principal = {iam::RequestPrincipal::Kind::aws,
                         fmt::format("arn:{}:iam::{}:user/anyone", ctx.settings.partition,
                                     support::other_account(ctx.settings))};
        }
        r.action = "s3:PutObject";
        const std::string& prefix = ctx.settings.prefix.get();
        r.resource = fmt::format("{}/{}uploaded-by-anyone", support::bucket_arn(ctx.settings),
                                 prefix.empty() ? "" : prefix + "/");
        // A well-behaved stranger: TLS and the right encryption, so only the grant itself decides.
        r.set("aws:SecureTransport", "true");
        r.set("s3:x-amz-server-side-encryption", "aws:kms");
        r.set("s3:x-amz-server-side-encryption-aws-kms-key-id", ctx.settings.key_arn.get());
        const iam::Evaluation e = doc->evaluator->evaluate(r, false);
        if (e.decision != iam::Decision::allow) continue;
        const policy::Statement& s =
            support::statement_at(*doc, e.statements[e.deciding.front()].index);
        out.push_back(make_diagnostic(
            id(), make_location(*doc->source, s.principal.present ? s.principal.span : s.span),
            fmt::format("{} lets {} write objects into {}: anyone can fill the bucket or plant "
                        "files next to your "
                        "findings",
                        support::statement_name(*doc, s.index),
                        anonymous ? "anonymous callers" : "any AWS account",
                        support::bucket_arn(ctx.settings))));
        break;
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_public_write_rule() {
  return std::make_unique<BucketPublicWriteRule>();
}

}  // namespace gdl
