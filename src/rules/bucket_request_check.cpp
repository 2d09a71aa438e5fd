#include "rules/bucket_request_check.h"

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"

namespace gdl::support {

namespace {

bool implicitly_denied(const exportcfg::PolicyDocument&, const iam::Evaluation& e) {
  return e.decision == iam::Decision::implicit_deny;
}

bool explicitly_denied(const exportcfg::PolicyDocument& doc, const iam::Evaluation& e) {
  if (e.decision != iam::Decision::explicit_deny) return false;
  // A Deny on the encryption key id that blocks the export key is GD306's finding.
  const policy::Statement& deny = statement_at(doc, e.statements[e.deciding.front()].index);
  return !has_condition_key(deny, kKeyIdKey);
}

std::string correct_resource(const SetupContext& ctx, std::string_view request_name) {
  if (request_name == "GetBucketLocation") return bucket_arn(ctx.settings);
  return export_objects_arn(ctx.settings);
}

}  // namespace

void check_bucket_request(const SetupContext& ctx, std::string_view rule_id,
                          std::string_view request_name, BucketFailure failure,
                          std::vector<Diagnostic>& out) {
  const auto fails = failure == BucketFailure::not_allowed ? implicitly_denied : explicitly_denied;
  for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::bucket_policy)) {
    std::vector<RegionalFailure> failures;
    std::vector<RegionalFailure> assumption_only;  // the outcome depends on an assumed context key
    for (std::size_t i = 0; i < ctx.requests.size(); ++i) {
      const exportcfg::GuardDutyRequest& with_assumed = ctx.requests[i];
      if (with_assumed.name != request_name) continue;
      const exportcfg::GuardDutyRequest& documented = ctx.documented_requests[i];
      iam::Evaluation e_doc = doc->evaluator->evaluate(documented.request);
      const bool fails_documented = fails(*doc, e_doc);
      if (with_assumed.assumed_keys.empty()) {
        if (fails_documented) add_failure(failures, *doc, std::move(e_doc), documented);
        continue;
      }
      iam::Evaluation e_assumed = doc->evaluator->evaluate(with_assumed.request);
      const bool fails_assumed = fails(*doc, e_assumed);
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
      const FailureVerdict verdict = judge_failure(ctx, f, fails, *doc);
      std::string message;
      if (depends_on_assumption) {
        // Which way the assumed header decides: the failing request is the one without it, or with
        // it.
        const bool fails_without_header = f.request->assumed_keys.empty();
        message = fmt::format(
            "{} fail {} GuardDuty sends s3:x-amz-acl = bucket-owner-full-control (real deployments "
            "see it; the export guide does not document it): GuardDuty's {} on {} {} that header: "
            "{}",
            exports_from(ctx.settings, f.regions), fails_without_header ? "unless" : "if", r.action,
            f.request->shown_resource, fails_without_header ? "without" : "with",
            why_denied(*doc, f.evaluation, r.action));
      } else {
        message = fmt::format("{}: GuardDuty ({}) cannot call {} on {}: {}", verdict.lead,
                              r.principal.value, r.action, f.request->shown_resource,
                              why_denied(*doc, f.evaluation, r.action));
      }
      Diagnostic d = make_diagnostic(rule_id, denial_location(*doc, f.evaluation, r.action),
                                     std::move(message));
      d.severity = depends_on_assumption ? Severity::note : verdict.severity;
      d.notes = verdict.notes;
      d.notes.push_back(fmt::format("simulated with aws:SourceAccount {}, aws:SourceArn {}",
                                    shown(ctx.settings.account, "<ACCOUNT_ID>"),
                                    detector_arn(ctx.settings, f.regions.front())));
      if (auto note = assumptions_note(ctx.settings); !note.empty())
        d.notes.push_back(std::move(note));
      if (failure == BucketFailure::not_allowed && !depends_on_assumption) {
        d.fix = repair_or_append_fix(
            ctx, *doc, f.evaluation, *f.request, fmt::format("AllowGuardDuty{}", request_name),
            correct_resource(ctx, request_name), fmt::format("allow GuardDuty's {}", r.action));
      }
      out.push_back(std::move(d));
    };
    for (const RegionalFailure& f : failures) report(f, false);
    for (const RegionalFailure& f : assumption_only) report(f, true);
  }
}

}  // namespace gdl::support
