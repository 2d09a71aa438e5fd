// GD307 bucket-https-deny-missing and GD308 bucket-https-deny-scope: requests without TLS
// (aws:SecureTransport false) by any principal should be explicitly denied on the whole bucket.
// Both rules ask the same simulated questions, so they share this file's helpers.

#include <fmt/format.h>

#include "checks/explain.h"
#include "checks/fixes.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"

namespace gdl {
namespace {

iam::Request insecure(const SetupContext& ctx, std::string_view action, std::string resource) {
  iam::Request r;
  r.principal = {iam::RequestPrincipal::Kind::aws,
                 fmt::format("arn:{}:iam::{}:role/any-role", ctx.settings.partition,
                             support::other_account(ctx.settings))};
  r.action = std::string(action);
  r.resource = std::move(resource);
  r.set("aws:SecureTransport", "false");
  return r;
}

bool denied(const exportcfg::PolicyDocument& doc, const iam::Request& r) {
  return doc.evaluator->evaluate(r, false).decision == iam::Decision::explicit_deny;
}

std::string export_object(const SetupContext& ctx) {
  const std::string& prefix = ctx.settings.prefix.get();
  return fmt::format("{}/{}AWSLogs/{}/GuardDuty/example.jsonl.gz",
                     support::bucket_arn(ctx.settings), prefix.empty() ? "" : prefix + "/",
                     ctx.settings.account.get());
}

std::string https_deny_json(const SetupContext& ctx) {
  return fmt::format(
      "{{\n      \"Sid\": \"DenyNonHTTPSAccess\",\n      \"Effect\": \"Deny\",\n      "
      "\"Principal\": \"*\",\n      "
      "\"Action\": \"s3:*\",\n      \"Resource\": [\"{0}\", \"{0}/*\"],\n      \"Condition\": {{\n "
      "       \"Bool\": "
      "{{\n          \"aws:SecureTransport\": \"false\"\n        }}\n      }}\n    }}",
      support::bucket_arn(ctx.settings));
}

class BucketHttpsDenyMissingRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD307"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      const bool get_denied = denied(*doc, insecure(ctx, "s3:GetObject", export_object(ctx)));
      const bool put_denied = denied(*doc, insecure(ctx, "s3:PutObject", export_object(ctx)));
      if (get_denied && put_denied) continue;
      Diagnostic d =
          make_diagnostic(id(), support::statements_start(*doc),
                          fmt::format("nothing denies requests without TLS (aws:SecureTransport "
                                      "false) to the exported findings in {}: "
                                      "{} over plain HTTP is not refused",
                                      support::bucket_arn(ctx.settings),
                                      get_denied ? "s3:PutObject" : "s3:GetObject"));
      d.fix = support::append_statement_fix(
          *doc, "add the guide's \"Deny non-HTTPS access\" statement", https_deny_json(ctx));
      out.push_back(std::move(d));
    }
  }
};

class BucketHttpsDenyScopeRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD308"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      // Only when the export path is covered (otherwise GD307 reports it).
      if (!denied(*doc, insecure(ctx, "s3:GetObject", export_object(ctx)))) continue;
      std::vector<std::string> uncovered;
      if (!denied(*doc, insecure(ctx, "s3:ListBucket", support::bucket_arn(ctx.settings)))) {
        uncovered.push_back(
            fmt::format("the bucket itself ({})", support::bucket_arn(ctx.settings)));
      }
      if (!denied(*doc, insecure(ctx, "s3:GetObject",
                                 support::bucket_arn(ctx.settings) + "/other-data/object"))) {
        uncovered.push_back("objects outside the export prefix");
      }
      if (uncovered.empty()) continue;
      std::string what = uncovered.front();
      if (uncovered.size() > 1) what += " and " + uncovered.back();
      Diagnostic d = make_diagnostic(
          id(), support::statements_start(*doc),
          fmt::format("the HTTPS-only Deny covers the exported findings but not {}", what));
      d.notes.push_back(fmt::format("list both \"{0}\" and \"{0}/*\" as the Deny's Resource",
                                    support::bucket_arn(ctx.settings)));
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_https_deny_missing_rule() {
  return std::make_unique<BucketHttpsDenyMissingRule>();
}
std::unique_ptr<SetupRule> make_bucket_https_deny_scope_rule() {
  return std::make_unique<BucketHttpsDenyScopeRule>();
}

}  // namespace gdl
