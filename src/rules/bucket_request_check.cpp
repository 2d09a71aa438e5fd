#include "rules/bucket_request_check.h"

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"

namespace gdl::support {

namespace {

bool is_failure(const exportcfg::PolicyDocument& doc, const iam::Evaluation& e,
                BucketFailure failure) {
  if (failure == BucketFailure::not_allowed) return e.decision == iam::Decision::implicit_deny;
  if (e.decision != iam::Decision::explicit_deny) return false;
  // A Deny on the encryption key id that blocks the export key is GD306's finding.
  const policy::Statement& deny = statement_at(doc, e.statements[e.deciding.front()].index);
  return !has_condition_key(deny, kKeyIdKey);
}

std::string correct_resource(const SetupContext& ctx, std::string_view request_name) {
  const std::string bucket =
      fmt::format("arn:{}:s3:::{}", ctx.settings.partition, ctx.settings.bucket.get());
  if (request_name == "GetBucketLocation") return bucket;
  const std::string& prefix = ctx.settings.prefix.get();
  return prefix.empty() ? bucket + "/*" : fmt::format("{}/{}/*", bucket, prefix);
}

}  // namespace

void check_bucket_request(const SetupContext& ctx, std::string_view rule_id,
                          std::string_view request_name, BucketFailure failure,
                          std::vector<Diagnostic>& out) {
  for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
    std::vector<RegionalFailure> failures;
    std::vector<RegionalFailure> assumption_only;  // the outcome depends on an assumed context key
    for (std::size_t i = 0; i < ctx.requests.size(); ++i) {
      const exportcfg::GuardDutyRequest& with_assumed = ctx.requests[i];
      if (with_assumed.name != request_name) continue;
      const exportcfg::GuardDutyRequest& documented = ctx.documented_requests[i];
      iam::Evaluation e_doc = doc->evaluator->evaluate(documented.request);
      const bool fails_documented = is_failure(*doc, e_doc, failure);
      if (with_assumed.assumed_keys.empty()) {
        if (fails_documented) add_failure(failures, *doc, std::move(e_doc), documented);
        continue;
      }
      iam::Evaluation e_assumed = doc->evaluator->evaluate(with_assumed.request);
      const bool fails_assumed = is_failure(*doc, e_assumed, failure);
      if (fails_documented && fails_assumed) {
        add_failure(failures, *doc, std::move(e_doc), documented);
      } else if (fails_documented || fails_assumed) {
        const bool doc_fails = fails_documented;
        add_failure(assumption_only, *doc, doc_fails ? std::move(e_doc) : std::move(e_assumed),
                    doc_fails ? documented : with_assumed);
      }
    }
    auto report = [&](const RegionalFailure& f, bool depends_on_assumption) {
      const iam::Request& r = f.request->request;
      std::string message;
      if (depends_on_assumption) {
        // Which way the assumed header decides: the failing request is the one without it, or with
        // it.
        const bool fails_without_header = f.request->assumed_keys.empty();
        message = fmt::format(
            "{} fail {} GuardDuty sends s3:x-amz-acl = bucket-owner-full-control (real deployments "
            "see it; the export guide does not document it): GuardDuty's {} on {} {} that header: "
            "{}",
            exports_from(f.regions), fails_without_header ? "unless" : "if", r.action, r.resource,
            fails_without_header ? "without" : "with", why_denied(*doc, f.evaluation, r.action));
      } else {
        message = fmt::format("{} will fail: GuardDuty ({}) cannot call {} on {}: {}",
                              exports_from(f.regions), r.principal.value, r.action, r.resource,
                              why_denied(*doc, f.evaluation, r.action));
      }
      Diagnostic d = make_diagnostic(rule_id, denial_location(*doc, f.evaluation, r.action),
                                     std::move(message));
      if (depends_on_assumption) d.severity = Severity::note;
      d.notes.push_back(fmt::format("simulated with aws:SourceAccount {}, aws:SourceArn {}",
                                    ctx.settings.account.get(),
                                    detector_arn(ctx.settings, f.regions.front())));
      if (auto note = assumptions_note(ctx.settings); !note.empty())
        d.notes.push_back(std::move(note));
      if (failure == BucketFailure::not_allowed && !depends_on_assumption) {
        d.fix = append_statement_fix(
            *doc, fmt::format("add a statement that allows GuardDuty's {}", r.action),
            allow_statement_json(ctx.settings, fmt::format("AllowGuardDuty{}", request_name),
                                 r.action, correct_resource(ctx, request_name)));
      }
      out.push_back(std::move(d));
    };
    for (const RegionalFailure& f : failures) report(f, false);
    for (const RegionalFailure& f : assumption_only) report(f, true);
  }
}

}  // namespace gdl::support
