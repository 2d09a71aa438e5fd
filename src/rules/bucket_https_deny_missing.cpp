// GD307 bucket-https-deny-missing: requests without TLS (aws:SecureTransport false) to the
// exported findings are not explicitly denied.

#include <fmt/format.h>

#include <algorithm>

#include "checks/explain.h"
#include "checks/fixes.h"
#include "checks/probes.h"
#include "checks/settings_view.h"
#include "diag/rule_catalog.h"
#include "export/setup.h"

namespace gdl {
namespace {

// Whether `statement` applies to one of GuardDuty's requests and so denies it (GD309's case).
bool blocks_guardduty(const SetupContext& ctx, const exportcfg::PolicyDocument& doc,
                      const policy::Statement& statement) {
  return std::any_of(ctx.requests.begin(), ctx.requests.end(), [&](const auto& r) {
    const iam::Evaluation e = doc.evaluator->evaluate(r.request, false);
    const iam::StatementTrace* t = e.trace_of(statement.index);
    return t != nullptr && t->applies;
  });
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
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    const auto& s = ctx.settings;
    const std::string object =
        support::request_object_arn(s, s.regions.front(), "example.jsonl.gz");
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
      // Refused because it is plain HTTP: a Deny of everyone outside an organization refuses
      // the probe too, but not the organization's own principals.
      const bool get_denied =
          support::transport_deny(*doc, support::plain_http_request(s, "s3:GetObject", object))
              .has_value();
      const bool put_denied =
          support::transport_deny(*doc, support::plain_http_request(s, "s3:PutObject", object))
              .has_value();
      if (get_denied && put_denied) continue;
      // The guide's Deny written with "true" refuses TLS requests instead. Where it stops
      // GuardDuty's own requests, GD309 reports it (an error) with the repair: one root cause,
      // one finding. Elsewhere the repair is this finding's fix, not a second Deny beside it.
      const policy::Statement* inverted = nullptr;
      const policy::ConditionClause* inverted_clause = nullptr;
      for (const policy::Statement& st : doc->policy.statements) {
        if (const policy::ConditionClause* c = support::inverted_https_clause(st)) {
          inverted = &st;
          inverted_clause = c;
          break;
        }
      }
      if (inverted != nullptr && blocks_guardduty(ctx, *doc, *inverted)) continue;
      const std::string_view action = get_denied ? "s3:PutObject" : "s3:GetObject";
      // The same request from GuardDuty's principal: a Deny may refuse plain HTTP to some
      // principals only, and then "nothing denies" would not be true.
      iam::Request from_guardduty = support::plain_http_request(s, action, object);
      from_guardduty.principal = {iam::RequestPrincipal::Kind::service,
                                  exportcfg::guardduty_principal(s.regions.front())};
      Diagnostic d = make_diagnostic(
          id(),
          // At the inverted clause when there is one: that is what to change.
          inverted_clause != nullptr
              ? make_location(*doc->source,
                              {inverted_clause->op.span.begin, inverted_clause->values_span.end})
              : support::statements_start(*doc),
          support::transport_deny(*doc, from_guardduty)
              ? fmt::format("requests without TLS (aws:SecureTransport false) to the exported "
                            "findings in {} are denied only for some principals (GuardDuty's): "
                            "{} over plain HTTP by another principal{} is not refused",
                            support::bucket_arn(s), action,
                            support::bucket_owner(s)
                                ? " (a role of the bucket's account, which its identity "
                                  "policies may allow)"
                                : "")
              : fmt::format("nothing denies requests without TLS (aws:SecureTransport "
                            "false) to the exported findings in {}: "
                            "{} over plain HTTP is not refused",
                            support::bucket_arn(s), action));
      // The guide's Deny without its Principal (AWS rejects the policy: GD102) is completed.
      const policy::Statement* unnamed =
          inverted == nullptr ? support::deny_missing_principal(
                                    *doc, support::plain_http_request(s, action, object))
                              : nullptr;
      if (inverted != nullptr) {
        d.notes.push_back(fmt::format(
            "{} denies the requests made with TLS (aws:SecureTransport \"true\"), not those "
            "without",
            inverted->label()));
        d.fix = support::invert_https_clause_fix(*doc, *inverted, *inverted_clause);
      } else if (unnamed == nullptr ||
                 !support::complete_deny(d, *doc, *unnamed, "\"*\"", "\"*\"")) {
        d.fix = support::append_statement_fix(
            *doc, "add the guide's \"Deny non-HTTPS access\" statement", https_deny_json(ctx));
      }
      out.push_back(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_bucket_https_deny_missing_rule() {
  return std::make_unique<BucketHttpsDenyMissingRule>();
}

}  // namespace gdl
