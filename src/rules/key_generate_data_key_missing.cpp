// GD201 key-generate-data-key-missing: GuardDuty's kms:GenerateDataKey on the export key, as
// GuardDuty really sends it, is not allowed by the key policy.

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/setup_rule.h"

namespace gdl {
namespace {

bool not_allowed(const exportcfg::PolicyDocument&, const iam::Evaluation& e) {
  return e.decision != iam::Decision::allow;
}

class KeyGenerateDataKeyMissingRule final : public SetupRule {
 public:
  [[nodiscard]] std::string_view id() const override { return "GD201"; }
  void check(const SetupContext& ctx, std::vector<Diagnostic>& out) const override {
    for (const exportcfg::PolicyDocument* doc : ctx.of_kind(documents::Kind::key_policy)) {
      std::vector<support::RegionalFailure> failures;
      for (const exportcfg::GuardDutyRequest& r : ctx.requests) {
        if (r.name != "GenerateDataKey") continue;
        iam::Evaluation e = doc->evaluator->evaluate(r.request);
        if (e.decision != iam::Decision::allow)
          support::add_failure(failures, *doc, std::move(e), r);
      }
      for (const support::RegionalFailure& f : failures) {
        const support::FailureVerdict verdict = support::judge_failure(ctx, f, not_allowed, *doc);
        const iam::Request& r = f.request->request;
        Diagnostic d = make_diagnostic(
            id(), support::denial_location(*doc, f.evaluation, r.action),
            fmt::format("{}: GuardDuty ({}) cannot call kms:GenerateDataKey on {}: {}",
                        verdict.lead, r.principal.value,
                        support::known(ctx.settings.key_arn) ? f.request->shown_resource
                                                             : std::string("the key"),
                        support::why_denied(*doc, f.evaluation, r.action)));
        d.severity = verdict.severity;
        d.notes = verdict.notes;
        d.notes.push_back(fmt::format("simulated with aws:SourceAccount {} and aws:SourceArn {}",
                                      support::shown(ctx.settings.account, "<ACCOUNT_ID>"),
                                      support::detector_arn(ctx.settings, f.regions.front())));
        if (auto note = support::assumptions_note(ctx.settings); !note.empty())
          d.notes.push_back(std::move(note));
        if (f.evaluation.decision == iam::Decision::implicit_deny) {
          d.fix = support::repair_or_append_fix(ctx, *doc, f.evaluation, *f.request,
                                                "AllowGuardDutyKey", "*",
                                                "let GuardDuty generate data keys with this key");
        }
        out.push_back(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<SetupRule> make_key_generate_data_key_missing_rule() {
  return std::make_unique<KeyGenerateDataKeyMissingRule>();
}

}  // namespace gdl
