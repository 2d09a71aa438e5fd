// GD201 key-generate-data-key-missing: GuardDuty's kms:GenerateDataKey on the export key, as
// GuardDuty really sends it, is not allowed by the key policy.

#include <fmt/format.h>

#include "report/rule_catalog.h"
#include "rules/export_support.h"
#include "rules/setup_rule.h"

namespace gdl {
namespace {

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
        Diagnostic d = make_diagnostic(
            id(), support::denial_location(*doc, f.evaluation, f.request->request.action),
            fmt::format("{} will fail: GuardDuty ({}) cannot call kms:GenerateDataKey on {}: {}",
                        support::exports_from(f.regions), f.request->request.principal.value,
                        f.request->request.resource,
                        support::why_denied(*doc, f.evaluation, f.request->request.action)));
        d.notes.push_back(fmt::format("simulated with aws:SourceAccount {} and aws:SourceArn {}",
                                      ctx.settings.account.get(),
                                      support::detector_arn(ctx.settings, f.regions.front())));
        if (auto note = support::assumptions_note(ctx.settings); !note.empty())
          d.notes.push_back(std::move(note));
        if (f.evaluation.decision == iam::Decision::implicit_deny) {
          d.fix = support::append_statement_fix(
              *doc, "add a statement that lets GuardDuty generate data keys with this key",
              support::allow_statement_json(ctx.settings, "AllowGuardDutyKey",
                                            "kms:GenerateDataKey", "*"));
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
